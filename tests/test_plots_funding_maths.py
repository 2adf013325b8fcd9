"""Plots after the move of their maths: the hourly schedule is one function
(marginlib.funding.hourly_funding_schedule), so is the opening leverage limit
(marginlib.liquidation.leverage_limit), the days funding takes to eat the margin
(marginlib.funding.days_to_consume_margin), the net result after funding and fees
(marginlib.costs.net_pnl_path); the net result of a liquidated long comes from
liquidation_outcome, and an impossible leverage is refused in the words on screen."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from marginlib import plots, widgets  # noqa: E402
from marginlib.course import scenarios  # noqa: E402
from marginlib.costs import net_pnl_path  # noqa: E402
from marginlib.funding import days_to_consume_margin, hourly_funding_schedule  # noqa: E402
from marginlib.funding_drift import isolated_funding_drift  # noqa: E402
from marginlib.liquidation import leverage_limit, liquidation_outcome  # noqa: E402


def test_the_hourly_schedule_has_one_copy_in_the_maths():
    assert not hasattr(scenarios, "hourly_funding_rates")
    p = plots.right_direction(static=True, rate_bp=3.0, days=2, interval_hours=8)
    rates = hourly_funding_schedule(funding_rate=3.0 * 1e-4, n_hours=48, interval_hours=8)
    assert np.flatnonzero(rates).tolist() == [7, 15, 23, 31, 39, 47]
    by_hand = isolated_funding_drift("long", entry_price=2.5, size=p.size, margin=100.0,
                                     rate_path=rates, price_path=p.path[1:],
                                     maintenance_margin_rate=0.005)
    np.testing.assert_array_equal(p.drift.cumulative_funding, by_hand.cumulative_funding)
    np.testing.assert_array_equal(p.drift.margin, by_hand.margin)


def test_right_direction_refuses_an_interval_longer_than_the_period():
    p = plots.right_direction(static=True, days=1)
    with pytest.raises(ValueError, match="interval_hours"):
        p.set(interval_hours=30)
    with pytest.raises(ValueError, match="interval_hours"):
        p.set(interval_hours=0)


def test_the_opening_limit_has_one_copy_in_the_maths():
    assert not hasattr(scenarios, "leverage_limit")
    p = plots.liquidation_distance(static=True, maintenance_margin_rate=0.045,
                                   taker_fee_rate=0.005)
    assert p.max_leverage == leverage_limit(maintenance_margin_rate=0.045,
                                            taker_fee_rate=0.005) == pytest.approx(20.0)
    # no maintenance and no fee: no limit to draw (the maths has none to give)
    p.set(maintenance_margin_rate=0.0, taker_fee_rate=0.0, leverage=50)
    assert p.max_leverage == float("inf") and not p.out_of_range
    with pytest.raises(ValueError, match="maintenance_margin_rate"):
        leverage_limit(maintenance_margin_rate=0.0)
    with pytest.raises(ValueError, match="maintenance_margin_rate"):
        p.set(maintenance_margin_rate=-0.01)
    assert p.max_leverage == float("inf")          # the figure kept its last valid state


def test_right_direction_liquidated_net_is_what_liquidation_returns():
    p = plots.right_direction(static=True, leverage=8)
    assert p.verdict == "LIQUIDATED"
    k = p.liquidation_hour
    out = liquidation_outcome("long", entry_price=2.5, size=p.size,
                              margin=float(p.drift.margin[k]), exit_price=float(p.path[k]),
                              taker_fee_rate=0.0005)
    assert p.net_pnl == pytest.approx(float(out.returned) - 100 - p.fees)
    assert -100 - p.fees <= p.net_pnl < 0          # never more than the margin and the fee


def test_right_direction_after_costs_line_is_margin_pnl_fees_and_funding():
    p = plots.right_direction(static=True)
    x, after = p.artists["after_costs"].get_data()
    q = p.size
    by_hand = (100 + q * (p.path - 2.5) - q * 2.5 * 0.0005 - q * p.path * 0.0005
               + p.drift.cumulative_funding)
    np.testing.assert_allclose(after, by_hand[:len(after)])


@pytest.mark.parametrize("leverage, rate_bp", [(5.0, 5.0), (10.0, 0.3), (33.0, 250.0)])
def test_the_wipe_out_days_are_the_maths_function(leverage, rate_bp):
    p = plots.funding_drag(static=True, rate_bp=rate_bp, leverage=leverage)
    want = days_to_consume_margin(funding_rate=rate_bp * 1e-4, leverage=leverage,
                                  interval_hours=8)
    assert p.days_to_wipe_out == want
    assert f"all of it in {plots.funding._num(want)} days" in p.artists["label"].get_text()


@pytest.mark.parametrize("kw", [{}, dict(end_return_pct=10.0), dict(leverage=2.0, rate_bp=-2.0),
                                dict(interval_hours=1, taker_fee_rate=0.001, leverage=2.0)])
def test_right_direction_adds_up_nothing_itself(kw):
    """Price PnL, funding, fees and the net come from costs.net_pnl_path, row by row."""
    p = plots.right_direction(static=True, **kw)
    assert p.liquidation_hour is None
    step = kw.get("interval_hours", 8)
    rates = hourly_funding_schedule(funding_rate=kw.get("rate_bp", 5.0) * 1e-4,
                                    n_hours=p.path.size - 1, interval_hours=step)
    fee = kw.get("taker_fee_rate", 0.0005)
    pnl = net_pnl_path("long", size=p.size, entry_price=2.5, price_path=p.path[1:],
                       rate_path=rates, open_fee_rate=fee, close_fee_rate=fee)
    assert (p.price_pnl, -p.funding_paid, p.fees, p.net_pnl) == (
        pnl.price_pnl[-1], pnl.funding[-1], pnl.fees[-1], pnl.net[-1])
    np.testing.assert_array_equal(p.artists["after_costs"].get_ydata(), 100 + pnl.net)
    np.testing.assert_array_equal(p.artists["price_only"].get_ydata(), 100 + pnl.price_pnl)
    assert p.verdict == ("WON" if pnl.net[-1] > 0 else "LOST")


def test_schedule_comparison_uses_the_one_hourly_schedule():
    p = plots.schedule_comparison(static=True, daily_rate_bp=24.0, leverage=10, days=80)
    assert p.liquidation_hours["8h"] % 8 == 0


def test_funding_drift_impossible_leverage_names_the_slider_not_parameters():
    w = widgets.funding_drift_widget(leverage=10.0, maintenance_margin_rate=0.05)
    w.controls["leverage"].value = 25.0
    msg = w.message.value
    assert "liquidated immediately" in msg and "20.00×" in msg and "fixed" in msg
    for internal in ("other_maintenance", "other_unrealized_pnl", "maintenance_margin_rate",
                     "add margin"):
        assert internal not in msg
    # the figure follows the leverage it cannot open: the requirement line is 25x's
    assert w.plot.artists["maintenance"].get_ydata()[0] == pytest.approx(0.05 * 25 * 100)
    assert len(w.plot.artists["liquidation"].get_ydata()) == 0         # no liquidation price
