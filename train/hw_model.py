"""The handwriting reader: a convolution-only CRNN with a CTC head, 32x256x1 in, 64 timesteps out.

The plate reader's design (``train.plate_model``) for a word or line strip: a stride-2 stem, then
16x128 -> 8x64 -> 4x64 -> 2x64, the height collapsed into a 64-step sequence (one step per 4
input columns), three dilated residual 1-D convolutions for context (receptive field about 15
steps, a long word), softmax over the alphabet plus the CTC blank (last). Builtin int8 ops only.
"""

from __future__ import annotations

from edge_app.families.handwriting.spec import LINE_SIZE

from .plate_model import context, conv_bn


def build_hw_model(num_classes: int, width: int = 16, name: str = "handwriting_crnn",
                   size: tuple[int, int] = LINE_SIZE):
    """Build the model for ``size`` (height 32, any width divisible by 4) inputs; ``width`` scales
    every layer (16: about 0.3M parameters, ~55M multiply-adds at 32x256)."""
    import keras
    from keras import layers

    h, w = size
    inp = keras.Input((h, w, 1), name="line")
    x = conv_bn(inp, width, "stem", strides=2)  # 16x128
    x = conv_bn(x, width * 2, "b1")
    x = layers.MaxPooling2D(name="pool1")(x)  # 8x64
    x = conv_bn(x, width * 3, "b2a")
    x = conv_bn(x, width * 4, "b2b")
    x = layers.MaxPooling2D((2, 1), name="pool2")(x)  # 4x64
    x = conv_bn(x, width * 6, "b3")
    x = layers.MaxPooling2D((2, 1), name="pool3")(x)  # 2x64
    x = conv_bn(x, width * 8, "collapse", kernel=(2, 1), padding="valid")  # 1x64
    x = layers.Reshape((w // 4, width * 8), name="sequence")(x)
    x = context(x, width * 8, (1, 2, 4))
    x = layers.Dropout(0.2, name="dropout")(x)
    out = layers.Dense(num_classes + 1, activation="softmax", name="scores")(x)
    return keras.Model(inp, out, name=name)
