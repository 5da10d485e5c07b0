"""What a person does in JupyterLab with nbgrader's extensions, as Playwright steps: shared by the
one-machine browser tests (test_student_and_teacher.py) and the hub test (tests/installed)."""

from __future__ import annotations

import re

import nbformat

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture fails with a clear message; collection goes on
    expect = None
else:
    expect.set_options(timeout=30_000)

NBGRADER_MENU = '#jp-menu-panel .lm-MenuBar-itemLabel:text-is("Nbgrader")'


def shot(page, artifacts, name):
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def open_from_nbgrader_menu(page, command):
    page.locator(NBGRADER_MENU).click()
    page.locator(f'#jp-mainmenu-nbgrader li[data-command="{command}"]').click()


def assignment_list(page):
    open_from_nbgrader_menu(page, "nbgrader:open-assignment-list")
    page.locator("#released_assignments_list").wait_for()


def fetch(page, assignment):
    page.locator("#refresh_assignments_list").click()
    row = page.locator("#released_assignments_list > .list_item", has_text=assignment)
    row.locator(".item_status button", has_text="Fetch").click()
    expect(page.locator("#fetched_assignments_list > .list_item", has_text=assignment).first).to_be_visible()


def open_fetched(page, assignment):
    """Unfold a downloaded assignment in the list and open its notebook; wait for the kernel."""
    page.locator(f'#fetched_assignments_list a.assignment-notebooks-link:text-is("{assignment}")').click()
    page.locator(f'#nbgrader-smileys-{assignment}.in a:text-is("{assignment}")').click()
    expect(page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")).to_have_text(
        f"{assignment}.ipynb", timeout=30_000)
    expect(cells(page).nth(5)).to_be_visible()
    expect(page.locator("#jp-main-statusbar")).to_contain_text("| Idle", timeout=120_000)


def cells(page):
    return page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")


def run_cell(page, index):
    cell = cells(page).nth(index)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Enter")
    # "[*]" while it runs, "[n]" when done.
    expect(cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=180_000)
    return cell


def positions(assignment: str) -> dict[str, int]:
    """Cell id -> position in the released notebook (what the student's JupyterLab shows)."""
    from smiley_checks.dataset.layout import REPO_ROOT

    notebook = nbformat.read(REPO_ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    return {cell.id: index for index, cell in enumerate(notebook.cells)}


def comment_out(source: str, word: str) -> str:
    """The student's edit of a network copy: a # before every line that mentions `word`."""
    return "\n".join(re.sub(r"^(\s*)", r"\1# ", line) if word in line else line for line in source.splitlines())


def replace_cell_text(page, index, text):
    cells(page).nth(index).locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)


def save(page):
    page.keyboard.press("Control+S")
    expect(page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current")).not_to_have_class(
        re.compile("jp-mod-dirty"))


def comment_out_batchnorm(page, folder, assignment, source_has, verdict):
    """Task 1 as the student does it: a # in front of every BatchNormalization line of the answer
    cell (its saved source, in `folder`, holds every text of `source_has`), run it and the check,
    which says `verdict`; save. Returns the check's cell."""
    at = positions(assignment)
    notebook = nbformat.read(folder / assignment / f"{assignment}.ipynb", as_version=4)
    source = notebook.cells[at["answer_no_batchnorm"]].source
    assert all(text in source for text in source_has), source_has
    replace_cell_text(page, at["answer_no_batchnorm"], comment_out(source, "BatchNormalization"))
    run_cell(page, at["answer_no_batchnorm"])
    check = run_cell(page, at["no_batchnorm"])
    expect(check.locator(".jp-OutputArea")).to_contain_text(verdict)
    check.scroll_into_view_if_needed()
    save(page)
    return check


def terminal(page, command: str):
    """Open a terminal from a new Launcher and type `command` (and Enter) into it."""
    page.get_by_role("button", name="New Launcher").first.click()
    page.locator(".jp-Launcher:visible .jp-LauncherCard", has_text="Terminal").first.click()
    term = page.locator(".jp-Terminal:visible").first
    expect(term).to_be_visible()
    page.wait_for_timeout(1000)  # the shell's prompt
    term.click()
    page.keyboard.type(command + "\n")
    return term


def submit(page, assignment):
    page.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text="Assignments").click()
    row = page.locator("#fetched_assignments_list > .list_item", has_text=assignment).first
    row.locator('.item_status button:text-is("Submit")').click()
    expect(page.locator("#submitted_assignments_list .list_item", has_text=assignment).first).to_be_visible(
        timeout=60_000)


def wait_for_modal(page, frame, title):
    """formgrader's result box (Bootstrap, fades in); returns its OK button."""
    modal = frame.locator(".modal.in")
    expect(modal.locator(".modal-title")).to_have_text(title, timeout=300_000)
    page.wait_for_timeout(700)  # the fade-in
    return modal.locator(".modal-footer button")


def close_modal(frame, ok):
    ok.click()
    expect(frame.locator(".modal")).to_have_count(0)
