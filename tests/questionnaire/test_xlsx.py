"""The spreadsheet questionnaire: blank -> filled as a person would -> read back equals the answers."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from assess.api import load_response, score
from assess.errors import ResponseError
from assess.models.answers import ValidatedResponse
from assess.models.criteria import CriteriaSet, SingleChoiceQuestion, YesNoQuestion
from assess.questionnaire import xlsx_layout as layout
from assess.questionnaire.xlsx_form import questionnaire_xlsx
from assess.readers.response_file import read_response

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def human_value(criteria: CriteriaSet, qid: str, value: Any, lang: str) -> Any:
    """What a person picks in the drop-down or types."""
    question = criteria.questions[qid]
    if isinstance(question, SingleChoiceQuestion):
        option = next(o for o in question.options if o.id == value)
        return option.text.en if lang == "en" else option.text.zh
    if isinstance(question, YesNoQuestion):
        label = criteria.answer_labels.yes if value else criteria.answer_labels.no
        return label.en if lang == "en" else label.zh
    if isinstance(value, tuple):
        return ", ".join(value)
    return value


def rows_by_key(workbook: openpyxl.Workbook) -> dict[str, tuple[Worksheet, int]]:
    found: dict[str, tuple[Worksheet, int]] = {}
    for sheet in workbook.worksheets:
        for row in range(1, sheet.max_row + 1):
            key = sheet.cell(row=row, column=layout.KEY_COLUMN).value
            if isinstance(key, str):
                assert isinstance(sheet, Worksheet)
                found[key] = (sheet, row)
    return found


def fill(criteria: CriteriaSet, seed: ValidatedResponse, lang: str) -> openpyxl.Workbook:
    workbook = openpyxl.load_workbook(io.BytesIO(questionnaire_xlsx(criteria, lang)))  # type: ignore[arg-type]
    rows = rows_by_key(workbook)
    firm = seed.firm
    for field, value in [
        ("name", firm.name),
        ("credit_code", firm.credit_code),
        ("industry", firm.industry),
        ("markets", ", ".join(firm.markets)),
        ("assessment_date", firm.assessment_date),
        ("assessor", firm.assessor),
        ("status", seed.status),
    ]:
        sheet, row = rows[f"firm.{field}"]
        sheet.cell(row=row, column=layout.ANSWER_COLUMN, value=value)
    na = criteria.answer_labels.na
    for qid, answer in seed.answers.items():
        sheet, row = rows[qid]
        value = (na.en if lang == "en" else na.zh) if answer.na else human_value(criteria, qid, answer.value, lang)
        sheet.cell(row=row, column=layout.ANSWER_COLUMN, value=value)
        if answer.note:
            sheet.cell(row=row, column=layout.NOTE_COLUMN, value=answer.note)
        if answer.target is not None:
            sheet.cell(row=row, column=layout.TARGET_COLUMN, value=answer.target)
    return workbook


def save(workbook: openpyxl.Workbook, path: Path) -> Path:
    workbook.save(path)
    return path


@pytest.mark.parametrize("lang", ["zh", "en", "bilingual"])
@pytest.mark.parametrize("seed_name", ["hongyi-auto", "guxian-foods", "yongze-pumps"])
def test_round_trip(default_criteria: CriteriaSet, tmp_path: Path, lang: str, seed_name: str) -> None:
    seed = load_response(SEEDS / f"{seed_name}.yaml", default_criteria)
    path = save(fill(default_criteria, seed, lang), tmp_path / "filled.xlsx")
    back = read_response(path, default_criteria)
    assert back.answers == seed.answers
    assert back.firm == seed.firm
    assert score(default_criteria, back).overall == score(default_criteria, seed).overall


def test_blank_has_dropdowns_locked_questions_and_hidden_ids(default_criteria: CriteriaSet) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(questionnaire_xlsx(default_criteria, "zh")))
    rows = rows_by_key(workbook)
    sheet, row = rows["TR-04"]
    assert sheet.column_dimensions["A"].hidden
    assert sheet.protection.sheet
    assert sheet.cell(row=row, column=layout.QUESTION_COLUMN).protection.locked
    assert not sheet.cell(row=row, column=layout.ANSWER_COLUMN).protection.locked
    assert sheet.freeze_panes == "B3"
    cell = f"D{row}"
    validations = [v for v in sheet.data_validations.dataValidation if cell in v.sqref]
    assert len(validations) == 1
    reference = validations[0].formula1.split("!")[1].replace("$", "")  # e.g. C1:C5
    values = [cell.value for (cell,) in workbook[layout.LISTS_SHEET][reference]]
    question = default_criteria.questions["TR-04"]
    assert isinstance(question, SingleChoiceQuestion)
    assert values == [o.text.zh for o in question.options]
    assert set(default_criteria.questions) <= set(rows)


def test_a_new_question_shows_up(default_criteria: CriteriaSet) -> None:
    theme = default_criteria.themes[0]
    extra = theme.questions[0].model_copy(update={"id": "BR-99"})
    changed = default_criteria.model_copy(
        update={
            "themes": [theme.model_copy(update={"questions": [*theme.questions, extra]}), *default_criteria.themes[1:]]
        }
    )
    changed.__dict__.pop("questions", None)
    assert "BR-99" in rows_by_key(openpyxl.load_workbook(io.BytesIO(questionnaire_xlsx(changed, "en"))))


def test_human_mistakes(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "en")
    rows = rows_by_key(workbook)
    # A renamed sheet, moved answers and an extra row are read as meant.
    trace_sheet, _ = rows["TR-01"]
    trace_sheet.title = "My traceability"
    sheet, row = rows["QM-02"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value=" ３ ")  # stray spaces, a full-width digit
    sheet, row = rows["EP-02"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value="0.05%")
    sheet.insert_rows(row)
    sheet.cell(row=row, column=layout.QUESTION_COLUMN, value="my own remark")
    back = read_response(save(workbook, tmp_path / "ok.xlsx"), default_criteria)
    assert back.answers["QM-02"].value == 3 and back.answers["EP-02"].value == 0.05
    # Text in a number cell, an unknown option and a deleted row are reported by sheet, cell and question.
    rows = rows_by_key(workbook)
    sheet, row = rows["TR-04"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value="maybe")
    tr04 = f"{sheet.title}!D{row} (TR-04)"
    sheet, row = rows["EP-03"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value="several")
    ep03 = f"{sheet.title}!D{row} (EP-03)"
    sheet, row = rows["QC-06"]
    sheet.delete_rows(row)
    with pytest.raises(ResponseError) as info:
        read_response(save(workbook, tmp_path / "bad.xlsx"), default_criteria)
    messages = [str(p) for p in info.value.problems]
    question = default_criteria.questions["TR-04"]
    assert isinstance(question, SingleChoiceQuestion)
    listed = ", ".join(f"“{o.text.en}”" for o in question.options)  # as the drop-down shows them
    assert f'{tr04}: "maybe" is not in the drop-down list; pick one of: {listed}' in messages
    assert f"{ep03}: 'several' is not a number" in messages
    assert any("QC-06: required answer missing" in m for m in messages)


def test_not_a_workbook(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    from assess.errors import InputFileError

    path = tmp_path / "fake.xlsx"
    path.write_text("firm: x", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"not an \.xlsx workbook"):
        read_response(path, default_criteria)


def test_date_cells_and_status(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "yongze-pumps.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "zh")
    sheet, row = rows_by_key(workbook)["firm.assessment_date"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value=dt.datetime(2026, 3, 4))
    back = read_response(save(workbook, tmp_path / "d.xlsx"), default_criteria)
    assert back.firm.assessment_date == dt.date(2026, 3, 4)
    assert back.status == "draft"


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed (optional check)")
def test_a_workbook_saved_by_a_spreadsheet_program_reads_back(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    """Filled, then re-saved by LibreOffice Calc as a person's spreadsheet program would."""
    seed = load_response(SEEDS / "guxian-foods.yaml", default_criteria)
    filled = save(fill(default_criteria, seed, "zh"), tmp_path / "filled.xlsx")
    resaved = tmp_path / "calc"
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(resaved),
            str(filled),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    back = read_response(resaved / "filled.xlsx", default_criteria)
    assert back.answers == seed.answers


