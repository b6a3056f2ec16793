"""Hostile input files are refused quickly, with bounded memory and a message naming the file and the limit.

Each test here failed (or hung, or took gigabytes) before the limit it checks was put in.
"""

from __future__ import annotations

import io
import json
import os
import threading
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from assess.batch.inputs import BatchItem, is_questionnaire_workbook, load_mapping
from assess.errors import InputFileError, UserError
from assess.files import write_atomic
from assess.models.criteria import CriteriaSet
from assess.readers import response_file, submissions
from assess.readers.response_file import read_response
from assess.readers.submissions import read_table
from assess.readers.text_file import read_text
from assess.readers.workbook import QUESTIONNAIRE_LIMITS, reading_workbook
from assess.readers.xlsx_response import MAX_FILLED_ROWS, read_xlsx_response
from tests.conftest import FIXTURES

MINI_RESPONSE = FIXTURES / "responses" / "mini_good.yaml"
HEADER = ["firm_name", "credit_code", "industry", "markets", "assessment_date", "A-01", "A-02", "A-03"]
HEADER += ["B-01", "B-02", "B-03", "B-04"]
ROW = ["Example Crafts Co.", "", "crafts", "eu", "2026-11-01", "3", "some", "yes", "2", "x z", "2", "no"]


def peak_mb(action: Callable[[], Any]) -> tuple[float, Any]:
    """Peak memory (MB) that Python allocated while `action` ran, and what it returned or raised."""
    tracemalloc.start()
    try:
        outcome: Any = action()
    except Exception as exc:
        outcome = exc
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return peak, outcome


# --- workbooks ---------------------------------------------------------------------------------


def workbook_bytes(rows: int = 3) -> bytes:
    workbook = Workbook()
    for number in range(1, rows + 1):
        workbook.worksheets[0].cell(row=number, column=2, value=f"row {number}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replaced(data: bytes, parts: dict[str, bytes | Callable[[Any], None]], add: bool = False) -> bytes:
    """The workbook `data` with `parts` replaced (bytes, or a function writing the part in pieces)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names + ([n for n in parts if n not in names] if add else []):
            part = parts.get(name)
            if part is None:
                target.writestr(name, source.read(name))
            elif callable(part):
                with target.open(name, "w", force_zip64=True) as handle:
                    part(handle)
            else:
                target.writestr(name, part)
    return out.getvalue()


def read_all(data: bytes, **options: Any) -> None:
    with reading_workbook(data, "hostile.xlsx", **options) as workbook:
        for sheet in workbook.worksheets:
            for _ in sheet.iter_rows():
                pass


def test_a_styles_part_of_half_a_million_elements_is_refused_before_it_is_parsed() -> None:
    """A 400 KB file whose styles part unpacks to 145 MB of `<xf/>` took 3.9 GB and minutes to open."""
    data = workbook_bytes()
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    head, tail = styles.split("<cellXfs", 1)
    bomb = (head + '<cellXfs count="1">' + "<xf/>" * 500_000 + "</cellXfs>" + tail.split("</cellXfs>", 1)[1]).encode()
    peak, outcome = peak_mb(lambda: read_all(replaced(data, {"xl/styles.xml": bomb})))
    assert isinstance(outcome, InputFileError)
    assert "xl/styles.xml" in str(outcome) and "400,000 XML elements" in str(outcome)
    assert peak < 60


@pytest.mark.parametrize("declaration", ['<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "<!ENTITY a 'b'>"])
def test_a_document_type_declaration_is_refused_whatever_parser_is_installed(declaration: str) -> None:
    data = workbook_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    hostile = sheet.replace("?>", "?>" + declaration, 1) if "?>" in sheet else declaration + sheet
    with pytest.raises(InputFileError, match=r"xl/worksheets/sheet1\.xml has a document type declaration"):
        read_all(replaced(data, {"xl/worksheets/sheet1.xml": hostile.encode()}))


def test_shared_strings_are_held_to_their_own_limit() -> None:
    """openpyxl keeps every shared string in a list: 6 million of them took a GB and two minutes."""
    data = workbook_bytes()
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"".join(b"<si><t>%d</t></si>" % i for i in range(120_000))
        + b"</sst>"
    )
    types = (
        zipfile.ZipFile(io.BytesIO(data))
        .read("[Content_Types].xml")
        .replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sharedStrings+xml"/></Types>',
        )
    )
    hostile = replaced(data, {"[Content_Types].xml": types, "xl/sharedStrings.xml": strings}, add=True)
    with pytest.raises(InputFileError, match=r"more than 400,000 XML elements"):
        read_all(hostile, limits=QUESTIONNAIRE_LIMITS)
    read_all(hostile)  # a table may have more


def test_many_sheets_on_one_part_are_counted_each_time_it_is_read() -> None:
    """Sheets are read through their part: 2,000 sheets naming one part read it 2,000 times."""
    data = workbook_bytes(rows=200)
    archive = zipfile.ZipFile(io.BytesIO(data))
    book = archive.read("xl/workbook.xml").decode()
    start, end = book.index("<sheet "), book.index("</sheets>")
    sheet = book[start : book.index("/>", start) + 2]
    copies = "".join(
        sheet.replace('name="Sheet"', f'name="S{n}"').replace('sheetId="1"', f'sheetId="{n}"') for n in range(1, 2001)
    )
    hostile = replaced(data, {"xl/workbook.xml": (book[:start] + copies + book[end:]).encode()})
    with pytest.raises(InputFileError, match=r"more than 1,000,000 XML elements"):
        read_all(hostile, limits=QUESTIONNAIRE_LIMITS)


def test_a_questionnaire_with_too_many_filled_rows_is_refused(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    """Each filled row without a question code was a warning: a million of them never finished printing."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Answers")
    for number in range(MAX_FILLED_ROWS + 1):
        sheet.append([None, f"text {number}", None, 1])
    path = tmp_path / "rows.xlsx"
    workbook.save(path)
    with pytest.raises(InputFileError, match=r"more than 10,000 rows \(reading sheet “Answers”\)"):
        read_xlsx_response(path, default_criteria)


