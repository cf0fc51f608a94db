"""Preprocess stage, the part every family shares: gray, ink polarity, an ink map with the
background and uneven light removed, ink masks, and fitting a line of ink into a model's input.

Each family's own input (the 28x28 character cell, the 64x128 plate, the 32x256 and 32x512 lines)
is built from these in ``edge_app/families/<name>/preprocess.py``; ``train/`` imports those same
functions, so the pixels a model is trained on and the pixels it sees on a phone come from one code.
"""

from __future__ import annotations

import cv2
import numpy as np

LINE_PAD = 2  # px of black above and below the ink in a line image
LINE_KERNEL = 9  # widest background-estimate opening for line images (speed)
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


def ink_map(gray: np.ndarray, max_kernel: int | None = None, background: int | None = None) -> np.ndarray:
    """Map grayscale to float32 ink strength in [0, 1] (1 = strongest ink), background 0.

    The background is estimated locally (a morphological opening wider than any stroke, then a
    blur), so a light gradient or a shadow across the paper is removed rather than read as ink.
    ``max_kernel`` estimates it on a smaller copy so the opening stays at most that wide (faster).
    ``background``: the opening's width in px (default a third of the shorter side); a narrower one,
    still wider than the strokes, removes a shadow band narrower than a third of the paper too.
    """
    g = gray.astype(np.float32)
    if dark_ink(gray):
        g = 255.0 - g
    h, w = g.shape
    width = min(h, w) // 3 if background is None else max(3, min(background, min(h, w) // 3))
    shrink = max(1, min(h, w) // 160)
    if max_kernel:
        shrink = max(shrink, -(-width // max_kernel))
    small = cv2.resize(g, (w // shrink, h // shrink), interpolation=cv2.INTER_AREA) if shrink > 1 else g
    k = max(3, (width // shrink) | 1)
    se = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    bg = cv2.blur(cv2.morphologyEx(small, cv2.MORPH_OPEN, se), (k, k))
    if shrink > 1:
        bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    return scale_ink(np.clip(g - bg, 0.0, None))


def scale_ink(diff: np.ndarray) -> np.ndarray:
    """A map of ink above its background (0-255 scale) as strength in [0, 1]: its 99.5th percentile is 1;
    sparse ink (under 0.5% of the image: a small word in a big photo) is scaled to the ink itself, above
    the background's noise; all zero when the ink is too faint to be text."""
    span, peak = (float(v) for v in np.percentile(diff, [99.5, 99.99]))
    if peak > 2.0 * span:
        med = float(np.median(diff))
        floor = med + 4.0 * 1.4826 * float(np.median(np.abs(diff - med)))
        diff = np.clip(diff - floor, 0.0, None)
        span = 0.5 * (peak - floor)
    if span < MIN_INK_CONTRAST * 255.0:
        return np.zeros_like(diff)
    return np.clip(diff / span, 0.0, 1.0)


def otsu(u8: np.ndarray) -> tuple[float, np.ndarray]:
    """Otsu's threshold and mask (0/255); a nearly empty map (threshold under 40), where Otsu
    would split noise, is cut at 40 instead."""
    t, mask = cv2.threshold(u8, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if t < 40:
        _, mask = cv2.threshold(u8, 40, 255, cv2.THRESH_BINARY)
    return t, mask


SIDE_SPECK = 0.15, 0.1  # area under this share of the biggest part, this far beside it (share of its size)


def ink_mask(ink: np.ndarray) -> np.ndarray:
    """Binary mask (uint8 0/255) of one character's ink, by Otsu on the ink map, with specks removed:
    parts under 4% of the biggest, thin lines along the border, and small parts (:data:`SIDE_SPECK`) to
    the side of the character (dust beside it; an i's dot, above its stem, stays)."""
    u8 = (ink * 255.0).astype(np.uint8)
    if u8.max() == 0:
        return u8
    _, mask = otsu(u8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 2:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    h, w = mask.shape
    keep = np.zeros(n, dtype=bool)
    biggest = areas.max()
    main = 1 + int(areas.argmax())
    mx, mw, mh = stats[main, cv2.CC_STAT_LEFT], stats[main, cv2.CC_STAT_WIDTH], stats[main, cv2.CC_STAT_HEIGHT]
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        spans = (x == 0 and x + bw == w and bh < h / 4) or (y == 0 and y + bh == h and bw < w / 4)
        touches = x == 0 or y == 0 or x + bw == w or y + bh == h
        thin_edge_line = touches and min(bw, bh) <= max(2, min(h, w) // 15) and max(bw, bh) > min(h, w) // 3
        beside = area < SIDE_SPECK[0] * biggest and max(mx - (x + bw), x - (mx + mw)) > SIDE_SPECK[1] * max(mw, mh)
        keep[i] = area >= 0.04 * biggest and not (thin_edge_line or spans or beside)
    if not keep.any():
        return np.zeros_like(mask)
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def line_mask(ink: np.ndarray, sensitivity: float = 1.0) -> np.ndarray:
    """Binary mask (uint8 0/255) of a word's or line's ink: Otsu, specks under 4 px dropped.

    Unlike :func:`ink_mask`, small components are kept (dots, commas, the i's dot belong to the
    text); thin lines across most of the width (ruled paper, page edges) are dropped.
    ``sensitivity`` < 1 lowers the threshold (finding faint lines on a page of bold ones).
    """
    u8 = (ink * 255.0).astype(np.uint8)
    if u8.max() == 0:
        return u8
    t, mask = otsu(u8)
    if t >= 40 and sensitivity != 1.0:  # lower, but above the background's noise (and never above Otsu's)
        bg = u8[u8 < t].astype(np.float32)
        med = float(np.median(bg))
        noise = med + 6.0 * 1.4826 * float(np.median(np.abs(bg - med)))
        _, mask = cv2.threshold(u8, min(float(t), max(24.0, noise, t * sensitivity)), 255, cv2.THRESH_BINARY)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = mask.shape
    ruled = (stats[:, cv2.CC_STAT_HEIGHT] <= max(2, h // 12)) & (stats[:, cv2.CC_STAT_WIDTH] > w * 0.6)
    keep = (stats[:, cv2.CC_STAT_AREA] >= 4) & ~ruled
    keep[0] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def with_faint_parts(strong: np.ndarray, faint: np.ndarray) -> np.ndarray:
    """``strong`` (Otsu's mask) plus each part of ``faint`` (a lower threshold's) that it has no pixel
    of: a letter fainter than its neighbours joins the word whole, while the others keep Otsu's outline
    (the lower threshold would thicken them with their blur)."""
    n, labels = cv2.connectedComponents(faint, connectivity=8)
    seen = np.zeros(n, bool)
    seen[labels[strong > 0]] = True
    seen[0] = True
    return np.where((strong > 0) | ~seen[labels], 255, 0).astype(np.uint8)


def fit_line(ink: np.ndarray, mask: np.ndarray, size: tuple[int, int]) -> np.ndarray:
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


def line_width(image_hw: tuple[int, int], size: tuple[int, int]) -> float:
    """The width in model pixels a crop of this (height, width) would take before any squeezing."""
    return image_hw[1] * (size[0] - 2 * LINE_PAD) / max(image_hw[0], 1)


_MOVED = {
    "CHAR_SIZE": "edge_app.families.char.spec", "CHAR_FIT": "edge_app.families.char.spec",
    "fit_cell": "edge_app.families.char.preprocess", "normalize_char": "edge_app.families.char.preprocess",
    "is_blank": "edge_app.families.char.preprocess",
    "PLATE_SIZE": "edge_app.families.plate.spec", "plate_input": "edge_app.families.plate.preprocess",
    "LINE_SIZE": "edge_app.families.handwriting.spec", "line_input": "edge_app.families.handwriting.preprocess",
    "PRINT_SIZE": "edge_app.families.page.spec", "print_line_input": "edge_app.families.page.preprocess",
    "print_mask": "edge_app.families.page.preprocess",
}


def __getattr__(name: str):
    """Names that moved to a family's spec or preprocess (edgeocr 0.1) still resolve, with a warning."""
    if name in _MOVED:
        import importlib
        import warnings

        warnings.warn(f"edge_app.preprocess.{name} moved to {_MOVED[name]}", DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module 'edge_app.preprocess' has no attribute {name!r}")
