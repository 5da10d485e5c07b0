"""The class report: one HTML file that opens in a browser without a server.

Plots (matplotlib, embedded as base64 PNG): the distribution of total scores, the pass
rate of every task, the grading time of every student. Tables: every student's total,
status and notes; for `break_the_model`, the smallest breaks the class found, grouped
by what the student changed in the original network. The judge writes that change
(inspection/change_summary.py) and what it said into the autograded `smallest_break` cell's
metadata (nbgrader_plugin.remember), and later a diagnosis of why the network broke; the
table shows each in one line (one_line.py). A cell without a change (nothing handed in, a
network the judge could not rebuild, or, in a course whose smallest_break cell still checks
before it hands in, a network that check stopped) is grouped by what the autograder said instead.
A second table groups the same trained networks by the doctor's diagnosis (the one most of a
network's tries got), each with the changes that led to it.
"""

from __future__ import annotations

import base64
import html
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from smiley_grader.classgrading.database import CellGrade
from smiley_grader.classgrading.notes import note_text
from smiley_grader.classgrading.one_line import change_line, cut, first_line, said_line
from smiley_grader.classgrading.worker import StudentResult

SMALLEST_BREAK = "smallest_break"


@dataclass
class ClassData:
    assignment: str
    grades: list[CellGrade]
    results: dict[str, StudentResult]
    breaks: list["BreakGroup"]
    by_diagnosis: list["DiagnosisGroup"] = field(default_factory=list)

    @property
    def students(self) -> list[str]:
        return sorted({g.student for g in self.grades} | set(self.results))

    def totals(self) -> dict[str, tuple[float, float]]:
        out: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for g in self.grades:
            out[g.student][0] += g.score
            out[g.student][1] += g.max_score
        return {s: (v[0], v[1]) for s, v in out.items()}

    def tasks(self) -> list[str]:
        seen: list[str] = []
        for g in self.grades:
            if g.task not in seen:
                seen.append(g.task)
        return seen

    def pass_rates(self) -> dict[str, float | None]:
        """Share of students with full points per task; None for tasks waiting for the teacher."""
        rates = {}
        for task in self.tasks():
            cells = [g for g in self.grades if g.task == task]
            auto = [g for g in cells if not g.needs_manual_grade]
            rates[task] = (sum(g.score >= g.max_score for g in auto) / len(auto)) if auto else None
        return rates


@dataclass
class BreakGroup:
    change: str  # what these students changed, in one line; "-" when the grader never saw the network
    students: list[str]
    outcomes: list[str]  # what the autograder said, one line each, each different line once
    diagnoses: list[str] = field(default_factory=list)  # why the network broke, one line each (none yet: empty)


@dataclass
class DiagnosisGroup:
    code: str  # the doctor's main diagnosis (diagnosis/rules.ORDER), or "none": trained, nothing found
    students: list[str]
    changes: list[str]  # what these students changed, one line each, each different line once ("-": unknown)


def said_in_outputs(cell) -> str:
    """What the grader said, read from the outputs of a cell autograded before the grader kept it
    in the metadata: the error, else the first output that is not the model answer."""
    from smiley_checks.messages import catalogue

    from smiley_grader.model_answers import MARK

    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return str(output.get("evalue", ""))
    labels = [f"{text}: " for text in catalogue().get("assign.label.grader", {}).values()]  # "Grader: ..."
    for output in cell.get("outputs", []):
        text = first_line(output.get("data", {}).get("text/plain", ""))
        if text and not output.get("metadata", {}).get(MARK) and not text.startswith("<"):
            return next((text[len(label):] for label in labels if text.startswith(label)), text)
    return ""


def about_break(cell) -> tuple[str, str, str]:
    """(change, said, diagnosis) of one autograded smallest_break cell, each in one line, "" when unknown."""
    about = cell.metadata.get("smiley_checks", {})  # written by the grader (nbgrader_plugin.remember)
    said = about.get("said") or said_in_outputs(cell)
    changes = about.get("changes") or ""
    return change_line(changes), said_line(said, change=changes), cut(first_line(about.get("diagnosis")))


def break_cells(course_root: Path, assignment: str, students):
    """(student, cell) of every autograded smallest_break cell."""
    import nbformat

    from smiley_grader.classgrading.students import autograded_notebooks

    for student in students:
        for path in autograded_notebooks(course_root, student, assignment):
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == SMALLEST_BREAK and cell.cell_type == "code":
                    yield student, cell


