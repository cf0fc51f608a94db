"""Case of a word's first letter from its height, where the shape cannot tell (``scares`` / ``Scares``).

The reader's input is a word scaled to its ink height, and an ``s``, ``c`` or ``o`` is drawn alike in
both cases: only its height against the rest of the word says which. A word's first letter is set
small when it rises no higher than the word's x band (the rows where its short letters' ink is
densest), capital when it rises well above it, and left as read in between. The letter's outline is
the ink connected to the word's first column, found by aligning the text to the scores; a letter joined
to the next (cursive) is left as read.
"""

from __future__ import annotations

import cv2
import numpy as np

from ...ctc import align
from ...lexicon import PUNCT_EDGES

SAME_SHAPE = "cosuvwxz"  # first letters drawn alike in both cases whose height tells the case
SHORT = "acemnorsuvwxz"  # lowercase letters that reach the x-height only
# The first letter's rise over the baseline, in x band heights: small up to SMALL, capital from CAPITAL.
# On 1,000 words composed from the validation crops, a small first letter rose 1.0 (median; 90% <= 1.25),
# a capital 1.79 (95% >= 1.52).
SMALL, CAPITAL = 1.25, 1.5
INK = 0.25  # of the input's peak: a pixel of ink
BAND = 0.5  # a row of the x band holds at least this share of the densest row's ink


def _candidate(word: str) -> bool:
    """Whether ``word`` (trailing punctuation stripped) starts with a same-shape letter followed by small
    letters, one of them short (to show the x band). A word opening with punctuation is left as read."""
    first, rest = word[:1], word[1:]
    return first.lower() in SAME_SHAPE and rest.isalpha() and rest == rest.lower() and any(c in SHORT for c in rest)


def _rise(ink: np.ndarray, start: int, second: int, end: int) -> float | None:
    """The first letter's rise over the baseline in x band heights: its ink spans columns ``start`` to
    ``second`` (where the next letter's path starts), the rest of the word ``second`` to ``end``."""
    word = ink[:, start:end]
    rest = ink[:, second:end].sum(1)
    if not word.any() or rest.max() == 0:
        return None
    _, labels = cv2.connectedComponents(word.astype(np.uint8), connectivity=8)
    left = labels[:, np.flatnonzero(labels.any(0))[0]]
    letter = np.isin(labels, left[left > 0])
    cols, rows = np.flatnonzero(letter.any(0)), np.flatnonzero(letter.any(1))
    if start + cols[-1] > second:  # joined to the next letter
        return None
    band = np.flatnonzero(rest >= BAND * rest.max())
    base = band[-1] + 1
    return (base - rows[0]) / max(base - band[0], 1)


def first_letter_case(chunk: np.ndarray, probs: np.ndarray, text: str, alphabet: str, stride: int) -> str:
    """``text`` read from ``chunk`` (the model's input) with each word's first same-shape letter in the
    case its height shows; ``probs`` are the chunk's scores, ``stride`` input columns per timestep."""
    out = list(text)
    spans = ink = None  # worked out at the first candidate word
    i = 0
    while i < len(text):
        j = text.find(" ", i)
        j = len(text) if j < 0 else j
        if _candidate(text[i:j].rstrip(PUNCT_EDGES)):
            if spans is None:
                spans, ink = align(probs, text, alphabet), chunk > INK
            if spans:
                start = (spans[i - 1][1] + 1) * stride if i > 0 else 0
                end = spans[j][0] * stride if j < len(text) else chunk.shape[1]
                rise = _rise(ink, start, spans[i + 1][0] * stride, end)
                if rise is not None and not SMALL < rise < CAPITAL:
                    out[i] = text[i].upper() if rise >= CAPITAL else text[i].lower()
        i = j + 1
    return "".join(out)
