"""Where a batch worker's time per firm goes: each stage of scoring one response file, in one process.

    .venv/bin/python benchmarks/stages_bench.py                 # 3 x 1,000 synthetic firms (~15 s)
    .venv/bin/python benchmarks/stages_bench.py --n 2000

Not a test: prints a markdown table. The stages are those a batch worker runs for a YAML response
file (`assess.batch.worker`): read the file, YAML to data, the response model, validation against
the criteria set, scoring, the result as JSON (a line of results.jsonl) and the summary row. The
garbage collector is set as during a batch pass. Three columns, each over N firms:

  cold    the first N firms, starting with empty memo tables (the start of a worker);
  fresh   N other firms after those: shared answers are remembered, but every firm is new (the
          steady state of a long batch: numbers and notes rarely repeat between firms);
  repeat  the same N firms again: everything a firm gives has been seen (a lower bound only).

Wall times on shared machines move by 10-25%: compare stages within one run, not across days.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import write_folder  # noqa: E402

from assess.batch.rows import firm_row  # noqa: E402
from assess.batch.run import default_criteria_dir  # noqa: E402
from assess.batch.worker import result_json  # noqa: E402
from assess.models.response import Response  # noqa: E402
from assess.readers.criteria_files import load_criteria  # noqa: E402
from assess.readers.safe_yaml import load_data  # noqa: E402
from assess.readers.text_file import read_text  # noqa: E402
from assess.scoring.engine import score  # noqa: E402
from assess.validation import validate_response  # noqa: E402

STAGES = ("read", "yaml", "model", "validate", "score", "json", "row")


def _no_location(where: Sequence[str | int]) -> str:
    return ""


def one_round(paths: list[Path], criteria: Any) -> dict[str, float]:
    """Seconds spent in each stage over all files."""
    spent = dict.fromkeys(STAGES, 0.0)
    clock: Callable[[], float] = time.perf_counter
    for path in paths:
        t0 = clock()
        text = read_text(path, path.name)
        t1 = clock()
        data, _ = load_data(text, path.name)
        t2 = clock()
        response = Response.model_validate(data)
        t3 = clock()
        validated = validate_response(criteria, response, _no_location, source=path.name)
        t4 = clock()
        result = score(criteria, validated)
        t5 = clock()
        result_json(result)
        t6 = clock()
        firm_row(0, path.name, result)
        t7 = clock()
        marks = (t0, t1, t2, t3, t4, t5, t6, t7)
        for stage, start, end in zip(STAGES, marks[:-1], marks[1:], strict=True):
            spent[stage] += end - start
    return spent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Per-stage cost of scoring a response file, in one process.")
    parser.add_argument("--n", type=int, default=1000, help="synthetic firms per column (default 1,000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    criteria = load_criteria(default_criteria_dir())
    with tempfile.TemporaryDirectory(prefix="assess-stages-") as folder:
        paths = write_folder(criteria, 2 * args.n, Path(folder), seed=args.seed)
        gc.freeze()  # as a batch pass does (assess.batch.pool.pool_friendly_gc)
        gc.set_threshold(2_000, *gc.get_threshold()[1:])
        first, other = paths[: args.n], paths[args.n :]
        columns = {"cold": one_round(first, criteria), "fresh": one_round(other, criteria)}
        columns["repeat"] = one_round(other, criteria)

    def ms(spent: dict[str, float], stage: str | None = None) -> float:
        total = spent[stage] if stage else sum(spent.values())
        return 1000 * total / int(args.n)

    fresh = columns["fresh"]
    print(f"{args.n:,} synthetic firms (YAML) per column; ms per firm\n")
    print("| stage | cold | fresh | repeat | share (fresh) |")
    print("|---|---|---|---|---|")
    for stage in STAGES:
        cells = " | ".join(f"{ms(spent, stage):.3f}" for spent in columns.values())
        print(f"| {stage} | {cells} | {100 * fresh[stage] / sum(fresh.values()):.0f} % |")
    print("| **all** | " + " | ".join(f"**{ms(spent):.3f}**" for spent in columns.values()) + " | |")
    print(f"\nOne core, fresh firms: {1000 / ms(fresh):,.0f} firms/s before hand-over and output costs.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
