"""The plate task: find plates in a photo (or take a tight crop), read each with the CTC model.

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

from .ctc import Decoded, beam_search, compile_pattern, constrained, greedy
from .errors import EdgeOCRError
from .pipeline import Item, Result, Timer
from .plate_finder import find_plates, rectify
from .preprocess import PLATE_SIZE, plate_input
from .registry import load_model

ACCEPT = 0.5  # whole-text confidence a photo's candidate needs to count as a read plate
MIN_READABLE_WIDTH = 64  # px in the photo: narrower plates (characters under ~8 px wide) are not read
MIN_CHARS, MAX_CHARS = 3, 10
# Named plate formats for ``--pattern``; anything else is taken as a regular expression.
PLATE_FORMATS = {
    "br": r"[A-Z]{3}[0-9][A-Z0-9][0-9]{2}",  # Brazil: old LLL9999 and Mercosul LLL9L99
    "fr": r"[A-Z]{2}[0-9]{3}[A-Z]{2}",  # France SIV: AB-123-CD
    "uk": r"[A-Z]{2}[0-9]{2}[A-Z]{3}",  # Great Britain: AB12 CDE
    "digits5": r"[0-9]{5}",
}


def check_frame(image: np.ndarray) -> np.ndarray:
    """Validate a frame handed to the API (a camera or video frame): uint8 gray/BGR/BGRA, sane size."""
    if not isinstance(image, np.ndarray):
        raise EdgeOCRError(f"a frame must be a numpy array, not {type(image).__name__}")
    if image.dtype != np.uint8:
        raise EdgeOCRError(f"a frame must be uint8, not {image.dtype} (convert with edge_app.images.to_uint8)")
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (1, 3, 4)):
        raise EdgeOCRError(f"a frame must be HxW, HxWx3 or HxWx4, not shape {image.shape}")
    if min(image.shape[:2]) < 8:
        raise EdgeOCRError(f"frame of {image.shape[1]}x{image.shape[0]} px is too small to read")
    if image.ndim == 3 and image.shape[2] == 1:
        return image[..., 0]
    if image.ndim == 3 and image.shape[2] == 4:
        return image[..., :3]
    return image


class PlateReader:
    """Reads licence plates with the ``plate`` model.

    ``pattern`` is an optional format the text must match: a name from ``PLATE_FORMATS`` or a regex.
    """

    def __init__(self, models_dir: str | Path | None = None, num_threads: int | None = None,
                 pattern: str | None = None, model_name: str = "plate"):
        self.model, self.entry = load_model(model_name, models_dir, num_threads)
        self.alphabet: str = self.entry["alphabet"]
        self.pattern = compile_pattern(PLATE_FORMATS.get(pattern, pattern)) if pattern else None
        if tuple(self.model.input_shape[1:3]) != PLATE_SIZE:
            raise EdgeOCRError(f"model '{model_name}' takes {self.model.input_shape[1:3]}, not the plate size "
                               f"{PLATE_SIZE}")

    def scores(self, crops: list[np.ndarray]) -> np.ndarray:
        """Per-timestep scores (N, T, C+1) for a list of plate crops."""
        x = np.stack([plate_input(c) for c in crops])[..., None]
        return self.model(x)

    def decode(self, probs: np.ndarray) -> Decoded | None:
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
        d = self.decode(probs)
        timer.stage("decode", t)
        h, w = image.shape[:2]
        if d is None or not d.text:
            return Result(name, items=[Item("", 0.0, [0, 0, int(w), int(h)], unreadable=True)], timings_ms=timer.ms)
        item = self._item(d, probs, [0, 0, int(w), int(h)])
        return Result(name, d.text, d.confidence, [item], timer.ms)

    def read_photo(self, image: np.ndarray, name: str = "") -> Result:
        """Find the plates in a whole photo and read each; unreadable ones keep their box."""
        image = check_frame(image)
        timer, t = Timer(), time.perf_counter()
        cands = find_plates(image)
        t = timer.stage("find", t)
        if not cands:
            return Result(name, timings_ms=timer.ms)
        probs = self.scores([rectify(image, c.quad) for c in cands])
        t = timer.stage("model", t)
        items: list[Item] = []
        for cand, p in zip(cands, probs):
            d = self.decode(p)
            if d is None or not self._plausible(d.text):
                continue
            if cand.box[2] < MIN_READABLE_WIDTH:
                if float(np.mean(d.char_confidences)) >= 0.5:
                    items.append(Item("", 0.0, cand.box, unreadable=True))
            elif d.confidence >= ACCEPT:
                items.append(self._item(d, p, cand.box))
        timer.stage("decode", t)
        items.sort(key=lambda it: (it.box[1], it.box[0]))
        read = [it for it in items if not it.unreadable]
        text = "\n".join(it.text for it in read)
        return Result(name, text, min((it.confidence for it in read), default=0.0), items, timer.ms)

    def _plausible(self, text: str) -> bool:
        """Could this reading of a photo's candidate be a plate (rather than a sign or texture)?"""
        if not MIN_CHARS <= len(text) <= MAX_CHARS:
            return False
        return self.pattern is not None or any(c.isdigit() for c in text)

    def _item(self, d: Decoded, probs: np.ndarray, box: list[int]) -> Item:
        """An item with the next-best readings from a small beam search as alternatives."""
        alts = [[text, round(float(pr), 4)] for text, pr in beam_search(probs, self.alphabet, 4)
                if text != d.text and (self.pattern is None or self.pattern.fullmatch(text))][:2]
        return Item(d.text, d.confidence, [int(v) for v in box], alts, d.char_confidences)
