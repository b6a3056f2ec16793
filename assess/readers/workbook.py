"""Untrusted .xlsx workbooks opened safely: streamed, size-checked, every failure a message about the file.

Both readers of spreadsheets (a filled questionnaire, a table of firms) go through here.  Workbooks
are opened read-only, so a hostile file that names a cell at row 1,048,576 costs a loop over
empty rows rather than a million cells in memory; the zip's unpacked size is checked before
anything is parsed (a 65 KB file may unpack to gigabytes); and whatever openpyxl raises on a
broken file (a cut-off sheet is an XML ParseError, a bad style index an IndexError) becomes
"cannot read this workbook" rather than a traceback, when opening and while rows are read.

The unpacked size alone does not bound the work: a 400 KB file can hold a styles part of five
million tiny elements (gigabytes once parsed into a tree), ten thousand sheets can all point at
one part (read ten thousand times), and a shared-strings table of millions of entries is kept
whole.  So every part openpyxl reads goes through a guard that counts what it hands over: the
bytes and the XML elements (each `<`) of the whole workbook are on a budget, a part read whole
(and parsed into a tree) has a small budget of its own, and a document type declaration (the
door to entity expansion, "billion laughs") is refused whatever XML parser is installed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, Literal

from assess.errors import InputFileError
from assess.messages import Message, say, unreadable

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a table of 10,000 firms unpacks to some 50 MB
MAX_ENTRIES = 10_000  # files in the zip: a questionnaire has about 20
_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # an old .xls (or another Office 97 file)
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_OVERLAP = len(b"<!DOCTYPE") - 1  # bytes kept from one chunk to find a declaration split across two


@dataclass(frozen=True)
class Limits:
    """How much of a workbook is read: bytes unpacked, XML elements parsed, sizes of parts read whole."""

    unpacked: int  # bytes the zip says it unpacks to, in all
    elements: int  # XML elements ("<") openpyxl may parse, across all the parts it reads, each time it reads them
    part_bytes: int  # bytes of a part read whole and parsed into a tree (styles, the workbook, relations...)
    part_elements: int  # elements of such a part
    strings_elements: int  # elements of the shared strings, which openpyxl keeps whole, as a list


TABLE_LIMITS = Limits(
    unpacked=MAX_UNPACKED_BYTES,
    elements=24_000_000,  # some 6 million cells: 10,000 firms of 150 columns take 6 million elements
    part_bytes=16 * 1024 * 1024,
    part_elements=400_000,  # a styles part of Excel's holds a few thousand
    strings_elements=4_000_000,  # a million strings: a table of 10,000 firms with 150 columns has some 500,000
)
QUESTIONNAIRE_LIMITS = Limits(
    unpacked=40 * 1024 * 1024,  # a filled questionnaire unpacks to well under 1 MB
    elements=1_000_000,  # ours has some 4,000 (read twice: 8,000); one saved by Excel a few times that
    part_bytes=16 * 1024 * 1024,
    part_elements=400_000,
    strings_elements=400_000,  # a questionnaire saved by Excel has a few thousand
)


class _Refused(Exception):  # noqa: N818 - not an error of the caller's: a reason to stop reading, with its message
    """Reading stopped: the workbook asked for more than its limits (or for a document type declaration)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class _Budget:
    limits: Limits
    elements: int = 0
    unpacked: int = 0
    strings: int | None = None  # elements of the shared strings, while they are read

    def spend(self, data: bytes) -> None:
        elements = data.count(b"<")
        self.elements += elements
        self.unpacked += len(data)
        if self.elements > self.limits.elements:
            raise _Refused(say("xlsx_too_many_elements", limit=f"{self.limits.elements:,}"))
        if self.strings is not None:
            self.strings += elements
            if self.strings > self.limits.strings_elements:
                raise _Refused(say("xlsx_too_many_elements", limit=f"{self.limits.strings_elements:,}"))
        if self.unpacked > 2 * self.limits.unpacked:  # a part read again and again (many sheets on one part)
            raise _Refused(say("xlsx_too_much_text", limit=2 * self.limits.unpacked // 1024 // 1024))


class _GuardedPart(io.RawIOBase):
    """A part of the zip as openpyxl reads it, counted against the budget and checked for DTDs as it goes."""

    def __init__(self, inner: IO[bytes], name: str, budget: _Budget, whole: bool) -> None:
        super().__init__()
        self._inner = inner
        self._name = name
        self._budget = budget
        self._whole = whole  # read at once and parsed into a tree: the part's own, smaller limits apply
        self._tail = b""
        self._bytes = 0
        self._elements = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        self._check(data)
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(1 << 16), b""))
        data = self._inner.read(size)
        self._check(data)
        return data

    def _check(self, data: bytes) -> None:
        if not data:
            return
        if _DTD.search(self._tail + data):
            raise _Refused(say("xlsx_doctype", part=self._name))
        self._tail = data[-_DTD_OVERLAP:]
        self._budget.spend(data)
        if self._whole:
            self._bytes += len(data)
            self._elements += data.count(b"<")
            limits = self._budget.limits
            if self._bytes > limits.part_bytes or self._elements > limits.part_elements:
                limit = f"{limits.part_elements:,}"
                megabytes = limits.part_bytes // 1024 // 1024
                raise _Refused(say("xlsx_part_too_big", part=self._name, limit=limit, size=megabytes))

    def close(self) -> None:
        self._inner.close()
        super().close()


