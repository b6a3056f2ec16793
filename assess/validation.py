"""Check a response against a criteria set and turn raw answers into typed ones.

Every problem is collected with its location and question id: unknown ids, wrong types,
values out of range, N/A where not allowed, missing required answers.  Pure: the caller
supplies a locator that maps a path in the response to `file:line: path`.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from assess.errors import InternalError, Problem, ResponseError
from assess.memo import ObjectMemo, worth_remembering
from assess.messages import Message, MessageError, say
from assess.models.answers import Answer, AnswerValue, ValidatedResponse
from assess.models.common import number_as_written
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
from assess.models.response import AnswerEntry, Response
from assess.scoring.applicability import applicability

Locator = Callable[[Sequence[str | int]], str]

NA_WORDS = {"n/a", "na", "n.a.", "not applicable", "不适用", "无关"}
YES_WORDS = {"yes", "y", "true", "是", "有", "1"}
NO_WORDS = {"no", "n", "false", "否", "无", "没有", "0"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


class InvalidAnswerError(MessageError):
    """The raw value does not fit the question; the message says why and what is allowed (in zh and en)."""


def _clean(value: Any) -> Any:
    """Human input tidied: full-width characters folded (NFKC), whitespace trimmed."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def is_na(value: Any) -> bool:
    return isinstance(value, str) and _clean(value).lower() in NA_WORDS


def allowed(question: Question) -> list[str | Message]:
    """The answers a question accepts, as shown in messages (ids as typed, words in both languages)."""
    values: list[str | Message]
    if isinstance(question, LevelQuestion):
        values = [str(d.level) for d in question.levels]
    elif isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        values = [o.id for o in question.options]
    elif isinstance(question, YesNoQuestion):
        values = [say("yes"), say("no")]
    elif isinstance(question, NumberQuestion):
        values = [_number_range(question)]
    else:
        values = [say("any_text")]
    if question.na_allowed:
        values.append(say("not_applicable"))
    return values


def _number_range(question: NumberQuestion) -> Message:
    whole = "whole_" if question.integer else ""
    low = None if question.minimum is None else number_as_written(question.minimum)
    high = None if question.maximum is None else number_as_written(question.maximum)
    if low is not None and high is not None:
        return say(f"{whole}number_between", low=low, high=high)
    if low is not None:
        return say(f"{whole}number_at_least", low=low)
    if high is not None:
        return say(f"{whole}number_up_to", high=high)
    return say("any_whole_number" if question.integer else "any_number")


def _as_number(value: Any) -> float:
    """A finite float from a number or a numeric text ("1,200", "35%"); -0.0 becomes 0.0."""
    if isinstance(value, bool):
        raise InvalidAnswerError(say("not_a_number_but_yes_no"))
    if isinstance(value, str):
        text = value.removesuffix("%").strip()
        if "," in text:  # 1,200 groups thousands; 0,5 is a decimal comma, which would silently read as 5
            if not _GROUPED_NUMBER.match(text):
                raise InvalidAnswerError(say("decimal_comma", value=repr(value)))
            text = text.replace(",", "")
        if not _NUMBER.match(text):
            raise InvalidAnswerError(say("not_a_number", value=repr(value)))
        number = float(text)  # "1e400" reads as infinity, refused below
    elif isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an integer with hundreds of digits
            raise InvalidAnswerError(say("not_finite")) from None
    else:
        raise InvalidAnswerError(say("not_a_number", value=repr(value)))
    if not math.isfinite(number):
        raise InvalidAnswerError(say("not_finite"))
    return number + 0.0  # -0.0 becomes 0.0 (see _without_negative_zero)