def test_a_questionnaire_is_held_to_smaller_limits_than_a_table(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    """A 230 KB questionnaire that unpacks to 190 MB took 250 MB to read; a questionnaire is under 1 MB."""

    def padding(handle: Any) -> None:
        for _ in range(45):
            handle.write(b" " * (1 << 20))

    data = workbook_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")

    def padded(handle: Any) -> None:
        head, tail = sheet.split(b"<sheetData>", 1)
        handle.write(head + b"<sheetData>")
        padding(handle)
        handle.write(tail)

    path = tmp_path / "padded.xlsx"
    path.write_bytes(replaced(data, {"xl/worksheets/sheet1.xml": padded}))
    with pytest.raises(InputFileError, match=r"unpacks to 45 MB; the limit is 40 MB"):
        read_xlsx_response(path, default_criteria)


def test_telling_a_questionnaire_from_a_table_does_not_unpack_a_bomb(tmp_path: Path) -> None:
    """`is_questionnaire_workbook` read all of xl/workbook.xml: 3 GB of it for a 3 MB file."""

    def bomb(handle: Any) -> None:
        handle.write(b"<workbook>")
        for _ in range(100):
            handle.write(b" " * (1 << 20))
        handle.write(b"</workbook>")

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(replaced(workbook_bytes(), {"xl/workbook.xml": bomb}))
    peak, outcome = peak_mb(lambda: is_questionnaire_workbook(path))
    assert outcome is False
    assert peak < 20


# --- tables ------------------------------------------------------------------------------------


def csv_file(tmp_path: Path, lines: list[str], extra: bytes = b"") -> Path:
    path = tmp_path / "firms.csv"
    path.write_bytes("\n".join(lines).encode() + b"\n" + extra)
    return path


def test_a_nul_anywhere_in_a_csv_is_refused(mini: CriteriaSet, tmp_path: Path) -> None:
    """Only the first 8 KB were looked at: a NUL further on went into a firm's name."""
    path = csv_file(tmp_path, [",".join(HEADER), ",".join(ROW)], b"x" * 9000 + b",\x00\n")
    with pytest.raises(InputFileError, match="binary file"):
        read_table(path, mini)


def test_blank_rows_are_not_kept_and_a_table_has_a_row_limit(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 1 MB CSV of empty lines became a million lists (19 MB of them took 3.3 GB)."""
    path = csv_file(tmp_path, [",".join(HEADER), ",".join(ROW)], b"\n" * 300_000)
    peak, outcome = peak_mb(lambda: list(read_table(path, mini)[1]))
    assert not isinstance(outcome, Exception) and len(outcome) == 1
    assert peak < 15
    monkeypatch.setattr(submissions, "MAX_TABLE_RECORDS", 10_000)  # a million blank lines take seconds
    path = csv_file(tmp_path, [",".join(HEADER)], b"\n" * 10_001)
    with pytest.raises(InputFileError, match=r"more than 10,000 rows"):
        read_table(path, mini)


def test_too_many_firm_rows_are_refused_before_any_is_checked(mini: CriteriaSet, tmp_path: Path) -> None:
    """1.5 million rows of `x,,,,` took over two minutes and 1.4 GB in `assess batch`."""
    path = csv_file(tmp_path, [",".join(HEADER)], b"x,,,,,,,,,,,\n" * (submissions.MAX_TABLE_ROWS + 1))
    with pytest.raises(InputFileError, match=r"more than 50,000 rows"):
        read_table(path, mini)


def test_cells_past_the_forms_last_column_are_not_kept(mini: CriteriaSet, tmp_path: Path) -> None:
    path = csv_file(tmp_path, [",".join([*HEADER, "_id"]), ",".join(ROW) + "," * 1_000_000])
    [(_, cells)] = list(read_table(path, mini)[1])
    assert len(cells) == len(HEADER)


def test_a_form_column_far_to_the_right_limits_the_rows(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row is as wide as the form's last column: B-04 in column 16,384 made 16,384 cells a row."""
    monkeypatch.setattr(submissions, "MAX_TABLE_CELLS", 2_000_000)  # 20 million takes seconds
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("firms")
    sheet.append(HEADER[:-1] + [None] * 16_372 + ["B-04"])
    for _ in range(130):
        sheet.append(ROW[:-1] + [None] * 16_372 + ["no"])
    path = tmp_path / "wide.xlsx"
    workbook.save(path)
    with pytest.raises(InputFileError, match=r"more than 122 rows"):
        read_table(path, mini)


def test_a_bom_in_the_middle_of_a_csv_is_not_part_of_a_cell(mini: CriteriaSet, tmp_path: Path) -> None:
    path = csv_file(tmp_path, [",".join(HEADER), "\ufeff" + ",".join(ROW)])
    [(_, cells)] = list(read_table(path, mini)[1])
    row = submissions.check_row(read_table(path, mini)[0], 2, cells, mini)
    assert row.data["firm"]["name"] == "Example Crafts Co."


def test_a_digest_of_a_response_file_is_the_hash_of_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 200_000)
    import hashlib

    assert BatchItem(0, "a", path).content_digest() == hashlib.sha256(b"x" * 200_000).hexdigest()


# --- response files ----------------------------------------------------------------------------


def good_data() -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load(MINI_RESPONSE.read_text(encoding="utf-8"))
    data["firm"]["assessment_date"] = str(data["firm"]["assessment_date"])
    return data


def test_a_json_integer_of_5000_digits_is_a_message_not_a_traceback(mini: CriteriaSet, tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps(good_data()).replace('"B-01": 2', '"B-01": ' + "9" * 5000), encoding="utf-8")
    with pytest.raises(InputFileError, match="more than 4,300 digits"):
        read_response(path, mini)


def test_a_mapping_with_a_huge_integer_is_a_message(mini: CriteriaSet, tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    path.write_text('{"a": ' + "9" * 5000 + "}", encoding="utf-8")
    with pytest.raises(InputFileError, match="more than 4,300 digits"):
        load_mapping(path, mini)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_file_of_millions_of_values_is_refused_before_it_is_parsed(
    mini: CriteriaSet, tmp_path: Path, suffix: str
) -> None:
    """A 15 MB list `[eu,eu,eu...]` took 2.9 GB and 32 seconds to refuse (as a duplicate option)."""
    path = tmp_path / f"many{suffix}"
    text = MINI_RESPONSE.read_text(encoding="utf-8").replace("B-02: [x, z]", "B-02: [" + "x," * 1_000_000 + "z]")
    if suffix == ".json":
        data = good_data()
        data["answers"]["B-02"] = ["x"] * 1_000_000
        text = json.dumps(data)
    path.write_text(text, encoding="utf-8")
    peak, outcome = peak_mb(lambda: read_response(path, mini))
    assert isinstance(outcome, InputFileError)
    assert "more than 100,000 values" in str(outcome)
    assert peak < 100


def test_a_huge_key_is_refused_and_not_quoted_whole(mini: CriteriaSet, tmp_path: Path) -> None:
    """A 10 MB key was printed in full in the problem list."""
    data = good_data()
    data["answers"]["K" * 1_000_000] = 1
    path = tmp_path / "key.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_response(path, mini)
    assert "has 1,000,000 characters; a key has at most 200" in str(caught.value)
    assert len(str(caught.value)) < 500


def test_far_more_answers_than_questions_are_refused(mini: CriteriaSet, tmp_path: Path) -> None:
    """Each unknown question id is a problem: a million of them took minutes to list."""
    data = good_data()
    data["answers"] |= {f"X-{n}": 1 for n in range(response_file.MIN_ANSWERS_LIMIT + 1)}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UserError, match=r"answers holds 1,009 entries; the limit is 1,000"):
        read_response(path, mini)


def test_a_response_with_long_notes_is_still_read(mini: CriteriaSet, tmp_path: Path) -> None:
    """The value count looks only at files longer than its limit, and counts values, not characters."""
    data = good_data()
    data["answers"]["A-01"]["note"] = "说明，" * 1500
    data["answers"]["A-04"] = "文字" * 2000
    path = tmp_path / "long.yaml"
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True) + ("# " + "x" * 1000 + "\n") * 200, encoding="utf-8")
    assert read_response(path, mini).answers["A-02"].value == "some"


