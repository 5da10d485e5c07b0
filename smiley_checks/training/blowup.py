"""Words for a run whose loss became NaN: "the training blew up", not "accuracy 0.00".

The trainer scores a network whose outputs are NaN as 0.0 (trainer.accuracy_on); a real
network on two classes never scores exactly 0.0 (that needs every drawing wrong), so 0.0
is read as a blow-up here.
"""

from __future__ import annotations

from smiley_checks.messages import decimal, say

BLEW_UP = 0.0


def blew_up(accuracy: float) -> bool:
    return accuracy == BLEW_UP


def accuracy_words(accuracy: float) -> str:
    """One accuracy in a list: "0.91", or "NaN" for a run that blew up."""
    return say("assign.nan_short") if blew_up(accuracy) else decimal(accuracy)


def seed_line(seed: int, accuracy: float, seconds: float, epochs: int) -> str:
    """One training of a verdict: its accuracy, how many epochs it ran and how long they took."""
    if blew_up(accuracy):
        return say("assign.seed_blew_up", seed=seed, epochs=epochs, seconds=decimal(seconds, 1))
    return say("cli.reliability.seed_line", seed=seed, accuracy=decimal(accuracy), epochs=epochs,
               seconds=decimal(seconds, 1), per_epoch=decimal(seconds / max(epochs, 1), 1))


def trained_once_text(accuracy: float, seconds: float) -> str:
    if blew_up(accuracy):
        return say("assign.blew_up")
    return say("assign.trained_once", accuracy=decimal(accuracy), seconds=f"{seconds:.0f}")
