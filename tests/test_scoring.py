"""Scoring on the mini set, with every expected number worked out by hand in the comments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from assess.models.criteria import CriteriaSet, NaPolicy
from assess.scoring.engine import score
from tests.conftest import GOOD_ANSWERS, Build


def test_theme_and_overall_scores_match_hand_computation(mini: CriteriaSet, build: Build) -> None:
    result = score(mini, build(GOOD_ANSWERS))
    # alpha: A-01 w2 3/4, A-02 w1 2/4, A-03 w1 1/1 -> (1.5 + 0.5 + 1) / 4 = 75
    assert result.theme("alpha").score == 75.0
    # beta: B-01 2 in [1,5) -> 2/4, B-02 x+z = 3 (cap 3) -> 3/3, B-03 2/4 -> (0.5 + 1 + 0.5) / 3 = 66.67
    assert result.theme("beta").score == pytest.approx(66.67)
    # even profile: (75 + 66.667) / 2 = 70.83; 1000-point scale x10
    assert result.overall == pytest.approx(70.83)
    assert result.overall_1000 == pytest.approx(708.33)
    assert result.band == "mid"
    assert result.completeness == 1.0
    assert not result.provisional
    assert result.readiness.verdict == "ready"


def test_profile_changes_weights(mini: CriteriaSet, build: Build) -> None:
    result = score(mini, build(GOOD_ANSWERS), profile="results")
    # (75 * 1 + 66.667 * 3) / 4 = 68.75
    assert result.overall == pytest.approx(68.75)
    assert result.criteria.profile == "results"


def test_priorities_rank_by_overall_gain(mini: CriteriaSet, build: Build) -> None:
    result = score(mini, build(GOOD_ANSWERS))
    ranked = [(p.question_id, p.gain) for p in result.priorities]
    # B-01 to the <1 band: beta (1 + 1 + 0.5)/3 = 83.33, +16.67 * 0.5 = 8.33
    # A-01 3->4: alpha (2 + 0.5 + 1)/4 = 87.5, +12.5 * 0.5 = 6.25; A-02 some->full: the same, later in order
    # B-03 2->3: beta (0.5 + 1 + 0.75)/3 = 75, +8.33 * 0.5 = 4.17
    assert ranked == [("B-01", 8.33), ("A-01", 6.25), ("A-02", 6.25), ("B-03", 4.17)]
    top = result.priorities[0]
    assert (top.current, top.next, top.points_now, top.points_next) == (2.0, "<1", 2.0, 4.0)


def test_gap_to_target(mini: CriteriaSet, build: Build) -> None:
    answers = {**GOOD_ANSWERS, "A-01": {"value": 1, "target": 3}}
    result = score(mini, build(answers))
    a01 = next(p for p in result.priorities if p.question_id == "A-01")
    # alpha now (2*1/4 + 0.5 + 1)/4 = 50; at level 3: 75 -> +25 * 0.5 = 12.5
    assert a01.gain_to_target == 12.5
    assert a01.gain == 6.25  # one level: (2*2/4 + 1.5)/4 = 62.5 -> +12.5 * 0.5


def test_gate_caps_theme_and_lifting_it_is_the_top_priority(mini: CriteriaSet, build: Build) -> None:
    result = score(mini, build({**GOOD_ANSWERS, "A-01": 0}))
    alpha = result.theme("alpha")
    # raw (0 + 0.5 + 1)/4 = 37.5, capped at level 1 of 4 = 25
    assert (alpha.raw_score, alpha.score, alpha.gates) == (37.5, 25.0, ["G1"])
    gains = {p.question_id: p.gain for p in result.priorities}
    # A-01 0->1 lifts the gate: raw (0.5 + 0.5 + 1)/4 = 50 -> +25 * 0.5 = 12.5
    assert gains["A-01"] == 12.5
    # A-02 some->full only raises the raw score, still capped at 25: no gain
    assert gains["A-02"] == 0.0
    assert result.priorities[0].question_id == "A-01"


def test_band_gate_caps_band_but_not_score(mini: CriteriaSet, build: Build) -> None:
    answers = {"A-01": 4, "A-02": "full", "A-03": True, "B-01": 12, "B-02": ["x", "y"], "B-03": 4, "B-04": False}
    result = score(mini, build(answers))
    # alpha 100; beta (0 + 1 + 1)/3 = 66.67; overall 83.33 would be "high", G2 caps the band at "mid"
    assert result.overall == pytest.approx(83.33)
    assert result.band == "mid"
    assert result.band_capped_by == ["G2"]


def test_na_within_budget_leaves_the_denominator(mini: CriteriaSet, build: Build) -> None:
    answers = {**GOOD_ANSWERS, "A-03": {"value": "N/A", "note": "no scheme exists for crafts"}}
    result = score(mini, build(answers))
    # A-03 weight 1 <= 25 % of 4: excluded -> (1.5 + 0.5) / 3 = 66.67
    assert result.question("A-03").status == "na"
    assert result.theme("alpha").score == pytest.approx(66.67)


def test_na_beyond_the_budget_counts_as_zero(mini: CriteriaSet, build: Build) -> None:
    strict = mini.model_copy(update={"na_policy": NaPolicy(max_na_share=0.2)})
    answers = {**GOOD_ANSWERS, "A-03": {"value": "n/a", "note": "not relevant"}}
    result = score(strict, build(answers, criteria=strict))
    # budget 0.2 * 4 = 0.8 < weight 1: counted as zero -> (1.5 + 0.5 + 0) / 4 = 50
    assert result.question("A-03").status == "na_over_limit"
    assert result.theme("alpha").score == 50.0


def test_inapplicable_question_leaves_the_score(mini: CriteriaSet, build: Build) -> None:
    answers = {k: v for k, v in GOOD_ANSWERS.items() if k != "B-03"}
    result = score(mini, build(answers, markets=["us"]))
    # B-03 applies to EU exporters only: beta (0.5 + 1) / 2 = 75
    assert result.question("B-03").status == "inapplicable"
    assert result.theme("beta").score == 75.0
    assert result.theme("beta").applicable == 3


def test_veto_reported_without_hiding_the_score(mini: CriteriaSet, build: Build) -> None:
    clean = score(mini, build(GOOD_ANSWERS))
    vetoed = score(mini, build({**GOOD_ANSWERS, "B-04": True}))
    assert vetoed.overall == clean.overall
    assert vetoed.readiness.verdict == "vetoed"
    assert [v.status for v in vetoed.vetoes] == ["triggered"]
    assert vetoed.readiness.reasons[0].code == "veto"


def test_draft_is_provisional_and_unanswered_counts_zero(mini: CriteriaSet, build: Build) -> None:
    result = score(mini, build({"A-01": 3}, status="draft"))
    # 1 of 7 applicable non-text questions answered
    assert result.completeness == pytest.approx(1 / 7, abs=1e-4)
    assert result.provisional
    assert result.readiness.verdict == "undetermined"
    # alpha: (2 * 3/4) / 4 = 37.5 ; beta: nothing earned = 0
    assert result.theme("alpha").score == 37.5
    assert result.theme("beta").score == 0.0
    assert {v.status for v in result.vetoes} == {"unknown"}


def test_not_ready_and_near(mini: CriteriaSet, build: Build) -> None:
    low = score(mini, build({**GOOD_ANSWERS, "A-01": 1, "A-02": "none", "B-03": 0}))
    # alpha (2*1/4 + 0 + 1)/4 = 37.5 (below the floor of 40), beta (0.5 + 1 + 0)/3 = 50 -> overall 43.75
    assert low.overall == pytest.approx(43.75)
    assert low.readiness.verdict == "not_ready"
    codes = [(r.code, r.subject) for r in low.readiness.reasons]
    assert codes == [("overall_below", None), ("theme_below_floor", "alpha")]
    near = score(mini, build({**GOOD_ANSWERS, "A-01": 2, "B-03": 0}))
    # alpha 62.5, beta (0.5 + 1 + 0)/3 = 50 -> overall 56.25: 3.75 below 60, within the 5-point margin
    assert near.overall == pytest.approx(56.25)
    assert near.readiness.verdict == "near"


def test_unknown_profile_is_a_user_error(mini: CriteriaSet, build: Build) -> None:
    from assess.errors import UserError

    with pytest.raises(UserError, match="Unknown weighting profile 'nope'"):
        score(mini, build(GOOD_ANSWERS), profile="nope")


def test_result_names_criteria_by_id_version_and_hash(mini: CriteriaSet, build: Build) -> None:
    result = score(mini, build(GOOD_ANSWERS))
    assert (result.criteria.id, result.criteria.version) == ("mini", "0.1")
    assert result.criteria.content_hash.startswith("sha256:") and len(result.criteria.content_hash) == 71
    changed = mini.model_copy(update={"version": "0.2"})
    from assess.readers.criteria_files import content_hash

    assert content_hash(changed) != content_hash(mini)


@pytest.mark.parametrize(
    ("values", "points", "shown"),
    [
        # B-01 bands: [-inf, 1) -> 4, [1, 5) -> 2, [5, inf) -> 0; the next step is the nearest better band.
        ([3, 1.5, 4.9], [2.0, 2.0, 2.0], ["<1", "<1", "<1"]),
        ([7, 5, 0.5, 2], [0.0, 0.0, 4.0, 2.0], ["<5", "<5", None, "<1"]),
    ],
)
def test_numbers_in_one_band_share_points_and_next_step(
    mini: CriteriaSet, build: Build, values: list[float], points: list[float], shown: list[str | None]
) -> None:
    """Numbers are remembered by band: each value still gets its own band's points, step and answer."""
    for value, expected_points, expected_step in zip(values, points, shown, strict=True):
        result = score(mini, build({**GOOD_ANSWERS, "B-01": value}))
        assert result.question("B-01").answer == value
        assert result.question("B-01").points == expected_points
        step = next((p for p in result.priorities if p.question_id == "B-01"), None)
        assert (step.next if step else None) == expected_step
        assert step is None or step.current == value


