"""Keras's process-wide settings are put back before each record is judged: what one record did to
them (epsilon, a cap on the steps per epoch, ...) does not reach the next."""

import inspect
import json
import subprocess
import sys

from smiley_checks.keras_env import keras
from smiley_checks.tasks.records import passed

def settings() -> dict:
    """Every setting keras_defaults puts back, as plain values."""
    import keras
    from keras.src.backend.common import global_state

    return {
        "epsilon": keras.config.epsilon(), "floatx": keras.config.floatx(),
        "image_data_format": keras.config.image_data_format(), "max_epochs": keras.config.max_epochs(),
        "max_steps_per_epoch": keras.config.max_steps_per_epoch(), "dtype_policy": keras.config.dtype_policy().name,
        "flash_attention": keras.config.is_flash_attention_enabled(),
        "traceback_filtering": keras.config.is_traceback_filtering_enabled(),
        "safe_mode": global_state.get_global_attribute("safe_mode_saving"),
    }


def change_everything():
    keras.config.set_epsilon(0.5)
    keras.config.set_floatx("float16")
    keras.config.set_image_data_format("channels_first")
    keras.config.set_max_epochs(1)
    keras.config.set_max_steps_per_epoch(1)
    keras.config.set_dtype_policy("mixed_float16")
    keras.config.disable_flash_attention()
    keras.config.disable_traceback_filtering()
    keras.config.enable_unsafe_deserialization()


def test_reset_puts_back_what_a_fresh_python_has():
    from smiley_grader.keras_defaults import reset

    program = "\n".join(["import json, os", 'os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"', inspect.getsource(settings),
                         "print(json.dumps(settings()))"])
    fresh = json.loads(subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                                      check=True).stdout.splitlines()[-1])
    change_everything()
    try:
        changed = settings()
        assert all(changed[name] != fresh[name] for name in fresh), changed  # every one of them was changed
    finally:
        reset()
    assert settings() == fresh


def test_the_judge_resets_before_each_record(monkeypatch):
    import smiley_grader.hidden_checks as hidden_checks
    from smiley_grader.judge import judge_one

    seen = []

    def judge(grade_id, record, **kwargs):
        seen.append(settings())
        change_everything()  # what rebuilding or training this record might have done
        return passed()

    monkeypatch.setattr(hidden_checks, "judge", judge)
    try:
        change_everything()
        leaked = settings()
        judge_one("no_batchnorm", {"task": "no_batchnorm"})
        judge_one("no_conv2d", {"task": "no_conv2d"})
    finally:
        from smiley_grader.keras_defaults import reset

        reset()
    assert seen[0] == seen[1] == settings() != leaked
