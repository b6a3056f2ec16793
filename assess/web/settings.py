"""What the web app is configured with: database URL, criteria folder, login password, secret key, limits."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assess.messages import said_error, say

DEFAULT_DB_URL = "sqlite:///assess-web.db"
ENV_PASSWORD = "ASSESS_WEB_PASSWORD"
ENV_SECRET = "ASSESS_WEB_SECRET"
ENV_DB = "ASSESS_WEB_DB"
ENV_CRITERIA = "ASSESS_WEB_CRITERIA"
ENV_SECURE_COOKIES = "ASSESS_WEB_SECURE_COOKIES"
# Firms of one training session or office often share one public address (a NAT): the office raises these.
ENV_CREATE_LIMIT = "ASSESS_WEB_CREATE_LIMIT"
ENV_LOGIN_ATTEMPTS = "ASSESS_WEB_LOGIN_ATTEMPTS"


@dataclass(frozen=True)
class WebSettings:
    """Everything `create_app` needs; every field has a safe default for a single machine.

    `password` (plain, hashed at start-up and then forgotten) or `password_hash` (an
    `scrypt$...` string from `assess.web.security.hash_password`) enables the consultant's pages;
    with neither, the hash stored by an earlier start is used, and without one the login refuses
    everybody.  Without `secret_key` a random key is generated once and kept in the database, so
    sessions and form tokens survive restarts.
    """

    db_url: str = DEFAULT_DB_URL
    criteria_dir: Path | None = None
    profile: str | None = None
    password: str | None = None
    password_hash: str | None = None
    secret_key: str | None = None
    max_body_bytes: int = 1_000_000
    session_hours: float = 12.0
    secure_cookies: bool = False  # set True behind HTTPS so cookies are never sent in clear
    login_attempts: int = 10  # failed logins per client address per window before 429
    login_window_seconds: int = 900
    create_limit: int = 30  # self-assessments started per client address per window before 429
    create_window_seconds: int = 3600

    @classmethod
    def from_env(cls, **overrides: Any) -> WebSettings:
        """Settings from ASSESS_WEB_* environment variables, then `overrides` (None values ignored)."""
        env = os.environ
        criteria = env.get(ENV_CRITERIA)
        base = cls(
            db_url=env.get(ENV_DB) or DEFAULT_DB_URL,
            criteria_dir=Path(criteria) if criteria else None,
            password=env.get(ENV_PASSWORD) or None,
            secret_key=env.get(ENV_SECRET) or None,
            secure_cookies=env.get(ENV_SECURE_COOKIES, "").lower() in ("1", "true", "yes"),
            create_limit=_count(env, ENV_CREATE_LIMIT, cls.create_limit),
            login_attempts=_count(env, ENV_LOGIN_ATTEMPTS, cls.login_attempts),
        )
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(base, **given)


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """A limit from the environment: a whole number of at least 1 (a mistyped one is said, never ignored)."""
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise said_error(say("web_setting_not_a_count", name=name, value=text), [])
    return int(text)