def test_the_next_step_of_a_whole_number_question_is_a_whole_number() -> None:
    """EP-03 counts notices (whole numbers): from 1 the better band is `< 1`, that is 0 (not 0.999999999 or "<1")."""
    from assess.api import load_criteria
    from assess.scoring.points import next_step

    question = load_criteria().questions["EP-03"]
    step = next_step(question, 1)
    assert step is not None and step.value == 0 and step.shown == "0" and step.points == 4.0
    higher = next_step(question, 5)
    assert higher is not None and higher.value == 2 and higher.shown == "≤3"  # [2, 4) is the next band


def test_skip_logic_is_remembered_by_the_outcome_of_its_tests_not_by_numbers_or_markets() -> None:
    """BR-03 applies when BR-01 (a number) is above 0 and QM-09 when QM-05 is at least 3 (default set)."""
    import datetime as dt

    from assess.api import load_criteria
    from assess.models.answers import Answer
    from assess.models.response import FirmProfile
    from assess.scoring.applicability import applicability

    criteria = load_criteria()
    firm = FirmProfile(name="甲", industry="food", markets=["eu"], assessment_date=dt.date(2026, 12, 1))

    def applies(**answers: float) -> Mapping[str, bool]:
        return applicability(criteria, firm, {qid.replace("_", "-"): Answer(value=v) for qid, v in answers.items()})

    high, higher, none = applies(BR_01=3.5, QM_05=2), applies(BR_01=70.25, QM_05=1), applies(BR_01=0.0, QM_05=2)
    assert high is higher  # the same outcomes (BR-01 above 0, QM-05 below 3): one remembered mapping
    assert high["BR-03"] and not none["BR-03"] and not high["QM-09"]
    assert applies(BR_01=1.0, QM_05=4)["QM-09"]
    assert not applicability(criteria, firm, {})["BR-03"]  # no answer: the rule cannot hold for sure
    # Markets are read only by `market` tests: eu + asean gives the outcomes eu alone gives, eu + us does not.
    answers = {"BR-01": Answer(value=3.5), "QM-05": Answer(value=2)}
    wider = firm.model_copy(update={"markets": ["eu", "asean"]})
    with_us = firm.model_copy(update={"markets": ["eu", "us"]})
    assert applicability(criteria, wider, answers) is high
    assert applicability(criteria, with_us, answers)["TR-09"] and not high["TR-09"]


