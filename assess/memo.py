"""Remembered results of pure functions of immutable objects (questions, answers, question results).

A cohort gives the same few answers to each question over and over, so scoring hundreds of firms
repeats the same small computations.  Entries are keyed by object identity and hold the object
itself, so an id cannot be reused by another object while its entry lives.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, Generic, TypeVar

V = TypeVar("V")

MAX_REMEMBERED_TEXT = 80  # longer texts (free-text answers) are unique per firm: remembering them only costs memory


_ALL: list[ObjectMemo[Any] | IdentityMemo[Any]] = []


def forget_all() -> None:
    """Empty every memo table: the next scoring works everything out afresh (tests compare the two)."""
    for memo in _ALL:
        memo.clear()


def worth_remembering(value: object) -> bool:
    """Short values recur across firms; a long free text does not."""
    return not isinstance(value, str) or len(value) <= MAX_REMEMBERED_TEXT


class ObjectMemo(Generic[V]):
    """A bounded memo table: (object, key) -> value; cleared when full, so memory stays flat.

    One small table per object: the lookup hashes an int and the key, never a nested tuple.
    """

    def __init__(self, limit: int = 50_000) -> None:
        self._limit = limit
        self._size = 0
        self._tables: dict[int, tuple[object, dict[Hashable, V]]] = {}
        _ALL.append(self)

    def clear(self) -> None:
        self._tables.clear()
        self._size = 0

    def get(self, owner: object, key: Hashable) -> V | None:
        table = self._tables.get(id(owner))
        return table[1].get(key) if table is not None and table[0] is owner else None

    @property
    def tables(self) -> Mapping[int, tuple[object, dict[Hashable, V]]]:
        """id -> (object, its key -> value table), for loops that look up many objects without a call each.

        A table counts only when its object `is` the one looked up (an id can be reused after its object dies).
        """
        return self._tables

    def put(self, owner: object, key: Hashable, value: V) -> V:
        if self._size >= self._limit:
            self.clear()
        table = self._tables.get(id(owner))
        if table is None or table[0] is not owner:
            table = self._tables[id(owner)] = (owner, {})
        if key not in table[1]:
            self._size += 1
        table[1][key] = value
        return value

    def __len__(self) -> int:
        return self._size


class IdentityMemo(Generic[V]):
    """A bounded memo table: object -> value, by identity alone (the object need not be hashable)."""

    def __init__(self, limit: int = 50_000) -> None:
        self._limit = limit
        self._entries: dict[int, tuple[object, V]] = {}
        _ALL.append(self)

    def clear(self) -> None:
        self._entries.clear()

    def get(self, owner: object) -> V | None:
        hit = self._entries.get(id(owner))
        return hit[1] if hit is not None and hit[0] is owner else None

    @property
    def entries(self) -> Mapping[int, tuple[object, V]]:
        """id -> (object, value), for loops that look up many objects without a call each.

        A hit counts only when its object `is` the one looked up (an id can be reused after its object dies).
        """
        return self._entries

    def put(self, owner: object, value: V) -> V:
        if len(self._entries) >= self._limit:
            self.clear()
        self._entries[id(owner)] = (owner, value)
        return value

    def __len__(self) -> int:
        return len(self._entries)
