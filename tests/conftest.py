"""Shared fixtures: the mini criteria set (scores worked out by hand) and response builders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from assess.api import load_criteria
from assess.models.answers import ValidatedResponse
from assess.models.criteria import CriteriaSet
from assess.models.response import Response
from assess.validation import validate_response

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
REPO = Path(__file__).parent.parent

GOOD_ANSWERS: dict[str, Any] = {
    "A-01": 3,
    "A-02": "some",
    "A-03": "yes",
    "B-01": 2,
    "B-02": ["x", "z"],
    "B-03": 2,
    "B-04": False,
}


@pytest.fixture(scope="session")
def mini() -> CriteriaSet:
    return load_criteria(MINI)


@pytest.fixture(scope="session")
def default_criteria() -> CriteriaSet:
    return load_criteria()


def firm(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "Example Crafts Co.",
        "industry": "crafts",
        "markets": ["eu"],
        "assessment_date": dt.date(2026, 11, 1),
    }
    return {**base, **overrides}


Build = Callable[..., ValidatedResponse]


@pytest.fixture
def build(mini: CriteriaSet) -> Build:
    """Validate answers against the mini set: build(answers, status=..., **firm_overrides)."""

    def _build(
        answers: dict[str, Any], status: str = "final", criteria: CriteriaSet | None = None, **firm_overrides: Any
    ) -> ValidatedResponse:
        response = Response.model_validate({"status": status, "firm": firm(**firm_overrides), "answers": answers})
        return validate_response(criteria or mini, response, lambda path: ".".join(map(str, path)))

    return _build


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
