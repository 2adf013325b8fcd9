"""Leverage plots draw the maths, update in place, and refuse bad input without changing.

Expected values are written from the closed forms (marginlib/position.py and
marginlib/liquidation.py): notional ``M·L``, size
``q = M·L/E``, equity ``M + s·q·(P − E)``, maintenance ``q·P·m``, bankruptcy ``E(1 − s/L)``
and the G1 liquidation price ``E(1 − 1/L)/(1 − m)`` (long) / ``E(1 + 1/L)/(1 + m)`` (short),
and cross-checked against ``marginlib`` where that is the point.
"""
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from marginlib import plots
from marginlib.liquidation import liquidation_price
from marginlib.position import notional

M, E = 100.0, 2.5


def sign(side):
    return 1.0 if side == "long" else -1.0


def liq_closed_form(side, leverage, mmr, entry=E):
    if side == "long":
        return max(entry * (1 - 1 / leverage) / (1 - mmr), 0.0)
    return entry * (1 + 1 / leverage) / (1 + mmr)


@pytest.fixture
def no_new_figures():
    """Close any pyplot figure a test opened, and give the tests the starting list."""
    before = plt.get_fignums()
    yield before
    for num in set(plt.get_fignums()) - set(before):
        plt.close(num)


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("leverage, mmr", [(1, 0.0), (2, 0.01), (10, 0.005), (20, 0.04),
                                           (50, 0.0)])
def test_equity_plot_draws_equity_maintenance_liquidation_and_bankruptcy(side, leverage, mmr):
    p = plots.EquityPlot(static=True, leverage=leverage, side=side, maintenance_margin_rate=mmr)
    q = M * leverage / E
    s = sign(side)
    prices, equity = p.artists["equity"].get_data()
    np.testing.assert_allclose(equity, M + s * q * (prices - E))
    np.testing.assert_allclose(p.artists["maintenance"].get_ydata(), q * prices * mmr)
    (x,), (y,) = p.artists["liquidation"].get_data()
    liq = liq_closed_form(side, leverage, mmr)
    assert x == pytest.approx(liq, rel=1e-12, abs=1e-12)
    by_ml = liquidation_price(side, entry_price=E, size=q, margin=M,
                              maintenance_margin_rate=mmr)
    assert x == pytest.approx(by_ml, rel=1e-12, abs=1e-12)
    assert y == pytest.approx(M + s * q * (liq - E), abs=1e-9)       # on the equity line
    assert y == pytest.approx(q * liq * mmr, abs=1e-9)               # equity = maintenance
    (bx,), (by,) = p.artists["bankruptcy"].get_data()
    assert bx == pytest.approx(max(E * (1 - s / leverage), 0.0), abs=1e-12) and by == 0
    assert p.summary["notional"] == pytest.approx(M * leverage)
    assert p.summary["liquidation_move"] == pytest.approx(liq / E - 1)


def test_equity_plot_shades_the_liquidated_side_within_the_axes():
    p = plots.EquityPlot(static=True, leverage=10, side="long", maintenance_margin_rate=0.005)
    lo, hi = p.ax.get_xlim()
    rect = p.artists["liquidated"]
    liq = liq_closed_form("long", 10, 0.005)
    assert rect.get_x() == pytest.approx(lo) and rect.get_x() + rect.get_width() == \
        pytest.approx(liq)
    p.set(side="short")
    liq = liq_closed_form("short", 10, 0.005)
    assert rect.get_x() == pytest.approx(liq) and rect.get_x() + rect.get_width() == \
        pytest.approx(hi)
    p.set(side="long", leverage=1)            # cannot be liquidated: liquidation price 0
    assert p.summary["liquidation_price"] == 0 and rect.get_width() == 0
    p.set(side="short", leverage=1)           # liquidation above the axis: nothing shaded
    assert p.summary["liquidation_price"] > hi and rect.get_width() == 0


