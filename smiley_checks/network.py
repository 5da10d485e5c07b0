"""The lesson's original network, built the way the lesson builds it.

Five blocks of Conv2D(n, 3x3, relu) -> BatchNormalization -> MaxPooling2D(2x2)
-> Dropout(0.1) with n = 1, 2, 4, 8, 16; then Flatten, Dense(16, relu),
Dropout(0.1), Dense(2, softmax); adam and categorical cross-entropy.
"""

from __future__ import annotations

IMAGE_SHAPE = (110, 110, 1)
BLOCK_FILTERS = (1, 2, 4, 8, 16)
DROPOUT_RATE = 0.1


def original_layers(keras, num_classes: int = 2) -> list:
    """Fresh layer objects of the original network (without the input)."""
    layers = []
    for filters in BLOCK_FILTERS:
        layers += [
            keras.layers.Conv2D(filters, (3, 3), activation="relu"),
            keras.layers.BatchNormalization(),
            keras.layers.MaxPooling2D((2, 2)),
            keras.layers.Dropout(DROPOUT_RATE),
        ]
    layers += [
        keras.layers.Flatten(),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dropout(DROPOUT_RATE),
        keras.layers.Dense(num_classes, activation="softmax"),
    ]
    return layers


def compile_like_lesson(model) -> None:
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])


def build_original(kind: str = "sequential", num_classes: int = 2, compiled: bool = True):
    """The original network as a Sequential (the lesson's way) or Functional model."""
    from smiley_checks.keras_env import keras

    if kind == "sequential":
        model = keras.Sequential([keras.layers.InputLayer(shape=IMAGE_SHAPE), *original_layers(keras, num_classes)])
    elif kind == "functional":
        inputs = keras.Input(shape=IMAGE_SHAPE)
        x = inputs
        for layer in original_layers(keras, num_classes):
            x = layer(x)
        model = keras.Model(inputs, x)
    else:
        raise ValueError(f"kind must be 'sequential' or 'functional', not {kind!r}")
    if compiled:
        compile_like_lesson(model)
    return model
