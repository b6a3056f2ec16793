"""What every exporter page shares: the assessment found by its token, the page rendered, the CSRF check.

Every page and action goes by the assessment's token; an unknown token is a plain 404 that shows
nothing.  The page groups (start, profile, answers, submit) each take one `ExporterPages`, so they
load, render and check in one way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from assess.models.criteria import CriteriaSet
from assess.web.context import WebContext
from assess.web.deps import refuse_csrf, valid_token
from assess.web.storage import Assessment
from assess.web.views import Views


@dataclass(frozen=True)
class ExporterPages:
    """The context, views and criteria set every exporter route uses, with the helpers they share."""

    ctx: WebContext
    views: Views
    criteria: CriteriaSet

    @classmethod
    def of(cls, ctx: WebContext) -> ExporterPages:
        """Built once per app, as the routes' closures used to build it."""
        return cls(ctx, Views(ctx.criteria), ctx.criteria)

    def load(self, token: str) -> Assessment:
        """The assessment of this token, or 404 (a malformed token is never looked up)."""
        record = self.ctx.store.get(token) if valid_token(token) else None
        if record is None:
            raise HTTPException(status_code=404)
        return record

    def page(
        self,
        request: Request,
        record: Assessment,
        name: str,
        status: int = 200,
        here: str | None = None,
        **context: Any,
    ) -> Response:
        """An exporter's page; `here` (where the language links come back to) must be a page, not a POST's path."""
        ctx = self.ctx
        token = record.token
        return ctx.pages.response(
            name,
            ctx.mode(request, record.lang),
            status,
            here=here or request.url.path,
            token=token,
            record=record,
            csrf=ctx.signer.exporter_csrf(token),
            private_link=f"{request.base_url}a/{token}",
            criteria=self.criteria,
            **context,
        )

    def check_csrf(self, token: str, given: str | None) -> None:
        """403 unless `given` is the CSRF token this assessment's pages are served with."""
        refuse_csrf(self.ctx.signer.check("csrf-exporter", token, given))
