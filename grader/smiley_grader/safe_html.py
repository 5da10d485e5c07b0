"""Nothing a student puts in her notebook runs in the teacher's (or anyone's) browser.

The formgrader shows a submission, and `nbgrader generate_feedback` writes the feedback, from the
autograded notebook, both with nbconvert's classic template: it puts a text/html output and a
markdown cell's HTML into the page as they are, and runs an application/javascript output. On the
formgrader's page that script runs on the teacher's own address, where it may call /api/contents
and /api/kernels as her.

`SanitiseStudentHTML` cleans them with bleach (the library of nbconvert's own SanitizeHTML, which we
do not use as it is: it cleans a markdown cell's source as if it were HTML, so `a > b` in code
changes, and drops a JavaScript output without a word), with an allow-list of exactly what honest
notebooks show, so that they stay as they are, byte for byte:
- text/html and text/markdown outputs, and markdown cells, are rendered and cleaned by bleach; when
  the cleaned page differs from the original page (a browser would build other elements), the
  cleaned HTML replaces the original. Tags that are not allowed are shown as text.
- a JavaScript output becomes a one-line note; other outputs a browser could run (SVG, widgets,
  PDF, ...) are dropped; plain text and PNG/JPEG pictures stay.
- output metadata keeps only picture sizes that are numbers (the template puts them in an <img> tag
  without quotes) and our own flags.
It runs at autograde, after the kernel (so autograded/, which the formgrader and the feedback are
made from, holds no script), and again in the feedback, for notebooks graded before it existed.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Set

# What honest notebooks show (measured 2026-12-04 on the example class's autograded notebooks): our
# checks' coloured labels (smiley_checks.checks.view.render_html: span with a colour, b), the model
# answers (model_answers.py: details, summary, pre), Keras 3's model.summary() (rich: pre and span
# with styles), and markdown as nbconvert renders it (headings with anchor links, lists, tables, code
# with pygments' classes, attached pictures as data: URLs).
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p",
    "pre", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul", "var",
})
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "details": {"open"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
STYLED = frozenset({"span", "div", "pre", "p", "code", "b", "strong", "em", "table", "tr", "td", "th"})
CLASSED = frozenset({"a", "div", "span", "pre", "code", "table"})
# No property that loads anything (url(): background, list-style, cursor, ...) or moves a box over the
# page (position, width, height, display, z-index, ...).
STYLES = frozenset({
    "color", "background-color", "font-weight", "font-style", "font-family", "font-size", "text-align",
    "text-decoration", "text-decoration-color", "white-space", "line-height", "overflow-x", "vertical-align",
})
# Output kinds a browser runs: shown as a note instead.
SCRIPT_MIMES = frozenset({"application/javascript", "text/javascript", "application/x-javascript",
                          "application/ecmascript", "text/ecmascript"})
MARK = "smiley-sanitised"  # the class of the div that holds a cleaned markdown cell
LANGUAGE_CLASS = re.compile(r"language-[\w+-]+")


@lru_cache(maxsize=1)
def allowed_classes() -> frozenset[str]:
    """pygments' token classes (highlighted code), nbconvert's anchor links, ours.
    Never the formgrader's own (full-credit, score, ...)."""
    from pygments.token import STANDARD_TYPES

    return frozenset(name for name in STANDARD_TYPES.values() if name) | {
        "highlight", "anchor-link", MARK}


def safe_url(tag: str, url: str) -> bool:
    """Links leave for the web or jump inside the page (never to a file in the submission, which the
    formgrader would serve on the teacher's address); pictures are web or inline PNG/JPEG/GIF."""
    if tag == "a":
        return url.startswith("#") or bool(re.match(r"(?i)(https?|mailto):", url))
    return bool(re.match(r"(?i)(https?:|data:image/(png|jpeg|gif);base64,)", url))


def allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return tag in CLASSED and all(word in allowed_classes() or LANGUAGE_CLASS.fullmatch(word)
                                      for word in value.split())
    if name == "style":
        return tag in STYLED  # bleach's CSS sanitiser keeps only the STYLES properties
    if name not in ATTRIBUTES.get(tag, ()):
        return False
    if name in ("href", "src"):
        return safe_url(tag, value)
    if name in ("width", "height"):
        return value.isdigit()
    return True


@lru_cache(maxsize=1)
def cleaner():
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    return bleach.Cleaner(tags=TAGS, attributes=allowed_attribute, protocols={"http", "https", "mailto", "data"},
                          strip=False, strip_comments=True, css_sanitizer=CSSSanitizer(allowed_css_properties=STYLES))


def clean_html(text: str) -> str:
    return cleaner().clean(text)


def _style(value: str) -> tuple:
    """A style attribute as a browser reads it: (property, value) pairs, whatever the quotes and spaces."""
    import tinycss2

    return tuple((item.lower_name, tinycss2.serialize(item.value).strip())
                 for item in tinycss2.parse_blocks_contents(value, skip_whitespace=True, skip_comments=True)
                 if item.type == "declaration")


