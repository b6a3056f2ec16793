"""A blank response file to fill in a text editor, with every explanation as a YAML comment.

The file is the response format itself (`criteria`, `status: draft`, `firm`, `answers`), so what the
user fills in is read by `assess.readers.response_file.read_response` without any conversion.  The
firm block is left empty on purpose: the file loads only once the firm's name, industry, markets and
assessment date are filled in, so a forgotten placeholder can never pass for real data.  Empty answers
are unanswered questions, which a draft allows.

This module also holds the wording the questionnaires share (the YAML file and the printable form):
how to answer each kind of question, and applicability rules in words.  Every word comes from the
criteria set or from `templates/questionnaire/labels.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assess.errors import InternalError
from assess.models.common import LANGS, Lang, Mode, Text, number_as_written
from assess.models.conditions import AnswerScalar, Condition
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Question,
    SingleChoiceQuestion,
    Term,
    YesNoQuestion,
)
from assess.paths import data_dir
from assess.report.templating import load_labels

WIDTH = 100  # display columns of a comment line, CJK characters counting two
_NUMBERED = re.compile(r"^\d+\. ")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def questionnaire_labels() -> dict[str, Text]:
    """The questionnaires' own words (templates/questionnaire/labels.yaml)."""
    return load_labels([data_dir("templates") / "questionnaire"])


def mode_langs(mode: Mode) -> tuple[Lang, ...]:
    """The languages a mode shows, in order: bilingual is Chinese then English."""
    if mode not in ("zh", "en", "bilingual"):
        raise InternalError(f"unknown language mode {mode!r}")
    return LANGS if mode == "bilingual" else (mode,)


def in_mode(text: Text, mode: Mode) -> list[str]:
    """The text in each language of the mode (once when both languages say the same)."""
    return list(dict.fromkeys(text.in_lang(lang) for lang in mode_langs(mode)))


@dataclass(frozen=True)
class Choice:
    """One answer a person can tick or write: its key (level, option id, true/false) and words."""

    key: str
    label: Text | None
    detail: Text | None = None
    exclusive: bool = False


