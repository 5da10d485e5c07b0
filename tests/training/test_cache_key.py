"""What the verdict cache is keyed on: a change that can change training changes the key."""

import numpy as np
import pytest

from smiley_checks.training.cache_key import key_material, seed_keys
from smiley_checks.training.protocol import GRADING
from smiley_checks.variants import build_variant


@pytest.fixture(scope="module")
def twins(keras):
    """The same network built twice: Keras names the second copy's layers dense_2, dense_3, ..."""
    return build_variant("dense_only"), build_variant("dense_only")


def test_the_same_network_has_the_same_key_whatever_its_layer_names(twins, data):
    first, second = twins
    assert [layer.name for layer in first.layers] != [layer.name for layer in second.layers]
    assert key_material(first, GRADING, 0, data) == key_material(second, GRADING, 0, data)


def test_layer_names_do_not_change_a_seeds_starting_weights(twins, data):
    from smiley_checks.training.trainer import FreshCopyTrainer

    first, second = twins
    a = FreshCopyTrainer(first, GRADING, data)._fresh_state(3)
    b = FreshCopyTrainer(second, GRADING, data)._fresh_state(3)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def test_seed_protocol_and_compile_settings_are_in_the_key(twins, data, keras):
    model = twins[0]
    key = key_material(model, GRADING, 0, data)
    assert key_material(model, GRADING, 1, data) != key
    assert key_material(model, GRADING.with_(epochs=7), 0, data) != key
    recompiled = build_variant("dense_only")
    recompiled.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="categorical_crossentropy")
    assert key_material(recompiled, GRADING, 0, data) != key
    assert key_material(build_variant("dense_only", compiled=False), GRADING, 0, data) != key


def test_keys_for_several_seeds_are_each_seeds_own_key(twins, data):
    model = twins[0]
    keys = seed_keys(model, GRADING, [0, 1, 2], data)
    assert keys == {seed: key_material(model, GRADING, seed, data) for seed in (0, 1, 2)}
    assert len(set(keys.values())) == 3