def test_broken_and_hostile_workbooks_are_refused_with_a_message(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    import zipfile

    from assess.errors import InputFileError

    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    good = save(fill(default_criteria, seed, "en"), tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet_part = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    cut = tmp_path / "cut.xlsx"  # a sheet's XML cut off half way: openpyxl fails while streaming its rows
    with zipfile.ZipFile(cut, "w") as broken:
        for name, data in parts.items():
            broken.writestr(name, data[: len(data) // 2] if name == sheet_part else data)
    with pytest.raises(InputFileError) as info:
        read_response(cut, default_criteria)
    assert info.value.summary == "Cannot read cut.xlsx"
    assert [p.message for p in info.value.problems] == ["not a readable Excel workbook (ParseError)"]
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600))
    with pytest.raises(InputFileError, match=r"old \.xls"):
        read_response(old, default_criteria)


def test_a_cell_far_down_costs_no_memory(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    """A cell at the last row Excel allows (1,048,576) used to make a million cells per sheet."""
    import resource

    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "en")
    for sheet in workbook.worksheets:
        sheet.cell(row=1_048_576, column=1, value="x")
    path = save(workbook, tmp_path / "far.xlsx")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    back = read_response(path, default_criteria)
    assert back.answers == seed.answers
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100


def test_cells_are_read_as_the_sheet_shows_them(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "en")
    rows = rows_by_key(workbook)
    sheet, row = rows["EP-02"]  # a percentage typed as 2% is stored as 0.02 with a % format
    cell = sheet.cell(row=row, column=layout.ANSWER_COLUMN, value=0.02)
    cell.number_format = "0%"
    sheet, row = rows["firm.assessment_date"]  # a date left as Excel's serial number
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value=46280)
    sheet, row = rows["QM-02"]  # "2 — documented" from the drop-down is level 2
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value="2 — documented")
    back = read_response(save(workbook, tmp_path / "shown.xlsx"), default_criteria)
    assert back.answers["EP-02"].value == 2
    assert back.firm.assessment_date == dt.date(2026, 9, 15)
    assert back.answers["QM-02"].value == 2
    sheet, row = rows["QM-02"]  # but a range is not a level
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value="2-3")
    with pytest.raises(ResponseError) as info:
        read_response(save(workbook, tmp_path / "range.xlsx"), default_criteria)
    assert any(p.question_id == "QM-02" and "2-3" in p.message for p in info.value.problems)


