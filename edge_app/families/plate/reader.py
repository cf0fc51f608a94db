"""The plate family's reader: find plates in a photo (or take a tight crop), read each with the CTC model.

    reader = PlateReader()
    reader.read_photo(frame)     # whole photo: one item and box per plate
    reader.read_crop(crop)       # a crop that is already just the plate (``--crop``)

A candidate from the finder counts as a plate only when the reader finds a plausible text in it
(3-10 characters with at least one digit, confident enough; with ``pattern``, matching it), so a
photo with no plate, or only shop signs, gives an empty result rather than a guess. A plate-like
region narrower than ``MIN_READABLE_WIDTH`` whose characters the reader can see but not trust is
reported with ``unreadable: true`` and its box.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ...ctc import Decoded, beam_shares, compile_pattern, constrained, greedy
from ...geometry import rectify
from ...images import check_frame
from ...results import Item, Result, Timer
from ..base import Found, ModelReader
from .finder import find_plates
from .preprocess import plate_input
from .spec import SPEC

ACCEPT = 0.5  # whole-text confidence a photo's candidate needs to count as a read plate
MIN_READABLE_WIDTH = 64  # px in the photo: narrower plates (characters under ~8 px wide) are not read
MIN_CHARS, MAX_CHARS = 3, 10
ALT_MIN = 0.001  # alternatives less likely than this are not listed
# Named plate formats for ``--pattern``; anything else is taken as a regular expression.
PLATE_FORMATS = {
    "br": r"[A-Z]{3}[0-9][A-Z0-9][0-9]{2}",  # Brazil: old LLL9999 and Mercosul LLL9L99
    "fr": r"[A-Z]{2}[0-9]{3}[A-Z]{2}",  # France SIV: AB-123-CD
    "uk": r"[A-Z]{2}[0-9]{2}[A-Z]{3}",  # Great Britain: AB12 CDE
    "digits5": r"[0-9]{5}",
}


class PlateReader(ModelReader):
    """Reads licence plates with the ``plate`` model.

    ``pattern`` is an optional format the text must match: a name from ``PLATE_FORMATS`` or a regex.
    """

    spec = SPEC
    find_stage = "find"

    def __init__(self, models_dir: str | Path | None = None, num_threads: int | None = None,
                 pattern: str | None = None, model_name: str = "plate"):
        super().__init__(models_dir, num_threads, model_name)
        self.pattern = compile_pattern(PLATE_FORMATS.get(pattern, pattern)) if pattern else None

    def scores(self, crops: list[np.ndarray]) -> np.ndarray:
        """Per-timestep scores (N, T, C+1) for a list of plate crops (any size, gray or BGR)."""
        return self.infer([plate_input(c) for c in crops])

    def decode_text(self, probs: np.ndarray) -> Decoded | None:
        """Text of one crop's scores; with a pattern, the best matching text or None."""
        if self.pattern is not None:
            return constrained(probs, self.alphabet, self.pattern)
        return greedy(probs, self.alphabet)

    def read_crop(self, image: np.ndarray, name: str = "") -> Result:
        """Read an image that is already a plate crop: one item whose box is the whole image."""
        image = check_frame(image)
        timer, t = Timer(), time.perf_counter()
        probs = self.scores([image])[0]
        t = timer.stage("model", t)
        d = self.decode_text(probs)
        timer.stage("decode", t)
        h, w = image.shape[:2]
        if d is None or not d.text:
            return Result(name, items=[Item("", 0.0, [0, 0, int(w), int(h)], unreadable=True)], timings_ms=timer.ms)
        item = self._item(d, probs, [0, 0, int(w), int(h)])
        return Result(name, d.text, d.confidence, [item], timer.ms)

    def find(self, image: np.ndarray) -> Found:
        """Plate-like regions of a whole photo, each rectified and made the model's input."""
        cands = find_plates(image)
        return Found(cands, [plate_input(rectify(image, c.quad)) for c in cands])

    def decode(self, found: Found, scores: np.ndarray, **options) -> Result:
        """The candidates whose reading is a plausible plate, top to bottom; small ones as unreadable."""
        items: list[Item] = []
        for cand, p in zip(found.regions, scores):
            d = self.decode_text(p)
            if d is None or not self._plausible(d.text):
                continue
            if cand.box[2] < MIN_READABLE_WIDTH:
                if float(np.mean(d.char_confidences)) >= 0.5:
                    items.append(Item("", 0.0, cand.box, unreadable=True))
            elif d.confidence >= ACCEPT:
                items.append(self._item(d, p, cand.box))
        items.sort(key=lambda it: (it.box[1], it.box[0]))
        read = [it for it in items if not it.unreadable]
        return Result("", "\n".join(it.text for it in read), min((it.confidence for it in read), default=0.0), items)

    def read_photo(self, image: np.ndarray, name: str = "") -> Result:
        """Find the plates in a whole photo and read each; unreadable ones keep their box."""
        return self.read(image, name)

    def _plausible(self, text: str) -> bool:
        """Could this reading of a photo's candidate be a plate (rather than a sign or texture)?"""
        if not MIN_CHARS <= len(text) <= MAX_CHARS:
            return False
        return self.pattern is not None or any(c.isdigit() for c in text)

    def _item(self, d: Decoded, probs: np.ndarray, box: list[int]) -> Item:
        """An item whose alternatives are the beam search's next-best complete readings, each with its
        share of the beams' probability (readings that fit ``pattern``, when there is one)."""
        alts = [[text, share] for text, share in beam_shares(probs, self.alphabet)
                if text != d.text and share >= ALT_MIN and (self.pattern is None or self.pattern.fullmatch(text))]
        return Item(d.text, d.confidence, [int(v) for v in box], alts[:3], d.char_confidences)
