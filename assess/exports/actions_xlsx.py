"""The improvement roadmap as a spreadsheet a firm tracks its work in.

One row per priority that gains points, in rank order: when to do it (from the question's
effort), what the answer is now and should become, what it is worth, and what to do, followed by
empty owner / due date / status / notes columns for the firm to fill in.  A short header block
above the table says whose assessment it is and against which criteria.

Every cell goes through `neutralise` (firm names and answers come from untrusted files), and the
file is written atomically: a temp file in the same folder, then `os.replace` (`Path.replace`).
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from assess.errors import CriteriaError
from assess.exports.safe_cells import neutralise
from assess.files import write_atomic
from assess.models.answers import AnswerValue
from assess.models.common import Lang, number_as_written
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
    YesNoQuestion,
)
from assess.models.result import Priority, ScoreResult
from assess.paths import data_dir
from assess.report.wording import advice_for as report_advice

__all__ = ["advice_for", "answer_label", "load_labels", "write_actions_xlsx"]

LABELS_FILE = Path("xlsx") / "actions_labels.yaml"

# (label key, width, wrap): the table's columns, left to right.
COLUMNS: tuple[tuple[str, float, bool], ...] = (
    ("step", 7, False),
    ("horizon", 13, False),
    ("theme", 22, True),
    ("question_id", 11, False),
    ("question", 50, True),
    ("current", 32, True),
    ("target", 40, True),
    ("gain", 12, False),
    ("gain_1000", 12, False),
    ("advice", 60, True),
    ("owner", 14, True),
    ("due_date", 13, False),
    ("status", 14, False),
    ("notes", 32, True),
)
COLUMN_KEYS = tuple(key for key, _, _ in COLUMNS)
HEADER_KEYS = ("firm", "assessment_date", "criteria", "overall", "overall_1000", "band")
STATUS_KEYS = ("status_not_started", "status_in_progress", "status_done")
HORIZON_KEYS = {"quick": "horizon_quick", "medium": "horizon_medium", "long": "horizon_long"}
REQUIRED_LABELS = frozenset({"sheet", "title", *HEADER_KEYS, *COLUMN_KEYS, *STATUS_KEYS, *HORIZON_KEYS.values()})

HEADER_ROW = len(HEADER_KEYS) + 3  # title, the header block, one empty row, then the table
DATE_FORMAT = "yyyy-mm-dd"
_HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
_TOP = Alignment(vertical="top")
_TOP_WRAP = Alignment(vertical="top", wrap_text=True)


@lru_cache(maxsize=1)
def load_labels() -> dict[str, dict[str, str]]:
    """The bilingual labels from templates/xlsx/actions_labels.yaml, checked for every key and language."""
    path = data_dir("templates") / LABELS_FILE
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CriteriaError(f"Cannot read the spreadsheet labels {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise CriteriaError(f"{path}: expected a mapping of label keys to {{zh: ..., en: ...}}")
    labels: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for key, texts in data.items():
        if not (
            isinstance(texts, dict) and all(isinstance(texts.get(lang), str) and texts[lang] for lang in ("zh", "en"))
        ):
            problems.append(f"{key}: needs non-empty zh and en texts")
            continue
        labels[str(key)] = {"zh": texts["zh"], "en": texts["en"]}
    problems += [f"{key}: missing" for key in sorted(REQUIRED_LABELS - labels.keys())]
    if problems:
        raise CriteriaError(f"{path}: " + "; ".join(problems))
    return labels


def write_actions_xlsx(criteria: CriteriaSet, result: ScoreResult, path: Path, lang: Literal["zh", "en"]) -> None:
    """Write `result`'s improvement roadmap (priorities with a gain) to `path` as an .xlsx workbook."""
    labels = {key: texts[lang] for key, texts in load_labels().items()}
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = labels["sheet"]
    _write_header_block(sheet, criteria, result, labels, lang)

    for col, (key, width, _) in enumerate(COLUMNS, start=1):
        cell = _put(sheet, HEADER_ROW, col, labels[key])
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = _TOP_WRAP
        sheet.column_dimensions[get_column_letter(col)].width = width

    steps = [p for p in result.priorities if p.gain > 0]
    for row, priority in enumerate(steps, start=HEADER_ROW + 1):
        values = _row_values(criteria, priority, labels, lang)
        for col, (key, _, wrap) in enumerate(COLUMNS, start=1):
            cell = _put(sheet, row, col, values.get(key))
            cell.alignment = _TOP_WRAP if wrap else _TOP
            if key == "gain":
                cell.number_format = "0.00"
            elif key == "gain_1000":
                cell.number_format = "0.0"
            elif key == "due_date":
                cell.number_format = DATE_FORMAT

    last_row = HEADER_ROW + max(len(steps), 1)
    last_col = get_column_letter(len(COLUMNS))
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
    status_col = get_column_letter(COLUMN_KEYS.index("status") + 1)
    choices = ",".join(labels[key] for key in STATUS_KEYS)
    validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showDropDown=False)
    validation.add(f"{status_col}{HEADER_ROW + 1}:{status_col}{last_row}")
    sheet.add_data_validation(validation)

    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    workbook.properties.creator = "assess"
    _save_atomically(workbook, path)


