"""Read a KoboToolbox / ODK submissions export back into response data, one per firm.

The export comes from the form of `assess.questionnaire.xlsform`: columns are its field names,
perhaps behind group paths (`theme-tbt/TBT-01`, `group_tbt/TBT-01`, ODK Central's `theme-tbt-TBT-01`),
plus metadata columns (`_id`, `_uuid`, `start`, `meta/instanceID`, ...) that are ignored, as is any
column that names no field of the form.  Each row becomes a dict shaped like a response YAML file and
is checked with the same models and validation as a response file, so every bad value is reported with
its file, row and column before anything is written.

Row numbers are the spreadsheet's: the header is row 1, the first submission row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assess.errors import InputFileError, Problem, ResponseError
from assess.messages import Message, said_error, say, unreadable
from assess.models.answers import ValidatedResponse
from assess.models.common import Lang
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Question,
    TextQuestion,
    YesNoQuestion,
)
from assess.models.response import Response
from assess.questionnaire.xlsform import (
    ASSESSMENT_DATE,
    ASSESSOR,
    CREDIT_CODE,
    CRITERIA_FIELD,
    FIRM_NAME,
    INDUSTRY,
    MARKETS,
    NA_CHOICE,
    has_note,
    na_choice_name,
    na_field,
    note_field,
    target_field,
)
from assess.readers.locations import problems_from
from assess.readers.text_file import read_bytes
from assess.readers.workbook import reading_workbook, shown_number
from assess.scoring.applicability import applicability
from assess.validation import validate_response

__all__ = [
    "CheckedSubmissions",
    "RejectedSubmission",
    "Submission",
    "TableLayout",
    "TableRow",
    "check_row",
    "check_submissions",
    "free_submission_path",
    "iter_table_rows",
    "read_submissions",
    "read_table",
    "submission_file_name",
]

NA_VALUE = "N/A"  # how a response file writes "not applicable"
REQUIRED_COLUMNS = (FIRM_NAME, INDUSTRY, MARKETS, ASSESSMENT_DATE)
FIRM_FIELDS = {
    "name": FIRM_NAME,
    "credit_code": CREDIT_CODE,
    "industry": INDUSTRY,
    "markets": MARKETS,
    "assessment_date": ASSESSMENT_DATE,
    "assessor": ASSESSOR,
}
_OPTIONAL_FIRM_FIELDS = ("credit_code", "assessor")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_INTEGER = re.compile(r"^[+-]?\d{1,300}$")  # longer ones stay text: validation says they are no finite number
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})([T ].*)?$")
_WRITTEN_DATE = re.compile(r"^(\d{4})[/.年](\d{1,2})[/.月](\d{1,2})日?$")  # 2026/9/15, 2026.9.15, 2026年9月15日
_LIST_SEPARATORS = re.compile(r"[\s,，;；、]+")  # "eu us", "eu,us", "eu、us"
_PATH_SEPARATORS = ("/", "-", ".", ":")


@dataclass(frozen=True)
class Submission:
    """One submission: its row in the export, the firm's name, and response data ready to save as YAML."""

    row: int
    firm_name: str
    data: dict[str, Any]


# --- reading the table --------------------------------------------------------------------------

Rows = list[tuple[int, list[Any]]]  # (row number, cells) of the rows that hold a firm
Columns = dict[str, tuple[int, str]]  # field name -> (column index, header as written)
MAX_TABLE_ROWS = 50_000  # firm rows: a table of 10,000 firms is a large one
MAX_TABLE_RECORDS = 1_048_576  # rows read in all, blank ones too (Excel's own limit for a sheet)
# Rows read times the width kept (up to the form's last column): 10,000 firms of 150 columns make 1.5 million.
MAX_TABLE_CELLS = 20_000_000


