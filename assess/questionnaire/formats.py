"""Which blank questionnaire formats exist, and how each is generated from a criteria set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from assess.models.common import Mode
from assess.models.criteria import CriteriaSet

Format = Literal["xlsx", "yaml", "json-schema", "xlsform", "html"]
FORMATS: tuple[Format, ...] = ("xlsx", "yaml", "json-schema", "xlsform", "html")
SUFFIXES: dict[Format, str] = {
    "xlsx": ".xlsx",
    "yaml": ".yaml",
    "json-schema": ".schema.json",
    "xlsform": ".xlsform.xlsx",
    "html": ".html",
}


def _xlsx(criteria: CriteriaSet, mode: Mode) -> bytes:
    from assess.questionnaire.xlsx_form import questionnaire_xlsx

    return questionnaire_xlsx(criteria, mode)


def _yaml(criteria: CriteriaSet, mode: Mode) -> bytes:
    from assess.questionnaire.yaml_form import yaml_questionnaire

    return yaml_questionnaire(criteria, mode).encode("utf-8")


def _json_schema(criteria: CriteriaSet, mode: Mode) -> bytes:
    from assess.questionnaire.json_schema import json_schema_text

    return json_schema_text(criteria).encode("utf-8")


def _xlsform(criteria: CriteriaSet, mode: Mode) -> bytes:
    from assess.questionnaire.xlsform import xlsform_bytes

    return xlsform_bytes(criteria, "en" if mode == "en" else "zh")


def _html(criteria: CriteriaSet, mode: Mode) -> bytes:
    from assess.questionnaire.html_form import html_form

    return html_form(criteria, mode).encode("utf-8")


GENERATORS: dict[Format, Callable[[CriteriaSet, Mode], bytes]] = {
    "xlsx": _xlsx,
    "yaml": _yaml,
    "json-schema": _json_schema,
    "xlsform": _xlsform,
    "html": _html,
}


def blank_questionnaire(criteria: CriteriaSet, fmt: Format, mode: Mode = "bilingual") -> bytes:
    """A blank questionnaire in one format, as the bytes of the file to write."""
    return GENERATORS[fmt](criteria, mode)
