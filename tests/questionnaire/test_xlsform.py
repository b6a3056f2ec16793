"""The XLSForm questionnaire: pyxform converts it, with skip logic and both languages, from the criteria set."""

from __future__ import annotations

import importlib
import io
import xml.etree.ElementTree as ET
from typing import Any

import openpyxl
import pytest

from assess.models.criteria import CriteriaSet
from assess.questionnaire.xlsform import (
    LANGUAGE_NAMES,
    REQUIRED_LABELS,
    _literal,
    _number,
    xlsform_bytes,
    xlsform_labels,
)
from assess.readers.submissions import _fields

XF = "{http://www.w3.org/2002/xforms}"
convert = importlib.import_module("pyxform.xls2xform").convert  # pyxform ships no type hints


def to_xform(form: bytes) -> str:
    """The XForm XML, failing the test on any pyxform warning (no network, no Java: validate=False)."""
    warnings: list[str] = []
    result = convert(xlsform=io.BytesIO(form), warnings=warnings, validate=False, file_type=".xlsx")
    assert warnings == [], warnings
    assert not result.warnings, result.warnings
    return str(result.xform)


def plain(text: str) -> str:
    """pyxform turns curly quotes into straight ones (so does KoboToolbox, which runs pyxform)."""
    return text.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'})


