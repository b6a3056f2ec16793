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
        # At least one option (no options is not an answer); an exclusive option ("none") stands alone.
        return st.lists(st.sampled_from([o.id for o in question.options]), unique=True, min_size=1).map(
            lambda ids: ids if len(ids) <= 1 else [i for i in ids if i not in exclusive] or ids[:1]
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


# Anything a YAML file can hold: what a careless or hostile hand may write where an answer belongs.
YAML_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),  # infinities and NaN included
    st.text(max_size=12),
    st.sampled_from(["1e400", "-1e999", "nan", "inf", "N/A", "不适用", "３", "1,200", "35%", " ", "=1+1"]),
    st.dates(),
)
# Mostly shapes the response model lets through, so that the answers reach validation against the questions.
ANSWER_ENTRIES = st.one_of(
    YAML_SCALARS,
    st.lists(YAML_SCALARS, max_size=3),
    st.fixed_dictionaries({"value": YAML_SCALARS}, optional={"note": YAML_SCALARS, "target": YAML_SCALARS}),
    st.dictionaries(
        st.text(max_size=6), st.recursive(YAML_SCALARS, lambda inner: st.lists(inner, max_size=2)), max_size=2
    ),
)


@st.composite
def hostile_responses(draw: st.DrawFn, criteria: CriteriaSet) -> dict[str, Any]:
    """A response whose answers, notes and targets may be of any type or size, under real and made-up ids."""
    ids = st.sampled_from(sorted(criteria.questions))
    chosen = draw(st.lists(st.one_of(ids, ids, ids, st.text(max_size=8)), max_size=8))
    return {
        "status": draw(st.sampled_from(["draft", "final"])),
        "firm": {
            "name": "Hypothetical Exporter Co.",
            "industry": draw(st.sampled_from(sorted(criteria.industry_ids()))),
            "markets": sorted(criteria.market_ids())[:1],
            "assessment_date": "2026-11-01",
        },
        "answers": {qid: draw(ANSWER_ENTRIES) for qid in chosen},
    }
