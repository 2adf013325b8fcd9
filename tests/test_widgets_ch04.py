"""Notebook 04's live figures, driven as a learner drives them: each control moves the figure
to the numbers of marginlib.

Moved out of the notebooks (issue 8): the crash lab (04), the loss distributions and the
liquidation region (04d). Each test builds its own widget, sets its controls and reads the
artists back.
"""
import math

import numpy as np

from marginlib import widgets
from marginlib.course import contagion as lab
from marginlib.liquidation import liquidation_outcome
from marginlib.region import equity_minus_maintenance
from marginlib.sim.montecarlo import simulate_margin_modes

M, F = lab.MAINTENANCE_MARGIN_RATE, lab.LIQUIDATION_FEE_RATE
AGENT = lab.HOLDINGS[0]


def _bars(w, key):
    return np.array([b.get_height() for b in w.plot.artists[key]])


def _flags(w):
    return [t.get_text() for t in w.plot.artists["flags"]]


# --------------------------------------------------------------------------- crash lab ---

def test_crash_widget_starts_at_the_lesson_and_isolated_loses_one_pool():
    w = widgets.crash_widget()
    c = w.controls
    assert (c["crash"].value, c["mode"].value, c["scenario"].value, c["gap"].value) == \
        (0.40, "isolated", "all-in", False)
    after, before = _bars(w, "after"), _bars(w, "before")
    assert _flags(w) == ["✕ liquidated", "", ""]              # exactly one position ...
    # ... closed at its first mark below the liquidation price, the rest back in the wallet
    out = liquidation_outcome("long", entry_price=AGENT.price, size=AGENT.size,
                              margin=AGENT.margin, exit_price=2.3625,
                              maintenance_margin_rate=M, liquidation_fee_rate=F)
    assert after[0] == 0 and math.isclose(after[3], out.returned)
    assert np.allclose(after[1:3], before[1:3])                 # NEURAL and ORACLE untouched
    assert "only <b>AGENT</b> liquidated" in w.message.value


def test_crash_widget_cross_all_in_closes_everything():
    w = widgets.crash_widget()
    c = w.controls
    c["mode"].value = "cross"
    assert _flags(w) == ["✕ liquidated"] * 3
    assert math.isclose(_bars(w, "after")[-1], lab.crash_outcome(0.40, "cross", "all-in").after[-1])
    assert "whole account" in w.message.value

    c["crash"].value = 0.20                    # above the cross liquidation price
    after = _bars(w, "after")
    assert not any(w.plot.outcome.liquidated)
    assert math.isclose(after[0], AGENT.margin - 0.20 * AGENT.notional)   # eats the others'
    assert math.isclose(after[-1], 300 - 0.20 * AGENT.notional)
    c["crash"].value = 0.21                    # marks down to 1.975: still alive
    assert not any(w.plot.outcome.liquidated)
    c["crash"].value = 0.22                    # passes the cross liquidation price
    assert w.plot.outcome.liquidated == (True, True, True)


def test_crash_widget_spare_deposit_and_gap():
    w = widgets.crash_widget()
    c = w.controls
    c["mode"].value, c["scenario"].value = "cross", "spare"
    assert _flags(w) == ["", "", ""]
    assert math.isclose(w.plot.outcome.lost, 0.40 * AGENT.notional)
    c["mode"].value, c["scenario"].value, c["gap"].value = "isolated", "all-in", True
    assert math.isclose(w.plot.outcome.bad_debt, AGENT.size * AGENT.price * 0.40 - AGENT.margin)
    assert "bad debt" in w.message.value


# ------------------------------------------------------------------- loss distributions ---

def _set(w, correlation, leverage, horizon_days, book="three longs"):
    c = w.controls
    c["book"].value = book
    c["correlation"].value = correlation
    c["leverage"].value = leverage
    c["horizon_days"].value = horizon_days
    return w.plot


