"""The CLI through typer's runner: output, JSON, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from assess.api import load_criteria
from assess.cli.app import app
from tests.conftest import MINI, firm, write_yaml

SEEDS = Path(__file__).parents[1] / "seeds"
runner = CliRunner()
GOOD = {"A-01": 3, "A-02": "some", "A-03": True, "B-01": 2, "B-02": ["x", "z"], "B-03": 2, "B-04": False}


def response_file(tmp_path: Path, name: str, answers: dict[str, object], **extra: object) -> Path:
    data = {"firm": {**firm(), "assessment_date": "2026-11-01"}, "answers": answers, **extra}
    return write_yaml(tmp_path / name, data)


def test_score_json_is_stable_and_complete(tmp_path: Path) -> None:
    path = response_file(tmp_path, "a.yaml", GOOD)
    first = runner.invoke(app, ["score", str(path), "-c", str(MINI), "--format", "json"])
    second = runner.invoke(app, ["score", str(path), "-c", str(MINI), "--format", "json"])
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    [result] = json.loads(first.stdout)
    assert result["overall"] == 70.83
    assert [t["id"] for t in result["themes"]] == ["alpha", "beta"]
    assert result["criteria"]["id"] == "mini"


def test_score_table_shows_themes_and_priorities(tmp_path: Path) -> None:
    path = response_file(tmp_path, "a.yaml", GOOD)
    result = runner.invoke(app, ["score", str(path), "-c", str(MINI)])
    assert result.exit_code == 0
    for text in ("Alpha", "Beta", "70.8", "708", "Award readiness: ready", "Top priorities", "B-01"):
        assert text in result.stdout


def test_bad_response_exits_1_and_names_every_problem(tmp_path: Path) -> None:
    path = response_file(tmp_path, "bad.yaml", {**GOOD, "Q-404": 1, "A-01": 11})
    result = runner.invoke(app, ["score", str(path), "-c", str(MINI)])
    assert result.exit_code == 1
    assert "Q-404" in result.stderr and "unknown question id" in result.stderr
    assert "A-01" in result.stderr and '"11" is not one of: 0, 1, 2, 3, 4' in result.stderr
    assert "Traceback" not in result.output


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = response_file(tmp_path, "good.yaml", GOOD)
    bad = response_file(tmp_path, "bad.yaml", {**GOOD, "A-01": "lots"})
    result = runner.invoke(app, ["score", str(bad), str(good), "-c", str(MINI), "-f", "json"])
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 1


def test_validate(tmp_path: Path) -> None:
    good = response_file(tmp_path, "good.yaml", GOOD)
    ok = runner.invoke(app, ["validate", str(good), "-c", str(MINI)])
    assert ok.exit_code == 0 and "good.yaml: valid" in ok.stdout
    draft = response_file(tmp_path, "draft.yaml", {"A-01": 1}, status="draft")
    warned = runner.invoke(app, ["validate", str(draft), "-c", str(MINI)])
    assert warned.exit_code == 0 and "required answer missing (draft)" in warned.stderr


def test_validate_says_where_a_note_beside_the_question_ids_belongs(tmp_path: Path) -> None:
    """`note:` indented like the ids is an answer of its own to YAML: said at its line, with the way to write it."""
    good = (SEEDS.parent / "tests" / "fixtures" / "responses" / "mini_good.yaml").read_text(encoding="utf-8")
    assert "  A-02: some\n" in good
    path = tmp_path / "note.yaml"
    path.write_text(good.replace("  A-02: some\n", '  A-02: some\n  note: "see report"\n'), encoding="utf-8")
    line = good.splitlines().index("  A-02: some") + 2
    english = runner.invoke(app, ["validate", str(path), "-c", str(MINI)])
    assert english.exit_code == 1
    said = " ".join(english.stderr.split())
    assert f"note.yaml:{line}: answers.note: 'note' is not a question id but a part of an answer" in said
    assert "unknown question id" not in said
    assert "write it under the question above it, indented two spaces more than A-02" in said
    assert 'on one line: A-02: {value: some, note: "see report"}' in said
    chinese = runner.invoke(app, ["validate", str(path), "-c", str(MINI), "--lang", "zh"])
    said = " ".join(chinese.stderr.split())
    assert f"错误 note.yaml:{line}: answers.note: “note”不是题号，而是答案的一部分：请写在上面的题目 A-02 之下" in said
    assert '或写在一行：A-02: {value: some, note: "see report"}' in said


def test_validate_in_chinese(tmp_path: Path) -> None:
    bad = response_file(tmp_path, "bad.yaml", {**GOOD, "A-01": 9})
    refused = runner.invoke(app, ["validate", str(bad), "-c", str(MINI), "--lang", "zh"])
    assert refused.exit_code == 1
    assert "bad.yaml 不符合评价标准 mini（1 个问题）" in refused.stderr
    assert "错误 bad.yaml:" in refused.stderr and "“9”不是可选答案，可填：0、1、2、3、4" in refused.stderr
    draft = response_file(tmp_path, "draft.yaml", {"A-01": 1}, status="draft")
    warned = runner.invoke(app, ["validate", str(draft), "-c", str(MINI), "--lang", "zh"])
    assert warned.exit_code == 0 and "提示" in warned.stderr and "A-02：必答题未作答（草稿）" in warned.stderr


def test_usage_error_exits_2() -> None:
    assert runner.invoke(app, ["score", "--format", "xml", "x.yaml"]).exit_code == 2
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2


def test_criteria_check_reports_planted_mistakes_with_locations(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    theme = broken / "themes" / "alpha.yaml"
    data = yaml.safe_load(theme.read_text(encoding="utf-8"))
    del data["questions"][1]["options"][2]["points"]
    data["questions"][0]["levels"][2]["text"] = {"zh": "成文"}
    data["questions"][2]["id"] = "A-01"
    theme.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["criteria", "check", str(broken)])
    assert result.exit_code == 1
    assert "themes/alpha.yaml:" in result.stdout
    assert "questions[1].options[2]: points missing" in result.stdout
    assert "questions[0].levels[2].text: en missing" in result.stdout


def test_criteria_check_explains_malformed_ids_in_words(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    theme = broken / "themes" / "alpha.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("id: A-02", "id: a_02"), encoding="utf-8")
    result = runner.invoke(app, ["criteria", "check", str(broken)])
    assert result.exit_code == 1
    assert '"a_02" is not a question id' in result.stdout and "(for example QM-01)" in result.stdout
    assert "should match pattern" not in result.stdout


def test_criteria_check_cross_references(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    set_file = broken / "set.yaml"
    text = set_file.read_text(encoding="utf-8")
    text = text.replace("when: {question: B-04, equals: true}", "when: {question: B-40, equals: true}")
    text = text.replace("theme_weights: {alpha: 1, beta: 3}", "theme_weights: {alpha: 1}")
    set_file.write_text(text, encoding="utf-8")
    (broken / "themes" / "beta.yaml").write_text(
        (broken / "themes" / "beta.yaml").read_text(encoding="utf-8").replace("id: B-02", "id: A-01"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["criteria", "check", str(broken)])
    assert result.exit_code == 1
    out = result.stdout
    assert "refers to unknown question 'B-40'" in out
    assert "profiles.results.theme_weights: no weight for theme 'beta'" in out
    assert "A-01 is also used in theme 'alpha'" in out


def test_criteria_check_refuses_overlapping_number_bands(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    beta = broken / "themes" / "beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("{to: 1, points: 4}", "{to: 2, points: 4}"), "utf-8")
    result = runner.invoke(app, ["criteria", "check", str(broken)])
    assert result.exit_code == 1
    assert "themes/beta.yaml" in result.stdout and "questions[0]" in result.stdout
    assert "bands overlap: [-inf, 2) and [1, 5)" in result.stdout


def test_criteria_new_starts_an_own_set_from_the_built_in_one(tmp_path: Path) -> None:
    dest = tmp_path / "sets" / "acme"
    made = runner.invoke(app, ["criteria", "new", str(dest), "--id", "acme-export-2027"])
    assert made.exit_code == 0, made.output
    own = load_criteria(dest)
    assert (own.id, own.version) == ("acme-export-2027", "0.1.0")
    assert own.content_hash != load_criteria().content_hash and len(own.questions) == len(load_criteria().questions)
    assert (dest / "set.yaml").read_text(encoding="utf-8").startswith("# Started from criteria set ningbo-export")
    assert runner.invoke(app, ["criteria", "check", str(dest)]).exit_code == 0
    again = runner.invoke(app, ["criteria", "new", str(dest), "--id", "other"])
    assert again.exit_code == 1 and "already exists" in again.stderr  # nothing is overwritten
    bad = runner.invoke(app, ["criteria", "new", str(tmp_path / "b"), "--id", "9 bad"])
    assert bad.exit_code == 1 and "cannot be a criteria set id" in bad.stderr and not (tmp_path / "b").exists()
    from_mini = runner.invoke(app, ["criteria", "new", str(tmp_path / "m"), "--id", "mini2", "--from", str(MINI)])
    assert from_mini.exit_code == 0 and load_criteria(tmp_path / "m").id == "mini2"


def test_criteria_check_passes_on_the_fixture() -> None:
    result = runner.invoke(app, ["criteria", "check", str(MINI)])
    assert result.exit_code == 0 and "mini 0.1" in result.stdout


def test_criteria_check_catches_mistakes_planted_in_a_copy_of_the_default_set(tmp_path: Path) -> None:
    from assess.api import criteria_root

    copy = tmp_path / "criteria" / "mine"
    shutil.copytree(criteria_root() / "ningbo-export-quality", copy)
    tbt = copy / "themes" / "tbt.yaml"
    data = yaml.safe_load(tbt.read_text(encoding="utf-8"))
    data["questions"][3]["levels"][1].pop("advice")
    data["questions"][0]["weight"] = -1
    tbt.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    set_file = copy / "set.yaml"
    set_file.write_text(set_file.read_text(encoding="utf-8").replace("question: QC-03", "question: QC-33"), "utf-8")
    result = runner.invoke(app, ["criteria", "check", str(tmp_path / "criteria")])
    assert result.exit_code == 1
    assert "themes/tbt.yaml" in result.stdout and "questions[0].weight" in result.stdout
    fixed = yaml.safe_load(tbt.read_text(encoding="utf-8"))
    fixed["questions"][0]["weight"] = 2
    tbt.write_text(yaml.safe_dump(fixed, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["criteria", "check", str(tmp_path / "criteria")])
    assert result.exit_code == 1
    assert "questions[3].levels[1]: advice missing: say how to reach the next level" in result.stdout
    assert "set.yaml" in result.stdout and "refers to unknown question 'QC-33'" in result.stdout


def test_version() -> None:
    from assess import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"assess {__version__}"


def test_demo_is_a_batch_over_the_seeds_and_speaks_chinese_with_lang_zh(tmp_path: Path) -> None:
    seeds = sorted(p for p in (Path(__file__).parents[1] / "seeds").iterdir() if p.suffix == ".yaml")
    result = runner.invoke(app, ["demo", "--no-pdf", "-o", str(tmp_path / "demo"), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "* 暂定：" in result.stdout and f"已评分 {len(seeds)} 家企业" in result.stdout
    summary = (tmp_path / "demo" / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    results = (tmp_path / "demo" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(summary) == len(results) + 1 == len(seeds) + 1
    assert (tmp_path / "demo" / "summary.xlsx").is_file() and (tmp_path / "demo" / "errors.csv").is_file()


def test_file_errors_follow_lang_zh(tmp_path: Path) -> None:
    """Errors before any file is read speak the chosen language too, and say where they looked."""
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = runner.invoke(app, ["score", str(empty), "-c", str(MINI), "--lang", "zh"])
    assert nothing.exit_code == 1
    assert "没有找到回答文件" in nothing.stderr and f"在 {empty} 中" in nothing.stderr
    english = runner.invoke(app, ["score", str(empty), "-c", str(MINI)])
    assert "No response files found" in english.stderr and f"in {empty};" in english.stderr
    good = response_file(tmp_path, "a.yaml", GOOD)
    no_templates = [
        "report",
        str(good),
        "-c",
        str(MINI),
        "-o",
        str(tmp_path / "r.pdf"),
        "--templates",
        str(tmp_path / "nope"),
    ]
    missing = runner.invoke(app, [*no_templates, "--lang", "zh"])
    assert missing.exit_code == 1 and "模板文件夹不存在" in missing.stderr and "文件夹不存在" in missing.stderr
    assert "The templates folder does not exist" in runner.invoke(app, no_templates).stderr
    assert not (tmp_path / "r.pdf").exists()


def test_criteria_check_counts_and_speaks_chinese(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    theme = broken / "themes" / "alpha.yaml"
    data = yaml.safe_load(theme.read_text(encoding="utf-8"))
    data["questions"][0]["weight"] = float("inf")
    theme.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    english = runner.invoke(app, ["criteria", "check", str(broken)])
    assert english.exit_code == 1 and f"{broken}: 1 problem\n" in english.stdout
    assert "A-01 questions[0].weight: Input should be a finite number" in english.stdout
    chinese = runner.invoke(app, ["criteria", "check", str(broken), "--lang", "zh"])
    assert "1 个问题" in chinese.stdout and "错误 themes/alpha.yaml:" in chinese.stdout


def test_criteria_check_says_a_condition_in_the_chosen_language(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    path = broken / "set.yaml"
    text = path.read_text(encoding="utf-8")
    rule = "when: {question: B-04, equals: true}"  # the veto V1
    assert text.count(rule) == 1
    path.write_text(text.replace(rule, "when: {question: B-02, in: [y, x]}"), encoding="utf-8")  # multiple choice
    chinese = runner.invoke(app, ["criteria", "check", str(broken), "--lang", "zh"])
    assert chinese.exit_code == 1
    said = " ".join(chinese.stdout.split())
    assert "V1 vetoes[0].when: B-02 为 y、x 之一：B-02 是多选题" in said and "B-02 in [" not in said
    english = runner.invoke(app, ["criteria", "check", str(broken)])
    assert "V1 vetoes[0].when: B-02 in ['y', 'x']: B-02 is multiple choice" in " ".join(english.stdout.split())


def test_score_tables_speak_the_chosen_language(tmp_path: Path) -> None:
    path = response_file(tmp_path, "a.yaml", GOOD)
    chinese = runner.invoke(app, ["score", str(path), "-c", str(MINI), "--lang", "zh"])
    assert chinese.exit_code == 0, chinese.output
    for words in ("主题", "得分", "门槛", "总分（百分制）", "优先改进事项（总分增益）", "评奖条件："):
        assert words in chinese.stdout
    assert "Theme" not in chinese.stdout and "Top priorities" not in chinese.stdout
    english = runner.invoke(app, ["score", str(path), "-c", str(MINI)])
    assert "Top priorities (gain in overall score)" in english.stdout and "Award readiness:" in english.stdout
    shown = runner.invoke(app, ["criteria", "show", str(MINI), "--lang", "zh"])
    assert "题数" in shown.stdout and "否决" in shown.stdout


def test_a_mistyped_profile_is_said_once_in_the_chosen_language(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(SEEDS), "--profile", "awrd", "--lang", "zh"])
    assert result.exit_code == 1
    assert result.stderr.count("未知的权重方案“awrd”") == 1 and "improvement, award" in result.stderr


def test_validate_finds_no_response_file_in_an_empty_folder_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a response", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1 and str(tmp_path) in result.stderr
    ok = runner.invoke(app, ["validate", str(SEEDS / "hongyi-auto.yaml")])
    assert ok.exit_code == 0 and f"{SEEDS / 'hongyi-auto.yaml'}: valid" in ok.stdout.replace("\n", "")


def test_the_priorities_table_words_answers_as_the_report_does() -> None:
    result = runner.invoke(app, ["score", str(SEEDS / "borun-appliances.yaml"), "--lang", "zh"], terminal_width=200)
    assert result.exit_code == 0
    assert "否 → 是" in result.stdout and "False" not in result.stdout and "['" not in result.stdout


def test_a_firm_name_with_square_brackets_is_printed_as_written(tmp_path: Path) -> None:
    """Firm names are the exporter's text: `[/]` or `[bold]` in one is shown, not read as rich markup (or a crash)."""
    name = "Acme [Ningbo] [/] [bold]Trading[/bold] Co"
    data = {"firm": {**firm(), "name": name, "assessment_date": "2026-11-01"}, "answers": GOOD, "status": "draft"}
    path = write_yaml(tmp_path / "brackets.yaml", data)
    table = runner.invoke(app, ["score", str(path), "-c", str(MINI)])
    assert table.exit_code == 0, table.output
    assert name in table.stdout.replace("\n", "")
    league = runner.invoke(app, ["score", str(path), str(response_file(tmp_path, "b.yaml", GOOD)), "-c", str(MINI)])
    assert league.exit_code == 0, league.output
    assert "Traceback" not in league.output
