"""Remembered results of pure functions of an immutable object (a question) and a small value (an answer).

A cohort gives the same few answers to each question over and over, so scoring hundreds of firms
repeats the same small computations.  Entries are keyed by the object's identity and hold the object
itself, so an id cannot be reused by another object while its entry lives.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

MAX_REMEMBERED_TEXT = 80  # longer texts (free-text answers) are unique per firm: remembering them only costs memory


def worth_remembering(value: object) -> bool:
    """Short values recur across firms; a long free text does not."""
    return not isinstance(value, str) or len(value) <= MAX_REMEMBERED_TEXT


class ObjectMemo(Generic[V]):
    """A bounded memo table: (object, key) -> value; cleared when full, so memory stays flat."""

    def __init__(self, limit: int = 50_000) -> None:
        self._limit = limit
        self._entries: dict[tuple[int, Hashable], tuple[object, V]] = {}

    def get(self, owner: object, key: Hashable) -> V | None:
        hit = self._entries.get((id(owner), key))
        return hit[1] if hit is not None and hit[0] is owner else None

    def put(self, owner: object, key: Hashable, value: V) -> V:
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[(id(owner), key)] = (owner, value)
        return value
