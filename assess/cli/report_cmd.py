"""`assess report`: one firm's PDF report (and optionally its HTML and action-plan sheet)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from assess import api
from assess.cli.console import out
from assess.cli.errors import user_errors
from assess.cli.tables import word
from assess.models.common import Lang


class ModeOption(StrEnum):
    zh = "zh"
    en = "en"
    bilingual = "bilingual"


class VariantOption(StrEnum):
    pdfa3b = "pdf/a-3b"


def report(
    file: Annotated[Path, typer.Argument(help="A response file (YAML, JSON or XLSX workbook).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF.")],
    lang: Annotated[ModeOption, typer.Option("--lang", help="zh, en or bilingual.")] = ModeOption.bilingual,
    brand: Annotated[
        Path | None, typer.Option(help="A brand file (YAML): name, logo, colour, contact, footer.")
    ] = None,
    templates: Annotated[Path | None, typer.Option(help="A folder of templates overriding the built-in ones.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write the report's HTML here.")] = None,
    pdf_variant: Annotated[VariantOption | None, typer.Option("--pdf-variant", help="pdf/a-3b for archiving.")] = None,
    actions_xlsx: Annotated[
        Path | None, typer.Option("--actions-xlsx", help="Also write the roadmap as a sheet.")
    ] = None,
    criteria: Annotated[Path | None, typer.Option("--criteria", "-c", help="Criteria set folder.")] = None,
    profile: Annotated[str | None, typer.Option(help="Weighting profile, e.g. improvement or award.")] = None,
) -> None:
    """Render the PDF improvement report of one firm."""
    said: Lang = "zh" if lang is ModeOption.zh else "en"  # a bilingual report's reader gets English messages
    with user_errors(said):
        written = api.write_report(
            file,
            output,
            mode=lang.value,
            brand_file=brand,
            templates=templates,
            html_path=html,
            variant=pdf_variant.value if pdf_variant else None,
            actions_xlsx=actions_xlsx,
            criteria_dir=criteria,
            profile=profile,
        )
    for path in written:
        out.print(f"[green]✓[/green] {escape(word('wrote', said, path=str(path)))}")
