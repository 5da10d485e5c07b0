"""The job table: every student of a class run, its state, its attempts and the worker of each.

A Dask task can run more than once: when its worker dies, the scheduler gives it to another
(cluster.py allows WORKER_DEATHS of them). The table says what happened, and outlives the
teacher's process:
- the teacher's process adds a row per student when it submits the task (queued) and writes the
  outcome (graded or failed, with the reason) when the result comes back;
- a worker counts an attempt when it starts the student (running, its address): a retry after a
  worker died shows as attempt 2, on another worker;
- the worker writes the student's result before it hands it to Dask. A finished result lives on its
  worker until the teacher's process fetches it; if that worker dies first, Dask runs the task again,
  and the new attempt returns the written result instead of grading the student a second time.

It lives in the gradebook's database when that is a server (PostgreSQL: workers on other machines
reach it already), else in <course>/classgrading/jobs.db (SQLite, one machine). The table object
travels to the workers as its URL only.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

TABLE = "smiley_grading_jobs"  # beside nbgrader's tables when it shares the gradebook's database
BUSY_SECONDS = 60  # SQLite: a writer waits this long for another (each write is one short transaction)


def jobs_url(course_root: Path, gradebook_url: str) -> str:
    if not gradebook_url.startswith("sqlite"):
        return gradebook_url
    return f"sqlite:///{Path(course_root).resolve() / 'classgrading' / 'jobs.db'}"


def new_run_id() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S") + "-" + uuid.uuid4().hex[:6]


@dataclass(frozen=True)
class Job:
    run: str
    assignment: str
    student: str
    state: str  # queued, running, graded, failed
    attempts: int
    workers: str  # the address of each attempt's worker, comma-separated, in order
    queued: float
    started: float | None
    finished: float | None
    note: str
    result: str | None  # the worker's StudentResult as JSON, once it finished


class JobTable:
    def __init__(self, url: str):
        self.url = url
        self._engine = None
        self._table = None

    def __getstate__(self):  # to a worker: the URL, not a connection
        return {"url": self.url}

    def __setstate__(self, state):
        self.__init__(state["url"])

    def _setup(self):
        if self._engine is None:
            from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine

            if self.url.startswith("sqlite:///"):
                Path(self.url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(self.url, connect_args={"timeout": BUSY_SECONDS} if self.url.startswith("sqlite")
                                   else {})
            metadata = MetaData()
            self._table = Table(TABLE, metadata,
                                Column("run", String(64), primary_key=True),
                                Column("assignment", String(128), primary_key=True),
                                Column("student", String(128), primary_key=True),
                                Column("state", String(16), nullable=False),
                                Column("attempts", Integer, nullable=False, default=0),
                                Column("workers", Text, nullable=False, default=""),
                                Column("queued", Float, nullable=False),
                                Column("started", Float),
                                Column("finished", Float),
                                Column("note", Text, nullable=False, default=""),
                                Column("result", Text))
            metadata.create_all(engine)
            self._engine = engine
        return self._engine, self._table

    def add(self, run: str, assignment: str, students: list[str]) -> None:
        engine, table = self._setup()
        now = time.time()
        with engine.begin() as db:
            db.execute(table.insert(), [dict(run=run, assignment=assignment, student=s, state="queued", attempts=0,
                                             workers="", queued=now, note="") for s in students])

    def started(self, run: str, assignment: str, student: str, worker: str) -> int:
        """Count an attempt on `worker`; its number (2 and up: a worker before this one died)."""
        from sqlalchemy import case

        engine, table = self._setup()
        where = (table.c.run == run) & (table.c.assignment == assignment) & (table.c.student == student)
        worker = worker or "?"
        with engine.begin() as db:
            # Counted by the database in one statement: two workers starting at once (a read, then a
            # write) would both have counted attempt 1.
            db.execute(table.update().where(where).values(
                state="running", attempts=table.c.attempts + 1, started=time.time(),
                workers=case((table.c.workers == "", worker), else_=table.c.workers + "," + worker)))
            return db.execute(table.select().where(where)).one().attempts

    def done(self, run: str, assignment: str, student: str, result: dict) -> None:
        """The worker's result, written before Dask has it (see above)."""
        engine, table = self._setup()
        where = (table.c.run == run) & (table.c.assignment == assignment) & (table.c.student == student)
        with engine.begin() as db:
            db.execute(table.update().where(where).values(result=json.dumps(result)))

    def result(self, run: str, assignment: str, student: str) -> dict | None:
        """What an earlier attempt finished with, or None."""
        engine, table = self._setup()
        where = (table.c.run == run) & (table.c.assignment == assignment) & (table.c.student == student)
        with engine.connect() as db:
            text = db.execute(table.select().where(where)).one().result
        return json.loads(text) if text else None

    def finished(self, run: str, assignment: str, student: str, state: str, note: str = "") -> None:
        engine, table = self._setup()
        where = (table.c.run == run) & (table.c.assignment == assignment) & (table.c.student == student)
        with engine.begin() as db:
            db.execute(table.update().where(where).values(state=state, finished=time.time(), note=note[:1000]))

    def jobs(self, run: str | None = None) -> list[Job]:
        engine, table = self._setup()
        query = table.select().order_by(table.c.queued, table.c.student)
        if run is not None:
            query = query.where(table.c.run == run)
        with engine.connect() as db:
            return [Job(**row._asdict()) for row in db.execute(query)]
