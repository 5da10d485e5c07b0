"""Grading a whole class: nbgrader's autograde for every collected student, N at a time.

One job per module:

    students.py  who was collected, who is graded already
    database.py  the gradebook's URL (SQLite waits for a busy writer) and reading grades
    worker.py    one `nbgrader autograde ASSIGNMENT --student ID` subprocess: time, memory, reason
    notes.py     what went wrong inside a graded notebook (kernel died, cell timeout, memory)
    progress.py  the progress line: done, running, failed, time left
    pool.py      N workers at a time, the state file, skip what is graded already
    report.py    the class report: one self-contained HTML file
    one_line.py  one line of a smallest break's change, verdict or diagnosis for the report
    run.py       the whole job: autograde all, generate_feedback, export CSV, report
    example.py   the example class as a collected course (tests, benchmarks)

Command line: `smiley-checks grade ASSIGNMENT [--workers N] [--course DIR]`.
"""
