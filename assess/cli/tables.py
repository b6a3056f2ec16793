"""Rich tables of results and criteria for the terminal (labels from the criteria set)."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from assess.messages import say
from assess.models.common import Lang, number_as_written
from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult
from assess.report.wording import answer_text

VERDICT_STYLE = {
    "ready": "green",
    "near": "yellow",
    "not_ready": "red",
    "vetoed": "bold red",
    "undetermined": "magenta",
}


def fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def word(key: str, lang: Lang, **values: object) -> str:
    """A word of the terminal tables (`term_<key>` in templates/messages.yaml) in `lang`."""
    return say(f"term_{key}", **values).in_lang(lang)


def verdict_word(verdict: str, lang: Lang) -> str:
    return f"[{VERDICT_STYLE[verdict]}]{word('verdict_' + verdict, lang)}[/]"


def band_name(criteria: CriteriaSet, band_id: str | None, lang: Lang) -> str:
    band = criteria.band_named(band_id) if band_id else None
    return escape(band.name.in_lang(lang)) if band else "—"


def firm_table(criteria: CriteriaSet, result: ScoreResult, lang: Lang) -> Table:
    """One firm: theme scores against floors, then the overall line."""
    name = escape(result.firm.name)  # exporters' own text: "[" in a name is not rich markup
    table = Table(title=word("provisional", lang, name=name) if result.provisional else name, title_justify="left")
    table.add_column(word("theme", lang))
    table.add_column(word("score", lang), justify="right")
    table.add_column(word("floor", lang), justify="right")
    table.add_column(word("answered", lang), justify="right")
    table.add_column(word("gates", lang))
    for theme in result.themes:
        title = escape(criteria.theme(theme.id).title.in_lang(lang))
        style = "red" if theme.meets_floor is False else None
        table.add_row(
            title,
            fmt(theme.score),
            fmt(theme.floor, 0),
            f"{theme.answered}/{theme.applicable}",
            ", ".join(theme.gates),
            style=style,
        )
    table.add_section()
    table.add_row(
        word("overall_100", lang),
        fmt(result.overall),
        fmt(criteria.award.overall_min, 0),
        f"{result.completeness:.0%}",
        ", ".join(result.band_capped_by),
        style="bold",
    )
    table.add_row(word("overall_1000", lang), fmt(result.overall_1000, 0), "", "", "")
    return table


def priorities_table(criteria: CriteriaSet, result: ScoreResult, lang: Lang, top: int = 5) -> Table:
    table = Table(title=word("top_priorities", lang), title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(word("question", lang))
    table.add_column(word("now_next", lang))
    table.add_column(word("gain", lang), justify="right")
    table.add_column(word("effort", lang))
    for p in result.priorities[:top]:
        question = criteria.questions[p.question_id]
        effort = word(f"effort_{p.effort}", lang)
        # As the report words them: 否 → 是, option texts, levels with their names, numbers with their unit.
        now = answer_text(criteria, question, p.current).in_lang(lang)
        then = answer_text(criteria, question, p.next).in_lang(lang)
        text = f"{p.question_id} {question.text.in_lang(lang)}"
        table.add_row(str(p.rank), escape(text), escape(f"{now} → {then}"), f"+{p.gain:.2f}", effort)
    return table


def league_table(criteria: CriteriaSet, results: list[ScoreResult], lang: Lang) -> Table:
    """Firms ranked by overall score: the demo's and a batch's view of a cohort."""
    count = word("firms", lang, count=len(results))
    table = Table(title=escape(f"{criteria.title.in_lang(lang)} — {count}"), title_justify="left")
    for name, justify in [
        ("#", "right"),
        (word("firm", lang), "left"),
        (word("industry", lang), "left"),
        (word("overall", lang), "right"),
        ("/1000", "right"),
        (word("band", lang), "left"),
        (word("readiness", lang), "left"),
        (word("vetoes", lang), "left"),
        (word("complete", lang), "right"),
    ]:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    industries = {t.id: escape(t.name.in_lang(lang)) for t in criteria.industries}
    ranked = sorted(results, key=lambda r: (-(r.overall or 0.0), r.firm.name))
    for rank, r in enumerate(ranked, start=1):
        vetoes = ", ".join(v.id for v in r.vetoes if v.status == "triggered")
        table.add_row(
            str(rank),
            escape(r.firm.name),
            industries.get(r.firm.industry, escape(r.firm.industry)),
            fmt(r.overall),
            fmt(r.overall_1000, 0),
            band_name(criteria, r.band, lang),
            verdict_word(r.readiness.verdict, lang),
            vetoes or "—",
            f"{r.completeness:.0%}" + (" *" if r.provisional else ""),
        )
    return table


def criteria_table(criteria: CriteriaSet, lang: Lang) -> Table:
    title = f"{criteria.id} {criteria.version}: {criteria.title.in_lang(lang)}"
    table = Table(title=escape(title), title_justify="left")
    table.add_column(word("theme", lang))
    table.add_column(word("questions", lang), justify="right")
    for name in criteria.profiles:
        table.add_column(word("weight", lang, profile=name), justify="right")
    table.add_column(word("floor", lang), justify="right")
    for theme in criteria.themes:
        weights = [number_as_written(p.theme_weights.get(theme.id, 0)) for p in criteria.profiles.values()]
        table.add_row(
            escape(f"{theme.id}: {theme.title.in_lang(lang)}"),
            str(len(theme.questions)),
            *weights,
            number_as_written(criteria.award.floor_for(theme.id)),
        )
    return table
