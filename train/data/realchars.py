"""The photographed handwritten characters (``labels.csv`` + PNGs) and their fixed split.

Per class, files are taken in name order: the first 16 train, the next 4 validate, and the
last 20 are never trained on; ``edgeocr bench char`` reports on those.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from edge_app.errors import EdgeOCRError

SPLITS = {"train": (0, 16), "val": (16, 20), "test": (20, 40)}


def list_real_chars(folder: str | Path, split: str) -> list[tuple[Path, str]]:
    """Return [(path, label)] for one split of the folder (``train``, ``val``, ``test`` or ``all``)."""
    folder = Path(folder)
    labels = folder / "labels.csv"
    if not labels.is_file():
        raise EdgeOCRError(f"{labels} not found (pass the handwritten-chars folder)")
    by_class: dict[str, list[Path]] = defaultdict(list)
    with open(labels, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_class[row["label"]].append(folder / row["file"])
    out: list[tuple[Path, str]] = []
    for label in sorted(by_class):
        files = sorted(by_class[label])
        lo, hi = (0, len(files)) if split == "all" else SPLITS[split]
        out.extend((p, label) for p in files[lo:hi])
    return out
