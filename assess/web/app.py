"""The app factory and the server: `create_app(settings)` for tests and ASGI servers, `serve(...)` for the CLI.

    from assess.web.app import create_app, serve
    serve("127.0.0.1", 8000, "sqlite:///assess-web.db")      # what `assess serve` runs

An ASGI server can also build the app from ASSESS_WEB_* variables:
`uvicorn --factory assess.web.app:create_app_from_env`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.staticfiles import StaticFiles

from assess.web.consultant import consultant_routes
from assess.web.context import WebContext, build_context
from assess.web.exporter import exporter_routes
from assess.web.middleware import BodyLimit, SecurityHeaders
from assess.web.rendering import static_folder
from assess.web.settings import WebSettings

ERROR_LABELS = {
    400: "error_400",
    403: "error_403",
    404: "error_404",
    409: "error_409",
    413: "error_413",
    422: "error_422",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith("/answer") or "application/json" in request.headers.get("accept", "")


def _error_handlers(app: FastAPI, ctx: WebContext) -> None:
    def error_page(request: Request, status: int, detail: str | None) -> Response:
        if _wants_json(request):
            return JSONResponse({"ok": False, "error": detail or str(status)}, status_code=status)
        key = detail if detail in ctx.pages.labels else ERROR_LABELS.get(status, "error_other")
        return ctx.pages.response(
            "error.html.j2", ctx.mode(request), status, here="/", code=status, message=ctx.pages.labels[key]
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else None
        if exc.status_code == 405:
            return PlainTextResponse("Method not allowed", status_code=405)
        return error_page(request, exc.status_code, detail)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        return error_page(request, 422, "invalid request")

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)


def create_app(settings: WebSettings) -> FastAPI:
    """The web app over `settings.db_url` (schema created or upgraded now) and the criteria set."""
    ctx = build_context(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.store.close()

    app = FastAPI(title="assess", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.web = ctx
    app.include_router(exporter_routes(ctx))
    app.include_router(consultant_routes(ctx))
    app.mount("/static", StaticFiles(directory=static_folder()), name="static")

    @app.get("/healthz")
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    _error_handlers(app, ctx)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def create_app_from_env() -> FastAPI:
    """For ASGI servers: settings from ASSESS_WEB_DB, ASSESS_WEB_PASSWORD, ASSESS_WEB_SECRET, ASSESS_WEB_CRITERIA."""
    return create_app(WebSettings.from_env())


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    db_url: str | None = None,
    *,
    criteria_dir: Path | None = None,
    profile: str | None = None,
    password: str | None = None,
    secure_cookies: bool | None = None,
    log_level: str = "info",
) -> None:
    """Run the web app with uvicorn until interrupted; None means "from ASSESS_WEB_* or the default"."""
    import uvicorn

    settings = WebSettings.from_env(
        db_url=db_url, criteria_dir=criteria_dir, profile=profile, password=password, secure_cookies=secure_cookies
    )
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
