"""The consultant's home page: every submission in one table (filtered, sorted), and the invites made from it."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from assess.web.answering import answer_state, unusable_characters
from assess.web.consultant_pages import HOME, LOGIN, ConsultantPages
from assess.web.deps import CSRF_FIELD, Form, field, see_other
from assess.web.security import SHARED_ACCOUNT, Session
from assess.web.views import TableFilter, submission_row


def add_table_routes(router: APIRouter, consultant: ConsultantPages) -> None:
    """`/consultant` (the table) and `POST /consultant/invites` (a new assessment for a firm, by name)."""
    ctx, criteria = consultant.ctx, consultant.ctx.criteria

    def home_page(
        request: Request,
        found: Session,
        status: int = 200,
        created: int | None = None,
        invite_error: bool = False,
        table: TableFilter | None = None,
    ) -> Response:
        """The table of every assessment, drafts with their progress; `created` picks out a new invite's row."""
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
        found = consultant.session(request)
        if found is None:
            return see_other(LOGIN)
        return home_page(request, found, created=created, table=TableFilter.of(q, status, sort))

    @router.post("/consultant/invites")
    def invite(request: Request, form: Form) -> Response:
        found = consultant.acting(request, field(form, CSRF_FIELD))
        name = " ".join(field(form, "firm").split())[:200]
        if not name:
            return see_other(HOME)
        if unusable_characters(name, multiline=False):  # a terminal escape or NUL would reach the page and the CSV
            return home_page(request, found, 422, invite_error=True)
        by = found.name if found.account != SHARED_ACCOUNT else None
        record = ctx.store.create(ctx.mode(request), label=name, source="invite", created_by=by)
        return see_other(f"{HOME}?created={record.id}#assessment-{record.id}")
