"""Hypothesis strategies that build valid answers for any criteria set, from its questions."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Question,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)


def value_strategy(question: Question) -> st.SearchStrategy[Any]:
    if isinstance(question, LevelQuestion):
        return st.integers(0, int(question.max_points))
    if isinstance(question, SingleChoiceQuestion):
        return st.sampled_from([o.id for o in question.options])
    if isinstance(question, MultiChoiceQuestion):
        exclusive = {o.id for o in question.options if o.exclusive}
        return st.lists(st.sampled_from([o.id for o in question.options]), unique=True).map(
            lambda ids: ids if len(ids) <= 1 else [i for i in ids if i not in exclusive]
        )
    if isinstance(question, YesNoQuestion):
        return st.booleans()
    if isinstance(question, NumberQuestion):
        low = question.minimum if question.minimum is not None else -1000.0
        high = question.maximum if question.maximum is not None else 1000.0
        if question.integer:
            return st.integers(int(low), int(high))
        return st.floats(low, high, allow_nan=False, allow_infinity=False)
    assert isinstance(question, TextQuestion)
    return st.text(max_size=20)


@st.composite
def responses(draw: st.DrawFn, criteria: CriteriaSet, complete: bool = False) -> dict[str, Any]:
    """A response dict: firm profile plus answers (some left out unless `complete`)."""
    answers: dict[str, Any] = {}
    for question in criteria.questions.values():
        if complete or draw(st.booleans()) or draw(st.booleans()):
            answers[question.id] = draw(value_strategy(question))
    markets = draw(st.lists(st.sampled_from(sorted(criteria.market_ids())), min_size=1, max_size=3, unique=True))
    return {
        "status": "draft",
        "firm": {
            "name": "Hypothetical Exporter Co.",
            "industry": draw(st.sampled_from(sorted(criteria.industry_ids()))),
            "markets": markets,
            "assessment_date": "2026-11-01",
        },
        "answers": answers,
    }