def test_equity_plot_updates_in_place_with_fixed_limits(no_new_figures):
    p = plots.EquityPlot(leverage=10)         # a pyplot figure, as a widget would use
    assert len(plt.get_fignums()) == len(no_new_figures) + 1
    figs = plt.get_fignums()
    artists = dict(p.artists)
    limits = (p.ax.get_xlim(), p.ax.get_ylim())
    before = p.artists["equity"].get_ydata().copy()
    p.set(leverage=25, side="short", maintenance_margin_rate=0.02)
    assert p.artists == artists and all(p.artists[k] is artists[k] for k in artists)
    assert (p.ax.get_xlim(), p.ax.get_ylim()) == limits
    assert plt.get_fignums() == figs
    assert not np.allclose(p.artists["equity"].get_ydata(), before)
    assert p.artists["liquidation"].get_xdata()[0] == pytest.approx(
        liq_closed_form("short", 25, 0.02))


@pytest.mark.parametrize("bad, match", [
    ({"leverage": 0.5}, "leverage must be >= 1"),
    ({"side": "buy"}, "side must be 'long' or 'short'"),
    ({"maintenance_margin_rate": -0.01}, "maintenance_margin_rate"),
    ({"margin": 200.0}, "fixed once the figure is drawn"),
    ({"entry_price": 3.0}, "fixed once the figure is drawn"),
])
def test_equity_plot_refuses_bad_input_and_keeps_its_data(bad, match):
    p = plots.EquityPlot(static=True, leverage=20, maintenance_margin_rate=0.01)
    data = {k: np.asarray(a.get_data()).copy() for k, a in p.artists.items() if k != "liquidated"}
    rect = (p.artists["liquidated"].get_x(), p.artists["liquidated"].get_width())
    summary = dict(p.summary)
    with pytest.raises(ValueError, match=match):
        p.update(**{**p.params, **bad})
    for k, d in data.items():
        np.testing.assert_array_equal(np.asarray(p.artists[k].get_data()), d)
    assert (p.artists["liquidated"].get_x(), p.artists["liquidated"].get_width()) == rect
    assert p.summary == summary


def test_equity_plot_out_of_range_follows_every_control():
    """At or above 1/m the position cannot be opened: the figure says so and still follows
    side, leverage and rate (issue 8: a figure never ignores a control that is still valid)."""
    p = plots.EquityPlot(static=True, leverage=20, maintenance_margin_rate=0.01)
    p.update(**{**p.params, "maintenance_margin_rate": 0.06})          # 6 % >= 1/20
    assert p.out_of_range and "liquidated immediately" in p.message
    assert np.isnan(p.artists["liquidation"].get_xdata()[0])           # no liquidation marker
    lo, hi = p.ax.get_xlim()
    assert p.artists["liquidated"].get_width() == pytest.approx(hi - lo)
    long_equity = p.artists["equity"].get_ydata().copy()
    p.update(**{**p.params, "maintenance_margin_rate": 0.06, "side": "short"})
    short_equity = p.artists["equity"].get_ydata()
    np.testing.assert_allclose(short_equity - 100, -(long_equity - 100))  # mirror around margin
    p.update(**{**p.params, "maintenance_margin_rate": 0.06, "side": "short", "leverage": 30})
    assert p.summary["size"] == pytest.approx(30 * 100 / 2.5)
    p.update(**{**p.params, "maintenance_margin_rate": 0.01, "side": "long", "leverage": 20})
    assert not p.out_of_range and p.message is None
    assert p.artists["liquidation"].get_xdata()[0] == pytest.approx(liq_closed_form("long", 20, 0.01))


_SHARED = {}


@given(leverage=st.floats(1, 50), frac=st.floats(0, 0.95), side=st.sampled_from(["long", "short"]))
def test_liquidation_marker_sits_between_bankruptcy_and_entry(leverage, frac, side):
    mmr = frac / leverage * 0.999                 # always below the initial margin rate 1/L
    if "p" not in _SHARED:                        # one figure, updated for every example
        _SHARED["p"] = plots.EquityPlot(static=True)
    p = _SHARED["p"].set(leverage=leverage, side=side, maintenance_margin_rate=mmr)
    x = p.artists["liquidation"].get_xdata()[0]
    bx = p.artists["bankruptcy"].get_xdata()[0]
    assert x == pytest.approx(liq_closed_form(side, leverage, mmr), rel=1e-9, abs=1e-12)
    if side == "long":
        assert bx - 1e-12 <= x <= E
    else:
        assert E <= x <= bx + 1e-12


