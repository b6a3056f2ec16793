"""docs/result-format.md lists every key the real result JSON has, object by object.

The seeds are scored under every profile and the JSON walked: each object kind (`result`, `criteria`,
`readiness.reasons[]`, `themes[]`, ...) must have a section in the doc headed by its name in backticks,
with a table row for each of its keys.  A key added to the results without a line in the doc fails here.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from assess.api import DEFAULT_SET, criteria_root, load_criteria, result_json, score_file, seeds_dir
from assess.batch.inputs import BatchItem
from assess.batch.worker import Chunk, score_chunk
from assess.models.criteria import CriteriaSet

DOC = Path(__file__).parent.parent / "docs" / "result-format.md"
ROOT = "result"  # the section of the top-level object
LINE = "results.jsonl"  # the section of a batch line

_HEADING = re.compile(r"^#{1,6}\s")
_SECTION = re.compile(r"^#{1,6}\s+`([^`]+)`")  # a heading starting with an object's name in backticks
_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|")  # a table row starting with a key in backticks


def documented_keys() -> dict[str, set[str]]:
    """Object name -> the keys in the first column of the tables of its section(s) in the doc."""
    keys: dict[str, set[str]] = defaultdict(set)
    section: str | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if _HEADING.match(line):
            found = _SECTION.match(line)
            section = found.group(1) if found else None
        elif section is not None and (row := _ROW.match(line)):
            keys[section].add(row.group(1))
    return keys


def collect_keys(value: Any, kind: str, into: dict[str, set[str]]) -> None:
    """Every key of every object in `value` under its object kind (`themes[]`, `readiness.reasons[]`, ...)."""
    if isinstance(value, dict):
        into[kind].update(value)
        for key, child in value.items():
            name = key if kind == ROOT else f"{kind}.{key}"
            collect_keys(child, name, into)
    elif isinstance(value, list):
        for item in value:
            collect_keys(item, kind if kind.endswith("[]") else f"{kind}[]", into)


@pytest.fixture(scope="module")
def criteria() -> CriteriaSet:
    return load_criteria()


@pytest.fixture(scope="module")
def seeds() -> list[Path]:
    files = sorted(seeds_dir().glob("*.yaml"))
    assert files, "no seed responses found"
    return files


def missing_from_doc(real: dict[str, set[str]]) -> list[str]:
    documented = documented_keys()
    return [f"{kind}: {key}" for kind in sorted(real) for key in sorted(real[kind] - documented.get(kind, set()))]


def test_every_key_of_the_score_json_is_documented(criteria: CriteriaSet, seeds: list[Path]) -> None:
    real: dict[str, set[str]] = defaultdict(set)
    for profile in criteria.profiles:
        results = [score_file(path, criteria, profile) for path in seeds]
        for result in json.loads(result_json(results)):
            collect_keys(result, ROOT, real)
    assert {"themes[]", "priorities[]", "questions[]", "readiness.reasons[]"} <= set(real)  # the walk works
    assert missing_from_doc(real) == []


def test_every_key_of_a_batch_line_is_documented(criteria: CriteriaSet, seeds: list[Path], tmp_path: Path) -> None:
    part = tmp_path / "results.part"
    items = [BatchItem(index, str(path), path) for index, path in enumerate(seeds[:2])]
    outcomes = score_chunk(Chunk(items, criteria_root() / DEFAULT_SET, None, part))
    assert all(outcome.row is not None for outcome in outcomes)
    lines = [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(items)
    real: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        real[LINE].update(line)
        collect_keys(line["result"], ROOT, real)
    assert missing_from_doc(real) == []
    # A line's result is the object `assess score --format json` writes for that firm.
    expected = json.loads(result_json([score_file(path, criteria) for path in seeds[:2]]))
    assert [line["result"] for line in lines] == expected
