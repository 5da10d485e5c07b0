"""Student HTML, markdown and scripts come out of the formgrader's and the feedback's pages harmless;
honest notebooks (our checks' messages, the model answers, Keras' summary, pictures, the lesson's
markdown) come out byte for byte the same.

Every attack carries the word ATTACK where a browser would act on it (a script's text, an event
handler, a link, a frame's address). `live` finds ATTACK anywhere but in plain text: without the
sanitiser each attack is live in nbgrader's own page; with it, none is.
"""

from __future__ import annotations

import base64
import copy
import io
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from smiley_checks.dataset.layout import REPO_ROOT
from smiley_grader.safe_html import SanitiseStudentHTML, page_of

ATTACK = "ATTACK"
STEAL = f"document.title='{ATTACK}'; fetch('/api/contents')"
SVG = f'<svg xmlns="http://www.w3.org/2000/svg"><script>{STEAL}</script><circle r="4"/></svg>'


def html_output(text):
    return new_output("display_data", data={"text/html": text, "text/plain": "<IPython.core.display.HTML object>"})


# name -> a cell of a student's notebook, as IPython leaves it
ATTACKS = {
    "script tag in text/html": lambda: new_code_cell("HTML(...)", outputs=[html_output(f"<script>{STEAL}</script>")]),
    "img onerror": lambda: new_code_cell("HTML(...)", outputs=[html_output(f'<img src="x" onerror="{STEAL}">')]),
    "javascript: link": lambda: new_code_cell("HTML(...)", outputs=[
        html_output(f'<a href="javascript:{STEAL}">a prize for you</a>')]),
    "iframe": lambda: new_code_cell("HTML(...)", outputs=[html_output(f'<iframe src="/api/contents?{ATTACK}"></iframe>')]),
    "object, embed and form": lambda: new_code_cell("HTML(...)", outputs=[html_output(
        f'<object data="/api/contents?{ATTACK}"></object><embed src="/x?{ATTACK}">'
        f'<form action="/api/kernels?{ATTACK}" method="post"><button>OK</button></form>')]),
    "svg with a script, in text/html": lambda: new_code_cell("HTML(...)", outputs=[html_output(SVG)]),
    "style that loads": lambda: new_code_cell("HTML(...)", outputs=[html_output(
        f'<style>@import url("/api/contents?{ATTACK}");</style><b style="background:url(/x?{ATTACK})">hi</b>')]),
    "application/javascript output": lambda: new_code_cell("Javascript(...)", outputs=[new_output(
        "display_data", data={"application/javascript": STEAL, "text/plain": "<IPython.core.display.Javascript object>"})]),
    "raw HTML and a script in a markdown cell": lambda: new_markdown_cell(
        f"My answer: it learns worse.\n\n<script>{STEAL}</script>\n\nSee <img src=x onerror=\"{STEAL}\">"),
    "javascript: link in markdown": lambda: new_markdown_cell(f"[the answers](javascript:document.title='{ATTACK}')"),
    "a mermaid block (nbconvert does not escape it)": lambda: new_markdown_cell(
        f"```mermaid\n</pre><img src=x onerror=\"{STEAL}\">\n```"),
    "text/markdown output with HTML": lambda: new_code_cell("Markdown(...)", outputs=[new_output(
        "display_data", data={"text/markdown": f"<img src=x onerror=\"{STEAL}\">", "text/plain": "md"})]),
    "a picture's width that is an attribute": lambda: new_code_cell("Image(...)", outputs=[new_output(
        "display_data", data={"image/png": "", "text/plain": "<Image>"},
        metadata={"image/png": {"width": f"1 onerror={ATTACK}"}})]),
    "isolated html in a frame": lambda: new_code_cell("HTML(...)", outputs=[new_output(
        "display_data", data={"text/html": f"<b>{ATTACK}</b>"}, metadata={"text/html": {"isolated": True}})]),
    "a link to a file handed in with the notebook": lambda: new_markdown_cell(f"[my notes]({ATTACK}.html)"),
}

# Where a browser acts on what is inside (a script's text, a style, a frame's document).
ACTIVE = {"script", "style", "iframe", "object", "embed", "form", "svg", "math", "noscript", "template", "xmp"}


def live(page: str) -> list[str]:
    """Every place of `page` where the browser would act on ATTACK: an attribute, or text inside an
    active element (a base64 data: URL is decoded first: an iframe of one is a page of its own)."""
    found, inside = [], []
    for token in page_of(page):
        kind = token[0]
        if kind in ("start", "empty"):
            _, name, attributes = token
            for attribute, value in attributes:
                value = str(value)
                if ATTACK in value or (";base64," in value and ATTACK in _decoded(value)):
                    found.append(f"<{name} {attribute}>")
            if name in ACTIVE and kind == "start":
                inside.append(name)
        elif kind == "EndTag" and token[1] in ACTIVE and inside:
            inside.pop()
        elif kind == "text" and inside and ATTACK in token[1]:
            found.append(f"<{inside[-1]}> text")
    return found


