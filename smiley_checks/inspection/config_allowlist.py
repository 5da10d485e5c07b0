"""Which Keras configs the grader rebuilds: ordinary layers with ordinary settings, nothing else.

    text = checked_json(record["model"])      # raises NotAllowed (one sentence) or returns the JSON to rebuild
    keras.models.model_from_json(text)

`model_from_json` does more than read: it imports and calls what a config names. Keras's safe
mode refuses Python bytecode, but not an exported `keras.*` function: a `Lambda` whose function is
`keras.config.set_max_steps_per_epoch`, called with a constant from its node while the model is
rebuilt, changes how the grader trains every network after it. Put on no path from the input to
the output, that layer is not even part of the rebuilt model, which then looks clean.

So the raw JSON is read first, against the tables below: known model and layer classes, the keys
each class may have and the kind of value each key takes; serialized objects (initialisers,
regularisers, constraints, dtype policies, activation layers) only of known classes from Keras's own
modules; every node's argument is a tensor of the model; every layer lies on a path from the input
to the output. The first thing outside the tables is named in one sentence, and nothing is rebuilt.
What is checked is what is rebuilt: `checked_json` returns the checked config, written out again.
"""

from __future__ import annotations

import json
import math

from smiley_checks.errors import SubmissionError
from smiley_checks.messages import say


class NotAllowed(SubmissionError):
    """The config holds something the tables do not: the message says what, in one sentence."""


class _Refused(Exception):
    """Raised deep in the walk; becomes one NotAllowed sentence at the top."""

    def __init__(self, message_key: str, **values):
        super().__init__(message_key)
        self.key, self.values = message_key, values


# --- kinds of value: a kind is a name in KINDS, or a frozenset of the strings allowed ---

