"""`assess import-submissions` reports every problem of a row at once: its firm fields' and its answers'."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assess.cli.app import app
from assess.errors import ResponseError
from assess.models.common import Lang
from assess.models.criteria import CriteriaSet
from assess.readers.submissions import check_submissions, read_submissions
from tests.conftest import MINI

runner = CliRunner()
HEADER = (
    "_id;firm/firm_name;firm/credit_code;firm/industry;firm/markets;firm/assessment_date;theme-alpha/A-01;"
    "theme-alpha/A-01_target;theme-alpha/A-02;theme-alpha/A-03;theme-beta/B-01;theme-beta/B-02;theme-beta/B-03;"
    "theme-beta/B-04"
)
GOOD = {
    "name": "宁波一",
    "code": "",
    "industry": "crafts",
    "markets": "eu",
    "date": "2026-11-01",
    "A-01": "3",
    "A-01_target": "",
    "A-02": "some",
    "A-03": "yes",
    "B-01": "2",
    "B-02": "x z",
    "B-03": "2",
    "B-04": "no",
}


def export(path: Path, *rows: dict[str, str]) -> Path:
    lines = [HEADER] + [";".join(["1", *{**GOOD, **row}.values()]) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems_of(path: Path, criteria: CriteriaSet, lang: Lang = "en") -> dict[str, tuple[str | None, str]]:
    with pytest.raises(ResponseError) as caught:
        read_submissions(path, criteria, lang)
    return {p.location: (p.question_id, p.message_in(lang)) for p in caught.value.problems}


def test_a_bad_firm_field_does_not_hide_the_answers_problems(tmp_path: Path, mini: CriteriaSet) -> None:
    source = export(tmp_path / "export.csv", {"date": "2026-13-01", "A-01": "9", "A-03": "maybe"})
    found = problems_of(source, mini)
    assert list(found) == [  # in the order of the row's columns
        "export.csv row 2, column firm/assessment_date",
        "export.csv row 2, column theme-alpha/A-01",
        "export.csv row 2, column theme-alpha/A-03",
    ]
    assert found["export.csv row 2, column firm/assessment_date"] == (
        None,
        '"2026-13-01" is not a date: write it YYYY-MM-DD, such as 2026-09-15',
    )
    assert found["export.csv row 2, column theme-alpha/A-01"] == ("A-01", '"9" is not one of: 0, 1, 2, 3, 4')
    assert found["export.csv row 2, column theme-alpha/A-03"][0] == "A-03"


def test_every_kind_of_firm_problem_with_answer_problems_in_chinese(tmp_path: Path, mini: CriteriaSet) -> None:
    row = {"name": "", "industry": "家电", "markets": "欧盟 us", "date": "20261101", "A-01": "abc", "B-01": "-2"}
    found = problems_of(export(tmp_path / "export.csv", row), mini, "zh")
    assert list(found) == [
        "export.csv 第 2 行，firm/firm_name 列",
        "export.csv 第 2 行，firm/industry 列",
        "export.csv 第 2 行，firm/markets 列",
        "export.csv 第 2 行，firm/assessment_date 列",
        "export.csv 第 2 行，theme-alpha/A-01 列",
        "export.csv 第 2 行，theme-beta/B-01 列",
    ]
    assert "不是行业代号" in found["export.csv 第 2 行，firm/industry 列"][1]
    assert "不是市场代号" in found["export.csv 第 2 行，firm/markets 列"][1]
    assert found["export.csv 第 2 行，theme-alpha/A-01 列"][0] == "A-01"
    assert found["export.csv 第 2 行，theme-beta/B-01 列"][0] == "B-01"


def test_a_bad_target_does_not_hide_its_own_answer(tmp_path: Path, mini: CriteriaSet) -> None:
    found = problems_of(export(tmp_path / "export.csv", {"A-01": "7", "A-01_target": "abc"}), mini)
    assert found["export.csv row 2, column theme-alpha/A-01"][0] == "A-01"
    assert found["export.csv row 2, column theme-alpha/A-01_target"] == ("A-01", '"abc" is not a number')


def test_good_rows_are_unchanged_and_stand_ins_are_never_written(tmp_path: Path, mini: CriteriaSet) -> None:
    source = export(tmp_path / "export.csv", {}, {"name": "", "A-01": "9"}, {"markets": "eu us"})
    checked = check_submissions(source, mini)
    assert [s.row for s in checked.submissions] == [2, 4]
    assert [s.data["firm"]["markets"] for s in checked.submissions] == [["eu"], ["eu", "us"]]
    assert all(s.data["status"] == "final" for s in checked.submissions)
    [rejected] = checked.rejected
    assert rejected.row == 3 and len(rejected.error.problems) == 2


def test_the_command_lists_both_kinds_of_problem(tmp_path: Path) -> None:
    source = export(tmp_path / "export.csv", {"industry": "家电", "A-02": "lots"})
    result = runner.invoke(app, ["import-submissions", str(source), "-o", str(tmp_path / "out"), "-c", str(MINI)])
    assert result.exit_code == 1
    flat = " ".join(result.output.split())
    assert "export.csv row 2, column firm/industry" in flat and "is not an industry id" in flat
    assert 'export.csv row 2, column theme-alpha/A-02: "lots" is not one of: none, some, full' in flat
