"""`assess` commands.  Each parses its options, calls the library, and prints."""

from __future__ import annotations

import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from assess import __version__, api
from assess.batch.run import BatchOptions, default_criteria_dir
from assess.cli.batch_cmd import batch, print_summary, run_with_progress
from assess.cli.console import out
from assess.cli.consultant_cmds import consultant_app
from assess.cli.criteria_cmds import criteria_app
from assess.cli.errors import print_problems, report_user_error, user_errors
from assess.cli.questionnaire_cmds import fill, import_submissions, questionnaire, status_word
from assess.cli.report_cmd import report
from assess.cli.serve_cmd import serve
from assess.cli.tables import band_name, firm_table, league_table, priorities_table, verdict_word, word
from assess.errors import UserError
from assess.files import cannot_write, make_folder
from assess.messages import said_error, say
from assess.models.common import Lang
from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult
from assess.scoring.engine import check_profile

app = typer.Typer(
    help="Export-quality self-assessment against the themes of an export quality award.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(criteria_app, name="criteria")
app.add_typer(consultant_app, name="consultant")


def _show_version(value: bool) -> None:
    if value:
        out.print(f"assess {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Export-quality self-assessment against the themes of an export quality award."""


app.command()(report)
app.command()(questionnaire)
app.command("import-submissions")(import_submissions)
app.command()(fill)
app.command()(batch)
app.command()(serve)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


class LangOption(StrEnum):
    zh = "zh"
    en = "en"


CriteriaOpt = Annotated[
    Path | None, typer.Option("--criteria", "-c", help="Criteria set folder (default: the built-in set).")
]
LangOpt = Annotated[LangOption, typer.Option("--lang", help="Language of theme and band names.")]
FilesArg = Annotated[
    list[Path], typer.Argument(help="Response files (YAML, JSON or XLSX workbook) or folders of them.")
]


def _lang(option: LangOption) -> Lang:
    return "zh" if option is LangOption.zh else "en"


@app.command()
def validate(
    files: FilesArg,
    criteria: CriteriaOpt = None,
    lang: Annotated[LangOption, typer.Option("--lang", help="Language of the problems found.")] = LangOption.en,
) -> None:
    """Check response files against the criteria set; list every problem with its place."""
    shown_in = _lang(lang)
    with user_errors(shown_in):
        criteria_set = api.load_criteria(criteria)
        failed = 0
        for path in _response_files(files):
            try:
                response = api.load_response(path, criteria_set)
            except UserError as exc:
                failed += 1
                report_user_error(exc, shown_in)
                continue
            status = status_word(response.status, shown_in)
            valid = word("valid", shown_in, path=str(path), count=len(response.answers), status=status)
            out.print(f"[green]✓[/green] {escape(valid)}")
            print_problems(list(response.warnings), lang=shown_in)
    if failed:
        raise typer.Exit(1)


def _response_files(files: list[Path]) -> list[Path]:
    """The response files named or found in the folders given; none at all is an error, not a silent success."""
    paths = api.response_files(files)
    if not paths:
        given = [str(f) for f in files]
        raise said_error(
            say("no_response_files"), [(given[0] if given else "", say("no_response_files_in", paths=given))]
        )
    return paths


def _score_files(
    files: list[Path], criteria_set: CriteriaSet, profile: str | None, lang: Lang = "en"
) -> tuple[list[ScoreResult], int]:
    check_profile(criteria_set, profile)  # a mistyped --profile is said once, not once per file
    results: list[ScoreResult] = []
    failed = 0
    for path in _response_files(files):
        try:
            results.append(api.score_file(path, criteria_set, profile))
        except UserError as exc:
            failed += 1
            report_user_error(exc, lang)
    return results, failed


@app.command()
def score(
    files: FilesArg,
    criteria: CriteriaOpt = None,
    profile: Annotated[str | None, typer.Option(help="Weighting profile, e.g. improvement or award.")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")] = OutputFormat.table,
    lang: LangOpt = LangOption.en,
) -> None:
    """Score response files: theme scores, overall, band, vetoes, readiness and priorities."""
    said = _lang(lang)
    with user_errors(said):
        criteria_set = api.load_criteria(criteria)
        results, failed = _score_files(files, criteria_set, profile, said)
    if output_format is OutputFormat.json:
        sys.stdout.write(api.result_json(results))
    else:
        for result in results:
            out.print(firm_table(criteria_set, result, said))
            _print_verdict(criteria_set, result, said)
            if result.priorities:
                out.print(priorities_table(criteria_set, result, said))
            out.print()
        if len(results) > 1:
            out.print(league_table(criteria_set, results, said))
    if failed:
        raise typer.Exit(1)


def _print_verdict(criteria: CriteriaSet, result: ScoreResult, lang: Lang) -> None:
    band = band_name(criteria, result.band, lang)
    line = word("verdict_line", lang, band=f"[bold]{band}[/bold]", verdict=verdict_word(result.readiness.verdict, lang))
    vetoes = [v.id for v in result.vetoes if v.status == "triggered"]
    if vetoes:
        line += f"   [bold red]{word('veto_line', lang, ids=', '.join(vetoes))}[/bold red]"
    if result.provisional:
        line += f"   [magenta]{word('provisional_line', lang, share=f'{result.completeness:.0%}')}[/magenta]"
    out.print(line)


@app.command()
def demo(
    lang: LangOpt = LangOption.en,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder of the demo batch.")] = Path("out/demo"),
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Write the PDF reports and cohort.pdf.")] = True,
) -> None:
    """Score every fictional exporter in seeds/, print a league table, and write the full batch output."""
    said = _lang(lang)
    with user_errors(said):
        _check_output_folder(output)  # as `assess batch` does: a folder that cannot be written is said before any table
        criteria_set = api.load_criteria()
        results, failed = _score_files([api.seeds_dir()], criteria_set, None, said)
        out.print(league_table(criteria_set, results, said))
        out.print(escape(say("provisional_footnote").in_lang(said)))
        options = BatchOptions(outdir=output, criteria_dir=default_criteria_dir(), pdf=pdf, mode="bilingual")
        summary = run_with_progress([api.seeds_dir()], options, said)  # bilingual reports, said in --lang
    print_summary(summary, said)
    if failed or not summary.ok:
        raise typer.Exit(1)


def _check_output_folder(folder: Path) -> None:
    """Make `folder` (as the batch will) and make sure a file can be made in it; a refusal is a user error naming it."""
    make_folder(folder)
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=".assess-probe.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(folder, exc) from None
    os.close(handle)
    Path(name).unlink(missing_ok=True)


def main() -> None:
    app()
