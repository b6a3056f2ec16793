"""Batch runs: mixed inputs, encodings, mappings, reruns, interruptions, determinism, hostile names."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import yaml
from pydantic import TypeAdapter
from typer.testing import CliRunner

from assess.batch import reports as batch_reports
from assess.batch import run as batch_run
from assess.batch.manifest import report_keys
from assess.batch.reports import RenderTask, render_item
from assess.batch.run import BatchOptions, default_criteria_dir, run_batch
from assess.batch.worker import Chunk, Outcome, result_json, score_chunk
from assess.cli.app import app
from assess.errors import UserError
from assess.files import folder_lock
from assess.models.answers import ValidatedResponse
from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult
from assess.readers.response_file import read_response
from assess.report.render import ReportOptions, render_report
from assess.scoring.engine import score

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"
SEEDS = ROOT / "seeds"
HEADER = [
    "firm_name",
    "credit_code",
    "industry",
    "markets",
    "assessment_date",
    "A-01",
    "A-02",
    "A-03",
    "B-01",
    "B-02",
    "B-03",
    "B-04",
]
GOOD_ROW = ["宁波甲乙工艺品有限公司", "", "crafts", "eu", "2026-11-01", "3", "some", "yes", "2", "x z", "2", "no"]
runner = CliRunner()


def mini_options(outdir: Path, **kwargs: object) -> BatchOptions:
    return BatchOptions(**{"outdir": outdir, "criteria_dir": MINI, "jobs": 1, "pdf": False, **kwargs})  # type: ignore[arg-type]


def write_table(path: Path, rows: list[list[str]], encoding: str = "utf-8", header: list[str] | None = None) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header or HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def response_file(folder: Path, name: str, answers: dict[str, object], firm_name: str = "Good Crafts Ltd") -> Path:
    data = {
        "firm": {"name": firm_name, "industry": "crafts", "markets": ["eu"], "assessment_date": "2026-11-01"},
        "answers": answers,
    }
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


GOOD_ANSWERS = {"A-01": 3, "A-02": "some", "A-03": True, "B-01": 2, "B-02": ["x", "z"], "B-03": 2, "B-04": False}


def test_mixed_good_and_bad_inputs(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", GOOD_ANSWERS)
    response_file(inputs, "b.yaml", {**GOOD_ANSWERS, "A-01": 9, "Z-01": 1})
    (inputs / "c.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    response_file(inputs, "d.yaml", GOOD_ANSWERS, firm_name="Second Ltd")
    summary = run_batch([inputs], mini_options(tmp_path / "out"))
    assert (summary.scored, summary.failed_inputs, summary.ok) == (2, 2, False)
    rows = read_csv(tmp_path / "out" / "summary.csv")
    assert [r["firm"] for r in rows] == ["Good Crafts Ltd", "Second Ltd"]
    assert rows[0]["overall"] == "70.83" and rows[0]["rank"] == "1" and rows[0]["percentile"] == "100.0"
    errors = read_csv(tmp_path / "out" / "errors.csv")
    assert {(e["input"].split("/")[-1], e["question"]) for e in errors} >= {
        ("b.yaml", "A-01"),
        ("b.yaml", "Z-01"),
        ("c.yaml", ""),
    }
    assert any(e["location"].startswith("b.yaml:") for e in errors)
    results = [
        json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [r["result"]["overall"] for r in results] == [70.83, 70.83]


def test_errors_are_listed_in_chinese_with_lang_zh(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "b.yaml", {**GOOD_ANSWERS, "A-01": 9})
    run_batch([inputs], mini_options(tmp_path / "out", mode="zh"))
    [error] = read_csv(tmp_path / "out" / "errors.csv")
    assert error["question"] == "A-01" and error["problem"] == "“9”不是可选答案，可填：0、1、2、3、4"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk"])
def test_tables_in_chinese_excel_encodings(tmp_path: Path, encoding: str) -> None:
    table = write_table(
        tmp_path / "firms.csv",
        [GOOD_ROW, ["宁波丙丁食品有限公司", "", "food", "us", "2026-11-02", "1", "none", "no", "7", "y", "", "no"]],
        encoding,
    )
    summary = run_batch([table], mini_options(tmp_path / "out"))
    assert summary.scored == 2 and summary.ok
    assert [r["firm"] for r in read_csv(tmp_path / "out" / "summary.csv")] == [
        "宁波甲乙工艺品有限公司",
        "宁波丙丁食品有限公司",
    ]


def test_bad_rows_in_a_table_are_listed_and_the_rest_goes_on(tmp_path: Path) -> None:
    bad = [*GOOD_ROW[:5], "7", *GOOD_ROW[6:]]
    table = write_table(tmp_path / "firms.csv", [GOOD_ROW, bad, GOOD_ROW])
    summary = run_batch([table], mini_options(tmp_path / "out"))
    assert summary.scored == 2 and summary.failed_inputs == 1
    [error] = read_csv(tmp_path / "out" / "errors.csv")
    assert error["input"].endswith("firms.csv row 3") and error["question"] == "A-01"
    assert "row 3" in error["location"]


def test_table_cells_as_chinese_spreadsheets_write_them_are_read(tmp_path: Path) -> None:
    row = [*GOOD_ROW[:3], "eu、us", "2026/9/15", *GOOD_ROW[5:]]
    summary = run_batch([write_table(tmp_path / "firms.csv", [row])], mini_options(tmp_path / "out"))
    assert summary.scored == 1 and summary.ok
    [result] = [json.loads(line)["result"] for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert (result["firm"]["markets"], result["firm"]["assessment_date"]) == (["eu", "us"], "2026-09-15")


def test_problems_of_a_table_are_listed_in_chinese_with_lang_zh(tmp_path: Path) -> None:
    rows = [["", *GOOD_ROW[1:4], "2026/2/30", *GOOD_ROW[5:]]]
    good = write_table(tmp_path / "firms.csv", rows)
    broken = write_table(tmp_path / "broken.csv", [GOOD_ROW], header=["名称", *HEADER[1:3], *HEADER[4:]])
    run_batch([good, broken], mini_options(tmp_path / "out", mode="zh"))
    problems = {(e["input"].split("/")[-1], e["problem"]) for e in read_csv(tmp_path / "out" / "errors.csv")}
    assert problems >= {
        ("firms.csv row 2", "不能为空"),
        ("broken.csv", "缺少列：firm_name, markets"),
        ("firms.csv row 2", "“2026/2/30”不是日期：请写成 YYYY-MM-DD，例如 2026-09-15"),  # no such day
    }, problems
    places = {e["location"] for e in read_csv(tmp_path / "out" / "errors.csv") if e["input"].endswith("row 2")}
    assert places == {"firms.csv 第 2 行，firm_name 列", "firms.csv 第 2 行，assessment_date 列"}


def test_mapping_file_renames_survey_columns(tmp_path: Path) -> None:
    header = ["企业名称", "统一社会信用代码", "行业", "市场", "日期", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7"]
    table = write_table(tmp_path / "survey.csv", [GOOD_ROW], header=header)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(dict(zip(header, HEADER, strict=True)), allow_unicode=True), encoding="utf-8")
    summary = run_batch([table], mini_options(tmp_path / "out", mapping=mapping))
    assert summary.scored == 1 and summary.ok


def test_same_inputs_give_byte_identical_summaries(tmp_path: Path) -> None:
    table = write_table(tmp_path / "firms.csv", [GOOD_ROW, GOOD_ROW])
    run_batch([table], mini_options(tmp_path / "one"))
    run_batch([table], mini_options(tmp_path / "two"))
    for name in ("summary.csv", "summary.xlsx", "errors.csv", "results.jsonl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_hostile_names_and_formula_cells(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", GOOD_ANSWERS, firm_name='=HYPERLINK("http://x","y")')
    response_file(inputs, "b.yaml", GOOD_ANSWERS, firm_name="../../escape")
    response_file(inputs, "c.yaml", GOOD_ANSWERS, firm_name="CON")
    summary = run_batch([inputs], BatchOptions(outdir=tmp_path / "out", criteria_dir=MINI, jobs=1, pdf=True))
    assert summary.ok, summary.errors
    reports = sorted(p.name for p in (tmp_path / "out" / "reports").iterdir())
    assert len(reports) == 3 and all(p.endswith(".pdf") and "/" not in p and not p.startswith(".") for p in reports)
    assert not any(p.stem.split("-", 1)[1].upper() == "CON" for p in (tmp_path / "out" / "reports").iterdir())
    assert not (tmp_path / "escape.pdf").exists() and not list(tmp_path.glob("*.pdf"))
    raw = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw
    sheet = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx").active
    assert sheet is not None
    name = sheet["B2"]  # the text as written, stored as text with Excel's "quote prefix" flag
    assert (name.value, name.data_type, name.quotePrefix) == ('=HYPERLINK("http://x","y")', "s", True)
    assert sheet["B3"].quotePrefix is False


def test_rerun_skips_unchanged_reports_and_force_renders(tmp_path: Path) -> None:
    inputs = [SEEDS / "hongyi-auto.yaml", SEEDS / "mingcan-led.yaml"]
    options = BatchOptions(outdir=tmp_path / "out", criteria_dir=default_criteria_dir(), jobs=1, pdf=True, mode="zh")
    first = run_batch(inputs, options)
    assert (first.reports_written, first.reports_skipped) == (2, 0)
    assert (tmp_path / "out" / "cohort.pdf").is_file()
    second = run_batch(inputs, options)
    assert (second.reports_written, second.reports_skipped) == (0, 2)
    forced = run_batch(inputs, BatchOptions(**{**options.__dict__, "force": True}))
    assert forced.reports_written == 2


def test_interrupted_run_leaves_no_half_written_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        response_file(inputs, name, GOOD_ANSWERS, firm_name=f"Firm {name}")
    calls = {"n": 0}
    real = render_item

    def crash_on_second(task: RenderTask) -> tuple[int, str | None]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(batch_reports, "render_item", crash_on_second)  # the name the pool task looks up
    options = BatchOptions(outdir=tmp_path / "out", criteria_dir=MINI, jobs=1, pdf=True)
    with pytest.raises(KeyboardInterrupt):
        run_batch([inputs], options)
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name.startswith(".") and p.name.endswith(".tmp")]
    assert len(list((tmp_path / "out" / "reports").glob("*.pdf"))) == 1
    monkeypatch.setattr(batch_reports, "render_item", real)
    rerun = run_batch([inputs], options)
    assert rerun.ok and rerun.reports_written + rerun.reports_skipped == 3


def test_a_failure_of_assess_itself_on_one_input_is_listed_and_the_rest_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        response_file(inputs, name, GOOD_ANSWERS, firm_name=f"Firm {name}")

    def score_with_a_bug(criteria: CriteriaSet, response: ValidatedResponse, profile: str | None = None) -> ScoreResult:
        if response.firm.name == "Firm b.yaml":
            raise ZeroDivisionError("float division by zero")  # stands for a bug met on this input only
        return score(criteria, response, profile)

    def render_with_a_bug(criteria: CriteriaSet, result: ScoreResult, options: ReportOptions) -> bytes:
        if result.firm.name == "Firm c.yaml":
            raise KeyError("chart")
        return render_report(criteria, result, options)

    monkeypatch.setattr("assess.batch.worker.score", score_with_a_bug)  # the names the batch looks up
    monkeypatch.setattr("assess.batch.reports.render_report", render_with_a_bug)
    summary = run_batch([inputs], BatchOptions(outdir=tmp_path / "out", criteria_dir=MINI, jobs=1, pdf=True))
    assert (summary.scored, summary.failed_inputs, summary.reports_written, summary.ok) == (2, 1, 1, False)
    errors = {e["input"].split("/")[-1]: e for e in read_csv(tmp_path / "out" / "errors.csv")}
    assert errors["b.yaml"]["problem"].startswith("assess failed on this input (ZeroDivisionError: float division")
    assert errors["c.yaml"]["location"] == "report"
    assert errors["c.yaml"]["problem"].startswith("assess failed on this input (KeyError: 'chart')")
    assert [p.name.split("-", 1)[1] for p in (tmp_path / "out" / "reports").glob("*.pdf")] == ["firm-a-yaml.pdf"]
    assert (tmp_path / "out" / "cohort.pdf").exists()


def test_two_batches_never_write_into_one_folder_at_once(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", GOOD_ANSWERS)
    with folder_lock(tmp_path / "out"):  # another batch is running there
        with pytest.raises(UserError, match="Another run is writing to"):
            run_batch([inputs], mini_options(tmp_path / "out"))
        assert list((tmp_path / "out").iterdir()) == []  # it wrote nothing
    assert run_batch([inputs], mini_options(tmp_path / "out")).scored == 1  # free again
    assert not [p for p in (tmp_path / "out").iterdir() if "lock" in p.name]  # and nothing left behind


def test_interrupted_scoring_leaves_no_part_or_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        response_file(inputs, name, GOOD_ANSWERS, firm_name=f"Firm {name}")
    calls = {"n": 0}
    real = score_chunk

    def crash_on_second(chunk: Chunk) -> list[Outcome]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(chunk)

    monkeypatch.setattr(batch_run, "score_chunk", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        run_batch([inputs], mini_options(tmp_path / "out"))
    assert calls["n"] == 2  # three firms, one chunk each with one job: stopped in the middle
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []
    monkeypatch.setattr(batch_run, "score_chunk", real)
    rerun = run_batch([inputs], mini_options(tmp_path / "out"))
    lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert rerun.scored == 3 and [json.loads(line)["input"] for line in lines] == [
        str(inputs / name) for name in ("a.yaml", "b.yaml", "c.yaml")
    ]


def test_previous_adds_changes(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", {**GOOD_ANSWERS, "A-01": 1})
    run_batch([inputs], mini_options(tmp_path / "2025"))
    response_file(inputs, "a.yaml", GOOD_ANSWERS)
    run_batch([inputs], mini_options(tmp_path / "2026", previous=tmp_path / "2025"))
    [row] = read_csv(tmp_path / "2026" / "summary.csv")
    # alpha went from (2*1/4 + 0.5 + 1)/4 = 50 to 75: +25; overall +12.5
    assert row["change_alpha"] == "25.0" and row["change_overall"] == "12.5" and row["change_beta"] == "0.0"


def test_previous_finds_a_firm_by_name_when_one_year_has_no_credit_code(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", {**GOOD_ANSWERS, "A-01": 1})
    run_batch([inputs], mini_options(tmp_path / "2025"))
    data = yaml.safe_load((inputs / "a.yaml").read_text(encoding="utf-8"))
    data["firm"]["credit_code"] = "91330200MA2AGM7L0P"
    data["answers"]["A-01"] = 3
    (inputs / "a.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    summary = run_batch([inputs], mini_options(tmp_path / "2026", previous=tmp_path / "2025"))
    assert summary.previous_matched == 1
    assert read_csv(tmp_path / "2026" / "summary.csv")[0]["change_overall"] == "12.5"


def test_previous_results_scored_another_way_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", GOOD_ANSWERS)
    run_batch([inputs], mini_options(tmp_path / "2025"))
    with pytest.raises(UserError) as info:
        run_batch([inputs], mini_options(tmp_path / "2026", previous=tmp_path / "2025", profile="results"))
    assert "other criteria or another profile" in info.value.summary
    [problem] = info.value.problems
    assert problem.location == "results.jsonl:1"
    assert "profile even" in problem.message and "profile results" in problem.message
    assert problem.message_zh is not None and problem.message_zh.startswith("上次：")
    assert not (tmp_path / "2026").exists()


@pytest.mark.parametrize("content", [b"\x98\xff" + bytes(range(256)), b"\x1f\x8b\x08\x00\xb2gzip"])
def test_previous_results_that_are_no_text_are_refused_with_the_line(tmp_path: Path, content: bytes) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", GOOD_ANSWERS)
    (tmp_path / "old.jsonl").write_bytes(content)
    with pytest.raises(UserError) as info:
        run_batch([inputs], mini_options(tmp_path / "out", previous=tmp_path / "old.jsonl"))
    assert [p.location for p in info.value.problems] == ["old.jsonl:1"]
    assert "not UTF-8 text" in info.value.problems[0].message


def test_cli_says_how_many_firms_the_previous_results_hold(tmp_path: Path) -> None:
    table = write_table(tmp_path / "firms.csv", [GOOD_ROW])
    run_batch([table], mini_options(tmp_path / "2025"))
    other = write_table(tmp_path / "other.csv", [["别的公司", *GOOD_ROW[1:]]])
    args = ["batch", "-o", str(tmp_path / "2026"), "--no-pdf", "-c", str(MINI), "--jobs", "1"]
    found = runner.invoke(app, [*args, "--previous", str(tmp_path / "2025"), str(table)])
    assert found.exit_code == 0 and "compared with the previous results: 1 of 1 firms found there" in found.stdout
    none = runner.invoke(app, [*args, "--previous", str(tmp_path / "2025"), str(other), "--lang", "zh"])
    assert none.exit_code == 0 and "与上次结果比较：0/1 家企业找到上次结果" in none.stderr


def test_a_mapping_to_a_field_that_does_not_exist_names_its_line(tmp_path: Path) -> None:
    table = write_table(tmp_path / "survey.csv", [GOOD_ROW], header=["企业名称", *HEADER[1:]])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("企业名称: firm_nmae\nQ9: A-01\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        run_batch([table], mini_options(tmp_path / "out", mapping=mapping))
    assert [str(p) for p in info.value.problems] == ["mapping.yaml:1: 'firm_nmae' is not a field name"]
    assert "firm_name" in info.value.summary and not (tmp_path / "out").exists()


def test_a_folder_without_response_files_is_an_error_not_an_empty_success(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    response_file(tmp_path / "in" / "sub", "a.yaml", GOOD_ANSWERS)  # one level down: not read
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-c", str(MINI)])
    assert result.exit_code == 1
    assert "no response files" in result.stderr and "subfolders are not read" in result.stderr
    zh = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--lang", "zh"])
    assert zh.exit_code == 1 and "没有找到回答文件" in zh.stderr
    assert not (tmp_path / "out").exists()


def test_ctrl_c_says_that_nothing_is_half_written_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = write_table(tmp_path / "firms.csv", [GOOD_ROW])

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("assess.cli.batch_cmd.run_batch", interrupted)
    result = runner.invoke(app, ["batch", str(table), "-o", str(tmp_path / "out"), "-c", str(MINI)])
    assert result.exit_code == 130 and "Interrupted: no file is half-written" in result.stderr


def test_numbers_of_thousands_of_digits_get_located_messages(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", {**GOOD_ANSWERS, "B-01": 1})
    text = (inputs / "a.yaml").read_text(encoding="utf-8").replace("B-01: 1\n", f"B-01: {'9' * 5000}\n")
    (inputs / "a.yaml").write_text(text, encoding="utf-8")
    table = write_table(tmp_path / "firms.csv", [[*GOOD_ROW[:8], "9" * 5000, *GOOD_ROW[9:]]])
    summary = run_batch([inputs, table], mini_options(tmp_path / "out"))
    assert summary.failed_inputs == 2
    errors = {e["input"].split("/")[-1]: e for e in read_csv(tmp_path / "out" / "errors.csv")}
    assert (
        errors["a.yaml"]["location"].startswith("a.yaml:") and "more than 1,000 digits" in errors["a.yaml"]["problem"]
    )
    row = errors["firms.csv row 2"]
    assert (row["question"], row["problem"]) == ("B-01", "expected a finite number")


def test_cli_exit_codes(tmp_path: Path) -> None:
    table = write_table(tmp_path / "firms.csv", [GOOD_ROW])
    ok = runner.invoke(
        app, ["batch", str(table), "-o", str(tmp_path / "ok"), "--no-pdf", "-c", str(MINI), "--jobs", "1"]
    )
    assert ok.exit_code == 0, ok.output
    assert re.search(r"1 firm scored in \d+\.\d\d s \([\d,]+/s\); 0 inputs failed", ok.stdout), ok.stdout
    bad = write_table(tmp_path / "bad.csv", [[*GOOD_ROW[:5], "x", *GOOD_ROW[6:]]])
    failed = runner.invoke(
        app, ["batch", str(table), str(bad), "-o", str(tmp_path / "bad"), "--no-pdf", "-c", str(MINI)]
    )
    assert failed.exit_code == 1
    assert "bad.csv row 2" in failed.stderr


def test_cli_summary_and_errors_in_chinese(tmp_path: Path) -> None:
    table = write_table(tmp_path / "firms.csv", [GOOD_ROW])
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    args = ["batch", str(table), str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--no-pdf", "-c", str(MINI)]
    result = runner.invoke(app, [*args, "--jobs", "1", "--lang", "zh"])
    assert result.exit_code == 1
    summary = r"已评分 1 家企业（用时 [\d.]+ 秒，[\d,.]+/秒）；1 个输入失败；已生成 0 份报告，0 份未变"
    assert re.search(summary, result.stdout), result.stdout
    assert "错误" in result.stderr and "这似乎是二进制文件，不是文本" in result.stderr
    assert re.search(r"^评分 .* 2/2", result.stderr, re.MULTILINE), result.stderr  # the progress bar
    [error] = read_csv(tmp_path / "out" / "errors.csv")
    assert error["problem"] == "这似乎是二进制文件，不是文本（应为 YAML 或 JSON）"
    sheet = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx").active
    assert sheet is not None and (sheet["B1"].value, sheet["E1"].value) == ("企业名称", "总分（百分制）")
    assert list(read_csv(tmp_path / "out" / "summary.csv")[0])[:2] == ["input", "firm"]  # for programs: ids


def test_process_pool_gives_the_same_results(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    one = run_batch(
        [folder], BatchOptions(outdir=tmp_path / "one", criteria_dir=default_criteria_dir(), jobs=1, pdf=False)
    )
    two = run_batch(
        [folder], BatchOptions(outdir=tmp_path / "two", criteria_dir=default_criteria_dir(), jobs=2, pdf=False)
    )
    assert one.scored == two.scored == 14
    assert (tmp_path / "one" / "summary.csv").read_bytes().replace(b"/one/", b"/x/") == (
        tmp_path / "two" / "summary.csv"
    ).read_bytes().replace(b"/two/", b"/x/")


def test_result_lines_are_the_bytes_pydantic_writes(default_criteria: CriteriaSet) -> None:
    """results.jsonl splices remembered question results into the JSON: the bytes must not change."""
    seeds = sorted((Path(__file__).parents[2] / "seeds").glob("*.yaml"))
    assert seeds
    with_notes = 0
    for _ in range(2):  # the second time, question results come from the memo
        for path in seeds:
            result = score(default_criteria, read_response(path, default_criteria))
            with_notes += any(q.note for q in result.questions)
            assert result_json(result) == TypeAdapter(ScoreResult).dump_json(result)
    assert with_notes  # firm-specific question results (with a note) are covered too


@pytest.mark.parametrize(("total", "jobs"), [(1, 2), (7, 1), (40, 2), (1000, 2), (10_000, 2)])
def test_chunks_cover_every_item_once_and_shrink_towards_the_end(total: int, jobs: int) -> None:
    sizes = batch_run._chunk_sizes(total, jobs)
    assert sum(sizes) == total and all(size >= 1 for size in sizes)
    assert sizes == sorted(sizes, reverse=True)  # never a large chunk after a small one
    assert max(sizes) <= batch_run._CHUNK_MAX
    if total >= 1000:
        assert sizes[0] == batch_run._CHUNK_MAX and sizes[-1] <= batch_run._CHUNK_MIN


@pytest.mark.parametrize("score", ["NaN", "Infinity", '"61.5"', "true"])
def test_previous_results_with_a_score_that_is_no_number_are_refused_with_the_line(tmp_path: Path, score: str) -> None:
    from assess.batch.previous import load_previous

    good = '{"input": "a", "result": {"firm": {"name": "A"}, "overall": 50.0, "themes": [{"id": "T", "score": 1}]}}'
    bad = good.replace('"overall": 50.0', f'"overall": {score}')
    path = tmp_path / "results.jsonl"
    path.write_text(f"{good}\n{bad}\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_previous(path)
    assert info.value.problems[0].location == "results.jsonl:2" and "not a score" in info.value.problems[0].message


def test_reports_of_firms_no_longer_in_the_batch_are_removed(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        response_file(inputs, name, GOOD_ANSWERS, firm_name=f"Firm {name[0]}")
    options = BatchOptions(outdir=tmp_path / "out", criteria_dir=MINI, jobs=1, pdf=True)
    run_batch([inputs], options)
    (tmp_path / "out" / "reports" / "notes.pdf").write_bytes(b"%PDF- the consultant's own file")
    (inputs / "a.yaml").unlink()  # b and c move up one place
    summary = run_batch([inputs], options)
    assert summary.ok and summary.reports_written == 2
    names = sorted(p.name for p in (tmp_path / "out" / "reports").glob("*.pdf"))
    assert names == ["0001-firm-b.pdf", "0002-firm-c.pdf", "notes.pdf"]  # not ours: kept
    assert [r["report"] for r in read_csv(tmp_path / "out" / "summary.csv")] == [
        "reports/0001-firm-b.pdf",
        "reports/0002-firm-c.pdf",
    ]


def test_a_firm_given_twice_is_pointed_out(tmp_path: Path) -> None:
    table = write_table(tmp_path / "firms.csv", [GOOD_ROW, GOOD_ROW, ["另一家公司", *GOOD_ROW[1:]]])
    result = runner.invoke(app, ["batch", str(table), "-o", str(tmp_path / "out"), "--no-pdf", "-c", str(MINI)])
    assert result.exit_code == 0, result.output
    assert f"{GOOD_ROW[0]} is given 2 times ({table} row 2, {table} row 3); each counts in the cohort" in " ".join(
        result.stderr.split()
    )
    assert "另一家公司 is given" not in result.stderr


def test_xlsx_tables_read_percent_cells_as_shown_and_a_broken_one_is_listed(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append([*GOOD_ROW[:8], 0.02, *GOOD_ROW[9:]])  # B-01, a return rate typed as 2% in the sheet
    sheet.cell(row=2, column=HEADER.index("B-01") + 1).number_format = "0%"
    table = tmp_path / "firms.xlsx"
    workbook.save(table)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(table.read_bytes()[:-200])  # cut short: not a readable zip any more
    summary = run_batch([table, broken], mini_options(tmp_path / "out"))
    assert (summary.scored, summary.failed_inputs) == (1, 1)
    [result] = [json.loads(line)["result"] for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert next(q for q in result["questions"] if q["id"] == "B-01")["answer"] == 2
    [error] = read_csv(tmp_path / "out" / "errors.csv")
    assert error["input"].endswith("broken.xlsx") and "not a readable Excel workbook" in error["problem"]


def test_a_table_without_a_question_column_is_said_not_silently_scored_as_unanswered(tmp_path: Path) -> None:
    without_b01 = [h for h in HEADER if h != "B-01"]
    row = [cell for header, cell in zip(HEADER, GOOD_ROW, strict=True) if header != "B-01"]
    table = write_table(tmp_path / "firms.csv", [row], header=without_b01)
    summary = run_batch([table], mini_options(tmp_path / "out"))
    assert (summary.scored, summary.failed_inputs, summary.ok) == (1, 0, True)
    assert summary.missing_columns == [(str(table), ["B-01"])]  # not A-04, free text, never in HEADER
    [note] = read_csv(tmp_path / "out" / "errors.csv")
    assert note["problem"] == (
        "warning: the table has no column for B-01; every firm in it is scored as not having answered it"
    )
    result = runner.invoke(
        app, ["batch", str(table), "-o", str(tmp_path / "zh"), "--no-pdf", "-c", str(MINI), "--lang", "zh"]
    )
    assert "表格中没有 B-01 的列" in result.stderr


def test_a_table_saved_as_excel_unicode_text_is_read(tmp_path: Path) -> None:
    """Excel's "Unicode text" export: UTF-16 with a byte order mark, tab-separated."""
    table = tmp_path / "firms.txt.csv"
    text = "\n".join("\t".join(row) for row in [HEADER, GOOD_ROW]) + "\n"
    table.write_bytes(text.encode("utf-16"))
    summary = run_batch([table], mini_options(tmp_path / "out"))
    assert (summary.scored, summary.failed_inputs) == (1, 0)
    assert read_csv(tmp_path / "out" / "summary.csv")[0]["firm"] == GOOD_ROW[0]