def parse_value(question: Question, raw: Any) -> AnswerValue:
    """The typed value of a raw answer, or InvalidAnswerError explaining what is allowed."""
    value = _clean(raw)
    if isinstance(question, TextQuestion):
        if isinstance(value, list | bool):
            raise InvalidAnswerError(say("expected_text"))
        return str(value)
    if isinstance(question, LevelQuestion):
        number = _as_number(value)
        if number != int(number) or not 0 <= number <= question.max_points:
            shown = number_as_written(number)
            raise InvalidAnswerError(say("not_one_of", value=shown, allowed=allowed(question)))
        return int(number)
    if isinstance(question, YesNoQuestion):
        if isinstance(value, bool):
            return value
        word = str(value).lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise InvalidAnswerError(say("not_one_of", value=value, allowed=allowed(question)))
    if isinstance(question, SingleChoiceQuestion):
        return _option(question, value)
    if isinstance(question, MultiChoiceQuestion):
        # "china，eu" inside a YAML list ([china，eu]: a full-width comma does not separate YAML items) is two
        # options, as it is in a workbook cell.
        parts = value if isinstance(value, list) else [value]
        items = [item for part in parts for item in (_SEPARATORS.split(part) if isinstance(part, str) else [part])]
        chosen = [_option(question, _clean(item)) for item in items if str(item).strip()]
        if not chosen:  # [] or only separators: not an answer of no options (that is what "none" is for)
            none = [o.id for o in question.options if o.exclusive]
            raise InvalidAnswerError(say("choose_one_or_none", none=none[0]) if none else say("choose_at_least_one"))
        if len(set(chosen)) != len(chosen):
            raise InvalidAnswerError(say("chosen_twice"))
        exclusive = [o.id for o in question.options if o.exclusive and o.id in chosen]
        if exclusive and len(chosen) > 1:
            raise InvalidAnswerError(say("not_combinable", option=exclusive[0]))
        order = [o.id for o in question.options]
        return tuple(sorted(chosen, key=order.index))
    if isinstance(question, NumberQuestion):
        number = _as_number(value)
        if question.integer and number != int(number):
            raise InvalidAnswerError(say("not_whole", number=number_as_written(number)))
        if (question.minimum is not None and number < question.minimum) or (
            question.maximum is not None and number > question.maximum
        ):
            raise InvalidAnswerError(
                say("out_of_range", number=number_as_written(number), allowed=allowed(question)[0])
            )
        return int(number) if question.integer else number
    raise InternalError(f"unknown question kind {question.kind}")  # pragma: no cover - the models forbid it


_SEPARATORS = re.compile(r"[,，;；、\s]+")


def _without_negative_zero(number: float) -> float:
    """-0.0 as 0.0: the same amount, and equal (so one remembered answer) but printed differently."""
    return 0.0 if isinstance(number, float) and number == 0 else number


def _option(question: SingleChoiceQuestion | MultiChoiceQuestion, value: Any) -> str:
    if isinstance(value, (bool, list)):
        raise InvalidAnswerError(say("expected_one_of", allowed=allowed(question)))
    text = str(value)
    ids = {o.id.lower(): o.id for o in question.options}
    if text.lower() in ids:
        return ids[text.lower()]
    raise InvalidAnswerError(say("not_one_of", value=text, allowed=allowed(question)))


class _NaWord:
    """What `_parsed` gives for an N/A word ("n/a", "不适用") where N/A is a possible answer."""


NA_WORD = _NaWord()
_PARSED: ObjectMemo[Answer | Message | _NaWord] = ObjectMemo()


def _parsed(question: Question, raw: Any) -> Answer | Message | _NaWord:
    """The answer a raw value gives (without note or target), N/A, or why it is invalid; remembered per question.

    Answers are immutable, so one Answer object can stand for the same value in many responses.
    A text question without N/A takes an N/A word as its text.
    """
    # A list (multiple choice) holds scalars only (the Response model checked that), so the key hashes.
    key = (type(raw), tuple((type(item), item) for item in raw) if isinstance(raw, list) else raw)
    found = _PARSED.get(question, key)
    if found is None:
        if is_na(raw) and not (isinstance(question, TextQuestion) and not question.na_allowed):
            found = NA_WORD
        else:
            try:
                found = Answer(value=parse_value(question, raw))
            except InvalidAnswerError as exc:
                found = exc.message
        if worth_remembering(raw):
            _PARSED.put(question, key, found)
    return found


