"""Every kind of hand-in gets one sentence a student can act on, never a traceback."""

import resource

import pytest

from smiley_checks.errors import SubmissionError
from smiley_checks.inspection import MAX_PARAMS, NothingHandedIn, accept, as_builder, as_model, validate
from smiley_checks.keras_env import keras
from smiley_checks.messages import say, set_language

L = keras.layers


def refusal(obj, *args, **kwargs) -> str:
    with pytest.raises(SubmissionError) as caught:
        accept(obj, *args, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_a_model_and_a_builder_are_both_accepted_with_either_import_and_kind(build):
    for kind in ("sequential", "functional"):
        model = build(kind=kind)
        assert accept(model) is model
        assert accept(lambda: build(kind=kind)).count_params() == 2000


def test_none_and_ellipsis_mean_nothing_handed_in_yet():
    with pytest.raises(NothingHandedIn) as caught:
        as_model(None, name="my_model")
    assert str(caught.value) == say("submission.none", name="my_model", value="None")
    assert refusal(...) == say("submission.none", name="model", value="Ellipsis")


def test_a_builder_where_a_model_is_wanted(model_of):
    def build_model():
        return model_of()

    assert refusal(build_model, want="model") == say("submission.builder_not_model", name="build_model")
    assert "Call it to get the model: build_model()" in refusal(build_model, want="model")


def test_a_model_where_a_builder_is_wanted(model_of):
    assert refusal(model_of(), want="builder") == say("submission.model_not_builder")
    with pytest.raises(SubmissionError):
        as_builder(model_of())


def test_as_builder_gives_a_fresh_checked_model_each_call(model_of):
    build = as_builder(lambda: model_of(compiled=True), need_compiled=True)
    first, second = build(), build()
    assert first is not second and first.count_params() == second.count_params() == 2000


def test_a_builder_that_raises_names_the_exception_the_message_and_the_line():
    def build_model():
        layers = [L.Flatten()]
        raise ValueError("filters must be positive\nsecond line of a long Keras error")
        return layers

    message = refusal(build_model)
    line = build_model.__code__.co_firstlineno + 2
    assert message == say("submission.builder_raised", name="build_model", line=line,
                          error_type="ValueError", error="filters must be positive")


def test_a_builder_that_forgets_to_return():
    def build_model():
        keras.Sequential([keras.Input((110, 110, 1)), L.Flatten(), L.Dense(2)])

    assert refusal(build_model) == say("submission.builder_returned", name="build_model", what="nothing (None)")


def test_an_uncompiled_model_is_fine_for_inspection_but_not_for_training(model_of):
    model = model_of()
    assert accept(model) is model
    assert refusal(model, need_compiled=True) == say("submission.not_compiled")


def test_wrong_input_shape(model_of):
    model = model_of([L.Flatten(), L.Dense(2, activation="softmax")], shape=(28, 28, 1))
    assert refusal(model) == say("submission.wrong_input", shape="(28, 28, 1)", expected="(110, 110, 1)")


def test_three_output_units(model_of, lesson):
    model = model_of(lesson()[:-1] + [L.Dense(3, activation="softmax")])
    message = refusal(model)
    assert message == say("submission.wrong_classes", units=3, classes=2)
    assert 'Dense(2, activation="softmax")' in message


def test_no_flatten_leaves_a_4d_output(model_of, lesson):
    layers = [layer for layer in lesson() if type(layer).__name__ != "Flatten"]
    assert refusal(model_of(layers)) == say("submission.output_not_flat", shape="(1, 1, 2)")


def test_several_outputs_are_refused():
    inputs = keras.Input((110, 110, 1))
    flat = L.Flatten()(inputs)
    model = keras.Model(inputs, [L.Dense(2)(flat), L.Dense(2)(flat)])
    assert refusal(model) == say("submission.several_outputs", count=2)


def test_a_100_million_parameter_model_is_refused_without_allocating_its_weights():
    def huge_layers():  # Flatten (12,100 values) -> Dense(8,300): about 100 million weights
        return [L.Flatten(), L.Dense(8300, activation="relu"), L.Dense(2, activation="softmax")]

    def build_model():
        return keras.Sequential([keras.Input((110, 110, 1)), *huge_layers()])

    unbuilt = keras.Sequential(huge_layers())  # no Input yet: Keras has not made weights
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    too_big = say("submission.too_big", params="100,454,902", limit=f"{MAX_PARAMS:,}")
    assert refusal(unbuilt) == too_big
    assert refusal(build_model) == too_big
    assert "too big to train in time" in too_big
    assert not unbuilt.built
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 150, f"refusing grew memory by {grown_mb:.0f} MB"  # 100M floats would be 400 MB
    keras.Sequential([keras.Input((4,)), L.Dense(2)])  # later Keras work must not wake the refused weights
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 150


def test_the_size_limit_also_applies_to_a_finished_model(model_of):
    with pytest.raises(SubmissionError) as caught:
        as_model(model_of(), max_params=1000)
    assert str(caught.value) == say("submission.too_big", params="2,000", limit="1,000")


def test_an_unbuilt_model_is_built_for_the_smiley_pictures(model_of):
    model = keras.Sequential([L.Flatten(), L.Dense(2, activation="softmax")])
    assert accept(model) is model and model.count_params() == 110 * 110 * 2 + 2


def test_a_subclassed_model_built_or_not_is_asked_to_use_sequential():
    class MyModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.flatten, self.dense = L.Flatten(), L.Dense(2)

        def call(self, x):
            return self.dense(self.flatten(x))

    assert refusal(MyModel()) == say("submission.subclassed", type="MyModel")
    called = MyModel()
    called(keras.ops.zeros((1, 110, 110, 1)))
    assert refusal(called) == say("submission.subclassed", type="MyModel")


def test_an_unbuilt_model_that_cannot_take_the_pictures():
    model = keras.Sequential([L.Conv2D(2, (200, 200)), L.Flatten(), L.Dense(2)])
    message = refusal(model)
    assert message.startswith("Keras could not build your model for pictures of shape (110, 110, 1) (ValueError:")


def test_an_empty_model():
    assert refusal(keras.Sequential([])) == say("submission.empty")


class Module:
    """Looks like a PyTorch module: callable, from the torch package."""

    __module__ = "torch.nn.modules.module"

    def __call__(self, x):
        return x


@pytest.mark.parametrize(
    "obj, expected",
    [
        (Module(), say("submission.foreign", framework="PyTorch")),
        ([L.Dense(2), L.Dense(2)], say("submission.list_of_layers")),
        ([1, 2, 3], say("submission.wrong_type", type="list", preview="[1, 2, 3]")),
        ({"layers": 3}, say("submission.wrong_type", type="dict", preview="{'layers': 3}")),
        ("model", say("submission.wrong_type", type="str", preview="'model'")),
        (L.Dense(2), say("submission.layer_not_model", layer="Dense")),
    ],
    ids=["torch-like", "list-of-layers", "list", "dict", "str", "one-layer"],
)
def test_objects_that_are_not_keras_models(obj, expected):
    assert refusal(obj) == expected


def test_refusals_follow_the_language(model_of, lesson):
    set_language("nl")
    model = model_of(lesson()[:-1] + [L.Dense(3, activation="softmax")])
    assert refusal(model).startswith("Keras kan dit netwerk niet trainen: het eindigt met 3 uitgangen")


def test_validate_returns_the_model_it_accepts(model_of):
    model = model_of(compiled=True)
    assert validate(model, need_compiled=True) is model
