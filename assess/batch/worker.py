"""What each worker process does: load the criteria once, then score (and render) many firms.

Workers import WeasyPrint and build their font configuration once, on their first report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter

from assess.batch.inputs import BatchItem
from assess.batch.rows import ErrorRow, FirmRow, firm_row
from assess.errors import ResponseError, UserError
from assess.memo import IdentityMemo
from assess.messages import say
from assess.models.common import Lang
from assess.models.criteria import CriteriaSet
from assess.models.result import QuestionResult, ScoreResult
from assess.readers.criteria_files import load_criteria
from assess.readers.response_file import read_response
from assess.readers.submissions import check_row
from assess.scoring.engine import score

_CRITERIA: dict[str, CriteriaSet] = {}
_RESULT_JSON = TypeAdapter(ScoreResult)  # straight to UTF-8 bytes: no str made only to be encoded again
_QUESTION_JSON = TypeAdapter(QuestionResult)
# Firms with the same answer share one QuestionResult object (see the scoring engine), so its JSON is made once.
_QUESTION_BYTES: IdentityMemo[bytes] = IdentityMemo()


@dataclass(frozen=True)
class Outcome:
    """A scored firm's summary row, or why it failed (its full result went to the chunk's part file)."""

    index: int
    key: str
    row: FirmRow | None = None
    errors: list[ErrorRow] = field(default_factory=list)


@dataclass(frozen=True)
class Chunk:
    """A run of consecutive items for one worker; their full results go to `part` as JSON lines."""

    items: list[BatchItem]
    criteria_folder: Path
    profile: str | None
    part: Path
    lang: Lang = "en"  # of the problems listed in errors.csv


def criteria_for(folder: Path) -> CriteriaSet:
    """The criteria set, loaded once per process."""
    key = str(folder)
    if key not in _CRITERIA:
        _CRITERIA[key] = load_criteria(folder)
    return _CRITERIA[key]


def share_criteria(folder: Path, criteria: CriteriaSet) -> None:
    """Hand an already loaded set to the workers: they are forked after this, so they need not load it again."""
    _CRITERIA[str(folder)] = criteria


def _errors(key: str, exc: UserError, lang: Lang) -> list[ErrorRow]:
    if not exc.problems:
        return [ErrorRow(key, "", "", exc.summary)]
    return [
        ErrorRow(key, p.location, p.question_id or "", p.message_in(lang))
        for p in exc.problems
        if p.severity == "error"
    ]


def failure_message(exc: Exception, lang: Lang = "en") -> str:
    """What errors.csv says when assess itself fails on one input (a bug): that input is listed, the rest goes on."""
    return say("input_crashed", error=f"{type(exc).__name__}: {exc}").in_lang(lang)


def score_item_result(item: BatchItem, criteria: CriteriaSet, profile: str | None, lang: Lang = "en") -> ScoreResult:
    """Validate and score one item (a file or a table row); UserError when it does not fit (rows located in `lang`)."""
    cells = item.cells
    if cells is None or item.layout is None or item.row is None:
        return score(criteria, read_response(item.path, criteria), profile)
    row = check_row(item.layout, item.row, cells, criteria, lang)
    if row.problems or row.validated is None:
        raise ResponseError(f"{item.key} does not fit criteria set {criteria.id}", row.problems)
    return score(criteria, row.validated, profile)


def result_json(result: ScoreResult) -> bytes:
    """The result as compact JSON, the same bytes pydantic writes; shared question results are serialised once.

    The question results are half of a result's JSON and most of them are shared between firms.
    """
    parts = []
    known = _QUESTION_BYTES.entries
    for question in result.questions:
        hit = known.get(id(question))
        part = hit[1] if hit is not None and hit[0] is question else None
        if part is None:
            part = _QUESTION_JSON.dump_json(question)
            if question.note is None:  # a shared result; one with a note is the firm's own
                _QUESTION_BYTES.put(question, part)
        parts.append(part)
    head = _RESULT_JSON.dump_json(result, exclude={"questions"})
    return b'%b,"questions":[%b]}' % (head[:-1], b",".join(parts))


def score_chunk(chunk: Chunk) -> list[Outcome]:
    """Score every item of a chunk: results are written to the chunk's part file, small rows come back."""
    criteria = criteria_for(chunk.criteria_folder)
    outcomes: list[Outcome] = []
    lines: list[bytes] = []
    for item in chunk.items:
        try:
            result = score_item_result(item, criteria, chunk.profile, chunk.lang)
        except UserError as exc:
            outcomes.append(Outcome(item.index, item.key, errors=_errors(item.key, exc, chunk.lang)))
            continue
        except (ValueError, TypeError) as exc:  # a malformed table row that slipped past the reader
            outcomes.append(Outcome(item.index, item.key, errors=[ErrorRow(item.key, "", "", str(exc))]))
            continue
        except Exception as exc:  # a bug in assess met on this input: one bad file never stops the batch
            crashed = ErrorRow(item.key, "", "", failure_message(exc, chunk.lang))
            outcomes.append(Outcome(item.index, item.key, errors=[crashed]))
            continue
        outcomes.append(Outcome(item.index, item.key, firm_row(item.index, item.key, result)))
        key = json.dumps(item.key, ensure_ascii=False).encode()
        lines.append(b'{"input": %b, "result": %b}\n' % (key, result_json(result)))
    chunk.part.write_bytes(b"".join(lines))
    return outcomes
