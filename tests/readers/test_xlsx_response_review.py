"""Reading a filled workbook back: mistakes a spreadsheet program or a person makes, named at their cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.api import load_response
from assess.errors import ResponseError
from assess.models.criteria import CriteriaSet, SingleChoiceQuestion
from assess.questionnaire import xlsx_layout as layout
from assess.readers.response_file import read_response
from tests.questionnaire.test_xlsx import SEEDS, fill, rows_by_key, save


@pytest.mark.parametrize("number", [9.13302001234568e17, 913302001234567890])
def test_a_credit_code_excel_stored_as_a_number_is_named_at_its_cell(
    default_criteria: CriteriaSet, tmp_path: Path, number: float
) -> None:
    """Excel keeps 15 significant digits of an all-digit code typed into a General cell."""
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "zh")
    sheet, row = rows_by_key(workbook)["firm.credit_code"]
    cell = sheet.cell(row=row, column=layout.ANSWER_COLUMN, value=number)
    cell.number_format = "General"
    with pytest.raises(ResponseError) as info:
        read_response(save(workbook, tmp_path / "code.xlsx"), default_criteria)
    problems = info.value.problems
    assert [p.location for p in problems] == [f"{sheet.title}!D{row}"]
    assert "Excel turned the credit code into a number" in problems[0].message
    assert "check character" not in problems[0].message
    assert "单引号" in problems[0].message_in("zh")


def test_a_credit_code_typed_as_text_still_reads(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    assert seed.firm.credit_code
    back = read_response(save(fill(default_criteria, seed, "zh"), tmp_path / "ok.xlsx"), default_criteria)
    assert back.firm.credit_code == seed.firm.credit_code


def test_a_cleared_question_code_is_recovered_from_column_b(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "zh")
    sheet, row = rows_by_key(workbook)["QM-02"]
    sheet.cell(row=row, column=layout.KEY_COLUMN).value = None
    back = read_response(save(workbook, tmp_path / "cleared.xlsx"), default_criteria)
    assert back.answers["QM-02"] == seed.answers["QM-02"]
    recovered = [p for p in back.warnings if p.location == f"{sheet.title}!A{row}"]
    assert [p.message_in("zh") for p in recovered] == ["隐藏的 A 列题目编号被清除了；按 B 列所示，此行读作 QM-02"]


def test_a_row_without_code_is_not_read_over_a_coded_row(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    """A copy of a question's row with its code cleared: the coded row's answer stands, the copy is named."""
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "en")
    sheet, row = rows_by_key(workbook)["QM-02"]
    copy = sheet.max_row + 1
    for column in range(layout.QUESTION_COLUMN, layout.TARGET_COLUMN + 1):
        sheet.cell(row=copy, column=column, value=sheet.cell(row=row, column=column).value)
    sheet.cell(row=copy, column=layout.ANSWER_COLUMN, value=0)
    back = read_response(save(workbook, tmp_path / "copy.xlsx"), default_criteria)
    assert back.answers["QM-02"] == seed.answers["QM-02"]
    assert any(p.location == f"{sheet.title}!D{copy}" and "without a question code" in p.message for p in back.warnings)


def test_reader_warnings_are_kept_when_there_are_errors(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "en")
    rows = rows_by_key(workbook)
    sheet, row = rows["QM-02"]
    sheet.cell(row=row, column=layout.KEY_COLUMN).value = None
    sheet.cell(row=row, column=layout.QUESTION_COLUMN).value = "my own words"  # nothing left to recover from
    with pytest.raises(ResponseError) as info:
        read_response(save(workbook, tmp_path / "lost.xlsx"), default_criteria)
    shown = [(p.severity, p.location, p.question_id) for p in info.value.problems]
    assert ("warning", f"{sheet.title}!D{row}", None) in shown  # the answer the reader could not place
    assert any(severity == "error" and qid == "QM-02" for severity, _, qid in shown)


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (layout.NOTE_COLUMN, '"3" here looks like the answer to QM-02, but answers go in column D'),
        (layout.TARGET_COLUMN, "column F holds the target level (3), but column D (Answer) is empty"),
        (layout.TARGET_COLUMN + 1, '"3" here looks like the answer to QM-02, but answers go in column D'),
    ],
)
def test_an_answer_next_to_its_empty_answer_cell_is_named_at_its_cell(
    default_criteria: CriteriaSet, tmp_path: Path, column: int, expected: str
) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "en")
    sheet, row = rows_by_key(workbook)["QM-02"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN).value = None
    sheet.cell(row=row, column=layout.NOTE_COLUMN).value = None
    sheet.cell(row=row, column=layout.TARGET_COLUMN).value = None
    sheet.cell(row=row, column=column, value=3)
    with pytest.raises(ResponseError) as info:
        read_response(save(workbook, tmp_path / "beside.xlsx"), default_criteria)
    letter = "ABCDEFG"[column - 1]
    found = {p.location: p for p in info.value.problems}
    hint = found[f"{sheet.title}!{letter}{row} (QM-02)"]
    assert hint.severity == "warning" and hint.message.startswith(expected) and hint.message.endswith(f"D{row}")
    assert found[f"{sheet.title}!D{row} (QM-02)"].severity == "error"  # the required answer is still missing


def test_a_sentence_in_the_note_column_is_no_misplaced_answer(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "en")
    sheet, row = rows_by_key(workbook)["QM-02"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN).value = None
    sheet.cell(row=row, column=layout.NOTE_COLUMN).value = "3 suppliers audited in 2025"
    with pytest.raises(ResponseError) as info:
        read_response(save(workbook, tmp_path / "note.xlsx"), default_criteria)
    assert [p.severity for p in info.value.problems] == ["error"]


@pytest.mark.parametrize(("lang", "shown"), [("zh", "zh"), ("en", "en"), ("bilingual", "zh")])
def test_a_choice_not_allowed_lists_the_drop_down_texts(
    default_criteria: CriteriaSet, tmp_path: Path, lang: str, shown: str
) -> None:
    """The workbook never shows option ids (within_24h), only the texts in its drop-down."""
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, lang)
    rows = rows_by_key(workbook)
    sheet, row = rows["TR-04"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value="maybe")
    yes_no_sheet, yes_no_row = rows["QC-02"]
    yes_no_sheet.cell(row=yes_no_row, column=layout.ANSWER_COLUMN, value="2")
    with pytest.raises(ResponseError) as info:
        read_response(save(workbook, tmp_path / "choice.xlsx"), default_criteria)
    found = {p.question_id: p for p in info.value.problems}
    question = default_criteria.questions["TR-04"]
    assert isinstance(question, SingleChoiceQuestion)
    texts = [getattr(o.text, shown) for o in question.options]
    assert found["TR-04"].message == '"maybe" is not in the drop-down list; pick one of: ' + ", ".join(
        f"“{t}”" for t in texts
    )
    assert found["TR-04"].message_in("zh") == "“maybe”不在下拉列表中，请选择其中一项：" + "、".join(
        f"“{t}”" for t in texts
    )
    assert "within_24h" not in found["TR-04"].message
    labels = default_criteria.answer_labels
    yes, no = getattr(labels.yes, shown), getattr(labels.no, shown)
    assert found["QC-02"].message == f'"2" is not in the drop-down list; pick one of: “{yes}”, “{no}”'


def test_other_problems_of_a_choice_answer_keep_their_words(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "en")
    sheet, row = rows_by_key(workbook)["EP-03"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value="several")
    with pytest.raises(ResponseError) as info:
        read_response(save(workbook, tmp_path / "number.xlsx"), default_criteria)
    assert [p.message for p in info.value.problems] == ["'several' is not a number"]
