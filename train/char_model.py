"""The 62-class character CNN: small enough for 0.5 ms a character on a phone CPU in int8."""

from __future__ import annotations


def build_char_model(num_classes: int = 62, width: int = 32, convs: int = 1):
    """Conv-BN-ReLU blocks, 28x28x1 in, softmax scores out. ``width`` scales every layer; ``convs`` blocks
    before each of the first two poolings (the 7x7 stage keeps one: a second 128-channel layer there
    would double the int8 file)."""
    import keras
    from keras import layers

    def block(x, filters, name):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(x)
        x = layers.BatchNormalization(name=f"{name}_bn")(x)
        return layers.ReLU(name=f"{name}_relu")(x)

    def stage(x, filters, n, layers_here):
        for j in range(layers_here):
            x = block(x, filters, f"b{n}" if j == 0 else f"b{n}_{j + 1}")
        return layers.MaxPooling2D(name=f"pool{n}")(x)

    inp = keras.Input((28, 28, 1), name="cell")
    x = stage(inp, width, 1, convs)  # 14x14
    x = stage(x, width * 2, 2, convs)  # 7x7
    x = stage(x, width * 4, 3, 1)  # 3x3
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(0.35, name="dropout")(x)
    out = layers.Dense(num_classes, activation="softmax", name="scores")(x)
    return keras.Model(inp, out, name="char_cnn")
