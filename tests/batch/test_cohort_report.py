"""The cohort report (cohort.pdf) of the seed firms, read back with pdftotext the way a reader's tools would."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as html_module
import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from assess.api import load_criteria, load_response, response_files, score
from assess.batch.cohort import Change, CohortStats, cohort_stats, rank_rows
from assess.batch.cohort_report import cohort_html, histogram_chart, render_cohort_pdf
from assess.batch.reports import cohort_markers
from assess.batch.rows import FirmRow, firm_row
from assess.errors import UserError
from assess.models.common import Mode
from assess.models.criteria import CriteriaSet
from assess.report.brand import Brand
from assess.report.charts import Marker
from assess.report.numbers import number_text, overall_texts
from assess.report.templating import builtin_templates, load_labels

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
WHEN = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
HOSTILE = '<img src="file:///etc/passwd">'
SHORT_EN = {
    "ready": "Ready",
    "near": "Near ready",
    "not_ready": "Not ready",
    "vetoed": "Vetoed",
    "undetermined": "Undetermined",
}
SHORT_ZH = {
    "ready": "已具备",
    "near": "接近",
    "not_ready": "尚未具备",
    "vetoed": "一票否决",
    "undetermined": "无法判断",
}


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = True) -> str:
    path = tmp_path / "cohort.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def stats_for(criteria: CriteriaSet, rows: list[FirmRow]) -> CohortStats:
    return cohort_stats(rows, [t.id for t in criteria.themes])


@pytest.fixture(scope="module")
def criteria() -> CriteriaSet:
    return load_criteria()


@pytest.fixture(scope="module")
def rows(criteria: CriteriaSet) -> list[FirmRow]:
    files = response_files([SEEDS])
    return rank_rows([firm_row(i, str(p), score(criteria, load_response(p, criteria))) for i, p in enumerate(files)])


@pytest.fixture(scope="module")
def stats(criteria: CriteriaSet, rows: list[FirmRow]) -> CohortStats:
    return stats_for(criteria, rows)


@pytest.fixture(scope="module")
def bilingual_pdf(criteria: CriteriaSet, rows: list[FirmRow], stats: CohortStats) -> bytes:
    return render_cohort_pdf(criteria, rows, stats, "bilingual", Brand(name="甬信质量咨询"), generated=WHEN)


@pytest.fixture(scope="module")
def english_pdf(criteria: CriteriaSet, rows: list[FirmRow], stats: CohortStats) -> bytes:
    return render_cohort_pdf(criteria, rows, stats, "en", Brand(), generated=WHEN)


def test_every_firm_appears_in_rank_order(bilingual_pdf: bytes, rows: list[FirmRow], tmp_path: Path) -> None:
    text = pdf_text(bilingual_pdf, tmp_path)
    league = text[text.index("League table") :]
    for row in rows:
        assert row.firm in league
    ranked = sorted(rows, key=lambda r: (r.rank, r.firm))
    positions = [league.index(r.firm) for r in ranked]
    assert positions == sorted(positions), "the league table lists firms by rank"
    top = ranked[0]
    assert re.search(rf"^\s*1\s+{re.escape(top.firm)}.*{overall_texts(top.overall_1000)[0]}", league, re.MULTILINE)


def test_cover_counts_date_and_brand(bilingual_pdf: bytes, rows: list[FirmRow], tmp_path: Path) -> None:
    cover = pdf_text(bilingual_pdf, tmp_path).split("\f")[0]
    assert f"{len(rows)} 家企业 / {len(rows)} firms" in cover
    assert "2026-11-25" in cover
    assert "甬信质量咨询" in cover
    assert "出口质量自评：对标宁波市出口质量奖评价主题" in cover


def test_readiness_and_band_counts(english_pdf: bytes, stats: CohortStats, tmp_path: Path) -> None:
    text = pdf_text(english_pdf, tmp_path)
    assert sum(stats.readiness.values()) == 14
    for verdict, label in SHORT_EN.items():
        n = stats.readiness.get(verdict, 0)
        share = f"{n / stats.count:.0%}"
        assert re.search(rf"^\s*{label}\s+{n}\s+{share}\s", text, re.MULTILINE), (verdict, n)
    for band, n in stats.bands.items():
        name = {"starting": "Starting", "developing": "Developing", "established": "Established"}.get(band)
        if name:
            assert re.search(rf"{name}\s+\d+–\d+\s+{n}\s+{n / stats.count:.0%}", text), (band, n)


def test_bilingual_headings(bilingual_pdf: bytes, tmp_path: Path) -> None:
    text = pdf_text(bilingual_pdf, tmp_path)
    for heading in ("批次概况", "Cohort overview", "企业排名", "League table", "共性差距", "Gaps most firms share"):
        assert heading in text


def test_distributions_gaps_and_vetoes(english_pdf: bytes, stats: CohortStats, tmp_path: Path) -> None:
    text = pdf_text(english_pdf, tmp_path)
    assert stats.overall is not None
    assert f"Median {number_text(stats.overall.median)}" in text  # the histogram's legend
    assert "Award threshold 70" in text
    assert "90–100" in text
    brand = stats.themes["brand"]
    assert brand is not None
    assert re.search(
        r"Own brand and intellectual property\s+"
        + r"\s+".join(number_text(v) for v in (brand.median, brand.p25, brand.p75, brand.minimum, brand.maximum))
        + rf"\s+{brand.count}",
        text,
    )
    qid, n, applicable = stats.common_gaps[0]
    assert re.search(rf"{re.escape(qid)}\s.*\s{n} / {applicable}\s+{n / applicable:.0%}", text)
    assert stats.vetoes == {"V3": 1}
    assert re.search(
        r"V3\s+Penalty for counterfeiting, forgery or infringement\s+1\s+7%\s+宁波晟曜光伏科技有限公司", text
    )


def test_chinese_mode(criteria: CriteriaSet, rows: list[FirmRow], stats: CohortStats, tmp_path: Path) -> None:
    text = pdf_text(render_cohort_pdf(criteria, rows, stats, "zh", Brand(), generated=WHEN), tmp_path)
    assert "企业排名" in text and "League table" not in text
    for verdict, label in SHORT_ZH.items():
        n = stats.readiness.get(verdict, 0)
        assert re.search(rf"^\s*{label}\s+{n}\s+{n / stats.count:.0%}\s", text, re.MULTILINE), verdict


def test_metadata_and_bookmarks(bilingual_pdf: bytes, english_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(bilingual_pdf))
    assert reader.metadata is not None
    assert reader.metadata.author == "甬信质量咨询"
    assert reader.metadata.title == "出口质量评估汇总报告 / Cohort report on export quality — 14 家企业 / 14 firms"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "企业排名 / League table" in titles
    english = PdfReader(io.BytesIO(english_pdf))
    assert english.metadata is not None and english.metadata.author == "assess"
    assert "1 / " in english.pages[1].extract_text() or "2 / " in english.pages[1].extract_text()


def test_hostile_firm_name_is_printed_as_text(criteria: CriteriaSet, rows: list[FirmRow], tmp_path: Path) -> None:
    # The vetoed firm gets the hostile name, so it is printed in the league table and the veto list.
    hostile = rank_rows([dataclasses.replace(r, firm=HOSTILE) if r.vetoes else r for r in rows])
    stats = stats_for(criteria, hostile)
    html = cohort_html(criteria, hostile, stats, "en", Brand(), generated=WHEN)
    assert HOSTILE not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    pdf = render_cohort_pdf(criteria, hostile, stats, "en", Brand(), generated=WHEN)
    flat = "".join(pdf_text(pdf, tmp_path, layout=False).split())
    assert "".join(HOSTILE.split()) in flat
    assert "root:" not in pdf_text(pdf, tmp_path)
    (tmp_path / "h.pdf").write_bytes(pdf)
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "h.pdf")], capture_output=True, text=True, check=True)
    assert len(images.stdout.strip().splitlines()) == 2, "nothing named in a firm name is fetched or embedded"


def test_empty_cohort_is_a_clear_user_error(criteria: CriteriaSet) -> None:
    empty = stats_for(criteria, [])
    with pytest.raises(UserError, match="at least one scored firm"):
        render_cohort_pdf(criteria, [], empty, "bilingual", Brand())
    with pytest.raises(UserError, match="at least one scored firm"):
        cohort_html(criteria, [], empty, "en", Brand())


def test_a_single_unscored_firm_still_renders(criteria: CriteriaSet, rows: list[FirmRow]) -> None:
    lone = [dataclasses.replace(rows[0], overall=None, overall_1000=None, band=None, themes={}, rank=0)]
    html = cohort_html(criteria, lone, stats_for(criteria, lone), "en", Brand(), generated=WHEN)
    assert "No firm in this cohort could be scored." in html
    assert rows[0].firm in html


def test_user_labels_override_the_cohort_labels(
    criteria: CriteriaSet, rows: list[FirmRow], stats: CohortStats, tmp_path: Path
) -> None:
    (tmp_path / "cohort").mkdir()
    (tmp_path / "cohort" / "labels.yaml").write_text(
        "cohort_title: {zh: 2026年度出口质量评估, en: 2026 export quality round}\n", encoding="utf-8"
    )
    (tmp_path / "labels.yaml").write_text("industry: {zh: 所属行业, en: Sector}\n", encoding="utf-8")
    html = cohort_html(criteria, rows, stats, "en", Brand(), tmp_path, WHEN)
    assert "2026 export quality round" in html
    assert "Sector" in html
    assert "League table" in html  # the built-in cohort labels are still there


def test_histogram_chart_escapes_and_checks_its_input() -> None:
    svg = histogram_chart(
        [0, 1, 3, 0, 2, 0, 0, 0, 0, 1],
        markers=[Marker('<b>"median"</b>', 42.0, "#e67e22", dashed=True)],
        title="<script>x</script>",
    )
    assert "<b>" not in svg and "<script>" not in svg
    assert "&lt;b&gt;" in svg and "&lt;script&gt;" in svg
    assert ">3</text>" in svg and "90–100" in svg and "0–9" in svg
    assert svg.count("<rect") == 2 * 4  # one bar and one label patch per non-empty bin
    with pytest.raises(ValueError):
        histogram_chart([])
    with pytest.raises(ValueError):
        histogram_chart([1, -1])
    with pytest.raises(ValueError):
        histogram_chart([1, 2], labels=["one"])
    with pytest.raises(ValueError):
        histogram_chart([1, 2], bar_colour="red")


@pytest.mark.parametrize(
    ("mode", "median", "top"),
    [("bilingual", "群体中位数 Cohort median", "群体前25% Cohort top quartile"), ("zh", "群体中位数", "群体前25%")],
)
def test_the_cohort_marks_on_a_firms_chart_are_named_in_the_reports_languages(
    criteria: CriteriaSet, stats: CohortStats, mode: Mode, median: str, top: str
) -> None:
    marks = cohort_markers(criteria, stats, load_labels([builtin_templates()]), mode)
    brand = stats.themes[criteria.themes[0].id]
    assert brand is not None
    assert [(m.label, m.value) for m in marks[0]] == [(median, brand.median), (top, brand.p75)]


def test_a_batch_with_previous_results_shows_how_the_cohort_moved(criteria: CriteriaSet, rows: list[FirmRow]) -> None:
    brand_id = criteria.themes[0].id
    moves = [2.5, -1.0, None, 0.0, 4.0] + [None] * (len(rows) - 5)  # None: not in the previous batch
    moved = [
        r if d is None else dataclasses.replace(r, change={"overall": d, brand_id: d})
        for r, d in zip(rows, moves, strict=True)
    ]
    stats = stats_for(criteria, moved)
    assert stats.changes is not None and stats_for(criteria, rows).changes is None
    assert stats.changes["overall"] == Change(compared=4, median=1.25, improved=2, declined=1)
    assert stats.changes[criteria.themes[1].id] is None  # no firm has a change there
    html = cohort_html(criteria, moved, stats, "en", Brand(), generated=WHEN)
    section = html[html.index('id="changes"') :]
    assert re.search(r"Overall score</td><td class=\"num\">4</td><td class=\"num strong\">\+1\.3</td>", section)
    assert "Change since the previous batch" in section
    assert 'id="changes"' not in cohort_html(criteria, rows, stats_for(criteria, rows), "en", Brand(), generated=WHEN)


def test_the_cohort_report_says_how_many_inputs_failed_and_how_many_firms_last_year_matched(
    criteria: CriteriaSet, rows: list[FirmRow], stats: CohortStats
) -> None:
    assert "Inputs not scored" not in cohort_html(criteria, rows, stats, "en", Brand(), generated=WHEN)
    failed = dataclasses.replace(stats, failed_inputs=3)
    html = cohort_html(criteria, rows, failed, "zh", Brand(), generated=WHEN)
    assert "未能评分的输入" in html and "3 个（不在本报告中，原因见 errors.csv）" in html
    none_found = dataclasses.replace(stats, previous_firms=12, previous_matched=0)
    html = cohort_html(criteria, rows, none_found, "en", Brand(), generated=WHEN)
    section = html_module.unescape(html[html.index('id="changes"') :])
    assert "No firm of this batch was found in the previous results (firms there: 12;" in section
    assert "<table" not in section.split("</section>")[0]  # nothing to compare: no empty table


def test_a_change_that_rounds_to_zero_has_no_sign_in_the_cohort_report(
    criteria: CriteriaSet, rows: list[FirmRow]
) -> None:
    moved = [dataclasses.replace(r, change={"overall": 0.04}) for r in rows]
    html = cohort_html(criteria, moved, stats_for(criteria, moved), "en", Brand(), generated=WHEN)
    assert re.search(r"Overall score</td><td class=\"num\">\d+</td><td class=\"num strong\">0\.0</td>", html)
