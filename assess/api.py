"""The public library API: what the CLI, the web app and other Python code call.

from assess.api import load_criteria, load_response, score
criteria = load_criteria()
result = score(criteria, load_response("seeds/firm.yaml", criteria))
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, NamedTuple

from assess.batch.options import BatchSummary
from assess.errors import Problem, UserError
from assess.messages import said_error, say
from assess.models.answers import ValidatedResponse
from assess.models.common import Lang, Mode
from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult
from assess.paths import data_dir
from assess.readers.criteria_files import LoadedCriteria, find_criteria_sets, inspect_criteria
from assess.readers.criteria_files import load_criteria as _load_criteria_folder
from assess.readers.response_file import read_response, response_files
from assess.scoring.engine import score

__all__ = [
    "DEFAULT_SET",
    "MODES",
    "BatchSummary",
    "CriteriaSet",
    "ImportedFile",
    "LoadedCriteria",
    "ScoreResult",
    "ValidatedResponse",
    "check_criteria_folder",
    "criteria_root",
    "import_submissions",
    "list_criteria_sets",
    "load_criteria",
    "load_response",
    "new_criteria_set",
    "response_files",
    "result_dict",
    "result_json",
    "run_batch",
    "score",
    "score_file",
    "seeds_dir",
    "write_questionnaire",
    "write_report",
    "write_report_pdf",
]

DEFAULT_SET = "ningbo-export-quality"


def criteria_root() -> Path:
    return data_dir("criteria")


def seeds_dir() -> Path:
    return data_dir("seeds")


def list_criteria_sets(root: Path | str | None = None) -> list[Path]:
    return find_criteria_sets(Path(root) if root is not None else criteria_root())


def load_criteria(path: Path | str | None = None) -> CriteriaSet:
    """A criteria set from a folder (the built-in default set when no path is given)."""
    folder = Path(path) if path is not None else criteria_root() / DEFAULT_SET
    if not (folder / "set.yaml").is_file() and folder.is_dir():
        sets = find_criteria_sets(folder)
        if len(sets) == 1:
            folder = sets[0]
    return _load_criteria_folder(folder)


def check_criteria_folder(path: Path | str) -> list[LoadedCriteria]:
    """Load and lint every criteria set under `path`, keeping all problems."""
    path = Path(path)
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


MODES: tuple[Mode, ...] = ("zh", "en", "bilingual")


def _mode(mode: str) -> Mode:
    """`mode` when it is one assess knows, else a user error (never a silent bilingual document)."""
    for known in MODES:
        if mode == known:
            return known
    raise said_error(say("unknown_mode", mode=mode), [])


def _path(path: Path | str | None) -> Path | None:
    return Path(path) if path is not None else None


def write_report(
    response_file: Path | str,
    output: Path | str,
    *,
    mode: Mode = "bilingual",
    brand_file: Path | str | None = None,
    templates: Path | str | None = None,
    html_path: Path | str | None = None,
    variant: str | None = None,
    actions_xlsx: Path | str | None = None,
    criteria_dir: Path | str | None = None,
    profile: str | None = None,
) -> list[Path]:
    """Score one response file and write its PDF report (plus HTML and action sheet on request).

    Every output is rendered before any is written, and they are written as one set: a problem
    leaves none of them changed.  An output that is the same file as the response, the brand file
    or another output is refused before anything is done.
    """
    from assess.files import check_distinct_paths, check_writable, write_all_atomic
    from assess.report.brand import Brand, load_brand
    from assess.report.fonts import check_rendering_setup
    from assess.report.render import ReportOptions, render_report, report_html

    shown = _mode(mode)
    if variant is not None and variant != "pdf/a-3b":
        raise said_error(say("unknown_pdf_variant", variant=variant, supported="pdf/a-3b"), [])
    archival: Literal["pdf/a-3b"] | None = "pdf/a-3b" if variant else None
    pdf, html, sheet = Path(output), _path(html_path), _path(actions_xlsx)
    brand_path, templates_dir = _path(brand_file), _path(templates)
    check_distinct_paths([Path(response_file), brand_path], [html, pdf, sheet])
    for target in (html, pdf, sheet):
        if target is not None:
            check_writable(target)
    if templates_dir is not None and not templates_dir.is_dir():
        raise said_error(say("templates_missing"), [(str(templates_dir), say("no_such_folder"))])
    criteria = load_criteria(criteria_dir)
    result = score_file(response_file, criteria, profile)
    brand = load_brand(brand_path) if brand_path else Brand()
    options = ReportOptions(mode=shown, brand=brand, templates=templates_dir, variant=archival)
    files: list[tuple[Path, bytes]] = []
    if html is not None:
        files.append((html, report_html(criteria, result, options, check_rendering_setup()).encode()))
    files.append((pdf, render_report(criteria, result, options)))
    if sheet is not None:
        files.append((sheet, _actions_xlsx_bytes(criteria, result, "en" if shown == "en" else "zh")))
    write_all_atomic(files)
    return [path for path, _ in files]


def run_batch(
    inputs: list[Path | str],
    output: Path | str,
    *,
    jobs: int = 0,
    pdf: bool = True,
    mode: Mode = "bilingual",
    brand_file: Path | str | None = None,
    templates: Path | str | None = None,
    previous: Path | str | None = None,
    mapping: Path | str | None = None,
    force: bool = False,
    criteria_dir: Path | str | None = None,
    profile: str | None = None,
) -> BatchSummary:
    """Score (and report on) many firms, as `assess batch` does: the outputs go to `output`.

    `inputs` are response files, folders of them, or tables with a row per firm.  A bad input is
    listed in `summary.errors` (and errors.csv) and the rest goes on; `summary.ok` is False then.
    A problem with the batch itself (criteria, brand, mapping, --previous) raises UserError first.
    """
    from assess.batch.options import BatchOptions
    from assess.batch.run import run_batch as run
    from assess.report.brand import Brand, load_brand

    brand_path, criteria_path = _path(brand_file), _path(criteria_dir)
    options = BatchOptions(
        outdir=Path(output),
        criteria_dir=criteria_path if criteria_path is not None else criteria_root() / DEFAULT_SET,
        jobs=jobs,
        pdf=pdf,
        mode=_mode(mode),
        brand=load_brand(brand_path) if brand_path is not None else Brand(),
        templates=_path(templates),
        previous=_path(previous),
        mapping=_path(mapping),
        force=force,
        profile=profile,
    )
    return run([Path(p) for p in inputs], options)


def _actions_xlsx_bytes(criteria: CriteriaSet, result: ScoreResult, lang: Lang) -> bytes:
    """The action-plan workbook as bytes (made in a private temp folder), to be written with the other outputs."""
    import tempfile

    from assess.exports.actions_xlsx import write_actions_xlsx

    with tempfile.TemporaryDirectory(prefix="assess-actions-") as folder:
        path = Path(folder) / "actions.xlsx"
        write_actions_xlsx(criteria, result, path, lang)
        return path.read_bytes()


def write_report_pdf(criteria: CriteriaSet, result: ScoreResult, output: Path | str, mode: Mode = "bilingual") -> Path:
    """Render an already scored firm's report to `output` (atomically)."""
    from assess.files import check_writable, write_atomic
    from assess.report.render import ReportOptions, render_report

    shown = _mode(mode)
    path = Path(output)
    check_writable(path)
    write_atomic(path, render_report(criteria, result, ReportOptions(mode=shown)))
    return path


