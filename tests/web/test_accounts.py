"""Consultant accounts: managed from the command line, logged in with by name, each session bound to its account."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assess.cli.app import app as cli
from assess.errors import UserError
from assess.web.accounts import add_consultant, authenticate, login_key, remove_consultant, set_password
from assess.web.storage import Store
from tests.web.conftest import MakeApp, Visitor, csrf_of

runner = CliRunner()
WANG = "王芳"
WANG_PASSWORD = "wang-fang-2026"


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


def test_names_match_as_people_type_them() -> None:
    assert login_key("  Wang   FANG ") == login_key("ｗａｎｇ fang") == "wang fang"
    assert login_key("王芳") == "王芳"


def test_accounts_are_added_checked_and_removed(store: Store) -> None:
    account = add_consultant(store, " Wang  Fang ", WANG_PASSWORD)
    assert account.name == "Wang Fang" and account.password_hash.startswith("scrypt$")
    assert WANG_PASSWORD not in account.password_hash
    assert authenticate(store, "wang fang", WANG_PASSWORD) == account
    assert authenticate(store, "Wang Fang", "wrong password") is None
    assert authenticate(store, "Nobody", WANG_PASSWORD) is None
    with pytest.raises(UserError, match="Cannot add") as taken:
        add_consultant(store, "WANG FANG", "another-password")
    assert "already a consultant account" in str(taken.value)
    with pytest.raises(UserError) as short:
        add_consultant(store, "Li Lei", "short")
    assert "at least 8 characters" in str(short.value)
    assert "密码至少需要 8 个字符" in short.value.problems[0].message_in("zh")
    for bad in ("   ", "x" * 101, "ß" * 60, "tab\x07bell", "nul\x00byte"):  # ß folds to ss: 120 characters
        with pytest.raises(UserError):
            add_consultant(store, bad, "long enough password")
        assert authenticate(store, bad, "long enough password") is None  # refused, never looked up
    set_password(store, "wang fang", "a new password")
    assert authenticate(store, "Wang Fang", WANG_PASSWORD) is None
    assert authenticate(store, "Wang Fang", "a new password") is not None
    remove_consultant(store, "Wang Fang")
    assert store.consultants() == []
    with pytest.raises(UserError, match="Cannot remove"):
        remove_consultant(store, "Wang Fang")
    with pytest.raises(UserError, match="Cannot change"):
        set_password(store, "Wang Fang", "whatever password")


def test_cli_adds_lists_changes_and_removes_accounts(sqlite_url: str) -> None:
    db = ["--db", sqlite_url]
    added = runner.invoke(cli, ["consultant", "add", WANG, *db], input=f"{WANG_PASSWORD}\n{WANG_PASSWORD}\n")
    assert added.exit_code == 0, added.output
    assert WANG_PASSWORD not in added.output
    scripted = runner.invoke(cli, ["consultant", "add", "Li Lei", *db, "--password-stdin"], input="li-lei-password\n")
    assert scripted.exit_code == 0, scripted.output
    listed = runner.invoke(cli, ["consultant", "list", *db])
    assert listed.exit_code == 0 and WANG in listed.output and "Li Lei" in listed.output
    again = runner.invoke(cli, ["consultant", "add", "li lei", *db, "--password-stdin"], input="li-lei-password\n")
    assert again.exit_code == 1 and "already a consultant account" in again.output
    assert "Traceback" not in again.output
    mismatch = runner.invoke(cli, ["consultant", "add", "Zhao", *db], input="password-one\npassword-two\n" * 3)
    assert mismatch.exit_code != 0
    changed = runner.invoke(cli, ["consultant", "password", "LI LEI", *db, "--password-stdin"], input="newer-pass\n")
    assert changed.exit_code == 0, changed.output
    removed = runner.invoke(cli, ["consultant", "remove", "Li Lei", *db])
    assert removed.exit_code == 0, removed.output
    missing = runner.invoke(cli, ["consultant", "remove", "Li Lei", *db])
    assert missing.exit_code == 1 and "no consultant account named" in missing.output
    unknown = runner.invoke(cli, ["consultant", "password", "Li Lei", *db])  # refused before any prompt
    assert unknown.exit_code == 1 and "Password" not in unknown.output
    store = Store(sqlite_url)
    assert [a.name for a in store.consultants()] == [WANG]
    assert authenticate(store, WANG, WANG_PASSWORD) is not None


def test_cli_never_creates_a_database_by_mistake_nor_prints_its_password(tmp_path: Path) -> None:
    typo = f"sqlite:///{tmp_path / 'asses-web.db'}"
    for command in (["list"], ["remove", WANG], ["disable-shared-password"]):
        result = runner.invoke(cli, ["consultant", *command, "--db", typo])
        assert result.exit_code == 1 and "no such database file" in result.output, result.output
    assert not (tmp_path / "asses-web.db").exists()
    unreachable = runner.invoke(cli, ["consultant", "list", "--db", "postgresql://me:s3cret@127.0.0.1:1/none"])
    assert unreachable.exit_code == 1 and "Cannot use the web app's database" in unreachable.output
    assert "s3cret" not in unreachable.output and "Traceback" not in unreachable.output


def test_the_shared_password_can_be_turned_off(make_app: MakeApp, sqlite_url: str) -> None:
    with TestClient(make_app()) as client:
        visitor = Visitor(client)
        assert visitor.login().status_code == 303
        turned_off = runner.invoke(cli, ["consultant", "disable-shared-password", "--db", sqlite_url])
        assert turned_off.exit_code == 0 and "shared password is off" in turned_off.output
        assert client.get("/consultant", follow_redirects=False).status_code == 303  # its session ended
        assert visitor.login().status_code == 401
        again = runner.invoke(cli, ["consultant", "disable-shared-password", "--db", sqlite_url])
        assert again.exit_code == 0 and "no shared password was set" in again.output


def test_a_consultant_logs_in_by_name_and_invites_carry_the_name(make_app: MakeApp, sqlite_url: str) -> None:
    app = make_app()
    add_consultant(Store(sqlite_url), WANG, WANG_PASSWORD)
    with TestClient(app) as client:
        visitor = Visitor(client)
        assert visitor.login(WANG_PASSWORD, name="王芳 ").status_code == 303
        page = client.get("/consultant").text
        assert re.search(r'id="signed-in-as">.*<strong>王芳</strong>', page)
        created = client.post("/consultant/invites", data={"csrf": csrf_of(page), "firm": "Alpha Trading Co."})
        assert created.status_code == 200
        row = re.search(r'<tr id="assessment-\d+".*?</tr>', created.text, re.S)
        assert row and "Alpha Trading Co." in row.group(0) and "王芳" in row.group(0)


def test_wrong_name_or_password_is_refused_and_shared_password_works(client: TestClient, sqlite_url: str) -> None:
    add_consultant(Store(sqlite_url), WANG, WANG_PASSWORD)
    visitor = Visitor(client)
    for name, password in ((WANG, "not her password"), ("Nobody", WANG_PASSWORD), ("", WANG_PASSWORD)):
        refused = visitor.login(password, name=name)
        assert refused.status_code == 401 and 'id="login-error"' in refused.text
        assert client.get("/consultant", follow_redirects=False).status_code == 303
    assert visitor.login().status_code == 303  # no name: the server's shared password
    page = client.get("/consultant").text
    assert 'id="logout"' in page and 'id="signed-in-as"' not in page
    created = client.post("/consultant/invites", data={"csrf": csrf_of(page), "firm": "Beta Foods"})
    assert 'class="muted small invited-by"' not in created.text  # the shared password is nobody in particular


def test_removing_an_account_or_changing_its_password_ends_its_sessions(make_app: MakeApp, sqlite_url: str) -> None:
    store = Store(sqlite_url)
    add_consultant(store, WANG, WANG_PASSWORD)
    add_consultant(store, "Li Lei", "li-lei-password")
    app = make_app()
    with TestClient(app) as wang, TestClient(app) as li, TestClient(app) as shared:
        assert Visitor(wang).login(WANG_PASSWORD, name=WANG).status_code == 303
        assert Visitor(li).login("li-lei-password", name="Li Lei").status_code == 303
        assert Visitor(shared).login().status_code == 303
        csrf = csrf_of(wang.get("/consultant").text)
        set_password(store, WANG, "changed password")
        assert wang.get("/consultant", follow_redirects=False).status_code == 303  # back to the login
        assert wang.post("/consultant/invites", data={"csrf": csrf, "firm": "X"}).status_code == 403
        assert Visitor(wang).login("changed password", name=WANG).status_code == 303
        remove_consultant(store, "Li Lei")
        assert li.get("/consultant", follow_redirects=False).status_code == 303
        assert li.get("/consultant/summary.csv", follow_redirects=False).headers["location"] == "/consultant/login"
        assert wang.get("/consultant").status_code == 200 and shared.get("/consultant").status_code == 200


def test_login_page_says_how_to_set_up_a_login(make_app: MakeApp, sqlite_url: str) -> None:
    with TestClient(make_app(password=None)) as client:
        assert 'id="not-configured"' in client.get("/consultant/login").text
        add_consultant(Store(sqlite_url), WANG, WANG_PASSWORD)
        page = client.get("/consultant/login").text
        assert 'id="not-configured"' not in page and 'name="name"' in page
        assert Visitor(client).login(WANG_PASSWORD, name=WANG).status_code == 303
