"""The scoring function: (criteria, validated response, profile) -> ScoreResult.

Pure and deterministic.  Steps: applicability -> question points (with the N/A policy) ->
theme scores -> gates -> overall and band -> vetoes -> readiness -> priorities.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from assess.memo import IdentityMemo, ObjectMemo, worth_remembering
from assess.messages import said_error, say
from assess.models.answers import Answer, ValidatedResponse
from assess.models.criteria import CriteriaSet, Question
from assess.models.response import FirmProfile
from assess.models.result import (
    CriteriaRef,
    FirmSummary,
    GateResult,
    QuestionResult,
    QuestionStatus,
    ScoreResult,
    ThemeResult,
    VetoResult,
)
from assess.scoring.applicability import applicability
from assess.scoring.conditions import evaluate
from assess.scoring.points import scored_answer
from assess.scoring.priorities import rank_priorities
from assess.scoring.readiness import judge_readiness
from assess.scoring.themes import ThemeTally, gate_cap

_EPSILON = 1e-9
# Results are immutable, so firms with the same answer to a question share one QuestionResult object.
_QUESTION_RESULTS: ObjectMemo[QuestionResult] = ObjectMemo()
# Gate and veto results depend on the rule and its truth alone (True, False or None).
_GATE_RESULTS: ObjectMemo[GateResult] = ObjectMemo()
_VETO_RESULTS: ObjectMemo[VetoResult] = ObjectMemo()
_CRITERIA_REFS: ObjectMemo[CriteriaRef] = ObjectMemo()
# The common case, a plain answer (no note, no target) from validation's own memo: found by its identity.
_ANSWERED: IdentityMemo[tuple[Question, QuestionResult]] = IdentityMemo()


def _plain_answered(question: Question, theme_id: str, answer: Answer) -> QuestionResult:
    """The result of an applicable, scored question with a plain answer: a function of the answer alone."""
    found = _ANSWERED.get(answer)
    if found is not None and found[0] is question:
        return found[1]
    assert answer.value is not None
    result = _question_result(question, theme_id, "answered", answer, scored_answer(question, answer.value)[0], True)
    if worth_remembering(answer.value):
        _ANSWERED.put(answer, (question, result))
    return result


def _question_result(
    q: Question, theme_id: str, status: QuestionStatus, answer: Answer | None, points: float | None, counted: bool
) -> QuestionResult:
    if answer is None:
        value = note = target = None
        key: Hashable | None = status  # points and counted follow from the status here
    else:
        value = None if answer.na else answer.value
        note, target = answer.note, answer.target
        remember = note is None and worth_remembering(value)
        key = (status, points, counted, type(value), value, target) if remember else None
    found = _QUESTION_RESULTS.get(q, key) if key is not None else None
    if found is None:
        found = QuestionResult(
            id=q.id,
            theme=theme_id,
            kind=q.kind,
            status=status,
            answer=value,
            note=note,
            points=points,
            max_points=q.max_points,
            weight=q.weight,
            counted=counted,
            target=target,
        )
        if key is not None:
            _QUESTION_RESULTS.put(q, key, found)
    return found


def question_results(
    criteria: CriteriaSet, answers: Mapping[str, Answer], applies: Mapping[str, bool]
) -> dict[str, list[QuestionResult]]:
    """Per-question status and points, theme by theme (theme id -> its results), the N/A policy applied."""
    policy = criteria.na_policy
    answered = _ANSWERED.entries
    by_theme: dict[str, list[QuestionResult]] = {}
    for theme in criteria.themes:
        results: list[QuestionResult] = []
        by_theme[theme.id] = results
        na_budget: float | None = None  # worked out on the theme's first N/A answer
        na_used = 0.0
        for q in theme.questions:
            answer = answers.get(q.id)
            applicable = applies[q.id]
            if answer is not None and applicable:
                # _plain_answered's memo, looked up without a call: it holds plain answers to scored questions only
                hit = answered.get(id(answer))
                if hit is not None and hit[0] is answer and hit[1][0] is q:
                    results.append(hit[1][1])
                    continue
                if q.scored and not answer.na and answer.note is None and answer.target is None:
                    results.append(_plain_answered(q, theme.id, answer))
                    continue
            status: QuestionStatus = "unanswered"
            points: float | None = None
            counted = False
            if not applicable:
                status = "inapplicable"
            elif not q.scored:
                status = "unanswered" if answer is None else "na" if answer.na else "unscored"
            elif answer is None:
                status, points, counted = "unanswered", 0.0, True
            elif answer.na:
                if na_budget is None:
                    weight = sum(other.weight for other in theme.questions if other.scored and applies[other.id])
                    na_budget = policy.max_na_share * weight
                if policy.answered_na == "exclude" and na_used + q.weight <= na_budget + _EPSILON:
                    na_used += q.weight
                    status = "na"
                else:
                    status, points, counted = "na_over_limit", 0.0, True
            else:
                assert answer.value is not None
                status, points, counted = "answered", scored_answer(q, answer.value)[0], True
            results.append(_question_result(q, theme.id, status, answer, points, counted))
    return by_theme


def theme_caps(
    criteria: CriteriaSet, response: ValidatedResponse, visible: Mapping[str, Answer]
) -> tuple[dict[str, float], dict[str, list[str]], list[GateResult]]:
    """Evaluate every gate: caps per theme, which gates capped each theme, and gate results."""
    caps: dict[str, float] = {}
    applied: dict[str, list[str]] = {}
    gate_results: list[GateResult] = []
    for gate in criteria.gates:
        truth = evaluate(gate.when, response.firm, visible)
        result = _GATE_RESULTS.get(gate, truth)
        if result is None:
            result = GateResult(
                id=gate.id,
                applied=truth is True,
                unknown=truth is None,
                theme=gate.theme,
                cap_level=gate.cap_level,
                cap_band=gate.cap_band,
            )
            _GATE_RESULTS.put(gate, truth, result)
        gate_results.append(result)
        if truth is True and gate.theme is not None:
            caps[gate.theme] = min(caps.get(gate.theme, 100.0), gate_cap(criteria, gate))
            applied.setdefault(gate.theme, []).append(gate.id)
    return caps, applied, gate_results


def profile_shares(criteria: CriteriaSet, profile: str, scored_themes: set[str]) -> dict[str, float]:
    """Theme weights of a profile, normalised over the themes that have a score."""
    weights = criteria.profiles[profile].theme_weights
    total = sum(weights[t] for t in scored_themes)
    return {t.id: (weights[t.id] / total if t.id in scored_themes and total > 0 else 0.0) for t in criteria.themes}


def _criteria_ref(criteria: CriteriaSet, profile: str) -> CriteriaRef:
    found = _CRITERIA_REFS.get(criteria, profile)
    if found is None:
        ref = CriteriaRef(id=criteria.id, version=criteria.version, content_hash=criteria.content_hash, profile=profile)
        found = _CRITERIA_REFS.put(criteria, profile, ref)
    return found


def _undecidable(
    criteria: CriteriaSet,
    reads: frozenset[str],
    firm: FirmProfile,
    visible: Mapping[str, Answer],
    applies: Mapping[str, bool],
) -> bool:
    """Whether a rule reading `reads` stays unknown whatever the firm answers: what it lacks can never be answered."""
    return all(qid in visible or _never_applies(criteria, qid, firm, visible, applies) for qid in reads)


def _never_applies(
    criteria: CriteriaSet, qid: str, firm: FirmProfile, visible: Mapping[str, Answer], applies: Mapping[str, bool]
) -> bool:
    """A question that does not apply, and no answer could make it apply (its rule reads earlier questions only)."""
    rule = criteria.questions[qid].applies_if
    if applies.get(qid, True) or rule is None:
        return False
    truth = evaluate(rule, firm, visible)
    return truth is False or (truth is None and _undecidable(criteria, rule.reads, firm, visible, applies))


def _could_count(tally: ThemeTally) -> bool:
    """Whether a scored question of the theme applies to the firm: if none does, the theme is no shortfall."""
    return any(r.status != "inapplicable" and r.weight > 0 and r.max_points > 0 for r in tally.results)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def check_profile(criteria: CriteriaSet, profile: str | None) -> str:
    """The weighting profile to score with (the set's default for None); an unknown one is a user error.

    Commands call this once before scoring many firms, so a mistyped --profile is said once, not per firm.
    """
    chosen = profile or criteria.default_profile
    if chosen not in criteria.profiles:
        names = ", ".join(criteria.profiles)
        raise said_error(say("unknown_profile", profile=chosen), [("--profile", say("choose_profile", names=names))])
    return chosen


def score(criteria: CriteriaSet, response: ValidatedResponse, profile: str | None = None) -> ScoreResult:
    """Score one validated response against its criteria set under a weighting profile."""
    profile = check_profile(criteria, profile)
    answers = response.answers
    applies = applicability(criteria, response.firm, answers)
    visible = {qid: a for qid, a in answers.items() if applies.get(qid)}
    by_theme = question_results(criteria, answers, applies)
    questions = [r for results in by_theme.values() for r in results]
    tallies = {theme_id: ThemeTally.of(results) for theme_id, results in by_theme.items()}

    caps, capped_by, gate_results = theme_caps(criteria, response, visible)
    raw = {tid: tally.raw_score for tid, tally in tallies.items()}
    final = {tid: (None if s is None else min(s, caps.get(tid, 100.0))) for tid, s in raw.items()}
    shares = profile_shares(criteria, profile, {t for t, s in final.items() if s is not None})
    overall = sum(shares[t] * s for t, s in final.items() if s is not None) if any(shares.values()) else None

    band_id: str | None = None
    band_capped_by: list[str] = []
    if overall is not None:
        band = criteria.band_for(overall)
        for gate, result in zip(criteria.gates, gate_results, strict=True):
            cap_band = criteria.band_named(gate.cap_band) if gate.cap_band and result.applied else None
            if cap_band is not None and cap_band.min_score < band.min_score:
                band = cap_band
                band_capped_by.append(gate.id)
        band_id = band.id

    to_answer = sum(t.to_answer for t in tallies.values())
    completeness = sum(t.answered_of_those for t in tallies.values()) / to_answer if to_answer else 1.0
    provisional = completeness < criteria.provisional_below - _EPSILON

    vetoes = []
    for veto in criteria.vetoes:
        truth = evaluate(veto.when, response.firm, visible)
        if truth is None and _undecidable(criteria, veto.when.reads, response.firm, visible, applies):
            truth = False  # its questions do not apply to this firm: no answer can ever trigger it
        veto_result = _VETO_RESULTS.get(veto, truth)
        if veto_result is None:
            status = "triggered" if truth is True else "clear" if truth is False else "unknown"
            veto_result = VetoResult(id=veto.id, status=status, questions=sorted(veto.when.reads))
            _VETO_RESULTS.put(veto, truth, veto_result)
        vetoes.append(veto_result)

    themes = []
    for theme in criteria.themes:
        tally = tallies[theme.id]
        floor = criteria.award.floor_for(theme.id)
        score_t = final[theme.id]
        themes.append(
            ThemeResult(
                id=theme.id,
                score=_round(score_t),
                raw_score=_round(raw[theme.id]),
                weight_share=round(shares[theme.id], 6),
                cap=caps.get(theme.id),
                gates=capped_by.get(theme.id, []),
                answered=tally.answered,
                applicable=tally.applicable,
                floor=floor,
                meets_floor=None if score_t is None else score_t >= floor - _EPSILON,
            )
        )

    gate_truths = {g.id: g.applied for g in gate_results}
    priorities = rank_priorities(criteria, response, visible, tallies, caps, shares, final, gate_truths)
    not_applying = [tid for tid, s in final.items() if s is None and not _could_count(tallies[tid])]
    readiness = judge_readiness(criteria, overall, themes, vetoes, provisional, completeness, not_applying)
    firm = response.firm
    return ScoreResult(
        criteria=_criteria_ref(criteria, profile),
        firm=FirmSummary(
            name=firm.name,
            credit_code=firm.credit_code,
            industry=firm.industry,
            markets=list(firm.markets),
            assessment_date=firm.assessment_date,
            assessor=firm.assessor,
        ),
        status=response.status,
        overall=_round(overall),
        overall_1000=_round(None if overall is None else overall * 10),
        band=band_id,
        band_capped_by=band_capped_by,
        completeness=round(completeness, 4),
        provisional=provisional,
        readiness=readiness,
        themes=themes,
        vetoes=vetoes,
        gates=gate_results,
        priorities=priorities,
        questions=questions,
    )
