"""The job table (jobs.py): queued, each attempt with its worker, the outcome; in SQLite, read back by
another process's object (as a worker's would be)."""

import pickle
import threading

from smiley_grader.classgrading.jobs import JobTable, jobs_url, new_run_id


def test_a_run_s_students_are_queued_counted_per_attempt_and_finished(tmp_path):
    url = jobs_url(tmp_path, "sqlite:////somewhere/gradebook.db?timeout=120")
    assert url == f"sqlite:///{tmp_path.resolve()}/classgrading/jobs.db"
    table, run = JobTable(url), new_run_id()
    table.add(run, "layers", ["ada", "kim"])
    assert [(j.student, j.state, j.attempts) for j in table.jobs(run)] == [("ada", "queued", 0), ("kim", "queued", 0)]

    on_worker = pickle.loads(pickle.dumps(table))  # what a Dask worker gets: the URL, a table of its own
    assert on_worker.started(run, "layers", "ada", "tls://127.0.0.1:4001") == 1
    # Its worker died: the scheduler gives the task to another, which counts attempt 2.
    assert on_worker.started(run, "layers", "ada", "tls://127.0.0.1:4002") == 2
    table.finished(run, "layers", "ada", "graded")
    table.finished(run, "layers", "kim", "failed", "the kernel died")
    ada, kim = table.jobs(run)
    assert (ada.state, ada.attempts, ada.workers) == ("graded", 2, "tls://127.0.0.1:4001,tls://127.0.0.1:4002")
    assert ada.finished >= ada.started >= ada.queued
    assert (kim.state, kim.attempts, kim.note) == ("failed", 0, "the kernel died")

    # A second run keeps the first's rows apart.
    later = new_run_id()
    table.add(later, "layers", ["ada"])
    assert [j.state for j in table.jobs(later)] == ["queued"] and len(table.jobs()) == 3


def test_workers_writing_at_once_lose_no_attempt(tmp_path):
    url = jobs_url(tmp_path, "sqlite:///gradebook.db")
    run = new_run_id()
    students = [f"s{i}" for i in range(8)]
    JobTable(url).add(run, "layers", students)

    def worker(name):
        mine = JobTable(url)
        for student in students:
            mine.started(run, "layers", student, name)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [j.attempts for j in JobTable(url).jobs(run)] == [4] * 8


def test_a_gradebook_on_a_server_holds_the_job_table_too(tmp_path):
    assert jobs_url(tmp_path, "postgresql://teacher@db/smileys") == "postgresql://teacher@db/smileys"


def test_a_finished_result_lost_with_its_worker_is_not_graded_again(tmp_path, monkeypatch):
    """A result waits on its worker until the teacher's process fetches it; when that worker dies first,
    Dask runs the task again. The new attempt returns what the first one wrote (seen in the worker-death
    test: kim, finished on a worker that a classmate's notebook stopped a moment later, was graded twice)."""
    from smiley_grader.classgrading import task

    table, run = JobTable(jobs_url(tmp_path, "sqlite:///x")), new_run_id()
    table.add(run, "layers", ["kim"])
    graded = []

    def grade_student(student, *args, **kwargs):
        graded.append(student)
        return task.StudentResult(student, "graded", seconds=9.5)

    monkeypatch.setattr(task, "grade_student", grade_student)
    first = task.grade_task("kim", "layers", tmp_path, "sqlite:///x", language="en", env={}, jobs=table, run=run)
    assert table.result(run, "layers", "kim") == first.to_json()
    again = task.grade_task("kim", "layers", tmp_path, "sqlite:///x", language="en", env={}, jobs=table, run=run)
    assert again == first and graded == ["kim"]
    assert table.jobs(run)[0].attempts == 1
