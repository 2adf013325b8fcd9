"""How much dearer is one live-figure update than a bare redraw of the same figure?

    python benchmarks/figure_update.py [--runs N] [--backend ipympl|agg]

Builds the leverage widget of notebook 01 (``widgets.equity_widget()``: equity vs price, three
controls) and times, N times each, interleaved:

(a) one update, as a learner's slider move reaches the screen: set a control's value (the
    LiveFigure calls ``plot.update`` then ``fig.canvas.draw_idle()``) → render the figure
    with Agg → encode the frame as PNG;
(b) a bare render + PNG encode of the same figure, nothing changed.

With the notebooks' backend (ipympl, the default here) ``draw_idle`` only asks the browser for
a frame; the frame is then rendered (``canvas.draw()``) and PNG-encoded from the Agg buffer,
as ipympl does for a full frame. With ``--backend agg`` ``draw_idle`` renders at once, so (a)
renders inside the value change and only encodes after it. Either way each of (a) and (b) is
one render and one encode. The leverage alternates between 10x and 20x so that every (a) is a
real change. The script also checks that no figure was created and that the figure, its axes
and its artists are the same objects after all updates.

Prints the medians and ``figure_update: ratio=R target=1.2`` (R = median (a) / median (b)).
Prints only; asserts nothing about time.
"""
import argparse
import io
import statistics
import sys
import time

TARGET = 1.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60, help="timed runs of each (at least 30)")
    parser.add_argument("--backend", choices=("ipympl", "agg"), default="ipympl")
    args = parser.parse_args()
    if args.runs < 30:
        parser.error("--runs must be at least 30")

    import matplotlib
    matplotlib.use("module://ipympl.backend_nbagg" if args.backend == "ipympl" else "Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from PIL import Image

    from marginlib import widgets

    w = widgets.equity_widget()
    fig, canvas = w.fig, w.fig.canvas
    figures, axes = plt.get_fignums(), list(fig.axes)
    artists = dict(w.plot.artists)
    leverage = w.controls["leverage"]
    renders_on_draw_idle = args.backend == "agg"

    def encode():
        """PNG of the current Agg buffer (what ipympl sends for a full frame)."""
        with io.BytesIO() as png:
            Image.fromarray(np.asarray(canvas.buffer_rgba())).save(png, format="png")
            return len(png.getvalue())

    def update(value):
        leverage.value = value            # -> LiveFigure.refresh -> plot.update, draw_idle
        if not renders_on_draw_idle:
            canvas.draw()                 # the frame the browser asks for
        return encode()

    def bare():
        canvas.draw()
        return encode()

    values = [10.0, 20.0]
    for i in range(5):                    # warm caches (fonts, text layout, PNG encoder)
        update(values[i % 2])
        bare()
    t_update, t_bare = [], []
    for i in range(args.runs):
        start = time.perf_counter()
        update(values[(i + 1) % 2])
        t_update.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare()
        t_bare.append(time.perf_counter() - start)

    problems = []
    if plt.get_fignums() != figures:
        problems.append(f"figures changed: {figures} -> {plt.get_fignums()}")
    if fig.axes != axes or any(a is not b for a, b in zip(fig.axes, axes)):
        problems.append("the axes are not the same objects")
    if any(w.plot.artists[k] is not a for k, a in artists.items()):
        problems.append("artists were re-created")
    if "⚠" in w.message.value:
        problems.append(f"the widget reported an error: {w.message.value}")
    expected = w.plot.summary["liquidation_price"]
    if not np.isclose(w.plot.artists["liquidation"].get_xdata()[0], expected):
        problems.append("the liquidation marker does not show the last update")

    med_update, med_bare = statistics.median(t_update), statistics.median(t_bare)
    print(f"backend {args.backend}; {args.runs} runs each; figure {fig.bbox.width:.0f}x"
          f"{fig.bbox.height:.0f} px")
    print(f"(a) update + render + encode: median {med_update * 1e3:.2f} ms")
    print(f"(b) render + encode:          median {med_bare * 1e3:.2f} ms")
    print(f"same figure, axes and artists: {'yes' if not problems else 'NO'}")
    for problem in problems:
        print("  " + problem)
    print(f"figure_update: ratio={med_update / med_bare:.2f} target={TARGET}")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
