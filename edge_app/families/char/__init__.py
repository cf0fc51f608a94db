"""The char family: handwritten characters, 62 classes (0-9 A-Z a-z), one per image or a segmented line.

capture -> :mod:`.segment` (character boxes in reading order) -> :mod:`.preprocess` (28x28 cell)
-> model -> top-k (:mod:`edge_app.decode`) -> :mod:`.reader`.
"""

from __future__ import annotations

from ..base import Family, ReadFn
from .spec import SPEC


def build(task: str, models_dir=None, num_threads: int | None = None, model_name: str | None = None) -> ReadFn:
    """``char``: the whole image is one character; ``chars``: segment and read several."""
    from .reader import CharReader

    reader = CharReader(models_dir, num_threads, model_name=model_name)
    return reader.read_char if task == "char" else reader.read_chars


FAMILY = Family(
    name="char",
    spec=SPEC,
    tasks={"char": "each image is one character", "chars": "segment and read several characters"},
    build=build,
)
