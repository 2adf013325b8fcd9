"""How long from a slider step to changed pixels, for every live figure, in a real browser?

    python benchmarks/browser_latency.py [--notebooks 01,04d] [--steps 6] [--quick]

Starts JupyterLab (its own config, data and settings folders; autosave off; the notebooks are
never written) and Debian's Chromium (/usr/bin/chromium, headless, driven by Playwright; never
a browser that Playwright downloads). For every notebook with a live figure: open it, run all
cells, then for each live figure (an ipympl canvas with the ipywidgets controls around it, a
marginlib LiveFigure) and each of its controls, make ``--steps`` steps, one at a time:

* a slider: ArrowRight / ArrowLeft on its focused handle (alternating, so it stays near its
  start value);
* a toggle: a click on its next option, then back.

Per step, in the page: the time from the key press (a capturing ``keydown`` listener; for a
toggle ``pointerdown``) to the first frame drawn onto the figure's canvas (ipympl's
``drawImage``, wrapped) after which its pixels differ from the ones before the step (read with
``getImageData`` once per drawn frame). Then the page waits until the
kernel is idle and the figure quiet before the next step. A step whose pixels never change
(within ``--timeout``) is counted as "no change" and left out of the times.

Per step, in the kernel (the same kernel, instrumented by a code cell sent after "run all"):
the time of the plot's ``update`` (the figure's own computation), of the render (Agg) and of
the PNG encode of the frame sent to the browser; ``transfer + browser`` is what is left of
the browser latency.

Prints one table row per figure (median and max over its steps, and the kernel's medians),
then the line ``browser_latency: figures=N median_ms=M max_ms=X`` (median and max over every
step of every figure). ``--quick`` measures the first figure of notebook 01 with 2 steps per
control (the CI smoke test). Prints only; asserts nothing about time. Timings depend on the
machine's load: run it on a quiet machine.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
# The browser tests' machinery: the same JupyterLab set-up, page scripts and browser.
from browser_helpers import (CHROMIUM, JS_INIT, JS_KERNEL_IDLE, JS_RUN_ALL,  # noqa: E402
                             JS_SLIDER, JS_WIDGETS_RENDERED, REPO, jupyterlab_server)

TARGET_MS = 100

JS_CELL_ERRORS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .filter(c => c.model.type === 'code')
    .flatMap(c => c.model.outputs.toJSON().filter(o => o.output_type === 'error')
    .map(o => o.ename + ': ' + o.evalue))"""
