"""What each report of a batch was made from, so that a rerun renders only what changed.

The manifest in the output folder maps every report (and cohort.pdf) to a hash of its inputs: the
response, the criteria set, the templates it reads, the brand, the cohort markers, the options.
A report whose hash is unchanged is kept; a report no run made from these inputs is removed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from assess import __version__
from assess.batch.cohort import CohortStats
from assess.batch.inputs import BatchItem
from assess.batch.options import BatchOptions
from assess.batch.rows import FirmRow
from assess.files import write_atomic
from assess.models.criteria import CriteriaSet

MANIFEST = ".assess-manifest.json"


def folder_digest(folders: list[Path], skip: tuple[str, ...] = ()) -> str:
    """The files of `folders` (names and bytes), leaving out the top-level subfolders named in `skip`."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder)
            if relative.parts[0] in skip and len(relative.parts) > 1:
                continue
            digest.update(str(relative).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_manifest(outdir: Path) -> dict[str, Any]:
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


_NOT_IN_FIRM_REPORTS = ("cohort", "web", "questionnaire", "xlsx")  # template folders a firm report never reads


def file_digest(path: Path | None) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else ""
    except OSError:
        return ""


def report_keys(
    items: list[BatchItem], rows: list[FirmRow], criteria: CriteriaSet, stats: CohortStats, options: BatchOptions
) -> tuple[dict[str, str], str]:
    """Each firm report's file name -> the hash of everything it is made from, and the same for cohort.pdf.

    A firm report reads the cohort only through its chart markers (each theme's median and top
    quartile), and the templates only outside the cohort, web and questionnaire folders: a change
    elsewhere renders cohort.pdf again, not a thousand firm reports.  The logo counts by its bytes.
    """
    from assess.batch.reports import report_file_name
    from assess.report.templating import builtin_templates

    folders = [builtin_templates(), *([options.templates] if options.templates else [])]
    made_with = [
        __version__,
        criteria.content_hash,
        options.mode,
        options.profile,
        options.brand.model_dump(mode="json"),
        file_digest(options.brand.logo_path()),
    ]
    markers = [(d.median, d.p75) if (d := stats.themes.get(t.id)) else None for t in criteria.themes]
    firm_templates = folder_digest(folders, skip=_NOT_IN_FIRM_REPORTS)
    common = _hash([*made_with, firm_templates, markers])
    by_index = {item.index: item for item in items}
    keys: dict[str, str] = {}
    for row in rows:
        item = by_index[row.index]
        stem = item.path.stem if item.row is None else ""
        name = f"reports/{report_file_name(row.index, row.firm, row.credit_code, stem)}"
        keys[name] = _hash([common, item.content_digest(), row.change])
    batch_facts = [stats.failed_inputs, stats.previous_firms, stats.previous_matched]  # cohort.pdf says them
    firms = [dataclasses.replace(r, report=None) for r in rows]
    cohort = _hash([*made_with, folder_digest(folders), batch_facts, firms])
    return keys, cohort


def _hash(parts: list[Any]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def write_manifest(outdir: Path, reports: dict[str, str], cohort: str | None) -> None:
    write_atomic(
        outdir / MANIFEST, json.dumps({"reports": reports, "cohort": cohort}, indent=1, sort_keys=True).encode()
    )


def drop_stale_pdfs(
    items: list[BatchItem], rows: list[FirmRow], criteria: CriteriaSet, stats: CohortStats, options: BatchOptions
) -> None:
    """With no report pass (`--no-pdf`, or no firm scored): PDFs of earlier runs that no longer match go.

    Reports and cohort.pdf made from exactly these inputs, criteria, templates and cohort are kept,
    so a quick `--no-pdf` rerun does not throw away an unchanged folder of reports.
    """
    outdir = options.outdir
    if not (outdir / "reports").is_dir() and not (outdir / "cohort.pdf").exists():
        return
    keys, cohort = report_keys(items, rows, criteria, stats, options) if rows else ({}, None)
    manifest = read_manifest(outdir)
    done_before: dict[str, str] = manifest.get("reports", {})
    kept = {name: key for name, key in keys.items() if done_before.get(name) == key}
    cohort_kept = cohort if cohort is not None and manifest.get("cohort") == cohort else None
    if cohort_kept is None:
        (outdir / "cohort.pdf").unlink(missing_ok=True)
    write_manifest(outdir, kept, cohort_kept)
    remove_stale_reports(outdir, set(kept))


_REPORT_NAME = re.compile(r"^\d{4,}-[a-z0-9-]+\.pdf$")  # what report_file_name makes


def remove_stale_reports(outdir: Path, kept: set[str]) -> None:
    """Firm reports of earlier runs that this one did not write or keep: a removed firm, a renumbered input,
    a report that failed this time.  Left in place they would pass for this batch's reports."""
    for path in (outdir / "reports").glob("*.pdf"):
        if _REPORT_NAME.match(path.name) and f"reports/{path.name}" not in kept:
            path.unlink(missing_ok=True)
