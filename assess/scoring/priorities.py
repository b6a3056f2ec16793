"""Improvement priorities: the overall-score gain from reaching the next level of each question.

A gain is computed by re-scoring the question's theme with the better answer, gates
re-evaluated, so a step that lifts a gate shows its true worth and a step inside a capped
theme shows none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter

from assess.models.answers import Answer, AnswerValue, ValidatedResponse
from assess.models.criteria import CriteriaSet, LevelQuestion
from assess.models.result import Priority, QuestionResult
from assess.scoring.conditions import evaluate
from assess.scoring.points import scored_answer
from assess.scoring.themes import gate_cap

_EFFORT_ORDER = {"quick": 0, "medium": 1, "long": 2}
_PRIORITIES = TypeAdapter(list[Priority])  # one validation for the whole list: half the cost of one by one


def _theme_totals(results: list[QuestionResult]) -> tuple[float, float]:
    """(weighted share of points earned, total weight) over the counted questions of a theme."""
    earned = total = 0.0
    for r in results:
        if r.counted and r.max_points > 0:
            total += r.weight
            earned += r.weight * (r.points or 0.0) / r.max_points
    return earned, total


def _theme_score_with(
    criteria: CriteriaSet,
    response: ValidatedResponse,
    visible: Mapping[str, Answer],
    gate_truths: Mapping[str, bool],
    totals: tuple[float, float],
    result: QuestionResult,
    value: AnswerValue,
    points: float,
) -> float:
    """The theme's score if one question had `value` (worth `points`): O(1) arithmetic, then the theme's gates.

    Only gates that read the changed question are evaluated again; the others keep their truth.
    """
    earned, total = totals
    delta = result.weight * (points - (result.points or 0.0)) / result.max_points
    raw = 100.0 * (earned + delta) / total
    gates = criteria.theme_gates[result.theme]
    if not gates:
        return raw
    changed: Mapping[str, Answer] | None = None
    cap = 100.0
    for gate in gates:
        if result.id in gate.when.reads:
            changed = changed or {**visible, result.id: Answer(value=value)}
            holds = evaluate(gate.when, response.firm, changed) is True
        else:
            holds = gate_truths[gate.id]
        if holds:
            cap = min(cap, gate_cap(criteria, gate))
    return min(raw, cap)


def rank_priorities(
    criteria: CriteriaSet,
    response: ValidatedResponse,
    visible: Mapping[str, Answer],
    by_theme: Mapping[str, list[QuestionResult]],
    caps: Mapping[str, float],
    shares: Mapping[str, float],
    final: Mapping[str, float | None],
    gate_truths: Mapping[str, bool],
) -> list[Priority]:
    """Every possible next step, best gain first (then quicker effort, then question order)."""
    steps: list[tuple[float, int, int, dict[str, Any]]] = []
    order = criteria.question_order
    for theme_id, results in by_theme.items():
        now = final[theme_id]
        if now is None:
            continue
        share = shares[theme_id]
        totals = _theme_totals(results)
        for r in results:
            if r.status != "answered" or not r.counted or r.answer is None:
                continue
            question = criteria.questions[r.id]
            step = scored_answer(question, r.answer)[1]
            if step is None:
                continue
            after = _theme_score_with(criteria, response, visible, gate_truths, totals, r, step.value, step.points)
            gain = max(0.0, share * (after - now))
            target_gain = None
            if isinstance(question, LevelQuestion) and r.target is not None and r.target > float(r.answer):  # type: ignore[arg-type]
                target = int(r.target)
                reached = _theme_score_with(criteria, response, visible, gate_truths, totals, r, target, target)
                target_gain = round(max(0.0, share * (reached - now)), 2)
            priority = dict(
                question_id=r.id,
                theme=theme_id,
                current=r.answer,
                next=step.shown,
                points_now=r.points or 0.0,
                points_next=step.points,
                gain=round(gain, 2),
                gain_1000=round(gain * 10, 1),
                effort=question.effort,
                target=r.target,
                gain_to_target=target_gain,
            )
            steps.append((-gain, _EFFORT_ORDER[question.effort], order[r.id], priority))
    steps.sort(key=lambda item: item[:3])
    for rank, (_, _, _, fields) in enumerate(steps, start=1):
        fields["rank"] = rank
    return _PRIORITIES.validate_python([fields for _, _, _, fields in steps])
