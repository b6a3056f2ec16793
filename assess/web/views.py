"""View-models: what each page shows, built from the criteria set and the stored answers.

Templates do no look-ups and no arithmetic; every text is a bilingual `Text` for the `tr` filter
(or firm-supplied text, escaped by the templates' autoescaping).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assess.errors import Problem
from assess.messages import say
from assess.models.common import Mode, Text
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Question,
    TextQuestion,
    Theme,
)
from assess.models.result import ScoreResult
from assess.questionnaire.yaml_form import Wording, questionnaire_labels
from assess.report.context import ReportContext
from assess.report.render import ReportOptions, report_context
from assess.web.answering import NA, RADIO_KINDS, AnswerState, Progress, fingerprint, needs_reason
from assess.web.rendering import web_labels
from assess.web.storage import Assessment, StoredAnswer, StoredValue

if TYPE_CHECKING:
    from assess.web.submission import SubmittedSummary

Override = tuple[Any, str | None, str | None]  # what a refused page sent for a question: answer, note, target


@dataclass(frozen=True)
class ChoiceView:
    key: str
    label: Text | None
    detail: Text | None
    checked: bool


@dataclass(frozen=True)
class QuestionView:
    id: str
    kind: str
    widget: str  # radio, checkbox, number, text
    text: Text
    help: Text
    how: Text | None
    choices: list[ChoiceView]
    value_text: str
    na_allowed: bool
    na_checked: bool
    na_reason: bool  # N/A needs a reason in the note (the criteria set's na_policy.na_requires_note)
    note: str
    applies: bool
    applicability: Text | None
    evidence: Text | None
    required: bool
    unit: Text | None
    range: Text | None
    error: Text | None
    seen: str
    targets: list[ChoiceView]  # the levels a maturity-level question can aim for (empty for other kinds)


@dataclass(frozen=True)
class ThemeLink:
    number: int
    title: Text
    url: str
    progress: Progress
    current: bool


@dataclass(frozen=True)
class ThemePage:
    number: int
    count: int
    title: Text
    description: Text
    questions: list[QuestionView]
    progress: Progress
    theme_progress: Progress
    themes: list[ThemeLink]
    prev_url: str | None
    is_last: bool


@dataclass(frozen=True)
class MissingView:
    id: str
    text: Text
    url: str


@dataclass(frozen=True)
class MissingGroup:
    """The missing answers of one theme (the review page folds each theme's list)."""

    number: int
    title: Text
    url: str
    items: list[MissingView]


@dataclass(frozen=True)
class ProblemView:
    question_id: str | None
    text: Text | None
    message: Text
    url: str | None


def _shown(value: StoredValue) -> str:
    if value is None or isinstance(value, list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _keys(value: Any) -> set[str]:
    if isinstance(value, list):
        return {str(v) for v in value}
    return {_shown(value)} if value is not None else set()


def _without_id(message: str, qid: str | None) -> str:
    """A problem's message without its leading question id, which the linked question beside it shows already."""
    if qid is None:
        return message
    for prefix in (f"{qid}：", f"{qid}: "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


class Views:
    """Page models for one criteria set."""

    def __init__(self, criteria: CriteriaSet) -> None:
        self.criteria = criteria
        self.words = Wording(criteria, questionnaire_labels())
        self.theme_number = {q.id: n for n, t in enumerate(criteria.themes, start=1) for q in t.questions}

    def question_url(self, token: str, qid: str) -> str:
        return f"/a/{token}/theme/{self.theme_number[qid]}#q-{qid}"

    def question(
        self,
        question: Question,
        stored: StoredAnswer | None,
        applies: bool,
        override: Override | None = None,
        error: Text | None = None,
    ) -> QuestionView:
        """One question as shown: its stored answer, or what the user sent when it was refused (`override`)."""
        value: Any = stored.value if stored else None
        note = stored.note if stored else None
        target = stored.target if stored else None
        seen = fingerprint(value, note, target)
        target_key = str(int(target)) if target is not None else None
        if override is not None:
            value, note, target_key = override
        na = isinstance(value, str) and value == NA
        keys = set() if na else _keys(value)
        if isinstance(question, RADIO_KINDS):
            widget = "radio"
        elif isinstance(question, MultiChoiceQuestion):
            widget = "checkbox"
        elif isinstance(question, NumberQuestion):
            widget = "number"
        else:
            widget = "text"
        choices = [ChoiceView(c.key, c.label, c.detail, c.key in keys) for c in self.words.choices(question)]
        return QuestionView(
            id=question.id,
            kind=question.kind,
            widget=widget,
            text=question.text,
            help=question.help,
            how=self.words.how_to_tick(question),
            choices=choices,
            value_text="" if na or widget in ("radio", "checkbox") else _shown(value),
            na_allowed=question.na_allowed,
            na_checked=na,
            na_reason=needs_reason(self.criteria, question),
            note=note or "",
            applies=applies,
            applicability=self.words.applicability(question),
            evidence=self.words.evidence(question),
            required=question.required and not isinstance(question, TextQuestion),
            unit=question.unit if isinstance(question, NumberQuestion) else None,
            range=self.words.number_range(question) if isinstance(question, NumberQuestion) else None,
            error=error,
            seen=seen,
            targets=[ChoiceView(c.key, c.label, c.detail, c.key == target_key) for c in self.words.choices(question)]
            if isinstance(question, LevelQuestion)
            else [],
        )

    def theme_links(self, token: str, state: AnswerState, current: int | None = None) -> list[ThemeLink]:
        return [
            ThemeLink(
                n,
                theme.label,
                f"/a/{token}/theme/{n}",
                state.progress(self.criteria, [q.id for q in theme.questions]),
                n == current,
            )
            for n, theme in enumerate(self.criteria.themes, start=1)
        ]

    def theme_page(
        self,
        token: str,
        number: int,
        stored: Mapping[str, StoredAnswer],
        state: AnswerState,
        overrides: Mapping[str, Override] | None = None,
        errors: Mapping[str, Text] | None = None,
    ) -> ThemePage:
        theme: Theme = self.criteria.themes[number - 1]
        overrides = overrides or {}
        errors = errors or {}
        questions = [
            self.question(q, stored.get(q.id), state.applies.get(q.id, True), overrides.get(q.id), errors.get(q.id))
            for q in theme.questions
        ]
        count = len(self.criteria.themes)
        return ThemePage(
            number=number,
            count=count,
            title=theme.title,
            description=theme.description,
            questions=questions,
            progress=state.progress(self.criteria),
            theme_progress=state.progress(self.criteria, [q.id for q in theme.questions]),
            themes=self.theme_links(token, state, number),
            prev_url=f"/a/{token}/theme/{number - 1}" if number > 1 else f"/a/{token}/profile",
            is_last=number == count,
        )

    def missing(self, token: str, state: AnswerState) -> list[MissingGroup]:
        missing = set(state.missing(self.criteria))
        groups = []
        for number, theme in enumerate(self.criteria.themes, start=1):
            items = [
                MissingView(q.id, q.text, self.question_url(token, q.id)) for q in theme.questions if q.id in missing
            ]
            if items:
                groups.append(MissingGroup(number, theme.label, f"/a/{token}/theme/{number}", items))
        return groups

    def problems(
        self, token: str, problems: tuple[Problem, ...], listed: frozenset[str] = frozenset()
    ) -> tuple[list[ProblemView], int]:
        """The problems of a refused submit as shown, and how many were left out: a required answer missing
        for a question the page's list of missing answers (`listed`) shows already is said there, once."""
        views = []
        folded = 0
        for p in problems:
            qid = p.question_id if p.question_id in self.criteria.questions else None
            if qid in listed and p.message == str(say("required_missing", id=qid)):
                folded += 1
                continue
            text: Text | None = self.criteria.questions[qid].text if qid else None
            url = self.question_url(token, qid) if qid else None
            if qid is None and p.location.split(".")[0] == "firm":  # the firm profile: a link to its page
                text, url = web_labels()["firm_profile"], f"/a/{token}/profile"
            views.append(
                ProblemView(
                    question_id=qid,
                    text=text,
                    message=Text(zh=_without_id(p.message_in("zh"), qid), en=_without_id(p.message, qid)),
                    url=url,
                )
            )
        return views, folded

    def results(self, result: ScoreResult, mode: Mode) -> ReportContext:
        """The report's own context (scores, verdict, charts as SVG, priorities), so page and PDF agree."""
        return report_context(self.criteria, result, ReportOptions(mode=mode))


# --- the consultant's table -----------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    firm: str
    invited_as: str
    invited_by: str
    status: str
    completeness: int
    overall: str
    band: Text | None
    verdict: str
    updated: str
    link: str
    pdf_url: str | None
    score: float | None = None  # for sorting: the overall score of a submitted result
    updated_at: dt.datetime | None = None


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def submission_row(
    criteria: CriteriaSet,
    record: Assessment,
    state: AnswerState | None,
    base_url: str,
    submitted: SubmittedSummary | None = None,
) -> SubmissionRow:
    """A row of the consultant's table: a draft's progress (`state`), or a submitted result's summary."""
    profile = record.profile or {}
    firm = str(profile.get("name") or record.label or "—")
    verdict: str
    if submitted is not None:
        completeness = round(100 * submitted.completeness)
        band = criteria.band_named(submitted.band) if submitted.band else None
        verdict = submitted.verdict
        overall = "—" if submitted.overall is None else f"{submitted.overall:.1f}"
        score = submitted.overall
    else:
        completeness = state.progress(criteria).percent if state is not None else 0
        band, verdict, overall, score = None, "", "—", None
    return SubmissionRow(
        id=record.id,
        firm=firm,
        invited_as=record.label or "",
        invited_by=record.created_by or "",
        status=record.status,
        completeness=completeness,
        overall=overall,
        band=band.name if band else None,
        verdict=verdict,
        updated=_when(record.updated_at),
        link=f"{base_url}a/{record.token}",
        pdf_url=f"/consultant/assessments/{record.id}/report.pdf" if record.has_pdf else None,
        score=score,
        updated_at=record.updated_at,
    )


# --- finding a firm in the consultant's table --------------------------------------------------------

SORTS = ("newest", "updated", "score", "completeness", "firm")
STATUSES = ("all", "draft", "submitted")


def _folded(text: str) -> str:
    """Text as people type it: full-width letters, case and extra spaces do not matter."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class TableFilter:
    """What the consultant's table shows: a search over firm, invite and inviter names, a status, an order."""

    search: str = ""
    status: str = "all"
    sort: str = "newest"

    @classmethod
    def of(cls, search: str | None, status: str | None, sort: str | None) -> TableFilter:
        """From the page's query (anything unknown falls back to everything, newest first)."""
        shown = "".join(c for c in search or "" if not unicodedata.category(c).startswith("C"))  # no NUL, ESC…
        return cls(
            search=" ".join(shown.split())[:200],
            status=status if status in STATUSES else "all",
            sort=sort if sort in SORTS else "newest",
        )

    @property
    def active(self) -> bool:
        return bool(self.search) or self.status != "all"

    def apply(self, rows: list[SubmissionRow]) -> list[SubmissionRow]:
        """The rows that match, in the chosen order (rows come newest first; ties keep that order)."""
        wanted = _folded(self.search)
        shown = [
            row
            for row in rows
            if (self.status == "all" or row.status == self.status)
            and (not wanted or any(wanted in _folded(text) for text in (row.firm, row.invited_as, row.invited_by)))
        ]
        if self.sort == "updated":
            shown.sort(key=lambda row: row.updated_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
        elif self.sort == "score":  # highest first, drafts and unscored last
            shown.sort(key=lambda row: (row.score is None, -(row.score or 0.0)))
        elif self.sort == "completeness":
            shown.sort(key=lambda row: -row.completeness)
        elif self.sort == "firm":
            shown.sort(key=lambda row: _folded(row.firm))
        return shown