def _decoded(url: str) -> str:
    try:
        return base64.b64decode(url.split(";base64,", 1)[1]).decode("utf-8", "replace")
    except ValueError:
        return ""


def formgrader_page(nb) -> str:
    """The formgrader's view of a submission (nbgrader 0.9.6's SubmissionHandler and its exporter)."""
    from nbgrader.server_extensions.formgrader import handlers

    exporter = HTMLExporter(template_name="formgrade", extra_template_basedirs=[handlers.template_path],
                            skip_svg_encoding=True)  # a setting a teacher may have: SVG inline, not as a picture
    resources = {"assignment_id": "layers", "notebook_id": "layers", "submission_id": "1", "index": 0, "total": 1,
                 "base_url": "", "student": "sara", "last_name": "", "first_name": "", "notebook_path": "x"}
    return exporter.from_notebook_node(nb, resources=resources)[0]


def feedback_page(nb, sanitise: bool) -> str:
    """The feedback's page, with our feedback preprocessors as in nbgrader_config.py (without GetGrades:
    no gradebook here)."""
    from nbgrader.server_extensions.formgrader import handlers

    from smiley_grader.feedback_cells import HideHiddenTests

    bootstrap = Path(handlers.__file__).parent / "static" / "node_modules" / "bootstrap" / "dist" / "css"
    exporter = HTMLExporter(template_name="feedback", extra_template_basedirs=[handlers.template_path],
                            extra_template_paths=[str(bootstrap)], skip_svg_encoding=True)
    exporter.register_preprocessor(HideHiddenTests, enabled=True)
    if sanitise:
        exporter.register_preprocessor(SanitiseStudentHTML, enabled=True)
    resources = {"nbgrader": {"notebook": "layers", "assignment": "layers", "score": 0, "max_score": 17,
                              "late_penalty": 0}}
    return exporter.from_notebook_node(nb, resources=resources)[0]


def sanitised(nb, assignment="layers"):
    nb = copy.deepcopy(nb)
    return SanitiseStudentHTML().preprocess(nb, {"nbgrader": {"assignment": assignment}})[0]


def attacker(name):
    return new_notebook(cells=[new_markdown_cell("# Layers"), ATTACKS[name]()])


@pytest.mark.parametrize("name", ATTACKS)
def test_the_attack_is_live_in_nbgraders_pages_without_the_sanitiser(name):
    nb = attacker(name)
    assert live(formgrader_page(nb)) or live(feedback_page(nb, sanitise=False)), name


@pytest.mark.parametrize("name", ATTACKS)
def test_the_attack_is_harmless_after_autograde_and_in_the_feedback(name):
    nb = attacker(name)
    autograded = sanitised(nb)  # what autograde stores in autograded/
    assert live(formgrader_page(autograded)) == []
    assert live(feedback_page(autograded, sanitise=True)) == []
    assert live(feedback_page(nb, sanitise=True)) == []  # a notebook autograded before the sanitiser existed


def test_a_javascript_output_becomes_a_note_in_the_notebooks_language():
    nb = attacker("application/javascript output")
    english = sanitised(nb, "layers").cells[1].outputs[0]
    dutch = sanitised(nb, "lagen").cells[1].outputs[0]
    assert english.data == {"text/plain": "Not shown: this output was a script, and scripts from a notebook never run here."}
    assert dutch.data == {"text/plain": "Niet getoond: deze uitvoer was een script, en scripts uit een notebook lopen hier nooit."}
    assert english.data["text/plain"] in formgrader_page(sanitised(nb))


def test_an_output_with_nothing_safe_left_says_so():
    nb = new_notebook(cells=[new_code_cell("w", outputs=[new_output(
        "display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": ATTACK}})])])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {ATTACK: {}}}}
    assert live(formgrader_page(nb))  # the widget state goes into a <script> of the page
    cleaned = sanitised(nb)
    assert cleaned.cells[0].outputs[0].data == {"text/plain": "Not shown: this kind of output could run code in a browser."}
    assert "widgets" not in cleaned.metadata


def test_an_svg_output_is_dropped_and_its_text_stays():
    """nbconvert's classic template shows image/svg+xml as a picture (or bleached inline), where its
    script does not run (so it is not among ATTACKS); JupyterLab would draw it. It goes all the same."""
    nb = new_notebook(cells=[new_code_cell("SVG(...)", outputs=[new_output(
        "display_data", data={"image/svg+xml": SVG, "text/plain": "<IPython.core.display.SVG object>"})])])
    assert sanitised(nb).cells[0].outputs[0].data == {"text/plain": "<IPython.core.display.SVG object>"}


def test_a_raw_html_cell_is_cleaned():
    """nbconvert's template cleans raw cells itself (so it is not among ATTACKS); ours does too."""
    nb = new_notebook(cells=[new_raw_cell(f"<script>{STEAL}</script>", metadata={"format": "text/html"})])
    assert sanitised(nb).cells[0].source == f"&lt;script&gt;{STEAL}&lt;/script&gt;"


