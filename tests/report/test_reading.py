"""The report as a reader sees it: one number for one score, marks for drafts and vetoes, pages that hold."""

from __future__ import annotations

import dataclasses
import html as html_module
import re
from pathlib import Path

import pytest

from assess.api import load_response, score
from assess.models.criteria import CriteriaSet
from assess.models.result import Readiness, Reason, ScoreResult
from assess.report.context import STEPS_PER_HORIZON
from assess.report.render import ReportOptions, render_report, report_context, report_html
from assess.report.templating import TemplateError
from assess.report.wording import answer_text
from tests.report.conftest import SEEDS, pdf_text


def body(html: str) -> str:
    return html[html.index("<body") :]


def below_award(result: ScoreResult, overall: float, overall_1000: float) -> ScoreResult:
    """`result` with another overall score, below the award threshold of 70."""
    reason = Reason(code="overall_below", value=overall, threshold=70)
    return result.model_copy(
        update={
            "overall": overall,
            "overall_1000": overall_1000,
            "readiness": Readiness(verdict="not_ready", reasons=[reason]),
        }
    )


@pytest.mark.parametrize(
    ("overall", "overall_1000", "shown", "shown_1000"), [(65.75, 657.47, "65.7", "657"), (69.97, 699.74, "69.9", "699")]
)
def test_the_overall_reads_the_same_on_cover_cards_and_readiness(
    criteria: CriteriaSet, strong: ScoreResult, overall: float, overall_1000: float, shown: str, shown_1000: str
) -> None:
    """The result holds 65.75 and 657.47 (both rounded from 65.747): 65.7 everywhere, as 657 says; 69.97 is below
    70, so never '70.0'."""
    html = body(report_html(criteria, below_award(strong, overall, overall_1000), ReportOptions(mode="en")))
    assert f'<div class="score-big">{shown}<span class="unit">' in html
    assert f'<div class="card-value">{shown}</div>' in html and f'<div class="card-value">{shown_1000}</div>' in html
    assert f"<li>Overall score {shown} is below the award threshold 70</li>" in html
    assert "70.0" not in html and ">700<" not in html


def test_a_theme_just_under_its_floor_never_reads_as_meeting_it(criteria: CriteriaSet, strong: ScoreResult) -> None:
    first = strong.themes[0]
    under = dataclasses.replace(first, score=59.96, raw_score=59.96, floor=60, meets_floor=False)
    reason = Reason(code="theme_below_floor", subject=first.id, value=59.96, threshold=60)
    result = strong.model_copy(
        update={"themes": [under, *strong.themes[1:]], "readiness": Readiness(verdict="near", reasons=[reason])}
    )
    context = report_context(criteria, result, ReportOptions(mode="en"))
    assert context.themes[0].score == "59.9"
    assert context.reasons[0].en.endswith("scores 59.9, below its floor of 60")
    assert re.findall(r">(\d+)</text>", str(context.bars_svg))[5] == "59"


def test_the_roadmap_says_how_many_more_steps_there_are_and_where(criteria: CriteriaSet) -> None:
    result = score(criteria, load_response(SEEDS / "mingcan-led.yaml", criteria))
    counts = {
        e: len([p for p in result.priorities if p.effort == e and p.gain > 0]) for e in ("quick", "medium", "long")
    }
    assert max(counts.values()) > STEPS_PER_HORIZON, "this seed has more steps than a horizon shows"
    html = body(report_html(criteria, result, ReportOptions(mode="en")))
    notes = re.findall(r'<p class="more-steps">(\d+) more steps are not listed here; the action plan', html)
    assert [int(n) for n in notes] == [n - STEPS_PER_HORIZON for n in counts.values() if n > STEPS_PER_HORIZON]
    zh = body(report_html(criteria, result, ReportOptions(mode="zh")))
    assert "行动计划" in zh and "more steps" not in zh


