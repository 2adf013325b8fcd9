"""Budgets of the notebook suite: the time to execute every notebook and each kernel's peak memory.

    python benchmarks/suite_budget.py [--notebooks 00,01,...] [--interval 0.05]

Executes every notebook in ``notebooks/`` (or the ones named by number), one after another,
each in a fresh kernel of this interpreter with ``nbclient`` (as ``nbval`` and
``jupyter nbconvert --execute`` do, ``%matplotlib widget`` included), from the notebooks'
folder. For each it prints the wall time (kernel start included: what "Restart kernel and run
all" costs a learner) and the kernel's peak resident set size (psutil, sampled every
``--interval`` s; the kernel is one process).

The course's budgets (issue 11): the whole suite in at most 60 s on the course machine and
every notebook's kernel at most 250 MB at its peak. The script prints whether the run is
within them; times depend on the machine and its load (a shared machine measures more).

Ends with the line ``suite_budget: notebooks=N total_s=T max_kernel_mb=M`` and exits 1 only
when a notebook fails to execute (a cell raises).
"""
from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BUDGET_TOTAL_S = 60.0
BUDGET_KERNEL_MB = 250.0


class PeakRSS(threading.Thread):
    """Peak RSS of one process, sampled until stopped."""

    def __init__(self, pid, interval):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.done = threading.Event()

    def run(self):
        import psutil

        try:
            proc = psutil.Process(self.pid)
            while not self.done.is_set():
                self.peak = max(self.peak, proc.memory_info().rss)
                self.done.wait(self.interval)
        except psutil.Error:  # the kernel has exited
            pass


def run_notebook(path, interval):
    """(seconds, peak kernel bytes, error or None) for one notebook."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    samplers = []

    def start_sampling(**_):
        sampler = PeakRSS(client.km.provisioner.pid, interval)
        sampler.start()
        samplers.append(sampler)

    def stop_sampling(**_):
        for s in samplers:
            s.peak = max(s.peak, _rss(s.pid))
            s.done.set()

    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOKS)}},
                            on_notebook_start=start_sampling, on_notebook_complete=stop_sampling,
                            on_notebook_error=stop_sampling)
    error = None
    t0 = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip()  # no terminal colours
        error = text.splitlines()[-1] if text else repr(exc)
    seconds = time.perf_counter() - t0
    for s in samplers:
        s.done.set()
        s.join(timeout=2)
    return seconds, max((s.peak for s in samplers), default=0), error


def _rss(pid):
    import psutil

    try:
        return psutil.Process(pid).memory_info().rss
    except psutil.Error:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", default="",
                        help="comma-separated notebook numbers or names (default: every notebook)")
    parser.add_argument("--interval", type=float, default=0.05, help="memory sampling period (s)")
    args = parser.parse_args()
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if args.notebooks:
        wanted = args.notebooks.split(",")
        paths = [p for p in paths if any(p.name.startswith(f"{w}-") or p.stem == w
                                         for w in wanted)]
        if not paths:
            parser.error(f"no notebook matches {args.notebooks!r}")

    rows, failed = [], 0
    for path in paths:
        seconds, peak, error = run_notebook(path, args.interval)
        mb = peak / 1024 / 1024
        rows.append((path.name, seconds, mb))
        flag = "" if mb <= BUDGET_KERNEL_MB else f"  OVER {BUDGET_KERNEL_MB:.0f} MB"
        print(f"{path.name:<58} {seconds:6.1f} s  kernel peak {mb:5.0f} MB{flag}"
              + (f"  FAILED: {error}" if error else ""), flush=True)
        failed += error is not None

    total = sum(r[1] for r in rows)
    worst = max(rows, key=lambda r: r[2])
    print(f"total {total:.1f} s (budget {BUDGET_TOTAL_S:.0f} s on the course machine: "
          f"{'within' if total <= BUDGET_TOTAL_S else 'OVER'}); largest kernel {worst[2]:.0f} MB "
          f"in {worst[0]} (budget {BUDGET_KERNEL_MB:.0f} MB: "
          f"{'within' if worst[2] <= BUDGET_KERNEL_MB else 'OVER'}); {failed} failed")
    print(f"suite_budget: notebooks={len(rows)} total_s={total:.1f} max_kernel_mb={worst[2]:.0f}",
          flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
