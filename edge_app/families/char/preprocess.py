"""Preprocess stage for characters: any image of one character -> the 28x28 cell the model saw.

The cell is EMNIST-like: white ink on black, the ink's bounding box scaled (aspect kept) to fit
20x20 and centred in 28x28, values in [0, 1]. Training builds every sample with these functions.
"""

from __future__ import annotations

import cv2
import numpy as np

from ...preprocess import ink_map, ink_mask, to_gray
from .spec import CHAR_FIT, CHAR_SIZE


def fit_cell(ink: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Crop ink to its bounding box, scale to fit CHAR_FIT keeping the aspect, centre in CHAR_SIZE."""
    ys, xs = np.nonzero(mask)
    cell = np.zeros((CHAR_SIZE, CHAR_SIZE), np.float32)
    if len(xs) == 0:
        return cell
    x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    crop = ink[y0:y1, x0:x1] * (cv2.dilate(mask[y0:y1, x0:x1], np.ones((3, 3), np.uint8)) > 0)
    h, w = crop.shape
    scale = CHAR_FIT / max(h, w)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = cv2.resize(crop.astype(np.float32), (nw, nh), interpolation=interp)
    ox, oy = (CHAR_SIZE - nw) // 2, (CHAR_SIZE - nh) // 2
    cell[oy : oy + nh, ox : ox + nw] = small
    peak = cell.max()
    if peak > 0:
        cell /= peak
    return cell


def normalize_char(image: np.ndarray) -> np.ndarray:
    """Turn any image holding one character into the model's 28x28 float32 cell in [0, 1].

    Works for dark-on-light photos and light-on-dark images (MNIST) alike. A blank image gives an
    all-zero cell (see :func:`is_blank`).
    """
    gray = to_gray(image)
    ink = ink_map(gray)
    return fit_cell(ink, ink_mask(ink))


def is_blank(cell: np.ndarray) -> bool:
    """True when a normalised cell holds no ink at all."""
    return float(cell.max()) <= 0.0