# Record when a key goes down or a pointer presses (capturing, before the widget sees it), and
# the time of the last kernel message.
JS_INSTALL = """() => {
    window.__t0 = null;
    document.addEventListener('keydown', () => { window.__t0 = performance.now(); }, true);
    document.addEventListener('pointerdown', () => { window.__t0 = performance.now(); }, true);
    window.__lastKernelMessage = performance.now();
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    kernel.anyMessage.connect(() => { window.__lastKernelMessage = performance.now(); });
}"""
# Run code in the notebook's kernel (not in a cell); resolves to its stdout.
JS_EXECUTE = """async (code) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const future = kernel.requestExecute({code, silent: false, store_history: false});
    let out = '';
    future.onIOPub = msg => {
        if (msg.header.msg_type === 'stream') out += msg.content.text;
        if (msg.header.msg_type === 'error') out += 'ERROR ' + msg.content.ename + ': '
            + msg.content.evalue;
    };
    await future.done;
    return out;
}"""
# Every live figure: the nearest element around an ipympl canvas that also holds a control
# (slider handle or toggle buttons). Marks it, its canvas and its controls; returns for each
# the canvas' figure label (the hidden header: "Figure N", the kernel's key) and the controls.
JS_MARK = """() => {
    const CONTROLS = '.widget-slider .noUi-handle, .widget-toggle-buttons';
    const panel = window.jupyterapp.shell.currentWidget;
    const figures = [], roots = [];
    panel.content.widgets.forEach((cell, cellIndex) => {
        if (cell.model.type !== 'code') return;
        const area = cell.node.querySelector('.jp-OutputArea');
        if (!area) return;
        for (const div of area.querySelectorAll('.jupyter-matplotlib-canvas-div')) {
            let root = div.parentElement;
            while (root && root !== area && !root.querySelector(CONTROLS)) root = root.parentElement;
            if (!root || root === area || roots.includes(root)) continue;
            roots.push(root);
            const i = figures.length;
            root.setAttribute('data-lat-figure', String(i));
            const figure = div.closest('.jupyter-matplotlib-figure');
            const header = figure && figure.querySelector('.jupyter-matplotlib-header');
            const controls = Array.from(root.querySelectorAll(CONTROLS)).map((el, j) => {
                el.setAttribute('data-lat-control', i + '-' + j);
                const box = el.closest('.widget-inline-hbox') || el;
                const label = box.querySelector('.widget-label');
                const slider = el.classList.contains('noUi-handle');
                return {kind: slider ? 'slider' : 'toggle',
                        label: (label && label.textContent.trim()) || '?',
                        options: slider ? 0 : el.querySelectorAll('.widget-toggle-button').length};
            });
            figures.push({cell: cellIndex, label: header ? header.textContent.trim() : '?',
                          controls});
        }
    });
    return figures;
}"""
# Remember figure i's pixels (before a step), and note when anything is drawn onto its canvas:
# ipympl paints each frame it receives with the canvas context's drawImage, so wrapping that
# call tells the moment a frame lands without reading the canvas back on a timer (reading
# 1-2 MB of pixels every few ms took a good part of a core from the kernel being measured).
JS_SNAPSHOT = """(i) => {
    const c = document.querySelector(`[data-lat-figure="${i}"] .jupyter-matplotlib-canvas-div canvas`);
    const ctx = c.getContext('2d');
    if (!ctx.__latHooked) {
        const draw = CanvasRenderingContext2D.prototype.drawImage;
        ctx.drawImage = function (...args) {
            const result = draw.apply(this, args);
            window.__draws.push(performance.now());
            return result;
        };
        ctx.__latHooked = true;
    }
    window.__draws = [];
    window.__before = ctx.getImageData(0, 0, c.width, c.height).data;
    window.__t0 = null;
}"""
# Resolves to the ms from the step's input event to the first frame drawn onto figure i's canvas
# after which its pixels differ from the snapshot (null: no change within the timeout). The
# pixels are read once per drawn frame, not on a timer.
JS_WAIT_CHANGE = """async ({i, timeout}) => {
    const c = document.querySelector(`[data-lat-figure="${i}"] .jupyter-matplotlib-canvas-div canvas`);
    const ctx = c.getContext('2d');
    const before = new Uint32Array(window.__before.buffer);
    const start = performance.now();
    let seen = 0;
    while (performance.now() - start < timeout) {
        while (seen < window.__draws.length) {
            const t = window.__draws[seen++];
            if (c.width * c.height !== before.length)
                return window.__t0 === null ? null : t - window.__t0;
            const now = new Uint32Array(ctx.getImageData(0, 0, c.width, c.height).data.buffer);
            for (let k = 0; k < now.length; k++) {
                if (now[k] !== before[k]) return window.__t0 === null ? null : t - window.__t0;
            }
        }
        await new Promise(r => setTimeout(r, 2));
    }
    return null;
}"""
# Resolves once the kernel is idle and no kernel message came for `quiet` ms.
JS_QUIET = """async ({quiet, timeout}) => {
    const kernel = () => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const start = performance.now();
    while (performance.now() - start < timeout) {
        const k = kernel();
        if (k && k.status === 'idle' && performance.now() - window.__lastKernelMessage >= quiet)
            return true;
        await new Promise(r => setTimeout(r, 20));
    }
    return false;
}"""

