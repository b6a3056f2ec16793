"""The public library API: what the CLI, the web app and other Python code call.

from assess.api import load_criteria, load_response, score
criteria = load_criteria()
result = score(criteria, load_response("seeds/firm.yaml", criteria))
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assess.errors import CriteriaError
from assess.models.answers import ValidatedResponse
from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult
from assess.readers.criteria_files import LoadedCriteria, find_criteria_sets, inspect_criteria
from assess.readers.criteria_files import load_criteria as _load_criteria_folder
from assess.readers.response_file import read_response, response_files
from assess.scoring.engine import score

__all__ = [
    "DEFAULT_SET",
    "check_criteria_folder",
    "criteria_root",
    "list_criteria_sets",
    "load_criteria",
    "load_response",
    "response_files",
    "result_json",
    "score",
    "score_file",
    "seeds_dir",
]

DEFAULT_SET = "ningbo-export-quality"
_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    """A data folder: beside the package in a source checkout, inside it in an installed wheel."""
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise CriteriaError(f"The built-in {name}/ folder is missing from this installation")


def criteria_root() -> Path:
    return _data_dir("criteria")


def seeds_dir() -> Path:
    return _data_dir("seeds")


def list_criteria_sets(root: Path | None = None) -> list[Path]:
    return find_criteria_sets(root or criteria_root())


def load_criteria(path: Path | str | None = None) -> CriteriaSet:
    """A criteria set from a folder (the built-in default set when no path is given)."""
    folder = Path(path) if path is not None else criteria_root() / DEFAULT_SET
    if not (folder / "set.yaml").is_file() and folder.is_dir():
        sets = find_criteria_sets(folder)
        if len(sets) == 1:
            folder = sets[0]
    return _load_criteria_folder(folder)


def check_criteria_folder(path: Path) -> list[LoadedCriteria]:
    """Load and lint every criteria set under `path`, keeping all problems."""
    sets = find_criteria_sets(path)
    if not sets:
        return [inspect_criteria(path)]
    return [inspect_criteria(folder) for folder in sets]


def load_response(path: Path | str, criteria: CriteriaSet) -> ValidatedResponse:
    return read_response(Path(path), criteria)


def score_file(path: Path | str, criteria: CriteriaSet, profile: str | None = None) -> ScoreResult:
    return score(criteria, load_response(path, criteria), profile)


def result_dict(result: ScoreResult) -> dict[str, Any]:
    return result.model_dump(mode="json")


def result_json(results: list[ScoreResult]) -> str:
    """Stable JSON: fields in model order, UTF-8 text, two-space indent, one trailing newline."""
    return json.dumps([result_dict(r) for r in results], ensure_ascii=False, indent=2) + "\n"
