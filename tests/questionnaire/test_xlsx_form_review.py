"""The generated workbook as Excel and WPS will treat it: cell formats, drop-down limits, row heights."""

from __future__ import annotations

import io

import openpyxl
import pytest

from assess.models.criteria import CriteriaSet, LevelQuestion, NumberQuestion, SingleChoiceQuestion, YesNoQuestion
from assess.questionnaire import xlsx_layout as layout
from assess.questionnaire.xlsx_form import MAX_ROW_POINTS, needed_height, questionnaire_xlsx, shown_cells
from tests.questionnaire.test_xlsx import rows_by_key

LANGS = ["zh", "en", "bilingual"]


def blank(criteria: CriteriaSet, lang: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(questionnaire_xlsx(criteria, lang)))  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", LANGS)
def test_firm_profile_text_cells_are_text(default_criteria: CriteriaSet, lang: str) -> None:
    """An all-digit credit code typed into a General cell becomes a float and loses digits."""
    rows = rows_by_key(blank(default_criteria, lang))
    for field in layout.FIRM_FIELDS:
        sheet, row = rows[layout.FIRM_PREFIX + field]
        shown = sheet.cell(row=row, column=layout.ANSWER_COLUMN).number_format
        assert shown == ("General" if field == "assessment_date" else "@"), field


@pytest.mark.parametrize("lang", LANGS)
def test_every_data_validation_keeps_within_excel_limits_and_rejects_wrong_entries(
    default_criteria: CriteriaSet, lang: str
) -> None:
    """Excel drops every drop-down of a workbook with an error text over 225 characters ("repairs" it)."""
    workbook = blank(default_criteria, lang)
    kinds: set[str] = set()
    count = 0
    for sheet in workbook.worksheets:
        for validation in sheet.data_validations.dataValidation:
            where = f"{sheet.title}!{validation.sqref}"
            count += 1
            kinds.add(validation.type)
            assert validation.showErrorMessage, where
            assert validation.errorStyle in (None, "stop"), where
            assert validation.error and len(validation.error) <= 224, where
            assert len(validation.prompt or "") <= 255, where
            assert len(validation.errorTitle or "") <= 32, where
            assert len(validation.promptTitle or "") <= 32, where
    assert kinds == {"list", "whole", "decimal"}
    questions_with_validation = sum(
        1
        for q in default_criteria.questions.values()
        if isinstance(q, LevelQuestion | SingleChoiceQuestion | YesNoQuestion)
        or (isinstance(q, NumberQuestion) and not q.na_allowed)
    )
    assert count == questions_with_validation + 2  # and the firm profile's industry and status


@pytest.mark.parametrize("lang", LANGS)
def test_validation_texts_are_in_the_sheets_language(default_criteria: CriteriaSet, lang: str) -> None:
    rows = rows_by_key(blank(default_criteria, lang))
    expected = {
        "zh": "请填写 0 到 100 之间的数字。",
        "en": "Type a number from 0 to 100.",
        "bilingual": "请填写 0 到 100 之间的数字。\nType a number from 0 to 100.",
    }
    qid = next(
        q.id
        for q in default_criteria.questions.values()
        if isinstance(q, NumberQuestion) and not q.na_allowed and (q.minimum, q.maximum) == (0, 100)
    )
    sheet, row = rows[qid]
    (validation,) = [v for v in sheet.data_validations.dataValidation if f"D{row}" in v.sqref]
    assert validation.error == expected[lang]
    assert (validation.formula1, validation.formula2) == ("0", "100")


@pytest.mark.parametrize("lang", LANGS)
def test_every_row_is_tall_enough_for_its_text_and_wraps_it(default_criteria: CriteriaSet, lang: str) -> None:
    """Instructions in English were hidden by a one-line height; bilingual level descriptors were cut at 409 points."""
    workbook = blank(default_criteria, lang)
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        for row in range(1, sheet.max_row + 1):
            needed = needed_height(sheet, row)
            height = sheet.row_dimensions[row].height
            assert needed <= MAX_ROW_POINTS, f"{sheet.title} row {row} would be cut off"
            assert height is not None and needed <= height <= MAX_ROW_POINTS, f"{sheet.title} row {row}"
            for cell in shown_cells(sheet, row):
                if isinstance(cell.value, str) and "\n" in cell.value:
                    assert cell.alignment.wrap_text, f"{sheet.title}!{cell.coordinate}"


def test_instruction_rows_show_every_line(default_criteria: CriteriaSet) -> None:
    sheet = blank(default_criteria, "bilingual").worksheets[0]
    for row in range(4, 9):  # a line of Chinese and a line of English at least
        assert (sheet.row_dimensions[row].height or 0) >= 2 * 15, row
        assert sheet.cell(row=row, column=1).alignment.wrap_text
    assert sheet.cell(row=1, column=1).alignment.wrap_text
    assert sheet.cell(row=2, column=1).alignment.wrap_text
