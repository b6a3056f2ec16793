"""`assess criteria list|show|check`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from assess import api
from assess.cli.console import out
from assess.cli.errors import print_problems, user_errors
from assess.cli.questionnaire_cmds import MessageLang
from assess.cli.tables import criteria_table, word
from assess.messages import say
from assess.models.common import Lang, number_as_written

criteria_app = typer.Typer(help="List, show and check criteria sets.", no_args_is_help=True)


@criteria_app.command("list")
def list_sets(root: Annotated[Path | None, typer.Argument(help="Folder of criteria sets.")] = None) -> None:
    """List the criteria sets in a folder (the built-in ones by default)."""
    with user_errors():
        for folder in api.list_criteria_sets(root):
            criteria = api.load_criteria(folder)
            count = len(criteria.questions)
            out.print(
                f"{criteria.id} {criteria.version}  {len(criteria.themes)} themes, {count} questions  "
                f"{escape(str(folder))}"
            )
            out.print(f"  {criteria.title.zh}\n  {criteria.title.en}")


@criteria_app.command()
def show(
    path: Annotated[Path | None, typer.Argument(help="Criteria set folder (default: the built-in set).")] = None,
    lang: Annotated[MessageLang, typer.Option("--lang", help="zh or en.")] = MessageLang.en,
    questions: Annotated[bool, typer.Option("--questions", help="List every question too.")] = False,
) -> None:
    """Show a criteria set: themes, weights per profile, floors, vetoes and gates."""
    language: Lang = "zh" if lang is MessageLang.zh else "en"
    with user_errors(language):
        criteria = api.load_criteria(path)
    out.print(criteria_table(criteria, language))
    for veto in criteria.vetoes:
        title = escape(veto.title.in_lang(language))
        out.print(f"{word('veto', language)} {veto.id}: {title}  [dim]({escape(veto.when.describe(language))})[/dim]")
    for gate in criteria.gates:
        if gate.theme:
            cap = word("level_cap", language, theme=gate.theme, level=gate.cap_level)
        else:
            cap = word("band_cap", language, band=gate.cap_band)
        out.print(
            f"{word('gate', language)} {gate.id}: {escape(gate.title.in_lang(language))}  [dim]({escape(cap)})[/dim]"
        )
    if questions:
        for theme in criteria.themes:
            out.print(f"\n[bold]{escape(theme.title.in_lang(language))}[/bold]")
            for q in theme.questions:
                out.print(f"  {q.id} [{q.kind}, w {number_as_written(q.weight)}] {escape(q.text.in_lang(language))}")


@criteria_app.command()
def new(
    dest: Annotated[Path, typer.Argument(help="Folder for the new set (must not exist yet).")],
    set_id: Annotated[str, typer.Option("--id", help="The new set's id, e.g. acme-export-2027.")],
    source: Annotated[
        Path | None, typer.Option("--from", help="Set to start from (default: the built-in set).")
    ] = None,
) -> None:
    """Start your own criteria set as a copy of an existing one, with a new id and version 0.1.0."""
    with user_errors():
        folder = api.new_criteria_set(dest, set_id, source)
        criteria = api.load_criteria(folder)
    summary = word("criteria_summary", "en", id=criteria.id, version=criteria.version, count=len(criteria.questions))
    out.print(f"[green]✓[/green] {escape(str(folder))}: {escape(summary)}")
    out.print(f"  edit the YAML files, then run: assess criteria check {escape(str(folder))}")


@criteria_app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Criteria set folders, or a folder of sets.")],
    lang: Annotated[MessageLang, typer.Option("--lang", help="Language of the problems found.")] = MessageLang.en,
) -> None:
    """Lint criteria sets: ids, weights, points, texts in both languages, advice, rule references."""
    said: Lang = "zh" if lang is MessageLang.zh else "en"
    failed = False
    for path in paths:
        for loaded in api.check_criteria_folder(path):
            folder = loaded.folder or path
            if loaded.errors:
                failed = True
                found = say("criteria_problems", count=len(loaded.errors)).in_lang(said)
                out.print(f"[red]✗[/red] {escape(str(folder))}: {escape(found)}")
            else:
                crit = loaded.criteria
                count = len(crit.questions) if crit else 0
                summary = word("criteria_summary", said, id=crit.id, version=crit.version, count=count) if crit else ""
                out.print(f"[green]✓[/green] {escape(str(folder))}: {escape(summary)}")
            print_problems(loaded.problems, out, said)
    if failed:
        raise typer.Exit(1)