def test_loss_widget_histograms_are_the_simulation_on_the_same_paths():
    w = widgets.loss_distribution_widget()
    assert (w.controls["correlation"].value, w.controls["leverage"].value,
            w.controls["horizon_days"].value) == (0.5, 5.0, 7)
    p = _set(w, 0.9, 10.0, 7)
    sim = simulate_margin_modes(lab.contagion_book("three longs", 10.0),
                                model=lab.defai_model("three longs", 0.9), n_steps=7 * 24,
                                n_paths=2_000, rng=4)
    for mode, loss in (("isolated", sim.isolated_loss), ("cross", sim.cross_loss)):
        heights = p.artists[mode].get_data().values
        assert heights.sum() == 2_000                          # every path counted once
        assert np.array_equal(heights, lab.loss_counts(loss))
    assert p.isolated == sim.isolated and p.cross == sim.cross
    assert w.progress.value == 1.0
    assert f"{100 * sim.cross.p_lose_everything:.1f} %" in w.message.value

    hi = (p.isolated, p.cross)
    p = _set(w, 0.0, 10.0, 7)
    lo = (p.isolated, p.cross)
    for iso, cross in (lo, hi):
        # cross is liquidated less often, but when it is, it is the whole account
        assert cross.p_any_liquidation < iso.p_any_liquidation
        assert cross.p_lose_everything > iso.p_lose_everything
    assert hi[1].p_any_liquidation > lo[1].p_any_liquidation


def test_loss_widget_hedged_pair_gains_from_correlation_in_cross():
    w = widgets.loss_distribution_widget()
    low = _set(w, 0.0, 5.0, 7, book="hedged pair").cross.p_any_liquidation
    high = _set(w, 0.9, 5.0, 7, book="hedged pair")
    assert high.cross.p_any_liquidation < low / 4
    assert high.cross.p_any_liquidation < high.isolated.p_any_liquidation


# ------------------------------------------------------------------- liquidation region ---

def test_region_widget_point_and_intercepts_follow_the_sliders():
    w = widgets.liquidation_region_widget()
    c, a = w.controls, w.plot.artists
    pair = lab.PAIRS["two longs"]
    terms = dict(sizes=pair["sizes"], entry_prices=pair["entry_prices"], wallet=pair["wallet"],
                 maintenance_margin_rate=M)
    (qa, qb), (ea, eb), wallet = pair["sizes"], pair["entry_prices"], pair["wallet"]

    def a_liq(pb):                     # A's cross liquidation price with B held at pb
        return (qa * ea + qb * eb - wallet - qb * (1 - M) * pb) / (qa * (1 - M))

    assert not w.plot.liquidated                             # starts at the entry prices
    assert math.isclose(a["intercept_a"].get_xdata()[0], a_liq(eb))

    c["price_a"].value, c["price_b"].value = 2.3, 0.46
    x, y = a["point"].get_xdata()[0], a["point"].get_ydata()[0]
    assert (x, y) == (c["price_a"].value, c["price_b"].value)          # the point is the sliders
    surplus = equity_minus_maintenance(pair["side"], prices_a=x, prices_b=y, **terms)
    assert w.plot.liquidated == (surplus < 0)                          # strictly below
    assert ("LIQUIDATED" in a["label"].get_text()) == (surplus < 0)
    assert math.isclose(a["intercept_a"].get_xdata()[0], a_liq(y))

    c["price_b"].value = eb
    assert math.isclose(a["intercept_a"].get_xdata()[0], a_liq(eb))

    c["price_a"].value, c["price_b"].value = 2.0, 0.45                # both longs down: gone
    assert w.plot.liquidated
    c["pair"].value = "hedged pair"                                   # same prices, a hedge
    c["price_a"].value, c["price_b"].value = 2.0, 0.40                # both −20 %: it holds
    assert not w.plot.liquidated
    assert w.plot.boundary.slope > 0
