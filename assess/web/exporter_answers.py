"""The theme pages and the answers saved from them: the form sent with a page's button, and one answer as JSON.

Answers are saved one by one (JSON, from the page's script) and when a page is sent.  Each question
on a page carries what it was served with (`seen`: a fingerprint per field), so a save writes only the
fields the user changed there; a field another tab changed meanwhile is not overwritten, and the
later tab is told (409).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from assess.models.common import Text
from assess.models.criteria import Question
from assess.report.templating import plain
from assess.web.answering import (
    AnswerError,
    answer_state,
    canonical,
    changed_fields,
    check_na_reason,
    clean_note,
    clean_target,
    fingerprint,
    needs_reason,
    raw_from_form,
    served,
    target_from_form,
)
from assess.web.deps import CSRF_FIELD, Form, field, see_other
from assess.web.errors import json_error
from assess.web.exporter_answer_body import AnswerBody
from assess.web.exporter_pages import ExporterPages
from assess.web.storage import AnswerField, AnswerWrite, Assessment, SaveResult, StoredAnswer
from assess.web.views import Override


def add_answer_routes(router: APIRouter, exporter: ExporterPages) -> None:
    """`/a/{token}/theme/{number}` (a theme's page and its form's save) and `POST /a/{token}/answer` (JSON)."""
    ctx, criteria, views = exporter.ctx, exporter.criteria, exporter.views

    def theme_number(number: int) -> int:
        """The theme's number as given, or 404 when the criteria set has no such theme."""
        if not 1 <= number <= len(criteria.themes):
            raise HTTPException(status_code=404)
        return number

    @router.get("/a/{token}/theme/{number}")
    def theme_form(request: Request, token: str, number: int) -> Response:
        record = exporter.load(token)
        number = theme_number(number)
        if record.submitted:
            return see_other(f"/a/{token}/results")
        if record.profile is None:
            return see_other(f"/a/{token}/profile")
        stored = ctx.store.answers(record.id)
        state = answer_state(criteria, record.profile, stored)
        return exporter.page(request, record, "theme.html.j2", view=views.theme_page(token, number, stored, state))

    @router.post("/a/{token}/theme/{number}")
    def save_theme(request: Request, token: str, number: int, form: Form) -> Response:
        exporter.load(token)
        number = theme_number(number)
        exporter.check_csrf(token, field(form, CSRF_FIELD))
        writes: list[AnswerWrite] = []
        errors: dict[str, Text] = {}
        sent: dict[str, Override] = {}
        for question in criteria.themes[number - 1].questions:
            if f"seen-{question.id}" not in form:
                continue  # not on the page that was sent
            raw, note = raw_from_form(question, form)
            raw_target = target_from_form(question, form)
            sent[question.id] = (raw, note, raw_target)
            try:
                value, cleaned = canonical(question, raw), clean_note(note)
                target = clean_target(question, raw_target)
                check_na_reason(criteria, question, value, cleaned)
            except AnswerError as exc:
                errors[question.id] = exc.text
                continue
            base = served(field(form, f"seen-{question.id}"))
            changed = changed_fields(value, cleaned, target, base)
            if changed:
                writes.append(AnswerWrite(question.id, value, cleaned, target, changed, base))
        saved = ctx.store.save_answers(token, writes)
        if saved.outcome == "locked":
            return see_other(f"/a/{token}/results")
        for qid in saved.conflicts:
            errors[qid] = ctx.pages.labels["conflict_page"]
        if errors:
            fresh = exporter.load(token)
            stored = ctx.store.answers(fresh.id)
            state = answer_state(criteria, fresh.profile, stored)
            overrides = {qid: sent[qid] for qid in errors}
            view = views.theme_page(token, number, stored, state, overrides, errors)
            return exporter.page(request, fresh, "theme.html.j2", 409 if saved.conflicts else 422, view=view)
        return see_other(next_page(token, number, field(form, "go")))

    def next_page(token: str, number: int, go: str) -> str:
        """Where a theme page's button leads once its answers are saved."""
        if go == "prev":
            return f"/a/{token}/theme/{number - 1}" if number > 1 else f"/a/{token}/profile"
        if go == "next" and number < len(criteria.themes):
            return f"/a/{token}/theme/{number + 1}"
        if go in ("next", "review"):
            return f"/a/{token}/review"
        if go == "overview":
            return f"/a/{token}"
        return f"/a/{token}/theme/{number}"

    def check_reason(
        record: Assessment, question: Question, fields: frozenset[AnswerField], value: Any, note: str | None
    ) -> None:
        """AnswerError for an N/A left without the reason the criteria set requires, as this save would leave it:
        the fields sent where written, the stored ones elsewhere (a save may write only some of them)."""
        if not needs_reason(criteria, question):
            return
        if fields and not {"value", "note"} <= fields:
            now = ctx.store.answers(record.id).get(question.id) or StoredAnswer(None, None, None)
            value, note = (value if "value" in fields else now.value), (note if "note" in fields else now.note)
        check_na_reason(criteria, question, value, note)

    @router.post("/a/{token}/answer")
    def save_answer(request: Request, token: str, body: AnswerBody) -> Response:
        record = exporter.load(token)
        mode = ctx.mode(request, record.lang)
        question = criteria.questions.get(body.question)
        if question is None:
            return json_error(ctx, mode, 422, "unknown_question")
        try:
            value, note = canonical(question, body.value), clean_note(body.note)
            target = clean_target(question, body.target)
            fields, base = body.fields(value, note, target)
            check_reason(record, question, fields, value, note)
        except AnswerError as exc:
            return JSONResponse({"ok": False, "error": plain(mode)(exc.text), "code": "answer"}, status_code=422)
        write = AnswerWrite(question.id, value, note, target, fields, base)
        saved = ctx.store.save_answers(token, [write]) if fields else SaveResult("saved")
        if saved.outcome == "locked":
            return json_error(ctx, mode, 409, "error_submitted", redirect=f"/a/{token}/results")
        if saved.outcome == "missing":
            raise HTTPException(status_code=404)
        if saved.conflicts:
            return json_error(ctx, mode, 409, "conflict_answer")
        stored = ctx.store.answers(record.id)
        state = answer_state(criteria, record.profile, stored)
        progress = state.progress(criteria)
        themes = {
            str(n): state.progress(criteria, [q.id for q in theme.questions]).__dict__
            for n, theme in enumerate(criteria.themes, start=1)
        }
        now = stored.get(question.id) or StoredAnswer(None, None, None)
        # What to send as `seen` next: the fields as this page shows them, or (without `seen`) as stored now.
        shown = (value, note, target) if body.seen is not None else (now.value, now.note, now.target)
        return JSONResponse(
            {
                "ok": True,
                "fingerprint": fingerprint(*shown),
                "applies": state.applies,
                "progress": {
                    "answered": progress.answered,
                    "applicable": progress.applicable,
                    "percent": progress.percent,
                },
                "themes": themes,
            }
        )
