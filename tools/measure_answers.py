"""Measurements behind the model answers of break_the_model (and the teacher's guide).

    .venv/bin/python tools/measure_answers.py                 # all parts, then the page
    .venv/bin/python tools/measure_answers.py pooling dense   # some parts, then the page
    .venv/bin/python tools/measure_answers.py --seeds 3 relu
    .venv/bin/python tools/measure_answers.py --page-only           # the page again from the JSON

Each part writes docs/measurements/<part>.json; the page docs/measurements/model-answers.md
is written again from every JSON present. Parts:
- pooling:   share of ink pixels left after 1-4 MaxPooling steps (ink 0, paper 255), and a
             picture of one drawing after 1, 2, 3 poolings (docs/img/pooling-steps.png)
- dense:     dense-only as in the notebook vs inputs divided by 255 vs one BatchNormalization
             after Flatten; grading protocol; start values of the 16 relu units and how many
             never respond (dead) after training
- relu:      last layer relu: seeds whose loss became NaN; Keras' loss on outputs (0, 0)
             and on (0, x); how many drawings get both outputs 0 just before the blow-up
- batchnorm: original vs no BatchNormalization under the lesson's protocol and the grading one
- timing:    seconds per seed of a verdict for the no-MaxPooling network (the long verdict)
Few seeds by default (2 shared cores): the counts are in the page; claims of "every seed" or
"never" need --seeds 10 or more. Every part's JSON and the page say which drawings (the hash of
data/smileys/MANIFEST.sha256) and which package versions they were measured with
(smiley_checks.provenance); tests/test_measurement_freshness.py fails when the drawings change.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "measurements"
IMG = REPO / "docs" / "img" / "pooling-steps.png"
PARTS = ("pooling", "dense", "relu", "batchnorm", "timing")


# --- pooling: pure numpy, no training ---

def max_pool(images: np.ndarray) -> np.ndarray:
    """2x2 max pooling like MaxPooling2D((2, 2)) without padding: (N, H, W) -> (N, H//2, W//2)."""
    n, h, w = images.shape
    h2, w2 = h // 2, w // 2
    return images[:, :h2 * 2, :w2 * 2].reshape(n, h2, 2, w2, 2).max(axis=(2, 4))


def ink_shares(images: np.ndarray, steps: int = 4, ink_value: float = 0) -> list[float]:
    """Share of ink pixels after 0..steps poolings (ink is the value `ink_value`)."""
    shares, x = [], images
    for _ in range(steps + 1):
        shares.append(float(np.mean(x == ink_value)))
        x = max_pool(x)
    return shares


def pooling_part(seeds: int) -> dict:
    from smiley_checks.training.data import training_data

    data = training_data()
    images = data.train.images[..., 0].astype(np.float32)
    dark_ink = ink_shares(images)
    # The same drawings with bright ink (what Conv2D + relu can make of them): ink = 255.
    bright_ink = ink_shares(255 - images, ink_value=255)
    blank_after = [float(np.mean((x == 255).all(axis=(1, 2)))) for x in _pooled(images, 4)]
    _picture(images, data.train.label_indices, data.class_names)
    return {"drawings": int(len(images)), "ink_share_dark_ink": dark_ink, "ink_share_bright_ink": bright_ink,
            "blank_share_after_steps": blank_after}


def _pooled(images, steps):
    out, x = [], images
    for _ in range(steps + 1):
        out.append(x)
        x = max_pool(x)
    return out


def _picture(images, labels, class_names):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    picks = [int(np.flatnonzero(labels == c)[0]) for c in range(len(class_names))]
    fig, axes = plt.subplots(len(picks), 4, figsize=(8, 2.2 * len(picks)))
    for row, index in enumerate(picks):
        for step, x in enumerate(_pooled(images[index:index + 1], 3)):
            ax = axes[row][step]
            ax.imshow(x[0], cmap="gray", vmin=0, vmax=255, interpolation="nearest")
            ax.set_xticks([]), ax.set_yticks([])
            ax.set_title(f"{step} x pooling, {x.shape[1]}x{x.shape[2]}", fontsize=9)
    fig.tight_layout()
    IMG.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(IMG, dpi=80)
    plt.close(fig)


# --- training parts ---

def _keras():
    from smiley_checks.keras_env import keras

    return keras


def _dense_models():
    keras = _keras()
    from smiley_checks.network import IMAGE_SHAPE, compile_like_lesson

    def build(extra_before_flatten=(), extra_after_flatten=()):
        model = keras.Sequential([
            keras.layers.InputLayer(shape=IMAGE_SHAPE), *extra_before_flatten, keras.layers.Flatten(),
            *extra_after_flatten, keras.layers.Dense(16, activation="relu"), keras.layers.Dropout(0.1),
            keras.layers.Dense(2, activation="softmax")])
        compile_like_lesson(model)
        return model

    return {
        "as in the notebook (0/255 inputs)": lambda: build(),
        "inputs divided by 255": lambda: build(extra_before_flatten=[keras.layers.Rescaling(1 / 255)]),
        "one BatchNormalization after Flatten": lambda: build(extra_after_flatten=[keras.layers.BatchNormalization()]),
    }


def _hidden_preactivations(model, images, training=False):
    """Pre-activations (before relu) of the first Dense layer, shape (drawings, units)."""
    keras = _keras()
    x = images
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            kernel, bias = (np.asarray(v) for v in layer.weights)
            return np.asarray(x) @ kernel + bias
        x = layer(x, training=training)
    raise ValueError("no Dense layer")


def dense_part(seeds: int) -> dict:
    from smiley_checks.training.data import as_float, training_data
    from smiley_checks.training.protocol import GRADING, LESSON
    from smiley_checks.training.reliability import judge
    from smiley_checks.training.trainer import FreshCopyTrainer

    keras = _keras()
    data = training_data()
    sample = as_float(data.train.images[:200])
    rows = {}
    # The lesson's protocol judges on the validation split like the notebook; grading on held-out.
    for protocol, judge_on in ((GRADING, "heldout"), (LESSON, "val")):
        for name, build in _dense_models().items():
            template = build()
            trainer = FreshCopyTrainer(template, protocol, data, judge_on=judge_on)
            runs = []
            for seed in range(seeds):
                keras.utils.set_random_seed(seed)
                fresh = keras.models.clone_model(template)
                # As in the first training step: BatchNormalization uses the batch's own statistics.
                start = _hidden_preactivations(fresh, sample, training=True)
                run = trainer.run(seed, verbose=0)
                end = _hidden_preactivations(trainer.model, as_float(data.train.images))
                runs.append({
                    "seed": seed, "accuracy": run.accuracy, "seconds": run.seconds, "epochs": run.epochs,
                    "start_preactivation_abs_mean": float(np.mean(np.abs(start))),
                    # How much of a unit's value is the same for every drawing: |mean| / spread.
                    "start_common_part": float(np.mean(np.abs(start.mean(axis=0)) / (start.std(axis=0) + 1e-9))),
                    "dead_units_after_training": int(np.sum((end <= 0).all(axis=0))),
                })
                print(f"dense {protocol.name} {name} seed {seed}: {runs[-1]}", flush=True)
            rows[f"{name} / {protocol.name}"] = {"runs": runs, "judged_on": judge_on,
                                                 "verdict": judge([r["accuracy"] for r in runs], GRADING)}
    return {"seeds": seeds, "units": 16, "models": rows}


def relu_part(seeds: int) -> dict:
    from smiley_checks.training.data import as_float, training_data
    from smiley_checks.training.protocol import GRADING
    from smiley_checks.training.trainer import FreshCopyTrainer
    from smiley_checks.variants import build_variant

    keras = _keras()
    ops = keras.ops
    loss = keras.losses.categorical_crossentropy
    probes = {
        "outputs (0, 0)": [0.0, 0.0],
        "outputs (0, 3) for a blij drawing": [0.0, 3.0],
        "outputs (3, 0) for a blij drawing": [3.0, 0.0],
    }
    loss_values = {name: float(np.asarray(loss(ops.convert_to_tensor([[1.0, 0.0]]), ops.convert_to_tensor([out]))[0]))
                   for name, out in probes.items()}

    data = training_data()
    images = as_float(data.train.images)
    trainer = FreshCopyTrainer(build_variant("final_relu"), GRADING, data, judge_on="heldout")
    runs = []
    for seed in range(seeds):
        watch = _LastFiniteWeights(keras, trainer.model)
        original_callbacks = trainer._callbacks
        trainer._callbacks = lambda: [*original_callbacks(), watch.callback]
        try:
            run = trainer.run(seed, verbose=0)
        finally:
            trainer._callbacks = original_callbacks
        record = {"seed": seed, "accuracy": run.accuracy, "epochs": run.epochs, "nan": watch.nan_at is not None}
        if watch.nan_at is not None:
            trainer.model.set_weights(watch.weights)
            # As in a training step: batches of the protocol's size, BatchNormalization on the batch's
            # own statistics, dropout on (seeded).
            keras.utils.set_random_seed(seed)
            size = GRADING.batch_size
            outputs = np.concatenate([np.asarray(trainer.model(images[i:i + size], training=True))
                                      for i in range(0, len(images), size)])
            both_zero = (outputs == 0).all(axis=1)
            record["nan_at_batch"] = watch.nan_at
            record["drawings_both_outputs_zero_before_blowup"] = int(np.sum(both_zero))
            record["batches_with_a_zero_zero_drawing"] = int(sum(both_zero[i:i + size].any()
                                                                 for i in range(0, len(images), size)))
            record["batches"] = int(np.ceil(len(images) / size))
            record["drawings"] = int(len(images))
        runs.append(record)
        print(f"relu seed {seed}: {record}", flush=True)
    return {"protocol": "grading", "seeds": seeds, "loss_of_outputs": loss_values, "runs": runs}


class _LastFiniteWeights:
    """Keras callback: keeps the weights used by the step whose loss first became NaN."""

    def __init__(self, keras, model):
        self.model_ref = model
        self.weights = model.get_weights()
        self.nan_at = None
        self.batches = 0
        callback = self

        class Callback(keras.callbacks.Callback):
            def on_train_batch_begin(self, batch, logs=None):
                if callback.nan_at is None:
                    callback.weights = callback.model_ref.get_weights()

            def on_train_batch_end(self, batch, logs=None):
                callback.batches += 1
                if callback.nan_at is None and not np.isfinite((logs or {}).get("loss", 0.0)):
                    callback.nan_at = callback.batches

        self.callback = Callback()


def _variant_runs(name, protocol, seeds, judge_on):
    from smiley_checks.training.data import training_data
    from smiley_checks.training.trainer import FreshCopyTrainer
    from smiley_checks.variants import build_variant

    trainer = FreshCopyTrainer(build_variant(name), protocol, training_data(), judge_on=judge_on)
    runs = []
    for seed in range(seeds):
        run = trainer.run(seed, verbose=0)
        runs.append({"seed": seed, "accuracy": run.accuracy, "seconds": run.seconds, "epochs": run.epochs,
                     "seconds_per_epoch": run.seconds / max(run.epochs, 1)})
        print(f"{name} {protocol.name} seed {seed}: {runs[-1]}", flush=True)
    return runs


def batchnorm_part(seeds: int) -> dict:
    from smiley_checks.training.protocol import GRADING, LESSON
    from smiley_checks.training.reliability import judge

    result = {"seeds": seeds}
    # The lesson's notebook judges on its validation split; the grader on the held-out split.
    for protocol, judge_on in ((LESSON, "val"), (GRADING, "heldout")):
        for name in ("original", "no_batchnorm"):
            runs = _variant_runs(name, protocol, seeds, judge_on)
            result[f"{name}/{protocol.name}"] = {"runs": runs, "judged_on": judge_on,
                                                 "verdict": judge([r["accuracy"] for r in runs], GRADING)}
    return result


def timing_part(seeds: int) -> dict:
    from smiley_checks.training.protocol import GRADING

    return {"seeds": min(seeds, 2), "no_maxpooling": _variant_runs("no_maxpooling", GRADING, min(seeds, 2), "heldout")}


# --- the page ---

def _accs(runs):
    return ", ".join(f"{r['accuracy']:.2f}" for r in runs)


def render(results: dict) -> str:
    from smiley_checks.provenance import markdown_line

    lines = ["# Measurements behind the model answers", "",
             "Written by `tools/measure_answers.py` (repeat: `.venv/bin/python tools/measure_answers.py`).",
             "Few seeds each (2 shared CPU cores); the counts are given with every figure.", ""]
    for part in PARTS:
        if part in results and "measured_on" in results[part]:
            line = f"- {part}: measured on {results[part]['measured_on']}"
            if "provenance" in results[part]:
                line += f". {markdown_line(results[part]['provenance'])}"
            lines.append(line)
    lines.append("")
    if "pooling" in results:
        p = results["pooling"]
        lines += ["## No Conv2D: pooling keeps the paper", "",
                  f"{p['drawings']} training drawings; ink is 0 (black), paper 255 (white). MaxPooling keeps the "
                  "largest number of each 2x2 block, so one paper pixel is enough to wipe out ink.", "",
                  "| poolings | 0 | 1 | 2 | 3 | 4 |", "|---|---|---|---|---|---|",
                  "| share of ink pixels (ink 0, as the network gets it) | "
                  + " | ".join(f"{100 * s:.1f}%" for s in p["ink_share_dark_ink"]) + " |",
                  "| share of ink pixels if ink were bright (255), as after Conv2D + relu can be | "
                  + " | ".join(f"{100 * s:.1f}%" for s in p["ink_share_bright_ink"]) + " |",
                  "| share of drawings that are completely blank | "
                  + " | ".join(f"{100 * s:.0f}%" for s in p["blank_share_after_steps"]) + " |", "",
                  "![one drawing per class after 0-3 poolings](../img/pooling-steps.png)", ""]
    if "dense" in results:
        d = results["dense"]
        lines += ["## Only Dense: why it fails here", "",
                  f"{d['seeds']} seeds per row; grading protocol judged on the held-out split, lesson protocol "
                  "(fit(epochs=5, batch_size=1)) on the validation split. Start value: mean absolute "
                  f"pre-activation of the {d['units']} relu units on 200 drawings before training. Common part: "
                  "per unit, |mean over drawings| / spread over drawings (large: the unit gives almost the same "
                  "value for every drawing). Dead: units that give 0 for every training drawing after training.",
                  "",
                  "| network / protocol | accuracies | verdict | start value | common part | dead units after training (of 16) |",
                  "|---|---|---|---|---|---|"]
        for name, row in d["models"].items():
            runs = row["runs"]
            lines.append(f"| {name} | {_accs(runs)} | {row['verdict']} | "
                         f"{np.mean([r['start_preactivation_abs_mean'] for r in runs]):.1f} | "
                         f"{np.mean([r['start_common_part'] for r in runs]):.1f} | "
                         f"{', '.join(str(r['dead_units_after_training']) for r in runs)} |")
        lines.append("")
    if "relu" in results:
        r = results["relu"]
        nan = sum(run["nan"] for run in r["runs"])
        lines += ["## relu in the last layer: 0/0", "",
                  "Keras' categorical cross-entropy divides the outputs by their sum and clips them to "
                  "[1e-7, 1 - 1e-7] before the logarithm. Its value for a blij drawing:", ""]
        lines += [f"- {name}: {value}" for name, value in r["loss_of_outputs"].items()]
        lines += ["", f"Grading protocol, {r['seeds']} seeds: the loss became NaN in {nan} of {r['seeds']}.", ""]
        for run in r["runs"]:
            if run["nan"]:
                lines.append(f"- seed {run['seed']}: NaN at training step {run['nan_at_batch']}; with the weights "
                             f"just before it, {run['drawings_both_outputs_zero_before_blowup']} of {run['drawings']} "
                             "training drawings got both outputs exactly 0 (as in a training step: batches of "
                             f"16, training=True); {run.get('batches_with_a_zero_zero_drawing', '?')} of "
                             f"{run.get('batches', '?')} batches hold at least one such drawing")
            else:
                lines.append(f"- seed {run['seed']}: no NaN, accuracy {run['accuracy']:.2f}")
        lines.append("")
    if "batchnorm" in results:
        b = results["batchnorm"]
        lines += ["## BatchNormalization removed", "",
                  f"{b['seeds']} seeds per row. Lesson protocol: fit(epochs=5, batch_size=1), judged on the "
                  "validation split like the notebook. Grading protocol: the verdict's settings (stops early "
                  "when clearly passed or still guessing after 3 epochs), judged on the held-out split.", "",
                  "| network / protocol | accuracies | verdict (grading thresholds) | epochs | seconds per epoch |",
                  "|---|---|---|---|---|"]
        for key, row in b.items():
            if not isinstance(row, dict) or "runs" not in row:
                continue
            runs = row["runs"]
            lines.append(f"| {key} | {_accs(runs)} | {row['verdict']} | "
                         f"{', '.join(str(x['epochs']) for x in runs)} | "
                         f"{np.mean([x['seconds_per_epoch'] for x in runs]):.1f} |")
        lines.append("")
    if "timing" in results:
        t = results["timing"]
        runs = t["no_maxpooling"]
        lines += ["## How long the no-MaxPooling verdict takes", "",
                  f"Grading protocol, {t['seeds']} seeds: seconds per seed "
                  + ", ".join(f"{x['seconds']:.0f}" for x in runs)
                  + f" (epochs {', '.join(str(x['epochs']) for x in runs)}); a 5-seed verdict takes about five "
                  "times that. Measured while other jobs shared the 2 cores (load about 8); the lesson review "
                  "measured about 45 s per seed on a quieter machine.", ""]
    if results:
        first = next(v for v in results.values() if isinstance(v, dict))
        lines += [f"Machine: {first.get('machine', '?')}.", ""]
    return "\n".join(lines)


def load_all() -> dict:
    return {path.stem: json.loads(path.read_text()) for path in sorted(OUT.glob("*.json"))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", help=f"some of: {', '.join(PARTS)} (default: all)")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--page-only", action="store_true", help="write the page from the stored JSON, measure nothing")
    args = parser.parse_args(argv)
    from smiley_checks.provenance import provenance

    unknown = [part for part in args.parts if part not in PARTS]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}: choose from {', '.join(PARTS)}")
    OUT.mkdir(parents=True, exist_ok=True)
    runners = {"pooling": pooling_part, "dense": dense_part, "relu": relu_part,
               "batchnorm": batchnorm_part, "timing": timing_part}
    for part in [] if args.page_only else (args.parts or PARTS):
        started = time.perf_counter()
        result = runners[part](args.seeds)
        result["measured_on"] = date.today().isoformat()
        result["machine"] = f"{platform.machine()}, Python {sys.version.split()[0]}"
        result["provenance"] = provenance()
        result["seconds"] = round(time.perf_counter() - started, 1)
        (OUT / f"{part}.json").write_text(json.dumps(result, indent=1) + "\n")
        print(f"{part}: {result['seconds']} s", flush=True)
    (OUT / "model-answers.md").write_text(render(load_all()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
