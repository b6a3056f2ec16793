"""Consultant accounts: one per person, so an office sees who invited which firm and can end one person's access.

Login names are matched the way people type them: NFKC-normalised (full-width letters and digits
count as their ASCII twins), runs of spaces collapsed, case ignored.  Passwords are stored only as
scrypt hashes.  The server's shared password (ASSESS_WEB_PASSWORD) keeps working beside the accounts:
it logs in with an empty name.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from assess.errors import Problem, UserError
from assess.messages import Message, say
from assess.web.security import hash_password, verify_password
from assess.web.storage import Consultant, Store

MIN_PASSWORD = 8
MAX_NAME = 100  # characters of the login name, after case folding (which can lengthen it: ß -> ss)
SHARED_PASSWORD_KEY = "password_hash"  # where the shared password's hash is kept (the meta table)


@lru_cache(maxsize=1)
def _no_account_hash() -> str:
    """Checked when a name is unknown, so a wrong name takes as long as a wrong password (no probing for names)."""
    return hash_password("no such account")


def _refuse(action: str, message: Message, name: str = "") -> UserError:
    summary = say(action)
    problem = Problem(_printable(name), message.in_lang("en"), message_zh=message.in_lang("zh"))
    return UserError(summary.in_lang("en"), [problem], summary_zh=summary.in_lang("zh"))


def shown_name(name: str) -> str:
    """The name as shown: NFKC, single spaces, no control characters."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def login_key(name: str) -> str:
    """What two spellings of one name have in common: the shown name, case-folded."""
    return shown_name(name).casefold()


def _name_problem(shown: str) -> Message | None:
    if not shown:
        return say("consultant_name_empty")
    if len(login_key(shown)) > MAX_NAME:
        return say("consultant_name_too_long", limit=MAX_NAME)
    if _has_control(shown):
        return say("consultant_name_control")
    return None


def _checked_name(name: str) -> str:
    shown = shown_name(name)
    problem = _name_problem(shown)
    if problem is None:
        return shown
    raise _refuse("cannot_add_consultant", problem, shown[:20] + ("…" if len(shown) > 20 else ""))


def _has_control(text: str) -> bool:
    return any(unicodedata.category(char).startswith("C") for char in text)


def _printable(name: str) -> str:
    """A name as messages may print it: control characters (a terminal escape, say) spelled out."""
    shown = shown_name(name)
    return ascii(shown) if _has_control(shown) else shown


def _checked_password(password: str, what: str, name: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise _refuse(what, say("password_too_short", limit=MIN_PASSWORD), name)
    return password


def add_consultant(store: Store, name: str, password: str) -> Consultant:
    """A new account; refused if the name is empty, too long or taken, or the password is short."""
    shown = _checked_name(name)
    hashed = hash_password(_checked_password(password, "cannot_add_consultant", shown))
    added = store.add_consultant(login_key(shown), shown, hashed)
    if added is None:
        raise _refuse("cannot_add_consultant", say("consultant_exists", name=shown), shown)
    return added


def find_consultant(store: Store, name: str) -> Consultant:
    """The account of this name; refused if there is none."""
    found = store.consultant(login_key(name))
    if found is None:
        raise _refuse("no_such_account", say("no_such_consultant", name=_printable(name)), name)
    return found


def set_password(store: Store, name: str, password: str) -> None:
    """A new password for an account; every session opened with the old one ends."""
    hashed = hash_password(_checked_password(password, "cannot_change_password", name))
    if not store.set_consultant_password(login_key(name), hashed):
        raise _refuse("cannot_change_password", say("no_such_consultant", name=_printable(name)), name)


def remove_consultant(store: Store, name: str) -> None:
    """Remove an account; its open sessions end at their next request.  Its invites stay, with its name."""
    if not store.remove_consultant(login_key(name)):
        raise _refuse("cannot_remove_consultant", say("no_such_consultant", name=_printable(name)), name)


def authenticate(store: Store, name: str, password: str) -> Consultant | None:
    """The account whose name and password these are, or None (taking as long either way).

    A name no account could have (control characters, too long) is not even looked up.
    """
    shown = shown_name(name)
    account = store.consultant(login_key(shown)) if _name_problem(shown) is None else None
    matches = verify_password(password, account.password_hash if account else _no_account_hash())
    return account if account is not None and matches else None


def disable_shared_password(store: Store) -> bool:
    """Turn the shared password off (its sessions end); False if none was set.

    A server started with ASSESS_WEB_PASSWORD stores it again: remove it from the environment too.
    """
    return store.delete_meta(SHARED_PASSWORD_KEY)