def _variant(mini: CriteriaSet, change: Callable[[dict[str, Any]], None]) -> CriteriaSet:
    """The mini set with its data changed (a fresh model: derived facts such as gates per theme worked out anew)."""
    data = mini.model_dump(by_alias=True, exclude={"content_hash"})
    change(data)
    return CriteriaSet.model_validate(data)


def _questions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for theme in data["themes"] for q in theme["questions"]}


def _beta_capped_by_a02(data: dict[str, Any]) -> None:
    data["gates"].append(
        {
            "id": "G3",
            "title": {"zh": "无覆盖", "en": "No coverage"},
            "explanation": {"zh": "A-02为none时beta封顶1级。", "en": "A-02 at none caps beta at level 1."},
            "when": {"question": "A-02", "equals": "none"},
            "theme": "beta",
            "cap_level": 1,
        }
    )


def test_a_gate_on_another_themes_question_counts_in_the_priority_gain(mini: CriteriaSet, build: Build) -> None:
    """G3 caps beta by A-02, a question of alpha: lifting it gains in beta too, as re-scoring shows."""
    criteria = _variant(mini, _beta_capped_by_a02)
    answers = {**GOOD_ANSWERS, "A-02": "none"}
    result = score(criteria, build(answers, criteria=criteria))
    # alpha (1.5 + 0 + 1)/4 = 62.5; beta 66.67 capped at 25 -> 43.75
    assert (result.theme("beta").score, result.overall) == (25.0, 43.75)
    # A-02 none->some: alpha 75, beta no longer capped 66.67 -> 70.83, +27.08 (alpha's 6.25 alone before)
    assert [(p.question_id, p.gain) for p in result.priorities] == [
        ("A-02", 27.08),
        ("A-01", 6.25),
        ("B-01", 0.0),
        ("B-03", 0.0),
    ]
    for priority in result.priorities:
        if priority.question_id == "B-01":  # a number: its step is shown as a band ("<1")
            continue
        better = score(criteria, build({**answers, priority.question_id: priority.next}, criteria=criteria))
        assert better.overall is not None and result.overall is not None
        assert priority.gain == pytest.approx(better.overall - result.overall, abs=0.01), priority.question_id


