"""Detector figures: recall at IoU >= 0.5 by plate width, and average precision (AP50, all-point)."""

from __future__ import annotations

import numpy as np

WIDTH_BINS = (("< 40 px", 0, 40), ("40-80 px", 40, 80), (">= 80 px", 80, 1e9))


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every [x, y, w, h] row of ``a`` with every row of ``b``."""
    a, b = np.asarray(a, np.float64).reshape(-1, 4), np.asarray(b, np.float64).reshape(-1, 4)
    x0 = np.maximum(a[:, None, 0], b[None, :, 0])
    y0 = np.maximum(a[:, None, 1], b[None, :, 1])
    x1 = np.minimum(a[:, None, 0] + a[:, None, 2], b[None, :, 0] + b[None, :, 2])
    y1 = np.minimum(a[:, None, 1] + a[:, None, 3], b[None, :, 1] + b[None, :, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    union = (a[:, 2] * a[:, 3])[:, None] + (b[:, 2] * b[:, 3])[None, :] - inter
    return inter / np.maximum(union, 1e-9)


def detection_report(truth: list[np.ndarray], found: list[tuple[np.ndarray, np.ndarray]],
                     widths: list[np.ndarray] | None = None, threshold: float = 0.3) -> dict:
    """Figures over a set of photos.

    ``truth[i]``: the true boxes of photo i; ``found[i]``: (boxes, scores) from the detector at a low
    threshold (AP needs the whole ranking); ``widths[i]``: the true plates' widths in the original photo
    for the width bins (default: their widths in ``truth``). Recall and precision use the boxes scoring
    at least ``threshold``.
    """
    widths = widths or [t[:, 2] for t in truth]
    scored, n_true = [], sum(len(t) for t in truth)
    hit_by_bin = {name: [0, 0] for name, *_ in WIDTH_BINS}
    kept_true_hits, kept_found = 0, 0
    for t, (boxes, scores), w in zip(truth, found, widths):
        order = np.argsort(-scores)
        boxes, scores = boxes[order], scores[order]
        ious = iou_matrix(boxes, t) if len(boxes) and len(t) else np.zeros((len(boxes), len(t)))
        used = np.zeros(len(t), bool)
        for i, s in enumerate(scores):  # greedy matching, best score first (VOC)
            j = int(np.argmax(ious[i])) if len(t) else -1
            ok = j >= 0 and ious[i, j] >= 0.5 and not used[j]
            if ok:
                used[j] = True
            scored.append((float(s), ok))
        keep = scores >= threshold
        kept_found += int(keep.sum())
        hit = (ious[keep] >= 0.5).any(axis=0) if keep.any() and len(t) else np.zeros(len(t), bool)
        kept_true_hits += int(hit.sum())
        for name, lo, hi in WIDTH_BINS:
            sel = (w >= lo) & (w < hi)
            hit_by_bin[name][0] += int(hit[sel].sum())
            hit_by_bin[name][1] += int(sel.sum())
    scored.sort(key=lambda sv: -sv[0])
    tp = np.cumsum([ok for _, ok in scored]) if scored else np.zeros(0)
    precision = tp / np.arange(1, len(scored) + 1) if scored else np.zeros(0)
    recall = tp / max(n_true, 1)
    ap = 0.0
    if len(scored):
        mprec = np.concatenate([[0.0], precision, [0.0]])
        mrec = np.concatenate([[0.0], recall, [recall[-1]]])
        for i in range(len(mprec) - 2, -1, -1):
            mprec[i] = max(mprec[i], mprec[i + 1])
        ap = float(np.sum((mrec[1:] - mrec[:-1]) * mprec[1:]))
    return {
        "plates": n_true,
        "ap50": round(ap, 4),
        "recall": round(kept_true_hits / max(n_true, 1), 4),
        "precision": round(sum(ok for s, ok in scored if s >= threshold) / max(kept_found, 1), 4),
        "recall_by_width": {k: {"found": h, "plates": n, "recall": round(h / max(n, 1), 4)}
                            for k, (h, n) in hit_by_bin.items()},
        "threshold": threshold,
    }
