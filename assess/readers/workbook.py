"""Untrusted .xlsx workbooks opened safely: streamed, size-checked, every failure a message about the file.

Both readers of spreadsheets (a filled questionnaire, a table of firms) go through here.  Workbooks
are opened read-only, so a hostile file that names a cell at row 1,048,576 costs a loop over
empty rows rather than a million cells in memory; the zip's unpacked size is checked before
anything is parsed (a 65 KB file may unpack to gigabytes); and whatever openpyxl raises on a
broken file (a cut-off sheet is an XML ParseError, a bad style index an IndexError) becomes
"cannot read this workbook" rather than a traceback, when opening and while rows are read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from assess.errors import InputFileError
from assess.messages import say, unreadable

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a filled questionnaire unpacks to well under 1 MB
_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # an old .xls (or another Office 97 file)


def _check_package(data: bytes, name: str) -> None:
    if data.startswith(_OLE_SIGNATURE):
        raise unreadable(name, say("table_old_xls"))
    if not data.startswith(_ZIP_SIGNATURE):
        raise unreadable(name, say("xlsx_not_workbook"))
    try:
        unpacked = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise unreadable(name, say("table_bad_xlsx", error=type(exc).__name__)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        megabytes = unpacked // 1024 // 1024
        raise unreadable(name, say("xlsx_too_big", size=megabytes, limit=MAX_UNPACKED_BYTES // 1024 // 1024))


@contextmanager
def reading_workbook(data: bytes, name: str, *, formulas: bool = False) -> Iterator[Any]:
    """The workbook, read-only; with `formulas`, formula cells hold their formula instead of their last value.

    Any failure of openpyxl inside the block, while rows are streamed, is reported as an unreadable file.
    """
    # Imported here: openpyxl takes ~60 ms to import, and a batch of YAML files never needs it.
    from openpyxl import load_workbook

    _check_package(data, name)
    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
        yield workbook
    except InputFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on broken files; each means the same to the user
        raise unreadable(name, say("table_bad_xlsx", error=type(exc).__name__)) from None
    finally:
        if workbook is not None:
            workbook.close()


def shown_number(value: Any, number_format: str | None) -> Any:
    """A number as the sheet shows it: a cell formatted as a percentage holds 0.02 and shows 2%."""
    if isinstance(value, int | float) and not isinstance(value, bool) and number_format and _scales(number_format):
        return float(Decimal(repr(value)) * 100)
    return value


def _scales(number_format: str) -> bool:
    """True for a percentage format: a bare % scales by 100; a quoted "%" or an escaped \\% is only a sign."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)
