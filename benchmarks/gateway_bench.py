"""A class of 30 asks the training gateway for its verdicts at the same moment (issue 23's load test, part one).

The gateway runs as on a school server: `smiley-checks gateway --workers 2` in a process of its own,
with a LocalCluster of 2 workers. 30 students each send, one after the other, the networks that
break_the_model calls show_verdict on (built once from the source notebook's own build_ functions),
in the notebook's order, with their own tokens, and wait for each answer as show_verdict does
(remote_verdict, polling every second). All 30 start at once: the worst moment of a lesson.

What is not simulated: the students' kernels. Each student here is a thread that sends a config
it was given; a real kernel today still imports TensorFlow to build its network (610 MB), so the
kernels' memory is not in these figures (docs/hub.md). Measured: the peak memory of the gateway
and its workers together (psutil, every 0.5 s), the wait per training cell (median and 95th
percentile; cells answered from the cache apart), the time until all 30 are done, and then the wait
of a latecomer whose every network the class trained already (the goal: under 2 s a cell).

Next to it, in the same run: one kernel that trains the same networks itself (show_verdict without
a gateway), its time and peak memory. For 30 such kernels on this machine the figures are an
estimate from that one kernel: 30 times its memory, and 30 times its training time shared by the
cores (CPU-bound training, so no better than that).
Command line: python -m benchmarks.gateway_bench [--students 30]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

NOTEBOOK = Path("source/break_the_model/break_the_model.ipynb")
WORKERS = 2
CACHE_GOAL_SECONDS = 2.0


class Config:
    """What remote_verdict needs of a network: its Keras config."""

    def __init__(self, text: str):
        self.text = text

    def to_json(self) -> str:
        return self.text


def notebook_configs() -> dict[str, str]:
    from smiley_grader.gateway.fill import notebook_networks
    from smiley_checks.training.submission_model import trainable_model

    _, builders = notebook_networks(NOTEBOOK)
    return {name: trainable_model(builder).to_json() for name, builder in builders.items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    except psutil.Error:
        return 0


def start_gateway(scratch: Path, students: int) -> tuple[subprocess.Popen, str, dict]:
    tokens = {f"token-{i:02d}": f"student{i:02d}" for i in range(students)}
    (scratch / "tokens.json").write_text(json.dumps(tokens))
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "SMILEY_TRAINING_"))}
    process = subprocess.Popen([sys.executable, "-m", "smiley_checks", "gateway", "--port", str(port),
                                "--workers", str(WORKERS), "--state", str(scratch / "state"),
                                "--tokens", str(scratch / "tokens.json")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environ)
    first = process.stdout.readline()  # "The training gateway listens on ..."
    if str(port) not in first:
        raise SystemExit(f"the gateway did not start: {first.strip()} {process.stdout.read()[:2000]}")
    return process, f"http://127.0.0.1:{port}/", tokens


def one_student(address: str, token: str, configs: dict[str, str], waits: list, reused: list) -> None:
    from smiley_checks.training.reliability import DEFAULT_SEEDS
    from smiley_checks.training.remote import remote_verdict

    for name, text in configs.items():
        started = time.perf_counter()
        verdict = remote_verdict(Config(text), DEFAULT_SEEDS, address, token, say_line=lambda line: None)
        waits.append((name, time.perf_counter() - started))
        reused.append(verdict.reused == len(verdict.seeds))


def class_on_the_gateway(students: int, configs: dict[str, str]) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        process, address, tokens = start_gateway(Path(folder), students)
        peak, done = [0], threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(process.pid))
                time.sleep(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        waits, reused = [], []
        started = time.perf_counter()
        threads = [threading.Thread(target=one_student, args=(address, token, configs, waits, reused))
                   for token in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        total = time.perf_counter() - started
        # A latecomer: every network of hers was trained by the class already (the goal: under 2 s a cell).
        late_waits, late_reused = [], []
        one_student(address, next(iter(tokens)), configs, late_waits, late_reused)
        done.set()
        sampler.join()
        process.terminate()
        process.wait(30)
    trained = [seconds for (_, seconds), hit in zip(waits, reused) if not hit]
    cached = [seconds for (_, seconds), hit in zip(waits, reused) if hit]
    return {"students": students, "cells": len(waits), "total_seconds": round(total, 1),
            "peak_gateway_and_workers_mb": round(peak[0] / 2**20),
            "trained_cells": len(trained), "cached_cells": len(cached),
            "wait_median_s": round(statistics.median(s for _, s in waits), 1),
            "wait_p95_s": round(statistics.quantiles([s for _, s in waits], n=20)[-1], 1),
            "cached_median_s": round(statistics.median(cached), 1) if cached else None,
            "cached_under_goal": sum(1 for s in cached if s < CACHE_GOAL_SECONDS),
            "latecomer_cells_from_cache": sum(late_reused),
            "latecomer_longest_s": round(max(s for _, s in late_waits), 2)}


def one_kernel_alone(configs: dict[str, str]) -> dict:
    """A child process that trains the networks itself, as show_verdict does without a gateway."""
    code = ("import json, resource, sys, time\n"
            "from smiley_checks.quiet import silence_tensorflow; silence_tensorflow()\n"
            "from smiley_checks.keras_env import keras\n"
            "from smiley_checks.training.reliability import reliability\n"
            "configs = json.loads(sys.stdin.read()); started = time.perf_counter()\n"
            "for text in configs.values():\n"
            "    reliability(keras.models.model_from_json(text), seeds=5, diagnose=True, pictures=True)\n"
            "print(json.dumps({'seconds': time.perf_counter() - started,\n"
            "                  'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n")
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(configs), capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=30)
    args = parser.parse_args()
    from smiley_checks.quiet import silence_tensorflow

    silence_tensorflow()
    configs = notebook_configs()
    print(f"gateway bench: {args.students} students x {len(configs)} verdict cells ({', '.join(configs)}), "
          f"{WORKERS} workers, {os.cpu_count()} cores")
    on_gateway = class_on_the_gateway(args.students, configs)
    alone = one_kernel_alone(configs)
    print(f"  on the gateway: all done in {on_gateway['total_seconds']} s; wait per cell median "
          f"{on_gateway['wait_median_s']} s, 95th percentile {on_gateway['wait_p95_s']} s; "
          f"{on_gateway['trained_cells']} cells trained, {on_gateway['cached_cells']} from the cache "
          f"(median {on_gateway['cached_median_s']} s, {on_gateway['cached_under_goal']} under "
          f"{CACHE_GOAL_SECONDS:g} s); gateway and workers peak {on_gateway['peak_gateway_and_workers_mb']} MB")
    print(f"  a latecomer whose networks the class trained: {on_gateway['latecomer_cells_from_cache']} of "
          f"{len(configs)} cells from the cache, the longest in {on_gateway['latecomer_longest_s']} s "
          f"(goal: under {CACHE_GOAL_SECONDS:g} s)")
    estimate_minutes = args.students * alone["seconds"] / (os.cpu_count() or 1) / 60
    print(f"  one kernel training alone: {alone['seconds']:.0f} s, peak {alone['peak_mb']:.0f} MB; "
          f"{args.students} such kernels (estimated from it): at least {estimate_minutes:.0f} min and "
          f"{args.students * alone['peak_mb'] / 1024:.1f} GB")
    print("  " + json.dumps({"gateway": on_gateway, "one_kernel": alone}))


if __name__ == "__main__":
    main()
