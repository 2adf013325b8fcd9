"""How much slower is `import marginlib` than `import numpy`?

    python benchmarks/import_time.py [--runs N]

Each import runs in a fresh interpreter, N times; the median time of `python -c pass` (interpreter
start-up) is subtracted from the medians of `import numpy` and `import marginlib`, and the ratio of
the two is printed as `import: ratio=R target=1.3`. Prints only; asserts nothing.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

TARGET = 1.3


# Measure what a learner gets after the first import: bytecode cached like numpy's own
# (installed wheels ship compiled .pyc files; an editable checkout writes them on first import).
# Some environments set PYTHONDONTWRITEBYTECODE, which would recompile marginlib on every run.
ENV = {k: val for k, val in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def seconds(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=ENV)
    return time.perf_counter() - start


def medians(codes: list[str], runs: int) -> list[float]:
    """Median wall time of each snippet in a fresh interpreter, the runs interleaved so that a
    slow patch of the machine hits all of them alike."""
    times = [[] for _ in codes]
    for _ in range(runs):
        for code, samples in zip(codes, times):
            samples.append(seconds(code))
    return [statistics.median(samples) for samples in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (at least 7)")
    args = parser.parse_args()
    if args.runs < 7:
        parser.error("--runs must be at least 7")

    seconds("import marginlib")  # warm the file cache and write any .pyc files
    startup, numpy, marginlib = medians(["pass", "import numpy", "import marginlib"], args.runs)
    numpy, marginlib = numpy - startup, marginlib - startup
    print(f"python start-up {startup * 1e3:.1f} ms; import numpy {numpy * 1e3:.1f} ms; "
          f"import marginlib {marginlib * 1e3:.1f} ms (medians of {args.runs})")
    print(f"import: ratio={marginlib / numpy:.2f} target={TARGET}")


if __name__ == "__main__":
    main()
