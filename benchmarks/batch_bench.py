"""Benchmark of `assess batch` on synthetic firms. Not a test: prints markdown tables.

    .venv/bin/python benchmarks/batch_bench.py            # full: 1,000 / 40 PDFs / 1,000 + 10,000 (~4 min)
    .venv/bin/python benchmarks/batch_bench.py --quick    # small sizes, one run each (~30 s)
    .venv/bin/python benchmarks/batch_bench.py --input-format csv --lang zh --workdir /tmp/bench

Measures, each time as the whole command in a fresh process (`assess batch INPUT -o NEWDIR ...`):
  scoring   --no-pdf on 1,000 firms: firms/s end to end, after start-up (the time of a 1-firm batch
            is taken off: (N - 1) / (t(N) - t(1))), and of the scoring pass alone (as `assess batch`
            reports it: reading, validating and scoring every input and writing results.jsonl, without
            start-up, item collection and the summary tables); the same with --jobs 1, and two
            --jobs 1 batches run at once: how much the second core adds with nothing shared, the
            ceiling for any batch's scaling on this machine;
  pdf       40 firms with --jobs 1 and --jobs 2: reports/s (firm reports / wall time, which includes
            start-up, scoring and cohort.pdf), the report phase alone (minus a --no-pdf run of the same
            firms), and the scaling from 1 to 2 jobs;
  memory    --no-pdf on 1,000 and 10,000 firms: the peak of the whole process tree (RSS and PSS summed
            over the batch process and its workers, sampled from /proc: RSS every 50 ms, PSS every
            200 ms) and, from `/usr/bin/time -v`, the max RSS of the largest single process;
  errors    a small batch with broken inputs (benchmarks/synthetic.py --broken) must list exactly one
            error per broken input in errors.csv and exit 1.
Inputs come from benchmarks/synthetic.py (same seed, same firms).  If `assess batch` is missing, the
script says so and measures `assess score` (and `assess report` per firm, 1 or 2 at a time) instead.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import write_folder, write_table  # noqa: E402

from assess.api import load_criteria  # noqa: E402

TARGET_SCORING = 2000.0  # firms/s, --no-pdf, 1,000 firms
TARGET_PDF = 1.2  # reports/s with 2 jobs
TARGET_SCALING = 1.9  # 1 -> 2 jobs
TARGET_MEMORY = 500.0  # MB at 10,000 firms, --no-pdf
GNU_TIME = Path("/usr/bin/time")
POLL_SECONDS = 0.05
PSS_EVERY = 4  # PSS every 0.2 s


def assess_command() -> list[str]:
    script = Path(sys.executable).parent / "assess"
    if script.exists():
        return [str(script)]
    return [str(ROOT / ".venv/bin/assess")]


def batch_available() -> bool:
    done = subprocess.run([*assess_command(), "batch", "--help"], capture_output=True, text=True)
    return done.returncode == 0 and "--no-pdf" in done.stdout


# --- the process tree's memory ------------------------------------------------------------------


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process (from /proc/<pid>/stat)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:  # noqa: PTH123
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    return parents


def _descendants(root: int) -> list[int]:
    parents = _parents()
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        found.extend(children)
        frontier.extend(children)
    return found


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _rss_kb(pid: int) -> int:
    """Resident set size in kB, from /proc/<pid>/statm (cheap: no page-table walk)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:  # noqa: PTH123
            return int(handle.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size in kB (pages shared by n processes count 1/n each); walks the page tables."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:  # noqa: PTH123
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return 0


class TreeSampler:
    """Samples the summed RSS of every descendant of `root` until stopped (PSS every `PSS_EVERY`-th time).

    Sampling costs CPU that the batch would otherwise use (the /proc scan about 1 ms, a PSS read about
    1 ms per 60 MB process), so it runs every POLL_SECONDS and reads the cheap RSS most of the time.
    """

    def __init__(self, root: int, include_root: bool) -> None:
        self.root = root
        self.include_root = include_root
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        if Path("/proc/self/statm").exists():
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = _descendants(self.root) + ([self.root] if self.include_root else [])
            self.peak_rss_kb = max(self.peak_rss_kb, sum(_rss_kb(pid) for pid in pids))
            if self.samples % PSS_EVERY == 0:
                self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(pid) for pid in pids))
            self.peak_processes = max(self.peak_processes, len(pids))
            self.samples += 1
            self._stop.wait(POLL_SECONDS)


