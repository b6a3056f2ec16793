"""The process pool a batch runs its passes in: forked workers, results in input order, collection tuned for it."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

_GC_YOUNG_LIMIT = 2_000  # allocations between collections of the youngest generation (Python's default: 700)
Progress = Callable[[str, int, int], None]  # (phase, done, total)
T = TypeVar("T")
R = TypeVar("R")


def jobs_for(requested: int) -> int:
    return requested if requested > 0 else max(1, os.cpu_count() or 1)


def parallel(
    function: Callable[[T], R],
    tasks: list[T],
    jobs: int,
    progress: Progress | None,
    phase: str,
    chunksize: int | None = None,
) -> Iterator[R]:
    """`function` over `tasks` in order, in a process pool when jobs > 1, reporting progress.

    Tasks go to workers `chunksize` at a time (by default about eight batches per worker).
    """
    total = len(tasks)
    if jobs <= 1 or total <= 1:
        results: Iterable[R] = map(function, tasks)
        executor = None
    else:
        executor = ProcessPoolExecutor(max_workers=min(jobs, total))
        chunk = chunksize or max(1, min(64, total // (jobs * 8) or 1))
        results = executor.map(function, tasks, chunksize=chunk)
    try:
        for done, result in enumerate(results, start=1):
            if progress:
                progress(phase, done, total)
            yield result
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)


@contextmanager
def pool_friendly_gc() -> Iterator[None]:
    """Garbage collection tuned for a pass over many firms in forked workers.

    Long-lived objects (imports, the criteria set) move to a permanent generation while the pool
    lives: the workers' collections stop walking them, and the pages they share stay shared.
    Scoring and rendering make many short-lived objects and keep a growing few (the memo tables):
    at Python's default threshold the collector ran every couple of firms and often walked the
    whole heap, 15% of a scoring worker's time and a few percent of a renderer's.
    """
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(_GC_YOUNG_LIMIT, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
