"""The grader rebuilds only configs within the allow-list: the Lambda-node attack works on plain
model_from_json and is refused with the list; each kind of refusal has a case; every honest network
of the lesson, the notebooks, the example class and the tests passes."""

import ast
import copy
import json
from pathlib import Path

import nbformat
import pytest

from smiley_checks.inspection.config_allowlist import NotAllowed, check, check_model, checked_json
from smiley_checks.keras_env import keras
from smiley_checks.messages import say
from smiley_checks.network import build_original
from smiley_checks.tasks import TASKS
from smiley_checks.tasks.break_model import without_compile

REPO = Path(__file__).resolve().parents[2]
SUBMISSIONS = REPO / "tests" / "nbgrader" / "submissions"
ATTACKERS = {"klara", "tara"}  # klara: the attack below; tara forges hand_in, her builders return None
L = keras.layers


def config_of(model) -> dict:
    return json.loads(without_compile(model.to_json()))


def lambda_node(function: str, value, dtype: str) -> dict:
    """An extra layer that is on no path from the input to the output: Keras calls
    `keras.config.<function>(value)` while it rebuilds the model, and the model does not show it."""
    return {
        "module": "keras.layers", "class_name": "Lambda", "name": "extra", "registered_name": None,
        "config": {"name": "extra", "function": {"module": "keras.config", "class_name": "function",
                                                 "config": function, "registered_name": None}},
        "inbound_nodes": [{"args": [{"class_name": "__numpy__", "config": {"value": value, "dtype": dtype}}],
                           "kwargs": {}}],
    }


def crafted(function="set_epsilon", value=0.5, dtype="float32", base=None) -> dict:
    config = config_of(base or build_original("functional", compiled=False))
    config["config"]["layers"].append(lambda_node(function, value, dtype))
    return config


@pytest.fixture
def keras_settings():
    """Keras's settings as they were, put back after the test (the attack changes them for the process)."""
    from smiley_grader.keras_defaults import reset

    reset()
    yield keras.config
    reset()


def refusal(config) -> str:
    with pytest.raises(NotAllowed) as refused:
        check(config)
    return str(refused.value)


def not_allowed(key, **values) -> str:
    return say("assign.model.not_allowed", what=say(key, **values))


# --- the attack, and the refusal ---

@pytest.mark.parametrize("function, value, dtype, read", [
    ("set_epsilon", 0.5, "float32", "epsilon"),
    ("set_max_steps_per_epoch", 1, "int32", "max_steps_per_epoch"),  # klara's: every epoch one step
])
def test_the_lambda_node_runs_a_keras_function_in_plain_model_from_json(keras_settings, function, value, dtype, read):
    before = getattr(keras.config, read)()
    rebuilt = keras.models.model_from_json(json.dumps(crafted(function, value, dtype)))
    assert float(getattr(keras.config, read)()) == value != before  # the grader's Keras was changed
    clean = keras.models.model_from_json(json.dumps(config_of(build_original("functional", compiled=False))))
    assert [type(layer).__name__ for layer in rebuilt.layers] == [type(layer).__name__ for layer in clean.layers]


def test_the_lambda_node_is_refused_before_anything_is_rebuilt(keras_settings):
    with pytest.raises(NotAllowed) as refused:
        checked_json(json.dumps(crafted()))
    assert str(refused.value) == not_allowed("allowlist.layer_type", name="Lambda")
    assert keras.config.epsilon() == 1e-7

    task = TASKS["smallest_break"]
    outcome = task.judge({"task": "smallest_break", "model": json.dumps(crafted())}, task.public_key(), train=False)
    assert not outcome.passed and outcome.message == not_allowed("allowlist.layer_type", name="Lambda")
    assert keras.config.epsilon() == 1e-7


def no_batchnorm_functional():
    from smiley_checks.network import original_layers

    inputs = keras.Input(shape=(110, 110, 1))
    x = inputs
    for layer in original_layers(keras):
        x = x if isinstance(layer, L.BatchNormalization) else layer(x)
    return keras.Model(inputs, x)


def test_a_tampered_config_never_reaches_the_verdict_cache(keras_settings, monkeypatch):
    """Without the list the rebuilt network's cache key is a clean classmate's; with it, the tampered
    record is refused before anything is rebuilt, trained or looked up in the cache."""
    import smiley_checks.training.reliability as reliability_module
    from smiley_checks.training.cache_key import canonical, model_config

    network = no_batchnorm_functional()  # a classmate's copy has the same layer names (a fresh kernel each)
    tampered = json.dumps(crafted("set_max_steps_per_epoch", 1, "int32", base=network))
    clean = json.dumps(config_of(network))
    clean_key = canonical(model_config(keras.models.model_from_json(clean)))
    assert canonical(model_config(keras.models.model_from_json(tampered))) == clean_key  # the attack: one key
    keras_settings.set_max_steps_per_epoch(None)

    asked = []  # (cache key's model part, cache) of every network that got as far as training

    def reliability(model, cache=None, **kwargs):
        asked.append((canonical(model_config(model)), cache))
        raise AssertionError("stop here: only what reached the cache matters")

    monkeypatch.setattr(reliability_module, "reliability", reliability)
    task, cache = TASKS["no_batchnorm"], object()
    refused = task.judge({"task": "no_batchnorm", "model": tampered}, task.public_key(), cache=cache)
    assert not refused.passed and refused.message == not_allowed("allowlist.layer_type", name="Lambda")
    assert asked == [] and keras.config.max_steps_per_epoch() is None
    with pytest.raises(AssertionError, match="stop here"):
        task.judge({"task": "no_batchnorm", "model": clean}, task.public_key(), cache=cache)  # the clean one does get there
    assert asked == [(clean_key, cache)]


