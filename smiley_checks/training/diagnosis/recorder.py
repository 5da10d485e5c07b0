"""A Keras callback that measures a run while it trains, for the doctor (rules.py).

It looks at a fixed handful of validation drawings (PROBE_PER_CLASS of each class) at
the start and after every epoch: one pass through all layers (blank maps, dead filters,
how far apart blij and verbaasd are) and one gradient pass (does the signal reach the
first layer?). After training it looks at the judged drawings once more.

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
        self._batchnorm_chain = None
        self.reset()

    def reset(self) -> None:
        self.signals = Signals()
        self.step = 0
        self.ratios: list[float] = []
        self.norms: list[list[float]] = []
        self.last_maps: list[np.ndarray] | None = None  # every layer's output for the probe drawings
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
        maps = self._maps()
        if maps is not None:
            self.last_maps = maps
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
                    recorder.maps_before_nan = recorder.last_maps

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
            before = self.maps_before_nan
            if before is not None:
                last = before[-1].reshape(len(before[-1]), -1)
                s.zero_output_share = float(np.mean(~(last > 0).any(axis=1)))
            return s
        s.gradient_ratio = float(np.median(self.ratios)) if self.ratios else None
        if self.norms:
            s.gradient_norms = [float(v) for v in np.median(np.array(self.norms), axis=0)]
            s.gradient_layers = [layer.name for layer in self.kernel_layers]
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
        if not any(isinstance(layer, self.keras.layers.BatchNormalization) for layer in self.layers):
            return None
        # Batches as training sees them: both classes mixed (the judged split is stored class by class,
        # and a batch of one class has other statistics). A fixed order: the same run, the same figure.
        order = np.random.default_rng(0).permutation(len(images))
        images, labels = images[order], labels[order]
        if self._batchnorm_chain is None:
            import tensorflow as tf

            batchnorm = self.keras.layers.BatchNormalization

            # Traced once per trainer, as the gradient pass; any batch size (the last batch is smaller), so
            # one trace serves every batch.
            @tf.function(input_signature=[tf.TensorSpec([None, *images.shape[1:]], tf.float32)])
            def chain(x):
                for layer in self.layers:
                    x = layer(x, training=isinstance(layer, batchnorm))
                return x

            self._batchnorm_chain = chain
        chain = self._batchnorm_chain
        answers = []
        with self._state_kept(), np.errstate(all="ignore"):
            for start in range(0, len(images), 16):
                answers.append(np.asarray(chain(images[start:start + 16])).argmax(axis=1))
        return float(np.mean(np.concatenate(answers) == labels))


def _is_relu(layer) -> bool:
    try:
        return layer.get_config().get("activation") == "relu" or type(layer).__name__ == "ReLU"
    except Exception:
        return False
