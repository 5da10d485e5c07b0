"""The grader's half of the smiley lesson: installed only where grading runs.

What a student must not read lives here and nowhere else: how the `layers` tasks'
hidden inputs are drawn from a course's secret (the secret itself stays in the course
folder) and their reference answers, the answer key of the written set answer,
the judge that decides every hidden test outside the student's kernel, the nbgrader
plugin and whole-class grading. The student package (`smiley_checks`) never imports
this package; the release notebooks never name it.
"""