PADDING = frozenset({"valid", "same"})
DATA_FORMAT = frozenset({"channels_last", "channels_first"})
DTYPE_NAMES = frozenset({"float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                         "bool"})
DTYPE_POLICY_NAMES = frozenset({"float16", "bfloat16", "float32", "float64", "mixed_float16", "mixed_bfloat16"})
# keras.activations, by name (Keras 3.15); a layer's activation is one of these or an activation layer.
ACTIVATION_NAMES = frozenset({
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid",
    "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
})
FAN_MODE = frozenset({"fan_in", "fan_out", "fan_avg"})
DISTRIBUTION = frozenset({"truncated_normal", "untruncated_normal", "normal", "uniform"})
ROWS_OR_COLUMNS = frozenset({"rows", "columns"})

COMMON = {"name": "name", "trainable": "bool", "dtype": "dtype_policy"}
WEIGHTS = {"use_bias": "bool", "kernel_initializer": "initializer", "bias_initializer": "initializer",
           "kernel_regularizer": "regularizer", "bias_regularizer": "regularizer",
           "activity_regularizer": "regularizer", "kernel_constraint": "constraint", "bias_constraint": "constraint"}
POOLING = {"pool_size": "ints", "strides": "ints_or_none", "padding": PADDING, "data_format": DATA_FORMAT}
GLOBAL_POOLING = {"data_format": DATA_FORMAT, "keepdims": "bool"}

# Layer classes of keras.layers -> the keys of their config -> the kind of value. The lesson's layers,
# and a few ordinary ones a student may put in to break the model (an activation or a pooling layer).
LAYERS: dict[str, dict] = {
    "InputLayer": {"name": "name", "batch_shape": "shape", "dtype": DTYPE_NAMES, "sparse": "bool",
                   "ragged": "bool", "optional": "bool"},
    "Conv2D": COMMON | WEIGHTS | {"filters": "int", "kernel_size": "ints", "strides": "ints", "padding": PADDING,
                                  "data_format": DATA_FORMAT, "dilation_rate": "ints", "groups": "int",
                                  "activation": "activation"},
    "BatchNormalization": COMMON | {
        "axis": "axis", "momentum": "number", "epsilon": "number", "center": "bool", "scale": "bool",
        "beta_initializer": "initializer", "gamma_initializer": "initializer",
        "moving_mean_initializer": "initializer", "moving_variance_initializer": "initializer",
        "beta_regularizer": "regularizer", "gamma_regularizer": "regularizer", "activity_regularizer": "regularizer",
        "beta_constraint": "constraint", "gamma_constraint": "constraint", "synchronized": "bool", "renorm": "bool",
        "renorm_clipping": "none", "renorm_momentum": "number"},
    "MaxPooling2D": COMMON | POOLING,
    "AveragePooling2D": COMMON | POOLING,
    "GlobalMaxPooling2D": COMMON | GLOBAL_POOLING,
    "GlobalAveragePooling2D": COMMON | GLOBAL_POOLING,
    "Dropout": COMMON | {"rate": "number", "seed": "int_or_none", "noise_shape": "shape_or_none"},
    "Flatten": COMMON | {"data_format": DATA_FORMAT},
    "Dense": COMMON | WEIGHTS | {"units": "int", "activation": "activation", "quantization_config": "none"},
    "Activation": COMMON | {"activation": "activation"},
    "ReLU": COMMON | {"max_value": "number_or_none", "negative_slope": "number", "threshold": "number"},
    "LeakyReLU": COMMON | {"negative_slope": "number"},
    "Softmax": COMMON | {"axis": "axis"},
    "Rescaling": COMMON | {"scale": "number", "offset": "number"},
}
ACTIVATION_LAYERS = frozenset({"ReLU", "LeakyReLU", "Softmax"})  # may stand as a layer's `activation`

# Serialized objects: kind -> (module, class -> config keys -> kind, names Keras also accepts as a string).
SEED_AXES = {"seed": "int_or_none", "input_axes": "axis_or_none", "output_axes": "axis_or_none"}
OBJECTS: dict[str, tuple[str, dict[str, dict], frozenset]] = {
    "initializer": ("keras.initializers", {
        "Zeros": {}, "Ones": {}, "Identity": {"gain": "number"}, "Constant": {"value": "number"},
        "RandomNormal": {"seed": "int_or_none", "mean": "number", "stddev": "number"},
        "TruncatedNormal": {"seed": "int_or_none", "mean": "number", "stddev": "number"},
        "RandomUniform": {"seed": "int_or_none", "minval": "number", "maxval": "number"},
        "GlorotUniform": SEED_AXES, "GlorotNormal": SEED_AXES, "HeUniform": SEED_AXES, "HeNormal": SEED_AXES,
        "LecunUniform": SEED_AXES, "LecunNormal": SEED_AXES,
        "VarianceScaling": SEED_AXES | {"scale": "number", "mode": FAN_MODE, "distribution": DISTRIBUTION},
        "Orthogonal": {"seed": "int_or_none", "gain": "number"},
    }, frozenset({"zeros", "ones", "identity", "constant", "random_normal", "truncated_normal", "random_uniform",
                  "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal",
                  "variance_scaling", "orthogonal"})),
    "regularizer": ("keras.regularizers", {
        "L1": {"l1": "number"}, "L2": {"l2": "number"}, "L1L2": {"l1": "number", "l2": "number"},
        "OrthogonalRegularizer": {"factor": "number", "mode": ROWS_OR_COLUMNS},
    }, frozenset({"l1", "l2", "l1_l2", "orthogonal_regularizer"})),
    "constraint": ("keras.constraints", {
        "MaxNorm": {"max_value": "number", "axis": "axis"}, "NonNeg": {}, "UnitNorm": {"axis": "axis"},
        "MinMaxNorm": {"min_value": "number", "max_value": "number", "rate": "number", "axis": "axis"},
    }, frozenset({"max_norm", "non_neg", "unit_norm", "min_max_norm"})),
    "dtype_policy": ("keras", {"DTypePolicy": {"name": DTYPE_POLICY_NAMES}}, DTYPE_POLICY_NAMES),
}
OBJECT_KEYS = frozenset({"module", "class_name", "config", "registered_name"})

# Models: class -> (module, keys of its config, how its layers are joined).
MODELS = {
    "Sequential": ("keras", {"name": "name", "trainable": "bool", "dtype": "dtype_policy", "layers": "graph",
                             "build_input_shape": "shape_or_none"}, "in_order"),
    "Functional": ("keras.src.models.functional", {"name": "name", "trainable": "bool", "layers": "graph",
                                                   "input_layers": "graph", "output_layers": "graph"}, "nodes"),
}
MODEL_KEYS = OBJECT_KEYS | {"build_config"}
LAYER_KEYS = {"in_order": OBJECT_KEYS | {"build_config"},
              "nodes": OBJECT_KEYS | {"build_config", "name", "inbound_nodes"}}
NODE_KWARGS = {"training": "bool_or_none", "mask": "none"}  # besides its tensor: Dropout(...)(x, training=True)
KERAS_TENSOR_KEYS = frozenset({"shape", "dtype", "keras_history"})
MAX_LAYERS = 500  # the lesson's network has 23; the walk below stays quick for any record


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _ints(value) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_int(v) for v in value)


def _shape(value) -> bool:
    return isinstance(value, list) and all(v is None or _is_int(v) for v in value)


KINDS = {
    "name": lambda v: isinstance(v, str) and 0 < len(v) <= 200,
    "bool": lambda v: isinstance(v, bool),
    "bool_or_none": lambda v: v is None or isinstance(v, bool),
    "none": lambda v: v is None,
    "int": _is_int,
    "int_or_none": lambda v: v is None or _is_int(v),
    "number": _is_number,
    "number_or_none": lambda v: v is None or _is_number(v),
    "ints": lambda v: _is_int(v) or _ints(v),
    "ints_or_none": lambda v: v is None or _is_int(v) or _ints(v),
    "axis": lambda v: _is_int(v) or _ints(v),
    "axis_or_none": lambda v: v is None or _is_int(v) or _ints(v),
    "shape": _shape,
    "shape_or_none": lambda v: v is None or _shape(v),
}


# --- the walk ---

def _value(kind, value, key: str, owner: str) -> None:
    if isinstance(kind, frozenset):
        ok = isinstance(value, str) and value in kind
    elif kind in OBJECTS:
        ok = value is None or (isinstance(value, str) and value in OBJECTS[kind][2])
        if isinstance(value, dict):
            _object(kind, value, key, owner)
            return
    elif kind == "activation":
        ok = value is None or (isinstance(value, str) and value in ACTIVATION_NAMES)
        if isinstance(value, dict) and value.get("class_name") in ACTIVATION_LAYERS:
            _layer_object(value, key, owner)
            return
    else:
        ok = KINDS[kind](value)
    if not ok:
        raise _Refused("allowlist.value", setting=key, layer=owner)


def _config(table: dict, config, owner: str) -> None:
    if not isinstance(config, dict):
        raise _Refused("allowlist.form")
    for key, value in config.items():
        if key not in table:
            raise _Refused("allowlist.setting", setting=key, layer=owner)
        _value(table[key], value, key, owner)


def _object(kind: str, value: dict, key: str, owner: str) -> None:
    """An initialiser, regulariser, constraint or dtype policy: a known class of Keras's own module."""
    module, classes, _ = OBJECTS[kind]
    class_name = value.get("class_name")
    if (set(value) - OBJECT_KEYS or value.get("module") != module or class_name not in classes
            or value.get("registered_name") not in (None, class_name)):
        raise _Refused("allowlist.value", setting=key, layer=owner)
    _config(classes[class_name], value.get("config"), owner)


def _layer_object(value: dict, key: str, owner: str) -> None:
    """An activation given as a layer (activation=keras.layers.ReLU())."""
    if set(value) - OBJECT_KEYS or value.get("module") != "keras.layers" or value.get("registered_name") not in (
            None, value["class_name"]):
        raise _Refused("allowlist.value", setting=key, layer=owner)
    _config(LAYERS[value["class_name"]], value.get("config"), value["class_name"])


def _layer(entry, allowed_keys: frozenset) -> str:
    """One layer of the model's list; its class name."""
    if not isinstance(entry, dict) or set(entry) - allowed_keys:
        raise _Refused("allowlist.form")
    class_name = entry.get("class_name")
    if class_name not in LAYERS:
        raise _Refused("allowlist.layer_type", name=str(class_name)[:60])
    if entry.get("module") != "keras.layers" or entry.get("registered_name") not in (None, class_name):
        raise _Refused("allowlist.layer_type", name=f"{entry.get('module')}.{class_name}"[:80])
    _config(LAYERS[class_name], entry.get("config"), class_name)
    _build_config(entry.get("build_config"))
    return class_name


def _build_config(build) -> None:
    """The shape a layer or model was built for: nothing else."""
    if build is not None and not (isinstance(build, dict) and set(build) <= {"input_shape"}
                                  and KINDS["shape_or_none"](build.get("input_shape"))):
        raise _Refused("allowlist.form")


def _ref(value) -> tuple[str, int, int]:
    if (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and _is_int(value[1]) and _is_int(value[2])):
        return value[0], value[1], value[2]
    raise _Refused("allowlist.form")


def _refs(value) -> list[tuple[str, int, int]]:
    """input_layers / output_layers: one [name, node, tensor] or a list of them."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        return [_ref(value)]
    if isinstance(value, list) and value:
        return [_ref(v) for v in value]
    raise _Refused("allowlist.form")


def _tensor(arg, into: str) -> tuple[str, int, int]:
    """A node's argument: only a tensor that another layer of the model made."""
    if not (isinstance(arg, dict) and set(arg) == {"class_name", "config"} and arg["class_name"] == "__keras_tensor__"
            and isinstance(arg["config"], dict) and set(arg["config"]) <= KERAS_TENSOR_KEYS):
        raise _Refused("allowlist.argument", name=into)
    config = arg["config"]
    if not (KINDS["shape"](config.get("shape")) and config.get("dtype") in DTYPE_NAMES):
        raise _Refused("allowlist.argument", name=into)
    return _ref(config.get("keras_history"))


def _functional(layers: list, inputs, outputs) -> None:
    """Every node takes tensors of the model, and every layer lies on a path from an input to an output."""
    nodes: dict[str, list[list[tuple]]] = {}  # layer name -> per node, the (layer, node, tensor) it takes
    types: dict[str, str] = {}
    for entry in layers:
        class_name = _layer(entry, LAYER_KEYS["nodes"])
        name = entry.get("name")
        config_name = entry["config"].get("name") if isinstance(entry.get("config"), dict) else None
        if not KINDS["name"](name) or name in nodes or config_name not in (None, name):
            raise _Refused("allowlist.form")
        inbound = entry.get("inbound_nodes")
        if not isinstance(inbound, list) or (class_name == "InputLayer") != (not inbound):
            raise _Refused("allowlist.form")
        types[name] = class_name
        nodes[name] = []
        for node in inbound:
            if not (isinstance(node, dict) and set(node) <= {"args", "kwargs"} and isinstance(node.get("args"), list)
                    and len(node["args"]) == 1 and isinstance(node.get("kwargs", {}), dict)):
                raise _Refused("allowlist.argument", name=class_name)
            for key, value in node.get("kwargs", {}).items():
                if key not in NODE_KWARGS or not KINDS[NODE_KWARGS[key]](value):
                    raise _Refused("allowlist.argument", name=class_name)
            nodes[name].append([_tensor(node["args"][0], class_name)])
    node_count = {name: max(1, len(made)) for name, made in nodes.items()}  # an InputLayer makes one tensor

    def known(ref):
        layer, node, tensor = ref
        if layer not in nodes or not 0 <= node < node_count[layer] or tensor != 0:
            raise _Refused("allowlist.form")
        return layer, node

    input_refs = [known(ref) for ref in _refs(inputs)]
    if any(types[layer] != "InputLayer" for layer, _ in input_refs):
        raise _Refused("allowlist.form")
    # Forwards: which nodes are made from the inputs (repeat until nothing changes; also settles cycles).
    from_input = set(input_refs)
    changed = True
    while changed:
        changed = False
        for name, made in nodes.items():
            for index, args in enumerate(made):
                if (name, index) not in from_input and all(known(ref) in from_input for ref in args):
                    from_input.add((name, index))
                    changed = True
    # Backwards: which nodes the outputs are made from.
    used, todo = set(), [known(ref) for ref in _refs(outputs)]
    while todo:
        layer_node = todo.pop()
        if layer_node in used:
            continue
        used.add(layer_node)
        name, index = layer_node
        todo += [known(ref) for ref in (nodes[name][index] if nodes[name] else [])]
    for name in nodes:
        for index in range(node_count[name]):
            if (name, index) not in used or (name, index) not in from_input:
                raise _Refused("allowlist.not_connected", name=types[name])


def _sequential(layers: list) -> None:
    for position, entry in enumerate(layers):
        if _layer(entry, LAYER_KEYS["in_order"]) == "InputLayer" and position != 0:
            raise _Refused("allowlist.not_connected", name="InputLayer")


def check(config) -> None:
    """Raise NotAllowed (one sentence) unless `config` (a parsed model config) is within the tables."""
    try:
        _check(config)
    except _Refused as refused:
        raise NotAllowed(say("assign.model.not_allowed", what=say(refused.key, **refused.values))) from None


def _check(config) -> None:
    if not isinstance(config, dict) or set(config) - MODEL_KEYS:
        raise _Refused("allowlist.form")
    class_name = config.get("class_name")
    if class_name not in MODELS:
        raise _Refused("allowlist.model_type", name=str(class_name)[:60])
    module, keys, joined = MODELS[class_name]
    if config.get("module") != module or config.get("registered_name") not in (None, class_name):
        raise _Refused("allowlist.model_type", name=f"{config.get('module')}.{class_name}"[:80])
    inner = config.get("config")
    if not isinstance(inner, dict) or not isinstance(inner.get("layers"), list) or not (
            0 < len(inner["layers"]) <= MAX_LAYERS):
        raise _Refused("allowlist.form")
    for key, value in inner.items():
        if key not in keys:
            raise _Refused("allowlist.setting", setting=key, layer=class_name)
        if keys[key] != "graph":  # the layers and how they join: read below
            _value(keys[key], value, key, class_name)
    _build_config(config.get("build_config"))
    if joined == "nodes":
        _functional(inner["layers"], inner.get("input_layers"), inner.get("output_layers"))
    else:
        _sequential(inner["layers"])


def checked_json(text: str) -> str:
    """The model's JSON as it will be rebuilt, after `check`; NotAllowed when it is outside the tables."""
    try:
        config = json.loads(text, parse_constant=_no_constant)
    except (ValueError, TypeError, RecursionError):
        raise NotAllowed(say("assign.model.not_allowed", what=say("allowlist.form"))) from None
    check(config)
    return json.dumps(config)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number here")  # NaN, Infinity: not in any of our settings


def check_model(model) -> None:
    """The same check on a live model (the notebook's check): NotAllowed says what the grader would refuse."""
    config = json.loads(model.to_json())
    config.pop("compile_config", None)  # the grader trains with the lesson's compile settings, never these
    check(config)
