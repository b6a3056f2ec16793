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


def checked(tmp_path: Path, edit: Edit) -> tuple[list[str], list[str]]:
    """Errors and warnings (`location: message`) of a copy of the mini set changed by `edit`."""
    folder = tmp_path / "set"
    shutil.copytree(MINI, folder)
    files = [folder / "set.yaml", folder / "themes" / "alpha.yaml", folder / "themes" / "beta.yaml"]
    data = [load_yaml(path.read_text(encoding="utf-8"), path.name)[0] for path in files]
    edit(*data)
    for path, changed in zip(files, data, strict=True):
        write_yaml(path, changed)
    loaded = inspect_criteria(folder)
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
    folder = tmp_path / "set-zh"
    shutil.copytree(MINI, folder)
    files = [folder / "set.yaml", folder / "themes" / "alpha.yaml", folder / "themes" / "beta.yaml"]
    data = [load_yaml(path.read_text(encoding="utf-8"), path.name)[0] for path in files]
    edit(*data)
    for path, changed in zip(files, data, strict=True):
        write_yaml(path, changed)
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
    joined = at("themes/beta.yaml", "B-01 questions[0].bands[1]", "bands must join up: 'from' should be 1.0")
    assert any(joined.fullmatch(e) for e in errors), errors
    assert any(at("set.yaml", "G2 gates[1].when", "unknown market 'mars'").fullmatch(e) for e in errors), errors


def test_problems_of_the_check_are_said_in_chinese_too(tmp_path: Path) -> None:
    def na_id(s: Data, a: Data, b: Data) -> None:
        a["questions"][1]["options"][0]["id"] = "na"

    checked(tmp_path, na_id)
    [problem] = inspect_criteria(tmp_path / "set").problems
    assert problem.message_in("zh").startswith("选项代号“na”会被读作“不适用”")
    assert problem.question_id == "A-02"
