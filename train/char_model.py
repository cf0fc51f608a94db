"""The 62-class character CNN: small enough for 0.5 ms a character on a phone CPU in int8."""

from __future__ import annotations


def build_char_model(num_classes: int = 62, width: int = 32):
    """Conv-BN-ReLU blocks, 28x28x1 in, softmax scores out. ``width`` scales every layer."""
    import keras
    from keras import layers

    def block(x, filters, name):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(x)
        x = layers.BatchNormalization(name=f"{name}_bn")(x)
        return layers.ReLU(name=f"{name}_relu")(x)

    inp = keras.Input((28, 28, 1), name="cell")
    x = block(inp, width, "b1")
    x = layers.MaxPooling2D(name="pool1")(x)  # 14x14
    x = block(x, width * 2, "b2")
    x = layers.MaxPooling2D(name="pool2")(x)  # 7x7
    x = block(x, width * 4, "b3")
    x = layers.MaxPooling2D(name="pool3")(x)  # 3x3
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(0.35, name="dropout")(x)
    out = layers.Dense(num_classes, activation="softmax", name="scores")(x)
    return keras.Model(inp, out, name="char_cnn")
