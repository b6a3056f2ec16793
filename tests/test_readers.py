"""Untrusted response files: encodings, line ends, hostile YAML, and located messages."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assess.errors import InputFileError, ResponseError, UserError
from assess.models.criteria import CriteriaSet
from assess.readers import text_file
from assess.readers.response_file import read_response
from assess.readers.safe_yaml import load_yaml

GOOD = """\
firm:
  name: 宁波示例工艺品有限公司
  industry: crafts
  markets: [eu]
  assessment_date: 2026-11-01
answers:
  A-01: 3
  A-02: some
  A-03: yes
  B-01: 2
  B-02: [x, z]
  B-03: 2
  B-04: false
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def messages(exc: UserError) -> list[str]:
    return [str(p) for p in exc.problems]


def test_utf8_yaml_loads(tmp_path: Path, mini: CriteriaSet) -> None:
    response = read_response(write(tmp_path, "firm.yaml", GOOD.encode()), mini)
    assert response.firm.name == "宁波示例工艺品有限公司"
    assert response.answers["A-03"].value is True  # "yes" is a string in YAML 1.2, read as yes by the question


def test_bom_and_crlf_load(tmp_path: Path, mini: CriteriaSet) -> None:
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    response = read_response(write(tmp_path, "firm.yaml", data), mini)
    assert response.answers["A-01"].value == 3


def test_json_loads_too(tmp_path: Path, mini: CriteriaSet) -> None:
    import yaml

    data = yaml.safe_load(GOOD)
    data["firm"]["assessment_date"] = "2026-11-01"
    response = read_response(write(tmp_path, "firm.json", json.dumps(data).encode()), mini)
    assert response.answers["B-02"].value == ("x", "z")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.yaml", b"  \n\n", "empty.yaml: the file is empty"),
        ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary.yaml: this looks like a binary file"),
        ("gbk.yaml", "firm:\n  name: 宁波公司\n".encode("gbk"), "gbk.yaml: line 2: the text is not UTF-8"),
        (
            "dup.yaml",
            GOOD.replace("  A-02: some\n", "  A-02: some\n  A-01: 1\n").encode(),
            "dup.yaml:9: the key 'A-01' is given twice (first on line 7)",
        ),
        ("bomb.yaml", b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "aliases (*name) are not allowed"),
        ("tag.yaml", b"firm: !!python/object/apply:os.system ['echo hi']\n", "is not allowed"),
        ("syntax.yaml", b"firm: [unclosed\n", "syntax.yaml:2: invalid YAML"),
        ("dup.json", b'{"firm": {}, "firm": {}}', "dup.json: the key 'firm' is given twice"),
        ("list.yaml", b"- a\n- b\n", "expected a mapping with 'firm' and 'answers' at the top"),
    ],
)
def test_unreadable_files_get_one_clear_message(
    tmp_path: Path, mini: CriteriaSet, name: str, data: bytes, expected: str
) -> None:
    with pytest.raises(UserError) as info:
        read_response(write(tmp_path, name, data), mini)
    assert len(info.value.problems) == 1
    assert expected in messages(info.value)[0]


@pytest.mark.parametrize(
    ("name", "data", "chinese"),
    [
        ("dup.yaml", GOOD.replace("  A-02: some\n", "  A-02: some\n  A-01: 1\n").encode(), "键“A-01”出现了两次"),
        ("bomb.yaml", b"a: &a [x, x]\nb: [*a]\n", "不允许使用别名"),
        ("syntax.yaml", b"firm: [unclosed\n", "YAML 格式错误："),
        ("dup.json", b'{"firm": {}, "firm": {}}', "键“firm”出现了两次"),
        ("digits.yaml", GOOD.replace("B-01: 2", "B-01: " + "9" * 1001).encode(), "数字超过 1,000 位"),
    ],
)
def test_unreadable_files_are_explained_in_chinese_too(
    tmp_path: Path, mini: CriteriaSet, name: str, data: bytes, chinese: str
) -> None:
    with pytest.raises(UserError) as info:
        read_response(write(tmp_path, name, data), mini)
    assert info.value.summary_in("zh") == f"无法读取 {name}"
    [problem] = info.value.problems
    assert chinese in problem.message_in("zh") and problem.message_in("en") != problem.message_in("zh")


def test_missing_file(tmp_path: Path, mini: CriteriaSet) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_response(tmp_path / "nope.yaml", mini)


def test_problems_name_line_path_and_question(tmp_path: Path, mini: CriteriaSet) -> None:
    text = GOOD.replace("A-01: 3", "A-01: 9").replace("B-01: 2", "B-01: 2\n  C-77: 1")
    with pytest.raises(ResponseError) as info:
        read_response(write(tmp_path, "firm.yaml", text.encode()), mini)
    assert messages(info.value) == [
        'firm.yaml:7: answers.A-01: "9" is not one of: 0, 1, 2, 3, 4',
        "firm.yaml:11: answers.C-77: unknown question id 'C-77'",
    ]


