"""Which questions apply to a firm: skip logic over industry, markets and earlier answers."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from assess.memo import ObjectMemo, worth_remembering
from assess.models.answers import Answer
from assess.models.criteria import CriteriaSet
from assess.models.response import FirmProfile
from assess.scoring.conditions import evaluate

# Many firms share an industry, markets and the few answers the rules read: validation and scoring
# of one firm both ask, and so do the firms after it.
_APPLIES: ObjectMemo[Mapping[str, bool]] = ObjectMemo()


def applicability(criteria: CriteriaSet, firm: FirmProfile, answers: Mapping[str, Answer]) -> Mapping[str, bool]:
    """Question id -> applies?  A rule must hold for sure; an answer to a skipped question is not seen.

    The mapping may be shared between firms: read it, never change it.
    """
    key = _key(criteria, firm, answers)
    found = _APPLIES.get(criteria, key) if key is not None else None
    if found is None:
        found = _work_out(criteria, firm, answers)
        if key is not None:
            _APPLIES.put(criteria, key, found)
    return found


def _key(criteria: CriteriaSet, firm: FirmProfile, answers: Mapping[str, Answer]) -> Hashable | None:
    """What the rules can read: industry, markets and the answers they name (None if too long to keep)."""
    read: list[Hashable] = [firm.industry, tuple(firm.markets)]
    for qid in criteria.rule_inputs:
        answer = answers.get(qid)
        if answer is None:
            read.append(None)
        elif not worth_remembering(answer.value):
            return None
        else:
            read.append((answer.na, type(answer.value), answer.value))
    return tuple(read)


def _work_out(criteria: CriteriaSet, firm: FirmProfile, answers: Mapping[str, Answer]) -> dict[str, bool]:
    result: dict[str, bool] = {}
    visible: dict[str, Answer] = {}
    for question in criteria.questions.values():
        applies = question.applies_if is None or evaluate(question.applies_if, firm, visible) is True
        result[question.id] = applies
        if applies and question.id in answers:
            visible[question.id] = answers[question.id]
    return result
