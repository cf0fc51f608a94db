"""Drawing data sets: chunks spread over worker processes, and the result cached in the run folder."""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np


def parallel_map(fn: Callable, jobs: list, workers: int) -> list:
    """``[fn(job) for job in jobs]``, over ``workers`` forked processes when that helps; same order."""
    if workers > 1 and len(jobs) > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(fn, jobs)
    return [fn(j) for j in jobs]


def cached(path: Path, make: Callable[[], dict[str, np.ndarray]], what: str) -> dict[str, np.ndarray]:
    """The arrays saved at ``path``, or ``make()``'s, saved there first (a temporary file, then a rename)."""
    if path.is_file():
        with np.load(path) as z:
            return {k: z[k] for k in z.files}
    t = time.perf_counter()
    arrays = make()
    print(f"  {what} in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(path)
    return arrays
