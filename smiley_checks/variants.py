"""The lesson's "break the model" variants, used to calibrate the verdicts.

Each variant is the original network with some layers taken out or changed,
the way a student would do it by putting a # in front of lines.
"""

from __future__ import annotations

from typing import Callable

from smiley_checks.network import IMAGE_SHAPE, compile_like_lesson, original_layers


def _without(*types: str) -> Callable[[list], list]:
    return lambda layers: [layer for layer in layers if type(layer).__name__ not in types]


def _dense_only(layers: list) -> list:
    return [layer for layer in layers if type(layer).__name__ in ("Flatten", "Dense")]


def _one_block_fewer(layers: list) -> list:
    return layers[4:]  # the first block (Conv2D with 1 filter ...) is gone


def _final_activation(activation: str) -> Callable[[list], list]:
    def change(layers: list) -> list:
        config = layers[-1].get_config() | {"activation": activation}
        return layers[:-1] + [type(layers[-1]).from_config(config)]

    return change


# name -> (what a teacher reads, how the layers change)
VARIANTS: dict[str, tuple[str, Callable[[list], list]]] = {
    "original": ("the lesson's network, unchanged", lambda layers: layers),
    "no_batchnorm": ("all BatchNormalization layers removed", _without("BatchNormalization")),
    "no_conv2d": ("all Conv2D layers removed", _without("Conv2D")),
    "no_maxpooling": ("all MaxPooling2D layers removed", _without("MaxPooling2D")),
    "no_dropout": ("all Dropout layers removed", _without("Dropout")),
    "dense_only": ("only Flatten and Dense layers kept", _dense_only),
    "one_block_fewer": ("the first block of four layers removed", _one_block_fewer),
    "final_relu": ("last layer's softmax changed to relu", _final_activation("relu")),
    "final_sigmoid": ("last layer's softmax changed to sigmoid", _final_activation("sigmoid")),
}


def build_variant(name: str, compiled: bool = True):
    from smiley_checks.keras_env import keras

    _, change = VARIANTS[name]
    model = keras.Sequential([keras.layers.InputLayer(shape=IMAGE_SHAPE), *change(original_layers(keras))])
    if compiled:
        compile_like_lesson(model)
    return model
