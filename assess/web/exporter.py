"""The exporter's pages: start, firm profile, one page per theme, review and submit, results, the PDF.

Every page and action goes by the assessment's token; an unknown token is a plain 404 that shows
nothing.  Answers are saved one by one (JSON, from the page's script) and when a page is sent.  Each
question on a page carries what it was served with (`seen`: a fingerprint per field), so a save
writes only the fields the user changed there; a field another tab changed meanwhile is not
overwritten, and the later tab is told (409).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from assess.batch.reports import report_file_name
from assess.errors import Problem, UserError
from assess.messages import say
from assess.models.common import Text
from assess.models.criteria import Question
from assess.models.response import FirmProfile
from assess.models.result import ScoreResult
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
    profile_error,
    raw_from_form,
    served,
    target_from_form,
    unusable_characters,
)
from assess.web.context import LANG_COOKIE, WebContext
from assess.web.deps import (
    CSRF_FIELD,
    CSRF_HEADER,
    Form,
    anon_cookie,
    check_anon_csrf,
    field,
    pdf_download,
    refuse_csrf,
    safe_next,
    see_other,
    valid_token,
    with_anon_cookie,
)
from assess.web.errors import error_response, json_error
from assess.web.rendering import MODES
from assess.web.storage import ANSWER_FIELDS, AnswerField, AnswerWrite, Assessment, SaveResult, StoredAnswer
from assess.web.views import Override, Views

PROFILE_FIELDS = ("name", "credit_code", "industry", "markets", "assessment_date", "assessor")
REFUSALS = ("answers", "busy", "report")  # why a submit was refused, as the review page it leads to is told
REPORT_COOKIE = "assess_report_problems"
REPORT_COOKIE_AGE = 600  # seconds
REPORT_COOKIE_LIMIT = 3000  # characters of the problems carried (a cookie holds about 4 KB)
PROFILE_REQUIRED = ("name", "assessment_date")  # industry and markets have their own words ("choose one")


def json_type(content_type: str) -> bool:
    """Whether a body of this Content-Type is read as JSON (none given: it is, as the framework does)."""
    kind = content_type.split(";")[0].strip().lower()
    return not kind or kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


class SaveAnswer(BaseModel):
    """One answer saved from the page's script (or an integration).

    `seen` is the question's `seen-<id>` from the page: only the fields changed from it are written.
    Without it, the fields given are written as they are.
    """

    model_config = ConfigDict(extra="forbid")
    question: str
    value: bool | int | float | str | list[str] | None = None
    note: str | None = None
    target: bool | int | float | str | None = None  # true/false kept apart, so they are refused, not read as 1/0
    seen: str | None = None

    def fields(
        self, value: Any, note: str | None, target: float | None
    ) -> tuple[frozenset[AnswerField], Mapping[AnswerField, str] | None]:
        """The fields to write and the page's fingerprints to check them against (None: no check)."""
        if self.seen is None:
            return ANSWER_FIELDS & frozenset(self.model_fields_set), None
        base = served(self.seen)
        return changed_fields(value, note, target, base), base


async def answer_body(request: Request, token: str) -> SaveAnswer:
    """A save's body, read and checked only once its CSRF token is: a request without the right token is
    refused (403) whatever it sends, as the page's forms are."""
    ctx: WebContext = request.app.state.web
    if not valid_token(token):
        raise HTTPException(status_code=404)
    refuse_csrf(ctx.signer.check("csrf-exporter", token, request.headers.get(CSRF_HEADER)))
    raw = await request.body()
    try:
        if not json_type(request.headers.get("content-type", "")):
            raise ValueError("not JSON")
        data = json.loads(raw)  # as the framework reads a JSON body (UnicodeDecodeError is a ValueError)
    except ValueError:
        invalid = {"type": "json_invalid", "loc": ("body",), "msg": "JSON decode error", "input": {}}
        raise RequestValidationError([invalid], body=raw) from None
    try:
        return SaveAnswer.model_validate(data)
    except ValidationError as exc:
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors(include_url=False)]
        raise RequestValidationError(errors, body=data) from None


AnswerBody = Annotated[SaveAnswer, Depends(answer_body)]


