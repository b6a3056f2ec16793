"""The questionnaire as a spreadsheet an export manager fills offline (openpyxl).

An instructions sheet, a firm-profile sheet, one sheet per theme: question, the allowed answers
with level descriptors, a drop-down holding exactly the allowed answers, an evidence column.
Question cells are locked, answer cells are not; ids sit in a hidden column so the sheet maps
back even when rows are moved or the text translated (see `assess.readers.xlsx_response`).
"""

from __future__ import annotations

import io
import math
import unicodedata
from functools import cache

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from assess.errors import Problem, UserError
from assess.exports.safe_cells import neutralise_text
from assess.messages import Message
from assess.messages import say as message
from assess.models.common import Mode, Text, number_as_written
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Question,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)
from assess.paths import data_dir
from assess.questionnaire import xlsx_layout as layout
from assess.questionnaire.yaml_form import Wording, questionnaire_labels
from assess.readers.safe_yaml import load_yaml
from assess.readers.text_file import read_text

_HEADER_FILL = PatternFill("solid", fgColor="1F4E8C")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF7D6")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDTHS = {"A": 10, "B": 52, "C": 58, "D": 18, "E": 40, "F": 12}
_BILINGUAL_WIDTHS = _WIDTHS | {"C": 80}  # level descriptors in two languages: wider, so rows stay under 409 points
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


@cache
def xlsx_labels() -> dict[str, Text]:
    path = data_dir("templates") / "questionnaire" / "xlsx_labels.yaml"
    data, _ = load_yaml(read_text(path, "xlsx_labels.yaml"), "xlsx_labels.yaml")
    try:
        return {str(k): Text.model_validate(v) for k, v in data.items()}
    except ValueError as exc:
        raise UserError("xlsx_labels.yaml has problems", [Problem("xlsx_labels.yaml", str(exc))]) from None


def say(text: Text, mode: Mode) -> str:
    if mode == "zh":
        return text.zh
    if mode == "en":
        return text.en
    return text.zh if text.zh == text.en else f"{text.zh}\n{text.en}"


def _one_line(text: Text, mode: Mode) -> str:
    """Both languages on one line in a bilingual sheet: entries of a list stay one line each."""
    return say(text, mode).replace("\n", " / ")


def short(text: Text, mode: Mode) -> str:
    """One language only (drop-down entries and sheet names must stay short)."""
    return text.en if mode == "en" else text.zh


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = text.translate(_BAD_SHEET_CHARS).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in taken or name.startswith(layout.META_SHEET):
        name, n = f"{base[:26]}-{n}", n + 1
    taken.add(name.lower())
    return name


def dropdown_values(criteria: CriteriaSet, question: Question, mode: Mode) -> list[str] | None:
    """Exactly the allowed answers, as shown in the drop-down (None: free entry)."""
    na = [short(criteria.answer_labels.na, mode)] if question.na_allowed else []
    if isinstance(question, LevelQuestion):
        return [str(d.level) for d in question.levels] + na
    if isinstance(question, SingleChoiceQuestion):
        return [short(o.text, mode) for o in question.options] + na
    if isinstance(question, YesNoQuestion):
        return [short(criteria.answer_labels.yes, mode), short(criteria.answer_labels.no, mode), *na]
    return None


def _wording(criteria: CriteriaSet) -> Wording:
    """Applicability rules in words, the same sentences as the YAML and HTML questionnaires."""
    return Wording(criteria, questionnaire_labels())


def choices_text(criteria: CriteriaSet, question: Question, mode: Mode) -> str:
    """Column C: what each answer means (level descriptors, options with their codes, ranges)."""
    labels = xlsx_labels()
    lines: list[str] = []
    if isinstance(question, LevelQuestion):
        lines = [f"{d.level} — {say(d.text, mode)}" for d in question.levels]
    elif isinstance(question, SingleChoiceQuestion):
        lines = [f"• {say(o.text, mode)}" for o in question.options]
    elif isinstance(question, MultiChoiceQuestion):
        lines = [say(labels["options_multi"], mode)] + [f"{o.id}: {say(o.text, mode)}" for o in question.options]
    elif isinstance(question, YesNoQuestion):
        lines = [f"{say(criteria.answer_labels.yes, mode)} / {say(criteria.answer_labels.no, mode)}"]
    elif isinstance(question, NumberQuestion):
        low = "" if question.minimum is None else number_as_written(question.minimum)
        high = "" if question.maximum is None else number_as_written(question.maximum)
        lines = [f"{say(labels['number_range'], mode)} {low}–{high} {short(question.unit, mode)}".strip()]
    if question.na_allowed:
        lines.append(say(labels["na_allowed"], mode))
    if not question.required and not isinstance(question, TextQuestion):
        lines.append(say(labels["optional"], mode))
    rule = _wording(criteria).applicability(question)
    if rule is not None:
        lines.append(say(rule, mode))
    return "\n".join(lines)


