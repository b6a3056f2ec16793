"""The unified social credit code (统一社会信用代码) of GB 32100-2015 and its check character."""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The 18th character that GB 32100 computes from the first 17."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, or None when it is."""
    if len(code) != 18:
        return f"a unified social credit code has 18 characters, this one has {len(code)}"
    bad = sorted({ch for ch in code if ch not in CHARSET})
    if bad:
        return f"characters not allowed in a unified social credit code: {' '.join(bad)}"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"the check character is wrong (GB 32100 gives {expected}, the code has {code[17]})"
    return None
