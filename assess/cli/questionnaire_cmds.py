"""`assess questionnaire`, `assess import-submissions` and `assess fill`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from assess import api
from assess.cli.console import out
from assess.cli.errors import print_problems, report_user_error, user_errors
from assess.errors import UserError
from assess.models.common import Lang


class FormatOption(StrEnum):
    xlsx = "xlsx"
    yaml = "yaml"
    json_schema = "json-schema"
    xlsform = "xlsform"
    html = "html"


class MessageLang(StrEnum):
    zh = "zh"
    en = "en"


class ModeOption(StrEnum):
    zh = "zh"
    en = "en"
    bilingual = "bilingual"


CriteriaOpt = Annotated[Path | None, typer.Option("--criteria", "-c", help="Criteria set folder.")]
ModeOpt = Annotated[ModeOption, typer.Option("--lang", help="zh, en or bilingual.")]


def questionnaire(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the questionnaire.")],
    fmt: Annotated[FormatOption, typer.Option("--format", "-f", help="xlsx, yaml, json-schema, xlsform or html.")] = (
        FormatOption.xlsx
    ),
    lang: ModeOpt = ModeOption.bilingual,
    criteria: CriteriaOpt = None,
) -> None:
    """Write a blank questionnaire generated from the criteria set."""
    with user_errors():
        path = api.write_questionnaire(output, fmt.value, lang.value, criteria)
    out.print(f"[green]✓[/green] wrote {escape(str(path))}")


def import_submissions(
    file: Annotated[Path, typer.Argument(help="A KoboToolbox/ODK submissions export (CSV or XLSX).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for one response file per firm.")],
    criteria: CriteriaOpt = None,
    lang: Annotated[MessageLang, typer.Option("--lang", help="Language of the problems found.")] = MessageLang.en,
) -> None:
    """Turn a survey-platform export into one response file per firm, and check each."""
    said: Lang = "zh" if lang is MessageLang.zh else "en"
    with user_errors(said):
        written = api.import_submissions(file, output, criteria, said)
    failed = 0
    for path, problem, warnings in written:
        if problem is None:
            out.print(f"[green]✓[/green] {escape(str(path))}")
            print_problems(list(warnings), lang=said)  # a draft says which required answers it lacks
        else:
            failed += 1
            report_user_error(problem, said)
    out.print(f"{len(written)} responses written to {escape(str(output))}")
    if failed:
        raise typer.Exit(1)


class _TerminalIO:
    """The fill engine's input/output on a terminal, through rich."""

    def show(self, text: str) -> None:
        out.print(text, markup=False, highlight=False)

    def ask(self, prompt: str) -> str:
        return out.input(f"{prompt}: ", markup=False)


def fill(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The response file to write (saved after every answer).")
    ],
    lang: ModeOpt = ModeOption.bilingual,
    resume: Annotated[Path | None, typer.Option(help="A response file to continue.")] = None,
    criteria: CriteriaOpt = None,
) -> None:
    """Answer the questionnaire question by question in the terminal; stop any time and resume later."""
    from assess.questionnaire.interactive import fill as run_fill
    from assess.questionnaire.interactive import load_partial
    from assess.questionnaire.response_writer import save_response

    with user_errors("zh" if lang is ModeOption.zh else "en"):
        criteria_set = api.load_criteria(criteria)
        source = resume or (output if output.exists() else None)
        data: dict[str, Any] | None = load_partial(source) if source else None

        def save(current: dict[str, Any]) -> None:
            save_response(current, output)

        result = run_fill(criteria_set, data, _TerminalIO(), lang.value, save)
        save(result)
    status = result.get("status", "draft")
    out.print(f"[green]✓[/green] saved {escape(str(output))} ({status})")
    if status == "final":
        try:
            response = api.load_response(output, criteria_set)
            print_problems(list(response.warnings))
        except UserError as exc:
            report_user_error(exc)
            raise typer.Exit(1) from None