# --- every kind of refusal ---

def _dense(config) -> dict:
    return next(layer for layer in config["config"]["layers"] if layer["class_name"] == "Dense")


def unknown_class(config):
    _dense(config)["class_name"] = "GaussianNoise"


def unknown_key(config):
    _dense(config)["config"]["lora_rank"] = 4


def function_activation(config):
    _dense(config)["config"]["activation"] = {"module": "keras.config", "class_name": "function",
                                              "config": "set_epsilon", "registered_name": None}


def string_activation_not_a_name(config):
    _dense(config)["config"]["activation"] = "keras.config.set_epsilon"


def initializer_of_another_module(config):
    _dense(config)["config"]["kernel_initializer"] = {"module": "keras.config", "class_name": "set_epsilon",
                                                      "config": {}, "registered_name": None}


def quantized_dtype_policy(config):
    _dense(config)["config"]["dtype"] = {"module": "keras", "class_name": "QuantizedDTypePolicy",
                                         "config": {"name": "int8_from_float32"}, "registered_name": None}


def custom_object(config):
    _dense(config)["registered_name"] = "MyPackage>Dense"


def custom_module(config):
    _dense(config)["module"] = "my_layers"


def nested_model(config):
    config["config"]["layers"].insert(1, copy.deepcopy(config) | {"name": "inner"})


def dangling_node(config):
    """A Dense made from the input that goes nowhere: an allowed class, but off the path to the output."""
    layers = config["config"]["layers"]
    extra = copy.deepcopy(_dense(config))
    extra["name"] = extra["config"]["name"] = "dangling"
    extra["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = [layers[0]["name"], 0, 0]
    layers.append(extra)


def constant_argument(config):
    _dense(config)["inbound_nodes"][0]["args"] = [{"class_name": "__numpy__", "config": {"value": 1, "dtype": "int32"}}]


def extra_call_argument(config):
    _dense(config)["inbound_nodes"][0]["kwargs"] = {"mask": {"class_name": "__tensor__",
                                                             "config": {"value": 1, "dtype": "int32"}}}


def not_a_number(config):
    _dense(config)["config"]["units"] = float("nan")


REFUSED = {
    "unknown class": (unknown_class, "allowlist.layer_type", {"name": "GaussianNoise"}),
    "unknown key": (unknown_key, "allowlist.setting", {"setting": "lora_rank", "layer": "Dense"}),
    "function-valued activation": (function_activation, "allowlist.value", {"setting": "activation", "layer": "Dense"}),
    "activation that is no name": (string_activation_not_a_name, "allowlist.value",
                                   {"setting": "activation", "layer": "Dense"}),
    "initializer of another module": (initializer_of_another_module, "allowlist.value",
                                      {"setting": "kernel_initializer", "layer": "Dense"}),
    "quantized dtype policy": (quantized_dtype_policy, "allowlist.value", {"setting": "dtype", "layer": "Dense"}),
    "custom object (registered name)": (custom_object, "allowlist.layer_type", {"name": "keras.layers.Dense"}),
    "custom object (module)": (custom_module, "allowlist.layer_type", {"name": "my_layers.Dense"}),
    "a model inside the model": (nested_model, "allowlist.layer_type", {"name": "Functional"}),
    "dangling node": (dangling_node, "allowlist.not_connected", {"name": "Dense"}),
    "constant as a node's argument": (constant_argument, "allowlist.argument", {"name": "Dense"}),
    "extra call argument": (extra_call_argument, "allowlist.argument", {"name": "Dense"}),
    "not a number": (not_a_number, "allowlist.value", {"setting": "units", "layer": "Dense"}),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_kind_outside_the_list_is_refused_in_one_sentence(name):
    change, key, values = REFUSED[name]
    config = config_of(build_original("functional", compiled=False))
    check(config)  # the clean one passes
    change(config)
    assert refusal(config) == not_allowed(key, **values)


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"class_name": "Sequential"}', "NaN",
                                  json.dumps({"module": "keras", "class_name": "Sequential", "registered_name": None,
                                              "config": {"layers": []}}),
                                  json.dumps({"module": "keras", "class_name": "Sequential", "registered_name": None,
                                              "config": {"layers": [{"module": "keras.layers", "class_name": "Flatten",
                                                                     "config": {}, "registered_name": None}] * 501}})])
