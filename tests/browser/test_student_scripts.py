"""A student's script never runs in the teacher's browser: the formgrader's view of her submission
and her feedback, opened in headless Chromium.

sara (tests/nbgrader/make_submissions.py) answers task 1 of `layers`. Her outputs (IPython's
Javascript, HTML with a <script>, an <img onerror>) and a markdown cell she edited each add their
name to `window.saraRan`, set the page's title to "sara was here" and fetch /api/contents (on the
formgrader's page: the teacher's files, as her).

First she is graded the way the course was graded before the sanitiser (autograde and feedback
with `--SanitiseStudentHTML.enabled=False`): both pages run her code. Then the feedback is made
again with the sanitiser, from that old autograded notebook; then she is autograded and given
feedback as the course does now. Nothing of hers runs on those pages.

Screenshots: tests/artifacts/browser/sara-*.png.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from lab_steps import shot
from local_servers import VIEWPORT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ATTACKER = "sara"
OFF = "--SanitiseStudentHTML.enabled=False"  # the course as it was graded before safe_html.py
HER_TITLE = "sara was here"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """This module's course (it replaces conftest's, so `teacher_lab` serves it): sara has handed in
    `layers` and the teacher has collected it."""
    from smiley_grader.course import Course
    from smiley_grader.demo_cycle import SUBMISSIONS

    course = Course.create(tmp_path_factory.mktemp("scripts-course"), assignments=("layers",), log=print)
    course.import_students([ATTACKER])
    course.release("layers")
    course.submit(ATTACKER, "layers", SUBMISSIONS / ATTACKER / "layers.ipynb")
    course.collect("layers")
    return course


@dataclass
class Visit:
    served_title: str  # the <title> the server sent
    title: str  # document.title after the page (and anything of hers) ran
    ran: list  # window.saraRan: which of her outputs ran
    contents_requests: list  # requests to /api/contents while the page was open
    text: str  # what the page shows


def visit(browser, lab, url: str, artifacts, name: str) -> Visit:
    """Open `url` as a page of its own, as from a link in the teacher's JupyterLab."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        response = page.goto(url, referer=f"{lab.url}/lab")  # Jupyter's /files/ wants a page of its own as referer
        assert response.ok, (url, response.status)
        served = re.search(r"<title>(.*?)</title>", response.text(), re.S).group(1).strip()
        page.wait_for_load_state("load")
        page.wait_for_timeout(2000)  # her onerror and fetch
        found = Visit(served, page.title(), page.evaluate("window.saraRan || []"),
                      [url for url in requests if "/api/contents" in url], page.inner_text("body"))
        shot(page, artifacts, name)  # the top: her markdown cell
        page.get_by_text("as_teacher").first.scroll_into_view_if_needed()
        shot(page, artifacts, f"{name}-outputs")  # her cell and its outputs
        return found
    finally:
        context.close()


def autograde(course, *options):
    run = course.autograde("layers", *options)
    assert run.returncode == 0, run.output[-3000:]
    course.nbgrader("generate_feedback", "layers", "--force", *options)


def formgrader_url(lab, course) -> str:
    """The formgrader's page of sara's notebook (nbgrader's SubmissionHandler), as from its Manual grading list."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}", course_id="smileys") as gradebook:
        submission = gradebook.find_submission_notebook("layers", "layers", ATTACKER).id
    return f"{lab.url}/formgrader/submissions/{submission}/"


def feedback_url(lab) -> str:
    """Her feedback as a page of its own ("Open in New Browser Tab" in JupyterLab): Jupyter's /files/
    serves it in a sandbox that allows scripts, with an origin of its own."""
    return f"{lab.url}/files/feedback/{ATTACKER}/layers/layers.html"


def test_without_the_sanitiser_her_scripts_run_in_the_formgrader_and_the_feedback(course, teacher_lab, browser,
                                                                                   artifacts):
    autograde(course, OFF)
    formgrader = visit(browser, teacher_lab, formgrader_url(teacher_lab, course), artifacts,
                       "sara-01-formgrader-unsanitised")
    assert set(formgrader.ran) >= {"javascript", "script", "onerror", "markdown"}, formgrader
    assert formgrader.title == HER_TITLE != formgrader.served_title
    assert formgrader.contents_requests  # she read the teacher's files
    feedback = visit(browser, teacher_lab, feedback_url(teacher_lab), artifacts, "sara-02-feedback-unsanitised")
    assert {"script", "onerror", "markdown"} <= set(feedback.ran), feedback
    assert feedback.title == HER_TITLE and feedback.contents_requests

    # The feedback sanitises again: an autograded notebook from before the sanitiser is made safe there.
    course.nbgrader("generate_feedback", "layers", "--force")
    again = visit(browser, teacher_lab, feedback_url(teacher_lab), artifacts, "sara-03-feedback-of-an-old-grading")
    assert (again.ran, again.contents_requests) == ([], [])
    assert again.title == again.served_title == "layers"


def test_with_the_sanitiser_nothing_of_hers_runs_and_her_honest_points_stay(course, teacher_lab, browser, artifacts):
    from smiley_checks.messages import say

    autograde(course)
    formgrader = visit(browser, teacher_lab, formgrader_url(teacher_lab, course), artifacts, "sara-04-formgrader")
    assert (formgrader.ran, formgrader.contents_requests) == ([], [])
    assert formgrader.title == formgrader.served_title == "layers"
    feedback = visit(browser, teacher_lab, feedback_url(teacher_lab), artifacts, "sara-05-feedback")
    assert (feedback.ran, feedback.contents_requests) == ([], [])
    assert feedback.title == feedback.served_title == "layers"

    # What she tried is shown as text, her Javascript as the note; her task 1 keeps its 5 points.
    for shown in (formgrader, feedback):
        assert say("html.script_not_shown", lang="en") in shown.text
        assert "<script>window.saraRan" in shown.text
    grades = course.grades()
    assert sum(grade.score for (student, _, _), grade in grades.items() if student == ATTACKER) == 5
