"""Helpers for the notebooks' own cells: train once and look, or ask for a verdict.

While nbgrader autogrades or validates a notebook these skip their training: the
grader trains every network once in the hidden tests, and a student pressing
Validate should get an answer in seconds, not after 26 training runs.
"""

from __future__ import annotations

import os

from smiley_checks.messages import say
from smiley_checks.training.blowup import seed_line, trained_once_text


def while_grading() -> bool:
    """True while nbgrader autogrades or validates this notebook (nbgrader sets this variable)."""
    return os.environ.get("NBGRADER_EXECUTION") in ("autograde", "validate")


def show_training(builder, seed: int = 0):
    """Train a fresh copy once the way the lesson does (fit(epochs=5, batch_size=1)),
    draw the training curves and the confusion matrix, and return the result."""
    if while_grading():
        print(say("assign.skipped_while_grading"))
        return None
    from smiley_checks.training.train import train

    result = train(builder, seed=seed, diagnose=True)
    result.plot_curves()
    result.plot_confusion_matrix()
    print(trained_once_text(result.accuracy, result.seconds))
    show_diagnosis(result)
    return result


# The curves and the confusion matrix are shown already: these diagnoses need no other picture.
_SHOWN_ALREADY = ("one_answer", "overfitting", "overconfident")


def show_diagnosis(result) -> None:
    """The doctor's word on one training, and its picture."""
    from smiley_checks.training.diagnosis.words import explanation

    print(say("diagnosis.title"), explanation(result.findings))
    if result.findings and result.findings[0].code not in _SHOWN_ALREADY:
        result.plot_diagnosis()


def show_verdict(builder, seeds: int | None = None):
    """Train fresh copies with several seeds (the grader's protocol) and say how reliably it learns."""
    if while_grading():
        print(say("assign.skipped_while_grading"))
        return None
    from smiley_checks.tasks.break_model import verdict_text
    from smiley_checks.training.reliability import DEFAULT_SEEDS

    from smiley_checks.training.diagnosis.pictures import seed_strip
    from smiley_checks.training.diagnosis.summary import main_codes

    from smiley_checks.errors import SmileyChecksError

    try:
        verdict = _verdict(builder, seeds or DEFAULT_SEEDS)
    except SmileyChecksError as error:  # a network too big, a server out of reach: one sentence, no traceback
        print(error)
        return None
    for seed, accuracy, seconds, epochs in zip(verdict.seeds, verdict.accuracies, verdict.seconds_per_seed,
                                               verdict.epochs_per_seed):
        print(seed_line(seed, accuracy, seconds, epochs))
    print(verdict_text(verdict))
    seed_strip(verdict.seeds, main_codes(verdict.findings_per_seed), verdict.accuracies)
    show_main_picture(verdict)
    return verdict


def _verdict(builder, seeds: int):
    """Trained here, or on the class's training server when the hub names one (training/remote.py)."""
    from smiley_checks.training.reliability import reliability
    from smiley_checks.training.remote import gateway, remote_verdict

    server = gateway()
    if server is None:
        return reliability(builder, seeds=seeds, diagnose=True, pictures=True)
    from smiley_checks.training.submission_model import trainable_model

    verdict = remote_verdict(trainable_model(builder), seeds, *server)
    if verdict.reused == len(verdict.seeds):
        print(say("remote.trained_before"))
    return verdict


def show_main_picture(verdict) -> None:
    """The picture of the diagnosis most tries got, as the feedback shows it (drawn during the training)."""
    import base64

    from smiley_checks.training.diagnosis.summary import main_diagnosis

    picture = verdict.pictures.get(main_diagnosis(verdict.findings_per_seed))
    if not picture:
        return
    try:
        from IPython.display import Image, display
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    display(Image(data=base64.b64decode(picture)))