_LINE_POINTS = 15.0  # a line of 11-point text
MAX_ROW_POINTS = 409.0  # Excel's tallest row; a row that needs more is cut off
_MAX_WIDTH = 120.0  # columns are widened up to this, a step at a time, until every row fits
_WIDEN_STEP = 8.0


def _display_width(text: str) -> int:
    """Columns a line takes: a CJK (wide) character counts twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_height(sheet: Worksheet, cell: Cell) -> float:
    """Points the cell's text needs when wrapped in its column (larger fonts take wider and taller lines)."""
    if not isinstance(cell.value, str):
        return 0.0
    scale = (cell.font.sz or 11) / 11 if cell.font is not None else 1.0
    width = (sheet.column_dimensions[cell.column_letter].width or 10) * 0.95 / scale
    lines = sum(max(1, math.ceil(_display_width(part) / width)) for part in cell.value.split("\n"))
    return float(math.ceil(lines * _LINE_POINTS * scale + 4))


def shown_cells(sheet: Worksheet, row: int) -> list[Cell]:
    """The row's cells in visible columns (the hidden question codes take no room)."""
    return [c for c in sheet[row] if isinstance(c, Cell) and not sheet.column_dimensions[c.column_letter].hidden]


def needed_height(sheet: Worksheet, row: int) -> float:
    """The height the row's text needs in its visible columns, which may be more than Excel allows."""
    return max([_LINE_POINTS + 4, *(_cell_height(sheet, cell) for cell in shown_cells(sheet, row))])


def fit_row_height(sheet: Worksheet, row: int) -> None:
    """Set the row's height from its wrapped text, since not every spreadsheet program autofits."""
    sheet.row_dimensions[row].height = min(MAX_ROW_POINTS, needed_height(sheet, row))


def fit_rows(sheet: Worksheet, rows: range) -> None:
    """Fit every row; while one needs more than Excel's 409 points, widen the column its text needs most in."""
    while True:
        tallest = max(rows, key=lambda row: needed_height(sheet, row))
        if needed_height(sheet, tallest) <= MAX_ROW_POINTS:
            break
        cell = max(shown_cells(sheet, tallest), key=lambda cell: _cell_height(sheet, cell))
        dimension = sheet.column_dimensions[cell.column_letter]
        if (dimension.width or 10) >= _MAX_WIDTH:
            break  # the text is cut off: better than a column wider than the screen
        dimension.width = min(_MAX_WIDTH, (dimension.width or 10) + _WIDEN_STEP)
    for row in rows:
        fit_row_height(sheet, row)


# Excel's limits on a data validation's texts (MS-XLS DValStrings: error title and prompt title 32, error
# 225, prompt 255 characters); a longer text makes Excel "repair" the workbook and drop its drop-downs.
DV_TITLE_MAX = 32
DV_ERROR_MAX = 224  # one under the limit: some Excel versions count a closing character
DV_PROMPT_MAX = 255


