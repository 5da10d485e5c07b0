"""The notebook's training entry point: train a fresh copy, like the lesson does.

    result = train(model)            # the lesson's fit(epochs=5, batch_size=1)
    result.accuracy                  # on the validation split
    result.plot_curves(); result.plot_confusion_matrix(); result.plot_mistakes()

The student's model object is never trained itself: we train a copy rebuilt
from its configuration, so running a cell twice starts from scratch each time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from smiley_checks.training.data import TrainingData, as_float, training_data
from smiley_checks.training.protocol import LESSON, Protocol
from smiley_checks.training.trainer import FreshCopyTrainer


@dataclass
class TrainingResult:
    model: object  # the trained copy
    history: dict
    accuracy: float
    seconds: float
    seed: int
    data: TrainingData
    findings: list = field(default_factory=list)  # the doctor's findings (diagnosis/rules.py), main one first
    view: object = None  # diagnosis.pictures.RunView: what the doctor's pictures show

    def diagnosis_text(self) -> str:
        from smiley_checks.training.diagnosis.words import explanation

        return explanation(self.findings)

    def plot_diagnosis(self, path=None):
        """The picture that goes with the main diagnosis (None when the doctor found nothing)."""
        from smiley_checks.training.diagnosis.pictures import picture

        if not self.findings or self.view is None:
            return None
        return picture(self.findings[0], self.view, path)

    def predictions(self) -> np.ndarray:
        return self.model.predict(as_float(self.data.val.images), batch_size=64, verbose=0).argmax(axis=1)

    def plot_curves(self, path=None):
        from smiley_checks.training.plots import plot_curves

        return plot_curves(self.history, path)

    def plot_confusion_matrix(self, path=None):
        from smiley_checks.training.plots import plot_confusion_matrix

        return plot_confusion_matrix(self.data.val.label_indices, self.predictions(), self.data.class_names, path)

    def plot_mistakes(self, path=None, limit: int = 12):
        from smiley_checks.training.plots import plot_mistakes

        return plot_mistakes(self.data.val, self.predictions(), path, limit)


def train(submission, seed: int = 0, protocol: Protocol = LESSON, epochs: int | None = None,
          batch_size: int | None = None, data: TrainingData | None = None, verbose="auto",
          diagnose: bool = False) -> TrainingResult:
    from smiley_checks.training.submission_model import trainable_model

    if epochs is not None or batch_size is not None:
        protocol = protocol.with_(epochs=epochs or protocol.epochs, batch_size=batch_size or protocol.batch_size)
    data = data or training_data()
    trainer = FreshCopyTrainer(trainable_model(submission), protocol, data, judge_on="val", diagnose=diagnose)
    run = trainer.run(seed, verbose=verbose)
    result = TrainingResult(trainer.model, run.history, run.accuracy, run.seconds, seed, data)
    if run.signals is not None:
        from smiley_checks.training.diagnosis.pictures import RunView
        from smiley_checks.training.diagnosis.rules import diagnose as doctor

        result.findings = doctor(run.signals)
        result.view = RunView.of(trainer, run, data.class_names)
    return result
