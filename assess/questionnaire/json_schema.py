"""The response file format of a criteria set as JSON Schema (draft 2020-12).

Editors that understand JSON Schema (VS Code, JetBrains, the YAML language server) then complete
question ids and option ids, show every question's text on hover, and flag a wrong value while the
file is typed.  The schema describes the canonical spelling (booleans for yes/no, lists for multiple
choice, option ids as written); the reader is more lenient, and it alone checks what a schema cannot
express: applicability, required answers of a final response, the credit code's check character.
"""

from __future__ import annotations

import json
from typing import Any

from assess.models.common import Text
from assess.models.credit_code import CHARSET
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
from assess.questionnaire.yaml_form import Wording, questionnaire_labels
from assess.validation import is_na

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# The N/A spellings a schema accepts; the reader also accepts other spellings, case-insensitively.
NA_SPELLINGS = ("N/A", "n/a", "NA", "不适用")
NOTE_MAX = 5000  # as AnswerEntry.note
NAME_MAX = 200  # as FirmProfile.name and assessor


def schema_id(criteria: CriteriaSet) -> str:
    return f"https://assess.invalid/schemas/{criteria.id}/{criteria.version}/response.json"


def _both(text: Text) -> str:
    """A title in both languages on one line (a schema has no language of its own)."""
    return text.zh if text.zh == text.en else f"{text.zh} / {text.en}"


def _paragraphs(*texts: Text | None) -> str:
    """Descriptions: each text in Chinese then English, paragraphs apart."""
    return "\n\n".join(f"{t.zh}\n{t.en}" if t.zh != t.en else t.zh for t in texts if t is not None)


def _na_values(criteria: CriteriaSet) -> list[str]:
    labels = [criteria.answer_labels.na.zh, criteria.answer_labels.na.en]
    return list(dict.fromkeys([*NA_SPELLINGS, *(label for label in labels if is_na(label))]))


def _value_schema(criteria: CriteriaSet, question: Question) -> dict[str, Any]:
    """The canonical value of an answer to `question` (without null and N/A)."""
    if isinstance(question, LevelQuestion):
        names = {level.level: level.name for level in criteria.levels}
        return {
            "type": "integer",
            "enum": [d.level for d in question.levels],
            "enumDescriptions": [
                _paragraphs(*([names[d.level]] if d.level in names else []), d.text) for d in question.levels
            ],
        }
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        options: dict[str, Any] = {
            "type": "string",
            "enum": [o.id for o in question.options],
            "enumDescriptions": [_both(o.text) for o in question.options],
        }
        if isinstance(question, SingleChoiceQuestion):
            return options
        schema: dict[str, Any] = {"type": "array", "items": options, "uniqueItems": True, "minItems": 1}
        exclusive = [o.id for o in question.options if o.exclusive]
        if exclusive:  # an exclusive option ("none") stands alone
            schema["allOf"] = [{"not": {"contains": {"const": oid}, "minItems": 2}} for oid in exclusive]
        return schema
    if isinstance(question, YesNoQuestion):
        return {"type": "boolean"}
    if isinstance(question, NumberQuestion):
        number: dict[str, Any] = {"type": "integer" if question.integer else "number"}
        if question.minimum is not None:
            number["minimum"] = question.minimum
        if question.maximum is not None:
            number["maximum"] = question.maximum
        return number
    if isinstance(question, TextQuestion):
        return {"type": "string"}
    raise TypeError(f"unknown question kind {question.kind}")  # pragma: no cover - the models forbid it


