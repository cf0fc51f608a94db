"""Case of letters drawn the same in both cases (o/O, s/S, x/X, ...).

Alone, such a letter's case cannot be seen: :func:`pair_first` lists both cases first. In a line,
:func:`cases_from_height` reads the case from how far each box rises above the line's baseline,
against the line's capitals/digits (cap height) and its short lowercase letters (x-height).
"""

from __future__ import annotations

import string

import numpy as np

SAME_SHAPE = "cksopuvwxz"  # lowercase letters written like their capitals
HEIGHT_TELLS = "copsuvwxz"  # of those, the ones whose height tells the case (k is tall in both cases)
DESCENDERS = "fgjpqy"  # may reach below the baseline: not used to find it
TALL = string.digits + "ABDEFGHIJKLMNQRTY" + "bdfhklt"  # reach the cap height whatever their case
SHORT = "aemnrgqy"  # reach the x-height only
# Chosen on lines from training files and training fonts (see the commit): the line shows an
# x-height only if x-height <= GAP * cap height, and a letter must rise MARGIN past the split.
GAP = 0.8
MARGIN = 1.1

Alternatives = list[tuple[str, float]]


def twin(char: str) -> str | None:
    """The other case of a same-shape letter (``o`` -> ``O``), else None."""
    return char.swapcase() if char.lower() in SAME_SHAPE else None


def pair_first(ranked: Alternatives, first: str | None = None, k: int = 3) -> Alternatives:
    """``ranked`` (char, p) best first, reordered so ``first`` (default: the best) and its twin lead; top ``k``.

    A letter without a twin, or whose twin has probability 0 (not allowed), keeps the model's order.
    """
    probs = dict(ranked)
    head = first or ranked[0][0]
    other = twin(head)
    lead = [head] + ([other] if other is not None and probs.get(other, 0.0) > 0.0 else [])
    rest = [(c, p) for c, p in ranked if c not in lead]
    return ([(c, probs.get(c, 0.0)) for c in lead] + rest)[:k]


def pair_mass(alts: Alternatives) -> float:
    """The summed probability of the first two alternatives when they are the two cases of one letter."""
    if len(alts) >= 2 and twin(alts[0][0]) == alts[1][0]:
        return alts[0][1] + alts[1][1]
    return alts[0][1] if alts else 0.0


def _split(rise: np.ndarray, chars: list[str]) -> float | None:
    """The rise above the baseline between the line's x-height and cap height, or None when the line
    does not show both: it needs tall and short letters on either side (or, with neither, same-shape
    letters of two heights) and an x-height at most GAP times the cap height."""
    tall = rise[[c in TALL for c in chars]]
    short = rise[[c in SHORT for c in chars]]
    if len(tall) and len(short):
        x, cap = float(np.median(short)), float(np.median(tall))
    elif len(tall) or len(short):
        return None
    else:
        cands = rise[[c.lower() in HEIGHT_TELLS for c in chars]]
        if len(cands) < 2:
            return None
        x, cap = float(cands.min()), float(cands.max())
    if not 0 < x <= GAP * cap:
        return None
    split = float(np.sqrt(x * cap))
    return split if np.all(tall >= split) and np.all(short < split) else None


def cases_from_height(boxes: list[tuple[int, int, int, int]], chars: list[str]) -> list[bool | None]:
    """For one line's boxes (x, y, w, h) and their best chars: True (capital) or False (small) for each
    same-shape letter whose height tells its case, None for the others and where the line cannot tell."""
    out: list[bool | None] = [None] * len(chars)
    base = [y + h for (_, y, _, h), c in zip(boxes, chars) if c.lower() not in DESCENDERS]
    if not base:
        return out
    rise = float(np.median(base)) - np.array([y for _, y, _, _ in boxes], np.float64)
    split = _split(rise, chars)
    if split is None:
        return out
    for i, c in enumerate(chars):
        if c.lower() in HEIGHT_TELLS and not split / MARGIN < rise[i] < split * MARGIN:
            out[i] = bool(rise[i] >= split)
    return out
