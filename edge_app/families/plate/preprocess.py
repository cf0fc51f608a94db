"""Preprocess stage for plates: a plate crop -> the reader's 64x128 input."""

from __future__ import annotations

import cv2
import numpy as np

from ...preprocess import to_gray
from .spec import PLATE_SIZE


def plate_input(image: np.ndarray) -> np.ndarray:
    """A plate crop (gray or BGR, any size) -> float32 64x128 in [0, 1], contrast stretched.

    The crop is resized without keeping its aspect (wide EU plates are squeezed, as in training);
    the 1st-99th percentile range of grey is stretched to [0, 1], so dim and glary plates look alike.
    """
    gray = to_gray(image)
    h, w = PLATE_SIZE
    shrink = gray.shape[0] > h or gray.shape[1] > w
    g = cv2.resize(gray, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR).astype(np.float32)
    lo, hi = (float(v) for v in np.percentile(g, [1, 99]))
    return np.clip((g - lo) / max(hi - lo, 16.0), 0.0, 1.0).astype(np.float32)
