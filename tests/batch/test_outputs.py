"""The batch's tables: summary.xlsx as a spreadsheet program sees it, and the digests reruns compare."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assess.api import load_criteria
from assess.batch.inputs import BatchItem
from assess.batch.outputs import summary_header, summary_xlsx
from assess.batch.rows import FirmRow
from assess.batch.summary_words import summary_words
from assess.errors import UserError

THEMES = ["BR", "QM"]


def row(index: int, firm: str, overall: float | None = 61.5, **changes: object) -> FirmRow:
    values: dict[str, object] = {
        "index": index,
        "input": f"in/firm-{index}.yaml",
        "firm": firm,
        "credit_code": "",
        "industry": "crafts",
        "overall": overall,
        "overall_1000": None if overall is None else overall * 10,
        "band": "developing",
        "themes": {"BR": 70.0, "QM": None},
        "vetoes": (),
        "completeness": 0.9,
        "provisional": False,
        "readiness": "not_yet",
        "weak_questions": (),
        "rank": index + 1,
        "percentile": 50.0,
        **changes,
    }
    return FirmRow(**values)  # type: ignore[arg-type]


def read_sheet(data: bytes) -> Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet) and sheet.title == "summary"
    return sheet


def test_summary_workbook_has_a_styled_header_frozen_names_and_a_filter() -> None:
    rows = [row(0, "宁波甲乙工艺品有限公司"), row(1, "Beta Trading", overall=None)]
    sheet = read_sheet(summary_xlsx(rows, THEMES, with_change=True))
    header = summary_header(THEMES, with_change=True)
    assert [c.value for c in sheet[1]] == header
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("1F4E8C")
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}3"
    assert sheet.column_dimensions["B"].width >= 30


def test_numbers_stay_numbers_and_missing_values_stay_empty() -> None:
    sheet = read_sheet(summary_xlsx([row(0, "Alpha", overall=None), row(1, "Beta")], THEMES, with_change=False))
    values = {name: column for name, *column in sheet.iter_cols(values_only=True)}
    assert values["overall"] == [None, 61.5] and values["overall_1000"] == [None, 615]
    assert values["BR"] == [70, 70] and values["QM"] == [None, None]
    assert values["rank"] == [1, 2] and values["provisional"] == ["no", "no"]
    column = summary_header(THEMES, with_change=False).index("completeness") + 1
    assert values["completeness"] == [0.9, 0.9] and sheet.cell(row=2, column=column).number_format == "0%"


def test_texts_never_become_formulas_or_links() -> None:
    names = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "https://example.com/firm", "-1+2"]
    sheet = read_sheet(summary_xlsx([row(i, n) for i, n in enumerate(names)], THEMES, with_change=False))
    cells = [sheet.cell(row=i + 2, column=2) for i in range(len(names))]
    assert [c.value for c in cells] == names  # as written: no apostrophe shown
    assert all(c.data_type == "s" and c.hyperlink is None for c in cells)  # text, never a formula or a link
    assert [c.quotePrefix for c in cells] == [True, True, False, True]  # and stays text when edited in Excel


def test_same_rows_give_the_same_bytes_and_different_rows_do_not() -> None:
    rows = [row(0, "Alpha"), row(1, "Beta")]
    assert summary_xlsx(rows, THEMES, False) == summary_xlsx(list(rows), THEMES, False)
    assert summary_xlsx(rows, THEMES, False) != summary_xlsx([row(0, "Alpha"), row(1, "Gamma")], THEMES, False)


def test_a_file_is_hashed_only_when_asked_and_follows_its_content(tmp_path: Path) -> None:
    path = tmp_path / "firm.yaml"
    path.write_text("firm: one\n", encoding="utf-8")
    item = BatchItem(0, str(path), path)
    assert item.digest is None  # collecting did not read the file
    assert item.content_digest() == hashlib.sha256(b"firm: one\n").hexdigest()
    path.write_text("firm: two\n", encoding="utf-8")
    assert item.content_digest() == hashlib.sha256(b"firm: two\n").hexdigest()
    path.unlink()
    assert item.content_digest() == ""
    assert BatchItem(1, "table row 2", path, digest="abc", row=2).content_digest() == "abc"


def test_the_workbook_speaks_the_batchs_language_while_the_csv_keeps_ids(tmp_path: Path) -> None:
    criteria = load_criteria()
    themes = [t.id for t in criteria.themes]
    band = criteria.bands[0]
    industry = criteria.industries[0]
    firm = dataclasses.replace(
        row(0, "宁波甲乙工艺品有限公司"),
        band=band.id,
        industry=industry.id,
        readiness="not_ready",
        provisional=True,
        themes=dict.fromkeys(themes, 50.0),
    )
    sheet = read_sheet(summary_xlsx([firm], themes, True, summary_words(criteria, "zh")))
    header = [c.value for c in sheet[1]]
    fixed = ["输入文件", "企业名称", "统一社会信用代码", "行业", "总分（百分制）", "总分（千分制）", "成熟度等级"]
    assert header[:7] == fixed
    assert header[7] == criteria.themes[0].label.zh and f"{criteria.themes[0].label.zh}变化" in header
    cells = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert (cells["成熟度等级"], cells["行业"]) == (band.name.zh, industry.name.zh)
    assert (cells["评奖准备度"], cells["暂定结果"]) == ("尚未具备", "是")
    assert sheet.column_dimensions["E"].width >= 14  # 总分（百分制） fits

    both = read_sheet(summary_xlsx([firm], themes, False, summary_words(criteria, "bilingual")))
    assert both["E1"].value == "总分（百分制）\nOverall (0-100)" and both["E1"].alignment.wrap_text
    both_header = [c.value for c in both[1]]
    readiness = both.cell(row=2, column=both_header.index("评奖准备度\nAward readiness") + 1)
    assert readiness.value == "尚未具备 / Not ready"


def test_a_templates_folder_may_reword_the_workbook_and_a_broken_label_is_named(tmp_path: Path) -> None:
    criteria = load_criteria()
    folder = tmp_path / "xlsx" / "summary"
    folder.mkdir(parents=True)
    (folder / "labels.yaml").write_text("firm: {zh: 受评企业, en: Company}\n", encoding="utf-8")
    words = summary_words(criteria, "zh", tmp_path)
    assert (words.heading("firm"), words.heading("overall")) == ("受评企业", "总分（百分制）")
    (folder / "labels.yaml").write_text("firm: {zh: 受评企业}\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        summary_words(criteria, "en", tmp_path)
    assert "labels.yaml: firm" in str(caught.value)
