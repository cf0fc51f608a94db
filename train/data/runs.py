"""Drawing data sets: chunks spread over worker processes (with a progress bar on a terminal), and the
result cached as shards in a cache every run shares, under a key made of everything that shapes the data."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

# Bump when a generator's code changes what it draws for the same parameters: every cache key changes.
DATA_VERSION = 2
KEY_CHARS = 12  # hex digits of the key in a cache file's name


def progress(items: Iterable, total: int, desc: str, sizes: list[int] | None = None) -> Iterator:
    """Yield ``items`` while a tqdm bar on stderr counts them (or ``sizes[i]`` units for item ``i``);
    no bar when stderr is not a terminal, or without tqdm."""
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm comes with the [train] extra's dependencies
        yield from items
        return
    units = sizes or [1] * total
    with tqdm(total=sum(units), desc=desc, unit=" samples" if sizes else " jobs", file=sys.stderr,
              disable=not sys.stderr.isatty(), leave=False, dynamic_ncols=True) as bar:
        for i, item in enumerate(items):
            bar.update(units[i])
            yield item


def parallel_map(fn: Callable, jobs: list, workers: int, desc: str = "drawing", sizes: list[int] | None = None
                 ) -> list:
    """``[fn(job) for job in jobs]``, over ``workers`` forked processes when that helps; same order.

    ``sizes``: samples per job, for the progress bar (shown on a terminal only).
    """
    if workers > 1 and len(jobs) > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return list(progress(pool.imap(fn, jobs), len(jobs), desc, sizes))
    return list(progress((fn(j) for j in jobs), len(jobs), desc, sizes))


def fingerprint(path: str | os.PathLike) -> dict[str, Any]:
    """What a file or folder on disk is, cheaply: its resolved path, and the number, total size and
    newest modification time (ns) of the files in it (recursively); a missing path says so."""
    p = Path(path).resolve()
    if p.is_file():
        files = [p]
    elif p.is_dir():
        files = [f for f in p.rglob("*") if f.is_file()]
    else:
        return {"path": str(p), "missing": True}
    stats = [f.stat() for f in files]
    return {"path": str(p), "files": len(stats), "bytes": sum(s.st_size for s in stats),
            "mtime_ns": max((s.st_mtime_ns for s in stats), default=0)}


def _canonical(value: Any) -> Any:
    """``value`` as JSON: paths fingerprinted, tuples as lists, numpy scalars as Python numbers."""
    if isinstance(value, os.PathLike):
        return fingerprint(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cache key part {value!r} is not a path, number, string or list")


def cache_key(**parts: Any) -> str:
    """A hex digest of everything that shapes a data set: generator parameters, sources, code version.

    Values are numbers, strings, None, lists and dicts of them, or paths; a path (``os.PathLike``,
    not ``str``) stands for its :func:`fingerprint`, so another folder, or the same folder with
    files added, removed or changed, gives another key. :data:`DATA_VERSION` is always part of it.
    """
    canon = json.dumps(_canonical({**parts, "data_version": DATA_VERSION}), sort_keys=True)
    return hashlib.sha256(canon.encode()).hexdigest()


CACHE_ENV = "EDGEOCR_DATA_CACHE"
SHARD_SAMPLES = 8192  # samples per shard file


def cache_root(cache: str | os.PathLike | None = None) -> Path:
    """The data cache every run shares: ``cache`` (``--cache DIR``), else ``$EDGEOCR_DATA_CACHE``, else
    ``~/.cache/edgeocr/data``. Entries are keyed by content, so runs, seeds and folders never mix."""
    if cache:
        return Path(cache)
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path.home() / ".cache" / "edgeocr" / "data"


def cache_path(folder: str | os.PathLike, name: str, key: str) -> Path:
    """Where :func:`cached` keeps ``name``'s shards for ``key``: the folder ``FOLDER/NAME-<key12>/``."""
    return Path(folder) / f"{name}-{key[:KEY_CHARS]}"


def _write_shards(path: Path, arrays: dict[str, np.ndarray], parts: dict[str, Any]) -> None:
    """``arrays`` as ``NAME-0000.npy``, ... of :data:`SHARD_SAMPLES` rows each plus ``meta.json``, written
    into a temporary folder renamed to ``path`` (an interrupted write leaves no half entry)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.mkdir(exist_ok=True)
    count = len(next(iter(arrays.values()))) if arrays else 0
    shards = max(1, -(-count // SHARD_SAMPLES))
    for name, values in arrays.items():
        for i in range(shards):
            np.save(tmp / f"{name}-{i:04d}.npy", values[i * SHARD_SAMPLES : (i + 1) * SHARD_SAMPLES])
    meta = {"count": count, "shards": shards, "arrays": sorted(arrays), "key_parts": _canonical(parts)}
    (tmp / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    try:
        tmp.replace(path)
    except OSError:  # another run wrote the same entry first: same key, same data
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()


def _read_shards(path: Path) -> dict[str, np.ndarray]:
    meta = json.loads((path / "meta.json").read_text())
    return {name: np.concatenate([np.load(path / f"{name}-{i:04d}.npy") for i in range(meta["shards"])])
            for name in meta["arrays"]}


def cached(folder: str | os.PathLike, name: str, parts: dict[str, Any], make: Callable[[], dict[str, np.ndarray]],
           what: str) -> dict[str, np.ndarray]:
    """The arrays cached in ``folder`` for ``name`` and ``cache_key(**parts)``, or ``make()``'s, saved
    there first as shards (see :func:`_write_shards`); other parts give another entry, never stale data."""
    path = cache_path(folder, name, cache_key(**parts))
    if (path / "meta.json").is_file():
        print(f"  {what}: from the cache {path}", file=sys.stderr, flush=True)
        return _read_shards(path)
    t = time.perf_counter()
    arrays = make()
    print(f"  {what} in {time.perf_counter() - t:.0f} s, cached in {path}", file=sys.stderr, flush=True)
    _write_shards(path, arrays, parts)
    return arrays
