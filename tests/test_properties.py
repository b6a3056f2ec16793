"""Invariants for any answers: ranges hold, a better answer never lowers a score, bad input never crashes."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.api import load_criteria
from assess.errors import UserError
from assess.memo import forget_all
from assess.models.answers import ValidatedResponse
from assess.models.criteria import CriteriaSet
from assess.models.response import Response
from assess.readers.response_file import read_response
from assess.readers.submissions import iter_table_rows
from assess.scoring.engine import score
from assess.scoring.points import next_step
from assess.validation import validate_response
from tests.conftest import MINI
from tests.strategies import hostile_responses, responses

SETS = {"mini": load_criteria(MINI), "default": load_criteria()}
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _validated(criteria: CriteriaSet, data: dict[str, Any]) -> ValidatedResponse:
    return validate_response(criteria, Response.model_validate(data), lambda path: str(path))


def _rule_inputs(criteria: CriteriaSet) -> set[str]:
    """Questions some applicability rule reads: changing those may change what is asked."""
    found: set[str] = set()
    for question in criteria.questions.values():
        if question.applies_if is not None:
            found |= question.applies_if.referenced_questions()
    return found


@PROPERTY_SETTINGS
@given(data=st.data(), set_name=st.sampled_from(sorted(SETS)))
def test_scores_stay_in_range(data: st.DataObject, set_name: str) -> None:
    criteria = SETS[set_name]
    result = score(criteria, _validated(criteria, data.draw(responses(criteria))))
    assert result.overall is not None and 0 <= result.overall <= 100
    assert result.overall_1000 is not None and 0 <= result.overall_1000 <= 1000
    assert 0 <= result.completeness <= 1
    for theme in result.themes:
        assert theme.score is None or 0 <= theme.score <= 100
    for priority in result.priorities:
        assert priority.gain >= 0
    assert [p.rank for p in result.priorities] == list(range(1, len(result.priorities) + 1))


@PROPERTY_SETTINGS
@given(data=st.data(), set_name=st.sampled_from(sorted(SETS)))
def test_raising_one_answer_never_lowers_a_score(data: st.DataObject, set_name: str) -> None:
    criteria = SETS[set_name]
    response = data.draw(responses(criteria, complete=True))
    candidates = [
        qid
        for qid, value in response["answers"].items()
        if criteria.questions[qid].scored and qid not in _rule_inputs(criteria)
    ]
    if not candidates:
        return
    qid = data.draw(st.sampled_from(sorted(candidates)))
    question = criteria.questions[qid]
    before_response = _validated(criteria, response)
    answer = before_response.answers[qid]
    assert answer.value is not None
    step = next_step(question, answer.value)
    if step is None:
        return
    raised = {
        **response,
        "answers": {**response["answers"], qid: list(step.value) if isinstance(step.value, tuple) else step.value},
    }
    before = score(criteria, before_response)
    after = score(criteria, _validated(criteria, raised))
    assert after.overall is not None and before.overall is not None
    assert after.overall >= before.overall - 1e-6
    for theme_before, theme_after in zip(before.themes, after.themes, strict=True):
        assert (theme_after.score or 0) >= (theme_before.score or 0) - 1e-6


@PROPERTY_SETTINGS
@given(data=st.data(), set_name=st.sampled_from(sorted(SETS)))
def test_remembered_work_gives_the_same_result_as_fresh_work(data: st.DataObject, set_name: str) -> None:
    """Validation and scoring share answers, results and steps between firms; that must never show."""
    criteria = SETS[set_name]
    raw = data.draw(responses(criteria))
    warm = score(criteria, _validated(criteria, raw)).model_dump_json()  # memos warmed by earlier examples
    forget_all()
    assert score(criteria, _validated(criteria, raw)).model_dump_json() == warm


@PROPERTY_SETTINGS
@given(data=st.data(), set_name=st.sampled_from(sorted(SETS)))
def test_any_answer_file_gives_a_result_or_located_problems_never_a_crash(data: st.DataObject, set_name: str) -> None:
    criteria = SETS[set_name]
    text = yaml.safe_dump(data.draw(hostile_responses(criteria)), allow_unicode=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "firm.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            result = score(criteria, read_response(path, criteria))
        except UserError as exc:
            assert exc.problems, text
            assert all(p.location.startswith("firm.yaml") and p.message for p in exc.problems), text
        else:
            assert result.overall is None or 0 <= result.overall <= 100


TABLE_CELLS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["1e400", "-1e999", "nan", "inf", "N/A", "不适用", "３", "1,200", "35%", "=1+1", "2026-02-30"]),
    st.integers().map(str),
    st.floats().map(str),
)


@PROPERTY_SETTINGS
@given(data=st.data(), set_name=st.sampled_from(sorted(SETS)))
def test_any_table_row_gives_a_result_or_located_problems_never_a_crash(data: st.DataObject, set_name: str) -> None:
    criteria = SETS[set_name]
    questions = sorted(criteria.questions)
    header = ["firm_name", "industry", "markets", "assessment_date", *questions, *(f"{q}_target" for q in questions)]
    firm = ["Hypothetical Exporter Co.", sorted(criteria.industry_ids())[0], sorted(criteria.market_ids())[0]]
    cells = [*firm, data.draw(st.sampled_from(["2026-11-01", "2026-02-30", "yesterday"]))]
    cells += [data.draw(TABLE_CELLS) for _ in range(2 * len(questions))]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, cells])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "firms.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        try:
            [row] = iter_table_rows(path, criteria)
        except UserError as exc:  # the table as a whole (a NUL byte makes it look binary)
            assert all(p.location.startswith("firms.csv") for p in exc.problems), exc.problems
            return
    if row.validated is None:
        assert row.problems and all(p.location.startswith("firms.csv row 2") for p in row.problems), row.problems
    else:
        result = score(criteria, row.validated)
        assert result.overall is None or 0 <= result.overall <= 100
