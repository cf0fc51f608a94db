"""Preprocess stage for printed lines: a line image -> the page reader's 32x512 input."""

from __future__ import annotations

import numpy as np

from ...preprocess import LINE_KERNEL, fit_line, ink_map, otsu, to_gray
from .spec import PRINT_SIZE


def print_mask(ink: np.ndarray) -> np.ndarray:
    """Binary mask (uint8 0/255) of printed ink: Otsu on the ink map (with its floor), every
    component kept, since a full stop in small type is only a few pixels."""
    u8 = (ink * 255.0).astype(np.uint8)
    return u8 if u8.max() == 0 else otsu(u8)[1]


def print_line_input(image: np.ndarray) -> np.ndarray:
    """A printed line image (gray or BGR, any polarity) -> the page reader's float32 32x512.

    The page pipeline (:mod:`edge_app.families.page.segment`) gives each line chunk the same treatment from the
    page's own ink map: :func:`print_mask`, then :func:`fit_line` at PRINT_SIZE.
    """
    ink = ink_map(to_gray(image), max_kernel=LINE_KERNEL)
    return fit_line(ink, print_mask(ink), PRINT_SIZE)
