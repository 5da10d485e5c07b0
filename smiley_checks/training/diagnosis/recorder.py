"""A Keras callback that measures a run while it trains, for the doctor (rules.py).

It looks at a fixed handful of validation drawings (PROBE_PER_CLASS of each class) at
the start and after every epoch: one gradient pass (does the signal reach the first
layer?). The maps (blank maps, dead filters, how far apart blij and verbaasd are) are
only ever read from the last look before the end or before a NaN, so a look keeps a copy
of the weights (under 1 ms) and the pass through all layers (13-25 ms) is made once, after
training. After training it also looks at the judged drawings once more.

It must not change the run it watches: every look that runs in training mode (which
draws dropout masks and moves BatchNormalization's averages) puts the network's
non-trainable state back afterwards, so a seed trains to the same accuracy with or
without the doctor (tests/training/test_diagnosis_recorder.py).
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from smiley_checks.training.diagnosis.signals import (LayerSignals, Signals, answer_shares, dead_channels,
                                                      flat, separation)

PROBE_PER_CLASS = 8


def probe_indices(label_indices: np.ndarray, per_class: int = PROBE_PER_CLASS) -> np.ndarray:
    classes = np.unique(label_indices)
    return np.concatenate([np.flatnonzero(label_indices == c)[:per_class] for c in classes])


class Recorder:
    """Holds the measurements of one run; `callback()` is what Keras calls."""

    def __init__(self, keras, model, probe_images: np.ndarray, probe_labels: np.ndarray, loss):
        self.keras = keras
        self.model = model
        self.probe_images = probe_images
        self.probe_labels = probe_labels  # class indices
        self.probe_targets = np.eye(int(probe_labels.max()) + 1 if len(probe_labels) else 2,
                                    dtype=np.float32)[probe_labels]
        self.loss = keras.losses.get(loss) if isinstance(loss, str) else loss
        self.layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
        self.kernel_layers = [layer for layer in self.layers
                              if any(w.path.endswith("kernel") for w in layer.trainable_weights)]
        self._probe_model = None
        self._gradient_step = None
        self.reset()

    def reset(self) -> None:
        self.signals = Signals()
        self.step = 0
        self.ratios: list[float] = []
        self.norms: list[list[float]] = []
        self.last_weights: list[np.ndarray] | None = None  # the network at the last look
        self.weights_before_nan: list[np.ndarray] | None = None
        self.last_maps: list[np.ndarray] | None = None  # every layer's output for the probe drawings, at the last look
        self.maps_before_nan: list[np.ndarray] | None = None

    @contextmanager
    def _state_kept(self):
        """A look in training mode draws dropout masks and moves BatchNormalization's averages: put them back."""
        kept = [np.array(v.numpy()) for v in self.model.non_trainable_variables]
        try:
            yield
        finally:
            for variable, value in zip(self.model.non_trainable_variables, kept):
                variable.assign(value)

    # --- looks ---

    @contextmanager
    def _weights_of(self, weights: list[np.ndarray]):
        """The network as it was at a look, for as long as the block runs."""
        now = [np.array(v.numpy()) for v in self.model.weights]
        changed = any(not np.array_equal(a, b, equal_nan=True) for a, b in zip(now, weights))
        if changed:
            for variable, value in zip(self.model.weights, weights):
                variable.assign(value)
        try:
            yield
        finally:
            if changed:
                for variable, value in zip(self.model.weights, now):
                    variable.assign(value)

    def _maps_at(self, weights: list[np.ndarray] | None) -> list[np.ndarray] | None:
        if weights is None:
            return None
        with self._weights_of(weights):
            return self._maps()

    def _maps(self) -> list[np.ndarray] | None:
        if self._probe_model is None:
            try:
                self._probe_model = self.keras.Model(self.model.inputs, [layer.output for layer in self.layers])
            except Exception:  # an unusual student graph: no maps, the other signals still come
                self._probe_model = False
        if self._probe_model is False:
            return None
        with np.errstate(all="ignore"):
            # A list, as the model's inputs are: a bare array makes Keras warn on stderr (0 points in nbgrader).
            outputs = self._probe_model([self.probe_images], training=False)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        return [np.asarray(o) for o in outputs]

    def _gradient_norms(self) -> list[float] | None:
        """|gradient| of every kernel (first layer to last), in training mode, on the probe drawings."""
        if len(self.kernel_layers) < 2:
            return None
        import tensorflow as tf

        if self._gradient_step is None:
            kernels = [next(w for w in layer.trainable_weights if w.path.endswith("kernel"))
                       for layer in self.kernel_layers]

            # Traced once per trainer: eagerly, this pass cost about 0.4 s per seed (measured 2026-12-04).
            @tf.function(reduce_retracing=True)
            def step(images, targets):
                with tf.GradientTape() as tape:
                    outputs = self.model(images, training=True)
                    loss = tf.reduce_mean(self.loss(targets, outputs))
                gradients = tape.gradient(loss, [k.value for k in kernels])
                return [tf.norm(g) if g is not None else tf.constant(np.nan) for g in gradients]

            self._gradient_step = step
        with self._state_kept():
            norms = [float(n) for n in self._gradient_step(self.probe_images, self.probe_targets)]
        return norms if all(np.isfinite(norms)) else None

    def look(self) -> None:
        self.last_weights = [np.array(v.numpy()) for v in self.model.weights]
        norms = self._gradient_norms()
        if norms is not None:
            self.norms.append(norms)
            if norms[-1] > 0:
                self.ratios.append(norms[0] / norms[-1])

    # --- Keras' hooks ---

    def callback(self):
        recorder = self

        class DiagnosisRecorder(self.keras.callbacks.Callback):
            def on_train_begin(self, logs=None):
                recorder.look()

            def on_train_batch_end(self, batch, logs=None):
                recorder.step += 1
                loss = (logs or {}).get("loss", 0.0)
                if recorder.signals.nan_step is None and not np.isfinite(loss):
                    recorder.signals.nan_step = recorder.step
                    recorder.weights_before_nan = recorder.last_weights

            def on_epoch_end(self, epoch, logs=None):
                logs = logs or {}
                if recorder.signals.nan_step is not None:
                    if recorder.signals.nan_epoch is None:
                        recorder.signals.nan_epoch = epoch + 1
                    return
                recorder.signals.train_accuracy = float(logs.get("accuracy", float("nan")))
                recorder.look()

        return DiagnosisRecorder()

    # --- after training ---

    def finish(self, judged_probabilities: np.ndarray, judged_labels: np.ndarray, judged_images: np.ndarray,
               accuracy: float) -> Signals:
        s = self.signals
        self.judged_answers = np.nan_to_num(judged_probabilities).argmax(axis=1)  # for the pictures
        s.judged_accuracy = float(accuracy)
        s.majority_share, s.majority_class, s.sure_and_wrong_share = answer_shares(judged_probabilities,
                                                                                 judged_labels)
        if s.nan_step is not None:
            before = self.maps_before_nan = self.last_maps = self._maps_at(self.weights_before_nan)
            if before is not None:
                last = before[-1].reshape(len(before[-1]), -1)
                s.zero_output_share = float(np.mean(~(last > 0).any(axis=1)))
            return s
        s.gradient_ratio = float(np.median(self.ratios)) if self.ratios else None
        if self.norms:
            s.gradient_norms = [float(v) for v in np.median(np.array(self.norms), axis=0)]
            s.gradient_layers = [layer.name for layer in self.kernel_layers]
        self.last_maps = self._maps_at(self.last_weights)
        s.train_mode_accuracy = self._batchnorm_training_mode_accuracy(judged_images, judged_labels)
        if self.last_maps is not None:
            s.layers = [LayerSignals(name=layer.name, kind=type(layer).__name__,
                                     blank_share=float(np.mean(flat(maps))),
                                     channels=int(maps.shape[-1]),
                                     dead=dead_channels(maps) if _is_relu(layer) else [],
                                     separation=separation(maps, self.probe_labels))
                        for layer, maps in zip(self.layers, self.last_maps)]
        return s

    def _batchnorm_training_mode_accuracy(self, images: np.ndarray, labels: np.ndarray) -> float | None:
        """Accuracy when only BatchNormalization works as in training (statistics of each batch of 16)."""
        if not isinstance(self.model, self.keras.Sequential):
            return None
        batchnorm = self.keras.layers.BatchNormalization
        batchnorms = [layer for layer in self.layers if isinstance(layer, batchnorm)]
        if not batchnorms or not all(_plain_batchnorm(layer) for layer in batchnorms):
            return None  # renorm, a frozen layer or another axis: its training mode is not this one
        # Batches as training sees them: both classes mixed (the judged split is stored class by class,
        # and a batch of one class has other statistics). A fixed order: the same run, the same figure.
        order = np.random.default_rng(0).permutation(len(images))
        with np.errstate(all="ignore"):
            answers = self.batchnorm_training_mode_outputs(images[order]).argmax(axis=1)
        return float(np.mean(answers == labels[order]))

    def batchnorm_training_mode_outputs(self, images: np.ndarray) -> np.ndarray:
        """All batches in one pass, eagerly. Batch by batch it cost 13 calls, and traced it cost 0.3-0.4 s of
        tracing per network (measured 2026-12-05); each batch's statistics are its own all the same
        (tests/training/test_diagnosis_recorder.py compares with the layers' own training mode)."""
        import tensorflow as tf

        batchnorm = self.keras.layers.BatchNormalization
        x = tf.convert_to_tensor(images)
        for layer in self.layers:
            x = (_normalised_per_batch(tf, layer, x, TRAINING_BATCH) if isinstance(layer, batchnorm)
                 else layer(x, training=False))
        return np.asarray(x)


