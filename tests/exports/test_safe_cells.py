"""Formula-injection protection: formula-like text is quoted, everything else is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.exports.safe_cells import TRIGGERS, is_dangerous, neutralise, neutralise_text


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://x","click")',
        "+1",
        "-1",
        "-2+3",
        "@SUM(A1:A2)",
        "\tleading tab",
        "\r=1",
        "\n=1",
        "  =cmd|' /C calc'!A0",
        "\u3000=1",  # ideographic space
        "\u00a0+1",  # no-break space
        "\ufeff=1",  # byte-order mark
        "\u200b@x",  # zero-width space
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
        "  ＝HYPERLINK()",
        "=",
    ],
)
def test_formula_like_text_is_quoted(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert is_dangerous(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "慈溪市博润电器有限公司",
        "Borun Appliances Co., Ltd.",
        "1+1=2",
        "a-b",
        "e-mail: x@y.cn",
        "<0.5",
        "≥5",
        "'=already quoted",
        "2 — Defined",
    ],
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert neutralise(text) is text
    assert not is_dangerous(text)


@pytest.mark.parametrize(
    "value",
    [None, 0, -1, -2.5, 3.14, True, False, Decimal("-1.5"), dt.date(2026, 11, 10), dt.datetime(2026, 11, 10, 9, 30)],
)
def test_non_text_is_unchanged(value: object) -> None:
    assert neutralise(value) is value


def test_negative_number_stays_a_number() -> None:
    result = neutralise(-0.83)
    assert isinstance(result, float)
    assert result == -0.83


def _xml_legal(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


@given(st.text())
def test_result_is_the_text_or_the_quoted_text_and_never_dangerous(text: str) -> None:
    result = neutralise(text)
    assert result in (_xml_legal(text), "'" + _xml_legal(text))  # less any control character a sheet cannot hold
    assert isinstance(result, str)
    assert not is_dangerous(result)
    assert neutralise(result) == result  # idempotent


@given(st.sampled_from(sorted(TRIGGERS)), st.text(), st.text(alphabet=" \u3000\u00a0\n"))
def test_any_trigger_after_whitespace_is_quoted(trigger: str, rest: str, space: str) -> None:
    text = space + trigger + rest
    assert neutralise(text) == "'" + _xml_legal(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x00b", "ab"),
        ("\x01=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("x\x0by\x1fz", "xyz"),
        ("t\tn\nr\r", "t\tn\nr\r"),
    ],
)
def test_control_characters_a_sheet_cannot_hold_are_dropped(text: str, expected: str) -> None:
    """openpyxl refuses them (IllegalCharacterError: a traceback from `assess report --actions-xlsx`)."""
    assert neutralise(text) == expected


def test_a_sheet_is_written_from_text_with_control_characters(tmp_path) -> None:
    from openpyxl import Workbook, load_workbook

    workbook = Workbook()
    workbook.worksheets[0].cell(row=1, column=1, value=neutralise_text("firm\x01\x0bname\x00"))  # raised before
    workbook.save(tmp_path / "out.xlsx")
    assert load_workbook(tmp_path / "out.xlsx").worksheets[0]["A1"].value == "firmname"
