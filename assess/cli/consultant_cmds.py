"""`assess consultant add|list|password|remove`: the web app's consultant accounts, in its database."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from assess.cli.console import out
from assess.cli.errors import user_errors

if TYPE_CHECKING:
    from assess.web.storage import Store

consultant_app = typer.Typer(
    help="Consultant accounts of the web app (`assess serve`): each consultant logs in with their own name.",
    no_args_is_help=True,
)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL, as for `assess serve` (default: ASSESS_WEB_DB or sqlite:///assess-web.db)."
    ),
]
NameArg = Annotated[str, typer.Argument(help="The consultant's login name, e.g. 王芳 or wang.fang.")]
StdinOpt = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input (scripts).")
]


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
    """The web app's database (migrated to this version on opening, as `assess serve` does)."""
    from assess.web.settings import WebSettings
    from assess.web.storage import Store

    store = Store(WebSettings.from_env(db_url=db).db_url)
    try:
        yield store
    finally:
        store.close()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@consultant_app.command()
def add(name: NameArg, db: DbOpt = None, password_stdin: StdinOpt = False) -> None:
    """Add an account; the password is asked for twice (it is stored only as a hash)."""
    from assess.web.accounts import add_consultant

    with user_errors(), _store(db) as store:
        account = add_consultant(store, name, _password(password_stdin))
        out.print(f"[green]✓[/green] consultant account '{escape(account.name)}' added")


@consultant_app.command("list")
def list_accounts(db: DbOpt = None) -> None:
    """List the accounts: name and when each was added."""
    with user_errors(), _store(db) as store:
        accounts = store.consultants()
        if not accounts:
            out.print("no consultant accounts yet: add one with `assess consultant add NAME`")
        for account in accounts:
            out.print(f"{escape(account.name)}  [dim]added {account.created_at:%Y-%m-%d %H:%M} UTC[/dim]")


@consultant_app.command()
def password(name: NameArg, db: DbOpt = None, password_stdin: StdinOpt = False) -> None:
    """Set a new password for an account; its open sessions end."""
    from assess.web.accounts import set_password

    with user_errors(), _store(db) as store:
        set_password(store, name, _password(password_stdin))
        out.print(f"[green]✓[/green] password of '{escape(name)}' changed; its open sessions have ended")


@consultant_app.command()
def remove(name: NameArg, db: DbOpt = None) -> None:
    """Remove an account; its open sessions end, and the invites it made keep its name."""
    from assess.web.accounts import remove_consultant

    with user_errors(), _store(db) as store:
        remove_consultant(store, name)
        out.print(f"[green]✓[/green] consultant account '{escape(name)}' removed")
