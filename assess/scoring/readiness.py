"""Award readiness: vetoes first, then completeness, then the overall and per-theme thresholds."""

from __future__ import annotations

from collections.abc import Collection

from assess.memo import ObjectMemo
from assess.models.criteria import CriteriaSet
from assess.models.result import Readiness, Reason, ReasonCode, ThemeResult, Verdict, VetoResult

# Reasons are immutable and mostly the same from firm to firm (a veto, a theme under its floor by a few points).
_REASONS: ObjectMemo[Reason] = ObjectMemo()


def _reason(
    criteria: CriteriaSet,
    code: ReasonCode,
    subject: str | None = None,
    value: float | None = None,
    threshold: float | None = None,
) -> Reason:
    key = (code, subject, value, threshold)
    found = _REASONS.get(criteria, key)
    if found is None:
        found = _REASONS.put(criteria, key, Reason(code=code, subject=subject, value=value, threshold=threshold))
    return found


def judge_readiness(
    criteria: CriteriaSet,
    overall: float | None,
    themes: list[ThemeResult],
    vetoes: list[VetoResult],
    provisional: bool,
    completeness: float,
    not_applying: Collection[str] = (),
) -> Readiness:
    """The verdict and every reason behind it; a veto never hides the score, it only rules out the award.

    A theme in `not_applying` (none of its scored questions applies to the firm) is left out, as the overall
    score leaves it out: a firm cannot raise a theme it has nothing to answer in.
    """
    award = criteria.award
    reasons = [_reason(criteria, "veto", v.id) for v in vetoes if v.status == "triggered"]
    reasons += [_reason(criteria, "veto_unknown", v.id) for v in vetoes if v.status == "unknown"]
    if provisional:
        reasons.append(_reason(criteria, "incomplete", None, round(completeness, 4), criteria.provisional_below))
    shortfalls: list[float] = []
    if overall is None or overall < award.overall_min:
        shown = None if overall is None else round(overall, 2)
        reasons.append(_reason(criteria, "overall_below", None, shown, award.overall_min))
        shortfalls.append(award.overall_min - (overall or 0.0))
    for theme in themes:
        if theme.score is None and theme.id in not_applying:
            continue
        if theme.score is None:
            reasons.append(_reason(criteria, "theme_not_scored", theme.id, None, theme.floor))
            shortfalls.append(float("inf"))
        elif theme.meets_floor is False:
            reasons.append(_reason(criteria, "theme_below_floor", theme.id, theme.score, theme.floor))
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
