"""The batch's table outputs: summary.csv, summary.xlsx, errors.csv — deterministic and injection-safe.

The same inputs give byte-identical files: no timestamps in the content, fixed zip entry dates in
the workbook.  Every text cell goes through `neutralise`, since firm names come from many hands.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from assess.batch.rows import ErrorRow, FirmRow
from assess.exports.safe_cells import neutralise

_FIXED_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def summary_header(theme_ids: Sequence[str], with_change: bool) -> list[str]:
    header = [
        "input",
        "firm",
        "credit_code",
        "industry",
        "overall",
        "overall_1000",
        "band",
        *theme_ids,
        "vetoes",
        "completeness",
        "provisional",
        "award_readiness",
        "rank",
        "percentile",
    ]
    if with_change:
        header += ["change_overall", *(f"change_{t}" for t in theme_ids)]
    return [*header, "report"]


def summary_values(row: FirmRow, theme_ids: Sequence[str], with_change: bool) -> list[Any]:
    values: list[Any] = [
        row.input,
        row.firm,
        row.credit_code,
        row.industry,
        row.overall,
        row.overall_1000,
        row.band or "",
        *(row.themes.get(t) for t in theme_ids),
        " ".join(row.vetoes),
        row.completeness,
        "yes" if row.provisional else "no",
        row.readiness,
        row.rank or "",
        row.percentile if row.rank else "",
    ]
    if with_change:
        values += [row.change.get("overall"), *(row.change.get(t) for t in theme_ids)]
    return [*values, row.report or ""]


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV correctly


def summary_csv(rows: list[FirmRow], theme_ids: Sequence[str], with_change: bool) -> bytes:
    table = [summary_header(theme_ids, with_change)]
    table += [summary_values(r, theme_ids, with_change) for r in rows]
    return _csv(table)


def errors_csv(errors: list[ErrorRow]) -> bytes:
    table: list[list[Any]] = [["input", "location", "question", "problem"]]
    table += [[e.input, e.location, e.question, e.message] for e in errors]
    return _csv(table)


def _deterministic(xlsx: bytes) -> bytes:
    """Re-pack a workbook with fixed entry dates so the same content gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2000-01-01T00:00:00Z<", data)
            target.writestr(fixed, data)
    return out.getvalue()


def summary_xlsx(rows: list[FirmRow], theme_ids: Sequence[str], with_change: bool) -> bytes:
    """The summary as a workbook; written in openpyxl's write-only mode (streamed rows: faster, less memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("summary")
    header = summary_header(theme_ids, with_change)
    for letter, width in (("A", 28), ("B", 30), ("C", 20), ("D", 14)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    font, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E8C")
    sheet.append([_styled(sheet, name, font, fill) for name in header])
    for row in rows:
        sheet.append([neutralise(v) for v in summary_values(row, theme_ids, with_change)])
    workbook.properties.creator = "assess"
    workbook.properties.created = workbook.properties.modified = datetime.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _deterministic(buffer.getvalue())


def _styled(sheet: Any, value: str, font: Font, fill: PatternFill) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    cell.fill = fill
    return cell
