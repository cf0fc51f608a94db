"""Result stage: what reading an image gives, the same for every model family.

:class:`Result` is the ``--json`` object; :class:`Item` one recognised unit (a character, a plate, a
line, a word); :class:`Timer` the per-stage wall times every reader reports.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Item:
    """One recognised unit (a character, a plate) and where it is: box is [x, y, w, h].

    ``alternatives`` are the next-best readings as [text, probability] (the character reader puts a
    same-shape letter's other case, o/O, second); sequence readers add
    ``char_confidences``, one per character, and mark a region they found but cannot read
    ``unreadable``; plates add ``region``, the guessed region and format with its confidence.
    """

    text: str
    confidence: float
    box: list[int]
    alternatives: list[list[Any]] = field(default_factory=list)
    char_confidences: list[float] | None = None
    unreadable: bool = False
    region: dict[str, Any] | None = None


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
    paper: list[list[int]] | None = None  # the paper found in the photo: [x, y] corners TL, TR, BR, BL
    lines: list[dict[str, Any]] | None = None  # page readers: each line's text, confidence and box [x, y, w, h]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; ``error``, ``notes``, ``paper`` and ``lines`` appear only when set."""
        d = asdict(self)
        if d["error"] is None:
            del d["error"]
        if not d["notes"]:
            del d["notes"]
        if d["paper"] is None:
            del d["paper"]
        if d["lines"] is None:
            del d["lines"]
        for item in d["items"]:
            if item["char_confidences"] is None:
                del item["char_confidences"]
            if not item["unreadable"]:
                del item["unreadable"]
            if item["region"] is None:
                del item["region"]
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
