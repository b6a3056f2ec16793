"""GB 32100 unified social credit codes: the check character is computed, not trusted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.models.credit_code import CHARSET, check_character, credit_code_problem


def test_known_check_character() -> None:
    first17 = "91330200MA2XXXXX1"
    values = [CHARSET.index(ch) for ch in first17]
    weights = [pow(3, i, 31) for i in range(17)]  # GB 32100 weights are 3^i mod 31
    expected = CHARSET[(31 - sum(v * w for v, w in zip(values, weights, strict=True)) % 31) % 31]
    assert check_character(first17) == expected == "G"
    assert credit_code_problem(first17 + "G") is None


@pytest.mark.parametrize(
    ("code", "message", "chinese"),
    [
        ("91330200MA2XXXXX1", "has 18 characters, this one has 17", "应为 18 位，此代码为 17 位"),
        ("91330200MA2XXXXX1I", "characters not allowed in a unified social credit code: I", "不能有这些字符：I"),
        ("91330200MA2XXXXX1A", "the check character is wrong (GB 32100 gives G, the code has A)", "应为 G，代码中为 A"),
    ],
)
def test_bad_codes_are_explained_in_both_languages(code: str, message: str, chinese: str) -> None:
    problem = credit_code_problem(code)
    assert problem is not None and message in str(problem) and chinese in problem.in_lang("zh")


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17))
def test_any_single_character_change_is_caught(first17: str) -> None:
    code = first17 + check_character(first17)
    assert credit_code_problem(code) is None
    position = 3
    changed = CHARSET[(CHARSET.index(code[position]) + 1) % 31]
    assert credit_code_problem(code[:position] + changed + code[position + 1 :]) is not None
