"""Turn assess's own exceptions into friendly output and exit code 1 at the CLI edge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from assess.cli.console import err
from assess.errors import Problem, UserError
from assess.files import os_reason
from assess.messages import said_error, say
from assess.models.common import Lang


def print_problems(problems: list[Problem], console: Console = err, lang: Lang = "en") -> None:
    for problem in problems:
        style = "yellow" if problem.severity == "warning" else "red"
        label = say("warning" if problem.severity == "warning" else "error").in_lang(lang)
        console.print(f"  [{style}]{label}[/{style}] {escape(problem.shown(lang))}")


def report_user_error(exc: UserError, lang: Lang = "en") -> None:
    err.print(f"[bold red]✗[/bold red] {escape(exc.summary_in(lang))}")
    print_problems(exc.problems, lang=lang)


def os_error(exc: OSError) -> UserError:
    """A file the system refused that no part of assess turned into a user error: said plainly, with the path."""
    name = exc.filename if exc.filename is not None else exc.filename2
    if name is None:
        return said_error(say("os_error_no_file"), [("", os_reason(exc))])
    shown = name.decode(errors="replace") if isinstance(name, bytes) else str(name)
    return said_error(say("os_error", name=shown), [(shown, os_reason(exc))])


@contextmanager
def user_errors(lang: Lang = "en") -> Iterator[None]:
    """Run a command body; a user error is printed (no traceback, in `lang` where we have the words) and exits 1.

    An OSError that escaped (a file the system refused) is shown the same way: never a traceback.
    """
    try:
        yield
    except UserError as exc:
        report_user_error(exc, lang)
        raise typer.Exit(1) from None
    except OSError as exc:
        report_user_error(os_error(exc), lang)
        raise typer.Exit(1) from None
