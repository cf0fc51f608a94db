"""The plate detector family: where the licence plates are in a photo, by a learned heatmap + box head.

capture -> :mod:`.preprocess` (512x512 letterbox) -> model (heat, offset, size per 4x4 cell)
-> :mod:`.decode` (peaks -> boxes, NumPy) -> :mod:`.reader`. The plate family reads what it finds.
"""

from __future__ import annotations

from ..base import Family, ReadFn
from .spec import SPEC


def build(task: str, models_dir=None, num_threads: int | None = None, model_name: str | None = None) -> ReadFn:
    """``plate-boxes``: every plate's box, no reading."""
    from .reader import PlateDetector

    return PlateDetector(models_dir, num_threads, model_name=model_name or SPEC.model).read


FAMILY = Family(
    name="platedet",
    spec=SPEC,
    tasks={"plate-boxes": "find licence plates in photos: their boxes only"},
    build=build,
)
