"""The grader writes into a Dutch notebook in Dutch: messages added outside the kernel, and the judge's child."""

import os

from smiley_grader.nbgrader_plugin import shown_output, use_language_of
from smiley_checks.messages import language, say, set_language


def test_the_assignment_name_sets_the_language_for_the_grader_and_its_children():
    try:
        use_language_of("breek_het_model")
        assert language() == "nl" and os.environ["SMILEY_CHECKS_LANG"] == "nl"
        assert say("assign.label.grader", lang="nl") in shown_output("x")["data"]["text/plain"]
        use_language_of("break_the_model")
        assert language() == "en" and os.environ["SMILEY_CHECKS_LANG"] == "en"
        use_language_of(None)
        assert language() == "en"
    finally:
        set_language("en")


def test_set_language_survives_a_fresh_import_of_the_messages():
    import importlib

    import smiley_checks.messages as messages

    try:
        set_language("nl")
        fresh = importlib.reload(messages)
        assert fresh.language() == "nl"
    finally:
        messages.set_language("en")
