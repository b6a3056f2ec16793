"""The assessment's overview and the firm profile form (its own rules checked before the model's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from assess.messages import say
from assess.models.common import Text
from assess.models.response import FirmProfile
from assess.web.answering import answer_state, profile_error, unusable_characters
from assess.web.deps import CSRF_FIELD, Form, field, see_other
from assess.web.exporter_pages import ExporterPages
from assess.web.storage import Assessment

PROFILE_FIELDS = ("name", "credit_code", "industry", "markets", "assessment_date", "assessor")
PROFILE_REQUIRED = ("name", "assessment_date")  # industry and markets have their own words ("choose one")


def profile_values(record: Assessment) -> dict[str, Any]:
    """The profile form's fields as stored, with defaults where none is yet (the label, today, no markets)."""
    values: dict[str, Any] = dict(record.profile or {})
    values.setdefault("name", record.label or "")
    values.setdefault("assessment_date", dt.date.today().isoformat())
    values.setdefault("markets", [])
    for name in PROFILE_FIELDS:
        values.setdefault(name, "")
    return values


def add_profile_routes(router: APIRouter, exporter: ExporterPages) -> None:
    """`/a/{token}` (the overview) and `/a/{token}/profile` (the form and its save)."""
    ctx, criteria, views = exporter.ctx, exporter.criteria, exporter.views

    @router.get("/a/{token}")
    def overview(request: Request, token: str) -> Response:
        record = exporter.load(token)
        state = answer_state(criteria, record.profile, ctx.store.answers(record.id))
        return exporter.page(
            request,
            record,
            "overview.html.j2",
            progress=state.progress(criteria),
            themes=views.theme_links(token, state),
        )

    @router.get("/a/{token}/profile")
    def profile_form(request: Request, token: str) -> Response:
        record = exporter.load(token)
        if record.submitted:
            return see_other(f"/a/{token}/results")
        return exporter.page(request, record, "profile.html.j2", values=profile_values(record), errors={})

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
        record = exporter.load(token)
        exporter.check_csrf(token, field(form, CSRF_FIELD))
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
            return exporter.page(request, record, "profile.html.j2", 422, values=shown, errors=errors)
        outcome = ctx.store.save_profile(token, profile.model_dump(mode="json"))
        if outcome == "locked":
            return see_other(f"/a/{token}/results")
        return see_other(f"/a/{token}/theme/1")
