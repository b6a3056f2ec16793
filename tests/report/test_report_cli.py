"""`assess report` and `assess demo` through typer's runner."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from pypdf import PdfReader
from typer.testing import CliRunner

from assess.cli.app import app
from tests.report.conftest import SEEDS

runner = CliRunner()


def test_report_writes_pdf_html_and_action_sheet(tmp_path: Path) -> None:
    pdf, html, xlsx = tmp_path / "r.pdf", tmp_path / "r.html", tmp_path / "plan.xlsx"
    result = runner.invoke(
        app,
        [
            "report",
            str(SEEDS / "borun-appliances.yaml"),
            "-o",
            str(pdf),
            "--lang",
            "zh",
            "--html",
            str(html),
            "--actions-xlsx",
            str(xlsx),
        ],
    )
    assert result.exit_code == 0, result.output
    assert PdfReader(io.BytesIO(pdf.read_bytes())).pages
    assert "慈溪市博润电器有限公司" in html.read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None and sheet.max_row > 10
    assert not list(tmp_path.glob(".*.tmp"))


def test_report_of_a_bad_response_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (SEEDS / "borun-appliances.yaml").read_text(encoding="utf-8").replace("QM-02: ", "QM-02: 9 #"), encoding="utf-8"
    )
    result = runner.invoke(app, ["report", str(bad), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "QM-02" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_report_with_broken_template_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "tpl" / "report" / "sections"
    folder.mkdir(parents=True)
    (folder / "cover.html.j2").write_text("{% for %}", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "report",
            str(SEEDS / "borun-appliances.yaml"),
            "-o",
            str(tmp_path / "x.pdf"),
            "--templates",
            str(tmp_path / "tpl"),
        ],
    )
    assert result.exit_code == 1
    assert "cover.html.j2:1" in result.stderr and "Traceback" not in result.output


def test_report_rejects_unknown_language() -> None:
    result = runner.invoke(app, ["report", str(SEEDS / "borun-appliances.yaml"), "-o", "x.pdf", "--lang", "fr"])
    assert result.exit_code == 2