@pytest.mark.parametrize(
    ("update", "mark"),
    [
        ({"status": "draft"}, "Draft"),
        ({"provisional": True}, "Provisional"),
        ({"status": "draft", "provisional": True}, "Draft · Provisional"),
    ],
)
def test_a_draft_or_provisional_result_is_marked_on_cover_and_summary(
    criteria: CriteriaSet, strong: ScoreResult, update: dict[str, object], mark: str
) -> None:
    assert strong.status == "final" and not strong.provisional
    plain = body(report_html(criteria, strong, ReportOptions(mode="en")))
    assert "status-mark" not in plain and "status-tag" not in plain and "alert-draft" not in plain
    html = body(report_html(criteria, strong.model_copy(update=update), ReportOptions(mode="en")))
    assert f'<span class="status-mark">{mark}</span>' in html  # on the cover, next to the score
    assert f'<div class="status-tag">{mark}</div>' in html  # on the summary's score card
    assert ('<div class="alert alert-draft">' in html) is (update.get("status") == "draft")
    zh = body(report_html(criteria, strong.model_copy(update=update), ReportOptions(mode="zh")))
    assert "草稿" in zh or "暂定" in zh


def test_a_gate_shows_an_arrow_only_when_it_lowered_the_score(criteria: CriteriaSet) -> None:
    """mingcan-led's gates cap its themes at 25, above their scores: they apply but lower nothing."""
    result = score(criteria, load_response(SEEDS / "mingcan-led.yaml", criteria))
    gated = [t for t in result.themes if t.gates]
    assert gated and all(t.score == t.raw_score for t in gated)
    lowered = dataclasses.replace(gated[0], raw_score=40.0, score=25.0)
    capped = result.model_copy(update={"themes": [lowered if t is gated[0] else t for t in result.themes]})
    for shown, mode in ((result, "en"), (capped, "en"), (result, "zh")):
        html = body(report_html(criteria, shown, ReportOptions(mode=mode)))  # type: ignore[arg-type]
        heads = re.findall(r'<td class="theme-floor">(.*?)</td>', html, re.S)
        for theme, head in zip(shown.themes, heads, strict=True):
            if not theme.gates:
                assert "gate" not in head
                continue
            was_lowered = theme.score is not None and theme.raw_score is not None and theme.score < theme.raw_score
            assert ("→" in head) is was_lowered, head
            if mode == "en":
                assert ("Capped by: " in head) is was_lowered and ("Cap applies" in head) is not was_lowered
                assert ("(40.0 → 25.0)" in head) is was_lowered
            else:
                assert "适用封顶规则（未降低得分）：" in head


def test_a_triggered_veto_is_marked_in_its_theme(criteria: CriteriaSet, vetoed: ScoreResult) -> None:
    veto = next(v for v in vetoed.vetoes if v.status == "triggered")
    title = next(v.title for v in criteria.vetoes if v.id == veto.id)
    html = body(report_html(criteria, vetoed, ReportOptions(mode="en")))
    for qid in veto.questions:
        row = re.search(rf'<span class="qid">{qid}</span>.*?</tr>', html, re.S)
        assert row is not None and f'<div class="veto-tag">Veto {veto.id}</div>' in row.group(0)
    article = re.search(
        rf'<article class="theme" id="theme-{vetoed.question(veto.questions[0]).theme}">.*?</article>', html, re.S
    )
    assert article is not None
    assert f'<li class="veto-gap">Veto {veto.id}: {title.en}</li>' in article.group(0)
    assert html.count('class="veto-tag"') == len(veto.questions)
    zh = body(report_html(criteria, vetoed, ReportOptions(mode="zh")))
    assert f'<div class="veto-tag">一票否决 {veto.id}</div>' in zh


