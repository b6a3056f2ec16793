"""The interactive questionnaire behind `assess fill`: one question at a time, saved after every answer.

The engine talks only through a `FillIO` (show a text, ask for a line), so the CLI can drive it with
rich and the tests with a script.  It asks for the missing parts of the firm profile, then every
applicable, unanswered question in criteria order, recomputing applicability after each answer so
skip logic follows the answers as they come.  Every word shown comes from the criteria set or from
templates/questionnaire/fill_labels.yaml; nothing here is particular to one question.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import string
import unicodedata
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from assess.errors import InputFileError, Problem, UserError
from assess.messages import said_error, say
from assess.models.answers import Answer
from assess.models.common import LANGS, Lang, Text, number_as_written
from assess.models.credit_code import credit_code_problem
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
from assess.models.response import FirmProfile
from assess.paths import data_dir
from assess.questionnaire.response_writer import FIRM_FIELDS, NA_TEXT
from assess.readers.safe_yaml import load_yaml
from assess.readers.text_file import read_text
from assess.scoring.applicability import applicability
from assess.validation import InvalidAnswerError, is_na, parse_value

__all__ = ["FillIO", "FillLang", "fill", "fill_labels", "load_partial"]

FillLang = Literal["zh", "en", "bilingual"]
Save = Callable[[dict[str, Any]], None]

LABELS_FILE = Path("questionnaire") / "fill_labels.yaml"
REQUIRED_LABELS = frozenset(
    {
        "cmd_help",
        "cmd_back",
        "cmd_quit",
        "commands",
        "resuming",
        "firm_heading",
        "firm_name",
        "credit_code",
        "industry",
        "markets",
        "assessment_date",
        "assessor",
        "field_required",
        "field_too_long",
        "bad_code",
        "bad_choice",
        "bad_date",
        "theme_heading",
        "progress",
        "optional",
        "help",
        "evidence",
        "level_hint",
        "single_hint",
        "multi_hint",
        "exclusive",
        "yesno_hint",
        "number_hint",
        "integer_hint",
        "range_both",
        "range_min",
        "range_max",
        "unit",
        "text_hint",
        "na_hint",
        "skip_hint",
        "answer_prompt",
        "current_answer",
        "current_note",
        "needs_answer",
        "na_not_allowed",
        "invalid_answer",
        "note_prompt",
        "note_keep_prompt",
        "na_note_prompt",
        "note_required",
        "saved",
        "skipped",
        "first_question",
        "stopped",
        "answered",
        "open_required",
        "firm_incomplete",
        "status_final",
        "status_draft",
    }
)
REQUIRED_FIRM_FIELDS = ("name", "industry", "markets", "assessment_date")
TEXT_LIMIT = 200  # firm name and assessor, as in FirmProfile
NOTE_LIMIT = 5000  # as in AnswerEntry
OPEN_SHOWN = 10  # open questions listed by id at the end; the count says how many in all
_SEPARATORS = re.compile(r"[,，;；、\s]+")
_CLEAR_NOTE = "-"


class FillIO(Protocol):
    """What the questionnaire needs from a user interface: print a text, read a line after a prompt.

    `show` gets plain text (no markup; it may hold several lines).  `ask` shows the prompt (the
    interface adds its own ': ' or '> ') and returns the line typed; EOFError or KeyboardInterrupt
    from it stops the questionnaire like 'q', with the progress saved.
    """

    def show(self, text: str) -> None: ...

    def ask(self, prompt: str) -> str: ...


class _Command(Enum):
    HELP = "help"
    BACK = "back"
    QUIT = "quit"


class _Outcome(Enum):
    ANSWERED = "answered"
    KEPT = "kept"
    SKIPPED = "skipped"
    BACK = "back"
    QUIT = "quit"


class _RejectedError(ValueError):
    """A typed line that is not an acceptable answer; the message (already translated) says why."""


@cache
def fill_labels() -> dict[str, Text]:
    """The questionnaire's own words, checked: every key present, both languages, the same placeholders."""
    path = data_dir("templates") / LABELS_FILE
    name = LABELS_FILE.as_posix()
    data, _ = load_yaml(read_text(path, name), name)
    if not isinstance(data, dict):
        raise UserError(f"{name} has problems", [Problem(name, "expected a mapping of label keys to {zh, en}")])
    labels: dict[str, Text] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        try:
            text = Text.model_validate(value)
        except ValidationError:
            problems.append(Problem(f"{name}: {key}", "needs non-empty zh and en texts"))
            continue
        if _placeholders(text.zh) != _placeholders(text.en):
            problems.append(Problem(f"{name}: {key}", "zh and en must use the same {placeholders}"))
        labels[str(key)] = text
    problems += [Problem(f"{name}: {key}", "missing") for key in sorted(REQUIRED_LABELS - labels.keys())]
    if problems:
        raise UserError(f"{name} has problems", problems)
    return labels


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def _clean(text: str) -> str:
    """Typed input tidied as validation does: full-width folded (NFKC), whitespace trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def _normalised(data: Mapping[str, Any], source: str) -> dict[str, Any]:
    """A response dict with a firm mapping and an answers mapping, ready to be filled in."""
    result = copy.deepcopy(dict(data))
    for key in ("firm", "answers"):
        if result.get(key) is None:
            result[key] = {}
        if not isinstance(result[key], dict):
            raise said_error(
                say("cannot_resume", name=source), [(f"{source}: {key}", say("expected_mapping"))], InputFileError
            )
    result["answers"] = {str(k): v for k, v in result["answers"].items()}
    result.setdefault("status", "draft")
    return result


def load_partial(path: Path) -> dict[str, Any]:
    """An existing, possibly incomplete response file as plain data, to resume filling it in.

    Only the shape is checked (safe YAML, a mapping with firm and answers mappings): a draft may
    lack firm fields or hold answers that `fill` will ask again.
    """
    name = path.name
    data, _ = load_yaml(read_text(path, name), name)
    if not isinstance(data, dict):
        raise said_error(say("not_a_response", name=name), [(name, say("response_shape"))], InputFileError)
    return _normalised(data, name)


def fill(
    criteria: CriteriaSet,
    data: Mapping[str, Any] | None,
    io: FillIO,
    lang: FillLang,
    save: Save,
    *,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Ask the questions still open, calling `save` after every answer; returns the response dict.

    `data` is a response dict to resume (see `load_partial`) or None to start afresh.  The status
    is "final" once the firm profile and every applicable required question are answered, else
    "draft".  The caller's dict is not changed.
    """
    if lang not in ("zh", "en", "bilingual"):
        raise UserError(f"Unknown language mode '{lang}'; choose zh, en or bilingual")
    start: dict[str, Any] = {"criteria": criteria.id, "status": "draft", "firm": {}, "answers": {}}
    state = _normalised(data if data is not None else start, "the response")
    if state.get("criteria") is None:
        state["criteria"] = criteria.id
    if state["criteria"] != criteria.id:
        found = say("response_for_other_criteria", found=state["criteria"], expected=criteria.id)
        raise said_error(found, [("criteria", say("resume_with_same_criteria"))])
    session = _Session(criteria, state, io, lang, save, today or dt.date.today())
    session.run()
    return session.data