def test_sorted_rows_and_uncalculated_formulas_are_reported(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "zh")
    rows = rows_by_key(workbook)
    sheet, first = rows["QM-02"]
    _, second = rows["QM-03"]
    for column in range(layout.QUESTION_COLUMN, layout.TARGET_COLUMN + 1):  # sorted without the hidden column A
        upper, lower = sheet.cell(row=first, column=column), sheet.cell(row=second, column=column)
        upper.value, lower.value = lower.value, upper.value
    sheet, row = rows["TR-01"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value="=1+2")  # written by a script: no value calculated
    with pytest.raises(ResponseError) as info:
        read_response(save(workbook, tmp_path / "sorted.xlsx"), default_criteria)
    shown = {(p.question_id, p.location): p.message_in("zh") for p in info.value.problems}
    qm = rows["QM-02"][0].title
    assert "B 列显示的是 QM-03，但隐藏的 A 列编号是 QM-02" in shown[("QM-02", f"{qm}!B{first}")]
    assert "B 列显示的是 QM-02，但隐藏的 A 列编号是 QM-03" in shown[("QM-03", f"{qm}!B{second}")]
    tr = rows["TR-01"][0].title
    assert "公式 =1+2 没有计算结果" in shown[("TR-01", f"{tr}!D{row} (TR-01)")]


def test_a_missing_required_answer_is_located_at_its_cell(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "en")
    sheet, row = rows_by_key(workbook)["QM-02"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN).value = None  # (cell(..., value=None) would leave it)
    with pytest.raises(ResponseError) as info:
        read_response(save(workbook, tmp_path / "missing.xlsx"), default_criteria)
    assert [str(p) for p in info.value.problems] == [f"{sheet.title}!D{row} (QM-02): QM-02: required answer missing"]


def test_list_cells_may_be_separated_by_spaces(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    seed = load_response(SEEDS / "hongyi-auto.yaml", default_criteria)
    workbook = fill(default_criteria, seed, "en")
    rows = rows_by_key(workbook)
    sheet, row = rows["firm.markets"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value="eu us  japan")
    sheet, row = rows["BR-02"]
    sheet.cell(row=row, column=layout.ANSWER_COLUMN, value="china eu")
    back = read_response(save(workbook, tmp_path / "spaces.xlsx"), default_criteria)
    assert back.firm.markets == ["eu", "us", "japan"]
    assert back.answers["BR-02"].value == ("china", "eu")