def test_static_plot_opens_no_pyplot_figure_and_encodes_png(no_new_figures):
    for cls in (plots.NotionalPlot, plots.EquityPlot, plots.ReturnOnMarginPlot):
        png = cls(static=True).png()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    assert plt.get_fignums() == no_new_figures


def test_notional_plot_bar_is_margin_times_leverage():
    p = plots.NotionalPlot(static=True, leverage=10, margin=100, max_leverage=50)
    margin_bar, position_bar = p.artists["bars"].patches
    assert margin_bar.get_height() == 100 and position_bar.get_height() == 1_000
    p.set(leverage=37)
    assert position_bar.get_height() == 3_700 == notional(margin=100, leverage=37)
    assert p.artists["label"].get_text() == "3,700 USDC"
    assert p.ax.get_ylim()[1] >= 100 * 50                 # the largest bar fits
    with pytest.raises(ValueError, match="leverage must be >= 1"):
        p.set(leverage=0)
    assert position_bar.get_height() == 3_700


@pytest.mark.parametrize("side", ["long", "short"])
def test_return_on_margin_plot_lines_are_side_times_leverage_times_move(side):
    levs = (1, 5, 10, 20)
    p = plots.ReturnOnMarginPlot(static=True, move=-0.3, side=side, leverages=levs,
                                 maintenance_margin_rate=0.005)
    s = sign(side)
    for lev in levs:
        moves, rom = p.artists[f"line_{lev:g}"].get_data()
        np.testing.assert_allclose(rom, s * lev * moves, atol=1e-12)
    np.testing.assert_allclose(p.artists["points"].get_ydata(), [s * L * -0.3 for L in levs])
    np.testing.assert_allclose(p.artists["points"].get_xdata(), -0.3)
    liq_moves = [liq_closed_form(side, L, 0.005, entry=1.0) - 1 for L in levs]
    np.testing.assert_allclose(p.artists["liquidations"].get_xdata(), liq_moves, atol=1e-12)
    assert p.artists["move"].get_xdata()[0] == -0.3


def test_return_on_margin_plot_update_and_errors():
    p = plots.ReturnOnMarginPlot(static=True)
    points = p.artists["points"]
    p.set(move=0.12)
    assert p.artists["points"] is points
    np.testing.assert_allclose(points.get_ydata(), [0.12, 0.6, 1.2, 2.4])
    with pytest.raises(ValueError, match="move must be within"):
        p.set(move=0.5)
    with pytest.raises(ValueError, match="leverages are fixed"):
        p.update(move=0.1, side="long", maintenance_margin_rate=0.005, leverages=(2, 3))
    np.testing.assert_allclose(points.get_ydata(), [0.12, 0.6, 1.2, 2.4])


@pytest.mark.parametrize("m", [0.05, 0.06])
def test_return_on_margin_leverage_that_cannot_open_is_drawn_and_flagged(m):
    """At the article's 5 % (default) 20× cannot be opened (1/20 is not above m): its line is
    drawn, its liquidation marker left out, and the table says why in numbers."""
    from marginlib import widgets

    w = widgets.return_on_margin_widget(maintenance_margin_rate=m)
    s = w.plot.summary
    assert s["openable"].tolist() == [True, True, True, False]
    assert np.isnan(s["liquidation_move"][-1]) and np.all(np.isfinite(s["liquidation_move"][:3]))
    assert np.allclose(s["liquidation_move"][:3],
                       [liq_closed_form("long", L, m, entry=1.0) - 1 for L in (1, 5, 10)])
    np.testing.assert_allclose(w.plot.artists["line_20"].get_ydata(), 20 * w.plot._moves)
    assert "cannot be opened at maintenance" in w.message.value and "5.00 %" in w.message.value
    assert "⚠" not in w.message.value
