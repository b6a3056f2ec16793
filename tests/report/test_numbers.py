"""Scores as reports show them: halves rounded up, and the two scales never disagree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.report.numbers import number_text, overall_texts


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [(57.65, 1, "57.7"), (60.45, 1, "60.5"), (0.05, 1, "0.1"), (-1.25, 1, "-1.3"), (70.0, 0, "70"), (None, 1, "—")],
)
def test_halves_round_up_on_the_decimal_digits(value: float | None, digits: int, shown: str) -> None:
    assert number_text(value, digits) == shown  # f"{57.65:.1f}" gives 57.6: the float is 57.6499…


def test_a_score_ending_in_five_reads_the_same_on_both_scales() -> None:
    assert overall_texts(576.5) == ("57.7", "577")  # the result holds 57.65 and 576.5
    assert overall_texts(576.45) == ("57.6", "576")  # 57.645: the 100-point form is not rounded twice
    assert overall_texts(None) == ("—", "—")


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_the_100_point_form_is_the_1000_point_form_divided_by_ten(score: float) -> None:
    hundred, thousand = overall_texts(round(score * 10, 2))
    assert hundred == f"{int(thousand) // 10}.{int(thousand) % 10}"
    assert abs(float(hundred) - score) <= 0.05 + 0.0005 + 1e-9  # half a tenth, plus the result's own rounding
