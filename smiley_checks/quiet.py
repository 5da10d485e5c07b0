"""Keep TensorFlow's start-up chatter off stderr.

nbgrader gives 0 points to a test cell that writes to stderr, and a student
should not see a wall of warnings. Call `silence_tensorflow()` before the
first `import tensorflow`; importing `smiley_checks.keras_env` does it.
"""

import logging
import os
import warnings


def silence_tensorflow() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # C++ INFO/WARNING/ERROR lines
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # drops the oneDNN notice, keeps results exact
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")  # the lesson hides GPUs on purpose
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*input_shape.*")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
