"""Preprocess stage for handwriting: a word or line image -> the reader's 32x256 input."""

from __future__ import annotations

import numpy as np

from ...preprocess import LINE_KERNEL, fit_line, ink_map, line_mask, to_gray
from .spec import INK_SENSITIVITY, LINE_SIZE


def line_input(image: np.ndarray) -> np.ndarray:
    """A word or line image (gray or BGR, any polarity) -> the handwriting reader's float32 32x256.

    Ink is found as for characters (:func:`ink_map`), masked at :data:`INK_SENSITIVITY` of Otsu's
    threshold (a faint letter stays), cropped to its box, scaled to 28 px high
    with a 2 px margin, left-aligned on black; a blank image gives all zeros.
    """
    ink = ink_map(to_gray(image), max_kernel=LINE_KERNEL)
    return fit_line(ink, line_mask(ink, INK_SENSITIVITY), LINE_SIZE)
