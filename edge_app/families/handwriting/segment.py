"""Segment stage for handwriting: a page, a line or a word -> text lines -> model-sized chunks.

Ink is found as for every reader (:func:`edge_app.preprocess.ink_map`, any polarity, uneven light
removed; ruled lines dropped) and masked at half Otsu's threshold, so a faint letter stays. On a page
(letters under a fifth of its shorter side) or under a shadow band (a region with a soft outline), the
background is estimated again over a letter's height, so a shadow narrower than a third of the paper
goes too. Letters are joined into word blobs by a short horizontal closing (on a page, a blob several lines
tall, lines touching through their ascenders and descenders, is cut at its waists), then words are chained into lines
left to right, each word joining the line whose last word it continues (so slanted and wavy lines stay
whole); dots, commas and i-dots join the line they sit in; a line that is only a fragment (a pen stroke
parted from its letter, an i's dot) joins the line it sits in or just above or below, or goes when the
frame's border cut it. A line too wide for the reader is cut between words into chunks, each masked as in
training (a page's with Otsu's outline, plus its faint letters).
"""

from __future__ import annotations

import cv2
import numpy as np

from ...preprocess import LINE_KERNEL, LINE_PAD, fit_line, ink_map, line_mask, line_width, to_gray, with_faint_parts
from ...textlines import Blob, Line, chain_lines, split_touching
from .spec import INK_SENSITIVITY, LINE_SIZE

PAGE_LETTERS = 0.2  # letters under this share of the shorter side: a page (or a note)
FRAGMENT, FRAGMENT_WIDE = 0.65, 1.5  # a line lower and narrower than this many letter heights is a fragment
FRAGMENT_REACH = 0.5  # a fragment this many letter heights above or below a line belongs to it (an i's dot)
SPLIT = 2.0  # on a page, a word blob taller than this many letter heights is lines touching
CUT_PASSES = 4  # each pass cuts such a blob once at its waist: up to 2**4 lines touching come apart
CUT_LETTER = 12  # px: letters smaller than this are too small to cut between (specks in a dim photo)
SOFT_EDGE = 0.04  # ink per px across a region's outline below which it is a shadow (pens: >= 0.08, shadows <= 0.02)


def _blobs(mask: np.ndarray, page: bool) -> tuple[np.ndarray, list[Blob], float]:
    """Word blobs (letters closed horizontally; on a ``page``, lines touching through their ascenders and
    descenders cut apart at their waists), their label image and the typical letter height."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    areas = stats[1:, cv2.CC_STAT_AREA]
    typical = float(np.median(heights[areas >= max(np.median(areas), 0.05 * areas.max())]))
    gap = max(3, round(typical * 0.45))
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    passes = CUT_PASSES if page and typical >= CUT_LETTER else 0
    while passes and split_touching(closed, labels, stats, typical, SPLIT):
        n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
        passes -= 1
    blobs = [Blob(i, (int(x), int(y), int(x + w), int(y + h))) for i, (x, y, w, h, _) in enumerate(stats) if i]
    return labels, blobs, typical


def _letters(ink: np.ndarray, mask: np.ndarray) -> tuple[float, bool]:
    """The letters' typical height and whether the mask holds a shadow: a region over 1% of the image
    whose outline crosses the ink map gently (median slope under SOFT_EDGE per px), not a letter."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    edge = (mask > 0) & (cv2.erode(mask, np.ones((3, 3), np.uint8)) == 0)
    slope = np.hypot(cv2.Sobel(ink, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(ink, cv2.CV_32F, 0, 1, ksize=3)) / 8
    soft = np.zeros(n, bool)
    for i in np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] > 0.01 * mask.size) + 1:
        soft[i] = float(np.median(slope[edge & (labels == i)])) < SOFT_EDGE
    h, area = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    rest = ~soft[1:]
    if not rest.any():
        return float(min(mask.shape)), bool(soft.any())
    a = area[rest]
    return float(np.median(h[rest][a >= max(np.median(a), 0.05 * a.max())])), bool(soft.any())


