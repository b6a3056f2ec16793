"""Submit = the CLI's path: the stored profile and answers -> validate_response -> score -> render_report.

Also the consultant's cohort outputs, built as `assess batch` builds them: firm_row -> rank_rows ->
cohort_stats -> summary_csv / summary_xlsx / render_cohort_pdf.  PDFs are rendered one at a time per
process (WeasyPrint shares one font configuration, which is not made for threads).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from assess.api import score
from assess.batch.cohort import cohort_stats, rank_rows
from assess.batch.cohort_report import render_cohort_pdf
from assess.batch.outputs import summary_csv, summary_xlsx
from assess.batch.rows import FirmRow, firm_row
from assess.batch.summary_words import summary_words
from assess.errors import Problem, ResponseError, UserError
from assess.messages import say
from assess.models.common import Mode
from assess.models.criteria import CriteriaSet
from assess.models.response import Response
from assess.models.result import ScoreResult
from assess.report.brand import Brand
from assess.report.render import ReportOptions, render_report
from assess.validation import validate_response
from assess.web.storage import Assessment, Store, StoredAnswer

SUBMIT_ATTEMPTS = 3


@dataclass(frozen=True)
class SubmittedSummary:
    """What the consultant's pages show of a submitted result, read from its JSON once per process.

    A submitted result never changes, and parsing every one on every page view cost ~0.4 ms a firm.
    """

    row: FirmRow  # for the cohort outputs; its index is set per cohort
    same_criteria: bool  # scored with the criteria set the app runs now
    completeness: float
    overall: float | None
    band: str | None
    verdict: str


@dataclass(frozen=True)
class SubmitOutcome:
    status: Literal["submitted", "already", "invalid", "report", "missing", "busy"]
    problems: tuple[Problem, ...] = ()


def _locate(path: Any) -> str:
    return ".".join(str(part) for part in path)


def build_response(criteria: CriteriaSet, profile: Mapping[str, Any], stored: Mapping[str, StoredAnswer]) -> Response:
    """The response the CLI would read from a file (status final), or ResponseError."""
    data = {
        "criteria": criteria.id,
        "status": "final",
        "firm": dict(profile),
        "answers": {qid: {"value": a.value, "note": a.note, "target": a.target} for qid, a in stored.items()},
    }
    try:
        return Response.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(_locate(e["loc"]), e["msg"]) for e in exc.errors()]
        raise ResponseError("the answers do not form a valid response", problems) from None


class Scoring:
    """The criteria set and weighting profile the app scores with, and its PDF renderer."""

    def __init__(self, criteria: CriteriaSet, profile: str | None = None) -> None:
        self.criteria = criteria
        self.profile = profile
        self._pdf_lock = threading.Lock()
        self.theme_ids = [t.id for t in criteria.themes]
        self._summaries: dict[tuple[int, Any], SubmittedSummary] = {}

    def score(self, profile: Mapping[str, Any] | None, stored: Mapping[str, StoredAnswer]) -> ScoreResult:
        if profile is None:  # in both languages, as validation's own problems are
            missing, first = say("web_profile_missing"), say("web_profile_first")
            problem = Problem("firm", str(first), message_zh=first.in_lang("zh"))
            raise ResponseError(str(missing), [problem], missing.in_lang("zh"))
        response = build_response(self.criteria, profile, stored)
        validated = validate_response(self.criteria, response, _locate, source="web")
        return score(self.criteria, validated, self.profile)

    def problems(self, profile: Mapping[str, Any] | None, stored: Mapping[str, StoredAnswer]) -> tuple[Problem, ...]:
        """What keeps these answers from being submitted now (the submit's own checks, without the PDF)."""
        try:
            self.score(profile, stored)
        except ResponseError as exc:
            return tuple(exc.problems)
        return ()

    def report_pdf(self, result: ScoreResult, mode: Mode) -> bytes:
        with self._pdf_lock:
            return render_report(self.criteria, result, ReportOptions(mode=mode))

    def submit(self, store: Store, token: str, mode: Mode) -> SubmitOutcome:
        """Score the latest answers and store the result once; a save during scoring makes it score again."""
        for _ in range(SUBMIT_ATTEMPTS):
            record = store.get(token)
            if record is None:
                return SubmitOutcome("missing")
            if record.submitted:
                return SubmitOutcome("already")
            try:
                result = self.score(record.profile, store.answers(record.id))
            except ResponseError as exc:
                return SubmitOutcome("invalid", tuple(exc.problems))
            try:
                pdf = self.report_pdf(result, mode)
            except UserError as exc:  # the report cannot be written here (fonts, templates): say so, keep the draft
                summary = Problem("report", exc.summary, message_zh=exc.summary_zh)
                return SubmitOutcome("report", (summary, *exc.problems))
            if store.submit(token, record.revision, result.model_dump_json(), result.overall, pdf, mode):
                return SubmitOutcome("submitted")
        return SubmitOutcome("busy")

    # --- the cohort -------------------------------------------------------------------------------

    def listed(self, store: Store) -> list[Assessment]:
        """Every assessment, newest first, with every submitted one summarised.

        The listing leaves the result JSON out (20-30 KB a firm); only results not summarised yet are
        read, once per process.
        """
        records = store.list_all(with_results=False)
        new = [r.id for r in records if r.submitted and (r.id, r.submitted_at) not in self._summaries]
        if new:
            texts = store.results(new)
            for record in records:
                if record.id in texts:
                    self._summarise(record, texts[record.id])
        return records

    def submitted_summary(self, record: Assessment) -> SubmittedSummary | None:
        """The summary of a submitted record's result (None for a draft), parsed once and then remembered."""
        if not record.submitted:
            return None
        found = self._summaries.get((record.id, record.submitted_at))
        if found is None and record.result:
            found = self._summarise(record, record.result)
        return found

    def _summarise(self, record: Assessment, result_json: str) -> SubmittedSummary:
        result = ScoreResult.model_validate_json(result_json)
        found = SubmittedSummary(
            row=firm_row(0, f"web-{record.id}", result),
            same_criteria=result.criteria.content_hash == self.criteria.content_hash,
            completeness=result.completeness,
            overall=result.overall,
            band=result.band,
            verdict=result.readiness.verdict,
        )
        # One per submission (~1 KB each: 2 MB for 2,000 firms), as the listing itself is; never stale,
        # since a submitted result never changes.
        self._summaries[(record.id, record.submitted_at)] = found
        return found

    def cohort_rows(self, records: list[Assessment]) -> tuple[list[FirmRow], int]:
        """Ranked rows of the submitted firms scored with this criteria set, and how many were left out."""
        rows: list[FirmRow] = []
        other_criteria = 0
        for record in sorted(records, key=lambda r: r.id):
            summary = self.submitted_summary(record)
            if summary is None:
                continue
            if not summary.same_criteria:
                other_criteria += 1
                continue
            rows.append(dataclasses.replace(summary.row, index=len(rows)))
        return rank_rows(rows), other_criteria

    def summary_csv(self, rows: list[FirmRow]) -> bytes:
        return summary_csv(rows, self.theme_ids, False)

    def summary_xlsx(self, rows: list[FirmRow], mode: Mode = "bilingual") -> bytes:
        """The workbook in the consultant's language (summary.csv keeps the column ids)."""
        return summary_xlsx(rows, self.theme_ids, False, summary_words(self.criteria, mode))

    def cohort_pdf(self, rows: list[FirmRow], mode: Mode) -> bytes:
        stats = cohort_stats(rows, self.theme_ids)
        with self._pdf_lock:
            return render_cohort_pdf(self.criteria, rows, stats, mode, Brand())
