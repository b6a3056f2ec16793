"""The one typed context a report template receives, built from a result and its criteria set.

Templates do no arithmetic and no look-ups: every number is formatted and every text is a
bilingual `Text` here, and the `tr` filter picks the language mode when rendering.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup

from assess.models.common import Mode, Text, number_as_written
from assess.models.criteria import CriteriaSet
from assess.models.result import Priority, QuestionResult, Reason, ScoreResult
from assess.report.brand import Brand
from assess.report.charts import RADAR_AXES, Marker, Series, bar_chart, em_width, radar_chart, shorten
from assess.report.numbers import overall_texts, score_text, signed_text
from assess.report.wording import advice_for, answer_text, level_descriptor, same

HORIZONS = (("quick", "horizon_quick"), ("medium", "horizon_medium"), ("long", "horizon_long"))
STEPS_PER_HORIZON = 6
LIST_LENGTH = 5
STRENGTHS_AND_GAPS = 3
# The firm's name in the running header takes at most this many em (a CJK character is 1 em), then "…".
RUNNING_FIRM_EM = 30.0
# An evidence note longer than this (in em; about a third of a page in the appendix's note column) lets its
# row break across pages: a row that must stay whole and is taller than a page leaves a page blank.
TALL_NOTE_EM = 500.0
# Chart widths in CSS px matching their printed widths in report.css (80 mm, 96 mm), so text prints at ~8 pt.
RADAR_PX = 302
BARS_PX = 363


@dataclass(frozen=True)
class FirmView:
    name: str
    credit_code: str
    industry: Text
    markets: Text
    assessment_date: str
    assessor: str


@dataclass(frozen=True)
class StepView:
    rank: int
    question_id: str
    theme: Text
    question: Text
    current: Text
    next: Text
    gain: str
    gain_1000: str
    advice: Text | None
    target: Text | None = None  # the firm's own target level, when it is above the next step
    target_gain: str | None = None


@dataclass(frozen=True)
class VetoView:
    id: str
    title: Text
    explanation: Text


@dataclass(frozen=True)
class QuestionRow:
    id: str
    text: Text
    answer: Text
    descriptor: Text | None
    points: str
    advice: Text | None
    status: str
    note: str
    tall: bool = False  # the note may fill much of a page: its appendix row may break across pages
    veto: Text | None = None  # "veto V3": the triggered vetoes this question's answer takes part in


@dataclass(frozen=True)
class ThemeView:
    id: str
    title: Text
    description: Text
    score: str
    raw_score: str
    floor: str
    meets_floor: bool
    gates: list[Text]
    strengths: list[Text]
    gaps: list[Text]
    rows: list[QuestionRow]
    change: str = ""
    capped: bool = False  # a gate lowered the score (raw_score -> score); else the gates apply without effect
    vetoes: list[Text] = field(default_factory=list)  # triggered vetoes caused by this theme's answers


@dataclass(frozen=True)
class HorizonView:
    key: str
    title: Text
    note: Text
    steps: list[StepView]
    more: Text | None = None  # "n more steps …": the steps beyond the ones shown, and where they all are


@dataclass(frozen=True)
class WeightView:
    theme: Text
    weight: str
    floor: str


@dataclass(frozen=True)
class BandView:
    name: Text
    range: str
    description: Text


@dataclass(frozen=True)
class ReportContext:
    """Everything a report template may show: formatted numbers and bilingual texts, no look-ups left."""

    mode: Mode
    html_lang: str
    labels: dict[str, Text]
    brand: Brand
    logo_url: str | None
    firm: FirmView
    criteria_title: Text
    criteria_id: str
    criteria_version: str
    criteria_hash: str
    profile: Text
    overall: str
    overall_1000: str
    band: Text
    band_description: Text
    band_caps: list[Text]  # "Band capped: <gate explanation>": why the band is lower than the score alone gives
    verdict: str
    verdict_text: Text
    reasons: list[Text]
    vetoes: list[VetoView]
    provisional: bool
    completeness: str
    top_steps: list[StepView]
    radar_svg: Markup
    bars_svg: Markup
    themes: list[ThemeView]
    roadmap: list[HorizonView]
    weights: list[WeightView]
    bands: list[BandView]
    award_overall_min: str
    provisional_below: str
    max_na_share: str
    generated: str
    generated_iso: str
    overall_change: str = ""
    near_margin: str = "5"  # how close to every threshold "near award-ready" means, in points
    status: str = "final"  # the response's status: "draft" or "final"
    draft: bool = False
    running_firm: str = ""  # the firm's name shortened for the running header
    extra: dict[str, object] = field(default_factory=dict)


def _signed(value: float | None) -> str:
    """A change as '+3.2' / '−1.5'; empty when there is nothing to compare."""
    return "" if value is None else signed_text(value)


def _labelled(label: Text, text: Text) -> Text:
    """`label: text` in each language, so a bilingual report keeps each label on its own language's line."""
    return Text(zh=f"{label.zh}：{text.zh}", en=f"{label.en}: {text.en}")


