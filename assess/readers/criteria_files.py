"""Load a criteria set from its folder: `set.yaml` plus the theme files it lists.

Each file is validated on its own so a problem names its file and line; then the whole set
is checked for consistency.  Any error stops the load with every problem listed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assess.criteria_check import check_criteria
from assess.errors import CriteriaError, InputFileError, Problem
from assess.messages import Message, say
from assess.models.criteria import CriteriaSet, SetHeader, Theme
from assess.readers.locations import locate, problems_from
from assess.readers.safe_yaml import LocationMap, Path_, load_yaml
from assess.readers.text_file import read_text

SET_FILE = "set.yaml"


@dataclass
class LoadedCriteria:
    """A criteria set with the problems found while loading it (warnings only, if it loaded)."""

    criteria: CriteriaSet | None
    problems: list[Problem] = field(default_factory=list)
    folder: Path | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _read(path: Path, name: str) -> tuple[Any, LocationMap]:
    return load_yaml(read_text(path, name), name)  # a parse error comes with its hint (a tab, an unquoted ": ")


def _said(location: str, message: Message) -> Problem:
    return Problem(location, str(message), message_zh=message.in_lang("zh"))


def content_hash(criteria: CriteriaSet) -> str:
    """SHA-256 of the set's content, independent of file layout, comments and formatting."""
    payload = criteria.model_dump(mode="json", by_alias=True, exclude={"content_hash"})
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def inspect_criteria(folder: Path) -> LoadedCriteria:
    """Load and check a criteria set, returning every problem rather than raising."""
    folder = folder.parent if folder.is_file() else folder
    set_path = folder / SET_FILE
    problems: list[Problem] = []
    if not set_path.exists():  # not a criteria set folder at all: say what one holds
        return LoadedCriteria(None, [_said(SET_FILE, say("criteria_no_set_file", folder=str(folder)))], folder)
    try:
        data, set_locations = _read(set_path, SET_FILE)
    except InputFileError as exc:
        return LoadedCriteria(None, exc.problems, folder)
    header: SetHeader | None = None
    try:
        header = SetHeader.model_validate(data)
    except ValidationError as exc:
        problems.extend(
            problems_from(exc, SET_FILE, set_locations, locator=_naming_items(SET_FILE, set_locations, data))
        )

    theme_refs = data.get("themes") if isinstance(data, dict) else None
    themes: list[Theme] = []
    files: dict[str, tuple[str, LocationMap]] = {}
    for i, ref in enumerate(theme_refs if isinstance(theme_refs, list) else []):
        theme_path = (folder / str(ref)).resolve()
        listed_at = locate(SET_FILE, set_locations, ["themes", i])
        if not theme_path.is_relative_to(folder.resolve()):
            problems.append(_said(listed_at, say("criteria_theme_file_outside")))
            continue
        name = str(ref)
        if not theme_path.exists():  # said where the set lists it, with the files there are
            problems.append(_said(listed_at, _no_theme_file(folder, name)))
            continue
        try:
            theme_data, theme_locations = _read(theme_path, name)
            theme = Theme.model_validate(theme_data)
        except InputFileError as exc:
            problems.extend(exc.problems)
            continue
        except ValidationError as exc:
            problems.extend(
                problems_from(exc, name, theme_locations, locator=_naming_items(name, theme_locations, theme_data))
            )
            continue
        themes.append(theme)
        files[theme.id] = (name, theme_locations)

    if header is None or any(p.severity == "error" for p in problems):
        return LoadedCriteria(None, problems, folder)

    fields = header.model_dump(by_alias=True, exclude={"themes"})
    criteria = CriteriaSet.model_validate({**fields, "themes": [t.model_dump(by_alias=True) for t in themes]})

    def locator(theme_id: str | None, path: Sequence[str | int]) -> str:
        if theme_id is None:
            return locate(SET_FILE, set_locations, path)
        name, locations = files[theme_id]
        return locate(name, locations, path)

    problems.extend(check_criteria(criteria, locator))
    if any(p.severity == "error" for p in problems):
        return LoadedCriteria(None, problems, folder)
    criteria = criteria.model_copy(update={"content_hash": content_hash(criteria)})
    return LoadedCriteria(criteria, problems, folder)


def _no_theme_file(folder: Path, name: str) -> Message:
    found = sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*.y*ml") if p.is_file() and p.name != SET_FILE
    )[:20]
    if not found:
        return say("criteria_theme_file_missing_none", file=name)
    return say("criteria_theme_file_missing", file=name, found=found)


def load_criteria(folder: Path) -> CriteriaSet:
    """The criteria set in `folder`, or a CriteriaError listing every problem."""
    loaded = inspect_criteria(folder)
    if loaded.criteria is None:
        raise CriteriaError(f"The criteria set in {folder} has problems", loaded.errors)
    return loaded.criteria


def find_criteria_sets(root: Path) -> list[Path]:
    """Folders under `root` (or root itself) that hold a `set.yaml`, in name order."""
    if (root / SET_FILE).is_file():
        return [root]
    return sorted(p.parent for p in root.glob(f"*/{SET_FILE}"))


_LISTS_OF_ITEMS = ("questions", "vetoes", "gates", "bands", "industries", "markets")


def _naming_items(name: str, locations: LocationMap, data: Any) -> Callable[[Path_], str]:
    """`file:line: path` with the item's id before the path (`... EP-02 questions[1].weight`, `... G1 gates[0]`),
    as the checker does."""

    def where(path: Path_) -> str:
        at = locate(name, locations, path)
        if len(path) < 2 or path[0] not in _LISTS_OF_ITEMS or not isinstance(path[1], int):
            return at
        items = data.get(path[0]) if isinstance(data, dict) else None
        if not isinstance(items, list):
            return at
        question = items[path[1]] if path[1] < len(items) else None
        qid = question.get("id") if isinstance(question, dict) else None
        head, sep, rest = at.partition(": ")
        return f"{head}: {qid} {rest}" if isinstance(qid, str) and sep else at

    return where
