"""Segment stage for handwriting: a page, a line or a word -> text lines -> model-sized chunks.

Ink is found as for every reader (:func:`edge_app.preprocess.ink_map`, any polarity, uneven light
removed; ruled lines dropped). Letters are joined into word blobs by a short horizontal closing,
then words are chained into lines left to right, each word joining the line whose last word it
continues (so slanted and wavy lines stay whole); dots, commas and i-dots join the line they
sit in. A line too wide for the reader is cut between words into chunks.
"""

from __future__ import annotations

import cv2
import numpy as np

from ...preprocess import LINE_KERNEL, LINE_PAD, fit_line, ink_map, line_mask, line_width, to_gray
from ...textlines import Blob, Line, chain_lines
from .spec import LINE_SIZE


def _blobs(mask: np.ndarray) -> tuple[np.ndarray, list[Blob], float]:
    """Word blobs (letters closed horizontally), their label image and the typical letter height."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    areas = stats[1:, cv2.CC_STAT_AREA]
    typical = float(np.median(heights[areas >= max(np.median(areas), 0.05 * areas.max())]))
    gap = max(3, round(typical * 0.45))
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    blobs = [Blob(i, (int(x), int(y), int(x + w), int(y + h))) for i, (x, y, w, h, _) in enumerate(stats) if i]
    return labels, blobs, typical


def _chunk_input(ink: np.ndarray, labels: np.ndarray, blobs: list[Blob], mask: np.ndarray,
                 faint_mask: np.ndarray) -> np.ndarray:
    """The reader's input for some blobs of one line: their ink alone, masked as a word photo is in
    training (:func:`line_mask` of the whole image, then :func:`fit_line`). A line too faint for
    that mask (thin pen beside bold lines) uses the sensitive mask it was found with instead."""
    boxes = np.array([b.box for b in blobs])
    x0, y0, x1, y1 = boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()
    own = cv2.dilate(np.isin(labels[y0:y1, x0:x1], [b.label for b in blobs]).astype(np.uint8), np.ones((3, 3)))
    chunk, m = ink[y0:y1, x0:x1] * own, mask[y0:y1, x0:x1] * own
    faint = faint_mask[y0:y1, x0:x1] * own
    if np.count_nonzero(m) < 0.5 * np.count_nonzero(faint):
        m = faint
    return fit_line(chunk, m, LINE_SIZE)


def segment_lines(image: np.ndarray) -> list[Line]:
    """Find the text lines of a page, a line or a word (gray or BGR); [] when there is no ink.

    Each line's ``chunks`` are the reader's inputs: its words in groups no wider than the model's
    input at 28 px high, each made by :func:`edge_app.preprocess.fit_line`, as in training.
    """
    ink = ink_map(to_gray(image), max_kernel=LINE_KERNEL)
    faint_mask = line_mask(ink, sensitivity=0.5)
    if not faint_mask.any():
        return []
    mask = line_mask(ink)
    labels, blobs, typical = _blobs(faint_mask)
    lines = chain_lines(blobs, typical)
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
            line.chunks.append(_chunk_input(ink, labels, g + marks, mask, faint_mask))
    return lines
