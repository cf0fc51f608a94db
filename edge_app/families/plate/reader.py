"""The plate family's reader: find plates in a photo (or take a tight crop), read each with the CTC model.

    reader = PlateReader()
    reader.read_photo(frame)     # whole photo: one item and box per plate
    reader.read_crop(crop)       # a crop that is already just the plate (``--crop``)

Plates are found by the learned detector (the ``plate_detector`` model, family ``platedet``) when
the models folder has it: every box it finds at least ``MIN_DETECTED_WIDTH`` wide is read from the
full-resolution photo, cropped at each of ``DETECTED_MARGINS`` (the crops vote on the text), and one
the reader cannot read confidently comes back with ``unreadable: true`` and its box when the detector
is sure of it (score >= ``UNREADABLE_SCORE``; less sure boxes that do not read as plates are dropped);
narrower boxes come back unreadable without a reading. Without it, the
classical finder's candidates count as plates only when the reader finds a plausible text in them
(3-10 characters with at least one digit, confident enough; with ``pattern``, matching it), and a
candidate narrower than ``MIN_READABLE_WIDTH`` is at most reported as unreadable.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ...ctc import Decoded, beam_decoded, beam_shares, compile_pattern, constrained, greedy
from ...geometry import rectify
from ...images import check_frame
from ...manifest import read_manifest
from ...results import Item, Result, Timer
from ..base import Found, ModelReader
from .finder import Candidate, find_plates
from .formats import guess_region, prefer_formatted
from .preprocess import plate_input
from .spec import SPEC

ACCEPT = 0.5  # whole-text confidence a photo's candidate needs to count as a read plate
MIN_READABLE_WIDTH = 64  # px in the photo: narrower finder candidates (characters under ~8 px) are not read
MIN_DETECTED_WIDTH = 40  # px: narrower detected plates are reported unreadable without reading
UNREADABLE_SCORE = 0.5  # detector score a plate it found but we cannot read needs to be reported
DETECTOR = "plate_detector"  # the manifest entry of the learned plate finder
MARGIN = (0.04, 0.10)  # a hand-drawn plate box is grown by these shares of its width and height (training crops)
# A detected box is read at each of these margins (shares of its width and height) and the readings vote
# (:func:`_vote`). Tighter than MARGIN: a detected box's sides are off a drawn one's by 5-15% either way
# (quartiles on plate-photos val), and a crop with too much around the plate misreads more than one a
# little too tight.
DETECTED_MARGINS = ((0.0, 0.03), (0.02, 0.06))
MIN_CHARS, MAX_CHARS = 3, 10
ALT_MIN = 0.001  # alternatives less likely than this are not listed
# Named plate formats for ``--pattern``; anything else is taken as a regular expression.
PLATE_FORMATS = {
    "br": r"[A-Z]{3}[0-9][A-Z0-9][0-9]{2}",  # Brazil: old LLL9999 and Mercosul LLL9L99
    "fr": r"[A-Z]{2}[0-9]{3}[A-Z]{2}",  # France SIV: AB-123-CD
    "uk": r"[A-Z]{2}[0-9]{2}[A-Z]{3}",  # Great Britain: AB12 CDE
    "digits5": r"[0-9]{5}",
}

Decoding = tuple[Decoded | None, list[tuple[str, float]]]  # a decoded text and the beam's readings with shares


class PlateReader(ModelReader):
    """Reads licence plates with the ``plate`` model.

    ``pattern`` is an optional format the text must match: a name from ``PLATE_FORMATS`` or a regex.
    """

    spec = SPEC
    find_stage = "find"

    def __init__(self, models_dir: str | Path | None = None, num_threads: int | None = None,
                 pattern: str | None = None, model_name: str = "plate", detector: str | None = DETECTOR):
        super().__init__(models_dir, num_threads, model_name)
        self.pattern = compile_pattern(PLATE_FORMATS.get(pattern, pattern)) if pattern else None
        self.detector = None
        if detector and detector in read_manifest(models_dir)["models"]:
            from ..platedet.reader import PlateDetector

            self.detector = PlateDetector(models_dir, num_threads, model_name=detector)

    def scores(self, crops: list[np.ndarray]) -> np.ndarray:
        """Per-timestep scores (N, T, C+1) for a list of plate crops (any size, gray or BGR)."""
        return self.infer([plate_input(c) for c in crops])

    def decode_text(self, probs: np.ndarray) -> Decoded | None:
        """Text of one crop's scores; with a pattern, the best matching text or None. Without one, the
        greedy reading, unless it fits no known format and an equally long beam reading that fits one is
        likely enough (:func:`.formats.prefer_formatted`)."""
        return self.decode_with_beam(probs)[0]

    def decode_with_beam(self, probs: np.ndarray) -> Decoding:
        """:meth:`decode_text`'s reading and the beam's readings with their shares (searched once)."""
        shares = beam_shares(probs, self.alphabet)
        if self.pattern is not None:
            return constrained(probs, self.alphabet, self.pattern), shares
        d = greedy(probs, self.alphabet)
        better = prefer_formatted(d.text, shares) if MIN_CHARS <= len(d.text) <= MAX_CHARS else None
        return (beam_decoded(probs, self.alphabet, *better) if better else d), shares

    def read_crop(self, image: np.ndarray, name: str = "") -> Result:
        """Read an image that is already a plate crop: one item whose box is the whole image."""
        image = check_frame(image)
        timer, t = Timer(), time.perf_counter()
        probs = self.scores([image])[0]
        t = timer.stage("model", t)
        d, shares = self.decode_with_beam(probs)
        h, w = image.shape[:2]
        if d is None or not d.text:
            timer.stage("decode", t)
            return Result(name, items=[Item("", 0.0, [0, 0, int(w), int(h)], unreadable=True)], timings_ms=timer.ms)
        item = self._item(d, shares, [0, 0, int(w), int(h)])
        timer.stage("decode", t)
        return Result(name, d.text, d.confidence, [item], timer.ms)

    def find(self, image: np.ndarray) -> Found:
        """The plates of a whole photo (detector boxes, each cropped at every one of ``DETECTED_MARGINS``,
        or the classical finder's candidates), rectified from the full-resolution photo into the model's input."""
        if self.detector is not None:
            h, w = image.shape[:2]
            cands = []
            quads = []
            for (x, y, bw, bh), score in self.detector.detect(image):
                for mx, my in DETECTED_MARGINS:
                    mx, my = bw * mx, bh * my
                    x0, y0 = max(0.0, x - mx), max(0.0, y - my)
                    x1, y1 = min(w - 1.0, x + bw + mx), min(h - 1.0, y + bh + my)
                    quads.append(np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))
                cands.append(Candidate(quads[-1], [x, y, bw, bh], score))
            return Found(cands, [plate_input(rectify(image, q)) for q in quads])
        cands = find_plates(image)
        return Found(cands, [plate_input(rectify(image, c.quad)) for c in cands])

    def decode(self, found: Found, scores: np.ndarray, **options) -> Result:
        """The plates read, top to bottom; detected plates that cannot be read, and small finder
        candidates with plate-like text, as unreadable items with their boxes."""
        items: list[Item] = []
        if self.detector is not None:
            scores = scores.reshape(len(found.regions), len(DETECTED_MARGINS), *scores.shape[1:])
        for cand, p in zip(found.regions, scores):
            if self.detector is not None and cand.box[2] < MIN_DETECTED_WIDTH:  # too small to read
                items.append(Item("", 0.0, cand.box, unreadable=True))  # the detector's word is taken
                continue
            d, shares = _vote([self.decode_with_beam(q) for q in p]) if self.detector is not None \
                else self.decode_with_beam(p)
            if self.detector is not None:
                if d is not None and d.confidence >= ACCEPT and MIN_CHARS <= len(d.text) <= MAX_CHARS:
                    items.append(self._item(d, shares, cand.box))
                elif cand.score >= UNREADABLE_SCORE:  # surely a plate, but not one we can read
                    items.append(Item("", 0.0, cand.box, unreadable=True))
                continue
            if d is None or not self._plausible(d.text):
                continue
            if cand.box[2] < MIN_READABLE_WIDTH:
                if float(np.mean(d.char_confidences)) >= 0.5:
                    items.append(Item("", 0.0, cand.box, unreadable=True))
            elif d.confidence >= ACCEPT:
                items.append(self._item(d, shares, cand.box))
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

    def _item(self, d: Decoded, shares: list[tuple[str, float]], box: list[int]) -> Item:
        """An item whose alternatives are the beam search's next-best complete readings, each with its
        share of the beams' probability (readings that fit ``pattern``, when there is one), and whose
        region is the guess those readings give (see :mod:`.formats`)."""
        alts = [[text, share] for text, share in shares
                if text != d.text and share >= ALT_MIN and (self.pattern is None or self.pattern.fullmatch(text))]
        region = guess_region(shares)
        return Item(d.text, d.confidence, [int(v) for v in box], alts[:3], d.char_confidences,
                    region=region.to_dict() if region else None)


def _vote(reads: list[Decoding]) -> Decoding:
    """One reading from a plate's crops: the text most crops read (a tie: the most confident crop's),
    with the most confident of those crops' characters and alternatives, its confidence their mean."""
    texts: dict[str, list[int]] = {}
    for i, (d, _) in enumerate(reads):
        if d is not None:
            texts.setdefault(d.text, []).append(i)
    if not texts:
        return reads[0]
    best = max(texts.values(), key=lambda ix: (len(ix), max(reads[i][0].confidence for i in ix)))
    d, shares = reads[max(best, key=lambda i: reads[i][0].confidence)]
    return Decoded(d.text, d.char_confidences, float(np.mean([reads[i][0].confidence for i in best]))), shares
