"""`assess import-submissions`: a survey export becomes one checked response file per firm."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from assess.cli.app import app

runner = CliRunner()
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
HEADER = (
    "_id;start;firm/firm_name;firm/industry;firm/markets;firm/assessment_date;theme-alpha/A-01;theme-alpha/A-02;"
    "theme-alpha/A-03;theme-beta/B-01;theme-beta/B-02;theme-beta/B-03;theme-beta/B-04"
)


def test_export_to_response_files(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    rows = [
        HEADER,
        "1;2026-11-01;Alpha Crafts;crafts;eu us;2026-11-01;3;some;yes;2;x z;2;no",
        "2;2026-11-02;../../Beta Foods;food;us;2026-11-02;1;none;no;7;y;;no",
    ]
    export.write_bytes(("\ufeff" + "\n".join(rows) + "\n").encode("utf-8"))
    out = tmp_path / "responses"
    result = runner.invoke(app, ["import-submissions", str(export), "-o", str(out), "-c", str(MINI)])
    assert result.exit_code == 0, result.output
    files = sorted(out.iterdir())
    assert len(files) == 2 and all(f.parent == out for f in files)
    first = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    assert first["firm"]["name"] == "Alpha Crafts" and first["answers"]["B-02"] == ["x", "z"]
    scored = runner.invoke(app, ["score", str(out), "-c", str(MINI), "--format", "json"])
    assert scored.exit_code == 0, scored.output


def test_bad_export_row_is_named(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(HEADER + "\n1;x;Gamma;crafts;eu;2026-11-01;9;some;yes;2;x;2;no\n", encoding="utf-8")
    result = runner.invoke(app, ["import-submissions", str(export), "-o", str(tmp_path / "out"), "-c", str(MINI)])
    assert result.exit_code == 1
    assert "export.csv row 2" in result.stderr and "A-01" in result.stderr
    assert "1 submission does not fit criteria set mini" in result.stderr


def test_bad_export_rows_are_named_in_chinese_with_lang_zh(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(HEADER + "\n1;x;Gamma;crafts;eu;2026-11-01;9;some;yes;2;x;2;no\n", encoding="utf-8")
    command = ["import-submissions", str(export), "-o", str(tmp_path / "out"), "-c", str(MINI), "--lang", "zh"]
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    assert "export.csv：1 份提交不符合评价标准 mini" in result.stderr
    assert "export.csv 第 2 行" in result.stderr and "“9”不是可选答案" in result.stderr


def test_a_submission_missing_required_answers_is_written_as_a_draft_and_says_so(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(HEADER + "\n1;x;Gamma;crafts;eu;2026-11-01;3;some;yes;2;x;;no\n", encoding="utf-8")
    result = runner.invoke(app, ["import-submissions", str(export), "-o", str(tmp_path / "out"), "-c", str(MINI)])
    assert result.exit_code == 0, result.output
    assert "B-03: required answer missing (draft)" in result.stderr
    [written] = (tmp_path / "out").iterdir()
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["status"] == "draft"
