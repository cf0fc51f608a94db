"""Deprecated: the tasks moved to :mod:`edge_app.families` and the result types to :mod:`edge_app.results`.

Kept so that scripts written for 0.1 keep running; it warns once on import.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .families import TASKS as _TASKS
from .families import make_reader
from .families.char.reader import CharReader
from .results import Item, Result, Timer

warnings.warn("edge_app.pipeline is deprecated: use edge_app.families (make_reader, TASKS) and edge_app.results",
              DeprecationWarning, stacklevel=2)

Task = Callable[[np.ndarray, str], Result]
TASKS = tuple(_TASKS)


def make_task(task: str, models_dir: str | Path | None = None, num_threads: int | None = None,
              allowed: str | None = None, crop: bool = False, pattern: str | None = None,
              decoder: str = "lexicon", lexicon: str | Path | None = None, dehyphenate: bool = False,
              model_name: str | None = None) -> Task:
    """Deprecated: :func:`edge_app.families.make_reader` with the task's own options."""
    options = {"plate": {"crop": crop, "pattern": pattern}, "handwriting": {"decoder": decoder, "lexicon": lexicon},
               "page": {"dehyphenate": dehyphenate}}.get(task, {})
    if task in ("char", "chars") and allowed is not None:
        reader = CharReader(models_dir, num_threads, allowed, model_name=model_name)
        return reader.read_char if task == "char" else reader.read_chars
    return make_reader(task, models_dir, num_threads, model_name, **options)


__all__ = ["TASKS", "CharReader", "Item", "Result", "Task", "Timer", "make_task"]
