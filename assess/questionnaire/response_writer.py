"""A response as plain data back to a response YAML file, as a person would write it.

`assess fill` saves after every answer, so the file must be readable at any moment: the same
layout as the seeds (criteria, status, firm, answers), answers in criteria order, a bare value
unless a note or target goes with it, and nothing the safe reader refuses (no tags, no aliases).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from assess.files import check_writable, write_atomic
from assess.messages import said_error, say
from assess.validation import is_na

__all__ = [
    "FIRM_FIELDS",
    "NA_TEXT",
    "RESPONSE_SUFFIXES",
    "TOP_KEYS",
    "check_response_path",
    "response_json",
    "response_text",
    "response_yaml",
    "save_response",
]

RESPONSE_SUFFIXES = (".yaml", ".yml", ".json")  # what a response is saved as: YAML, or JSON for .json

TOP_KEYS = ("criteria", "status", "firm", "answers")
FIRM_FIELDS = ("name", "credit_code", "industry", "markets", "assessment_date", "assessor")
ENTRY_KEYS = ("value", "note", "target")
NA_TEXT = "N/A"


class _Dumper(yaml.SafeDumper):
    """Safe dumper that never writes aliases (the reader refuses them) and writes tuples as lists."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _FlowList(list[Any]):
    """A short list written on one line: `markets: [eu, us]`."""


class _FlowMap(dict[str, Any]):
    """An answer with its note written on one line: `TR-07: {value: 2, note: ...}`."""


def _represent_tuple(dumper: yaml.SafeDumper, data: tuple[Any, ...]) -> yaml.Node:
    return dumper.represent_list(list(data))


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


def _represent_flow_map(dumper: yaml.SafeDumper, data: _FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(data), flow_style=True)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    """Notes with line breaks as literal blocks, so they stay readable in the file."""
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(tuple, _represent_tuple)
_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(_FlowMap, _represent_flow_map)
_Dumper.add_representer(str, _represent_str)


def _ordered(mapping: Mapping[str, Any], first: Iterable[str]) -> dict[str, Any]:
    """The keys in `first` (those present) in that order, then the others as they came."""
    keys = [k for k in dict.fromkeys(first) if k in mapping]
    return {**{k: mapping[k] for k in keys}, **{k: v for k, v in mapping.items() if k not in keys}}


def _date(value: Any) -> Any:
    """A date (or ISO date text) as a date, so YAML writes it bare and reads it back as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


def _flat(value: Any) -> Any:
    """Lists of plain values on one line; anything nested keeps the block layout."""
    if isinstance(value, list | tuple) and all(not isinstance(v, Mapping | list | tuple) for v in value):
        return _FlowList(value)
    return value


def _value(value: Any) -> Any:
    return NA_TEXT if is_na(value) else _flat(value)


def _needs_block(value: Any) -> bool:
    """Nested data, and notes with line breaks (written as literal blocks), need the block layout."""
    if isinstance(value, str):
        return "\n" in value
    return isinstance(value, Mapping) or (isinstance(value, list) and not isinstance(value, _FlowList))


def _entry(entry: Any) -> Any:
    """A bare value when it stands alone, else {value, note, target} without the empty parts."""
    if not isinstance(entry, Mapping):
        return _value(entry)
    extras = {k: entry[k] for k in ("note", "target") if entry.get(k) is not None}
    other = {k: v for k, v in entry.items() if k not in ENTRY_KEYS}
    if not extras and not other:
        return _value(entry.get("value"))
    tidy = {"value": _value(entry.get("value")), **extras, **other}
    return tidy if any(_needs_block(v) for v in tidy.values()) else _FlowMap(tidy)


def _firm(firm: Any) -> Any:
    if not isinstance(firm, Mapping):
        return firm
    tidy = {k: v for k, v in firm.items() if v is not None}
    if "assessment_date" in tidy:
        tidy["assessment_date"] = _date(tidy["assessment_date"])
    if "markets" in tidy:
        tidy["markets"] = _flat(tidy["markets"])
    return _ordered(tidy, FIRM_FIELDS)


def _tidy(data: Mapping[str, Any], order: Iterable[str]) -> dict[str, Any]:
    tidy: dict[str, Any] = dict(data)
    if "firm" in tidy:
        tidy["firm"] = _firm(tidy["firm"])
    answers = tidy.get("answers")
    if isinstance(answers, Mapping):
        tidy["answers"] = {str(k): _entry(v) for k, v in _ordered(answers, order).items()}
    return _ordered(tidy, TOP_KEYS)


def response_yaml(data: Mapping[str, Any], *, order: Iterable[str] = ()) -> str:
    """YAML text of a response dict that `read_response` and `load_partial` read back as the same data.

    `order` lists question ids (the criteria order); answers to ids not in it follow in their own order.
    """
    text: str = yaml.dump(
        _tidy(data, order),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=120,
    )
    return text


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} cannot be written to a response file")


def response_json(data: Mapping[str, Any], *, order: Iterable[str] = ()) -> str:
    """JSON text of a response dict, laid out as `response_yaml` lays it out (dates as 2026-11-01)."""
    return json.dumps(_tidy(data, order), ensure_ascii=False, indent=2, default=_json_value) + "\n"


def check_response_path(path: Path | str) -> Path:
    """`path` when a response can be saved there (.yaml, .yml or .json, not a folder), else a user error."""
    target = Path(path)
    if target.suffix.lower() not in RESPONSE_SUFFIXES:
        raise said_error(say("cannot_save_response_as", name=str(target)), [(str(target), say("response_suffixes"))])
    check_writable(target)
    return target


def response_text(data: Mapping[str, Any], path: Path | str, *, order: Iterable[str] = ()) -> str:
    """The response as the text of the file `path`: JSON for a .json name, YAML otherwise."""
    if Path(path).suffix.lower() == ".json":
        return response_json(data, order=order)
    return response_yaml(data, order=order)


def save_response(data: Mapping[str, Any], path: Path | str, *, order: Iterable[str] = ()) -> None:
    """Write the response atomically (JSON for .json, else YAML), so an interrupted save never leaves half a file.

    A name that is no response file (.yaml, .yml, .json) is refused.
    """
    target = check_response_path(path)
    write_atomic(target, response_text(data, target, order=order).encode("utf-8"))
