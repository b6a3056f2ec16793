"""Answers after validation against a criteria set: typed, normalised, ready for scoring."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assess.errors import Problem
from assess.models.common import StrictModel
from assess.models.response import FirmProfile

AnswerValue = bool | int | float | str | tuple[str, ...]


class Answer(StrictModel):
    """A checked answer: a level (int), option id (str), option ids (tuple), bool, number or text; or N/A."""

    value: AnswerValue | None = None
    na: bool = False
    note: str | None = None
    target: float | None = None


class ValidatedResponse(StrictModel):
    """A response that fits its criteria set; warnings (if any) were not serious enough to stop."""

    criteria_id: str
    status: Literal["draft", "final"]
    firm: FirmProfile
    answers: dict[str, Answer]
    source: str = ""
    warnings: tuple[Problem, ...] = Field(default=())
