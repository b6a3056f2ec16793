"""The interactive questionnaire driven by a scripted FillIO: flow, re-asking, skip logic, quit and resume."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from assess.api import load_response, score
from assess.errors import InputFileError, UserError
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    SingleChoiceQuestion,
    YesNoQuestion,
)
from assess.questionnaire import interactive
from assess.questionnaire.interactive import REQUIRED_LABELS, FillLang, fill, fill_labels, load_partial
from assess.questionnaire.response_writer import save_response

TODAY = dt.date(2026, 11, 1)
FIRM = ["Example Crafts Co.", "", "2", "1", "2026-11-01", ""]  # name, code, crafts, eu, date, assessor
# Answer and evidence-note replies for the mini set, giving the answers of tests/conftest.py GOOD_ANSWERS.
A01 = ["3", ""]
A02 = ["2", ""]
A03 = ["yes", ""]
A04 = [""]  # optional text: Enter skips, no note asked
B01 = ["2", ""]
B02 = ["1,3", ""]
B03 = ["2", ""]
B04 = ["no", ""]
GOOD = [*A01, *A02, *A03, *A04, *B01, *B02, *B03, *B04]
FIRM_DICT = {"name": "Example Crafts Co.", "industry": "crafts", "markets": ["eu"], "assessment_date": TODAY}
HEADING = re.compile(r"Question \d+/\d+ · ([A-Z0-9-]+)")


class ScriptIO:
    """A FillIO that replies from a list, then from `responder`, and records all it shows."""

    def __init__(self, replies: Iterable[str] = (), responder: Callable[[str, ScriptIO], str] | None = None) -> None:
        self.replies = list(replies)
        self.responder = responder
        self.shown: list[str] = []
        self.prompts: list[str] = []

    def show(self, text: str) -> None:
        self.shown.append(text)

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if self.replies:
            return self.replies.pop(0)
        if self.responder is not None:
            return self.responder(prompt, self)
        raise AssertionError(f"unexpected prompt {prompt!r} after:\n" + "\n".join(self.shown[-4:]))

    @property
    def text(self) -> str:
        return "\n".join(self.shown)

    def asked(self) -> list[str]:
        """Question ids in the order their headings were shown."""
        return HEADING.findall(self.text)


class Saver:
    """The save callback: writes the file like the CLI and keeps a copy of every saved state."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.states: list[dict[str, Any]] = []

    def __call__(self, data: dict[str, Any]) -> None:
        self.states.append(copy.deepcopy(data))
        save_response(data, self.path)


def run(
    criteria: CriteriaSet,
    replies: Iterable[str],
    path: Path,
    data: dict[str, Any] | None = None,
    lang: FillLang = "en",
) -> tuple[dict[str, Any], ScriptIO, Saver]:
    io = ScriptIO(replies)
    saver = Saver(path)
    result = fill(criteria, data, io, lang, saver, today=TODAY)
    assert not io.replies, f"replies left over: {io.replies}"
    return result, io, saver


def test_full_run_saves_a_final_response_that_scores(tmp_path: Path, mini: CriteriaSet) -> None:
    path = tmp_path / "firm.yaml"
    result, io, _ = run(mini, [*FIRM, *GOOD], path)
    assert result["status"] == "final"
    response = load_response(path, mini)
    assert response.status == "final" and not response.warnings
    assert response.firm.industry == "crafts" and response.firm.markets == ["eu"]
    assert response.firm.assessment_date == TODAY and response.firm.credit_code is None
    assert score(mini, response).overall == 70.83
    assert io.asked() == ["A-01", "A-02", "A-03", "A-04", "B-01", "B-02", "B-03", "B-04"]
    assert "Theme 1 of 2: Alpha" in io.text and "Theme 2 of 2: Beta" in io.text
    assert "Question 7/8 · B-03" in io.text
    assert "7 of 8 answered" in io.text and "status: final" in io.text


def test_the_screen_shows_descriptors_options_ranges_and_hints(tmp_path: Path, mini: CriteriaSet) -> None:
    _, io, _ = run(mini, [*FIRM, *GOOD], tmp_path / "firm.yaml")
    for expected in (
        "Practice one?",
        "Help: Help.",
        "Evidence: Records",
        "  3  Managed — Measured",  # level, its scale name and this question's descriptor
        "Enter a level from 0 to 4",
        "  2) Some",
        "y = Yes · n = No · N/A = N/A",  # yes/no with N/A allowed
        "Enter a number · from 0 to 100 %",
        "  1) X",
        "Pick any: numbers separated by commas",
        "Free text · Enter skips",
        "A-04 (optional)",
        "  2) Crafts",
    ):
        assert expected in io.text, expected