class _Validator:
    def __init__(self, criteria: CriteriaSet, response: Response, locate: Locator) -> None:
        self.criteria = criteria
        self.response = response
        self.locate = locate
        self.problems: list[Problem] = []
        self.invalid: set[str] = set()

    def add(self, path: Sequence[str | int], message: Message, qid: str | None = None, severity: str = "error") -> None:
        self.problems.append(Problem(self.locate(path), str(message), qid, severity, message.in_lang("zh")))
        if qid is not None and severity == "error":
            self.invalid.add(qid)

    def run(self) -> dict[str, Answer]:
        self._check_profile()
        answers: dict[str, Answer] = {}
        questions = self.criteria.questions
        parsed_before = _PARSED.tables
        for qid, entry in self.response.answers.items():
            # The common case first, without a call: a bare value this question has parsed before.
            question = questions.get(qid)
            raw = entry.get("value")
            if question is not None and len(entry) == 1 and raw is not None and type(raw) is not list:
                table = parsed_before.get(id(question))
                if table is not None and table[0] is question:
                    found = table[1].get((type(raw), raw))
                    if type(found) is Answer:
                        answers[qid] = found
                        continue
            answer = self._answer(qid, entry)
            if answer is not None:
                answers[qid] = answer
        applies = applicability(self.criteria, self.response.firm, answers)
        final = self.response.status == "final"
        for qid, question in self.criteria.questions.items():
            if not applies[qid]:
                if qid in answers:
                    self.add(["answers", qid], say("answer_ignored"), qid, "warning")
                continue
            if qid not in answers and question.required and qid not in self.invalid:
                missing = say("required_missing" if final else "required_missing_draft", id=qid)
                self.add(["answers"], missing, qid, "error" if final else "warning")
        return answers

    def _check_profile(self) -> None:
        firm = self.response.firm
        c = self.criteria
        if self.response.criteria is not None and self.response.criteria != c.id:
            self.add(["criteria"], say("other_criteria", theirs=self.response.criteria, ours=c.id))
        if firm.industry not in c.industry_ids():
            self.add(
                ["firm", "industry"], say("unknown_industry", industry=firm.industry, allowed=sorted(c.industry_ids()))
            )
        for i, market in enumerate(firm.markets):
            if market not in c.market_ids():
                self.add(["firm", "markets", i], say("unknown_market", market=market, allowed=sorted(c.market_ids())))

    def _answer(self, qid: str, entry: AnswerEntry) -> Answer | None:
        question = self.criteria.questions.get(qid)
        if question is None:
            folded = unicodedata.normalize("NFKC", qid).strip().upper()  # br-03 and ＢＲ-03 mean BR-03, not TR-03
            exact = [folded] if folded in self.criteria.questions else []
            close = exact or difflib.get_close_matches(folded, list(self.criteria.questions), n=1)
            unknown = say("unknown_question", id=qid)
            if _answer_field(qid) is not None:  # `note:` written beside the question ids, not under one
                unknown = self._misplaced_field(qid)
            elif close:
                unknown = say("unknown_question_close", id=qid, close=close[0])
            self.add(["answers", qid], unknown, qid)
            return None
        raw = entry.get("value")
        note = entry.get("note")
        target = entry.get("target")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if target is not None or note:
                self.add(["answers", qid], say("note_without_answer"), qid, "warning")
            return None
        self._check_target(qid, question, target)
        parsed = _parsed(question, raw)
        if isinstance(parsed, _NaWord):
            if not question.na_allowed:
                self.add(["answers", qid], say("na_not_allowed_here", allowed=allowed(question)), qid)
                return None
            if self.criteria.na_policy.na_requires_note and not (note or "").strip():
                self.add(["answers", qid], say("na_needs_note"), qid)
                return None
            return Answer(na=True, note=note)
        if isinstance(parsed, Message):
            self.add(["answers", qid], parsed, qid)
            return None
        if note is None and target is None:
            return parsed
        target = None if target is None else _without_negative_zero(target)
        return Answer(value=parsed.value, note=note, target=target)

    def _misplaced_field(self, key: str) -> Message:
        """Why `key` (a `note:`, `value:` or `target:` line at the indentation of the question ids) is not an id,
        with the answer written right: the question above it (the answers keep the file's order) with its value and
        the parts written beside it."""
        keys = list(self.response.answers)
        start = end = keys.index(key)
        while start > 0 and _answer_field(keys[start - 1]) is not None:
            start -= 1
        while end + 1 < len(keys) and _answer_field(keys[end + 1]) is not None:
            end += 1
        owner = keys[start - 1] if start > 0 else None
        parts: dict[str, Any] = {}
        if owner is not None:
            parts.update((name, value) for name, value in self.response.answers[owner].items() if value is not None)
        for sibling in keys[start : end + 1]:
            parts[_answer_field(sibling) or ""] = self.response.answers[sibling].get("value")
        shown = [
            f"{name}: {_flow(parts.get(name), quoted=name == 'note')}"
            for name in _ANSWER_FIELDS
            if name == "value" or name in parts
        ]
        fields = "{" + ", ".join(shown) + "}"
        if owner is None:
            return say("answer_field_as_question_first", key=key, fields=fields)
        return say("answer_field_as_question", key=key, id=owner, example=f"{owner}: {fields}")

    def _check_target(self, qid: str, question: Question, target: float | None) -> None:
        if target is None:
            return
        if not isinstance(question, LevelQuestion):
            self.add(["answers", qid, "target"], say("target_level_only"), qid)
        elif target != int(target) or not 0 <= target <= question.max_points:
            self.add(["answers", qid, "target"], say("target_range", top=int(question.max_points)), qid)


