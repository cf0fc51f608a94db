"""Decode stage for the plate detector's head, in NumPy: heat peaks -> boxes with scores.

A peak is a cell hotter than ``threshold`` and than its eight neighbours (the 3x3 max-pool test of
CenterNet); its box is centred at the cell plus its predicted offset, sized by the squared width and
height outputs, pooled over the peak's 3x3 cells (:func:`_pooled_box`). Of two boxes that overlap
(IoU above ``overlap``, or one's centre inside the other: two peaks on one plate), the hotter is kept.
"""

from __future__ import annotations

import numpy as np

from .spec import DET_SIZE, DET_STRIDE

THRESHOLD = 0.3  # heat a peak needs to be a plate
MAX_BOXES = 20
AGREE = 0.4  # share by which a neighbour's size outputs may differ from its peak's to be pooled


def peaks(heat: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the local maxima of ``heat`` above ``threshold``."""
    padded = np.pad(heat, 1, constant_values=-1.0)
    h, w = heat.shape
    neigh = np.max([padded[dy : dy + h, dx : dx + w] for dy in range(3) for dx in range(3) if (dy, dx) != (1, 1)],
                   axis=0)
    return np.nonzero((heat >= threshold) & (heat >= neigh))


def _iou(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    x0 = np.maximum(box[0], others[:, 0])
    y0 = np.maximum(box[1], others[:, 1])
    x1 = np.minimum(box[0] + box[2], others[:, 0] + others[:, 2])
    y1 = np.minimum(box[1] + box[3], others[:, 1] + others[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    return inter / (box[2] * box[3] + others[:, 2] * others[:, 3] - inter + 1e-9)


def _centre_inside(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Whether ``box``'s centre lies in each of ``others``, or theirs in ``box``."""
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    ocx, ocy = others[:, 0] + others[:, 2] / 2, others[:, 1] + others[:, 3] / 2
    mine = (others[:, 0] <= cx) & (cx <= others[:, 0] + others[:, 2])
    mine &= (others[:, 1] <= cy) & (cy <= others[:, 1] + others[:, 3])
    theirs = (box[0] <= ocx) & (ocx <= box[0] + box[2]) & (box[1] <= ocy) & (ocy <= box[1] + box[3])
    return mine | theirs


def _pooled_box(scores: np.ndarray, y: int, x: int) -> list[float]:
    """The box of the peak at (y, x): centred at the peak cell plus its offset; its size averaged over
    the 3x3 cells around it whose size outputs agree with the peak's (within ``AGREE``), weighted by
    their heat. One int8 step of a size output moves a box's side by several pixels (an offset step, a
    64th of a pixel); the pooled size moves by a fraction of that. (Pooling the centres too found more
    plates in single photos but fewer on the live replay; the size alone gave the best AP50.)"""
    h, w = scores.shape[:2]
    y0, y1, x0, x1 = max(0, y - 1), min(h, y + 2), max(0, x - 1), min(w, x + 2)
    s = scores[y0:y1, x0:x1].astype(np.float64)
    peak = scores[y, x].astype(np.float64)
    alike = np.all(np.abs(s[..., 3:5] - peak[3:5]) <= AGREE * peak[3:5], axis=-1)  # the same plate's size
    weight = s[..., 0] * alike
    weight /= weight.sum()
    cx, cy = (x + peak[1]) * DET_STRIDE, (y + peak[2]) * DET_STRIDE
    bw = float((s[..., 3] ** 2 * weight).sum()) * DET_SIZE[1]
    bh = float((s[..., 4] ** 2 * weight).sum()) * DET_SIZE[0]
    return [cx - bw / 2, cy - bh / 2, bw, bh]


def decode_boxes(scores: np.ndarray, threshold: float = THRESHOLD, max_boxes: int = MAX_BOXES,
                 overlap: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """One image's (H/stride, W/stride, 5) scores -> ([x, y, w, h] boxes in input pixels, scores), hottest first."""
    heat = scores[..., 0]
    ys, xs = peaks(heat, threshold)
    if len(ys) == 0:
        return np.zeros((0, 4)), np.zeros(0)
    conf = heat[ys, xs]
    order = np.argsort(-conf)[: max_boxes * 3]
    ys, xs, conf = ys[order], xs[order], conf[order]
    boxes = np.array([_pooled_box(scores, y, x) for y, x in zip(ys.tolist(), xs.tolist())]).reshape(-1, 4)
    return suppress(boxes, conf, max_boxes, overlap)


def suppress(boxes: np.ndarray, scores: np.ndarray, max_boxes: int = MAX_BOXES, overlap: float = 0.3
             ) -> tuple[np.ndarray, np.ndarray]:
    """Boxes hottest first, without those overlapping a hotter one (IoU above ``overlap``, or a centre
    inside the other), at most ``max_boxes``."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    boxes, scores = np.asarray(boxes, np.float64).reshape(-1, 4)[order], np.asarray(scores)[order]
    keep: list[int] = []
    for i in range(len(boxes)):
        if not keep or not ((_iou(boxes[i], boxes[keep]) > overlap) | _centre_inside(boxes[i], boxes[keep])).any():
            keep.append(i)
        if len(keep) == max_boxes:
            break
    return boxes[keep], scores[keep]
