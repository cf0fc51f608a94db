"""The handwriting family's spec: a conv CRNN read with CTC over 32x256 word and line strips."""

from __future__ import annotations

import string

from ..base import Spec

LINE_SIZE = (32, 256)  # height, width of the reader's input
# The ink mask's threshold as a share of Otsu's: at half of it a letter fainter than its neighbours (a
# lighter pen stroke, a crop from another photo) stays in the word instead of being cut from it. (A page's
# small writing keeps Otsu's outline, plus the parts only this threshold finds: see segment_lines.)
INK_SENSITIVITY = 0.5
PUNCTUATION = ".,;:!?'\"-()&/"
HW_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase + " " + PUNCTUATION

# Read with both models' scores averaged where the models folder has both (see the README's handwriting
# section): the second is the first fine-tuned on new words; each alone reads worse on the development sets.
ENSEMBLE = ("handwriting", "handwriting2")

SPEC = Spec(
    model="handwriting",
    input_size=LINE_SIZE,
    normalisation="edge_app.families.handwriting.preprocess.line_input: ink map (background removed, any "
    "polarity), masked at half Otsu's threshold, cropped to the ink, scaled to 28 px high (aspect kept, "
    "squeezed only beyond 252 px), left-aligned on black with 2 px margins, white ink, float in [0, 1]",
    alphabet=HW_ALPHABET,
    stride=4,
)
