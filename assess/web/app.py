"""The app factory and the server: `create_app(settings)` for tests and ASGI servers, `serve(...)` for the CLI.

    from assess.web.app import create_app, serve
    serve("127.0.0.1", 8000, "sqlite:///assess-web.db")      # what `assess serve` runs

An ASGI server can also build the app from ASSESS_WEB_* variables:
`uvicorn --factory assess.web.app:create_app_from_env`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles

from assess.web.consultant import consultant_routes
from assess.web.context import WebContext, build_context
from assess.web.errors import error_response
from assess.web.exporter import exporter_routes
from assess.web.logs import redact_access_log
from assess.web.middleware import BodyLimit, SecurityHeaders
from assess.web.rendering import static_folder
from assess.web.settings import WebSettings


def _error_handlers(app: FastAPI, ctx: WebContext) -> None:
    """Every error as our own page (or JSON for the script) in the visitor's language; never a traceback."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else None
        headers = dict(exc.headers) if exc.headers else None  # a 405's Allow
        return await run_in_threadpool(error_response, ctx, request, exc.status_code, detail, headers)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        # A path that does not parse (`/a/<token>/theme/abc`) names no page: 404, as an unknown one does.
        if any(error.get("loc", ())[:1] == ("path",) for error in exc.errors()):
            return await run_in_threadpool(error_response, ctx, request, 404)
        return await run_in_threadpool(error_response, ctx, request, 422, "invalid request")

    async def server_error(request: Request, exc: Exception) -> Response:
        # The server still logs the traceback (Starlette re-raises after this response is sent).
        return await run_in_threadpool(error_response, ctx, request, 500, "error_other")

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, server_error)


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
    too_large = partial(error_response, ctx, status=413)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, too_large=too_large)
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
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, server_header=False)
    redact_access_log()  # after uvicorn's Config has set up its loggers
    uvicorn.Server(config).run()
