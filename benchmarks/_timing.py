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


def best_of_interleaved(funcs, repeats, min_seconds=0.0):
    """The shortest wall time of each of ``funcs`` over rounds that call every one in turn --
    ``repeats`` rounds, and more until ``min_seconds`` have passed -- in seconds, and the
    number of rounds. A ratio of two of them compares times taken in the same conditions: a
    shared machine's load comes and goes over seconds, and it slows a kernel that streams
    through megabytes more than one that stays in its core's cache."""
    best = [float("inf")] * len(funcs)
    start, rounds = time.perf_counter(), 0
    while rounds < repeats or time.perf_counter() - start < min_seconds:
        for i, func in enumerate(funcs):
            t0 = time.perf_counter()
            func()
            best[i] = min(best[i], time.perf_counter() - t0)
        rounds += 1
    return best, rounds