@pytest.mark.parametrize(
    ("template", "where", "error"),
    [
        ("<section>\n<p>{{ 1/0 }}</p>\n</section>\n", "method.html.j2:2", "ZeroDivisionError"),
        ('<section>\n\n<p>{{ "%.0f" % "x" }}</p>\n</section>\n', "method.html.j2:3", "TypeError"),
    ],
)
def test_a_runtime_error_in_a_user_template_names_template_and_line(
    criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path, template: str, where: str, error: str
) -> None:
    folder = tmp_path / "report" / "sections"
    folder.mkdir(parents=True)
    (folder / "method.html.j2").write_text(template, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        report_html(criteria, strong, ReportOptions(templates=tmp_path))
    problem = str(info.value.problems[0])
    assert where in problem and error in problem


def test_chinese_text_takes_chinese_punctuation(criteria: CriteriaSet) -> None:
    result = score(criteria, load_response(SEEDS / "mingcan-led.yaml", criteria))
    html = body(report_html(criteria, result, ReportOptions(mode="zh")))
    text = re.sub(r"<[^>]+>", "", html).replace(result.firm.assessor or "", "")  # the firm's own words aside
    for label in ("成熟度等级：", "评奖准备度：", "权重方案：", "生成时间："):
        assert label in text, label
    assert not re.findall(r"[\u4e00-\u9fff]: ", text)  # no ASCII colon after Chinese
    assert not re.findall(r"[\u4e00-\u9fff] ?\(|？ （", text)  # no ASCII parenthesis after Chinese, no space before （
    assert "企业目标： " not in text and not re.findall(r"\d %", text)
    assert "现状 → 下一级" in text and "现状 → 目标" not in text
    br01 = criteria.questions["BR-01"]
    assert answer_text(criteria, br01, 32).zh == "32%"


def test_a_long_firm_name_and_a_long_note_print_as_a_reader_expects(
    criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path
) -> None:
    """Without a brand file: the footer reaches pages 2+; a 200-character name keeps the header to one line;
    a 5,500-character note breaks across pages under a repeated header instead of leaving a page blank."""
    name = "Ningbo Extremely Long Name International Trading Import and Export Industrial Development " * 3
    firm = strong.firm.model_copy(update={"name": name[:200]})
    note_id = next(q.id for q in strong.questions if q.theme == strong.themes[1].id)
    previous = strong.questions[strong.questions.index(strong.question(note_id)) - 1].id
    note = " ".join(f"Evidence sentence {i} about the batch records and audits." for i in range(100))
    assert len(note) > 3000
    questions = [dataclasses.replace(q, note=note) if q.id == note_id else q for q in strong.questions]
    result = strong.model_copy(update={"firm": firm, "questions": questions})
    context = report_context(criteria, result, ReportOptions(mode="en"))
    assert context.running_firm.endswith("...") and len(context.running_firm) < 60
    pages = pdf_text(render_report(criteria, result, ReportOptions(mode="en")), tmp_path).split("\f")
    for page in pages[1:-1]:
        lines = [line for line in page.splitlines() if line.strip()]
        assert "Export quality self-assessment report" in lines[-1]  # the footer, bottom-left
        assert context.running_firm.removesuffix("...")[:40] in lines[0] or "Contents" in page
    start = next(i for i, page in enumerate(pages) if "Evidence sentence 0 " in page)
    end = next(i for i, page in enumerate(pages) if "Evidence sentence 99 " in page)
    assert end > start
    assert re.search(rf"^\s*{previous}\s", pages[start], re.M)  # the long row starts right after the row before
    assert "Evidence note" in pages[end]  # the header row is repeated on the next page


def test_the_method_page_defines_its_terms(criteria: CriteriaSet, strong: ScoreResult) -> None:
    html = body(report_html(criteria, strong, ReportOptions(mode="en")))
    method = html_module.unescape(html[html.index('<section class="method"') :])
    margin = f"{criteria.award.near_margin:g}"
    for words in (
        "up to the question's cap (multiple choice)",
        "the points set for yes or for no",
        f"each within {margin} points of its threshold",
        "“cannot tell yet” means the result is provisional or a veto question is unanswered",
        "an unanswered question is not among them",
        "a score exactly at a band's lower limit belongs to that band",
    ):
        assert words in method, words
    zh = body(report_html(criteria, strong, ReportOptions(mode="zh")))
    assert f"都不超过 {margin} 分" in zh and "未作答的问题不列入" in zh