def test_save_is_called_after_every_answer(tmp_path: Path, mini: CriteriaSet) -> None:
    _, _, saver = run(mini, [*FIRM, *GOOD], tmp_path / "firm.yaml")
    # six firm fields, seven answers (the optional text was skipped), one last save with the status
    assert len(saver.states) == 6 + 7 + 1
    assert [len(s["firm"]) for s in saver.states[:6]] == [1, 2, 3, 4, 5, 6]
    assert [len(s["answers"]) for s in saver.states[6:]] == [1, 2, 3, 4, 5, 6, 7, 7]
    assert [s["status"] for s in saver.states] == ["draft"] * 12 + ["final", "final"]


def test_bad_answers_are_asked_again_with_the_reason(tmp_path: Path, mini: CriteriaSet) -> None:
    replies = [
        *FIRM[:1],
        "91330212144075832X",  # wrong check character
        "913302121440758328",
        "7",  # not on the industry list
        "crafts",  # ids work too
        "1, 9",
        "eu,us",
        "1 Nov",
        "",  # Enter: today
        "",
        "7",  # level out of range
        "n/a",  # not allowed here
        "",  # required
        *A01,
        "4",  # not an option number
        "full",
        "",
        "maybe",
    ]
    io = ScriptIO(replies, responder=lambda prompt, io: "q")
    data = fill(mini, None, io, "en", lambda d: None, today=TODAY)
    text = io.text
    assert "The credit code is wrong: the check character is wrong" in text
    assert '"7" is not a number from the list.' in text
    assert '"9" is not a number from the list.' in text
    assert '"1 Nov" is not a date' in text
    assert 'Not a valid answer: "7" is not one of: 0, 1, 2, 3, 4' in text
    assert "N/A is not allowed for this question." in text
    assert "This question needs an answer." in text
    assert '"4" is not a number from the list.' in text
    assert 'Not a valid answer: "maybe" is not one of: yes, no, N/A' in text
    assert data["firm"]["credit_code"] == "913302121440758328"
    assert data["firm"]["markets"] == ["eu", "us"] and data["firm"]["assessment_date"] == TODAY
    assert data["answers"] == {"A-01": 3, "A-02": "full"}


def test_quit_keeps_a_draft_and_resume_asks_only_the_rest(tmp_path: Path, mini: CriteriaSet) -> None:
    path = tmp_path / "firm.yaml"
    first, io, _ = run(mini, [*FIRM, *A01, *A02, "q"], path)
    assert first["status"] == "draft"
    assert "Stopped; your progress is saved." in io.text and "status: draft" in io.text
    draft = load_response(path, mini)
    assert draft.status == "draft" and set(draft.answers) == {"A-01", "A-02"}

    resumed, io2, saver = run(mini, [*A03, *A04, *B01, *B02, *B03, *B04], path, data=load_partial(path))
    assert io2.asked() == ["A-03", "A-04", "B-01", "B-02", "B-03", "B-04"]
    assert "Resuming: 2 of 8 answered" in io2.text
    assert "Firm profile" not in io2.text  # the profile was complete: not asked again
    assert resumed["status"] == "final"
    assert score(mini, load_response(path, mini)).overall == 70.83
    assert len(saver.states) == 5 + 1  # five answers (A-04 skipped), then the last save


def test_quit_at_the_note_prompt_keeps_the_answer(tmp_path: Path, mini: CriteriaSet) -> None:
    data, _, _ = run(mini, [*FIRM, "3", "quit"], tmp_path / "firm.yaml")
    assert data["answers"] == {"A-01": 3}


def test_end_of_input_stops_like_quit(tmp_path: Path, mini: CriteriaSet) -> None:
    def closed(prompt: str, io: ScriptIO) -> str:
        raise EOFError

    path = tmp_path / "firm.yaml"
    io = ScriptIO([*FIRM, *A01], responder=closed)
    data = fill(mini, None, io, "en", Saver(path), today=TODAY)
    assert data["status"] == "draft" and load_partial(path)["answers"] == {"A-01": 3}


def test_skip_logic_follows_the_markets(tmp_path: Path, mini: CriteriaSet) -> None:
    us_only = [*FIRM[:3], "2", *FIRM[4:]]
    path = tmp_path / "firm.yaml"
    data, io, _ = run(mini, [*us_only, *A01, *A02, *A03, *A04, *B01, *B02, *B04], path)
    assert "B-03" not in io.asked() and "B-03" not in data["answers"]
    assert "Question 7/7 · B-04" in io.text
    assert data["status"] == "final" and load_response(path, mini).status == "final"