class Wording:
    """Sentences about a criteria set's questions, in both languages, built from labels and criteria."""

    def __init__(self, criteria: CriteriaSet, labels: dict[str, Text]) -> None:
        self.criteria = criteria
        self.labels = labels

    def label(self, key: str, **values: Text | str) -> Text:
        """A label with its {placeholders} filled in language by language."""
        template = self.labels.get(key)
        if template is None:
            raise InternalError(f"templates/questionnaire/labels.yaml lacks the label '{key}'")
        texts = {}
        for lang in LANGS:

            def value(match: re.Match[str], lang: Lang = lang) -> str:
                found = values.get(match.group(1))
                if found is None:
                    return match.group()  # not a placeholder: a brace printed as written
                return found if isinstance(found, str) else found.in_lang(lang)

            texts[lang] = _PLACEHOLDER.sub(value, template.in_lang(lang))
        return Text(**texts)

    # --- choices and how to answer -----------------------------------------------------------------

    def choices(self, question: Question) -> list[Choice]:
        """What can be ticked: levels with their descriptors, options, yes and no (empty for numbers, text)."""
        if isinstance(question, LevelQuestion):
            names = {level.level: level.name for level in self.criteria.levels}
            return [Choice(str(d.level), names.get(d.level), d.text) for d in question.levels]
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            return [Choice(o.id, o.text, exclusive=o.exclusive) for o in question.options]
        if isinstance(question, YesNoQuestion):
            return [Choice("true", self.criteria.answer_labels.yes), Choice("false", self.criteria.answer_labels.no)]
        return []

    def how_to_write(self, question: Question) -> Text:
        """How to write the answer in a file (the line before the list of allowed answers)."""
        rule = self._rule(question)
        if question.required:
            return rule
        return self.joined([rule, self.label("optional")])

    def _rule(self, question: Question) -> Text:
        if isinstance(question, LevelQuestion):
            return self.label("level_answer", max=str(len(question.levels) - 1))
        if isinstance(question, SingleChoiceQuestion):
            return self.label("single_answer")
        if isinstance(question, MultiChoiceQuestion):
            return self.label("multi_answer")
        if isinstance(question, YesNoQuestion):
            labels = self.criteria.answer_labels
            return self.label("yesno_answer", yes=labels.yes, no=labels.no)
        if isinstance(question, NumberQuestion):
            return self.number_rule(question, self.label("integer_answer" if question.integer else "number_answer"))
        return self.label("text_answer")

    @staticmethod
    def joined(parts: Sequence[Text]) -> Text:
        """Parts of one sentence joined with commas, language by language."""
        return Text(**{lang: _comma(lang).join(p.in_lang(lang) for p in parts) for lang in LANGS})

    def how_to_tick(self, question: Question) -> Text | None:
        """How to fill the printed form: tick one, tick any (None for numbers and text)."""
        keys = {"level": "level_tick", "single": "single_tick", "multi": "multi_tick", "yesno": "yesno_tick"}
        key = keys.get(question.kind)
        return self.label(key) if key else None

    def number_range(self, question: NumberQuestion) -> Text | None:
        """The allowed range of a number question, or None when it is open."""
        low = None if question.minimum is None else number_as_written(question.minimum)
        high = None if question.maximum is None else number_as_written(question.maximum)
        if low is not None and high is not None:
            return self.label("range_between", low=low, high=high)
        if low is not None:
            return self.label("range_min", low=low)
        if high is not None:
            return self.label("range_max", high=high)
        return None

    def number_rule(self, question: NumberQuestion, lead: Text) -> Text:
        """`lead`, the range and the unit, joined as one sentence per language."""
        return self.joined([lead, *filter(None, [self.number_range(question)]), self.label("unit", unit=question.unit)])

    def with_exclusive(self, text: Text) -> Text:
        """An option's text with the note that it cannot be combined with others."""
        note = self.label("exclusive")
        return Text(**{lang: text.in_lang(lang) + _paren(note.in_lang(lang), lang) for lang in LANGS})

    def na_rule(self) -> Text:
        """How to answer N/A, saying when a note is needed."""
        return self.label("na_answer_note" if self.criteria.na_policy.na_requires_note else "na_answer")

    def evidence(self, question: Question) -> Text | None:
        """The evidence a question suggests, as one list per language."""
        if not question.evidence:
            return None
        return Text(**{lang: _list_sep(lang).join(e.in_lang(lang) for e in question.evidence) for lang in LANGS})

    # --- applicability ----------------------------------------------------------------------------

    def applicability(self, question: Question) -> Text | None:
        """ "Answer only if ..." for a question with an applicability rule."""
        if question.applies_if is None:
            return None
        condition = Text(**{lang: self._condition(question.applies_if, lang) for lang in LANGS})
        return self.label("applies_if", condition=condition)

    def _say(self, key: str, lang: Lang, **values: str) -> str:
        return self.label(key, **values).in_lang(lang)

    def _condition(self, cond: Condition, lang: Lang) -> str:
        c = self.criteria
        if cond.industry is not None:
            return self._say("cond_industry", lang, names=self._names(cond.industry, c.industries, lang))
        if cond.market is not None:
            return self._say("cond_market", lang, names=self._names(cond.market, c.markets, lang))
        if cond.not_ is not None:
            inner = cond.not_
            if inner.industry is not None:
                return self._say("cond_not_industry", lang, names=self._names(inner.industry, c.industries, lang))
            if inner.market is not None:
                return self._say("cond_not_market", lang, names=self._names(inner.market, c.markets, lang))
            return self._say("cond_not", lang, condition=self._condition(inner, lang))
        if cond.all is not None or cond.any is not None:
            parts = cond.all if cond.all is not None else cond.any or []
            word = self._say("word_and" if cond.all is not None else "word_or", lang)
            shown = [self._grouped(part, lang) for part in parts]
            return (word if lang == "zh" else f" {word} ").join(shown)
        return self._comparison(cond, lang)

    def _grouped(self, cond: Condition, lang: Lang) -> str:
        text = self._condition(cond, lang)
        if cond.all is None and cond.any is None:
            return text
        return f"（{text}）" if lang == "zh" else f"({text})"

    def _comparison(self, cond: Condition, lang: Lang) -> str:
        qid = cond.question or ""
        if cond.answered is not None:
            return self._say("cond_answered" if cond.answered else "cond_unanswered", lang, question=qid)
        if cond.in_ is not None:
            shown = self._or([self._value(qid, v, lang) for v in cond.in_], lang)
            return self._say("cond_in", lang, question=qid, value=shown)
        for key in ("equals", "includes", "at_least", "at_most", "below", "above"):
            value = getattr(cond, key)
            if value is not None:
                return self._say(f"cond_{key}", lang, question=qid, value=self._value(qid, value, lang))
        raise InternalError(f"a condition without comparator: {cond.describe()}")  # pragma: no cover

    def _value(self, qid: str, value: AnswerScalar, lang: Lang) -> str:
        """An answer value in words: option texts, yes/no labels, numbers with their unit."""
        question = self.criteria.questions.get(qid)
        if isinstance(value, bool):
            return (self.criteria.answer_labels.yes if value else self.criteria.answer_labels.no).in_lang(lang)
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            option = next((o for o in question.options if o.id == value), None)
            if option is not None:
                return f"“{option.text.in_lang(lang)}”"
        if isinstance(value, int | float):
            number = f"{value:g}"
            if isinstance(question, NumberQuestion):
                unit = question.unit.in_lang(lang)
                return f"{number}{unit}" if lang == "zh" or unit == "%" else f"{number} {unit}"
            return number
        return str(value)

    def _names(self, ids: Sequence[str], terms: Sequence[Term], lang: Lang) -> str:
        by_id = {t.id: t.name for t in terms}
        return self._or([by_id[i].in_lang(lang) if i in by_id else i for i in ids], lang)

    def _or(self, items: list[str], lang: Lang) -> str:
        if len(items) < 2:
            return "".join(items)
        word = self._say("word_or", lang)
        return ("、" if lang == "zh" else ", ").join(items[:-1]) + (word if lang == "zh" else f" {word} ") + items[-1]


