"""Evaluate conditions with three-valued logic: True, False, or None when an answer is unknown.

Unknown matters: a veto whose question is unanswered is neither triggered nor clear.
"""

from __future__ import annotations

from collections.abc import Mapping

from assess.models.answers import Answer
from assess.models.conditions import Condition
from assess.models.response import FirmProfile

Truth = bool | None


def evaluate(cond: Condition, firm: FirmProfile, answers: Mapping[str, Answer]) -> Truth:
    """Whether `cond` holds for this firm and these answers (None = cannot tell yet)."""
    if cond.industry is not None:
        return firm.industry in cond.industry
    if cond.market is not None:
        return any(market in cond.market for market in firm.markets)
    if cond.all is not None:
        results = [evaluate(child, firm, answers) for child in cond.all]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if cond.any is not None:
        results = [evaluate(child, firm, answers) for child in cond.any]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if cond.not_ is not None:
        inner = evaluate(cond.not_, firm, answers)
        return None if inner is None else not inner
    assert cond.question is not None
    return _test_answer(cond, answers.get(cond.question))


def _test_answer(cond: Condition, answer: Answer | None) -> Truth:
    """The truth of a question condition for this answer (None when there is none to test)."""
    if cond.answered is not None:
        return (answer is not None) == cond.answered
    if answer is None:
        return None
    if answer.na:
        return False
    value = answer.value
    if cond.equals is not None:
        return _same(value, cond.equals)
    if cond.in_ is not None:
        return any(_same(value, candidate) for candidate in cond.in_)
    if cond.includes is not None:
        return isinstance(value, tuple) and cond.includes in value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if cond.at_least is not None:
        return value >= cond.at_least
    if cond.at_most is not None:
        return value <= cond.at_most
    if cond.below is not None:
        return value < cond.below
    if cond.above is not None:
        return value > cond.above
    return None


def _same(value: object, expected: object) -> bool:
    """Equality that keeps booleans and numbers apart (True is not 1 here)."""
    if isinstance(value, bool) or isinstance(expected, bool):
        return isinstance(value, bool) and isinstance(expected, bool) and value == expected
    return value == expected
