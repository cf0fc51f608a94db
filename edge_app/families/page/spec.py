"""The page family's spec: a conv CRNN read with CTC over 32x512 printed-line strips."""

from __future__ import annotations

from ..base import Spec

PRINT_SIZE = (32, 512)  # height, width of the reader's input
PAGE_ALPHABET = "".join(chr(c) for c in range(32, 127)) + "\u2018\u2019\u201c\u201d\u2014\u2013"
"""Printable ASCII (space first) plus curly quotes, em- and en-dash: what book pages print."""

SPEC = Spec(
    model="page",
    input_size=PRINT_SIZE,
    normalisation="edge_app.families.page.preprocess.print_line_input (and edge_app.families.page.segment for a "
    "page's lines): ink map (background and uneven light removed, any polarity), Otsu mask, cropped to the ink, "
    "scaled to 28 px high (aspect kept, squeezed only beyond 508 px), left-aligned on black with 2 px margins, "
    "white ink, float in [0, 1]",
    alphabet=PAGE_ALPHABET,
    stride=4,
)
