"""Which questions apply to a firm: skip logic over industry, markets and earlier answers."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from assess.memo import ObjectMemo
from assess.models.answers import Answer
from assess.models.criteria import CriteriaSet
from assess.models.response import FirmProfile
from assess.scoring.conditions import evaluate

# Many firms share the outcomes of the few tests the rules hold: validation and scoring
# of one firm both ask, and so do the firms after it.
_APPLIES: ObjectMemo[Mapping[str, bool]] = ObjectMemo()


def applicability(criteria: CriteriaSet, firm: FirmProfile, answers: Mapping[str, Answer]) -> Mapping[str, bool]:
    """Question id -> applies?  A rule must hold for sure; an answer to a skipped question is not seen.

    The mapping may be shared between firms: read it, never change it.
    """
    key = _key(criteria, firm, answers)
    found = _APPLIES.get(criteria, key)
    if found is None:
        found = _APPLIES.put(criteria, key, _work_out(criteria, firm, answers))
    return found


def _key(criteria: CriteriaSet, firm: FirmProfile, answers: Mapping[str, Answer]) -> Hashable:
    """All the rules can tell apart: the outcome of each test they hold (of an answer, the industry, the markets).

    Not the answers or markets themselves: a number read by a rule (`BR-01 above 0`) and a firm's
    list of markets differ from firm to firm, the outcomes of the tests hardly ever.  An answer
    hidden by skip logic is tested as no answer, the same for every firm, so the outcomes decide
    which answers are hidden too.
    """
    return tuple([evaluate(test, firm, answers) for test in criteria.rule_tests])


def _work_out(criteria: CriteriaSet, firm: FirmProfile, answers: Mapping[str, Answer]) -> dict[str, bool]:
    result: dict[str, bool] = {}
    visible: dict[str, Answer] = {}
    for question in criteria.questions.values():
        applies = question.applies_if is None or evaluate(question.applies_if, firm, visible) is True
        result[question.id] = applies
        if applies and question.id in answers:
            visible[question.id] = answers[question.id]
    return result
