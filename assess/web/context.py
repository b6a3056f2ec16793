"""What every route needs, built once by `create_app`: storage, criteria and scoring, pages, security."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from assess.api import load_criteria
from assess.models.common import Mode
from assess.models.criteria import CriteriaSet
from assess.web.accounts import SHARED_PASSWORD_KEY
from assess.web.rendering import Pages, as_mode
from assess.web.security import (
    SHARED_ACCOUNT,
    AccountHash,
    RateLimit,
    Sessions,
    Signer,
    hash_password,
    looks_like_hash,
    verify_password,
)
from assess.web.settings import WebSettings
from assess.web.storage import Store
from assess.web.submission import Scoring

LANG_COOKIE = "assess_lang"
ANON_COOKIE = "assess_anon"
SESSION_COOKIE = "assess_session"
SECRET_KEY = "secret_key"
LOGIN_LIMIT = "login"  # the kinds of rate events in the database (table rate_events)
CREATE_LIMIT = "create"


@dataclass
class WebContext:
    settings: WebSettings
    store: Store
    scoring: Scoring
    pages: Pages
    signer: Signer
    sessions: Sessions
    throttle: RateLimit  # logins per client address (counted in the database, shared by every process)
    creations: RateLimit  # self-assessments started per client address (likewise)

    @property
    def criteria(self) -> CriteriaSet:
        return self.scoring.criteria

    def shared_password_hash(self) -> str | None:
        """The shared password's hash as stored now (`assess consultant disable-shared-password` removes it)."""
        return self.store.get_meta(SHARED_PASSWORD_KEY)

    def mode(self, request: Request, fallback: str | None = None) -> Mode:
        """The language mode: the visitor's choice (cookie), else the assessment's, else bilingual."""
        chosen = request.cookies.get(LANG_COOKIE)
        return as_mode(chosen, as_mode(fallback))

    def client(self, request: Request) -> str:
        """The address rate limits count by (the proxy's client when uvicorn trusts its X-Forwarded-For)."""
        return request.client.host if request.client else "?"

    def set_cookie(
        self, response: Response, name: str, value: str, max_age: int | None = None, path: str = "/"
    ) -> None:
        """Every cookie of the app: HttpOnly, SameSite=Lax, Secure when configured, for the whole site by default."""
        response.set_cookie(
            name, value, max_age=max_age, path=path, secure=self.settings.secure_cookies, httponly=True, samesite="lax"
        )


def _account_hash(store: Store) -> AccountHash:
    """An account's password hash as stored now: a session ends when it changes or goes."""

    def current(account: int) -> str | None:
        if account == SHARED_ACCOUNT:
            return store.get_meta(SHARED_PASSWORD_KEY)
        found = store.consultant_by_id(account)
        return found.password_hash if found is not None else None

    return current


def build_context(settings: WebSettings) -> WebContext:
    store = Store(settings.db_url)
    secret = settings.secret_key or store.meta_once(SECRET_KEY, secrets.token_urlsafe(48))
    stored_hash = store.get_meta(SHARED_PASSWORD_KEY)
    if settings.password:
        # The same password as last time keeps its hash (and so the open sessions); a new one replaces it.
        same = verify_password(settings.password, stored_hash)
        password_hash: str | None = stored_hash if same else hash_password(settings.password)
    elif settings.password_hash:
        if not looks_like_hash(settings.password_hash):
            raise ValueError("password_hash must be a hash made by assess.web.security.hash_password")
        password_hash = settings.password_hash
    else:
        password_hash = stored_hash
    if password_hash and password_hash != stored_hash:
        store.set_meta(SHARED_PASSWORD_KEY, password_hash)  # a later start without a password keeps this one
    signer = Signer(secret)
    criteria = load_criteria(settings.criteria_dir)
    if settings.profile is not None and settings.profile not in criteria.profiles:
        raise ValueError(f"unknown weighting profile '{settings.profile}'; one of: {', '.join(criteria.profiles)}")
    return WebContext(
        settings=settings,
        store=store,
        scoring=Scoring(criteria, settings.profile),
        pages=Pages(),
        signer=signer,
        sessions=Sessions(signer, settings.session_hours, _account_hash(store), store.session_revoked),
        throttle=RateLimit(store, LOGIN_LIMIT, settings.login_attempts, settings.login_window_seconds),
        creations=RateLimit(store, CREATE_LIMIT, settings.create_limit, settings.create_window_seconds),
    )