def test_a_gate_on_another_themes_question_counts_in_the_gain_to_target(mini: CriteriaSet, build: Build) -> None:
    def beta_capped_by_a01(data: dict[str, Any]) -> None:
        _beta_capped_by_a02(data)
        data["gates"][-1]["when"] = {"question": "A-01", "at_most": 1}

    criteria = _variant(mini, beta_capped_by_a01)
    result = score(criteria, build({**GOOD_ANSWERS, "A-01": {"value": 1, "target": 3}}, criteria=criteria))
    a01 = next(p for p in result.priorities if p.question_id == "A-01")
    # now: alpha (0.5 + 0.5 + 1)/4 = 50, beta capped at 25 -> 37.5
    # level 2: alpha 62.5, beta 66.67 -> 64.58 (+27.08); level 3: alpha 75 -> 70.83 (+33.33)
    assert (a01.gain, a01.gain_to_target) == (27.08, 33.33)


def _veto_on_b03(data: dict[str, Any]) -> None:
    """V2 rules a firm out when B-03 (EU markets only) is at level 0."""
    data["vetoes"].append(
        {
            "id": "V2",
            "title": {"zh": "欧盟不合规", "en": "No EU compliance"},
            "explanation": {"zh": "B-03为0。", "en": "B-03 at 0."},
            "when": {"question": "B-03", "equals": 0},
        }
    )


def test_a_veto_on_a_question_that_does_not_apply_is_clear(mini: CriteriaSet, build: Build) -> None:
    criteria = _variant(mini, _veto_on_b03)
    answers = {k: v for k, v in GOOD_ANSWERS.items() if k != "B-03"}
    result = score(criteria, build(answers, criteria=criteria, markets=["us"]))
    assert [(v.id, v.status) for v in result.vetoes] == [("V1", "clear"), ("V2", "clear")]
    assert result.readiness.verdict == "ready"  # alpha 75, beta (0.5 + 1)/2 = 75
    eu = score(criteria, build({**GOOD_ANSWERS, "B-03": 0}, criteria=criteria))
    assert eu.readiness.verdict == "vetoed" and eu.vetoes[1].status == "triggered"


