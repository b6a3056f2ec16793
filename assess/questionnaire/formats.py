"""Which blank questionnaire formats exist, and how each is generated from a criteria set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from assess.messages import said_error, say
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
# The file-name endings each format may be written to, and the format a name's ending implies
# (an .xlsx name means the Excel questionnaire: an XLSForm is .xlsx too, so it needs -f xlsform).
ACCEPTED_SUFFIXES: dict[Format, tuple[str, ...]] = {
    "xlsx": (".xlsx",),
    "yaml": (".yaml", ".yml"),
    "json-schema": (".json",),
    "xlsform": (".xlsx",),
    "html": (".html", ".htm"),
}
FORMAT_OF_SUFFIX: dict[str, Format] = {
    ".xlsx": "xlsx",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json-schema",
    ".html": "html",
    ".htm": "html",
}


def format_for(path: Path, fmt: str | None = None) -> Format:
    """The format to write `path` in: `fmt` when given (refused if the name's ending says another format),
    else the one the name's ending implies (a name with no known ending needs `fmt`)."""
    suffix = path.suffix.lower()
    if fmt is None:
        implied = FORMAT_OF_SUFFIX.get(suffix)
        if implied is None:
            raise said_error(
                say("questionnaire_format_unclear", name=path.name), [(str(path), say("questionnaire_format_give_f"))]
            )
        return implied
    chosen = next((known for known in FORMATS if known == fmt), None)
    if chosen is None:
        raise said_error(say("questionnaire_format_unknown", fmt=fmt, formats=list(FORMATS)), [])
    if suffix in FORMAT_OF_SUFFIX and suffix not in ACCEPTED_SUFFIXES[chosen]:
        why = say("questionnaire_format_suffixes", fmt=chosen, suffixes=list(ACCEPTED_SUFFIXES[chosen]))
        raise said_error(say("questionnaire_format_mismatch", fmt=chosen, name=path.name), [(str(path), why)])
    return chosen


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
