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
    to_answer: int = 0  # applicable questions that completeness counts (every kind but text)
    answered_of_those: int = 0

    @classmethod
    def of(cls, results: list[QuestionResult]) -> ThemeTally:
        """The tally of one theme's results (in question order: sums are added up in that order)."""
        earned = total = 0.0
        answered = applicable = to_answer = answered_of_those = 0
        for r in results:
            status = r.status
            if status != "inapplicable":
                applicable += 1
                text = r.kind == "text"
                if not text:
                    to_answer += 1
                if status != "unanswered":
                    answered += 1
                    if not text:
                        answered_of_those += 1
            if r.counted and r.max_points > 0:
                total += r.weight
                earned += r.weight * (r.points or 0.0) / r.max_points
        return cls(results, earned, total, answered, applicable, to_answer, answered_of_those)

    @property
    def raw_score(self) -> float | None:
        """Weighted share of points earned, 0-100, over the counted questions (None if none count)."""
        return None if self.total <= 0 else 100.0 * self.earned / self.total


def gate_cap(criteria: CriteriaSet, gate: Gate) -> float:
    assert gate.cap_level is not None
    return 100.0 * gate.cap_level / criteria.max_level
