"""Cohort statistics: a score that is not a number (from a broken criteria set) is left out, never a crash."""

from __future__ import annotations

import dataclasses
import math

from assess.batch.cohort import change, cohort_stats, distribution, rank_rows
from assess.batch.rows import FirmRow


def row(index: int, overall: float | None, theme: float | None = None) -> FirmRow:
    return FirmRow(
        index=index,
        input=f"firm-{index}.yaml",
        firm=f"Firm {index}",
        credit_code="",
        industry="crafts",
        overall=overall,
        overall_1000=None if overall is None else overall * 10,
        band=None,
        themes={"alpha": theme},
        vetoes=(),
        completeness=1.0,
        provisional=False,
        readiness="ready",
        weak_questions=(),
    )


def test_a_distribution_leaves_out_scores_that_are_not_numbers() -> None:
    found = distribution([40.0, math.nan, None, 60.0, math.inf])
    assert found is not None
    assert (found.count, found.minimum, found.median, found.maximum) == (2, 40.0, 50.0, 60.0)
    assert sum(found.histogram) == 2
    assert distribution([math.nan, None]) is None


def test_firms_without_a_finite_score_get_no_rank_and_the_others_rank_as_usual() -> None:
    ranked = rank_rows([row(0, 50.0), row(1, math.nan), row(2, 70.0)])
    assert [(r.rank, r.percentile) for r in ranked] == [(2, 0.0), (0, 0.0), (1, 100.0)]
    stats = cohort_stats(ranked, ["alpha"])
    assert stats.overall is not None and stats.overall.count == 2
    assert stats.themes["alpha"] is None
    moved = change([1.0, math.nan, -2.0, None])
    assert moved is not None and (moved.compared, moved.improved, moved.declined) == (2, 1, 1)


def test_a_gaps_share_counts_only_the_firms_the_question_applies_to() -> None:
    weak = [dataclasses.replace(row(i, 50.0), weak_questions=("Q1",)) for i in range(3)]
    strong = [row(3, 80.0)]
    skipped = [dataclasses.replace(row(i, 60.0), not_counted=("Q1",)) for i in range(4, 10)]
    stats = cohort_stats([*weak, *strong, *skipped], ["alpha"])
    assert stats.common_gaps == [("Q1", 3, 4)]  # 3 weak of the 4 firms Q1 applies to, not of all 10
