"""From what a browser sends to stored answers, and from stored answers to applicability and progress.

Answers are checked as they are saved with the library's own `parse_value`/`is_na`, and stored in their
typed form (a level as a number, options as ids, yes/no as true/false), so the form shows exactly what
the scoring will read.  Applicability is recomputed with `assess.scoring.applicability` after every save.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from assess.messages import Message, say
from assess.models.answers import Answer
from assess.models.common import Text
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
    YesNoQuestion,
)
from assess.models.response import FirmProfile
from assess.readers.locations import error_text
from assess.scoring.applicability import applicability
from assess.validation import InvalidAnswerError, is_na, parse_value
from assess.web.rendering import web_labels
from assess.web.storage import ANSWER_FIELDS, AnswerField, StoredAnswer, StoredValue, field_fingerprint

MAX_TEXT = 5000  # characters of an answer or a note (the response model's limit for notes)
NA = "N/A"
RADIO_KINDS = (LevelQuestion, SingleChoiceQuestion, YesNoQuestion)
TARGET_LEVEL = re.compile(r"[0-9]{1,3}")  # ASCII digits only: str.isdigit() also takes "²" and "٣"
FIELD_ORDER: tuple[AnswerField, ...] = ("value", "note", "target")
SEEN = re.compile(r"[0-9a-f]{12}(?:\.[0-9a-f]{12}){2}")
MULTILINE_CONTROLS = "\t\n\r"  # a textarea sends line breaks as CR LF


class AnswerError(ValueError):
    """A value the question does not accept; `text` says why, in both languages (as validation says it)."""

    def __init__(self, why: Message | Text) -> None:
        self.text = why if isinstance(why, Text) else why.text()
        super().__init__(self.text.en)


def unusable_characters(text: str, multiline: bool) -> bool:
    """True when `text` holds a lone surrogate (no database can store it) or a control character.

    A single-line field (a firm name) refuses every control and format character, as consultant names
    do; a note or free-text answer keeps tabs and line breaks, and format characters such as the
    joiner inside an emoji.
    """
    if multiline:
        return any(
            (unicodedata.category(char) == "Cc" and char not in MULTILINE_CONTROLS)
            or unicodedata.category(char) == "Cs"
            for char in text
        )
    return any(unicodedata.category(char).startswith("C") for char in text)


def _usable(text: str) -> str:
    if unusable_characters(text, multiline=True):
        raise AnswerError(web_labels()["text_control"])
    return text


class FormLike(Protocol):
    def getlist(self, key: str) -> list[Any]: ...


def _strings(form: FormLike, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str)]


def _first(form: FormLike, name: str) -> str:
    values = _strings(form, name)
    return values[0] if values else ""


def clean_note(note: Any) -> str | None:
    if note is None:
        return None
    if not isinstance(note, str):
        raise AnswerError(say("note_not_text"))
    note = note.strip()
    if len(note) > MAX_TEXT:
        raise AnswerError(say("note_too_long", limit=MAX_TEXT))
    return _usable(note) or None


def _level(raw: Any) -> int | None:
    """A whole level from a form's text or a JSON number; None for anything else (true/false included)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, str) and TARGET_LEVEL.fullmatch(raw.strip()):
        return int(raw.strip())
    return None


