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
from assess.cli.tables import word
from assess.errors import Problem, UserError
from assess.messages import say
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


def message_lang(mode: ModeOption) -> Lang:
    """The language of a command's messages: Chinese with --lang zh; English with en or bilingual."""
    return "zh" if mode is ModeOption.zh else "en"


def status_word(status: str, lang: Lang) -> str:
    """A response's status (draft, final) in `lang`; another value as it is."""
    return word(f"status_{status}", lang) if status in ("draft", "final") else status


CriteriaOpt = Annotated[Path | None, typer.Option("--criteria", "-c", help="Criteria set folder.")]
ModeOpt = Annotated[ModeOption, typer.Option("--lang", help="zh, en or bilingual.")]


def questionnaire(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the questionnaire.")],
    fmt: Annotated[
        FormatOption | None,
        typer.Option(
            "--format",
            "-f",
            help="xlsx, yaml, json-schema, xlsform or html (default: from the file name: .xlsx, .yaml, .json, .html).",
        ),
    ] = None,
    lang: ModeOpt = ModeOption.bilingual,
    criteria: CriteriaOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a blank questionnaire generated from the criteria set."""
    said = message_lang(lang)
    with user_errors(said):
        path = api.write_questionnaire(output, fmt.value if fmt else None, lang.value, criteria, force=force)
    out.print(f"[green]✓[/green] {escape(word('wrote', said, path=str(path)))}")


def import_submissions(
    file: Annotated[Path, typer.Argument(help="A KoboToolbox/ODK submissions export (CSV or XLSX).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for one response file per firm.")],
    criteria: CriteriaOpt = None,
    lang: Annotated[MessageLang, typer.Option("--lang", help="Language of the problems found.")] = MessageLang.en,
) -> None:
    """Turn a survey-platform export into one response file per firm, and check each."""
    said: Lang = "zh" if lang is MessageLang.zh else "en"
    with user_errors(said):
        imported = api.import_submissions(file, output, criteria, said)
    rejected: list[Problem] = []
    failed = 0
    for item in imported:
        if item.path is None:  # the submission does not fit: said below with the others, by row and column
            rejected.extend(item.error.problems if item.error else [])
            failed += 1
        elif item.error is None:
            out.print(f"[green]✓[/green] {escape(str(item.path))}")
            print_problems(list(item.warnings), lang=said)  # a draft's missing answers, a name changed
        else:
            failed += 1
            print_problems(list(item.warnings), lang=said)
            report_user_error(item.error, said)
    if rejected:
        count = sum(1 for item in imported if item.path is None)
        summary = say("submissions_do_not_fit", name=file.name, count=count, criteria=criteria_id(criteria))
        report_user_error(UserError(str(summary), rejected, summary.in_lang("zh")), said)
    written = sum(1 for item in imported if item.path is not None)
    total = say("submissions_written", count=written, total=len(imported), folder=str(output))
    out.print(escape(total.in_lang(said)))
    if failed:
        raise typer.Exit(1)


def criteria_id(folder: Path | None) -> str:
    """The id of the criteria set in `folder` (the built-in set by default), to name it in a message."""
    return api.load_criteria(folder).id


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
    from assess.files import probe_writable
    from assess.questionnaire.interactive import fill as run_fill
    from assess.questionnaire.interactive import load_partial
    from assess.questionnaire.response_writer import check_response_path, save_response

    said = message_lang(lang)
    with user_errors(said):
        probe_writable(check_response_path(output))  # a file that could not be saved: said before the first question
        criteria_set = api.load_criteria(criteria)
        source = resume or (output if output.exists() else None)
        data: dict[str, Any] | None = load_partial(source) if source else None

        def save(current: dict[str, Any]) -> None:
            save_response(current, output)

        result = run_fill(criteria_set, data, _TerminalIO(), lang.value, save)
        save(result)
    status = str(result.get("status", "draft"))
    saved = word("saved", said, path=str(output), status=status_word(status, said))
    out.print(f"[green]✓[/green] {escape(saved)}")
    if status == "final":
        try:
            response = api.load_response(output, criteria_set)
            print_problems(list(response.warnings), lang=said)
        except UserError as exc:
            report_user_error(exc, said)
            raise typer.Exit(1) from None