def _chunk_input(ink: np.ndarray, labels: np.ndarray, blobs: list[Blob], mask: np.ndarray) -> np.ndarray:
    """The reader's input for some blobs of one line: their ink alone, masked by ``mask``, then
    :func:`fit_line` (as a word photo is in training)."""
    boxes = np.array([b.box for b in blobs])
    x0, y0, x1, y1 = boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()
    own = cv2.dilate(np.isin(labels[y0:y1, x0:x1], [b.label for b in blobs]).astype(np.uint8), np.ones((3, 3)))
    return fit_line(ink[y0:y1, x0:x1] * own, mask[y0:y1, x0:x1] * own, LINE_SIZE)


def _without_fragments(lines: list[Line], typical: float, shape: tuple[int, ...]) -> list[Line]:
    """Lines that are a fragment (lower than :data:`FRAGMENT` letters and narrower than
    :data:`FRAGMENT_WIDE`: a pen's stroke parted from its letter, an i's dot, a scrap cut off by the frame)
    go: into the nearest line whose box holds them, or has them just above or below it
    (:data:`FRAGMENT_REACH`), as marks read with it, or, at the frame's border, away."""
    h, w = shape[:2]
    fragment = [_fragment(ln, typical) for ln in lines]
    whole = [ln for ln, f in zip(lines, fragment) if not f]
    out = []
    for ln, f in zip(lines, fragment):
        if not f:
            out.append(ln)
            continue
        x0, y0, x1, y1 = ln.box
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        gaps = [(max(k.box[1] - cy, cy - k.box[3], 0.0), i) for i, k in enumerate(whole)
                if k.box[0] <= cx <= k.box[2]]
        gap, home = min(gaps, default=(np.inf, -1))
        if gap <= FRAGMENT_REACH * typical:
            whole[home].marks.extend(ln.words + ln.marks)
        elif x0 > 0 and y0 > 0 and x1 < w and y1 < h:
            out.append(ln)
    return out


def _fragment(line: Line, typical: float) -> bool:
    x0, y0, x1, y1 = line.box
    return y1 - y0 < FRAGMENT * typical and x1 - x0 < FRAGMENT_WIDE * typical


def segment_lines(image: np.ndarray) -> list[Line]:
    """Find the text lines of a page, a line or a word (gray or BGR); [] when there is no ink.

    Each line's ``chunks`` are the reader's inputs: its words in groups no wider than the model's
    input at 28 px high, each made by :func:`edge_app.preprocess.fit_line`, as in training.
    """
    gray = to_gray(image)
    ink = ink_map(gray, max_kernel=LINE_KERNEL)
    mask = line_mask(ink, INK_SENSITIVITY)
    if not mask.any():
        return []
    letters, shadow = _letters(ink, mask)
    page = letters <= min(gray.shape) * PAGE_LETTERS
    if shadow or page:  # the background over a letter's height
        ink = ink_map(gray, max_kernel=LINE_KERNEL, background=round(letters))
        mask = line_mask(ink, INK_SENSITIVITY)
        if not mask.any():
            return []
    labels, blobs, typical = _blobs(mask, page)
    # A word photo's input is masked as in training; a page's small writing keeps Otsu's outline (at the
    # model's scale the lower threshold thickens its strokes with their blur), plus its faint letters.
    chunk_mask = with_faint_parts(line_mask(ink), mask) if page else mask
    lines = _without_fragments(chain_lines(blobs, typical), typical, mask.shape)
    limit = LINE_SIZE[1] - 2 * LINE_PAD
    for line in lines:
        groups: list[list[Blob]] = [[]]
        height = line.box[3] - line.box[1]
        for w in line.words:
            trial = groups[-1] + [w]
            span = max(b.box[2] for b in trial) - min(b.box[0] for b in trial)
            if groups[-1] and line_width((height, span), LINE_SIZE) > limit:
                groups.append([w])
            else:
                groups[-1] = trial
        for i, g in enumerate(groups):
            lo, hi = min(b.box[0] for b in g), max(b.box[2] for b in g)
            marks = [m for m in line.marks if lo <= (m.box[0] + m.box[2]) / 2 <= hi
                     or (i == len(groups) - 1 and m.box[0] >= hi)]
            line.chunks.append(_chunk_input(ink, labels, g + marks, chunk_mask))
    return lines
