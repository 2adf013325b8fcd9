"""Timing shared by the benchmark scripts (run as ``python benchmarks/<name>.py``, so this
folder is on ``sys.path``)."""
import time


def best_of(func, repeats):
    """The shortest wall time of ``repeats`` calls of ``func()``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best
