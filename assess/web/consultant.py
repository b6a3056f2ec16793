"""The consultant's pages, behind a login: invites, every submission, each PDF, the cohort outputs.

`consultant_routes(ctx)` builds them into one router from their groups, each in its own module:

- `consultant_login`: login and logout (accounts, or the server's shared password);
- `consultant_table`: the table of every submission, and invites;
- `consultant_downloads`: a firm's PDF, the cohort's summary (CSV, XLSX) and PDF.

Without a valid session, pages and downloads redirect to the login and actions are refused (403)
(`consultant_pages.ConsultantPages`, which every group shares).
"""

from __future__ import annotations

from fastapi import APIRouter

from assess.web.consultant_downloads import add_download_routes
from assess.web.consultant_login import add_login_routes
from assess.web.consultant_pages import ConsultantPages
from assess.web.consultant_table import add_table_routes
from assess.web.context import WebContext


def consultant_routes(ctx: WebContext) -> APIRouter:
    """Every consultant route, registered in this order (FastAPI matches paths in the order they were added)."""
    router = APIRouter()
    consultant = ConsultantPages(ctx)
    for add_routes in (add_login_routes, add_table_routes, add_download_routes):
        add_routes(router, consultant)
    return router
