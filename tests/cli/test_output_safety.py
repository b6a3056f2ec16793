"""Outputs the system refuses, outputs that would overwrite an input, and formats that must match a file name.

Every case ends with a friendly message naming the path and exit code 1 (never a traceback), and the files
that were there before are left as they were.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from assess.cli.app import app
from assess.cli.errors import os_error, user_errors

runner = CliRunner()
TESTS = Path(__file__).resolve().parents[1]
MINI = TESTS / "fixtures" / "mini"
GOOD = TESTS / "fixtures" / "responses" / "mini_good.yaml"
PROC = Path("/proc")
needs_proc = pytest.mark.skipif(not PROC.is_dir(), reason="needs Linux /proc (a folder no file can be made in)")


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def firm_file(tmp_path: Path) -> Path:
    path = tmp_path / "firm.yaml"
    path.write_bytes(GOOD.read_bytes())
    return path


# --- outputs the system refuses --------------------------------------------------------------------


@needs_proc
@pytest.mark.parametrize(
    "command",
    [
        ["report", str(GOOD), "-c", str(MINI), "-o", "/proc/assess-x.pdf"],
        ["report", str(GOOD), "-c", str(MINI), "-o", "{tmp}/r.pdf", "--html", "/proc/assess-x.html"],
        ["report", str(GOOD), "-c", str(MINI), "-o", "{tmp}/r.pdf", "--actions-xlsx", "/proc/assess-x.xlsx"],
        ["questionnaire", "-o", "/proc/assess-q.xlsx"],
        ["fill", "-c", str(MINI), "-o", "/proc/assess-f.yaml"],
        ["criteria", "new", "/proc/assess-newset", "--id", "acme-2027"],
    ],
)
def test_an_output_the_system_refuses_is_said_with_its_path(tmp_path: Path, command: list[str]) -> None:
    code, output = invoke(*(part.replace("{tmp}", str(tmp_path)) for part in command))
    assert code == 1
    assert "Cannot write /proc/assess-" in output
    assert not list(tmp_path.iterdir())  # and nothing else of the set was written


@needs_proc
def test_a_refused_pdf_leaves_no_html_behind(tmp_path: Path) -> None:
    html = tmp_path / "r.html"
    code, output = invoke("report", str(GOOD), "-c", str(MINI), "-o", "/proc/assess-x.pdf", "--html", str(html))
    assert code == 1 and "Cannot write /proc/assess-x.pdf" in output
    assert not html.exists() and not list(tmp_path.iterdir())


def test_an_output_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "adir.pdf"
    folder.mkdir()
    code, output = invoke("report", str(GOOD), "-c", str(MINI), "-o", str(folder))
    assert code == 1 and "it is an existing folder" in output and str(folder) in output.replace("\n", "")
    assert folder.is_dir() and not list(folder.iterdir())


def test_an_output_under_a_file_is_refused_in_chinese(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    code, output = invoke("questionnaire", "-o", str(blocker / "q.xlsx"), "--lang", "zh")
    assert code == 1 and "无法写入" in output and "是文件，不是文件夹" in output
    assert blocker.read_text(encoding="utf-8") == "x"


def test_an_oserror_that_escapes_is_said_plainly_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as stopped, user_errors():
        raise PermissionError(errno.EACCES, "Permission denied", "/somewhere/out.pdf")
    assert stopped.value.exit_code == 1
    said = capsys.readouterr()
    assert "Cannot use /somewhere/out.pdf" in said.err and "no permission" in said.err
    assert "Traceback" not in said.err + said.out
    error = os_error(OSError(errno.ENOSPC, "No space left on device"))
    assert error.summary_in("zh") == "文件操作失败" and "磁盘" in error.problems[0].message_in("zh")


# --- outputs that would overwrite an input or each other ---------------------------------------------


def test_report_over_its_own_response_is_refused(tmp_path: Path) -> None:
    firm = firm_file(tmp_path)
    before = firm.read_bytes()
    for output in (str(firm), str(tmp_path / ".." / tmp_path.name / "firm.yaml")):
        code, text = invoke("report", str(firm), "-c", str(MINI), "-o", output)
        assert code == 1 and "same file as the input" in text
        assert firm.read_bytes() == before


def test_report_over_its_response_through_a_link_or_as_html_is_refused(tmp_path: Path) -> None:
    firm = firm_file(tmp_path)
    before = firm.read_bytes()
    link = tmp_path / "link.pdf"
    link.symlink_to(firm)
    assert invoke("report", str(firm), "-c", str(MINI), "-o", str(link))[0] == 1
    code, text = invoke("report", str(firm), "-c", str(MINI), "-o", str(tmp_path / "r.pdf"), "--html", str(firm))
    assert code == 1 and "same file as the input" in text
    assert firm.read_bytes() == before and not (tmp_path / "r.pdf").exists()


def test_two_outputs_on_one_file_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    code, text = invoke("report", str(GOOD), "-c", str(MINI), "-o", str(out), "--actions-xlsx", str(out))
    assert code == 1 and "same file as another output" in text
    assert not out.exists()


# --- questionnaire: existing files and formats -------------------------------------------------------


def test_questionnaire_never_overwrites_a_response_without_force(tmp_path: Path) -> None:
    response = firm_file(tmp_path)
    before = response.read_bytes()
    code, text = invoke("questionnaire", "-o", str(response))
    assert code == 1 and "Will not overwrite" in text and "--force" in text
    assert response.read_bytes() == before
    code, text = invoke("questionnaire", "-o", str(response), "--force")
    assert code == 0, text
    assert response.read_bytes() != before and "answers" in yaml.safe_load(response.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [("form.html", b"<"), ("q.yaml", b"#"), ("q.yml", b"#"), ("q.json", b"{"), ("q.xlsx", b"PK")],
)
def test_questionnaire_format_follows_the_file_name(tmp_path: Path, name: str, looks_like: bytes) -> None:
    out = tmp_path / name
    code, text = invoke("questionnaire", "-o", str(out), "-c", str(MINI))
    assert code == 0, text
    data = out.read_bytes()
    assert data.lstrip().startswith(looks_like)
    if name == "form.html":
        assert b"<html" in data.lower()
    if name == "q.json":
        assert "answers" in json.loads(data)["properties"]


@pytest.mark.parametrize(
    ("fmt", "name", "said"),
    [
        ("yaml", "q.xlsx", "does not fit the file name q.xlsx"),
        ("xlsx", "form.html", "does not fit the file name form.html"),
        ("xlsform", "form.yaml", "does not fit the file name form.yaml"),
        (None, "questionnaire", "Cannot tell the questionnaire format"),
        (None, "q.txt", "Cannot tell the questionnaire format"),
    ],
)
def test_questionnaire_format_and_name_must_agree(tmp_path: Path, fmt: str | None, name: str, said: str) -> None:
    out = tmp_path / name
    code, text = invoke("questionnaire", "-o", str(out), *(["-f", fmt] if fmt else []))
    assert code == 1 and said in text.replace("\n", " ")
    assert not out.exists()


def test_xlsform_and_a_free_name_with_f(tmp_path: Path) -> None:
    assert invoke("questionnaire", "-f", "xlsform", "-o", str(tmp_path / "form.xlsx"), "-c", str(MINI))[0] == 0
    assert invoke("questionnaire", "-f", "yaml", "-o", str(tmp_path / "blank.txt"), "-c", str(MINI))[0] == 0
    assert (tmp_path / "blank.txt").read_text(encoding="utf-8").startswith("#")


# --- fill: JSON for .json, nothing else than a response file's name -----------------------------------


def test_fill_writes_json_to_a_json_file_and_resumes_it(tmp_path: Path) -> None:
    out = tmp_path / "firm.json"
    result = runner.invoke(app, ["fill", "-c", str(MINI), "-o", str(out), "--lang", "en"], input="Acme Co\nq\n")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["firm"]["name"] == "Acme Co" and data["criteria"] == "mini" and data["status"] == "draft"
    again = tmp_path / "again.json"
    result = runner.invoke(app, ["fill", "-c", str(MINI), "-o", str(again), "--resume", str(out)], input="q\n")
    assert result.exit_code == 0, result.output
    assert json.loads(again.read_text(encoding="utf-8"))["firm"]["name"] == "Acme Co"


def test_fill_refuses_a_name_that_is_no_response_file_before_asking(tmp_path: Path) -> None:
    out = tmp_path / "firm.txt"
    result = runner.invoke(app, ["fill", "-c", str(MINI), "-o", str(out)], input="Acme Co\nq\n")
    assert result.exit_code == 1
    assert "Cannot save a response as" in result.output and ".json" in result.output
    assert "Firm name" not in result.output and not out.exists()


# --- criteria show ----------------------------------------------------------------------------------


def test_criteria_show_refuses_an_unknown_language() -> None:
    result = runner.invoke(app, ["criteria", "show", "--lang", "fr"])
    assert result.exit_code == 2
    assert runner.invoke(app, ["criteria", "show", "--lang", "zh"]).exit_code == 0
