"""The exporter's way in: the start page, a new assessment, and the language chosen."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from assess.web.context import LANG_COOKIE
from assess.web.deps import Form, anon_cookie, check_anon_csrf, field, safe_next, see_other, with_anon_cookie
from assess.web.errors import error_response
from assess.web.exporter_pages import ExporterPages
from assess.web.rendering import MODES


def add_start_routes(router: APIRouter, exporter: ExporterPages) -> None:
    """`/` (the start page), `POST /assessments` (a new one, throttled per client) and `/lang/{mode}`."""
    ctx, criteria = exporter.ctx, exporter.criteria

    @router.get("/")
    def start(request: Request) -> Response:
        anon, new = anon_cookie(request)
        response = ctx.pages.response(
            "start.html.j2",
            ctx.mode(request),
            here="/",
            csrf=ctx.signer.anonymous_csrf(anon),
            criteria=criteria,
        )
        return with_anon_cookie(ctx, response, anon, new)

    @router.post("/assessments")
    def create(request: Request, form: Form) -> Response:
        check_anon_csrf(ctx, request, form)
        if ctx.creations.reserve(ctx.client(request)) is None:
            return error_response(ctx, request, 429, "create_throttled")
        record = ctx.store.create(ctx.mode(request, field(form, "lang")))
        return see_other(f"/a/{record.token}/profile")

    @router.get("/lang/{mode}")
    def choose_language(mode: str, next: str = "/") -> Response:
        response = see_other(safe_next(next))
        if mode in MODES:
            ctx.set_cookie(response, LANG_COOKIE, mode, max_age=365 * 24 * 3600)
        return response