def write_questionnaire(
    output: Path | str,
    fmt: str | None = None,
    mode: Mode = "bilingual",
    criteria_dir: Path | str | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write a blank questionnaire (xlsx, yaml, json-schema, xlsform or html) generated from the criteria set.

    Without `fmt` the format follows the file name (.xlsx, .yaml/.yml, .json, .html; xlsform needs `fmt`);
    a `fmt` that contradicts the name is refused.  An existing file (perhaps a filled-in response) is
    refused unless `force` is true.
    """
    from assess.files import check_writable, write_atomic
    from assess.questionnaire.formats import blank_questionnaire, format_for

    path = Path(output)
    chosen = format_for(path, fmt)
    shown = _mode(mode)
    check_writable(path)
    if path.exists() and not force:
        raise said_error(say("will_not_overwrite", name=str(path)), [(str(path), say("output_exists_use_force"))])
    criteria = load_criteria(criteria_dir)
    write_atomic(path, blank_questionnaire(criteria, chosen, shown))
    return path


class ImportedFile(NamedTuple):
    """One submission of an export: the response file written for it, or the problems that kept it out.

    `path` is None when the submission was not written (`error` says why: its rows and columns); a
    written file has `error` None, unless it fails to load back.  `warnings` name the required answers
    a draft lacks, and a name changed so as not to overwrite another firm's file.
    """

    path: Path | None
    error: UserError | None
    warnings: tuple[Problem, ...] = ()
    row: int | None = None


def import_submissions(
    export: Path | str, folder: Path | str, criteria_dir: Path | str | None = None, lang: Lang = "en"
) -> list[ImportedFile]:
    """One response file per submission of a KoboToolbox/ODK export, each checked against the criteria.

    Every submission that fits is written, even when others do not (those come back with their problems
    and no path).  A submission missing required answers is written as a draft, with a warning for each.
    An existing file is replaced only by a submission of the same firm (same credit code, else same
    name); a different firm's submission gets a new name (`<name>-2.yaml`), with a warning saying so.
    """
    from assess.files import make_folder, write_atomic
    from assess.questionnaire.response_writer import response_yaml
    from assess.readers.submissions import check_submissions, free_submission_path

    criteria = load_criteria(criteria_dir)
    checked = check_submissions(Path(export), criteria, lang)
    target = Path(folder)
    if checked.submissions:
        make_folder(target)
    imported: list[ImportedFile] = []
    for submission in checked.submissions:
        path, renamed = free_submission_path(target, submission, Path(export).name, lang)
        write_atomic(path, response_yaml(submission.data).encode("utf-8"))
        notes = (renamed,) if renamed else ()
        try:
            imported.append(ImportedFile(path, None, notes + load_response(path, criteria).warnings, submission.row))
        except UserError as exc:
            imported.append(ImportedFile(path, exc, notes, submission.row))
    for rejected in checked.rejected:
        imported.append(ImportedFile(None, rejected.error, (), rejected.row))
    return sorted(imported, key=lambda item: item.row or 0)


def result_dict(result: ScoreResult) -> dict[str, Any]:
    return result.model_dump(mode="json")


def result_json(results: list[ScoreResult]) -> str:
    """Stable JSON: fields in model order, UTF-8 text, two-space indent, one trailing newline."""
    return json.dumps([result_dict(r) for r in results], ensure_ascii=False, indent=2) + "\n"
