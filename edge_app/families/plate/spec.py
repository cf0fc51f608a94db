"""The plate family's spec: a conv CRNN read with CTC over 64x128 gray plate crops."""

from __future__ import annotations

import string

from ..base import Spec

PLATE_SIZE = (64, 128)  # height, width of the reader's input
PLATE_ALPHABET = string.digits + string.ascii_uppercase

SPEC = Spec(
    model="plate",
    input_size=PLATE_SIZE,
    normalisation="edge_app.families.plate.preprocess.plate_input: gray, resized to 64x128 (aspect not kept), "
    "1st-99th percentile stretched to [0, 1]",
    alphabet=PLATE_ALPHABET,
    stride=4,
)