def sheet_rows(form: bytes, name: str) -> list[dict[str, Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(form))
    rows = list(workbook[name].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def binds(xform: str) -> dict[str, dict[str, str]]:
    """Field name (last path step) -> the attributes of its <bind>."""
    root = ET.fromstring(xform)
    return {b.attrib["nodeset"].rsplit("/", 1)[-1]: b.attrib for b in root.iter(f"{XF}bind")}


@pytest.fixture(scope="module")
def default_form(default_criteria: CriteriaSet) -> bytes:
    return xlsform_bytes(default_criteria)


@pytest.fixture(scope="module")
def default_xform(default_form: bytes) -> str:
    return to_xform(default_form)


def test_sheets_settings_and_language_columns(default_criteria: CriteriaSet, default_form: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(default_form))
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    [settings] = sheet_rows(default_form, "settings")
    assert settings == {
        "form_title": default_criteria.title.zh,
        "form_id": default_criteria.id,
        "version": default_criteria.version,
        "default_language": "Chinese (zh)",
    }
    header = [c.value for c in workbook["survey"][1]]
    for column in ("label::Chinese (zh)", "label::English (en)", "hint::Chinese (zh)", "hint::English (en)"):
        assert column in header
    english = sheet_rows(xlsform_bytes(default_criteria, "en"), "settings")[0]
    assert english["default_language"] == "English (en)"
    assert english["form_title"] == default_criteria.title.en


def test_pyxform_converts_with_every_question_in_both_languages(
    default_criteria: CriteriaSet, default_xform: str
) -> None:
    root = ET.fromstring(default_xform)
    translations = {t.attrib["lang"]: t for t in root.iter(f"{XF}translation")}
    assert set(translations) == set(LANGUAGE_NAMES.values())
    instance = root.find(f".//{XF}instance/{XF}data")
    assert instance is not None
    assert instance.attrib == {"id": default_criteria.id, "version": default_criteria.version}
    fields = {element.tag.removeprefix(XF) for element in instance.iter()}
    zh = "".join(translations["Chinese (zh)"].itertext())
    en = "".join(translations["English (en)"].itertext())
    for qid, question in default_criteria.questions.items():
        assert qid in fields
        assert plain(question.text.zh) in zh and plain(question.text.en) in en
        assert plain(question.help.zh) in zh and plain(question.help.en) in en
        assert (f"{qid}_note" in fields) == (question.kind != "text")
    for industry in default_criteria.industries:
        assert industry.name.zh in zh and industry.name.en in en
    assert {"firm_name", "credit_code", "industry", "markets", "assessment_date", "assessor", "criteria_id"} <= fields


def test_profile_fields(default_criteria: CriteriaSet, default_xform: str) -> None:
    bound = binds(default_xform)
    assert bound["firm_name"]["required"] == "true()"
    assert bound["industry"]["required"] == "true()"
    assert bound["markets"]["required"] == "true()"
    assert bound["assessment_date"]["type"] == "date"
    assert bound["criteria_id"]["calculate"] == f"'{default_criteria.id}'"
    constraint = bound["credit_code"]["constraint"]
    assert constraint.startswith("regex(., '^[0123456789ABCDEFGHJKLMNPQRTUWXY")
    assert "{18}$')" in constraint
    for letter in "IOSVZ":
        assert letter not in constraint.split("]")[0]


def test_question_kinds(default_criteria: CriteriaSet, default_form: bytes, default_xform: str) -> None:
    bound = binds(default_xform)
    choices = sheet_rows(default_form, "choices")
    survey = {row["name"]: row for row in sheet_rows(default_form, "survey") if row["name"]}
    # level: choices 0..4 labelled "n — descriptor", plus na where allowed (TR-07)
    level = [c for c in choices if c["list_name"] == "q_TR-07"]
    assert [c["name"] for c in level] == ["0", "1", "2", "3", "4", "na"]
    tr07 = default_criteria.questions["TR-07"]
    assert level[2]["label::English (en)"] == f"2 — {tr07.levels[2].text.en}"  # type: ignore[union-attr]
    assert level[5]["label::Chinese (zh)"] == default_criteria.answer_labels.na.zh
    # yes/no labels from the criteria set
    yes = next(c for c in choices if c["list_name"] == "yesno" and c["name"] == "yes")
    assert yes["label::Chinese (zh)"] == default_criteria.answer_labels.yes.zh
    # multi with an exclusive option
    assert survey["BR-02"]["type"] == "select_multiple q_BR-02"
    assert bound["BR-02"]["constraint"] == "not(selected(., 'none') and count-selected(.) > 1)"
    # numbers: decimal/integer with their range; N/A through a companion tick box
    assert bound["BR-01"]["type"] == "decimal"
    assert bound["BR-01"]["constraint"] == ". >= 0 and . <= 100"
    assert bound["BR-04"]["type"] == "int"
    assert survey["EP-01_na"]["type"] == "select_multiple na_flag"
    assert "not(selected( /data/theme-performance/EP-01_na , 'na'))" in bound["EP-01"]["relevant"]
    assert bound["EP-01_note"]["required"] == "selected( /data/theme-performance/EP-01_na , 'na')"
    # required follows the criteria; text questions are optional and have no note
    assert bound["QC-12"].get("required") is None
    assert "QC-12_note" not in bound
    # choice lists: unique (list, choice) pairs, valid names
    pairs = [(c["list_name"], c["name"]) for c in choices]
    assert len(pairs) == len(set(pairs))


def test_relevant_expressions(default_xform: str) -> None:
    bound = binds(default_xform)
    assert bound["TBT-04"]["relevant"] == "selected( /data/firm/markets , 'eu')"
    industry = "( /data/firm/industry  = 'food' or  /data/firm/industry  = 'aquatic')"
    assert bound["TR-09"]["relevant"] == f"({industry} and selected( /data/firm/markets , 'us'))"
    assert bound["TBT-05"]["relevant"] == "not(( /data/firm/industry  = 'food' or  /data/firm/industry  = 'aquatic'))"
    assert bound["BR-03"]["relevant"] == "( /data/theme-brand/BR-01  != '' and  /data/theme-brand/BR-01  > 0)"
    assert bound["QM-09"]["relevant"] == "( /data/theme-quality/QM-05  != '' and  /data/theme-quality/QM-05  >= 3)"
    assert bound["BR-03_note"]["relevant"] == bound["BR-03"]["relevant"]
    # A level question's target level is asked once the level is answered (and, where allowed, not N/A).
    assert bound["BR-03_target"]["relevant"] == f"({bound['BR-03']['relevant']} and  /data/theme-brand/BR-03  != '')"
    assert "TR-01_target" in bound and "EP-01_target" not in bound  # levels only
    assert "relevant" not in bound["BR-01"]


def extended(criteria: CriteriaSet, *questions: dict[str, Any]) -> CriteriaSet:
    """A copy of the set with extra questions at the end of its first theme."""
    data = criteria.model_dump(by_alias=True, exclude={"content_hash"})
    data["themes"][0]["questions"].extend(questions)
    return CriteriaSet.model_validate(data)


def text(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


NEW_QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "BR-90",
        "kind": "single",
        "text": text("新增单选题", "A brand-new single-choice question"),
        "help": text("新增说明", "New help"),
        "na_allowed": True,
        "options": [
            {"id": "a", "text": text("甲", "Option A"), "points": 0},
            {"id": "b", "text": text("乙", "Option B"), "points": 1},
        ],
    },
    {
        "id": "BR-91",
        "kind": "level",
        "text": text("新增等级题", "A brand-new level question"),
        "help": text("说明", "Help"),
        "required": False,
        "applies_if": {
            "any": [
                {"question": "BR-90", "in": ["b", "zzz"]},
                {"not": {"question": "BR-02", "includes": "none"}},
                {"all": [{"question": "BR-01", "at_most": 2.5}, {"question": "BR-92", "answered": False}]},
            ]
        },
        "levels": [{"level": i, "text": text(f"第{i}级", f"Level {i}")} for i in range(3)],
    },
    {
        "id": "BR-92",
        "kind": "number",
        "text": text("新增数字题", "A brand-new number"),
        "help": text("说明", "Help"),
        "unit": text("件", "items"),
        "maximum": 10,
        "na_allowed": True,
        "applies_if": {"question": "BR-91", "answered": True},
        "bands": [{"to": 5, "points": 0}, {"from": 5, "points": 1}],
    },
    {
        "id": "BR-93",
        "kind": "yesno",
        "text": text("新增是非题", "A brand-new yes/no"),
        "help": text("说明", "Help"),
        "na_allowed": True,
        "applies_if": {"not": {"question": "BR-92", "below": 0.00001}},
    },
]


def test_a_new_question_shows_up(default_criteria: CriteriaSet) -> None:
    changed = extended(default_criteria, *NEW_QUESTIONS)
    form = xlsform_bytes(changed)
    xform = to_xform(form)
    bound = binds(xform)
    assert {"BR-90", "BR-90_note", "BR-91", "BR-91_note", "BR-92", "BR-92_na", "BR-93"} <= bound.keys()
    assert "A brand-new single-choice question" in xform and "新增单选题" in xform
    assert "BR-90" not in to_xform(xlsform_bytes(default_criteria))
    rel91 = bound["BR-91"]["relevant"]
    assert "/data/theme-brand/BR-90  = 'b'" in rel91
    assert "= 'zzz'" not in rel91  # not an option: never equal
    # "not includes" needs BR-02 answered (three-valued logic), and BR-92 comes later, so it is unanswered here
    assert "( /data/theme-brand/BR-02  != '' and not(selected( /data/theme-brand/BR-02 , 'none')))" in rel91
    assert "/data/theme-brand/BR-01  <= 2.5" in rel91
    assert "BR-92" not in rel91
    # answered counts N/A of a number; the referenced question's own skip logic is part of it
    rel92 = bound["BR-92"]["relevant"]
    assert rel91 in rel92
    assert "/data/theme-brand/BR-91  != ''" in rel92
    assert "not(selected( /data/theme-brand/BR-92_na , 'na'))" in rel92
    rel93 = bound["BR-93"]["relevant"]
    assert "/data/theme-brand/BR-92  != '' or selected( /data/theme-brand/BR-92_na , 'na')" in rel93
    assert "not( /data/theme-brand/BR-92  < 0.00001)" in rel93
    assert bound["BR-92"]["constraint"] == ". <= 10"
    assert bound["BR-91"].get("required") is None
    choices = sheet_rows(form, "choices")
    assert [c["name"] for c in choices if c["list_name"] == "q_BR-90"] == ["a", "b", "na"]
    assert [c["name"] for c in choices if c["list_name"] == "yesno_na"] == ["yes", "no", "na"]


def test_every_form_field_is_read_back(default_criteria: CriteriaSet) -> None:
    changed = extended(default_criteria, *NEW_QUESTIONS)
    survey = sheet_rows(xlsform_bytes(changed), "survey")
    names = {row["name"] for row in survey if row["name"] and not str(row["type"]).endswith("group")}
    assert names == set(_fields(changed))


def test_labels_file_has_every_key_in_both_languages() -> None:
    labels = xlsform_labels()
    assert labels.keys() >= REQUIRED_LABELS
    assert all(label.zh and label.en for label in labels.values())


def test_xpath_literals() -> None:
    assert _literal("eu") == "'eu'"
    assert _literal("it's") == '"it\'s"'
    assert _literal('it\'s "x"') == "concat('it', \"'\", 's \"x\"')"
    assert _number(3.0) == "3"
    assert _number(0.00001) == "0.00001"
    assert _number(-2.5) == "-2.5"