def _fill(template: Text, **values: str) -> Text:
    return Text(zh=template.zh.format(**values), en=template.en.format(**values))


def _threshold(value: float | None) -> str:
    """A threshold as the criteria set writes it: 70, 62.5."""
    return "—" if value is None else number_as_written(value)


class _Builder:
    def __init__(self, criteria: CriteriaSet, result: ScoreResult, labels: dict[str, Text]) -> None:
        self.c = criteria
        self.r = result
        self.labels = labels
        self.theme_titles = {t.id: t.title for t in criteria.themes}
        # the overall score as the cover and the cards show it, so the readiness reasons say the same number
        self.overall, self.overall_1000 = overall_texts(
            result.overall_1000, [criteria.award.overall_min, *(b.min_score for b in criteria.bands)]
        )
        # question id -> ids of the triggered vetoes reading it
        self.veto_of: dict[str, list[str]] = {}
        for v in result.vetoes:
            if v.status == "triggered":
                for qid in v.questions:
                    if qid in criteria.questions:
                        self.veto_of.setdefault(qid, []).append(v.id)

    def step(self, p: Priority) -> StepView:
        q = self.c.questions[p.question_id]
        target = int(p.target) if p.target is not None and isinstance(p.next, int) and p.target > p.next else None
        return StepView(
            rank=p.rank,
            question_id=p.question_id,
            theme=self.theme_titles[p.theme],
            question=q.text,
            current=answer_text(self.c, q, p.current),
            next=answer_text(self.c, q, p.next),
            gain=f"+{p.gain:.2f}",
            gain_1000=f"+{p.gain_1000:.1f}",
            advice=advice_for(q, p.current),
            target=None if target is None else answer_text(self.c, q, target),
            target_gain=None if target is None or p.gain_to_target is None else f"+{p.gain_to_target:.2f}",
        )

    def reason(self, reason: Reason) -> Text:
        subject = reason.subject or ""
        if reason.code in ("veto", "veto_unknown"):
            veto = next((v for v in self.c.vetoes if v.id == subject), None)
            subject_text = veto.title if veto else same(subject)
        elif subject in self.theme_titles:
            subject_text = self.theme_titles[subject]
        else:
            subject_text = same(subject)
        template = self.labels[f"reason_{reason.code}"]
        if reason.code == "incomplete":
            value, threshold = f"{(reason.value or 0):.0%}", f"{(reason.threshold or 0):.0%}"
        elif reason.code == "overall_below" and reason.value is not None:
            value, threshold = self.overall, _threshold(reason.threshold)
        else:
            value, threshold = score_text(reason.value, 1, [reason.threshold]), _threshold(reason.threshold)
        return Text(
            zh=template.zh.format(subject=subject_text.zh, value=value, threshold=threshold),
            en=template.en.format(subject=subject_text.en, value=value, threshold=threshold),
        )

    def row(self, qr: QuestionResult) -> QuestionRow:
        q = self.c.questions[qr.id]
        status_label = {
            "unanswered": "not_answered",
            "inapplicable": "does_not_apply",
            "na_over_limit": "na_over_limit",
        }.get(qr.status)
        if qr.status == "na":
            answer = self.c.answer_labels.na
        elif status_label is not None:
            answer = self.labels[status_label]
        else:
            answer = answer_text(self.c, q, qr.answer)
        points = f"{qr.points:g} / {qr.max_points:g}" if qr.points is not None and qr.counted else "—"
        advice = advice_for(q, qr.answer) if qr.counted and (qr.points or 0) < qr.max_points else None
        return QuestionRow(
            id=qr.id,
            text=q.text,
            answer=answer,
            descriptor=level_descriptor(q, qr.answer),
            points=points,
            advice=advice,
            # an unanswered question that earns nothing either way (free text) is shown quietly, not as a gap
            status="unanswered_unscored" if qr.status == "unanswered" and not qr.counted else qr.status,
            note=qr.note or "",
            tall=qr.note is not None and em_width(qr.note) > TALL_NOTE_EM,
            veto=_fill(self.labels["veto_tag"], id=" ".join(self.veto_of[qr.id])) if qr.id in self.veto_of else None,
        )

    def themes(self) -> list[ThemeView]:
        views = []
        for theme_result in self.r.themes:
            theme = self.c.theme(theme_result.id)
            results = [q for q in self.r.questions if q.theme == theme.id]
            ratio = {q.id: (q.points or 0) / q.max_points for q in results if q.counted and q.max_points > 0}
            strengths = [self.c.questions[qid].text for qid, share in ratio.items() if share >= 0.75][
                :STRENGTHS_AND_GAPS
            ]
            gaps = [
                self.c.questions[qid].text
                for qid, share in sorted(ratio.items(), key=lambda kv: kv[1])
                if share <= 0.25
            ][:STRENGTHS_AND_GAPS]
            gates = [g.title for g in self.c.gates if g.id in theme_result.gates]
            vetoed = {vid for q in results for vid in self.veto_of.get(q.id, [])}
            vetoes = [
                _labelled(_fill(self.labels["veto_tag"], id=v.id), v.title) for v in self.c.vetoes if v.id in vetoed
            ]
            score, raw = theme_result.score, theme_result.raw_score
            views.append(
                ThemeView(
                    id=theme.id,
                    title=theme.title,
                    description=theme.description,
                    score=score_text(score, 1, [theme_result.floor]),
                    raw_score=score_text(raw, 1, [theme_result.floor]),
                    floor=_threshold(theme_result.floor),
                    meets_floor=theme_result.meets_floor is not False,
                    gates=gates,
                    strengths=strengths,
                    gaps=gaps,
                    rows=[self.row(q) for q in results],
                    capped=score is not None and raw is not None and score < raw,
                    vetoes=vetoes,
                )
            )
        return views

    def roadmap(self) -> list[HorizonView]:
        horizons = []
        for effort, key in HORIZONS:
            chosen = [p for p in self.r.priorities if p.effort == effort and p.gain > 0]
            left = len(chosen) - STEPS_PER_HORIZON
            more = None if left <= 0 else _fill(self.labels["more_steps"], count=str(left))
            steps = [self.step(p) for p in chosen[:STEPS_PER_HORIZON]]
            horizons.append(HorizonView(effort, self.labels[key], self.labels[f"{key}_note"], steps, more))
        return horizons


