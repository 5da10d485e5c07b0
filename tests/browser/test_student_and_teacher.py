"""The student's and the teacher's real path, in JupyterLab with nbgrader's extensions.

Student (ada), in her own JupyterLab: Nbgrader > Assignments, fetch `break_the_model`, open
it from the list, run the set-up cells and task 1's check (as handed out: "Not yet"; after
putting a # before every BatchNormalization line: "Correct"), save. Validate runs the whole
notebook, and break_the_model's verdict cells train 26 networks when validating (many
minutes), so she validates `layers` instead, after answering one of its tasks. She submits both.

Teacher, in the course folder's JupyterLab: Nbgrader > Formgrader, collect `layers`, autograde
ada's submission from its page, generate her feedback and open it in JupyterLab. Autograding
`break_the_model` trains every network several times (minutes): tests/nbgrader covers that.

Screenshots of every step: tests/artifacts/browser/NN-*.png. The tests never write the working tree:
tools/docs_screenshots.py copies the two the docs show into docs/img/.
"""

from __future__ import annotations

import pytest

from lab_steps import (assignment_list, cells, close_modal, comment_out_batchnorm, expect, fetch,
                       open_fetched, open_from_nbgrader_menu, positions, run_cell, shot, submit, wait_for_modal)

STUDENT = "ada"  # as in conftest.py

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def for_docs(path):
    """A screenshot tools/docs_screenshots.py copies to docs/img/: small enough for a page."""
    assert path.stat().st_size < 300_000, f"{path} is too big for the docs"


def test_student_fetches_runs_a_check_validates_and_submits(course, student_lab, page_for, artifacts):
    page = page_for(student_lab)
    assignment_list(page)
    page.locator("#refresh_assignments_list").click()
    expect(page.locator("#released_assignments_list > .list_item", has_text="break_the_model")).to_be_visible()
    shot(page, artifacts, "01-student-assignment-list")

    fetch(page, "break_the_model")
    shot(page, artifacts, "02-student-fetched")

    # Open the notebook from the assignment list, like a student does.
    open_fetched(page, "break_the_model")
    shot(page, artifacts, "03-student-notebook-open")

    at = positions("break_the_model")
    run_cell(page, at["setup"])  # the imports
    run_cell(page, at["original"])  # build_original
    run_cell(page, at["answer_no_batchnorm"])  # task 1's copy of the network, as handed out
    check = run_cell(page, at["no_batchnorm"])  # task 1's check
    check.scroll_into_view_if_needed()
    shot(page, artifacts, "04-student-check-as-handed-out")
    expect(check.locator(".jp-OutputArea")).to_contain_text("BatchNormalization")
    expect(check.locator(".jp-OutputArea")).not_to_contain_text("Traceback")

    # The student puts a # in front of every BatchNormalization line, runs the copy and the check again.
    comment_out_batchnorm(page, student_lab.root_dir, "break_the_model", ["def build_no_batchnorm"], "Correct")
    for_docs(shot(page, artifacts, "05-student-check-passes"))

    # Validate runs the whole notebook the way nbgrader will. break_the_model's verdict cells
    # train 26 networks when validating (minutes), so the student validates `layers` here.
    page.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text="Assignments").click()
    fetch(page, "layers")
    open_fetched(page, "layers")
    answer = cells(page).nth(11)
    assert "def conv2d_params" in answer.locator(".cm-content").inner_text()
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.insert_text("return filters * (kernel * kernel * channels + 1)")
    run_cell(page, 1)  # the set-up: imports and the model's summary
    run_cell(page, 11)
    expect(run_cell(page, 12).locator(".jp-OutputArea")).to_contain_text("Correct")
    page.keyboard.press("Control+S")
    page.locator(".jp-NotebookPanel:visible jp-button.validate-button").click()
    dialog = page.locator(".nbgrader-ErrorDialog, .nbgrader-SuccessDialog")
    expect(dialog).to_be_visible(timeout=300_000)  # a fresh kernel runs the notebook: slow on a busy machine
    shot(page, artifacts, "06-student-validate")
    expect(dialog).to_contain_text("Did you forget the line with return?")  # the tasks she left open
    expect(dialog).not_to_contain_text("check.conv2d_params")  # the one she answered
    expect(dialog).not_to_contain_text("Traceback")
    dialog.locator("button.jp-Dialog-button").last.click()

    for assignment in ("break_the_model", "layers"):
        submit(page, assignment)
    shot(page, artifacts, "07-student-submitted")
    submitted = list(course.exchange.glob(f"smileys/inbound/{STUDENT}+*"))
    assert {path.name.split("+")[1] for path in submitted} == {"break_the_model", "layers"}


