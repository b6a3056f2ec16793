"""Read a filled spreadsheet questionnaire back into a response, cell by cell.

Answers are found by the key in the hidden column A (see `assess.questionnaire.xlsx_layout`),
so renamed sheets, moved rows and added rows do no harm.  Where the intent is clear the reader
is lenient (option texts in either language, stray spaces, full-width digits); everything else
becomes a problem that names the sheet, the cell and the question.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assess.errors import InputFileError, Problem, ResponseError
from assess.messages import Message, say, unreadable
from assess.models.answers import ValidatedResponse
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)
from assess.models.response import Response
from assess.questionnaire import xlsx_layout as layout
from assess.questionnaire.xlsx_form import dropdown_values
from assess.readers.locations import format_path, problems_from
from assess.readers.text_file import read_bytes
from assess.readers.workbook import QUESTIONNAIRE_LIMITS, reading_workbook, shown_number
from assess.validation import InvalidAnswerError, is_na, parse_value, validate_response

_SPLIT = re.compile(r"[,，;；、\n]+")
_QUESTION_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
_STATUS_WORDS = {"final": "final", "定稿": "final", "完成": "final", "draft": "draft", "草稿": "draft"}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()  # no NFKC here: notes and names keep their full-width punctuation
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _text_map(criteria: CriteriaSet, question: Question) -> dict[str, Any]:
    """Option texts (both languages), ids and yes/no words -> the value the validator expects."""
    mapping: dict[str, Any] = {}
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        for option in question.options:
            for text in (
                option.id,
                option.text.zh,
                option.text.en,
                f"{option.id}: {option.text.zh}",
                f"{option.id}: {option.text.en}",
            ):
                mapping[_norm(text)] = option.id
    if isinstance(question, YesNoQuestion):
        labels = criteria.answer_labels
        mapping |= {
            _norm(labels.yes.zh): True,
            _norm(labels.yes.en): True,
            _norm(labels.no.zh): False,
            _norm(labels.no.en): False,
        }
    for text in (criteria.answer_labels.na.zh, criteria.answer_labels.na.en):
        mapping[_norm(text)] = "N/A"
    return mapping


def _answer_value(criteria: CriteriaSet, question: Question, raw: Any) -> Any:
    """The cell's value turned into what a YAML response would hold; unknown text is passed on to be reported."""
    if isinstance(raw, bool | int | float) and not isinstance(question, MultiChoiceQuestion):
        return raw
    text = str(raw)
    mapping = _text_map(criteria, question)
    if isinstance(question, MultiChoiceQuestion):
        return [mapping.get(_norm(p), p) for p in _parts(text, mapping)]
    if _norm(text) in mapping:
        return mapping[_norm(text)]
    if isinstance(question, LevelQuestion):  # "2 — documented" (a drop-down entry), but not "2-3"
        match = re.match(r"^(\d{1,9})\s*(?:[—–-]\s*(?![\d\s])|$)", text)
        if match:
            return int(match.group(1))
    return text


_SHOWN_ID = re.compile(r"^'?([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\s")  # column B starts with the question id
_COLUMNS = layout.TARGET_COLUMN  # A to F: all a row of the questionnaire holds
_BEYOND = _COLUMNS + 1  # G: read only to catch an answer typed next to the form
Row = tuple[Any, ...]  # the cells A..G of one row (openpyxl read-only cells)
MAX_ROWS = (
    1_048_576  # rows of a sheet, empty ones too: Excel's own limit (a cell at its last row makes a sheet that long)
)
MAX_ALL_ROWS = 12 * MAX_ROWS  # rows of all sheets: a questionnaire has ten sheets
MAX_FILLED_ROWS = 10_000  # rows holding something: a questionnaire has a few hundred


