"""What decides a seed's training result, written down as one canonical byte string.

Training is deterministic (see trainer.py), so two students whose networks have the
same Keras config and compile settings get the same accuracy for a seed under the
same protocol, data and software. The verdict cache (verdict_cache.py) keys its
entries on exactly these bytes:

    model config (canonical JSON) + compile settings + protocol fields + seed
    + a checksum of the images trained and judged on + package and Keras versions

Layer names (and the optimizer's name) are left out of Sequential models: Keras numbers
them by how many layers the notebook made before (conv2d_7), which changes nothing in training but would make
every student's copy of the same network look different. In a Functional model names
are references between layers, so there they stay.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from smiley_checks.training.data import TrainingData
from smiley_checks.training.protocol import Protocol


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr)


def model_config(model) -> dict:
    return config_without_counters(json.loads(model.to_json()))


def config_without_counters(config: dict) -> dict:
    """A model's config (as to_json writes it) without what only counts how many models the process made."""
    config.pop("compile_config", None)  # in the key as compile_settings, without its counters
    if config.get("class_name") == "Sequential":
        inner = config.get("config", {})
        inner.pop("name", None)
        for layer in inner.get("layers", []):
            layer.get("config", {}).pop("name", None)
    return config


def compile_settings(model):
    """What the trainer trains with: the student's compile config, or None (adam, cross-entropy)."""
    if not getattr(model, "compiled", False):
        return None
    try:
        settings = json.loads(canonical(model.get_compile_config()))
    except Exception:
        return None
    optimizer = settings.get("optimizer") if isinstance(settings, dict) else None
    if isinstance(optimizer, dict) and isinstance(optimizer.get("config"), dict):
        optimizer["config"].pop("name", None)  # adam_3: a counter, like layer names
    return settings


_DATA_SUMS: dict[int, tuple[TrainingData, str]] = {}


def data_checksum(data: TrainingData) -> str:
    """sha256 over the images and labels of every split (about 20 MB: computed once per data object)."""
    known = _DATA_SUMS.get(id(data))
    if known and known[0] is data:
        return known[1]
    digest = hashlib.sha256()
    for split in (data.train, data.val, data.heldout):
        for array in (split.images, split.labels):
            digest.update(str((array.shape, str(array.dtype))).encode())
            digest.update(array.tobytes())
    _DATA_SUMS[id(data)] = (data, digest.hexdigest())
    return digest.hexdigest()


def seed_keys(model, protocol: Protocol, seeds, data: TrainingData) -> dict[int, bytes]:
    """Each seed's key; everything but the seed (the model's config above all) is read once."""
    from smiley_checks import __version__
    from smiley_checks.keras_env import keras

    shared = {
        "model": model_config(model),
        "compile": compile_settings(model),
        "protocol": asdict(protocol),
        "data": data_checksum(data),
        "smiley_checks": __version__,
        "keras": keras.__version__,
    }
    return {int(seed): canonical({**shared, "seed": int(seed)}).encode() for seed in seeds}


def key_material(model, protocol: Protocol, seed: int, data: TrainingData) -> bytes:
    return seed_keys(model, protocol, [seed], data)[int(seed)]
