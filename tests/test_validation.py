"""Responses checked against criteria: every problem at once, each with its question id."""

from __future__ import annotations

import math

import pytest

from assess.errors import ResponseError
from assess.memo import forget_all
from assess.models.criteria import CriteriaSet
from assess.scoring.engine import score
from assess.validation import parse_value
from tests.conftest import GOOD_ANSWERS, Build


def problems_of(build: Build, answers: dict[str, object], **kwargs: object) -> list[tuple[str | None, str]]:
    with pytest.raises(ResponseError) as info:
        build(answers, **kwargs)
    return [(p.question_id, p.message) for p in info.value.problems]


def test_good_response_validates(build: Build) -> None:
    response = build(GOOD_ANSWERS)
    assert response.answers["B-02"].value == ("x", "z")
    assert response.answers["A-03"].value is True
    assert response.warnings == ()


def test_unknown_id_and_out_of_range_are_both_reported(build: Build) -> None:
    answers = {**GOOD_ANSWERS, "Z-99": 2, "A01": 1, "A-01": 7}
    problems = problems_of(build, answers)
    assert ("Z-99", "unknown question id 'Z-99'") in problems
    assert ("A01", "unknown question id 'A01' (did you mean A-01?)") in problems
    assert ("A-01", '"7" is not one of: 0, 1, 2, 3, 4') in problems
    assert len(problems) == 3


def test_wrong_types_name_the_allowed_values(build: Build) -> None:
    answers = {**GOOD_ANSWERS, "A-02": "maybe", "A-03": "perhaps", "B-01": "lots", "B-02": ["x", "w"]}
    problems = dict(problems_of(build, answers))
    assert problems["A-02"] == '"maybe" is not one of: none, some, full'
    assert problems["A-03"] == '"perhaps" is not one of: yes, no, N/A'
    assert problems["B-01"] == "'lots' is not a number"
    assert problems["B-02"] == '"w" is not one of: x, y, z'


def test_number_range(build: Build) -> None:
    assert dict(problems_of(build, {**GOOD_ANSWERS, "B-01": 140}))["B-01"] == (
        "140 is out of range: expected a number from 0 to 100"
    )


def test_na_rules(build: Build) -> None:
    problems = dict(problems_of(build, {**GOOD_ANSWERS, "A-01": "N/A", "A-03": "不适用"}))
    assert problems["A-01"].startswith("N/A is not allowed here")
    assert problems["A-03"] == "N/A needs a note saying why the question does not apply"


def test_missing_required_answers_in_a_final_response(build: Build) -> None:
    answers = {k: v for k, v in GOOD_ANSWERS.items() if k not in ("A-02", "B-04")}
    problems = problems_of(build, answers)
    assert ("A-02", "A-02: required answer missing") in problems
    assert ("B-04", "B-04: required answer missing") in problems


def test_missing_answers_in_a_draft_are_warnings(build: Build) -> None:
    response = build({"A-01": 2}, status="draft")
    assert {w.question_id for w in response.warnings} == {"A-02", "A-03", "B-01", "B-02", "B-03", "B-04"}


def test_inapplicable_answer_is_a_warning_and_ignored(build: Build) -> None:
    response = build(GOOD_ANSWERS, markets=["us"])
    assert [(w.question_id, w.severity) for w in response.warnings] == [("B-03", "warning")]


def test_unknown_industry_and_market(build: Build) -> None:
    problems = [m for _, m in problems_of(build, GOOD_ANSWERS, industry="mining", markets=["eu", "mars"])]
    assert problems == [
        "unknown industry 'mining'; one of: crafts, food",
        "unknown market 'mars'; one of: eu, us",
    ]


@pytest.mark.parametrize(
    "raw", ["1e400", "-1e999", pytest.param(10**400, id="400-digit-int"), float("inf"), float("nan")]
)
@pytest.mark.parametrize("qid", ["A-01", "B-01"])
def test_numbers_beyond_floating_point_are_refused_not_crashed_on(build: Build, qid: str, raw: object) -> None:
    assert dict(problems_of(build, {**GOOD_ANSWERS, qid: raw}))[qid] == "expected a finite number"


def test_target_only_on_level_questions(build: Build) -> None:
    problems = dict(
        problems_of(build, {**GOOD_ANSWERS, "A-02": {"value": "some", "target": 3}, "A-01": {"value": 2, "target": 9}})
    )
    assert problems["A-02"] == "a target can only be set on a maturity-level question"
    assert problems["A-01"] == "target must be a level from 0 to 4"


