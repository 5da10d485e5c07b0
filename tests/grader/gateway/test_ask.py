"""A kernel's question to the gateway is read and checked before any work: one sentence when refused."""

import json

import pytest

from smiley_checks.messages import say
from smiley_grader.gateway.ask import MAX_BODY_BYTES, MAX_SEEDS, Refused, read_ask


@pytest.fixture(scope="module")
def small_network(keras):
    from smiley_checks.network import IMAGE_SHAPE

    model = keras.Sequential([keras.Input(IMAGE_SHAPE), keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model.to_json()


def body(model, **more) -> bytes:
    return json.dumps({"model": model} | more).encode()


def refusal(data: bytes) -> str:
    with pytest.raises(Refused) as refused:
        read_ask(data)
    return str(refused.value)


def test_a_network_of_the_lessons_layers_is_asked_without_its_compile_settings(small_network, english):
    ask = read_ask(body(small_network, seeds=3))
    assert ask.seeds == 3
    assert "compile_config" not in json.loads(ask.model) and "compile_config" in json.loads(small_network)
    assert json.loads(ask.model)["class_name"] == "Sequential"
    assert read_ask(body(small_network)).seeds == 5  # show_verdict's default


def test_a_layer_outside_the_lesson_is_refused_with_the_allowlists_sentence(small_network, english):
    config = json.loads(small_network)
    config["config"]["layers"].append({"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
                                       "config": {"name": "extra", "function": {"module": "os", "class_name": "function",
                                                                                "config": "system", "registered_name": None}}})
    assert refusal(body(json.dumps(config))) == say("assign.model.not_allowed",
                                                    what=say("allowlist.layer_type", name="Lambda"))


@pytest.mark.parametrize("seeds", [0, MAX_SEEDS + 1, "5", 2.0, True, None])
def test_seeds_are_a_small_whole_number(small_network, english, seeds):
    assert refusal(body(small_network, seeds=seeds)) == say("gateway.bad_seeds", most=MAX_SEEDS)


@pytest.mark.parametrize("data", [b"not json", b"[]", b'{"model": 3}', b'{"seeds": 5}', "\udcff".encode("utf-8", "surrogatepass"),
                                  b'{"model": "[1, 2]"}', b'{"model": "{\\"class_name\\": NaN}"}'])
def test_what_is_not_a_question_gets_one_sentence(english, data):
    assert refusal(data) in (say("gateway.not_an_ask"),
                             say("assign.model.not_allowed", what=say("allowlist.form")))


def test_a_body_too_long_is_refused_before_it_is_read(english):
    assert refusal(b" " * (MAX_BODY_BYTES + 1)) == say("gateway.too_big")