class _RowCount:
    """Rows read from one workbook, to stop one that is far longer than any questionnaire (see MAX_ROWS)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows = 0
        self.filled = 0

    def rows_of(self, sheet: Any, **bounds: int) -> Iterator[tuple[int, Row]]:
        """(row number, cells) of each row of `sheet` (`bounds` as `iter_rows` takes them), counted."""
        for number, row in enumerate(sheet.iter_rows(**bounds), start=1):
            self.rows += 1
            if number > MAX_ROWS or self.rows > MAX_ALL_ROWS:
                raise self._too_many(sheet, MAX_ROWS if number > MAX_ROWS else MAX_ALL_ROWS)
            if any(cell.value is not None for cell in row):
                self.filled += 1
                if self.filled > MAX_FILLED_ROWS:
                    raise self._too_many(sheet, MAX_FILLED_ROWS)
                yield number, row

    def _too_many(self, sheet: Any, limit: int) -> InputFileError:
        return unreadable(self.name, say("xlsx_too_many_rows", limit=f"{limit:,}", sheet=sheet.title))


def _cell(row: Row, column: int) -> Any:
    return row[column - 1] if len(row) >= column else None


def _value(row: Row, column: int) -> Any:
    cell = _cell(row, column)
    return None if cell is None else _clean(shown_number(cell.value, cell.number_format))


def _parts(text: str, known: dict[str, Any]) -> list[str]:
    """The items of a list cell: split at commas, semicolons, 、 or new lines, and at spaces too when every
    word is a known item ("china eu us"), but not inside a known text with spaces ("Advanced certified")."""
    parts: list[str] = []
    for part in (p.strip() for p in _SPLIT.split(text)):
        words = part.split()
        if len(words) > 1 and _norm(part) not in known and all(_norm(w) in known for w in words):
            parts.extend(words)
        elif part:
            parts.append(part)
    return parts


class _Reader:
    def __init__(self, criteria: CriteriaSet, name: str, formulas: dict[tuple[str, int, int], str]) -> None:
        self.criteria = criteria
        self.name = name
        self.formulas = formulas  # (sheet, row, column) -> formula, for cells whose formula has no value
        self.firm: dict[str, Any] = {}
        self.answers: dict[str, Any] = {}
        self.cells: dict[tuple[str | int, ...], str] = {}
        self.problems: list[Problem] = []
        self.seen: dict[str, str] = {}
        self.meta: dict[str, str] = {}
        self.uncoded: list[tuple[str, int, str, Row]] = []  # rows whose code in column A was cleared
        self.picked: dict[str, Any] = {}  # question id -> the answer read from a drop-down cell

    def where(self, sheet: str, row: int, column: int) -> str:
        letter = "ABCDEFGHIJ"[column - 1]
        return f"{sheet}!{letter}{row}"

    def problem(self, where: str, message: Message, question_id: str | None = None, severity: str = "error") -> None:
        self.problems.append(Problem(where, str(message), question_id, severity, message.in_lang("zh")))

    def read(self, workbook: Any) -> None:
        count = _RowCount(self.name)
        if layout.META_SHEET in workbook.sheetnames:
            meta = workbook[layout.META_SHEET]
            pairs = ((r[0].value, r[1].value) for _, r in count.rows_of(meta, max_col=2))
            self.meta = {str(key): str(value) for key, value in pairs if key and value}
        for sheet in workbook.worksheets:
            if sheet.title in (layout.META_SHEET, layout.LISTS_SHEET):
                continue
            for number, row in count.rows_of(sheet, max_col=_BEYOND):
                self.read_row(sheet.title, number, row)
        for sheet_title, number, qid, row in self.uncoded:  # after every coded row: a coded row wins
            where = self.where(sheet_title, number, layout.KEY_COLUMN)
            if qid in self.seen:
                answer_at = self.where(sheet_title, number, layout.ANSWER_COLUMN)
                self.problem(answer_at, say("xlsx_answer_without_code"), severity="warning")
                continue
            self.seen[qid] = where
            self.problem(where, say("xlsx_code_recovered", key=qid), qid, severity="warning")
            self.read_answer(sheet_title, number, qid, row)

    def read_row(self, sheet: str, number: int, row: Row) -> None:
        key = _value(row, layout.KEY_COLUMN)
        answer = _value(row, layout.ANSWER_COLUMN)
        if not isinstance(key, str):
            shown = _SHOWN_ID.match(str(_value(row, layout.QUESTION_COLUMN) or ""))
            filled = any(_value(row, c) is not None for c in range(layout.ANSWER_COLUMN, _BEYOND + 1))
            if shown and shown.group(1) in self.criteria.questions and filled and number > layout.HEADER_ROW:
                self.uncoded.append((sheet, number, shown.group(1), row))  # column B still names the question
                return
            if answer is not None and number > layout.HEADER_ROW and _value(row, layout.QUESTION_COLUMN):
                where = self.where(sheet, number, layout.ANSWER_COLUMN)
                self.problem(where, say("xlsx_answer_without_code"), severity="warning")
            return
        key = key.upper() if not key.startswith(layout.FIRM_PREFIX) else key
        if not (key.startswith(layout.FIRM_PREFIX) or _QUESTION_ID.match(key)):
            return  # a header or title row
        if key in self.seen:
            where = self.where(sheet, number, layout.KEY_COLUMN)
            self.problem(where, say("xlsx_key_twice", key=key, other=self.seen[key]), key)
            return
        self.seen[key] = self.where(sheet, number, layout.KEY_COLUMN)
        if key.startswith(layout.FIRM_PREFIX):
            self.read_firm(sheet, number, key.removeprefix(layout.FIRM_PREFIX), answer)
            return
        shown = _SHOWN_ID.match(str(_value(row, layout.QUESTION_COLUMN) or ""))
        if shown and shown.group(1) != key:  # the visible rows were sorted or moved without the hidden column A
            where = self.where(sheet, number, layout.QUESTION_COLUMN)
            self.problem(where, say("xlsx_row_moved", shown=shown.group(1), key=key), key)
            return
        self.read_answer(sheet, number, key, row)

    def read_firm(self, sheet: str, row: int, field: str, value: Any) -> None:
        if field not in layout.FIRM_FIELDS or value is None:
            return
        self.cells[("firm", field)] = self.where(sheet, row, layout.ANSWER_COLUMN)
        if field == "status":
            self.cells[("status",)] = self.cells.pop(("firm", field))
            self.firm["__status"] = _STATUS_WORDS.get(_norm(str(value)), str(value))
            return
        if field == "industry":
            names = {_norm(t.name.zh): t.id for t in self.criteria.industries}
            names |= {_norm(t.name.en): t.id for t in self.criteria.industries}
            value = names.get(_norm(str(value)), str(value))
        elif field == "markets":
            names = {_norm(t.name.zh): t.id for t in self.criteria.markets}
            names |= {_norm(t.name.en): t.id for t in self.criteria.markets}
            names |= {_norm(t.id): t.id for t in self.criteria.markets}
            value = [names.get(_norm(p), p) for p in _parts(str(value), names)]
        elif field == "assessment_date":
            value = _date_cell(value)
        elif field == "credit_code" and isinstance(value, int | float) and not isinstance(value, bool):
            # Excel stores an all-digit code typed into a General cell as a number of 15 significant digits.
            self.problem(self.cells[("firm", field)], say("xlsx_credit_code_number"))
            return
        elif field in ("name", "credit_code", "assessor"):
            value = str(value)
        self.firm[field] = value

    def read_answer(self, sheet: str, number: int, qid: str, row: Row) -> None:
        raw, note, target = (_value(row, c) for c in (layout.ANSWER_COLUMN, layout.NOTE_COLUMN, layout.TARGET_COLUMN))
        self.cells[("answers", qid)] = f"{self.where(sheet, number, layout.ANSWER_COLUMN)} ({qid})"
        self.cells[("answers", qid, "target")] = f"{self.where(sheet, number, layout.TARGET_COLUMN)} ({qid})"
        self.cells[("answers", qid, "note")] = f"{self.where(sheet, number, layout.NOTE_COLUMN)} ({qid})"
        for column, value in ((layout.ANSWER_COLUMN, raw), (layout.NOTE_COLUMN, note), (layout.TARGET_COLUMN, target)):
            formula = self.formulas.get((sheet, number, column))
            if value is None and formula is not None:
                where = f"{self.where(sheet, number, column)} ({qid})"
                self.problem(where, say("xlsx_formula_without_value", formula=formula[:60]), qid)
        question = self.criteria.questions.get(qid)
        if raw is None and question is not None:
            self.misplaced(sheet, number, question, row)
        value = None
        if raw is not None:
            value = "N/A" if is_na(raw) else _answer_value(self.criteria, question, raw) if question else raw
            self.picked[qid] = value
        if value is None and note is None and target is None:
            return
        entry: dict[str, Any] = {"value": value}
        if note is not None:
            entry["note"] = str(note)
        if target is not None:
            entry["target"] = target
        self.answers[qid] = entry

    def misplaced(self, sheet: str, number: int, question: Question, row: Row) -> None:
        """An answer typed next to its empty answer cell (in the choices, note, target column or beyond)."""
        answer_cell = f"D{number}"
        for column in (layout.CHOICES_COLUMN, layout.NOTE_COLUMN, layout.TARGET_COLUMN, _BEYOND):
            value = _value(row, column)
            if value is None or not _bare_answer(self.criteria, question, value):
                continue
            where = f"{self.where(sheet, number, column)} ({question.id})"
            if column == layout.TARGET_COLUMN and isinstance(question, LevelQuestion):
                message = say("xlsx_target_without_answer", value=value, cell=answer_cell)
            else:
                message = say("xlsx_answer_in_wrong_column", value=value, key=question.id, cell=answer_cell)
            self.problem(where, message, question.id, severity="warning")
            return

    def as_listed(self, problems: Sequence[Problem]) -> tuple[Problem, ...]:
        """An answer not among the choices, told with the choices as the drop-down lists them (not internal ids)."""
        return tuple(self._as_listed(p) for p in problems)

    def _as_listed(self, problem: Problem) -> Problem:
        qid, mode = problem.question_id, self.meta.get("lang")
        question = self.criteria.questions.get(qid or "")
        if question is None or qid not in self.picked or mode not in ("zh", "en", "bilingual"):
            return problem
        shown = dropdown_values(self.criteria, question, mode)  # type: ignore[arg-type]
        if shown is None or problem.location != self.cells.get(("answers", question.id)):
            return problem
        try:
            parse_value(question, self.picked[question.id])
            return problem
        except InvalidAnswerError as exc:
            if exc.message.key != "not_one_of" or str(exc.message) != problem.message:
                return problem  # another problem of this answer
            value = dict(exc.message.values)["value"]
        message = say("xlsx_not_in_list", value=value, allowed=[f"“{text}”" for text in shown])
        return replace(problem, message=str(message), message_zh=message.in_lang("zh"))

    def at_cells(self, problems: Sequence[Problem]) -> tuple[Problem, ...]:
        """Problems about a whole question (a required answer missing) placed at its answer cell, if it has a row."""
        whole = self.locate(["answers"])
        return tuple(
            replace(p, location=self.cells[("answers", p.question_id)])
            if p.question_id and p.location == whole and ("answers", p.question_id) in self.cells
            else p
            for p in problems
        )

    def locate(self, path: Sequence[str | int]) -> str:
        for end in range(len(path), 0, -1):
            found = self.cells.get(tuple(path[:end]))
            if found:
                return found
        return f"{self.name}: {format_path(path)}" if path else self.name


def _bare_answer(criteria: CriteriaSet, question: Question, value: Any) -> bool:
    """True for a cell holding nothing but a valid answer (a level, an option, yes or no), not a sentence."""
    if isinstance(question, TextQuestion) or (isinstance(value, str) and ("\n" in value or len(value) > 60)):
        return False
    if isinstance(question, LevelQuestion) and not (isinstance(value, int) or str(value).strip().isdigit()):
        return False  # not "2 — documented", the first line of column C's descriptors
    try:
        parse_value(question, _answer_value(criteria, question, value))
    except (InvalidAnswerError, ValueError, TypeError):
        return False
    return True


_WRITTEN_DATE = re.compile(r"^(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its serial numbers count from here, past its 1900 leap bug)


def _date_cell(value: Any) -> Any:
    """A date cell, a date typed as text (2026/9/15, 2026年9月15日) or a date left as Excel's serial number."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, int) and not isinstance(value, bool) and 30_000 <= value <= 80_000:  # 1982 to 2119
        return _EXCEL_EPOCH + dt.timedelta(days=value)
    if isinstance(value, str) and (written := _WRITTEN_DATE.match(value)):
        try:
            return dt.date(*(int(part) for part in written.groups()))
        except ValueError:
            pass  # no such day: the response model says so
    return value if isinstance(value, dt.date | str) else str(value)