@pytest.mark.parametrize(
    ("qid", "raw", "expected"),
    [
        ("A-01", "３", 3),  # full-width digit
        ("A-01", " 2 ", 2),
        ("A-01", 4.0, 4),
        ("A-02", "FULL", "full"),
        ("A-03", "是", True),
        ("A-03", "No", False),
        ("B-01", "0.8%", 0.8),
        ("B-01", "１.５", 1.5),
        ("B-02", "x, y", ("x", "y")),
        ("B-02", "z，x", ("x", "z")),
    ],
)
def test_human_input_is_read_where_the_intent_is_clear(
    mini: CriteriaSet, qid: str, raw: object, expected: object
) -> None:
    assert parse_value(mini.questions[qid], raw) == expected


def test_exclusive_option_cannot_be_combined(default_criteria: CriteriaSet) -> None:
    from assess.validation import InvalidAnswerError

    question = default_criteria.questions["BR-02"]
    assert parse_value(question, ["none"]) == ("none",)
    with pytest.raises(InvalidAnswerError, match='"none" cannot be combined with other options'):
        parse_value(question, ["china", "none"])


def test_na_words_in_a_free_text_answer_are_just_text(build: Build) -> None:
    response = build({**GOOD_ANSWERS, "A-04": "NA"})
    assert response.answers["A-04"].value == "NA" and not response.answers["A-04"].na


def test_remembered_answers_keep_values_of_different_types_apart(build: Build) -> None:
    """`True` equals `1` in Python; a level question must still refuse yes/no while accepting 1, in any order."""
    first = build({**GOOD_ANSWERS, "A-01": 1})
    assert first.answers["A-01"].value == 1
    assert dict(problems_of(build, {**GOOD_ANSWERS, "A-01": True}))["A-01"] == "expected a number, not yes/no"
    assert build({**GOOD_ANSWERS, "A-01": 1.0}).answers["A-01"].value == 1
    assert dict(problems_of(build, {**GOOD_ANSWERS, "A-01": 1.5}))["A-01"] == '"1.5" is not one of: 0, 1, 2, 3, 4'


def test_same_answer_in_two_responses_is_one_object_but_notes_stay_apart(build: Build) -> None:
    one = build(GOOD_ANSWERS)
    two = build(GOOD_ANSWERS)
    assert one.answers["A-02"] is two.answers["A-02"]  # immutable, so shared
    noted = build({**GOOD_ANSWERS, "A-02": {"value": "some", "note": "ISO 9001 since 2019"}})
    assert noted.answers["A-02"].note == "ISO 9001 since 2019"
    assert build(GOOD_ANSWERS).answers["A-02"].note is None


def test_negative_zero_is_zero_so_remembered_answers_never_show_a_sign(build: Build, mini: CriteriaSet) -> None:
    """-0.0 equals 0.0, so memo tables would hand one firm's signed zero to the next: it is read as 0.0."""
    signed = {**GOOD_ANSWERS, "B-01": -0.0, "A-01": {"value": 3, "target": -0.0}}
    unsigned = {**GOOD_ANSWERS, "B-01": 0.0, "A-01": {"value": 3, "target": 0.0}}
    first = build(signed)
    assert math.copysign(1, first.answers["B-01"].value) == 1.0  # type: ignore[arg-type]
    assert math.copysign(1, first.answers["A-01"].target or 0.0) == 1.0
    for earlier, later in ((signed, unsigned), (unsigned, signed)):
        forget_all()
        score(mini, build(earlier))
        warm = score(mini, build(later)).model_dump_json()
        forget_all()
        assert score(mini, build(later)).model_dump_json() == warm
        assert "-0.0" not in warm


def test_an_answer_keeps_what_the_model_before_it_guaranteed() -> None:
    """Answer is a frozen dataclass now: a target is still a float and a note has no outer spaces."""
    import dataclasses

    from assess.models.answers import Answer

    answer = Answer(value=2, note="  见记录 / see the records \n", target=3)
    assert answer.target == 3.0 and type(answer.target) is float
    assert answer.note == "见记录 / see the records"
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.value = 3  # type: ignore[misc]
    assert Answer(value=("a", "b")) == Answer(value=("a", "b"))


def test_a_decimal_comma_is_refused_not_read_as_a_bigger_number(mini: CriteriaSet) -> None:
    from assess.validation import InvalidAnswerError

    assert parse_value(mini.questions["B-01"], "0,050.5") == 50.5  # a comma grouping thousands
    for written in ("0,5", "1,20", "12,3456"):
        with pytest.raises(InvalidAnswerError, match="write decimals with a point"):
            parse_value(mini.questions["B-01"], written)


