"""Every notebook, and every page of the app, in headless Chromium, as a learner would use them.

Notebooks: each notebooks/*.ipynb (a glob: new notebooks are picked up) is opened in JupyterLab
and run (all cells); no cell, nor any widget callback, may raise. App: each app/*.ipynb is opened
in Voilà, served as `bash scripts/open-app` serves it (./voila.json: preheated kernels, code
hidden); the page must come from a preheated kernel and show its widgets.

Then, in both, every live figure in the page (an ipympl canvas with the ipywidgets controls
around it, a marginlib LiveFigure) has every control moved through its positions, with the
keyboard and the mouse as a learner would: a slider to its minimum (Home), its maximum (End) and
back to its start value (a click on the track, then arrow keys); each option of a
ToggleButtons, Dropdown or RadioButtons in turn, then back; a Checkbox over and back; a Button
clicked. After each change, once the kernel is idle and the figure has settled: no new kernel
error, the figure is not blank, and its message line never says "Something went wrong". Each
control must change the figure's pixels, or its message (LiveFigure's explanation of a state),
at one of its positions at least (a button: any text of the figure too): a figure that ignores
a control fails. Where a position puts the figure into a state it flags as out of range (a
warning message), every other control is still valid and is nudged once (and back): the figure
or its message must follow it too. Figures without controls must render.

Across the whole visit: no JavaScript console error and no uncaught exception in the page, no
error or stderr output and no traceback in any output (browser_helpers.PageWatch,
JS_PAGE_ERRORS). Requests to other hosts are blocked, so the tests never use the network.
A screenshot of each live figure, and of the page, goes to the test's tmp_path.

Uses Debian's Chromium (/usr/bin/chromium), never a browser that Playwright downloads. Without it
these tests skip, except under CI=true, where they fail. Run them alone with `bash scripts/test -m
browser` (with -s for a per-control summary of what changed). The notebook files are never
written: autosave is off and nothing is saved. The shared machinery is in
tests/browser_helpers.py.
"""
import json
import os
import time

import pytest

from browser_helpers import (CHROMIUM, JS_CELL_REPORT, JS_KERNEL_IDLE, JS_MARK_FIGURES,
                             JS_PAGE_ERRORS, JS_RECORD_KERNEL_ERRORS, JS_RUN_ALL,
                             JS_WIDGETS_RENDERED, KERNEL_TIMEOUT, REPO, RUN_ALL_TIMEOUT, PageWatch,
                             exercise_figures, jupyterlab_server, settle, voila_server)

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(REPO.glob("notebooks/*.ipynb"))
APP_PAGES = sorted(REPO.glob("app/*.ipynb"))
# Voilà page: the loading screen is gone and the kernel is idle.
JS_VOILA_READY = """() => !document.getElementById('loading') && !!window.__kernel
    && !!window.__kernel() && window.__kernel().status === 'idle'"""
# How many widget views and canvases the page shows (stable once every widget is rendered).
JS_WIDGET_COUNT = """() => [document.querySelectorAll('.jupyter-widgets').length,
    document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas').length]"""
WIDGETS_STABLE = 1.5  # s without a new widget view: the page has rendered them all
POOL_TIMEOUT = 180  # s for Voilà to start the preheated kernels of every app page


@pytest.fixture(scope="session")
def chromium_path():
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is missing: install Debian's chromium (bash scripts/test does, as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " -- CI=true, so the browser tests fail instead of skipping")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    """pytest-playwright's launch options: Debian's Chromium (headless unless --headed), with no
    network traffic of its own."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


SERVER_LOG = []  # the JupyterLab server's log (its kernels' stderr too), once it runs


def server_log_tracebacks(lines=60):
    """The tracebacks in the server's log (a kernel's comm handler that raised logs only
    there: the browser just never gets the frame), for a failure message."""
    if not SERVER_LOG or not SERVER_LOG[0].exists():
        return ""
    text = SERVER_LOG[0].read_text(errors="replace").splitlines()
    hits = [i for i, line in enumerate(text) if "Traceback" in line]
    if not hits:
        return "\n(no traceback in the server log)"
    return "\nserver log from its first traceback:\n" + "\n".join(text[hits[0]:hits[0] + lines])


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory):
    """JupyterLab on a free loopback port with its own folders (browser_helpers.jupyterlab_server);
    yields the base URL and the token."""
    home = tmp_path_factory.mktemp("jupyter")
    SERVER_LOG[:] = [home / "server.log"]
    try:
        with jupyterlab_server(home) as server:
            yield server
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def voila(tmp_path_factory):
    """Voilà serving app/ as scripts/open-app does; yields the base URL and the log's path."""
    home = tmp_path_factory.mktemp("voila")
    try:
        with voila_server(home) as url:
            # Every page's pool of preheated kernels is filled before the first visit, as it is
            # when a room arrives some minutes after the server started.
            log, deadline = home / "voila.log", time.monotonic() + POOL_TIMEOUT
            while not all(f"Kernel pool of {p.name} is filled" in log.read_text(errors="replace")
                          for p in APP_PAGES):
                if time.monotonic() > deadline:
                    pytest.fail(f"Voilà did not fill its kernel pools in {POOL_TIMEOUT} s:\n"
                                + log.read_text(errors="replace")[-3000:])
                time.sleep(0.25)
            yield url, log
    except RuntimeError as exc:
        pytest.fail(str(exc))


