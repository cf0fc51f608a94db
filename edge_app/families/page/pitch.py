"""Fixed-pitch print (receipts, tickets, typewritten forms): spaces from the character grid.

A till's printer puts every character in a cell of the same width, so a narrow one (``.``, ``1``,
``I``) stands in a wide gap. The line reader, trained on book print, reads that gap as a space
(``40. 40``, ``L I FE``). On such print the space is where a cell is empty:

- :func:`glyph_spans`: where the characters are in a reader input (its ink components, those one above
  the other merged);
- :func:`grid_fit`: the pitch and phase whose grid the centres sit on, and how well (the Rayleigh
  statistic of the centres' phases: 1 when every centre is on the grid, near 0.5 for book print);
- :func:`page_pitch`: a page is fixed-pitch when several of its chunks sit on a grid almost exactly;
  its pitch in page pixels;
- :func:`respace`: a chunk's characters re-spaced on that grid: a space between two characters when a
  cell between them has no ink, none otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

INK = 0.35  # reader-input value above which a pixel is ink
MIN_GLYPHS = 5  # a chunk with fewer characters says nothing about the grid
ON_GRID = 0.97  # a chunk is on a grid when its centres' Rayleigh statistic reaches this
MIN_ON_GRID, SHARE_ON_GRID = 3, 0.4  # a page is fixed-pitch with this many such chunks, this share of those telling
SEARCH = (0.7, 1.4, 141)  # pitches tried: this range of the median centre spacing, in this many steps

Span = tuple[str, int, int, float]  # (character, first timestep, last timestep, confidence)


def glyph_spans(inp: np.ndarray) -> np.ndarray:
    """The (left, right) input columns of the characters in a reader input (H x W or H x W x 1): its
    ink components, with those overlapping in x (a colon, an i's dot, a broken stroke) taken as one."""
    img = inp[..., 0] if inp.ndim == 3 else inp
    n, _, stats, _ = cv2.connectedComponentsWithStats((img > INK).astype(np.uint8), connectivity=8)
    spans = sorted((int(x), int(x + w)) for x, _, w, _, area in stats[1:] if area >= 3)
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a < merged[-1][1] - 1:
            merged[-1][1] = max(b, merged[-1][1])
        else:
            merged.append([a, b])
    return np.array(merged, np.float64).reshape(-1, 2)


def glyph_centres(inp: np.ndarray) -> np.ndarray:
    """The x centres (input columns) of the characters in a reader input."""
    return glyph_spans(inp).mean(1)


def grid_fit(centres: np.ndarray) -> tuple[float, float, float]:
    """(pitch, phase, fit) of the grid ``x = phase + k * pitch`` the centres sit on best, among pitches
    near their median spacing; fit is the Rayleigh statistic (1: all exactly on it). (0, 0, 0) with
    fewer than :data:`MIN_GLYPHS` centres."""
    if len(centres) < MIN_GLYPHS:
        return 0.0, 0.0, 0.0
    mid = float(np.median(np.diff(centres)))
    if mid <= 0:
        return 0.0, 0.0, 0.0
    pitches = np.linspace(SEARCH[0] * mid, SEARCH[1] * mid, SEARCH[2])
    phases = np.exp(2j * np.pi * centres[None, :] / pitches[:, None]).mean(1)
    best = int(np.argmax(np.abs(phases)))
    pitch = float(pitches[best])
    phase = float(np.angle(phases[best]) / (2 * np.pi) * pitch) % pitch
    return pitch, phase, float(np.abs(phases[best]))


def page_pitch(chunks: Sequence[tuple[np.ndarray, float]]) -> float | None:
    """The grid pitch in page pixels of a fixed-pitch page, from its chunks' (reader input, x scale);
    None when the page is not fixed-pitch (book print: no chunk, or only the odd one, on a grid)."""
    telling, on = 0, []
    for inp, sx in chunks:
        pitch, _, fit = grid_fit(glyph_centres(inp))
        if pitch == 0:
            continue
        telling += 1
        if fit >= ON_GRID:
            on.append(pitch / sx)
    if len(on) < MIN_ON_GRID or len(on) < SHARE_ON_GRID * telling:
        return None
    return float(np.median(on))


def respace(spans: list[Span], inp: np.ndarray, pitch: float, stride: int) -> list[Span]:
    """A chunk's greedy spans re-spaced on the page's grid (``pitch`` in input columns): a space between
    two characters exactly when a cell between them has no ink (a cell with ink the reader skipped is a
    character it dropped, not a space). The grid's phase comes from where the reader saw the chunk's
    characters."""
    chars = [s for s in spans if s[0] != " "]
    if not chars:
        return spans
    at = np.array([(s[1] + s[2] + 1) / 2 * stride for s in chars])  # where the reader saw each character
    phase = float(np.angle(np.exp(2j * np.pi * at / pitch).mean()) / (2 * np.pi) * pitch)
    inked = set()
    for a, b in (glyph_spans(inp) - phase) / pitch:  # a cell has ink when a character's middle or ink covers its middle
        inked |= {round((a + b) / 2), *range(int(np.ceil(a)), int(np.floor(b)) + 1)}
    out: list[Span] = []
    prev = None
    for s, x in zip(chars, at):
        cell = round((x - phase) / pitch)
        if prev is not None and any(k not in inked for k in range(prev + 1, cell)):
            out.append((" ", s[1], s[1], 1.0))
        out.append(s)
        prev = cell
    return out
