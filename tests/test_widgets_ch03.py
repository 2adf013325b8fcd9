"""Notebook 03's live figures, driven from code (the probes that used to sit in the notebook).

Each control is moved and the figure checked against marginlib: the drift figure draws
``isolated_funding_drift`` and marks the payment the closed form predicts (strictly below
maintenance), the drag figure's margin line is the notional line times the leverage, and the
right-direction figure's after-costs line is the replayed equity minus both taker fees.
Built as in the notebook: the article's setting (10×, maintenance 5 %) where it applies.
"""
import numpy as np
import pytest

from marginlib.funding import annualize_funding_rate
from marginlib.funding_drift import intervals_to_funding_liquidation, isolated_funding_drift
from marginlib.position import position_size
from marginlib.sim.rates import constant_rate_path
from marginlib.widgets import funding as fw

ENTRY, MARGIN, MMR = 2.50, 100.0, 0.05


def test_the_drift_figure_follows_rate_leverage_and_days():
    w = fw.funding_drift_widget(leverage=10, maintenance_margin_rate=MMR)
    plot, c = w.plot, w.controls
    # the default shows the lesson: 100 payments land on maintenance, the 101st liquidates
    assert plot.liquidation_interval == plot.closed_form_intervals == 101
    assert plot.liquidation_day == pytest.approx(101 * 8 / 24)
    for rate_bp, lev, days in [(10.0, 15.0, 60), (5.0, 10.0, 120), (-3.0, 15.0, 60),
                               (2.0, 5.0, 30)]:
        c["rate_bp"].value, c["leverage"].value, c["days"].value = rate_bp, lev, days
        size = position_size(margin=MARGIN, leverage=lev, entry_price=ENTRY)
        closed = intervals_to_funding_liquidation(
            "long", entry_price=ENTRY, size=size, margin=MARGIN, funding_rate=rate_bp * 1e-4,
            maintenance_margin_rate=MMR)
        expect = isolated_funding_drift(
            "long", entry_price=ENTRY, size=size, margin=MARGIN,
            rate_path=constant_rate_path(funding_rate=rate_bp * 1e-4, n_intervals=days * 3),
            maintenance_margin_rate=MMR)
        _, y = plot.artists["liquidation"].get_data()
        assert np.allclose(y, expect.liquidation_price[:len(y)])
        assert plot.closed_form_intervals == closed
        day = closed * 8 / 24 if 0 < closed <= days * 3 else None
        assert plot.liquidation_day == (None if day is None else pytest.approx(day))
        marked = plot.artists["day_top"].get_xdata()[0]
        assert (day is None and np.isnan(marked)) or marked == pytest.approx(day)
        assert "Traceback" not in w.message.value
    # a negative rate: the long receives, nothing liquidates, the caption says so
    c["rate_bp"].value = -3.0
    assert plot.liquidation_day is None and "never" in w.message.value


def test_the_drift_figure_with_hourly_intervals_is_exercise_2():
    """Exercise 2 rebuilds the figure with interval_hours=1: 101 hourly payments."""
    w = fw.funding_drift_widget(leverage=10, maintenance_margin_rate=MMR, interval_hours=1)
    assert w.plot.liquidation_interval == 101
    assert w.plot.liquidation_day == pytest.approx(101 / 24)
    assert f"{101 / 24:g}" in w.message.value


def test_the_drag_figure_follows_leverage_and_rate():
    w = fw.funding_drag_widget(leverage=10)
    plot, c = w.plot, w.controls
    notional = np.asarray(plot.artists["notional"].get_ydata())
    for lev, rate_bp in [(10.0, 5.0), (2.0, 30.0), (25.0, 1.0)]:
        c["leverage"].value, c["rate_bp"].value = lev, rate_bp
        assert np.allclose(plot.artists["margin"].get_ydata(), lev * notional)
        mx, my = plot.artists["marker"].get_data()
        assert mx[0] == pytest.approx(c["rate_bp"].value)
        annual = annualize_funding_rate(c["rate_bp"].value * 1e-4, interval_hours=8)
        assert my[0] == pytest.approx(100 * lev * annual)
        assert plot.days_to_wipe_out == pytest.approx(365 / (lev * annual))
        assert "Traceback" not in w.message.value


def test_the_right_direction_figure_follows_leverage_and_final_price():
    w = fw.right_direction_widget(maintenance_margin_rate=MMR)
    plot, c = w.plot, w.controls
    assert plot.verdict == "LOST"                 # the default shows the lesson
    for lev, end in [(3.0, 6.0), (3.0, 3.0), (8.0, 3.0), (15.0, 3.0)]:
        c["leverage"].value, c["end_return_pct"].value = lev, end
        _, py = plot.artists["price"].get_data()
        assert py[0] == pytest.approx(ENTRY) and py[-1] == pytest.approx(ENTRY * (1 + end / 100))
        _, ay = plot.artists["after_costs"].get_data()
        if plot.liquidation_hour is None:
            i = len(ay) - 1
            fees = plot.size * (ENTRY + py[i]) * 0.0005
            assert ay[-1] == pytest.approx(plot.drift.equity[i] - fees)
            assert plot.verdict == ("WON" if plot.net_pnl > 0 else "LOST")
        else:
            assert plot.verdict == "LIQUIDATED"
        assert "Traceback" not in w.message.value
    c["leverage"].value, c["end_return_pct"].value = 3.0, 3.0
    assert plot.verdict == "LOST"
    c["end_return_pct"].value = 10.0              # a large enough move pays the costs
    assert plot.verdict == "WON"


def test_the_right_direction_seed_control_redraws_the_path():
    w = fw.right_direction_widget(maintenance_margin_rate=MMR)
    before = np.array(w.plot.artists["price"].get_data()[1])
    w.controls["rng"].value = 8
    after = np.array(w.plot.artists["price"].get_data()[1])
    assert not np.allclose(before, after)
    assert before[0] == after[0] and before[-1] == pytest.approx(after[-1])