def test_a_veto_whose_question_may_still_apply_stays_unknown(mini: CriteriaSet, build: Build) -> None:
    """B-03 applies to EU firms whose B-01 is above 0: while B-01 is unanswered, B-03 may yet apply."""

    def b03_after_b01(data: dict[str, Any]) -> None:
        _veto_on_b03(data)
        _questions(data)["B-03"]["applies_if"] = {"all": [{"market": ["eu"]}, {"question": "B-01", "above": 0}]}

    criteria = _variant(mini, b03_after_b01)
    unsure = score(criteria, build({"A-01": 3, "B-04": False}, status="draft", criteria=criteria))
    assert unsure.vetoes[1].status == "unknown"
    outside = score(criteria, build({"A-01": 3, "B-04": False}, status="draft", criteria=criteria, markets=["us"]))
    assert outside.vetoes[1].status == "clear"  # not an EU exporter: B-03 can never apply

    def chained(data: dict[str, Any]) -> None:  # B-03 now hangs on B-02, which applies to EU firms only
        _veto_on_b03(data)
        _questions(data)["B-02"]["applies_if"] = {"market": ["eu"]}
        _questions(data)["B-03"]["applies_if"] = {"question": "B-02", "includes": "x"}

    criteria = _variant(mini, chained)
    answers = {k: v for k, v in GOOD_ANSWERS.items() if k not in ("B-02", "B-03")}
    assert score(criteria, build(answers, criteria=criteria, markets=["us"])).vetoes[1].status == "clear"


def test_a_theme_none_of_whose_questions_apply_does_not_hold_readiness_back(mini: CriteriaSet, build: Build) -> None:
    def beta_for_eu_only(data: dict[str, Any]) -> None:
        for qid in ("B-01", "B-02"):
            _questions(data)[qid]["applies_if"] = {"market": ["eu"]}

    criteria = _variant(mini, beta_for_eu_only)
    alpha_only = {k: v for k, v in GOOD_ANSWERS.items() if k.startswith("A-") or k == "B-04"}
    result = score(criteria, build(alpha_only, criteria=criteria, markets=["us"]))
    assert result.theme("beta").score is None and result.overall == 75.0  # the overall leaves beta out
    assert (result.readiness.verdict, result.readiness.reasons) == ("ready", [])

    # A theme left unscored by N/A answers is still a reason: the firm itself said its questions do not apply.
    def beta_all_na(data: dict[str, Any]) -> None:
        data["na_policy"]["max_na_share"] = 1.0
        for qid in ("B-01", "B-02", "B-03"):
            _questions(data)[qid]["na_allowed"] = True

    criteria = _variant(mini, beta_all_na)
    na = {"value": "N/A", "note": "we sell no such goods"}
    result = score(criteria, build({**alpha_only, "B-01": na, "B-02": na, "B-03": na}, criteria=criteria))
    assert result.theme("beta").score is None
    assert [r.code for r in result.readiness.reasons] == ["theme_not_scored"]


@pytest.mark.parametrize(
    ("edge", "shown"),
    [(20.0, "20"), (2.5, "2.5"), (5_000_000.0, "5000000"), (1_234_567.5, "1234567.5"), (0.00001, "0.00001")],
)
def test_a_band_edge_is_shown_with_every_digit_and_no_exponent(edge: float, shown: str) -> None:
    """`:g` would show 5e+06 and round 1234567.5 to 1.23457e+06: a firm must read the edge the set wrote."""
    from assess.models.criteria import NumberQuestion
    from assess.scoring.points import next_step

    def number_question(points_below: int, points_above: int) -> NumberQuestion:
        return NumberQuestion.model_validate(
            {
                "id": "EP-99",
                "kind": "number",
                "text": {"zh": "出口额", "en": "Export value"},
                "help": {"zh": "上一年度", "en": "Last year"},
                "unit": {"zh": "元", "en": "CNY"},
                "bands": [{"to": edge, "points": points_below}, {"from": edge, "points": points_above}],
            }
        )

    step = next_step(number_question(0, 4), edge / 2)  # more is better: the next band starts at the edge
    assert step is not None and step.shown == f"≥{shown}"
    step = next_step(number_question(4, 0), edge * 2)  # less is better: the next band ends at it
    assert step is not None and step.shown == f"<{shown}"
