"""The blank YAML response file: explained by comments, read back by read_response once filled in."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from assess.errors import ResponseError
from assess.models.common import Lang, Mode
from assess.models.criteria import CriteriaSet
from assess.questionnaire.yaml_form import WIDTH, Wording, questionnaire_labels, wrap, yaml_questionnaire
from assess.readers.response_file import read_response
from tests.conftest import GOOD_ANSWERS, firm

SEEDS = Path(__file__).parent.parent.parent / "seeds"
MODES: tuple[Mode, ...] = ("zh", "en", "bilingual")


def _fill_firm(text: str, firm: dict[str, Any]) -> str:
    for key, value in firm.items():
        shown = value.isoformat() if hasattr(value, "isoformat") else json.dumps(value, ensure_ascii=False)
        text, count = re.subn(rf"^  {key}:$", f"  {key}: {shown}", text, count=1, flags=re.MULTILINE)
        assert count == 1, key
    return text


def _fill_answers(text: str, answers: dict[str, Any]) -> str:
    for qid, value in answers.items():
        text, count = re.subn(
            rf"^  {re.escape(qid)}:$", f"  {qid}: {json.dumps(value, ensure_ascii=False)}", text, flags=re.MULTILINE
        )
        assert count == 1, qid
    return text


def _write(tmp_path: Path, text: str, name: str = "firm.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("mode", MODES)
def test_every_question_is_an_empty_answer(default_criteria: CriteriaSet, mode: Any) -> None:
    text = yaml_questionnaire(default_criteria, mode)
    data = yaml.safe_load(text)
    assert data["criteria"] == default_criteria.id
    assert data["status"] == "draft"
    assert list(data["answers"]) == list(default_criteria.questions)
    assert all(value is None for value in data["answers"].values())
    assert set(data["firm"]) == {"name", "credit_code", "industry", "markets", "assessment_date", "assessor"}
    assert all(line == line.rstrip() for line in text.splitlines())


def test_blank_file_is_rejected_until_the_firm_is_filled_in(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    """The chosen behaviour: no placeholder can pass for real data, so the blank file does not load."""
    text = yaml_questionnaire(default_criteria, "bilingual")
    with pytest.raises(ResponseError) as caught:
        read_response(_write(tmp_path, text), default_criteria)
    where = " ".join(p.location for p in caught.value.problems)
    for field in ("firm.name", "firm.industry", "firm.markets", "firm.assessment_date"):
        assert field in where
    assert all("answers" not in p.location for p in caught.value.problems)

    firm = {"name": "Example Crafts Co.", "industry": "crafts", "markets": ["eu"], "assessment_date": "2026-11-01"}
    response = read_response(_write(tmp_path, _fill_firm(text, firm)), default_criteria)
    assert response.status == "draft"
    assert response.answers == {}
    assert response.firm.credit_code is None and response.firm.assessor is None


@pytest.mark.parametrize("seed", ["hongyi-auto", "guxian-foods", "borun-appliances", "xiangzhi-knitwear"])
@pytest.mark.parametrize("mode", MODES)
def test_filled_in_file_reads_back_as_the_seed(
    default_criteria: CriteriaSet, tmp_path: Path, seed: str, mode: Any
) -> None:
    seed_path = SEEDS / f"{seed}.yaml"
    data = yaml.safe_load(seed_path.read_text(encoding="utf-8"))
    text = _fill_answers(_fill_firm(yaml_questionnaire(default_criteria, mode), data["firm"]), data["answers"])
    filled = read_response(_write(tmp_path, text), default_criteria)
    expected = read_response(seed_path, default_criteria)
    assert filled.answers == expected.answers
    assert filled.firm == expected.firm
    assert filled.status == "draft"


@pytest.mark.parametrize(
    ("mode", "shown", "hidden"), [("zh", ("zh",), ("en",)), ("en", ("en",), ("zh",)), ("bilingual", ("zh", "en"), ())]
)
def test_comments_show_the_chosen_languages(
    default_criteria: CriteriaSet, mode: Any, shown: tuple[Lang, ...], hidden: tuple[Lang, ...]
) -> None:
    text = yaml_questionnaire(default_criteria, mode)
    comments = "".join(line.split("# ", 1)[1] for line in text.splitlines() if "# " in line)
    flat = re.sub(r"\s+", "", comments)  # wrapped lines joined again
    words = Wording(default_criteria, questionnaire_labels())
    for question in default_criteria.questions.values():
        for choice in words.choices(question):
            for text_ in filter(None, [choice.label, choice.detail]):
                for lang in shown:
                    assert re.sub(r"\s+", "", text_.in_lang(lang)) in flat, (question.id, choice.key, lang)
        for lang in shown:
            assert re.sub(r"\s+", "", question.text.in_lang(lang)) in flat
        for lang in hidden:
            assert re.sub(r"\s+", "", question.text.in_lang(lang)) not in flat


def test_comments_explain_rules(default_criteria: CriteriaSet) -> None:
    text = yaml_questionnaire(default_criteria, "en")
    block = text.split("  TR-09:")[0].rsplit("\n\n", 1)[1]  # the comments before TR-09
    assert "Answer only if the industry is Food or Aquatic products and the export markets include" in block
    assert "N/A with a note" in block
    assert "#  note: Evidence:" in block
    br02 = text.split("  BR-02:")[0].rsplit("\n\n", 1)[1]
    assert "none  No registered trademark (cannot be combined with other options)" in br02
    br01 = text.split("  BR-01:")[0].rsplit("\n\n", 1)[1]
    assert "Enter a number, from 0 to 100, unit: %" in br01
    zh = yaml_questionnaire(default_criteria, "zh")
    assert "仅当行业不是食品或水产品时作答。" in zh


def test_lines_fit_the_width(default_criteria: CriteriaSet) -> None:
    for mode in MODES:
        for line in yaml_questionnaire(default_criteria, mode).splitlines():
            columns = sum(2 if "\u4e00" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in line)
            assert columns <= WIDTH + 4, line  # closing punctuation may hang past the margin


def test_hostile_texts_stay_in_comments(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    """Line breaks of every kind, colons and hashes in criteria texts cannot leak out of a comment."""
    data = default_criteria.model_dump(by_alias=True, exclude={"content_hash"})
    question = data["themes"][0]["questions"][0]
    question["text"]["en"] = "first line\nBR-02: 4\r\nevil: [1, 2]\u2028x: y\u0085z: 1 # not a comment"
    question["help"]["zh"] = "说明\n\n  answers: {}\n- item"
    hostile = CriteriaSet.model_validate(data)
    text = yaml_questionnaire(hostile, "bilingual")
    loaded = yaml.safe_load(text)
    assert list(loaded["answers"]) == list(hostile.questions)
    assert set(loaded) == {"criteria", "status", "firm", "answers"}


def test_wrap_keeps_words_and_punctuation() -> None:
    assert wrap("alpha beta gamma", 11) == ["alpha beta", "gamma"]
    assert wrap("甲乙丙丁戊，己", 10) == ["甲乙丙丁戊，", "己"]  # no line starts with a comma
    assert wrap("one\ntwo", 40) == ["one", "two"]


def test_other_criteria_sets_work_too(mini: CriteriaSet, tmp_path: Path) -> None:
    """Nothing is particular to the default set: the mini set (with a text question) round-trips as well."""
    answers = {**GOOD_ANSWERS, "A-04": "Notes: with a colon", "A-03": {"value": "N/A", "note": "no scheme"}}
    text = yaml_questionnaire(mini, "bilingual")
    assert "Enter text (in double quotes" in text
    filled = _fill_answers(_fill_firm(text, firm(assessment_date="2026-11-01")), answers)
    response = read_response(_write(tmp_path, filled), mini)
    assert response.answers["A-04"].value == "Notes: with a colon"
    assert response.answers["A-03"].na
    assert response.answers["B-02"].value == ("x", "z")