def smallest_breaks(course_root: Path, assignment: str, students, cells=None) -> list[BreakGroup]:
    """The students' smallest breaks grouped by what they changed; the biggest group first. `cells`: the
    (student, cell) pairs of break_cells, when the caller read them already."""
    groups: dict[tuple[str, str], BreakGroup] = {}
    for student, cell in cells if cells is not None else break_cells(course_root, assignment, students):
        change, said, diagnosis = about_break(cell)
        said = said or "-"
        key = ("change", change) if change else ("said", said)
        group = groups.setdefault(key, BreakGroup(change or "-", [], []))
        group.students.append(student)
        if said not in group.outcomes:
            group.outcomes.append(said)
        if diagnosis and diagnosis not in group.diagnoses:
            group.diagnoses.append(diagnosis)
    return sorted(groups.values(), key=lambda g: (-len(g.students), g.change, g.outcomes))


def breaks_by_diagnosis(course_root: Path, assignment: str, students, cells=None) -> list[DiagnosisGroup]:
    """The smallest breaks the grader trained, grouped by the doctor's main diagnosis; the biggest group
    first. A network that was not trained (no diagnosis line) is not in it: the first table has it."""
    from smiley_checks.training.diagnosis.rules import ORDER

    groups: dict[str, DiagnosisGroup] = {}
    for student, cell in cells if cells is not None else break_cells(course_root, assignment, students):
        about = cell.metadata.get("smiley_checks", {})
        if not about.get("diagnosis"):
            continue
        code = about.get("main_diagnosis") if about.get("main_diagnosis") in ORDER else "none"
        group = groups.setdefault(code, DiagnosisGroup(code, [], []))
        group.students.append(student)
        change = change_line(about.get("changes") or "") or "-"
        if change not in group.changes:
            group.changes.append(change)
    order = {code: i for i, code in enumerate((*ORDER, "none"))}
    return sorted(groups.values(), key=lambda g: (-len(g.students), order[g.code]))


