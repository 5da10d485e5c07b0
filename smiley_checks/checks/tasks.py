"""The "break the model" tasks: structure checks only, nothing is trained.

Each task is a Problem: a judge function, numbered hints and the teacher's
solution. Accepted answers are defined here and nowhere else.
"""

from __future__ import annotations

from smiley_checks.checks.problem import Problem, correct, incorrect
from smiley_checks.inspection.compare import compare
from smiley_checks.inspection.facts import count_layers, edits_from_original
from smiley_checks.inspection.submission import accept
from smiley_checks.messages import say
from smiley_checks.network import BLOCK_FILTERS, DROPOUT_RATE

# The layer types of the lesson's network (the input is not a layer).
LESSON_LAYER_TYPES = ("Conv2D", "BatchNormalization", "MaxPooling2D", "Dropout", "Flatten", "Dense")
# Without Flatten, Dense gets 3-D feature maps; without the last Dense there are no 2 class scores.
NEVER_REMOVE = frozenset({"Dense", "Flatten"})
ONLY_DENSE_ALLOWED = frozenset({"Flatten", "Dense", "Dropout"})
SMALLEST_BREAK_MAX_EDITS = 2
INPUT_NAMES = ("inputlayer", "input")


# --- the teacher's solutions, written the way the lesson writes the network ---

def _lesson_code(variable: str, skip=(), last_activation: str = "softmax") -> str:
    block = {
        "Conv2D": 'keras.layers.Conv2D({f}, (3, 3), activation="relu"),',
        "BatchNormalization": "keras.layers.BatchNormalization(),",
        "MaxPooling2D": "keras.layers.MaxPooling2D((2, 2)),",
        "Dropout": f"keras.layers.Dropout({DROPOUT_RATE}),",
    }
    lines = ["keras.layers.InputLayer(shape=(110, 110, 1)),"]
    for filters in BLOCK_FILTERS:
        lines += [code.format(f=filters) for kind, code in block.items() if kind not in skip]
    lines += [
        "keras.layers.Flatten(),",
        'keras.layers.Dense(16, activation="relu"),',
        f"keras.layers.Dropout({DROPOUT_RATE}),",
        f'keras.layers.Dense(2, activation="{last_activation}"),',
    ]
    return _sequential(variable, lines)


def _sequential(variable: str, lines: list[str]) -> str:
    body = "\n".join(f"    {line}" for line in lines)
    compile_line = f'{variable}.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])'
    return f"{variable} = keras.Sequential([\n{body}\n])\n{compile_line}"


# --- judges ---

def _remove_all(type_name: str, task: str):
    """Correct when every `type_name` layer is gone and nothing else changed."""

    def judge(answer):
        model = accept(answer, name=f"model_without_{type_name.lower()}")
        left = count_layers(model)[type_name]
        if left:
            return incorrect(say(f"task.{task}.left", count=left))
        other = [e for e in edits_from_original(model) if not (e.kind == "missing" and e.expected.type == type_name)]
        if other:
            return incorrect(say("check.other_changes", changes=" ".join(e.message() for e in other)))
        return correct(say(f"task.{task}.correct"))

    return judge


def _judge_only_dense(answer):
    model = accept(answer, name="model_only_dense")
    counts = count_layers(model)
    other = {t: n for t, n in counts.items() if t not in ONLY_DENSE_ALLOWED}
    if other:
        types = ", ".join(f"{t} x{n}" for t, n in sorted(other.items()))
        return incorrect(say("task.only_dense.other_types", types=types))
    return correct(say("task.only_dense.correct"))


def _judge_smallest_break(answer):
    comparison = compare(accept(answer, name="model_smallest_break"))
    changes = " ".join(comparison.messages())
    if comparison.same:
        return incorrect(say("task.smallest_break.unchanged"))
    if comparison.distance > SMALLEST_BREAK_MAX_EDITS:
        return incorrect(
            say("task.smallest_break.too_many", distance=comparison.distance, limit=SMALLEST_BREAK_MAX_EDITS, changes=changes)
        )
    return correct(say("task.smallest_break.correct", limit=SMALLEST_BREAK_MAX_EDITS, changes=changes))


def _judge_never_remove(answer):
    if isinstance(answer, str):
        answer = {answer}
    if not isinstance(answer, (set, frozenset, list, tuple)) or not all(isinstance(a, str) for a in answer):
        return incorrect(say("task.never_remove.not_a_set"))
    known = {t.lower(): t for t in LESSON_LAYER_TYPES}
    names = set()
    for raw in answer:
        key = raw.strip().lower()
        if key in INPUT_NAMES:
            return incorrect(say("task.never_remove.input", name=raw))
        if key not in known:
            return incorrect(say("task.never_remove.unknown", name=raw, choices=", ".join(LESSON_LAYER_TYPES)))
        names.add(known[key])
    removable = names - NEVER_REMOVE
    if removable:
        return incorrect(say("task.never_remove.removable", names=", ".join(sorted(removable))))
    if names != NEVER_REMOVE:
        return incorrect(say("task.never_remove.missing"))
    return correct(say("task.never_remove.correct"))


def _hints(task: str, count: int = 2) -> tuple[str, ...]:
    return tuple(f"task.{task}.hint{n}" for n in range(1, count + 1))


remove_all_batchnorm = Problem(
    name="remove_all_batchnorm",
    judge=_remove_all("BatchNormalization", "remove_all_batchnorm"),
    hints=_hints("remove_all_batchnorm"),
    solution=_lesson_code("model_without_batchnorm", skip={"BatchNormalization"}),
    variable="model_without_batchnorm",
)
remove_all_conv2d = Problem(
    name="remove_all_conv2d",
    judge=_remove_all("Conv2D", "remove_all_conv2d"),
    hints=_hints("remove_all_conv2d"),
    solution=_lesson_code("model_without_conv2d", skip={"Conv2D"}),
    variable="model_without_conv2d",
)
only_dense = Problem(
    name="only_dense",
    judge=_judge_only_dense,
    hints=_hints("only_dense"),
    solution=_sequential(
        "model_only_dense",
        [
            "keras.layers.InputLayer(shape=(110, 110, 1)),",
            "keras.layers.Flatten(),",
            'keras.layers.Dense(16, activation="relu"),',
            f"keras.layers.Dropout({DROPOUT_RATE}),",
            'keras.layers.Dense(2, activation="softmax"),',
        ],
    ),
    variable="model_only_dense",
)
smallest_break = Problem(
    name="smallest_break",
    judge=_judge_smallest_break,
    hints=_hints("smallest_break"),
    solution=_lesson_code("model_smallest_break", last_activation="relu"),
    variable="model_smallest_break",
)
never_remove = Problem(
    name="never_remove",
    judge=_judge_never_remove,
    hints=_hints("never_remove"),
    solution="never_remove = {" + ", ".join(repr(name) for name in sorted(NEVER_REMOVE)) + "}",  # stable order
    variable="never_remove",
)

TASKS = {p.name: p for p in (remove_all_batchnorm, remove_all_conv2d, only_dense, smallest_break, never_remove)}
