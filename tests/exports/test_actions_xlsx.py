"""The improvement-roadmap spreadsheet, written from a real result and read back with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from assess.api import load_criteria, load_response, score
from assess.exports.actions_xlsx import (
    COLUMN_KEYS,
    HEADER_ROW,
    STATUS_KEYS,
    advice_for,
    answer_label,
    load_labels,
    write_actions_xlsx,
)
from assess.exports.safe_cells import is_dangerous
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    SingleChoiceQuestion,
    YesNoQuestion,
)
from assess.models.result import ScoreResult

HOSTILE = '=HYPERLINK("http://x")'
LANGS = ["zh", "en"]


@pytest.fixture(scope="module")
def criteria() -> CriteriaSet:
    return load_criteria()


@pytest.fixture(scope="module")
def result(criteria: CriteriaSet) -> ScoreResult:
    r = score(criteria, load_response("seeds/borun-appliances.yaml", criteria))
    return r.model_copy(update={"firm": r.firm.model_copy(update={"name": HOSTILE})})


def write_and_open(criteria: CriteriaSet, result: ScoreResult, path: Path, lang: Any) -> Any:
    write_actions_xlsx(criteria, result, path, lang)
    return openpyxl.load_workbook(path).active


def col(key: str) -> int:
    return COLUMN_KEYS.index(key) + 1


@pytest.mark.parametrize("lang", LANGS)
def test_one_row_per_priority_with_gain(criteria: CriteriaSet, result: ScoreResult, tmp_path: Path, lang: Any) -> None:
    sheet = write_and_open(criteria, result, tmp_path / "actions.xlsx", lang)
    steps = [p for p in result.priorities if p.gain > 0]
    assert steps, "the seed should have priorities"
    assert sheet.max_row - HEADER_ROW == len(steps)
    ranks = [sheet.cell(row, col("step")).value for row in range(HEADER_ROW + 1, sheet.max_row + 1)]
    assert ranks == [p.rank for p in steps]


@pytest.mark.parametrize("lang", LANGS)
def test_headers_in_the_chosen_language(criteria: CriteriaSet, result: ScoreResult, tmp_path: Path, lang: Any) -> None:
    sheet = write_and_open(criteria, result, tmp_path / "actions.xlsx", lang)
    labels = load_labels()
    headers = [sheet.cell(HEADER_ROW, c).value for c in range(1, sheet.max_column + 1)]
    assert headers == [labels[key][lang] for key in COLUMN_KEYS]
    assert sheet.max_column == 14
    assert sheet.title == labels["sheet"][lang]
    for c in range(1, sheet.max_column + 1):
        cell = sheet.cell(HEADER_ROW, c)
        assert cell.font.bold
        assert cell.fill.fill_type == "solid"


@pytest.mark.parametrize("lang", LANGS)
def test_first_row_matches_first_priority(
    criteria: CriteriaSet, result: ScoreResult, tmp_path: Path, lang: Any
) -> None:
    sheet = write_and_open(criteria, result, tmp_path / "actions.xlsx", lang)
    first = result.priorities[0]
    question = criteria.questions[first.question_id]
    labels = load_labels()
    row = {key: sheet.cell(HEADER_ROW + 1, col(key)).value for key in COLUMN_KEYS}
    assert row["step"] == first.rank == 1
    assert row["horizon"] == labels[f"horizon_{first.effort}"][lang]
    assert row["theme"] == criteria.theme(first.theme).title.in_lang(lang)
    assert row["question_id"] == first.question_id
    assert row["question"] == question.text.in_lang(lang)
    assert row["current"] == answer_label(criteria, question, first.current, lang)
    assert row["target"] == answer_label(criteria, question, first.next, lang)
    assert row["gain"] == pytest.approx(first.gain)
    assert row["gain_1000"] == pytest.approx(first.gain_1000)
    assert row["advice"] == advice_for(question, first.current, lang) != ""
    assert row["owner"] is row["due_date"] is row["status"] is row["notes"] is None
    assert sheet.cell(HEADER_ROW + 1, col("gain")).number_format == "0.00"
    assert sheet.cell(HEADER_ROW + 1, col("due_date")).number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("lang", LANGS)
def test_header_block(criteria: CriteriaSet, result: ScoreResult, tmp_path: Path, lang: Any) -> None:
    sheet = write_and_open(criteria, result, tmp_path / "actions.xlsx", lang)
    labels = load_labels()
    block = {sheet.cell(row, 1).value: sheet.cell(row, col("question_id")).value for row in range(2, HEADER_ROW)}
    assert block[labels["criteria"][lang]] == f"{result.criteria.id} {result.criteria.version}"
    assert block[labels["overall"][lang]] == pytest.approx(result.overall)
    assert block[labels["assessment_date"][lang]].date() == result.firm.assessment_date
    assert result.band is not None
    band = criteria.band_named(result.band)
    assert band is not None
    assert block[labels["band"][lang]] == band.name.in_lang(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_firm_name_is_neutralised(
    criteria: CriteriaSet, result: ScoreResult, tmp_path: Path, lang: Any
) -> None:
    sheet = write_and_open(criteria, result, tmp_path / "actions.xlsx", lang)
    firm_cell = sheet.cell(2, col("question_id"))
    assert firm_cell.value == "'" + HOSTILE
    assert firm_cell.data_type == "s"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not is_dangerous(cell.value), cell.coordinate


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_furniture(criteria: CriteriaSet, result: ScoreResult, tmp_path: Path, lang: Any) -> None:
    sheet = write_and_open(criteria, result, tmp_path / "actions.xlsx", lang)
    last = sheet.max_row
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:N{last}"
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    status = openpyxl.utils.get_column_letter(col("status"))
    labels = load_labels()
    assert validations[0].type == "list"
    assert validations[0].formula1 == '"' + ",".join(labels[k][lang] for k in STATUS_KEYS) + '"'
    assert str(validations[0].sqref) == f"{status}{HEADER_ROW + 1}:{status}{last}"
    letter = openpyxl.utils.get_column_letter
    assert sheet.column_dimensions[letter(col("advice"))].width >= 40
    assert sheet.column_dimensions[letter(col("question"))].width >= 40
    assert sheet.cell(HEADER_ROW + 1, col("advice")).alignment.wrap_text
    assert sheet.cell(HEADER_ROW + 1, col("question")).alignment.wrap_text


def test_no_priorities_still_makes_a_usable_sheet(criteria: CriteriaSet, result: ScoreResult, tmp_path: Path) -> None:
    sheet = write_and_open(criteria, result.model_copy(update={"priorities": []}), tmp_path / "empty.xlsx", "en")
    assert sheet.max_row == HEADER_ROW  # the header block and the header row, no steps
    assert [c.value for c in sheet[HEADER_ROW]][:2] == ["Step", "Horizon"]
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref) == f"M{HEADER_ROW + 1}"  # the first row the firm will fill


def test_written_atomically(
    criteria: CriteriaSet, result: ScoreResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "actions.xlsx"
    write_actions_xlsx(criteria, result, path, "en")
    write_actions_xlsx(criteria, result, path, "zh")  # overwrites
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actions.xlsx"]
    before = path.read_bytes()

    def broken_save(self: Any, target: Any) -> None:
        target.write(b"partial")
        raise RuntimeError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(RuntimeError):
        write_actions_xlsx(criteria, result, path, "en")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actions.xlsx"]


def test_answer_labels_for_every_kind(criteria: CriteriaSet) -> None:
    questions = list(criteria.questions.values())
    level = next(q for q in questions if isinstance(q, LevelQuestion))
    assert answer_label(criteria, level, 2, "en") == f"2 — {level.levels[2].text.en}"
    single = next(q for q in questions if isinstance(q, SingleChoiceQuestion))
    assert answer_label(criteria, single, single.options[1].id, "zh") == single.options[1].text.zh
    multi = next(q for q in questions if isinstance(q, MultiChoiceQuestion))
    pair = (multi.options[0].id, multi.options[1].id)
    assert answer_label(criteria, multi, pair, "en") == f"{multi.options[0].text.en}; {multi.options[1].text.en}"
    yesno = next(q for q in questions if isinstance(q, YesNoQuestion))
    assert answer_label(criteria, yesno, True, "zh") == criteria.answer_labels.yes.zh
    assert answer_label(criteria, yesno, False, "en") == criteria.answer_labels.no.en
    number = next(q for q in questions if isinstance(q, NumberQuestion))
    assert answer_label(criteria, number, "<0.5", "en") == "<0.5"
    assert answer_label(criteria, number, 0.9, "en") == "0.9"
    assert answer_label(criteria, number, None, "en") == ""


def test_advice_sources(criteria: CriteriaSet) -> None:
    questions = list(criteria.questions.values())
    level = next(q for q in questions if isinstance(q, LevelQuestion))
    assert level.levels[1].advice is not None
    assert advice_for(level, 1, "en") == level.levels[1].advice.en
    multi = next(q for q in questions if isinstance(q, MultiChoiceQuestion) and any(o.advice for o in q.options))
    with_advice = next(o for o in multi.options if o.advice is not None)
    assert with_advice.advice is not None
    assert advice_for(multi, (with_advice.id,), "zh") == with_advice.advice.zh
    without = next(o for o in multi.options if o.advice is None)
    assert multi.advice is not None
    assert advice_for(multi, (without.id,), "en") == multi.advice.en
    yesno = next(q for q in questions if isinstance(q, YesNoQuestion))
    assert yesno.advice is not None
    assert advice_for(yesno, False, "en") == yesno.advice.en


def test_labels_file_is_complete_and_safe_for_the_dropdown() -> None:
    labels = load_labels()
    for key in STATUS_KEYS:
        for text in labels[key].values():
            assert "," not in text
            assert '"' not in text
    assert all(len(labels["sheet"][lang]) <= 31 for lang in LANGS)
