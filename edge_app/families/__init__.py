"""The model families, as plug-ins: one folder each, listed here once.

Everything that offers a choice of task (the CLI, the web service, the model store's self-test,
the demo, the benches) asks this registry, so adding a family means adding its folder here and
under ``train/``. A family folder holds:

    __init__.py     FAMILY: name, tasks, build(task, ...) -> read function, read options
    spec.py         input size, normalisation, output stride, alphabet (training imports it)
    preprocess.py   an image -> the model's input (training builds its samples with it)
    segment.py      where the text is: characters, plates, lines (finder.py for plates)
    reader.py       the reader class: segment -> model -> decode -> Result
    samples/        demo images named TASK_*.png|jpg, and selftest.json for the model store
"""

from __future__ import annotations

from ..errors import EdgeOCRError
from .base import Family, ReadFn
from .char import FAMILY as CHAR
from .handwriting import FAMILY as HANDWRITING
from .page import FAMILY as PAGE
from .plate import FAMILY as PLATE
from .platedet import FAMILY as PLATEDET

FAMILIES: dict[str, Family] = {f.name: f for f in (CHAR, PLATE, HANDWRITING, PAGE, PLATEDET)}
TASKS: dict[str, Family] = {task: f for f in FAMILIES.values() for task in f.tasks}


def family_of(task: str) -> Family:
    """The family that reads ``task``; an unknown task is an :class:`EdgeOCRError` naming the known ones."""
    if task not in TASKS:
        raise EdgeOCRError(f"unknown task '{task}' (choose from {', '.join(TASKS)})")
    return TASKS[task]


def make_reader(task: str, models_dir=None, num_threads: int | None = None, model_name: str | None = None,
                **options) -> ReadFn:
    """The read function for ``task``; ``options`` are the family's own (see each ``FAMILY.options``)."""
    return family_of(task).build(task, models_dir, num_threads, model_name, **options)


__all__ = ["FAMILIES", "TASKS", "Family", "ReadFn", "family_of", "make_reader"]
