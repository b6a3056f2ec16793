"""What each worker process does: load the criteria once, then score (and render) many firms.

Workers import WeasyPrint and build their font configuration once, on their first report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assess.batch.inputs import BatchItem
from assess.batch.rows import ErrorRow, FirmRow, firm_row
from assess.errors import ResponseError, UserError
from assess.models.criteria import CriteriaSet
from assess.models.response import Response
from assess.models.result import ScoreResult
from assess.readers.criteria_files import load_criteria
from assess.readers.locations import format_path
from assess.readers.response_file import read_response
from assess.scoring.engine import score
from assess.validation import validate_response

_CRITERIA: dict[str, CriteriaSet] = {}


@dataclass(frozen=True)
class Outcome:
    """A scored firm (its summary row and full result as JSON), or why it failed."""

    index: int
    key: str
    row: FirmRow | None = None
    result_json: str | None = None
    errors: list[ErrorRow] = field(default_factory=list)


def criteria_for(folder: Path) -> CriteriaSet:
    """The criteria set, loaded once per process."""
    key = str(folder)
    if key not in _CRITERIA:
        _CRITERIA[key] = load_criteria(folder)
    return _CRITERIA[key]


def _errors(key: str, exc: UserError) -> list[ErrorRow]:
    if not exc.problems:
        return [ErrorRow(key, "", "", exc.summary)]
    return [ErrorRow(key, p.location, p.question_id or "", p.message) for p in exc.problems if p.severity == "error"]


def score_item_result(item: BatchItem, criteria: CriteriaSet, profile: str | None) -> ScoreResult:
    """Validate and score one item (a file or a table row); UserError when it does not fit."""
    data = item.data
    if data is None:
        return score(criteria, read_response(item.path, criteria), profile)
    if item.problems:
        raise ResponseError(f"{item.key} does not fit criteria set {criteria.id}", list(item.problems))
    response = Response.model_validate(data)
    validated = validate_response(criteria, response, lambda path: f"{item.key}: {format_path(path)}", item.key)
    return score(criteria, validated, profile)


def score_item(args: tuple[BatchItem, Path, str | None]) -> Outcome:
    item, criteria_folder, profile = args
    criteria = criteria_for(criteria_folder)
    try:
        result = score_item_result(item, criteria, profile)
    except UserError as exc:
        return Outcome(item.index, item.key, errors=_errors(item.key, exc))
    except (ValueError, TypeError) as exc:  # a malformed table row that slipped past the reader
        return Outcome(item.index, item.key, errors=[ErrorRow(item.key, "", "", str(exc))])
    return Outcome(item.index, item.key, firm_row(item.index, item.key, result), result.model_dump_json())
