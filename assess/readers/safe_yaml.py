"""Untrusted YAML and JSON to plain data, with the line of every value.

YAML is composed with PyYAML's safe loader and then walked by hand, which lets us refuse
what a response file never needs and an attacker might use: object-building tags, aliases
(the "billion laughs" bomb), merge keys, duplicate keys and absurd nesting.  Booleans follow
YAML 1.2 (only true/false), so `no` and `NO` (Norway) stay strings.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from assess.errors import InputFileError

Path_ = tuple[str | int, ...]
LocationMap = Mapping[Path_, int]

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


_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_DECIMAL_POINT_NUMBER = re.compile(r"[-+]?[0-9]+\.[0-9]*")  # 15.7, -0.5, 3. (float() reads these as YAML does)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_RESOLVED_LIMIT = 20_000  # short scalars remembered by the resolver cache
_MAX_DIGITS = 1_000  # no answer needs more; Python itself refuses to read integers of over 4,300 digits
MAX_KEY_CHARS = 200  # a key is a field name or a question id; problems quote keys, so a 10 MB one is refused


_RESOLVED: dict[str, str] = {}  # plain scalar -> its implicit tag
_SCALAR = yaml.ScalarNode
_MAPPING = yaml.MappingNode
_SEQUENCE = yaml.SequenceNode


class _Yaml12CachedLoader(_Yaml12Loader):
    """Remembers implicit tags: `3`, `yes`, `value`, question ids recur in every response file.

    Our loader has no path resolvers, so a collection's tag and a quoted scalar's tag never depend
    on the text: only plain scalars go through the patterns, and those are remembered.
    """

    # libyaml's composer tells the resolver each step down and up the tree, for path resolvers; with
    # none, those are two Python calls per node for nothing.  C builtins stand in (they bind no self).
    descend_resolver = staticmethod(operator.is_)
    ascend_resolver = staticmethod(tuple)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not _SCALAR:
            return _MAP_TAG if kind is _MAPPING else _SEQ_TAG
        if not implicit[0]:
            return _STR_TAG
        tag = _RESOLVED.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_RESOLVED) < _RESOLVED_LIMIT and len(value) <= 40:
                _RESOLVED[value] = tag
        return tag


_NOT_PLAIN = object()  # a scalar the constructor has to read (see _plain_scalar)


def _plain_scalar(tag: str, text: str) -> Any:
    """The common scalars without the constructor's bookkeeping; the same values PyYAML's safe constructor gives.

    Anything less plain (octal, underscores, exponents, .inf, sexagesimal, dates) goes to the constructor.
    """
    if tag == _STR_TAG:
        return text
    if tag == _INT_TAG:
        if text.isascii() and text.isdigit() and (len(text) == 1 or text[0] != "0") and len(text) <= _MAX_DIGITS:
            return int(text)
    elif tag == _FLOAT_TAG:
        if _DECIMAL_POINT_NUMBER.fullmatch(text):
            return float(text)
    elif tag == _BOOL_TAG:
        word = text.lower()
        if word in ("true", "false"):
            return word == "true"
    elif tag == _NULL_TAG:
        return None
    return _NOT_PLAIN


class _Builder:
    """Plain data from a composed node tree, refusing what a data file never needs."""

    def __init__(self, source: str, loader: _Yaml12Loader, may_alias: bool = True) -> None:
        self.source = source
        self.loader = loader
        self.may_alias = may_alias  # False when the text has no '*': no node can then appear twice
        self.seen: set[int] = set()

    def value(self, node: yaml.Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise self._fail(node, "yaml_too_deep", depth=MAX_DEPTH)
        if self.may_alias:
            if id(node) in self.seen:
                raise self._fail(node, "yaml_alias")
            self.seen.add(id(node))
        tag = node.tag
        kind = type(node)
        if kind is _SCALAR:
            found = _plain_scalar(tag, node.value)
            if found is not _NOT_PLAIN:
                return found
        if tag not in _STANDARD_TAGS:
            raise self._fail(node, "yaml_tag", tag=tag)
        if tag in (_INT_TAG, _FLOAT_TAG) and len(node.value) > _MAX_DIGITS:  # Python refuses such int conversions
            raise self._fail(node, "yaml_long_number", digits=f"{_MAX_DIGITS:,}")
        # Scalars inside a collection are read here, without a call per scalar: most of a file is scalars.
        inline = not self.may_alias and depth < MAX_DEPTH
        if kind is _MAPPING:
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                plain = type(key_node) is _SCALAR and key_node.tag == _STR_TAG
                key = key_node.value if plain else self.key(key_node)
                if len(key_node.value) > MAX_KEY_CHARS and type(key_node) is _SCALAR:
                    message, values = _long_key(key_node.value)
                    raise self._fail(key_node, message, **values)
                if key in result:
                    first = next(k for k, _ in node.value if self.key(k) == key)
                    line = first.start_mark.line + 1
                    raise self._fail(key_node, "yaml_key_twice", key=key, line=line)
                if inline and type(value_node) is _SCALAR:
                    if value_node.tag == _STR_TAG:
                        result[key] = value_node.value
                        continue
                    found = _plain_scalar(value_node.tag, value_node.value)
                    if found is not _NOT_PLAIN:
                        result[key] = found
                        continue
                result[key] = self.value(value_node, depth + 1)
            return result
        if kind is _SEQUENCE:
            items = []
            for child in node.value:
                found = _plain_scalar(child.tag, child.value) if inline and type(child) is _SCALAR else _NOT_PLAIN
                items.append(self.value(child, depth + 1) if found is _NOT_PLAIN else found)
            return items
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self._fail(node, "yaml_bad_value", error=exc) from None

    def key(self, node: yaml.Node) -> Any:
        if node.tag == _MERGE_TAG:
            raise self._fail(node, "yaml_merge_key")
        if type(node) is not yaml.ScalarNode:
            raise self._fail(node, "yaml_complex_key")
        if node.tag == _STR_TAG:
            return node.value
        key = self.loader.construct_object(node)
        return node.value if isinstance(key, bool | float) or key is None else key

    def _fail(self, node: yaml.Node, message: str, /, **values: Any) -> InputFileError:
        return _unreadable(self.source, message, f"{self.source}:{node.start_mark.line + 1}", **values)


class LineMap(Mapping[Path_, int]):
    """The line of every key and item, worked out only when asked: that is, when a problem is reported.

    Reading a file does not need it, so the common case (a good file) never pays for it.  It walks
    the node tree the file was read from, which it keeps until then.
    """

    def __init__(self, root: yaml.Node, builder: _Builder) -> None:
        self._root = root
        self._builder = builder
        self._lines: dict[Path_, int] | None = None

    def _map(self) -> dict[Path_, int]:
        if self._lines is None:
            self._lines = {}
            self._record(self._root, (), self._builder)
        return self._lines

    def _record(self, node: yaml.Node, path: Path_, builder: _Builder) -> None:
        assert self._lines is not None
        self._lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = builder.key(key_node)
                self._lines[(*path, key)] = key_node.start_mark.line + 1
                self._record(value_node, (*path, key), builder)
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                self._record(child, (*path, i), builder)

    def __getitem__(self, path: Path_) -> int:
        return self._map()[path]

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._map())

    def __len__(self) -> int:
        return len(self._map())


def load_yaml(text: str, source: str) -> tuple[Any, LocationMap]:
    """One YAML document as plain data, plus the line number of every key and item (computed lazily)."""
    loader = _Yaml12CachedLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        reason = exc.problem or exc.context or "invalid YAML"
        from assess.readers.yaml_hints import with_hint  # imported here, as the catalogue is (see _unreadable)

        raise with_hint(_unreadable(source, "invalid_yaml", where, reason=reason), text, exc) from None
    except yaml.YAMLError as exc:
        raise _unreadable(source, "invalid_yaml", source, reason=exc) from None
    finally:
        loader.dispose()
    if node is None:
        raise _unreadable(source, "no_data", source)
    builder = _Builder(source, loader, may_alias="*" in text)
    try:
        data = builder.value(node)
    except RecursionError:
        raise _unreadable(source, "nested_too_deeply", source) from None
    return data, LineMap(node, builder)


def _long_key(key: str) -> tuple[str, dict[str, Any]]:
    """The message refusing a key over MAX_KEY_CHARS, quoting only its start."""
    return "data_key_too_long", {"key": key[:40], "length": f"{len(key):,}", "limit": MAX_KEY_CHARS}


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        if len(key) > MAX_KEY_CHARS:
            raise _LongKeyError(key)
        result[key] = value
    return result


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _LongKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key[:40])
        self.key = key


def load_json(text: str, source: str) -> tuple[Any, LocationMap]:
    """A JSON document as plain data; duplicate keys are errors.  No line map (paths suffice)."""
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicates), {}
    except _DuplicateKeyError as exc:
        raise _unreadable(source, "json_key_twice", source, key=exc.key) from None
    except _LongKeyError as exc:
        message, values = _long_key(exc.key)
        raise _unreadable(source, message, source, **values) from None
    except json.JSONDecodeError as exc:
        raise _unreadable(source, "invalid_json", f"{source}:{exc.lineno}", reason=exc.msg) from None
    except ValueError:  # an integer of over 4,300 digits, which Python refuses to convert
        raise _unreadable(source, "yaml_long_number", source, digits="4,300") from None
    except RecursionError:
        raise _unreadable(source, "nested_too_deeply", source) from None


def _unreadable(source: str, message: str, where: str, /, **values: Any) -> InputFileError:
    """`Cannot read <source>`, and why: the message `message` of the catalogue, in both languages."""
    # Imported here: the message catalogue is itself read with this module.
    from assess.messages import say, unreadable

    return unreadable(source, say(message, **values), where)


def load_data(text: str, source: str) -> tuple[Any, LocationMap]:
    """YAML or JSON by file name; JSON files go through the JSON parser for exact semantics."""
    if source.lower().endswith(".json"):
        return load_json(text, source)
    return load_yaml(text, source)
