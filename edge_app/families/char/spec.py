"""The character family's spec: a 62-class classifier on an EMNIST-like 28x28 cell."""

from __future__ import annotations

import string

from ..base import Spec

CHAR_SIZE = 28  # the cell's side
CHAR_FIT = 20  # the ink's longer side inside the cell
ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
# Photos are read with these character models, their scores averaged (those the models folder has):
# on the real validation crops (files 16-19) char alone 79.4% exact / 89.5% ignoring case, with
# char_strokes 81.9 / 90.7; adding char_strokes2 too, 80.2 / 90.3.
ENSEMBLE = ("char", "char_strokes")
# Drawings (touch strokes) with the two models trained on strokes too: held-out glyphs traced as strokes
# (validation) 88.2% exact with char_strokes alone, 89.7% with both; with char as well, 87.0%.
DRAW_ENSEMBLE = ("char_strokes", "char_strokes2")

SPEC = Spec(
    model="char",
    input_size=(CHAR_SIZE, CHAR_SIZE),
    normalisation="edge_app.families.char.preprocess.normalize_char: white ink on black, ink box fit to 20x20 "
    "(aspect kept) and centred in 28x28, float in [0, 1]",
    alphabet=ALPHABET,
)
