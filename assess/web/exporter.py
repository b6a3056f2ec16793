"""The exporter's pages: start, firm profile, one page per theme, review and submit, results, the PDF.

`exporter_routes(ctx)` builds them into one router from their groups, each in its own module:

- `exporter_start`: the start page, a new assessment, the language chosen;
- `exporter_profile`: the overview and the firm profile;
- `exporter_answers`: the theme pages, and answers saved from a form or as JSON (`exporter_answer_body`);
- `exporter_submit`: review, submit, results and the PDF.

Every page and action goes by the assessment's token; an unknown token is a plain 404 that shows
nothing (`exporter_pages.ExporterPages`, which every group shares).
"""

from __future__ import annotations

from fastapi import APIRouter

from assess.web.context import WebContext
from assess.web.exporter_answers import add_answer_routes
from assess.web.exporter_pages import ExporterPages
from assess.web.exporter_profile import add_profile_routes
from assess.web.exporter_start import add_start_routes
from assess.web.exporter_submit import add_submit_routes


def exporter_routes(ctx: WebContext) -> APIRouter:
    """Every exporter route, registered in this order (FastAPI matches paths in the order they were added)."""
    router = APIRouter()
    exporter = ExporterPages.of(ctx)
    for add_routes in (add_start_routes, add_profile_routes, add_answer_routes, add_submit_routes):
        add_routes(router, exporter)
    return router