def exporter_routes(ctx: WebContext) -> APIRouter:
    router = APIRouter()
    views = Views(ctx.criteria)
    criteria = ctx.criteria

    def load(token: str) -> Assessment:
        record = ctx.store.get(token) if valid_token(token) else None
        if record is None:
            raise HTTPException(status_code=404)
        return record

    def page(
        request: Request, record: Assessment, name: str, status: int = 200, here: str | None = None, **context: Any
    ) -> Response:
        """An exporter's page; `here` (where the language links come back to) must be a page, not a POST's path."""
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
            criteria=criteria,
            **context,
        )

    def check_csrf(token: str, given: str | None) -> None:
        refuse_csrf(ctx.signer.check("csrf-exporter", token, given))

    # --- start ------------------------------------------------------------------------------------

    @router.get("/")
    def start(request: Request) -> Response:
        anon, new = anon_cookie(request)
        response = ctx.pages.response(
            "start.html.j2",
            ctx.mode(request),
            here="/",
            csrf=ctx.signer.anonymous_csrf(anon),
            criteria=criteria,
        )
        return with_anon_cookie(ctx, response, anon, new)

    @router.post("/assessments")
    def create(request: Request, form: Form) -> Response:
        check_anon_csrf(ctx, request, form)
        if ctx.creations.reserve(ctx.client(request)) is None:
            return error_response(ctx, request, 429, "create_throttled")
        record = ctx.store.create(ctx.mode(request, field(form, "lang")))
        return see_other(f"/a/{record.token}/profile")

    @router.get("/lang/{mode}")
    def choose_language(mode: str, next: str = "/") -> Response:
        response = see_other(safe_next(next))
        if mode in MODES:
            ctx.set_cookie(response, LANG_COOKIE, mode, max_age=365 * 24 * 3600)
        return response

    # --- overview and profile ---------------------------------------------------------------------

    @router.get("/a/{token}")
    def overview(request: Request, token: str) -> Response:
        record = load(token)
        state = answer_state(criteria, record.profile, ctx.store.answers(record.id))
        return page(
            request,
            record,
            "overview.html.j2",
            progress=state.progress(criteria),
            themes=views.theme_links(token, state),
        )

    def profile_values(record: Assessment) -> dict[str, Any]:
        values: dict[str, Any] = dict(record.profile or {})
        values.setdefault("name", record.label or "")
        values.setdefault("assessment_date", dt.date.today().isoformat())
        values.setdefault("markets", [])
        for name in PROFILE_FIELDS:
            values.setdefault(name, "")
        return values

    @router.get("/a/{token}/profile")
    def profile_form(request: Request, token: str) -> Response:
        record = load(token)
        if record.submitted:
            return see_other(f"/a/{token}/results")
        return page(request, record, "profile.html.j2", values=profile_values(record), errors={})

    def profile_problems(data: dict[str, Any]) -> dict[str, Text]:
        """What the profile form's own rules say before the model's: required fields, choices, characters."""
        errors: dict[str, Text] = {}
        for name in PROFILE_REQUIRED:
            if data[name] is None:
                errors[name] = say("required").text()
        for name, value in data.items():
            if isinstance(value, str) and unusable_characters(value, multiline=False):
                errors.setdefault(name, ctx.pages.labels["text_control"])
        if data["industry"] not in criteria.industry_ids():
            errors.setdefault("industry", say("choose_one").text())
        if not data["markets"] or not set(data["markets"]) <= criteria.market_ids():
            errors["markets"] = say("choose_at_least_one").text()
        return errors

    @router.post("/a/{token}/profile")
    def save_profile(request: Request, token: str, form: Form) -> Response:
        record = load(token)
        check_csrf(token, field(form, CSRF_FIELD))
        if record.submitted:
            return see_other(f"/a/{token}/results")
        data: dict[str, Any] = {name: field(form, name) or None for name in PROFILE_FIELDS if name != "markets"}
        data["markets"] = [m for m in form.getlist("markets") if isinstance(m, str)]
        errors = profile_problems(data)
        try:
            profile = FirmProfile.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else "name"
                errors.setdefault(name, profile_error(error))
        if errors:
            shown = {**profile_values(record), **{k: v or "" for k, v in data.items()}}
            return page(request, record, "profile.html.j2", 422, values=shown, errors=errors)
        outcome = ctx.store.save_profile(token, profile.model_dump(mode="json"))
        if outcome == "locked":
            return see_other(f"/a/{token}/results")
        return see_other(f"/a/{token}/theme/1")

    # --- themes -----------------------------------------------------------------------------------

    def theme_number(number: int) -> int:
        if not 1 <= number <= len(criteria.themes):
            raise HTTPException(status_code=404)
        return number

    @router.get("/a/{token}/theme/{number}")
    def theme_form(request: Request, token: str, number: int) -> Response:
        record = load(token)
        number = theme_number(number)
        if record.submitted:
            return see_other(f"/a/{token}/results")
        if record.profile is None:
            return see_other(f"/a/{token}/profile")
        stored = ctx.store.answers(record.id)
        state = answer_state(criteria, record.profile, stored)
        return page(request, record, "theme.html.j2", view=views.theme_page(token, number, stored, state))

    @router.post("/a/{token}/theme/{number}")
    def save_theme(request: Request, token: str, number: int, form: Form) -> Response:
        load(token)
        number = theme_number(number)
        check_csrf(token, field(form, CSRF_FIELD))
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
            fresh = load(token)
            stored = ctx.store.answers(fresh.id)
            state = answer_state(criteria, fresh.profile, stored)
            overrides = {qid: sent[qid] for qid in errors}
            view = views.theme_page(token, number, stored, state, overrides, errors)
            return page(request, fresh, "theme.html.j2", 409 if saved.conflicts else 422, view=view)
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
        record = load(token)
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

    # --- review, submit, results ------------------------------------------------------------------

    # A refused submit answers with a redirect to the review page (POST/redirect/GET), so reloading the
    # page shows it again rather than submitting again.  The page finds the problems itself: the answers
    # are checked again as the submit checks them; a report that could not be written is carried in a
    # signed cookie of that page, as the PDF is not rendered again for a page view.

    def carry_report_problems(response: Response, token: str, problems: tuple[Problem, ...]) -> None:
        rows = [[p.location, p.message[:400], (p.message_zh or "")[:400], p.question_id] for p in problems[:8]]
        while True:
            payload = base64.urlsafe_b64encode(json.dumps(rows, ensure_ascii=False).encode()).decode()
            if len(payload) <= REPORT_COOKIE_LIMIT or len(rows) <= 1:
                break
            rows.pop()
        value = payload + "." + ctx.signer.mac(REPORT_COOKIE, token + "\0" + payload)
        ctx.set_cookie(response, REPORT_COOKIE, value, max_age=REPORT_COOKIE_AGE, path=f"/a/{token}/review")

    def carried_report_problems(request: Request, token: str) -> tuple[Problem, ...]:
        payload, _, mac = (request.cookies.get(REPORT_COOKIE) or "").partition(".")
        if not payload or not ctx.signer.check(REPORT_COOKIE, token + "\0" + payload, mac):
            return ()
        with contextlib.suppress(ValueError, TypeError):
            rows = json.loads(base64.urlsafe_b64decode(payload.encode()))
            return tuple(
                Problem(str(loc), str(en), str(qid) if qid else None, message_zh=zh or None)
                for loc, en, zh, qid in rows
            )
        return ()

    def review_page(request: Request, record: Assessment, refused: str = "") -> Response:
        token = record.token
        stored = ctx.store.answers(record.id)
        state = answer_state(criteria, record.profile, stored)
        missing = views.missing(token, state)
        found: tuple[Problem, ...] = ()
        if refused == "answers":
            found = ctx.scoring.problems(record.profile, stored)
        elif refused == "report":
            found = carried_report_problems(request, token)
        listed = frozenset(item.id for group in missing for item in group.items)
        problems, folded = views.problems(token, found, listed)
        return page(
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
        record = load(token)
        if record.submitted:
            return see_other(f"/a/{token}/results")
        refused = refused if refused in REFUSALS else ""
        if record.profile is None and not refused:
            return see_other(f"/a/{token}/profile")
        return review_page(request, record, refused)

    @router.post("/a/{token}/submit")
    def submit(request: Request, token: str, form: Form) -> Response:
        record = load(token)
        check_csrf(token, field(form, CSRF_FIELD))
        mode = ctx.mode(request, record.lang)
        outcome = ctx.scoring.submit(ctx.store, token, mode)
        if outcome.status in ("submitted", "already"):
            return see_other(f"/a/{token}/results")
        if outcome.status == "missing":
            raise HTTPException(status_code=404)
        refused = {"busy": "busy", "report": "report"}.get(outcome.status, "answers")
        response = see_other(f"/a/{token}/review?refused={refused}")
        if refused == "report":
            carry_report_problems(response, token, outcome.problems)
        return response

    @router.get("/a/{token}/results")
    def results(request: Request, token: str) -> Response:
        record = load(token)
        if not record.submitted or record.result is None:
            return see_other(f"/a/{token}/review")
        result = ScoreResult.model_validate_json(record.result)
        report = views.results(result, ctx.mode(request, record.lang))
        return page(request, record, "results.html.j2", report=report, result=result)

    @router.get("/a/{token}/report.pdf")
    def report_pdf(request: Request, token: str) -> Response:
        record = load(token)
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

    return router
