"""The body of one answer saved as JSON (`POST /a/{token}/answer`): read only once its CSRF token is checked.

The framework would read the body before any check of ours; reading it here lets a request without
the right token be refused (403) whatever it sends, and still answers a malformed body as the
framework does (422, with the same error shapes).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.requests import Request

from assess.web.answering import changed_fields, served
from assess.web.context import WebContext
from assess.web.deps import CSRF_HEADER, refuse_csrf, valid_token
from assess.web.storage import ANSWER_FIELDS, AnswerField


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