def collect(course_root: Path, assignment: str, url: str, results: dict[str, StudentResult]) -> ClassData:
    from smiley_grader.classgrading.database import grades

    found = grades(url, assignment)
    students = sorted({g.student for g in found} | set(results))
    cells = list(break_cells(course_root, assignment, students))  # each notebook read once, for both tables
    return ClassData(assignment, found, results, smallest_breaks(course_root, assignment, students, cells),
                     breaks_by_diagnosis(course_root, assignment, students, cells))


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def figures(data: ClassData):
    """Three matplotlib figures: scores, pass rates, grading time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from smiley_checks.messages import say

    totals = data.totals()
    out = {}
    fig, ax = plt.subplots(figsize=(5, 3))
    values = [score for score, _ in totals.values()]
    most = max((m for _, m in totals.values()), default=1) or 1
    ax.hist(values, bins=[x - 0.5 for x in range(int(most) + 2)], color="#4c72b0", edgecolor="white")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(say("grade.report.points", most=f"{most:g}"))
    ax.set_ylabel(say("grade.report.students"))
    ax.set_title(say("grade.report.scores"))
    out["scores"] = fig
    fig, ax = plt.subplots(figsize=(5, 3))
    rates = data.pass_rates()
    names = list(rates)
    ax.barh(names, [100 * (rates[n] or 0) for n in names], color=["#55a868" if rates[n] is not None else "#bbbbbb" for n in names])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(say("grade.report.pass_percent"))
    ax.set_title(say("grade.report.pass_rate"))
    out["pass_rate"] = fig
    students = sorted(data.results)
    # One row per student, so the names stay readable for a whole class (30 and more).
    fig, ax = plt.subplots(figsize=(5, max(3.0, 0.5 + 0.2 * len(students))))
    seconds = [data.results[s].seconds for s in students]
    colors = ["#c44e52" if data.results[s].status == "failed" else ("#dd8452" if data.results[s].notes else "#4c72b0")
              for s in students]
    ax.barh(students, seconds, color=colors)
    ax.invert_yaxis()
    ax.set_xlabel(say("grade.report.seconds"))
    ax.set_title(say("grade.report.time"))
    ax.tick_params(axis="y", labelsize=8)
    out["time"] = fig
    return out


def render(data: ClassData) -> str:
    import matplotlib.pyplot as plt

    from smiley_checks.messages import say

    esc = html.escape
    images = {}
    for name, fig in figures(data).items():
        images[name] = _png(fig)
        plt.close(fig)
    totals = data.totals()
    rows = []
    for student in data.students:
        score, most = totals.get(student, (0.0, 0.0))
        result = data.results.get(student)
        status = result.status if result else "-"
        why = "; ".join(([result.reason] if result and result.reason else []) +
                        [note_text(n) for n in (result.notes if result else [])])
        rows.append(f"<tr class='{esc(status)}'><td>{esc(student)}</td><td>{score:g} / {most:g}</td>"
                    f"<td>{esc(say('grade.status.' + status) if status != '-' else '-')}</td><td>{esc(why)}</td>"
                    f"<td>{(result.seconds if result else 0):.1f}</td><td>{(result.peak_mb if result else 0):.0f}</td></tr>")
    if SMALLEST_BREAK in data.tasks() or data.breaks:
        lines = lambda texts: "".join(f"<div>{esc(text)}</div>" for text in texts or ["-"])  # noqa: E731
        items = "".join(f"<tr><td>{len(g.students)}</td><td>{esc(', '.join(sorted(g.students)))}</td>"
                        f"<td class='change'>{lines([g.change])}</td><td class='said'>{lines(g.outcomes)}</td>"
                        f"<td class='diagnosis'>{lines(g.diagnoses)}</td></tr>"
                        for g in data.breaks)
        breaks = (f"<h2>{esc(say('grade.report.breaks'))}</h2><p>{esc(say('grade.report.breaks_how'))}</p>"
                  f"<table class='breaks'><tr><th>#</th><th>{esc(say('grade.report.students'))}</th>"
                  f"<th>{esc(say('grade.report.change'))}</th><th>{esc(say('grade.report.outcome'))}</th>"
                  f"<th>{esc(say('grade.report.diagnosis'))}</th></tr>{items}</table>")
        breaks += by_diagnosis_table(data.by_diagnosis)
    else:
        breaks = f"<h2>{esc(say('grade.report.breaks'))}</h2><p>{esc(say('grade.report.no_breaks'))}</p>"
    graded = sum(1 for r in data.results.values() if r.status != "failed")
    failed = [s for s, r in sorted(data.results.items()) if r.status == "failed"]
    if failed:
        summary = say("grade.report.summary", graded=graded, total=len(data.results), failed=", ".join(failed))
    else:
        summary = say("grade.report.summary_all", total=len(data.results))
    title = say("grade.report.title", assignment=data.assignment)
    img = lambda name: f"<img alt='{esc(name)}' src='data:image/png;base64,{images[name]}'>"  # noqa: E731
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 70em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
tr.failed td {{ background: #fde2e2; }}
.plots img {{ margin: 0 1em 1em 0; }}
</style></head><body>
<h1>{esc(title)}</h1>
<p>{esc(summary)}</p>
<div class="plots">{img('scores')}{img('pass_rate')}{img('time')}</div>
<h2>{esc(say('grade.report.per_student'))}</h2>
<table><tr><th>{esc(say('grade.report.student'))}</th><th>{esc(say('grade.report.total'))}</th>
<th>{esc(say('grade.report.status'))}</th><th>{esc(say('grade.report.why'))}</th>
<th>{esc(say('grade.report.seconds'))}</th><th>{esc(say('grade.report.peak_mb'))}</th></tr>
{''.join(rows)}</table>
{breaks}
</body></html>
"""


def by_diagnosis_table(groups: list[DiagnosisGroup]) -> str:
    """The second table of the breaks: one row per diagnosis, with who got it and what they changed."""
    from smiley_checks.messages import say
    from smiley_checks.training.diagnosis.words import short

    if not groups:
        return ""
    esc = html.escape
    lines = lambda texts: "".join(f"<div>{esc(text)}</div>" for text in texts or ["-"])  # noqa: E731
    rows = "".join(f"<tr><td class='diagnosis'>{esc(short(None if g.code == 'none' else g.code))}</td>"
                   f"<td>{len(g.students)}</td><td>{esc(', '.join(sorted(g.students)))}</td>"
                   f"<td class='change'>{lines(g.changes)}</td></tr>" for g in groups)
    return (f"<h2>{esc(say('grade.report.by_diagnosis'))}</h2><p>{esc(say('grade.report.by_diagnosis_how'))}</p>"
            f"<table class='doctor'><tr><th>{esc(say('grade.report.diagnosis'))}</th><th>#</th>"
            f"<th>{esc(say('grade.report.students'))}</th><th>{esc(say('grade.report.change'))}</th></tr>{rows}</table>")


def write_report(data: ClassData, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data), encoding="utf-8")
    return path
