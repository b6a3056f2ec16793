"""Year over year: an earlier batch's results, matched to this year's firms by credit code or name.

Changes mean something only between results scored with the same criteria set (id, version, content)
and weighting profile, so results scored otherwise are refused rather than compared.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assess.batch.rows import FirmRow
from assess.errors import UserError
from assess.messages import Message, said_error, say
from assess.models.criteria import CriteriaSet

RESULTS_FILE = "results.jsonl"

Scores = dict[str, float | None]  # "overall" and each theme id -> score


@dataclass(frozen=True)
class ScoredWith:
    """What a result was scored with: the criteria set (id, version, content fingerprint) and the profile."""

    criteria: str
    version: str
    content_hash: str
    profile: str

    @property
    def criteria_text(self) -> str:
        return f"{self.criteria} {self.version} ({self.content_hash[:19]}…)"


@dataclass
class PreviousResults:
    """An earlier batch's scores, found by credit code and by firm name, and what they were scored with."""

    by_code: dict[str, Scores] = field(default_factory=dict)
    by_name: dict[str, Scores] = field(default_factory=dict)
    scored_with: dict[ScoredWith, str] = field(default_factory=dict)  # -> the first line scored so

    def __len__(self) -> int:
        return len(self.by_name)


def _score(value: Any) -> float | None:
    """A score from the file: a finite number or null; anything else makes the line unreadable."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)):
        return value
    raise ValueError(f"{value!r} is not a score")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a score")  # JSON has no NaN or Infinity; Python's reader would take them


def _unreadable(where: str, why: Message) -> UserError:
    return said_error(say("previous_unreadable"), [(where, why)])


def load_previous(path: Path) -> PreviousResults:
    """The scores of an earlier output folder or results file (`results.jsonl`), line by line checked."""
    file = path / RESULTS_FILE if path.is_dir() else path
    if not file.is_file():
        raise said_error(say("previous_not_found"), [(str(path), say("no_results_here", file=RESULTS_FILE))])
    found = PreviousResults()
    with file.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{file.name}:{number}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise _unreadable(where, say("results_not_text", file=RESULTS_FILE)) from None
            if not line.strip():
                continue
            try:
                record: dict[str, Any] = json.loads(line, parse_constant=_no_constant)["result"]
                firm = record["firm"]
                scores = {
                    "overall": _score(record["overall"]),
                    **{t["id"]: _score(t["score"]) for t in record["themes"]},
                }
                ref = record.get("criteria") or {}
                used = ScoredWith(
                    str(ref.get("id", "?")),
                    str(ref.get("version", "?")),
                    str(ref.get("content_hash", "?")),
                    str(ref.get("profile", "?")),
                )
                name, code = str(firm["name"]).strip(), str(firm.get("credit_code") or "")
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise _unreadable(where, say("not_a_result_line", error=exc)) from None
            found.by_name[name] = scores
            if code:
                found.by_code[code] = scores
            found.scored_with.setdefault(used, where)
    return found


def check_comparable(previous: PreviousResults, criteria: CriteriaSet, profile: str | None) -> None:
    """Refuse earlier results scored with another criteria set, version, content or profile."""
    now = ScoredWith(criteria.id, criteria.version, criteria.content_hash, profile or criteria.default_profile)
    other = [(used, where) for used, where in previous.scored_with.items() if used != now]
    if other:
        used, where = other[0]
        why = say(
            "previous_scored_with",
            theirs=used.criteria_text,
            their_profile=used.profile,
            ours=now.criteria_text,
            our_profile=now.profile,
        )
        raise said_error(say("previous_not_comparable"), [(where, why)])


def change_of(row: FirmRow, previous: PreviousResults) -> Scores:
    """Score changes against the earlier batch (empty when the firm was not in it): by credit code, else by name."""
    before = previous.by_code.get(row.credit_code) if row.credit_code else None
    if before is None:
        before = previous.by_name.get(row.firm.strip())
    if before is None:
        return {}
    now: Scores = {"overall": row.overall, **row.themes}
    return {
        key: (round(value - before[key], 2) if value is not None and before.get(key) is not None else None)  # type: ignore[operator]
        for key, value in now.items()
    }
