import pytest

from smiley_checks.inspection import compare, describe, edit_distance
from smiley_checks.inspection.compare import align
from smiley_checks.inspection.describe import LayerDescription
from smiley_checks.keras_env import keras
from smiley_checks.messages import say, set_language
from smiley_checks.network import build_original

L = keras.layers


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_the_original_network_has_no_changes(kind):
    comparison = compare(build_original(kind))
    assert comparison.same and comparison.distance == 0 and comparison.edits == ()
    assert comparison.report() == say("compare.same")


def test_missing_middle_layer_is_one_edit_in_its_block(model_of, lesson):
    layers = lesson()
    del layers[9]  # the BatchNormalization of block 3
    comparison = compare(model_of(layers))
    assert [e.kind for e in comparison.edits] == ["missing"] and comparison.distance == 1
    assert comparison.messages() == ["block 3: the BatchNormalization after Conv2D(4 filters) is missing."]


def test_a_whole_missing_block_is_four_missing_layers_of_that_block(model_of, lesson):
    layers = lesson()
    del layers[4:8]
    comparison = compare(model_of(layers))
    assert [(e.kind, e.place) for e in comparison.edits] == [("missing", ("block", 2))] * 4


def test_extra_trailing_layers_are_reported_after_the_last_layer(model_of, lesson):
    layers = lesson() + [L.Dense(8, activation="relu"), L.Dense(2, activation="softmax")]
    comparison = compare(model_of(layers))
    assert comparison.messages() == [
        "head: there is an extra Dense(8, relu) after Dense(2, softmax).",
        "head: there is an extra Dense(2, softmax) after Dense(8, relu).",
    ]
    assert edit_distance(model_of(layers)) == 2


def test_swapped_layers_are_one_swap_that_costs_two_edits(model_of, lesson):
    layers = lesson()
    layers[5], layers[6] = layers[6], layers[5]  # block 2: MaxPooling2D before BatchNormalization
    comparison = compare(model_of(layers))
    assert [e.kind for e in comparison.edits] == ["swapped"] and comparison.distance == 2
    assert comparison.messages() == ["block 2: BatchNormalization and MaxPooling2D(2x2) have swapped places."]


def test_changed_settings_are_changes_not_replacements(model_of, lesson):
    layers = lesson()
    layers[4] = L.Conv2D(2, (3, 3), activation="sigmoid")
    layers[8] = L.Conv2D(8, (3, 3), activation="relu")
    layers[22] = L.Dropout(0.5)
    comparison = compare(model_of(layers))
    assert [e.kind for e in comparison.edits] == ["changed"] * 3 and comparison.distance == 3
    assert [e.changes for e in comparison.edits] == [
        (("activation", "relu", "sigmoid"),), (("filters", 4, 8),), (("rate", 0.1, 0.5),)
    ]
    assert comparison.messages() == [
        "block 2: Conv2D(2 filters) now has activation sigmoid instead of relu.",
        "block 3: Conv2D(4 filters) now has filters 8 instead of 4.",
        "head: Dropout(0.1) now has rate 0.5 instead of 0.1.",
    ]


def test_another_layer_type_in_the_same_place_is_a_replacement(model_of, lesson):
    layers = lesson()
    layers[1] = L.Dropout(0.1)
    comparison = compare(model_of(layers))
    assert comparison.messages() == ["block 1: BatchNormalization was replaced by Dropout(0.1)."]


def test_report_and_json_list_every_edit(model_of, lesson):
    layers = lesson()
    del layers[21]
    comparison = compare(model_of(layers))
    assert comparison.report().splitlines() == [
        say("compare.summary", distance=1), "- head: the Dense(16, relu) after Flatten is missing."
    ]
    assert comparison.to_json() == {
        "same": False,
        "edit_distance": 1,
        "edits": [{"kind": "missing", "where": "head", "expected": "Dense(16, relu)", "actual": None,
                   "changes": {}, "message": "head: the Dense(16, relu) after Flatten is missing."}],
    }


def test_compare_with_another_expected_network_numbers_the_layers(model_of):
    small = model_of([L.Flatten(), L.Dense(16, activation="relu"), L.Dense(2, activation="softmax")])
    smaller = model_of([L.Flatten(), L.Dense(2, activation="softmax")])
    assert compare(smaller, expected=small).messages() == ["layer 2: the Dense(16, relu) after Flatten is missing."]
    assert compare(small, expected=describe(small)).same


def _layer(kind, **settings):
    return LayerDescription(index=0, type=kind, name=kind.lower(), settings=settings)


def test_align_reports_missing_first_and_extra_first_layers():
    a, b, c = _layer("Conv2D", filters=1), _layer("Flatten"), _layer("Dense", units=2)
    first_missing = align([a, b, c], [b, c])
    assert [e.message() for e in first_missing] == ["block 1: the first layer, Conv2D(1 filter), is missing."]
    extra_first = align([b, c], [a, b, c])
    assert [e.message() for e in extra_first] == ["block 1: there is an extra Conv2D(1 filter) at the very start."]


def test_edit_messages_follow_the_language(model_of, lesson):
    layers = lesson()
    del layers[9]
    set_language("nl")
    assert compare(model_of(layers)).messages() == ["blok 3: de BatchNormalization na Conv2D(4 filters) ontbreekt."]
