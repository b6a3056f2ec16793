"""Conditions: the small rule language of applicability, vetoes and gates.

A condition tests one answer, the firm profile, or combines other conditions.  It is
data in the criteria set; `assess.scoring.conditions` evaluates it.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pydantic import Field, model_validator

from assess.models.common import NonEmptyStr, StrictModel

AnswerScalar = bool | int | float | str

_TARGETS = ("question", "industry", "market", "all", "any", "not_")
_COMPARATORS = ("equals", "in_", "at_least", "at_most", "below", "above", "includes", "answered")


class Condition(StrictModel):
    """Exactly one target (question, industry, market, all, any, not); a question takes one comparator."""

    question: NonEmptyStr | None = None
    equals: AnswerScalar | None = None
    in_: list[AnswerScalar] | None = Field(default=None, alias="in")
    at_least: float | None = None
    at_most: float | None = None
    below: float | None = None
    above: float | None = None
    includes: NonEmptyStr | None = None
    answered: bool | None = None

    industry: list[NonEmptyStr] | None = None
    market: list[NonEmptyStr] | None = None

    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        targets = [name for name in _TARGETS if getattr(self, name) is not None]
        if len(targets) != 1:
            shown = ", ".join(t.rstrip("_") for t in _TARGETS)
            raise ValueError(f"a condition needs exactly one of: {shown}")
        comparators = [name for name in _COMPARATORS if getattr(self, name) is not None]
        if self.question is not None and len(comparators) != 1:
            shown = ", ".join(c.rstrip("_") for c in _COMPARATORS)
            raise ValueError(f"a question condition needs exactly one of: {shown}")
        if self.question is None and comparators:
            raise ValueError("comparators (equals, in, at_least, ...) only go with 'question'")
        return self

    @cached_property
    def reads(self) -> frozenset[str]:
        """The question ids this condition reads, computed once (scoring asks for them per firm)."""
        return frozenset(self.referenced_questions())

    @cached_property
    def leaves(self) -> tuple[Condition, ...]:
        """The tests inside this condition (itself, if it is one): of an answer, the industry or the markets."""
        children = [*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])]
        return tuple(leaf for child in children for leaf in child.leaves) if children else (self,)

    def referenced_questions(self) -> set[str]:
        """Every question id this condition reads, for reference checks and dependency tracking."""
        found: set[str] = set()
        if self.question is not None:
            found.add(self.question)
        for child in [*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])]:
            found |= child.referenced_questions()
        return found

    def referenced_vocabulary(self) -> dict[str, set[str]]:
        """Industries and markets named, so a criteria check can verify they are declared."""
        found: dict[str, set[str]] = {"industry": set(self.industry or []), "market": set(self.market or [])}
        for child in [*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])]:
            for key, values in child.referenced_vocabulary().items():
                found[key] |= values
        return found

    def describe(self) -> str:
        """A compact, language-neutral rendering, for messages and reports."""
        if self.question is not None:
            for name in _COMPARATORS:
                value: Any = getattr(self, name)
                if value is not None:
                    return f"{self.question} {name.rstrip('_')} {value}"
        if self.industry is not None:
            return f"industry in {self.industry}"
        if self.market is not None:
            return f"market in {self.market}"
        if self.not_ is not None:
            return f"not ({self.not_.describe()})"
        joiner = " and " if self.all is not None else " or "
        parts = self.all if self.all is not None else self.any or []
        return "(" + joiner.join(child.describe() for child in parts) + ")"