def test_what_pydantic_would_quietly_convert_is_refused_or_read_as_meant() -> None:
    import datetime as dt

    from pydantic import ValidationError

    from assess.models.response import Response
    from tests.conftest import firm

    def response(answers: dict[str, object], **profile: object) -> Response:
        return Response.model_validate({"firm": {**firm(), **profile}, "answers": answers})

    with pytest.raises(ValidationError, match="answered twice"):
        response({"A-01": 3, "A-01 ": 2})  # ids differing only by spaces would overwrite each other
    with pytest.raises(ValidationError, match="not yes/no"):
        response({"A-01": {"value": 2, "target": True}})  # would be target 1
    for number in (0, 46280, "20261101"):
        with pytest.raises(ValidationError, match="is a number, not a date"):
            response({}, assessment_date=number)  # would be Unix seconds
    assert response({}, assessment_date=dt.datetime(2026, 11, 1, 10, 30)).firm.assessment_date == dt.date(2026, 11, 1)


def test_an_id_in_the_wrong_case_or_width_suggests_itself(build: Build) -> None:
    problems = dict(problems_of(build, {**GOOD_ANSWERS, "a-02": "some", "Ａ-03": True}))
    assert problems["a-02"] == "unknown question id 'a-02' (did you mean A-02?)"
    assert problems["Ａ-03"] == "unknown question id 'Ａ-03' (did you mean A-03?)"


@pytest.mark.parametrize("empty", [[], ",", "、 ，"])
def test_a_multiple_choice_answer_of_no_options_is_refused_not_scored_as_answered(build: Build, empty: object) -> None:
    problems = dict(problems_of(build, {**GOOD_ANSWERS, "B-02": empty}))
    assert problems["B-02"] == "choose at least one"


def test_a_full_width_comma_inside_a_yaml_list_separates_options(build: Build) -> None:
    response = build({**GOOD_ANSWERS, "B-02": ["x，z"]})
    assert response.answers["B-02"].value == ("x", "z")


def test_a_note_beside_the_question_ids_says_where_it_belongs(build: Build) -> None:
    """`note:` at the indentation of the ids is read as an id: the hint names the question above and the fix."""
    answers = {"A-01": {"value": 3, "target": 4}, "note": "see report", "A-02": "some", "B-01": 2, "Target": 4}
    answers["VALUES"] = "n/a"
    answers |= {key: value for key, value in GOOD_ANSWERS.items() if key not in answers}
    with pytest.raises(ResponseError) as info:
        build(answers)
    problems = {p.question_id: p for p in info.value.problems}
    assert set(problems) == {"note", "Target", "VALUES"}  # not "unknown question id", no other problem
    note = problems["note"]
    assert note.location == "answers.note"
    assert note.message == (
        "'note' is not a question id but a part of an answer: write it under the question above it, indented two "
        "spaces more than A-01 and with the answer on a value: line of its own, or on one line: "
        'A-01: {value: 3, note: "see report", target: 4}'
    )
    assert note.message_in("zh") == (
        "“note”不是题号，而是答案的一部分：请写在上面的题目 A-01 之下，比 A-01 多缩进两个空格，"
        '答案本身另写一行 value:；或写在一行：A-01: {value: 3, note: "see report", target: 4}'
    )
    # the lines written beside one question all go into its example, each said where it is
    for key in ("Target", "VALUES"):
        assert problems[key].message.startswith(f"'{key}' is not a question id but a part of an answer")
        assert problems[key].message.endswith('B-01: {value: "n/a", target: 4}')


def test_a_note_before_any_question_id_shows_where_the_id_goes(build: Build) -> None:
    problems = dict(problems_of(build, {"Notes": "checked by QA", **GOOD_ANSWERS}))
    assert problems["Notes"].endswith('on one line: <question id>: {value: …, note: "checked by QA"}')
    assert "unknown question id" not in problems["Notes"]


def test_a_long_note_is_shortened_in_the_example_and_other_ids_keep_their_message(build: Build) -> None:
    note = "the QA procedure and its records, kept in the quality manual, chapter 7"
    answers = {key: value for key, value in GOOD_ANSWERS.items() if key != "B-02"}
    problems = dict(problems_of(build, {**answers, "B-02": ["x", "z"], "note": note, "notice": 1}))
    assert problems["note"].endswith('B-02: {value: [x, z], note: "the QA procedure and its records, kept…"}')
    assert problems["notice"] == "unknown question id 'notice'"


def test_a_large_number_is_quoted_with_every_digit(build: Build, mini: CriteriaSet) -> None:
    """`:g` would say 1.23457e+07: the exporter must recognise the number they typed, and the report show it."""
    from assess.report.wording import answer_text

    problems = dict(problems_of(build, {**GOOD_ANSWERS, "B-01": 12345678.5}))
    assert problems["B-01"] == "12345678.5 is out of range: expected a number from 0 to 100"
    assert answer_text(mini, mini.questions["B-01"], 25_000_000.0).en == "25000000%"
    assert answer_text(mini, mini.questions["B-01"], 0.00001).zh == "0.00001%"
