"""Load a firm's response file (YAML or JSON) and check it against a criteria set.

A response file comes from an exporter, so before anything is built from it, it is held to what a
response needs: a bounded number of values (a YAML parser builds a node of several hundred bytes per
value, so a 15 MB list of `eu,eu,eu...` would take gigabytes), keys of a sensible length (a key is a
field name or a question id, and problems quote it: the loader refuses a longer one, see
`assess.readers.safe_yaml.MAX_KEY_CHARS`), and no more answers than the criteria set could ask for.
Each refusal names the file and the limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assess.errors import InputFileError, Problem, ResponseError
from assess.messages import Message, say, unreadable
from assess.models.answers import ValidatedResponse
from assess.models.criteria import CriteriaSet
from assess.models.response import Response
from assess.readers.locations import locate, problems_from
from assess.readers.safe_yaml import load_data
from assess.readers.text_file import read_text
from assess.validation import validate_response

RESPONSE_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
MAX_VALUES = 100_000  # keys, values and list items: a response to 60 questions has a few thousand
MIN_ANSWERS_LIMIT = 1_000  # entries under `answers`: at least this many, or twice the criteria set's questions


def read_response(path: Path, criteria: CriteriaSet) -> ValidatedResponse:
    """The validated response in `path`, or an error listing every problem with its line."""
    name = path.name
    if path.suffix.lower() == ".xlsx":
        from assess.readers.xlsx_response import read_xlsx_response

        return read_xlsx_response(path, criteria)
    data, locations = load_response_data(path)
    if not isinstance(data, dict):
        raise ResponseError(f"{name} is not a response", [_top_problem(name)])
    _check_answer_count(data, name, criteria)
    try:
        response = Response.model_validate(data)
    except ValidationError as exc:
        summary = say("has_problems", name=name)
        raise ResponseError(str(summary), problems_from(exc, name, locations), summary.in_lang("zh")) from None

    def locator(where: Sequence[str | int]) -> str:
        return locate(name, locations, where)

    return validate_response(criteria, response, locator, source=name)


def load_response_data(path: Path) -> tuple[Any, Any]:
    """The plain data of a YAML or JSON file from outside, with its line map, held to the limits above."""
    name = path.name
    text = read_text(path, name)
    _check_value_count(text, name)
    return load_data(text, name)


def _fail(name: str, message: Message) -> InputFileError:
    return unreadable(name, message)


def _check_value_count(text: str, name: str) -> None:
    """Refuse a text of more than MAX_VALUES values before it is parsed (and its values built).

    A text shorter than MAX_VALUES characters cannot hold more (each value takes at least one), so the
    common small file costs nothing.  JSON separates values with `,` and opens containers with `[` or
    `{`; YAML is counted with the parser's event stream, which builds nothing that stays.
    """
    if len(text) <= MAX_VALUES:
        return
    if name.lower().endswith(".json"):
        count = text.count(",") + text.count("[") + text.count("{")
    else:
        count = 0
        try:
            for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
                if isinstance(event, yaml.NodeEvent):
                    count += 1
                    if count > MAX_VALUES:
                        break
        except yaml.YAMLError:
            return  # the loader says what is wrong, with its line
    if count > MAX_VALUES:
        raise _fail(name, say("data_too_many_values", limit=f"{MAX_VALUES:,}"))


def _check_answer_count(data: dict[str, Any], name: str, criteria: CriteriaSet) -> None:
    """Refuse far more answers than the criteria set has questions: each unknown one would be a problem to list."""
    answers = data.get("answers")
    limit = max(MIN_ANSWERS_LIMIT, 2 * len(criteria.questions))
    if isinstance(answers, dict) and len(answers) > limit:
        message = say(
            "too_many_answers", count=f"{len(answers):,}", limit=f"{limit:,}", questions=len(criteria.questions)
        )
        raise _fail(name, message)


def _top_problem(name: str) -> Problem:
    return Problem(name, "expected a mapping with 'firm' and 'answers' at the top")


def response_files(paths: Sequence[Path]) -> list[Path]:
    """Files named directly, and the response files inside named folders (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in RESPONSE_SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found
