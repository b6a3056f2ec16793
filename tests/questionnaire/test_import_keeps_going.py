"""`assess import-submissions`: bad rows do not stop good ones, and no firm's file is replaced by another's."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from assess import api
from assess.cli.app import app

runner = CliRunner()
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
HEADER = (
    "_id;start;firm/firm_name;firm/credit_code;firm/industry;firm/markets;firm/assessment_date;theme-alpha/A-01;"
    "theme-alpha/A-02;theme-alpha/A-03;theme-beta/B-01;theme-beta/B-02;theme-beta/B-03;theme-beta/B-04"
)


def export(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def row(name: str, a01: str = "3", code: str = "") -> str:
    return f"1;2026-11-01;{name};{code};crafts;eu;2026-11-01;{a01};some;yes;2;x z;2;no"


def import_(source: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["import-submissions", str(source), "-o", str(out), "-c", str(MINI), *extra])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def firm_in(path: Path) -> str:
    return str(yaml.safe_load(path.read_text(encoding="utf-8"))["firm"]["name"])


def test_good_rows_are_written_when_others_do_not_fit(tmp_path: Path) -> None:
    source = export(
        tmp_path / "export.csv", row("宁波一"), row("宁波二", a01="9"), row("宁波三", a01="abc"), row("宁波四")
    )
    out = tmp_path / "out"
    code, output = import_(source, out)
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == ["firm-row2.yaml", "firm-row5.yaml"]
    assert firm_in(out / "firm-row2.yaml") == "宁波一" and firm_in(out / "firm-row5.yaml") == "宁波四"
    flat = output.replace("\n", " ")
    assert "2 submissions do not fit criteria set mini" in flat
    assert "export.csv row 3" in flat and "export.csv row 4" in flat
    assert "2 of 4 submissions written to" in flat


def test_no_row_fits_says_none_was_written(tmp_path: Path) -> None:
    source = export(tmp_path / "export.csv", row("宁波二", a01="9"))
    code, output = import_(source, tmp_path / "out", "--lang", "zh")
    assert code == 1 and "1 份提交中 0 份已写入" in output
    assert not (tmp_path / "out").exists()


def test_another_firm_never_replaces_a_file_of_an_earlier_import(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert import_(export(tmp_path / "a.csv", row("宁波一")), out)[0] == 0
    first = (out / "firm-row2.yaml").read_bytes()
    code, output = import_(export(tmp_path / "b.csv", row("宁波二")), out)
    assert code == 0, output
    assert (out / "firm-row2.yaml").read_bytes() == first
    assert firm_in(out / "firm-row2-2.yaml") == "宁波二"
    flat = output.replace("\n", " ")
    assert "firm-row2.yaml holds another firm's response (宁波一)" in flat and "written as firm-row2-2.yaml" in flat
    # importing either export again updates that firm's own file, and makes no third one
    assert import_(export(tmp_path / "b.csv", row("宁波二", a01="1")), out)[0] == 0
    assert import_(export(tmp_path / "a.csv", row("宁波一", a01="2")), out)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["firm-row2-2.yaml", "firm-row2.yaml"]
    assert yaml.safe_load((out / "firm-row2-2.yaml").read_text(encoding="utf-8"))["answers"]["A-01"] == 1
    assert yaml.safe_load((out / "firm-row2.yaml").read_text(encoding="utf-8"))["answers"]["A-01"] == 2


def test_a_file_that_is_no_response_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    notes = out / "firm-row2.yaml"
    notes.write_text("my own notes: keep them\n", encoding="utf-8")
    assert import_(export(tmp_path / "a.csv", row("宁波一")), out)[0] == 0
    assert notes.read_text(encoding="utf-8") == "my own notes: keep them\n"
    assert firm_in(out / "firm-row2-2.yaml") == "宁波一"


def test_one_name_with_another_credit_code_is_another_firm(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert import_(export(tmp_path / "a.csv", row("Acme Crafts", code="91330203MA2QL6E19R")), out)[0] == 0
    assert import_(export(tmp_path / "a.csv", row("ACME crafts", code="91330203MA2QL6E19R")), out)[0] == 0
    assert [p.name for p in out.iterdir()] == ["acme-crafts-row2.yaml"]  # the same code: the same firm, updated
    assert import_(export(tmp_path / "b.csv", row("Acme Crafts", code="91330206MA2AH7KX61")), out)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["acme-crafts-row2-2.yaml", "acme-crafts-row2.yaml"]
    assert firm_in(out / "acme-crafts-row2.yaml") == "ACME crafts"


def test_the_library_returns_every_row(tmp_path: Path) -> None:
    source = export(tmp_path / "export.csv", row("宁波一"), row("宁波二", a01="9"))
    imported = api.import_submissions(str(source), str(tmp_path / "out"), str(MINI))
    assert [(item.row, item.path is not None, item.error is None) for item in imported] == [
        (2, True, True),
        (3, False, False),
    ]
    rejected = imported[1].error
    assert rejected is not None and "row 3" in rejected.problems[0].location
