"""Draw a result onto its image: boxes and recognised text, for ``--annotate`` and the demo."""

from __future__ import annotations

import cv2
import numpy as np

from .results import Result

LABELS_UP_TO = 40


def annotate(image: np.ndarray, result: Result) -> np.ndarray:
    """Return a BGR copy of ``image`` with each item's box and text drawn on it (boxes only when
    there are more than ``LABELS_UP_TO`` items: a page's words)."""
    img = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image.copy()
    scale = max(1.0, 400.0 / max(img.shape[:2]))
    if scale > 1.0:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)
    heights = [it.box[3] * scale for it in result.items] or [img.shape[0]]
    font_scale = float(np.clip(np.median(heights) / 60.0, 0.5, 2.0))
    for item in result.items:
        x, y, w, h = (int(round(v * scale)) for v in item.box)
        color = (0, 170, 0) if item.confidence >= 0.5 else (0, 120, 255)
        cv2.rectangle(img, (x, y), (x + w - 1, y + h - 1), color, 2 if len(result.items) <= LABELS_UP_TO else 1)
        if len(result.items) > LABELS_UP_TO:
            continue
        label = f"{item.text} {item.confidence:.2f}" if len(result.items) == 1 else item.text
        (tw, th), _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, font_scale, 2)
        ty = y - 4 if y - th - 6 >= 0 else min(img.shape[0] - 2, y + h + th + 4)
        cv2.rectangle(img, (x, ty - th - 3), (x + tw + 2, ty + 3), (255, 255, 255), -1)
        cv2.putText(img, label, (x + 1, ty), cv2.FONT_HERSHEY_SIMPLEX, font_scale, color, 2, cv2.LINE_AA)
    return img
