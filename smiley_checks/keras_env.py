"""The one place that imports TensorFlow/Keras, quietly and deterministically.

Everything that needs Keras does `from smiley_checks.keras_env import keras, tf`.
"""

from smiley_checks.quiet import silence_tensorflow

silence_tensorflow()

import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

tf.get_logger().setLevel("ERROR")
try:
    import absl.logging

    absl.logging.set_verbosity(absl.logging.ERROR)
except ImportError:  # absl ships with TensorFlow; stay safe if it ever does not
    pass

# Verdicts must be reproducible run to run: deterministic kernels on the CPU.
tf.config.experimental.enable_op_determinism()
# Deterministic ops refuse to run unseeded; start from a known seed (training reseeds per run).
keras.utils.set_random_seed(0)

__all__ = ["tf", "keras"]
