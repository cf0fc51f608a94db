"""The Draw screen's logic, without a window: strokes in, undo/clear, and the top-3 readings out.

    session = DrawSession()                 # mode "char" (one or several characters) or "handwriting"
    session.begin(x, y); session.extend(x, y); session.end()
    reading = session.recognise(canvas=(w, h), y_up=True)
    reading.text, reading.top3              # "7", [("7", 0.97), ("1", 0.02), ("T", 0.01)]

Characters (``char`` and the touch model ``char_draw``, scores averaged): one
character is classified from its 28x28 cell (``strokes_to_cell``), several are segmented from the
rendered ink (``strokes_to_image`` then ``CharReader.read_chars``). Handwriting:
``HandwritingReader.read_strokes``. Readers load on first use, so switching modes is cheap.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import EdgeOCRError
from .families.base import ensemble_name
from .families.char.reader import CharReader
from .families.char.spec import DRAW_ENSEMBLE
from .results import Result
from .strokes import strokes_to_cell, strokes_to_image

MODES = ("char", "handwriting")
Point = tuple[float, float, float]


@dataclass
class DrawReading:
    """What the canvas shows: the best text, up to three alternatives with probabilities, and the time."""

    text: str = ""
    top3: list[tuple[str, float]] = field(default_factory=list)
    ms: float = 0.0


def _joined_top3(result: Result) -> list[tuple[str, float]]:
    """Top-3 strings of a segmented line: the best, then the least sure character swapped for its alternatives."""
    items = result.items
    slots = [i for i, c in enumerate(result.text) if not c.isspace()]
    if len(slots) != len(items):
        return [(result.text, result.confidence)]
    best_p = float(np.prod([it.confidence for it in items]))
    out = [(result.text, best_p)]
    k = int(np.argmin([it.confidence for it in items]))
    for alt, p in items[k].alternatives[1:3]:
        text = list(result.text)
        text[slots[k]] = alt
        out.append(("".join(text), best_p / max(items[k].confidence, 1e-6) * p))
    return out


class DrawSession:
    """Strokes on a touch canvas and their recognition with the character or handwriting model."""

    def __init__(self, models_dir: str | Path | None = None, mode: str = "char", num_threads: int | None = None):
        self.models_dir, self.num_threads = models_dir, num_threads
        self.strokes: list[list[Point]] = []
        self._readers: dict[str, object] = {}
        self.mode = "char"
        self.set_mode(mode)

    def set_mode(self, mode: str) -> None:
        """Switch between ``char`` and ``handwriting``."""
        if mode not in MODES:
            raise EdgeOCRError(f"unknown draw mode '{mode}' (choose from {', '.join(MODES)})")
        self.mode = mode

    def reload(self) -> None:
        """Forget loaded readers (after a model was replaced); the next reading loads them again."""
        self._readers.clear()

    # -- strokes ---------------------------------------------------------------------------------
    def begin(self, x: float, y: float, t: float | None = None) -> None:
        """Start a stroke at a touch-down."""
        self.strokes.append([(float(x), float(y), time.monotonic() if t is None else t)])

    def extend(self, x: float, y: float, t: float | None = None) -> None:
        """Add a point to the current stroke (a touch-move)."""
        if not self.strokes:
            self.begin(x, y, t)
        else:
            self.strokes[-1].append((float(x), float(y), time.monotonic() if t is None else t))

    def end(self) -> None:
        """The finger lifted: nothing to do but kept for symmetry with touch events."""

    def undo(self) -> None:
        """Remove the last stroke."""
        if self.strokes:
            self.strokes.pop()

    def clear(self) -> None:
        """Remove every stroke."""
        self.strokes.clear()

    # -- recognition -----------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the current mode's model now (the first reading is then as fast as the rest)."""
        self._reader()

    def _reader(self):
        key = self.mode
        if key not in self._readers:
            if key == "char":
                name = ensemble_name(self.models_dir, DRAW_ENSEMBLE)  # else the photo reader's models
                self._readers[key] = CharReader(self.models_dir, self.num_threads, model_name=name)
            else:
                from .families.handwriting.reader import HandwritingReader

                self._readers[key] = HandwritingReader(self.models_dir, self.num_threads)
        return self._readers[key]

    def recognise(self, strokes: list[list[Point]] | None = None, canvas: tuple[float, float] | None = None,
                  y_up: bool = False) -> DrawReading:
        """Read ``strokes`` (default: the session's) drawn on a ``canvas`` of (width, height)."""
        t0 = time.perf_counter()
        strokes = [list(s) for s in (self.strokes if strokes is None else strokes)]
        reader = self._reader()
        if self.mode == "handwriting":
            result = reader.read_strokes(strokes, canvas, y_up)
            if len(result.items) == 1 and result.items[0].alternatives:
                top3 = [(t, float(p)) for t, p in result.items[0].alternatives[:3]]
            else:
                top3 = [(result.text, result.confidence)] if result.text else []
            return DrawReading(result.text, top3, (time.perf_counter() - t0) * 1000.0)
        image = strokes_to_image(strokes, canvas, y_up)
        if image is None:
            return DrawReading(ms=(time.perf_counter() - t0) * 1000.0)
        result = reader.read_chars(image)
        if len(result.items) == 1:
            cell = strokes_to_cell(strokes, canvas, y_up)
            top3 = reader.classify(cell[None])[0] if cell is not None else []
        else:
            top3 = _joined_top3(result) if result.items else []
        top3 = [(t, round(float(p), 4)) for t, p in top3]
        return DrawReading(top3[0][0] if top3 else "", top3, (time.perf_counter() - t0) * 1000.0)
