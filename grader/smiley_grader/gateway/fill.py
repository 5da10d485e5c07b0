"""Fill the gateway's cache before the lesson: the networks the notebooks show verdicts of, trained once.

    smiley-checks gateway fill source/break_the_model/break_the_model.ipynb source/breek_het_model/breek_het_model.ipynb

For each notebook: its language (its first cell's set_language), and every `build_...` function that a
`show_verdict(build_...)` line names, built from the notebook's own code (the teacher's source, with
its solutions: the networks a class that answers well will send). Each is sent to the gateway like a
student's kernel sends it, so the cache holds exactly what the students will ask for.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from smiley_checks.errors import SmileyChecksError
from smiley_checks.messages import say

SHOWN = re.compile(r"show_verdict\((build_\w+)\)")
LANGUAGE = re.compile(r"""set_language\(["'](\w+)["']\)""")


def notebook_networks(path: Path) -> tuple[str, dict]:
    """(the notebook's language, {builder name: builder}) in the order the notebook shows them."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
        sources = ["".join(cell["source"]) for cell in cells if cell.get("cell_type") == "code"]
    except (OSError, ValueError, KeyError, TypeError):
        raise SmileyChecksError(say("gateway.fill.not_a_notebook", path=path)) from None
    text = "\n".join(sources)
    found = LANGUAGE.search(text)
    lang = found.group(1) if found else "en"
    wanted = list(dict.fromkeys(SHOWN.findall(text)))
    from smiley_checks.keras_env import keras

    namespace = {"keras": keras}
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        builders = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("build_")]
        if builders:
            # Only the function definitions run (the teacher's own notebook): no training, no checks.
            exec(compile(ast.Module(body=builders, type_ignores=[]), str(path), "exec"), namespace)
    return lang, {name: namespace[name] for name in wanted if callable(namespace.get(name))}


def fill(notebooks: list[Path], address: str, token: str, say_line=print) -> int:
    """Ask the gateway for the verdict of every network the notebooks show; the number asked for."""
    from smiley_checks.messages import language, set_language
    from smiley_checks.training.reliability import DEFAULT_SEEDS
    from smiley_checks.training.remote import remote_verdict
    from smiley_checks.training.submission_model import trainable_model

    asked, before = 0, language()
    try:
        for path in notebooks:
            lang, builders = notebook_networks(path)
            set_language(lang)  # the kernel's Accept-Language: the pictures are drawn in it
            for name, builder in builders.items():
                verdict = remote_verdict(trainable_model(builder), DEFAULT_SEEDS, address, token,
                                         say_line=lambda line: None)
                asked += 1
                # "Verdict: reliable" / "Oordeel: betrouwbaar": the first sentence of the notebook's own words
                word = say(f"verdict.{verdict.verdict}", before, seeds=len(verdict.seeds), seconds=0).split(".")[0]
                say_line(say("gateway.fill.line", before, notebook=Path(path).name, network=name, verdict=word,
                             reused=verdict.reused, seeds=len(verdict.seeds), seconds=round(verdict.seconds)))
    finally:
        set_language(before)
    return asked
