"""What a batch is asked to do, and what it did: the options `run_batch` takes and the summary it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assess.batch.rows import ErrorRow
from assess.models.common import Lang, Mode
from assess.report.brand import Brand


@dataclass(frozen=True)
class BatchOptions:
    outdir: Path
    criteria_dir: Path
    jobs: int = 0  # 0: one per core
    pdf: bool = True
    mode: Mode = "bilingual"
    brand: Brand = field(default_factory=Brand)
    templates: Path | None = None
    previous: Path | None = None
    mapping: Path | None = None
    force: bool = False
    profile: str | None = None

    @property
    def lang(self) -> Lang:
        """The language of messages (errors.csv, the terminal): Chinese with --lang zh, otherwise English."""
        return "zh" if self.mode == "zh" else "en"


@dataclass
class BatchSummary:
    scored: int = 0
    scoring_seconds: float = 0.0  # the scoring pass (validation and scoring of every input, results.jsonl)
    reports_seconds: float = 0.0  # the report pass (firm reports and cohort.pdf)
    failed_inputs: int = 0
    reports_written: int = 0
    reports_skipped: int = 0
    report_errors: int = 0
    previous_matched: int | None = None  # firms found in the previous results (None: no --previous)
    duplicates: list[tuple[str, list[str]]] = field(default_factory=list)  # a firm given more than once: its inputs
    missing_columns: list[tuple[str, list[str]]] = field(
        default_factory=list
    )  # a table's question ids without a column
    outdir: Path = Path()
    errors: list[ErrorRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed_inputs == 0 and self.report_errors == 0
