"""A firm's response: its profile and its answers keyed by question id.

This model checks what can be checked without the criteria (shapes, the credit code, dates);
`assess.validation` checks the answers against a criteria set.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Any, Literal, NotRequired, cast

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetPydanticSchema,
    field_validator,
    model_validator,
    with_config,
)
from pydantic_core import CoreSchema
from typing_extensions import TypedDict

from assess.messages import Message, MessageError, say
from assess.models.common import Identifier, NonEmptyStr, StrictModel
from assess.models.credit_code import credit_code_problem


def _one_error(kind: str, message: str) -> GetPydanticSchema:
    """A union that fails with one clear message, not one error per member type ("should be a valid boolean"...)."""

    def schema(source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return cast(CoreSchema, {**handler(source), "custom_error_type": kind, "custom_error_message": message})

    return GetPydanticSchema(schema)


RawValue = (
    Annotated[
        bool | int | float | str | list[bool | int | float | str],
        _one_error("answer_value", "an answer is a number, a text, yes/no or a list of options (put a date in quotes)"),
    ]
    | None
)


class FirmProfile(StrictModel):
    """Who is assessed, and the facts applicability rules read (industry, markets)."""

    name: NonEmptyStr = Field(max_length=200)
    credit_code: str | None = None
    industry: Identifier
    markets: list[Identifier] = Field(min_length=1)
    assessment_date: dt.date
    assessor: str | None = Field(default=None, max_length=200)

    @field_validator("credit_code", mode="before")
    @classmethod
    def _normalise_code(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip().upper()
            return value or None
        return value

    @field_validator("credit_code")
    @classmethod
    def _check_code(cls, value: str | None) -> str | None:
        if value is not None:
            problem = credit_code_problem(value)
            if problem:
                raise MessageError(problem)
        return value

    @field_validator("assessment_date", mode="before")
    @classmethod
    def _a_written_date(cls, value: Any) -> Any:
        """A date, also with a time of day (which is dropped); never a number (pydantic would read Unix seconds)."""
        if isinstance(value, dt.datetime):
            return value.date()
        if (isinstance(value, int | float) and not isinstance(value, bool)) or (
            isinstance(value, str) and value.strip().isdigit()
        ):
            raise MessageError(say("date_not_a_number", value=value))
        return value

    @field_validator("markets", mode="before")
    @classmethod
    def _one_market_as_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("markets")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


def _given_twice(keys: list[str]) -> Message:
    """The first two answer keys that name one question once their spaces are dropped."""
    first: dict[str, str] = {}
    for key in keys:
        if key.strip() in first:
            return say("answer_given_twice", id=key.strip(), first=repr(first[key.strip()]), second=repr(key))
        first[key.strip()] = key
    raise AssertionError("no twins among the keys")


def _not_yes_no(value: Any) -> Any:
    """A target level is a number; pydantic would read `true` as 1."""
    if isinstance(value, bool):
        raise MessageError(say("not_a_number_but_yes_no"))
    return value


@with_config(ConfigDict(extra="forbid", str_strip_whitespace=True))
class AnswerEntry(TypedDict):
    """One answer as written: a value, an optional evidence note, an optional target level.

    A checked dict rather than a model: a file holds dozens of answers and validation reads each
    once, so a model object per answer would cost a third of reading the file for nothing.
    """

    value: NotRequired[RawValue]
    note: NotRequired[Annotated[str | None, Field(max_length=5000)]]
    target: NotRequired[Annotated[float, Field(allow_inf_nan=False), BeforeValidator(_not_yes_no)] | None]


class Response(StrictModel):
    """A response file: which criteria set, draft or final, the firm, and the answers."""

    criteria: Identifier | None = None
    status: Literal["draft", "final"] = "final"
    firm: FirmProfile
    answers: dict[str, AnswerEntry] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _bare_values(cls, data: Any) -> Any:
        """`TR-01: 3` is short for `TR-01: {value: 3}`."""
        if isinstance(data, dict) and isinstance(data.get("answers"), dict):
            answers = {
                str(key).strip(): value if isinstance(value, dict) else {"value": value}
                for key, value in data["answers"].items()
            }  # ids are read without their spaces: `BR-03 ` is BR-03
            if len(answers) < len(data["answers"]):  # the safe loader refuses exact twins; these differ by spaces
                raise MessageError(_given_twice([str(key) for key in data["answers"]]))
            data = {**data, "answers": answers}
        return data
