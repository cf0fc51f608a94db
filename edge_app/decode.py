"""Decode stage: model scores -> characters, confidences and alternatives (NumPy only)."""

from __future__ import annotations

import numpy as np


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable; rows that already sum to 1 pass through unchanged."""
    s = np.asarray(scores, dtype=np.float32)
    if np.all(s >= 0) and np.allclose(s.sum(axis=-1), 1.0, atol=0.02):
        return s / s.sum(axis=-1, keepdims=True)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def top_k(probs: np.ndarray, alphabet: str, k: int = 3, allowed: str | None = None) -> list[list[tuple[str, float]]]:
    """For each row of class probabilities, the ``k`` best (char, probability) pairs.

    ``allowed`` restricts the answer to a subset of the alphabet (e.g. digits) and renormalises.
    """
    p = np.asarray(probs, dtype=np.float64)
    if allowed is not None:
        keep = np.array([c in allowed for c in alphabet])
        p = np.where(keep, p, 0.0)
        p = p / np.maximum(p.sum(axis=-1, keepdims=True), 1e-12)
    order = np.argsort(-p, axis=-1)[:, :k]
    return [[(alphabet[j], float(p[i, j])) for j in row] for i, row in enumerate(order)]
