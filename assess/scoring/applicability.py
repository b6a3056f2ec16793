"""Which questions apply to a firm: skip logic over industry, markets and earlier answers."""

from __future__ import annotations

from collections.abc import Mapping

from assess.models.answers import Answer
from assess.models.criteria import CriteriaSet
from assess.models.response import FirmProfile
from assess.scoring.conditions import evaluate


def applicability(criteria: CriteriaSet, firm: FirmProfile, answers: Mapping[str, Answer]) -> dict[str, bool]:
    """Question id -> applies?  A rule must hold for sure; an answer to a skipped question is not seen."""
    result: dict[str, bool] = {}
    visible: dict[str, Answer] = {}
    for question in criteria.questions.values():
        applies = question.applies_if is None or evaluate(question.applies_if, firm, visible) is True
        result[question.id] = applies
        if applies and question.id in answers:
            visible[question.id] = answers[question.id]
    return result
