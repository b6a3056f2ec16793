"""ASGI middleware: refuse large bodies (413) and add security headers to every response."""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
    (b"referrer-policy", b"no-referrer"),  # a private link must not leak through the Referer header
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
TooLargePage = Callable[[Request], Response]  # the app's own 413 page, in the visitor's language


class BodyTooLargeError(HTTPException):
    """Raised while the body is read: an HTTPException, so the framework's body parsing lets it through."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="error_413")


class BodyLimit:
    """413 for a body over `limit` bytes: at once by Content-Length, else as soon as the stream passes it."""

    def __init__(self, app: ASGIApp, limit: int, too_large: TooLargePage) -> None:
        self.app = app
        self.limit = limit
        self.too_large = too_large

    async def _send_413(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await run_in_threadpool(self.too_large, Request(scope))  # it may look up the assessment
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.limit + 1
                if declared > self.limit:
                    await self._send_413(scope, receive, send)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLargeError:  # not handled inside the app (the usual case is a 413 page from the app)
            if not started:
                await self._send_413(scope, receive, send)


class SecurityHeaders:
    """nosniff, no framing, a CSP of 'self' only (no inline script or style), no Referer; pages not cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dict(SECURITY_HEADERS)]
                headers += SECURITY_HEADERS
                if not static and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
