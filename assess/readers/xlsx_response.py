"""Read a filled spreadsheet questionnaire back into a response, cell by cell.

Answers are found by the key in the hidden column A (see `assess.questionnaire.xlsx_layout`),
so renamed sheets, moved rows and added rows do no harm.  Where the intent is clear the reader
is lenient (option texts in either language, stray spaces, full-width digits); everything else
becomes a problem that names the sheet, the cell and the question.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from assess.errors import InputFileError, Problem, ResponseError
from assess.models.answers import ValidatedResponse
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
    YesNoQuestion,
)
from assess.models.response import Response
from assess.questionnaire import xlsx_layout as layout
from assess.readers.locations import format_path, problems_from
from assess.readers.text_file import read_bytes
from assess.validation import is_na, validate_response

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
        parts = [p.strip() for p in _SPLIT.split(text) if p.strip()]
        return [mapping.get(_norm(p), p) for p in parts]
    if _norm(text) in mapping:
        return mapping[_norm(text)]
    if isinstance(question, LevelQuestion):
        match = re.match(r"^(\d{1,9})\s*(?:[—–-]|$)", text)
        if match:
            return int(match.group(1))
    return text


class _Reader:
    def __init__(self, criteria: CriteriaSet, name: str) -> None:
        self.criteria = criteria
        self.name = name
        self.firm: dict[str, Any] = {}
        self.answers: dict[str, Any] = {}
        self.cells: dict[tuple[str | int, ...], str] = {}
        self.problems: list[Problem] = []
        self.seen: dict[str, str] = {}
        self.meta: dict[str, str] = {}

    def where(self, sheet: Worksheet, row: int, column: int) -> str:
        letter = "ABCDEFGHIJ"[column - 1]
        return f"{sheet.title}!{letter}{row}"

    def read(self, workbook: Any) -> None:
        if layout.META_SHEET in workbook.sheetnames:
            meta = workbook[layout.META_SHEET]
            self.meta = {str(r[0]): str(r[1]) for r in meta.iter_rows(max_col=2, values_only=True) if r[0] and r[1]}
        for sheet in workbook.worksheets:
            if sheet.title in (layout.META_SHEET, layout.LISTS_SHEET):
                continue
            for row in range(1, sheet.max_row + 1):
                self.read_row(sheet, row)

    def read_row(self, sheet: Worksheet, row: int) -> None:
        key = _clean(sheet.cell(row=row, column=layout.KEY_COLUMN).value)
        answer = _clean(sheet.cell(row=row, column=layout.ANSWER_COLUMN).value)
        if not isinstance(key, str):
            if (
                answer is not None
                and row > layout.HEADER_ROW
                and sheet.cell(row=row, column=layout.QUESTION_COLUMN).value
            ):
                self.problems.append(
                    Problem(
                        self.where(sheet, row, layout.ANSWER_COLUMN),
                        "an answer in a row without a question code (column A); it is ignored",
                        severity="warning",
                    )
                )
            return
        key = key.upper() if not key.startswith(layout.FIRM_PREFIX) else key
        if not (key.startswith(layout.FIRM_PREFIX) or _QUESTION_ID.match(key)):
            return  # a header or title row
        if key in self.seen:
            self.problems.append(
                Problem(
                    self.where(sheet, row, layout.KEY_COLUMN),
                    f"{key} appears twice (also at {self.seen[key]}); this row is ignored",
                    key,
                )
            )
            return
        self.seen[key] = self.where(sheet, row, layout.KEY_COLUMN)
        if key.startswith(layout.FIRM_PREFIX):
            self.read_firm(sheet, row, key.removeprefix(layout.FIRM_PREFIX), answer)
        else:
            self.read_answer(sheet, row, key, answer)

    def read_firm(self, sheet: Worksheet, row: int, field: str, value: Any) -> None:
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
            value = [names.get(_norm(p), p.strip()) for p in _SPLIT.split(str(value)) if p.strip()]
        elif field == "assessment_date" and isinstance(value, dt.datetime):
            value = value.date()
        elif field in ("name", "credit_code", "assessor"):
            value = str(value)
        self.firm[field] = value

    def read_answer(self, sheet: Worksheet, row: int, qid: str, raw: Any) -> None:
        note = _clean(sheet.cell(row=row, column=layout.NOTE_COLUMN).value)
        target = _clean(sheet.cell(row=row, column=layout.TARGET_COLUMN).value)
        self.cells[("answers", qid)] = f"{self.where(sheet, row, layout.ANSWER_COLUMN)} ({qid})"
        self.cells[("answers", qid, "target")] = f"{self.where(sheet, row, layout.TARGET_COLUMN)} ({qid})"
        self.cells[("answers", qid, "note")] = f"{self.where(sheet, row, layout.NOTE_COLUMN)} ({qid})"
        question = self.criteria.questions.get(qid)
        value = None
        if raw is not None:
            value = "N/A" if is_na(raw) else _answer_value(self.criteria, question, raw) if question else raw
        if value is None and note is None and target is None:
            return
        entry: dict[str, Any] = {"value": value}
        if note is not None:
            entry["note"] = str(note)
        if target is not None:
            entry["target"] = target
        self.answers[qid] = entry

    def locate(self, path: Sequence[str | int]) -> str:
        for end in range(len(path), 0, -1):
            found = self.cells.get(tuple(path[:end]))
            if found:
                return found
        return f"{self.name}: {format_path(path)}" if path else self.name


def _open(data: bytes, name: str) -> Any:
    if not data.startswith(b"PK\x03\x04"):
        raise InputFileError(f"Cannot read {name}", [Problem(name, "this is not an .xlsx workbook")])
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputFileError(f"Cannot read {name}", [Problem(name, f"the workbook cannot be opened ({exc})")]) from None


def read_xlsx_response(path: Path, criteria: CriteriaSet) -> ValidatedResponse:
    """The validated response in a filled questionnaire workbook, or every problem by sheet and cell."""
    name = path.name
    reader = _Reader(criteria, name)
    reader.read(_open(read_bytes(path, name=name), name))
    status = reader.firm.pop("__status", "final")
    data: dict[str, Any] = {"status": status, "firm": reader.firm, "answers": reader.answers}
    if "criteria" in reader.meta:
        data["criteria"] = reader.meta["criteria"]
    errors = [p for p in reader.problems if p.severity == "error"]
    try:
        response = Response.model_validate(data)
    except ValidationError as exc:
        raise ResponseError(
            f"{name} has problems", errors + problems_from(exc, name, {}, locator=reader.locate)
        ) from None
    if errors:
        raise ResponseError(f"{name} has problems", errors)
    validated = validate_response(criteria, response, reader.locate, source=name)
    warnings = tuple(p for p in reader.problems if p.severity == "warning")
    return validated.model_copy(update={"warnings": validated.warnings + warnings})
