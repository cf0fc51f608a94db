"""The character family's spec: a 62-class classifier on an EMNIST-like 28x28 cell."""

from __future__ import annotations

import string

from ..base import Spec

CHAR_SIZE = 28  # the cell's side
CHAR_FIT = 20  # the ink's longer side inside the cell
ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
# Photos are read with these character models, their scores averaged (those the models folder has). int8 on
# the validation cells (real crops: files 16-19; MNIST: 5,000 held-out training digits, digits only):
# char alone 82.66% real exact / 92.34% ignoring case / MNIST 99.40%; char + char_strokes 83.06 / 91.53 /
# 99.38; all three 83.87 / 91.94 / 99.40; the earlier pair (char_small + char_strokes) 83.06 / 91.94 / 99.30.
ENSEMBLE = ("char", "char_small", "char_strokes")
# Drawings (touch strokes), int8, exact: the held-out faces' glyphs traced as jittered strokes (validation,
# 516) / 744 glyph skeletons of 12 printed faces no model trained on (by hand, README): char + char_draw
# 90.12 / 90.19%; char_draw alone 88.37 / 90.73; char + char_strokes (before) 89.92 / 86.29. char_draw reads
# real photographed crops worse (validation 81.45% with char, against 83.47), so photos keep ENSEMBLE.
DRAW_ENSEMBLE = ("char", "char_draw")

SPEC = Spec(
    model="char",
    input_size=(CHAR_SIZE, CHAR_SIZE),
    normalisation="edge_app.families.char.preprocess.normalize_char: white ink on black, ink box fit to 20x20 "
    "(aspect kept) and centred in 28x28, float in [0, 1]",
    alphabet=ALPHABET,
)
