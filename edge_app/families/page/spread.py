"""Two pages side by side: a photo of an open book's spread, read left page first, then right.

Line finding chains words at one height into one line, so a spread's left and right pages would be
read across the gutter, line by line. :func:`gutter` finds the band between two pages: an empty
vertical band at least :data:`GUTTER` letters wide (words cross it on at most :data:`CROSSING` lines: a
smudge along the photo's edge), with a page's text block on each side (at least :data:`PAGE_LETTERS`
letters wide, :data:`PAGE_LINES` lines lined up with its edges) and the two of comparable widths
(:data:`PAGE_RATIO`). The gutter's shadow is no obstacle: the ink map has removed it.

What stays one page: a page with the narrow strip of the facing page's line ends past its gutter
(:func:`edge_app.families.page.column.trim_lines` drops the strip), a receipt's column of prices, columns
closer than :data:`GUTTER` (most two-column layouts), a scene's clutter beside a page (words, but not
lines lined up). A page set in two columns that far apart is read as a spread, left column then right:
its reading order too (a heading across both would be cut at the band).
"""

from __future__ import annotations

import numpy as np

from .column import LineParts, main_run, text_column

GUTTER = 4.0  # letter heights: the narrowest empty band between a spread's two text blocks
PAGE_LETTERS = 20.0  # letter heights: each text block is at least this wide ...
PAGE_LINES = 5  # ... with at least this many lines that start at its left edge or end at its right one ...
ALIGN = 1.0  # ... (within this many letter heights) ...
FULL = 0.6  # ... and run across at least this share of its width ...
PAGE_RATIO = 0.5  # ... and is at least this share of the other's width (a facing page's strip is less)
WORD = 1.0  # letter heights: narrower words do not count toward the band's emptiness (a speck, a lone "a")
CROSSING = 2  # lines whose words may cross the band (a smudge along the photo's edge read as a line)


def _gaps(lines: list[LineParts], letter: float) -> list[tuple[int, int]]:
    """The bands of columns (x0, x1), widest first, at least :data:`GUTTER` letters wide, between the words'
    leftmost and rightmost columns, that words at least :data:`WORD` letters wide cover on at most
    :data:`CROSSING` lines."""
    wide = [[b for b in ws if b.box[2] - b.box[0] >= WORD * letter] for _, ws, _ in lines]
    boxes = [b.box for ws in wide for b in ws]
    if not boxes:
        return []
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    crossing = np.zeros(right - left, np.int32)  # lines with a word over each column
    for ws in wide:
        covered = np.zeros(right - left, bool)
        for b in ws:
            covered[b.box[0] - left : b.box[2] - left] = True
        crossing += covered
    edges = np.flatnonzero(np.diff(np.concatenate([[1], (crossing > CROSSING).astype(np.int8), [1]])))
    runs = [(left + int(a), left + int(b)) for a, b in zip(edges[::2], edges[1::2]) if b - a >= GUTTER * letter]
    return sorted(runs, key=lambda r: r[0] - r[1])


def _page_width(lines: list[LineParts], letter: float) -> float | None:
    """The width of a page's text block made of ``lines``, or None when they are not one: a text column
    (:func:`edge_app.families.page.column.text_column`) at least :data:`PAGE_LETTERS` letters wide, with at
    least :data:`PAGE_LINES` lines that start at its left edge or end at its right one (within :data:`ALIGN`
    letters) and run across at least :data:`FULL` of it (a scene's clutter makes words, not lines lined up)."""
    col = text_column(lines, letter)
    if col is None or col[1] - col[0] < PAGE_LETTERS * letter:
        return None
    (left, right), width = col, col[1] - col[0]
    runs = [main_run(ws, letter) for _, ws, _ in lines]
    full = sum(min(abs(x0 - left), abs(x1 - right)) <= ALIGN * letter and x1 - x0 >= FULL * width
               for x0, x1 in runs)
    return width if full >= PAGE_LINES else None


def _pages_beside(lines: list[LineParts], x: int, letter: float) -> bool:
    """Whether the words left of column ``x`` and those right of it are two pages' text blocks of
    comparable widths."""
    widths = []
    for on_side in (lambda b: b.box[2] <= x, lambda b: b.box[0] >= x):
        side = [(box, [b for b in ws if on_side(b)], marks) for box, ws, marks in lines]
        widths.append(_page_width([ln for ln in side if ln[1]], letter))
    return None not in widths and min(widths) >= PAGE_RATIO * max(widths)


def gutter(lines: list[LineParts], letter: float) -> int | None:
    """The column between the two pages of a spread (working-image x): the middle of the widest empty band
    with a page's text block on each side; None when the lines are one page's."""
    for x0, x1 in _gaps(lines, letter):
        if _pages_beside(lines, (x0 + x1) // 2, letter):
            return (x0 + x1) // 2
    return None
