"""The plate detector: a small conv net with a top-down path to stride 4 and a CenterNet-style head.

Depthwise-separable blocks down to stride 32, nearest-neighbour upsampling back to stride 4 with
lateral 1x1 convolutions (builtin TFLite ops, int8-friendly), then one 3x3 conv and a 1x1 conv to five
sigmoid channels: heat, offset x/y, sqrt(w/side), sqrt(h/side) (see ``edge_app.families.platedet.spec``).
"""

from __future__ import annotations

import math

from edge_app.families.platedet.spec import CHANNELS, DET_SIZE

PRIOR = 0.01  # the heat head starts out predicting this everywhere (focal-loss practice)


def build_detector(width: int = 16):
    """The Keras model: (512, 512, 3) in [0, 1] -> (128, 128, 5) sigmoid scores (``DET_SIZE``, stride 4)."""
    import keras
    from keras import layers

    def conv(x, c, k=1, s=1):
        x = layers.Conv2D(c, k, strides=s, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        return layers.ReLU(6.0)(x)

    def block(x, c, s=1):
        y = layers.DepthwiseConv2D(3, strides=s, padding="same", use_bias=False)(x)
        y = layers.BatchNormalization()(y)
        y = layers.ReLU(6.0)(y)
        y = layers.Conv2D(c, 1, use_bias=False)(y)
        y = layers.BatchNormalization()(y)
        if s == 1 and x.shape[-1] == c:
            return layers.Add()([x, y])
        return layers.ReLU(6.0)(y)

    w = width
    inp = keras.Input((*DET_SIZE, 3), name="photo")
    x = conv(inp, w, 3, 2)  # 192
    x = block(x, 2 * w, 2)  # 96
    c4 = block(x, 2 * w)
    x = block(c4, 3 * w, 2)  # 48
    c8 = block(x, 3 * w)
    x = block(c8, 4 * w, 2)  # 24
    x = block(x, 4 * w)
    c16 = block(x, 4 * w)
    x = block(c16, 6 * w, 2)  # 12
    x = block(x, 6 * w)
    c32 = block(x, 6 * w)
    p = conv(c32, 3 * w)
    for lateral in (c16, c8, c4):
        p = layers.Add()([layers.UpSampling2D(2, interpolation="nearest")(p), conv(lateral, 3 * w)])
        p = block(p, 3 * w)
    h = conv(p, 2 * w, 3)
    bias = keras.initializers.Constant([-math.log((1 - PRIOR) / PRIOR)] + [0.0] * (CHANNELS - 1))
    out = layers.Conv2D(CHANNELS, 1, activation="sigmoid", bias_initializer=bias, name="head")(h)
    return keras.Model(inp, out, name="plate_detector")


def detector_loss(y_true, y_pred):
    """Penalty-reduced focal loss on the heat (CenterNet), L1 on offset and size at plate centres, each
    divided by the number of plates in the batch."""
    import tensorflow as tf

    mask = y_true[..., 5]
    heat = y_true[..., 0]
    p = tf.clip_by_value(y_pred[..., 0], 1e-4, 1 - 1e-4)
    pos = -tf.math.log(p) * tf.square(1 - p) * mask
    neg = -tf.math.log(1 - p) * tf.square(p) * tf.pow(1 - heat, 4) * (1 - mask)
    n = tf.maximum(tf.reduce_sum(mask), 1.0)
    m = mask[..., None]
    offset = tf.reduce_sum(tf.abs(y_pred[..., 1:3] - y_true[..., 1:3]) * m)
    size = tf.reduce_sum(tf.abs(y_pred[..., 3:5] - y_true[..., 3:5]) * m)
    return (tf.reduce_sum(pos) + tf.reduce_sum(neg) + offset + 10.0 * size) / n
