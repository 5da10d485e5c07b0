from smiley_checks.inspection import (
    count_layers,
    count_of,
    differs_from_original_only_by,
    edit_distance_to_original,
    edits_from_original,
    ends_in_classes,
    has_no_layers_of,
    input_is,
    layer_types,
    only_layer_types,
)
from smiley_checks.keras_env import keras

L = keras.layers


def _without(layers, type_name):
    return [layer for layer in layers if type(layer).__name__ != type_name]


def test_counts_of_each_layer_type_in_the_original(model_of):
    assert count_layers(model_of()) == {
        "Conv2D": 5, "BatchNormalization": 5, "MaxPooling2D": 5, "Dropout": 6, "Flatten": 1, "Dense": 2
    }
    assert count_of(model_of(), "Dense") == 2 and count_of(model_of(), "Conv3D") == 0


def test_has_no_layers_of(model_of, lesson):
    assert has_no_layers_of(model_of(_without(lesson(), "Conv2D")), "Conv2D")
    assert not has_no_layers_of(model_of(), "Conv2D")
    assert not has_no_layers_of(model_of(_without(lesson(), "Conv2D")), "Conv2D", "Dense")


def test_only_layer_types(model_of):
    dense_only = model_of([L.Flatten(), L.Dense(8, activation="relu"), L.Dropout(0.1), L.Dense(2, activation="softmax")])
    assert only_layer_types(dense_only, {"Dense", "Flatten", "Dropout"})
    assert not only_layer_types(dense_only, {"Dense", "Flatten"})
    assert not only_layer_types(model_of(), {"Dense", "Flatten", "Dropout"})


def test_differs_from_original_only_by(model_of, lesson):
    no_norm = _without(lesson(), "BatchNormalization")
    assert differs_from_original_only_by(model_of(no_norm), missing={"BatchNormalization"})
    assert differs_from_original_only_by(model_of(), missing="BatchNormalization")
    assert not differs_from_original_only_by(model_of(no_norm), missing={"Conv2D"})
    no_norm[-1] = L.Dense(2, activation="sigmoid")
    assert not differs_from_original_only_by(model_of(no_norm), missing={"BatchNormalization"})
    assert differs_from_original_only_by(model_of(no_norm), missing={"BatchNormalization"}, changed={"Dense"})


def test_edits_and_edit_distance_to_original(model_of, lesson):
    layers = _without(lesson(), "BatchNormalization")
    assert edit_distance_to_original(model_of(layers)) == 5
    assert {e.kind for e in edits_from_original(model_of(layers))} == {"missing"}
    assert edit_distance_to_original(model_of()) == 0


def test_input_is(model_of):
    assert input_is(model_of(), (110, 110, 1))
    assert not input_is(model_of([L.Flatten(), L.Dense(2)], shape=(28, 28, 1)), (110, 110, 1))


def test_ends_in_classes(model_of, lesson):
    assert ends_in_classes(model_of(), 2, activation="softmax")
    three = lesson()[:-1] + [L.Dense(3, activation="softmax")]
    assert not ends_in_classes(model_of(three), 2)
    sigmoid = lesson()[:-1] + [L.Dense(2, activation="sigmoid")]
    assert not ends_in_classes(model_of(sigmoid), 2, activation="softmax")
    assert ends_in_classes(model_of(sigmoid), 2, activation=None)
    separate = lesson()[:-1] + [L.Dense(2), L.Softmax()]
    assert ends_in_classes(model_of(separate), 2, activation="softmax")


def test_facts_accept_a_builder_function(model_of):
    def build_model():
        return model_of([L.Flatten(), L.Dense(2, activation="softmax")])

    assert layer_types(build_model) == ["Flatten", "Dense"]
