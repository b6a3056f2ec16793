"""Batch inputs: response files, folders of them, or tables with a row per firm -> work items.

A table is a CSV file, or an XLSX workbook that is not one of our questionnaires (those carry a
hidden `_assess` sheet).  Headers name question ids, or are renamed by a mapping file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.batch.rows import ErrorRow
from assess.errors import Problem, UserError
from assess.messages import said_error, say, unreadable
from assess.models.common import Lang
from assess.models.criteria import CriteriaSet
from assess.questionnaire.xlsx_layout import META_SHEET
from assess.readers.safe_yaml import load_data
from assess.readers.submissions import TableLayout, field_names, read_table
from assess.readers.text_file import read_text

RESPONSE_SUFFIXES = (".yaml", ".yml", ".json")
TABLE_SUFFIXES = (".csv",)
_WORKBOOK_PART_HEAD = 1024 * 1024  # bytes of xl/workbook.xml looked at for our hidden sheet


@dataclass(frozen=True)
class BatchItem:
    """One firm to score: a response file, or a row of a table (its data already read)."""

    index: int
    key: str
    path: Path
    digest: str | None = None  # a table row's; a file's is taken when needed (see `content_digest`)
    row: int | None = None
    cells_json: str | None = None  # a table row's cells, kept as JSON (compact); turned into answers in a worker
    layout: TableLayout | None = None  # a table row's table: shared by its rows

    @property
    def cells(self) -> list[Any] | None:
        return None if self.cells_json is None else list(json.loads(self.cells_json))

    def content_digest(self) -> str:
        """What this firm's input holds, as a hash: a rerun skips a report whose input did not change.

        A file is hashed only when asked (a batch with reports asks once per firm), so collecting
        thousands of files reads none of them: the scoring workers read each one once.
        """
        if self.digest is not None:
            return self.digest
        try:
            with self.path.open("rb") as handle:  # in pieces: the file may have grown since it was read
                return hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return ""  # unreadable now: never matches a recorded report, so it is rendered (and fails) again


def _cell_json(value: Any) -> str:
    """A workbook cell JSON cannot hold (a date, a time) as the text the row reader makes of it."""
    return value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_questionnaire_workbook(path: Path) -> bool:
    """An .xlsx made by `assess questionnaire` (it has the hidden meta sheet), as opposed to a table."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("xl/workbook.xml") as part:
            # At most the first MB: the part may claim gigabytes (a zip bomb), and ours lists its sheets early.
            return f'name="{META_SHEET}"'.encode() in part.read(_WORKBOOK_PART_HEAD)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        return True  # not a readable workbook: let the response reader say what is wrong


def load_mapping(path: Path, criteria: CriteriaSet) -> dict[str, str]:
    """A mapping file (YAML or JSON): {their column header: our field name or question id}, each name checked."""
    try:
        data, lines = load_data(read_text(path, path.name), path.name)
    except ValueError:  # json refuses an integer of over 4,300 digits with a bare ValueError
        raise unreadable(path.name, say("yaml_long_number", digits="4,300")) from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise said_error(say("not_a_mapping", name=path.name), [(path.name, say("mapping_not_pairs"))])
    known = field_names(criteria)
    unknown = [
        (f"{path.name}:{lines[(header,)]}" if (header,) in lines else path.name, say("not_a_field", name=name))
        for header, name in data.items()
        if name not in known
    ]
    if unknown:
        profile = sorted(f for f in known if not any(f.startswith(qid) for qid in criteria.questions))
        example = next(iter(criteria.questions))
        summary = say("mapping_unknown_fields", file=path.name, example=example, fields=", ".join(profile))
        raise said_error(summary, unknown)
    return dict(data)


def _expand(inputs: list[Path]) -> Iterator[Path]:
    for path in inputs:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if (
                    child.is_file()
                    and not child.name.startswith(".")
                    and child.suffix.lower() in (*RESPONSE_SUFFIXES, *TABLE_SUFFIXES, ".xlsx")
                ):
                    yield child
        else:
            yield path


def collect_items(
    inputs: list[Path], criteria: CriteriaSet, mapping: dict[str, str] | None = None, lang: Lang = "en"
) -> tuple[list[BatchItem], list[ErrorRow]]:
    """Every firm to score, in input order, and the inputs that could not even be opened (said in `lang`)."""
    items: list[BatchItem] = []
    errors: list[ErrorRow] = []
    for path in _expand(inputs):
        key = str(path)
        if not path.exists():
            errors.append(ErrorRow(key, "", "", say("no_such_path").in_lang(lang)))
            continue
        suffix = path.suffix.lower()
        is_table = suffix in TABLE_SUFFIXES or (suffix == ".xlsx" and not is_questionnaire_workbook(path))
        if not is_table:
            items.append(BatchItem(len(items), key, path))
            continue
        try:
            layout, rows = read_table(path, criteria, mapping)
            columns = json.dumps(layout.columns, sort_keys=True, ensure_ascii=False)
            for number, cells in rows:
                payload = json.dumps(cells, default=_cell_json, ensure_ascii=False)
                items.append(
                    BatchItem(
                        len(items),
                        f"{key} row {number}",
                        path,
                        _digest(f"{columns}\n{payload}".encode()),
                        number,
                        payload,
                        layout,
                    )
                )
        except UserError as exc:
            for problem in exc.problems or [Problem(key, exc.summary, message_zh=exc.summary_zh)]:
                errors.append(ErrorRow(key, problem.location, problem.question_id or "", problem.message_in(lang)))
    return items, errors
