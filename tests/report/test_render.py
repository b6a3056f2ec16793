"""The PDF report read back with pdftotext/pdffonts/pypdf: text, fonts, attachment, languages."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from assess.api import load_response, response_files, score
from assess.models.common import Mode
from assess.models.criteria import CriteriaSet, LevelQuestion
from assess.models.result import ScoreResult
from assess.report.context import STEPS_PER_HORIZON
from assess.report.render import RESULT_ATTACHMENT, ReportOptions, render_report, report_html
from tests.conftest import Build
from tests.report.conftest import SEEDS, pdf_fonts, pdf_text

SEED_FILES = response_files([SEEDS])


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_every_seed_renders_with_its_name_score_and_both_languages(
    criteria: CriteriaSet, path: Path, tmp_path: Path
) -> None:
    result = score(criteria, load_response(path, criteria))
    pdf = render_report(criteria, result)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert 8 <= pages <= 40
    text = pdf_text(pdf, tmp_path)
    assert result.firm.name in text
    assert f"{result.overall:.1f}" in text
    for heading in ("总体结论", "Executive summary", "改进路线图", "Improvement roadmap", "评分方法"):
        assert heading in text


def test_font_is_embedded_as_a_subset(criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path) -> None:
    fonts = pdf_fonts(render_report(criteria, strong, ReportOptions(mode="zh")), tmp_path)
    lines = [line for line in fonts.splitlines() if "Noto" in line]
    assert lines, fonts
    for line in lines:
        name, *_rest = line.split()
        assert "+" in name  # a subset tag such as ABCDEF+Noto-Sans-SC
        assert " yes yes " in line  # embedded, subset


def test_result_is_attached_as_json(criteria: CriteriaSet, strong: ScoreResult) -> None:
    reader = PdfReader(io.BytesIO(render_report(criteria, strong)))
    attached = reader.attachments
    assert list(attached) == [RESULT_ATTACHMENT]
    assert json.loads(attached[RESULT_ATTACHMENT][0]) == strong.model_dump(mode="json")


def test_metadata(criteria: CriteriaSet, strong: ScoreResult) -> None:
    reader = PdfReader(io.BytesIO(render_report(criteria, strong, ReportOptions(mode="en"))))
    assert reader.metadata is not None
    assert reader.metadata.title == f"Export quality self-assessment report — {strong.firm.name}"
    assert reader.metadata.author == "assess"
    assert reader.outline, "the PDF has bookmarks"


@pytest.mark.parametrize(
    ("mode", "present", "absent"),
    [
        ("zh", "总体结论", "Executive summary"),
        ("en", "Executive summary", "总体结论"),
    ],
)
def test_single_language_modes(
    criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path, mode: str, present: str, absent: str
) -> None:
    text = pdf_text(render_report(criteria, strong, ReportOptions(mode=mode)), tmp_path)  # type: ignore[arg-type]
    assert present in text and absent not in text


def test_veto_is_shown_prominently(criteria: CriteriaSet, vetoed: ScoreResult, tmp_path: Path) -> None:
    text = pdf_text(render_report(criteria, vetoed, ReportOptions(mode="en")), tmp_path)
    assert "Veto conditions" in text
    assert "Ruled out by a veto condition" in text
    veto = next(v for v in criteria.vetoes if v.id == "V3")
    assert veto.title.en.split(",")[0] in text
    assert f"{vetoed.overall:.1f}" in text  # the score is still shown


def test_archival_variant(criteria: CriteriaSet, strong: ScoreResult) -> None:
    reader = PdfReader(io.BytesIO(render_report(criteria, strong, ReportOptions(variant="pdf/a-3b"))))
    root: Any = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in xmp.replace(" ", "") or 'pdfaid:part="3"' in xmp
    assert RESULT_ATTACHMENT in reader.attachments


def test_a_target_beyond_the_next_step_is_shown_in_the_roadmap(criteria: CriteriaSet) -> None:
    response = load_response(SEEDS / "borun-appliances.yaml", criteria)
    plain = score(criteria, response)
    assert 'class="own-target"' not in report_html(criteria, plain, ReportOptions())
    shown = [  # the steps each horizon of the roadmap lists
        p
        for effort in ("quick", "medium", "long")
        for p in [p for p in plain.priorities if p.effort == effort and p.gain > 0][:STEPS_PER_HORIZON]
    ]
    step = next(
        p
        for p in shown
        if isinstance(question := criteria.questions[p.question_id], LevelQuestion)
        and isinstance(p.next, int)
        and p.next < question.max_points
    )
    top = int(criteria.questions[step.question_id].max_points)
    aimed = dataclasses.replace(response.answers[step.question_id], target=float(top))
    result = score(criteria, response.model_copy(update={"answers": {**response.answers, step.question_id: aimed}}))
    html = report_html(criteria, result, ReportOptions(mode="en"))
    gain = next(p for p in result.priorities if p.question_id == step.question_id).gain_to_target
    assert gain is not None
    assert re.search(rf'<div class="own-target">Firm&#39;s target: {top} [^<]+ \+{gain:.2f}</div>', html)


def test_a_band_lowered_by_a_gate_says_why(criteria: CriteriaSet) -> None:
    capped = score(criteria, load_response(SEEDS / "chuimei-cookware.yaml", criteria))
    assert capped.band_capped_by, "this seed's return rate caps its band"
    assert capped.overall is not None
    assert criteria.band_for(capped.overall).id != capped.band  # its score alone would give a higher band
    gate = next(g for g in criteria.gates if g.id == capped.band_capped_by[0])
    html = report_html(criteria, capped, ReportOptions(mode="en"))
    assert f'<p class="gate band-cap">Band capped: {gate.explanation.en}</p>' in html
    uncapped = score(criteria, load_response(SEEDS / "borun-appliances.yaml", criteria))
    assert not uncapped.band_capped_by
    assert "band-cap" not in report_html(criteria, uncapped, ReportOptions(mode="en"))


@pytest.mark.parametrize(
    ("mode", "shown", "not_shown"),
    [
        ("bilingual", ["本企业 This firm", "门槛 Floor"], []),
        ("zh", ["本企业", "门槛"], ["This firm", "Floor"]),
        ("en", ["This firm", "Floor"], ["本企业", "门槛"]),
    ],
)
def test_chart_labels_follow_the_language_mode(
    criteria: CriteriaSet, strong: ScoreResult, mode: Mode, shown: list[str], not_shown: list[str]
) -> None:
    svgs = "".join(re.findall(r"<svg.*?</svg>", report_html(criteria, strong, ReportOptions(mode=mode)), re.S))
    labels = [html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svgs)]
    for label in shown:
        assert label in labels, (label, labels)
    assert not [label for label in labels for unwanted in not_shown if unwanted in label]
    theme = criteria.themes[0].label
    assert {"zh": theme.zh, "en": theme.en}.get(mode, f"{theme.zh} {theme.en}") in " ".join(labels)


@pytest.mark.parametrize(("themes", "radar"), [(12, True), (13, False), (20, False)])
def test_a_set_of_more_themes_than_a_radar_can_show_reports_them_as_bars(
    mini: CriteriaSet, build: Build, themes: int, radar: bool
) -> None:
    """A radar takes 3 to 12 axes: a set with more themes shows the bars alone, as a set with fewer does."""
    data = mini.model_dump(by_alias=True, exclude={"content_hash"})
    alpha = data["themes"][0]
    copies = [[{**q, "id": q["id"].replace("A-", f"T{i}-")} for q in alpha["questions"]] for i in range(themes)]
    data["themes"] = [{**alpha, "id": f"t{i}", "questions": questions} for i, questions in enumerate(copies)]
    for profile in data["profiles"].values():
        profile["theme_weights"] = {f"t{i}": 1 for i in range(themes)}
    data["vetoes"], data["gates"] = [], []
    many = CriteriaSet.model_validate(data)
    answers = {f"T{i}-{q}": a for i in range(themes) for q, a in (("01", i % 5), ("02", "some"), ("03", True))}
    html = report_html(many, score(many, build(answers, criteria=many)), ReportOptions(mode="en"))
    assert ('class="chart radar"' in html) is radar
    bars = re.search(r'<figure class="chart bars">(.*?)</figure>', html, re.S)
    assert bars is not None and bars.group(1).count(f">{alpha['title']['en']}<") == themes
