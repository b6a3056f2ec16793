"""The unified social credit code (统一社会信用代码) of GB 32100-2015 and its check character."""

from __future__ import annotations

from assess.messages import Message, say

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The 18th character that GB 32100 computes from the first 17."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> Message | None:
    """Why `code` is not a valid unified social credit code, or None when it is."""
    if len(code) != 18:
        return say("credit_code_length", length=len(code))
    bad = sorted({ch for ch in code if ch not in CHARSET})
    if bad:
        return say("credit_code_characters", characters=" ".join(bad))
    expected = check_character(code[:17])
    if code[17] != expected:
        return say("credit_code_check", expected=expected, found=code[17])
    return None
