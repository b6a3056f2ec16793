"""Conditions: the small rule language of applicability, vetoes and gates.

A condition tests one answer, the firm profile, or combines other conditions.  It is
data in the criteria set; `assess.scoring.conditions` evaluates it.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pydantic import Field, model_validator

from assess.messages import say
from assess.models.common import Lang, NonEmptyStr, StrictModel, number_as_written

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

    def describe(self, lang: Lang = "en") -> str:
        """A compact rendering, for messages and reports: `QC-03 equals True`, or `QC-03 = 是` with lang="zh".

        The words live in templates/messages.yaml (`condition_*`); question ids and answer codes are shown as they are.
        """
        if self.question is not None:
            for name in _COMPARATORS:
                value: Any = getattr(self, name)
                if value is not None:
                    key = f"condition_{name.rstrip('_')}"
                    return say(key, question=self.question, value=_said_value(value)).in_lang(lang)
        if self.industry is not None:
            return say("condition_industry", values=_said_value(self.industry)).in_lang(lang)
        if self.market is not None:
            return say("condition_market", values=_said_value(self.market)).in_lang(lang)
        if self.not_ is not None:
            return say("condition_not", condition=self.not_.describe(lang)).in_lang(lang)
        joiner = say("condition_and" if self.all is not None else "condition_or").in_lang(lang)
        parts = self.all if self.all is not None else self.any or []
        return "(" + f" {joiner} ".join(child.describe(lang) for child in parts) + ")"


def _said_value(value: Any) -> Any:
    """A value of a condition as a message value: yes/no and lists in the reader's language (['a', 'b'] in English)."""
    if isinstance(value, bool):
        return say("condition_true" if value else "condition_false")
    if isinstance(value, list):
        items = [say("condition_item", value=item) if isinstance(item, str) else _said_value(item) for item in value]
        return say("condition_list", items=items)
    if isinstance(value, float):
        return number_as_written(value)  # `at_least: 1` reads back as 1.0: shown as the set wrote it
    return value