def test_pdfs_that_no_longer_match_the_tables_are_removed_and_matching_ones_kept(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", GOOD_ANSWERS, firm_name="Alpha Ltd")
    b = response_file(inputs, "b.yaml", GOOD_ANSWERS, firm_name="Beta Ltd")
    out = tmp_path / "out"
    run_batch([inputs], mini_options(out, pdf=True))
    reports = sorted((out / "reports").glob("*.pdf"))
    assert len(reports) == 2 and (out / "cohort.pdf").exists()
    run_batch([inputs], mini_options(out))  # --no-pdf, nothing changed: the PDFs still fit the tables
    assert sorted((out / "reports").glob("*.pdf")) == reports and (out / "cohort.pdf").exists()
    response_file(inputs, "b.yaml", {**GOOD_ANSWERS, "A-01": 0}, firm_name="Beta Ltd")
    run_batch([inputs], mini_options(out))  # --no-pdf after a change: the cohort moved, every PDF is stale
    assert not list((out / "reports").glob("*.pdf")) and not (out / "cohort.pdf").exists()
    run_batch([inputs], mini_options(out, pdf=True))
    b.write_text("firm: [broken", encoding="utf-8")
    (inputs / "a.yaml").write_text("firm: [broken", encoding="utf-8")
    summary = run_batch([inputs], mini_options(out, pdf=True))  # no firm scored: nothing may pass for its report
    assert summary.scored == 0 and not list((out / "reports").glob("*.pdf")) and not (out / "cohort.pdf").exists()


def test_a_cohort_template_or_a_new_logo_rerenders_what_it_touches(tmp_path: Path) -> None:
    from assess.batch.cohort import cohort_stats
    from assess.batch.inputs import collect_items
    from assess.readers.criteria_files import load_criteria
    from assess.report.brand import Brand

    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", GOOD_ANSWERS, firm_name="Alpha Ltd")
    response_file(inputs, "b.yaml", {**GOOD_ANSWERS, "A-01": 1}, firm_name="Beta Ltd")
    out = tmp_path / "out"
    run_batch([inputs], mini_options(out, pdf=True))
    custom = tmp_path / "templates" / "cohort"
    custom.mkdir(parents=True)
    css = (ROOT / "templates" / "cohort" / "cohort.css").read_text(encoding="utf-8")
    (custom / "cohort.css").write_text(css + "\nh1 { color: #800; }\n", encoding="utf-8")
    summary = run_batch([inputs], mini_options(out, pdf=True, templates=tmp_path / "templates"))
    assert (summary.reports_written, summary.reports_skipped) == (0, 2)  # firm reports do not read cohort/
    logo = tmp_path / "brand" / "logo.png"
    logo.parent.mkdir()
    logo.write_bytes(b"\x89PNG first")
    criteria = load_criteria(MINI)
    items, _ = collect_items([inputs], criteria)
    rows, _ = batch_run._score_all(items, criteria, mini_options(out), 1, None)
    stats = cohort_stats(rows, ["alpha", "beta"])
    options = mini_options(out, brand=Brand(logo="logo.png", folder=logo.parent))
    before = report_keys(items, rows, criteria, stats, options)
    logo.write_bytes(b"\x89PNG second")  # the same file name, another image
    after = report_keys(items, rows, criteria, stats, options)
    assert set(before[0].values()).isdisjoint(after[0].values()) and before[1] != after[1]


def test_a_report_that_fails_is_listed_in_the_chosen_language_and_counted(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", GOOD_ANSWERS, firm_name="Alpha Ltd")
    sections = tmp_path / "templates" / "report" / "sections"
    sections.mkdir(parents=True)
    (sections / "summary.html.j2").write_text("{% if %}broken{% endif %}\n", encoding="utf-8")
    args = ["batch", str(inputs), "-o", str(tmp_path / "out"), "-c", str(MINI), "--jobs", "1"]
    result = runner.invoke(app, [*args, "--lang", "zh", "--templates", str(tmp_path / "templates")])
    assert result.exit_code == 1, result.output
    assert "1 份报告失败" in result.stdout and "✓" not in result.stdout, result.stdout
    errors = read_csv(tmp_path / "out" / "errors.csv")
    report_error = next(row for row in errors if "summary.html.j2" in row["problem"])
    assert re.search(r"[\u4e00-\u9fff]", report_error["problem"]), report_error
    assert not (tmp_path / "out" / "reports" / "alpha-ltd.pdf").exists()


def test_cohort_pdf_names_failed_inputs_and_a_previous_batch_that_matched_no_firm(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", GOOD_ANSWERS, firm_name="Alpha Ltd")
    run_batch([inputs], mini_options(tmp_path / "2025"))
    response_file(inputs, "a.yaml", GOOD_ANSWERS, firm_name="Quite Another Ltd")
    (inputs / "b.yaml").write_text("firm: [broken", encoding="utf-8")
    out = tmp_path / "2026"
    summary = run_batch([inputs], mini_options(out, pdf=True, previous=tmp_path / "2025"))
    assert (summary.failed_inputs, summary.previous_matched) == (1, 0)
    text = subprocess.run(["pdftotext", str(out / "cohort.pdf"), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Inputs not scored 1 (not in this report; errors.csv says why)" in flat
    assert "No firm of this batch was found in the previous results (firms there: 1;" in flat
    (inputs / "b.yaml").unlink()  # one input fewer failing: cohort.pdf says something else, so it is made again
    again = run_batch([inputs], mini_options(out, pdf=True, previous=tmp_path / "2025"))
    assert (again.reports_written, again.reports_skipped) == (0, 1)
    text = subprocess.run(["pdftotext", str(out / "cohort.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Inputs not scored" not in text


def test_a_rerun_with_a_mistyped_path_or_profile_refuses_and_keeps_the_earlier_outputs(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    response_file(inputs, "a.yaml", GOOD_ANSWERS, firm_name="Alpha Ltd")
    out = tmp_path / "out"
    run_batch([inputs], mini_options(out, pdf=True))
    before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(UserError) as typo:
        run_batch([inputs / "a.yaml", tmp_path / "in" / "b.yaml"], mini_options(out, pdf=True))
    assert "1 input does not exist" in str(typo.value) and "b.yaml" in str(typo.value)
    with pytest.raises(UserError) as profile:
        run_batch([inputs], mini_options(out, pdf=True, profile="awrd"))
    assert profile.value.summary_in("zh") == "未知的权重方案“awrd”" and "--profile" in str(profile.value)
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_the_output_folder_cannot_be_an_input_folder(tmp_path: Path) -> None:
    response_file(tmp_path, "a.yaml", GOOD_ANSWERS)
    with pytest.raises(UserError, match="cannot also be an input folder"):
        run_batch([tmp_path], mini_options(tmp_path))
    assert not (tmp_path / "summary.csv").exists()
