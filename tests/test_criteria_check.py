"""The criteria check on copies of the mini set with a mistake planted: refused (or warned about) where it is."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assess.readers.criteria_files import inspect_criteria
from assess.readers.safe_yaml import load_yaml
from tests.conftest import MINI, write_yaml

Data = dict[str, Any]
Edit = Callable[[Data, Data, Data], None]  # (set.yaml, themes/alpha.yaml, themes/beta.yaml), changed in place


def planted(folder: Path, edit: Edit) -> Path:
    """A copy of the mini set at `folder`, changed by `edit`."""
    shutil.copytree(MINI, folder)
    files = [folder / "set.yaml", folder / "themes" / "alpha.yaml", folder / "themes" / "beta.yaml"]
    data = [load_yaml(path.read_text(encoding="utf-8"), path.name)[0] for path in files]
    edit(*data)
    for path, changed in zip(files, data, strict=True):
        write_yaml(path, changed)
    return folder


def checked(tmp_path: Path, edit: Edit) -> tuple[list[str], list[str]]:
    """Errors and warnings (`location: message`) of a copy of the mini set changed by `edit`."""
    loaded = inspect_criteria(planted(tmp_path / "set", edit))
    errors = [str(p) for p in loaded.problems if p.severity == "error"]
    assert (loaded.criteria is None) == bool(errors)
    return errors, [str(p) for p in loaded.problems if p.severity == "warning"]


def only_error(tmp_path: Path, edit: Edit) -> str:
    errors, _ = checked(tmp_path, edit)
    assert len(errors) == 1, errors
    return errors[0]


def at(file: str, path: str, message: str) -> re.Pattern[str]:
    """`file:<line>: path: message...`: a problem with its file, line and place."""
    return re.compile(rf"{re.escape(file)}:\d+: {re.escape(path)}: {re.escape(message)}")


def test_the_mini_set_is_clean(tmp_path: Path) -> None:
    assert checked(tmp_path, lambda s, a, b: None) == ([], [])


# --- 1. numbers a score cannot be computed from -----------------------------------------------------------------


def _set(path: str, value: object) -> Edit:
    """An edit putting `value` at a dotted path of one file: `set:award.overall_min`, `alpha:questions.0.weight`."""
    file, _, keys = path.partition(":")

    def edit(s: Data, a: Data, b: Data) -> None:
        node: Any = {"set": s, "alpha": a, "beta": b}[file]
        *parents, last = [int(k) if k.isdigit() else k for k in keys.split(".")]
        for key in parents:
            node = node[key]
        node[last] = value

    return edit


@pytest.mark.parametrize(
    ("where", "file", "path"),
    [
        ("alpha:questions.0.weight", "themes/alpha.yaml", "A-01 questions[0].weight"),
        ("alpha:questions.1.options.1.points", "themes/alpha.yaml", "A-02 questions[1].options[1].points"),
        ("alpha:questions.2.yes_points", "themes/alpha.yaml", "A-03 questions[2].yes_points"),
        ("beta:questions.0.bands.0.points", "themes/beta.yaml", "B-01 questions[0].bands[0].points"),
        ("beta:questions.1.options.0.points", "themes/beta.yaml", "B-02 questions[1].options[0].points"),
        ("set:profiles.even.theme_weights.alpha", "set.yaml", "profiles.even.theme_weights.alpha"),
        ("set:award.theme_floors", "set.yaml", "award.theme_floors.alpha"),
    ],
)
@pytest.mark.parametrize("value", [float("inf"), float("nan"), float("-inf")])
def test_non_finite_numbers_are_refused_where_they_are(
    tmp_path: Path, where: str, file: str, path: str, value: float
) -> None:
    edit = _set(where, {"alpha": value} if where.endswith("theme_floors") else value)
    error = only_error(tmp_path, edit)
    assert at(file, path, "Input should be a finite number").fullmatch(error), error


def test_weights_that_overflow_when_added_up_are_refused(tmp_path: Path) -> None:
    def huge(s: Data, a: Data, b: Data) -> None:
        a["questions"][0]["weight"] = 1e308  # A-01 (a level question: 4 points at best)
        a["questions"][1]["weight"] = 1e308
        s["profiles"]["even"]["theme_weights"] = {"alpha": 1e308, "beta": 1e308}
        b["questions"][1]["options"][0]["points"] = 1e308  # B-02, multiple choice
        b["questions"][1]["options"][1]["points"] = 1e308
        b["questions"][1].pop("cap")

    errors, _ = checked(tmp_path, huge)
    expected = [
        at("themes/alpha.yaml", "A-01 questions[0].weight", "weight × the highest points is more than can be computed"),
        at("themes/alpha.yaml", "A-02 questions[1].weight", "weight × the highest points is more than can be computed"),
        at("themes/alpha.yaml", "questions", "the question weights of theme 'alpha' add up to more than can be"),
        at("set.yaml", "profiles.even.theme_weights", "the theme weights add up to more than can be computed"),
        at("themes/beta.yaml", "B-02 questions[1].options", "the options' points add up to more than can be computed"),
    ]
    for pattern in expected:
        assert any(pattern.match(e) for e in errors), (pattern, errors)
    assert len(errors) == len(expected), errors


def test_large_but_harmless_weights_pass(tmp_path: Path) -> None:
    def large(s: Data, a: Data, b: Data) -> None:
        a["questions"][0]["weight"] = 1e12
        s["profiles"]["even"]["theme_weights"] = {"alpha": 1e15, "beta": 1}

    assert checked(tmp_path, large)[0] == []


# --- 9. theme floors ----------------------------------------------------------------------------------------------


def test_a_theme_floor_above_100_is_refused(tmp_path: Path) -> None:
    error = only_error(tmp_path, _set("set:award.theme_floors", {"alpha": 150}))
    assert at("set.yaml", "award.theme_floors.alpha", "Input should be less than or equal to 100").fullmatch(error)


# --- 3. equals / in on a multiple-choice answer -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "shown"), [({"equals": "x"}, "B-02 equals x"), ({"in": ["y", "x"]}, "B-02 in ['y', 'x']")]
)
@pytest.mark.parametrize("kind", ["vetoes", "gates", "applies_if"])
def test_equals_or_in_on_a_multiple_choice_question_is_refused(
    tmp_path: Path, rule: dict[str, object], shown: str, kind: str
) -> None:
    def plant(s: Data, a: Data, b: Data) -> None:
        when = {"question": "B-02", **rule}
        if kind == "applies_if":
            b["questions"][2]["applies_if"] = when  # B-03
        else:
            s[kind][0]["when"] = when

    error = only_error(tmp_path, plant)
    named = {"vetoes": "V1 vetoes[0].when", "gates": "G1 gates[0].when", "applies_if": "B-03 questions[2].applies_if"}
    assert named[kind] in error
    assert f"{shown}: B-02 is multiple choice" in error and "use includes (such as includes: " in error


def zh_errors(tmp_path: Path, edit: Edit) -> list[str]:
    """The errors of `checked`, in Chinese."""
    folder = planted(tmp_path / "set-zh", edit)
    return [p.message_in("zh") for p in inspect_criteria(folder).problems if p.severity == "error"]


@pytest.mark.parametrize(("rule", "shown"), [({"equals": "x"}, "B-02 = x"), ({"in": ["y", "x"]}, "B-02 为 y、x 之一")])
def test_equals_or_in_on_a_multiple_choice_question_is_said_in_chinese_with_the_condition(
    tmp_path: Path, rule: dict[str, object], shown: str
) -> None:
    def plant(s: Data, a: Data, b: Data) -> None:
        s["vetoes"][0]["when"] = {"question": "B-02", **rule}

    [error] = zh_errors(tmp_path, plant)
    assert error.startswith(f"{shown}：B-02 是多选题"), error
    assert " equals x" not in error and " in [" not in error and "'x'" not in error


@pytest.mark.parametrize(
    ("when", "english", "chinese"),
    [
        ({"question": "B-04", "at_least": 1}, "B-04 at_least 1: a yes/no", "B-04 ≥ 1：是非题用 equals: true"),
        (
            {"question": "A-02", "equals": "w"},
            "A-02 equals w: not an option of A-02: w",
            "A-02 = w：不是 A-02 的选项：w",
        ),
        (
            {"question": "A-01", "in": [2, 9]},
            "A-01 in [2, 9]: level out of range 0-4",
            "A-01 为 2、9 之一：等级超出范围 0-4",
        ),
    ],
)
def test_a_test_that_cannot_work_on_its_question_is_said_in_both_languages(
    tmp_path: Path, when: dict[str, object], english: str, chinese: str
) -> None:
    def plant(s: Data, a: Data, b: Data) -> None:
        s["gates"][1]["when"] = when

    assert english in only_error(tmp_path, plant)
    [error] = zh_errors(tmp_path, plant)
    assert error.startswith(chinese), error


def test_includes_on_a_multiple_choice_question_passes(tmp_path: Path) -> None:
    def plant(s: Data, a: Data, b: Data) -> None:
        s["vetoes"][0]["when"] = {"any": [{"question": "B-02", "includes": "x"}, {"question": "B-04", "equals": True}]}

    assert checked(tmp_path, plant)[0] == []


# --- 4 and 10. option ids an answer could never choose ------------------------------------------------------------


def test_option_ids_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    error = only_error(tmp_path, _set("alpha:questions.1.options.2.id", "Some"))
    message = "option id 'Some' differs from 'some' only in case; answers are matched ignoring case"
    assert at("themes/alpha.yaml", "A-02 questions[1].options[2].id", message).match(error), error


@pytest.mark.parametrize("word", ["na", "NA", "n.a."])
def test_an_option_id_that_reads_as_na_is_refused(tmp_path: Path, word: str) -> None:
    error = only_error(tmp_path, _set("alpha:questions.1.options.0.id", word))
    message = f"option id '{word}' reads as N/A, so an answer choosing it is taken as N/A"
    assert at("themes/alpha.yaml", "A-02 questions[1].options[0].id", message).match(error), error


# --- 8. a number question no band of which gives points ---------------------------------------------------------


def test_a_number_question_whose_bands_all_score_0_is_refused(tmp_path: Path) -> None:
    def zero(s: Data, a: Data, b: Data) -> None:
        for band in b["questions"][0]["bands"]:
            band["points"] = 0

    error = only_error(tmp_path, zero)
    assert at("themes/beta.yaml", "B-01 questions[0].bands", "no band has points above 0").fullmatch(error), error


def test_a_theme_no_question_of_which_can_earn_points_is_refused(tmp_path: Path) -> None:
    def only_zero_bands(s: Data, a: Data, b: Data) -> None:
        b["questions"] = [b["questions"][0], b["questions"][3]]  # B-01 and B-04 (weight 0, read by the veto)
        for band in b["questions"][0]["bands"]:
            band["points"] = 0
        s["gates"] = s["gates"][:1]

    errors, _ = checked(tmp_path, only_zero_bands)
    assert any("no question of theme 'beta' can earn points" in e for e in errors), errors


# --- 11. a theme that weighs 0 but has a floor -------------------------------------------------------------------


def test_a_theme_weighing_0_with_an_award_floor_is_warned_about(tmp_path: Path) -> None:
    errors, warnings = checked(tmp_path, _set("set:profiles.results.theme_weights.alpha", 0))
    assert errors == []
    message = "theme 'alpha' weighs 0 in profile 'results' but has an award floor of 40: it can hold a firm back"
    [warning] = warnings
    assert at("set.yaml", "profiles.results.theme_weights.alpha", message).match(warning), warning


def test_a_theme_weighing_0_without_a_floor_is_fine(tmp_path: Path) -> None:
    def no_floor(s: Data, a: Data, b: Data) -> None:
        s["profiles"]["results"]["theme_weights"]["alpha"] = 0
        s["award"]["theme_floors"] = {"alpha": 0}

    assert checked(tmp_path, no_floor) == ([], [])


# --- 12. problems name the question, veto or gate ------------------------------------------------------------------


def test_located_problems_name_their_question_or_rule(tmp_path: Path) -> None:
    def mistakes(s: Data, a: Data, b: Data) -> None:
        b["questions"][0]["bands"][1]["from"] = 2  # B-01's bands no longer join up
        s["gates"][1]["when"] = {"all": [{"question": "B-01", "above": 10}, {"market": ["mars"]}]}

    errors, _ = checked(tmp_path, mistakes)
    joined = at(
        "themes/beta.yaml", "B-01 questions[0].bands[1]", "bands must join up: 'from' should be 1, where bands[0] ends"
    )
    assert any(joined.fullmatch(e) for e in errors), errors
    mars = at("set.yaml", "G2 gates[1].when", "unknown market 'mars'; the markets of this set are: eu, us")
    assert any(mars.fullmatch(e) for e in errors), errors


def test_problems_of_the_check_are_said_in_chinese_too(tmp_path: Path) -> None:
    def na_id(s: Data, a: Data, b: Data) -> None:
        a["questions"][1]["options"][0]["id"] = "na"

    checked(tmp_path, na_id)
    [problem] = inspect_criteria(tmp_path / "set").problems
    assert problem.message_in("zh").startswith("选项代号“na”会被读作“不适用”")
    assert problem.question_id == "A-02"


# --- 13. what a consultant writing a set is told: where, what to do, in the chosen language, numbers as written ----

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _drop_level_4(s: Data, a: Data, b: Data) -> None:
    b["questions"][2]["levels"].pop()


def _no_weight(s: Data, a: Data, b: Data) -> None:
    del s["profiles"]["results"]["theme_weights"]["beta"]


def _option_twice(s: Data, a: Data, b: Data) -> None:
    b["questions"][1]["options"][1]["id"] = "x"


def _numbers_on_a_choice(s: Data, a: Data, b: Data) -> None:
    s["vetoes"][0]["when"] = {"question": "B-02", "at_least": 2}


def _no_advice(s: Data, a: Data, b: Data) -> None:
    del b["questions"][0]["advice"]


def _unknown_band(s: Data, a: Data, b: Data) -> None:
    s["gates"][1]["cap_band"] = "medium"


@pytest.mark.parametrize(
    "edit",
    [
        _set("beta:questions.1.id", "A-01"),  # a question id used again in another theme
        _set("set:vetoes.0.when", {"question": "B-44", "equals": True}),
        _drop_level_4,
        _set("set:profiles.even.theme_weights.gamma", 1),
        _no_weight,
        _set("set:default_profile", "odd"),
        _set("beta:questions.0.bands.1.from", 2),
        _option_twice,
        _numbers_on_a_choice,
        _set("beta:questions.2.applies_if", {"market": ["mars"]}),
        _no_advice,
        _set("alpha:questions.0.references", []),
        _set("set:gates.0.cap_level", 9),
        _unknown_band,
        _set("alpha:questions.2.no_points", 1),
    ],
)
def test_every_problem_of_the_check_is_said_in_chinese_too(tmp_path: Path, edit: Edit) -> None:
    checked(tmp_path, edit)
    problems = inspect_criteria(tmp_path / "set").problems
    assert problems
    for problem in problems:
        assert problem.message_zh and _CJK.search(problem.message_zh), problem


def test_numbers_are_shown_as_the_set_wrote_them(tmp_path: Path) -> None:
    def edit(s: Data, a: Data, b: Data) -> None:
        b["questions"][0]["bands"][0]["to"] = 0.00001  # and the next band still starts at 1: a gap
        b["questions"][1]["cap"] = 10  # above the 5 points all options give together

    errors, warnings = checked(tmp_path, edit)
    assert any("'from' should be 0.00001, where bands[0] ends" in e for e in errors), errors
    assert any("cap 10 is above the sum of all options (5)" in w for w in warnings), warnings
    assert not any(re.search(r"\d\.0\b|e-0", p) for p in [*errors, *warnings])


def test_an_option_id_given_twice_is_shown_where_it_is_given_again(tmp_path: Path) -> None:
    error = only_error(tmp_path, _option_twice)
    message = "id 'x' is already used at questions[1].options[0]; give each one an id of its own"
    assert at("themes/beta.yaml", "B-02 questions[1].options[1].id", message).fullmatch(error), error


def test_overlapping_and_inverted_bands_name_the_bands(tmp_path: Path) -> None:
    overlap = only_error(tmp_path, _set("beta:questions.0.bands.1.from", 0.5))
    assert "bands overlap: [-inf, 1) and [0.5, 5) (bands[0] and bands[1])" in overlap, overlap
    shutil.rmtree(tmp_path / "set")
    inverted = only_error(tmp_path, _set("beta:questions.0.bands.1.to", 0.5))
    assert at("themes/beta.yaml", "B-01 questions[0].bands[1]", "'from' (1) must be below 'to' (0.5)").fullmatch(
        inverted
    ), inverted


def test_an_unknown_question_suggests_the_id_meant(tmp_path: Path) -> None:
    error = only_error(tmp_path, _set("set:vetoes.0.when", {"question": "B-40", "equals": True}))
    assert error.endswith("V1 vetoes[0].when: refers to unknown question 'B-40' (did you mean B-04?)"), error


def test_a_choice_test_with_no_such_option_lists_the_options(tmp_path: Path) -> None:
    error = only_error(tmp_path, _set("set:vetoes.0.when", {"question": "A-02", "equals": "all"}))
    assert error.endswith("not an option of A-02: all; its options are: none, some, full"), error


def test_a_multiple_choice_without_any_advice_is_one_problem(tmp_path: Path) -> None:
    def edit(s: Data, a: Data, b: Data) -> None:
        del b["questions"][1]["advice"]

    error = only_error(tmp_path, edit)
    assert at("themes/beta.yaml", "B-02 questions[1]", "advice missing: give the question an advice").match(error)


def test_an_applicability_rule_on_its_own_question_is_said_so(tmp_path: Path) -> None:
    error = only_error(tmp_path, _set("beta:questions.2.applies_if", {"question": "B-03", "at_least": 1}))
    assert error.endswith("questions[2].applies_if: the applies_if of B-03 cannot test B-03 itself"), error


def test_a_gate_the_model_refuses_is_named_by_its_id(tmp_path: Path) -> None:
    def edit(s: Data, a: Data, b: Data) -> None:
        del s["gates"][0]["cap_level"]

    error = only_error(tmp_path, edit)
    assert at("set.yaml", "G1 gates[0]", "a theme gate needs cap_level").match(error), error


def _copy_of_mini(tmp_path: Path) -> Path:
    folder = tmp_path / "set"
    shutil.copytree(MINI, folder)
    return folder


def test_a_theme_file_not_there_is_shown_where_the_set_lists_it(tmp_path: Path) -> None:
    folder = _copy_of_mini(tmp_path)
    set_file = folder / "set.yaml"
    set_file.write_text(set_file.read_text(encoding="utf-8").replace("themes/beta.yaml", "themes/betta.yaml"), "utf-8")
    [problem] = inspect_criteria(folder).problems
    assert re.fullmatch(r"set\.yaml:\d+: themes\[1\]", problem.location), problem
    assert problem.message == (
        "there is no theme file themes/betta.yaml in the set's folder; "
        "the theme files there are: themes/alpha.yaml, themes/beta.yaml"
    )
    assert problem.message_in("zh").startswith("准则文件夹中没有主题文件 themes/betta.yaml")


def test_a_line_indented_with_a_tab_is_said_so(tmp_path: Path) -> None:
    folder = _copy_of_mini(tmp_path)
    beta = folder / "themes" / "beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("    minimum: 0", "\tminimum: 0"), "utf-8")
    [problem] = inspect_criteria(folder).problems
    assert problem.location.startswith("themes/beta.yaml:")
    assert "this line holds a tab: YAML indents with spaces only" in problem.message, problem
    assert "制表符" in problem.message_in("zh")


def test_a_folder_without_a_set_file_is_said_to_be_no_criteria_set(tmp_path: Path) -> None:
    [problem] = inspect_criteria(tmp_path).problems
    assert problem.message.startswith(f"there is no set.yaml in {tmp_path}: a criteria set folder holds set.yaml")
    assert "assess criteria new" in problem.message_in("zh")


@pytest.mark.parametrize("question", [0, 1])  # a level question, and a single choice one
def test_a_question_text_missing_a_language_is_placed_at_its_text(tmp_path: Path, question: int) -> None:
    """`text` is also the name of a question kind: the place keeps it as the field it is (questions[i].text)."""
    error = only_error(tmp_path, _set(f"alpha:questions.{question}.text", {"zh": "做法？"}))
    qid = f"A-0{question + 1}"
    assert at("themes/alpha.yaml", f"{qid} questions[{question}].text", "en missing").match(error), error
