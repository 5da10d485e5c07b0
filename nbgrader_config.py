# nbgrader settings for the smiley lesson's two assignments, in English and Dutch: `layers` / `lagen`
# and `break_the_model` / `breek_het_model` (one template each: templates/, tools/make_notebooks.py).
# GradingExecute writes its own lines in the notebook's language (from the assignment's name).
# `smiley-checks course init FOLDER` copies this file and source/ into a teacher's course folder.
# Run nbgrader's commands from that folder: source/ holds the teacher's notebooks, release/ what
# students get. See the README ("What you do as a teacher") and docs/grading.md.
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, GetGrades, IgnorePattern, LimitOutput,
                                    SaveAutoGrades)

from smiley_checks.language_stubs import generate_assignment_preprocessors
from smiley_grader.feedback_cells import HideHiddenTests
from smiley_grader.limits import cell_timeout
from smiley_grader.nbgrader_plugin import GradingExecute
from smiley_grader.safe_html import SanitiseStudentHTML

c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = "smileys"

# Hidden tests and solutions: the markers in source/*.ipynb.
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
# A released network builder keeps the copy of the original for the student to edit:
# only the teacher's solution lines are replaced, by a comment (no NotImplementedError),
# in the notebook's own language: "# JOUW CODE HIER" in lagen and breek_het_model.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
c.GenerateAssignment.preprocessors = generate_assignment_preprocessors()

# Cell timeout: long enough for one 5-seed verdict with the calibrated grading protocol
# (computed from smiley_checks.training.protocol.GRADING); `layers`/`lagen` train nothing and
# gets a short timeout (GradingExecute.assignment_timeouts).
c.Execute.timeout = cell_timeout()
c.Execute.interrupt_on_timeout = True

# Autograding runs the kernel with a memory limit, survives a dying kernel, keeps at most
# GradingExecute.cell_output_limit / notebook_output_limit characters of what a kernel prints, and
# judges every hidden test's answer again outside the kernel: a test cell's outputs become the
# judge's outcome, so nothing a kernel prints can give points (grader/smiley_grader/nbgrader_plugin.py).
# SanitiseStudentHTML, the last step that changes outputs: autograded/ (what the formgrader and the
# feedback show) holds no script, no event handler, no iframe (grader/smiley_grader/safe_html.py).
c.Autograde.autograde_preprocessors = [
    GradingExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SanitiseStudentHTML,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Each kernel runs in a bubblewrap sandbox (docs/sandbox.md): only a copy of its own student's
# folder, no network, limits on processes, file size, disk, memory (all its processes together) and
# time per notebook (every assignment, by its kind). Where it cannot start, nothing is graded (one
# line says why): set "off" only on purpose, for code you trust.
c.KernelSandbox.mode = "on"
# Other limits, for example:
# c.KernelSandbox.processes = 1024      # a server with 64 or more cores
# c.KernelSandbox.memory_total = 4 * 1024**3      # RAM for one kernel's processes together
# c.KernelSandbox.notebook_timeouts = {"layers": 600, "break_the_model": 1800}   # lagen, breek_het_model too

# nbgrader gives 0 to a test cell that writes anything to stderr. smiley_checks silences
# TensorFlow when it is imported, and the hidden tests silence warnings around student
# code; this drops what may still get through: TensorFlow/absl log lines and Python warnings.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = (
    r"(?m)^(WARNING: All log messages before absl::InitializeLog"
    r"|[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\]"
    r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] "
    r"|\S+:\d+: \w*Warning: )"
)

# Feedback shows each test cell's visible part and its result, not the hidden tests
# (nbgrader #917): nbgrader 0.9.6's own feedback preprocessors, then ours. Sanitising again here
# covers a notebook autograded before SanitiseStudentHTML existed.
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, HideHiddenTests, SanitiseStudentHTML]

# On a hub (every student an OS user), a file one student handed in under another's name is not
# collected; nbgrader's own collect only warns (grader/smiley_grader/owner_checked_collect.py).
c.ExchangeFactory.collect = "smiley_grader.owner_checked_collect.OwnerCheckedCollect"

# A student who deletes a test cell gets it back (and graded) instead of skipping it.
c.OverwriteCells.add_missing_cells = True
