import re

import pytest

from smiley_checks.messages import set_language
from smiley_checks.training.diagnosis.rules import ORDER, diagnose
from smiley_checks.training.diagnosis.words import explanation, sentence, short
from tests.training.test_diagnosis_rules import sick


@pytest.fixture(params=["en", "nl"])
def language(request):
    set_language(request.param)
    yield request.param
    set_language("en")


@pytest.mark.parametrize("code", ORDER)
def test_every_diagnosis_reads_as_one_filled_in_sentence(code, language):
    finding = next(f for f in diagnose(sick(code)) if f.code == code)
    text = sentence(finding)
    assert "{" not in text and len(text) > 40
    assert short(code) and "{" not in short(code)


def test_dutch_uses_the_lessons_words(language):
    s = sick("one_answer")
    s.majority_class = 0
    text = sentence(next(f for f in diagnose(s) if f.code == "one_answer"))
    from smiley_checks.messages import say

    assert f'"{say("class.happy")}"' in text
    if language == "nl":
        assert '"blij"' in text


def test_a_dense_layer_that_gives_the_same_numbers_is_not_called_a_picture(language):
    s = sick("blank_maps")
    s.layers[1].kind = "Dense"
    text = sentence(diagnose(s)[0])
    assert ("beeld" if language == "nl" else "picture") not in text


def test_nothing_found_says_so(language):
    assert explanation([]) == ("De dokter vond niets mis in deze training." if language == "nl"
                               else "The doctor found nothing wrong in this training.")


def test_a_huge_learning_signal_is_a_big_number_in_each_language_beside_the_originals(language):
    text = sentence(next(f for f in diagnose(sick("exploding_gradients")) if f.code == "exploding_gradients"))
    assert ("2.000.000" if language == "nl" else "2,000,000") in text
    assert re.search(r"(about|ongeveer) 2\b", text)  # the original's typical largest gradient (1.8)