def test_back_returns_to_the_previous_question_and_walks_forward(tmp_path: Path, mini: CriteriaSet) -> None:
    replies = [
        *FIRM,
        "back",  # at the first question: nowhere to go
        *A01,
        *A02,
        "back",  # at A-03: back to A-02
        "back",  # at A-02: back to A-01
        "1",  # A-01 changed
        "",  # no note
        "",  # A-02 is shown next, with its answer: Enter keeps it
        *A03,
        *A04,
        *B01,
        *B02,
        "4",  # B-03
        "back",  # at the note prompt: the answer is asked again
        "2",
        "",
        *B04,
    ]
    data, io, _ = run(mini, replies, tmp_path / "firm.yaml")
    assert "This is the first question." in io.text
    revisits = ["A-03", "A-02", "A-01", "A-02"]
    assert io.asked() == ["A-01", "A-01", "A-02", *revisits, "A-03", "A-04", "B-01", "B-02", "B-03", "B-04"]
    assert "Current answer: 3 Managed (Enter keeps it)" in io.text
    assert "Current answer: Some (Enter keeps it)" in io.text
    assert data["answers"]["A-01"] == 1 and data["answers"]["A-02"] == "some" and data["answers"]["B-03"] == 2
    assert data["status"] == "final"


def test_back_in_the_firm_profile(tmp_path: Path, mini: CriteriaSet) -> None:
    replies = ["Wrong Name", "", "back", "back", "Right Name", "", *FIRM[2:], *GOOD]
    data, _, _ = run(mini, replies, tmp_path / "firm.yaml")
    assert data["firm"]["name"] == "Right Name"


def test_na_needs_a_note_and_is_saved_with_it(tmp_path: Path, mini: CriteriaSet) -> None:
    replies = [*FIRM, *A01, *A02, "不适用", "", "  ", "Crafts need no certificate", *A04, *B01, *B02, *B03, *B04]
    path = tmp_path / "firm.yaml"
    data, io, _ = run(mini, replies, path)
    assert "Why does it not apply? (required)" in io.prompts
    assert io.text.count("N/A needs a note saying why the question does not apply.") == 2
    assert data["answers"]["A-03"] == {"value": "N/A", "note": "Crafts need no certificate"}
    response = load_response(path, mini)
    assert response.status == "final" and response.answers["A-03"].na


def test_notes_are_kept_on_enter_and_removed_with_a_dash(tmp_path: Path, mini: CriteriaSet) -> None:
    replies = [*FIRM, "3", "Quality manual rev. 4", "2", "", "back", "back", "4", "", "", *A03, "q"]
    data, io, _ = run(mini, replies, tmp_path / "firm.yaml")
    assert data["answers"]["A-01"] == {"value": 4, "note": "Quality manual rev. 4"}
    assert "Evidence note: Quality manual rev. 4" in io.text
    replies = ["back", "back", "back", "4", "-", "", "", "q"]  # resume at A-04; back to A-01, re-type, remove note
    data, _, _ = run(mini, replies, tmp_path / "firm.yaml", data=data)
    assert data["answers"]["A-01"] == 4


def test_help_shows_the_question_again(tmp_path: Path, mini: CriteriaSet) -> None:
    _, io, _ = run(mini, [*FIRM, "?", *GOOD], tmp_path / "firm.yaml")
    assert io.text.count("Practice one?") == 2
    assert io.text.count("Commands:") == 2


def test_languages(tmp_path: Path, mini: CriteriaSet) -> None:
    _, zh, _ = run(mini, [*FIRM, *GOOD], tmp_path / "zh.yaml", lang="zh")
    assert "第 1/8 题 · A-01" in zh.text and "做法一？" in zh.text and "Practice one?" not in zh.text
    assert "  3  已管理 — 测量" in zh.text and "问卷已完成" in zh.text
    _, refused, _ = run(mini, [*FIRM, "7", *GOOD], tmp_path / "refused.yaml", lang="zh")
    assert "答案无效：“7”不是可选答案，可填：0、1、2、3、4" in refused.text
    _, both, _ = run(mini, [*FIRM, *GOOD], tmp_path / "both.yaml", lang="bilingual")
    assert "第 1/8 题 / Question 1/8 · A-01" in both.text
    assert "做法一？\nPractice one?" in both.text
    assert "答案 / Answer" in both.prompts


