"""The criteria set: themes, questions, scales, thresholds, vetoes and gates, all as data.

The engine knows kinds of question (level, single, multi, yes/no, number, text), never a
particular question: everything particular lives in the YAML files under `criteria/`.
"""

from __future__ import annotations

import itertools
import math
from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from assess.messages import MessageError, say
from assess.models.common import Identifier, NonEmptyStr, StrictModel, Text, number_as_written
from assess.models.conditions import Condition

QUESTION_ID_PATTERN = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"
QuestionId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=QUESTION_ID_PATTERN, max_length=32)]
Effort = Literal["quick", "medium", "long"]
Percent = Annotated[float, Field(ge=0, le=100)]


def _span(low: float, high: float) -> str:
    """A band as `[low, high)`, its numbers as written."""
    return f"[{number_as_written(low)}, {number_as_written(high)})"


class _CriteriaModel(StrictModel):
    """Numbers of a criteria set must be finite: an `.inf` or `.nan` weight or points turns every score into NaN."""

    model_config = StrictModel.model_config | {"allow_inf_nan": False}


class Term(_CriteriaModel):
    """An entry of a controlled vocabulary (an industry, a market)."""

    id: Identifier
    name: Text


class ScaleLevel(_CriteriaModel):
    """One step of the generic maturity scale shared by every level question."""

    level: int = Field(ge=0)
    name: Text
    meaning: Text


class LevelDescriptor(_CriteriaModel):
    """What a level looks like for one question, and what to do to reach the next one."""

    level: int = Field(ge=0)
    text: Text
    advice: Text | None = None


class Option(_CriteriaModel):
    """An answer option of a choice question."""

    id: Identifier
    text: Text
    points: float = Field(ge=0)
    advice: Text | None = None
    exclusive: bool = False  # multiple choice: this option ("none") cannot be combined with others


class NumberBand(_CriteriaModel):
    """Values in [from, to) score `points`; an open end reaches to infinity."""

    from_: float | None = Field(default=None, alias="from")
    to: float | None = None
    points: float = Field(ge=0)

    model_config = _CriteriaModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _from_below_to(self) -> NumberBand:
        if self.from_ is not None and self.to is not None and self.from_ >= self.to:
            raise MessageError(
                say("criteria_band_from_to", start=number_as_written(self.from_), end=number_as_written(self.to))
            )
        return self

    def contains(self, value: float) -> bool:
        low = -math.inf if self.from_ is None else self.from_
        high = math.inf if self.to is None else self.to
        return low <= value < high


class _QuestionBase(_CriteriaModel):
    id: QuestionId
    text: Text
    help: Text
    weight: float = Field(default=1.0, ge=0)
    required: bool = True
    na_allowed: bool = False
    evidence: list[Text] = Field(default_factory=list)
    references: list[NonEmptyStr] = Field(default_factory=list)
    applies_if: Condition | None = None
    advice: Text | None = None
    effort: Effort = "medium"

    @cached_property
    def scored(self) -> bool:
        return self.weight > 0 and self.kind != "text"  # type: ignore[attr-defined]


class LevelQuestion(_QuestionBase):
    """A practice rated on the maturity scale, with a descriptor for every level."""

    kind: Literal["level"]
    levels: list[LevelDescriptor]

    @field_validator("levels")
    @classmethod
    def _consecutive(cls, levels: list[LevelDescriptor]) -> list[LevelDescriptor]:
        numbers = [d.level for d in levels]
        if numbers != list(range(len(levels))):
            raise MessageError(say("criteria_descriptor_gaps", got=f"{numbers}"))
        if len(levels) < 2:
            raise MessageError(say("criteria_descriptors_too_few"))
        return levels

    @cached_property
    def max_points(self) -> float:
        return float(len(self.levels) - 1)


class SingleChoiceQuestion(_QuestionBase):
    """Pick one option; each option carries its points."""

    kind: Literal["single"]
    options: list[Option] = Field(min_length=2)

    @cached_property
    def max_points(self) -> float:
        return max(o.points for o in self.options)


class MultiChoiceQuestion(_QuestionBase):
    """Pick any options; points add up to a cap."""

    kind: Literal["multi"]
    options: list[Option] = Field(min_length=2)
    cap: float | None = Field(default=None, gt=0)

    @cached_property
    def max_points(self) -> float:
        total = sum(o.points for o in self.options)
        return total if self.cap is None else min(self.cap, total)


