"""Synthetic touch strokes: a font glyph's skeleton traced as pen strokes, to test the stroke path.

The glyph is rendered, thinned to a one-pixel skeleton (Zhang-Suen), and every pair of
neighbouring skeleton pixels becomes a two-point stroke, with timestamps in tracing order.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .fonts import render_text


def thin(mask: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning of a boolean image to a one-pixel-wide skeleton."""
    img = np.pad(mask.astype(bool), 1)
    while True:
        changed = False
        for step in (0, 1):
            p = [np.roll(np.roll(img, -dy, 0), -dx, 1) for dy, dx in
                 ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))]  # P2..P9
            b = sum(q.astype(int) for q in p)
            a = sum((~p[k] & p[(k + 1) % 8]).astype(int) for k in range(8))
            if step == 0:
                cond = ~(p[0] & p[2] & p[4]) & ~(p[2] & p[4] & p[6])
            else:
                cond = ~(p[0] & p[2] & p[6]) & ~(p[0] & p[4] & p[6])
            remove = img & (b >= 2) & (b <= 6) & (a == 1) & cond
            if remove.any():
                img &= ~remove
                changed = True
        if not changed:
            return img[1:-1, 1:-1]


def glyph_strokes(ch: str, font: Path, size: int = 96) -> list[list[tuple[float, float, float]]] | None:
    """Strokes that trace the skeleton of ``ch`` in ``font`` (canvas pixels, y down); None if the font lacks it."""
    ink = render_text(ch, font, size=size, pad=4)
    if ink is None:
        return None
    strokes = ink_strokes(ink)
    on = thin(ink > 0.5)
    if not strokes and on.any():  # a glyph thinned to a single pixel: a dot
        y, x = (int(v[0]) for v in np.nonzero(on))
        strokes.append([(float(x), float(y), 0.0)])
    return strokes


def ink_strokes(ink: np.ndarray) -> list[list[tuple[float, float, float]]]:
    """Strokes tracing the skeleton of any white-on-black ink (a word, a line), as touch input."""
    skel = thin(ink > 0.5)
    ys, xs = np.nonzero(skel)
    on = set(zip(ys.tolist(), xs.tolist()))
    strokes, t = [], 0.0
    for y, x in sorted(on, key=lambda p: (p[1], p[0])):
        for dy, dx in ((0, 1), (1, -1), (1, 0), (1, 1)):
            if (y + dy, x + dx) in on:
                strokes.append([(float(x), float(y), t), (float(x + dx), float(y + dy), t + 0.01)])
                t += 0.01
    return strokes
