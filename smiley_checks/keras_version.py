"""The notebooks' first cell: one clear sentence when the hub's Keras is too old.

The notebooks use Keras 3 (`InputLayer(shape=...)`); Keras 2 (TensorFlow 2.15 and older)
only knows `input_shape=` and would fail later with a long traceback.
"""

from __future__ import annotations

import inspect
from importlib import metadata

from smiley_checks.messages import say

NEEDED_MAJOR = 3


def installed_keras_version() -> str | None:
    for package in ("keras", "tensorflow"):  # Keras 2 may only come inside TensorFlow
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
        # Without a separate keras, TensorFlow 2.15 and older carry Keras 2 (same version number).
        return version
    return None


def keras_problem(version: str | None, input_layer_has_shape: bool | None = None) -> str | None:
    """The sentence to show, or None when this Keras can run the notebooks."""
    major = None
    if version:
        try:
            major = int(version.split(".")[0])
        except ValueError:
            major = None
    if (major is not None and major < NEEDED_MAJOR) or input_layer_has_shape is False or version is None:
        return say("keras.too_old", version=version or "?")
    return None


def check_keras(version: str | None = None, input_layer=None) -> bool:
    """Print one sentence and return False when Keras is too old; True otherwise. Never raises."""
    version = version or installed_keras_version()
    has_shape = None
    if input_layer is None and keras_problem(version) is None:
        try:
            from smiley_checks.keras_env import keras

            input_layer = keras.layers.InputLayer
        except Exception:  # an import that fails is reported by the next line of the cell
            input_layer = None
    if input_layer is not None:
        has_shape = "shape" in inspect.signature(input_layer.__init__).parameters
    problem = keras_problem(version, has_shape)
    if problem:
        print(problem)
        return False
    return True
