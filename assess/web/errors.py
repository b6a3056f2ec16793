"""Error responses in the visitor's language: a page, or JSON for the page's script.

An exporter's error follows the assessment's language (as its pages do: the visitor's choice first,
then the assessment's); elsewhere the visitor's choice, else both languages.  The words are labels
(templates/web/labels.yaml), so the JSON errors the script shows are in that language too.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from assess.models.common import Mode
from assess.report.templating import plain
from assess.web.context import WebContext

STATUS_LABELS = {
    400: "error_400",
    403: "error_403",
    404: "error_404",
    405: "error_405",
    409: "error_409",
    413: "error_413",
    422: "error_422",
    429: "error_429",
}
EXPORTER_PATH = re.compile(r"/a/([A-Za-z0-9_-]{43})(?:/|$)")


def wants_json(request: Request) -> bool:
    return request.url.path.endswith("/answer") or "application/json" in request.headers.get("accept", "")


def assessment_language(ctx: WebContext, request: Request) -> str | None:
    """The language of the assessment an exporter's path names, if there is one (and the database answers)."""
    found = EXPORTER_PATH.match(request.url.path)
    if found is None:
        return None
    try:
        record = ctx.store.get(found.group(1))
    except Exception:  # an error page must not fail because the database is the trouble
        return None
    return record.lang if record is not None else None


def error_mode(ctx: WebContext, request: Request) -> Mode:
    return ctx.mode(request, assessment_language(ctx, request))


def label_key(ctx: WebContext, status: int, detail: str | None) -> str:
    """The label to show: the one a route named, else the status's own, else the general one."""
    if detail is not None and detail in ctx.pages.labels:
        return detail
    return STATUS_LABELS.get(status, "error_other")


def json_error(ctx: WebContext, mode: Mode, status: int, key: str, **extra: str) -> JSONResponse:
    """`{"ok": false, "error": <words in the language>, "code": <label key>}` for the page's script."""
    message = plain(mode)(ctx.pages.labels[key])
    return JSONResponse({"ok": False, "error": str(message), "code": key, **extra}, status_code=status)


def error_response(
    ctx: WebContext, request: Request, status: int, detail: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    """The error as JSON for the script, else as a page whose language links lead back to a page (a GET)."""
    mode = error_mode(ctx, request)
    key = label_key(ctx, status, detail)
    if wants_json(request):
        response: Response = json_error(ctx, mode, status, key)
    else:
        here = request.url.path if request.method == "GET" else "/"
        message = ctx.pages.labels[key]
        response = ctx.pages.response("error.html.j2", mode, status, here=here, code=status, message=message)
    response.headers.update(headers or {})
    return response
