"""The LiveFigure pattern: a control change updates the same artists in place, in the same
figure; a ValueError becomes a readable message and leaves the last valid picture; nothing
escapes to the learner as a traceback. Plus the leverage widgets.
"""
import html
import subprocess
import sys
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pytest

from marginlib import widgets
from marginlib.liquidation import liquidation_price, maintenance_margin
from marginlib.plots import LivePlot
from marginlib.position import position_size, unrealized_pnl


class Slope(LivePlot):
    """A line through (0, 0) and (1, slope); slope < 0 is refused, slope == 13 is a bug."""

    def draw(self, slope=1.0):
        (self.artists["line"],) = self.ax.plot([0.0, 1.0], [0.0, slope])
        self.ax.set_ylim(-1, 10)

    def update(self, slope=1.0):
        if slope < 0:
            raise ValueError("slope must be >= 0 <here>")
        if slope == 13:
            raise RuntimeError("unlucky")
        self.artists["line"].set_ydata([0.0, slope])


@pytest.fixture
def figures():
    """The pyplot figures open before the test; closes the ones the test opened."""
    before = plt.get_fignums()
    yield before
    for num in set(plt.get_fignums()) - set(before):
        plt.close(num)


@pytest.fixture
def live(figures):
    draws = []
    plot = Slope(slope=1.0)
    plot.fig.canvas.draw_idle = lambda *a, **k: draws.append(1)   # count redraw requests
    fig = widgets.LiveFigure(plot, {"slope": widgets.slider("slope", 1.0, -1.0, 20.0, 0.5)},
                             caption=lambda p, params: f"slope {params['slope']:g}")
    draws.clear()
    return fig, draws


def test_moving_a_control_updates_the_same_line_in_the_same_figure(live, figures):
    fig, draws = live
    line = fig.plot.artists["line"]
    figs = plt.get_fignums()
    assert len(figs) == len(figures) + 1          # the one figure, made at build time
    fig.controls["slope"].value = 4.5
    assert fig.plot.artists["line"] is line and list(fig.plot.ax.lines) == [line]
    assert list(line.get_ydata()) == [0.0, 4.5]
    assert plt.get_fignums() == figs and fig.fig is fig.plot.fig
    assert draws == [1]                            # one draw_idle per change
    assert fig.message.value == "slope 4.5" and fig.plot.params["slope"] == 4.5


def test_value_error_shows_in_the_message_and_keeps_the_last_valid_data(live):
    fig, draws = live
    fig.controls["slope"].value = 3.0
    draws.clear()
    fig.controls["slope"].value = -0.5            # no exception escapes this assignment
    assert list(fig.plot.artists["line"].get_ydata()) == [0.0, 3.0]
    assert "slope must be &gt;= 0 &lt;here&gt;" in fig.message.value     # escaped text
    assert "color:#b00020" in fig.message.value and "Traceback" not in fig.message.value
    assert draws == [] and fig.plot.params["slope"] == 3.0
    fig.controls["slope"].value = 2.0             # a valid value clears the message
    assert fig.message.value == "slope 2" and list(fig.plot.artists["line"].get_ydata()) == \
        [0.0, 2.0]


def test_any_other_exception_is_caught_and_named(live):
    fig, _ = live
    fig.controls["slope"].value = 13.0
    assert "Something went wrong: RuntimeError: unlucky" in fig.message.value
    assert fig.refresh() is False and list(fig.plot.artists["line"].get_ydata()) == [0.0, 1.0]