class _Session:
    """One run of the questionnaire: the data being filled in and what this run has skipped."""

    def __init__(
        self, criteria: CriteriaSet, data: dict[str, Any], io: FillIO, lang: FillLang, save: Save, today: dt.date
    ) -> None:
        self.criteria = criteria
        self.data = data
        self.io = io
        self.langs: tuple[Lang, ...] = LANGS if lang == "bilingual" else (lang,)
        self.save_to = save
        self.today = today
        self.labels = fill_labels()
        self.skipped: set[str] = set()
        self.theme_shown: str | None = None
        self.words = {
            command: {w.lower() for lang in LANGS for w in self.labels[f"cmd_{command.value}"].in_lang(lang).split()}
            for command in _Command
        }

    # ---- words ----------------------------------------------------------------------------------

    def label(self, key: str, lang: Lang, fields: Mapping[str, Any]) -> str:
        """One language of a label; Text fields are put in that language too."""
        values = {k: v.in_lang(lang) if isinstance(v, Text) else v for k, v in fields.items()}
        return self.labels[key].in_lang(lang).format(**values)

    def t(self, key: str, sep: str = " / ", **fields: Any) -> str:
        """A label in the chosen language(s)."""
        return sep.join(self.label(key, lang, fields) for lang in self.langs)

    def tx(self, text: Text, sep: str = " / ") -> str:
        return sep.join(text.in_lang(lang) for lang in self.langs)

    def _detailed(self, key: str, detail: str) -> str:
        """A label followed by the check's own message (which comes from the validators)."""
        colon = "：" if self.langs == ("zh",) else ": "
        return f"{self.t(key)}{colon}{detail}"

    def say(self, key: str, **fields: Any) -> None:
        self.io.show(self.t(key, **fields))

    # ---- the run --------------------------------------------------------------------------------

    @property
    def firm(self) -> dict[str, Any]:
        firm: dict[str, Any] = self.data["firm"]
        return firm

    @property
    def answers(self) -> dict[str, Any]:
        answers: dict[str, Any] = self.data["answers"]
        return answers

    def run(self) -> None:
        self.io.show(self.tx(self.criteria.title, "\n"))
        self.io.show(self.t("commands", sep="\n"))
        if self.answers and self._firm_complete():
            applicable, _, typed = self._open_required()
            self.say("resuming", answered=sum(qid in typed for qid in applicable), total=len(applicable))
        finished = self._ask_firm() and self._ask_questions()
        if not finished:
            self.say("stopped")
        self._save()
        self._summary()

    def _save(self) -> None:
        """Status follows completeness, then the caller writes the file."""
        self.data["status"] = "final" if self._complete() else "draft"
        self.save_to(self.data)

    def _read(self, prompt: str) -> str | None:
        """The typed line, or None when the interface was closed or interrupted (treated as quit)."""
        try:
            return self.io.ask(prompt)
        except (EOFError, KeyboardInterrupt):
            return None

    def _command(self, raw: str | None) -> _Command | None:
        if raw is None:
            return _Command.QUIT
        word = _clean(raw).lower()
        return next((command for command, words in self.words.items() if word in words), None)

    # ---- state ----------------------------------------------------------------------------------

    def _typed(self, question: Question, entry: Any) -> Answer | None:
        """The stored answer as validation would read it, or None when it is missing or unusable."""
        value, note = (entry.get("value"), entry.get("note")) if isinstance(entry, Mapping) else (entry, None)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if is_na(value):
            if not question.na_allowed:
                return None
            if self.criteria.na_policy.na_requires_note and not (isinstance(note, str) and note.strip()):
                return None
            return Answer(na=True)
        try:
            return Answer(value=parse_value(question, value))
        except ValueError:
            return None

    def _typed_answers(self) -> dict[str, Answer]:
        typed = {
            qid: self._typed(question, self.answers[qid])
            for qid, question in self.criteria.questions.items()
            if qid in self.answers
        }
        return {qid: answer for qid, answer in typed.items() if answer is not None}

    def _firm_model(self) -> FirmProfile:
        """The profile as the model takes it (called once the fields are known good): a file may write
        `2026/12/06` or a date with a time, which only the field parser turns into a date."""
        return FirmProfile.model_validate(
            {k: self._parse_field(k, self.firm[k]) for k in FIRM_FIELDS if k in self.firm}
        )

    def _applicable(self, typed: Mapping[str, Answer]) -> list[str]:
        return [qid for qid, applies in applicability(self.criteria, self._firm_model(), typed).items() if applies]

    def _open_required(self) -> tuple[list[str], list[str], dict[str, Answer]]:
        """Applicable question ids, the required ones still open, and the usable answers."""
        typed = self._typed_answers()
        applicable = self._applicable(typed)
        open_ = [qid for qid in applicable if self.criteria.questions[qid].required and qid not in typed]
        return applicable, open_, typed

    def _complete(self) -> bool:
        return self._firm_complete() and not self._open_required()[1]

    def _summary(self) -> None:
        if not self._firm_complete():
            self.say("firm_incomplete")
        else:
            applicable, open_, typed = self._open_required()
            self.say("answered", answered=sum(qid in typed for qid in applicable), total=len(applicable))
            if open_:
                shown = ", ".join(open_[:OPEN_SHOWN]) + (", …" if len(open_) > OPEN_SHOWN else "")
                self.say("open_required", count=len(open_), ids=shown)
        self.say("status_final" if self.data["status"] == "final" else "status_draft")

    # ---- firm profile ---------------------------------------------------------------------------

    def _field_ok(self, field: str, value: Any) -> bool:
        try:
            self._parse_field(field, value)
        except _RejectedError:
            return False
        return True

    def _firm_complete(self) -> bool:
        required = all(f in self.firm and self._field_ok(f, self.firm[f]) for f in REQUIRED_FIRM_FIELDS)
        return required and all(self._field_ok(f, self.firm[f]) for f in FIRM_FIELDS if f in self.firm)

    def _ask_firm(self) -> bool:
        """Ask the firm fields that are missing or wrong; False when the user quits."""
        for field in FIRM_FIELDS:  # usable values from a file in the form the model takes (a date, a list)
            if field in self.firm and self._field_ok(field, self.firm[field]):
                self.firm[field] = self._parse_field(field, self.firm[field])
        if self._firm_complete():
            return True
        fields = [f for f in FIRM_FIELDS if f not in self.firm or not self._field_ok(f, self.firm[f])]
        self.io.show("")
        self.say("firm_heading")
        index = 0
        while index < len(fields):
            outcome = self._ask_field(fields[index])
            if outcome is _Outcome.QUIT:
                return False
            if outcome is _Outcome.BACK:
                if index == 0:
                    self.say("first_question")
                index = max(0, index - 1)
                continue
            index += 1
        return True

    def _terms(self, field: str) -> list[Text]:
        terms = self.criteria.industries if field == "industry" else self.criteria.markets
        return [term.name for term in terms]

    def _show_terms(self, field: str) -> None:
        if field in ("industry", "markets"):
            names = self._terms(field)
            width = len(str(len(names)))
            self.io.show("\n".join(f"  {i:>{width}}) {self.tx(name)}" for i, name in enumerate(names, 1)))

    def _ask_field(self, field: str) -> _Outcome:
        self._show_terms(field)
        key = "firm_name" if field == "name" else field
        while True:
            raw = self._read(self.t(key, today=self.today.isoformat()))
            command = self._command(raw)
            if command is _Command.QUIT:
                return _Outcome.QUIT
            if command is _Command.BACK:
                return _Outcome.BACK
            if command is _Command.HELP:
                self.io.show(self.t("commands", sep="\n"))
                self._show_terms(field)
                continue
            try:
                value = self._parse_field(field, (raw or "").strip(), typed=True)
            except _RejectedError as exc:
                self.io.show(str(exc))
                continue
            self.firm[field] = value
            self._save()
            return _Outcome.ANSWERED

    def _parse_field(self, field: str, value: Any, typed: bool = False) -> Any:
        """The value to store for a firm field, from typed text (`typed`) or as found in a file."""
        if field in ("credit_code", "assessor") and (value is None or value == ""):
            return None
        if field == "assessment_date":
            return self._parse_date(value, typed)
        if field in ("industry", "markets"):
            return self._parse_terms(field, value, typed)
        if not isinstance(value, str) or not value.strip():
            raise _RejectedError(self.t("field_required"))
        if field == "credit_code":
            code = _clean(value).upper()
            problem = credit_code_problem(code)
            if problem:
                raise _RejectedError(self._detailed("bad_code", self.tx(problem.text())))
            return code
        if len(value.strip()) > TEXT_LIMIT:
            raise _RejectedError(self.t("field_too_long", limit=TEXT_LIMIT))
        return value.strip()

    def _parse_date(self, value: Any, typed: bool) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if typed and value == "":
            return self.today
        text = _clean(value).replace("/", "-").replace(".", "-") if isinstance(value, str) else ""
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _RejectedError(self.t("bad_date", value=value, today=self.today.isoformat())) from None

    def _parse_terms(self, field: str, value: Any, typed: bool) -> Any:
        """An industry id, or a list of market ids, from numbers of the list shown or from ids."""
        terms = self.criteria.industries if field == "industry" else self.criteria.markets
        ids = {term.id.lower(): term.id for term in terms}
        if typed:
            value = _clean(value)
            items: list[Any] = [value] if field == "industry" else [i for i in _SEPARATORS.split(value) if i]
        else:
            items = value if isinstance(value, list) else [value]
        if not items or (field == "industry" and len(items) != 1):
            raise _RejectedError(self.t("field_required"))
        chosen: list[str] = []
        for item in items:
            text = str(item).strip()
            if typed and text.isdigit() and 1 <= int(text) <= len(terms):
                chosen.append(terms[int(text) - 1].id)
            elif isinstance(item, str) and text.lower() in ids:
                chosen.append(ids[text.lower()])
            else:
                raise _RejectedError(self.t("bad_choice", value=text))
        return chosen[0] if field == "industry" else list(dict.fromkeys(chosen))

    # ---- questions ------------------------------------------------------------------------------

    def _ask_questions(self) -> bool:
        """Every applicable question still open, in criteria order; False when the user quits."""
        forced: str | None = None  # a question revisited with 'back', or the next one while walking forward
        while True:
            typed = self._typed_answers()
            applicable = self._applicable(typed)
            if forced is not None and forced in applicable:
                qid = forced
            else:
                pending = [q for q in applicable if q not in typed and q not in self.skipped]
                if not pending:
                    return True
                qid = pending[0]
            forced = None
            revisit = qid in typed or qid in self.skipped
            question = self.criteria.questions[qid]
            outcome = self._ask_question(question, applicable.index(qid) + 1, len(applicable), typed.get(qid))
            if outcome is _Outcome.QUIT:
                return False
            if outcome is _Outcome.BACK:
                position = applicable.index(qid)
                if position == 0:
                    self.say("first_question")
                forced = applicable[max(0, position - 1)]
                continue
            if outcome is _Outcome.SKIPPED:
                self.skipped.add(qid)
            elif outcome is _Outcome.ANSWERED:
                self.skipped.discard(qid)
            if revisit:
                forced = self._next_given(qid)

    def _next_given(self, qid: str) -> str | None:
        """After revisiting a question, the next applicable one if it too was answered or skipped."""
        typed = self._typed_answers()
        applicable = self._applicable(typed)
        if qid not in applicable:
            return None
        later = applicable[applicable.index(qid) + 1 :]
        if later and (later[0] in typed or later[0] in self.skipped):
            return later[0]
        return None

    def _ask_question(self, question: Question, position: int, total: int, current: Answer | None) -> _Outcome:
        self._show_theme(question)
        self._show_question(question, position, total)
        entry = self.answers.get(question.id)
        if current is not None:
            self.say("current_answer", value=self._describe(question, entry))
            note = entry.get("note") if isinstance(entry, Mapping) else None
            if isinstance(note, str) and note.strip():
                self.say("current_note", note=note)
        while True:
            raw = self._read(self.t("answer_prompt"))
            command = self._command(raw)
            if command is _Command.QUIT:
                return _Outcome.QUIT
            if command is _Command.BACK:
                return _Outcome.BACK
            if command is _Command.HELP:
                self.io.show(self.t("commands", sep="\n"))
                self._show_question(question, position, total)
                continue
            raw_text = (raw or "").strip()  # free text keeps its full-width punctuation
            text = _clean(raw_text)
            if not text:
                if current is not None:
                    return _Outcome.KEPT
                if not question.required:
                    self.say("skipped")
                    return _Outcome.SKIPPED
                self.say("needs_answer")
                continue
            try:
                text, target = self._split_target(question, text)
                value = self._parse_answer(question, raw_text if isinstance(question, TextQuestion) else text)
            except _RejectedError as exc:
                self.io.show(str(exc))
                continue
            outcome = self._ask_note_and_store(question, value, entry, target)
            if outcome is not _Outcome.BACK:
                return outcome

    def _split_target(self, question: Question, text: str) -> tuple[str, int | None]:
        """`2>3` answers level 2 and aims for level 3 (maturity-level questions only)."""
        if not isinstance(question, LevelQuestion) or ">" not in text:
            return text, None
        answer, _, wanted = text.partition(">")
        top = int(question.max_points)
        if not wanted.strip().isdigit() or int(wanted) > top:
            raise _RejectedError(self.tx(say("target_range", top=top).text()))
        return answer.strip(), int(wanted)

    def _parse_answer(self, question: Question, text: str) -> Any:
        """The value to store for a typed answer: numbers of the options shown become option ids."""
        if is_na(text):
            if not question.na_allowed:
                raise _RejectedError(self.t("na_not_allowed"))
            return NA_TEXT
        raw: Any = text
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            single = isinstance(question, SingleChoiceQuestion)
            items = [text] if single else [i for i in _SEPARATORS.split(text) if i]
            ids = {o.id.lower(): o.id for o in question.options}
            chosen: list[str] = []
            for item in items:
                if item.isdigit() and 1 <= int(item) <= len(question.options):
                    chosen.append(question.options[int(item) - 1].id)
                elif item.lower() in ids:
                    chosen.append(ids[item.lower()])
                else:
                    raise _RejectedError(self.t("bad_choice", value=item))
            raw = chosen[0] if single else chosen
        if isinstance(question, TextQuestion):
            return text  # as typed: validation folds it when reading, the file keeps the writer's punctuation
        try:
            value = parse_value(question, raw)
        except InvalidAnswerError as exc:
            raise _RejectedError(self._detailed("invalid_answer", self.tx(exc.message.text()))) from None
        if isinstance(value, tuple):
            return list(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    def _ask_note_and_store(self, question: Question, value: Any, entry: Any, target: int | None = None) -> _Outcome:
        """Store and save the answer, then ask for its evidence note and save again when the note changes it.

        The answer is in the file before the note prompt, so stopping there (q, Ctrl-C, a closed terminal)
        keeps it; 'back' at the note prompt takes it back and the answer is asked again.  The exception is
        N/A where the policy requires a note (and none is stored yet): that answer is stored only with its
        note, as the file should never hold an N/A that validation refuses, and the user is told so.
        A new target level replaces the old one; without one, the old target is kept.
        """
        old = entry if isinstance(entry, Mapping) else {}
        old_note = old.get("note") if isinstance(old.get("note"), str) and old["note"].strip() else None
        must = value == NA_TEXT and self.criteria.na_policy.na_requires_note
        if target is None and value != NA_TEXT:
            target = old.get("target")
        asks_note = not isinstance(question, TextQuestion)
        stored_early = not (asks_note and must and old_note is None)
        if stored_early:
            self._store(question, value, old_note, target)
        if not asks_note:
            return _Outcome.ANSWERED
        if not stored_early:
            self.io.show(self.tx(say("na_saved_with_note").text()))
        key = "na_note_prompt" if must else "note_keep_prompt" if old_note else "note_prompt"
        while True:
            raw = self._read(self.t(key))
            command = self._command(raw)
            if command is _Command.BACK:
                if stored_early:
                    self._restore(question, entry)
                return _Outcome.BACK
            if command is _Command.QUIT:
                return _Outcome.QUIT  # the answer is saved already (or, an N/A without its note, not at all)
            if command is _Command.HELP:
                self._show_evidence(question)
                continue
            text = (raw or "").strip()
            note = None if text == _CLEAR_NOTE else text or old_note
            if must and not note:
                self.say("note_required")
                continue
            if note is not None and len(note) > NOTE_LIMIT:
                self.io.show(self.t("field_too_long", limit=NOTE_LIMIT))
                continue
            break
        if not stored_early or note != old_note:
            self._store(question, value, note, target)
        return _Outcome.ANSWERED

    def _store(self, question: Question, value: Any, note: str | None, target: Any) -> None:
        """Put the answer in the data (answers in criteria order) and save."""
        extras = {k: v for k, v in (("note", note), ("target", target)) if v is not None}
        self._put(question.id, {"value": value, **extras} if extras else value)
        self._save()
        self.say("saved")

    def _restore(self, question: Question, entry: Any) -> None:
        """Put back the entry a question had before this answer ('back' at the note prompt), and save."""
        if entry is None:
            self.answers.pop(question.id, None)
        else:
            self._put(question.id, entry)
        self._save()

    def _put(self, qid: str, stored: Any) -> None:
        self.answers[qid] = stored
        self.data["answers"] = {
            **{q: self.answers[q] for q in self.criteria.questions if q in self.answers},
            **{q: v for q, v in self.answers.items() if q not in self.criteria.questions},
        }

    # ---- display --------------------------------------------------------------------------------

    def _show_theme(self, question: Question) -> None:
        theme_id = self.criteria.theme_of[question.id]
        if theme_id == self.theme_shown:
            return
        self.theme_shown = theme_id
        number = [t.id for t in self.criteria.themes].index(theme_id) + 1
        theme = self.criteria.theme(theme_id)
        self.io.show("")
        self.io.show(self.t("theme_heading", number=number, count=len(self.criteria.themes), title=theme.title))

    def _show_question(self, question: Question, position: int, total: int) -> None:
        heading = f"{self.t('progress', position=position, total=total)} · {question.id}"
        if not question.required:
            heading += " " + self.t("optional")
        lines = ["", heading, self.tx(question.text, "\n"), self.t("help", sep="\n", text=question.help)]
        self.io.show("\n".join(lines))
        self._show_evidence(question)
        self.io.show(self._choices(question))

    def _show_evidence(self, question: Question) -> None:
        if question.evidence:
            items = Text(zh="；".join(e.zh for e in question.evidence), en="; ".join(e.en for e in question.evidence))
            self.io.show(self.t("evidence", sep="\n", items=items))

    def _block(self, text: Text, indent: str) -> str:
        return "\n".join(indent + text.in_lang(lang) for lang in self.langs)

    def _options(self, question: SingleChoiceQuestion | MultiChoiceQuestion) -> list[str]:
        """Numbered options, one line per language; an exclusive option of a multiple choice says so."""
        width = len(str(len(question.options)))
        lines: list[str] = []
        for i, option in enumerate(question.options, 1):
            for first, lang in zip((True, False), self.langs, strict=False):
                head = f"  {i:>{width}}) " if first else " " * (width + 4)
                exclusive = isinstance(question, MultiChoiceQuestion) and option.exclusive
                mark = " " + self.label("exclusive", lang, {}) if exclusive else ""
                lines.append(head + option.text.in_lang(lang) + mark)
        return lines

    def _choices(self, question: Question) -> str:
        """The answers a question takes, with level descriptors and numbered options, then the hints."""
        lines: list[str] = []
        hints: list[tuple[str, dict[str, Any]]] = []
        if isinstance(question, LevelQuestion):
            names = {level.level: level.name for level in self.criteria.levels}
            for d in question.levels:
                name = names.get(d.level)
                if len(self.langs) == 1:
                    lang = self.langs[0]
                    prefix = f"{name.in_lang(lang)} — " if name else ""
                    lines.append(f"  {d.level}  {prefix}{d.text.in_lang(lang)}")
                else:
                    lines.append(f"  {d.level}  {self.tx(name) if name else ''}".rstrip())
                    lines.append(self._block(d.text, "     "))
            hints.append(("level_hint", {"top": len(question.levels) - 1}))
        elif isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            lines += self._options(question)
            hints.append(("multi_hint" if isinstance(question, MultiChoiceQuestion) else "single_hint", {}))
        elif isinstance(question, YesNoQuestion):
            labels = self.criteria.answer_labels
            hints.append(("yesno_hint", {"yes": labels.yes, "no": labels.no}))
        elif isinstance(question, NumberQuestion):
            hints.append(("integer_hint" if question.integer else "number_hint", {}))
            low, high = question.minimum, question.maximum
            if low is not None and high is not None:
                hints.append(
                    (
                        "range_both",
                        {"low": number_as_written(low), "high": number_as_written(high), "unit": question.unit},
                    )
                )
            elif low is not None:
                hints.append(("range_min", {"low": number_as_written(low), "unit": question.unit}))
            elif high is not None:
                hints.append(("range_max", {"high": number_as_written(high), "unit": question.unit}))
            else:
                hints.append(("unit", {"unit": question.unit}))
        else:
            hints.append(("text_hint", {}))
        if question.na_allowed:
            hints.append(("na_hint", {"na": self.criteria.answer_labels.na}))
        if not question.required:
            hints.append(("skip_hint", {}))
        lines += ["  " + " · ".join(self.label(key, lang, fields) for key, fields in hints) for lang in self.langs]
        return "\n".join(lines)

    def _describe(self, question: Question, entry: Any) -> str:
        """A stored answer in words: the level and its name, option texts, yes/no, number with unit."""
        value = entry.get("value") if isinstance(entry, Mapping) else entry
        labels = self.criteria.answer_labels
        if is_na(value):
            return self.tx(labels.na)
        typed = parse_value(question, value)
        if isinstance(question, LevelQuestion):
            name = next((level.name for level in self.criteria.levels if level.level == typed), None)
            return f"{typed} {self.tx(name)}" if name else str(typed)
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            chosen = [typed] if isinstance(typed, str) else list(typed) if isinstance(typed, tuple) else []
            texts = {o.id: o.text for o in question.options}
            return "; ".join(self.tx(texts[c]) for c in chosen)
        if isinstance(question, YesNoQuestion):
            return self.tx(labels.yes if typed else labels.no)
        if isinstance(question, NumberQuestion) and isinstance(typed, int | float):
            return f"{number_as_written(typed)} {self.tx(question.unit)}"
        return str(typed)
