"""`assess consultant add|list|password|remove|disable-shared-password`: the web app's logins, in its database."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from assess.cli.console import out
from assess.cli.errors import user_errors
from assess.errors import Problem, UserError
from assess.messages import say

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
def _store(db: str | None, create: bool = False) -> Iterator[tuple[Store, str]]:
    """The web app's database and where it is; migrated on opening, as `assess serve` does.

    Only `add` may create a SQLite file: a mistyped path must not quietly become an empty database.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from assess.web.settings import WebSettings
    from assess.web.storage import Store, normalise_url

    url = WebSettings.from_env(db_url=db).db_url
    where = re.sub(r"//([^/@:]*):[^/@]*@", r"//\1:***@", url)  # never print a password
    try:
        parsed = make_url(normalise_url(url))
        sqlite_file = parsed.database if parsed.get_backend_name() == "sqlite" else None
        if sqlite_file and not create and not Path(sqlite_file).is_file():
            raise _no_database(where, say("no_database_file").in_lang("en"), say("no_database_file").in_lang("zh"))
        store = Store(url)
    except (ValueError, ArgumentError, SQLAlchemyError) as exc:
        raise _no_database(where, str(exc).splitlines()[0]) from None
    try:
        yield store, where
    except SQLAlchemyError as exc:
        raise _no_database(where, str(exc).splitlines()[0]) from None
    finally:
        store.close()


def _no_database(where: str, why: str, why_zh: str | None = None) -> UserError:
    summary = say("cannot_use_database")
    return UserError(summary.in_lang("en"), [Problem(where, why, message_zh=why_zh)], summary_zh=summary.in_lang("zh"))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@consultant_app.command()
def add(name: NameArg, db: DbOpt = None, password_stdin: StdinOpt = False) -> None:
    """Add an account; the password is asked for twice (it is stored only as a hash)."""
    from assess.web.accounts import add_consultant

    with user_errors(), _store(db, create=True) as (store, where):
        account = add_consultant(store, name, _password(password_stdin))
        out.print(f"[green]✓[/green] consultant account '{escape(account.name)}' added to {escape(where)}")


@consultant_app.command("list")
def list_accounts(db: DbOpt = None) -> None:
    """List the accounts: name and when each was added."""
    with user_errors(), _store(db) as (store, where):
        accounts = store.consultants()
        if not accounts:
            out.print(f"no consultant accounts in {escape(where)}: add one with `assess consultant add NAME`")
        for account in accounts:
            out.print(f"{escape(account.name)}  [dim]added {account.created_at:%Y-%m-%d %H:%M} UTC[/dim]")


@consultant_app.command()
def password(name: NameArg, db: DbOpt = None, password_stdin: StdinOpt = False) -> None:
    """Set a new password for an account; its open sessions end."""
    from assess.web.accounts import find_consultant, set_password

    with user_errors(), _store(db) as (store, where):
        account = find_consultant(store, name)  # before asking for a password it could not use
        set_password(store, account.name, _password(password_stdin))
        changed = f"password of '{escape(account.name)}' changed in {escape(where)}"
        out.print(f"[green]✓[/green] {changed}; its open sessions have ended")


@consultant_app.command()
def remove(name: NameArg, db: DbOpt = None) -> None:
    """Remove an account; its open sessions end, and the invites it made keep its name."""
    from assess.web.accounts import find_consultant, remove_consultant

    with user_errors(), _store(db) as (store, where):
        account = find_consultant(store, name)
        remove_consultant(store, account.name)
        out.print(f"[green]✓[/green] consultant account '{escape(account.name)}' removed from {escape(where)}")


@consultant_app.command("disable-shared-password")
def disable_shared(db: DbOpt = None) -> None:
    """Turn off the shared password (ASSESS_WEB_PASSWORD), so only accounts log in; its sessions end."""
    from assess.web.accounts import disable_shared_password

    with user_errors(), _store(db) as (store, where):
        if disable_shared_password(store):
            out.print(
                f"[green]✓[/green] the shared password is off in {escape(where)}; "
                "start the server without ASSESS_WEB_PASSWORD, or it is set again"
            )
        else:
            out.print(f"no shared password was set in {escape(where)}")