class YesNoQuestion(_QuestionBase):
    """Yes or no, with points for each."""

    kind: Literal["yesno"]
    yes_points: float = Field(default=1.0, ge=0)
    no_points: float = Field(default=0.0, ge=0)

    @cached_property
    def max_points(self) -> float:
        return max(self.yes_points, self.no_points)


class NumberQuestion(_QuestionBase):
    """A number or percentage, scored by bands (for example an export return rate)."""

    kind: Literal["number"]
    unit: Text
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    bands: list[NumberBand] = Field(min_length=1)

    @cached_property
    def max_points(self) -> float:
        return max(b.points for b in self.bands)

    @model_validator(mode="after")
    def _bands_apart(self) -> NumberQuestion:
        """Bands must not overlap: a value in two bands would score whichever is listed first."""
        edges = sorted(
            (-math.inf if b.from_ is None else b.from_, math.inf if b.to is None else b.to, i)
            for i, b in enumerate(self.bands)
        )
        for (low, high, i), (next_low, next_high, j) in itertools.pairwise(edges):
            if next_low < high:
                first, second = sorted((i, j))
                raise MessageError(
                    say(
                        "criteria_bands_overlap",
                        one=_span(low, high),
                        other=_span(next_low, next_high),
                        first=f"bands[{first}]",
                        second=f"bands[{second}]",
                    )
                )
        return self

    @cached_property
    def band_edges(self) -> tuple[tuple[float, float], ...]:
        """Each band as (low, high), open ends as infinities: scoring asks for a number's band often."""
        return tuple(
            (-math.inf if b.from_ is None else b.from_, math.inf if b.to is None else b.to) for b in self.bands
        )

    def band_index(self, value: float) -> int | None:
        """Which band holds `value` (None when it falls in none)."""
        for index, (low, high) in enumerate(self.band_edges):
            if low <= value < high:
                return index
        return None

    def band_for(self, value: float) -> NumberBand | None:
        index = self.band_index(value)
        return None if index is None else self.bands[index]


class TextQuestion(_QuestionBase):
    """Free text such as evidence or context; never scored."""

    kind: Literal["text"]
    weight: float = Field(default=0.0, ge=0)
    required: bool = False

    @cached_property
    def max_points(self) -> float:
        return 0.0


Question = Annotated[
    LevelQuestion | SingleChoiceQuestion | MultiChoiceQuestion | YesNoQuestion | NumberQuestion | TextQuestion,
    Field(discriminator="kind"),
]
QUESTION_KINDS = ("level", "single", "multi", "yesno", "number", "text")


class Theme(_CriteriaModel):
    """An evaluation theme of the award, holding its questions in order."""

    id: Identifier
    title: Text
    short_title: Text | None = None  # for chart axes; the title when absent
    description: Text
    questions: list[Question] = Field(min_length=1)

    @property
    def label(self) -> Text:
        return self.short_title or self.title


class Profile(_CriteriaModel):
    """A weighting of themes, chosen at scoring time (self-improvement, award alignment...)."""

    title: Text
    description: Text
    theme_weights: dict[Identifier, float]

    @field_validator("theme_weights")
    @classmethod
    def _non_negative(cls, weights: dict[str, float]) -> dict[str, float]:
        negative = [k for k, v in weights.items() if v < 0]
        if negative:
            raise MessageError(say("criteria_negative_theme_weights", themes=negative))
        if not any(v > 0 for v in weights.values()):
            raise MessageError(say("criteria_no_positive_theme_weight"))
        return weights


class MaturityBand(_CriteriaModel):
    """A named band of the overall score, from `min_score` up to the next band."""

    id: Identifier
    min_score: float = Field(ge=0, le=100)
    name: Text
    description: Text


class AwardThresholds(_CriteriaModel):
    """What award readiness requires, beyond having no veto."""

    overall_min: float = Field(ge=0, le=100)
    theme_floor_default: float = Field(default=0, ge=0, le=100)
    theme_floors: dict[Identifier, Percent] = Field(default_factory=dict)
    near_margin: float = Field(default=5, ge=0, le=100)

    def floor_for(self, theme_id: str) -> float:
        return self.theme_floors.get(theme_id, self.theme_floor_default)