# Sent to the kernel once the notebook ran: time every live figure's plot.update (its own
# computation), every full render of an ipympl canvas and every PNG encode of a frame,
# keyed by the canvas' figure label. ``__lat_take(label)`` prints and clears one figure's record.
KERNEL_INSTRUMENT = r'''
def __lat_setup():
    import gc, json, time
    from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore
    from marginlib.widgets._base import LiveFigure
    rec = {}

    def add(canvas, what, ms):
        rec.setdefault(getattr(canvas, "_figure_label", "?"), {}).setdefault(what, []).append(ms)

    def clocked(fn, what, canvas=None):
        """``fn`` timed into ``what`` of ``canvas`` (None: of the call's first argument's canvas,
        the instance of a wrapped method)."""
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                c = canvas if canvas is not None else getattr(args[0], "canvas", args[0])
                add(c, what, 1e3 * (time.perf_counter() - t))
        wrapper.__lat__ = True
        return wrapper

    def timed(name, what):
        original = getattr(FigureCanvasWebAggCore, name)
        if not getattr(original, "__lat__", False):
            setattr(FigureCanvasWebAggCore, name, clocked(original, what))

    timed("draw", "draw")            # full Agg render (+ PNG encode inside, subtracted below)
    timed("blit", "blit")            # the send of a partial redraw (PNG encode inside)
    timed("get_diff_image", "png")   # the PNG encode of a frame
    try:  # LiveFigure's partial redraw (repaint what an update changed)
        from marginlib.widgets._base import FastRedraw
    except ImportError:
        FastRedraw = None
    if FastRedraw is not None and not getattr(FastRedraw.redraw, "__lat__", False):
        FastRedraw.redraw = clocked(FastRedraw.redraw, "render")   # self.canvas
    for obj in gc.get_objects():
        if isinstance(obj, LiveFigure) and not getattr(obj.plot, "__lat__", False):
            obj.plot.update = clocked(obj.plot.update, "update", obj.fig.canvas)
            obj.plot.__lat__ = True
        if FastRedraw is not None and isinstance(obj, FastRedraw):
            own = vars(obj.canvas).get("get_diff_image")  # a live canvas' own PNG encoder
            if own is not None and not getattr(own, "__lat__", False):
                obj.canvas.get_diff_image = clocked(own, "png", obj.canvas)

    def take(label):
        print(json.dumps(rec.pop(label, {})))
    return take

__lat_take = __lat_setup()
'''


def median(values):
    return statistics.median(values) if values else float("nan")


def kernel_record(page, label):
    out = page.evaluate(JS_EXECUTE, f"__lat_take({label!r})")
    try:
        return json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {}


def kernel_split(record):
    """(update, render, png, full renders) of one step from the kernel's record (ms; count)."""
    update = sum(record.get("update", []))
    png = sum(record.get("png", []))
    render = sum(record.get("draw", [])) + sum(record.get("blit", [])) \
        + sum(record.get("render", [])) - png
    return update, max(render, 0.0), png, len(record.get("draw", []))


def measure_notebook(page, url, token, notebook, args):
    """Rows (one per figure) of one notebook."""
    rel = notebook.relative_to(REPO).as_posix()
    page.goto(f"{url}/lab/tree/{rel}?token={token}&reset")
    page.wait_for_function(JS_KERNEL_IDLE, timeout=120_000)
    t0 = time.monotonic()
    page.evaluate(JS_RUN_ALL)
    page.wait_for_function(JS_KERNEL_IDLE, timeout=600_000)
    errors = page.evaluate(JS_CELL_ERRORS)
    if errors:
        print(f"{rel}: cells raised: {errors}", file=sys.stderr)
    page.wait_for_function(JS_WIDGETS_RENDERED, timeout=120_000)
    page.evaluate(JS_INSTALL)
    out = page.evaluate(JS_EXECUTE, KERNEL_INSTRUMENT)
    if out.strip():
        print(f"{rel}: instrumenting the kernel said: {out.strip()}", file=sys.stderr)
    page.evaluate(JS_QUIET, {"quiet": 500, "timeout": 60_000})
    figures = page.evaluate(JS_MARK)
    if args.quick:
        figures = figures[:1]
    print(f"{rel}: run all {time.monotonic() - t0:.1f} s, {len(figures)} live figure(s)",
          flush=True)
    rows = []
    for i, fig in enumerate(figures):
        kernel_record(page, fig["label"])  # drop what the run itself recorded
        steps, kernel, no_change = [], [], 0
        for j, control in enumerate(fig["controls"]):
            if control["kind"] == "toggle" and control["options"] < 2:
                continue
            handle = page.locator(f'[data-lat-control="{i}-{j}"]')
            handle.scroll_into_view_if_needed()
            if control["kind"] == "slider":
                s = handle.evaluate(JS_SLIDER)
                up = s["value"] + s["step"] <= s["max"] + 1e-9 * (abs(s["max"]) or 1)
                handle.focus()
            buttons = handle.locator(".widget-toggle-button")
            active = 0
            if control["kind"] == "toggle":
                active = [k for k in range(control["options"]) if "mod-active" in (
                    buttons.nth(k).get_attribute("class") or "")]
                active = active[0] if active else 0
            for step in range(args.steps):
                page.evaluate(JS_QUIET, {"quiet": args.quiet, "timeout": 60_000})
                page.evaluate(JS_SNAPSHOT, i)
                if control["kind"] == "slider":
                    forward = (step % 2 == 0) == up
                    handle.press("ArrowRight" if forward else "ArrowLeft")
                else:
                    target = (active + 1) % control["options"] if step % 2 == 0 else active
                    buttons.nth(target).click()
                ms = page.evaluate(JS_WAIT_CHANGE, {"i": i, "timeout": args.timeout})
                page.evaluate(JS_QUIET, {"quiet": args.quiet, "timeout": 60_000})
                record = kernel_record(page, fig["label"])
                if args.verbose:
                    print(f"  {control['label']!r} step {step}: {ms} ms; kernel {record}")
                split = kernel_split(record)
                if ms is None:
                    no_change += 1
                    continue
                steps.append(ms)
                kernel.append(split)
        rows.append({"notebook": notebook.stem, "figure": i, "label": fig["label"],
                     "controls": len(fig["controls"]), "steps": steps,
                     "no_change": no_change, "kernel": kernel})
        print_row(rows[-1])
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    return rows