class _GuardedZip(zipfile.ZipFile):
    """The workbook's zip, every part it gives out guarded (see `_GuardedPart`)."""

    budget: _Budget

    def open(
        self, name: Any, mode: Literal["r", "w"] = "r", pwd: bytes | None = None, *, force_zip64: bool = False
    ) -> IO[bytes]:
        inner = super().open(name, mode, pwd, force_zip64=force_zip64)
        if mode != "r":
            return inner
        return _GuardedPart(inner, getattr(name, "filename", name), self.budget, whole=False)  # type: ignore[return-value]

    def read(self, name: Any, pwd: bytes | None = None) -> bytes:
        part = _GuardedPart(super().open(name, "r", pwd), getattr(name, "filename", name), self.budget, whole=True)
        with part:
            return part.read()


def _check_package(data: bytes, name: str, limits: Limits) -> None:
    if data.startswith(_OLE_SIGNATURE):
        raise unreadable(name, say("table_old_xls"))
    if not data.startswith(_ZIP_SIGNATURE):
        raise unreadable(name, say("xlsx_not_workbook"))
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise unreadable(name, say("table_bad_xlsx", error=type(exc).__name__)) from None
    if len(entries) > MAX_ENTRIES:
        raise unreadable(name, say("xlsx_too_many_parts", count=f"{len(entries):,}", limit=f"{MAX_ENTRIES:,}"))
    # The sizes the zip declares are binding: Python's zipfile stops at the declared size (and the CRC fails).
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limits.unpacked:
        megabytes = unpacked // 1024 // 1024
        raise unreadable(name, say("xlsx_too_big", size=megabytes, limit=limits.unpacked // 1024 // 1024))


def _load(data: bytes, formulas: bool, budget: _Budget) -> Any:
    """openpyxl's `load_workbook(read_only=True, keep_links=False)`, on a zip whose parts are guarded."""
    from openpyxl.reader.excel import ExcelReader

    class Reader(ExcelReader):
        def read_strings(self) -> None:
            """The shared strings, on a budget of their own: openpyxl keeps them all, as a list."""
            budget.strings = 0
            try:
                super().read_strings()
            finally:
                budget.strings = None

    reader = Reader(io.BytesIO(data), read_only=True, data_only=not formulas, keep_links=False)
    reader.archive.close()
    archive = _GuardedZip(io.BytesIO(data))
    archive.budget = budget
    reader.archive = archive
    reader.valid_files = archive.namelist()
    try:
        reader.read()
    except BaseException:
        archive.close()
        raise
    return reader.wb


@contextmanager
def reading_workbook(data: bytes, name: str, *, formulas: bool = False, limits: Limits = TABLE_LIMITS) -> Iterator[Any]:
    """The workbook, read-only; with `formulas`, formula cells hold their formula instead of their last value.

    Any failure of openpyxl inside the block, while rows are streamed, is reported as an unreadable file;
    so is a workbook that asks for more work than `limits` allow.
    """
    _check_package(data, name, limits)
    workbook = None
    try:
        workbook = _load(data, formulas, _Budget(limits))
        yield workbook
    except InputFileError:
        raise
    except _Refused as exc:
        raise unreadable(name, exc.message) from None
    except Exception as exc:  # openpyxl raises many kinds on broken files; each means the same to the user
        if isinstance(exc.__context__, _Refused):  # openpyxl re-raised it as a ValueError of its own
            raise unreadable(name, exc.__context__.message) from None
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
