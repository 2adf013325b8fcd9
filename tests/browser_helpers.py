"""Browser helpers shared by tests/test_browser.py (and usable by benchmarks): the servers
(JupyterLab, Voilà) with their own config folders, the page's console and network watch, and the
JavaScript that finds live figures, waits for them to settle and moves their controls.

A live figure is an ipympl canvas together with the ipywidgets controls that sit with it (a
marginlib LiveFigure: title, controls, canvas, message line). The same code drives a notebook
in JupyterLab and an app page in Voilà: the kernel is found through ``window.__kernel()``
(installed by :class:`PageWatch`), JupyterLab's current notebook or Voilà's widget manager.
"""
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SERVER_START_TIMEOUT = 60  # s
KERNEL_TIMEOUT = 60_000  # ms, for the kernel to start and for a figure to redraw
RUN_ALL_TIMEOUT = 300_000  # ms, as nbval's per-cell timeout

# Installed in every page before it loads (PageWatch): window.__kernel() is the page's kernel.
# JupyterLab exposes itself as window.jupyterapp (the server runs with
# LabApp.expose_app_in_browser): the open notebook's session kernel. Voilà's page is a
# JupyterFrontEnd as window.jupyterapp too: the kernel of its widget manager.
JS_INIT = """window.__kernel = () => {
    const app = window.jupyterapp;
    if (!app) return null;
    const panel = app.shell && app.shell.currentWidget;
    if (panel && panel.sessionContext) {
        return (panel.sessionContext.session && panel.sessionContext.session.kernel) || null;
    }
    try {
        const manager = app.widgetManager;
        return (manager && manager.kernel) || null;
    } catch (e) {
        return null;
    }
};"""
JS_KERNEL_IDLE = """() => {
    const kernel = window.__kernel && window.__kernel();
    return !!kernel && kernel.status === 'idle';
}"""
# Record every error the kernel reports, from cells and from widget callbacks alike (the latter go
# to JupyterLab's log console, not to a cell), and the time of the last message in either
# direction (a change of a control, ipympl's draw request and image are all kernel messages).
JS_RECORD_KERNEL_ERRORS = """() => {
    window.__kernelErrors = [];
    window.__lastKernelMessage = Date.now();
    const kernel = window.__kernel();
    kernel.anyMessage.connect(() => { window.__lastKernelMessage = Date.now(); });
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
# Every live figure in the page: an ipympl canvas together with the ipywidgets controls that sit
# with it. Its root is the nearest element around the canvas that also holds a control (a
# LiveFigure's VBox: title, controls, canvas, message). Marks the root (data-test-figure=i), its
# canvases, its controls (data-test-control="i-j") and its message line (data-test-message=i:
# LiveFigure's widgets.HTML after the canvas) and describes them. Canvases with no control are
# returned as static figures (data-test-static=k), which must render too.
JS_MARK_FIGURES = """() => {
    const CONTROLS = '.widget-slider .noUi-handle, .widget-toggle-buttons, .widget-dropdown, '
        + '.widget-radio, .widget-checkbox, .widget-button';
    // The output areas with their cell's index: JupyterLab's notebook cells, or Voilà's page.
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const areas = [];
    if (panel && panel.content && panel.content.widgets) {
        panel.content.widgets.forEach((cell, cellIndex) => {
            const area = cell.model.type === 'code' && cell.node.querySelector('.jp-OutputArea');
            if (area) areas.push([cellIndex, area]);
        });
    } else {
        document.querySelectorAll('.jp-Cell').forEach((cell, cellIndex) => {
            const area = cell.querySelector('.jp-OutputArea');
            if (area) areas.push([cellIndex, area]);
        });
    }
    const figures = [], statics = [], roots = [];
    areas.forEach(([cellIndex, area]) => {
        for (const div of area.querySelectorAll('.jupyter-matplotlib-canvas-div')) {
            let root = div.parentElement;
            while (root && root !== area && !root.querySelector(CONTROLS)) {
                root = root.parentElement;
            }
            if (!root || root === area) {
                div.setAttribute('data-test-static', String(statics.length));
                statics.push({cell: cellIndex});
                continue;
            }
            if (roots.includes(root)) continue;  // one set of controls driving several canvases
            roots.push(root);
            const i = figures.length;
            root.setAttribute('data-test-figure', String(i));
            const canvases = Array.from(root.querySelectorAll('.jupyter-matplotlib-canvas-div'));
            const lastCanvas = canvases[canvases.length - 1];
            const message = Array.from(root.querySelectorAll('.widget-html')).find(
                h => lastCanvas.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING);
            if (message) message.setAttribute('data-test-message', String(i));
            const controls = Array.from(root.querySelectorAll(CONTROLS)).map((el, j) => {
                el.setAttribute('data-test-control', i + '-' + j);
                const box = el.closest('.widget-inline-hbox') || el;
                const label = box.querySelector('.widget-label');
                const kind = el.classList.contains('noUi-handle') ? 'slider'
                    : el.classList.contains('widget-toggle-buttons') ? 'toggle'
                    : el.classList.contains('widget-dropdown') ? 'dropdown'
                    : el.classList.contains('widget-radio') ? 'radio'
                    : el.classList.contains('widget-button') ? 'button' : 'checkbox';
                let options = [];
                if (kind === 'toggle') options = Array.from(
                    el.querySelectorAll('.widget-toggle-button')).map(b => b.textContent.trim());
                if (kind === 'dropdown') options = Array.from(
                    el.querySelectorAll('option')).map(o => o.textContent.trim());
                if (kind === 'radio') options = Array.from(
                    el.querySelectorAll('label')).map(o => o.textContent.trim());
                if (kind === 'checkbox') options = [box.textContent.trim()];
                if (kind === 'button') {
                    return {kind, options: [el.textContent.trim()],
                            label: el.textContent.trim() || el.title || 'button'};
                }
                return {kind, options,
                        label: (label && label.textContent.trim()) || box.textContent.trim()};
            });
            figures.push({cell: cellIndex, canvases: canvases.length, controls,
                          hasMessage: !!message});
        }
    });
    return {figures, statics};
}"""
# The state of figure i once it has settled: the kernel idle, no kernel message and no change of
# its pixels or message for `quiet` ms. Each canvas is summarised by a hash of its pixels (ipympl
# draws the kernel's PNG into the first <canvas> of its div; the second is the rubber band) and
# by whether it is blank (a single colour). selector picks the figure ('[data-test-figure="0"]').
JS_SETTLE = """async ({selector, message, quiet, timeout}) => {
    const root = document.querySelector(selector);
    const kernel = () => window.__kernel();
    const state = () => {
        const canvases = Array.from(root.querySelectorAll('.jupyter-matplotlib-canvas-div'))
            .concat(root.matches('.jupyter-matplotlib-canvas-div') ? [root] : [])
            .map(div => div.querySelector('canvas'));
        const shots = canvases.map(c => {
            if (!c || !c.width || !c.height) return {hash: 'empty', blank: true, size: [0, 0]};
            const data = new Uint32Array(
                c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
            let h = 0x811c9dc5, differ = 0;
            for (let k = 0; k < data.length; k++) {
                h = Math.imul(h ^ data[k], 16777619) >>> 0;
                if (data[k] !== data[0]) differ++;
            }
            return {hash: h.toString(16) + ':' + c.width + 'x' + c.height, blank: differ === 0,
                    size: [c.width, c.height]};
        });
        const m = message && document.querySelector(message);
        return {hashes: shots.map(s => s.hash), blank: shots.some(s => s.blank),
                sizes: shots.map(s => s.size), message: m ? m.innerText.trim() : null,
                text: root.innerText,
                warning: !!m && (m.innerText.trim().startsWith('\u26a0')
                                 || m.innerHTML.toLowerCase().includes('b00020')),
                errors: window.__kernelErrors.length};
    };
    const t0 = Date.now();
    let last = null, stableSince = t0, s = null;
    while (Date.now() - t0 < timeout) {
        s = state();
        const key = JSON.stringify([s.hashes, s.message]);
        if (key !== last) { last = key; stableSince = Date.now(); }
        const k = kernel();
        const quietFor = Date.now() - Math.max(stableSince, window.__lastKernelMessage);
        if (k && k.status === 'idle' && quietFor >= quiet && !s.blank) {
            return {...s, settled: true, waited: Date.now() - t0};
        }
        await new Promise(r => setTimeout(r, 40));
    }
    return {...s, settled: false, waited: Date.now() - t0};
}"""
SETTLE_QUIET = 300  # ms without a kernel message nor a change of the figure: it has settled
SETTLE_TIMEOUT = 60_000  # ms for one change to be drawn
MAX_CORRECTIONS = 60  # arrow presses to bring a slider back exactly to its start value
# A figure's message (LiveFigure.show_message) with this text hides an exception that is not a
# marginlib ValueError: a bug, not a state explained to the learner.
UNEXPECTED = "Something went wrong"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]



def settle(page, figure, *, selector=None):
    """The settled state of live figure `figure` (or of the element `selector`): see JS_SETTLE."""
    return page.evaluate(JS_SETTLE, {
        "selector": selector or f'[data-test-figure="{figure}"]',
        "message": None if selector else f'[data-test-message="{figure}"]',
        "quiet": SETTLE_QUIET, "timeout": SETTLE_TIMEOUT})


# A slider's value, bounds and step from its noUiSlider (the handle's aria-valuenow/min/max are
# rounded to one decimal, too coarse for a rate such as a 0.05 % fee).
JS_SLIDER = """h => {
    const s = h.closest('.noUi-target').noUiSlider;
    return {value: Number(s.get()), min: Number(s.options.range.min),
            max: Number(s.options.range.max), step: Number(s.options.step)};
}"""


def slider_value(handle) -> float:
    return handle.evaluate(JS_SLIDER)["value"]


def same(a: float, b: float, step: float) -> bool:
    return abs(a - b) <= 1e-6 * (abs(step) or 1.0)


def reaction(start, state) -> str:
    """What changed between two settled states of a figure: 'pixels', 'message', both or none."""
    changed = [name for name, key in (("pixels", "hashes"), ("message", "message"))
               if state[key] != start[key]]
    return " + ".join(changed) or "no change"


class Exerciser:
    """Moves every control of one live figure and records what the figure did.

    `problems` collects what fails the test (an error, a figure that stops rendering or never
    settles, a control that changes neither the pixels nor the message); `notes` what is worth
    a look but does not fail (a figure that does not come back to its picture when its control
    comes back to its start value)."""

    def __init__(self, page, rel, index, info, shots):
        self.page, self.rel, self.index, self.info, self.shots = page, rel, index, info, shots
        self.problems, self.notes, self.changes, self.cross_checks = [], [], 0, 0
        self.last = None  # the last settled state seen

    def where(self, control, position):
        return f"{self.rel} figure {self.index} (cell {self.info['cell']}), " \
               f"{control['kind']} {control['label']!r} at {position}"

    def problem(self, text):
        """Record a problem, with a screenshot of the figure as it is now."""
        shot = self.shots / f"figure-{self.index}-problem-{len(self.problems) + 1}.png"
        try:
            self.page.locator(f'[data-test-figure="{self.index}"]').screenshot(
                path=shot, animations="disabled")
            text += f" [screenshot {shot}]"
        except Exception:  # noqa: BLE001 - the problem itself is what matters
            pass
        self.problems.append(text)

    def current(self):
        """The figure's settled state: the one the last check saw (nothing moved since)."""
        if self.last is None:
            self.last = settle(self.page, self.index)
        return self.last

    def check(self, control, position, before):
        """Settle after one change; record errors, blank or unsettled figures. Returns the state."""
        self.changes += 1
        state = self.last = settle(self.page, self.index)
        where = self.where(control, position)
        if not state["settled"]:
            self.problem(f"{where}: the figure did not settle within "
                                 f"{SETTLE_TIMEOUT / 1000:.0f} s")
        if state["blank"]:
            self.problem(f"{where}: the figure is blank (sizes {state['sizes']})")
        if state["errors"] > before["errors"]:
            new = self.page.evaluate("n => window.__kernelErrors.slice(n)", before["errors"])
            self.problem(f"{where}: the kernel reported\n" + "\n".join(new))
        if state["message"] and UNEXPECTED in state["message"]:
            self.problem(f"{where}: the figure's message says {state['message']!r}")
        return state

    def nudge(self, k):
        """Move control k of this figure one notch (a slider five steps, a choice to its next
        option, a checkbox over); returns (what was done, a function that moves it back)."""
        control = self.info["controls"][k]
        locator = self.page.locator(f'[data-test-control="{self.index}-{k}"]')
        if control["kind"] == "slider":
            s = locator.evaluate(JS_SLIDER)
            up = s["value"] + 5 * s["step"] <= s["max"] + 1e-9 * (abs(s["max"]) or 1)
            locator.press("PageUp" if up else "PageDown")
            moved = slider_value(locator)
            return (f"{s['value']:g} -> {moved:g}",
                    lambda: locator.press("PageDown" if up else "PageUp"))
        if control["kind"] in ("toggle", "radio"):
            items = locator.locator(".widget-toggle-button" if control["kind"] == "toggle"
                                    else "input[type=radio]")
            n = items.count()
            active = [i for i in range(n) if (
                "mod-active" in (items.nth(i).get_attribute("class") or "")
                if control["kind"] == "toggle" else items.nth(i).is_checked())]
            k0 = active[0] if active else 0
            items.nth((k0 + 1) % n).click()
            return (f"{control['options'][k0]} -> {control['options'][(k0 + 1) % n]}",
                    lambda: items.nth(k0).click())
        if control["kind"] == "dropdown":
            select = locator.locator("select")
            options = select.evaluate("s => Array.from(s.options).map(o => o.textContent.trim())")
            k0 = select.evaluate("s => s.selectedIndex")
            if len(options) < 2 or k0 < 0:
                return "no other option", lambda: None
            k1 = (k0 + 1) % len(options)
            select.select_option(index=k1)
            return (f"{options[k0]} -> {options[k1]}", lambda: select.select_option(index=k0))
        box = locator.locator("input[type=checkbox]")
        box.click()
        return "ticked over", box.click

    def cross_check(self, j, control, position, state):
        """In a state the figure flags as out of range (its message is a warning), every other
        control is still valid: moving it must still change the figure or its message."""
        if not state["warning"]:
            return
        for k, other in enumerate(self.info["controls"]):
            if k == j or other["kind"] == "button" or (
                    other["kind"] in ("toggle", "radio", "dropdown") and len(other["options"]) < 2):
                continue
            where = (f"{self.where(other, 'a nudge')} while {control['label']!r} is at "
                     f"{position} (message {state['message']!r})")
            base = self.current()
            done, undo = self.nudge(k)
            if done == "no other option":  # a dropdown emptied by a button: nothing to nudge
                continue
            moved = self.check(other, f"{done} while {control['label']!r} is at {position}",
                               base)
            if reaction(base, moved) == "no change":
                self.problem(f"{where}: {done} changed neither the figure nor its "
                                     "message")
            undo()
            self.check(other, f"back while {control['label']!r} is at {position}", moved)
            self.cross_checks += 1

    def exercise(self, j, control):
        """Every position of control j; a problem if none of them changed the figure."""
        locator = self.page.locator(f'[data-test-control="{self.index}-{j}"]')
        start = self.last = settle(self.page, self.index)
        visited = []  # (position, state) for every position that is not the start one
        back = None
        if control["kind"] == "slider":
            locator.scroll_into_view_if_needed()
            v0, lo, hi, step = (locator.evaluate(JS_SLIDER)[k]
                                for k in ("value", "min", "max", "step"))
            for key, target in (("Home", lo), ("End", hi)):
                before = self.current()
                locator.press(key)
                value = slider_value(locator)
                if not same(value, target, step):
                    self.problem(f"{self.where(control, key)}: the slider went to "
                                         f"{value:g}, not to {target:g}")
                if not same(value, v0, step):
                    position = f"{value:g} ({'minimum' if key == 'Home' else 'maximum'})"
                    visited.append((position, self.check(control, position, before)))
                    self.cross_check(j, control, position, visited[-1][1])
            if not same(slider_value(locator), v0, step):
                before = self.current()
                # Back where it started: a click on the track where the start value sits (the
                # handle is drawn at that fraction of the track), then arrow keys for the rest.
                locator.scroll_into_view_if_needed()
                track = locator.locator("xpath=ancestor::*[contains(@class, 'noUi-base')]")
                box = track.bounding_box()
                fraction = (v0 - lo) / (hi - lo) if hi > lo else 0.0
                self.page.mouse.click(box["x"] + fraction * box["width"],
                                      box["y"] + box["height"] / 2)
                presses = round((v0 - slider_value(locator)) / step) if step else 0
                for _ in range(min(abs(presses), MAX_CORRECTIONS)):
                    locator.press("ArrowRight" if presses > 0 else "ArrowLeft")
                if not same(slider_value(locator), v0, step):
                    self.problem(f"{self.where(control, 'back')}: could not bring the "
                                         f"slider back to {v0:g} (it shows "
                                         f"{slider_value(locator):g})")
                back = self.check(control, f"{v0:g} (back)", before)
        elif control["kind"] in ("toggle", "radio"):
            items = locator.locator(".widget-toggle-button" if control["kind"] == "toggle"
                                    else "input[type=radio]")
            n = items.count()
            if control["kind"] == "toggle":
                first = [k for k in range(n)
                         if "mod-active" in (items.nth(k).get_attribute("class") or "")]
            else:
                first = [k for k in range(n) if items.nth(k).is_checked()]
            k0 = first[0] if first else None
            for k in [k for k in range(n) if k != k0] + ([k0] if k0 is not None else []):
                before = self.current()
                items.nth(k).click()
                state = self.check(control, control["options"][k], before)
                if k == k0:
                    back = state
                else:
                    visited.append((control["options"][k], state))
                    self.cross_check(j, control, control["options"][k], state)
        elif control["kind"] == "dropdown":
            select = locator.locator("select")
            # Its options as they are now (a button may have changed them since the marking).
            options = select.evaluate("s => Array.from(s.options).map(o => o.textContent.trim())")
            k0 = select.evaluate("s => s.selectedIndex")
            for k in [k for k in range(len(options)) if k != k0] + ([k0] if k0 >= 0 else []):
                before = self.current()
                select.select_option(index=k)
                state = self.check(control, options[k], before)
                if k == k0:
                    back = state
                else:
                    visited.append((options[k], state))
                    self.cross_check(j, control, options[k], state)
        elif control["kind"] == "button":  # one click; what it changes may be any text too
            locator.scroll_into_view_if_needed()
            if locator.is_disabled():
                self.notes.append(f"{self.where(control, 'start')}: the button is disabled")
                return ["disabled"]
            before = self.current()
            locator.click()
            visited.append(("clicked", self.check(control, "clicked", before)))
        else:  # checkbox: tick or untick, then back
            box = locator.locator("input[type=checkbox]")
            for position in ("toggled", "back"):
                before = self.current()
                box.click()
                state = self.check(control, position, before)
                if position == "back":
                    back = state
                else:
                    visited.append((position, state))
                    self.cross_check(j, control, "ticked over", state)
        keys = ("hashes", "message", "text") if control["kind"] == "button" \
            else ("hashes", "message")
        if visited and not any(state[key] != start[key] for _, state in visited for key in keys):
            self.problem(
                f"{self.where(control, ', '.join(p for p, _ in visited))}: the figure ignores "
                f"the control: neither its pixels nor its message changed from the start "
                f"(message {start['message']!r})")
        elif visited and control["kind"] != "button" and not any(
                state["hashes"] != start["hashes"] for _, state in visited):
            self.notes.append(f"{self.where(control, 'every position')}: only the message "
                              "changed, never the picture")
        if back is not None and back["hashes"] != start["hashes"]:
            self.notes.append(f"{self.where(control, 'back')}: the picture differs from the one "
                              "before the control moved")
        return [f"{p} [{reaction(start, state)}]" for p, state in visited]



# What a learner would see as an error in the page: an error or stderr output (JupyterLab and
# Voilà both render them with this MIME type), a traceback or Voilà's "There was an error when
# executing cell" in any output, or a LiveFigure's unexpected-exception message.
JS_PAGE_ERRORS = """() => {
    const found = [];
    document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').forEach(
        e => found.push('error output: ' + e.innerText.trim().slice(0, 600)));
    const needles = ['Traceback (most recent call last)', 'There was an error when executing cell',
                     'Something went wrong'];
    document.querySelectorAll('.jp-OutputArea').forEach(area => {
        const text = area.innerText;
        for (const needle of needles) {
            const at = text.indexOf(needle);
            if (at >= 0) found.push('in an output: ' + text.slice(Math.max(0, at - 200), at + 400));
        }
    });
    return found;
}"""


def is_local(url: str) -> bool:
    """Whether the page's request stays on this machine (the test's own server, data: URLs)."""
    parsed = urllib.parse.urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost")


class PageWatch:
    """Everything the browser reports while a page is open: JavaScript console errors and
    uncaught exceptions (``errors``, which fail a test), and requests to other hosts, which are
    blocked so that a test never depends on the network (``blocked``). The console line of a
    blocked request ("Failed to load resource") is not an error of the page: Voilà's lab template
    links Font Awesome from a CDN although its own bundle already carries the icons."""

    def __init__(self, page):
        self.errors, self.blocked = [], []
        page.add_init_script(JS_INIT)
        page.route(lambda url: not is_local(url), self._block)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught exception: {exc}"))

    def _block(self, route):
        self.blocked.append(route.request.url)
        route.abort("blockedbyclient")

    def _console(self, msg):
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if msg.text.startswith("Failed to load resource") and url in self.blocked:
            return
        self.errors.append(f"console error: {msg.text} (at {url or 'unknown'})")


def _wait_until_up(process, url, log_path, name, headers=None):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            tail = Path(log_path).read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{name} did not start (exit code {process.poll()}):\n{tail}")
        try:
            request = urllib.request.Request(url, headers=headers or {})
            urllib.request.urlopen(request, timeout=2).close()
            return
        except OSError:
            time.sleep(0.25)


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _isolated_env(home: Path, settings: Path | None = None) -> dict:
    """Jupyter's config, data, runtime and settings folders inside `home`: the user's and the
    repository's are untouched."""
    return {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings or home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
    }


@contextlib.contextmanager
def jupyterlab_server(home: Path):
    """A JupyterLab server on a free loopback port, with its own config, data, settings and
    checkpoint folders (the user's and the repository's are untouched), no news, update or
    extension-manager look-ups, autosave off, and every notebook cell kept in the page.
    Yields the base URL and the token; the log is home/server.log."""
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
    token, port = secrets.token_hex(16), free_port()
    with open(home / "server.log", "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
             f"--ServerApp.root_dir={REPO}"],
            env=_isolated_env(home, settings), cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(server, f"{url}/api/status", home / "server.log", "JupyterLab",
                           {"Authorization": f"token {token}"})
            yield url, token
        finally:
            _stop(server)


@contextlib.contextmanager
def voila_server(home: Path, *extra_args):
    """Voilà serving app/ exactly as `bash scripts/open-app` does (from the repository root, so
    with the settings of ./voila.json: preheated kernels), on a free loopback port, with its own
    Jupyter folders. Yields the base URL; the log is home/voila.log."""
    (home / "config").mkdir(parents=True, exist_ok=True)
    port = free_port()
    with open(home / "voila.log", "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "voila", "app", "--no-browser", f"--port={port}",
             "--Voila.ip=127.0.0.1", *extra_args],
            env=_isolated_env(home), cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(server, f"{url}/", home / "voila.log", "Voilà")
            yield url
        finally:
            _stop(server)


def exercise_figures(page, rel, shots_dir):
    """Find every live figure in the page (JS_MARK_FIGURES) and move every control of each
    (Exerciser). Figures without controls must render. Returns (found, problems, notes, summary
    lines, number of changes, number of cross-checks, screenshots)."""
    found = page.evaluate(JS_MARK_FIGURES)
    problems, notes, summary, shots, changes, cross_checks = [], [], [], [], 0, 0
    for k, static in enumerate(found["statics"]):
        state = settle(page, None, selector=f'[data-test-static="{k}"]')
        if not state["settled"] or state["blank"]:
            problems.append(f"{rel}: the figure without controls in cell {static['cell']} "
                            f"never finished drawing (blank: {state['blank']})")
    for i, info in enumerate(found["figures"]):
        first = settle(page, i)
        if not first["settled"] or first["blank"]:
            problems.append(f"{rel}: figure {i} (cell {info['cell']}) never finished "
                            f"drawing (blank: {first['blank']})")
            continue
        exerciser = Exerciser(page, rel, i, info, shots_dir)
        for j, control in enumerate(info["controls"]):
            positions = exerciser.exercise(j, control)
            summary.append(f"  figure {i} (cell {info['cell']}) {control['kind']} "
                           f"{control['label']!r}: {', '.join(positions)}")
        problems += exerciser.problems
        notes += exerciser.notes
        changes += exerciser.changes
        cross_checks += exerciser.cross_checks
        shot = shots_dir / f"figure-{i}.png"
        page.locator(f'[data-test-figure="{i}"]').screenshot(path=shot, animations="disabled")
        shots.append(shot)
    return found, problems, notes, summary, changes, cross_checks, shots
