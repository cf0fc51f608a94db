"""Text metrics, for the benchmarks and the model self-test: edit distance, character and word error rates."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _codes(a: str | Sequence[str], vocab: dict[str, int]) -> np.ndarray:
    return np.array([vocab.setdefault(t, len(vocab)) for t in a], np.int64)


def edit_distance(a: str | Sequence[str], b: str | Sequence[str]) -> int:
    """Levenshtein distance between two strings (or two token lists); every edit costs 1.

    One NumPy pass per row: the row's left-to-right insertions are a running minimum, so pages of
    thousands of characters take milliseconds.
    """
    vocab: dict[str, int] = {}
    x, y = _codes(a, vocab), _codes(b, vocab)
    if len(x) < len(y):
        x, y = y, x
    if len(y) == 0:
        return len(x)
    ramp = np.arange(len(y) + 1, dtype=np.int64)
    prev = ramp.copy()
    for i, c in enumerate(x, 1):
        cur = np.empty_like(prev)
        cur[0] = i
        cur[1:] = np.minimum(prev[1:] + 1, prev[:-1] + (y != c))
        prev = np.minimum.accumulate(cur - ramp) + ramp
    return int(prev[-1])


def cer(refs: list[str], hyps: list[str]) -> float:
    """Character error rate over a corpus: total edits / total reference characters."""
    total = sum(len(r) for r in refs)
    return sum(edit_distance(r, h) for r, h in zip(refs, hyps)) / max(total, 1)


def wer(refs: list[str], hyps: list[str]) -> float:
    """Word error rate over a corpus: word-level edits / reference words (split on whitespace)."""
    total = sum(len(r.split()) for r in refs)
    return sum(edit_distance(r.split(), h.split()) for r, h in zip(refs, hyps)) / max(total, 1)
