"""Human wording of answers and advice, in both languages, from the criteria set.

Shared by the PDF report and the action-plan spreadsheet so both say the same thing.
"""

from __future__ import annotations

from assess.models.answers import AnswerValue
from assess.models.common import Text, number_as_written
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Question,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)


def same(text: str) -> Text:
    """A text that reads the same in both languages (ids, numbers, firm-supplied text)."""
    return Text(zh=text or "—", en=text or "—")


def answer_text(criteria: CriteriaSet, question: Question, value: AnswerValue | None) -> Text:
    """How an answer reads: '3 已管理 / 3 Managed', an option's text, '是 / Yes', '0.8%'."""
    if value is None:
        return same("—")
    if isinstance(question, LevelQuestion) and isinstance(value, int):
        scale = next((lvl for lvl in criteria.levels if lvl.level == value), None)
        if scale is None:
            return same(str(value))
        return Text(zh=f"{value} {scale.name.zh}", en=f"{value} {scale.name.en}")
    if isinstance(question, SingleChoiceQuestion):
        option = next((o for o in question.options if o.id == value), None)
        return option.text if option else same(str(value))
    if isinstance(question, MultiChoiceQuestion):
        chosen = [o.text for o in question.options if isinstance(value, tuple) and o.id in value]
        if not chosen:
            return same("—")
        return Text(zh="；".join(t.zh for t in chosen), en="; ".join(t.en for t in chosen))
    if isinstance(question, YesNoQuestion):
        return criteria.answer_labels.yes if value is True else criteria.answer_labels.no
    if isinstance(question, NumberQuestion):
        shown = number_as_written(value) if isinstance(value, int | float) else str(value)
        return Text(zh=_with_unit(shown, question.unit.zh), en=_with_unit(shown, question.unit.en))
    if isinstance(question, TextQuestion):
        return same(str(value))
    return same(str(value))


def _with_unit(number: str, unit: str) -> str:
    """'12 pcs', but '32%' and '5‰': a percent or per-mille sign follows the number without a space."""
    unit = unit.strip()
    return f"{number}{unit}" if unit[:1] in ("%", "‰", "％") else f"{number} {unit}".strip()


def level_descriptor(question: Question, value: AnswerValue | None) -> Text | None:
    """What the reached level looks like for this question (level questions only)."""
    if isinstance(question, LevelQuestion) and isinstance(value, int) and 0 <= value < len(question.levels):
        return question.levels[value].text
    return None


def advice_for(question: Question, value: AnswerValue | None) -> Text | None:
    """The advice tied to where the firm is: the level's advice, the chosen option's, else the question's."""
    if isinstance(question, LevelQuestion) and isinstance(value, int) and 0 <= value < len(question.levels):
        return question.levels[value].advice or question.advice
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion) and value is not None:
        chosen = value if isinstance(value, tuple) else (str(value),)
        option_advice = next((o.advice for o in question.options if o.id in chosen and o.advice is not None), None)
        if option_advice is not None:
            return option_advice
    return question.advice
