"""Cohort statistics: distributions per theme, ranks and percentiles, readiness counts, common gaps."""

from __future__ import annotations

import bisect
import dataclasses
import math
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import TypeGuard

from assess.batch.rows import FirmRow


@dataclass(frozen=True)
class Distribution:
    """Summary of one score across the cohort (firms with no score are left out)."""

    count: int
    minimum: float
    p25: float
    median: float
    p75: float
    maximum: float
    mean: float
    histogram: tuple[int, ...]  # firms per 10-point bin: 0-9.99, 10-19.99, ..., 90-100


@dataclass(frozen=True)
class Change:
    """How one score moved since the previous batch, over the firms found in both."""

    compared: int
    median: float
    improved: int
    declined: int


@dataclass(frozen=True)
class CohortStats:
    count: int
    overall: Distribution | None
    themes: dict[str, Distribution | None]
    readiness: dict[str, int]
    bands: dict[str, int]
    vetoes: dict[str, int]
    common_gaps: list[tuple[str, int, int]]  # question id, firms weak on it, firms it counts for
    changes: dict[str, Change | None] | None = None  # "overall" and each theme; None without --previous
    failed_inputs: int = 0  # inputs of the batch that could not be scored: not in these numbers
    previous_firms: int | None = None  # firms in the --previous results; None without --previous
    previous_matched: int = 0  # firms of this batch found in them


def change(deltas: list[float | None]) -> Change | None:
    """The median change and how many firms rose or fell; None when no firm has both scores."""
    present = [d for d in deltas if _scored(d)]
    if not present:
        return None
    return Change(
        compared=len(present),
        median=round(statistics.median(present), 2),
        improved=sum(1 for d in present if d > 0),
        declined=sum(1 for d in present if d < 0),
    )


def _quartiles(ordered: list[float]) -> tuple[float, float, float]:
    """Quartiles by linear interpolation (the 'inclusive' method), defined for a single firm too."""
    if len(ordered) == 1:
        return ordered[0], ordered[0], ordered[0]
    q1, q2, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return q1, q2, q3


def _scored(value: float | None) -> TypeGuard[float]:
    """A score to count: not missing, and finite (a NaN from a broken set must not stop the whole batch)."""
    return value is not None and math.isfinite(value)


def distribution(values: list[float | None]) -> Distribution | None:
    present = sorted(v for v in values if _scored(v))
    if not present:
        return None
    bins = [0] * 10
    for value in present:
        bins[min(9, int(value // 10))] += 1
    q1, q2, q3 = _quartiles(present)
    return Distribution(
        count=len(present),
        minimum=present[0],
        p25=round(q1, 2),
        median=round(q2, 2),
        p75=round(q3, 2),
        maximum=present[-1],
        mean=round(statistics.fmean(present), 2),
        histogram=tuple(bins),
    )


def _common_gaps(rows: list[FirmRow], top: int) -> list[tuple[str, int, int]]:
    """The questions most firms are weak on, each with how many firms it counts for (the share's denominator).

    A question that does not apply to a firm (not applicable, or outside its profile) is no gap of it and
    is left out of the denominator too: 10 weak out of the 12 it applies to is 83%, not 10 of 40.
    """
    weak = Counter(qid for row in rows for qid in row.weak_questions)
    skipped = Counter(qid for row in rows for qid in row.not_counted)
    ranked = sorted(weak.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [(qid, n, len(rows) - skipped[qid]) for qid, n in ranked]


def cohort_stats(rows: list[FirmRow], theme_ids: list[str], top_gaps: int = 10) -> CohortStats:
    return CohortStats(
        count=len(rows),
        overall=distribution([r.overall for r in rows]),
        themes={t: distribution([r.themes.get(t) for r in rows]) for t in theme_ids},
        readiness=dict(sorted(Counter(r.readiness for r in rows).items())),
        bands=dict(sorted(Counter(r.band or "—" for r in rows).items())),
        vetoes=dict(sorted(Counter(v for r in rows for v in r.vetoes).items())),
        common_gaps=_common_gaps(rows, top_gaps),
        changes=(
            {key: change([r.change.get(key) for r in rows]) for key in ("overall", *theme_ids)}
            if any(r.change for r in rows)
            else None
        ),
    )


def rank_rows(rows: list[FirmRow]) -> list[FirmRow]:
    """Rank by overall score (ties share a rank); percentile = share of the other firms this one scores at or above."""
    scores = sorted(r.overall for r in rows if _scored(r.overall))
    total = len(scores)
    ranked = []
    for row in rows:
        if not _scored(row.overall):
            ranked.append(row)
            continue
        at_or_below = bisect.bisect_right(scores, row.overall) - 1  # other firms scoring the same or lower
        higher = total - bisect.bisect_right(scores, row.overall)
        percentile = round(100.0 * at_or_below / (total - 1), 1) if total > 1 else 100.0
        ranked.append(dataclasses.replace(row, rank=higher + 1, percentile=percentile))
    return ranked