def _limited(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reject_with(validation: DataValidation, why: Message, mode: Mode) -> DataValidation:
    """Make Excel refuse an entry the validation does not allow, saying why in the sheet's language(s)."""
    title = message("xlsx_answer_not_allowed").text()
    validation.showErrorMessage = True
    validation.errorStyle = "stop"
    validation.errorTitle = _limited(_one_line(title, mode), DV_TITLE_MAX)
    validation.error = _limited(say(why.text(), mode), DV_ERROR_MAX)
    return validation


def _list_validation(reference: str, mode: Mode) -> DataValidation:
    """A drop-down of the answers in `reference`, nothing else accepted."""
    validation = DataValidation(type="list", formula1=reference, allow_blank=True)
    return _reject_with(validation, message("xlsx_pick_from_list"), mode)


def _number_text(number: float) -> str:
    return f"{number:.15g}"  # 1000000, not 1e+06


def _number_validation(question: NumberQuestion, mode: Mode) -> DataValidation:
    """A number within the question's range (Excel keeps a typed 2% as 0.02, which the range allows)."""
    low, high = question.minimum, question.maximum
    validation = DataValidation(
        type="whole" if question.integer else "decimal",
        operator="between",
        formula1=_number_text(low if low is not None else -1e12),
        formula2=_number_text(high if high is not None else 1e12),
        allow_blank=True,
    )
    kind = message("xlsx_a_whole_number" if question.integer else "xlsx_a_number")
    if low is not None and high is not None:
        why = message("xlsx_number_between", kind=kind, low=_number_text(low), high=_number_text(high))
    elif low is not None:
        why = message("xlsx_number_at_least", kind=kind, low=_number_text(low))
    elif high is not None:
        why = message("xlsx_number_at_most", kind=kind, high=_number_text(high))
    else:
        why = message("xlsx_number_any", kind=kind)
    return _reject_with(validation, why, mode)


class _ListSheet:
    """A hidden sheet holding drop-down lists (inline lists are limited to 255 characters)."""

    def __init__(self, workbook: Workbook) -> None:
        self.sheet = workbook.create_sheet(layout.LISTS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.column = 0

    def add(self, values: list[str]) -> str:
        self.column += 1
        letter = get_column_letter(self.column)
        for row, value in enumerate(values, start=1):
            self.sheet.cell(row=row, column=self.column, value=neutralise_text(value))
        return f"{quote_sheetname(layout.LISTS_SHEET)}!${letter}$1:${letter}${len(values)}"


def _header(sheet: Worksheet, mode: Mode, title: str, with_target: bool) -> None:
    labels = xlsx_labels()
    heading = sheet.cell(row=1, column=layout.QUESTION_COLUMN, value=neutralise_text(title))
    heading.font, heading.alignment = Font(bold=True, size=13), _WRAP
    keys = ["col_key", "col_question", "col_choices", "col_answer", "col_note"] + (
        ["col_target"] if with_target else []
    )
    for column, key in enumerate(keys, start=1):
        cell = sheet.cell(row=layout.HEADER_ROW, column=column, value=say(labels[key], mode))
        cell.fill, cell.font, cell.alignment = _HEADER_FILL, _HEADER_FONT, _WRAP
    for letter, width in (_BILINGUAL_WIDTHS if mode == "bilingual" else _WIDTHS).items():
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = f"B{layout.FIRST_ROW}"


def _print_setup(sheet: Worksheet) -> None:
    """Landscape, all columns on one page width, header row repeated: a readable printout."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{layout.HEADER_ROW}:{layout.HEADER_ROW}"
    sheet.column_dimensions["A"].hidden = True


def _protect(sheet: Worksheet) -> None:
    """Lock question cells; answers stay editable and rows may still be moved, added or deleted."""
    _print_setup(sheet)
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.insertRows = False
    protection.deleteRows = False
    protection.sort = False
    protection.autoFilter = False


def _answer_cells(sheet: Worksheet, row: int, columns: tuple[int, ...]) -> None:
    for column in columns:
        cell = sheet.cell(row=row, column=column)
        cell.protection = Protection(locked=False)
        cell.fill = _ANSWER_FILL
        cell.alignment = _WRAP


def _firm_sheet(workbook: Workbook, criteria: CriteriaSet, mode: Mode, lists: _ListSheet, taken: set[str]) -> None:
    labels = xlsx_labels()
    sheet = workbook.create_sheet(sheet_title(short(labels["profile_sheet"], mode), taken))
    _header(sheet, mode, say(labels["profile_sheet"], mode), with_target=False)
    sheet.cell(row=layout.HEADER_ROW, column=layout.QUESTION_COLUMN, value=say(labels["field"], mode))
    sheet.cell(row=layout.HEADER_ROW, column=layout.CHOICES_COLUMN, value=say(labels["hint"], mode))
    sheet.cell(row=layout.HEADER_ROW, column=layout.ANSWER_COLUMN, value=say(labels["value"], mode))
    sheet.cell(row=layout.HEADER_ROW, column=layout.NOTE_COLUMN, value=None).fill = PatternFill()
    industries = "\n".join(f"{t.id}: {_one_line(t.name, mode)}" for t in criteria.industries)
    markets = "\n".join(f"{t.id}: {_one_line(t.name, mode)}" for t in criteria.markets)
    rows = [
        ("name", "firm_name", ""),
        ("credit_code", "credit_code", say(labels["credit_code_hint"], mode)),
        ("industry", "industry", industries),
        ("markets", "markets", f"{say(labels['markets_hint'], mode)}\n{markets}"),
        ("assessment_date", "assessment_date", say(labels["date_hint"], mode)),
        ("assessor", "assessor", ""),
        ("status", "status", say(labels["status_hint"], mode)),
    ]
    industry_list = lists.add([short(t.name, mode) for t in criteria.industries])
    status_list = lists.add(["final", "draft"])
    for offset, (field, label, hint) in enumerate(rows):
        row = layout.FIRST_ROW + offset
        sheet.cell(row=row, column=layout.KEY_COLUMN, value=layout.FIRM_PREFIX + field)
        sheet.cell(row=row, column=layout.QUESTION_COLUMN, value=say(labels[label], mode)).alignment = _WRAP
        sheet.cell(row=row, column=layout.CHOICES_COLUMN, value=neutralise_text(hint)).alignment = _WRAP
        _answer_cells(sheet, row, (layout.ANSWER_COLUMN,))
        if field != "assessment_date":  # text, so Excel keeps an all-digit credit code's 18 digits
            sheet.cell(row=row, column=layout.ANSWER_COLUMN).number_format = "@"
        reference = {"industry": industry_list, "status": status_list}.get(field)
        if reference:
            validation = _list_validation(reference, mode)
            sheet.add_data_validation(validation)
            validation.add(sheet.cell(row=row, column=layout.ANSWER_COLUMN))
    sheet.column_dimensions["D"].width = 36
    fit_rows(sheet, range(1, layout.FIRST_ROW + len(rows)))
    _protect(sheet)


def _theme_sheet(
    workbook: Workbook, criteria: CriteriaSet, theme_index: int, mode: Mode, lists: _ListSheet, taken: set[str]
) -> None:
    theme = criteria.themes[theme_index]
    sheet = workbook.create_sheet(sheet_title(short(theme.label, mode), taken))
    _header(sheet, mode, say(theme.title, mode), with_target=True)
    for offset, question in enumerate(theme.questions):
        row = layout.FIRST_ROW + offset
        sheet.cell(row=row, column=layout.KEY_COLUMN, value=question.id)
        text = f"{question.id}  {say(question.text, mode)}\n\n{say(question.help, mode)}"
        sheet.cell(row=row, column=layout.QUESTION_COLUMN, value=neutralise_text(text)).alignment = _WRAP
        sheet.cell(
            row=row, column=layout.CHOICES_COLUMN, value=neutralise_text(choices_text(criteria, question, mode))
        ).alignment = _WRAP
        editable = (layout.ANSWER_COLUMN, layout.NOTE_COLUMN) + (
            (layout.TARGET_COLUMN,) if isinstance(question, LevelQuestion) else ()
        )
        _answer_cells(sheet, row, editable)
        values = dropdown_values(criteria, question, mode)
        answer = sheet.cell(row=row, column=layout.ANSWER_COLUMN)
        if values is not None:
            validation = _list_validation(lists.add(values), mode)
        elif isinstance(question, NumberQuestion) and not question.na_allowed:
            validation = _number_validation(question, mode)
        else:
            continue
        sheet.add_data_validation(validation)
        validation.add(answer)
    fit_rows(sheet, range(1, layout.FIRST_ROW + len(theme.questions)))
    _protect(sheet)


def _instructions(workbook: Workbook, criteria: CriteriaSet, mode: Mode, taken: set[str]) -> None:
    labels = xlsx_labels()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = sheet_title(short(labels["instructions_sheet"], mode), taken)
    sheet.column_dimensions["A"].width = 110
    title = sheet.cell(row=1, column=1, value=say(labels["title"], mode))
    title.font, title.alignment = Font(bold=True, size=14), _WRAP
    sheet.cell(
        row=2,
        column=1,
        value=f"{say(labels['criteria_set'], mode)}: {say(criteria.title, mode)} ({criteria.id} {criteria.version})",
    ).alignment = _WRAP
    for offset, key in enumerate(["how_to_1", "how_to_2", "how_to_3", "how_to_4", "how_to_5"]):
        sheet.cell(row=4 + offset, column=1, value=f"{offset + 1}. {say(labels[key], mode)}").alignment = _WRAP
    fit_rows(sheet, range(1, 9))


def _meta(workbook: Workbook, criteria: CriteriaSet, mode: Mode) -> None:
    sheet = workbook.create_sheet(layout.META_SHEET)
    sheet.sheet_state = "hidden"
    for row, (key, value) in enumerate(
        [
            ("criteria", criteria.id),
            ("version", criteria.version),
            ("content_hash", criteria.content_hash),
            ("lang", mode),
        ],
        start=1,
    ):
        sheet.cell(row=row, column=1, value=key)
        sheet.cell(row=row, column=2, value=value)


def questionnaire_xlsx(criteria: CriteriaSet, mode: Mode = "bilingual") -> bytes:
    """The blank spreadsheet questionnaire of a criteria set, as .xlsx bytes."""
    workbook = Workbook()
    taken: set[str] = set()
    _instructions(workbook, criteria, mode, taken)
    lists = _ListSheet(workbook)
    _firm_sheet(workbook, criteria, mode, lists, taken)
    for index in range(len(criteria.themes)):
        _theme_sheet(workbook, criteria, index, mode, lists, taken)
    _meta(workbook, criteria, mode)
    workbook.move_sheet(layout.LISTS_SHEET, offset=len(workbook.sheetnames))
    workbook.properties.creator = "assess"
    workbook.properties.title = short(xlsx_labels()["title"], mode)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
