"""Normalise stage: the single preprocessing implementation shared by training and the device.

``train/`` imports these functions, so the pixels a model is trained on and the pixels it sees on
a phone come from the same code. The character cell is EMNIST-like: white ink on black, the ink's
bounding box scaled (aspect kept) to fit 20x20 and centred in 28x28, values in [0, 1].
"""

from __future__ import annotations

import cv2
import numpy as np

PLATE_SIZE = (64, 128)  # height, width of the plate reader's input
LINE_SIZE = (32, 256)  # height, width of the handwriting reader's input
PRINT_SIZE = (32, 512)  # height, width of the printed-line (page) reader's input
LINE_PAD = 2  # px of black above and below the ink in a line image
LINE_KERNEL = 9  # widest background-estimate opening for line images (speed)
CHAR_SIZE = 28
CHAR_FIT = 20
MIN_INK_CONTRAST = 0.08  # ink must differ from the background by this fraction of 255


def to_gray(image: np.ndarray) -> np.ndarray:
    """Return a uint8 single-channel copy of a gray or BGR uint8 image."""
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def dark_ink(gray: np.ndarray) -> bool:
    """Guess the ink polarity: True when ink is darker than the background (paper, whiteboards).

    The background is the majority of pixels, so ink lies on the far side of the median. When the
    two sides are about even (sparse ink on a lit gradient), the extremes left after removing the
    smooth light decide.
    """
    lo, med, hi = np.percentile(gray, [1, 50, 99])
    below, above = med - lo, hi - med
    if abs(below - above) > 0.25 * max(below, above, 1.0):
        return below >= above
    h, w = gray.shape
    shrink = max(1, max(h, w) // 128)
    small = cv2.resize(gray, (max(1, w // shrink), max(1, h // shrink)), interpolation=cv2.INTER_AREA)
    light = cv2.resize(cv2.GaussianBlur(small.astype(np.float32), (0, 0), 4), (w, h), interpolation=cv2.INTER_LINEAR)
    dark_tail, light_tail = np.percentile(gray.astype(np.float32) - light, [0.05, 99.95])
    return -dark_tail >= light_tail


def ink_map(gray: np.ndarray, max_kernel: int | None = None) -> np.ndarray:
    """Map grayscale to float32 ink strength in [0, 1] (1 = strongest ink), background 0.

    The background is estimated locally (a morphological opening wider than any stroke, then a
    blur), so a light gradient or a shadow across the paper is removed rather than read as ink.
    ``max_kernel`` estimates it on a smaller copy so the opening stays at most that wide (faster).
    """
    g = gray.astype(np.float32)
    if dark_ink(gray):
        g = 255.0 - g
    h, w = g.shape
    shrink = max(1, min(h, w) // 160)
    if max_kernel:
        shrink = max(shrink, -(-(min(h, w) // 3) // max_kernel))
    small = cv2.resize(g, (w // shrink, h // shrink), interpolation=cv2.INTER_AREA) if shrink > 1 else g
    k = max(3, (min(small.shape) // 3) | 1)
    se = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    bg = cv2.blur(cv2.morphologyEx(small, cv2.MORPH_OPEN, se), (k, k))
    if shrink > 1:
        bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    diff = np.clip(g - bg, 0.0, None)
    span, peak = (float(v) for v in np.percentile(diff, [99.5, 99.99]))
    if peak > 2.0 * span:  # sparse ink (under 0.5% of the image: a small word in a big photo):
        med = float(np.median(diff))  # scale to the ink itself, above the background's noise
        floor = med + 4.0 * 1.4826 * float(np.median(np.abs(diff - med)))
        diff = np.clip(diff - floor, 0.0, None)
        span = 0.5 * (peak - floor)
    if span < MIN_INK_CONTRAST * 255.0:
        return np.zeros_like(g)
    return np.clip(diff / span, 0.0, 1.0)


def _otsu(u8: np.ndarray) -> tuple[float, np.ndarray]:
    """Otsu's threshold and mask (0/255); a nearly empty map (threshold under 40), where Otsu
    would split noise, is cut at 40 instead."""
    t, mask = cv2.threshold(u8, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if t < 40:
        _, mask = cv2.threshold(u8, 40, 255, cv2.THRESH_BINARY)
    return t, mask


def ink_mask(ink: np.ndarray) -> np.ndarray:
    """Binary mask (uint8 0/255) of the ink, by Otsu on the ink map, with specks removed."""
    u8 = (ink * 255.0).astype(np.uint8)
    if u8.max() == 0:
        return u8
    _, mask = _otsu(u8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 2:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    h, w = mask.shape
    keep = np.zeros(n, dtype=bool)
    biggest = areas.max()
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        spans = (x == 0 and x + bw == w and bh < h / 4) or (y == 0 and y + bh == h and bw < w / 4)
        touches = x == 0 or y == 0 or x + bw == w or y + bh == h
        thin_edge_line = touches and min(bw, bh) <= max(2, min(h, w) // 15) and max(bw, bh) > min(h, w) // 3
        keep[i] = area >= 0.04 * biggest and not (thin_edge_line or spans)
    if not keep.any():
        return np.zeros_like(mask)
    return np.where(keep[labels], 255, 0).astype(np.uint8)


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


def line_mask(ink: np.ndarray, sensitivity: float = 1.0) -> np.ndarray:
    """Binary mask (uint8 0/255) of a word's or line's ink: Otsu, specks under 4 px dropped.

    Unlike :func:`ink_mask`, small components are kept (dots, commas, the i's dot belong to the
    text); thin lines across most of the width (ruled paper, page edges) are dropped.
    ``sensitivity`` < 1 lowers the threshold (finding faint lines on a page of bold ones).
    """
    u8 = (ink * 255.0).astype(np.uint8)
    if u8.max() == 0:
        return u8
    t, mask = _otsu(u8)
    if t >= 40 and sensitivity != 1.0:  # lower, but above the background's noise
        bg = u8[u8 < t].astype(np.float32)
        med = float(np.median(bg))
        noise = med + 6.0 * 1.4826 * float(np.median(np.abs(bg - med)))
        _, mask = cv2.threshold(u8, max(24.0, noise, t * sensitivity), 255, cv2.THRESH_BINARY)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = mask.shape
    ruled = (stats[:, cv2.CC_STAT_HEIGHT] <= max(2, h // 12)) & (stats[:, cv2.CC_STAT_WIDTH] > w * 0.6)
    keep = (stats[:, cv2.CC_STAT_AREA] >= 4) & ~ruled
    keep[0] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def fit_line(ink: np.ndarray, mask: np.ndarray, size: tuple[int, int] = LINE_SIZE) -> np.ndarray:
    """Crop ink to the mask's box, scale to ``size``'s height less 2x LINE_PAD (aspect kept, squeezed
    only if too wide) and left-align on black. Returns float32 ``size`` in [0, 1]; zero without ink."""
    h, w = size
    out = np.zeros((h, w), np.float32)
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return out
    x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    crop = ink[y0:y1, x0:x1] * (cv2.dilate(mask[y0:y1, x0:x1], np.ones((3, 3), np.uint8)) > 0)
    inner_h = h - 2 * LINE_PAD
    scale = inner_h / crop.shape[0]
    nw = min(w - 2 * LINE_PAD, max(1, round(crop.shape[1] * scale)))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    out[LINE_PAD : LINE_PAD + inner_h, LINE_PAD : LINE_PAD + nw] = cv2.resize(
        crop.astype(np.float32), (nw, inner_h), interpolation=interp)
    peak = out.max()
    return out / peak if peak > 0 else out


def line_width(image_hw: tuple[int, int], size: tuple[int, int] = LINE_SIZE) -> float:
    """The width in model pixels a crop of this (height, width) would take before any squeezing."""
    return image_hw[1] * (size[0] - 2 * LINE_PAD) / max(image_hw[0], 1)


def line_input(image: np.ndarray) -> np.ndarray:
    """A word or line image (gray or BGR, any polarity) -> the handwriting reader's float32 32x256.

    Ink is found as for characters (:func:`ink_map`), cropped to its box, scaled to 28 px high
    with a 2 px margin, left-aligned on black; a blank image gives all zeros.
    """
    ink = ink_map(to_gray(image), max_kernel=LINE_KERNEL)
    return fit_line(ink, line_mask(ink))


def print_mask(ink: np.ndarray) -> np.ndarray:
    """Binary mask (uint8 0/255) of printed ink: Otsu on the ink map (with its floor), every
    component kept, since a full stop in small type is only a few pixels."""
    u8 = (ink * 255.0).astype(np.uint8)
    return u8 if u8.max() == 0 else _otsu(u8)[1]


def print_line_input(image: np.ndarray) -> np.ndarray:
    """A printed line image (gray or BGR, any polarity) -> the page reader's float32 32x512.

    The page pipeline (:mod:`edge_app.page`) gives each line chunk the same treatment from the
    page's own ink map: :func:`print_mask`, then :func:`fit_line` at PRINT_SIZE.
    """
    ink = ink_map(to_gray(image), max_kernel=LINE_KERNEL)
    return fit_line(ink, print_mask(ink), PRINT_SIZE)
