"""Fixtures for the web app: apps on a SQLite file in tmp_path (or PostgreSQL when configured) and a visitor helper."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from assess.web.app import create_app
from assess.web.settings import WebSettings
from assess.web.storage import normalise_url
from tests.conftest import GOOD_ANSWERS, MINI

PASSWORD = "correct horse battery staple"
POSTGRES_ENV = "ASSESS_TEST_POSTGRES_URL"
POSTGRES_SKIP = (
    f"PostgreSQL tests need {POSTGRES_ENV}=postgresql://user@host:port/database "
    "(each test works in its own schema, dropped afterwards)"
)
PROFILE: dict[str, Any] = {
    "name": "Example Crafts Co.",
    "credit_code": "",
    "industry": "crafts",
    "markets": ["eu", "us"],
    "assessment_date": "2026-11-01",
    "assessor": "Test Assessor",
}
CSRF = re.compile(r'name="csrf(?:-token)?" (?:value|content)="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database: a SQLite file, or a throwaway schema in the PostgreSQL of ASSESS_TEST_POSTGRES_URL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'web.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(POSTGRES_SKIP)
    schema = f"assess_test_{secrets.token_hex(6)}"
    admin = create_engine(normalise_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(normalise_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'web.db'}"


MakeApp = Callable[..., FastAPI]


@pytest.fixture
def make_app(sqlite_url: str) -> MakeApp:
    """make_app(db_url=..., **settings): the app over the mini criteria set, on the test's SQLite file by default."""

    def _make(**overrides: Any) -> FastAPI:
        values: dict[str, Any] = {"db_url": sqlite_url, "criteria_dir": MINI, "password": PASSWORD}
        values.update(overrides)
        return create_app(WebSettings(**values))

    return _make


@pytest.fixture
def app(make_app: MakeApp) -> FastAPI:
    return make_app()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


class Visitor:
    """An exporter (or consultant) driving the pages as a browser would, form by form."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def start(self, lang: str = "en") -> str:
        """Create an assessment from the start page; return its token."""
        self.client.get(f"/lang/{lang}")
        page = self.client.get("/")
        response = self.client.post("/assessments", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        assert location.endswith("/profile")
        return location.split("/")[2]

    def csrf(self, token: str) -> str:
        return csrf_of(self.client.get(f"/a/{token}").text)

    def profile(self, token: str, **overrides: Any) -> Response:
        data = {**PROFILE, **overrides, "csrf": self.csrf(token)}
        return self.client.post(f"/a/{token}/profile", data=data, follow_redirects=False)

    def save(
        self,
        token: str,
        question: str,
        value: Any,
        note: str | None = None,
        csrf: str | None = None,
        target: Any = None,
    ) -> Response:
        headers = {"X-CSRF-Token": csrf if csrf is not None else self.csrf(token)}
        body = {"question": question, "value": value, "note": note} | ({"target": target} if target is not None else {})
        return self.client.post(f"/a/{token}/answer", json=body, headers=headers)

    def answer_all(self, token: str, answers: dict[str, Any] | None = None) -> None:
        csrf = self.csrf(token)
        for qid, value in (answers or GOOD_ANSWERS).items():
            response = self.save(token, qid, value, f"note for {qid}", csrf=csrf)
            assert response.status_code == 200, response.text

    def submit(self, token: str) -> Response:
        return self.client.post(f"/a/{token}/submit", data={"csrf": self.csrf(token)}, follow_redirects=False)

    def login(self, password: str = PASSWORD, name: str = "") -> Response:
        """Log in with an account's name and password, or with no name and the server's shared password."""
        page = self.client.get("/consultant/login")
        data = {"csrf": csrf_of(page.text), "name": name, "password": password}
        return self.client.post("/consultant/login", data=data, follow_redirects=False)

    def consultant_csrf(self) -> str:
        return csrf_of(self.client.get("/consultant").text)


@pytest.fixture
def visitor(client: TestClient) -> Visitor:
    return Visitor(client)
