"""Improvement priorities: the overall-score gain from reaching the next level of each question.

A gain is computed by re-scoring the question's theme with the better answer, gates
re-evaluated, so a step that lifts a gate shows its true worth and a step inside a capped
theme shows none.  A gate may read questions of other themes than the one it caps: a step
that lifts it gains in that theme too, which is re-scored the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assess.memo import IdentityMemo, ObjectMemo
from assess.models.answers import Answer, AnswerValue, ValidatedResponse
from assess.models.criteria import CriteriaSet, Gate, LevelQuestion, NumberQuestion, Question
from assess.models.result import Priority, QuestionResult
from assess.scoring.conditions import evaluate
from assess.scoring.points import scored_answer
from assess.scoring.themes import ThemeTally, gate_cap

_EFFORT_ORDER = {"quick": 0, "medium": 1, "long": 2}


@dataclass(frozen=True, slots=True)
class _Change:
    """A better answer to one question: the answer gates see, and the weighted points it adds to its theme."""

    answer: Answer
    delta: float


@dataclass(frozen=True, slots=True)
class _Step:
    """What a question's answer offers as a next step, the same for every firm that gave that answer."""

    question_id: str
    theme: str
    next: AnswerValue  # as shown: a band edge for numbers
    points_now: float
    points_next: float
    effort: str
    target: float | None
    sort_key: tuple[int, int]  # (effort order, question order): the tie-breakers after the gain
    step: _Change
    to_target: _Change | None  # reaching the firm's own target level, when it is above the answer
    gates: tuple[Gate, ...]  # the theme's gates that read this question: evaluated again per firm
    elsewhere: tuple[str, ...]  # other themes capped by a gate that reads this question (usually none)


# 1-tuples, so "no next step" is remembered too.  Shared results (no note) are found by identity, the fastest way.
_STEPS: ObjectMemo[tuple[_Step | None]] = ObjectMemo()
_STEPS_OF_SHARED: IdentityMemo[tuple[_Step | None]] = IdentityMemo()


def _change(result: QuestionResult, answer: Answer, points: float) -> _Change:
    return _Change(answer, result.weight * (points - (result.points or 0.0)) / result.max_points)


def _step_of(criteria: CriteriaSet, question: Question, result: QuestionResult) -> _Step | None:
    """The next step from `result`'s answer (None at the top already), remembered per question and answer."""
    shared = _STEPS_OF_SHARED.get(result)
    if shared is not None:
        return shared[0]
    key = _step_key(question, result)
    found = _STEPS.get(question, key)
    if found is None:
        found = _STEPS.put(question, key, (_new_step(criteria, question, result),))
    if result.note is None:
        _STEPS_OF_SHARED.put(result, found)
    return found[0]


def _step_key(question: Question, result: QuestionResult) -> tuple[object, ...]:
    """What a step depends on: the answer and target; for a number inside a band, the band alone.

    Numbers rarely repeat between firms, but their bands do: the next band, its points and how it is
    shown ("≥20" above, "<5" below) are the same for every number inside one band.
    """
    value = result.answer
    if isinstance(question, NumberQuestion):
        band = question.band_index(float(value))  # type: ignore[arg-type]
        if band is not None:
            return ("band", band, result.target)
    return (type(value), value, result.target)


def _new_step(criteria: CriteriaSet, question: Question, result: QuestionResult) -> _Step | None:
    step = None
    assert result.answer is not None
    next_step = scored_answer(question, result.answer)[1]
    if next_step is not None:
        to_target = None
        if isinstance(question, LevelQuestion) and result.target is not None and result.target > float(result.answer):  # type: ignore[arg-type]
            target = int(result.target)
            to_target = _change(result, Answer(value=target), target)
        step = _Step(
            question_id=result.id,
            theme=result.theme,
            next=next_step.shown,
            points_now=result.points or 0.0,
            points_next=next_step.points,
            effort=question.effort,
            target=result.target,
            sort_key=(_EFFORT_ORDER[question.effort], criteria.question_order[result.id]),
            step=_change(result, next_step.answer, next_step.points),
            to_target=to_target,
            gates=tuple(g for g in criteria.theme_gates[result.theme] if result.id in g.when.reads),
            elsewhere=_gated_elsewhere(criteria, result.id, result.theme),
        )
    return step


def _gated_elsewhere(criteria: CriteriaSet, question_id: str, theme_id: str) -> tuple[str, ...]:
    """The other themes capped by a gate that reads this question: a step may lift their caps too."""
    return tuple(
        other
        for other, gates in criteria.theme_gates.items()
        if other != theme_id and any(question_id in g.when.reads for g in gates)
    )


def _raw_with(earned: float, total: float, change: _Change) -> float:
    """A theme's score before gates with one answer changed: O(1) from its tally."""
    return 100.0 * (earned + change.delta) / total


