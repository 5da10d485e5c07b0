"""Every setting of a layer counts in compare; the ones that change nothing do not."""

import pytest

from smiley_checks.inspection import compare
from smiley_checks.inspection.change_summary import what_changed
from smiley_checks.inspection.layer_config import KerasObject, full_config, plain, text
from smiley_checks.keras_env import keras
from smiley_checks.messages import set_language
from smiley_checks.network import build_original

L = keras.layers
CONV, BATCHNORM, POOL, DROPOUT = 0, 1, 2, 3  # block 1
DENSE, LAST_DROPOUT = 21, 22  # head


def with_layer(model_of, lesson, index, layer):
    layers = lesson()
    layers[index] = layer
    return model_of(layers)


# Each is one edit that the key settings alone (the describe table) do not show.
HIDDEN_EDITS = {
    "trainable=False": (CONV, lambda: L.Conv2D(1, (3, 3), activation="relu", trainable=False),
                        "block 1: Conv2D(1 filter) now has trainable False instead of True (whether the layer learns)."),
    "zero kernel": (CONV, lambda: L.Conv2D(1, (3, 3), activation="relu", kernel_initializer="zeros"),
                    "block 1: Conv2D(1 filter) now has kernel_initializer Zeros instead of GlorotUniform"
                    " (the starting values of the weights)."),
    "regulariser": (DENSE, lambda: L.Dense(16, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01)),
                    "head: Dense(16, relu) now has kernel_regularizer L2(l2=0.01) instead of -"
                    " (a penalty for large weights)."),
    "use_bias=False": (DENSE, lambda: L.Dense(16, activation="relu", use_bias=False),
                       "head: Dense(16, relu) now has use_bias False instead of True (whether the layer adds a bias)."),
    "momentum": (BATCHNORM, lambda: L.BatchNormalization(momentum=0.5),
                 "block 1: BatchNormalization now has momentum 0.5 instead of 0.99 (how fast the layer follows new batches)."),
    "frozen batchnorm": (BATCHNORM, lambda: L.BatchNormalization(trainable=False),
                         "block 1: BatchNormalization now has trainable False instead of True (whether the layer learns)."),
    "huge bias constraint": (CONV, lambda: L.Conv2D(1, (3, 3), activation="relu",
                                                    bias_constraint=keras.constraints.MaxNorm(1000)),
                             "block 1: Conv2D(1 filter) now has bias_constraint MaxNorm(max_value=1000, axis=0)"
                             " instead of - (a limit on the weights)."),
    "float64": (CONV, lambda: L.Conv2D(1, (3, 3), activation="relu", dtype="float64"),
                "block 1: Conv2D(1 filter) now has dtype float64 instead of float32"
                " (the kind of numbers the layer computes with)."),
    "dropout seed": (DROPOUT, lambda: L.Dropout(0.1, seed=1),
                     "block 1: Dropout(0.1) now has seed 1 instead of - (fixed dice instead of new ones every training)."),
    "dilation": (CONV, lambda: L.Conv2D(1, (3, 3), activation="relu", dilation_rate=2),
                 "block 1: Conv2D(1 filter) now has dilation_rate 2x2 instead of 1x1."),
    "epsilon": (BATCHNORM, lambda: L.BatchNormalization(epsilon=10.0),
                "block 1: BatchNormalization now has epsilon 10.0 instead of 0.001."),
}


@pytest.mark.parametrize("name", sorted(HIDDEN_EDITS))
def test_a_change_outside_the_key_settings_is_one_edit(model_of, lesson, name):
    index, make, message = HIDDEN_EDITS[name]
    model = with_layer(model_of, lesson, index, make())
    comparison = compare(model)
    assert [edit.kind for edit in comparison.edits] == ["changed"] and comparison.distance == 1
    assert comparison.messages() == [message]
    assert what_changed(model) == message  # the class report's line names it too


