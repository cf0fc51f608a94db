"""The char family's reader: one character per image (``char``) or a segmented line (``chars``).

    reader = CharReader()
    reader.read_char(image)      # the whole image is one character: top-3 alternatives
    reader.read_chars(image)     # segment, classify each, join in reading order

A same-shape letter (o/O, s/S, ...; see :mod:`.case`) lists both cases as its first two alternatives;
in a line its case comes from its height when the line shows an x-height.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ...decode import softmax, top_k
from ...errors import EdgeOCRError
from ...results import Item, Result, Timer
from ..base import Found, ModelReader, ensemble_name
from .case import cases_from_height, pair_first, pair_mass
from .preprocess import is_blank, normalize_char
from .segment import Segment, segment_chars
from .spec import ENSEMBLE, SPEC


class CharReader(ModelReader):
    """Reads handwritten characters: one per image, or a segmented line.

    By default with the models of ``ENSEMBLE`` (``char``, ``char_small``, ``char_strokes``), their scores
    averaged (those the models folder has); ``model_name`` names one model, or several joined by ``+``. ``allowed``
    restricts answers to some characters (digits, say)."""

    spec = SPEC

    def __init__(self, models_dir: str | Path | None = None, num_threads: int | None = None,
                 allowed: str | None = None, model_name: str | None = None):
        if model_name is None:
            model_name = ensemble_name(models_dir, ENSEMBLE) or SPEC.model
        super().__init__(models_dir, num_threads, model_name)
        self.allowed = allowed
        if allowed is not None and not set(allowed) <= set(self.alphabet):
            raise EdgeOCRError(f"--allowed has characters outside the model's alphabet: {allowed!r}")

    def classify(self, cells: np.ndarray, k: int = 3) -> list[list[tuple[str, float]]]:
        """Classify a batch of 28x28 cells; returns the top-k (char, p) per cell."""
        if len(cells) == 0:
            return []
        return top_k(softmax(self.infer(cells)), self.alphabet, k, self.allowed)

    def read_char(self, image: np.ndarray, name: str = "") -> Result:
        """Classify the whole image as one character; a same-shape letter's two cases come first, and a
        note gives their summed probability (alone, nothing tells the case)."""
        timer, t = Timer(), time.perf_counter()
        cell = normalize_char(image)
        t = timer.stage("preprocess", t)
        if is_blank(cell):
            return Result(name, timings_ms=timer.ms)
        alts = pair_first(self.classify(cell[None], k=len(self.alphabet))[0])
        timer.stage("model", t)
        h, w = image.shape[:2]
        item = Item(alts[0][0], round(alts[0][1], 4), [0, 0, int(w), int(h)], [[c, round(p, 4)] for c, p in alts])
        mass = pair_mass(alts)
        notes = [f"{alts[0][0]} and {alts[1][0]} look alike alone: together p={mass:.4f}"] if mass > alts[0][1] else []
        return Result(name, item.text, item.confidence, [item], timer.ms, notes=notes)

    def find(self, image: np.ndarray) -> Found:
        """Character boxes in reading order, each as a 28x28 cell."""
        segs = segment_chars(image)
        return Found(segs, [s.cell for s in segs])

    def decode(self, found: Found, scores: np.ndarray, **options) -> Result:
        """Top-3 per character, joined in reading order (a space between words, a newline between lines).

        A same-shape letter whose case its height tells takes that case, with the pair's summed
        probability as its confidence."""
        ranked = top_k(softmax(scores), self.alphabet, len(self.alphabet), self.allowed)
        firsts = self._cased(found.regions, [r[0][0] for r in ranked])
        items, text, line = [], "", 0
        for seg, r, first in zip(found.regions, ranked, firsts):
            a = pair_first(r, first)
            if items:
                text += "\n" if seg.line != line else (" " if seg.space_before else "")
            line = seg.line
            text += a[0][0]
            conf = pair_mass(a) if first is not None else a[0][1]
            items.append(Item(a[0][0], round(conf, 4), [int(v) for v in seg.box], [[c, round(p, 4)] for c, p in a]))
        conf = min((i.confidence for i in items), default=0.0)
        changed = sum(f is not None and f != r[0][0] for f, r in zip(firsts, ranked))
        notes = [f"case from height in the line: {changed} letter(s) changed"] if changed else []
        return Result("", text, conf, items, notes=notes)

    def _cased(self, segs: list[Segment], best: list[str]) -> list[str | None]:
        """Per segment, its letter in the case its height tells (None where height does not tell)."""
        out: list[str | None] = [None] * len(segs)
        for li in {s.line for s in segs}:
            idx = [i for i, s in enumerate(segs) if s.line == li]
            told = cases_from_height([segs[i].box for i in idx], [best[i] for i in idx])
            for i, upper in zip(idx, told):
                if upper is not None:
                    c = best[i].upper() if upper else best[i].lower()
                    out[i] = c if self.allowed is None or c in self.allowed else None
        return out

    def read_chars(self, image: np.ndarray, name: str = "") -> Result:
        """Segment characters, classify each, and join them in reading order."""
        return self.read(image, name)
