"""LiveFigure's partial redraw on an ipympl canvas (widgets._base.FastRedraw) shows the figure
a full render shows.

In a fresh interpreter with the notebooks' backend (ipympl), as if the browser showed the canvas
(``syncing_data_url`` False, as after ipympl's "initialized" message): every control of a set of
course widgets is moved through a few positions; after each change the canvas' Agg buffer (what
ipympl encodes and sends) must equal a full render of the figure (``print_to_buffer``, which
draws every artist, animated or not) up to 3 levels per channel (a legend composited from its
snapshot rounds differently), and the partial path must have been taken for some changes.
pyplot is interactive, as in the notebooks, and no change may ask the browser for a full draw
(``draw_idle``): the frame is sent at once, and a draw asked for while painting would loop.
"""
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import matplotlib
    matplotlib.use("module://ipympl.backend_nbagg")
    import ipywidgets
    import numpy as np
    from marginlib import widgets as W
    from marginlib.widgets import _base

    import matplotlib.pyplot as plt
    plt.ion()   # as under %matplotlib widget: pyplot redraws a changed figure by itself
    asked = []  # draw_idle calls: each one asks the browser for a full draw
    canvas_class = type(plt.figure().canvas)
    canvas_class.draw_idle = lambda self: asked.append(self)
    plt.close("all")

    taken = []
    prepare = _base.FastRedraw.prepare
    def counting(self):
        done = prepare(self)
        taken.append(done)
        return done
    _base.FastRedraw.prepare = counting

    def positions(control):
        if isinstance(control, (ipywidgets.FloatSlider, ipywidgets.IntSlider)):
            v0, step = control.value, control.step
            sign = 1 if v0 + 2 * step <= control.max else -1
            return [v0 + sign * step, v0 + 2 * sign * step, v0 + sign * step, v0, control.max, v0]
        if hasattr(control, "options"):
            options = [o[1] if isinstance(o, tuple) else o for o in control.options]
            return [o for o in options if o != control.value] + [control.value]
        return []

    worst, checks = 0, 0
    for build in (W.notional_widget, W.equity_widget, W.liquidation_distance_widget,
                  W.crash_widget, W.liquidation_region_widget, W.loss_distribution_widget,
                  W.liquidation_heatmap_widget):
        w = build()
        canvas = w.fig.canvas
        canvas.syncing_data_url = False   # the browser shows it
        canvas.draw()                     # its first frame
        for name, control in w.controls.items():
            for value in positions(control):
                del asked[:]
                control.value = value
                assert not asked, (build.__name__, name, value, "asked for a full draw")
                shown = np.asarray(canvas.buffer_rgba()).astype(int)
                raw, (width, height) = canvas.print_to_buffer()
                full = np.frombuffer(raw, np.uint8).reshape(height, width, 4).astype(int)
                diff = int(np.abs(shown - full).max())
                checks += 1
                assert diff <= 3, (build.__name__, name, value, diff)
                worst = max(worst, diff)
    print("checks", checks, "partial", sum(taken), "of", len(taken), "worst", worst)
""")


def test_partial_redraw_shows_what_a_full_render_shows():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    words = out.stdout.split()
    checks, partial = int(words[words.index("checks") + 1]), int(words[words.index("partial") + 1])
    assert checks >= 40
    assert partial >= checks // 4, out.stdout   # the partial path is used, not only full draws


def test_loss_plot_keeps_seeded_simulations_and_rounds_its_axis():
    """The Monte Carlo plot of 04d shows a slider's earlier value without simulating again
    (same seed: same paths, so the same numbers as a fresh simulation), never keeps a
    Generator's simulation (its state moves on), and rounds its y axis up so that a small
    change keeps it."""
    import matplotlib
    matplotlib.use("Agg")
    import numpy as np

    from marginlib import plots
    from marginlib.course import contagion as cc
    from marginlib.sim.montecarlo import simulate_margin_modes

    small = dict(n_paths=300, horizon_days=2, rng=11)
    p = plots.loss_distributions(static=True, correlation=0.5, **small)
    first = p.simulation
    p.set(correlation=0.6)
    assert p.simulation is not first
    p.set(correlation=0.5)
    assert p.simulation is first                       # kept, not simulated again
    fresh = simulate_margin_modes(cc.contagion_book("three longs", 5.0),
                                  model=cc.defai_model("three longs", 0.5), n_steps=48,
                                  n_paths=300, rng=11)
    assert np.array_equal(p.artists["cross"].get_data().values,
                          np.histogram(np.clip(fresh.cross_loss, -2, 1), cc.LOSS_EDGES)[0])
    top = max(int(c.max()) for c in p.counts.values())
    low, high = p.ax.get_ylim()
    assert low == 0 and 1.6 * top <= high <= 1.6 * top * 1.5

    g = plots.loss_distributions(static=True, correlation=0.5, n_paths=300, horizon_days=2,
                                 rng=np.random.default_rng(1))
    assert g._simulations == {}


def test_every_frame_is_a_whole_frame_of_the_rendered_pixels():
    """_frame_png sends a frame when Matplotlib's get_diff_image would (first, changed,
    unchanged, transparent and resized frames), but always a whole one in "full" mode whose
    decoded pixels are the canvas' own: a frame the browser drops (ipympl paints only the last
    of two frames that arrive together) can never leave a diff painted over a stale picture.
    Matplotlib's own encoder sends diff frames for the same steps (what this guards against)."""
    import io

    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore
    from matplotlib.figure import Figure
    from PIL import Image

    from marginlib.widgets._base import _frame_png

    def canvas():
        fig = Figure(figsize=(4, 3), dpi=100)
        c = FigureCanvasWebAggCore(fig)
        c.modes = []
        c.handle_send_image_mode = lambda event: None   # no browser to tell
        ax = fig.add_subplot()
        ax.plot([0, 1, 2], [1, 0, 1])
        return c, ax

    ours, ax1 = canvas()
    theirs, ax2 = canvas()
    steps = [lambda ax: None,
             lambda ax: ax.lines[0].set_ydata([0, 1, 0]),
             lambda ax: ax.figure.patch.set_alpha(0.5),   # transparency
             lambda ax: ax.figure.patch.set_alpha(1.0),
             lambda ax: ax.lines[0].set_ydata([1, 1, 0]),
             lambda ax: None,                              # nothing changed
             lambda ax: ax.figure.set_size_inches(5, 3)]   # a new size
    sent = 0
    for change in steps:
        for c, ax, encode in ((ours, ax1, _frame_png), (theirs, ax2, type(theirs).get_diff_image)):
            change(ax)
            c._png_is_old = True      # what FigureCanvasWebAggCore.draw does, without a
            FigureCanvasAgg.draw(c)   # manager to send the frame to
            c.frame = encode(c)
            c.modes.append(c._current_image_mode)
        assert (ours.frame is None) == (theirs.frame is None)
        if ours.frame is not None:
            sent += 1
            rendered = np.asarray(ours.get_renderer().buffer_rgba())
            decoded = np.asarray(Image.open(io.BytesIO(ours.frame)))
            assert decoded.shape == rendered.shape and np.array_equal(decoded, rendered)
            assert np.array_equal(ours._last_buff, rendered.view(np.uint32).squeeze(2))
        assert _frame_png(ours) is None and type(theirs).get_diff_image(theirs) is None
    assert sent == len(steps)
    assert ours.modes == ["full"] * len(steps)
    assert "diff" in theirs.modes
