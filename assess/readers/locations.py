"""Turn pydantic's validation errors into problems a person can find in the file."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from assess.errors import Problem
from assess.messages import Message, MessageError, say
from assess.models.common import IDENTIFIER_PATTERN
from assess.models.criteria import QUESTION_ID_PATTERN
from assess.readers.safe_yaml import LocationMap, Path_

_KIND_TAGS = {"level", "single", "multi", "yesno", "number", "text"}
_ALIASES = {"in_": "in", "not_": "not", "from_": "from"}


def format_path(path: Sequence[str | int]) -> str:
    """`('questions', 3, 'options', 2)` -> `questions[3].options[2]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + _ALIASES.get(part, part)
    return out


def locate(source: str, locations: LocationMap, path: Sequence[str | int]) -> str:
    """`file:line: path`, using the line of the deepest part of the path that exists in the file."""
    line = None
    for end in range(len(path), -1, -1):
        line = locations.get(tuple(path[:end]))
        if line is not None:
            break
    head = f"{source}:{line}" if line is not None else source
    return f"{head}: {format_path(path)}" if path else head


def _clean_loc(loc: Iterable[str | int]) -> Path_:
    """Drop the tags pydantic inserts for tagged unions (questions[3].level.x) and validators."""
    parts: list[str | int] = []
    kind_dropped = False  # one kind tag per question: a field called `text` after it is the question's text
    for part in loc:
        after_question = len(parts) >= 2 and isinstance(parts[-1], int) and parts[-2] == "questions"
        if after_question and isinstance(part, str):
            if part.startswith("function-"):
                continue
            if part in _KIND_TAGS and not kind_dropped:
                kind_dropped = True
                continue
        kind_dropped = kind_dropped and after_question
        parts.append(part)
    return tuple(parts)


def _message(error: Any) -> tuple[Path_, str, str | None]:
    """Where an error is, and what it says in English and (where assess has the words) in Chinese."""
    path = _clean_loc(error["loc"])
    kind = error["type"]
    if kind == "missing" and path:
        return _said(path[:-1], say("key_missing", key=format_path(path[-1:])))
    if kind == "extra_forbidden" and path:
        return _said(path[:-1], say("unknown_key", key=path[-1]))
    if kind == "union_tag_invalid":
        return _said(path, say("kind_one_of", kinds=sorted(_KIND_TAGS)))
    if kind == "string_pattern_mismatch" and path[:2] in (("firm", "industry"), ("firm", "markets")):
        # A Chinese name where an id belongs (家电, 欧盟): say which ids, not how ids are spelt.
        key = "not_an_industry_id" if path[1] == "industry" else "not_a_market_id"
        return _said(path, say(key, value=error.get("input", "")))
    english, chinese = error_text(error)
    return path, english, chinese


def _said(path: Path_, message: Message) -> tuple[Path_, str, str | None]:
    return path, str(message), message.in_lang("zh")


def error_text(error: Any) -> tuple[str, str | None]:
    """A pydantic error's message in English and, for the kinds people make by hand, in Chinese."""
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, MessageError):
        return str(cause.message), cause.message.in_lang("zh")
    english = str(error["msg"]).removeprefix("Value error, ")
    kind = error["type"]
    own = _own_message(kind, error)
    if own is not None:  # pydantic's English would show a regular expression or a character count
        return str(own), own.in_lang("zh")
    chinese: Message | None = None
    if kind == "missing":
        chinese = say("required")
    elif kind in ("string_too_long", "too_long"):
        chinese = say("too_long", limit=error.get("ctx", {}).get("max_length", "?"))
    elif kind.startswith("date_"):
        chinese = say("not_a_date")
    elif kind == "answer_value":
        chinese = say("answer_value")
    elif kind in _SHAPE_MESSAGES:
        chinese = say(_SHAPE_MESSAGES[kind])
    elif kind == "literal_error":
        chinese = say("expected_one_of_these", expected=error.get("ctx", {}).get("expected", ""))
    elif kind == "too_short":
        chinese = say("too_few", count=error.get("ctx", {}).get("min_length", "?"))
    return english, None if chinese is None else chinese.in_lang("zh")


_PATTERN_MESSAGES = {  # the patterns of our models -> what to say instead of the expression
    IDENTIFIER_PATTERN: "not_an_id",
    QUESTION_ID_PATTERN: "not_a_question_id",
}


def _own_message(kind: str, error: Any) -> Message | None:
    """Our words, in both languages, for the errors whose pydantic text means little to an exporter."""
    context = error.get("ctx", {})
    if kind == "string_pattern_mismatch" and context.get("pattern") in _PATTERN_MESSAGES:
        return say(_PATTERN_MESSAGES[context["pattern"]], value=error.get("input", ""))
    if kind == "string_too_short" and context.get("min_length") == 1:
        return say("empty_text")
    value = error.get("input")
    if kind.startswith("date") and isinstance(value, str):
        return say("not_a_date_value", value=value)
    if kind in ("float_parsing", "int_parsing") and isinstance(value, str):
        return say("not_a_number", value=f'"{value}"')
    if kind == "literal_error":  # pydantic writes "'draft' or 'final'": the choices, listed our way
        choices = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        if choices:
            return say("expected_one_of_these", expected=choices)
    return None


_SHAPE_MESSAGES = {  # pydantic error type -> message key (Chinese; the English stays pydantic's own)
    "string_type": "expected_text_value",
    "float_type": "expected_number_value",
    "float_parsing": "expected_number_value",
    "finite_number": "not_finite",
    "int_type": "expected_whole_number",
    "int_parsing": "expected_whole_number",
    "int_from_float": "expected_whole_number",
    "list_type": "expected_list",
    "dict_type": "expected_mapping",
    "model_type": "expected_mapping",
}


def problems_from(
    exc: ValidationError,
    source: str,
    locations: LocationMap,
    prefix: Path_ = (),
    locator: Callable[[Path_], str] | None = None,
) -> list[Problem]:
    """Every error of a pydantic ValidationError as a located Problem (`locator` overrides file:line)."""
    problems: list[Problem] = []
    for error in exc.errors():
        path, message, chinese = _message(error)
        full = (*prefix, *path)
        where = locator(full) if locator else locate(source, locations, full)
        problems.append(Problem(where, message, _question_of(full), message_zh=chinese))
    return _unique(problems)


def _question_of(path: Path_) -> str | None:
    """The question a problem in a response is about (`answers.QM-01.note` -> QM-01), so lists can name it."""
    return path[1] if len(path) > 1 and path[0] == "answers" and isinstance(path[1], str) else None


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for problem in problems:
        key = (problem.location, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept
