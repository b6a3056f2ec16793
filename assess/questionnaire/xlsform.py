"""The questionnaire as an XLSForm workbook, for KoboToolbox and ODK Collect.

Field work often happens on a phone or tablet: a consultant visits the plant, answers offline in
ODK Collect or KoboCollect, and exports the submissions later (`assess.readers.submissions` reads
them back).  Everything is generated from the criteria set, so a new question appears in the form
without any edit here.

Naming, shared with the submissions reader so that a form and its exports always match:

- the firm profile is the group `firm` with fields `firm_name`, `credit_code`, `industry`, `markets`,
  `assessment_date` and `assessor`; the calculate field `criteria_id` carries the criteria set id;
- each theme is the group `theme-<theme id>`; each question's field is named by its question id as is
  (`TBT-01`: XML names allow the hyphen and pyxform accepts it, so no mapping is needed);
- `<QID>_note` is the optional evidence note of every question but free text (the scored ones and the
  unscored veto questions, whose evidence matters as much);
- `<QID>_target` is the optional target level of a maturity-level question, asked once it is answered;
- a number question that allows N/A is preceded by `<QID>_na`, a one-box select_multiple whose only
  choice is `na` ("not applicable"), because a numeric field cannot hold a word; the number is then
  skipped;
- choice questions that allow N/A get an extra choice named `na` (see `na_choice_name`).

`applies_if` rules become `relevant` expressions with the engine's three-valued logic: a rule that
cannot be decided yet (an earlier answer is missing) hides the question, just as the engine counts it
as not applicable.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import TypeAdapter, ValidationError

from assess.errors import CriteriaError
from assess.models.common import LANGS, Lang, Text, number_as_written
from assess.models.conditions import AnswerScalar, Condition
from assess.models.credit_code import CHARSET
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
from assess.paths import data_dir
from assess.readers.safe_yaml import load_yaml
from assess.readers.text_file import read_text

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "ASSESSMENT_DATE",
    "ASSESSOR",
    "CREDIT_CODE",
    "CRITERIA_FIELD",
    "FIRM_GROUP",
    "FIRM_NAME",
    "INDUSTRY",
    "LANGUAGE_NAMES",
    "MARKETS",
    "NA_CHOICE",
    "has_note",
    "na_choice_name",
    "na_field",
    "note_field",
    "theme_group_name",
    "xlsform_bytes",
    "xlsform_labels",
]

LABELS_FILE = Path("questionnaire") / "xlsform_labels.yaml"
LANGUAGE_NAMES: dict[Lang, str] = {"zh": "Chinese (zh)", "en": "English (en)"}

FIRM_GROUP = "firm"
FIRM_NAME = "firm_name"
CREDIT_CODE = "credit_code"
INDUSTRY = "industry"
MARKETS = "markets"
ASSESSMENT_DATE = "assessment_date"
ASSESSOR = "assessor"
CRITERIA_FIELD = "criteria_id"
NA_CHOICE = "na"

REQUIRED_LABELS = frozenset(
    {
        "firm_group",
        "firm_name",
        "credit_code",
        "credit_code_hint",
        "credit_code_invalid",
        "industry",
        "markets",
        "markets_hint",
        "assessment_date",
        "assessor",
        "unit_suffix",
        "number_between",
        "number_at_least",
        "number_at_most",
        "not_applicable_flag",
        "exclusive_option",
        "evidence_note",
        "evidence_hint",
        "na_note_required",
    }
)

_TRANSLATED = ("label", "hint", "constraint_message", "required_message")
SURVEY_COLUMNS: tuple[str, ...] = (
    "type",
    "name",
    "label::" + LANGUAGE_NAMES["zh"],
    "label::" + LANGUAGE_NAMES["en"],
    "hint::" + LANGUAGE_NAMES["zh"],
    "hint::" + LANGUAGE_NAMES["en"],
    "required",
    "required_message::" + LANGUAGE_NAMES["zh"],
    "required_message::" + LANGUAGE_NAMES["en"],
    "relevant",
    "constraint",
    "constraint_message::" + LANGUAGE_NAMES["zh"],
    "constraint_message::" + LANGUAGE_NAMES["en"],
    "calculation",
    "default",
)
CHOICE_COLUMNS: tuple[str, ...] = (
    "list_name",
    "name",
    "label::" + LANGUAGE_NAMES["zh"],
    "label::" + LANGUAGE_NAMES["en"],
)
SETTINGS_COLUMNS: tuple[str, ...] = ("form_title", "form_id", "version", "default_language")

Row = dict[str, str]


# --- names shared with the submissions reader -------------------------------------------------


def theme_group_name(theme_id: str) -> str:
    """The XLSForm group of a theme; exports may prefix field names with it (`theme-tbt/TBT-01`)."""
    return f"theme-{theme_id}"


def note_field(question_id: str) -> str:
    """The evidence-note field of a question (question ids never contain `_`, so no clash)."""
    return f"{question_id}_note"


def target_field(question_id: str) -> str:
    """The optional target level of a maturity-level question (the level the firm aims for)."""
    return f"{question_id}_target"


def has_note(question: Question) -> bool:
    """Every answer but free text can carry an evidence note (veto questions too, though they score nothing)."""
    return not isinstance(question, TextQuestion)


def na_field(question_id: str) -> str:
    """The "not applicable" tick box that precedes a number question allowing N/A."""
    return f"{question_id}_na"


def na_choice_name(question: Question) -> str:
    """The choice that means N/A in a choice list: `na`, unless an option of the question is already so named."""
    taken = (
        {o.id.lower() for o in question.options}
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion)
        else set()
    )
    name = NA_CHOICE
    while name.lower() in taken:
        name = f"{name}_"
    return name


# --- labels -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def xlsform_labels() -> dict[str, Text]:
    """The form's own words, from templates/questionnaire/xlsform_labels.yaml, each in zh and en."""
    path = data_dir("templates") / LABELS_FILE
    data, _ = load_yaml(read_text(path, str(LABELS_FILE)), str(LABELS_FILE))
    try:
        labels = TypeAdapter(dict[str, Text]).validate_python(data)
    except ValidationError as exc:
        raise CriteriaError(
            f"{LABELS_FILE}: every label needs zh and en texts ({exc.error_count()} problems)"
        ) from None
    missing = sorted(REQUIRED_LABELS - labels.keys())
    if missing:
        raise CriteriaError(f"{LABELS_FILE}: labels missing: {', '.join(missing)}")
    return labels


def _fill(text: Text, **values: str | Text) -> Text:
    """A label with its {placeholders} filled, per language."""

    def one(lang: Lang) -> str:
        return text.in_lang(lang).format(
            **{k: v.in_lang(lang) if isinstance(v, Text) else v for k, v in values.items()}
        )

    return Text(zh=one("zh"), en=one("en"))


def _join(texts: Iterable[Text], zh_sep: str = "；", en_sep: str = "; ") -> Text | None:
    items = list(texts)
    if not items:
        return None
    return Text(zh=zh_sep.join(t.zh for t in items), en=en_sep.join(t.en for t in items))


def _prefixed(prefix: str, text: Text) -> Text:
    return Text(zh=f"{prefix} {text.zh}", en=f"{prefix} {text.en}")


# --- XPath --------------------------------------------------------------------------------------


def _ref(name: str) -> str:
    return "${" + name + "}"


def _literal(text: str) -> str:
    """An XPath string literal (XPath 1.0 has no escapes, so quotes are handled with concat)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = text.split("'")
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in parts) + ")"


def _number(value: float) -> str:
    """An XPath number literal: XPath 1.0 has no exponent notation."""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")


def _all(parts: list[str]) -> str:
    if "false()" in parts:
        return "false()"
    parts = [p for p in parts if p != "true()"]
    if not parts:
        return "true()"
    return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"


def _any(parts: list[str]) -> str:
    if "true()" in parts:
        return "true()"
    parts = [p for p in parts if p != "false()"]
    if not parts:
        return "false()"
    return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


def _not(expr: str) -> str:
    if expr == "true()":
        return "false()"
    if expr == "false()":
        return "true()"
    return f"not({expr})"


class _Relevance:
    """`applies_if` conditions as XPath, following `assess.scoring.conditions` and `applicability`.

    The engine answers True, False or unknown; a question applies only when its rule is surely
    True.  Each condition is therefore translated twice: "surely true" and "surely false".  Like the
    engine, a rule sees only answers to questions asked before it that themselves apply.
    """

    def __init__(self, criteria: CriteriaSet) -> None:
        self.criteria = criteria
        self.position = {qid: i for i, qid in enumerate(criteria.questions)}

    def relevant(self, question: Question) -> str:
        """The `relevant` expression of a question ("" when it always applies)."""
        if question.applies_if is None:
            return ""
        return self.true(question.applies_if, self.position[question.id])

    def true(self, cond: Condition, before: int) -> str:
        if cond.industry is not None:
            return _any([f"{_ref(INDUSTRY)} = {_literal(i)}" for i in cond.industry])
        if cond.market is not None:
            return _any([f"selected({_ref(MARKETS)}, {_literal(m)})" for m in cond.market])
        if cond.all is not None:
            return _all([self.true(c, before) for c in cond.all])
        if cond.any is not None:
            return _any([self.true(c, before) for c in cond.any])
        if cond.not_ is not None:
            return self.false(cond.not_, before)
        return self._question(cond, before, want=True)

    def false(self, cond: Condition, before: int) -> str:
        if cond.industry is not None or cond.market is not None:
            return _not(self.true(cond, before))
        if cond.all is not None:
            return _any([self.false(c, before) for c in cond.all])
        if cond.any is not None:
            return _all([self.false(c, before) for c in cond.any])
        if cond.not_ is not None:
            return self.true(cond.not_, before)
        return self._question(cond, before, want=False)

    def _question(self, cond: Condition, before: int, want: bool) -> str:
        assert cond.question is not None
        question = self.criteria.questions.get(cond.question)
        seen = question is not None and self.position[question.id] < before
        if cond.answered is not None:
            answered = self._answered(question) if question is not None and seen else "false()"
            holds = answered if cond.answered else _not(answered)
            return holds if want else _not(holds)
        if question is None or not seen:
            return "false()"  # the engine cannot tell: neither surely true nor surely false
        test = _test(cond, question)
        return _all([self._answered(question), test if want else _not(test)])

    def _answered(self, question: Question) -> str:
        """The question has an answer (N/A included) that the engine would see."""
        value = f"{_ref(question.id)} != ''"
        if isinstance(question, NumberQuestion) and question.na_allowed:
            value = _any([value, f"selected({_ref(na_field(question.id))}, {_literal(NA_CHOICE)})"])
        visible = self.relevant(question)
        return _all([visible, value]) if visible else value


def _test(cond: Condition, question: Question) -> str:
    """The comparator of a question condition on an answered, visible question (N/A never matches)."""
    ref = _ref(question.id)
    if cond.equals is not None:
        return _equals(question, cond.equals)
    if cond.in_ is not None:
        return _any([_equals(question, v) for v in cond.in_])
    if cond.includes is not None:
        if isinstance(question, MultiChoiceQuestion):
            return f"selected({ref}, {_literal(cond.includes)})"
        return "false()"
    numeric = isinstance(question, LevelQuestion | NumberQuestion)
    for bound, operator in (
        (cond.at_least, ">="),
        (cond.at_most, "<="),
        (cond.below, "<"),
        (cond.above, ">"),
    ):
        if bound is not None:
            return f"{ref} {operator} {_number(bound)}" if numeric else "false()"
    return "false()"


def _equals(question: Question, expected: AnswerScalar) -> str:
    """Equality as the engine sees it: booleans, numbers and option ids are never equal to each other."""
    ref = _ref(question.id)
    if isinstance(expected, bool):
        if isinstance(question, YesNoQuestion):
            return f"{ref} = {_literal('yes' if expected else 'no')}"
        return "false()"
    if isinstance(expected, int | float):
        if isinstance(question, LevelQuestion | NumberQuestion):
            return f"{ref} = {_number(expected)}"
        return "false()"
    if isinstance(question, SingleChoiceQuestion):
        ids = {o.id for o in question.options}
        return f"{ref} = {_literal(expected)}" if expected in ids else "false()"
    if isinstance(question, TextQuestion):
        return f"{ref} = {_literal(expected)}"
    return "false()"


# --- rows ---------------------------------------------------------------------------------------


def _row(kind: str, name: str, label: Text | None = None, hint: Text | None = None, **extra: str | Text | None) -> Row:
    """One survey row; Text values spread over the language columns."""
    row: Row = {"type": kind, "name": name}
    texts: dict[str, Text | None] = {"label": label, "hint": hint}
    for key, value in extra.items():
        if isinstance(value, Text) or key in _TRANSLATED:
            texts[key] = value if isinstance(value, Text) else None
        elif value:
            row[key] = value
    for key, text in texts.items():
        if text is not None:
            for lang in LANGS:
                row[f"{key}::{LANGUAGE_NAMES[lang]}"] = text.in_lang(lang)
    return row


def _choice(list_name: str, name: str, label: Text) -> Row:
    return {
        "list_name": list_name,
        "name": name,
        "label::" + LANGUAGE_NAMES["zh"]: label.zh,
        "label::" + LANGUAGE_NAMES["en"]: label.en,
    }


def _credit_code_constraint() -> str:
    letters = CHARSET + "".join(ch.lower() for ch in CHARSET if ch.isalpha())
    return f"regex(., '^[{letters}]{{18}}$')"


def _profile(criteria: CriteriaSet, labels: dict[str, Text]) -> tuple[list[Row], list[Row]]:
    """The firm-profile group and the industry and market choice lists."""
    survey = [
        _row("begin_group", FIRM_GROUP, labels["firm_group"]),
        _row("text", FIRM_NAME, labels["firm_name"], required="yes"),
        _row(
            "text",
            CREDIT_CODE,
            labels["credit_code"],
            labels["credit_code_hint"],
            constraint=_credit_code_constraint(),
            constraint_message=labels["credit_code_invalid"],
        ),
        _row("select_one industries", INDUSTRY, labels["industry"], required="yes"),
        _row("select_multiple markets", MARKETS, labels["markets"], labels["markets_hint"], required="yes"),
        _row("date", ASSESSMENT_DATE, labels["assessment_date"], required="yes", default="today()"),
        _row("text", ASSESSOR, labels["assessor"]),
        _row("end_group", ""),
        _row("calculate", CRITERIA_FIELD, calculation=_literal(criteria.id)),
    ]
    choices = [_choice("industries", t.id, t.name) for t in criteria.industries]
    choices += [_choice("markets", t.id, t.name) for t in criteria.markets]
    return survey, choices


def _range(question: NumberQuestion, labels: dict[str, Text]) -> tuple[str, Text | None]:
    low, high = question.minimum, question.maximum
    parts = []
    if low is not None:
        parts.append(f". >= {_number(low)}")
    if high is not None:
        parts.append(f". <= {_number(high)}")
    shown = {
        "minimum": number_as_written(low) if low is not None else "",
        "maximum": number_as_written(high) if high is not None else "",
    }
    if low is not None and high is not None:
        message = _fill(labels["number_between"], **shown)
    elif low is not None:
        message = _fill(labels["number_at_least"], **shown)
    elif high is not None:
        message = _fill(labels["number_at_most"], **shown)
    else:
        return "", None
    return " and ".join(parts), message


class _Builder:
    def __init__(self, criteria: CriteriaSet, labels: dict[str, Text]) -> None:
        self.criteria = criteria
        self.labels = labels
        self.relevance = _Relevance(criteria)
        self.survey: list[Row] = []
        self.choices: list[Row] = []
        self.lists: set[str] = set()

    def add_list(self, name: str, items: list[tuple[str, Text]]) -> str:
        if name not in self.lists:
            self.lists.add(name)
            self.choices.extend(_choice(name, choice, label) for choice, label in items)
        return name

    def yes_no_list(self, with_na: bool) -> str:
        words = self.criteria.answer_labels
        items = [("yes", words.yes), ("no", words.no)] + ([(NA_CHOICE, words.na)] if with_na else [])
        return self.add_list("yesno_na" if with_na else "yesno", items)

    def question(self, question: Question) -> None:
        qid = question.id
        relevant = self.relevance.relevant(question)
        label = _prefixed(qid, question.text)
        required = "yes" if question.required else ""
        na_selected = ""  # an expression true when the answer is N/A (the evidence note then becomes required)
        na_text = self.criteria.answer_labels.na
        common: dict[str, str | Text | None] = {"relevant": relevant, "required": required}
        hint = question.help
        if isinstance(question, LevelQuestion):
            items = [(str(d.level), _prefixed(f"{d.level} —", d.text)) for d in question.levels]
            na = na_choice_name(question)
            items += [(na, na_text)] if question.na_allowed else []
            name = self.add_list(f"q_{qid}", items)
            self.survey.append(_row(f"select_one {name}", qid, label, hint, **common))
            na_selected = f"selected({_ref(qid)}, {_literal(na)})"
            self.target(question, relevant, na_selected if question.na_allowed else "false()")
        elif isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            na = na_choice_name(question)
            items = [(o.id, o.text) for o in question.options] + ([(na, na_text)] if question.na_allowed else [])
            name = self.add_list(f"q_{qid}", items)
            na_selected = f"selected({_ref(qid)}, {_literal(na)})"
            if isinstance(question, SingleChoiceQuestion):
                self.survey.append(_row(f"select_one {name}", qid, label, hint, **common))
            else:
                exclusive = [(o.id, o.text) for o in question.options if o.exclusive]
                exclusive += [(na, na_text)] if question.na_allowed else []
                constraint = _all([f"not(selected(., {_literal(i)}) and count-selected(.) > 1)" for i, _ in exclusive])
                message = _join(_fill(self.labels["exclusive_option"], option=text) for _, text in exclusive)
                self.survey.append(
                    _row(
                        f"select_multiple {name}",
                        qid,
                        label,
                        hint,
                        **common,
                        constraint="" if constraint == "true()" else constraint,
                        constraint_message=message,
                    )
                )
        elif isinstance(question, YesNoQuestion):
            name = self.yes_no_list(question.na_allowed)
            self.survey.append(_row(f"select_one {name}", qid, label, hint, **common))
            na_selected = f"selected({_ref(qid)}, {_literal(NA_CHOICE)})"
        elif isinstance(question, NumberQuestion):
            unit = _fill(self.labels["unit_suffix"], unit=question.unit)
            label = Text(zh=label.zh + unit.zh, en=label.en + unit.en)
            constraint, message = _range(question, self.labels)
            number_relevant = relevant
            if question.na_allowed:
                flag = self.add_list("na_flag", [(NA_CHOICE, na_text)])
                self.survey.append(
                    _row(
                        f"select_multiple {flag}",
                        na_field(qid),
                        _fill(self.labels["not_applicable_flag"], qid=qid),
                        relevant=relevant,
                    )
                )
                na_selected = f"selected({_ref(na_field(qid))}, {_literal(NA_CHOICE)})"
                number_relevant = _all([relevant or "true()", _not(na_selected)])
            kind = "integer" if question.integer else "decimal"
            self.survey.append(
                _row(
                    kind,
                    qid,
                    label,
                    question.help,
                    relevant="" if number_relevant == "true()" else number_relevant,
                    required=required,
                    constraint=constraint,
                    constraint_message=message,
                )
            )
        else:
            self.survey.append(_row("text", qid, label, hint, **common))
        if has_note(question):
            self.note(question, relevant, na_selected)

    def target(self, question: LevelQuestion, relevant: str, na_selected: str) -> None:
        """The optional target level, asked once the level is answered (and not N/A)."""
        levels = [(str(d.level), _prefixed(f"{d.level} —", d.text)) for d in question.levels]
        name = self.add_list(f"target_{question.id}", levels)
        answered = f"{_ref(question.id)} != ''"
        self.survey.append(
            _row(
                f"select_one {name}",
                target_field(question.id),
                _fill(self.labels["target_level"], qid=question.id),
                self.labels["target_hint"],
                relevant=_all([relevant or "true()", answered, _not(na_selected)]),
            )
        )

    def note(self, question: Question, relevant: str, na_selected: str) -> None:
        """The optional evidence note; required when the answer is N/A and the N/A policy asks for a reason."""
        needs_reason = question.na_allowed and self.criteria.na_policy.na_requires_note and na_selected
        evidence = _join(question.evidence)
        self.survey.append(
            _row(
                "text",
                note_field(question.id),
                _fill(self.labels["evidence_note"], qid=question.id),
                _fill(self.labels["evidence_hint"], evidence=evidence) if evidence else None,
                relevant=relevant,
                required=na_selected if needs_reason else "",
                required_message=self.labels["na_note_required"] if needs_reason else None,
            )
        )

    def build(self) -> None:
        survey, choices = _profile(self.criteria, self.labels)
        self.survey.extend(survey)
        self.choices.extend(choices)
        self.lists |= {"industries", "markets"}
        for theme in self.criteria.themes:
            self.survey.append(_row("begin_group", theme_group_name(theme.id), theme.title))
            for question in theme.questions:
                self.question(question)
            self.survey.append(_row("end_group", ""))


def _sheet(workbook: Workbook, title: str, columns: tuple[str, ...], rows: list[Row]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column) or None for column in columns])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a label starting with "=" is text, never a formula
    sheet.freeze_panes = "A2"


def xlsform_bytes(criteria: CriteriaSet, default_lang: Literal["zh", "en"] = "zh") -> bytes:
    """The questionnaire as an XLSForm (.xlsx) for KoboToolbox / ODK, labels in both languages."""
    builder = _Builder(criteria, xlsform_labels())
    builder.build()
    settings: Row = {
        "form_title": criteria.title.in_lang(default_lang),
        "form_id": criteria.id,
        "version": criteria.version,
        "default_language": LANGUAGE_NAMES[default_lang],
    }
    from openpyxl import Workbook  # imported when a form is written: the batch reads this module's names only

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    _sheet(workbook, "survey", SURVEY_COLUMNS, builder.survey)
    _sheet(workbook, "choices", CHOICE_COLUMNS, builder.choices)
    _sheet(workbook, "settings", SETTINGS_COLUMNS, [settings])
    workbook.properties.creator = "assess"
    workbook.properties.title = criteria.title.in_lang(default_lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
