"""What belongs to a page's text block: the column its lines share, and the marks that are punctuation.

A phone photo of a paperback shows more than the page's text: the facing page's line ends past the
gutter, the page's edge, specks and dust in the margins. They sit at a line's height, so line finding
chains them onto the line's ends, where the reader turns them into characters (``the:``, ``206 }``).

- :func:`text_column`: the text block's left and right edges, the dominant starts and ends of the lines;
- :func:`trim_lines`: words outside that column (when what lies outside is a narrow band, not a second
  column) are dropped, and so are small words standing alone past its edge, and marks (blobs lower than
  a letter) before a line's first word or after its last one that are not right beside it, and marks
  above or below the line's words.
"""

from __future__ import annotations

import numpy as np

from ...textlines import Blob

LineParts = tuple[tuple[int, int, int, int], list[Blob], list[Blob]]  # (box, words, marks)
GAP = 2.5  # letter heights: a wider gap inside a line splits it into runs (the main run is the line's text)
HANG = 1.5  # letter heights a word may stand past the column's edge (hanging punctuation, a curl's crowding)
STRIP = 0.35  # what lies outside the column is dropped only when its band is narrower than this share of the column
ISOLATED = 1.5  # letter heights: a word this narrow, this far from the rest and past the column's edge is a mark
NEAR = 0.5  # letter heights: a mark past a line's end must be this close to its words to be punctuation


def main_run(words: list[Blob], letter: float) -> tuple[int, int]:
    """The widest run of words not split by a gap wider than :data:`GAP` letters: (x0, x1)."""
    ws = sorted(words, key=lambda b: b.box[0])
    runs, start, end = [], ws[0].box[0], ws[0].box[2]
    for b in ws[1:]:
        if b.box[0] - end > GAP * letter:
            runs.append((start, end))
            start = b.box[0]
        end = max(end, b.box[2])
    runs.append((start, end))
    return max(runs, key=lambda r: r[1] - r[0])


def text_column(lines: list[LineParts], letter: float) -> tuple[float, float] | None:
    """The text block's (left, right) edges from its lines' main runs: the 15th percentile of the starts and
    the 85th of the ends of the lines at least half as wide as the widest (indented first lines and short
    last lines are many on a page of short paragraphs); None with fewer than three such lines."""
    runs = [main_run(words, letter) for _, words, _ in lines if words]
    if not runs:
        return None
    widest = max(x1 - x0 for x0, x1 in runs)
    wide = [r for r in runs if r[1] - r[0] >= 0.5 * widest]
    if len(wide) < 3:
        return None
    return float(np.percentile([r[0] for r in wide], 15)), float(np.percentile([r[1] for r in wide], 85))


def _box(blobs: list[Blob]) -> tuple[int, int, int, int]:
    b = np.array([x.box for x in blobs])
    return int(b[:, 0].min()), int(b[:, 1].min()), int(b[:, 2].max()), int(b[:, 3].max())


def _punctuation(m: Blob, words: list[Blob], letter: float) -> bool:
    """A mark is kept when it sits within the words' rows and, past the first or last word, right beside it
    (or is a dash or an ellipsis: wide and flat)."""
    wy0, wy1 = min(b.box[1] for b in words), max(b.box[3] for b in words)
    if m.cy < wy0 - 0.25 * letter or m.cy > wy1 + 0.25 * letter:
        return False
    x0, x1 = min(b.box[0] for b in words), max(b.box[2] for b in words)
    gap = max(x0 - m.box[2], m.box[0] - x1, 0)
    width = m.box[2] - m.box[0]
    flat = width >= 0.8 * letter and width > 2.5 * max(1, m.height)
    return gap <= NEAR * letter or flat


def _isolated_ends(words: list[Blob], left: float, right: float, letter: float) -> list[Blob]:
    """The words without a small one at either end that stands past the column's edge, a wide gap from the
    rest (a speck, the page's edge, a cut-off letter of the facing page)."""
    ws = sorted(words, key=lambda b: b.box[0])
    while len(ws) > 1 and ws[0].box[2] - ws[0].box[0] < ISOLATED * letter and (ws[0].box[0] + ws[0].box[2]) / 2 < left \
            and ws[1].box[0] - ws[0].box[2] > ISOLATED * letter:
        ws = ws[1:]
    while len(ws) > 1 and ws[-1].box[2] - ws[-1].box[0] < ISOLATED * letter \
            and (ws[-1].box[0] + ws[-1].box[2]) / 2 > right and ws[-1].box[0] - ws[-2].box[2] > ISOLATED * letter:
        ws = ws[:-1]
    return ws


def trim_lines(lines: list[LineParts], letter: float, strips: bool = True) -> tuple[list[LineParts], int]:
    """Lines without what lies outside the text column and without stray marks; lines left with no words
    are dropped. Returns the lines and how many blobs were dropped. Without ``strips`` (the image is a
    paper cut out of the photo at its edges: no facing page can show), a narrow band of words outside the
    column is kept (a receipt's prices)."""
    col = text_column(lines, letter)
    if col is not None and not strips:
        lo, hi = -np.inf, np.inf
    elif col is not None:
        left, right = col
        span = right - left
        lo, hi = left - HANG * letter, right + HANG * letter
        outside_l = [b.box for _, ws, _ in lines for b in ws if b.box[2] < lo]
        outside_r = [b.box for _, ws, _ in lines for b in ws if b.box[0] > hi]
        if outside_l and max(b[2] for b in outside_l) - min(b[0] for b in outside_l) > STRIP * span:
            lo = -np.inf  # a second column, not a strip of the facing page
        if outside_r and max(b[2] for b in outside_r) - min(b[0] for b in outside_r) > STRIP * span:
            hi = np.inf
    else:
        lo, hi = -np.inf, np.inf
    out, dropped = [], 0
    for _, words, marks in lines:
        kept = [b for b in words if b.box[2] >= lo and b.box[0] <= hi]
        if col is not None and kept:
            kept = _isolated_ends(kept, *col, letter)
        if not kept:
            dropped += len(words) + len(marks)
            continue
        kept_marks = [m for m in marks if lo <= (m.box[0] + m.box[2]) / 2 <= hi and _punctuation(m, kept, letter)]
        dropped += len(words) - len(kept) + len(marks) - len(kept_marks)
        out.append((_box(kept + kept_marks), kept, kept_marks))
    return out, dropped
