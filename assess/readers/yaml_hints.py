"""Hints for the YAML mistakes exporters make most, added to the parser's own words when a file does not parse.

The parser says where it stopped and why in its terms ("mapping values are not allowed in this context");
these look at the line it stopped on and say what to change:

* a value holding ": " without quotes (`note: see report: page 3`): put the text in quotes;
* a line indented unlike the lines around it, most often a `note:` line under an answer
  (`BR-03: 3` and below it `    note: ...`): how to indent value and note under the question id.

Both PyYAML's own parser and libyaml's are covered: they word their errors differently.
Only this module's `with_hint` is called, from `assess.readers.safe_yaml`, when a parse error is reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import yaml

from assess.errors import InputFileError
from assess.messages import Message, say

__all__ = ["parse_error_hint", "with_hint"]

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # how the YAML parsers count lines
# `key: value` at the start of (part of) a line, after any list dashes: the key, then the value's first part.
_KEY_AND_VALUE = re.compile(r"^\s*(?:-\s+)*(?P<key>[^\s#:\[\]{},\"'][^:#]*?):\s+(?P<value>\S.*)$")
_KEY_ONLY = re.compile(r"^\s*(?:-\s+)*(?P<key>[^\s#:\[\]{},\"'][^:#]*?)\s*$")
_KEY_LINE = re.compile(r"^(?P<indent> *)(?:-\s+)*(?P<key>[^\s#:\[\]{},\"'][^:#]*?):(?:\s+(?P<value>.*))?$")
_QUESTION_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$", re.IGNORECASE)  # as QUESTION_ID_PATTERN, any case
_COMMENT = re.compile(r"\s+#.*$")
_ANSWER_KEYS = ("value", "note", "target")
_FLOW_END = re.compile(r"[,}\]]")


def with_hint(error: InputFileError, text: str, exc: yaml.MarkedYAMLError) -> InputFileError:
    """The parse error `error` (one problem: where and why) with a hint added to its message, when one fits."""
    hint = parse_error_hint(text, exc)
    if hint is None or len(error.problems) != 1:
        return error
    [problem] = error.problems
    hinted = say("yaml_hint", message=problem.message, hint=hint)
    chinese = say("yaml_hint", message=problem.message_in("zh"), hint=hint).in_lang("zh")
    error.problems[0] = replace(problem, message=str(hinted), message_zh=chinese)
    return error


def parse_error_hint(text: str, exc: yaml.MarkedYAMLError) -> Message | None:
    """What to change, for the common mistakes: a value with ": " unquoted, a line indented unlike its block."""
    mark = exc.problem_mark
    lines = _LINE_BREAKS.split(text)
    if mark is None or not 0 <= mark.line < len(lines):
        return None
    line, column = lines[mark.line], mark.column
    before = line[:column]
    problem = str(exc.problem or "")
    if "\t" in line[: len(line) - len(line.lstrip())]:  # the parser never names the tab it stopped at
        return say("yaml_hint_tab")
    if "mapping values are not allowed" in problem:  # a second ": " in a line of the block style
        found = _KEY_AND_VALUE.match(before)
        if found:
            return _quote(found["key"], found["value"] + _COMMENT.sub("", line[column:]))
        if _KEY_ONLY.match(before):  # the line continues the value above it: it is indented too deep
            return _indentation(lines, mark.line)
        return None
    at_colon = column < len(line) and line[column] == ":"
    if ("',' or '}'" in problem or "',' or ']'" in problem) and at_colon:  # a ": " inside {...} or [...]
        found = _KEY_AND_VALUE.match(re.split(r"[{\[,]", before)[-1])
        if found:
            rest = _FLOW_END.split(line[column:], maxsplit=1)[0]
            return _quote(found["key"], found["value"] + rest)
        return None
    block_end = "expected key" in problem or "expected <block end>" in problem
    if block_end and not before.strip() and _KEY_LINE.match(line):  # a key in a column where its block has none
        return _indentation(lines, mark.line)
    return None


def _quote(key: str, value: str) -> Message:
    example = f"{key.strip()}: {json.dumps(value.strip(), ensure_ascii=False)}"  # JSON's quoting is YAML's
    return say("yaml_hint_quote", example=example)


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indentation(lines: list[str], number: int) -> Message | None:
    """The hint for line `number`, a `key:` line indented unlike its block; about answers when it is under one."""
    found = _KEY_LINE.match(lines[number])
    if found is None:
        return None
    key = found["key"].strip()
    answer = _answer_above(lines, number) if key in _ANSWER_KEYS else None
    if answer is None:
        return say("yaml_hint_indent", key=key)
    qid, first = answer
    value = _answer_value(lines, first, number) if key != "value" else None
    written = _COMMENT.sub("", found["value"] or "").strip()
    if key == "value":
        value = written
    parts = [f"value: {value or '…'}"]
    if key == "target":
        parts.append(f"target: {written or '…'}")
    else:  # a note, or a value line whose note (if any) is below it
        note = written if key == "note" else ""
        quoted = note.startswith(("'", '"'))  # already in quotes: as written
        parts.append(f"note: {note if quoted else json.dumps(note or '…', ensure_ascii=False)}")
    example = f"{qid}: {{{', '.join(parts)}}}"
    if key == "target":
        return say("yaml_hint_target_indent", qid=qid, example=example)
    return say("yaml_hint_answer_indent", key=key, qid=qid, example=example)


def _answer_above(lines: list[str], number: int) -> tuple[str, int] | None:
    """The question id of the answer a line sits under (the nearest `ID:` line above it) and that line's number;
    None when the line is not in the `answers:` block."""
    for index in range(number - 1, -1, -1):
        line = lines[index]
        if not _content(line):
            continue
        found = _KEY_LINE.match(line)
        if found is None:
            continue
        key = found["key"].strip()
        if not found["indent"]:  # a top-level key: the block the line is in
            return None
        if _QUESTION_ID.match(key):
            return (key, index) if _in_answers(lines, index) else None
    return None


def _in_answers(lines: list[str], number: int) -> bool:
    """Whether line `number` is inside the top-level `answers:` block."""
    for index in range(number - 1, -1, -1):
        found = _KEY_LINE.match(lines[index])
        if _content(lines[index]) and found is not None and not found["indent"]:
            return found["key"].strip() == "answers"
    return False


def _answer_value(lines: list[str], first: int, number: int) -> str | None:
    """The answer's value as written: after the question id on its line, else on a `value:` line below it."""
    for index in range(first, number):
        found = _KEY_LINE.match(lines[index])
        if found is None or not _content(lines[index]):
            continue
        key = found["key"].strip()
        value = _COMMENT.sub("", found["value"] or "").strip()
        if (index == first or key == "value") and value and not value.startswith(("{", "[", "|", ">")):
            return value
    return None