@pytest.mark.parametrize("value", ["2026-01-01", "[[1]]", "{value: {a: 1}}"])
def test_an_answer_of_the_wrong_shape_gets_one_message_naming_its_question(
    tmp_path: Path, mini: CriteriaSet, value: str
) -> None:
    with pytest.raises(ResponseError) as info:
        read_response(write(tmp_path, "firm.yaml", GOOD.replace("A-01: 3", f"A-01: {value}").encode()), mini)
    [problem] = info.value.problems
    assert str(problem) == (
        "firm.yaml:7: answers.A-01.value: an answer is a number, a text, yes/no or a list of options"
        " (put a date in quotes)"
    )
    assert problem.question_id == "A-01"


@pytest.mark.parametrize("target", [".inf", "-.inf", ".nan", "1e400"])
def test_a_target_that_is_no_finite_number_is_refused_in_both_languages(
    tmp_path: Path, mini: CriteriaSet, target: str
) -> None:
    text = GOOD.replace("A-01: 3", f"A-01: {{value: 2, target: {target}}}")
    with pytest.raises(ResponseError) as info:
        read_response(write(tmp_path, "firm.yaml", text.encode()), mini)
    [problem] = info.value.problems
    assert (problem.location, problem.question_id) == ("firm.yaml:7: answers.A-01.target", "A-01")
    assert problem.message == "Input should be a finite number"
    assert problem.message_zh == "应填一个有限的数字"


def test_profile_problems_are_located(tmp_path: Path, mini: CriteriaSet) -> None:
    text = GOOD.replace("  industry: crafts\n", "  industry: crafts\n  credit_code: 91330200MA2XXXXX1A\n  color: red\n")
    with pytest.raises(ResponseError) as info:
        read_response(write(tmp_path, "firm.yaml", text.encode()), mini)
    assert messages(info.value) == [
        "firm.yaml:4: firm.credit_code: the check character is wrong (GB 32100 gives G, the code has A)",
        "firm.yaml:2: firm: unknown key 'color'",
    ]


def test_problems_of_shape_also_come_in_chinese(tmp_path: Path, mini: CriteriaSet) -> None:
    text = GOOD.replace("  industry: crafts\n", "  color: red\n").replace("A-01: 3", "A-01: 2026-01-01")
    with pytest.raises(ResponseError) as info:
        read_response(write(tmp_path, "firm.yaml", text.encode()), mini)
    chinese = {p.shown("zh") for p in info.value.problems}
    assert "firm.yaml:2: firm: 缺少 industry" in chinese
    assert "firm.yaml:2: firm: 未知的键“color”" in chinese
    assert "firm.yaml:7: answers.A-01.value: 答案应为数字、文字、是/否或选项列表（日期请加引号）" in chinese


def test_ids_and_empty_names_are_explained_without_regular_expressions(tmp_path: Path, mini: CriteriaSet) -> None:
    text = GOOD.replace("name: 宁波示例工艺品有限公司", 'name: ""').replace("markets: [eu]", "markets: [eu, 美国]")
    text = text.replace("industry: crafts", "industry: Arts And Crafts")
    with pytest.raises(ResponseError) as info:
        read_response(write(tmp_path, "firm.yaml", text.encode()), mini)
    english = {p.shown("en") for p in info.value.problems}
    chinese = {p.shown("zh") for p in info.value.problems}
    assert "firm.yaml:2: firm.name: cannot be empty" in english
    assert any(m.startswith('firm.yaml:3: firm.industry: "Arts And Crafts" is not an industry id') for m in english)
    assert any(m.startswith("firm.yaml:4: firm.markets[1]: “美国”不是市场代号") for m in chinese), chinese
    assert not any("pattern" in m or "[A-Za-z]" in m for m in english | chinese)


def test_yaml_12_booleans_keep_norway_a_string() -> None:
    data, lines = load_yaml("markets: [NO, no, yes]\nflag: true\n", "t.yaml")
    assert data == {"markets": ["NO", "no", "yes"], "flag": True}
    assert lines[("flag",)] == 2


def test_line_map_names_keys_and_items_and_scalars_keep_yaml_meaning() -> None:
    text = "firm:\n  name: A\nanswers:\n  A-01: 3\n  B-02:\n    - x\n    - z\n  B-01: 012\n  C-01: 0x1F\n"
    data, lines = load_yaml(text, "t.yaml")
    # YAML 1.1 integers: a leading zero is octal, 0x is hexadecimal (the fast path must not change that)
    assert data == {"firm": {"name": "A"}, "answers": {"A-01": 3, "B-02": ["x", "z"], "B-01": 10, "C-01": 31}}
    assert lines[("answers", "A-01")] == 4
    assert lines[("answers", "B-02", 1)] == 7
    assert lines.get(("answers", "Z-99")) is None
    assert len(lines) == 10


