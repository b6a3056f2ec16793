"""`assess questionnaire`, `fill` and a filled workbook through `score`, via typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from assess.cli.app import app
from assess.questionnaire import xlsx_layout as layout

runner = CliRunner()
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


@pytest.mark.parametrize("fmt", ["xlsx", "yaml", "json-schema", "xlsform", "html"])
def test_every_format_is_written(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"blank.{fmt}"
    result = runner.invoke(app, ["questionnaire", "-f", fmt, "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert len(data) > 1000
    if fmt == "json-schema":
        assert "TBT-01" in json.loads(data)["properties"]["answers"]["properties"]
    elif fmt in ("yaml", "html"):
        assert "TBT-01" in data.decode("utf-8")
    else:
        assert data.startswith(b"PK")


def test_filled_workbook_scores_like_yaml(tmp_path: Path) -> None:
    blank = tmp_path / "blank.xlsx"
    assert (
        runner.invoke(app, ["questionnaire", "-f", "xlsx", "-o", str(blank), "-c", str(MINI), "--lang", "en"]).exit_code
        == 0
    )
    workbook = openpyxl.load_workbook(blank)
    answers: dict[str, str | int] = {
        "firm.name": "Filled Ltd",
        "firm.industry": "Crafts",
        "firm.markets": "eu",
        "firm.assessment_date": "2026-11-01",
        "A-01": 3,
        "A-02": "Some",
        "A-03": "Yes",
        "B-01": 2,
        "B-02": "x, z",
        "B-03": 2,
        "B-04": "No",
    }
    for sheet in workbook.worksheets:
        for row in range(1, sheet.max_row + 1):
            key = sheet.cell(row=row, column=layout.KEY_COLUMN).value
            if isinstance(key, str) and key in answers:
                sheet.cell(row=row, column=layout.ANSWER_COLUMN, value=answers[key])
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    result = runner.invoke(app, ["score", str(filled), "-c", str(MINI), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["overall"] == 70.83  # the hand-computed score of tests/test_scoring.py


def test_fill_saves_and_resumes(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    first = runner.invoke(
        app, ["fill", "-o", str(out), "-c", str(MINI), "--lang", "en"], input="Resumed Ltd\n\n2\n1\n\n\n3\n\nq\n"
    )
    assert first.exit_code == 0, first.output
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert saved["status"] == "draft" and saved["answers"] == {"A-01": 3}
    # Resuming asks only what is left: A-02 (option 2 = some) then A-03 (yes), then stops.
    second = runner.invoke(
        app, ["fill", "-o", str(out), "--resume", str(out), "-c", str(MINI), "--lang", "en"], input="2\n\nyes\n\nq\n"
    )
    assert second.exit_code == 0, second.output
    again = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert again["answers"] == {"A-01": 3, "A-02": "some", "A-03": True}
