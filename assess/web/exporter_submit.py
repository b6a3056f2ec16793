"""The end of an assessment: the review page, the submit, the results and the report's PDF.

A refused submit answers with a redirect to the review page (POST/redirect/GET), so reloading the
page shows it again rather than submitting again.  The page finds the problems itself: the answers
are checked again as the submit checks them; a report that could not be written is carried in a
signed cookie of that page, as the PDF is not rendered again for a page view.
"""

from __future__ import annotations

import base64
import contextlib
import json

from fastapi import APIRouter, HTTPException
from starlette.requests import Request
from starlette.responses import Response

from assess.batch.reports import report_file_name
from assess.errors import Problem, UserError
from assess.models.result import ScoreResult
from assess.web.answering import answer_state
from assess.web.context import WebContext
from assess.web.deps import CSRF_FIELD, Form, field, pdf_download, see_other
from assess.web.exporter_pages import ExporterPages
from assess.web.storage import Assessment

REFUSALS = ("answers", "busy", "report")  # why a submit was refused, as the review page it leads to is told
REPORT_COOKIE = "assess_report_problems"
REPORT_COOKIE_AGE = 600  # seconds
REPORT_COOKIE_LIMIT = 3000  # characters of the problems carried (a cookie holds about 4 KB)


def carry_report_problems(ctx: WebContext, response: Response, token: str, problems: tuple[Problem, ...]) -> None:
    """Sets the signed cookie that carries a report's problems to the review page (as many as fit)."""
    rows = [[p.location, p.message[:400], (p.message_zh or "")[:400], p.question_id] for p in problems[:8]]
    while True:
        payload = base64.urlsafe_b64encode(json.dumps(rows, ensure_ascii=False).encode()).decode()
        if len(payload) <= REPORT_COOKIE_LIMIT or len(rows) <= 1:
            break
        rows.pop()
    value = payload + "." + ctx.signer.mac(REPORT_COOKIE, token + "\0" + payload)
    ctx.set_cookie(response, REPORT_COOKIE, value, max_age=REPORT_COOKIE_AGE, path=f"/a/{token}/review")


def carried_report_problems(ctx: WebContext, request: Request, token: str) -> tuple[Problem, ...]:
    """The problems the cookie carries for this assessment; none when it is missing, forged or unreadable."""
    payload, _, mac = (request.cookies.get(REPORT_COOKIE) or "").partition(".")
    if not payload or not ctx.signer.check(REPORT_COOKIE, token + "\0" + payload, mac):
        return ()
    with contextlib.suppress(ValueError, TypeError):
        rows = json.loads(base64.urlsafe_b64decode(payload.encode()))
        return tuple(
            Problem(str(loc), str(en), str(qid) if qid else None, message_zh=zh or None) for loc, en, zh, qid in rows
        )
    return ()


def add_submit_routes(router: APIRouter, exporter: ExporterPages) -> None:
    """`/a/{token}/review`, `POST /a/{token}/submit`, `/a/{token}/results` and `/a/{token}/report.pdf`."""
    ctx, criteria, views = exporter.ctx, exporter.criteria, exporter.views

    def review_page(request: Request, record: Assessment, refused: str = "") -> Response:
        """The review page: what is missing, and why a submit was refused (`refused`, one of REFUSALS)."""
        token = record.token
        stored = ctx.store.answers(record.id)
        state = answer_state(criteria, record.profile, stored)
        missing = views.missing(token, state)
        found: tuple[Problem, ...] = ()
        if refused == "answers":
            found = ctx.scoring.problems(record.profile, stored)
        elif refused == "report":
            found = carried_report_problems(ctx, request, token)
        listed = frozenset(item.id for group in missing for item in group.items)
        problems, folded = views.problems(token, found, listed)
        return exporter.page(
            request,
            record,
            "review.html.j2",
            # The language links come back here, with the problems shown again (in the language chosen).
            here=f"/a/{token}/review" + (f"?refused={refused}" if refused else ""),
            progress=state.progress(criteria),
            missing=missing,
            themes=views.theme_links(token, state),
            problems=problems,
            folded=folded,
            busy=refused == "busy",
        )

    @router.get("/a/{token}/review")
    def review(request: Request, token: str, refused: str = "") -> Response:
        record = exporter.load(token)
        if record.submitted:
            return see_other(f"/a/{token}/results")
        refused = refused if refused in REFUSALS else ""
        if record.profile is None and not refused:
            return see_other(f"/a/{token}/profile")
        return review_page(request, record, refused)

    @router.post("/a/{token}/submit")
    def submit(request: Request, token: str, form: Form) -> Response:
        record = exporter.load(token)
        exporter.check_csrf(token, field(form, CSRF_FIELD))
        mode = ctx.mode(request, record.lang)
        outcome = ctx.scoring.submit(ctx.store, token, mode)
        if outcome.status in ("submitted", "already"):
            return see_other(f"/a/{token}/results")
        if outcome.status == "missing":
            raise HTTPException(status_code=404)
        refused = {"busy": "busy", "report": "report"}.get(outcome.status, "answers")
        response = see_other(f"/a/{token}/review?refused={refused}")
        if refused == "report":
            carry_report_problems(ctx, response, token, outcome.problems)
        return response

    @router.get("/a/{token}/results")
    def results(request: Request, token: str) -> Response:
        record = exporter.load(token)
        if not record.submitted or record.result is None:
            return see_other(f"/a/{token}/review")
        result = ScoreResult.model_validate_json(record.result)
        report = views.results(result, ctx.mode(request, record.lang))
        return exporter.page(request, record, "results.html.j2", report=report, result=result)

    @router.get("/a/{token}/report.pdf")
    def report_pdf(request: Request, token: str) -> Response:
        record = exporter.load(token)
        data = ctx.store.pdf(token) if record.submitted else None
        if data is None:
            raise HTTPException(status_code=404)
        mode = ctx.mode(request, record.lang)
        if mode != record.lang and record.result is not None:
            # The results page is shown in another language than the one submitted in (the stored PDF's):
            # the button on it gives the report in the language the exporter reads now.
            # If it cannot be written here (fonts, templates), the stored one rather than none.
            with contextlib.suppress(UserError):
                data = ctx.scoring.report_pdf(ScoreResult.model_validate_json(record.result), mode)
        firm = str((record.profile or {}).get("name") or "")
        code = str((record.profile or {}).get("credit_code") or "")
        return pdf_download(data, report_file_name(record.id - 1, firm, code))