def page_of(text: str) -> list:
    """The elements, attributes and text a browser builds from `text` (html5lib, the parser bleach uses)."""
    from bleach.html5lib_shim import HTMLParser, getTreeWalker

    tokens = []
    for token in getTreeWalker("etree")(HTMLParser(namespaceHTMLElements=False).parseFragment(text)):
        kind = token["type"]
        if kind in ("Characters", "SpaceCharacters"):
            if tokens and tokens[-1][0] == "text":
                tokens[-1] = ("text", tokens[-1][1] + token["data"])
            else:
                tokens.append(("text", token["data"]))
        elif kind in ("StartTag", "EmptyTag"):
            attributes = tuple(sorted((name, _style(value) if name == "style" else value)
                                      for (_, name), value in token["data"].items()))
            tokens.append(("start" if kind == "StartTag" else "empty", token["name"], attributes))
        else:
            tokens.append((kind, token.get("name"), token.get("data")))
    return tokens


def safe_html(text: str) -> str:
    """`text` when it is already safe (honest outputs stay as they are), else bleach's cleaned HTML."""
    cleaned = clean_html(text)
    return text if page_of(text) == page_of(cleaned) else cleaned


def render_markdown(source: str, attachments: dict | None = None) -> str:
    """The HTML nbconvert's HTMLExporter.markdown2html makes of a markdown cell (its default settings)."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    return MarkdownWithMath(renderer=IPythonRenderer(escape=False, attachments=attachments or {})).render(source)


def as_markdown(cleaned: str) -> str:
    """Cleaned HTML as a markdown cell's source that renders to exactly that HTML: one line that starts
    with <div> is one HTML block (CommonMark), passed through as it is."""
    return f'<div class="{MARK}">' + cleaned.replace("\r", "&#13;").replace("\n", "&#10;") + "</div>"


def safe_markdown(source: str, attachments: dict | None = None) -> str | None:
    """None when the markdown renders to a safe page (the cell stays as the student wrote it), else a
    replacement source: the cleaned HTML. Markdown nbconvert cannot render is shown as its text."""
    try:
        rendered = render_markdown(source, attachments)
    except Exception:  # e.g. a picture from a missing attachment: the formgrader could not show the cell
        return as_markdown(clean_html(f"<pre>{html.escape(source)}</pre>"))
    cleaned = clean_html(rendered)
    return None if page_of(rendered) == page_of(cleaned) else as_markdown(cleaned)


def safe_metadata(metadata: dict) -> dict:
    """Flags (ours: model_answers.MARK) and numeric picture sizes; the classic template writes
    `width={{ width }}` into the <img> tag without quotes, so a text there is an attribute of its own."""
    kept = {key: value for key, value in metadata.items() if isinstance(value, bool)}
    for mime in ("image/png", "image/jpeg"):
        sizes = {key: value for key, value in (metadata.get(mime) or {}).items()
                 if key in ("width", "height") and type(value) is int}
        if sizes:
            kept[mime] = sizes
    return kept


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


class SanitiseStudentHTML(Preprocessor):
    """See the module's docstring."""

    enabled = Bool(True, help="Sanitise HTML, markdown and scripts in students' notebooks.").tag(config=True)
    kept_mimes = Set(
        {"text/plain", "text/latex", "application/json", "image/png", "image/jpeg"},  # as nbconvert's SanitizeHTML
        help="Output kinds kept as they are (the templates escape them or show them as pictures).",
    ).tag(config=True)

    def preprocess(self, nb, resources):
        from smiley_grader.nbgrader_plugin import use_language_of
        from smiley_checks.messages import say

        use_language_of(((resources or {}).get("nbgrader") or {}).get("assignment"))
        self._notes = {"script": say("html.script_not_shown"), "active": say("html.output_not_shown")}
        nb.metadata.pop("widgets", None)  # the state of ipywidgets: the template loads a widget renderer for it
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            replacement = safe_markdown(cell.source, cell.get("attachments"))
            if replacement is not None:
                cell.source = replacement
        elif cell.cell_type == "raw":  # shown as HTML when its format is text/html
            cell.source = safe_html(cell.source)
        elif cell.cell_type == "code":
            if type(cell.get("execution_count")) is not int:  # the template writes it into the page
                cell.execution_count = None
            cell.outputs = [self.safe_output(output) for output in cell.get("outputs", [])]
        return cell, resources

    def safe_output(self, output):
        if output.get("output_type") not in ("display_data", "execute_result"):
            return output  # stream and error: the templates escape their text
        data = output.get("data") or {}
        if SCRIPT_MIMES & set(data):
            output.data, output.metadata = {"text/plain": self._notes["script"]}, {}
            return output
        kept = {}
        for mime, value in data.items():
            if mime in self.kept_mimes:
                kept[mime] = value
            elif mime == "text/html":
                kept[mime] = safe_html(_text(value))
            elif mime == "text/markdown":
                kept[mime] = safe_markdown(_text(value)) or value
        output.data = kept or {"text/plain": self._notes["active"]}
        output.metadata = safe_metadata(output.get("metadata") or {})
        return output
