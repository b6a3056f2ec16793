"""Per-firm PDF reports inside a batch: cohort markers on the charts, safe file names, a worker task."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assess.batch.cohort import CohortStats
from assess.batch.inputs import BatchItem
from assess.batch.rows import FirmRow
from assess.batch.worker import criteria_for, failure_message, score_item_result
from assess.errors import UserError
from assess.files import write_atomic
from assess.models.common import Lang, Mode, Text
from assess.models.criteria import CriteriaSet
from assess.report.brand import Brand
from assess.report.charts import Marker
from assess.report.context import chart_label
from assess.report.render import ReportOptions, render_report

MEDIAN_COLOUR = "#7f8c8d"
TOP_QUARTILE_COLOUR = "#1e8449"
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def cohort_markers(
    criteria: CriteriaSet, stats: CohortStats, labels: dict[str, Text], mode: Mode
) -> list[list[Marker]]:
    """Per theme: the cohort median and top-quartile threshold, drawn next to the firm's bar."""
    median_label = chart_label(labels["cohort_median"], mode)
    top_label = chart_label(labels["cohort_top_quartile"], mode)
    markers: list[list[Marker]] = []
    for theme in criteria.themes:
        dist = stats.themes.get(theme.id)
        if dist is None:
            markers.append([])
            continue
        markers.append(
            [
                Marker(median_label, dist.median, MEDIAN_COLOUR, dashed=True),
                Marker(top_label, dist.p75, TOP_QUARTILE_COLOUR),
            ]
        )
    return markers


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:40].strip("-")


def report_file_name(index: int, firm: str, credit_code: str, stem: str = "") -> str:
    """`0007-<ascii slug>.pdf` from the firm name, else the input file's name, else the credit code.

    No path separators, no dot files, no Windows device names; unique by index.
    """
    slug = _slug(firm)
    if len(slug) < 3:
        slug = _slug(stem) if len(_slug(stem)) >= 3 else _slug(credit_code) or "firm"
    if slug.upper() in _RESERVED:
        slug = f"firm-{slug}"
    return f"{index + 1:04d}-{slug}.pdf"


@dataclass(frozen=True)
class RenderTask:
    item: BatchItem
    criteria_folder: Path
    profile: str | None
    options: ReportOptions
    target: Path


@dataclass(frozen=True)
class CohortTask:
    """cohort.pdf, rendered in the pool beside the firm reports rather than after them."""

    criteria_folder: Path
    rows: list[FirmRow]
    stats: CohortStats
    mode: Mode
    brand: Brand
    templates: Path | None
    target: Path


COHORT_INDEX = -1


def render_any(task: RenderTask | CohortTask) -> tuple[int, str | None]:
    """A pool task: a firm report (its index) or the cohort report (COHORT_INDEX), with any error."""
    if isinstance(task, RenderTask):
        return render_item(task)
    from assess.batch.cohort_report import render_cohort_pdf

    criteria = criteria_for(task.criteria_folder)
    lang = _lang(task.mode)
    try:
        pdf = render_cohort_pdf(criteria, task.rows, task.stats, task.mode, task.brand, task.templates)
        write_atomic(task.target, pdf)
    except UserError as exc:
        return COHORT_INDEX, one_line(exc, lang)
    except Exception as exc:  # a bug in assess: the firm reports and the tables still come out
        return COHORT_INDEX, failure_message(exc, lang)
    return COHORT_INDEX, None


def _lang(mode: Mode) -> Lang:
    return "zh" if mode == "zh" else "en"


def one_line(exc: UserError, lang: Lang) -> str:
    """A user error as one line of errors.csv, in `lang` where assess has the words: the summary, then each problem."""
    problems = "; ".join(problem.shown(lang) for problem in exc.problems)
    return f"{exc.summary_in(lang)}: {problems}" if problems else exc.summary_in(lang)


def render_item(task: RenderTask) -> tuple[int, str | None]:
    """Score one firm again (cheap) and write its report; returns (index, error message or None)."""
    criteria = criteria_for(task.criteria_folder)
    try:
        result = score_item_result(task.item, criteria, task.profile)
        write_atomic(task.target, render_report(criteria, result, task.options))
    except UserError as exc:
        return task.item.index, one_line(exc, _lang(task.options.mode))
    except Exception as exc:  # a bug in assess met on this firm: the other reports still come out
        return task.item.index, failure_message(exc, _lang(task.options.mode))
    return task.item.index, None
