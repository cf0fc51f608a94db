"""The plate detector family's reader: every licence plate's box in a photo, by the learned detector.

    detector = PlateDetector()
    for box, score in detector.detect(frame):   # [x, y, w, h] in the frame's pixels, best first
        ...

:class:`edge_app.families.plate.reader.PlateReader` uses it to find plates before reading them; the
``plate-boxes`` task gives the boxes alone (text: one ``x y w h`` line per plate).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...results import Item, Result
from ..base import Found, ModelReader
from .decode import THRESHOLD, decode_boxes
from .preprocess import Letterbox, letterbox
from .spec import SPEC


class PlateDetector(ModelReader):
    """Finds plates with the ``plate_detector`` model; ``threshold`` is the heat a box needs."""

    spec = SPEC
    find_stage = "preprocess"

    def __init__(self, models_dir: str | Path | None = None, num_threads: int | None = None,
                 threshold: float = THRESHOLD, model_name: str | None = None):
        super().__init__(models_dir, num_threads, model_name)
        self.threshold = threshold

    def find(self, image: np.ndarray) -> Found:
        """The letterboxed photo: one input, and where the photo sits in it."""
        x, box = letterbox(image)
        return Found((box, image.shape[:2]), [x])

    def boxes(self, found: Found, scores: np.ndarray, threshold: float | None = None) -> list[tuple[list[int], float]]:
        """Boxes in the photo's pixels (clipped to it) with their scores, best first; ``threshold``
        overrides the detector's (a low one gives the whole ranking, for average precision)."""
        fit: Letterbox = found.regions[0]
        h, w = found.regions[1]
        boxes, conf = decode_boxes(scores[0], self.threshold if threshold is None else threshold)
        out = []
        for (x, y, bw, bh), c in zip(fit.to_photo(boxes), conf):
            x0, y0 = max(0, int(round(x))), max(0, int(round(y)))
            x1, y1 = min(w, int(round(x + bw))), min(h, int(round(y + bh)))
            if x1 - x0 >= 2 and y1 - y0 >= 2:
                out.append(([x0, y0, x1 - x0, y1 - y0], round(float(c), 4)))
        return out

    def decode(self, found: Found, scores: np.ndarray, **options) -> Result:
        """Every box as an item (no text); the result's text lists them, one ``x y w h`` line each."""
        items = [Item("", c, box) for box, c in self.boxes(found, scores)]
        return Result("", "\n".join(" ".join(str(v) for v in it.box) for it in items),
                      min((it.confidence for it in items), default=0.0), items)

    def detect(self, image: np.ndarray, threshold: float | None = None) -> list[tuple[list[int], float]]:
        """The plates' boxes in ``image`` (checked frame) with their scores, best first."""
        found = self.find(image)
        return self.boxes(found, self.infer(found.inputs), threshold)
