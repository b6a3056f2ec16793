"""The default criteria set: passes its own check, covers the award's themes, wires rules to real questions."""

from __future__ import annotations

from collections import Counter

from assess.api import criteria_root, load_criteria
from assess.models.criteria import CriteriaSet
from assess.readers.criteria_files import inspect_criteria

THEMES = {"brand", "quality", "traceability", "tbt", "credit", "performance"}


def test_default_set_has_no_problems_at_all() -> None:
    loaded = inspect_criteria(criteria_root() / "ningbo-export-quality")
    assert loaded.criteria is not None
    assert [str(p) for p in loaded.problems] == []


def test_six_award_themes_with_enough_questions(default_criteria: CriteriaSet) -> None:
    assert {t.id for t in default_criteria.themes} == THEMES
    assert len(default_criteria.questions) >= 48
    for theme in default_criteria.themes:
        assert len(theme.questions) >= 6, theme.id


def test_every_question_is_traceable_and_explained(default_criteria: CriteriaSet) -> None:
    for question in default_criteria.questions.values():
        assert question.references, question.id
        assert question.text.zh != question.text.en
        if question.scored:
            assert question.evidence, question.id


def test_ids_are_stable_and_prefixed_by_theme(default_criteria: CriteriaSet) -> None:
    prefixes = {"brand": "BR", "quality": "QM", "traceability": "TR", "tbt": "TBT", "credit": "QC", "performance": "EP"}
    for question_id, theme_id in default_criteria.theme_of.items():
        assert question_id.split("-")[0] == prefixes[theme_id]


def test_vetoes_and_gates_read_required_questions(default_criteria: CriteriaSet) -> None:
    assert {v.id for v in default_criteria.vetoes} == {"V1", "V2", "V3", "V4", "V5", "V6"}
    for veto in default_criteria.vetoes:
        for question_id in veto.when.referenced_questions():
            assert default_criteria.questions[question_id].required
    capped = Counter(g.theme for g in default_criteria.gates if g.theme)
    assert capped == {"quality": 1, "traceability": 1, "tbt": 1}


def test_profiles_weigh_results_more_for_award_alignment(default_criteria: CriteriaSet) -> None:
    improvement = default_criteria.profiles["improvement"].theme_weights
    award = default_criteria.profiles["award"].theme_weights
    assert award["performance"] / sum(award.values()) > improvement["performance"] / sum(improvement.values())


def test_loading_twice_gives_the_same_hash() -> None:
    assert load_criteria().content_hash == load_criteria().content_hash