def wait_for_widgets(page, timeout=KERNEL_TIMEOUT / 1000):
    """Wait until the number of widget views and canvases in the page stops changing."""
    t0 = last_change = time.monotonic()
    last = None
    while time.monotonic() - t0 < timeout:
        now = page.evaluate(JS_WIDGET_COUNT)
        if now != last:
            last, last_change = now, time.monotonic()
        elif time.monotonic() - last_change >= WIDGETS_STABLE:
            return now
        time.sleep(0.1)
    return last


def report(rel, found, problems, notes, summary, changes, cross_checks, watch, page, t0, extra):
    """Print what was done; fail on any problem, console error or error shown in the page."""
    problems = list(problems) + [f"{rel}: {e}" for e in page.evaluate(JS_PAGE_ERRORS)]
    problems += [f"{rel}: {e}" for e in watch.errors]
    print(f"{rel}: {extra}; {len(found['figures'])} live figure(s), "
          f"{len(found['statics'])} without controls; {changes} changes ({cross_checks} "
          f"controls nudged in a flagged state); {time.monotonic() - t0:.1f} s in all")
    print("\n".join(summary))
    for note in notes:
        print("note:", note)
    if watch.blocked:
        print("blocked requests to other hosts:", *sorted(set(watch.blocked)), sep="\n  ")
    return problems


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_notebook_runs_and_every_control_moves_its_figure(notebook, page, jupyterlab, tmp_path):
    """Run all cells: no error. Then, for every live figure (controls + ipympl canvas), move
    every control through every position (a slider to its minimum, its maximum and back; each
    option of a toggle, dropdown or radio group, then back; a checkbox and back; a button
    clicked): after each change the kernel reports no error, the figure settles and is not
    blank, and its message never reports an unexpected exception; each control changes the
    figure's pixels or its message at one position at least (a figure must not ignore a
    control), in the start state and, nudged once, in every state the figure flags as out of
    range. No console error, error output or traceback in the page."""
    url, token = jupyterlab
    watch = PageWatch(page)
    before = notebook.read_bytes()
    rel = notebook.relative_to(REPO).as_posix()
    t0 = time.monotonic()
    # ?reset: a fresh workspace, so only this notebook opens.
    page.goto(f"{url}/lab/tree/{rel}?token={token}&reset")
    page.wait_for_function(JS_KERNEL_IDLE, timeout=KERNEL_TIMEOUT)
    page.evaluate(JS_RECORD_KERNEL_ERRORS)
    shots = []
    try:
        page.evaluate(JS_RUN_ALL)  # resolves once every cell ran (or one failed)
        page.wait_for_function(JS_KERNEL_IDLE, timeout=RUN_ALL_TIMEOUT)
        t_run = time.monotonic() - t0

        cells = page.evaluate(JS_CELL_REPORT)
        errors = [f"cell {c['index']}: {e}" for c in cells for e in c["errors"]]
        assert not errors, f"{rel} raised:\n" + "\n".join(errors)
        not_run = [c["index"] for c in cells if not c["blank"] and c["count"] is None]
        assert not not_run, f"{rel}: code cells {not_run} did not run"

        page.wait_for_function(JS_WIDGETS_RENDERED, timeout=KERNEL_TIMEOUT)
        found, problems, notes, summary, changes, cross_checks, shots = exercise_figures(
            page, rel, tmp_path)

        page.wait_for_function(JS_KERNEL_IDLE, timeout=KERNEL_TIMEOUT)
        kernel_errors = page.evaluate("() => window.__kernelErrors")
        assert not kernel_errors, f"{rel}: the kernel reported errors:\n" + "\n".join(kernel_errors)
        problems = report(rel, found, problems, notes, summary, changes, cross_checks, watch,
                          page, t0, f"run all {t_run:.1f} s; screenshots in {tmp_path}")
        assert not problems, f"{rel}: {len(problems)} problem(s) (screenshots in {tmp_path}):\n" \
            + "\n".join(problems) + server_log_tracebacks()
    finally:
        try:
            page.screenshot(path=tmp_path / "notebook.png")
            shots.append(tmp_path / "notebook.png")
        except Exception as exc:  # noqa: BLE001 - must not hide the test's own failure
            print(f"no screenshot of the page: {exc}")
        print("screenshots:", *map(str, shots), sep="\n  ")
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    assert notebook.read_bytes() == before, f"{rel} was written during the test"


