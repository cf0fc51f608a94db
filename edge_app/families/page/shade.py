"""A page's ink map with shadows removed: ink as the share of the local paper's light it absorbs.

:func:`edge_app.preprocess.ink_map` estimates the background with an opening a third of the image wide:
a shadow band narrower than that (a phone's or a hand's shadow across a page) stays in the map as ink,
and inside it the letters lose contrast. Once the letter height is known, :func:`flat_ink` estimates the
paper's light with a closing only :data:`PAPER_LETTERS` letters wide, which follows a shadow's edge, and
divides by it, so a letter in the shadow is as dark as one in the light.
"""

from __future__ import annotations

import cv2
import numpy as np

from ...preprocess import dark_ink, scale_ink

PAPER_LETTERS = 3.0  # the paper's light is the brightest within about this many letter heights
SMALL_LETTER = 4.0  # the light is estimated on a copy where a letter is about this many px high


def paper_light(gray: np.ndarray, letter: float) -> np.ndarray:
    """The local paper brightness (float32, ink dark): a closing wider than any letter's strokes,
    then a blur of the same size, on a shrunk copy."""
    g = gray.astype(np.float32)
    h, w = g.shape
    shrink = max(1, int(letter // SMALL_LETTER))
    small = cv2.resize(g, (max(1, w // shrink), max(1, h // shrink)), interpolation=cv2.INTER_AREA) if shrink > 1 else g
    k = max(3, int(round(PAPER_LETTERS * letter / shrink)) | 1)
    se = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    light = cv2.blur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, se), (k, k))
    if shrink > 1:
        light = cv2.resize(light, (w, h), interpolation=cv2.INTER_LINEAR)
    return light


def flat_ink(gray: np.ndarray, letter: float) -> np.ndarray:
    """Ink strength in [0, 1] (float32) of a page whose letters are about ``letter`` px high: the share of
    the local paper light each pixel absorbs, scaled as :func:`edge_app.preprocess.ink_map` scales its map
    (its 99.5th percentile is 1); all zero when the ink is too faint to be text."""
    g = gray.astype(np.float32)
    if not dark_ink(gray):
        g = 255.0 - g
    light = paper_light(g, letter)
    return scale_ink(np.clip(light - g, 0.0, None) / np.maximum(light, 16.0) * 255.0)