# --- running commands ---------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    returncode: int
    stderr: str
    tree_rss_mb: float = 0.0
    tree_pss_mb: float = 0.0
    processes: int = 0
    max_rss_mb: float | None = None  # /usr/bin/time -v: the largest single process
    stdout: str = ""

    @property
    def scoring_pass(self) -> float | None:
        """Firms/s of the scoring pass alone, as `assess batch` reports it ("scored in 0.61 s (1,639/s)")."""
        found = re.search(r"scored in [\d.]+ s \(([\d,.]+)/s\)", self.stdout)
        return float(found.group(1).replace(",", "")) if found else None


def run(command: Sequence[str], measure_memory: bool = False) -> Run:
    """The command's wall time (and memory); the tree sampler watches what /usr/bin/time starts."""
    with tempfile.TemporaryDirectory() as scratch:
        time_file = Path(scratch) / "time.txt"
        err_file = Path(scratch) / "stderr.txt"
        out_file = Path(scratch) / "stdout.txt"
        prefix = [str(GNU_TIME), "-v", "-o", str(time_file)] if measure_memory and GNU_TIME.exists() else []
        with err_file.open("w", encoding="utf-8") as err, out_file.open("w", encoding="utf-8") as out:
            start = time.perf_counter()
            process = subprocess.Popen([*prefix, *command], stdout=out, stderr=err)
            if measure_memory:
                with TreeSampler(process.pid, include_root=not prefix) as sampler:
                    process.wait()
            else:
                process.wait()
            seconds = time.perf_counter() - start
        result = Run(
            seconds,
            process.returncode,
            err_file.read_text(encoding="utf-8", errors="replace"),
            stdout=out_file.read_text(encoding="utf-8", errors="replace"),
        )
        if measure_memory:
            result.tree_rss_mb = sampler.peak_rss_kb / 1024
            result.tree_pss_mb = sampler.peak_pss_kb / 1024
            result.processes = sampler.peak_processes
            if time_file.exists():
                found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_file.read_text())
                result.max_rss_mb = int(found.group(1)) / 1024 if found else None
    return result


