"""`assess batch`: score and report on many firms, with a progress bar."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from assess.batch.run import BatchOptions, BatchSummary, default_criteria_dir, run_batch
from assess.cli.console import err, out
from assess.cli.errors import user_errors
from assess.messages import say
from assess.models.common import Lang
from assess.report.brand import Brand, load_brand


class ModeOption(StrEnum):
    zh = "zh"
    en = "en"
    bilingual = "bilingual"


def run_with_progress(inputs: list[Path], options: BatchOptions, lang: Lang | None = None) -> BatchSummary:
    """Run a batch with a rich progress bar (rate and ETA) on stderr, labelled in `lang`: the command's language
    (`assess demo --lang zh` writes bilingual reports but speaks Chinese), by default the batch's (Chinese with
    `--lang zh`, English with en and bilingual)."""
    lang = lang or options.lang
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        tasks: dict[str, TaskID] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                label = say(f"progress_{phase}").in_lang(lang) if phase in ("score", "reports") else phase
                tasks[phase] = progress.add_task(label, total=total, rate="")
            task = progress.tasks[tasks[phase]]
            speed = task.speed
            progress.update(tasks[phase], completed=done, rate=f"{speed:,.1f}/s" if speed else "")

        return run_batch(inputs, options, update)


def _rate(count: int, seconds: float, lang: Lang) -> str:
    """`in 0.61 s (1,639/s)`: how long a pass took, for people planning a season's batch."""
    if count == 0 or seconds <= 0:
        return ""
    speed = f"{count / seconds:,.0f}" if count / seconds >= 10 else f"{count / seconds:.2f}"
    shown = f"{seconds:.2f}" if count / seconds >= 10 else f"{seconds:.1f}"
    return ("" if lang == "zh" else " ") + say("batch_rate", seconds=shown, speed=speed).in_lang(lang)


def print_summary(summary: BatchSummary, lang: Lang = "en") -> None:
    """What was done and what failed, in Chinese with `--lang zh` (otherwise English)."""
    semicolon, comma = ("；", "，") if lang == "zh" else ("; ", ", ")
    scored = say("batch_scored", count=summary.scored).in_lang(lang) + _rate(
        summary.scored, summary.scoring_seconds, lang
    )
    reports = say("batch_reports", count=summary.reports_written).in_lang(lang) + _rate(
        summary.reports_written, summary.reports_seconds, lang
    )
    failed = say("batch_failed", count=summary.failed_inputs).in_lang(lang)
    unchanged = say("batch_unchanged", count=summary.reports_skipped).in_lang(lang)
    line = scored + semicolon + failed + semicolon + reports + comma + unchanged
    if summary.report_errors:
        line += comma + say("batch_report_failures", count=summary.report_errors).in_lang(lang)
    mark = "[green]✓[/green]" if summary.ok else "[yellow]![/yellow]"
    out.print(f"{mark} {escape(line)}")
    for firm, inputs in summary.duplicates:
        twice = say("firm_given_twice", firm=firm, count=len(inputs), inputs=", ".join(inputs)).in_lang(lang)
        err.print(f"  [yellow]{escape(say('warning').in_lang(lang))}[/yellow] {escape(twice)}")
    for table, ids in summary.missing_columns:
        lacking = say("table_lacks_questions", ids=ids, count=len(ids)).in_lang(lang)
        err.print(f"  [yellow]{escape(say('warning').in_lang(lang))}[/yellow] {escape(table)}: {escape(lacking)}")
    if summary.previous_matched is not None:
        found = say("previous_matched", count=summary.previous_matched, total=summary.scored).in_lang(lang)
        if summary.previous_matched == 0 and summary.scored:
            err.print(f"[yellow]{escape(found)}[/yellow]")
        else:
            out.print(escape(found))
    label = say("error").in_lang(lang)
    for error in summary.errors[:20]:
        where = f"{error.location}: " if error.location else ""
        err.print(f"  [red]{label}[/red] {escape(error.input)}: {escape(where + error.message)}")
    if len(summary.errors) > 20:
        err.print(f"  {escape(say('batch_more_errors', count=len(summary.errors) - 20).in_lang(lang))}")
    out.print(escape(say("batch_outputs", path=str(summary.outdir.resolve())).in_lang(lang)))


def batch(
    inputs: Annotated[list[Path], typer.Argument(help="Response files, folders of them, or tables (CSV/XLSX).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")],
    jobs: Annotated[int, typer.Option(help="Worker processes (0 = one per core).")] = 0,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Write a PDF report per firm and cohort.pdf.")] = True,
    lang: Annotated[
        ModeOption, typer.Option("--lang", help="zh, en or bilingual (with zh, errors.csv is in Chinese too).")
    ] = ModeOption.bilingual,
    brand: Annotated[Path | None, typer.Option(help="A brand file for the reports.")] = None,
    templates: Annotated[Path | None, typer.Option(help="Templates overriding the built-in ones.")] = None,
    previous: Annotated[Path | None, typer.Option(help="An earlier batch's output folder or results.jsonl.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Column mapping for survey-platform tables (YAML).")] = None,
    force: Annotated[bool, typer.Option(help="Render every report even if nothing changed.")] = False,
    criteria: Annotated[Path | None, typer.Option("--criteria", "-c", help="Criteria set folder.")] = None,
    profile: Annotated[str | None, typer.Option(help="Weighting profile.")] = None,
) -> None:
    """Score many firms in parallel: summary tables, results, reports, cohort view and an error list."""
    said: Lang = "zh" if lang is ModeOption.zh else "en"
    with user_errors(said):
        options = BatchOptions(
            outdir=output,
            criteria_dir=criteria or default_criteria_dir(),
            jobs=jobs,
            pdf=pdf,
            mode=lang.value,
            brand=load_brand(brand) if brand else Brand(),
            templates=templates,
            previous=previous,
            mapping=mapping,
            force=force,
            profile=profile,
        )
        try:
            summary = run_with_progress(inputs, options, said)
        except KeyboardInterrupt:
            err.print(f"[yellow]{escape(say('batch_interrupted').in_lang(said))}[/yellow]")
            raise typer.Exit(130) from None
    print_summary(summary, said)
    if not summary.ok:
        raise typer.Exit(1)
