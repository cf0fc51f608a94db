"""The training input pipeline: cached renders fed by ``tf.data``, jittered on the fly.

Renders are drawn once (and cached, :func:`train.data.runs.cached`); every epoch then sees them
shuffled and, for a share of the samples, moved a little: an affine jitter (rotation, shear, scale,
shift), a thinner or bolder pen, fainter ink and sensor noise. These are cheap tensor ops on a whole
batch, run in parallel with the model step, so each epoch trains on new variants of the renders at
no rendering cost.

Inputs are white ink on black in [0, 1], as every family's device preprocessing makes them; a jitter
keeps that. ``cell`` jitter is for centred character cells, ``line`` jitter for left-aligned strips
(the CTC readers): their text stays left-aligned and within the strip, so the label stays true.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Jitter:
    """Ranges of the on-the-fly jitter (each drawn uniformly per sample)."""

    rotate: float  # degrees, +-
    shear: float  # x shift per unit y, +-
    scale: tuple[float, float]  # both axes
    squeeze: tuple[float, float]  # x only, on top of scale
    shift: tuple[float, float]  # pixels, +- (x, y)
    anchor_left: bool  # scale about the left edge (strips) instead of the centre (cells)


JITTERS: dict[str, Jitter] = {
    "cell": Jitter(rotate=8.0, shear=0.15, scale=(0.9, 1.08), squeeze=(0.9, 1.1), shift=(1.5, 1.5), anchor_left=False),
    "line": Jitter(rotate=0.8, shear=0.2, scale=(0.92, 1.0), squeeze=(0.9, 1.0), shift=(0.0, 1.0), anchor_left=True),
}


def jitter_batch(x: Any, kind: str, share: float) -> Any:
    """``x`` (B x H x W x 1 float32, white ink on black) with ``share`` of its samples jittered."""
    import tensorflow as tf

    j = JITTERS[kind]
    b = tf.shape(x)[0]
    h, w = float(x.shape[1]), float(x.shape[2])
    on = tf.cast(tf.random.uniform([b]) < share, tf.float32)

    def draw(lo: float, hi: float, ident: float = 0.0) -> Any:  # a value per sample; 'off' samples get ident
        return ident + on * (tf.random.uniform([b], lo, hi) - ident)

    angle = draw(-j.rotate, j.rotate) * (math.pi / 180.0)
    shear = draw(-j.shear, j.shear)
    scale = draw(*j.scale, ident=1.0)
    sx, sy = scale * draw(*j.squeeze, ident=1.0), scale
    tx, ty = draw(-j.shift[0], j.shift[0]), draw(-j.shift[1], j.shift[1])
    # Output pixel (u, v) samples input (a0 u + a1 v + a2, b0 u + b1 v + b2): the inverse of
    # "scale, shear, rotate about the anchor, then shift".
    cx = 0.0 if j.anchor_left else w / 2.0
    cy = h / 2.0
    cos, sin = tf.cos(angle), tf.sin(angle)
    # forward linear part M = R @ Sh @ S; inverse = S^-1 @ Sh^-1 @ R^-1
    r00, r01, r10, r11 = cos, sin, -sin, cos  # R^-1
    s00 = r00 - shear * r10  # Sh^-1 = [[1, -shear], [0, 1]]
    s01 = r01 - shear * r11
    a0, a1 = s00 / sx, s01 / sx
    b0, b1 = r10 / sy, r11 / sy
    u0, v0 = -cx - tx, -cy - ty  # output coordinates relative to the anchor, less the shift
    a2 = a0 * u0 + a1 * v0 + cx
    b2 = b0 * u0 + b1 * v0 + cy
    zeros = tf.zeros_like(a0)
    transforms = tf.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)
    x = tf.raw_ops.ImageProjectiveTransformV3(images=x, transforms=transforms, output_shape=tf.shape(x)[1:3],
                                              fill_value=0.0, interpolation="BILINEAR", fill_mode="CONSTANT")
    # Pen: a sixth of the jittered samples bolder, a sixth thinner.
    pen = tf.random.uniform([b, 1, 1, 1])
    onb = tf.reshape(on, [b, 1, 1, 1])
    bold = tf.nn.max_pool2d(x, 2, 1, "SAME")
    thin = -tf.nn.max_pool2d(-x, 2, 1, "SAME")
    x = tf.where((pen < 1 / 6) & (onb > 0), bold, tf.where((pen > 5 / 6) & (onb > 0), thin, x))
    # Ink strength and sensor noise.
    gain = 1.0 - onb * tf.random.uniform([b, 1, 1, 1], 0.0, 0.3)
    noise = onb * tf.random.uniform([b, 1, 1, 1], 0.0, 0.04) * tf.random.normal(tf.shape(x))
    return tf.clip_by_value(x * gain + noise, 0.0, 1.0)


def training_batches(x8: np.ndarray, y: np.ndarray, batch: int, seed: int, kind: str | None, share: float,
                     drop_remainder: bool = False) -> Any:
    """A repeatable-order ``tf.data`` pipeline over uint8 inputs (N x H x W x 1, x255) and their targets:
    shuffled indices each epoch -> batches gathered from the arrays (no copy of them into the graph) ->
    float in [0, 1] -> ``kind`` jitter on ``share`` of each batch (none when ``kind`` is None or ``share``
    is 0), in parallel -> prefetched."""
    import tensorflow as tf

    n = len(y)
    shape_x, shape_y = (None, *x8.shape[1:]), (None, *y.shape[1:])

    def gather(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        idx = np.sort(idx)
        return x8[idx], y[idx]

    def load(idx: Any) -> tuple[Any, Any]:
        xb, yb = tf.numpy_function(gather, [idx], [tf.uint8, tf.as_dtype(y.dtype)], stateful=False)
        xb.set_shape(shape_x)
        yb.set_shape(shape_y)
        xb = tf.cast(xb, tf.float32) / 255.0
        if kind and share > 0:
            xb = jitter_batch(xb, kind, share)
        return xb, yb

    return (tf.data.Dataset.range(n).shuffle(n, seed=seed, reshuffle_each_iteration=True)
            .batch(batch, drop_remainder=drop_remainder)
            .map(load, num_parallel_calls=tf.data.AUTOTUNE)
            .prefetch(tf.data.AUTOTUNE))
