"""Grading the two nbgrader assignments (`layers`, `break_the_model`).

Who calls what:

- `public`       the checks a student runs in a test cell (lesson examples only);
- `hidden`       what the hidden test cells call: short, one call per task;
- `notebook`     helpers for the notebooks' own cells (train once, show a verdict);
- `tasks`        every graded task: how an answer is turned into a record, and how a
                 record is judged (the hidden inputs and the teacher's answers live here);
- `judge`        judges records in a clean process, outside the student's kernel;
- `nbgrader_plugin`  the autograde preprocessor that runs the kernel with limits and
                 has every graded record judged again outside it;
- `course`, `demo_cycle`  a whole teacher-student-grade cycle with nbgrader's commands.

Importing this package is cheap: nothing here imports TensorFlow at import time.
"""
