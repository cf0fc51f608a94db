"""Result stage: the recognition tasks, from a decoded image to a :class:`Result`.

Plain Python, no window: the CLI, the bench and the Kivy app all call these.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .decode import softmax, top_k
from .errors import EdgeOCRError
from .preprocess import CHAR_SIZE, is_blank, normalize_char
from .registry import load_model
from .segment import segment_chars


@dataclass
class Item:
    """One recognised unit (a character, a plate) and where it is: box is [x, y, w, h].

    ``alternatives`` are the next-best readings as [text, probability]; sequence readers add
    ``char_confidences``, one per character, and mark a region they found but cannot read
    ``unreadable``.
    """

    text: str
    confidence: float
    box: list[int]
    alternatives: list[list[Any]] = field(default_factory=list)
    char_confidences: list[float] | None = None
    unreadable: bool = False


@dataclass
class Result:
    """What reading one image gives; ``to_dict`` is the ``--json`` object."""

    file: str
    text: str = ""
    confidence: float = 0.0
    items: list[Item] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    notes: list[str] = field(default_factory=list)  # what the reader did or found (a turned page, no text)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; ``error`` and ``notes`` appear only when set."""
        d = asdict(self)
        if d["error"] is None:
            del d["error"]
        if not d["notes"]:
            del d["notes"]
        for item in d["items"]:
            if item["char_confidences"] is None:
                del item["char_confidences"]
            if not item["unreadable"]:
                del item["unreadable"]
        return d


class Timer:
    """Per-stage wall times in milliseconds, accumulated into ``ms``."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    def stage(self, name: str, t0: float) -> float:
        """Add the time since ``t0`` to stage ``name``; returns now, the next stage's start."""
        now = time.perf_counter()
        self.ms[name] = round(self.ms.get(name, 0.0) + (now - t0) * 1000.0, 3)
        return now


class CharReader:
    """Reads handwritten characters with the ``char`` model: one per image, or a segmented line."""

    def __init__(self, models_dir: str | Path | None = None, num_threads: int | None = None,
                 allowed: str | None = None, model_name: str = "char"):
        self.model, self.entry = load_model(model_name, models_dir, num_threads)
        self.alphabet: str = self.entry["alphabet"]
        self.allowed = allowed
        if allowed is not None and not set(allowed) <= set(self.alphabet):
            raise EdgeOCRError(f"--allowed has characters outside the model's alphabet: {allowed!r}")

    def classify(self, cells: np.ndarray, k: int = 3) -> list[list[tuple[str, float]]]:
        """Classify a batch of 28x28 cells; returns the top-k (char, p) per cell."""
        if len(cells) == 0:
            return []
        x = np.asarray(cells, np.float32).reshape(-1, CHAR_SIZE, CHAR_SIZE, 1)
        return top_k(softmax(self.model(x)), self.alphabet, k, self.allowed)

    def read_char(self, image: np.ndarray, name: str = "") -> Result:
        """Classify the whole image as one character."""
        timer, t = Timer(), time.perf_counter()
        cell = normalize_char(image)
        t = timer.stage("preprocess", t)
        if is_blank(cell):
            return Result(name, timings_ms=timer.ms)
        alts = self.classify(cell[None])[0]
        timer.stage("model", t)
        h, w = image.shape[:2]
        item = Item(alts[0][0], round(alts[0][1], 4), [0, 0, int(w), int(h)], [[c, round(p, 4)] for c, p in alts])
        return Result(name, item.text, item.confidence, [item], timer.ms)

    def read_chars(self, image: np.ndarray, name: str = "") -> Result:
        """Segment characters, classify each, and join them in reading order."""
        timer, t = Timer(), time.perf_counter()
        segs = segment_chars(image)
        t = timer.stage("segment", t)
        alts = self.classify(np.stack([s.cell for s in segs])) if segs else []
        t = timer.stage("model", t)
        items, text, line = [], "", 0
        for seg, a in zip(segs, alts):
            if items:
                text += "\n" if seg.line != line else (" " if seg.space_before else "")
            line = seg.line
            text += a[0][0]
            items.append(Item(a[0][0], round(a[0][1], 4), [int(v) for v in seg.box],
                              [[c, round(p, 4)] for c, p in a]))
        timer.stage("decode", t)
        conf = min((i.confidence for i in items), default=0.0)
        return Result(name, text, conf, items, timer.ms)


Task = Callable[[np.ndarray, str], Result]


def make_task(task: str, models_dir: str | Path | None = None, num_threads: int | None = None,
              allowed: str | None = None, crop: bool = False, pattern: str | None = None,
              decoder: str = "lexicon", lexicon: str | Path | None = None, dehyphenate: bool = False,
              model_name: str | None = None) -> Task:
    """Return the reading function for a task name (see ``TASKS``).

    ``crop`` (plate): the images are already tight plate crops; ``pattern`` (plate): a regex the text
    must match; ``decoder`` (handwriting): greedy, beam or lexicon; ``lexicon``: a word list file
    instead of the model's own; ``dehyphenate`` (page): join words hyphenated across lines;
    ``model_name``: the manifest entry to use instead of the task's own (``char`` for chars).
    """
    if task not in TASKS:
        raise EdgeOCRError(f"unknown task '{task}' (choose from {', '.join(TASKS)})")
    name = model_name or ("char" if task == "chars" else task)
    if task == "plate":
        from .plate_reader import PlateReader

        plates = PlateReader(models_dir, num_threads, pattern, model_name=name)
        return plates.read_crop if crop else plates.read_photo
    if task == "page":
        from .page_reader import PageReader

        return PageReader(models_dir, num_threads, dehyphenate, model_name=name).read
    if task == "handwriting":
        from .handwriting_reader import HandwritingReader

        return HandwritingReader(models_dir, num_threads, decoder, lexicon, model_name=name).read
    reader = CharReader(models_dir, num_threads, allowed, model_name=name)
    return reader.read_char if task == "char" else reader.read_chars


TASKS = ("char", "chars", "plate", "handwriting", "page")
