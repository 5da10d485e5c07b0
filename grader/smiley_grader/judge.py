"""Judge records outside the student's kernel, in a fresh, isolated Python process.

    python -I -S -c <isolation.BOOTSTRAP> <setup>  < records.json  > outcomes.jsonl

The autograder (nbgrader_plugin) collects the records the hidden tests left in a
notebook and calls `judge_outside`. The child process imports only trusted code and
reads only data (results, Keras configs rebuilt in Keras' safe mode), so nothing the
student's notebook did can change its verdict. It prints one JSON line per record as
soon as that record is judged; a record that takes too long, or a child that runs out
of memory, fails only that task, and the remaining records get a new child.
Under `smiley-checks grade` stdin also carries the class run's verdict cache
(training/verdict_cache.py): only judges hold its secret, so only they can use it.
stdin also carries the course's hidden inputs of the layers tasks (hidden_inputs.py).
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time

from smiley_checks.messages import say
from smiley_checks.tasks.records import Outcome, failed


def trains(grade_id: str) -> bool:
    from smiley_checks.tasks import TASKS

    task = TASKS.get(grade_id)
    return bool(task and task.trains)


def judge_one(name: str, record: dict, cache=None, describe_only: bool = False, inputs: str | None = None) -> Outcome:
    """`describe_only`: the kernel failed this cell already; only say what the network changed (no training).
    `inputs`: the course's hidden inputs (a literal, hidden_checks.hidden_inputs_literal)."""
    from smiley_grader.hidden_checks import judge
    from smiley_grader.keras_defaults import reset

    try:
        reset()  # nothing an earlier record did to Keras's settings reaches this one
        return judge(name, record, train=not describe_only, cache=cache, inputs=inputs)
    except MemoryError:
        return failed(say("assign.judge_memory"))
    except Exception as error:  # a record we cannot read is not a pass
        from smiley_checks.tasks.records import one_line

        return failed(say("assign.judge_crashed", error=one_line(error)))


def main() -> int:
    from smiley_grader.limits import limit_memory
    from smiley_checks.training.verdict_cache import VerdictCache

    limit_memory()
    payload = json.load(sys.stdin)
    cache = VerdictCache.from_handover(payload.get("cache")) if payload.get("cache") else None
    for index, (name, record, *describe_only) in enumerate(payload["items"]):
        outcome = judge_one(name, record, cache, describe_only=bool(describe_only and describe_only[0]),
                            inputs=payload.get("hidden_inputs"))
        print(json.dumps({"index": index, **outcome.to_json()}), flush=True)
    return 0


def judge_outside(items: list[tuple], timeout: float | None = None, python: str | None = None,
                  log=None, cache=None, inputs: str | None = None) -> list[Outcome]:
    """Judge (task name, record[, describe_only]) items in child processes; one Outcome per item, in order.

    `inputs`: the course's hidden inputs (hidden_checks.hidden_inputs_literal), which the layers
    tasks' records are judged on; handed over on stdin, like the cache, never on a command line.

    `timeout` is per record (default: limits.training_timeout() for records that
    train, limits.LAYERS_CELL_TIMEOUT for the others).
    """
    import tempfile

    from smiley_grader.isolation import judge_command
    from smiley_grader.limits import LAYERS_CELL_TIMEOUT, training_timeout

    command = judge_command(python)
    outcomes: list[Outcome | None] = [None] * len(items)
    pending = list(range(len(items)))
    while pending:
        payload = json.dumps({"items": [list(items[i]) for i in pending],
                              "cache": cache.handover() if cache is not None else None,
                              "hidden_inputs": inputs}).encode()
        workdir = tempfile.TemporaryDirectory(prefix="smiley-judge-")  # nothing planted there
        child = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=workdir.name,
            env=dict(os.environ),
        )
        try:
            child.stdin.write(payload)
            child.stdin.close()
        except BrokenPipeError:  # the child stopped before reading (its files were changed): read why
            pass
        selector = selectors.DefaultSelector()
        selector.register(child.stdout, selectors.EVENT_READ)
        buffer = b""
        done_here = 0
        while done_here < len(pending):
            slow = trains(items[pending[done_here]][0])
            deadline = time.monotonic() + (timeout or (training_timeout() if slow else LAYERS_CELL_TIMEOUT + 30))
            line = None
            while line is None:
                if b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    break
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(timeout=left):
                    break
                chunk = os.read(child.stdout.fileno(), 65536)
                if not chunk:  # the child died (e.g. out of memory)
                    break
                buffer += chunk
            if line is None:
                break
            result = json.loads(line)
            if result.get("tampered"):  # our own files changed since the run began: judge nothing
                message = say("assign.judge_tampered")
                if log:
                    log(f"judging stopped: {message}")
                for index in pending[done_here:]:
                    outcomes[index] = failed(message)
                done_here = len(pending)
                break
            outcomes[pending[done_here]] = Outcome.from_json(result)
            done_here += 1
        if done_here < len(pending):
            stuck = pending[done_here]
            if child.poll() is None:
                child.kill()
                message = say("assign.judge_timeout")
            else:
                message = say("assign.judge_memory")
            if log:
                log(f"judging {items[stuck][0]} failed: {message}")
            outcomes[stuck] = failed(message)
            done_here += 1
        child.wait()
        selector.close()
        child.stdout.close()
        workdir.cleanup()
        pending = pending[done_here:]
    return [outcome for outcome in outcomes]  # type: ignore[misc]


if __name__ == "__main__":
    sys.exit(main())
