"""The plate reader: a convolution-only CRNN with a CTC head, 64x128x1 in, 32 timesteps out.

Convolutions read the image; the height is collapsed into a 32-step sequence (one step per 4
columns); dilated 1-D separable convolutions give each step the context an LSTM would, while
converting to plain builtin int8 TFLite ops. The output is softmax scores over the alphabet plus
the CTC blank (last class); decoding is NumPy on the device (``edge_app.ctc``).
"""

from __future__ import annotations

from edge_app.preprocess import PLATE_SIZE


def build_plate_model(num_classes: int, width: int = 24, name: str = "plate_crnn"):
    """Build the model; ``width`` scales every layer (24: about 45M multiply-adds)."""
    import keras
    from keras import layers

    def bn_relu(x, prefix):
        x = layers.BatchNormalization(name=f"{prefix}_bn")(x)
        return layers.ReLU(name=f"{prefix}_relu")(x)

    def conv(x, filters, prefix, kernel=3):
        return bn_relu(layers.Conv2D(filters, kernel, padding="same", use_bias=False, name=f"{prefix}_conv")(x), prefix)

    def sep(x, filters, prefix):
        x = layers.SeparableConv2D(filters, 3, padding="same", use_bias=False, name=f"{prefix}_sep")(x)
        return bn_relu(x, prefix)

    h, w = PLATE_SIZE
    inp = keras.Input((h, w, 1), name="plate")
    x = conv(inp, width, "b1")
    x = layers.MaxPooling2D(name="pool1")(x)  # 32x64
    x = conv(x, width * 2, "b2")
    x = layers.MaxPooling2D(name="pool2")(x)  # 16x32
    x = sep(x, width * 4, "b3a")
    x = sep(x, width * 4, "b3b")
    x = layers.MaxPooling2D((2, 1), name="pool3")(x)  # 8x32
    x = sep(x, width * 5, "b4a")
    x = sep(x, width * 5, "b4b")
    x = layers.MaxPooling2D((2, 1), name="pool4")(x)  # 4x32
    x = bn_relu(layers.Conv2D(width * 8, (4, 1), use_bias=False, name="collapse_conv")(x), "collapse")  # 1x32
    x = layers.Reshape((w // 4, width * 8), name="sequence")(x)
    for i, dilation in enumerate((1, 2, 4)):
        y = layers.SeparableConv1D(width * 8, 5, padding="same", dilation_rate=dilation, use_bias=False,
                                   name=f"ctx{i}_sep")(x)
        x = layers.Add(name=f"ctx{i}_add")([x, bn_relu(y, f"ctx{i}")])
    x = layers.Dropout(0.25, name="dropout")(x)
    out = layers.Dense(num_classes + 1, activation="softmax", name="scores")(x)
    return keras.Model(inp, out, name=name)
