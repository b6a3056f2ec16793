"""Theme arithmetic shared by the engine and the priorities: weighted points and gate caps."""

from __future__ import annotations

from assess.models.criteria import CriteriaSet, Gate
from assess.models.result import QuestionResult


def raw_theme_score(results: list[QuestionResult], override: tuple[str, float] | None = None) -> float | None:
    """Weighted share of points earned, 0-100, over the counted questions (None if none count)."""
    total_weight = 0.0
    earned = 0.0
    for r in results:
        if not r.counted or r.max_points <= 0:
            continue
        points = override[1] if override and override[0] == r.id else (r.points or 0.0)
        total_weight += r.weight
        earned += r.weight * points / r.max_points
    return None if total_weight <= 0 else 100.0 * earned / total_weight


def gate_cap(criteria: CriteriaSet, gate: Gate) -> float:
    assert gate.cap_level is not None
    return 100.0 * gate.cap_level / criteria.max_level