_ANSWER_FIELDS = ("value", "note", "target")
_PLAIN_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_SHOWN_TEXT = 40  # characters of a text shown in an example answer


def _answer_field(key: str) -> str | None:
    """The part of an answer `key` names (`note`, `Note`, `ＮＯＴＥ`, `notes`: note), or None for any other key."""
    folded = unicodedata.normalize("NFKC", key).strip().lower()
    for name in _ANSWER_FIELDS:
        if folded in (name, f"{name}s"):
            return name
    return None


def _flow(value: Any, quoted: bool = False) -> str:
    """`value` as written in a one-line YAML answer (`{value: 3, note: "see report"}`): a text in quotes unless it is
    one plain word (an option id) and not `quoted`, a long text shortened."""
    if value is None:
        return "…"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, str):
        if not quoted and _PLAIN_WORD.match(value) and value.lower() not in _YAML_WORDS:
            return value
        text = value if len(value) <= _SHOWN_TEXT else value[: _SHOWN_TEXT - 1].rstrip() + "…"
        return json.dumps(text, ensure_ascii=False)  # JSON's quoting is YAML's
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # a target is read as a float: 4, as written, not 4.0
    return str(value)


def validate_response(
    criteria: CriteriaSet, response: Response, locate: Locator, source: str = ""
) -> ValidatedResponse:
    """Typed answers, or a ResponseError listing every problem with its question id."""
    validator = _Validator(criteria, response, locate)
    answers = validator.run()
    errors = [p for p in validator.problems if p.severity == "error"]
    if errors:
        name = source or "the response"
        summary = say("does_not_fit", name=name, criteria=criteria.id, count=len(errors))
        raise ResponseError(str(summary), errors, summary.in_lang("zh"))
    return ValidatedResponse(
        criteria_id=criteria.id,
        status=response.status,
        firm=response.firm,
        answers=answers,
        source=source,
        warnings=tuple(p for p in validator.problems if p.severity == "warning"),
    )
