"""Benchmark of the PDF report (issue: report). Not a test: prints a table of medians.

    .venv/bin/python benchmarks/report_bench.py [--runs 5] [--lang bilingual] [--seeds a.yaml b.yaml]

Measures, for each seed firm:
  html     our own work in a warm process: load + validate + score + context + charts + templates
  weasy    WeasyPrint alone on that same HTML, warm process, shared FontConfiguration
  oneshot  the whole `assess report` command in a fresh process (imports included)
plus pages, PDF size, seconds per page (warm) and the peak memory (max RSS) of the one-shot process.
"""

from __future__ import annotations

import argparse
import functools
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.api import load_criteria, load_response, response_files, score  # noqa: E402
from assess.models.result import ScoreResult  # noqa: E402
from assess.report.fonts import check_rendering_setup  # noqa: E402
from assess.report.pdf import html_to_pdf  # noqa: E402
from assess.report.render import ReportOptions, report_html, result_attachment  # noqa: E402
from assess.report.templating import builtin_templates  # noqa: E402

T = TypeVar("T")


def median_time(action: Callable[[], T], runs: int) -> tuple[float, T]:
    times = []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        value = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def one_shot(seed: Path, lang: str, runs: int) -> tuple[float, float]:
    """Median wall time and max peak RSS (MB) of `assess report` in fresh processes."""
    times, peaks = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            out = Path(folder) / "r.pdf"
            cmd = [
                str(ROOT / ".venv/bin/python"),
                "-c",
                "import resource, sys\n"
                "from assess.cli.app import main\n"
                "sys.argv = ['assess', 'report', sys.argv[1], '-o', sys.argv[2], '--lang', sys.argv[3]]\n"
                "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n",
                str(seed),
                str(out),
                lang,
            ]
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, check=True)
            times.append(time.perf_counter() - start)
            peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lang", default="bilingual")
    parser.add_argument("--seeds", nargs="*", type=Path)
    args = parser.parse_args()
    seeds = args.seeds or response_files([ROOT / "seeds"])
    fonts = check_rendering_setup()
    allowed = [builtin_templates(), fonts.folder]
    options = ReportOptions(mode=args.lang)
    html_to_pdf("<p>warm-up 预热</p>", allowed_folders=allowed)  # import WeasyPrint, build the font config

    from pypdf import PdfReader

    print(f"lang={args.lang} runs={args.runs}")
    print("| firm | html ms | weasy s | oneshot s | pages | s/page (warm) | PDF KB | peak MB | own/weasy |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = []
    for seed in seeds:

        def build_html(seed: Path = seed) -> tuple[str, ScoreResult]:
            c = load_criteria()
            result = score(c, load_response(seed, c))
            return report_html(c, result, options, fonts), result

        t_html, (html, result) = median_time(build_html, args.runs)
        attachment = result_attachment(result)
        t_weasy, pdf = median_time(
            functools.partial(html_to_pdf, html, allowed_folders=allowed, attachments=[attachment]), args.runs
        )
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        t_shot, peak = one_shot(seed, args.lang, max(1, args.runs // 2 + 1))
        rows.append((t_html, t_weasy, t_shot, float(pages), len(pdf) / 1024, peak))
        print(
            f"| {seed.stem} | {t_html * 1000:.0f} | {t_weasy:.2f} | {t_shot:.2f} | {pages} | "
            f"{t_weasy / pages:.3f} | {len(pdf) / 1024:.0f} | {peak:.0f} | {t_html / t_weasy:.1%} |",
            flush=True,
        )
    med = [statistics.median(col) for col in zip(*rows, strict=True)]
    print(
        f"| **median** | {med[0] * 1000:.0f} | {med[1]:.2f} | {med[2]:.2f} | {med[3]:.0f} | "
        f"{med[1] / med[3]:.3f} | {med[4]:.0f} | {med[5]:.0f} | {med[0] / med[1]:.1%} |"
    )
    print(f"bench process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
