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


def best_of_interleaved(funcs, repeats):
    """The shortest wall time of each of ``funcs`` over ``repeats`` rounds that call every one
    in turn, in seconds: a ratio of two of them compares times taken in the same conditions
    (a shared machine's load changes over seconds, and it slows a kernel that streams through
    megabytes more than one that stays in its core's cache)."""
    best = [float("inf")] * len(funcs)
    for _ in range(repeats):
        for i, func in enumerate(funcs):
            t0 = time.perf_counter()
            func()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best