def chart_label(text: Text, mode: Mode) -> str:
    """A label inside a chart: both languages in a bilingual report (the charts break it between them)."""
    if mode == "en":
        return text.en
    if mode == "zh" or text.zh == text.en:
        return text.zh
    return f"{text.zh} {text.en}"


def build_context(
    criteria: CriteriaSet,
    result: ScoreResult,
    labels: dict[str, Text],
    mode: Mode,
    brand: Brand,
    logo_url: str | None,
    generated: dt.datetime,
    cohort_markers: list[list[Marker]] | None = None,
    previous: dict[str, float | None] | None = None,
) -> ReportContext:
    """The report context for one firm; `cohort_markers` (per theme) come from a batch, if any."""
    b = _Builder(criteria, result, labels)
    band = criteria.band_named(result.band) if result.band else None
    firm = result.firm
    industries = {t.id: t.name for t in criteria.industries}
    markets = [t.name for t in criteria.markets if t.id in firm.markets]
    theme_titles = [chart_label(t.label, mode) for t in criteria.themes]
    scores = [t.score for t in result.themes]
    floors = [t.floor for t in result.themes]
    colour = brand.primary_colour
    # A radar needs 3 to 12 axes; a set of fewer or more themes shows only the bars.
    radar = (
        Markup("")
        if len(theme_titles) not in RADAR_AXES
        else radar_chart(
            theme_titles,
            [
                Series(chart_label(labels["firm_series"], mode), scores, colour),
                Series(chart_label(labels["floor"], mode), floors, "#c0392b"),
            ],
            size=RADAR_PX,
        )
    )
    bars = bar_chart(
        theme_titles,
        scores,
        floors=floors,
        bar_colour=colour,
        markers=cohort_markers or (),
        width=BARS_PX,
        floor_label=chart_label(labels["floor"], mode),
    )
    profile = criteria.profiles[result.criteria.profile]
    weights = profile.theme_weights
    total_weight = sum(weights.values()) or 1.0
    ordered_bands = sorted(criteria.bands, key=lambda x: x.min_score)
    band_views = []
    for i, item in enumerate(ordered_bands):
        upper = ordered_bands[i + 1].min_score if i + 1 < len(ordered_bands) else 100.0
        band_views.append(
            BandView(item.name, f"{number_as_written(item.min_score)}–{number_as_written(upper)}", item.description)
        )
    changes = previous or {}
    themes = [dataclasses.replace(view, change=_signed(changes.get(view.id))) for view in b.themes()]
    return ReportContext(
        overall_change=_signed(changes.get("overall")),
        status=result.status,
        draft=result.status == "draft",
        running_firm=shorten(firm.name, RUNNING_FIRM_EM),
        mode=mode,
        html_lang="en" if mode == "en" else "zh-CN",
        labels=labels,
        brand=brand,
        logo_url=logo_url,
        firm=FirmView(
            name=firm.name,
            credit_code=firm.credit_code or "—",
            industry=industries.get(firm.industry, same(firm.industry)),
            markets=Text(zh="、".join(m.zh for m in markets) or "—", en=", ".join(m.en for m in markets) or "—"),
            assessment_date=firm.assessment_date.isoformat(),
            assessor=firm.assessor or "—",
        ),
        criteria_title=criteria.title,
        criteria_id=criteria.id,
        criteria_version=criteria.version,
        criteria_hash=result.criteria.content_hash.removeprefix("sha256:")[:12],
        profile=profile.title,
        overall=b.overall,
        overall_1000=b.overall_1000,
        band=band.name if band else same("—"),
        band_description=band.description if band else same("—"),
        band_caps=[
            _labelled(labels["band_capped_by"], g.explanation) for g in criteria.gates if g.id in result.band_capped_by
        ],
        verdict=result.readiness.verdict,
        verdict_text=labels[f"verdict_{result.readiness.verdict}"],
        reasons=[b.reason(r) for r in result.readiness.reasons],
        vetoes=[
            VetoView(v.id, veto.title, veto.explanation)
            for v, veto in zip(result.vetoes, criteria.vetoes, strict=True)
            if v.status == "triggered"
        ],
        provisional=result.provisional,
        completeness=f"{result.completeness:.0%}",
        top_steps=[b.step(p) for p in result.priorities if p.gain > 0][:LIST_LENGTH],
        radar_svg=radar,
        bars_svg=bars,
        themes=themes,
        roadmap=b.roadmap(),
        weights=[
            WeightView(
                t.title,
                f"{100 * weights.get(t.id, 0) / total_weight:.0f}%",
                number_as_written(criteria.award.floor_for(t.id)),
            )
            for t in criteria.themes
        ],
        bands=band_views,
        award_overall_min=number_as_written(criteria.award.overall_min),
        near_margin=number_as_written(criteria.award.near_margin),
        provisional_below=f"{criteria.provisional_below:.0%}",
        max_na_share=f"{criteria.na_policy.max_na_share:.0%}",
        generated=generated.strftime("%Y-%m-%d %H:%M"),
        generated_iso=generated.isoformat(timespec="seconds"),
    )