def test_resume_refuses_another_criteria_set(mini: CriteriaSet) -> None:
    with pytest.raises(UserError, match="for criteria set 'other'"):
        fill(mini, {"criteria": "other", "firm": {}, "answers": {}}, ScriptIO(), "en", lambda d: None)
    with pytest.raises(UserError, match="language"):
        fill(mini, None, ScriptIO(), "fr", lambda d: None)  # type: ignore[arg-type]


def test_resume_asks_again_for_wrong_firm_fields_and_answers(tmp_path: Path, mini: CriteriaSet) -> None:
    data: dict[str, Any] = {
        "criteria": "mini",
        "status": "draft",
        "firm": {"name": "Example", "industry": "toys", "markets": ["eu"], "assessment_date": "2026-11-01"},
        "answers": {"A-01": 9, "A-02": "some", "A-03": "N/A", "ZZ-01": "unknown id, left alone"},
    }
    replies = ["", "1", "", *A01, *A03, *A04, *B01, *B02, *B03, *B04]  # code, industry, assessor; then the answers
    result, io, _ = run(mini, replies, tmp_path / "firm.yaml", data=data)
    assert io.asked() == ["A-01", "A-03", "A-04", "B-01", "B-02", "B-03", "B-04"]
    assert result["firm"]["industry"] == "food"
    assert result["answers"]["ZZ-01"] == "unknown id, left alone"
    assert list(result["answers"])[-1] == "ZZ-01"
    assert data["answers"]["A-01"] == 9  # the caller's dict is not changed


