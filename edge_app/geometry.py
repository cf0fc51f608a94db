"""Boxes and quadrilaterals: overlap of boxes and the perspective warp of a found region to an upright crop."""

from __future__ import annotations

import cv2
import numpy as np


def iou(a: list[int], b: list[int]) -> float:
    """Intersection over union of two [x, y, w, h] boxes."""
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def upright_transform(quad: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """The perspective matrix taking ``quad`` (TL, TR, BR, BL) to an upright rectangle, and that
    rectangle's (width, height): its longer opposite sides' lengths."""
    q = np.float32(quad)
    w = max(8, int(round(max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[2] - q[3])))))
    h = max(8, int(round(max(np.linalg.norm(q[3] - q[0]), np.linalg.norm(q[2] - q[1])))))
    dst = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    return cv2.getPerspectiveTransform(q, dst), (w, h)


def rectify(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Warp the region inside ``quad`` (TL, TR, BR, BL) to an upright crop of the same size."""
    m, size = upright_transform(quad)
    return cv2.warpPerspective(image, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
