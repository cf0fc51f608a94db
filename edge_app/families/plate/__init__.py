"""The plate family: licence plates found in whole photos (or given as crops) and read with CTC.

capture -> :mod:`.finder` (plate-like regions) -> rectify (:mod:`edge_app.geometry`)
-> :mod:`.preprocess` (64x128) -> model -> CTC decode (:mod:`edge_app.ctc`) -> :mod:`.reader`.
"""

from __future__ import annotations

from ..base import Family, Option, ReadFn
from .spec import SPEC


def build(task: str, models_dir=None, num_threads: int | None = None, model_name: str | None = None,
          crop: bool = False, pattern: str | None = None) -> ReadFn:
    """Read whole photos (find, then read every plate), or tight crops with ``crop``."""
    from .reader import PlateReader

    reader = PlateReader(models_dir, num_threads, pattern, model_name=model_name or SPEC.model)
    return reader.read_crop if crop else reader.read_photo


FAMILY = Family(
    name="plate",
    spec=SPEC,
    tasks={"plate": "find and read licence plates in photos"},
    build=build,
    options=(
        Option(("--crop",), {"action": "store_true", "help": "the images are plate crops (skip finding)"}),
        Option(("--pattern",), {"metavar": "FORMAT", "help": "the text must match this format: br, fr, uk, digits5, "
                                "or a regex such as '[A-Z]{3}[0-9]{4}'"}),
    ),
)