def test_load_partial(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text("criteria: mini\nfirm:\n  name: Example\nanswers:\n", encoding="utf-8")
    assert load_partial(path) == {"criteria": "mini", "firm": {"name": "Example"}, "answers": {}, "status": "draft"}
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="not a response"):
        load_partial(path)
    path.write_text("firm: [a]\n", encoding="utf-8")
    with pytest.raises(InputFileError):
        load_partial(path)
    path.write_text("firm: {}\nfirm: {}\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="Cannot read"):
        load_partial(path)


def test_labels_have_both_languages_and_the_same_placeholders() -> None:
    labels = fill_labels()
    assert labels.keys() >= REQUIRED_LABELS
    assert all(text.zh.strip() and text.en.strip() for text in labels.values())


def test_broken_labels_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "templates" / "questionnaire"
    folder.mkdir(parents=True)
    (folder / "fill_labels.yaml").write_text(
        'saved: {zh: 已保存}\nanswered: {zh: "已答 {answered} 题", en: "{total} answered"}\n', encoding="utf-8"
    )
    monkeypatch.setattr(interactive, "data_dir", lambda name: tmp_path / name)
    fill_labels.cache_clear()
    try:
        with pytest.raises(UserError) as caught:
            fill_labels()
    finally:
        fill_labels.cache_clear()
    messages = [str(p) for p in caught.value.problems]
    assert "questionnaire/fill_labels.yaml: saved: needs non-empty zh and en texts" in messages
    assert "questionnaire/fill_labels.yaml: answered: zh and en must use the same {placeholders}" in messages
    assert "questionnaire/fill_labels.yaml: commands: missing" in messages


def _first_choice(criteria: CriteriaSet) -> Callable[[str, ScriptIO], str]:
    """Answer every prompt of the default set with its first choice; notes left empty."""

    def reply(prompt: str, io: ScriptIO) -> str:
        if prompt.startswith("Firm name"):
            return "Example Exports Co."
        if prompt.startswith("Industry"):
            return "1"
        if prompt.startswith("Main export markets"):
            return "1,2"
        if prompt != "Answer":
            return ""  # optional firm fields, the date (today), evidence notes
        question = criteria.questions[io.asked()[-1]]
        if isinstance(question, LevelQuestion | SingleChoiceQuestion | MultiChoiceQuestion):
            return "0" if isinstance(question, LevelQuestion) else "1"
        if isinstance(question, YesNoQuestion):
            return "y"
        if isinstance(question, NumberQuestion):
            return f"{question.minimum or 0:g}"
        return "" if not question.required else "text"

    return reply


def test_default_set_answered_with_first_choices_is_final(tmp_path: Path, default_criteria: CriteriaSet) -> None:
    path = tmp_path / "default.yaml"
    io = ScriptIO(responder=_first_choice(default_criteria))
    saver = Saver(path)
    data = fill(default_criteria, None, io, "en", saver, today=TODAY)
    response = load_response(path, default_criteria)
    assert data["status"] == "final" and response.status == "final"
    assert len(set(io.asked())) == len(io.asked())  # nothing asked twice
    assert "BR-03" not in io.asked()  # applies only when BR-01 (own-brand share) is above 0
    result = score(default_criteria, response)
    assert result.completeness == 1
    assert len(saver.states) == 6 + sum(1 for q in io.asked() if q in data["answers"]) + 1


def test_default_set_skip_logic_follows_an_earlier_answer(default_criteria: CriteriaSet) -> None:
    first = _first_choice(default_criteria)

    def reply(prompt: str, io: ScriptIO) -> str:
        if prompt == "Answer" and io.asked()[-1] == "BR-01":
            return "50"
        return first(prompt, io)

    io = ScriptIO(responder=reply)
    fill(default_criteria, None, io, "en", lambda d: None, today=TODAY)
    assert "BR-03" in io.asked()


def test_free_text_keeps_full_width_punctuation(tmp_path: Path, mini: CriteriaSet) -> None:
    name = "宁波某某工艺品（集团）有限公司"
    replies = [name, "９１３３０２１２１４４０７５８３２８", *FIRM[2:], *A01[:1], "记录：见附件（一）", *A02, *A03]
    replies += ["已建立，见附件（二）", *B01, *B02, *B03, *B04]
    path = tmp_path / "firm.yaml"
    data, _, _ = run(mini, replies, path)
    assert data["firm"]["name"] == name
    assert data["firm"]["credit_code"] == "913302121440758328"  # full-width digits folded
    assert data["answers"]["A-01"] == {"value": 3, "note": "记录：见附件（一）"}
    assert data["answers"]["A-04"] == "已建立，见附件（二）"
    assert load_partial(path)["answers"]["A-04"] == "已建立，见附件（二）"


def test_values_from_a_file_are_normalised_before_the_questions(tmp_path: Path, mini: CriteriaSet) -> None:
    data = {"firm": {**FIRM_DICT, "markets": "eu", "assessment_date": dt.datetime(2026, 11, 1, 9, 30)}, "answers": {}}
    result, _, _ = run(mini, GOOD, tmp_path / "firm.yaml", data=data)
    assert result["firm"]["markets"] == ["eu"] and result["firm"]["assessment_date"] == TODAY
    assert result["status"] == "final"


def test_a_target_is_kept_when_the_answer_changes(tmp_path: Path, mini: CriteriaSet) -> None:
    data = {"firm": FIRM_DICT, "answers": {"A-01": {"value": 1, "target": 0}, "A-02": "some"}}
    replies = ["back", "back", "3", "", "", *A03, "q"]  # start at A-03; back twice to A-01
    result, _, _ = run(mini, replies, tmp_path / "firm.yaml", data=data)
    assert result["answers"]["A-01"] == {"value": 3, "target": 0}


def test_a_target_level_is_typed_after_the_level(tmp_path: Path, mini: CriteriaSet) -> None:
    replies = [*FIRM, "2>9", "2 > 4", "", *GOOD[len(A01) :]]
    data, io, _ = run(mini, replies, tmp_path / "firm.yaml")
    assert "target must be a level from 0 to 4" in io.text
    assert data["answers"]["A-01"] == {"value": 2, "target": 4}
    assert "(2>3 also sets a target level)" in io.text


@pytest.mark.parametrize("written", ["2026/11/01", dt.datetime(2026, 11, 1, 10, 0)])
def test_resume_takes_dates_written_with_slashes_or_a_time(tmp_path: Path, mini: CriteriaSet, written: object) -> None:
    data: dict[str, Any] = {
        "criteria": "mini",
        "firm": {**FIRM_DICT, "assessment_date": written},
        "answers": {"A-01": 3, "A-02": "some"},
    }
    result, io, _ = run(mini, ["q"], tmp_path / "firm.yaml", data=data)
    assert "Resuming: 2 of 8 answered" in io.text and "Firm profile" not in io.text
    assert result["firm"]["assessment_date"] == TODAY


def test_resume_problems_are_said_in_chinese_too(mini: CriteriaSet) -> None:
    with pytest.raises(UserError) as info:
        fill(mini, {"criteria": "other", "firm": {}, "answers": {}}, ScriptIO(), "zh", lambda d: None)
    assert info.value.summary_in("zh") == "此回答属于评价标准“other”，而不是“mini”"
    assert [p.message_in("zh") for p in info.value.problems] == ["请使用开始填写时的评价标准继续"]