def _answer_schema(criteria: CriteriaSet, question: Question, words: Wording) -> dict[str, Any]:
    """A bare value or {value, note, target}; null is unanswered; N/A where allowed (with a note if required)."""
    value = _value_schema(criteria, question)
    unanswered = {"type": "null"}
    na = {"enum": _na_values(criteria), "description": _both(words.label("schema_na"))}
    note: dict[str, Any] = {
        "type": ["string", "null"],
        "maxLength": NOTE_MAX,
        "description": _both(words.label("schema_note_field")),
    }
    note_needed = question.na_allowed and criteria.na_policy.na_requires_note
    bare = [value, unanswered, *([na] if question.na_allowed and not note_needed else [])]
    properties: dict[str, Any] = {
        "value": {"anyOf": bare, "description": _both(words.label("schema_value"))},
        "note": note,
    }
    if isinstance(question, LevelQuestion):
        properties["target"] = {
            "anyOf": [{"type": "integer", "minimum": 0, "maximum": len(question.levels) - 1}, unanswered],
            "description": _both(words.label("schema_target")),
        }
    entries: list[dict[str, Any]] = [{"type": "object", "properties": properties, "additionalProperties": False}]
    if note_needed:
        entries.append(
            {
                "type": "object",
                "properties": {**properties, "value": na, "note": {**note, "type": "string", "pattern": r"\S"}},
                "required": ["value", "note"],
                "additionalProperties": False,
            }
        )
    na_rule = words.na_rule() if question.na_allowed else None
    extras = [words.how_to_write(question), na_rule, words.applicability(question), question.help]
    return {
        "title": f"{question.id} {_both(question.text)}",
        "description": _paragraphs(question.text, *extras),
        "anyOf": [*bare, *entries],
    }


def _firm_schema(criteria: CriteriaSet, words: Wording) -> dict[str, Any]:
    def terms(kind: str) -> dict[str, Any]:
        vocabulary = criteria.industries if kind == "industry" else criteria.markets
        return {
            "type": "string",
            "enum": [t.id for t in vocabulary],
            "enumDescriptions": [_both(t.name) for t in vocabulary],
        }

    optional_text = {"type": ["string", "null"], "maxLength": NAME_MAX}
    return {
        "type": "object",
        "title": _both(words.label("firm")),
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": NAME_MAX, "title": _both(words.label("name"))},
            "credit_code": {
                "type": ["string", "null"],
                "pattern": f"^[{CHARSET}]{{18}}$",
                "title": _both(words.label("credit_code")),
            },
            "industry": {**terms("industry"), "title": _both(words.label("industry"))},
            "markets": {
                "type": "array",
                "items": terms("market"),
                "minItems": 1,
                "uniqueItems": True,
                "title": _both(words.label("markets")),
            },
            "assessment_date": {"type": "string", "format": "date", "title": _both(words.label("assessment_date"))},
            "assessor": {**optional_text, "title": _both(words.label("assessor"))},
        },
        "required": ["name", "industry", "markets", "assessment_date"],
        "additionalProperties": False,
    }


def response_json_schema(criteria: CriteriaSet) -> dict[str, Any]:
    """The response file format of `criteria`, for editors and other tools (answers are never required)."""
    words = Wording(criteria, questionnaire_labels())
    return {
        "$schema": DRAFT,
        "$id": schema_id(criteria),
        "title": _both(criteria.title),
        "description": _paragraphs(criteria.description, words.label("schema_note")),
        "type": "object",
        "properties": {
            "criteria": {"const": criteria.id, "description": _both(words.label("schema_criteria"))},
            "status": {
                "enum": ["draft", "final"],
                "default": "final",
                "description": _both(words.label("schema_status")),
            },
            "firm": _firm_schema(criteria, words),
            "answers": {
                "type": "object",
                "description": _both(words.label("schema_answers")),
                "properties": {
                    qid: _answer_schema(criteria, question, words) for qid, question in criteria.questions.items()
                },
                "additionalProperties": False,
            },
        },
        "required": ["firm"],
        "additionalProperties": False,
    }


def json_schema_text(criteria: CriteriaSet) -> str:
    """The schema as stable text: keys sorted, two-space indent, UTF-8 characters as such, final newline."""
    return json.dumps(response_json_schema(criteria), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
