"""Award readiness: vetoes first, then completeness, then the overall and per-theme thresholds."""

from __future__ import annotations

from assess.models.criteria import CriteriaSet
from assess.models.result import Readiness, Reason, ThemeResult, Verdict, VetoResult


def judge_readiness(
    criteria: CriteriaSet,
    overall: float | None,
    themes: list[ThemeResult],
    vetoes: list[VetoResult],
    provisional: bool,
    completeness: float,
) -> Readiness:
    """The verdict and every reason behind it; a veto never hides the score, it only rules out the award."""
    award = criteria.award
    reasons: list[Reason] = [Reason(code="veto", subject=v.id) for v in vetoes if v.status == "triggered"]
    reasons += [Reason(code="veto_unknown", subject=v.id) for v in vetoes if v.status == "unknown"]
    if provisional:
        reasons.append(Reason(code="incomplete", value=round(completeness, 4), threshold=criteria.provisional_below))
    shortfalls: list[float] = []
    if overall is None or overall < award.overall_min:
        reasons.append(
            Reason(
                code="overall_below", value=None if overall is None else round(overall, 2), threshold=award.overall_min
            )
        )
        shortfalls.append(award.overall_min - (overall or 0.0))
    for theme in themes:
        if theme.score is None:
            reasons.append(Reason(code="theme_not_scored", subject=theme.id, threshold=theme.floor))
            shortfalls.append(float("inf"))
        elif theme.meets_floor is False:
            reasons.append(Reason(code="theme_below_floor", subject=theme.id, value=theme.score, threshold=theme.floor))
            shortfalls.append(theme.floor - theme.score)

    verdict: Verdict
    if any(r.code == "veto" for r in reasons):
        verdict = "vetoed"
    elif provisional or any(r.code == "veto_unknown" for r in reasons):
        verdict = "undetermined"
    elif not shortfalls:
        verdict = "ready"
    elif max(shortfalls) <= award.near_margin:
        verdict = "near"
    else:
        verdict = "not_ready"
    return Readiness(verdict=verdict, reasons=reasons)