class NaPolicy(_CriteriaModel):
    """How N/A answers, inapplicable and unanswered questions count, so N/A cannot inflate a score.

    Inapplicable questions (by applicability rule) always leave the denominator.  Answered N/A
    leaves it too (`answered_na: exclude`) up to `max_na_share` of a theme's scored weight;
    N/A beyond that share counts as zero points.  Unanswered questions count as zero points.
    """

    answered_na: Literal["exclude", "zero"] = "exclude"
    max_na_share: float = Field(default=0.25, ge=0, le=1)
    na_requires_note: bool = True
    unanswered: Literal["zero"] = "zero"


class Veto(_CriteriaModel):
    """An answer pattern that makes a firm ineligible for the award, whatever its score."""

    id: Identifier
    title: Text
    explanation: Text
    when: Condition


class Gate(_CriteriaModel):
    """An answer pattern that caps a theme at a level, or the overall band."""

    id: Identifier
    title: Text
    explanation: Text
    when: Condition
    theme: Identifier | None = None
    cap_level: int | None = Field(default=None, ge=0)
    cap_band: Identifier | None = None

    @model_validator(mode="after")
    def _one_cap(self) -> Gate:
        if (self.theme is None) == (self.cap_band is None):
            raise MessageError(say("criteria_gate_one_cap"))
        if self.theme is not None and self.cap_level is None:
            raise MessageError(say("criteria_gate_needs_cap_level"))
        if self.cap_band is not None and self.cap_level is not None:
            raise MessageError(say("criteria_gate_cap_level_with_band"))
        return self


class AnswerLabels(_CriteriaModel):
    """Words for yes, no and N/A in both languages."""

    yes: Text
    no: Text
    na: Text


class SetHeader(_CriteriaModel):
    """The set file (`set.yaml`): everything but the themes, which it lists by file."""

    id: Identifier
    version: NonEmptyStr
    title: Text
    description: Text
    levels: list[ScaleLevel] = Field(min_length=2)
    answer_labels: AnswerLabels
    industries: list[Term] = Field(min_length=1)
    markets: list[Term] = Field(min_length=1)
    profiles: dict[Identifier, Profile] = Field(min_length=1)
    default_profile: Identifier
    bands: list[MaturityBand] = Field(min_length=1)
    award: AwardThresholds
    provisional_below: float = Field(default=0.9, ge=0, le=1)
    na_policy: NaPolicy = Field(default_factory=NaPolicy)
    vetoes: list[Veto] = Field(default_factory=list)
    gates: list[Gate] = Field(default_factory=list)
    themes: list[NonEmptyStr] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value


class CriteriaSet(SetHeader):
    """A whole criteria set: the header with its themes loaded, and a hash of its content."""

    themes: list[Theme] = Field(min_length=1)  # type: ignore[assignment]
    content_hash: str = ""

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for theme in self.themes for q in theme.questions}

    @cached_property
    def theme_of(self) -> dict[str, str]:
        return {q.id: theme.id for theme in self.themes for q in theme.questions}

    @cached_property
    def max_level(self) -> int:
        return max(level.level for level in self.levels)

    @cached_property
    def question_order(self) -> dict[str, int]:
        """Question id -> its position in the set, the last tie-breaker of priorities."""
        return {qid: i for i, qid in enumerate(self.questions)}

    @cached_property
    def rule_tests(self) -> tuple[Condition, ...]:
        """Every test inside the applicability rules (of an answer, the industry or the markets), in set order."""
        return tuple(leaf for q in self.questions.values() if q.applies_if is not None for leaf in q.applies_if.leaves)

    @cached_property
    def theme_gates(self) -> dict[str, list[Gate]]:
        """Theme id -> the gates that cap it (empty list when none)."""
        return {t.id: [g for g in self.gates if g.theme == t.id] for t in self.themes}

    def theme(self, theme_id: str) -> Theme:
        return next(t for t in self.themes if t.id == theme_id)

    def band_named(self, band_id: str) -> MaturityBand | None:
        return next((b for b in self.bands if b.id == band_id), None)

    def band_for(self, score: float) -> MaturityBand:
        ordered = sorted(self.bands, key=lambda b: b.min_score)
        chosen = ordered[0]
        for band in ordered:
            if score >= band.min_score:
                chosen = band
        return chosen

    def industry_ids(self) -> set[str]:
        return {t.id for t in self.industries}

    def market_ids(self) -> set[str]:
        return {t.id for t in self.markets}
