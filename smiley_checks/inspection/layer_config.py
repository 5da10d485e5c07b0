"""A layer's whole config as plain, comparable values: what compare counts as an edit.

The describe table shows only the lesson's key settings; an edit is any difference in
what the layer computes or learns, so compare reads every field of the public
`get_config()`: trainable, initialisers, regularisers, constraints, use_bias, dtype,
BatchNormalization's momentum/epsilon/center/scale, Dropout's seed and noise_shape,
data_format, dilation_rate, groups, ... Left out, because they change neither:
- `name` (also inside an activation given as a layer object, e.g. ReLU());
- `trainable` of a layer without weights (Dropout, MaxPooling2D, Flatten): it only
  freezes weights. BatchNormalization has weights, so its `trainable` counts (it also
  switches the layer to inference mode).
Dropout's `seed` is None unless the student sets one (Keras 3.15), so two fresh
original networks compare equal; a seed a student sets fixes the dropout masks of
every training seed, so it counts.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

IGNORED = frozenset({"name"})
WEIGHT_ONLY = frozenset({"trainable"})  # fields that only matter for a layer with weights


@dataclass(frozen=True)
class KerasObject:
    """A serialized Keras object (initialiser, regulariser, constraint, dtype policy, ...)."""

    class_name: str
    config: tuple = ()  # ((field, value), ...) in Keras's order

    def __str__(self) -> str:
        fields = dict(self.config)
        if self.class_name.endswith("DTypePolicy") and isinstance(fields.get("name"), str):
            return fields["name"]  # float32, mixed_float16, ...
        shown = ", ".join(f"{key}={text(value)}" for key, value in self.config if value is not None)
        return f"{self.class_name}({shown})" if shown else self.class_name


def _is_serialized(value) -> bool:
    return isinstance(value, dict) and "class_name" in value and "config" in value


def plain(value):
    """Config values as hashable plain Python: tuples for lists, KerasObject for objects."""
    if isinstance(value, (list, tuple)):
        return tuple(plain(v) for v in value)
    if _is_serialized(value):
        config = value["config"]
        if not isinstance(config, dict):  # e.g. a function: {"class_name": "function", "config": "relu"}
            return config if isinstance(config, str) else KerasObject(str(value["class_name"]), (("config", plain(config)),))
        if str(value.get("module", "")).startswith("keras.layers"):  # an activation layer: its name is a label
            config = {k: v for k, v in config.items() if k not in IGNORED}
        return KerasObject(str(value["class_name"]), tuple((str(k), plain(v)) for k, v in config.items()))
    if isinstance(value, dict):
        return tuple((str(k), plain(v)) for k, v in sorted(value.items(), key=lambda item: str(item[0])))
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    return value


def text(value) -> str:
    """A config value for a sentence: 3x3, GlorotUniform, L2(l2=0.01), -, False."""
    if isinstance(value, tuple):
        return "x".join(str(v) for v in value)
    return "-" if value is None else str(value)


def full_config(layer) -> dict:
    """Every field of the layer's config that changes what it computes or learns.

    {} when Keras cannot write the config (e.g. a lambda activation): compare then
    falls back on the key settings, which it always reads.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            config = layer.get_config()
    except Exception:
        return {}
    ignored = IGNORED if layer.weights else IGNORED | WEIGHT_ONLY
    return {key: plain(value) for key, value in config.items() if key not in ignored}
