"""Consistency checks of a criteria set beyond what each model validates on its own.

Pure: it reads a `CriteriaSet` and reports problems through a locator the loader supplies,
so every problem names its file and place.  All problems are collected, never just the first.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from assess.errors import Problem
from assess.messages import Message, say
from assess.models.common import Text, number_as_written
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
from assess.readers.locations import format_path
from assess.validation import is_na

# locate(theme_id or None for the set file, path inside that file) -> "file:line: path"
Locator = Callable[[str | None, Sequence[str | int]], str]


class _Checker:
    def __init__(self, criteria: CriteriaSet, locate: Locator) -> None:
        self.c = criteria
        self.locate = locate
        self.problems: list[Problem] = []
        self.order = {q.id: i for i, q in enumerate(criteria.questions.values())}

    def error(
        self,
        theme: str | None,
        path: Sequence[str | int],
        message: str | Message,
        qid: str | None = None,
        item: str | None = None,
    ) -> None:
        """An error at `path`, naming `item` (a veto or gate id) or `qid`: an index path alone is hard to find."""
        self._add(theme, path, message, qid, item, "error")

    def warn(
        self,
        theme: str | None,
        path: Sequence[str | int],
        message: str | Message,
        qid: str | None = None,
        item: str | None = None,
    ) -> None:
        self._add(theme, path, message, qid, item, "warning")

    def _add(
        self,
        theme: str | None,
        path: Sequence[str | int],
        message: str | Message,
        qid: str | None,
        item: str | None,
        severity: str,
    ) -> None:
        english = str(message)
        chinese = message.in_lang("zh") if isinstance(message, Message) else None
        where = _named(self.locate(theme, path), item or qid, english)
        self.problems.append(Problem(where, english, qid, severity=severity, message_zh=chinese))

    # -- the set file -------------------------------------------------------------------------
    def check_set(self) -> None:
        c = self.c
        theme_ids = [t.id for t in c.themes]
        for theme_id, count in Counter(theme_ids).items():
            if count > 1:
                self.error(None, ["themes"], say("criteria_theme_id_twice", theme=theme_id, count=count))
        levels = [lvl.level for lvl in c.levels]
        if levels != list(range(len(levels))):
            self.error(None, ["levels"], say("criteria_scale_gaps", got=f"{levels}"))
        for name, profile in c.profiles.items():
            weights = profile.theme_weights
            for missing in [t for t in theme_ids if t not in weights]:
                self.error(None, ["profiles", name, "theme_weights"], say("criteria_profile_no_weight", theme=missing))
            for unknown in [t for t in weights if t not in theme_ids]:
                self.error(None, ["profiles", name, "theme_weights", unknown], self._unknown_theme(unknown))
            if not _finite_sum(weights.values()):
                self.error(None, ["profiles", name, "theme_weights"], say("criteria_profile_weights_overflow"))
            self._check_zero_weight_floors(name, weights, theme_ids)
        if c.default_profile not in c.profiles:
            self.error(
                None,
                ["default_profile"],
                say("criteria_unknown_default_profile", profile=c.default_profile, profiles=list(c.profiles)),
            )
        for theme_id in c.award.theme_floors:
            if theme_id not in theme_ids:
                self.error(None, ["award", "theme_floors", theme_id], self._unknown_theme(theme_id))
        self._check_bands()
        self._check_ids(None, ["vetoes"], [v.id for v in c.vetoes])
        self._check_ids(None, ["gates"], [g.id for g in c.gates])
        self._check_ids(None, ["industries"], [t.id for t in c.industries])
        self._check_ids(None, ["markets"], [t.id for t in c.markets])
        for i, veto in enumerate(c.vetoes):
            self.check_condition(None, ["vetoes", i, "when"], veto.when, before=None, item=veto.id)
            for qid in sorted(veto.when.referenced_questions() & set(c.questions)):
                if not c.questions[qid].required:
                    self.warn(None, ["vetoes", i, "when"], say("criteria_veto_optional", question=qid), qid, veto.id)
        for i, gate in enumerate(c.gates):
            self.check_condition(None, ["gates", i, "when"], gate.when, before=None, item=gate.id)
            if gate.theme is not None and gate.theme not in theme_ids:
                self.error(None, ["gates", i, "theme"], self._unknown_theme(gate.theme), item=gate.id)
            if gate.cap_level is not None and gate.cap_level > c.max_level:
                self.error(
                    None, ["gates", i, "cap_level"], say("criteria_cap_level_above", top=c.max_level), item=gate.id
                )
            if gate.cap_band is not None and c.band_named(gate.cap_band) is None:
                bands = [b.id for b in c.bands]
                self.error(
                    None,
                    ["gates", i, "cap_band"],
                    say("criteria_unknown_band", band=gate.cap_band, bands=bands),
                    item=gate.id,
                )

    def _unknown_theme(self, theme: str) -> Message:
        return say("criteria_unknown_theme", theme=theme, themes=[t.id for t in self.c.themes])

    def _check_zero_weight_floors(self, profile: str, weights: dict[str, float], theme_ids: list[str]) -> None:
        """A theme that weighs 0 but has a floor can hold a firm back while improving it shows no gain at all."""
        for theme_id in theme_ids:
            floor = self.c.award.floor_for(theme_id)
            if weights.get(theme_id) == 0 and floor > 0:
                self.warn(
                    None,
                    ["profiles", profile, "theme_weights", theme_id],
                    say("criteria_zero_weight_floor", theme=theme_id, profile=profile, floor=number_as_written(floor)),
                )

    def _check_bands(self) -> None:
        bands = self.c.bands
        self._check_ids(None, ["bands"], [b.id for b in bands])
        mins = [b.min_score for b in bands]
        if 0 not in mins:
            self.error(None, ["bands"], say("criteria_no_band_at_0"))
        if mins != sorted(set(mins)):
            shown = ", ".join(number_as_written(m) for m in mins)
            self.error(None, ["bands"], say("criteria_bands_not_rising", scores=shown))

    def _check_ids(self, theme: str | None, key: list[str | int], ids: list[str], qid: str | None = None) -> None:
        """An id given again: reported where it is given again (`key`[i].id), naming `qid` when in a question."""
        first: dict[str, int] = {}
        for i, value in enumerate(ids):
            if value in first:
                where = f"{format_path([*key, first[value]])}"
                self.error(theme, [*key, i, "id"], say("criteria_id_twice", id=value, first=where), qid)
            else:
                first[value] = i

    # -- the themes ---------------------------------------------------------------------------
    def check_themes(self) -> None:
        seen: dict[str, str] = {}
        referenced = self._rule_references()
        for theme in self.c.themes:
            scored_weight = 0.0
            weights: list[float] = []
            for i, question in enumerate(theme.questions):
                path: list[str | int] = ["questions", i]
                if question.id in seen:
                    self.error(
                        theme.id,
                        [*path, "id"],
                        say("criteria_question_id_twice", question=question.id, theme=seen[question.id]),
                        question.id,
                    )
                seen[question.id] = theme.id
                if question.scored and question.max_points > 0:
                    scored_weight += question.weight
                weights.append(question.weight)
                self.check_question(theme.id, path, question, referenced)
            if scored_weight <= 0:
                self.error(theme.id, ["questions"], say("criteria_theme_never_scored", theme=theme.id))
            elif not _finite_sum(weights, 100.0):
                self.error(theme.id, ["questions"], say("criteria_question_weights_overflow", theme=theme.id))

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
            self.error(theme, path, say("criteria_references_missing"), qid)
        if q.scored and not q.evidence:
            self.error(theme, path, say("criteria_evidence_missing"), qid)
        if not isinstance(q, TextQuestion) and q.weight == 0 and qid not in referenced:
            self.warn(theme, [*path, "weight"], say("criteria_weight_0_unused"), qid)
        if q.applies_if is not None:
            self.check_condition(theme, [*path, "applies_if"], q.applies_if, before=qid, item=qid)
        if not isinstance(q, MultiChoiceQuestion) and not math.isfinite(q.weight * q.max_points):
            self.error(theme, [*path, "weight"], say("criteria_product_overflows"), qid)
        if isinstance(q, LevelQuestion):
            self._check_level_question(theme, path, q)
        elif isinstance(q, SingleChoiceQuestion | MultiChoiceQuestion):
            self._check_choice_question(theme, path, q)
        elif isinstance(q, YesNoQuestion):
            if q.weight > 0 and q.yes_points == q.no_points:
                self.error(theme, path, say("criteria_yes_no_equal"), qid)
            if q.weight > 0 and q.advice is None:
                self.error(theme, path, say("criteria_advice_missing"), qid)
        elif isinstance(q, NumberQuestion):
            self._check_number_question(theme, path, q)

    def _check_level_question(self, theme: str, path: list[str | int], q: LevelQuestion) -> None:
        if len(q.levels) != len(self.c.levels):
            message = say(
                "criteria_descriptor_count", count=len(q.levels), scale=len(self.c.levels), top=self.c.max_level
            )
            self.error(theme, [*path, "levels"], message, q.id)
        for j, descriptor in enumerate(q.levels[:-1]):
            if descriptor.advice is None:
                self.error(theme, [*path, "levels", j], say("criteria_level_advice_missing"), q.id)

    def _check_choice_question(
        self, theme: str, path: list[str | int], q: SingleChoiceQuestion | MultiChoiceQuestion
    ) -> None:
        self._check_ids(theme, [*path, "options"], [o.id for o in q.options], q.id)
        self._check_option_ids(theme, path, q)
        if isinstance(q, MultiChoiceQuestion):
            if not _finite_sum(o.points for o in q.options):
                self.error(theme, [*path, "options"], say("criteria_option_points_overflow"), q.id)
            elif not math.isfinite(q.weight * q.max_points):
                self.error(theme, [*path, "weight"], say("criteria_product_overflows"), q.id)
        if q.weight > 0 and q.max_points <= 0:
            self.error(theme, [*path, "options"], say("criteria_no_option_points"), q.id)
        if isinstance(q, SingleChoiceQuestion):
            for j, option in enumerate(q.options):
                if option.exclusive:
                    self.error(theme, [*path, "options", j, "exclusive"], say("criteria_exclusive_single"), q.id)
        if isinstance(q, MultiChoiceQuestion) and q.cap is not None:
            total = sum(o.points for o in q.options)
            if q.cap > total:
                cap, sum_ = number_as_written(q.cap), number_as_written(total)
                self.warn(theme, [*path, "cap"], say("criteria_cap_above_total", cap=cap, total=sum_), q.id)
        if q.weight > 0 and q.advice is None:
            lacking = [j for j, o in enumerate(q.options) if o.points < q.max_points and o.advice is None]
            if len(lacking) > 1 and all(o.advice is None for o in q.options):  # one problem, not one per option
                ids = [q.options[j].id for j in lacking]
                self.error(theme, path, say("criteria_choice_advice_missing", options=ids), q.id)
                return
            for j in lacking:
                self.error(theme, [*path, "options", j], say("criteria_option_advice_missing"), q.id)

    def _check_option_ids(
        self, theme: str, path: list[str | int], q: SingleChoiceQuestion | MultiChoiceQuestion
    ) -> None:
        """Answers name options ignoring case, and N/A words mean N/A: such ids could never be chosen."""
        first_spelling: dict[str, str] = {}
        for j, option in enumerate(q.options):
            where = [*path, "options", j, "id"]
            if is_na(option.id):
                self.error(theme, where, say("criteria_option_is_na", option=option.id), q.id)
            seen = first_spelling.setdefault(option.id.lower(), option.id)
            if seen != option.id:
                self.error(theme, where, say("criteria_option_case", option=option.id, other=seen), q.id)

    def _check_number_question(self, theme: str, path: list[str | int], q: NumberQuestion) -> None:
        if q.weight > 0 and q.max_points <= 0:
            self.error(theme, [*path, "bands"], say("criteria_no_band_points"), q.id)
        if q.minimum is not None and q.maximum is not None and q.minimum >= q.maximum:
            low, high = number_as_written(q.minimum), number_as_written(q.maximum)
            self.error(theme, [*path, "maximum"], say("criteria_maximum_not_above", low=low, high=high), q.id)
        previous_to: float | None = None
        for j, band in enumerate(q.bands):
            if j == 0 and band.from_ is not None and (q.minimum is None or band.from_ > q.minimum):
                if q.minimum is None:
                    message = say("criteria_first_band_no_minimum", start=number_as_written(band.from_))
                else:
                    message = say("criteria_first_band_start", low=number_as_written(q.minimum))
                self.error(theme, [*path, "bands", j], message, q.id)
            if j > 0 and previous_to is not None and band.from_ != previous_to:
                message = say("criteria_bands_join", end=number_as_written(previous_to), before=f"bands[{j - 1}]")
                self.error(theme, [*path, "bands", j], message, q.id)
            previous_to = band.to
        last = q.bands[-1] if q.bands else None
        if last is not None and last.to is not None and (q.maximum is None or last.to <= q.maximum):
            if q.maximum is None:
                message = say("criteria_last_band_no_maximum", end=number_as_written(last.to))
            else:
                message = say("criteria_last_band_end", high=number_as_written(q.maximum))
            self.error(theme, [*path, "bands", len(q.bands) - 1], message, q.id)
        if q.weight > 0 and q.advice is None:
            self.error(theme, path, say("criteria_advice_missing"), q.id)

    # -- conditions ---------------------------------------------------------------------------
    def check_condition(
        self, theme: str | None, path: list[str | int], cond: Condition, before: str | None, item: str
    ) -> None:
        """The tests of a rule (`item`: the veto, gate or question it belongs to); `before`: the question it gates."""
        vocabulary = cond.referenced_vocabulary()
        for industry in sorted(vocabulary["industry"] - self.c.industry_ids()):
            known = [t.id for t in self.c.industries]
            self.error(theme, path, say("criteria_unknown_industry", industry=industry, known=known), before, item)
        for market in sorted(vocabulary["market"] - self.c.market_ids()):
            known = [t.id for t in self.c.markets]
            self.error(theme, path, say("criteria_unknown_market", market=market, known=known), before, item)
        for leaf in cond.leaves:
            self._check_question_test(theme, path, leaf, before, item)

    def _check_question_test(
        self, theme: str | None, path: list[str | int], cond: Condition, before: str | None, item: str
    ) -> None:
        if cond.question is None:
            return
        target = self.c.questions.get(cond.question)
        if target is None:
            close = difflib.get_close_matches(cond.question, list(self.c.questions), n=1)
            if close:
                message = say("criteria_unknown_question_close", question=cond.question, close=close[0])
            else:
                message = say("criteria_unknown_question", question=cond.question)
            self.error(theme, path, message, before, item)
            return
        if before is not None and target.id == before:
            self.error(theme, path, say("criteria_applies_to_itself", question=before), before, item)
            return
        if before is not None and self.order[target.id] > self.order[before]:
            message = say("criteria_applies_later", question=target.id, before=before)
            self.error(theme, path, message, before, item)
        set_problem = _set_compared_as_one(cond, target)
        if set_problem is not None:
            self.error(theme, path, set_problem, before, item)
            return
        problem = _comparator_problem(cond, target)
        if problem:
            self.error(
                theme, path, say("criteria_condition_problem", condition=_said(cond), problem=problem), before, item
            )


def _named(where: str, name: str | None, message: str) -> str:
    """`file:line: path` with the item's id put before the path (`... EP-02 questions[1].bands[1]`), unless said."""
    if name is None or name in message or name in where:
        return where
    head, sep, path = where.partition(": ")
    return f"{head}: {name} {path}" if sep else f"{where}: {name}"


