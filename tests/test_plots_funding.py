"""Funding plots and widgets: they draw the maths of marginlib.funding / funding_drift.

Moved out of tests/test_funding.py (these test plots/funding.py and widgets/funding.py).
"""
import numpy as np
import pytest

from marginlib.liquidation import liquidation_price


# --------------------------------------------------------------------------- plots, widgets
@pytest.fixture
def plots():
    pytest.importorskip("matplotlib")
    from marginlib import plots as p
    return p


def test_drift_plot_draws_the_replay_and_marks_the_closed_form_day(plots):
    p = plots.funding_drift(static=True, rate_bp=5, leverage=20, days=60,
                            maintenance_margin_rate=0.005)
    x, y = p.artists["equity"].get_data()
    np.testing.assert_allclose(y, p.drift.equity[:len(y)])
    # 1 a payment drains the buffer 90 exactly in 90 payments: equity then equals maintenance,
    # which is not liquidated (strictly below is the rule); the 91st payment liquidates
    assert p.liquidation_interval == p.closed_form_intervals == 91
    assert p.liquidation_day == pytest.approx(91 * 8 / 24) == x[-1]
    np.testing.assert_allclose(p.artists["day_top"].get_xdata(), [91 / 3, 91 / 3])
    p.set(rate_bp=2.0)  # 0.4 a payment: 226 payments, outside the 60 days
    assert p.liquidation_day is None and p.closed_form_intervals == 226
    assert np.isnan(p.artists["day_top"].get_xdata()).all()
    p.set(rate_bp=-2.0)
    assert p.closed_form_intervals == -1
    assert np.all(np.diff(p.artists["liquidation"].get_ydata()) < 0)  # moving away


def test_drag_plot_margin_line_is_leverage_times_notional(plots):
    p = plots.funding_drag(static=True, rate_bp=5, leverage=5)
    notional = p.artists["notional"].get_ydata()
    np.testing.assert_allclose(p.artists["margin"].get_ydata(), 5 * notional)
    p.set(leverage=10)
    np.testing.assert_allclose(p.artists["margin"].get_ydata(), 10 * notional)
    assert p.annual_notional == pytest.approx(0.0005 * 3 * 365)
    assert p.days_to_wipe_out == pytest.approx(1 / (10 * 0.0005 * 3))
    assert p.cap_rates_bp["hyperliquid"] == pytest.approx(3200)
    assert p.cap_rates_bp["binance_btcusdt"] == pytest.approx(30)


def test_right_direction_plot_tells_both_stories(plots):
    # at a BTC-like 0.5 % maintenance, so that at 8× the price alone never liquidates
    p = plots.right_direction(static=True, maintenance_margin_rate=0.005)
    assert p.price_return == pytest.approx(0.03) and p.price_pnl > 0
    assert p.verdict == "LOST" and p.net_pnl < 0
    assert p.net_pnl == pytest.approx(p.price_pnl - p.funding_paid - p.fees)
    p.set(leverage=8)
    lp0 = liquidation_price("long", entry_price=2.5, size=p.size, margin=100,
                            maintenance_margin_rate=0.005)
    assert p.path.min() > lp0            # the price never reaches the day-0 liquidation price
    assert p.verdict == "LIQUIDATED"     # but funding walked it up into a dip
    # liquidated strictly below the (funding-raised) liquidation price
    assert p.path[p.liquidation_hour] < p.drift.liquidation_price[p.liquidation_hour]


def test_hourly_schedule_liquidates_at_most_seven_hours_sooner(plots):
    p = plots.schedule_comparison(static=True)
    h8, h1 = p.liquidation_hours["8h"], p.liquidation_hours["1h"]
    assert h8 % 8 == 0 and 0 <= h8 - h1 < 8


def test_two_panel_plots_refuse_an_axes(plots):
    with pytest.raises(ValueError, match="leave ax=None"):
        plots.funding_drift(ax=object())


def test_widgets_move_their_figures_and_report_errors():
    pytest.importorskip("ipywidgets")
    from marginlib import widgets
    w = widgets.funding_drift_widget()         # the article's setting: 10×, maintenance 5 %
    assert w.plot.closed_form_intervals == w.plot.liquidation_interval == 101
    before = np.array(w.plot.artists["liquidation"].get_ydata())
    w.controls["rate_bp"].value = 10.0         # 1 USDC a payment against the 50 USDC buffer
    after = np.array(w.plot.artists["liquidation"].get_ydata())
    assert w.plot.liquidation_day == pytest.approx(51 * 8 / 24) and len(after) < len(before)
    assert "day 17" in w.message.value
    bad = widgets.funding_drift_widget(leverage=10.0, maintenance_margin_rate=0.05)
    bad.controls["leverage"].value = 25.0
    assert "liquidated immediately" in bad.message.value
    assert bad.plot.params["leverage"] == 25.0 and bad.plot.out_of_range  # still followed
    slope = np.diff(bad.plot.artists["equity"].get_ydata()[:2])
    bad.controls["rate_bp"].value = 10.0                       # a valid control still moves it
    assert np.diff(bad.plot.artists["equity"].get_ydata()[:2]) == pytest.approx(2 * slope)
    d = widgets.funding_drag_widget()
    d.controls["rate_bp"].value = 100.0
    assert d.plot.annual_notional == pytest.approx(0.01 * 1095)
    r = widgets.right_direction_widget()
    r.controls["leverage"].value = 8.0
    assert "Liquidated" in r.message.value
