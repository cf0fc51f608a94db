"""Line finding shared by the handwriting and page segmenters: word blobs chained into text lines.

A word joins the line whose last words it overlaps most vertically, so slanted and wavy lines stay
whole; marks (dots, commas, i-dots) join the line they sit in. A blob that spans two lines (a descender
touching the ascender below it) is cut at its waist first (:func:`split_touching`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

SMALL = 0.45  # blobs lower than this share of the typical height are marks (dots, commas)


@dataclass
class Blob:
    """A word (or a mark): its label in the blob image and its box (x0, y0, x1, y1)."""

    label: int
    box: tuple[int, int, int, int]

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


@dataclass
class Line:
    """One text line: its words left to right, and the chunks the reader takes."""

    words: list[Blob] = field(default_factory=list)
    marks: list[Blob] = field(default_factory=list)
    chunks: list[np.ndarray] = field(default_factory=list)  # float32 model inputs

    @property
    def box(self) -> tuple[int, int, int, int]:
        boxes = np.array([b.box for b in self.words + self.marks])
        return (int(boxes[:, 0].min()), int(boxes[:, 1].min()), int(boxes[:, 2].max()), int(boxes[:, 3].max()))


def _overlap(a: Blob, b: Blob) -> tuple[float, float]:
    """Vertical overlap of two boxes as a share of the lower one's height, then of the taller one's
    (a dot inside a word's height overlaps it fully by the first; the second prefers a whole word)."""
    inter = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return inter / max(1, min(a.height, b.height)), inter / max(1, a.height, b.height)


def chain_lines(blobs: list[Blob], typical: float, small: float = SMALL) -> list[Line]:
    """Chain words into lines left to right: a word joins the line whose last words it overlaps
    most vertically (at least 40% with one of the last three), so a line may rise or fall; marks
    (blobs lower than ``small`` typical heights) join the line they sit in."""
    lines: list[Line] = []
    words = sorted((b for b in blobs if b.height >= small * typical), key=lambda b: b.box[0])
    for b in words:
        best, best_o = None, (0.4, 0.0)
        for line in lines:
            last = line.words[-1]
            if b.box[0] < last.box[2] - typical:  # overlaps the line's end: another line
                continue
            o = max(_overlap(b, w) for w in line.words[-3:])  # a stray piece cannot cut the line
            if o >= best_o:
                best, best_o = line, o
        if best is None:
            lines.append(Line([b]))
        else:
            best.words.append(b)
    boxes = np.array([ln.box for ln in lines]).reshape(-1, 4)  # the words' boxes: marks go by these
    for m in (b for b in blobs if b.height < small * typical):
        if not len(boxes):
            break
        dist = np.abs(m.cy - np.clip(m.cy, boxes[:, 1], boxes[:, 3]))
        i = int(np.lexsort((np.abs(m.box[0] - boxes[:, 0]), dist))[0])
        if dist[i] <= typical:
            lines[i].marks.append(m)
    return sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2)


def split_touching(closed: np.ndarray, labels: np.ndarray, stats: np.ndarray, letter: float, split: float,
                   tall: float = np.inf) -> bool:
    """Cut the word blobs of ``closed`` (``labels``, ``stats``: its connected components) taller than ``split``
    letter heights, but not over ``tall`` (not text), at their thinnest row in the middle half, in place,
    where that row holds at most half the widest row's ink (two lines touching, not one tall shape).
    True if any was cut."""
    cut = False
    for i in np.flatnonzero(stats[:, cv2.CC_STAT_HEIGHT] > split * letter):
        x, y, bw, bh = stats[i, :4]
        if i == 0 or bh > tall * letter:
            continue
        own = labels[y : y + bh, x : x + bw] == i
        rows = own.sum(1)
        lo, hi = bh // 4, bh - bh // 4
        r = lo + int(np.argmin(rows[lo:hi]))
        if rows[r] > 0.5 * rows.max():
            continue
        closed[y + r, x : x + bw][own[r]] = 0
        cut = True
    return cut
