"""Capture stage for touchscreens: strokes (lists of points, as a Kivy touch canvas yields them)
rendered into exactly what the models were trained on.

    cell = strokes_to_cell(strokes)                     # one character: the 28x28 EMNIST-like cell
    image = strokes_to_image(strokes)                   # a word or several characters: ink on paper

A stroke is a list of ``(x, y)`` or ``(x, y, t)`` points in canvas pixels. The drawing is scaled to
a fixed ink height before the pen is applied, so a thin finger line on a big canvas and a thick
one on a small canvas give the same pixels; the pen width matches the stroke width of the
handwriting fonts the models were trained on. Kivy puts y = 0 at the bottom: pass ``y_up=True``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from .errors import EdgeOCRError
from .families.char.preprocess import fit_cell

INK_HEIGHT = 64  # px: a character's height (or width, if wider), or a word's height, when the pen is applied
WORD_ASPECT = 8  # a word wider than this many heights is scaled by its width / WORD_ASPECT
PEN = 0.09  # pen width as a share of INK_HEIGHT (about the training fonts' strokes at 64 px)
MIN_EXTENT = 0.04  # drawings smaller than this share of the canvas are dots, not characters

Stroke = Sequence[Sequence[float]]


def check_strokes(strokes: Sequence[Stroke], canvas: tuple[float, float] | None = None) -> list[np.ndarray]:
    """Validate strokes and return them as float arrays of (x, y); a clear error names the bad point.

    ``canvas`` (width, height) bounds the points when given.
    """
    if not isinstance(strokes, (list, tuple)):
        raise EdgeOCRError(f"strokes must be a list of point lists, not {type(strokes).__name__}")
    out = []
    for i, stroke in enumerate(strokes):
        try:
            pts = np.asarray(stroke, dtype=np.float64)
        except (TypeError, ValueError):
            raise EdgeOCRError(f"stroke {i} is not a list of (x, y) or (x, y, t) points") from None
        if pts.size == 0:
            continue
        if pts.ndim != 2 or pts.shape[1] not in (2, 3):
            raise EdgeOCRError(f"stroke {i} is not a list of (x, y) or (x, y, t) points (shape {pts.shape})")
        bad = ~np.isfinite(pts[:, :2]).all(axis=1)
        if bad.any():
            raise EdgeOCRError(f"stroke {i} point {int(np.argmax(bad))} is not a finite number")
        if canvas is not None:
            w, h = canvas
            outside = (pts[:, 0] < 0) | (pts[:, 0] > w) | (pts[:, 1] < 0) | (pts[:, 1] > h)
            if outside.any():
                j = int(np.argmax(outside))
                raise EdgeOCRError(f"stroke {i} point {j} ({pts[j, 0]:g}, {pts[j, 1]:g}) is outside the "
                                   f"{w:g}x{h:g} canvas")
        out.append(pts[:, :2])
    return out


def _ink(strokes: list[np.ndarray], y_up: bool, word: bool = False) -> np.ndarray:
    """White-on-black float ink of the strokes, scaled to INK_HEIGHT, with a pen's margin around it.

    A character is scaled by its larger side; a ``word`` by its height (so the pen is the same
    share of a word's height as of a character's), unless it is very wide or flat (a dash).
    """
    pts = np.concatenate(strokes)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    w, h = (hi - lo).tolist()
    extent = max(h, w / WORD_ASPECT, 1e-6) if word else max(w, h, 1e-6)
    scale = INK_HEIGHT / extent
    pen = max(2, round(PEN * INK_HEIGHT))
    margin = pen + 2
    size = np.ceil((hi - lo) * scale).astype(int) + 2 * margin
    canvas = np.zeros((size[1], size[0]), np.uint8)
    for s in strokes:
        p = (s - lo) * scale + margin
        if y_up:
            p[:, 1] = size[1] - 1 - p[:, 1]
        p = np.round(p * 16).astype(np.int32)  # 4 fractional bits for smooth anti-aliased lines
        if len(p) == 1:
            cv2.circle(canvas, tuple(p[0]), pen * 8, 255, -1, cv2.LINE_AA, shift=4)
        else:
            cv2.polylines(canvas, [p], False, 255, pen, cv2.LINE_AA, shift=4)
    return canvas.astype(np.float32) / 255.0


def is_dot(strokes: list[np.ndarray], canvas: tuple[float, float] | None) -> bool:
    """True when the drawing is too small to be a character (a tap, a dot)."""
    pts = np.concatenate(strokes)
    extent = float((pts.max(axis=0) - pts.min(axis=0)).max())
    reference = max(canvas) if canvas is not None else 0.0
    return extent < 2.0 or (reference > 0 and extent < MIN_EXTENT * reference)


def strokes_to_cell(strokes: Sequence[Stroke], canvas: tuple[float, float] | None = None,
                    y_up: bool = False) -> np.ndarray | None:
    """The 28x28 float cell the character model takes, or None for an empty canvas or a dot."""
    pts = check_strokes(strokes, canvas)
    if not pts or is_dot(pts, canvas):
        return None
    ink = _ink(pts, y_up)
    return fit_cell(ink, (ink > 0.5).astype(np.uint8) * 255)


def strokes_to_image(strokes: Sequence[Stroke], canvas: tuple[float, float] | None = None,
                     y_up: bool = False) -> np.ndarray | None:
    """Dark ink on white (uint8 gray), as a photo of paper would give: for ``chars`` and word readers.

    None for an empty canvas or a dot. Characters keep their relative sizes and spacing.
    """
    pts = check_strokes(strokes, canvas)
    if not pts or is_dot(pts, canvas):
        return None
    ink = _ink(pts, y_up, word=True)
    pad = math.ceil(INK_HEIGHT * 0.25)
    ink = cv2.copyMakeBorder(ink, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    return (255 - ink * 255).astype(np.uint8)
