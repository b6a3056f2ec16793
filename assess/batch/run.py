"""Run a batch: score every input across a process pool, then write tables, results, reports and the cohort.

Pass 1 scores (fast) and streams full results to results.jsonl in input order, keeping only small
rows in memory.  Then ranks, cohort statistics and year-over-year changes are computed.  Pass 2
renders the PDF reports (slow) in parallel, skipping firms whose report inputs did not change.
Every output is written atomically; one bad input never stops the rest.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

from assess.batch.cohort import CohortStats, cohort_stats, rank_rows
from assess.batch.inputs import BatchItem, collect_items, load_mapping
from assess.batch.manifest import drop_stale_pdfs, read_manifest, remove_stale_reports, report_keys, write_manifest
from assess.batch.options import BatchOptions, BatchSummary
from assess.batch.outputs import errors_csv, summary_csv, summary_xlsx
from assess.batch.pool import Progress, jobs_for, parallel, pool_friendly_gc
from assess.batch.previous import PreviousResults, change_of, check_comparable, load_previous
from assess.batch.rows import ErrorRow, FirmRow
from assess.batch.summary_words import SummaryWords, summary_words
from assess.batch.worker import Chunk, score_chunk, share_criteria
from assess.errors import UserError
from assess.files import folder_lock, write_atomic
from assess.messages import said_error, say
from assess.models.criteria import CriteriaSet
from assess.paths import data_dir
from assess.readers.criteria_files import load_criteria
from assess.scoring.engine import check_profile

__all__ = ["BatchOptions", "BatchSummary", "Progress", "default_criteria_dir", "run_batch"]  # the batch's API

_CHUNK_MAX = 32  # items per worker task
_CHUNK_MIN = 4  # smaller tasks cost more in hand-over than they save at the end of a pass


def _chunk_sizes(total: int, jobs: int) -> list[int]:
    """Sizes of consecutive chunks: large while much is left, smaller towards the end (guided scheduling).

    Workers take chunks in order, so the last few are small and the workers finish together
    instead of one idling while the other scores a full chunk.
    """
    sizes: list[int] = []
    smallest = min(_CHUNK_MIN, -(-total // (jobs * 16)))  # a small batch still moves the progress bar
    remaining = total
    while remaining > 0:
        size = min(remaining, max(smallest, min(_CHUNK_MAX, -(-remaining // (jobs * 4)))))
        sizes.append(size)
        remaining -= size
    return sizes


def _chunks(items: list[BatchItem], options: BatchOptions, jobs: int) -> list[Chunk]:
    """Consecutive runs of items, small enough to keep every worker busy and the progress bar moving."""
    lang = options.lang
    chunks: list[Chunk] = []
    start = 0
    for n, size in enumerate(_chunk_sizes(len(items), jobs)):
        part = options.outdir / f".results.{n}.part"
        chunks.append(Chunk(items[start : start + size], options.criteria_dir, options.profile, part, lang))
        start += size
    return chunks


def _score_all(
    items: list[BatchItem], criteria: CriteriaSet, options: BatchOptions, jobs: int, progress: Progress | None
) -> tuple[list[FirmRow], list[ErrorRow]]:
    """Pass 1: score every item; workers write full results to part files, joined into results.jsonl in order."""
    rows: list[FirmRow] = []
    errors: list[ErrorRow] = []
    results_path = options.outdir / "results.jsonl"
    temp = results_path.with_name(f".{results_path.name}.tmp")
    share_criteria(options.criteria_dir, criteria)
    chunks = _chunks(items, options, jobs)
    done = 0
    try:
        with pool_friendly_gc(), temp.open("wb") as out:
            scored = parallel(score_chunk, chunks, jobs, None, "score", chunksize=1)
            for chunk, outcomes in zip(chunks, scored, strict=True):
                with chunk.part.open("rb") as part:
                    shutil.copyfileobj(part, out)
                chunk.part.unlink()
                for outcome in outcomes:
                    if outcome.row is None:
                        errors.extend(outcome.errors)
                    else:
                        rows.append(outcome.row)
                done += len(chunk.items)
                if progress:
                    progress("score", done, len(items))
        temp.replace(results_path)
    finally:
        for chunk in chunks:
            chunk.part.unlink(missing_ok=True)
        temp.unlink(missing_ok=True)
    return rows, errors


def _render_reports(
    items: list[BatchItem],
    rows: list[FirmRow],
    criteria: CriteriaSet,
    stats: CohortStats,
    options: BatchOptions,
    jobs: int,
    progress: Progress | None,
    summary: BatchSummary,
) -> list[FirmRow]:
    """Pass 2: a PDF per firm, skipping those whose inputs, criteria, templates and cohort markers are unchanged."""
    # Imported here: the report machinery (Jinja2, charts) is ~40 ms that `--no-pdf` and other commands skip.
    from assess.batch.reports import COHORT_INDEX, CohortTask, RenderTask, cohort_markers, render_any
    from assess.report.render import ReportOptions
    from assess.report.templating import builtin_templates, load_labels

    labels = load_labels([f for f in (options.templates, builtin_templates()) if f is not None])
    markers = cohort_markers(criteria, stats, labels, options.mode)
    hashes, cohort_key = report_keys(items, rows, criteria, stats, options)
    manifest = read_manifest(options.outdir)
    done_before: dict[str, str] = manifest.get("reports", {}) if not options.force else {}
    by_index = {item.index: item for item in items}
    tasks: list[RenderTask | CohortTask] = []
    updated: list[FirmRow] = []
    for row, (name, key_hash) in zip(rows, hashes.items(), strict=True):
        item = by_index[row.index]
        target = options.outdir / name
        updated.append(dataclasses.replace(row, report=name))
        if done_before.get(name) == key_hash and target.is_file():
            summary.reports_skipped += 1
            continue
        report_options = ReportOptions(
            mode=options.mode,
            brand=options.brand,
            templates=options.templates,
            cohort_markers=markers,
            previous=row.change or None,
        )
        tasks.append(RenderTask(item, options.criteria_dir, options.profile, report_options, target))
    cohort = CohortTask(
        options.criteria_dir,
        updated,
        stats,
        options.mode,
        options.brand,
        options.templates,
        options.outdir / "cohort.pdf",
    )
    failed: set[int] = set()
    cohort_made: str | None = cohort_key
    with pool_friendly_gc():  # one report per task: it takes about a second, and Ctrl-C then stops within one
        outcomes = list(parallel(render_any, [cohort, *tasks], jobs, progress, "reports", chunksize=1))
    for index, error in outcomes:
        if index == COHORT_INDEX:
            if error is not None:
                summary.report_errors += 1
                summary.errors.append(ErrorRow("cohort.pdf", "", "", error))
                (options.outdir / "cohort.pdf").unlink(missing_ok=True)  # an older one would pass for this batch's
                cohort_made = None
        elif error is None:
            summary.reports_written += 1
        else:
            failed.add(index)
            summary.report_errors += 1
            summary.errors.append(ErrorRow(by_index[index].key, "report", "", error))
    kept = {name: h for name, h in hashes.items() if not any(r.report == name and r.index in failed for r in updated)}
    write_manifest(options.outdir, kept, cohort_made)
    remove_stale_reports(options.outdir, set(kept))
    return [dataclasses.replace(r, report=None) if r.index in failed else r for r in updated]


def run_batch(inputs: list[Path], options: BatchOptions, progress: Progress | None = None) -> BatchSummary:
    """Score (and report on) every input; the summary says what was written and what failed."""
    criteria = load_criteria(options.criteria_dir)
    # What the batch reads besides its inputs is checked first: a mistake there leaves no output folder behind,
    # and a rerun with a mistyped path or profile leaves the earlier outputs as they were.
    check_profile(criteria, options.profile)
    _check_inputs(inputs, options.outdir)
    mapping = load_mapping(options.mapping, criteria) if options.mapping else None
    previous = load_previous(options.previous) if options.previous else None
    if previous is not None:
        check_comparable(previous, criteria, options.profile)
    words = summary_words(criteria, options.mode, options.templates)  # a broken labels file: said before any output
    items, errors = collect_items(inputs, criteria, mapping, options.lang)
    if not items and not errors:
        message = say("no_inputs", paths=", ".join(str(p) for p in inputs))
        raise UserError(str(message), [], message.in_lang("zh"))
    with folder_lock(options.outdir):
        return _run_locked(items, errors, options, criteria, previous, words, progress)


def _check_inputs(inputs: list[Path], outdir: Path) -> None:
    """Inputs that do not exist, or a folder that is also the output folder (whose tables it would read back)."""
    missing = [(str(path), say("no_such_path")) for path in inputs if not path.exists()]
    if missing:
        raise said_error(say("batch_inputs_missing", count=len(missing)), missing)
    target = outdir.resolve()
    same = [path for path in inputs if path.is_dir() and path.resolve() == target]
    clashes = [(str(path), say("batch_output_is_input")) for path in same]
    if clashes:
        raise said_error(say("batch_output_folder_clash"), clashes)


def _run_locked(
    items: list[BatchItem],
    errors: list[ErrorRow],
    options: BatchOptions,
    criteria: CriteriaSet,
    previous: PreviousResults | None,
    words: SummaryWords,
    progress: Progress | None,
) -> BatchSummary:
    jobs = jobs_for(options.jobs)
    summary = BatchSummary(outdir=options.outdir)
    started = time.perf_counter()
    rows, scoring_errors = _score_all(items, criteria, options, jobs, progress)
    summary.scoring_seconds = time.perf_counter() - started
    errors += scoring_errors
    summary.failed_inputs = len({e.input for e in errors})
    summary.missing_columns = _missing_columns(items, criteria)
    notes = [  # listed in errors.csv, where a consultant looks after a run, though no input failed
        ErrorRow(
            table,
            "",
            "",
            say("warning_note", note=say("table_lacks_questions", ids=ids, count=len(ids))).in_lang(options.lang),
        )
        for table, ids in summary.missing_columns
    ]
    rows = rank_rows(rows)
    summary.duplicates = _duplicates(rows)
    if previous is not None:
        rows = [dataclasses.replace(r, change=change_of(r, previous)) for r in rows]
        summary.previous_matched = sum(1 for r in rows if r.change)
    theme_ids = [t.id for t in criteria.themes]
    stats = dataclasses.replace(
        cohort_stats(rows, theme_ids),
        failed_inputs=summary.failed_inputs,
        previous_firms=None if previous is None else len(previous),
        previous_matched=summary.previous_matched or 0,
    )
    summary.scored = len(rows)
    with_change = previous is not None
    # Written early: nothing is lost if the reports fail.
    _write_tables(options.outdir, rows, errors + notes, theme_ids, with_change, words)
    if options.pdf and rows:
        started = time.perf_counter()
        rows = _render_reports(items, rows, criteria, stats, options, jobs, progress, summary)
        summary.reports_seconds = time.perf_counter() - started
        errors += summary.errors
        _write_tables(options.outdir, rows, errors + notes, theme_ids, with_change, words)
    else:
        drop_stale_pdfs(items, rows, criteria, stats, options)
    summary.errors = errors
    return summary


def _missing_columns(items: list[BatchItem], criteria: CriteriaSet) -> list[tuple[str, list[str]]]:
    """Each table of firms with questions it has no column for (a survey export with a question left out)."""
    tables = {str(item.path): item.layout for item in items if item.layout is not None}
    found = [(table, layout.missing_questions(criteria)) for table, layout in tables.items()]
    return [(table, ids) for table, ids in found if ids]


def _duplicates(rows: list[FirmRow]) -> list[tuple[str, list[str]]]:
    """Firms that appear more than once (same credit code, or same name without one): each counts in the cohort."""
    inputs: dict[str, list[str]] = {}
    for row in rows:
        inputs.setdefault(row.credit_code or row.firm.strip(), []).append(row.input)
    return [(firm, found) for firm, found in inputs.items() if len(found) > 1]


def _write_tables(
    outdir: Path,
    rows: list[FirmRow],
    errors: list[ErrorRow],
    theme_ids: list[str],
    with_change: bool,
    words: SummaryWords,
) -> None:
    write_atomic(outdir / "summary.csv", summary_csv(rows, theme_ids, with_change))
    write_atomic(outdir / "summary.xlsx", summary_xlsx(rows, theme_ids, with_change, words))
    write_atomic(outdir / "errors.csv", errors_csv(errors))


def default_criteria_dir() -> Path:
    return data_dir("criteria") / "ningbo-export-quality"