def _finite_sum(values: Iterable[float], scale: float = 1.0) -> bool:
    """Whether `values` add up (times `scale`, as scoring multiplies them) to a number a float can hold."""
    return math.isfinite(scale * sum(values))


def _set_compared_as_one(cond: Condition, target: Question) -> Message | None:
    """`equals`/`in` on a multiple-choice answer compares a set of options with one value: it never matches."""
    if not isinstance(target, MultiChoiceQuestion) or (cond.equals is None and cond.in_ is None):
        return None
    values = [cond.equals] if cond.in_ is None else list(cond.in_)
    example = next((str(v) for v in values if isinstance(v, str)), target.options[0].id)
    return say("criteria_multi_equals", condition=_said(cond), question=target.id, option=example)


def _said(cond: Condition) -> Text:
    """The condition as a message value: `B-02 equals 'x'` in English, `B-02 = x` in Chinese."""
    return Text(zh=cond.describe("zh"), en=cond.describe("en"))


def _comparator_problem(cond: Condition, target: Question) -> Message | None:
    """Why this comparison cannot work on this kind of question, or None."""
    numeric = cond.at_least is not None or cond.at_most is not None or cond.below is not None or cond.above is not None
    if cond.answered is not None:
        return None
    if isinstance(target, TextQuestion):
        return say("criteria_test_text_answered")
    if isinstance(target, YesNoQuestion):
        if numeric or cond.includes is not None:
            return say("criteria_test_yes_no")
        values = [cond.equals] if cond.in_ is None else cond.in_
        if any(not isinstance(v, bool) for v in values):
            return say("criteria_test_yes_no")
    if isinstance(target, SingleChoiceQuestion | MultiChoiceQuestion):
        option_ids = {o.id for o in target.options}
        if numeric:
            return say("criteria_test_choice")
        if isinstance(target, SingleChoiceQuestion) and cond.includes is not None:
            return say("criteria_test_includes_single")
        tested: list[object] = (
            [cond.includes] if cond.includes is not None else [cond.equals] if cond.in_ is None else list(cond.in_)
        )
        unknown = [str(v) for v in tested if v not in option_ids]
        if unknown:
            known = [o.id for o in target.options]
            return say("criteria_test_not_an_option_of", question=target.id, options=unknown, known=known)
    if isinstance(target, LevelQuestion | NumberQuestion):
        if cond.includes is not None:
            return say("criteria_test_includes_number")
        values = [] if numeric else [cond.equals] if cond.in_ is None else cond.in_
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
            return say("criteria_test_number")
        if isinstance(target, LevelQuestion):
            out = [v for v in values if not 0 <= float(v) <= target.max_points]  # type: ignore[arg-type]
            if out:
                return say("criteria_test_level_range", top=int(target.max_points))
    return None


def check_criteria(criteria: CriteriaSet, locate: Locator) -> list[Problem]:
    """Every consistency problem of a loaded criteria set, errors and warnings."""
    checker = _Checker(criteria, locate)
    checker.check_set()
    checker.check_themes()
    return checker.problems
