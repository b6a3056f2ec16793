"""Turn assess's own exceptions into friendly output and exit code 1 at the CLI edge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from assess.cli.console import err
from assess.errors import Problem, UserError
from assess.messages import say
from assess.models.common import Lang


def print_problems(problems: list[Problem], console: Console = err, lang: Lang = "en") -> None:
    for problem in problems:
        style = "yellow" if problem.severity == "warning" else "red"
        label = say("warning" if problem.severity == "warning" else "error").in_lang(lang)
        console.print(f"  [{style}]{label}[/{style}] {escape(problem.shown(lang))}")


def report_user_error(exc: UserError, lang: Lang = "en") -> None:
    err.print(f"[bold red]✗[/bold red] {escape(exc.summary_in(lang))}")
    print_problems(exc.problems, lang=lang)


@contextmanager
def user_errors(lang: Lang = "en") -> Iterator[None]:
    """Run a command body; a user error is printed (no traceback, in `lang` where we have the words) and exits 1."""
    try:
        yield
    except UserError as exc:
        report_user_error(exc, lang)
        raise typer.Exit(1) from None
