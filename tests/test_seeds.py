"""The demo firms: every seed validates and scores, and the cohort has the profiles the demo promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.api import load_response, response_files, score, seeds_dir
from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult

SEEDS = response_files([seeds_dir()])


@pytest.fixture(scope="module")
def results(default_criteria: CriteriaSet) -> dict[str, ScoreResult]:
    return {path.stem: score(default_criteria, load_response(path, default_criteria)) for path in SEEDS}


def test_at_least_ten_seed_firms() -> None:
    assert len(SEEDS) >= 10


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: Path(p).stem)
def test_each_seed_validates_and_scores(default_criteria: CriteriaSet, path: Path) -> None:
    response = load_response(path, default_criteria)
    result = score(default_criteria, response)
    assert result.overall is not None
    assert all(t.score is not None for t in result.themes)
    assert response.firm.credit_code is not None


def test_cohort_has_the_promised_profiles(results: dict[str, ScoreResult]) -> None:
    verdicts = [r.readiness.verdict for r in results.values()]
    assert "ready" in verdicts
    assert "vetoed" in verdicts
    assert any(r.provisional and r.status == "draft" for r in results.values())
    scores = sorted(r.overall or 0 for r in results.values())
    assert scores[0] < 40 and scores[-1] >= 75
    assert len({r.firm.industry for r in results.values()}) >= 10


def test_seed_firm_names_are_distinct(results: dict[str, ScoreResult]) -> None:
    names = [r.firm.name for r in results.values()]
    assert len(set(names)) == len(names)


def test_results_survive_json_with_their_answer_types(results: dict[str, ScoreResult]) -> None:
    """Answers are written by their own type (see result.AnswerOut) and read back as the union says."""
    for result in results.values():
        again = ScoreResult.model_validate_json(result.model_dump_json())
        assert again == result
        chosen = [q.answer for q in again.questions if q.kind == "multi"]
        assert chosen and all(isinstance(a, tuple) for a in chosen if a is not None)
        assert [type(q.answer) for q in again.questions] == [type(q.answer) for q in result.questions]
        assert [(type(p.current), type(p.next)) for p in again.priorities] == [
            (type(p.current), type(p.next)) for p in result.priorities
        ]
