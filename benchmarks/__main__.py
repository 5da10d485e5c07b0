"""Run every benchmark and print one summary line each."""

import sys

from benchmarks import class30_bench, grading_bench, reliability_bench


def main() -> int:
    reliability_bench.main()
    grading_bench.main()
    class30_bench.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
