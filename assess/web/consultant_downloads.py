"""The consultant's downloads: one firm's PDF, and the cohort's summary (CSV, XLSX) and PDF.

A download without a session leads to the login page, as a page does.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from starlette.requests import Request
from starlette.responses import Response

from assess.batch.reports import report_file_name
from assess.errors import UserError
from assess.web.consultant_pages import ConsultantPages
from assess.web.deps import pdf_download

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add_download_routes(router: APIRouter, consultant: ConsultantPages) -> None:
    """`/consultant/assessments/{id}/report.pdf`, `/consultant/summary.csv`, `.xlsx` and `/consultant/cohort.pdf`."""
    ctx, login_first = consultant.ctx, consultant.login_first

    @router.get("/consultant/assessments/{assessment_id}/report.pdf")
    def firm_pdf(request: Request, assessment_id: int) -> Response:
        if (login := login_first(request)) is not None:
            return login
        record = ctx.store.get_by_id(assessment_id)
        data = ctx.store.pdf_by_id(assessment_id) if record is not None else None
        if record is None or data is None:
            raise HTTPException(status_code=404)
        profile = record.profile or {}
        return pdf_download(
            data, report_file_name(record.id - 1, str(profile.get("name") or ""), str(profile.get("credit_code") or ""))
        )

    @router.get("/consultant/summary.csv")
    def summary_csv(request: Request) -> Response:
        if (login := login_first(request)) is not None:
            return login
        rows, _ = ctx.scoring.cohort_rows(ctx.scoring.listed(ctx.store))
        return Response(
            ctx.scoring.summary_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="summary.csv"'},
        )

    @router.get("/consultant/summary.xlsx")
    def summary_xlsx(request: Request) -> Response:
        if (login := login_first(request)) is not None:
            return login
        rows, _ = ctx.scoring.cohort_rows(ctx.scoring.listed(ctx.store))
        return Response(
            ctx.scoring.summary_xlsx(rows, ctx.mode(request)),
            media_type=XLSX,
            headers={"Content-Disposition": 'attachment; filename="summary.xlsx"'},
        )

    @router.get("/consultant/cohort.pdf")
    def cohort_pdf(request: Request) -> Response:
        if (login := login_first(request)) is not None:
            return login
        rows, _ = ctx.scoring.cohort_rows(ctx.scoring.listed(ctx.store))
        if not rows:
            raise HTTPException(status_code=404, detail="no_submissions")
        try:
            return pdf_download(ctx.scoring.cohort_pdf(rows, ctx.mode(request)), "cohort.pdf")
        except UserError as exc:
            raise HTTPException(status_code=500, detail="error_other") from exc
