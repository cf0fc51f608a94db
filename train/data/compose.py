"""Compose "photographed lines" from single character crops: paper, spacing, baseline jitter.

Used to measure ``edgeocr read --task chars`` on real handwriting laid out as a line.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import augment


def compose_line(crops: list[np.ndarray], text: str, rng: np.random.Generator,
                 height: int = 48) -> np.ndarray:
    """Lay out dark-on-light gray ``crops`` for the non-space characters of ``text`` on one paper line.

    Spaces in ``text`` become wider gaps. Returns a uint8 grayscale image.
    """
    chars = [c for c in text if c != " "]
    if len(chars) != len(crops):
        raise ValueError("one crop per non-space character")
    ink_parts = []
    for crop in crops:
        g = crop.astype(np.float32)
        bg = float(np.percentile(g, 90))
        ink = np.clip((bg - g) / max(bg - float(g.min()), 1.0), 0, 1)
        scale = height * rng.uniform(0.8, 1.05) / max(crop.shape[0], 1)
        ink = cv2.resize(ink, (max(2, round(crop.shape[1] * scale)), max(2, round(crop.shape[0] * scale))))
        ink_parts.append(ink)
    gap_char, gap_word = int(height * 0.12), int(height * 0.9)
    width = sum(p.shape[1] for p in ink_parts) + gap_word * (text.count(" ") + 2) + gap_char * len(ink_parts)
    canvas = np.zeros((int(height * 2.0), width), np.float32)
    x = gap_word
    i = 0
    for c in text:
        if c == " ":
            x += gap_word
            continue
        p = ink_parts[i]
        y = int(height * 0.5 + rng.normal(0, height * 0.04))
        y = min(max(0, y), canvas.shape[0] - p.shape[0])
        canvas[y : y + p.shape[0], x : x + p.shape[1]] = np.maximum(canvas[y : y + p.shape[0], x : x + p.shape[1]], p)
        x += p.shape[1] + int(gap_char * rng.uniform(0.6, 1.6))
        i += 1
    canvas = canvas[:, : x + gap_word]
    bg = augment.paper(*canvas.shape, rng)
    img = bg - canvas * rng.uniform(0.5, 0.8) * bg.mean()
    img += rng.normal(0, 2.0, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)