def test_what_was_removed_stays_readable_as_text():
    """The teacher sees what the student tried, as text."""
    cleaned = sanitised(attacker("script tag in text/html")).cells[1].outputs[0].data["text/html"]
    assert cleaned == f"&lt;script&gt;{STEAL}&lt;/script&gt;"
    markdown = sanitised(attacker("raw HTML and a script in a markdown cell")).cells[1].source
    assert "My answer: it learns worse." in markdown and "&lt;script&gt;" in markdown


# --- honest notebooks stay as they are ---

def png(width=2) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (width, width), 255).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


# Keras 3's model.summary() in a notebook (rich), measured 2026-12-04 in an autograded notebook.
KERAS_SUMMARY = ("<pre style=\"white-space:pre;overflow-x:auto;line-height:normal;font-family:Menlo,'DejaVu Sans Mono',"
                 "consolas,'Courier New',monospace\"><span style=\"font-weight: bold\"> Total params: </span><span "
                 "style=\"color: #00af00; text-decoration-color: #00af00\">2,000</span> (7.81 KB)\n</pre>\n")
HONEST_MARKDOWN = """## What a Conv2D layer does

A 3x3 filter slides over the picture: *without* padding the picture gets **smaller** (110 -> 108).
`a < b` and `x > 0` in code, a quote:

> The network learns what to look for.

```python
def output_shape(layer, shape, count=None):
    return (shape[0] - 2, shape[1] - 2, count)
```

| layer | shape |
|:------|------:|
| Conv2D | (108, 108, 1) |

$\\frac{x - \\mu}{\\sigma}$, a [link](https://www.dwengo.org), [back up](#What-a-Conv2D-layer-does), ~~wrong~~,
an attached picture ![smiley](attachment:smiley.png) and <b>bold</b>, <i>italic</i>, <br> a break.
"""


def honest_notebook():
    from smiley_checks.checks.view import COLOURS, render_html
    from smiley_grader.model_answers import model_answer_output
    from smiley_grader.nbgrader_plugin import error_output, shown_output

    checks = [new_output("display_data", data={"text/html": render_html(kind, "Label", "a <message> & \"more\""),
                                               "text/plain": "<IPython.core.display.HTML object>"})
              for kind in COLOURS]
    picture = new_output("display_data", data={"image/png": png(), "text/plain": "<Figure size 640x480 with 1 Axes>"},
                         metadata={"image/png": {"width": 320, "height": 240}})
    cells = [
        new_markdown_cell(HONEST_MARKDOWN, attachments={"smiley.png": {"image/png": png(1)}}),
        new_code_cell("model.summary()", execution_count=1, outputs=[
            new_output("display_data", data={"text/html": KERAS_SUMMARY, "text/plain": "Total params: 2,000"})]),
        new_code_cell("checks.normalise.check(normalise)", execution_count=2, outputs=[
            *checks, shown_output("Verdict: reliable (5 of 5 seeds learn)."),
            model_answer_output('def f(x):\n    return "<b>" if x < 3 else x'),
            error_output("Your model still has BatchNormalization layers (1 left).")]),
        new_code_cell("plt.show(); normalise([1, 2])", execution_count=3, outputs=[
            picture, new_output("stream", name="stdout", text="<b>printed</b>\n"),
            new_output("execute_result", execution_count=3, data={"text/plain": "[-1.0, 1.0]", "text/latex": "$x$"})]),
        new_markdown_cell("**Model answer:** Flatten and the last Dense layer, because `x < 2`."),
        new_raw_cell("x < 3 & y > 1", metadata={"format": "text/html"}),
    ]
    return new_notebook(cells=cells)


def test_an_honest_notebook_comes_out_byte_for_byte_the_same():
    nb = honest_notebook()
    assert nbformat.writes(sanitised(nb)) == nbformat.writes(nb)


@pytest.mark.parametrize("assignment", ["layers", "break_the_model", "lagen", "breek_het_model"])
def test_the_lessons_own_notebooks_stay_as_they_are(assignment):
    nb = nbformat.read(REPO_ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    assert nbformat.writes(sanitised(nb)) == nbformat.writes(nb)


def test_the_honest_page_looks_the_same_with_the_sanitiser():
    nb = honest_notebook()
    assert feedback_page(nb, sanitise=True) == feedback_page(nb, sanitise=False)


def test_sanitising_twice_changes_nothing_more():
    """The feedback sanitises the autograded notebook again: a cleaned cell stays as it was cleaned."""
    for name in ATTACKS:
        once = sanitised(attacker(name))
        assert nbformat.writes(sanitised(once)) == nbformat.writes(once), name


def test_a_cleaned_markdown_cell_still_shows_its_text_and_formatting():
    nb = new_notebook(cells=[new_markdown_cell(f"**Bold** answer\n\n```\nline 1\n\nline 3\n```\n\n<script>{STEAL}</script>")])
    page = formgrader_page(sanitised(nb))
    assert "<strong>Bold</strong> answer" in page
    assert "line 1\n\nline 3" in "".join(token[1] for token in page_of(page) if token[0] == "text")
