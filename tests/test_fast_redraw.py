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
                  W.crash_widget, W.liquidation_region_widget, W.loss_distribution_widget):
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
