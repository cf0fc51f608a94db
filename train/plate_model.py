"""The plate reader: a convolution-only CRNN with a CTC head, 64x128x1 in, 32 timesteps out.

Plain 3x3 convolutions read the image (a stride-2 stem, then 32x64 -> 16x32 -> 8x32 -> 4x32);
the height is collapsed into a 32-step sequence (one step per 4 input columns); two dilated 1-D
convolutions with residual adds give each step the context an LSTM would, while converting to
builtin int8 TFLite ops. The output is softmax scores over the alphabet plus the CTC blank (last
class); decoding is NumPy on the device (``edge_app.ctc``). Plain convolutions, not separable
ones: on a 2-core CPU they train about twice as fast for the same accuracy budget.
"""

from __future__ import annotations

from edge_app.families.plate.spec import PLATE_SIZE


def conv_bn(x, filters: int, prefix: str, kernel=(3, 3), strides=1, padding: str = "same"):
    """Convolution, batch norm, ReLU (folded into one int8 op by the converter)."""
    from keras import layers

    x = layers.Conv2D(filters, kernel, strides=strides, padding=padding, use_bias=False, name=f"{prefix}_conv")(x)
    x = layers.BatchNormalization(name=f"{prefix}_bn")(x)
    return layers.ReLU(name=f"{prefix}_relu")(x)


def context(x, channels: int, dilations: tuple[int, ...]):
    """Residual dilated 1-D convolutions over the sequence: the context an LSTM would give."""
    from keras import layers

    for i, dilation in enumerate(dilations):
        y = layers.Conv1D(channels, 3, padding="same", dilation_rate=dilation, use_bias=False, name=f"ctx{i}_conv")(x)
        y = layers.BatchNormalization(name=f"ctx{i}_bn")(y)
        x = layers.Add(name=f"ctx{i}_add")([x, layers.ReLU(name=f"ctx{i}_relu")(y)])
    return x


def build_plate_model(num_classes: int, width: int = 14, name: str = "plate_crnn"):
    """Build the model; ``width`` scales every layer (14: about 200k parameters, ~40M multiply-adds)."""
    import keras
    from keras import layers

    h, w = PLATE_SIZE
    inp = keras.Input((h, w, 1), name="plate")
    x = conv_bn(inp, width, "stem", strides=2)  # 32x64
    x = conv_bn(x, width * 2, "b1")
    x = layers.MaxPooling2D(name="pool1")(x)  # 16x32
    x = conv_bn(x, width * 3, "b2a")
    x = conv_bn(x, width * 4, "b2b")
    x = layers.MaxPooling2D((2, 1), name="pool2")(x)  # 8x32
    x = conv_bn(x, width * 6, "b3")
    x = layers.MaxPooling2D((2, 1), name="pool3")(x)  # 4x32
    x = conv_bn(x, width * 8, "collapse", kernel=(4, 1), padding="valid")  # 1x32
    x = layers.Reshape((w // 4, width * 8), name="sequence")(x)
    x = context(x, width * 8, (1, 2))
    x = layers.Dropout(0.2, name="dropout")(x)
    out = layers.Dense(num_classes + 1, activation="softmax", name="scores")(x)
    return keras.Model(inp, out, name=name)