def test_equity_widget_follows_marginlib_in_place(figures):
    w = widgets.equity_widget()
    figs = plt.get_fignums()
    axes = list(w.fig.axes)
    artists = dict(w.plot.artists)
    for leverage, side, mmr in [(20, "long", 0.01), (20, "short", 0.01), (3.5, "short", 0.08),
                                (50, "long", 0.0)]:
        w.controls["leverage"].value = leverage
        w.controls["side"].value = side
        w.controls["maintenance_margin_rate"].value = mmr
        size = position_size(margin=100, leverage=leverage, entry_price=2.5)
        liq = liquidation_price(side, entry_price=2.5, size=size, margin=100,
                                maintenance_margin_rate=mmr)
        (x,), (y,) = w.plot.artists["liquidation"].get_data()
        mm = maintenance_margin(size=size, price=liq, maintenance_margin_rate=mmr)
        assert x == pytest.approx(liq) and y == pytest.approx(mm if mmr else 0.0, abs=1e-9)
        prices, equity = w.plot.artists["equity"].get_data()
        np.testing.assert_allclose(equity, 100 + unrealized_pnl(
            side, size=size, entry_price=2.5, mark_price=prices))
        assert "⚠" not in w.message.value and f"{liq:,.4f}" in w.message.value
    assert plt.get_fignums() == figs and w.fig.axes == axes
    assert all(w.plot.artists[k] is a for k, a in artists.items())


def test_equity_widget_impossible_combination_follows_the_controls(figures):
    w = widgets.equity_widget(leverage=20, maintenance_margin_rate=0.01)
    w.controls["maintenance_margin_rate"].value = 0.07                   # > 1/20
    assert "liquidated immediately" in w.message.value
    assert np.isnan(w.plot.artists["liquidation"].get_xdata()[0])      # no marker drawn
    long_equity = w.plot.artists["equity"].get_ydata().copy()
    w.controls["side"].value = "short"                                  # still followed
    assert not np.allclose(w.plot.artists["equity"].get_ydata(), long_equity)
    assert "liquidated immediately" in w.message.value
    msg = w.message.value
    labels = {name: c.description for name, c in w.controls.items()}
    assert labels["maintenance_margin_rate"] in msg and "leverage" in msg       # words on screen
    assert "20.00×" not in msg and "14.29×" in msg and "5.00 %" in msg          # 1/0.07; 1/20
    for internal in ("other_maintenance", "other_unrealized_pnl", "maintenance_margin_rate",
                     "add margin", "margin="):
        assert internal not in msg
    w.controls["leverage"].value = 14                                            # way back
    assert "⚠" not in w.message.value


def test_leverage_widgets_start_at_the_articles_setting(figures):
    from marginlib.course import defaults

    w = widgets.equity_widget()
    assert w.controls["maintenance_margin_rate"].value == defaults.MAINTENANCE_MARGIN_RATE
    assert w.controls["leverage"].value == defaults.LEVERAGE
    assert w.controls["leverage"].step <= 0.01
    s = w.plot.summary
    assert (s["entry_price"], s["margin"], s["size"]) == (2.5, 100.0, 400.0)
    # maintenance and bankruptcy are distinguishable: 2.3684 vs 2.25 on the default figure
    assert s["liquidation_price"] - s["bankruptcy_price"] > 0.1
    w.controls["leverage"].value = 3.29
    assert w.plot.summary["leverage"] == pytest.approx(3.29)


def test_return_on_margin_and_notional_widgets(figures):
    r = widgets.return_on_margin_widget()
    r.controls["move"].value = 0.05
    r.controls["side"].value = "short"
    np.testing.assert_allclose(r.plot.artists["points"].get_ydata(), [-0.05, -0.25, -0.5, -1.0])
    assert r.message.value.count("<tr>") == 5                           # header + 4 leverages
    n = widgets.notional_widget()
    n.controls["leverage"].value = 50
    assert n.plot.artists["bars"].patches[1].get_height() == 5_000


def test_widgets_under_ipympl_use_the_canvas_widget():
    """With the notebooks' backend, the figure is the ipympl canvas inside the VBox."""
    code = textwrap.dedent("""
        import matplotlib
        matplotlib.use("module://ipympl.backend_nbagg")
        import matplotlib.pyplot as plt
        from marginlib import widgets
        w = widgets.equity_widget()
        assert type(w.fig.canvas).__name__ == "Canvas" and w.fig.canvas in w.children
        line, figs = w.plot.artists["equity"], plt.get_fignums()
        w.controls["leverage"].value = 30
        assert w.plot.artists["equity"] is line and plt.get_fignums() == figs == [w.fig.number]
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("ok")
