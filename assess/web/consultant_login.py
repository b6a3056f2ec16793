"""The consultant's login and logout.

A consultant logs in with their account's name and password (`assess consultant add`), or with an
empty name and the server's shared password.  The session is a signed cookie (HttpOnly, SameSite=Lax)
carrying its own CSRF token for the forms; it ends at logout (revoked in the database, so a copy of
the cookie ends too), and when its account is removed or its password changed.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from assess.web.accounts import authenticate
from assess.web.consultant_pages import HOME, LOGIN, ConsultantPages
from assess.web.context import SESSION_COOKIE
from assess.web.deps import CSRF_FIELD, Form, anon_cookie, check_anon_csrf, field, see_other, with_anon_cookie
from assess.web.security import SHARED_ACCOUNT, verify_password


def add_login_routes(router: APIRouter, consultant: ConsultantPages) -> None:
    """`/consultant/login` (the form, and the login it sends) and `POST /consultant/logout`."""
    ctx = consultant.ctx

    def login_page(request: Request, status: int = 200, error: str | None = None) -> Response:
        """The login form, with the visitor's anonymous CSRF cookie; `error` names why the last attempt failed."""
        anon, new = anon_cookie(request)
        response = ctx.pages.response(
            "login.html.j2",
            ctx.mode(request),
            status,
            here=LOGIN,
            csrf=ctx.signer.anonymous_csrf(anon),
            error=error,
            configured=ctx.shared_password_hash() is not None or ctx.store.has_consultants(),
        )
        return with_anon_cookie(ctx, response, anon, new)

    @router.get(LOGIN)
    def login_form(request: Request) -> Response:
        if consultant.session(request) is not None:
            return see_other(HOME)
        return login_page(request)

    @router.post(LOGIN)
    def login(request: Request, form: Form) -> Response:
        check_anon_csrf(ctx, request, form)
        client = ctx.client(request)
        # The attempt takes its slot before the slow password check, so concurrent guesses cannot pass the limit.
        attempt = ctx.throttle.reserve(client)
        if attempt is None:
            return login_page(request, 429, "login_throttled")
        name, password = field(form, "name"), form.get("password")
        password = password if isinstance(password, str) else ""
        if name:
            account = authenticate(ctx.store, name, password)
            opened = None if account is None else (account.password_hash, account.id, account.name)
        else:  # the shared password
            shared = ctx.shared_password_hash()
            opened = (shared, SHARED_ACCOUNT, "") if shared and verify_password(password, shared) else None
        if opened is None:
            return login_page(request, 401, "login_failed")  # the slot stays taken: a failure
        ctx.throttle.release(client, attempt)  # only this attempt: earlier failures still count
        cookie, _session = ctx.sessions.issue(*opened)
        response = see_other(HOME)
        ctx.set_cookie(response, SESSION_COOKIE, cookie, max_age=ctx.sessions.seconds)
        return response

    @router.post("/consultant/logout")
    def logout(request: Request, form: Form) -> Response:
        found = consultant.acting(request, field(form, CSRF_FIELD))
        ctx.store.revoke_session(found.csrf, found.expires)  # every copy of the cookie ends, in every process
        response = see_other("/")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
