"""The consultant's cohort: each submitted result read once, rows ranked as `assess batch` ranks them."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult
from assess.web.storage import Assessment, Store, StoredAnswer
from assess.web.submission import Scoring
from tests.conftest import GOOD_ANSWERS
from tests.web.conftest import PROFILE

WHEN = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def record(number: int, result: ScoreResult | None, status: str = "submitted") -> Assessment:
    return Assessment(
        id=number,
        token=f"token-{number}",
        label=None,
        source="self",
        status=status,
        lang="en",
        profile=PROFILE,
        revision=1,
        created_at=WHEN,
        updated_at=WHEN,
        submitted_at=WHEN if status == "submitted" else None,
        result=None if result is None else result.model_dump_json(),
        overall=None if result is None else result.overall,
        has_pdf=result is not None,
    )


@pytest.fixture
def scoring(mini: CriteriaSet) -> Scoring:
    return Scoring(mini)


@pytest.fixture
def result(scoring: Scoring) -> ScoreResult:
    return scoring.score(PROFILE, {qid: StoredAnswer(value, None) for qid, value in GOOD_ANSWERS.items()})


def test_a_submitted_result_is_read_once_and_summarised(
    scoring: Scoring, result: ScoreResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    submitted = record(1, result)
    summary = scoring.submitted_summary(submitted)
    assert summary is not None and summary.same_criteria
    assert (summary.overall, summary.band, summary.verdict) == (result.overall, result.band, result.readiness.verdict)
    assert summary.row.firm == PROFILE["name"] and summary.row.input == "web-1"

    def refuse(*_args: object, **_kwargs: object) -> ScoreResult:
        raise AssertionError("parsed again")

    monkeypatch.setattr(ScoreResult, "model_validate_json", refuse)
    assert scoring.submitted_summary(submitted) is summary  # the next page view parses nothing
    assert scoring.submitted_summary(record(2, None, status="draft")) is None


def test_cohort_rows_rank_this_sets_results_and_count_the_others(scoring: Scoring, result: ScoreResult) -> None:
    answers = {qid: StoredAnswer(value, None) for qid, value in {**GOOD_ANSWERS, "A-01": 1, "B-01": 0}.items()}
    weaker = scoring.score(PROFILE, answers)
    assert (weaker.overall or 0) < (result.overall or 0)
    elsewhere = result.model_copy(update={"criteria": result.criteria.model_copy(update={"content_hash": "sha256:0"})})
    records = [record(3, weaker), record(1, result), record(2, elsewhere), record(4, None, status="draft")]
    rows, other = scoring.cohort_rows(records)
    assert other == 1
    assert [(row.input, row.rank) for row in rows] == [("web-1", 1), ("web-3", 2)]
    again, _ = scoring.cohort_rows(list(reversed(records)))
    assert [dataclasses.replace(r, index=0) for r in again] == [dataclasses.replace(r, index=0) for r in rows]


def test_the_listing_reads_each_result_once(scoring: Scoring, result: ScoreResult, sqlite_url: str) -> None:
    store = Store(sqlite_url)
    draft, done = store.create("en"), store.create("en")
    assert store.submit(done.token, 0, result.model_dump_json(), result.overall, b"%PDF", "en")
    records = scoring.listed(store)
    assert [r.id for r in records] == [done.id, draft.id] and all(r.result is None for r in records)
    summary = scoring.submitted_summary(records[0])
    assert summary is not None and summary.overall == result.overall
    assert scoring.submitted_summary(records[1]) is None
    assert store.results([draft.id, done.id]) == {done.id: result.model_dump_json()}

    def refuse(ids: object) -> dict[int, str]:
        raise AssertionError("results read again")

    store.results = refuse  # type: ignore[method-assign]
    again = scoring.listed(store)
    assert scoring.submitted_summary(again[0]) is summary
    rows, other = scoring.cohort_rows(again)
    assert other == 0 and [r.input for r in rows] == [f"web-{done.id}"]