@pytest.mark.parametrize("app_page", APP_PAGES, ids=[p.name for p in APP_PAGES])
def test_app_page_in_voila(app_page, page, voila, tmp_path):
    """The app page in Voilà as scripts/open-app serves it: it comes from a preheated kernel,
    shows no code, and every control of every live figure moves it as in the notebook test;
    no console error, error output or traceback in the page."""
    url, log = voila
    watch = PageWatch(page)
    rel = app_page.relative_to(REPO).as_posix()
    shots = []
    t0 = time.monotonic()
    # Voilà streams the page while the kernel runs it: wait for the first byte, then for it all.
    page.goto(f"{url}/voila/render/{app_page.name}", wait_until="commit",
              timeout=RUN_ALL_TIMEOUT)
    try:
        page.wait_for_function(JS_VOILA_READY, timeout=RUN_ALL_TIMEOUT)
        page.wait_for_selector(".jupyter-matplotlib-canvas-div canvas", timeout=KERNEL_TIMEOUT)
        t_first = time.monotonic() - t0
        page.evaluate(JS_RECORD_KERNEL_ERRORS)
        wait_for_widgets(page)

        served = log.read_text(errors="replace")
        assert f"for {app_page.name}" in served and "Using pre-heated kernel" in served, \
            f"{rel} was not served from a preheated kernel (voila.json): log:\n{served[-2000:]}"
        text = page.evaluate("() => document.body.innerText")
        code = [line.strip() for cell in json.loads(app_page.read_text())["cells"]
                if cell["cell_type"] == "code" for line in "".join(cell["source"]).splitlines()
                if len(line.strip()) > 12]
        shown = [line for line in code if line in text]
        assert not shown, f"{rel}: the page shows code: {shown}"

        found, problems, notes, summary, changes, cross_checks, shots = exercise_figures(
            page, rel, tmp_path)
        assert found["figures"], f"{rel}: no live figure found in the page"
        page.wait_for_function(JS_KERNEL_IDLE, timeout=KERNEL_TIMEOUT)
        kernel_errors = page.evaluate("() => window.__kernelErrors")
        problems += [f"{rel}: the kernel reported {e}" for e in kernel_errors]
        problems = report(rel, found, problems, notes, summary, changes, cross_checks, watch,
                          page, t0, f"first figure after {t_first:.1f} s")
        assert not problems, f"{rel}: {len(problems)} problem(s) (screenshots in {tmp_path}):\n" \
            + "\n".join(problems)
    finally:
        try:
            page.screenshot(path=tmp_path / "page.png", full_page=True)
            shots.append(tmp_path / "page.png")
        except Exception as exc:  # noqa: BLE001 - must not hide the test's own failure
            print(f"no screenshot of the page: {exc}")
        print("screenshots:", *map(str, shots), sep="\n  ")


@pytest.mark.parametrize("app_page", APP_PAGES, ids=[p.name for p in APP_PAGES])
def test_app_page_as_the_binder_badge_opens_it(app_page, page, jupyterlab, tmp_path):
    """The README's Binder badge opens `voila/render/app/...` on a Jupyter server started in the
    repository root (Voilà's server extension, ./voila.json read from there): the same page
    renders there, with its figures and no console error, error output or traceback."""
    url, token = jupyterlab
    watch = PageWatch(page)
    rel = app_page.relative_to(REPO).as_posix()
    t0 = time.monotonic()
    page.goto(f"{url}/voila/render/{rel}?token={token}", wait_until="commit",
              timeout=RUN_ALL_TIMEOUT)
    try:
        page.wait_for_function(JS_VOILA_READY, timeout=RUN_ALL_TIMEOUT)
        page.wait_for_selector(".jupyter-matplotlib-canvas-div canvas", timeout=KERNEL_TIMEOUT)
        page.evaluate(JS_RECORD_KERNEL_ERRORS)
        wait_for_widgets(page)
        found = page.evaluate(JS_MARK_FIGURES)
        assert found["figures"], f"{rel}: no live figure on the Binder route"
        problems = []
        for i in range(len(found["figures"])):
            state = settle(page, i)
            if not state["settled"] or state["blank"]:
                problems.append(f"{rel}: figure {i} never finished drawing "
                                f"(blank: {state['blank']})")
        problems += [f"{rel}: {e}" for e in page.evaluate(JS_PAGE_ERRORS)]
        problems += [f"{rel}: {e}" for e in watch.errors]
        print(f"{rel} on the Binder route: {len(found['figures'])} live figure(s) drawn after "
              f"{time.monotonic() - t0:.1f} s")
        assert not problems, "\n".join(problems)
    finally:
        page.screenshot(path=tmp_path / "page.png")
        print("screenshot:", tmp_path / "page.png")
