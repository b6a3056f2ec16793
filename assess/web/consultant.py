"""The consultant's pages, behind a login: invites, every submission, each PDF, the cohort outputs.

A consultant logs in with their account's name and password (`assess consultant add`), or with an
empty name and the server's shared password.  Without a valid session, pages and downloads redirect
to the login and actions are refused (403).  The session is a signed cookie (HttpOnly, SameSite=Lax)
carrying its own CSRF token for the forms; it ends at logout (revoked in the database, so a copy of
the cookie ends too), and when its account is removed or its password changed.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from starlette.requests import Request
from starlette.responses import Response

from assess.batch.reports import report_file_name
from assess.errors import UserError
from assess.web.accounts import authenticate
from assess.web.answering import answer_state, unusable_characters
from assess.web.context import SESSION_COOKIE, WebContext
from assess.web.deps import (
    CSRF_FIELD,
    Form,
    anon_cookie,
    check_anon_csrf,
    field,
    pdf_download,
    refuse_csrf,
    see_other,
    with_anon_cookie,
)
from assess.web.security import SHARED_ACCOUNT, Session, verify_password
from assess.web.views import TableFilter, submission_row

LOGIN = "/consultant/login"
HOME = "/consultant"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def consultant_routes(ctx: WebContext) -> APIRouter:
    router = APIRouter()
    criteria = ctx.criteria

    def session(request: Request) -> Session | None:
        return ctx.sessions.read(request.cookies.get(SESSION_COOKIE))

    def acting(request: Request, form_csrf: str) -> Session:
        """The session of a POST, or 403 (no login, or a form not served to this session)."""
        found = session(request)
        refuse_csrf(found is not None and form_csrf == found.csrf)
        assert found is not None
        return found

    def login_page(request: Request, status: int = 200, error: str | None = None) -> Response:
        anon, new = anon_cookie(request)
        response = ctx.pages.response(
            "login.html.j2",
            ctx.mode(request),
            status,
            here=LOGIN,
            csrf=ctx.signer.anonymous_csrf(anon),
            error=error,
            configured=ctx.shared_password_hash() is not None or ctx.store.has_consultants(),
        )
        return with_anon_cookie(ctx, response, anon, new)

    @router.get(LOGIN)
    def login_form(request: Request) -> Response:
        if session(request) is not None:
            return see_other(HOME)
        return login_page(request)

    @router.post(LOGIN)
    def login(request: Request, form: Form) -> Response:
        check_anon_csrf(ctx, request, form)
        client = ctx.client(request)
        # The attempt takes its slot before the slow password check, so concurrent guesses cannot pass the limit.
        attempt = ctx.throttle.reserve(client)
        if attempt is None:
            return login_page(request, 429, "login_throttled")
        name, password = field(form, "name"), form.get("password")
        password = password if isinstance(password, str) else ""
        if name:
            account = authenticate(ctx.store, name, password)
            opened = None if account is None else (account.password_hash, account.id, account.name)
        else:  # the shared password
            shared = ctx.shared_password_hash()
            opened = (shared, SHARED_ACCOUNT, "") if shared and verify_password(password, shared) else None
        if opened is None:
            return login_page(request, 401, "login_failed")  # the slot stays taken: a failure
        ctx.throttle.release(client, attempt)  # only this attempt: earlier failures still count
        cookie, _session = ctx.sessions.issue(*opened)
        response = see_other(HOME)
        ctx.set_cookie(response, SESSION_COOKIE, cookie, max_age=ctx.sessions.seconds)
        return response

    @router.post("/consultant/logout")
    def logout(request: Request, form: Form) -> Response:
        found = acting(request, field(form, CSRF_FIELD))
        ctx.store.revoke_session(found.csrf, found.expires)  # every copy of the cookie ends, in every process
        response = see_other("/")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    def home_page(
        request: Request,
        found: Session,
        status: int = 200,
        created: int | None = None,
        invite_error: bool = False,
        table: TableFilter | None = None,
    ) -> Response:
        records = ctx.scoring.listed(ctx.store)
        # Drafts only, as listed above (a firm submitting meanwhile keeps its row's progress): results say the rest.
        answers = ctx.store.all_answers(only=[record.id for record in records if not record.submitted])
        base = str(request.base_url)
        rows = [
            submission_row(
                criteria,
                record,
                None if record.submitted else answer_state(criteria, record.profile, answers.get(record.id, {})),
                base,
                ctx.scoring.submitted_summary(record),
            )
            for record in records
        ]
        cohort, other_criteria = ctx.scoring.cohort_rows(records)
        table = table or TableFilter()
        return ctx.pages.response(
            "consultant.html.j2",
            ctx.mode(request),
            status,
            here=HOME,
            csrf=found.csrf,
            rows=table.apply(rows),
            total=len(rows),
            table=table,
            created_row=next((row for row in rows if row.id == created), None),
            created=created,
            invite_error=invite_error,
            submitted=len(cohort),
            other_criteria=other_criteria,
            criteria=criteria,
            consultant=found.name,
        )

    @router.get(HOME)
    def submissions(
        request: Request,
        created: int | None = None,
        q: str | None = None,
        status: str | None = None,
        sort: str | None = None,
    ) -> Response:
        found = session(request)
        if found is None:
            return see_other(LOGIN)
        return home_page(request, found, created=created, table=TableFilter.of(q, status, sort))

    @router.post("/consultant/invites")
    def invite(request: Request, form: Form) -> Response:
        found = acting(request, field(form, CSRF_FIELD))
        name = " ".join(field(form, "firm").split())[:200]
        if not name:
            return see_other(HOME)
        if unusable_characters(name, multiline=False):  # a terminal escape or NUL would reach the page and the CSV
            return home_page(request, found, 422, invite_error=True)
        by = found.name if found.account != SHARED_ACCOUNT else None
        record = ctx.store.create(ctx.mode(request), label=name, source="invite", created_by=by)
        return see_other(f"{HOME}?created={record.id}#assessment-{record.id}")

    def login_first(request: Request) -> Response | None:
        """A download without a session (expired, say) leads to the login page, not to a refusal."""
        return see_other(LOGIN) if session(request) is None else None

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

    return router
