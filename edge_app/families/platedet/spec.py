"""The plate detector's spec: an anchor-free heatmap + box head (CenterNet-style) on a small conv net.

The input is the photo letterboxed into 512x512 RGB; the output, at a stride of 4, is 128x128 cells of
five sigmoid scores: plate-centre heat, the centre's offset inside its cell (x, y), and the box's
width and height as the square root of their share of the input side (so small plates keep their
precision after int8 quantisation).
"""

from __future__ import annotations

from ..base import Spec

DET_SIZE = (512, 512)  # height, width of the detector's input
DET_STRIDE = 4  # input pixels per output cell
CHANNELS = 5  # heat, offset x, offset y, sqrt(w / side), sqrt(h / side)
PAD_VALUE = 114  # grey of the letterbox bars

SPEC = Spec(
    model="plate_detector",
    input_size=DET_SIZE,
    normalisation="edge_app.families.platedet.preprocess.letterbox: the photo scaled (aspect kept) to fit "
    f"{DET_SIZE[1]}x{DET_SIZE[0]}, centred on grey {PAD_VALUE}, RGB, float in [0, 1]",
    alphabet="",
    stride=DET_STRIDE,
    channels=3,
)