def test_a_file_that_grows_while_read_is_read_whole_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "growing.yaml", b"x" * 100)
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:  # the size seen before the writer finished
        found = real_fstat(fd)
        return os.stat_result((found.st_mode, found.st_ino, found.st_dev, found.st_nlink, 0, 0, 10, 0, 0, 0))

    monkeypatch.setattr(os, "fstat", stale_fstat)
    assert text_file.read_bytes(path) == b"x" * 100
    with pytest.raises(InputFileError, match=r"growing\.yaml"):
        text_file.read_bytes(path, limit=50)


def test_rarer_shape_problems_are_explained_in_chinese_too(tmp_path: Path, mini: CriteriaSet) -> None:
    text = GOOD.replace("A-01: 3", "A-01: {value: 3, note: [1]}").replace("firm:", "status: done\nfirm:", 1)
    with pytest.raises(ResponseError) as info:
        read_response(write(tmp_path, "firm.yaml", text.encode()), mini)
    chinese = {p.message_in("zh") for p in info.value.problems}
    assert "应为文字" in chinese
    assert any(message.startswith("应为以下之一：") and "final" in message for message in chinese)


def test_loader_has_no_path_resolvers_so_its_tree_walk_needs_no_bookkeeping() -> None:
    """The loader skips PyYAML's descend/ascend bookkeeping, which only path resolvers read."""
    from assess.readers import safe_yaml

    assert not safe_yaml._Yaml12CachedLoader.yaml_path_resolvers
    data, lines = load_yaml("a:\n  b: [1, {c: x}]\n  d: {e: [true, null]}\n", "t.yaml")
    assert data == {"a": {"b": [1, {"c": "x"}], "d": {"e": [True, None]}}}
    assert lines[("a", "b", 1, "c")] == 2 and lines[("a", "d", "e", 1)] == 3


SCALARS = [
    "3",
    "0",
    "012",
    "0x1F",
    "1_000",
    "-7",
    "+7",
    "15.7",
    "-0.0",
    "+1.5",
    "3.",
    ".5",
    "1.0e+3",
    "1_0.5",
    "1:30",
    "1:30.5",
    ".inf",
    "-.Inf",
    ".nan",
    "true",
    "True",
    "FALSE",
    "yes",
    "No",
    "null",
    "~",
    "Null",
    "",
    "2026-11-26",
    "2026-11-26 10:00:00",
    "text",
    "'3'",
    '"15.7"',
    "!!float 2",
    "!!int '7'",
    "!!bool 'yes'",
    "!!null x",
    "!!str 3",
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_fast_scalars_read_as_the_yaml_constructor_reads_them(scalar: str) -> None:
    """The walker reads common scalars itself; each must equal (type and value) what PyYAML's safe constructor gives."""
    import math

    import yaml

    from assess.readers import safe_yaml

    text = f"a: {scalar}\nb:\n  - {scalar}\n"
    ours, _ = load_yaml(text, "t.yaml")
    theirs = yaml.load(text, Loader=safe_yaml._Yaml12Loader)  # a safe loader: the reference
    for got, expected in ((ours["a"], theirs["a"]), (ours["b"][0], theirs["b"][0])):
        assert type(got) is type(expected)
        assert got == expected or (math.isnan(got) and math.isnan(expected))
        assert str(got) == str(expected)  # keeps -0.0 apart from 0.0


def test_dates_numbers_and_choices_typed_by_hand_get_our_words_in_both_languages(
    tmp_path: Path, mini: CriteriaSet
) -> None:
    text = GOOD.replace("firm:", "status: 完成了\nfirm:", 1).replace("A-01: 3", "A-01: {value: 3, target: 3级}")
    text = text.replace("assessment_date: 2026-11-01", "assessment_date: 15/09/2026")
    assert "15/09/2026" in text
    with pytest.raises(ResponseError) as info:
        read_response(write(tmp_path, "firm.yaml", text.encode()), mini)
    english = {p.message_in("en") for p in info.value.problems}
    chinese = {p.message_in("zh") for p in info.value.problems}
    assert {"expected one of: draft, final", '"3级" is not a number'} <= english, english
    assert '"15/09/2026" is not a date: write it YYYY-MM-DD, such as 2026-09-15' in english
    assert "应为以下之一：draft、final" in chinese
    assert "“15/09/2026”不是日期：请写成 YYYY-MM-DD，例如 2026-09-15" in chinese
    assert not any("Input should" in m for m in english)


def test_a_json_integer_python_cannot_read_is_a_message_for_every_json_file(tmp_path: Path) -> None:
    """Python refuses integers of over 4,300 digits with a bare ValueError: any JSON file (a brand file too) says so."""
    from assess.errors import InputFileError
    from assess.readers.safe_yaml import load_data

    with pytest.raises(InputFileError) as caught:
        load_data('{"name": "Acme", "n": ' + "9" * 5_000 + "}", "brand.json")
    assert "a number with more than 4,300 digits" in str(caught.value.problems[0])
