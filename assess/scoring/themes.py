"""Theme arithmetic shared by the engine and the priorities: weighted points and gate caps."""

from __future__ import annotations

from dataclasses import dataclass, field

from assess.models.criteria import CriteriaSet, Gate
from assess.models.result import QuestionResult


@dataclass(slots=True)
class ThemeTally:
    """One theme's question results and the sums its score is made of, gathered in one pass."""

    results: list[QuestionResult] = field(default_factory=list)
    earned: float = 0.0  # weighted share of points earned over the counted questions
    total: float = 0.0  # their total weight
    answered: int = 0  # answered, N/A or unscored (not unanswered, not inapplicable)
    applicable: int = 0

    @property
    def raw_score(self) -> float | None:
        """Weighted share of points earned, 0-100, over the counted questions (None if none count)."""
        return None if self.total <= 0 else 100.0 * self.earned / self.total


def tally_themes(criteria: CriteriaSet, results: list[QuestionResult]) -> dict[str, ThemeTally]:
    """Theme id -> its tally, in the criteria set's theme order."""
    tallies = {theme.id: ThemeTally() for theme in criteria.themes}
    for r in results:
        tally = tallies[r.theme]
        tally.results.append(r)
        if r.status != "inapplicable":
            tally.applicable += 1
            if r.status != "unanswered":
                tally.answered += 1
        if r.counted and r.max_points > 0:
            tally.total += r.weight
            tally.earned += r.weight * (r.points or 0.0) / r.max_points
    return tallies


def gate_cap(criteria: CriteriaSet, gate: Gate) -> float:
    assert gate.cap_level is not None
    return 100.0 * gate.cap_level / criteria.max_level