def _put(sheet: Any, row: int, col: int, value: object) -> Any:
    """Write one cell; every value passes through `neutralise`, so no text can become a formula."""
    return sheet.cell(row=row, column=col, value=neutralise(value))


def _write_header_block(
    sheet: Any, criteria: CriteriaSet, result: ScoreResult, labels: dict[str, str], lang: Lang
) -> None:
    title = _put(sheet, 1, 1, labels["title"])
    title.font = Font(bold=True, size=14)
    band = criteria.band_named(result.band) if result.band else None
    values: dict[str, object] = {
        "firm": result.firm.name,
        "assessment_date": result.firm.assessment_date,
        "criteria": f"{result.criteria.id} {result.criteria.version}",
        "overall": result.overall if result.overall is not None else "—",
        "overall_1000": result.overall_1000 if result.overall_1000 is not None else "—",
        "band": band.name.in_lang(lang) if band else (result.band or "—"),
    }
    value_col = COLUMN_KEYS.index("question_id") + 1  # labels overflow across the narrow first columns
    for row, key in enumerate(HEADER_KEYS, start=2):
        _put(sheet, row, 1, labels[key]).font = Font(bold=True)
        cell = _put(sheet, row, value_col, values[key])
        cell.alignment = Alignment(horizontal="left")
        if key == "assessment_date":
            cell.number_format = DATE_FORMAT
        elif key == "overall":
            cell.number_format = "0.00"
        elif key == "overall_1000":
            cell.number_format = "0"


def _row_values(criteria: CriteriaSet, priority: Priority, labels: dict[str, str], lang: Lang) -> dict[str, object]:
    question = criteria.questions[priority.question_id]
    return {
        "step": priority.rank,
        "horizon": labels[HORIZON_KEYS.get(priority.effort, "horizon_medium")],
        "theme": criteria.theme(priority.theme).title.in_lang(lang),
        "question_id": priority.question_id,
        "question": question.text.in_lang(lang),
        "current": answer_label(criteria, question, priority.current, lang),
        "target": answer_label(criteria, question, priority.next, lang),
        "gain": priority.gain,
        "gain_1000": priority.gain_1000,
        "advice": advice_for(question, priority.current, lang),
    }


def answer_label(criteria: CriteriaSet, question: Question, value: AnswerValue | None, lang: Lang) -> str:
    """An answer as a person reads it: a level with its descriptor, option texts, yes/no, a number."""
    if value is None:
        return ""
    if isinstance(question, LevelQuestion) and isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < len(question.levels):
            return f"{value} — {question.levels[value].text.in_lang(lang)}"
        return str(value)
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        texts = {o.id: o.text.in_lang(lang) for o in question.options}
        ids = value if isinstance(value, tuple) else (str(value),)
        return ("；" if lang == "zh" else "; ").join(texts.get(i, i) for i in ids)
    if isinstance(question, YesNoQuestion) and isinstance(value, bool):
        return (criteria.answer_labels.yes if value else criteria.answer_labels.no).in_lang(lang)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return number_as_written(value)
    return str(value)


def advice_for(question: Question, current: AnswerValue | None, lang: Lang) -> str:
    """What to do next, in one language: the same advice the PDF report shows."""
    advice = report_advice(question, current)
    return advice.in_lang(lang) if advice else ""


def _save_atomically(workbook: Any, path: Path) -> None:
    """Save through a temp file beside `path`, so an interrupted run leaves the old file or the new one."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(path, buffer.getvalue())
