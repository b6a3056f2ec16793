"""Year over year: an earlier batch's results, matched to this year's firms by credit code or name."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from assess.batch.rows import FirmRow
from assess.errors import Problem, UserError

RESULTS_FILE = "results.jsonl"


def identity(credit_code: str, name: str) -> str:
    return f"code:{credit_code}" if credit_code else f"name:{name.strip()}"


def _score(value: Any) -> float | None:
    """A score from the file: a finite number or null; anything else makes the line unreadable."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)):
        return value
    raise ValueError(f"{value!r} is not a score")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a score")  # JSON has no NaN or Infinity; Python's reader would take them


def load_previous(path: Path) -> dict[str, dict[str, float | None]]:
    """Identity -> {"overall": score, <theme id>: score} from an earlier output folder or results file."""
    file = path / RESULTS_FILE if path.is_dir() else path
    if not file.is_file():
        raise UserError("The previous results were not found", [Problem(str(path), f"no {RESULTS_FILE} here")])
    scores: dict[str, dict[str, float | None]] = {}
    with file.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record: dict[str, Any] = json.loads(line, parse_constant=_no_constant)["result"]
                firm = record["firm"]
                themes = {t["id"]: _score(t["score"]) for t in record["themes"]}
                key = identity(firm.get("credit_code") or "", firm["name"])
                scores[key] = {"overall": _score(record["overall"]), **themes}
            except (ValueError, KeyError, TypeError) as exc:
                raise UserError(
                    "The previous results cannot be read",
                    [Problem(f"{file.name}:{number}", f"not a result line ({exc})")],
                ) from None
    return scores


def change_of(row: FirmRow, previous: dict[str, dict[str, float | None]]) -> dict[str, float | None]:
    """Score changes against the earlier batch (empty when the firm was not in it)."""
    before = previous.get(identity(row.credit_code, row.firm))
    if before is None:
        return {}
    now: dict[str, float | None] = {"overall": row.overall, **row.themes}
    return {
        key: (round(value - before[key], 2) if value is not None and before.get(key) is not None else None)  # type: ignore[operator]
        for key, value in now.items()
    }