def test_teacher_collects_autogrades_and_opens_feedback_in_formgrader(course, teacher_lab, page_for, artifacts):
    if not list(course.exchange.glob(f"smileys/inbound/{STUDENT}+layers+*")):
        pytest.fail("No submission of `layers` by the student: the student's test did not get to submitting.")
    page = page_for(teacher_lab)
    open_from_nbgrader_menu(page, "nbgrader:open-formgrader")
    frame = page.frame_locator("#jp-main-dock-panel iframe")
    row = frame.locator("tr", has=frame.locator('td a:text-is("layers")')).first
    expect(row).to_be_visible()
    shot(page, artifacts, "08-teacher-formgrader")

    row.locator("td.collect a").click()
    ok = wait_for_modal(page, frame, "Success")
    shot(page, artifacts, "09-teacher-collected")
    close_modal(frame, ok)
    expect(row.locator("td.num-submissions")).to_have_text("1")

    row.locator("td.num-submissions a").click()
    student = frame.locator("tr", has=frame.locator(f'td:text-is("{STUDENT}")')).first
    expect(student.locator("td", has_text="needs autograding")).to_be_visible()
    student.locator("td.autograde a").click()
    ok = wait_for_modal(page, frame, "Success")
    shot(page, artifacts, "10-teacher-autograde-log")
    close_modal(frame, ok)
    expect(student).to_contain_text("graded")
    expect(student.locator("td.score")).to_have_text("2 / 17")  # conv2d_params: 2 points
    for_docs(shot(page, artifacts, "11-teacher-autograded"))

    student.locator("td.generate-feedback a").click()
    ok = wait_for_modal(page, frame, "Success")
    shot(page, artifacts, "12-teacher-feedback-generated")
    close_modal(frame, ok)
    assert course.feedback_file(STUDENT, "layers").exists()

    # The teacher opens ada's feedback (the HTML the student gets) in JupyterLab.
    page.goto(f"{teacher_lab.url}/lab/tree/feedback/{STUDENT}/layers/layers.html")
    viewer = page.frame_locator("#jp-main-dock-panel .jp-HTMLViewer iframe")
    expect(viewer.locator("body")).to_contain_text("conv2d_params", timeout=60_000)
    shot(page, artifacts, "13-teacher-feedback")
    # What ada got wrong in the first check (the list's links do not jump in the sandboxed viewer).
    first_test = viewer.locator('[id="cell-id=shapes_conv_pool"]')
    first_test.evaluate("e => e.scrollIntoView({block: 'start'})")
    expect(first_test).to_contain_text("gave back nothing")
    expect(first_test).not_to_contain_text("Traceback")
    shot(page, artifacts, "14-teacher-feedback-first-test")


def test_dutch_student_gets_dutch_checks_validates_and_submits(course, student_lab, page_for, artifacts):
    """The same path once in Dutch (breek_het_model): "Nog niet", then "Juist", Validate, submit.
    Screenshots: tests/artifacts/browser/nl-*.png (never docs/img)."""
    from smiley_checks.messages import say

    page = page_for(student_lab)
    assignment_list(page)
    fetch(page, "breek_het_model")
    open_fetched(page, "breek_het_model")
    at = positions("breek_het_model")
    run_cell(page, at["setup"])
    run_cell(page, at["original"])
    run_cell(page, at["answer_no_batchnorm"])
    check = run_cell(page, at["no_batchnorm"])
    output = check.locator(".jp-OutputArea")
    expect(output).to_contain_text(say("check.label.incorrect", lang="nl"))  # "Nog niet"
    expect(output).to_contain_text("BatchNormalization-lagen")
    expect(output).not_to_contain_text("Traceback")
    shot(page, artifacts, "nl-01-nog-niet")

    comment_out_batchnorm(page, student_lab.root_dir, "breek_het_model", ["Verander deze lijst", "# JOUW CODE HIER"],
                          say("check.label.correct", lang="nl"))  # "Juist"
    shot(page, artifacts, "nl-02-juist")

    # Validate: the verdict cells skip their training while validating, so this is quick.
    page.locator(".jp-NotebookPanel:visible jp-button.validate-button").click()
    dialog = page.locator(".nbgrader-ErrorDialog, .nbgrader-SuccessDialog")
    expect(dialog).to_be_visible(timeout=300_000)
    shot(page, artifacts, "nl-03-valideren")
    expect(dialog).to_contain_text("Conv2D")  # task 2, still open, explained in Dutch:
    expect(dialog).not_to_contain_text("Your model")
    expect(dialog).not_to_contain_text("Traceback")
    dialog.locator("button.jp-Dialog-button").last.click()

    submit(page, "breek_het_model")
    shot(page, artifacts, "nl-04-ingediend")
    assert list(course.exchange.glob(f"smileys/inbound/{STUDENT}+breek_het_model+*"))
