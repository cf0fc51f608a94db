"""Preprocess stage for the plate detector: a photo of any size -> the 512x512 RGB letterbox (``DET_SIZE``).

Training builds its inputs with :func:`to_input` from the same letterbox geometry, so the detector sees
the same pixels on the desktop and on the device.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .spec import DET_SIZE, PAD_VALUE


@dataclass(frozen=True)
class Letterbox:
    """Where the photo sits in the detector's input: input = photo * scale + (pad_x, pad_y)."""

    scale: float
    pad_x: float
    pad_y: float

    def to_photo(self, boxes: np.ndarray) -> np.ndarray:
        """[x, y, w, h] rows in input pixels -> photo pixels."""
        out = np.asarray(boxes, np.float64).copy()
        out[:, 0] = (out[:, 0] - self.pad_x) / self.scale
        out[:, 1] = (out[:, 1] - self.pad_y) / self.scale
        out[:, 2:4] /= self.scale
        return out


def to_input(rgb_u8: np.ndarray) -> np.ndarray:
    """A uint8 RGB image of the input size -> the model's float32 input in [0, 1]."""
    return rgb_u8.astype(np.float32) / 255.0


def letterbox(image: np.ndarray) -> tuple[np.ndarray, Letterbox]:
    """A gray, BGR or BGRA photo -> (the float32 RGB input of ``DET_SIZE``, where the photo sits in it)."""
    if image.ndim == 2:
        rgb = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    else:
        rgb = cv2.cvtColor(image[..., :3], cv2.COLOR_BGR2RGB)
    H, W = DET_SIZE
    h, w = rgb.shape[:2]
    scale = min(W / w, H / h)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    small = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    canvas = np.full((H, W, 3), PAD_VALUE, np.uint8)
    px, py = (W - nw) // 2, (H - nh) // 2
    canvas[py : py + nh, px : px + nw] = small
    return to_input(canvas), Letterbox(scale, float(px), float(py))
