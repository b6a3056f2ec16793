"""The response JSON Schema accepts every seed and rejects what the reader rejects."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from assess.models.criteria import CriteriaSet
from assess.questionnaire.json_schema import json_schema_text, response_json_schema

SEEDS = sorted((Path(__file__).parent.parent.parent / "seeds").glob("*.yaml"))


def _iso_dates(data: Any) -> Any:
    """JSON has no dates: YAML dates become ISO strings, as in a JSON response file."""
    if isinstance(data, dt.date):
        return data.isoformat()
    if isinstance(data, dict):
        return {key: _iso_dates(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_iso_dates(value) for value in data]
    return data


def _seed(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = _iso_dates(yaml.safe_load(path.read_text(encoding="utf-8")))
    return data


@pytest.fixture(scope="module")
def validator(default_criteria: CriteriaSet) -> jsonschema.Draft202012Validator:
    schema = response_json_schema(default_criteria)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def hongyi() -> dict[str, Any]:
    return _seed(next(p for p in SEEDS if p.name == "hongyi-auto.yaml"))


def test_header(default_criteria: CriteriaSet) -> None:
    schema = response_json_schema(default_criteria)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://assess.invalid/schemas/ningbo-export-quality/1.0.0/response.json"
    assert default_criteria.title.zh in schema["title"] and default_criteria.title.en in schema["title"]
    assert set(schema["properties"]["answers"]["properties"]) == set(default_criteria.questions)
    assert "required" not in schema["properties"]["answers"]


def test_descriptions_show_both_languages(default_criteria: CriteriaSet) -> None:
    answers = response_json_schema(default_criteria)["properties"]["answers"]["properties"]
    for qid, question in default_criteria.questions.items():
        assert question.text.zh in answers[qid]["description"]
        assert question.text.en in answers[qid]["description"]


def test_text_is_sorted_json(default_criteria: CriteriaSet) -> None:
    text = json_schema_text(default_criteria)
    assert text.endswith("}\n")
    assert json.loads(text) == response_json_schema(default_criteria)
    assert default_criteria.title.zh in text  # UTF-8 characters, not \u escapes
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_seed_validates(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_seed(path))]
    assert errors == []


def test_blank_and_minimal_documents(validator: jsonschema.Draft202012Validator, hongyi: dict[str, Any]) -> None:
    minimal = {"firm": hongyi["firm"], "answers": {qid: None for qid in hongyi["answers"]}}
    assert validator.is_valid(minimal)
    assert validator.is_valid({"firm": hongyi["firm"]})
    assert validator.is_valid({**minimal, "answers": {"TR-07": {"value": "N/A", "note": "bulk goods only"}}})
    assert validator.is_valid({**minimal, "answers": {"BR-02": ["none"], "TBT-08": {"value": 2, "target": 3}}})


def _changed(document: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    where = changed
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    return changed


BAD = {
    "unknown question id": (["answers", "BR-99"], 3),
    "level 7": (["answers", "BR-03"], 7),
    "level 7 in an entry": (["answers", "BR-03"], {"value": 7}),
    "option maybe": (["answers", "QC-01"], "maybe"),
    "option maybe in a list": (["answers", "BR-02"], ["china", "maybe"]),
    "exclusive option combined": (["answers", "BR-02"], ["china", "none"]),
    "option chosen twice": (["answers", "BR-02"], ["china", "china"]),
    "N/A without na_allowed": (["answers", "BR-03"], "N/A"),
    "N/A without na_allowed in an entry": (["answers", "BR-03"], {"value": "N/A", "note": "why"}),
    "N/A without a note": (["answers", "TR-07"], "N/A"),
    "N/A with a blank note": (["answers", "TR-07"], {"value": "N/A", "note": "  "}),
    "yes/no as text": (["answers", "QC-02"], "maybe"),
    "number above the maximum": (["answers", "BR-01"], 101),
    "number as text": (["answers", "BR-01"], "many"),
    "fraction for a whole number": (["answers", "BR-04"], 2.5),
    "extra key in an answer": (["answers", "BR-03"], {"value": 2, "evidence": "x"}),
    "target on a non-level question": (["answers", "BR-01"], {"value": 3, "target": 4}),
    "target above the top level": (["answers", "BR-03"], {"value": 2, "target": 5}),
    "unknown industry": (["firm", "industry"], "spaceships"),
    "unknown market": (["firm", "markets"], ["eu", "mars"]),
    "no market": (["firm", "markets"], []),
    "extra key in firm": (["firm", "ceo"], "Zhang San"),
    "bad credit code characters": (["firm", "credit_code"], "91330212144075832I"),
    "short credit code": (["firm", "credit_code"], "9133"),
    "not a date": (["firm", "assessment_date"], "2026-13-45"),
    "empty name": (["firm", "name"], ""),
    "other criteria set": (["criteria"], "another-set"),
    "unknown status": (["status"], "done"),
    "extra top-level key": (["comment"], "x"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_documents_are_rejected(
    validator: jsonschema.Draft202012Validator, hongyi: dict[str, Any], case: str
) -> None:
    path, value = BAD[case]
    assert validator.is_valid(hongyi)
    assert not validator.is_valid(_changed(hongyi, path, value))


def test_na_spellings(validator: jsonschema.Draft202012Validator, hongyi: dict[str, Any]) -> None:
    for spelling in ("N/A", "n/a", "NA", "不适用"):
        entry = {"value": spelling, "note": "not sold to end users"}
        assert validator.is_valid(_changed(hongyi, ["answers", "TR-07"], entry)), spelling


def test_missing_firm_is_rejected(validator: jsonschema.Draft202012Validator, hongyi: dict[str, Any]) -> None:
    assert not validator.is_valid({"answers": hongyi["answers"]})
    firm = {k: v for k, v in hongyi["firm"].items() if k != "industry"}
    assert not validator.is_valid({**hongyi, "firm": firm})