def _formulas(data: bytes, name: str) -> dict[tuple[str, int, int], str]:
    """Formulas in the answer, note and target columns: one never calculated (written by a script) has no value."""
    found: dict[tuple[str, int, int], str] = {}
    count = _RowCount(name)
    with reading_workbook(data, name, formulas=True, limits=QUESTIONNAIRE_LIMITS) as workbook:
        for sheet in workbook.worksheets:
            for number, row in count.rows_of(sheet, min_col=layout.ANSWER_COLUMN, max_col=_COLUMNS):
                for column, cell in enumerate(row, start=layout.ANSWER_COLUMN):
                    if cell.data_type == "f":
                        found[(sheet.title, number, column)] = str(getattr(cell.value, "text", cell.value))
    return found


def read_xlsx_response(path: Path, criteria: CriteriaSet) -> ValidatedResponse:
    """The validated response in a filled questionnaire workbook, or every problem by sheet and cell."""
    name = path.name
    data = read_bytes(path, name=name)
    reader = _Reader(criteria, name, _formulas(data, name))
    with reading_workbook(data, name, limits=QUESTIONNAIRE_LIMITS) as workbook:
        reader.read(workbook)
    status = reader.firm.pop("__status", "final")
    data_read: dict[str, Any] = {"status": status, "firm": reader.firm, "answers": reader.answers}
    if "criteria" in reader.meta:
        data_read["criteria"] = reader.meta["criteria"]
    errors = [p for p in reader.problems if p.severity == "error"]
    warnings = [p for p in reader.problems if p.severity == "warning"]  # shown with errors too: they may explain them
    summary = say("has_problems", name=name)
    try:
        response = Response.model_validate(data_read)
    except ValidationError as exc:
        found = errors + problems_from(exc, name, {}, locator=reader.locate) + warnings
        raise ResponseError(str(summary), found, summary.in_lang("zh")) from None
    if errors:
        raise ResponseError(str(summary), errors + warnings, summary.in_lang("zh"))
    try:
        validated = validate_response(criteria, response, reader.locate, source=name)
    except ResponseError as exc:
        found = [*reader.as_listed(reader.at_cells(exc.problems)), *warnings]
        raise ResponseError(exc.summary, found, exc.summary_zh) from None
    return validated.model_copy(update={"warnings": reader.at_cells(validated.warnings) + tuple(warnings)})
