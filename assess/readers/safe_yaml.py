"""Untrusted YAML and JSON to plain data, with the line of every value.

YAML is composed with PyYAML's safe loader and then walked by hand, which lets us refuse
what a response file never needs and an attacker might use: object-building tags, aliases
(the "billion laughs" bomb), merge keys, duplicate keys and absurd nesting.  Booleans follow
YAML 1.2 (only true/false), so `no` and `NO` (Norway) stay strings.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from assess.errors import InputFileError, Problem

Path_ = tuple[str | int, ...]
LocationMap = dict[Path_, int]

MAX_DEPTH = 64
_STR_TAG = "tag:yaml.org,2002:str"
_STANDARD_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


# libyaml's C parser when PyYAML was built with it (about 10x faster); the same safe constructor either way.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Yaml12Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader whose booleans are only true/false, as in YAML 1.2."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _Walker:
    def __init__(self, source: str, loader: _Yaml12Loader) -> None:
        self.source = source
        self.loader = loader
        self.locations: LocationMap = {}
        self.seen: set[int] = set()
        self.problems: list[Problem] = []

    def walk(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        line = node.start_mark.line + 1
        self.locations[path] = line
        if depth > MAX_DEPTH:
            raise self._fail(line, f"nested more than {MAX_DEPTH} levels deep")
        if id(node) in self.seen:
            raise self._fail(line, "aliases (*name) are not allowed; write the value out")
        self.seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            raise self._fail(line, f"the tag {node.tag} is not allowed")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if node.tag == _STR_TAG:  # the common case, without the constructor's bookkeeping
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self._fail(line, f"cannot read this value ({exc})") from None

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._fail(line, "merge keys (<<) are not allowed")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(line, "a key must be a plain value")
            key = self.loader.construct_object(key_node)
            if isinstance(key, bool | float) or key is None:
                key = key_node.value
            if key in result:
                first = self.locations.get((*path, key), "?")
                raise self._fail(line, f"the key '{key}' is given twice (first on line {first})")
            self.locations[(*path, key)] = line
            result[key] = self.walk(value_node, (*path, key), depth + 1)
        return result

    def _fail(self, line: int, message: str) -> InputFileError:
        return InputFileError(f"Cannot read {self.source}", [Problem(f"{self.source}:{line}", message)])


def load_yaml(text: str, source: str) -> tuple[Any, LocationMap]:
    """One YAML document as plain data, plus the line number of every key and item."""
    loader = _Yaml12Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        reason = exc.problem or exc.context or "invalid YAML"
        raise InputFileError(f"Cannot read {source}", [Problem(where, f"invalid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise InputFileError(f"Cannot read {source}", [Problem(source, f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise InputFileError(f"Cannot read {source}", [Problem(source, "the file holds no data")])
    walker = _Walker(source, loader)
    try:
        data = walker.walk(node, ())
    except RecursionError:
        raise InputFileError(f"Cannot read {source}", [Problem(source, "nested too deeply")]) from None
    return data, walker.locations


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def load_json(text: str, source: str) -> tuple[Any, LocationMap]:
    """A JSON document as plain data; duplicate keys are errors.  No line map (paths suffice)."""
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicates), {}
    except _DuplicateKeyError as exc:
        problem = Problem(source, f"the key '{exc.key}' is given twice")
    except json.JSONDecodeError as exc:
        problem = Problem(f"{source}:{exc.lineno}", f"invalid JSON: {exc.msg}")
    except RecursionError:
        problem = Problem(source, "nested too deeply")
    raise InputFileError(f"Cannot read {source}", [problem])


def load_data(text: str, source: str) -> tuple[Any, LocationMap]:
    """YAML or JSON by file name; JSON files go through the JSON parser for exact semantics."""
    if source.lower().endswith(".json"):
        return load_json(text, source)
    return load_yaml(text, source)