TRAINING_BATCH = 16  # the grading protocol's batch size (protocol.py), with which the signal was calibrated


def _plain_batchnorm(layer) -> bool:
    """Normalises over the last axis as Keras' default, and trains (a frozen one uses its averages)."""
    config = layer.get_config()
    axis = config.get("axis")
    axis = axis[0] if isinstance(axis, (list, tuple)) and len(axis) == 1 else axis
    try:
        last = len(layer.output.shape) - 1
    except Exception:  # not built into a graph: only the default is recognised
        last = -1
    return bool(layer.trainable) and not config.get("renorm") and axis in (-1, last)


def _normalised_per_batch(tf, layer, x, batch: int):
    """BatchNormalization in training mode on each run of `batch` drawings (the last run may be shorter),
    as Keras computes it (tf.nn.moments, tf.nn.batch_normalization), without moving its averages."""
    gamma = layer.gamma if layer.scale else None
    beta = layer.beta if layer.center else None

    def normalised(group):  # group: (batches, drawings, ..., channels)
        mean, variance = tf.nn.moments(group, list(range(1, len(group.shape) - 1)), keepdims=True)
        return tf.nn.batch_normalization(group, mean, variance, beta, gamma, layer.epsilon)

    shape = x.shape[1:]
    full = tf.shape(x)[0] // batch * batch
    whole = tf.reshape(normalised(tf.reshape(x[:full], [-1, batch, *shape])), [-1, *shape])
    rest = normalised(x[full:][tf.newaxis])[0]
    return tf.concat([whole, rest], 0)


def _is_relu(layer) -> bool:
    try:
        return layer.get_config().get("activation") == "relu" or type(layer).__name__ == "ReLU"
    except Exception:
        return False
