"""The cohort report of a batch (`cohort.pdf`): where a programme office's firms stand, together.

A cover; readiness and band counts; the overall score distribution; per-theme distributions; a
league table of every firm in rank order; the gaps most firms share; the vetoes triggered. Built as
the firm report is: a typed context (every number formatted, every text a bilingual `Text` for the
`tr` filter), Jinja2 templates under `templates/cohort/` (overridable with `--templates`), and
WeasyPrint through the same safe fetcher. Firm names come from untrusted files: autoescaping stays
on and the charts escape their labels.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from assess.batch.cohort import CohortStats, Distribution, rank_rows
from assess.batch.rows import WEAK_SHARE, FirmRow
from assess.errors import InternalError, Problem, UserError
from assess.models.common import Mode, Text, number_as_written
from assess.models.criteria import CriteriaSet
from assess.report.brand import Brand
from assess.report.charts import (
    _GRID,
    _MUTED,
    Marker,
    _check_colour,
    _clean,
    _legend,
    _line,
    _n,
    _svg,
    _text,
    _value,
    bar_chart,
)
from assess.report.context import chart_label
from assess.report.fonts import FontSet, check_rendering_setup
from assess.report.numbers import number_text, overall_texts, signed_text
from assess.report.pdf import html_to_pdf
from assess.report.templating import (
    builtin_templates,
    load_labels,
    make_environment,
    plain,
    render_template,
    translate,
)
from assess.report.wording import same

__all__ = [
    "COHORT_TEMPLATE",
    "CohortContext",
    "cohort_context",
    "cohort_html",
    "histogram_chart",
    "render_cohort_pdf",
]

COHORT_TEMPLATE = "cohort/cohort.html.j2"
LABELS_FOLDER = "cohort"
VERDICTS = ("ready", "near", "not_ready", "vetoed", "undetermined")
VETO_NAMES_SHOWN = 8
# Chart widths in CSS px matching their printed widths in cohort.css (180 mm, 150 mm), so text prints at ~8 pt.
HISTOGRAM_PX = 680
THEME_BARS_PX = 567
P25_COLOUR = "#d35400"
P75_COLOUR = "#1e8449"
THRESHOLD_COLOUR = "#c0392b"
MEDIAN_COLOUR = "#e67e22"


# ----------------------------------------------------------------------------------------- the chart


def _nice_step(top: int) -> int:
    """A grid step of 1, 2 or 5 × 10^k giving about four lines up to `top`."""
    raw = max(top, 1) / 4
    magnitude = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def histogram_chart(
    counts: Sequence[int],
    *,
    labels: Sequence[str] | None = None,
    markers: Sequence[Marker] = (),
    width: int = HISTOGRAM_PX,
    height: int = 190,
    bar_colour: str = "#1f5fa8",
    font_family: str = "Noto Sans SC",
    title: str | None = None,
) -> Markup:
    """Firms per bin of a 0-100 score as vertical bars, with reference lines (award threshold, median).

    `counts` are the firms in equal bins covering 0-100 (ten 10-point bins in a cohort's
    `Distribution.histogram`); `labels` name the bins (default "0-9", ..., "90-100"). Each bar carries
    its count; empty bins draw nothing, so a gap in the cohort stays visible. `markers` are vertical
    lines at a score, listed in a legend under the chart. `width` is the SVG's width in px: set it to
    the width of its box (CSS px) and the text keeps its nominal size. Every label is escaped.
    """
    bins = len(counts)
    if bins == 0:
        raise ValueError("a histogram needs at least one bin")
    if any(c < 0 for c in counts):
        raise ValueError("histogram counts must not be negative")
    if width < 200 or height < 100:
        raise ValueError("a histogram needs a width of at least 200 px and a height of at least 100 px")
    if labels is None:
        span = 100 / bins
        labels = [f"{span * i:g}–{span * (i + 1) - (1 if i + 1 < bins else 0):g}" for i in range(bins)]
    if len(labels) != bins:
        raise ValueError("a histogram needs one label per bin")
    _check_colour(bar_colour)
    for m in markers:
        _value(m.value)
    step = _nice_step(max(counts))
    top_value = max(step, math.ceil(max(counts) / step) * step)
    left, right, top, bottom = 30.0, float(width) - 8.0, 16.0, float(height) - 24.0
    slot = (right - left) / bins

    def y(v: float) -> float:
        return bottom - (bottom - top) * v / top_value

    def x(score: float) -> float:
        return left + (right - left) * min(max(score, 0.0), 100.0) / 100

    body: list[str] = []
    for g in range(0, top_value + 1, step):
        body.append(_line(left, y(g), right, y(g), _GRID if g else "#a0a0a0", 0.8))
        body.append(_text(left - 5, y(g) + 3, str(g), size=9, anchor="end", fill=_MUTED))
    gap = min(6.0, slot * 0.12)
    tops: list[str] = []  # the counts go on top of everything, on a white patch, so a marker line never hides one
    for i, count in enumerate(counts):
        x0, mid = left + i * slot + gap / 2, left + (i + 0.5) * slot
        if count > 0:
            body.append(
                f'<rect x="{_n(x0)}" y="{_n(y(count))}" width="{_n(slot - gap)}" '
                f'height="{_n(bottom - y(count))}" fill="{bar_colour}"/>'
            )
            half = len(str(count)) * 3.2 + 2
            patch = f'x="{_n(mid - half)}" y="{_n(y(count) - 14)}" width="{_n(2 * half)}" height="12"'
            tops.append(f'<rect {patch} fill="#ffffff"/>')
            tops.append(_text(mid, y(count) - 4, str(count), size=10, anchor="middle"))
        body.append(_text(mid, bottom + 13, _clean(labels[i]), size=9, anchor="middle", fill=_MUTED))
    for m in markers:
        body.append(_line(x(m.value), top - 6, x(m.value), bottom, m.colour, 2, m.dashed))
    body += tops
    items = [(_clean(m.label), m.colour, "tick", m.dashed) for m in markers]
    legend, legend_h = _legend(items, 0, bottom + 24, width)
    body += legend
    name = (
        title
        if title is not None
        else "Histogram: " + ", ".join(f"{lbl} {c}" for lbl, c in zip(labels, counts, strict=True))
    )
    extent = bottom + 24 + legend_h if legend else bottom + 18
    return _svg(0, 0, width, extent + 4, name, font_family, body)


# --------------------------------------------------------------------------------------- the context


@dataclass(frozen=True)
class CountView:
    """One line of a count table: readiness verdict or maturity band, with a bar as wide as its share."""

    key: str
    label: Text
    detail: str
    count: str
    share: str
    bar: str  # CSS width of the share bar, e.g. "42.9%"


@dataclass(frozen=True)
class StatView:
    """A distribution across the cohort, formatted."""

    title: Text
    count: str
    median: str
    p25: str
    p75: str
    minimum: str
    maximum: str
    mean: str


@dataclass(frozen=True)
class ChangeView:
    """How a score moved since the previous batch, formatted."""

    title: Text
    compared: str
    median: str
    improved: str
    declined: str


@dataclass(frozen=True)
class LeagueRow:
    rank: str
    firm: str
    industry: Text
    overall: str
    band: Text
    readiness: str
    readiness_text: Text
    vetoes: str
    completeness: str
    provisional: bool


@dataclass(frozen=True)
class GapView:
    question_id: str
    question: Text
    theme: Text
    firms: str
    applicable: str  # how many firms the question counts for: the share's denominator
    share: str


@dataclass(frozen=True)
class VetoCountView:
    id: str
    title: Text
    firms: str
    share: str
    names: list[str]
    more: Text | None


@dataclass(frozen=True)
class CohortContext:
    """Everything the cohort template may show; numbers formatted, texts bilingual."""

    mode: Mode
    html_lang: str
    labels: dict[str, Text]
    brand: Brand
    logo_url: str | None
    criteria_title: Text
    criteria_id: str
    criteria_version: str
    criteria_hash: str
    firm_count: str
    firm_count_text: Text
    scored_count: str
    median_overall: str
    ready_or_near: str
    vetoed: str
    readiness: list[CountView]
    bands: list[CountView]
    overall: StatView | None
    histogram_svg: Markup | None
    themes: list[StatView]
    themes_svg: Markup | None
    changes: list[ChangeView]  # empty without --previous (or when no firm was found there)
    previous_note: Text | None  # with --previous: how many firms were found there, or that none was
    failed_note: Text | None  # inputs that could not be scored and so are not in this report
    league: list[LeagueRow]
    gaps: list[GapView]
    gaps_intro: Text
    vetoes: list[VetoCountView]
    award_overall_min: str
    generated: str
    generated_date: str
    generated_iso: str


def _tint(colour: str, strength: float) -> str:
    """`colour` (#rrggbb) mixed with white: a lighter bar, so the markers drawn on it stand out."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02x}" for c in channels)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def _fill(template: Text, **values: str) -> Text:
    return Text(zh=template.zh.format(**values), en=template.en.format(**values))


def _stat(title: Text, d: Distribution | None) -> StatView:
    if d is None:
        return StatView(title, "0", "—", "—", "—", "—", "—", "—")
    return StatView(
        title=title,
        count=str(d.count),
        median=number_text(d.median),
        p25=number_text(d.p25),
        p75=number_text(d.p75),
        minimum=number_text(d.minimum),
        maximum=number_text(d.maximum),
        mean=number_text(d.mean),
    )


def _changes(criteria: CriteriaSet, stats: CohortStats, labels: dict[str, Text]) -> list[ChangeView]:
    if stats.changes is None:
        return []
    titles = [("overall", labels["overall_score"]), *((t.id, t.title) for t in criteria.themes)]
    views = []
    for key, title in titles:
        moved = stats.changes.get(key)
        if moved is None:
            views.append(ChangeView(title, "0", "—", "—", "—"))
            continue
        median = signed_text(moved.median)
        views.append(ChangeView(title, str(moved.compared), median, str(moved.improved), str(moved.declined)))
    return views


def _previous_note(stats: CohortStats, labels: dict[str, Text]) -> Text | None:
    """With --previous, how many of this batch's firms were found in the earlier results (none: said, not hidden)."""
    if stats.previous_firms is None:
        return None
    key = "previous_matched" if stats.previous_matched else "previous_none_matched"
    values = {"matched": str(stats.previous_matched), "total": str(stats.count), "previous": str(stats.previous_firms)}
    return _fill(labels[key], **values)


def _counts(items: list[tuple[str, Text, str, int]], total: int) -> list[CountView]:
    return [
        CountView(key, label, detail, str(n), _share(n, total), f"{100 * n / total:.1f}%" if total else "0%")
        for key, label, detail, n in items
    ]


def _in_rank_order(rows: list[FirmRow]) -> list[FirmRow]:
    """Ranked firms first by rank (ties by name, then input order); firms without a score last."""
    return sorted(rows, key=lambda r: (r.rank <= 0 or r.overall is None, r.rank, r.firm, r.index))


def _check_cohort(rows: list[FirmRow], stats: CohortStats) -> None:
    if not rows:
        raise UserError(
            "The cohort report needs at least one scored firm",
            [Problem("cohort", "no firm in this batch could be scored, so there is nothing to compare")],
        )
    if stats.count != len(rows):
        raise InternalError(f"cohort statistics cover {stats.count} firms but {len(rows)} rows were given")


def _band_counts(criteria: CriteriaSet, stats: CohortStats, labels: dict[str, Text], total: int) -> list[CountView]:
    """Firms per band, top band first, each with its score range; bands not in the set (unscored) after them."""
    ordered_bands = sorted(criteria.bands, key=lambda b: b.min_score)
    band_items: list[tuple[str, Text, str, int]] = []
    for i, band in enumerate(reversed(ordered_bands)):
        upper = ordered_bands[len(ordered_bands) - i].min_score if i else 100.0
        band_items.append(
            (
                band.id,
                band.name,
                f"{number_as_written(band.min_score)}–{number_as_written(upper)}",
                stats.bands.get(band.id, 0),
            )
        )
    known = {b.id for b in criteria.bands}
    band_items += [
        (k, labels["unscored"] if k == "—" else same(k), "", n) for k, n in stats.bands.items() if k not in known
    ]
    return _counts(band_items, total)


def _overall_histogram(
    criteria: CriteriaSet, stats: CohortStats, label: Callable[[str], str], colour: str
) -> Markup | None:
    """The overall score distribution with the award threshold and the cohort median marked."""
    if stats.overall is None:
        return None
    return histogram_chart(
        stats.overall.histogram,
        markers=[
            Marker(
                f"{label('award_threshold')} {number_as_written(criteria.award.overall_min)}",
                criteria.award.overall_min,
                THRESHOLD_COLOUR,
            ),
            Marker(
                f"{label('median')} {number_text(stats.overall.median)}",
                stats.overall.median,
                MEDIAN_COLOUR,
                dashed=True,
            ),
        ],
        bar_colour=colour,
        title=label("score_distribution"),
    )


def _themes_chart(
    criteria: CriteriaSet, stats: CohortStats, label: Callable[[str], str], colour: str, mode: Mode
) -> Markup | None:
    """Each theme's median with its quartiles marked and the award floor: None when no theme was scored."""
    theme_ids = [t.id for t in criteria.themes]
    dists = [stats.themes.get(t) for t in theme_ids]
    if all(d is None for d in dists):
        return None
    return bar_chart(
        [chart_label(t.label, mode) for t in criteria.themes],
        [d.median if d else None for d in dists],
        markers=[
            [
                Marker(label("p25_marker"), d.p25, P25_COLOUR),
                Marker(label("p75_marker"), d.p75, P75_COLOUR),
            ]
            if d
            else []
            for d in dists
        ],
        floors=[criteria.award.floor_for(t) for t in theme_ids],
        bar_colour=_tint(colour, 0.45),
        below_colour=_tint(colour, 0.45),
        width=THEME_BARS_PX,
        floor_label=label("floor"),
        title=label("theme_distribution"),
    )


def _league(criteria: CriteriaSet, rows: list[FirmRow], labels: dict[str, Text]) -> list[LeagueRow]:
    """Every firm in rank order; a firm without an overall score has no rank ("—")."""
    industries = {t.id: t.name for t in criteria.industries}
    league = []
    for row in _in_rank_order(rows):
        named = criteria.band_named(row.band) if row.band else None
        league.append(
            LeagueRow(
                rank=str(row.rank) if row.rank > 0 and row.overall is not None else "—",
                firm=row.firm,
                industry=industries.get(row.industry, same(row.industry)),
                overall=overall_texts(row.overall_1000)[0],
                band=named.name if named else same(row.band or "—"),
                readiness=row.readiness,
                readiness_text=labels.get(f"short_{row.readiness}", same(row.readiness)),
                vetoes=", ".join(row.vetoes) or "—",
                completeness=f"{row.completeness:.0%}",
                provisional=row.provisional,
            )
        )
    return league


def _gaps(criteria: CriteriaSet, stats: CohortStats) -> list[GapView]:
    """The questions most firms score low on, each with the share of the firms it applies to."""
    theme_labels = {t.id: t.label for t in criteria.themes}
    gaps = []
    for qid, n, applicable in stats.common_gaps:
        question = criteria.questions.get(qid)
        theme = criteria.theme_of.get(qid)
        gaps.append(
            GapView(
                question_id=qid,
                question=question.text if question else same(qid),
                theme=theme_labels[theme] if theme else same("—"),
                firms=str(n),
                applicable=str(applicable),
                share=_share(n, applicable),
            )
        )
    return gaps


def _veto_views(
    criteria: CriteriaSet, rows: list[FirmRow], stats: CohortStats, labels: dict[str, Text]
) -> list[VetoCountView]:
    """Each triggered veto, most frequent first, with the first firms it stops (in rank order)."""
    veto_titles = {v.id: v.title for v in criteria.vetoes}
    ranked = _in_rank_order(rows)
    vetoes = []
    for vid, n in sorted(stats.vetoes.items(), key=lambda kv: (-kv[1], kv[0])):
        names = [r.firm for r in ranked if vid in r.vetoes]
        extra = len(names) - VETO_NAMES_SHOWN
        vetoes.append(
            VetoCountView(
                id=vid,
                title=veto_titles.get(vid, same(vid)),
                firms=str(n),
                share=_share(n, len(rows)),
                names=names[:VETO_NAMES_SHOWN],
                more=_fill(labels["and_more"], n=str(extra)) if extra > 0 else None,
            )
        )
    return vetoes


def cohort_context(
    criteria: CriteriaSet,
    rows: list[FirmRow],
    stats: CohortStats,
    labels: dict[str, Text],
    mode: Mode,
    brand: Brand,
    generated: dt.datetime,
) -> CohortContext:
    """The cohort report's context; `stats` computed from the same rows (ranks are recomputed with rank_rows)."""
    _check_cohort(rows, stats)
    rows = rank_rows(rows)
    total = len(rows)
    colour = brand.primary_colour

    def label(key: str) -> str:
        return chart_label(labels[key], mode)

    readiness = _counts(
        [(v, labels[f"short_{v}"], "", stats.readiness.get(v, 0)) for v in VERDICTS]
        + [(v, same(v), "", n) for v, n in stats.readiness.items() if v not in VERDICTS],
        total,
    )
    logo = brand.logo_path()
    return CohortContext(
        mode=mode,
        html_lang="en" if mode == "en" else "zh-CN",
        labels=labels,
        brand=brand,
        logo_url=logo.as_uri() if logo else None,
        criteria_title=criteria.title,
        criteria_id=criteria.id,
        criteria_version=criteria.version,
        criteria_hash=criteria.content_hash.removeprefix("sha256:")[:12] or "—",
        firm_count=str(total),
        firm_count_text=_fill(labels["n_firms"], n=str(total)),
        scored_count=str(stats.overall.count if stats.overall else 0),
        median_overall=number_text(stats.overall.median if stats.overall else None),
        ready_or_near=str(stats.readiness.get("ready", 0) + stats.readiness.get("near", 0)),
        vetoed=str(stats.readiness.get("vetoed", 0)),
        readiness=readiness,
        bands=_band_counts(criteria, stats, labels, total),
        overall=_stat(labels["overall_score"], stats.overall) if stats.overall else None,
        histogram_svg=_overall_histogram(criteria, stats, label, colour),
        themes=[_stat(t.title, stats.themes.get(t.id)) for t in criteria.themes],
        themes_svg=_themes_chart(criteria, stats, label, colour, mode),
        changes=_changes(criteria, stats, labels),
        previous_note=_previous_note(stats, labels),
        failed_note=_fill(labels["inputs_failed_note"], n=str(stats.failed_inputs)) if stats.failed_inputs else None,
        league=_league(criteria, rows, labels),
        gaps=_gaps(criteria, stats),
        gaps_intro=_fill(labels["gaps_intro"], share=f"{WEAK_SHARE:.0%}"),
        vetoes=_veto_views(criteria, rows, stats, labels),
        award_overall_min=number_as_written(criteria.award.overall_min),
        generated=generated.strftime("%Y-%m-%d %H:%M"),
        generated_date=generated.strftime("%Y-%m-%d"),
        generated_iso=generated.isoformat(timespec="seconds"),
    )


# ------------------------------------------------------------------------------------ HTML and PDF


def cohort_labels(templates: Path | None) -> dict[str, Text]:
    """The report's labels with the cohort's own (`cohort/labels.yaml`) over them, a user folder's over the built-ins.

    Highest priority first: <user>/cohort, built-in cohort, <user>, built-in (load_labels lets the first win).
    """
    builtin = builtin_templates()
    users = [templates] if templates is not None else []
    return load_labels([*(u / LABELS_FOLDER for u in users), builtin / LABELS_FOLDER, *users, builtin])


def cohort_html(
    criteria: CriteriaSet,
    rows: list[FirmRow],
    stats: CohortStats,
    mode: Mode,
    brand: Brand,
    templates: Path | None = None,
    generated: dt.datetime | None = None,
    *,
    fonts: FontSet | None = None,
) -> str:
    """The cohort report as one HTML document (fonts referenced by file URL when a FontSet is given)."""
    when = generated or dt.datetime.now(dt.UTC).astimezone().replace(microsecond=0)
    context = cohort_context(criteria, rows, stats, cohort_labels(templates), mode, brand, when)
    env = make_environment(templates)
    env.filters["tr"] = translate(mode)
    env.filters["plain"] = plain(mode)
    return render_template(env, COHORT_TEMPLATE, cohort=context, font_css=fonts.font_face_css() if fonts else "")


def render_cohort_pdf(
    criteria: CriteriaSet,
    rows: list[FirmRow],
    stats: CohortStats,
    mode: Mode,
    brand: Brand,
    templates: Path | None = None,
    generated: dt.datetime | None = None,
) -> bytes:
    """The cohort report as PDF bytes, fetching nothing outside the template, font and brand folders."""
    _check_cohort(rows, stats)
    fonts = check_rendering_setup()
    html = cohort_html(criteria, rows, stats, mode, brand, templates, generated, fonts=fonts)
    allowed = [builtin_templates(), fonts.folder]
    if templates is not None:
        allowed.append(templates)
    if brand.folder is not None:
        allowed.append(brand.folder)
    return html_to_pdf(html, allowed_folders=allowed)
