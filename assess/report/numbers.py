"""How scores read in reports: one rounding rule, so that a score and its 1000-point form always agree.

Scores are stored with two decimals.  Formatting a float rounds its binary value (57.65 is stored
as 57.6499…, so it printed as 57.6 while its 1000-point form 576.5 printed as 577); reports round
half up on the decimal digits instead, and take the 100-point form from the 1000-point one.

A shown score never reaches a threshold the score itself misses: 69.97 against an award threshold of
70 reads 69.9 (not 70.0), a theme at 59.52 against its floor of 60 reads 59 in a chart (not 60).  Such
a score is rounded down instead; every other score is rounded half up.  `score_text` and
`overall_texts` are the one place this happens: cover, cards, readiness reasons and charts use them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

NO_NUMBER = "—"


def number_text(value: float | None, digits: int = 1) -> str:
    """`value` with `digits` decimals, halves rounded up as people do: 60.45 -> "60.5"."""
    if value is None:
        return NO_NUMBER
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def _rounded(value: float, digits: int, thresholds: Iterable[float | None], scale: int = 1) -> Decimal:
    """`value` to `digits` decimals, half up, or down when half up would reach a threshold it misses.

    The thresholds are multiplied by `scale` first (10 for a 1000-point value against 100-point thresholds).
    """
    exact = Decimal(repr(value))
    step = Decimal(1).scaleb(-digits)
    shown = exact.quantize(step, rounding=ROUND_HALF_UP)
    for threshold in thresholds:
        if threshold is not None and exact < Decimal(repr(threshold)) * scale <= shown:
            return exact.quantize(step, rounding=ROUND_FLOOR)
    return shown


def score_text(value: float | None, digits: int = 1, thresholds: Iterable[float | None] = ()) -> str:
    """A score as shown: halves rounded up, but never up to a threshold it misses (59.52, floor 60 -> "59")."""
    if value is None:
        return NO_NUMBER
    return str(_rounded(value, digits, thresholds))


def overall_texts(overall_1000: float | None, thresholds: Iterable[float | None] = ()) -> tuple[str, str]:
    """The overall score as shown on the 100-point and the 1000-point scale: ("57.7", "577"), never apart.

    `thresholds` are on the 100-point scale (award threshold, band limits): 699.7 against 70 shows
    ("69.9", "699"), as the firm is below 70.
    """
    if overall_1000 is None:
        return NO_NUMBER, NO_NUMBER
    points = int(_rounded(overall_1000, 0, thresholds, scale=10))
    return f"{points / 10:.1f}", str(points)


def signed_text(value: float) -> str:
    """A change as '+3.2' or '−1.5' (a true minus sign); one that shows as 0.0 has no sign: '0.0'.

    The firm reports and cohort.pdf both use it, so one change never reads '+0.0' in one and '0.0' in the other.
    """
    shown = number_text(abs(value))
    if Decimal(shown) == 0:
        return shown
    return f"+{shown}" if value > 0 else f"−{shown}"
