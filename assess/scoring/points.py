"""Points of an answer, and the next better answer, for each kind of question."""

from __future__ import annotations

import math
from dataclasses import dataclass

from assess.memo import ObjectMemo
from assess.models.answers import Answer, AnswerValue
from assess.models.common import number_as_written
from assess.models.criteria import (
    LevelQuestion,
    MultiChoiceQuestion,
    NumberBand,
    NumberQuestion,
    Question,
    SingleChoiceQuestion,
    YesNoQuestion,
)


def points_for(question: Question, value: AnswerValue) -> float:
    """Points earned by a (validated) answer value."""
    if isinstance(question, LevelQuestion):
        return float(value)  # type: ignore[arg-type]
    if isinstance(question, SingleChoiceQuestion):
        return next(o.points for o in question.options if o.id == value)
    if isinstance(question, MultiChoiceQuestion):
        chosen = value if isinstance(value, tuple) else ()
        total = sum(o.points for o in question.options if o.id in chosen)
        return total if question.cap is None else min(question.cap, total)
    if isinstance(question, YesNoQuestion):
        return question.yes_points if value is True else question.no_points
    if isinstance(question, NumberQuestion):
        band = question.band_for(float(value))  # type: ignore[arg-type]
        return band.points if band is not None else 0.0
    return 0.0


@dataclass(frozen=True)
class NextStep:
    """A better answer: the value rules see, how it is shown (a band edge for numbers), its points."""

    value: AnswerValue
    shown: AnswerValue
    points: float
    answer: Answer  # the value as an answer, for re-evaluating gates


def next_step(question: Question, value: AnswerValue) -> NextStep | None:
    """The smallest improvement on `value`, or None at the top already."""
    found = _next(question, value)
    if found is None:
        return None
    if isinstance(question, NumberQuestion):
        band = found[0]
        assert isinstance(band, NumberBand)
        inside = _inside(band, question.integer)
        shown = _band_edge(question, band, float(value))  # type: ignore[arg-type]
        return NextStep(value=inside, shown=shown, points=found[1], answer=Answer(value=inside))
    assert not isinstance(found[0], NumberBand)
    return NextStep(value=found[0], shown=found[0], points=found[1], answer=Answer(value=found[0]))


def _band_edge(question: NumberQuestion, band: NumberBand, value: float) -> str:
    """How the next band reads: "≥20" above the answer, "<5" below it; for a count, in whole numbers ("0", "≤3")."""
    if band.from_ is not None and band.from_ > value:
        return f"≥{number_as_written(math.ceil(band.from_) if question.integer else band.from_)}"
    assert band.to is not None  # a band below the answer has an upper edge
    if not question.integer:
        return f"<{number_as_written(band.to)}"
    top = math.ceil(band.to) - 1
    lowest = max((edge for edge in (band.from_, question.minimum) if edge is not None), default=None)
    return number_as_written(top) if lowest is not None and math.ceil(lowest) == top else f"≤{number_as_written(top)}"


def _inside(band: NumberBand, integer: bool) -> float:
    """A value inside `band` near its edge (a whole number when the question takes whole numbers only)."""
    if band.from_ is not None:
        return math.ceil(band.from_) if integer else band.from_
    top = band.to or 0.0
    return math.ceil(top) - 1 if integer else top - 1e-9


_SCORED: ObjectMemo[tuple[float, NextStep | None]] = ObjectMemo()


def scored_answer(question: Question, value: AnswerValue) -> tuple[float, NextStep | None]:
    """Points of `value` and its next step, remembered (a cohort gives the same answers again and again).

    A number's points and next step depend on its band alone (bands never overlap), so numbers, which
    rarely repeat, are remembered by band.
    """
    band = question.band_index(float(value)) if isinstance(question, NumberQuestion) else None  # type: ignore[arg-type]
    key = ("band", band) if band is not None else (type(value), value)
    found = _SCORED.get(question, key)
    if found is None:
        found = _SCORED.put(question, key, (points_for(question, value), next_step(question, value)))
    return found


def _next(question: Question, value: AnswerValue) -> tuple[AnswerValue | NumberBand, float] | None:
    now = points_for(question, value)
    if isinstance(question, LevelQuestion):
        assert isinstance(value, int)
        level = value
        return (level + 1, float(level + 1)) if level < question.max_points else None
    if isinstance(question, SingleChoiceQuestion):
        better_options = [o for o in question.options if o.points > now]
        if not better_options:
            return None
        step = min(better_options, key=lambda o: o.points)
        return step.id, step.points
    if isinstance(question, MultiChoiceQuestion):
        exclusive = {o.id for o in question.options if o.exclusive}
        chosen = tuple(c for c in value if c not in exclusive) if isinstance(value, tuple) else ()
        order = [o.id for o in question.options]
        candidates: list[tuple[float, AnswerValue]] = []
        for option in question.options:
            if option.id not in chosen and not option.exclusive:
                added = tuple(sorted((*chosen, option.id), key=order.index))
                candidates.append((points_for(question, added), added))
        better = [c for c in candidates if c[0] > now]
        if not better:
            return None
        best_points = max(points for points, _ in better)
        return next(v for p, v in better if p == best_points), best_points
    if isinstance(question, YesNoQuestion):
        other = not value
        other_points = points_for(question, other)
        return (other, other_points) if other_points > now else None
    if isinstance(question, NumberQuestion):
        better_bands = [b for b in question.bands if b.points > now]
        if not better_bands:
            return None
        band = min(better_bands, key=lambda b: b.points)
        return band, band.points
    return None
