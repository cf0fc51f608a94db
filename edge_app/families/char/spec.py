"""The character family's spec: a 62-class classifier on an EMNIST-like 28x28 cell."""

from __future__ import annotations

import string

from ..base import Spec

CHAR_SIZE = 28  # the cell's side
CHAR_FIT = 20  # the ink's longer side inside the cell
ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase

SPEC = Spec(
    model="char",
    input_size=(CHAR_SIZE, CHAR_SIZE),
    normalisation="edge_app.families.char.preprocess.normalize_char: white ink on black, ink box fit to 20x20 "
    "(aspect kept) and centred in 28x28, float in [0, 1]",
    alphabet=ALPHABET,
)
