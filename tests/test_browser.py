"""Every notebook, run in a real JupyterLab in headless Chromium, as a learner would.

For each notebooks/*.ipynb: open it in JupyterLab, run all cells, check that no cell (nor any
widget callback) raised, then take the first cell whose output has an ipywidgets slider followed by
an ipympl figure, move the slider and check that the figure's pixels changed.

Uses Debian's Chromium (/usr/bin/chromium), never a browser that Playwright downloads. Without it
these tests skip, except under CI=true, where they fail. Run them alone with `bash scripts/test -m
browser`. The notebook files are never written: autosave is off and nothing is saved.
"""
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(REPO.glob("notebooks/*.ipynb"))
CHROMIUM = "/usr/bin/chromium"
SERVER_START_TIMEOUT = 60  # s
KERNEL_TIMEOUT = 60_000  # ms, for the kernel to start and for a figure to redraw
RUN_ALL_TIMEOUT = 300_000  # ms, as nbval's per-cell timeout

# In the page: the open notebook and its kernel. JupyterLab exposes itself as window.jupyterapp
# because the server runs with LabApp.expose_app_in_browser.
JS_KERNEL_IDLE = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return !!kernel && kernel.status === 'idle';
}"""
# Record every error the kernel reports, from cells and from widget callbacks alike (the latter go
# to JupyterLab's log console, not to a cell).
JS_RECORD_KERNEL_ERRORS = """() => {
    window.__kernelErrors = [];
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    kernel.iopubMessage.connect((_, msg) => {
        const c = msg.content;
        if (msg.header.msg_type === 'error') {
            window.__kernelErrors.push(c.ename + ': ' + c.evalue);
        } else if (msg.header.msg_type === 'stream' && c.name === 'stderr'
                   && c.text.includes('Traceback')) {
            window.__kernelErrors.push(c.text);
        }
    });
}"""
JS_RUN_ALL = "() => window.jupyterapp.commands.execute('notebook:run-all-cells')"
# Per code cell: execution count and its error outputs (a traceback printed to stderr counts too).
JS_CELL_REPORT = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    return panel.content.widgets.filter(cell => cell.model.type === 'code').map((cell, i) => ({
        index: i,
        blank: cell.model.sharedModel.getSource().trim() === '',
        count: cell.model.executionCount,
        errors: cell.model.outputs.toJSON().filter(o => o.output_type === 'error'
                || (o.output_type === 'stream' && o.name === 'stderr' && o.text.includes('Traceback')))
            .map(o => o.output_type === 'error' ? o.ename + ': ' + o.evalue : o.text),
    }));
}"""
# True once every widget output in the model has a rendered view in the page.
JS_WIDGETS_RENDERED = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    return panel.content.widgets.every(cell => cell.model.type !== 'code'
        || !cell.model.outputs.toJSON().some(o => o.data && o.data['application/vnd.jupyter.widget-view+json'])
        || cell.node.querySelector('.jp-OutputArea .jupyter-widgets') !== null);
}"""
# The first cell whose outputs hold an ipywidgets slider handle (noUiSlider) followed by an ipympl
# canvas: mark both for the locators below and say whether one was found.
JS_MARK_SLIDER_AND_FIGURE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    for (const cell of panel.content.widgets) {
        if (cell.model.type !== 'code') continue;
        const outputs = cell.node.querySelector('.jp-OutputArea');
        if (!outputs) continue;
        for (const handle of outputs.querySelectorAll('.widget-slider .noUi-handle')) {
            const figure = Array.from(outputs.querySelectorAll('.jupyter-matplotlib-canvas-div'))
                .find(f => handle.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING);
            if (figure) {
                handle.setAttribute('data-test-slider', '');
                figure.setAttribute('data-test-figure', '');
                return true;
            }
        }
    }
    return false;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server on a free loopback port, with its own config, data, settings and
    checkpoint folders (the user's and the repository's are untouched), no news, update or
    extension-manager look-ups, autosave off, and every notebook cell kept in the page.
    Yields the base URL and the token."""
    home = tmp_path_factory.mktemp("jupyter")
    config = home / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "jupyter_server_config.json").write_text(json.dumps({
        "ServerApp": {"open_browser": False, "allow_root": True, "terminals_enabled": False},
        # Checkpoints (made when a notebook opens) go here, not into notebooks/.ipynb_checkpoints.
        "FileCheckpoints": {"checkpoint_dir": str(home / "checkpoints")},
        "LabApp": {
            "news_url": None,
            "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
            "extension_manager": "readonly",
            "expose_app_in_browser": True,
        },
    }))
    (config / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    settings = home / "settings"
    for plugin, values in {
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    }.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    token, port = secrets.token_hex(16), free_port()
    log = open(home / "server.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={REPO}"],
        env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                tail = (home / "server.log").read_text(errors="replace")[-3000:]
                pytest.fail(f"JupyterLab did not start (exit code {server.poll()}):\n{tail}")
            try:
                request = urllib.request.Request(
                    f"{url}/api/status", headers={"Authorization": f"token {token}"})
                urllib.request.urlopen(request, timeout=2).close()
                break
            except OSError:
                time.sleep(0.25)
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def settled_screenshot(locator, previous=None, timeout=KERNEL_TIMEOUT / 1000):
    """A screenshot of the element once two in a row agree (the kernel has sent its image);
    with `previous`, only one that differs from it. Returns None when the time runs out."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        shot = locator.screenshot(animations="disabled")
        if shot == last and shot != previous:
            return shot
        last = shot
        time.sleep(0.3)
    return None


def pixels_differ(png_a: bytes, png_b: bytes) -> bool:
    from PIL import Image, ImageChops

    a, b = (Image.open(BytesIO(png)).convert("RGB") for png in (png_a, png_b))
    return a.size != b.size or ImageChops.difference(a, b).getbbox() is not None


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_notebook_runs_and_its_figure_follows_its_slider(notebook, page, jupyterlab, tmp_path):
    url, token = jupyterlab
    before = notebook.read_bytes()
    rel = notebook.relative_to(REPO).as_posix()
    # ?reset: a fresh workspace, so only this notebook opens.
    page.goto(f"{url}/lab/tree/{rel}?token={token}&reset")
    page.wait_for_function(JS_KERNEL_IDLE, timeout=KERNEL_TIMEOUT)
    page.evaluate(JS_RECORD_KERNEL_ERRORS)
    try:
        page.evaluate(JS_RUN_ALL)  # resolves once every cell ran (or one failed)
        page.wait_for_function(JS_KERNEL_IDLE, timeout=RUN_ALL_TIMEOUT)

        cells = page.evaluate(JS_CELL_REPORT)
        errors = [f"cell {c['index']}: {e}" for c in cells for e in c["errors"]]
        assert not errors, f"{rel} raised:\n" + "\n".join(errors)
        not_run = [c["index"] for c in cells if not c["blank"] and c["count"] is None]
        assert not not_run, f"{rel}: code cells {not_run} did not run"

        page.wait_for_function(JS_WIDGETS_RENDERED, timeout=KERNEL_TIMEOUT)
        if page.evaluate(JS_MARK_SLIDER_AND_FIGURE):
            handle = page.locator("[data-test-slider]")
            figure = page.locator("[data-test-figure]")
            first = settled_screenshot(figure)
            assert first is not None, f"{rel}: the figure never finished drawing"
            (tmp_path / "figure-before.png").write_bytes(first)

            value = handle.get_attribute("aria-valuenow")
            at_max = value == handle.get_attribute("aria-valuemax")
            handle.focus()
            for _ in range(5):
                handle.press("ArrowLeft" if at_max else "ArrowRight")
            assert handle.get_attribute("aria-valuenow") != value, f"{rel}: the slider did not move"

            second = settled_screenshot(figure, previous=first)
            if second is not None:
                (tmp_path / "figure-after.png").write_bytes(second)
            assert second is not None and pixels_differ(first, second), (
                f"{rel}: moving the slider from {value} to {handle.get_attribute('aria-valuenow')} "
                f"did not change the figure (screenshots in {tmp_path})")

        page.wait_for_function(JS_KERNEL_IDLE, timeout=KERNEL_TIMEOUT)
        kernel_errors = page.evaluate("() => window.__kernelErrors")
        assert not kernel_errors, f"{rel}: the kernel reported errors:\n" + "\n".join(kernel_errors)
    finally:
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    assert notebook.read_bytes() == before, f"{rel} was written during the test"
