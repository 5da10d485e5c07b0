"""`smiley-checks describe` and `compare` on student files, run in-process (one subprocess test)."""

import json
import subprocess
import sys
import textwrap

import pytest

from smiley_checks.cli import main
from smiley_checks.keras_env import keras  # noqa: F401  quiet TensorFlow before student files import it
from smiley_checks.messages import say

LESSON = """
from tensorflow import keras

def build_model(drop=(), last=2, shape=(110, 110, 1)):
    layers = [keras.layers.InputLayer(shape=shape)]
    for filters in (1, 2, 4, 8, 16):
        layers += [keras.layers.Conv2D(filters, (3, 3), activation="relu"), keras.layers.BatchNormalization(),
                   keras.layers.MaxPooling2D((2, 2)), keras.layers.Dropout(0.1)]
    layers += [keras.layers.Flatten(), keras.layers.Dense(16, activation="relu"), keras.layers.Dropout(0.1),
               keras.layers.Dense(last, activation="softmax")]
    layers = [layer for i, layer in enumerate(layers) if i not in drop]
    print("building the model")  # student prints must not end up in our output
    return keras.Sequential(layers)

def original():
    model = build_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model

def no_batchnorm_in_block_3():
    return build_model(drop={10})

def three_classes():
    return build_model(last=3)

def wrong_input():
    return build_model(shape=(110, 110, 3))

def forgot_return():
    build_model()

def crashes():
    return build_model(shape=(110, 110))
"""


@pytest.fixture(autouse=True)
def _english(english):
    yield


@pytest.fixture
def student_file(tmp_path):
    def write(source=LESSON, name="student.py"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        return path

    return write


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_describe_prints_a_table(capsys, student_file):
    code, out, err = run(capsys, "describe", f"{student_file()}:original")
    assert code == 0
    assert "24 layers, 2,000 parameters; input (110, 110, 1), output (2,)." in out
    assert "Compiled with optimizer Adam and loss categorical_crossentropy." in out
    assert out.splitlines()[0].split() == ["#", "layer", "settings", "output", "shape", "params"]
    assert "building the model" in err and "building the model" not in out


def test_describe_json(capsys, student_file):
    code, out, _ = run(capsys, "describe", "--json", f"{student_file()}:no_batchnorm_in_block_3")
    data = json.loads(out)
    assert code == 0 and data["total_params"] == 1984
    assert (data["input_shape"], data["output_shape"]) == ([110, 110, 1], [2])
    assert len(data["layers"]) == 23
    assert {k: data["layers"][0][k] for k in ("type", "output_shape", "params", "filters", "activation")} == {
        "type": "Conv2D", "output_shape": [108, 108, 1], "params": 10, "filters": 1, "activation": "relu"
    }


def test_describe_mentions_an_uncompiled_model_and_still_describes_a_3_class_model(capsys, student_file):
    code, out, _ = run(capsys, "describe", f"{student_file()}:three_classes")
    assert code == 0 and "output (3,)" in out and out.rstrip().endswith(say("submission.hint_not_compiled"))


def test_compare_reports_the_missing_layer(capsys, student_file):
    code, out, _ = run(capsys, "compare", f"{student_file()}:no_batchnorm_in_block_3")
    assert code == 0
    assert out.splitlines() == [
        say("compare.summary", distance=1), "- block 3: the BatchNormalization after Conv2D(4 filters) is missing."
    ]
    code, out, _ = run(capsys, "compare", "--json", f"{student_file()}:original")
    assert json.loads(out) == {"same": True, "edit_distance": 0, "edits": []}


@pytest.mark.parametrize(
    "function, expected",
    [
        ("three_classes", say("submission.wrong_classes", units=3, classes=2)),
        ("wrong_input", say("submission.wrong_input", shape="(110, 110, 3)", expected="(110, 110, 1)")),
        ("forgot_return", say("submission.builder_returned", name="forgot_return", what="nothing (None)")),
    ],
)
def test_compare_refuses_an_invalid_submission_with_one_line(capsys, student_file, function, expected):
    code, out, err = run(capsys, "compare", f"{student_file()}:{function}")
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == f"smiley-checks: {expected}"


def test_a_crashing_builder_names_the_exception_and_line(capsys, student_file):
    code, _, err = run(capsys, "describe", f"{student_file()}:crashes")
    last = err.splitlines()[-1]
    assert code == 2 and "Your function crashes stopped at line" in last and "Traceback" not in err


@pytest.mark.parametrize(
    "source, spec_suffix, expected",
    [
        ("def build(:\n    pass\n", ":build",
         lambda p: say("loading.syntax", path=p, line=1, error="invalid syntax")),
        ("import os\nvalue = 1 / 0\n", ":build",
         lambda p: say("loading.crashed", path=p, line=2, error_type="ZeroDivisionError", error="division by zero")),
        ("def build_model():\n    pass\n", ":build",
         lambda p: say("loading.no_function", path=p, name="build", names="build_model")),
        ("x = 1\n", ":build",
         lambda p: say("loading.no_function", path=p, name="build", names=say("loading.nothing"))),
    ],
    ids=["syntax-error", "crash-while-loading", "missing-function", "no-functions"],
)
def test_a_file_that_does_not_load_is_one_line_with_file_and_line(capsys, student_file, source, spec_suffix, expected):
    path = student_file(source)
    code, out, err = run(capsys, "compare", f"{path}{spec_suffix}")
    assert code == 2 and out == "" and err == f"smiley-checks: {expected(path)}\n"


def test_a_missing_file_and_a_bad_spec(capsys, tmp_path):
    gone = tmp_path / "gone.py"
    assert run(capsys, "describe", f"{gone}:build")[2] == f"smiley-checks: {say('loading.no_file', path=gone)}\n"
    assert run(capsys, "describe", "model.py")[2] == f"smiley-checks: {say('loading.bad_spec', spec='model.py')}\n"


def test_messages_follow_lang(capsys, student_file):
    code, _, err = run(capsys, "--lang", "nl", "compare", f"{student_file()}:three_classes")
    assert code == 2 and err.splitlines()[-1].startswith("smiley-checks: Keras kan dit netwerk niet trainen: het eindigt met 3 uitgangen")


def test_subprocess_exit_code_2_and_one_stderr_line_without_traceback(tmp_path):
    path = tmp_path / "student.py"
    path.write_text("import keras\n\ndef build():\n    return keras.layers.Conv2D(-1, 3)\n")
    result = subprocess.run(
        [sys.executable, "-m", "smiley_checks", "compare", f"{path}:build"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("smiley-checks: Your function build stopped at line 4 with ValueError:")
