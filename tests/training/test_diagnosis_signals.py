import json

import numpy as np

from smiley_checks.training.diagnosis.signals import LayerSignals, Signals, answer_shares, dead_channels, flat, separation


def test_a_map_that_is_one_value_everywhere_is_flat_and_a_drawing_is_not():
    paper = np.full((1, 6, 6, 1), 255.0)
    zeros = np.zeros((1, 6, 6, 3))
    drawing = paper.copy()
    drawing[0, 2, 3, 0] = 0.0
    assert flat(np.concatenate([paper, drawing])).tolist() == [True, False]
    assert flat(zeros).tolist() == [True]
    assert flat(np.full((1, 4), np.nan)).tolist() == [True]  # nothing to see in NaN


def test_dead_channels_are_the_ones_never_above_zero():
    maps = np.zeros((3, 4, 4, 3))
    maps[1, 0, 0, 0] = 0.5  # channel 0 fires once
    maps[:, :, :, 2] = -1.0
    assert dead_channels(maps) == [1, 2]


def test_separation_is_about_one_when_the_classes_look_alike_and_large_when_they_differ():
    rng = np.random.default_rng(0)
    labels = np.array([0] * 6 + [1] * 6)
    alike = rng.normal(size=(12, 20))
    apart = alike.copy()
    apart[labels == 1] += 10.0
    assert 0.8 < separation(alike, labels) < 1.2
    assert separation(apart, labels) > 3.0


def test_answer_shares_count_one_answer_and_sure_mistakes():
    labels = np.array([0, 0, 1, 1])
    always_first = np.array([[0.99, 0.01]] * 4)
    assert answer_shares(always_first, labels) == (1.0, 0, 0.5)
    mixed = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.7, 0.3]])
    share, answer, sure_wrong = answer_shares(mixed, labels)
    assert (share, answer, sure_wrong) == (0.75, 0, 0.0)
    nan = np.full((4, 2), np.nan)
    assert answer_shares(nan, labels)[0] == 1.0  # no answer at all counts as always the same


def test_signals_survive_json_even_with_nan_and_infinity():
    s = Signals(nan_step=3, gradient_ratio=float("inf"),
                layers=[LayerSignals("conv2d", "Conv2D", 0.5, 2, [1], float("nan"))])
    text = json.dumps(s.to_json(), allow_nan=False)
    back = Signals.from_json(json.loads(text))
    assert back.nan_step == 3 and back.gradient_ratio is None
    assert back.layers[0].dead == [1] and back.layers[0].separation is None
