"""The workshop load test at a small N and the suite-budget script, run as the README says.

``benchmarks/workshop_load.py --learners 3`` starts a real JupyterHub on 127.0.0.1 (behind
configurable-http-proxy from npm, which the script installs into ``.cache/chp`` when missing);
three learners log in at once, start their servers, run two notebooks over the kernel
websocket and move every control of their live figures. No learner may see a failure.
Timings are not asserted (the machine may be shared); the numbers must be there and sane.

Without ``npm`` (or ``node``) the hub cannot start: the test is skipped with the reason, except
on CI (``CI=true``), where that fails. Run alone with ``-m workshop``.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINE = re.compile(r"^workshop_load: learners=(\d+) failures=(\d+) start_p95_s=([0-9.]+) "
                  r"change_p95_ms=(\d+) peak_mb_per_learner=(\d+)$")
BUDGET = re.compile(r"^suite_budget: notebooks=(\d+) total_s=([0-9.]+) max_kernel_mb=(\d+)$")


def _script(name, *args, timeout):
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / name), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.workshop
def test_three_learners_on_a_real_hub_see_no_failure():
    chp = ROOT / ".cache" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
    if not chp.exists() and not (shutil.which("npm") and shutil.which("node")):
        if os.environ.get("CI") == "true":
            pytest.fail("npm/node missing: configurable-http-proxy cannot be installed")
        pytest.skip("npm/node missing: configurable-http-proxy cannot be installed")
    run = _script("workshop_load.py", "--learners", "3", "--notebooks", "01,04",
                  "--changes", "1", "--timeout", "300", timeout=1500)
    out = run.stdout + run.stderr
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    match = LINE.match(last)
    assert match, f"no workshop_load line at the end:\n{out[-3000:]}"
    learners, failures, start_p95, change_p95, peak = match.groups()
    assert (int(learners), int(failures)) == (3, 0), out[-3000:]
    assert run.returncode == 0, out[-3000:]
    assert float(start_p95) > 0 and int(change_p95) > 0
    # A learner holds a server and two kernels that imported numpy, matplotlib and ipympl.
    assert 100 < int(peak) < 2000, out[-3000:]
    # Every change reached the kernel: 01 and 04's live figures, each control moved once.
    changes = re.search(r"control change to redrawn frame: (\d+) changes \((\d+) redrew", out)
    assert changes and int(changes.group(1)) >= 3 * 2 and int(changes.group(2)) >= 1, out[-3000:]
    # Everything was shut down: no process of the hub's tree is left.
    assert "left running" not in out


def test_suite_budget_prints_its_line():
    run = _script("suite_budget.py", "--notebooks", "glossary", timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    match = BUDGET.match(run.stdout.strip().splitlines()[-1])
    assert match, run.stdout
    notebooks, total_s, max_mb = match.groups()
    assert int(notebooks) == 1 and float(total_s) > 0
    assert 30 < int(max_mb) < 1000  # a Python kernel that imported marginlib


def test_percentile_is_the_nearest_rank():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from workshop_load import percentile
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    values = list(range(1, 21))  # nearest rank: ceil(q/100 * n)
    assert percentile(values, 95) == 19 and percentile(values, 50) == 10
    assert percentile(values, 100) == 20 and percentile([7.0], 95) == 7.0
    assert percentile([3, 1, 2], 50) == 2
