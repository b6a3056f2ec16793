"""Consistency checks of a criteria set beyond what each model validates on its own.

Pure: it reads a `CriteriaSet` and reports problems through a locator the loader supplies,
so every problem names its file and place.  All problems are collected, never just the first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from assess.errors import Problem
from assess.models.conditions import Condition
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Question,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)

# locate(theme_id or None for the set file, path inside that file) -> "file:line: path"
Locator = Callable[[str | None, Sequence[str | int]], str]


class _Checker:
    def __init__(self, criteria: CriteriaSet, locate: Locator) -> None:
        self.c = criteria
        self.locate = locate
        self.problems: list[Problem] = []
        self.order = {q.id: i for i, q in enumerate(criteria.questions.values())}

    def error(self, theme: str | None, path: Sequence[str | int], message: str, qid: str | None = None) -> None:
        self.problems.append(Problem(self.locate(theme, path), message, qid))

    def warn(self, theme: str | None, path: Sequence[str | int], message: str, qid: str | None = None) -> None:
        self.problems.append(Problem(self.locate(theme, path), message, qid, severity="warning"))

    # -- the set file -------------------------------------------------------------------------
    def check_set(self) -> None:
        c = self.c
        theme_ids = [t.id for t in c.themes]
        for theme_id, count in Counter(theme_ids).items():
            if count > 1:
                self.error(None, ["themes"], f"theme id '{theme_id}' is used by {count} theme files")
        levels = [lvl.level for lvl in c.levels]
        if levels != list(range(len(levels))):
            self.error(None, ["levels"], f"levels must run 0, 1, 2, ... without gaps, got {levels}")
        for name, profile in c.profiles.items():
            weights = profile.theme_weights
            for missing in [t for t in theme_ids if t not in weights]:
                self.error(None, ["profiles", name, "theme_weights"], f"no weight for theme '{missing}'")
            for unknown in [t for t in weights if t not in theme_ids]:
                self.error(None, ["profiles", name, "theme_weights", unknown], f"unknown theme '{unknown}'")
        if c.default_profile not in c.profiles:
            self.error(None, ["default_profile"], f"'{c.default_profile}' is not one of the profiles")
        for theme_id in c.award.theme_floors:
            if theme_id not in theme_ids:
                self.error(None, ["award", "theme_floors", theme_id], f"unknown theme '{theme_id}'")
        self._check_bands()
        self._check_ids(None, "vetoes", [v.id for v in c.vetoes])
        self._check_ids(None, "gates", [g.id for g in c.gates])
        self._check_ids(None, "industries", [t.id for t in c.industries])
        self._check_ids(None, "markets", [t.id for t in c.markets])
        for i, veto in enumerate(c.vetoes):
            self.check_condition(None, ["vetoes", i, "when"], veto.when, before=None)
            for qid in veto.when.referenced_questions() & set(c.questions):
                if not c.questions[qid].required:
                    self.warn(None, ["vetoes", i, "when"], f"{qid} is optional, so this veto may go unnoticed", qid)
        for i, gate in enumerate(c.gates):
            self.check_condition(None, ["gates", i, "when"], gate.when, before=None)
            if gate.theme is not None and gate.theme not in theme_ids:
                self.error(None, ["gates", i, "theme"], f"unknown theme '{gate.theme}'")
            if gate.cap_level is not None and gate.cap_level > c.max_level:
                self.error(None, ["gates", i, "cap_level"], f"the scale only goes up to {c.max_level}")
            if gate.cap_band is not None and c.band_named(gate.cap_band) is None:
                self.error(None, ["gates", i, "cap_band"], f"unknown band '{gate.cap_band}'")

    def _check_bands(self) -> None:
        bands = self.c.bands
        self._check_ids(None, "bands", [b.id for b in bands])
        mins = [b.min_score for b in bands]
        if 0 not in mins:
            self.error(None, ["bands"], "one band must start at min_score 0")
        if mins != sorted(set(mins)):
            self.error(None, ["bands"], "bands must be listed with rising, distinct min_score")

    def _check_ids(self, theme: str | None, key: str, ids: list[str]) -> None:
        for value, count in Counter(ids).items():
            if count > 1:
                self.error(theme, [key], f"id '{value}' is used {count} times")

    # -- the themes ---------------------------------------------------------------------------
    def check_themes(self) -> None:
        seen: dict[str, str] = {}
        referenced = self._rule_references()
        for theme in self.c.themes:
            scored_weight = 0.0
            for i, question in enumerate(theme.questions):
                path: list[str | int] = ["questions", i]
                if question.id in seen:
                    self.error(
                        theme.id,
                        [*path, "id"],
                        f"{question.id} is also used in theme '{seen[question.id]}'",
                        question.id,
                    )
                seen[question.id] = theme.id
                if question.scored:
                    scored_weight += question.weight
                self.check_question(theme.id, path, question, referenced)
            if scored_weight <= 0:
                self.error(theme.id, ["questions"], "the theme has no scored question (every weight is 0)")

    def _rule_references(self) -> set[str]:
        found: set[str] = set()
        for condition in [*(v.when for v in self.c.vetoes), *(g.when for g in self.c.gates)]:
            found |= condition.referenced_questions()
        for question in self.c.questions.values():
            if question.applies_if is not None:
                found |= question.applies_if.referenced_questions()
        return found

    def check_question(self, theme: str, path: list[str | int], q: Question, referenced: set[str]) -> None:
        qid = q.id
        if not q.references:
            self.error(theme, path, "references missing: name the standard or source this question rests on", qid)
        if q.scored and not q.evidence:
            self.error(theme, path, "evidence missing: list what an assessor would ask to see", qid)
        if not isinstance(q, TextQuestion) and q.weight == 0 and qid not in referenced:
            self.warn(theme, [*path, "weight"], "weight is 0 and no rule reads this question, so it has no effect", qid)
        if q.applies_if is not None:
            self.check_condition(theme, [*path, "applies_if"], q.applies_if, before=qid)
        if isinstance(q, LevelQuestion):
            self._check_level_question(theme, path, q)
        elif isinstance(q, SingleChoiceQuestion | MultiChoiceQuestion):
            self._check_choice_question(theme, path, q)
        elif isinstance(q, YesNoQuestion):
            if q.weight > 0 and q.yes_points == q.no_points:
                self.error(
                    theme, path, "yes_points and no_points are equal, so the answer cannot change the score", qid
                )
            if q.weight > 0 and q.advice is None:
                self.error(theme, path, "advice missing", qid)
        elif isinstance(q, NumberQuestion):
            self._check_number_question(theme, path, q)

    def _check_level_question(self, theme: str, path: list[str | int], q: LevelQuestion) -> None:
        if len(q.levels) != len(self.c.levels):
            self.error(
                theme,
                [*path, "levels"],
                f"{len(q.levels)} levels described but the scale has {len(self.c.levels)}",
                q.id,
            )
        for j, descriptor in enumerate(q.levels[:-1]):
            if descriptor.advice is None:
                self.error(theme, [*path, "levels", j], "advice missing: say how to reach the next level", q.id)

    def _check_choice_question(
        self, theme: str, path: list[str | int], q: SingleChoiceQuestion | MultiChoiceQuestion
    ) -> None:
        self._check_ids(theme, f"{'.'.join(map(str, path))}.options", [o.id for o in q.options])
        if q.weight > 0 and q.max_points <= 0:
            self.error(theme, [*path, "options"], "no option has points above 0", q.id)
        if isinstance(q, SingleChoiceQuestion):
            for j, option in enumerate(q.options):
                if option.exclusive:
                    self.error(
                        theme, [*path, "options", j, "exclusive"], "'exclusive' is for multiple choice only", q.id
                    )
        if isinstance(q, MultiChoiceQuestion) and q.cap is not None:
            total = sum(o.points for o in q.options)
            if q.cap > total:
                self.warn(theme, [*path, "cap"], f"cap {q.cap} is above the sum of all options ({total})", q.id)
        if q.weight > 0 and q.advice is None:
            for j, option in enumerate(q.options):
                if option.points < q.max_points and option.advice is None:
                    self.error(theme, [*path, "options", j], "advice missing (on the option or the question)", q.id)

    def _check_number_question(self, theme: str, path: list[str | int], q: NumberQuestion) -> None:
        if q.minimum is not None and q.maximum is not None and q.minimum >= q.maximum:
            self.error(theme, [*path, "maximum"], "maximum must be above minimum", q.id)
        previous_to: float | None = None
        for j, band in enumerate(q.bands):
            if band.from_ is not None and band.to is not None and band.from_ >= band.to:
                self.error(theme, [*path, "bands", j], "'from' must be below 'to'", q.id)
            if j == 0 and band.from_ is not None and (q.minimum is None or band.from_ > q.minimum):
                self.error(
                    theme, [*path, "bands", j], "the first band must start at the minimum (or leave out 'from')", q.id
                )
            if j > 0 and band.from_ != previous_to:
                self.error(theme, [*path, "bands", j], f"bands must join up: 'from' should be {previous_to}", q.id)
            previous_to = band.to
        if q.bands and q.bands[-1].to is not None and (q.maximum is None or q.bands[-1].to <= q.maximum):
            self.error(
                theme,
                [*path, "bands", len(q.bands) - 1],
                "the last band must reach the maximum (or leave out 'to')",
                q.id,
            )
        if q.weight > 0 and q.advice is None:
            self.error(theme, path, "advice missing", q.id)

    # -- conditions ---------------------------------------------------------------------------
    def check_condition(self, theme: str | None, path: list[str | int], cond: Condition, before: str | None) -> None:
        vocabulary = cond.referenced_vocabulary()
        for industry in sorted(vocabulary["industry"] - self.c.industry_ids()):
            self.error(theme, path, f"unknown industry '{industry}'")
        for market in sorted(vocabulary["market"] - self.c.market_ids()):
            self.error(theme, path, f"unknown market '{market}'")
        self._check_question_tests(theme, path, cond, before)

    def _check_question_tests(
        self, theme: str | None, path: list[str | int], cond: Condition, before: str | None
    ) -> None:
        for child in [*(cond.all or []), *(cond.any or []), *([cond.not_] if cond.not_ else [])]:
            self._check_question_tests(theme, path, child, before)
        if cond.question is None:
            return
        target = self.c.questions.get(cond.question)
        if target is None:
            self.error(theme, path, f"refers to unknown question '{cond.question}'")
            return
        if before is not None and self.order[target.id] >= self.order[before]:
            self.error(theme, path, f"applicability may only depend on earlier questions, not {target.id}", before)
        problem = _comparator_problem(cond, target)
        if problem:
            self.error(theme, path, f"{cond.describe()}: {problem}", before)


def _comparator_problem(cond: Condition, target: Question) -> str | None:
    """Why this comparison cannot work on this kind of question, or None."""
    numeric = cond.at_least is not None or cond.at_most is not None or cond.below is not None or cond.above is not None
    if cond.answered is not None:
        return None
    if isinstance(target, TextQuestion):
        return "a text question can only be tested with 'answered'"
    if isinstance(target, YesNoQuestion):
        if numeric or cond.includes is not None:
            return "a yes/no question is tested with equals: true or false"
        values = [cond.equals] if cond.in_ is None else cond.in_
        if any(not isinstance(v, bool) for v in values):
            return "a yes/no question is tested with equals: true or false"
    if isinstance(target, SingleChoiceQuestion | MultiChoiceQuestion):
        option_ids = {o.id for o in target.options}
        if numeric:
            return "choice questions are tested with equals, in or includes"
        if isinstance(target, SingleChoiceQuestion) and cond.includes is not None:
            return "'includes' is for multiple-choice questions; use equals or in"
        tested: list[object] = (
            [cond.includes] if cond.includes is not None else [cond.equals] if cond.in_ is None else list(cond.in_)
        )
        unknown = [str(v) for v in tested if v not in option_ids]
        if unknown:
            return f"not an option of {target.id}: {', '.join(unknown)}"
    if isinstance(target, LevelQuestion | NumberQuestion):
        if cond.includes is not None:
            return "'includes' is for multiple-choice questions"
        values = [] if numeric else [cond.equals] if cond.in_ is None else cond.in_
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
            return "compare with a number"
        if isinstance(target, LevelQuestion):
            out = [v for v in values if not 0 <= float(v) <= target.max_points]  # type: ignore[arg-type]
            if out:
                return f"level out of range 0-{int(target.max_points)}"
    return None


def check_criteria(criteria: CriteriaSet, locate: Locator) -> list[Problem]:
    """Every consistency problem of a loaded criteria set, errors and warnings."""
    checker = _Checker(criteria, locate)
    checker.check_set()
    checker.check_themes()
    return checker.problems
