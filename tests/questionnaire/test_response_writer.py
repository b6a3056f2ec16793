"""Response dicts written back as YAML: the layout of the seeds, read back as the same data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from assess.api import load_response, score
from assess.models.criteria import CriteriaSet
from assess.models.response import Response
from assess.questionnaire.interactive import load_partial
from assess.questionnaire.response_writer import response_yaml, save_response
from assess.readers.safe_yaml import load_yaml
from assess.validation import validate_response
from tests.conftest import GOOD_ANSWERS, firm


def _loaded(text: str) -> Any:
    data, _ = load_yaml(text, "written.yaml")
    return data


def test_round_trip_keeps_values_types_and_order() -> None:
    markets = ["eu", "us"]
    data = {
        "answers": {
            "B-02": ("x", "z"),
            "A-01": {"value": 3, "note": "证据：记录齐全\n第二行", "target": 4},
            "A-03": "不适用",
            "A-02": {"value": "some", "note": None, "target": None},
            "A-04": "no",
            "B-01": 2.5,
            "B-04": False,
            "ZZ-99": "kept",
        },
        "firm": {**firm(), "markets": markets, "credit_code": None, "assessor": "陈立"},
        "status": "draft",
        "criteria": "mini",
    }
    text = response_yaml(data, order=["A-01", "A-02", "A-03", "A-04", "B-01", "B-02", "B-04"])
    loaded = _loaded(text)
    assert list(loaded) == ["criteria", "status", "firm", "answers"]
    assert list(loaded["answers"]) == ["A-01", "A-02", "A-03", "A-04", "B-01", "B-02", "B-04", "ZZ-99"]
    assert loaded["firm"] == {
        "name": "Example Crafts Co.",
        "industry": "crafts",
        "markets": ["eu", "us"],
        "assessment_date": dt.date(2026, 11, 1),
        "assessor": "陈立",
    }
    assert loaded["answers"] == {
        "A-01": {"value": 3, "note": "证据：记录齐全\n第二行", "target": 4},
        "A-02": "some",  # no note, no target: a bare value
        "A-03": "N/A",
        "A-04": "no",  # stays text, not a boolean
        "B-01": 2.5,
        "B-02": ["x", "z"],
        "B-04": False,
        "ZZ-99": "kept",
    }
    assert "陈立" in text and "\\u" not in text  # UTF-8 as is, not escaped
    assert "&" not in text and "*" not in text  # no anchors or aliases, which the safe reader refuses


def test_layout_reads_like_a_seed() -> None:
    data = {
        "criteria": "mini",
        "status": "final",
        "firm": {**firm(), "assessment_date": "2026-11-01"},
        "answers": {"A-01": {"value": 3, "note": "records"}, "B-02": ["x", "z"], "A-02": "some"},
    }
    assert response_yaml(data) == (
        "criteria: mini\n"
        "status: final\n"
        "firm:\n"
        "  name: Example Crafts Co.\n"
        "  industry: crafts\n"
        "  markets: [eu]\n"
        "  assessment_date: 2026-11-01\n"
        "answers:\n"
        "  A-01: {value: 3, note: records}\n"
        "  B-02: [x, z]\n"
        "  A-02: some\n"
    )


def test_texts_that_look_like_other_types_stay_text() -> None:
    answers = {"A-04": "2026-11-01", "A-02": "true", "A-01": "3", "B-01": "null", "B-02": "yes: no", "B-03": "#1"}
    loaded = _loaded(response_yaml({"answers": answers}))
    assert loaded["answers"] == answers


def test_read_response_loads_the_written_file_identically(tmp_path: Path, mini: CriteriaSet) -> None:
    answers = {**GOOD_ANSWERS, "A-03": {"value": "n/a", "note": "no certificate scheme for crafts"}}
    data = {"criteria": "mini", "status": "final", "firm": firm(), "answers": answers}
    path = tmp_path / "firm.yaml"
    save_response(data, path)
    from_file = load_response(path, mini)
    direct = validate_response(mini, Response.model_validate(data), lambda p: ".".join(map(str, p)))
    assert from_file.firm == direct.firm
    assert from_file.answers == direct.answers
    assert from_file.status == "final" and not from_file.warnings
    assert score(mini, from_file).overall == score(mini, direct).overall
    assert load_partial(path)["answers"]["A-03"] == {"value": "N/A", "note": "no certificate scheme for crafts"}


def test_save_is_atomic_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "draft.yaml"
    data = {"criteria": "mini", "status": "draft", "firm": {"name": "Example"}, "answers": {}}
    save_response(data, path)
    save_response({**data, "answers": {"A-01": 2}}, path)
    assert path.read_text(encoding="utf-8") == response_yaml({**data, "answers": {"A-01": 2}})
    assert [p.name for p in path.parent.iterdir()] == ["draft.yaml"]
