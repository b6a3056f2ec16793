"""Scores as reports show them: halves rounded up, never up to a missed threshold; the two scales agree."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.report.numbers import number_text, overall_texts, score_text, signed_text


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


@pytest.mark.parametrize(
    ("value", "digits", "thresholds", "shown"),
    [
        (59.52, 0, [60], "59"),  # below its floor of 60: never "60"
        (59.96, 1, [60], "59.9"),
        (69.97, 1, [70], "69.9"),
        (60.5, 0, [60], "61"),  # meets the floor: rounded as usual, half up
        (62.5, 0, [], "63"),  # not to even ("{:.0f}" gives 62)
        (61.5, 0, [], "62"),
        (59.5, 0, [59.5], "60"),  # exactly on the threshold meets it
        (59.52, 0, [None], "60"),
        (None, 0, [60], "—"),
    ],
)
def test_a_shown_score_never_reaches_a_threshold_it_misses(
    value: float | None, digits: int, thresholds: list[float | None], shown: str
) -> None:
    assert score_text(value, digits, thresholds) == shown


def test_an_overall_just_below_the_award_threshold_reads_below_it_on_both_scales() -> None:
    assert overall_texts(699.74, [70]) == ("69.9", "699")
    assert overall_texts(699.74) == ("70.0", "700")  # no threshold given: rounded half up
    assert overall_texts(576.5, [70, 60]) == ("57.7", "577")
    assert overall_texts(599.6, [70, 60]) == ("59.9", "599")  # a band limit is a threshold too


@given(
    st.decimals(min_value=0, max_value=100, places=2),
    st.sampled_from([50, 60, 62.5, 70]),
    st.sampled_from([0, 1]),
)
def test_below_stays_below_and_the_error_stays_under_one_step(value: Decimal, threshold: float, digits: int) -> None:
    shown = Decimal(score_text(float(value), digits, [threshold]))
    assert (shown >= Decimal(repr(threshold))) == (value >= Decimal(repr(threshold)))
    assert abs(shown - value) < Decimal(1).scaleb(-digits)


@pytest.mark.parametrize(
    ("change", "shown"),
    [(3.25, "+3.3"), (-1.5, "−1.5"), (0.0, "0.0"), (0.04, "0.0"), (-0.04, "0.0"), (-0.05, "−0.1"), (0.05, "+0.1")],
)
def test_a_change_has_a_sign_unless_it_shows_as_zero(change: float, shown: str) -> None:
    assert signed_text(change) == shown