def check(result: Run, what: str, expected_rc: int = 0) -> Run:
    if result.returncode != expected_rc:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        print(f"\n**{what} exited with {result.returncode}** (expected {expected_rc}):\n```\n{tail}\n```\n", flush=True)
    return result


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.criteria = load_criteria()
        self.batch = batch_available() and not args.fallback
        self.outdirs = 0

    # inputs

    def inputs(self, n: int, fmt: str | None = None, broken: int = 0) -> Path:
        """The synthetic input of n firms (generated once per size, format and breakage)."""
        fmt = fmt or self.args.input_format
        suffix = "" if fmt == "folder" else f".{fmt}"
        path = self.workdir / f"firms-{n}-seed{self.args.seed}-broken{broken}{suffix}"
        if path.exists():
            return path
        start = time.perf_counter()
        if fmt == "folder":
            temp = path.with_name(path.name + ".partial")
            shutil.rmtree(temp, ignore_errors=True)
            write_folder(self.criteria, n, temp, self.args.seed, broken)
            temp.rename(path)
        else:
            write_table(self.criteria, n, path, self.args.seed, broken, "xlsx" if fmt == "xlsx" else "csv")
        print(f"generated {n} firms ({fmt}) in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
        return path

    def outdir(self) -> Path:
        self.outdirs += 1
        return self.workdir / f"out-{self.outdirs}"  # always new: a batch skips reports that are up to date

    # commands

    def extra(self, pdf: bool) -> list[str]:
        extra = []
        if pdf and self.args.lang:
            extra += ["--lang", self.args.lang]
        return extra

    def batch_run(
        self, inputs: list[Path], pdf: bool, jobs: int | None, memory: bool = False, expected_rc: int = 0
    ) -> Run:
        command = [*assess_command(), "batch", *map(str, inputs), "-o", str(self.outdir())]
        command += ([] if pdf else ["--no-pdf"]) + ([] if jobs is None else ["--jobs", str(jobs)])
        return check(run(command + self.extra(pdf), memory), "assess batch", expected_rc)

    def side_by_side(self, inputs: Path, copies: int = 2) -> list[Run]:
        """`copies` one-job --no-pdf batches of the same inputs at once, in separate processes.

        What the machine's cores give together for this work, with no pool and nothing shared: on a
        machine whose cores slow each other down, no batch can scale further than this.
        """
        commands = [
            [*assess_command(), "batch", str(inputs), "-o", str(self.outdir()), "--no-pdf", "--jobs", "1"]
            for _ in range(copies)
        ]
        with concurrent.futures.ThreadPoolExecutor(max_workers=copies) as pool:
            return [check(result, "assess batch") for result in pool.map(run, commands)]

    def score_run(self, inputs: Path, memory: bool = False) -> Run:
        """Fallback: `assess score --format json` on the folder (no batch command)."""
        return check(run([*assess_command(), "score", str(inputs), "--format", "json"], memory), "assess score")

    def reports_run(self, inputs: Path, jobs: int) -> Run:
        """Fallback: `assess report` per firm, `jobs` at a time, as separate processes."""
        files = sorted(inputs.glob("*.yaml"))
        out = self.outdir()
        out.mkdir(parents=True)
        lang = ["--lang", self.args.lang] if self.args.lang else []

        def one(path: Path) -> int:
            command = [*assess_command(), "report", str(path), "-o", str(out / f"{path.stem}.pdf"), *lang]
            return subprocess.run(command, capture_output=True).returncode

        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            codes = list(pool.map(one, files))
        return Run(time.perf_counter() - start, max(codes, default=0), "")

    def median(self, action: Callable[[], Run], runs: int) -> Run:
        """The run of median wall time among `runs`."""
        ordered = sorted((action() for _ in range(max(1, runs))), key=lambda r: r.seconds)
        return ordered[len(ordered) // 2]

    def reports_in(self, outdir_number: int) -> int:
        return len(list((self.workdir / f"out-{outdir_number}").rglob("*.pdf")))


def load_average() -> str:
    """The 1-minute load average: other work on the machine slows every number here."""
    try:
        return Path("/proc/loadavg").read_text(encoding="ascii").split()[0]
    except OSError:
        return "?"


def fmt_rate(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} {unit}" if value < 10 else f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else "met" if ok else "**not met**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--runs", type=int, default=None, help="runs per scoring measurement (median); default 3")
    parser.add_argument("--pdf-runs", type=int, default=1, help="runs per PDF measurement (median)")
    parser.add_argument("--score-n", type=int, default=None, help="firms for scoring-only throughput (1000)")
    parser.add_argument(
        "--pdf-n",
        type=int,
        default=None,
        help="firms for PDF throughput (40; N firms make N + 1 tasks, see docs/performance.md)",
    )
    parser.add_argument("--mem-n", type=int, nargs="+", default=None, help="firms for peak memory (1000 10000)")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs of the scoring and memory runs (batch default)")
    parser.add_argument("--input-format", choices=("folder", "csv", "xlsx"), default="folder")
    parser.add_argument("--lang", choices=("zh", "en", "bilingual"), default=None, help="report language")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fallback", action="store_true", help="measure score/report even if batch exists")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--workdir", type=Path, default=None, help="keep inputs and outputs here (reused)")
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 3)
    score_n = args.score_n or (200 if args.quick else 1000)
    pdf_n = args.pdf_n or (4 if args.quick else 40)
    mem_ns = args.mem_n or ([200, 1000] if args.quick else [1000, 10000])

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        for old in args.workdir.glob("out-*"):
            shutil.rmtree(old)
        workdir_context: tempfile.TemporaryDirectory[str] | None = None
        workdir = args.workdir
    else:
        workdir_context = tempfile.TemporaryDirectory(prefix="batch-bench-")
        workdir = Path(workdir_context.name)
    bench = Bench(args, workdir)
    if not bench.batch and args.input_format != "folder":
        args.input_format = "folder"  # `assess score` reads response files, not tables

    print(
        f"# assess batch benchmark — {dt.date.today().isoformat()}\n\n"
        f"{os.cpu_count()} cores, Python {platform.python_version()}, input {args.input_format}, "
        f"seed {args.seed}, lang {args.lang or 'default (bilingual)'}, "
        f"scoring/memory jobs {args.jobs if args.jobs is not None else 'default (one per core)'}, "
        f"runs {runs} (PDF {args.pdf_runs}){', quick' if args.quick else ''}; "
        f"load average {load_average()} at the start\n"
    )
    if not bench.batch:
        print(
            "**`assess batch` is not available: measuring `assess score --format json` for scoring and memory, "
            "and `assess report` once per firm (1 or 2 processes at a time) for PDFs.**\n"
        )
    rows: list[tuple[str, str, str, str, str]] = []  # measurement, firms, jobs, wall, result
    targets: list[tuple[str, str, bool | None]] = []
    default_jobs = str(args.jobs) if args.jobs is not None else "default"

    # scoring-only throughput
    def scoring(n: int, jobs: int | None = args.jobs) -> Run:
        path = bench.inputs(n)
        if bench.batch:
            return bench.median(lambda: bench.batch_run([path], pdf=False, jobs=jobs), runs)
        return bench.median(lambda: bench.score_run(path), runs)

    small, big = scoring(1), scoring(score_n)
    end_to_end = score_n / big.seconds
    steady = (score_n - 1) / (big.seconds - small.seconds) if big.seconds > small.seconds else None
    what = "scoring only (--no-pdf)" if bench.batch else "`assess score --format json`"
    rows.append((f"start-up: {what}", "1", default_jobs, f"{small.seconds:.2f} s", ""))
    rows.append(
        (
            what,
            f"{score_n:,}",
            default_jobs,
            f"{big.seconds:.2f} s",
            f"{fmt_rate(end_to_end, 'firms/s')} end to end; {fmt_rate(steady, 'firms/s')} after start-up; "
            f"scoring pass alone {fmt_rate(big.scoring_pass, 'firms/s')}",
        )
    )
    if bench.batch and args.jobs != 1:
        single = scoring(score_n, 1)
        rows.append(
            (
                "scoring only (--no-pdf)",
                f"{score_n:,}",
                "1",
                f"{single.seconds:.2f} s",
                f"{fmt_rate(score_n / single.seconds, 'firms/s')} end to end; "
                f"{fmt_rate((score_n - 1) / max(1e-9, single.seconds - small.seconds), 'firms/s')} after start-up; "
                f"scoring pass alone {fmt_rate(single.scoring_pass, 'firms/s')}",
            )
        )
        pair = bench.side_by_side(bench.inputs(score_n))
        passes = [r.scoring_pass for r in pair]
        if single.scoring_pass and all(passes):
            together = sum(p for p in passes if p) / single.scoring_pass
            rows.append(
                (
                    "two one-job batches at once (the cores' own scaling)",
                    f"2 × {score_n:,}",
                    "1 + 1",
                    f"{max(r.seconds for r in pair):.2f} s",
                    f"scoring passes {' and '.join(fmt_rate(p, 'firms/s') for p in passes)}: "
                    f"together {together:.2f}× one alone",
                )
            )
    targets.append(
        (
            f"scoring only > {TARGET_SCORING:,.0f} firms/s ({score_n:,} firms), whole command after start-up",
            f"{fmt_rate(steady, 'firms/s')} after start-up ({fmt_rate(end_to_end, 'firms/s')} end to end)",
            None if steady is None else steady > TARGET_SCORING,
        )
    )
    targets.append(
        (
            f"scoring only > {TARGET_SCORING:,.0f} firms/s ({score_n:,} firms), the scoring pass",
            f"{fmt_rate(big.scoring_pass, 'firms/s')} (as `assess batch` reports it)",
            None if big.scoring_pass is None else big.scoring_pass > TARGET_SCORING,
        )
    )

    # PDF throughput and scaling
    if not args.skip_pdf:
        path = bench.inputs(pdf_n)
        bases = {jobs: bench.batch_run([path], pdf=False, jobs=jobs) if bench.batch else None for jobs in (1, 2)}
        pdf_runs: dict[int, list[Run]] = {1: [], 2: []}
        written: dict[int, int] = {}
        # 1 and 2 jobs alternate, and the scaling is the median of each pair's ratio: a machine that slows
        # down part-way (a noisy neighbour) then slows both sides of a pair instead of only one job count.
        for _ in range(max(1, args.pdf_runs)):
            for jobs in (1, 2):
                if bench.batch:
                    pdf_runs[jobs].append(bench.batch_run([path], True, jobs))
                    written[jobs] = bench.reports_in(bench.outdirs) - 1  # cohort.pdf is not a firm report
                else:
                    pdf_runs[jobs].append(bench.reports_run(path, jobs))
                    written[jobs] = bench.reports_in(bench.outdirs)
        pdf_rates: dict[int, Run] = {}
        for jobs in (1, 2):
            result = sorted(pdf_runs[jobs], key=lambda r: r.seconds)[len(pdf_runs[jobs]) // 2]
            pdf_rates[jobs] = result
            base = bases[jobs]
            phase = f"; report phase {fmt_rate(pdf_n / (result.seconds - base.seconds), 'reports/s')}" if base else ""
            made = written[jobs]
            note = "" if made == pdf_n else f" (**{made} of {pdf_n} reports written in the last run**)"
            rows.append(
                (
                    "PDF reports" + ("" if bench.batch else " (`assess report` per firm)"),
                    str(pdf_n),
                    str(jobs),
                    f"{result.seconds:.1f} s",
                    f"{fmt_rate(pdf_n / result.seconds, 'reports/s')} end to end{phase}{note}",
                )
            )
        rate2 = pdf_n / pdf_rates[2].seconds
        ratios = sorted(one.seconds / two.seconds for one, two in zip(pdf_runs[1], pdf_runs[2], strict=True))
        scaling = statistics.median(ratios)
        spread = f" (median of {len(ratios)} pairs: {ratios[0]:.2f}–{ratios[-1]:.2f}×)" if len(ratios) > 1 else ""
        rows.append(("PDF scaling 1 → 2 jobs", str(pdf_n), "1 → 2", "", f"{scaling:.2f}×{spread}"))
        targets.append((f"PDF ≥ {TARGET_PDF} reports/s with 2 jobs", fmt_rate(rate2, "reports/s"), rate2 >= TARGET_PDF))
        targets.append((f"scaling ≥ {TARGET_SCALING}× from 1 to 2 jobs", f"{scaling:.2f}×", scaling >= TARGET_SCALING))

    # peak memory
    if not args.skip_memory:
        if not GNU_TIME.exists():
            print("(`/usr/bin/time` not found: peak memory comes from /proc sampling only)\n")
        for n in mem_ns:
            path = bench.inputs(n)
            if bench.batch:
                result = bench.batch_run([path], pdf=False, jobs=args.jobs, memory=True)
            else:
                result = bench.score_run(path, memory=True)
            largest = "" if result.max_rss_mb is None else f"; largest process {result.max_rss_mb:.0f} MB (time -v)"
            rows.append(
                (
                    f"peak memory: {what}",
                    f"{n:,}",
                    default_jobs,
                    f"{result.seconds:.1f} s",
                    f"tree {result.tree_rss_mb:.0f} MB RSS / {result.tree_pss_mb:.0f} MB PSS "
                    f"({result.processes} process{'es' if result.processes != 1 else ''}){largest}",
                )
            )
            if n == max(mem_ns):
                targets.append(
                    (
                        f"peak memory < {TARGET_MEMORY:.0f} MB at {n:,} firms (tree RSS)",
                        f"{result.tree_rss_mb:.0f} MB (PSS {result.tree_pss_mb:.0f} MB)",
                        result.tree_rss_mb < TARGET_MEMORY,
                    )
                )

    # errors: exactly one per broken input
    if bench.batch:
        inputs = [bench.inputs(40, "folder", broken=3), bench.inputs(40, "csv", broken=4)]
        out_number = bench.outdirs + 1
        result = bench.batch_run(inputs, pdf=False, jobs=args.jobs, expected_rc=1)  # some inputs fail
        errors_file = bench.workdir / f"out-{out_number}" / "errors.csv"
        with errors_file.open(encoding="utf-8-sig", newline="") as handle:
            listed = len(list(csv.reader(handle))) - 1
        errors_ok = listed == 7 and result.returncode == 1
        rows.append(
            (
                "errors (3 broken files + 4 broken rows)",
                "80",
                default_jobs,
                f"{result.seconds:.2f} s",
                f"errors.csv lists {listed}, exit code {result.returncode}: {'OK' if errors_ok else '**WRONG**'}",
            )
        )

    print("| measurement | firms | jobs | wall | result |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\n| target | result | verdict |")
    print("|---|---|---|")
    for target, result_text, ok in targets:
        print(f"| {target} | {result_text} | {verdict(ok)} |")
    print(f"\nLoad average {load_average()} at the end (this benchmark included).")
    print(
        "\nWall times are whole commands in fresh processes (imports, criteria, outputs included). "
        "Tree memory sums every process of the batch (RSS counts pages shared by forked workers once per "
        "process; PSS divides them); `time -v` gives the largest single process."
    )
    if workdir_context is not None:
        workdir_context.cleanup()


if __name__ == "__main__":
    main()
