"""What a model is made of, read through the public Keras 3 API only.

Per layer: type, key settings, output shape, parameter count; for the whole
model: input/output shape, total parameters and compile settings. The
InputLayer is the input, not a layer. Reading never changes the model.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass, field

from smiley_checks.inspection.layer_config import full_config
from smiley_checks.messages import say

# Settings that matter in the lesson, in the order they are shown.
KEY_SETTINGS = ("filters", "units", "kernel_size", "pool_size", "strides", "padding", "activation", "rate")


def _plain(value):
    """Config values as plain, comparable Python: tuples for sizes, names for activations."""
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):  # a serialized object, e.g. activation=keras.layers.ReLU()
        config = value.get("config")
        return (config.get("name") if isinstance(config, dict) else None) or value.get("class_name") or str(value)
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    return value


def key_settings(layer) -> dict:
    try:
        with warnings.catch_warnings():  # Keras warns when it serializes a lambda
            warnings.simplefilter("ignore")
            config = layer.get_config()
    except Exception:  # e.g. a lambda whose source is gone cannot be serialized; read attributes
        config = {key: getattr(layer, key) for key in KEY_SETTINGS if hasattr(layer, key)}
    if "activation" in config and callable(getattr(layer, "activation", None)):
        config["activation"] = layer.activation  # the function's name reads better than its config
    return {key: _plain(config[key]) for key in KEY_SETTINGS if key in config}


def _shape(tensor_shape) -> tuple | None:
    return None if tensor_shape is None else tuple(tensor_shape[1:])  # without the batch size


def _json_value(value):
    return list(_json_value(v) for v in value) if isinstance(value, tuple) else value


@dataclass(frozen=True)
class LayerDescription:
    index: int  # 1-based position among the real layers
    type: str
    name: str
    settings: dict = field(default_factory=dict)
    output_shape: tuple | None = None
    params: int = 0
    # Every setting compare counts (inspection/layer_config.py); the table shows only `settings`.
    config: dict = field(default_factory=dict)

    def label(self) -> str:
        """The layer in the lesson's words: Conv2D(4 filters), Dense(16, relu), Dropout(0.1)."""
        s = self.settings
        if "filters" in s:
            count = s["filters"]
            return f"{self.type}({say('layer.filter') if count == 1 else say('layer.filters', count=count)})"
        if "units" in s:
            act = s.get("activation")
            return f"{self.type}({s['units']}{'' if act in (None, 'linear') else ', ' + str(act)})"
        if "rate" in s:
            return f"{self.type}({s['rate']})"
        if "pool_size" in s:
            return f"{self.type}({'x'.join(str(v) for v in s['pool_size'])})"
        if self.type == "Activation" and "activation" in s:
            return f"{self.type}({s['activation']})"
        return self.type

    def settings_text(self) -> str:
        """Settings for the table, leaving out defaults nobody changed (strides, padding)."""
        s, parts = self.settings, []
        for key, value in s.items():
            if (key, value) in (("padding", "valid"), ("strides", (1, 1))) or (key == "strides" and value == s.get("pool_size")):
                continue
            if isinstance(value, tuple):
                value = "x".join(str(v) for v in value)
            parts.append(f"{key}={value}")
        return " ".join(parts)

    def to_json(self) -> dict:
        data = {"type": self.type, "name": self.name, "output_shape": _json_value(self.output_shape), "params": self.params}
        data.update({key: _json_value(value) for key, value in self.settings.items()})
        return data


@dataclass(frozen=True)
class ModelDescription:
    layers: tuple[LayerDescription, ...]
    input_shape: tuple | None
    output_shape: tuple | None
    total_params: int
    compiled: bool = False
    optimizer: str | None = None
    loss: str | None = None

    @property
    def types(self) -> list[str]:
        return [layer.type for layer in self.layers]

    @property
    def type_counts(self) -> Counter:
        """How many layers of each type, e.g. Counter({'Conv2D': 5, 'Dense': 2, ...})."""
        return Counter(self.types)

    def to_json(self) -> dict:
        return {
            "layers": [layer.to_json() for layer in self.layers],
            "total_params": self.total_params,
            "input_shape": _json_value(self.input_shape),
            "output_shape": _json_value(self.output_shape),
            "compiled": self.compiled,
            "optimizer": self.optimizer,
            "loss": self.loss,
        }

    def table(self) -> str:
        return format_table(self)


def _loss_name(loss) -> str | None:
    if loss is None or isinstance(loss, str):
        return loss
    return getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__


def _output_shape(layer):
    try:
        return _shape(layer.output.shape)
    except Exception:  # a layer not connected in a graph has no single output
        return None


def describe_layer(layer, index: int) -> LayerDescription:
    return LayerDescription(
        index=index,
        type=type(layer).__name__,
        name=layer.name,
        settings=key_settings(layer),
        output_shape=_output_shape(layer),
        params=int(layer.count_params()) if layer.built else 0,
        config=full_config(layer),
    )


def describe(model_or_builder) -> ModelDescription:
    """Describe a Keras model (or the model a builder function returns)."""
    from smiley_checks.inspection.submission import as_model, is_compiled, real_layers

    model = as_model(model_or_builder)
    compiled = is_compiled(model)
    optimizer = getattr(model, "optimizer", None) if compiled else None
    return ModelDescription(
        layers=tuple(describe_layer(layer, i) for i, layer in enumerate(real_layers(model), start=1)),
        # Keras 3: Sequential `.output` may be undefined, `.inputs`/`.outputs` always are once built.
        input_shape=_shape(model.inputs[0].shape) if model.inputs else None,
        output_shape=_shape(model.outputs[0].shape) if model.outputs else None,
        total_params=int(model.count_params()),
        compiled=compiled,
        optimizer=type(optimizer).__name__ if optimizer is not None else None,
        loss=_loss_name(getattr(model, "loss", None)) if compiled else None,
    )


def _shape_text(shape) -> str:
    return "?" if shape is None else str(tuple(shape))


def format_table(description: ModelDescription) -> str:
    """A readable table, one row per layer, then a one-line summary."""
    head = ("#", say("describe.col_layer"), say("describe.col_settings"), say("describe.col_output"), say("describe.col_params"))
    rows = [
        (str(layer.index), layer.type, layer.settings_text(), _shape_text(layer.output_shape), f"{layer.params:,}")
        for layer in description.layers
    ]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(row):
        cells = [row[0].rjust(widths[0]), *(row[i].ljust(widths[i]) for i in (1, 2, 3)), row[4].rjust(widths[4])]
        return "  ".join(cells).rstrip()

    lines = [line(head), "-" * (sum(widths) + 2 * (len(widths) - 1)), *(line(row) for row in rows)]
    lines.append(
        say(
            "describe.summary",
            layers=len(description.layers),
            params=f"{description.total_params:,}",
            input_shape=_shape_text(description.input_shape),
            output_shape=_shape_text(description.output_shape),
        )
    )
    if description.compiled:
        lines.append(say("describe.compiled", optimizer=description.optimizer, loss=description.loss))
    return "\n".join(lines)
