"""Answers after validation against a criteria set: typed, normalised, ready for scoring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import ConfigDict, Field, with_config

from assess.errors import Problem
from assess.models.common import StrictModel
from assess.models.response import FirmProfile

AnswerValue = bool | int | float | str | tuple[str, ...]


@with_config(ConfigDict(extra="forbid", str_strip_whitespace=True))
@dataclass(frozen=True, slots=True)
class Answer:
    """A checked answer: a level (int), option id (str), option ids (tuple), bool, number or text; or N/A.

    A frozen dataclass rather than a model: validation makes it from values it has just checked, and
    scoring reads it for every question of every firm.  Firms with the same answer share one object.
    """

    value: AnswerValue | None = None
    na: bool = False
    note: str | None = None
    target: float | None = None

    def __post_init__(self) -> None:
        """What the model it replaces did with its input: a target is a float, a note has no outer spaces."""
        if self.target is not None and type(self.target) is not float:
            object.__setattr__(self, "target", float(self.target))
        if self.note is not None and self.note != (stripped := self.note.strip()):
            object.__setattr__(self, "note", stripped)


class ValidatedResponse(StrictModel):
    """A response that fits its criteria set; warnings (if any) were not serious enough to stop."""

    criteria_id: str
    status: Literal["draft", "final"]
    firm: FirmProfile
    answers: dict[str, Answer]
    source: str = ""
    warnings: tuple[Problem, ...] = Field(default=())