def clean_target(question: Question, raw: Any) -> float | None:
    """The target level to store (None: no target), or AnswerError; only maturity-level questions take one."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(question, LevelQuestion):
        raise AnswerError(say("target_level_only"))
    level = _level(raw)
    if level is None or not 0 <= level <= question.max_points:
        raise AnswerError(say("target_range", top=int(question.max_points)))
    return float(level)


def canonical(question: Question, raw: Any) -> StoredValue:
    """The value to store for a raw answer (None clears it), or AnswerError."""
    if raw is None or raw == "" or raw == []:
        return None
    if isinstance(raw, str):
        if len(raw) > MAX_TEXT:
            raise AnswerError(say("answer_too_long", limit=MAX_TEXT))
        if not _usable(raw).strip():
            return None
    if isinstance(raw, list) and not all(isinstance(item, str | int | float | bool) for item in raw):
        raise AnswerError(say("unexpected_value"))
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, str):
                _usable(item)
    if not isinstance(raw, str | int | float | bool | list):
        raise AnswerError(say("unexpected_value"))
    if is_na(raw):
        if not question.na_allowed:
            raise AnswerError(say("na_not_allowed"))
        return NA
    try:
        value = parse_value(question, raw)
    except InvalidAnswerError as exc:
        raise AnswerError(exc.message) from None
    if isinstance(value, tuple):
        return list(value) or None
    return value


def needs_reason(criteria: CriteriaSet, question: Question) -> bool:
    """Whether an N/A answer to `question` must say why (the criteria set's `na_policy.na_requires_note`)."""
    return question.na_allowed and criteria.na_policy.na_requires_note


def check_na_reason(criteria: CriteriaSet, question: Question, value: StoredValue, note: str | None) -> None:
    """AnswerError when `value` is N/A without the note the criteria set requires for it.

    Said as the answer is saved, on the question itself, rather than only when the questionnaire is
    submitted (where validation refuses it with `na_needs_note`).
    """
    if value == NA and needs_reason(criteria, question) and not (note or "").strip():
        raise AnswerError(web_labels()["na_reason_missing"])


def raw_from_form(question: Question, form: FormLike) -> tuple[Any, str | None]:
    """The raw answer and note of one question from a submitted page (names: answer-, na-, note-<id>)."""
    qid = question.id
    note = _first(form, f"note-{qid}")
    if _first(form, f"na-{qid}"):
        return NA, note
    if isinstance(question, MultiChoiceQuestion):
        return _strings(form, f"answer-{qid}"), note
    return _first(form, f"answer-{qid}"), note


def target_from_form(question: Question, form: FormLike) -> str:
    """The target level picked on a submitted page (name: target-<id>), empty when none."""
    return _first(form, f"target-{question.id}")


def fingerprint(value: StoredValue, note: str | None, target: float | None = None) -> str:
    """A short digest of each field of an answer as shown (`value.note.target`), so a page sends back only
    the fields the user changed on it, and a field another tab changed meanwhile is noticed."""
    shown = {"value": value, "note": note, "target": target}
    return ".".join(field_fingerprint(name, shown[name]) for name in FIELD_ORDER)


def served(seen: str) -> dict[AnswerField, str] | None:
    """The per-field fingerprints a page was served with; None when `seen` is not one (a page from before)."""
    if not SEEN.fullmatch(seen):
        return None
    return dict(zip(FIELD_ORDER, seen.split("."), strict=True))


def changed_fields(
    value: StoredValue, note: str | None, target: float | None, base: Mapping[AnswerField, str] | None
) -> frozenset[AnswerField]:
    """The fields that differ from what the page showed (all of them when that is not known)."""
    if base is None:
        return ANSWER_FIELDS
    sent = {"value": value, "note": note, "target": target}
    return frozenset(name for name in FIELD_ORDER if field_fingerprint(name, sent[name]) != base[name])


def profile_error(error: ErrorDetails) -> Text:
    """A firm-profile field's problem (from pydantic) in both languages, where assess has the words for it."""
    english, chinese = error_text(error)
    return Text(zh=chinese or english, en=english)


def firm_profile(profile: Mapping[str, Any] | None) -> FirmProfile | None:
    if profile is None:
        return None
    try:
        return FirmProfile.model_validate(profile)
    except ValidationError:
        return None


def typed_answers(criteria: CriteriaSet, stored: Mapping[str, StoredAnswer]) -> dict[str, Answer]:
    """Stored answers as the scoring reads them (values the criteria no longer accept are left out)."""
    typed: dict[str, Answer] = {}
    for qid, answer in stored.items():
        question = criteria.questions.get(qid)
        if question is None or answer.value is None:
            continue
        if is_na(answer.value):
            if question.na_allowed:
                typed[qid] = Answer(na=True, note=answer.note)
            continue
        target = answer.target if isinstance(question, LevelQuestion) else None
        if target is not None and not 0 <= target <= question.max_points:
            target = None  # the criteria changed since it was saved
        try:
            typed[qid] = Answer(value=parse_value(question, answer.value), note=answer.note, target=target)
        except ValueError:
            continue
    return typed


@dataclass(frozen=True)
class Progress:
    """Answered of applicable questions, counted as the result's completeness is (free text left out)."""

    answered: int
    applicable: int

    @property
    def percent(self) -> int:
        return 100 if self.applicable == 0 else round(100 * self.answered / self.applicable)


@dataclass(frozen=True)
class AnswerState:
    """Where a questionnaire stands: which questions apply, which are answered."""

    applies: Mapping[str, bool]
    answered: set[str]

    def progress(self, criteria: CriteriaSet, question_ids: list[str] | None = None) -> Progress:
        ids = question_ids if question_ids is not None else list(criteria.questions)
        counted = [q for q in ids if self.applies.get(q, True) and criteria.questions[q].kind != "text"]
        return Progress(sum(1 for q in counted if q in self.answered), len(counted))

    def missing(self, criteria: CriteriaSet) -> list[str]:
        """Required questions that apply and have no answer yet."""
        return [
            q.id
            for q in criteria.questions.values()
            if self.applies.get(q.id, True) and q.required and q.id not in self.answered
        ]


def answer_state(
    criteria: CriteriaSet, profile: Mapping[str, Any] | None, stored: Mapping[str, StoredAnswer]
) -> AnswerState:
    typed = typed_answers(criteria, stored)
    firm = firm_profile(profile)
    applies = applicability(criteria, firm, typed) if firm is not None else dict.fromkeys(criteria.questions, True)
    return AnswerState(applies, set(typed))