def test_the_dropout_rate_is_still_a_change(model_of, lesson):
    comparison = compare(with_layer(model_of, lesson, LAST_DROPOUT, L.Dropout(0.15)))
    assert comparison.messages() == ["head: Dropout(0.1) now has rate 0.15 instead of 0.1."]


def test_changing_several_settings_of_one_layer_is_one_edit(model_of, lesson):
    layer = L.Conv2D(1, (3, 3), activation="relu", trainable=False, kernel_initializer="zeros")
    comparison = compare(with_layer(model_of, lesson, CONV, layer))
    assert comparison.distance == 1
    assert [key for key, _, _ in comparison.edits[0].changes] == ["trainable", "kernel_initializer"]


def test_changes_on_two_layers_are_two_edits(model_of, lesson):
    layers = lesson()
    layers[LAST_DROPOUT] = L.Dropout(0.15)
    layers[CONV] = L.Conv2D(1, (3, 3), activation="relu", trainable=False)
    assert compare(model_of(layers)).distance == 2


def test_two_fresh_originals_are_equal_in_every_setting():
    first, second = build_original(compiled=False), build_original(compiled=False)
    assert [full_config(layer) for layer in first.layers] == [full_config(layer) for layer in second.layers]
    assert compare(first, expected=second).same


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_the_original_written_another_valid_way_is_no_edit(build, kind):
    # `build` uses both `tensorflow.keras` and `keras`; the layers' names differ from the original's.
    assert compare(build(kind=kind, compiled=True)).same


def test_the_original_rebuilt_from_its_json_is_no_edit():
    # What the grader compares: the network again from model.to_json(), list values and all.
    assert compare(keras.models.model_from_json(build_original().to_json())).same


def test_settings_that_change_nothing_are_not_edits(model_of, lesson):
    layers = lesson()
    layers[POOL] = L.MaxPooling2D((2, 2), trainable=False, name="my_pooling")  # no weights to freeze
    layers[DROPOUT] = L.Dropout(0.1, trainable=False)
    layers[CONV] = L.Conv2D(1, 3, activation=keras.activations.relu, dtype="float32", name="first")
    assert compare(model_of(layers)).same


def test_an_activation_layer_object_is_compared_without_its_name(model_of, lesson):
    layers = lesson()
    layers[DENSE] = L.Dense(16, activation=L.ReLU(max_value=6.0))
    same = lesson()
    same[DENSE] = L.Dense(16, activation=L.ReLU(max_value=6.0))
    assert compare(model_of(layers), expected=model_of(same)).same
    other = lesson()
    other[DENSE] = L.Dense(16, activation=L.ReLU(max_value=1.0))
    changes = compare(model_of(layers), expected=model_of(other)).edits[0].changes
    assert [key for key, _, _ in changes] == ["activation"]


def test_the_table_still_shows_only_the_key_settings(model_of, lesson):
    from smiley_checks.inspection import describe

    layer = L.Conv2D(1, (3, 3), activation="relu", trainable=False, kernel_initializer="zeros")
    first = describe(with_layer(model_of, lesson, CONV, layer)).layers[0]
    assert first.settings_text() == "filters=1 kernel_size=3x3 activation=relu"
    assert "trainable" in first.config and "trainable" not in first.to_json()


def test_values_read_as_short_text():
    assert text(plain([3, 3])) == "3x3" and text(None) == "-" and text(False) == "False"
    zeros = {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": None}
    assert plain(zeros) == KerasObject("Zeros") and text(plain(zeros)) == "Zeros"
    policy = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
    assert text(plain(policy)) == "float32"


def test_messages_follow_the_language(model_of, lesson):
    set_language("nl")
    model = with_layer(model_of, lesson, CONV, L.Conv2D(1, (3, 3), activation="relu", trainable=False))
    assert compare(model).messages() == ["blok 1: Conv2D(1 filter) heeft nu trainable False in plaats van True (of de laag leert)."]
