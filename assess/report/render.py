"""The report API: a scored firm -> HTML -> PDF bytes (and the HTML on request)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from assess.models.common import Mode
from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult
from assess.report.brand import Brand
from assess.report.charts import Marker
from assess.report.context import ReportContext, build_context
from assess.report.fonts import FontSet, check_rendering_setup
from assess.report.pdf import Attachment, PdfVariant, html_to_pdf
from assess.report.templating import (
    builtin_templates,
    load_labels,
    make_environment,
    plain,
    render_template,
    translate,
)

MAIN_TEMPLATE = "report/report.html.j2"
RESULT_ATTACHMENT = "assess-result.json"


@dataclass(frozen=True)
class ReportOptions:
    """How to render: language mode, brand, template folder, PDF variant."""

    mode: Mode = "bilingual"
    brand: Brand = field(default_factory=Brand)
    templates: Path | None = None
    variant: PdfVariant | None = None
    generated: dt.datetime | None = None
    cohort_markers: list[list[Marker]] | None = None
    previous: dict[str, float | None] | None = None  # score changes against an earlier assessment


def report_context(criteria: CriteriaSet, result: ScoreResult, options: ReportOptions) -> ReportContext:
    folders = [f for f in (options.templates, builtin_templates()) if f is not None]
    labels = load_labels(folders)
    logo = options.brand.logo_path()
    generated = options.generated or dt.datetime.now(dt.UTC).astimezone().replace(microsecond=0)
    return build_context(
        criteria,
        result,
        labels,
        options.mode,
        options.brand,
        logo.as_uri() if logo else None,
        generated,
        options.cohort_markers,
        options.previous,
    )


def report_html(
    criteria: CriteriaSet, result: ScoreResult, options: ReportOptions, fonts: FontSet | None = None
) -> str:
    """The report as one HTML document (fonts referenced by file URL when a FontSet is given)."""
    context = report_context(criteria, result, options)
    env = make_environment(options.templates)
    env.filters["tr"] = translate(options.mode)
    env.filters["plain"] = plain(options.mode)
    return render_template(env, MAIN_TEMPLATE, report=context, font_css=fonts.font_face_css() if fonts else "")


def result_attachment(result: ScoreResult) -> Attachment:
    data = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2).encode("utf-8")
    return Attachment(RESULT_ATTACHMENT, data, "assess scoring result (JSON, docs/result-format.md)")


def render_report(criteria: CriteriaSet, result: ScoreResult, options: ReportOptions | None = None) -> bytes:
    """The PDF report of one scored firm, with its result embedded as a JSON attachment."""
    options = options or ReportOptions()
    fonts = check_rendering_setup()
    html = report_html(criteria, result, options, fonts)
    allowed = [builtin_templates(), fonts.folder]
    if options.templates is not None:
        allowed.append(options.templates)
    if options.brand.folder is not None:
        allowed.append(options.brand.folder)
    return html_to_pdf(html, allowed_folders=allowed, attachments=[result_attachment(result)], variant=options.variant)
