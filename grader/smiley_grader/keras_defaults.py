"""Keras's process-wide settings back to Keras's defaults, before the judge reads each record.

Keras keeps some settings for the whole process (keras.config: epsilon, floatx, the image data
format, caps on epochs and on steps per epoch, the global dtype policy, safe mode, ...). One judge
process judges a notebook's records one after another, so whatever rebuilding or training one
record did to them must not reach the next (config_allowlist refuses the configs that named such a
function; this is the second wall). Each row calls a public keras.config function; the two
settings without a public way back to "unset" are put back in Keras's global state.
"""

from __future__ import annotations

import sys

CALLS = (  # keras.config function, its arguments: Keras 3.15's defaults
    ("set_epsilon", (1e-7,)),
    ("set_floatx", ("float32",)),
    ("set_image_data_format", ("channels_last",)),
    ("set_max_epochs", (None,)),
    ("set_max_steps_per_epoch", (None,)),
    ("enable_flash_attention", ()),  # back to None: Keras decides per call
    ("enable_traceback_filtering", ()),
)
GLOBAL_ATTRIBUTES = {"dtype_policy": None, "safe_mode_saving": None}  # None: keras.config's own default


def reset() -> None:
    """Put every setting above back; nothing to do in a process that has not imported Keras."""
    if "keras" not in sys.modules:  # judging `layers` records never imports Keras: keep it that way
        return
    from keras.src.backend.common import global_state  # no public setter back to "unset"

    from smiley_checks.keras_env import keras

    for name, arguments in CALLS:
        getattr(keras.config, name)(*arguments)
    for name, value in GLOBAL_ATTRIBUTES.items():
        global_state.set_global_attribute(name, value)
