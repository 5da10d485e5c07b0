"""Train fresh copies of one architecture, one seed at a time, tracing it only once.

Building and compiling a Keras model, and tracing its training step, costs
about 2 s here: more than training the lesson's network on 200 images for a
few epochs. So we compile one copy of the student's architecture and, for
each seed, load the weights a freshly built copy would have had for that seed
(including dropout's random state) and reset the optimizer. A seed's result
is the same every time and does not depend on which seeds ran before (tested).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from smiley_checks.errors import SubmissionError
from smiley_checks.inspection.submission import one_line
from smiley_checks.messages import say
from smiley_checks.training.batchnorm import BatchNormRecalibrator
from smiley_checks.training.data import TrainingData, as_float
from smiley_checks.training.protocol import Protocol


@dataclass
class SeedRun:
    seed: int
    accuracy: float  # on the split the run is judged on (heldout for grading, val in notebooks)
    seconds: float
    epochs: int
    history: dict = field(default_factory=dict)
    signals: object = None  # diagnosis.signals.Signals when the trainer diagnoses


def student_optimizer(keras, model, scale: float):
    """A new optimizer like the one the student compiled with (adam when none), learning rate scaled."""
    original = getattr(model, "optimizer", None)
    if original is None:
        optimizer = keras.optimizers.Adam()
    else:
        optimizer = original.__class__.from_config(original.get_config())
    if scale != 1.0:
        rate = optimizer.learning_rate
        if isinstance(rate, (float, int)) or hasattr(rate, "numpy"):
            optimizer.learning_rate = float(np.asarray(rate)) * scale
    return optimizer


def student_loss(model):
    loss = getattr(model, "loss", None)
    return loss if loss is not None else "categorical_crossentropy"


class FreshCopyTrainer:
    """One compiled copy of `template`; `run(seed)` trains it from that seed's fresh weights."""

    def __init__(self, template, protocol: Protocol, data: TrainingData, judge_on: str = "heldout",
                 diagnose: bool = False):
        from smiley_checks.keras_env import keras

        self.keras = keras
        self.template = template
        self.protocol = protocol
        self.judge_on = judge_on
        train = first_per_class(data.train, protocol.train_per_class)
        self.x_train, self.y_train = as_float(train.images), train.labels
        self.x_val, self.y_val = as_float(data.val.images), data.val.labels
        judged = getattr(data, judge_on)
        self.x_judge, self.y_judge = as_float(judged.images), judged.labels
        self.model = self._compiled_copy()
        self.recalibrator = None
        self._statistics_stale = True  # trained since the last recalibration
        if protocol.recalibrate_batchnorm:
            sample = first_per_class(train, protocol.recalibration_per_class)
            self.recalibrator = BatchNormRecalibrator(keras, self.model, as_float(sample.images))
        self.recorder = None
        if diagnose:
            from smiley_checks.training.diagnosis.recorder import Recorder, probe_indices

            probe = probe_indices(data.val.label_indices)
            self.recorder = Recorder(keras, self.model, self.x_val[probe], data.val.label_indices[probe],
                                     student_loss(template))

    def _compiled_copy(self):
        keras = self.keras
        model = keras.models.clone_model(self.template)
        model.compile(
            optimizer=student_optimizer(keras, self.template, self.protocol.learning_rate_scale),
            loss=student_loss(self.template),
            metrics=["accuracy"],
        )
        model.optimizer.build(model.trainable_variables)
        self._optimizer_start = [np.array(v.numpy()) for v in model.optimizer.variables]
        return model

    def _fresh_state(self, seed: int) -> list[np.ndarray]:
        self.keras.utils.set_random_seed(seed)
        fresh = self.keras.models.clone_model(self.template)
        return [np.array(v.numpy()) for v in fresh.variables]

    def _reset(self, seed: int) -> None:
        for variable, value in zip(self.model.variables, self._fresh_state(seed)):
            variable.assign(value)
        for variable, value in zip(self.model.optimizer.variables, self._optimizer_start):
            variable.assign(value)
        # Shuffling and dropout draw from the global seed too.
        self.keras.utils.set_random_seed(seed)
        self._statistics_stale = True

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """The network's outputs as it would be judged now (BatchNormalization recalibrated first)."""
        if self.recalibrator is not None and self._statistics_stale:
            self.recalibrator.recalibrate()
            self._statistics_stale = False
        # A direct call, not predict(): predict sets up a data pipeline each time (about 0.1 s),
        # and a verdict judges a network up to 6 times per seed.
        return np.concatenate([np.asarray(self.model(images[start:start + 256], training=False))
                               for start in range(0, len(images), 256)])

    def accuracy_on(self, images: np.ndarray, labels: np.ndarray) -> float:
        """Accuracy as the network would be judged now."""
        return accuracy_of(self.probabilities(images), labels)

    def _callbacks(self) -> list:
        keras = self.keras
        protocol = self.protocol
        trainer = self

        class StopWhenClear(keras.callbacks.Callback):
            """Stop once a run has clearly passed, or is still guessing halfway."""

            def on_epoch_end(self, epoch, logs=None):
                logs = logs if logs is not None else {}
                if trainer.recalibrator is not None:
                    # Keras' own validation uses the lagging running averages: judge as at the end.
                    logs["val_accuracy"] = trainer.accuracy_on(trainer.x_val, trainer.y_val)
                passed = (protocol.stop_when_val_accuracy is not None
                          and logs.get("val_accuracy", 0.0) >= protocol.stop_when_val_accuracy)
                stuck = (protocol.give_up_after_epochs is not None and epoch + 1 >= protocol.give_up_after_epochs
                         and logs.get("accuracy", 0.0) < protocol.give_up_below)
                if passed or stuck:
                    self.model.stop_training = True

            def on_train_batch_end(self, batch, logs=None):
                trainer._statistics_stale = True
                # A network whose loss became NaN learns nothing more (Keras' TerminateOnNaN prints).
                if not np.isfinite((logs or {}).get("loss", 0.0)):
                    self.model.stop_training = True

        # The doctor looks after StopWhenClear, which recalibrates: it sees the network as judged.
        return [StopWhenClear()] + ([self.recorder.callback()] if self.recorder is not None else [])

    def run(self, seed: int, verbose="auto") -> SeedRun:
        started = time.perf_counter()
        self._reset(seed)
        if self.recorder is not None:
            self.recorder.reset()
        # With recalibration the callback measures validation accuracy itself, so Keras need not.
        validation = None if self.recalibrator is not None else (self.x_val, self.y_val)
        try:
            history = self.model.fit(
                self.x_train, self.y_train,
                epochs=self.protocol.epochs,
                batch_size=self.protocol.batch_size,
                validation_data=validation,
                callbacks=self._callbacks(),
                shuffle=True,
                verbose=verbose,
            )
            judged = self.probabilities(self.x_judge)
            accuracy = accuracy_of(judged, self.y_judge)
            signals = None
            if self.recorder is not None:
                signals = self.recorder.finish(judged, self.y_judge.argmax(axis=1), self.x_judge, accuracy)
        except Exception as error:  # a student's model can fail in many ways while training
            reason = f"{type(error).__name__}: {one_line(error)}".rstrip(": ")
            raise SubmissionError(say("training.failed", error=reason)) from None
        seconds = time.perf_counter() - started
        return SeedRun(seed, accuracy, seconds, len(history.epoch), dict(history.history), signals)


def accuracy_of(predictions: np.ndarray, labels: np.ndarray) -> float:
    if not np.isfinite(predictions).all():
        return 0.0  # NaNs: the network blew up while learning
    return float(np.mean(predictions.argmax(axis=1) == labels.argmax(axis=1)))


def first_per_class(split, count: int | None):
    if count is None:
        return split
    keep = np.concatenate([np.flatnonzero(split.label_indices == c)[:count] for c in range(split.labels.shape[1])])
    return type(split)(split.name, split.images[keep], split.labels[keep], split.class_names)
