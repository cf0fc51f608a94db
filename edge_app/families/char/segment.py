"""Segment stage: find the characters in an image and put them in reading order.

The classic pipeline: grayscale, blur, background-corrected Otsu threshold, a light dilation,
connected contours, a size filter, then lines top to bottom and characters left to right.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ...preprocess import ink_map, to_gray
from .preprocess import fit_cell


@dataclass
class Segment:
    """One character: its box in the image (x, y, w, h), its 28x28 cell, and its line number."""

    box: tuple[int, int, int, int]
    cell: np.ndarray
    line: int
    space_before: bool = False


def _merge_stacked(boxes: list[list[int]]) -> list[list[int]]:
    """Merge a box into another that overlaps it mostly in x (dots of i and j, broken strokes)."""
    merged = True
    while merged:
        merged = False
        for i in range(len(boxes)):
            for j in range(len(boxes)):
                if i == j:
                    continue
                a, b = boxes[i], boxes[j]
                ov = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
                gap = max(a[1], b[1]) - min(a[1] + a[3], b[1] + b[3])
                small, big = (a, b) if a[2] * a[3] <= b[2] * b[3] else (b, a)
                if ov >= 0.6 * small[2] and gap <= 0.6 * big[3] and small[3] < big[3]:
                    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
                    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
                    boxes[i] = [x0, y0, x1 - x0, y1 - y0]
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return boxes


def order_lines(boxes: list[list[int]]) -> list[list[list[int]]]:
    """Group boxes into lines (top to bottom) and sort each line left to right."""
    lines: list[list[list[int]]] = []
    for b in sorted(boxes, key=lambda b: b[1] + b[3] / 2):
        cy = b[1] + b[3] / 2
        for line in lines:
            top = np.median([q[1] for q in line])
            bottom = np.median([q[1] + q[3] for q in line])
            if top <= cy <= bottom:
                line.append(b)
                break
        else:
            lines.append([b])
    return [sorted(line, key=lambda b: b[0]) for line in lines]


def segment_chars(image: np.ndarray, min_height_frac: float = 0.3) -> list[Segment]:
    """Find characters in ``image`` and return them in reading order, each normalised to a cell."""
    gray = to_gray(image)
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    ink = ink_map(blur)
    u8 = (ink * 255).astype(np.uint8)
    if u8.max() == 0:
        return []
    _, mask = cv2.threshold(u8, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    joined = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    boxes = [list(cv2.boundingRect(c)) for c in contours]
    boxes = [b for b in boxes if b[2] * b[3] >= 12]
    if not boxes:
        return []
    boxes = _merge_stacked(boxes)
    heights = np.array([b[3] for b in boxes])
    ref = float(np.percentile(heights, 75))
    boxes = [b for b in boxes if b[3] >= min_height_frac * ref and b[3] < 0.98 * gray.shape[0] + 1]
    segments: list[Segment] = []
    for li, line in enumerate(order_lines(boxes)):
        line_h = float(np.median([b[3] for b in line]))
        gaps = [b[0] - (a[0] + a[2]) for a, b in zip(line, line[1:])]
        usual_gap = float(np.median([g for g in gaps if g > 0])) if any(g > 0 for g in gaps) else 0.0
        prev_right = None
        for x, y, w, h in line:
            crop = ink[y : y + h, x : x + w]
            m = mask[y : y + h, x : x + w]
            gap = x - prev_right if prev_right is not None else 0
            space = prev_right is not None and gap > 0.4 * line_h and gap > 1.8 * usual_gap
            segments.append(Segment((x, y, w, h), fit_cell(crop, m), li, space))
            prev_right = x + w
    return segments