def _list_sep(lang: Lang) -> str:
    return "；" if lang == "zh" else "; "


def _paren(text: str, lang: Lang) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _comma(lang: Lang) -> str:
    return "，" if lang == "zh" else ", "


# --- the YAML file --------------------------------------------------------------------------------


def _printable(text: str) -> str:
    """Control and format characters (which YAML refuses even in comments) as spaces."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` display columns, breaking at spaces or between CJK characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        tokens: list[str] = []
        for ch in _printable(paragraph).strip():
            wide = unicodedata.east_asian_width(ch) in "WF"
            if tokens and not wide and ch != " " and tokens[-1][-1] not in " " and _columns(tokens[-1][-1]) == 1:
                tokens[-1] += ch  # extend a Latin word
            else:
                tokens.append(ch)
        line = ""
        for token in tokens:
            closing = token in "，。、；：？！）》」』”’,.;:?!)"
            if line and _columns(line + token) > width and not closing:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines


class _Comments:
    """Comment lines at one indentation; every line of every text starts with '#'."""

    def __init__(self, indent: int) -> None:
        self.indent = " " * indent
        self.lines: list[str] = []

    def add(self, text: str, lead: str = "", hang: str | None = None) -> None:
        """`text` wrapped; the first line starts with `lead`, later lines with `hang` (spaces as wide as lead)."""
        hang = " " * _columns(lead) if hang is None else hang
        width = max(20, WIDTH - len(self.indent) - 2 - max(_columns(lead), _columns(hang)))
        for i, line in enumerate(wrap(text, width)):
            self.lines.append(f"{self.indent}# {lead if i == 0 else hang}{line}".rstrip())

    def texts(self, text: Text, mode: Mode, lead: str = "", hang: str | None = None) -> None:
        """Each language of the mode; the second language hangs under the first."""
        for i, shown in enumerate(in_mode(text, mode)):
            self.add(shown, lead if i == 0 else " " * _columns(lead), hang)

    def rule(self, char: str = "=") -> None:
        self.lines.append(f"{self.indent}# " + char * (WIDTH - len(self.indent) - 2))

    def blank(self) -> None:
        self.lines.append(f"{self.indent}#")


def _example_question(criteria: CriteriaSet) -> str:
    questions = list(criteria.questions.values())
    return next((q.id for q in questions if isinstance(q, LevelQuestion)), questions[0].id)


def _header(criteria: CriteriaSet, words: Wording, mode: Mode) -> list[str]:
    out = _Comments(0)
    out.rule()
    out.texts(words.label("form_title"), mode)
    out.texts(criteria.title, mode)
    out.add(f"{criteria.id} {criteria.version}")
    out.rule()
    for lang in mode_langs(mode):
        for line in words.label("yaml_header", qid=_example_question(criteria)).in_lang(lang).splitlines():
            indent = " " * (len(line) - len(line.lstrip()))
            hang = indent + " " * len(match.group()) if (match := _NUMBERED.match(line.lstrip())) else indent
            out.add(line.strip(), lead=indent, hang=hang)
        out.blank()
    out.lines.pop()
    out.rule()
    return out.lines


def _firm_block(criteria: CriteriaSet, words: Wording, mode: Mode) -> list[str]:
    out = ["firm:"]
    fields: list[tuple[str, str, list[tuple[str, Text]]]] = [
        ("name", "yaml_name", []),
        ("credit_code", "yaml_credit_code", []),
        ("industry", "yaml_industry", [(t.id, t.name) for t in criteria.industries]),
        ("markets", "yaml_markets", [(t.id, t.name) for t in criteria.markets]),
        ("assessment_date", "yaml_date", []),
        ("assessor", "yaml_assessor", []),
    ]
    for field, label, terms in fields:
        comments = _Comments(2)
        comments.texts(words.label(label), mode)
        for term_id, name in terms:
            comments.add(" / ".join(in_mode(name, mode)), lead=f"  {term_id}: ")
        out += [*comments.lines, f"  {field}:"]
    return out


def _question_block(question: Question, words: Wording, mode: Mode) -> list[str]:
    out = _Comments(2)
    out.texts(question.text, mode, lead=f"{question.id}  ")
    out.texts(words.label("yaml_help", text=question.help), mode, lead="  ")
    out.texts(words.how_to_write(question), mode, lead="  ")
    choices = [] if isinstance(question, YesNoQuestion) else words.choices(question)  # the rule names yes and no
    for choice in choices:
        lead = f"    {choice.key}  "
        if choice.label is not None:
            label = words.with_exclusive(choice.label) if choice.exclusive else choice.label
            out.add(" / ".join(in_mode(label, mode)), lead=lead)
        if choice.detail is not None:
            out.texts(choice.detail, mode, lead=" " * _columns(lead) if choice.label is not None else lead)
    if question.na_allowed:
        out.texts(words.na_rule(), mode, lead="  ")
    applicability = words.applicability(question)
    if applicability is not None:
        out.texts(applicability, mode, lead="  ")
    evidence = words.evidence(question)
    hint = words.label("yaml_note", text=evidence) if evidence else words.label("yaml_note_free")
    out.texts(hint, mode, lead=" note: ")
    return [*out.lines, f"  {question.id}:"]


def yaml_questionnaire(criteria: CriteriaSet, lang: Mode) -> str:
    """The blank response file: every question an empty answer, explained by comments in `lang`.

    It loads with `read_response` once the firm block is filled in (see the module docstring).
    """
    words = Wording(criteria, questionnaire_labels())
    lines = _header(criteria, words, lang)
    lines += ["", f"criteria: {criteria.id}"]
    status = _Comments(0)
    status.texts(words.label("yaml_status"), lang)
    lines += [*status.lines, "status: draft", ""]
    lines += _firm_block(criteria, words, lang)
    lines += ["", "answers:"]
    for number, theme in enumerate(criteria.themes, start=1):
        heading = _Comments(2)
        heading.lines.append("")
        heading.rule()
        heading.texts(theme.title, lang, lead=f"{number}  ")
        heading.rule()
        lines += heading.lines
        for question in theme.questions:
            lines += ["", *_question_block(question, words, lang)]
    return "\n".join(lines) + "\n"
