"""What every consultant page shares: the session a request carries, and what happens without one.

Without a valid session, pages and downloads redirect to the login and actions are refused (403).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from assess.web.context import SESSION_COOKIE, WebContext
from assess.web.deps import refuse_csrf, see_other
from assess.web.security import Session

LOGIN = "/consultant/login"
HOME = "/consultant"


@dataclass(frozen=True)
class ConsultantPages:
    """The context every consultant route uses, with the session checks they share."""

    ctx: WebContext

    def session(self, request: Request) -> Session | None:
        """The request's session, or None (no cookie, or one expired, revoked or forged)."""
        return self.ctx.sessions.read(request.cookies.get(SESSION_COOKIE))

    def acting(self, request: Request, form_csrf: str) -> Session:
        """The session of a POST, or 403 (no login, or a form not served to this session)."""
        found = self.session(request)
        refuse_csrf(found is not None and form_csrf == found.csrf)
        assert found is not None
        return found

    def login_first(self, request: Request) -> Response | None:
        """A download without a session (expired, say) leads to the login page, not to a refusal."""
        return see_other(LOGIN) if self.session(request) is None else None
