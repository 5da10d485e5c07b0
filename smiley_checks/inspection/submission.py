"""Turn whatever a student hands in into a Keras model, or one clear sentence.

`as_model` accepts a model or a function that builds one (a "builder") and
refuses everything else with a SubmissionError; `validate` then checks that
the model fits the lesson (input, output, size). Nothing here trains.
"""

from __future__ import annotations

import contextlib
import io
import reprlib
import traceback
from typing import NoReturn

from smiley_checks.errors import SubmissionError
from smiley_checks.messages import say
from smiley_checks.network import IMAGE_SHAPE

# A model above this many parameters cannot be trained on a school laptop in a
# lesson; the original has 2,000 and a Dense-only network about 200,000.
MAX_PARAMS = 10_000_000
NUM_CLASSES = 2
WANTS = ("any", "model", "builder")

# Top-level package of an object -> how a student knows that framework.
FOREIGN_FRAMEWORKS = {
    "torch": "PyTorch",
    "tf_keras": "Keras 2 (tf_keras)",
    "sklearn": "scikit-learn",
    "jax": "JAX",
    "flax": "Flax",
}


class NothingHandedIn(SubmissionError):
    """The answer is still None or `...`: a check shows this as 'not attempted yet'."""


def one_line(text: object, limit: int = 160) -> str:
    """First non-empty line of an error text, shortened: messages stay one line."""
    line = next((part.strip() for part in str(text).splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def shape_text(shape) -> str:
    return str(tuple(shape))


def _keras():
    from smiley_checks.keras_env import keras

    return keras


def _name(obj) -> str:
    return getattr(obj, "__name__", None) or type(obj).__name__


def is_compiled(model) -> bool:
    return bool(getattr(model, "compiled", False))


def real_layers(model) -> list:
    """The model's layers without InputLayer: the input is not a layer you can remove."""
    keras = _keras()
    return [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]


def _framework(obj) -> str | None:
    """The other framework `obj` comes from (a torch module is callable, so ask first)."""
    return FOREIGN_FRAMEWORKS.get(type(obj).__module__.split(".")[0])


def _refuse_other_objects(obj) -> NoReturn:
    """Anything that is neither a Keras model nor a function: one sentence about what it is."""
    keras = _keras()
    if _framework(obj):
        raise SubmissionError(say("submission.foreign", framework=_framework(obj)))
    if isinstance(obj, keras.layers.Layer):
        raise SubmissionError(say("submission.layer_not_model", layer=type(obj).__name__))
    if isinstance(obj, (list, tuple)) and obj and all(isinstance(x, keras.layers.Layer) for x in obj):
        raise SubmissionError(say("submission.list_of_layers"))
    raise SubmissionError(say("submission.wrong_type", type=type(obj).__name__, preview=_preview(obj)))


def _preview(obj) -> str:
    short = reprlib.Repr()  # keyword arguments only from Python 3.12
    short.maxstring = short.maxother = 30
    short.maxlist = short.maxdict = 3
    return short.repr(obj)


def _line_in(builder, error: BaseException) -> int | str:
    """The line of the builder's own file where it stopped (deepest frame there)."""
    code = getattr(builder, "__code__", None)
    filename = code.co_filename if code else None
    line: int | str = code.co_firstlineno if code else "?"
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


@contextlib.contextmanager
def _forget_new_lazy_variables():
    """Keras keeps variables made in a StatelessScope on a global list and gives them
    memory at the next top-level scope exit; drop ours so a refused giant never does."""
    try:
        from keras.src.backend.common import global_state  # no public API for this list
    except ImportError:  # pragma: no cover - a future Keras without it
        yield
        return
    before = len(global_state.get_global_attribute("uninitialized_variables") or [])
    try:
        yield
    finally:
        pending = global_state.get_global_attribute("uninitialized_variables") or []
        global_state.set_global_attribute("uninitialized_variables", list(pending[:before]))


def params_without_weights(make) -> int | None:
    """Parameter count of the model `make()` returns, with shapes but no weight memory.

    Runs `make` in a keras.StatelessScope, where new weights stay uninitialised;
    None when that does not work (e.g. the builder also compiles).
    """
    keras = _keras()
    with _forget_new_lazy_variables():
        try:
            with contextlib.redirect_stdout(io.StringIO()), keras.StatelessScope(initialize_variables=False):
                model = make()
                if isinstance(model, keras.Model) and model.built:
                    return int(model.count_params())
        except Exception:  # the real call below reports the student's errors properly
            pass
    return None


def _check_size(params: int | None, max_params: int | None) -> None:
    if params is not None and max_params is not None and params > max_params:
        raise SubmissionError(say("submission.too_big", params=f"{params:,}", limit=f"{max_params:,}"))


def _call_builder(builder, max_params):
    keras = _keras()
    _check_size(params_without_weights(builder), max_params)
    try:
        model = builder()
    except (Exception, SystemExit) as error:
        raise SubmissionError(
            say(
                "submission.builder_raised",
                name=_name(builder),
                line=_line_in(builder, error),
                error_type=type(error).__name__,
                error=one_line(error) or "-",
            )
        ) from None
    if not isinstance(model, keras.Model):
        what = say("submission.what_none") if model is None else f"{type(model).__name__}"
        raise SubmissionError(say("submission.builder_returned", name=_name(builder), what=what))
    return model


def _ensure_built(model, max_params):
    """Build a Sequential made without an Input for the smiley pictures, as fit() would.

    Only creates the weights Keras creates at the first fit(); the size is
    measured on a weightless copy first.
    """
    keras = _keras()
    if not isinstance(model, keras.Sequential) and not getattr(model, "inputs", None):
        # A subclassed model has no layer graph to read: only Sequential/Functional can be checked.
        raise SubmissionError(say("submission.subclassed", type=type(model).__name__))
    if model.built and model.inputs:
        return model
    shape = (None, *IMAGE_SHAPE)

    def built_copy():
        copy = keras.models.clone_model(model)
        copy.build(shape)
        return copy

    _check_size(params_without_weights(built_copy), max_params)
    try:
        model.build(shape)
    except Exception as error:
        raise SubmissionError(
            say(
                "submission.build_failed",
                shape=shape_text(IMAGE_SHAPE),
                error_type=type(error).__name__,
                error=one_line(error),
            )
        ) from None
    return model


def as_model(obj, want: str = "any", *, name: str = "model", max_params: int | None = MAX_PARAMS):
    """A built Keras model from a model or a builder function, else a SubmissionError.

    want="model" refuses builders, want="builder" refuses finished models.
    Does not check input/output shapes: see `validate`.
    """
    if want not in WANTS:
        raise ValueError(f"want must be one of {WANTS}, not {want!r}")
    keras = _keras()
    if obj is None or obj is Ellipsis:
        raise NothingHandedIn(say("submission.none", name=name, value=repr(obj)))
    if isinstance(obj, keras.Model):
        if want == "builder":
            raise SubmissionError(say("submission.model_not_builder"))
        model = obj
    elif callable(obj) and not isinstance(obj, keras.layers.Layer) and not _framework(obj):
        if want == "model":
            raise SubmissionError(say("submission.builder_not_model", name=_name(obj)))
        model = _call_builder(obj, max_params)
    else:
        _refuse_other_objects(obj)
    if not real_layers(model):
        raise SubmissionError(say("submission.empty"))
    model = _ensure_built(model, max_params)
    _check_size(int(model.count_params()), max_params)
    return model


def as_builder(obj, *, max_params: int | None = MAX_PARAMS, need_compiled: bool = False):
    """A function that returns a fresh, validated model on every call.

    The builder is tried once now, so a broken one fails before any training.
    """
    validate(as_model(obj, want="builder", max_params=max_params), need_compiled=need_compiled)

    def build():
        return validate(as_model(obj, want="builder", max_params=max_params), need_compiled=need_compiled)

    build.__name__ = _name(obj)
    return build


def validate(model, *, need_compiled: bool = False, num_classes: int = NUM_CLASSES):
    """Check a built model fits the lesson: one 110x110x1 input, one output of class scores."""
    if len(model.inputs) != 1:
        raise SubmissionError(say("submission.several_inputs", count=len(model.inputs)))
    if len(model.outputs) != 1:
        raise SubmissionError(say("submission.several_outputs", count=len(model.outputs)))
    input_shape = tuple(model.inputs[0].shape[1:])
    if input_shape != IMAGE_SHAPE:
        raise SubmissionError(
            say("submission.wrong_input", shape=shape_text(input_shape), expected=shape_text(IMAGE_SHAPE))
        )
    output_shape = tuple(model.outputs[0].shape[1:])
    if len(output_shape) != 1:
        raise SubmissionError(say("submission.output_not_flat", shape=shape_text(output_shape)))
    if output_shape[0] != num_classes:
        raise SubmissionError(say("submission.wrong_classes", units=output_shape[0], classes=num_classes))
    if need_compiled and not is_compiled(model):
        raise SubmissionError(say("submission.not_compiled"))
    return model


def accept(obj, want: str = "any", *, name: str = "model", need_compiled: bool = False):
    """as_model + validate: what training and the checks call."""
    return validate(as_model(obj, want, name=name), need_compiled=need_compiled)


def hints(model) -> list[str]:
    """Things worth saying about a model that are not reasons to refuse it."""
    return [] if is_compiled(model) else [say("submission.hint_not_compiled")]
