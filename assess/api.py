"""The public library API: what the CLI, the web app and other Python code call.

from assess.api import load_criteria, load_response, score
criteria = load_criteria()
result = score(criteria, load_response("seeds/firm.yaml", criteria))
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from assess.errors import Problem, UserError
from assess.messages import said_error, say
from assess.models.answers import ValidatedResponse
from assess.models.common import Lang
from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult
from assess.paths import data_dir
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


def criteria_root() -> Path:
    return data_dir("criteria")


def seeds_dir() -> Path:
    return data_dir("seeds")


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


def new_criteria_set(dest: Path | str, new_id: str, source: Path | str | None = None) -> Path:
    """A copy of a criteria set (the built-in default set unless `source` is given) under a new id, to edit."""
    from assess.criteria_scaffold import new_criteria_set as copy_set

    return copy_set(Path(source) if source is not None else criteria_root() / DEFAULT_SET, Path(dest), new_id)


def load_response(path: Path | str, criteria: CriteriaSet) -> ValidatedResponse:
    return read_response(Path(path), criteria)


def score_file(path: Path | str, criteria: CriteriaSet, profile: str | None = None) -> ScoreResult:
    return score(criteria, load_response(path, criteria), profile)


def write_report(
    response_file: Path | str,
    output: Path | str,
    *,
    mode: str = "bilingual",
    brand_file: Path | None = None,
    templates: Path | None = None,
    html_path: Path | None = None,
    variant: str | None = None,
    actions_xlsx: Path | None = None,
    criteria_dir: Path | None = None,
    profile: str | None = None,
) -> list[Path]:
    """Score one response file and write its PDF report (plus HTML and action sheet on request)."""
    from assess.exports.actions_xlsx import write_actions_xlsx
    from assess.files import write_atomic
    from assess.report.brand import Brand, load_brand
    from assess.report.fonts import check_rendering_setup
    from assess.report.render import ReportOptions, render_report, report_html

    if mode not in ("zh", "en", "bilingual"):
        raise UserError(f"Unknown language mode '{mode}'; choose zh, en or bilingual")
    if variant not in (None, "pdf/a-3b"):
        raise UserError(f"Unknown PDF variant '{variant}'; the supported one is pdf/a-3b")
    if templates is not None and not Path(templates).is_dir():
        raise said_error(say("templates_missing"), [(str(templates), say("no_such_folder"))])
    criteria = load_criteria(criteria_dir)
    result = score_file(response_file, criteria, profile)
    brand = load_brand(Path(brand_file)) if brand_file else Brand()
    options = ReportOptions(mode=mode, brand=brand, templates=templates, variant=variant)  # type: ignore[arg-type]
    written: list[Path] = []
    if html_path is not None:
        write_atomic(Path(html_path), report_html(criteria, result, options, check_rendering_setup()).encode())
        written.append(Path(html_path))
    write_atomic(Path(output), render_report(criteria, result, options))
    written.append(Path(output))
    if actions_xlsx is not None:
        write_actions_xlsx(criteria, result, Path(actions_xlsx), "en" if mode == "en" else "zh")
        written.append(Path(actions_xlsx))
    return written


def write_report_pdf(criteria: CriteriaSet, result: ScoreResult, output: Path, mode: str = "bilingual") -> Path:
    """Render an already scored firm's report to `output` (atomically)."""
    from assess.files import write_atomic
    from assess.report.render import ReportOptions, render_report

    write_atomic(output, render_report(criteria, result, ReportOptions(mode=mode)))  # type: ignore[arg-type]
    return output


def write_questionnaire(
    output: Path | str, fmt: str, mode: str = "bilingual", criteria_dir: Path | None = None
) -> Path:
    """Write a blank questionnaire (xlsx, yaml, json-schema, xlsform or html) generated from the criteria set."""
    from assess.files import write_atomic
    from assess.questionnaire.formats import FORMATS, blank_questionnaire

    if fmt not in FORMATS:
        raise UserError(f"Unknown questionnaire format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    if mode not in ("zh", "en", "bilingual"):
        raise UserError(f"Unknown language mode '{mode}'; choose zh, en or bilingual")
    criteria = load_criteria(criteria_dir)
    write_atomic(Path(output), blank_questionnaire(criteria, fmt, mode))  # type: ignore[arg-type]
    return Path(output)


class ImportedFile(NamedTuple):
    """A response file written from one submission: its problems if it does not fit, else its warnings."""

    path: Path
    error: UserError | None
    warnings: tuple[Problem, ...] = ()


def import_submissions(
    export: Path | str, folder: Path | str, criteria_dir: Path | None = None, lang: Lang = "en"
) -> list[ImportedFile]:
    """One response file per submission of a KoboToolbox/ODK export, each checked against the criteria.

    A submission missing required answers is written as a draft, with a warning for each.
    """
    from assess.files import write_atomic
    from assess.questionnaire.response_writer import response_yaml
    from assess.readers.submissions import read_submissions, submission_file_name

    criteria = load_criteria(criteria_dir)
    written: list[ImportedFile] = []
    for submission in read_submissions(Path(export), criteria, lang):
        path = Path(folder) / submission_file_name(submission)
        write_atomic(path, response_yaml(submission.data).encode("utf-8"))
        try:
            written.append(ImportedFile(path, None, load_response(path, criteria).warnings))
        except UserError as exc:
            written.append(ImportedFile(path, exc))
    return written


def result_dict(result: ScoreResult) -> dict[str, Any]:
    return result.model_dump(mode="json")


def result_json(results: list[ScoreResult]) -> str:
    """Stable JSON: fields in model order, UTF-8 text, two-space indent, one trailing newline."""
    return json.dumps([result_dict(r) for r in results], ensure_ascii=False, indent=2) + "\n"
