import json

import pytest

from smiley_checks.inspection import describe, hints
from smiley_checks.messages import say, set_language

ORIGINAL_TYPES = ["Conv2D", "BatchNormalization", "MaxPooling2D", "Dropout"] * 5 + ["Flatten", "Dense", "Dropout", "Dense"]


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_original_is_24_layers_and_2000_params_with_either_import_and_kind(build, kind):
    d = describe(build(kind=kind, compiled=True))
    assert d.types == ORIGINAL_TYPES  # the InputLayer is the input, not a layer
    assert len(d.layers) == 24 and d.total_params == 2000
    assert d.input_shape == (110, 110, 1) and d.output_shape == (2,)
    assert (d.compiled, d.optimizer, d.loss) == (True, "Adam", "categorical_crossentropy")


def test_functional_model_lists_its_input_layer_but_the_description_does_not(build):
    model = build(kind="functional")
    assert type(model.layers[0]).__name__ == "InputLayer"
    assert describe(model).layers[0].type == "Conv2D"


def test_every_lesson_layer_type_has_its_settings_shape_and_params(model_of):
    layers = describe(model_of()).layers
    conv, norm, pool, drop = layers[0:4]
    flatten, dense, _, last = layers[20:24]
    assert conv.settings == {"filters": 1, "kernel_size": (3, 3), "strides": (1, 1), "padding": "valid", "activation": "relu"}
    assert (conv.output_shape, conv.params, conv.label()) == ((108, 108, 1), 10, "Conv2D(1 filter)")
    assert (norm.type, norm.settings, norm.params) == ("BatchNormalization", {}, 4)
    assert pool.settings["pool_size"] == (2, 2) and pool.output_shape == (54, 54, 1) and pool.params == 0
    assert (drop.settings, drop.label()) == ({"rate": 0.1}, "Dropout(0.1)")
    assert (flatten.type, flatten.output_shape, flatten.params) == ("Flatten", (16,), 0)
    assert dense.settings == {"units": 16, "activation": "relu"} and dense.params == 272
    assert (last.label(), last.output_shape, last.params) == ("Dense(2, softmax)", (2,), 34)


def test_uncompiled_model_is_described_and_the_hint_says_to_compile(model_of):
    model = model_of()
    d = describe(model)
    assert (d.compiled, d.optimizer, d.loss) == (False, None, None)
    assert hints(model) == [say("submission.hint_not_compiled")]
    assert hints(model_of(compiled=True)) == []


def test_json_has_layers_totals_and_shapes(model_of):
    data = json.loads(json.dumps(describe(model_of()).to_json()))
    assert data["total_params"] == 2000 and data["input_shape"] == [110, 110, 1] and data["output_shape"] == [2]
    first = data["layers"][0]
    assert first["type"] == "Conv2D" and first["output_shape"] == [108, 108, 1] and first["params"] == 10
    assert first["filters"] == 1 and first["kernel_size"] == [3, 3] and first["activation"] == "relu"
    assert data["layers"][3] == {"type": "Dropout", "name": data["layers"][3]["name"], "output_shape": [54, 54, 1], "params": 0, "rate": 0.1}


def test_table_is_readable_and_follows_the_language(model_of):
    table = describe(model_of(compiled=True)).table()
    assert "24 layers, 2,000 parameters; input (110, 110, 1), output (2,)." in table
    assert "Compiled with optimizer Adam and loss categorical_crossentropy." in table
    assert "filters=16 kernel_size=3x3 activation=relu" in table and "1,168" in table
    set_language("nl")
    assert "24 lagen, 2,000 parameters" in describe(model_of()).table()


def test_type_counts_count_each_layer_type(model_of):
    """What the break_the_model structure judges count (no_batchnorm, no_conv2d, only_dense)."""
    assert describe(model_of()).type_counts == {
        "Conv2D": 5, "BatchNormalization": 5, "MaxPooling2D": 5, "Dropout": 6, "Flatten": 1, "Dense": 2
    }
    assert describe(model_of()).type_counts["Conv3D"] == 0


def test_describe_takes_a_builder_and_does_not_change_the_model(model_of, lesson):
    model = model_of()
    before = [w.copy() for w in model.get_weights()]
    describe(model)
    assert all((a == b).all() for a, b in zip(before, model.get_weights()))
    assert describe(lambda: model_of()).total_params == 2000


def test_a_lambda_activation_does_not_break_the_description(model_of):
    from smiley_checks.keras_env import keras

    model = model_of([keras.layers.Flatten(), keras.layers.Dense(2, activation=lambda x: x)])
    assert describe(model).layers[1].settings == {"units": 2, "activation": "<lambda>"}