# --- files -------------------------------------------------------------------------------------


def test_a_fifo_without_a_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    thread = threading.Thread(target=lambda: _catch(lambda: read_text(fifo), outcome), daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), "reading a FIFO with no writer hung"
    assert outcome and "empty" in str(outcome[0])


def _catch(action: Callable[[], Any], into: list[BaseException]) -> None:
    try:
        action()
    except BaseException as exc:
        into.append(exc)


def test_an_output_name_of_250_characters_can_be_written(tmp_path: Path) -> None:
    """The temp file beside it was named after it, 14 characters longer: too long for the file system."""
    target = tmp_path / ("r" * 246 + ".pdf")
    write_atomic(target, b"%PDF")
    assert target.read_bytes() == b"%PDF"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_huge_yaml_key_is_refused_at_its_line(mini: CriteriaSet, tmp_path: Path) -> None:
    """The YAML loader refuses the key where it stands, quoting only its start (JSON: see the test above)."""
    path = tmp_path / "key.yaml"
    text = MINI_RESPONSE.read_text(encoding="utf-8").replace(
        "B-02: [x, z]", "B-02: [x, z]\n  " + "K" * 500 + ": 1"
    )  # libyaml itself refuses implicit keys over 1,024
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_response(path, mini)
    assert "has 500 characters; a key has at most 200" in str(caught.value)
    assert f"{path.name}:" in caught.value.problems[0].location and len(str(caught.value)) < 500
