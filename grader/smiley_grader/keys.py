"""Every task's key, declared once, by the grade_id of its test cell: what only the grader knows.

    TASKS[grade_id].judge(record, KEYS[grade_id])      # what hidden_checks.judge does

A key (smiley_checks.tasks.key.TaskKey) holds, for one task: how its hidden inputs are drawn
from the course's secret (hidden_inputs.py), its reference answer and typical mistakes
(layers_key.py), the set answer (answer_key.py), the doctor's task's answers (patients.py) and, for issue 22, the thresholds of the
network's diagnosis. The student package declares the task; this is the other half, and a
student's install does not have it.
"""

from __future__ import annotations

from smiley_checks.tasks.key import TaskKey
from smiley_checks.training.diagnosis.rules import calibrated_thresholds

from smiley_grader import answer_key, hidden_inputs, layers_key, patients

# The doctor's thresholds, calibrated on the labelled breaks (docs/diagnosis.md). Public, like the
# structure: a diagnosis explains, it never grades.
DOCTOR = dict(calibrated_thresholds())

_KEYS = (
    # --- layers: called on the course's hidden inputs, compared with plain arithmetic ---
    TaskKey("shapes_conv_pool", answer=layers_key.expected_shape, draw=hidden_inputs.shapes_conv_pool_calls),
    TaskKey("shapes_other", answer=layers_key.expected_shape, draw=hidden_inputs.shapes_other_calls),
    TaskKey("shapes_network", answer=layers_key.network_shapes),  # the lesson's network: nothing to hide
    TaskKey("conv2d_params", answer=layers_key.conv2d_params, mistakes=layers_key.conv2d_params_mistakes,
            draw=hidden_inputs.conv2d_params_calls),
    TaskKey("dense_params", answer=layers_key.dense_params, mistakes=layers_key.dense_params_mistakes,
            draw=hidden_inputs.dense_params_calls),
    TaskKey("normalise", answer=layers_key.normalise, mistakes=layers_key.normalise_mistakes,
            also=layers_key.normalise_keras, draw=hidden_inputs.normalise_calls),
    TaskKey("max_pool", answer=layers_key.max_pool, mistakes=layers_key.max_pool_mistakes,
            draw=hidden_inputs.max_pool_calls),
    TaskKey("convolve", answer=layers_key.convolve, mistakes=layers_key.convolve_mistakes,
            draw=hidden_inputs.convolve_calls),
    # --- break_the_model: what is right is public (the structure); the grader adds the training ---
    TaskKey("no_batchnorm", diagnosis=DOCTOR),
    TaskKey("no_conv2d", diagnosis=DOCTOR),
    TaskKey("only_dense", diagnosis=DOCTOR),
    TaskKey("smallest_break", diagnosis=DOCTOR),
    TaskKey("never_remove", answer=answer_key.NEVER_REMOVE, texts=answer_key.NEVER_REMOVE_TEXTS),
    # --- the doctor's task: which change on the notebook's list broke each network (patients.py) ---
    *(TaskKey(patient.grade_id, answer=patient.change, texts=patient.texts) for patient in patients.PATIENTS),
)
KEYS = {key.grade_id: key for key in _KEYS}


def course_key(grade_id: str, inputs: str | None) -> TaskKey:
    """The task's key, with this course's hidden calls when it has them. `inputs`: the course's
    hidden inputs as a literal (hidden_checks.hidden_inputs_literal)."""
    import ast

    key = KEYS[grade_id]
    if key.draw is None:
        return key
    mine = ast.literal_eval(inputs).get(grade_id) if inputs else None
    if mine is None:
        raise ValueError(f"no hidden inputs for {grade_id}")  # the grader's bug, never the student's
    return key.for_calls(mine)