HEADER = (f"{'notebook':34s} {'fig':>3s} {'canvas':>10s} {'steps':>5s} {'median':>7s} {'max':>7s} "
          f"{'update':>7s} {'render':>7s} {'png':>6s} {'rest':>7s} {'full':>4s}  (ms; full: "
          "whole-figure renders per step)")


def print_row(row):
    steps, kernel = row["steps"], row["kernel"]
    update, render, png = (median([k[n] for k in kernel]) for n in range(3))
    rest = median([s - sum(k[:3]) for s, k in zip(steps, kernel)])
    full = median([k[3] for k in kernel])
    extra = f"  ({row['no_change']} step(s) without a pixel change)" if row["no_change"] else ""
    print(f"{row['notebook'][:34]:34s} {row['figure']:>3d} {row['label'][-10:]:>10s} {len(steps):>5d} {median(steps):>7.0f} "
          f"{max(steps) if steps else float('nan'):>7.0f} {update:>7.1f} {render:>7.1f} "
          f"{png:>6.1f} {rest:>7.0f} {full:>4.1f}{extra}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", default="",
                        help="comma-separated prefixes (01,04d); default: every notebook")
    parser.add_argument("--steps", type=int, default=6, help="steps per control")
    parser.add_argument("--quick", action="store_true",
                        help="the first figure of notebook 01, 2 steps per control (smoke test)")
    parser.add_argument("--timeout", type=float, default=15_000,
                        help="ms to wait for a step's pixels to change")
    parser.add_argument("--quiet", type=float, default=300,
                        help="ms without kernel messages before the next step")
    parser.add_argument("--json", type=Path, help="also write every step's times here")
    parser.add_argument("--verbose", action="store_true", help="print every step")
    args = parser.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"{CHROMIUM} is missing (Debian's chromium)")
    prefixes = ["01"] if args.quick else [p for p in args.notebooks.split(",") if p]
    if args.quick:
        args.steps = min(args.steps, 2)
    notebooks = [nb for nb in sorted(REPO.glob("notebooks/*.ipynb"))
                 if not prefixes or any(nb.name.startswith(p + "-") for p in prefixes)]
    if not notebooks:
        sys.exit(f"no notebook matches {prefixes}")

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="browser-latency-") as tmp:
        with jupyterlab_server(Path(tmp)) as (url, token), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.add_init_script(JS_INIT)  # window.__kernel(), which JS_KERNEL_IDLE reads
            print(HEADER)
            for notebook in notebooks:
                rows += measure_notebook(page, url, token, notebook, args)
            browser.close()
    steps = [s for r in rows for s in r["steps"]]
    kernel = [k for r in rows for k in r["kernel"]]
    if kernel:
        print(f"all steps: kernel update {median([k[0] for k in kernel]):.1f} ms, render "
              f"{median([k[1] for k in kernel]):.1f} ms, png {median([k[2] for k in kernel]):.1f}"
              f" ms (medians); target median <= {TARGET_MS} ms")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    figures = sum(1 for r in rows if r["steps"])
    print(f"browser_latency: figures={figures} median_ms={median(steps):.0f} "
          f"max_ms={max(steps) if steps else float('nan'):.0f}")


if __name__ == "__main__":
    main()