def test_what_is_not_a_model_config_is_refused(text):
    with pytest.raises(NotAllowed):
        checked_json(text)


def test_a_sequential_with_an_unknown_layer_is_refused():
    model = keras.Sequential([keras.Input((110, 110, 1)), L.GaussianNoise(0.1), L.Flatten(), L.Dense(2)])
    with pytest.raises(NotAllowed, match="a layer of type GaussianNoise"):
        check_model(model)


def test_the_notebook_check_says_it_before_the_grader_does():
    def noisy():
        return keras.Sequential([keras.Input((110, 110, 1)), L.GaussianNoise(0.1), L.Flatten(),
                                 L.Dense(2, activation="softmax")])

    from smiley_checks.checks.view import grade

    outcome = grade(TASKS["only_dense"], noisy)
    assert not outcome.passed and outcome.message == not_allowed("allowlist.layer_type", name="GaussianNoise")


def test_the_dutch_sentence():
    from smiley_checks.messages import set_language

    set_language("nl")
    try:
        assert refusal(crafted()).startswith("Het verbeterprogramma bouwt alleen netwerken uit gewone Keras-lagen")
        assert "een laag van het type Lambda" in refusal(crafted())
    finally:
        set_language("en")


# --- every honest network passes ---

def builders_in(path: Path) -> dict:
    """The build_* functions of a notebook's code cells (their imports too), without running its other code."""
    nb = nbformat.read(path, as_version=4)
    namespace = {"keras": keras}
    for cell in nb.cells:
        if cell.cell_type != "code" or "def build" not in cell.source:
            continue
        tree = ast.parse(cell.source)
        tree.body = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef))]
        exec(compile(tree, str(path), "exec"), namespace)
    return {name: value for name, value in namespace.items() if name.startswith("build_") and callable(value)}


def honest_notebooks() -> list[Path]:
    notebooks = [REPO / "source" / name / f"{name}.ipynb" for name in ("break_the_model", "breek_het_model")]
    notebooks += sorted(path for path in SUBMISSIONS.glob("*/break_the_model.ipynb") if path.parent.name not in ATTACKERS)
    return notebooks


@pytest.mark.parametrize("path", honest_notebooks(), ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_every_network_in_the_notebooks_and_the_example_class_passes(path):
    builders = builders_in(path)
    assert builders or path.parent.name == "bert"
    for name, builder in builders.items():
        try:
            model = builder()
        except Exception:  # an unfinished answer (bert's ...): nothing to hand in
            continue
        check_model(model)
        task = next((task for task in TASKS.values() if task.answer == name), None)
        if task is not None:  # and the record the hidden test makes of it rebuilds
            task.rebuild(json.loads(json.dumps(task.export(builder))))


def test_the_lesson_and_its_variants_pass_with_both_kerases():
    from tensorflow import keras as tf_keras

    from smiley_checks.variants import VARIANTS, build_variant

    for name in VARIANTS:
        check_model(build_variant(name))
    for kind in ("sequential", "functional"):
        check_model(build_original(kind))
    inputs = tf_keras.Input(shape=(110, 110, 1))
    x = tf_keras.layers.Flatten()(inputs)
    x = tf_keras.layers.Dropout(0.1)(x, training=True)
    check_model(tf_keras.Model(inputs, tf_keras.layers.Dense(2, activation="softmax")(x)))


def test_the_edits_the_tests_make_pass(model_of, lesson):
    """Every one-setting edit of tests/inspection/test_layer_config.py, and a few ordinary layers to add."""
    from test_layer_config import HIDDEN_EDITS

    for index, make, _ in HIDDEN_EDITS.values():
        layers = lesson()
        layers[index] = make()
        check_model(model_of(layers))
    for extra in (L.Activation("sigmoid"), L.ReLU(), L.LeakyReLU(), L.Softmax(), L.Rescaling(1 / 255),
                  L.Dense(16, activation=L.ReLU(max_value=6.0)), L.Dense(16, activation=keras.activations.tanh),
                  L.Dense(16, kernel_initializer=keras.initializers.VarianceScaling(2.0, seed=3),
                          bias_regularizer="l1", kernel_constraint="non_neg", activity_regularizer="l2")):
        layers = lesson()
        layers.insert(-1, extra)
        check_model(model_of(layers))
    pooled = lesson()
    pooled[2], pooled[20] = L.AveragePooling2D((2, 2)), L.GlobalAveragePooling2D()  # block 1's pooling, Flatten
    check_model(model_of(pooled))
    check_model(model_of([L.Conv2D(4, 3), L.GlobalMaxPooling2D(keepdims=False), L.Dense(2)], kind="functional"))
