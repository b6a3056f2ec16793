"""The scoring result: every number with the answers it came from.

Serialised as JSON by `assess score --format json`; the layout is documented in
docs/result-format.md and versioned by `schema_version`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal, cast

from pydantic import ConfigDict, GetCoreSchemaHandler, GetPydanticSchema, with_config
from pydantic_core import CoreSchema, core_schema

from assess.models.answers import AnswerValue
from assess.models.common import StrictModel

SCHEMA_VERSION = "1"


def _written_as_it_is(source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
    """Validated as its type says, written to JSON by the value's own type.

    An answer is a union (bool, int, float, text or option ids); pydantic writes a union by trying
    each member in turn, a third of the time of writing a firm's priorities.  The JSON is the same.
    """
    return cast(CoreSchema, {**handler(source), "serialization": core_schema.simple_ser_schema("any")})


AnswerOut = Annotated[AnswerValue, GetPydanticSchema(_written_as_it_is)]

QuestionStatus = Literal["answered", "na", "na_over_limit", "unanswered", "inapplicable", "unscored"]
Verdict = Literal["ready", "near", "not_ready", "vetoed", "undetermined"]


class CriteriaRef(StrictModel):
    """Which criteria set scored this: results compare only when id, version and hash match."""

    id: str
    version: str
    content_hash: str
    profile: str


class FirmSummary(StrictModel):
    name: str
    credit_code: str | None
    industry: str
    markets: list[str]
    assessment_date: dt.date
    assessor: str | None


@with_config(ConfigDict(extra="forbid", str_strip_whitespace=True))
@dataclass(frozen=True, slots=True)
class QuestionResult:
    """One question: its answer, status, points and whether it counts in its theme.

    A frozen dataclass, as `Priority` is a dataclass (see there): firms with the same answer share one
    result object, so it must not change, and the rarer answers (numbers, notes) make one per firm.
    """

    id: str
    theme: str
    kind: str
    status: QuestionStatus
    answer: AnswerOut | None
    note: str | None
    points: float | None
    max_points: float
    weight: float
    counted: bool
    target: float | None = None


@with_config(ConfigDict(extra="forbid", str_strip_whitespace=True))
@dataclass(slots=True)
class ThemeResult:
    """A theme's score 0-100 (None when nothing in it could be scored), before and after gates.

    A dataclass, as `Priority` is (see there): scoring makes one per theme per firm.
    """

    id: str
    score: float | None
    raw_score: float | None
    weight_share: float
    cap: float | None
    gates: list[str]
    answered: int
    applicable: int
    floor: float
    meets_floor: bool | None


class VetoResult(StrictModel):
    id: str
    status: Literal["triggered", "clear", "unknown"]
    questions: list[str]


class GateResult(StrictModel):
    id: str
    applied: bool
    unknown: bool
    theme: str | None
    cap_level: int | None
    cap_band: str | None


ReasonCode = Literal["veto", "veto_unknown", "incomplete", "overall_below", "theme_below_floor", "theme_not_scored"]


class Reason(StrictModel):
    """Why the verdict is what it is; `code` selects the sentence shown in templates."""

    code: ReasonCode
    subject: str | None = None
    value: float | None = None
    threshold: float | None = None


class Readiness(StrictModel):
    verdict: Verdict
    reasons: list[Reason]


@with_config(ConfigDict(extra="forbid", str_strip_whitespace=True))
@dataclass(slots=True)
class Priority:
    """An improvement step: reach the next level/option/band of one question, and what it gains.

    A dataclass rather than a model: scoring makes dozens per firm from values it has already
    checked, and pydantic takes dataclass instances as they are.  Results read back from JSON are
    still validated field by field (unknown keys refused, as in the models).  Not frozen: a frozen
    dataclass sets each field through `object.__setattr__`, five times slower to build; like the
    result's lists, treat it as read-only.
    """

    rank: int
    question_id: str
    theme: str
    current: AnswerOut | None
    next: AnswerOut
    points_now: float
    points_next: float
    gain: float
    gain_1000: float
    effort: str
    target: float | None = None
    gain_to_target: float | None = None


class ScoreResult(StrictModel):
    """Everything `score()` concludes about one firm."""

    schema_version: str = SCHEMA_VERSION
    criteria: CriteriaRef
    firm: FirmSummary
    status: Literal["draft", "final"]
    overall: float | None
    overall_1000: float | None
    band: str | None
    band_capped_by: list[str]
    completeness: float
    provisional: bool
    readiness: Readiness
    themes: list[ThemeResult]
    vetoes: list[VetoResult]
    gates: list[GateResult]
    priorities: list[Priority]
    questions: list[QuestionResult]

    def theme(self, theme_id: str) -> ThemeResult:
        return next(t for t in self.themes if t.id == theme_id)

    def question(self, question_id: str) -> QuestionResult:
        return next(q for q in self.questions if q.id == question_id)
