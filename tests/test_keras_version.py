"""The notebooks' first cell says in one sentence when Keras is too old (faked versions)."""

from smiley_checks.keras_version import check_keras, keras_problem
from smiley_checks.messages import say, set_language


class OldInputLayer:  # Keras 2: InputLayer(input_shape=...)
    def __init__(self, input_shape=None, batch_size=None):
        pass


class NewInputLayer:  # Keras 3: InputLayer(shape=...)
    def __init__(self, shape=None, batch_size=None):
        pass


def test_keras_2_gets_one_sentence_with_the_version(capsys):
    assert check_keras(version="2.15.0", input_layer=OldInputLayer) is False
    printed = capsys.readouterr().out.strip()
    assert printed == say("keras.too_old", version="2.15.0") and "\n" not in printed and "Keras 3" in printed


def test_keras_3_without_shape_argument_is_refused_too():
    assert keras_problem("3.0.0", input_layer_has_shape=False) == say("keras.too_old", version="3.0.0")


def test_our_keras_passes_silently(capsys):
    assert check_keras() is True
    assert capsys.readouterr().out == ""
    assert check_keras(version="3.6.0", input_layer=NewInputLayer) is True


def test_the_sentence_is_dutch_in_the_dutch_notebook(capsys):
    set_language("nl")
    try:
        check_keras(version="2.12.0", input_layer=OldInputLayer)
    finally:
        set_language("en")
    assert "Deze notebook heeft Keras 3" in capsys.readouterr().out
