"""Load a firm's response file (YAML or JSON) and check it against a criteria set."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from assess.errors import Problem, ResponseError
from assess.messages import say
from assess.models.answers import ValidatedResponse
from assess.models.criteria import CriteriaSet
from assess.models.response import Response
from assess.readers.locations import locate, problems_from
from assess.readers.safe_yaml import load_data
from assess.readers.text_file import read_text
from assess.validation import validate_response

RESPONSE_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


def read_response(path: Path, criteria: CriteriaSet) -> ValidatedResponse:
    """The validated response in `path`, or an error listing every problem with its line."""
    name = path.name
    if path.suffix.lower() == ".xlsx":
        from assess.readers.xlsx_response import read_xlsx_response

        return read_xlsx_response(path, criteria)
    data, locations = load_data(read_text(path, name), name)
    if not isinstance(data, dict):
        raise ResponseError(f"{name} is not a response", [_top_problem(name)])
    try:
        response = Response.model_validate(data)
    except ValidationError as exc:
        summary = say("has_problems", name=name)
        raise ResponseError(str(summary), problems_from(exc, name, locations), summary.in_lang("zh")) from None

    def locator(where: Sequence[str | int]) -> str:
        return locate(name, locations, where)

    return validate_response(criteria, response, locator, source=name)


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