@dataclass(frozen=True, slots=True)
class _ThemeNow:
    """One gated theme of one firm as scored: what a changed answer is measured against."""

    criteria: CriteriaSet
    response: ValidatedResponse
    visible: Mapping[str, Answer]
    gate_truths: Mapping[str, bool]
    theme_id: str
    earned: float
    total: float
    cap: float
    gates: list[Gate]

    def score_with(self, step: _Step, change: _Change) -> float:
        """The theme's score with the changed answer: the arithmetic, then the gates that read the question."""
        raw = _raw_with(self.earned, self.total, change)
        return min(raw, self._cap_with(step, change) if step.gates else self.cap)

    def _cap_with(self, step: _Step, change: _Change) -> float:
        return _cap_with(self.criteria, self.response, self.visible, self.gate_truths, self.gates, step, change)


def _cap_with(
    criteria: CriteriaSet,
    response: ValidatedResponse,
    visible: Mapping[str, Answer],
    gate_truths: Mapping[str, bool],
    gates: Sequence[Gate],
    step: _Step,
    change: _Change,
) -> float:
    """A theme's cap with the changed answer: gates that read the question evaluated again, the others as they were."""
    changed = {**visible, step.question_id: change.answer}
    cap = 100.0
    for gate in gates:
        reads = step.question_id in gate.when.reads
        holds = evaluate(gate.when, response.firm, changed) is True if reads else gate_truths[gate.id]
        if holds:
            cap = min(cap, gate_cap(criteria, gate))
    return cap


@dataclass(frozen=True, slots=True)
class _Elsewhere:
    """What a step's gain in other themes is measured against: their scores now, shares and gates as they hold."""

    criteria: CriteriaSet
    response: ValidatedResponse
    visible: Mapping[str, Answer]
    gate_truths: Mapping[str, bool]
    tallies: Mapping[str, ThemeTally]
    shares: Mapping[str, float]
    final: Mapping[str, float | None]

    def gain(self, step: _Step, change: _Change) -> float:
        """The overall gain in the other themes whose gates read the question (their raw scores do not move)."""
        total = 0.0
        for theme_id in step.elsewhere:
            now, raw = self.final[theme_id], self.tallies[theme_id].raw_score
            if now is None or raw is None:
                continue
            gates = self.criteria.theme_gates[theme_id]
            cap = _cap_with(self.criteria, self.response, self.visible, self.gate_truths, gates, step, change)
            total += self.shares[theme_id] * (min(raw, cap) - now)
        return total


def rank_priorities(
    criteria: CriteriaSet,
    response: ValidatedResponse,
    visible: Mapping[str, Answer],
    tallies: Mapping[str, ThemeTally],
    caps: Mapping[str, float],
    shares: Mapping[str, float],
    final: Mapping[str, float | None],
    gate_truths: Mapping[str, bool],
) -> list[Priority]:
    """Every possible next step, best gain first (then quicker effort, then question order)."""
    found: list[tuple[float, tuple[int, int], _Step, AnswerValue | None, float | None]] = []
    questions = criteria.questions
    elsewhere: _Elsewhere | None = None  # made when a step first needs it: most sets gate themes by their own questions
    shared_steps = _STEPS_OF_SHARED.entries
    for theme_id, tally in tallies.items():
        now = final[theme_id]
        if now is None:
            continue
        share = shares[theme_id]
        gates = criteria.theme_gates[theme_id]
        # Without gates a step's score is the arithmetic alone (_raw_with); with gates, _ThemeNow re-checks them.
        theme = None
        if gates:
            theme = _ThemeNow(
                criteria,
                response,
                visible,
                gate_truths,
                theme_id,
                tally.earned,
                tally.total,
                caps.get(theme_id, 100.0),
                gates,
            )
        earned, total = tally.earned, tally.total
        for r in tally.results:
            hit = shared_steps.get(id(r))  # a result seen before has passed the checks below before
            if hit is not None and hit[0] is r:
                step = hit[1][0]
            elif r.status != "answered" or not r.counted or r.answer is None:
                continue
            else:
                step = _step_of(criteria, questions[r.id], r)
            if step is None:
                continue
            if theme is None:
                gain = share * (_raw_with(earned, total, step.step) - now)
            else:
                gain = share * (theme.score_with(step, step.step) - now)
            if step.elsewhere:
                elsewhere = elsewhere or _Elsewhere(criteria, response, visible, gate_truths, tallies, shares, final)
                gain += elsewhere.gain(step, step.step)
            gain = max(0.0, gain)
            target_gain = None
            if step.to_target is not None:
                with_target = (
                    _raw_with(earned, total, step.to_target)
                    if theme is None
                    else theme.score_with(step, step.to_target)
                )
                to_target = share * (with_target - now)
                if elsewhere is not None and step.elsewhere:
                    to_target += elsewhere.gain(step, step.to_target)
                target_gain = round(max(0.0, to_target), 2)
            found.append((-gain, step.sort_key, step, r.answer, target_gain))
    found.sort()  # by gain, then effort and question order: one step per question, so never further
    return [
        Priority(
            rank,
            step.question_id,
            step.theme,
            current,
            step.next,
            step.points_now,
            step.points_next,
            round(-negative_gain, 2),
            round(-negative_gain * 10, 1),
            step.effort,
            step.target,
            target_gain,
        )
        for rank, (negative_gain, _, step, current, target_gain) in enumerate(found, start=1)
    ]
