"""Small helpers the routes share: the form body, token checks, CSRF checks, safe redirects, downloads."""

from __future__ import annotations

import re
import secrets
from typing import Annotated
from urllib.parse import quote, unquote_to_bytes

from fastapi import Depends, HTTPException
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from assess.web.context import ANON_COOKIE, WebContext

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


FORM_TYPE = "application/x-www-form-urlencoded"


async def _form(request: Request) -> FormData:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() == FORM_TYPE:
        refuse_non_utf8(await request.body())  # kept by the request: the form is parsed from it below
    return await request.form(max_files=0, max_fields=2000)


def refuse_non_utf8(body: bytes) -> None:
    """400 for a form whose text is not percent-encoded UTF-8, as browsers send it: Starlette would read other
    bytes as Latin-1 ("ÿþ", or "å®\x81" for a raw "宁") without a word.

    Separators are ASCII, so the whole body decoded is valid UTF-8 exactly when every name and value is.
    """
    try:
        if not body.isascii():
            raise UnicodeDecodeError("ascii", body, 0, len(body), "raw bytes in a URL-encoded form")
        unquote_to_bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(status_code=400, detail="form_not_utf8") from None


Form = Annotated[FormData, Depends(_form)]


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def valid_token(token: str) -> bool:
    return TOKEN_PATTERN.fullmatch(token) is not None


def refuse_csrf(ok: bool) -> None:
    if not ok:
        raise HTTPException(status_code=403, detail="csrf")


def anon_cookie(request: Request) -> tuple[str, bool]:
    """The visitor's random CSRF cookie (start and login forms), and whether it is new."""
    found = request.cookies.get(ANON_COOKIE)
    if found and re.fullmatch(r"[A-Za-z0-9_-]{20,64}", found):
        return found, False
    return secrets.token_urlsafe(24), True


def check_anon_csrf(ctx: WebContext, request: Request, form: FormData) -> None:
    cookie = request.cookies.get(ANON_COOKIE)
    refuse_csrf(bool(cookie) and ctx.signer.check("csrf-anon", cookie or "", field(form, CSRF_FIELD)))


def with_anon_cookie(ctx: WebContext, response: Response, value: str, new: bool) -> Response:
    if new:
        ctx.set_cookie(response, ANON_COOKIE, value)
    return response


def safe_next(target: str) -> str:
    """Only a path on this site (no scheme, no host, no '//' or '\\' tricks) is a redirect target."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target):
        return "/"
    return target


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def pdf_download(data: bytes, filename: str) -> Response:
    quoted = quote(filename)
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quoted}"},
    )
