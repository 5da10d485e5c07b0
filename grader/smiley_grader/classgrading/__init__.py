"""Grading a whole class: nbgrader's autograde for every collected student, one Dask task each.

One job per module:

    students.py  who was collected, who is graded already
    database.py  the gradebook's URL (SQLite waits for a busy writer) and reading grades
    worker.py    one `nbgrader autograde ASSIGNMENT --student ID` subprocess: time, memory, reason
    notes.py     what went wrong inside a graded notebook (kernel died, cell timeout, memory)
    task.py      what a Dask worker runs for one student (worker.py, in the teacher's language)
    cluster.py   the Dask cluster: a LocalCluster of N workers, or the teacher's scheduler
    progress.py  a line per finished student: done, running, failed, time left
    state.py     the state file: who is graded already, so a rerun skips them
    pool.py      the class run: a task per student, results as they come (as_completed)
    report.py    the class report: one self-contained HTML file
    one_line.py  one line of a smallest break's change, verdict or diagnosis for the report
    run.py       the whole job: autograde all, generate_feedback, export CSV, report
    example.py   the example class as a collected course (tests, benchmarks)

Command line: `smiley-checks grade ASSIGNMENT [--workers N | --scheduler ADDRESS] [--course DIR]`.
"""
