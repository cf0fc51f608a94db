"""A line bent by the page's curl, straightened before it is read.

Near a paperback's gutter the page curves away from the camera, and a line's words climb or sink
there while the rest of the line stays level: the crop around the whole line is taller than its
letters, and the reader (which scales a line to its height) gets small, shifted letters. Each word's
dense band (the rows where its ink is densest: the x-height) says where the line runs at that word;
:func:`straighten` shifts the crop's columns so that the bands are level, following the words (a median
over neighbouring words, so one word in capitals does not count as a bend). A line of fewer than
:data:`MIN_WORDS` words, or whose band moves less than :data:`BENT` letter heights, is left exactly as
it was. (The band's middle measured better than its bottom, the baseline, on the bench's pages.)
"""

from __future__ import annotations

import cv2
import numpy as np

BENT = 0.25  # letter heights the words' bands must move along a line before it is straightened
MIN_WORDS = 4  # a line with fewer words is not straightened (a card's short line: too few to tell a bend)
CORE = 0.5  # a word's dense band: its rows with at least this share of its densest row's ink


def word_band(crop: np.ndarray, x0: int, x1: int) -> float | None:
    """The middle row of a word's dense band (its x-height, where its ink is densest) in ``crop``, None
    without ink."""
    rows = crop[:, x0:x1].sum(1)
    if rows.max() <= 0:
        return None
    core = np.flatnonzero(rows >= CORE * rows.max())
    return (core[0] + core[-1]) / 2


def straighten(crop: np.ndarray, words: list[tuple[int, int]], letter: float) -> np.ndarray:
    """``crop`` (a line's ink) with its columns shifted so the words' bands are level; ``words`` are the
    words' (x0, x1) columns in the crop. Unchanged when they move less than :data:`BENT` letters."""
    found = [((a + b) / 2, word_band(crop, a, b)) for a, b in sorted(words)]
    found = [(x, y) for x, y in found if y is not None]
    if len(found) < MIN_WORDS:
        return crop
    xs = np.array([x for x, _ in found])
    ys = np.array([y for _, y in found])
    padded = np.pad(ys, 1, mode="edge")
    smooth = np.median(np.stack([padded[:-2], padded[1:-1], padded[2:]]), 0)  # one odd word is not a bend
    if smooth.max() - smooth.min() < BENT * letter:
        return crop
    h, w = crop.shape
    shift = np.interp(np.arange(w), xs, smooth - np.median(smooth)).astype(np.float32)
    pad = int(np.ceil(np.abs(shift).max())) + 1
    tall = cv2.copyMakeBorder(crop, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=0)
    map_x = np.tile(np.arange(w, dtype=np.float32), (h + 2 * pad, 1))
    map_y = np.arange(h + 2 * pad, dtype=np.float32)[:, None] + shift[None, :]
    return cv2.remap(tall, map_x, map_y, cv2.INTER_LINEAR, borderValue=0)
