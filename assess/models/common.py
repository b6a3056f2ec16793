"""Building blocks shared by every model: a strict base and bilingual text."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

Lang = Literal["zh", "en"]
Mode = Literal["zh", "en", "bilingual"]  # how a document shows its texts: one language, or both
LANGS: tuple[Lang, ...] = ("zh", "en")

IDENTIFIER_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"
NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, pattern=IDENTIFIER_PATTERN, max_length=64)]


class StrictModel(BaseModel):
    """Unknown keys are mistakes (a typo in a file), so they are rejected, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(StrictModel):
    """A text shown to users, always in both Simplified Chinese and English."""

    zh: NonEmptyStr
    en: NonEmptyStr

    def in_lang(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


def number_as_written(value: float) -> str:
    """A number of a criteria set as its author wrote it: `1` not `1.0`, `0.00001` not `1e-05`; `-inf`, `inf`."""
    value = float(value)
    if math.isinf(value) or math.isnan(value):
        return str(value)
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    return format(Decimal(text), "f") if "e" in text else text
