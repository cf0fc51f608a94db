"""Segment stage for plates: find plate-like regions in a whole photo and rectify each to a crop.

Classical OpenCV, no model: characters on a plate make a band of strong, dense vertical edges.
Morphological black-hat and top-hat bring out dark-on-light and light-on-dark characters; a
horizontal gradient, a closing as wide as a character gap and a threshold turn each plate into
a blob; blobs with plate-like size, aspect and fill are kept and rectified along their rotated
rectangle, grown by a small margin. Whether a candidate really is a plate is decided
by the reader (see :class:`edge_app.families.plate.reader.PlateReader`), which is cheap at ~1-2 ms a crop.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ...geometry import iou
from ...preprocess import to_gray

WORK_WIDTH = 640  # photos are searched at this width
MAX_CANDIDATES = 8


@dataclass
class Candidate:
    """A plate-like region: its corners in the photo (TL, TR, BR, BL), box [x, y, w, h] and score."""

    quad: np.ndarray
    box: list[int]
    score: float


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s, d = pts.sum(1), np.diff(pts, axis=1).ravel()
    return np.float32([pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]])


def _plate_quad(rect: tuple, img_w: int, img_h: int) -> np.ndarray:
    """The blob's rotated rectangle with a small margin (the blob already spans the plate), clipped to the image."""
    (cx, cy), (w, h), angle = rect
    if w < h:  # OpenCV's angle convention: make w the long side
        w, h, angle = h, w, angle + 90
    w_new = w * 1.04
    h_new = h * 1.08
    box = cv2.boxPoints(((cx, cy), (w_new, h_new), angle))
    box[:, 0] = np.clip(box[:, 0], 0, img_w - 1)
    box[:, 1] = np.clip(box[:, 1], 0, img_h - 1)
    return _order(box)


def find_plates(image: np.ndarray, min_width: int = 24) -> list[Candidate]:
    """Plate-like regions of a photo, best first; ``min_width`` in photo pixels."""
    gray = to_gray(image)
    H, W = gray.shape
    scale = min(1.0, WORK_WIDTH / W)
    small = cv2.resize(gray, (max(1, int(W * scale)), max(1, int(H * scale))), interpolation=cv2.INTER_AREA) \
        if scale < 1.0 else gray
    sh, sw = small.shape
    if sh < 16 or sw < 16:
        return []
    found: list[Candidate] = []
    for char_h in (12, 24, 40):  # character heights (work pixels) the kernels are tuned for
        k = cv2.getStructuringElement(cv2.MORPH_RECT, (char_h * 2 // 3 | 1, char_h | 1))
        hat = cv2.max(cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, k), cv2.morphologyEx(small, cv2.MORPH_TOPHAT, k))
        grad = np.abs(cv2.Sobel(hat, cv2.CV_32F, 1, 0, ksize=3))
        grad = cv2.GaussianBlur(grad, (char_h // 2 * 2 + 1, 3), 0)
        hi = float(grad.max())
        if hi <= 0:
            continue
        g8 = (grad / hi * 255).astype(np.uint8)
        _, mask = cv2.threshold(g8, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (char_h, 3)))
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN,
                                cv2.getStructuringElement(cv2.MORPH_RECT, (char_h // 3 | 1, char_h // 3 | 1)))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            rect = cv2.minAreaRect(c)
            (rw, rh) = rect[1]
            long, short = max(rw, rh), min(rw, rh)
            if short < char_h * 0.5 or short > char_h * 2.5 or long < min_width * scale:
                continue
            aspect = long / max(short, 1)
            fill = cv2.contourArea(c) / max(rw * rh, 1)
            if not 1.5 <= aspect <= 9 or fill < 0.45:
                continue
            quad = _plate_quad(rect, sw, sh) / scale
            x0, y0 = quad.min(0)
            x1, y1 = quad.max(0)
            score = fill * min(aspect, 4.5)
            found.append(Candidate(quad.astype(np.float32), [int(x0), int(y0), int(x1 - x0), int(y1 - y0)], score))
    found.sort(key=lambda c: -c.score)
    return _suppress(found)[:MAX_CANDIDATES]


def _suppress(cands: list[Candidate], thresh: float = 0.4) -> list[Candidate]:
    kept: list[Candidate] = []
    for c in cands:
        if all(iou(c.box, k.box) < thresh for k in kept):
            kept.append(c)
    return kept