def _fail(name: str, message: Message) -> InputFileError:
    return unreadable(name, message)


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030, which Excel uses on Chinese Windows; UTF-16 with its BOM
    (Excel's "Unicode text", tab-separated)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _fail(name, say("table_binary")) from None
    if b"\x00" in data:  # no text export holds one; csv would read it into a cell
        raise _fail(name, say("table_binary"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(name, say("table_encoding", line=line)) from None


def _delimiter(text: str) -> str:
    """Kobo's default is `;`; other tools use `,` or a tab.  Field names contain none of them."""
    header = text[: text.find("\n")] if "\n" in text else text
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Collector:
    """The firm rows of a table, read one by one: blank rows are dropped, each row is cut to the columns the form
    uses, and a table far larger than any real one is refused as soon as that is clear (before it fills memory)."""

    def __init__(self, name: str, columns: Columns) -> None:
        self.name = name
        self.indexes = [index for index, _ in columns.values()]
        self.width = max(self.indexes) + 1 if self.indexes else 0
        self.records = 0
        self.rows: Rows = []

    def add(self, number: int, cells: Sequence[Any]) -> None:
        self.records += 1
        if self.records > MAX_TABLE_RECORDS or self.records * max(self.width, 1) > MAX_TABLE_CELLS:
            limit = min(MAX_TABLE_RECORDS, MAX_TABLE_CELLS // max(self.width, 1))
            raise _fail(self.name, say("table_too_many_rows", limit=f"{limit:,}"))
        if not any(_text(cells[i]) for i in self.indexes if i < len(cells)):
            return  # blank lines and metadata-only rows are skipped
        if len(self.rows) >= MAX_TABLE_ROWS:
            raise _fail(self.name, say("table_too_many_rows", limit=f"{MAX_TABLE_ROWS:,}"))
        self.rows.append((number, list(cells[: self.width])))


def _csv_table(data: bytes, name: str, select: Callable[[list[Any]], Columns]) -> tuple[Columns, Rows]:
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    del text  # the reader holds its own copy
    try:
        header = next(reader, None)
        if header is None:
            raise _fail(name, say("file_empty"))
        columns = select(header)
        collector = _Collector(name, columns)
        for number, row in enumerate(reader, start=2):
            collector.add(number, row)
    except csv.Error as exc:
        raise _fail(name, say("table_bad_csv", line=reader.line_num, error=exc)) from None
    return columns, collector.rows


def _xlsx_table(data: bytes, name: str, select: Callable[[list[Any]], Columns]) -> tuple[Columns, Rows]:
    """The first sheet's rows, numbers as the sheet shows them (a cell formatted 2% gives 2)."""
    with reading_workbook(data, name) as workbook:
        if not workbook.worksheets:
            raise _fail(name, say("table_no_sheets"))
        sheet = workbook.worksheets[0]
        first = next(sheet.iter_rows(max_row=1), None)
        if first is None:
            raise _fail(name, say("file_empty"))
        columns = select([shown_number(cell.value, cell.number_format) for cell in first])
        collector = _Collector(name, columns)
        if collector.width:
            for number, row in enumerate(sheet.iter_rows(min_row=2, max_col=collector.width), start=2):
                collector.add(number, [shown_number(cell.value, cell.number_format) for cell in row])
        return columns, collector.rows


def _table(data: bytes, name: str, suffix: str, select: Callable[[list[Any]], Columns]) -> tuple[Columns, Rows]:
    """The columns `select` picks from the header, and the firm rows under it."""
    if not data.strip():
        raise _fail(name, say("file_empty"))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(name, say("table_old_xls"))
    if data.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        return _xlsx_table(data, name, select)
    return _csv_table(data, name, select)


# --- columns ------------------------------------------------------------------------------------


def _fields(criteria: CriteriaSet) -> dict[str, Question | None]:
    """Every field name of the form -> its question (None for profile fields)."""
    fields: dict[str, Question | None] = {name: None for name in (*FIRM_FIELDS.values(), CRITERIA_FIELD)}
    for qid, question in criteria.questions.items():
        fields[qid] = question
        if has_note(question):
            fields[note_field(qid)] = None
        if isinstance(question, NumberQuestion) and question.na_allowed:
            fields[na_field(qid)] = None
        if isinstance(question, LevelQuestion):
            fields[target_field(qid)] = None
    return fields


def field_names(criteria: CriteriaSet) -> set[str]:
    """The names a table's columns may carry (or a column mapping may name): profile fields, question ids..."""
    return set(_fields(criteria))


def _field_of(header: str, fields: dict[str, Question | None]) -> str | None:
    """The form field a column holds, after any group path; None for metadata and split select columns."""
    if header in fields:
        return header
    if "/" in header:
        parent = header.rsplit("/", 1)[0]
        if isinstance(fields.get(_field_of(parent, fields) or ""), MultiChoiceQuestion):
            return None  # Kobo's one-column-per-option view of a select_multiple ("group/BR-02/china")
    matches = [f for f in fields if any(header.endswith(sep + f) for sep in _PATH_SEPARATORS)]
    return max(matches, key=len) if matches else None


def _columns(header: Sequence[Any], criteria: CriteriaSet, name: str) -> dict[str, tuple[int, str]]:
    """Field name -> (column index, header as written), checking that the form's columns are there."""
    fields = _fields(criteria)
    found: dict[str, tuple[int, str]] = {}
    said: list[Message] = []
    for index, cell in enumerate(header):
        text = _text(cell)
        field = _field_of(text, fields) if text else None
        if field is None:
            continue
        if field in found:
            said.append(say("columns_twice", first=found[field][1], second=text, field=field))
            continue
        found[field] = (index, text)
    missing = [f for f in REQUIRED_COLUMNS if f not in found]
    if missing:
        said.append(say("columns_missing", columns=", ".join(missing)))
    if not any(qid in found for qid in criteria.questions):
        said.append(say("no_question_columns", example=", ".join(list(criteria.questions)[:3])))
    if said:
        summary = say("not_a_submissions_export", name=name, criteria=criteria.id)
        raise said_error(summary, [(name, m) for m in said], InputFileError)
    return found


# --- cells to answers ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as trimmed text; numbers without a spurious '.0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text[1:].strip() if text[:1] == "\ufeff" else text  # a BOM mid-file: two exports pasted together


def _number(value: Any, text: str) -> Any:
    """An int or float when the cell holds one; otherwise the text, for validation to explain."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return float(text)
    return text


def _answer(question: Question, value: Any, na_flag: str) -> Any:
    """The raw answer as a response file would write it, or None when unanswered."""
    text = _text(value)
    if isinstance(question, NumberQuestion) and question.na_allowed and NA_CHOICE in na_flag.split():
        return NA_VALUE
    if not text:
        return None
    na = na_choice_name(question)
    if question.na_allowed and text == na:
        return NA_VALUE
    if isinstance(question, LevelQuestion):
        number = _number(value, text)
        return int(number) if isinstance(number, float) and number.is_integer() else number
    if isinstance(question, MultiChoiceQuestion):
        items = text.split()
        return NA_VALUE if question.na_allowed and items == [na] else items
    if isinstance(question, YesNoQuestion):
        return {"yes": True, "no": False}.get(text, text)
    if isinstance(question, NumberQuestion):
        return _number(value, text)
    return text  # a single choice's option id, or free text


def _date(value: Any) -> Any:
    """ISO text for a date cell; 2026/9/15 and 2026.9.15 (what WPS and Chinese Excel show) read as 2026-09-15."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    text = _text(value)
    match = _ISO_DATE.match(text)
    if match:
        return match.group(1)
    written = _WRITTEN_DATE.match(text)
    if written:
        try:
            return dt.date(*(int(part) for part in written.groups())).isoformat()
        except ValueError:
            pass  # no such day: the response model says so
    return text


def _row_data(cells: list[Any], columns: dict[str, tuple[int, str]], criteria: CriteriaSet) -> dict[str, Any]:
    def cell(field: str) -> Any:
        index = columns.get(field, (None, ""))[0]
        return cells[index] if index is not None and index < len(cells) else None

    firm: dict[str, Any] = {
        "name": _text(cell(FIRM_NAME)),
        "industry": _text(cell(INDUSTRY)),
        "markets": [m for m in _LIST_SEPARATORS.split(_text(cell(MARKETS))) if m],
        "assessment_date": _date(cell(ASSESSMENT_DATE)),
    }
    for key, field in (("credit_code", CREDIT_CODE), ("assessor", ASSESSOR)):
        if _text(cell(field)):
            firm[key] = _text(cell(field))
    answers: dict[str, Any] = {}
    for qid, question in criteria.questions.items():
        value = _answer(question, cell(qid), _text(cell(na_field(qid))))
        note = _text(cell(note_field(qid)))
        target_cell = cell(target_field(qid)) if isinstance(question, LevelQuestion) else None
        target = _number(target_cell, _text(target_cell)) if _text(target_cell) else None
        extras = {key: found for key, found in (("note", note), ("target", target)) if found not in (None, "")}
        if value is not None or extras:
            answers[qid] = {"value": value, **extras} if extras else value
    return {
        "criteria": _text(cell(CRITERIA_FIELD)) or criteria.id,
        "status": "final",
        "firm": firm,
        "answers": answers,
    }


# --- checking -----------------------------------------------------------------------------------


def _field_of_path(path: Sequence[str | int]) -> str | None:
    """The form field (column) a path in the response data comes from: `("answers", "TR-01", "note")` -> TR-01_note."""
    if len(path) >= 2 and path[0] == "firm":
        return FIRM_FIELDS.get(str(path[1]))
    if len(path) >= 2 and path[0] == "answers":
        field = str(path[1])
        if len(path) >= 3 and path[2] == "note":
            return note_field(field)
        if len(path) >= 3 and path[2] == "target":
            return target_field(field)
        return field
    if path and path[0] == "criteria":
        return CRITERIA_FIELD
    return None


def _without_refused(data: dict[str, Any], exc: ValidationError, criteria: CriteriaSet) -> dict[str, Any] | None:
    """The row's data with every value the response model refused left out, or a required firm field replaced
    by a harmless stand-in, so that the rest of the row (its answers above all) can still be checked.

    The stand-ins are never written or scored: the row is rejected for the problems already found.
    None when an error is about something no cell holds.
    """
    firm = dict(data["firm"])
    answers = dict(data["answers"])
    result = {**data, "firm": firm, "answers": answers}
    stand_in: dict[str, Any] = {
        "name": "?",
        "assessment_date": "2000-01-01",
        "industry": next((t.id for t in criteria.industries), None),
        "markets": [m.id for m in criteria.markets[:1]],
    }
    refused_markets: set[int] = set()
    for error in exc.errors():
        loc = error["loc"]
        if len(loc) >= 2 and loc[0] == "firm" and loc[1] in stand_in:
            if loc[1] == "markets" and len(loc) >= 3 and isinstance(loc[2], int):
                refused_markets.add(loc[2])
            else:
                firm[str(loc[1])] = stand_in[str(loc[1])]
        elif len(loc) >= 2 and loc[0] == "firm" and loc[1] in _OPTIONAL_FIRM_FIELDS:
            firm.pop(str(loc[1]), None)
        elif len(loc) >= 2 and loc[0] == "answers":
            entry = answers.get(str(loc[1]))
            if len(loc) >= 3 and loc[2] in ("note", "target") and isinstance(entry, dict):
                answers[str(loc[1])] = {k: v for k, v in entry.items() if k != loc[2]}  # the answer is still checked
            else:
                answers.pop(str(loc[1]), None)
        elif loc == ("criteria",):
            result.pop("criteria", None)
        else:
            return None
    if refused_markets and isinstance(firm.get("markets"), list):
        firm["markets"] = [m for i, m in enumerate(firm["markets"]) if i not in refused_markets] or stand_in["markets"]
    return result


def _check(
    data: dict[str, Any], criteria: CriteriaSet, columns: dict[str, tuple[int, str]], where: str, lang: Lang = "en"
) -> tuple[str, list[Problem], ValidatedResponse | None]:
    """The status the row earns ("final", or "draft" when required answers are missing) and its validated
    response, or its problems: all of them, the firm fields' and every answer's, in the order of the columns."""
    order: dict[str, int] = {}  # location -> column index, to list the problems as the row reads

    def column(path: Sequence[str | int]) -> str:
        field = _field_of_path(path)
        header = columns[field][1] if field in columns else field
        located = say("table_cell", where=where, column=header).in_lang(lang) if header else where
        order.setdefault(located, columns[field][0] if field in columns else -1)
        return located

    problems: list[Problem] = []
    draft = {**data, "status": "draft"}
    try:
        response = Response.model_validate(draft)
    except ValidationError as exc:
        # A bad firm field (a mistyped date, a Chinese industry name) should not hide the answers' problems.
        problems = problems_from(exc, where, {}, locator=column)
        repaired = _without_refused(draft, exc, criteria)
        if repaired is None:
            return "draft", problems, None
        try:
            response = Response.model_validate(repaired)
        except ValidationError:  # not expected: the stand-ins are good values
            return "draft", problems, None
    try:
        validated = validate_response(criteria, response, column, source=where)
    except ResponseError as exc:
        found = problems + exc.problems
        return "draft", sorted(found, key=lambda p: order.get(p.location, -1)), None
    if problems:
        return "draft", sorted(problems, key=lambda p: order.get(p.location, -1)), None
    applies = applicability(criteria, validated.firm, validated.answers)
    missing = [
        qid for qid, q in criteria.questions.items() if q.required and applies[qid] and qid not in validated.answers
    ]
    status = "draft" if missing else "final"
    return status, [], validated if status == "draft" else validated.model_copy(update={"status": status})


@dataclass(frozen=True)
class TableRow:
    """One row of a table of firms: its response data and validated response, or the problems that stop it."""

    row: int
    data: dict[str, Any]
    problems: list[Problem]
    validated: ValidatedResponse | None = None


@dataclass(frozen=True)
class TableLayout:
    """What checking a row needs from its table: the file name and where each field's column is."""

    name: str
    columns: dict[str, tuple[int, str]]

    def missing_questions(self, criteria: CriteriaSet) -> list[str]:
        """Scored questions the table has no column for: every firm in it is scored as not having answered them.

        Free-text questions earn no points, so a table may leave them out.
        """
        return [
            qid for qid, q in criteria.questions.items() if qid not in self.columns and not isinstance(q, TextQuestion)
        ]


def read_table(
    path: Path, criteria: CriteriaSet, column_map: dict[str, str] | None = None
) -> tuple[TableLayout, Iterator[tuple[int, list[Any]]]]:
    """The table's layout and the cells of its firm rows, unchecked (check each with `check_row`).

    Reading is cheap and turning cells into answers is not, so a batch reads in one process and checks
    in many.  `column_map` renames headers first (a survey platform's own column names -> our field names).
    Raises InputFileError when the table as a whole cannot be read or lacks required columns.
    """
    name = path.name

    def select(header: list[Any]) -> Columns:
        renamed = [column_map.get(_text(cell), cell) if column_map else cell for cell in header]
        return _columns(renamed, criteria, name)

    columns, rows = _table(read_bytes(path, name=name), name, path.suffix.lower(), select)
    return TableLayout(name, columns), iter(rows)


def check_row(layout: TableLayout, number: int, cells: list[Any], criteria: CriteriaSet, lang: Lang = "en") -> TableRow:
    """One row's cells as response data, checked on its own (problems located by row and column, in `lang`)."""
    data = _row_data(cells, layout.columns, criteria)
    where = say("table_row", file=layout.name, row=number).in_lang(lang)
    status, found, validated = _check(data, criteria, layout.columns, where, lang)
    return TableRow(number, {**data, "status": status}, found, validated)


def iter_table_rows(
    path: Path, criteria: CriteriaSet, column_map: dict[str, str] | None = None, lang: Lang = "en"
) -> Iterator[TableRow]:
    """Each firm row of a table (CSV or XLSX), checked (rows located in `lang`)."""
    layout, rows = read_table(path, criteria, column_map)
    for number, cells in rows:
        yield check_row(layout, number, cells, criteria, lang)


@dataclass(frozen=True)
class RejectedSubmission:
    """A submission that does not fit the criteria: its row, and the error listing its problems."""

    row: int
    error: ResponseError


@dataclass(frozen=True)
class CheckedSubmissions:
    """Every submission of an export, sorted into those that fit (ready to save) and those that do not."""

    submissions: list[Submission]
    rejected: list[RejectedSubmission]


def check_submissions(path: Path, criteria: CriteriaSet, lang: Lang = "en") -> CheckedSubmissions:
    """Every submission of a Kobo / ODK export (CSV or XLSX), checked one by one: a bad row does not stop the rest.

    Raises InputFileError when the file cannot be read or lacks the form's columns.
    """
    name = path.name
    submissions: list[Submission] = []
    rejected: list[RejectedSubmission] = []
    for row in iter_table_rows(path, criteria, lang=lang):
        if row.problems:
            summary = say("submissions_do_not_fit", name=name, count=1, criteria=criteria.id)
            rejected.append(
                RejectedSubmission(row.row, ResponseError(str(summary), row.problems, summary.in_lang("zh")))
            )
            continue
        submissions.append(Submission(row=row.row, firm_name=row.data["firm"]["name"], data=row.data))
    return CheckedSubmissions(submissions, rejected)


def read_submissions(path: Path, criteria: CriteriaSet, lang: Lang = "en") -> list[Submission]:
    """Every submission of a Kobo / ODK export (CSV or XLSX), as checked response data; all or nothing.

    Raises InputFileError when the file cannot be read or lacks the form's columns, and
    ResponseError listing every bad value with its row and column.
    """
    checked = check_submissions(path, criteria, lang)
    if checked.rejected:
        problems = [problem for rejected in checked.rejected for problem in rejected.error.problems]
        summary = say("submissions_do_not_fit", name=path.name, count=len(checked.rejected), criteria=criteria.id)
        raise ResponseError(str(summary), problems, summary.in_lang("zh"))
    return checked.submissions


# --- file names ---------------------------------------------------------------------------------


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:48].strip("-")


def submission_file_name(submission: Submission) -> str:
    """`<slug>-row<n>.yaml`: ASCII only, no separators, never hidden, never a Windows device name.

    The slug comes from the firm name, or the credit code when the name has too few Latin letters
    (most Chinese firm names); the row number keeps two submissions of one firm apart.
    """
    firm = submission.data.get("firm") or {}
    slug = _slug(submission.firm_name)
    if len(slug) < 3:
        slug = _slug(str(firm.get("credit_code") or "")) or slug or "firm"
    if slug.upper() in _WINDOWS_RESERVED:
        slug = f"firm-{slug}"
    return f"{slug}-row{submission.row}.yaml"


def _firm_in(path: Path) -> tuple[str, str] | None:
    """(name, credit code) of the response file at `path`; None when it is no readable response file."""
    from assess.errors import UserError
    from assess.readers.safe_yaml import load_yaml
    from assess.readers.text_file import read_text

    try:
        data, _ = load_yaml(read_text(path, path.name), path.name)
    except (UserError, OSError, ValueError):
        return None
    firm = data.get("firm") if isinstance(data, dict) else None
    if not isinstance(firm, dict):
        return None
    return str(firm.get("name") or "").strip(), str(firm.get("credit_code") or "").strip().upper()


def _same_firm(found: tuple[str, str], submission: Submission) -> bool:
    firm = submission.data.get("firm") or {}
    name, code = found
    their_code = str(firm.get("credit_code") or "").strip().upper()
    if code and their_code:
        return code == their_code
    return bool(name) and name.casefold() == submission.firm_name.strip().casefold()


def free_submission_path(
    folder: Path, submission: Submission, source: str, lang: Lang = "en"
) -> tuple[Path, Problem | None]:
    """Where to write `submission` in `folder`: its usual name, unless that file holds another firm's response.

    Then the first free `<name>-2.yaml`, `-3`... (or one holding this same firm), with a warning saying so:
    a later import into the same folder never replaces a different firm's file.
    """
    usual = folder / submission_file_name(submission)
    candidate, number = usual, 1
    other: tuple[str, str] | None = None
    while candidate.exists() or candidate.is_symlink():
        found = _firm_in(candidate) if candidate.is_file() else None
        if found is not None and _same_firm(found, submission):
            break
        if other is None:
            other = found or ("?", "")
        number += 1
        candidate = usual.with_name(f"{usual.stem}-{number}{usual.suffix}")
    if candidate == usual:
        return usual, None
    message = say("submission_renamed", taken=usual.name, firm=(other or ("?", ""))[0] or "?", name=candidate.name)
    where = say("table_row", file=source, row=submission.row).in_lang(lang)
    return candidate, Problem(where, str(message), severity="warning", message_zh=message.in_lang("zh"))
