"""The small per-firm records a batch keeps in memory (full results are streamed to disk)."""

from __future__ import annotations

from dataclasses import dataclass, field

from assess.models.result import ScoreResult

WEAK_SHARE = 0.25  # a question at or below this share of its points counts as a gap


@dataclass(frozen=True)
class FirmRow:
    """One scored firm: what the summary table, the league table and the cohort statistics need."""

    index: int
    input: str
    firm: str
    credit_code: str
    industry: str
    overall: float | None
    overall_1000: float | None
    band: str | None
    themes: dict[str, float | None]
    vetoes: tuple[str, ...]
    completeness: float
    provisional: bool
    readiness: str
    weak_questions: tuple[str, ...]
    not_counted: tuple[str, ...] = ()  # questions that do not apply to this firm (or earn nothing): not gaps
    report: str | None = None
    rank: int = 0
    percentile: float = 0.0
    change: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class ErrorRow:
    """One input that could not be scored: which, where in it, which question, why."""

    input: str
    location: str
    question: str
    message: str


def firm_row(index: int, source: str, result: ScoreResult) -> FirmRow:
    weak = tuple(
        q.id
        for q in result.questions
        if q.counted and q.max_points > 0 and (q.points or 0.0) / q.max_points <= WEAK_SHARE
    )
    return FirmRow(
        index=index,
        input=source,
        firm=result.firm.name,
        credit_code=result.firm.credit_code or "",
        industry=result.firm.industry,
        overall=result.overall,
        overall_1000=result.overall_1000,
        band=result.band,
        themes={t.id: t.score for t in result.themes},
        vetoes=tuple(v.id for v in result.vetoes if v.status == "triggered"),
        completeness=result.completeness,
        provisional=result.provisional,
        readiness=result.readiness.verdict,
        weak_questions=weak,
        not_counted=tuple(q.id for q in result.questions if not q.counted),
    )
