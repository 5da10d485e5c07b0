"""Run every benchmark, each in its own Python process, and print its summary lines.

Own processes because Linux counts a parent's resident memory at fork time into its
child's peak (ru_maxrss survives exec): after the reliability benchmark has loaded
TensorFlow into this process, every nbgrader worker started from it would report at
least that much.
"""

import subprocess
import sys

BENCHMARKS = ("benchmarks.reliability_bench", "benchmarks.diagnosis_bench", "benchmarks.grading_bench",
              "benchmarks.class30_bench", "benchmarks.sandbox_bench", "benchmarks.gateway_bench")


def main() -> int:
    failed = [name for name in BENCHMARKS if subprocess.run([sys.executable, "-m", name]).returncode != 0]
    for name in failed:
        print(f"{name} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
