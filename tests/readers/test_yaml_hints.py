"""Hints for common YAML mistakes, added to the parse error of a response file (both parsers, both languages)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assess.cli.app import app
from assess.errors import InputFileError
from assess.readers.safe_yaml import load_yaml
from assess.readers.yaml_hints import parse_error_hint

runner = CliRunner()
SEED = (Path(__file__).resolve().parents[2] / "seeds" / "hongyi-auto.yaml").read_text(encoding="utf-8")
ANSWER = "  BR-03: 3\n"  # a line of the seed, replaced by each broken answer below

QUOTE_EN = 'Hint: text that holds ": " (a colon and a space) must be in quotes: write note: "see report: page 3"'
QUOTE_ZH = '提示：含有“: ”（冒号加空格）的文字要加引号，写成 note: "see report: page 3"'
INDENT_EN = (
    'Hint: this "note:" line is not indented as a part of BR-03: put value: and note: on lines of their own, '
    'both indented two spaces more than BR-03, or write it on one line: BR-03: {value: 3, note: "see report"}'
)
INDENT_ZH = (
    "提示：这一行“note:”的缩进不对，不属于 BR-03：value: 和 note: 要各占一行，且都比 BR-03 多缩进两个空格；"
    '也可以写在一行：BR-03: {value: 3, note: "see report"}'
)

BROKEN = {
    "note_with_colon": "  BR-03:\n    value: 3\n    note: see report: page 3\n",
    "flow_note_with_colon": "  BR-03: {value: 3, note: see report: page 3}\n",
    "note_under_a_bare_value": "  BR-03: 3\n    note: see report\n",
    "note_deeper_than_value": "  BR-03:\n    value: 3\n      note: see report\n",
    "note_one_space_short": "  BR-03:\n    value: 3\n   note: see report\n",
    "note_after_a_commented_line": "  BR-03: 3\n  # note: an old note\n      note: see report\n",
}
QUOTE = ("note_with_colon", "flow_note_with_colon")
UNRELATED = {  # other mistakes: the parser's words only
    "unclosed_list": "  BR-03: [3\n",
    "unclosed_quote": '  BR-03: "3\n',
}


def broken(tmp_path: Path, name: str, answer: str) -> Path:
    assert ANSWER in SEED
    path = tmp_path / f"{name}.yaml"
    path.write_text(SEED.replace(ANSWER, answer, 1), encoding="utf-8")
    return path


def validate(path: Path, lang: str) -> str:
    result = runner.invoke(app, ["validate", str(path), "--lang", lang])
    assert result.exit_code == 1 and "Traceback" not in result.output
    return " ".join(result.output.split())  # the console wraps long lines


@pytest.mark.parametrize("name", list(BROKEN))
def test_each_mistake_gets_its_hint_in_english_and_chinese(tmp_path: Path, name: str) -> None:
    path = broken(tmp_path, name, BROKEN[name])
    english, chinese = validate(path, "en"), validate(path, "zh")
    if name in QUOTE:
        assert QUOTE_EN in english and QUOTE_ZH in chinese
        assert "indented" not in english
    else:
        assert INDENT_EN in english and INDENT_ZH in chinese
        assert "quotes" not in english
    assert f"{path.name}:" in english and "invalid YAML" in english  # the location and the parser's words stay
    assert "YAML 格式错误" in chinese


@pytest.mark.parametrize("name", list(UNRELATED))
def test_other_parse_errors_get_no_hint(tmp_path: Path, name: str) -> None:
    path = broken(tmp_path, name, UNRELATED[name])
    english, chinese = validate(path, "en"), validate(path, "zh")
    assert "invalid YAML" in english and "Hint" not in english
    assert "YAML 格式错误" in chinese and "提示" not in chinese


def hint_key(text: str, loader: type[yaml.SafeLoader]) -> str | None:
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.load(text, Loader=loader)
    hint = parse_error_hint(text, caught.value)
    return None if hint is None else hint.key


LOADERS = [yaml.SafeLoader, *([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
def test_both_parsers_words_are_understood(loader: type[yaml.SafeLoader]) -> None:
    for name, answer in BROKEN.items():
        expected = "yaml_hint_quote" if name in QUOTE else "yaml_hint_answer_indent"
        assert hint_key(SEED.replace(ANSWER, answer, 1), loader) == expected, name
    for name, answer in UNRELATED.items():
        assert hint_key(SEED.replace(ANSWER, answer, 1), loader) is None, name


def test_other_keys_and_the_target_line() -> None:
    def problem(text: str) -> str:
        with pytest.raises(InputFileError) as caught:
            load_yaml(text, "firm.yaml")
        [found] = caught.value.problems
        return found.message

    firm = "firm:\n  name: Acme\n    industry: crafts\nanswers: {}\n"
    assert 'Hint: "industry:" is not indented like the lines above it' in problem(firm)
    assessor = "firm:\n  assessor: 陈立: 质量总监\n"
    assert 'write assessor: "陈立: 质量总监"' in problem(assessor)
    target = "answers:\n  A-01:\n    value: 2\n     target: 3\n"
    assert "write it on one line: A-01: {value: 2, target: 3}" in problem(target)
    quoted = "answers:\n  A-01: 2\n    note: 'see: p. 3'\n"
    assert "write it on one line: A-01: {value: 2, note: 'see: p. 3'}" in problem(quoted)
    outside = "firm:\n  name: Acme\n    note: x\n"  # a note line, but no answer above it
    assert 'Hint: "note:" is not indented like the lines above it' in problem(outside)


def test_a_line_indented_with_a_tab_says_so(tmp_path: Path) -> None:
    """The parser says only "found character that cannot start any token": the tab is named, in both languages."""
    path = broken(tmp_path, "tab", "\tBR-03: 3\n")
    english, chinese = validate(path, "en"), validate(path, "zh")
    assert "Hint: this line holds a tab: YAML indents with spaces only" in english
    assert "制表符" in chinese
    assert "indented" not in english and "quotes" not in english
