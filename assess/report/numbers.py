"""How scores read in reports: one rounding rule, so that a score and its 1000-point form always agree.

Scores are stored with two decimals.  Formatting a float rounds its binary value (57.65 is stored
as 57.6499…, so it printed as 57.6 while its 1000-point form 576.5 printed as 577); reports round
half up on the decimal digits instead, and take the 100-point form from the 1000-point one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NO_NUMBER = "—"


def number_text(value: float | None, digits: int = 1) -> str:
    """`value` with `digits` decimals, halves rounded up as people do: 60.45 -> "60.5"."""
    if value is None:
        return NO_NUMBER
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def overall_texts(overall_1000: float | None) -> tuple[str, str]:
    """The overall score as shown on the 100-point and the 1000-point scale: ("57.7", "577"), never apart."""
    if overall_1000 is None:
        return NO_NUMBER, NO_NUMBER
    points = int(Decimal(repr(overall_1000)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{points / 10:.1f}", str(points)
