"""The command line in the reader's language: ✓ lines, conditions, refusals; help texts; the README's example.

Every message here has both languages in templates/messages.yaml: `--lang zh` gives Chinese, `en` (and a
bilingual document's messages) English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from assess import api
from assess.batch.outputs import summary_header
from assess.batch.run import BatchOptions
from assess.batch.summary_words import summary_words
from assess.cli import batch_cmd
from assess.cli.app import app
from assess.errors import UserError
from assess.files import folder_lock
from assess.models.common import Lang
from assess.models.conditions import Condition
from tests.conftest import MINI

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "fixtures" / "responses" / "mini_good.yaml"
SEED = ROOT / "seeds" / "hongyi-auto.yaml"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def flat(text: str) -> str:
    return " ".join(text.split())


# --- the README's example of a mistake in a workbook is what assess says --------------------------------------


def test_the_readme_shows_what_validate_says_of_a_wrong_answer_in_a_workbook(tmp_path: Path) -> None:
    path = api.write_questionnaire(tmp_path / "questionnaire.xlsx", "xlsx", "bilingual")
    book = openpyxl.load_workbook(path)
    profile = book["企业信息"]
    for cell, value in {"D3": "测试公司", "D5": "solar", "D6": "eu", "D7": "2026-09-15", "D9": "draft"}.items():
        profile[cell] = value
    book["追溯防伪"]["D6"] = "maybe"
    book.save(path)
    code, _, stderr = run("validate", str(path))
    assert code == 1
    said = [line.strip() for line in stderr.splitlines() if line.strip()]
    assert said[0].endswith("questionnaire.xlsx does not fit criteria set ningbo-export-quality (1 problem)")
    assert said[1].startswith('error 追溯防伪!D6 (TR-04): "maybe" is not in the drop-down list')
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in said:
        assert line.replace(str(path), path.name) in readme


# --- `assess demo`: an output folder that cannot be written is refused before anything is printed --------------


@pytest.mark.parametrize(("lang", "words"), [("en", "Cannot write"), ("zh", "无法写入")])
def test_demo_into_a_file_fails_before_printing_its_table(tmp_path: Path, lang: str, words: str) -> None:
    taken = tmp_path / "taken"
    taken.write_text("keep me", encoding="utf-8")
    code, stdout, stderr = run("demo", "--no-pdf", "-o", str(taken), "--lang", lang)
    assert code == 1
    assert stdout == ""  # no league table, no footnote, no summary
    assert words in stderr and str(taken) in flat(stderr)
    assert taken.read_text(encoding="utf-8") == "keep me"


def test_demo_under_a_file_fails_before_printing_and_leaves_no_probe(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("", encoding="utf-8")
    code, stdout, stderr = run("demo", "--no-pdf", "-o", str(taken / "demo"))
    assert code == 1 and stdout == "" and "part of the path is a file" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc (a folder no file can be made in)")
def test_demo_into_a_folder_that_holds_no_files_fails_before_printing() -> None:
    code, stdout, stderr = run("demo", "--no-pdf", "-o", "/proc")
    assert code == 1 and stdout == "" and "Cannot write /proc" in stderr


# --- the progress bar's labels follow --lang ---------------------------------------------------------------------


def test_demo_in_chinese_labels_its_progress_bar_in_chinese(tmp_path: Path) -> None:
    """The demo's batch writes bilingual reports, but its progress bar speaks the command's language."""
    code, _, stderr = run("demo", "--no-pdf", "-o", str(tmp_path / "demo"), "--lang", "zh")
    assert code == 0 and "评分 " in stderr and "scoring" not in stderr
    code, _, stderr = run("demo", "--no-pdf", "-o", str(tmp_path / "demo-en"))
    assert code == 0 and "scoring " in stderr and "评分" not in stderr


@pytest.mark.parametrize(
    ("mode", "said", "labels", "not_said"),
    [
        ("zh", None, ["评分", "生成报告"], "scoring"),
        ("bilingual", None, ["scoring", "reports"], "评分"),
        ("en", "zh", ["评分", "生成报告"], "scoring"),
        ("bilingual", "zh", ["评分", "生成报告"], "scoring"),
    ],
)
def test_the_progress_labels_follow_the_commands_language(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mode: str,
    said: Lang | None,
    labels: list[str],
    not_said: str,
) -> None:
    def fake_run(inputs: list[Path], options: BatchOptions, progress: Callable[[str, int, int], None]) -> object:
        for phase in ("score", "reports"):
            progress(phase, 1, 1)
        return options

    monkeypatch.setattr(batch_cmd, "run_batch", fake_run)
    options = BatchOptions(outdir=Path("out"), criteria_dir=MINI, mode=mode)  # type: ignore[arg-type]
    assert batch_cmd.run_with_progress([GOOD], options, said) is options  # type: ignore[comparison-overlap]
    shown = capsys.readouterr().err
    assert all(label in shown for label in labels) and not_said not in shown, shown


# --- library refusals in both languages ------------------------------------------------------------------------


def test_a_second_run_into_a_locked_folder_is_refused_in_the_runs_language(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with folder_lock(out):
        with pytest.raises(UserError) as caught, folder_lock(out):
            pass  # pragma: no cover - the lock is refused
        code, _, stderr = run("batch", str(GOOD), "-c", str(MINI), "-o", str(out), "--no-pdf", "--lang", "zh")
    error = caught.value
    assert error.summary == f"Another run is writing to {out}"
    assert error.summary_in("zh") == f"另一次运行正在写入 {out}"
    [problem] = error.problems
    assert problem.message == "wait until it has finished, or choose another output folder"
    assert problem.message_in("zh") == "请等它结束，或另选一个输出文件夹"
    assert code == 1 and "另一次运行正在写入" in stderr and "另选一个输出文件夹" in stderr
    assert not list(out.iterdir())


def test_an_unknown_pdf_variant_is_said_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        api.write_report(GOOD, tmp_path / "r.pdf", variant="pdf/a-1b", criteria_dir=MINI)
    assert caught.value.summary == "Unknown PDF variant 'pdf/a-1b'; the supported one is pdf/a-3b"
    assert caught.value.summary_in("zh") == "未知的 PDF 变体“pdf/a-1b”；支持的是 pdf/a-3b"
    assert not list(tmp_path.iterdir())


# --- the ✓ lines follow --lang ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "line"), [("zh", "✓ 已写入 "), ("en", "✓ wrote "), ("bilingual", "✓ wrote ")])
def test_questionnaire_says_what_it_wrote_in_the_commands_language(tmp_path: Path, lang: str, line: str) -> None:
    target = tmp_path / "q.yaml"
    code, stdout, _ = run("questionnaire", "-o", str(target), "-c", str(MINI), "--lang", lang)
    assert code == 0 and flat(stdout) == flat(f"{line}{target}")


def test_validate_says_valid_in_chinese_with_lang_zh() -> None:
    code, stdout, _ = run("validate", str(SEED), "--lang", "zh")
    answers = len(yaml.safe_load(SEED.read_text(encoding="utf-8"))["answers"])
    assert code == 0 and f"✓ {SEED}：有效（{answers} 个答案，已完成）" in stdout.replace("\n", "")
    code, stdout, _ = run("validate", str(SEED))
    assert code == 0 and f"✓ {SEED}: valid ({answers} answers, final)" in stdout.replace("\n", "")


def test_validate_counts_one_answer_as_one(tmp_path: Path) -> None:
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    data["status"] = "draft"
    data["answers"] = dict(list(data["answers"].items())[:1])
    draft = tmp_path / "one.yaml"
    draft.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, stdout, _ = run("validate", str(draft), "-c", str(MINI))
    assert code == 0 and "valid (1 answer, draft)" in stdout
    code, stdout, _ = run("validate", str(draft), "-c", str(MINI), "--lang", "zh")
    assert code == 0 and "有效（1 个答案，草稿）" in stdout


@pytest.mark.parametrize(("lang", "line"), [("zh", "✓ 已保存 {path}（草稿）"), ("en", "✓ saved {path} (draft)")])
def test_fill_says_what_it_saved_in_the_commands_language(tmp_path: Path, lang: str, line: str) -> None:
    target = tmp_path / "f.yaml"
    stdin = "Resumed Ltd\n\n2\n1\n\n\n3\n\nq\n"
    code, stdout, _ = run("fill", "-o", str(target), "-c", str(MINI), "--lang", lang, stdin=stdin)
    assert code == 0
    assert line.format(path=target) in stdout.replace("\n", "")


def test_report_says_what_it_wrote_in_chinese_with_lang_zh(tmp_path: Path) -> None:
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    code, stdout, _ = run("report", str(GOOD), "-c", str(MINI), "-o", str(pdf), "--html", str(html), "--lang", "zh")
    assert code == 0 and pdf.is_file() and html.is_file()
    assert f"✓ 已写入 {html}" in stdout.replace("\n", "") and f"✓ 已写入 {pdf}" in stdout.replace("\n", "")
    assert "wrote" not in stdout.replace(str(tmp_path), "")


def test_criteria_check_counts_questions_in_the_commands_language() -> None:
    code, stdout, _ = run("criteria", "check", str(MINI), "--lang", "zh")
    count = len(api.load_criteria(MINI).questions)
    assert code == 0 and f"，{count} 个问题" in stdout
    code, stdout, _ = run("criteria", "check", str(MINI))
    assert code == 0 and f", {count} questions" in stdout


# --- conditions in Chinese, English as it was ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "en", "zh"),
    [
        ({"question": "QC-03", "equals": True}, "QC-03 equals True", "QC-03 = 是"),
        ({"question": "QC-05", "equals": False}, "QC-05 equals False", "QC-05 = 否"),
        ({"question": "B-02", "in": ["y", "x"]}, "B-02 in ['y', 'x']", "B-02 为 y、x 之一"),
        ({"question": "A", "in": [1, 2.5, True]}, "A in [1, 2.5, True]", "A 为 1、2.5、是 之一"),
        ({"question": "A", "at_least": 3}, "A at_least 3", "A ≥ 3"),
        ({"question": "A", "at_most": 3}, "A at_most 3", "A ≤ 3"),
        ({"question": "A", "below": 2.5}, "A below 2.5", "A < 2.5"),
        ({"question": "A", "above": 0}, "A above 0", "A > 0"),
        ({"question": "A", "includes": "x"}, "A includes x", "A 包含 x"),
        ({"question": "A", "answered": False}, "A answered False", "A 是否已作答：否"),
        ({"industry": ["food", "solar"]}, "industry in ['food', 'solar']", "行业为 food、solar 之一"),
        ({"market": ["eu"]}, "market in ['eu']", "出口市场含 eu 之一"),
        ({"not": {"question": "A", "includes": "x"}}, "not (A includes x)", "并非（A 包含 x）"),
        (
            {
                "any": [
                    {"question": "A", "equals": "dishonest"},
                    {"all": [{"question": "B", "equals": 1}, {"market": ["us"]}]},
                ]
            },
            "(A equals dishonest or (B equals 1 and market in ['us']))",
            "(A = dishonest 或 (B = 1 且 出口市场含 us 之一))",
        ),
    ],
)
def test_a_condition_is_described_in_either_language(rule: dict[str, object], en: str, zh: str) -> None:
    condition = Condition.model_validate(rule)
    assert condition.describe() == en  # English by default, as before
    assert condition.describe("en") == en
    assert condition.describe("zh") == zh


def test_criteria_show_says_veto_conditions_in_the_commands_language() -> None:
    code, stdout, _ = run("criteria", "show", "--lang", "zh")
    assert code == 0 and "(QC-03 = 是)" in stdout and "equals" not in stdout
    code, stdout, _ = run("criteria", "show")
    assert code == 0 and "(QC-03 equals True)" in stdout


# --- help texts name the workbook ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "score", "report"])
def test_help_says_a_response_may_be_a_workbook(command: str) -> None:
    code, stdout, _ = run(command, "--help")
    assert code == 0
    shown = flat(re.sub(r"[│╭╮╰╯─]", " ", stdout))
    assert "YAML, JSON or XLSX workbook" in shown and "(YAML or JSON)" not in shown


# --- summary.xlsx: every fixed column of the summary has its words ----------------------------------------------


@pytest.mark.parametrize("mode", ["zh", "en", "bilingual"])
def test_every_summary_column_has_a_heading(mode: str) -> None:
    criteria = api.load_criteria()
    words = summary_words(criteria, mode)  # type: ignore[arg-type]
    columns = summary_header([t.id for t in criteria.themes], with_change=True)
    assert all(words.heading(column) != column for column in columns)
