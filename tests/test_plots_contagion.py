"""Plots and widgets of notebook 04 (isolated vs cross): the artists hold marginlib's numbers
(the scenarios themselves are tested in test_course_contagion.py),
checked against closed forms (G1, the cross condition) and the engine, and update in place."""
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from marginlib import plots, widgets  # noqa: E402
from marginlib.course import contagion as cc  # noqa: E402
from marginlib.liquidation import liquidation_price  # noqa: E402
from marginlib.plots import contagion as pc  # noqa: E402
from marginlib.region import cross_liquidation_boundary, equity_minus_maintenance  # noqa: E402
from marginlib.sim.montecarlo import simulate_margin_modes, sweep_correlation  # noqa: E402

M = cc.MAINTENANCE_MARGIN_RATE
AGENT = cc.HOLDINGS[0]


def heights(bars):
    return np.array([b.get_height() for b in bars])


def test_crash_bars_update_in_place():
    p = plots.crash_bars(static=True)
    after, n_patches = p.artists["after"], len(p.ax.patches)
    assert np.allclose(heights(after), p.outcome.after)
    assert [t.get_text() for t in p.artists["flags"]] == ["✕ liquidated", "", ""]
    ylim = p.ax.get_ylim()
    p.set(crash=0.10)
    assert p.ax.get_ylim() == ylim                       # fixed range while the crash moves
    p.set(mode="cross")
    assert p.artists["after"] is after and len(p.ax.patches) == n_patches
    assert np.allclose(heights(after), cc.crash_outcome(0.10, "cross", "all-in").after)
    assert matplotlib.colors.same_color(after[0].get_facecolor(), pc.COLORS["cross"])
    p.set(crash=0.0)
    assert np.allclose(heights(after), heights(p.artists["before"]))
    assert p.artists["capital"].get_ydata()[0] == 300


def test_crash_widget_caption_and_controls():
    w = widgets.crash_widget()
    assert "only <b>AGENT</b>" in w.message.value
    w.controls["mode"].value = "cross"
    assert "whole account" in w.message.value
    w.controls["gap"].value = True
    assert "bad debt 100.00" in w.message.value
    w.controls["scenario"].value = "spare"
    assert "Cross: no liquidation" in w.message.value and "shared wallet" in w.message.value
    assert np.allclose(heights(w.plot.artists["after"]),
                       cc.crash_outcome(0.4, "cross", "spare", gap=True).after)
    w.controls["crash"].value = 0.05
    w.controls["mode"].value = "isolated"
    assert w.message.value.startswith("No liquidation")


# --------------------------------------------------------------------- Monte Carlo ---

SMALL = dict(n_paths=300, horizon_days=2, rng=11)


def test_loss_histograms_hold_the_simulation_counts():
    p = plots.loss_distributions(static=True, correlation=0.7, leverage=8, **SMALL)
    sim = simulate_margin_modes(cc.contagion_book("three longs", 8),
                                model=cc.defai_model("three longs", 0.7), n_steps=48,
                                n_paths=300, rng=11)
    for mode, loss in (("isolated", sim.isolated_loss), ("cross", sim.cross_loss)):
        values = p.artists[mode].get_data().values
        assert values.sum() == 300
        assert np.array_equal(values, np.histogram(np.clip(loss, -2, 1), cc.LOSS_EDGES)[0])
    assert p.isolated.p_any_liquidation == sim.isolated.p_any_liquidation
    assert f"{100 * sim.cross.p_lose_everything:.1f} %" in p.artists["cross_text"].get_text()


def test_loss_histograms_update_in_place_and_skip_unchanged():
    p = plots.loss_distributions(static=True, **SMALL)
    patch, sim = p.artists["cross"], p.simulation
    p.set(rng=11)                       # nothing changed: no new simulation
    assert p.simulation is sim
    p.set(leverage=10)
    assert p.artists["cross"] is patch and p.simulation is not sim
    assert patch.get_data().values.sum() == SMALL["n_paths"]


def test_loss_widget_reports_progress_and_numbers():
    calls = []
    w = widgets.loss_distribution_widget(n_paths=200, horizon_days=1, rng=3)
    assert w.progress.value == 1.0
    assert all(c.continuous_update is False for k, c in w.controls.items() if k != "book")
    w.progress.observe(lambda ch: calls.append(ch["new"]), names="value")
    w.controls["horizon_days"].value = 3
    assert calls and calls[-1] == 1.0
    assert "P(lose everything)" in w.message.value
    assert f"{100 * w.plot.cross.p_any_liquidation:.1f} %" in w.message.value
    w.controls["book"].value = "hedged pair"
    assert w.plot.simulation.final_prices.shape == (200, 2)


def test_correlation_sweep_lines_hold_the_sweeps():
    p = plots.correlation_sweep(static=True, correlations=(0.0, 0.9), n_paths=200,
                                horizon_days=1)
    for book in cc.BOOKS:
        sw = sweep_correlation((0.0, 0.9), portfolio=cc.contagion_book(book, 5.0),
                               model=cc.defai_model(book), n_steps=24, n_paths=200, rng=4)
        for mode in ("isolated", "cross"):
            line = p.artists[f"{book}/{mode}/any"]
            assert np.allclose(line.get_ydata(), getattr(sw, mode).p_any_liquidation)
            assert np.allclose(p.artists[f"{book}/{mode}/all"].get_ydata(),
                               getattr(sw, mode).p_lose_everything)


# -------------------------------------------------------------- liquidation region ---

def cross_liq_a_by_g1(pair, pa, pb):
    """A's cross liquidation price holding B at pb: G1 with B's maintenance and PnL."""
    acc = cc.PAIRS[pair]
    s_b = 1 if acc["side"][1] == "long" else -1
    q_a, q_b = acc["sizes"]
    return liquidation_price(acc["side"][0], entry_price=acc["entry_prices"][0], size=q_a,
                             margin=acc["wallet"], maintenance_margin_rate=M,
                             other_maintenance=q_b * pb * M,
                             other_unrealized_pnl=s_b * q_b * (pb - acc["entry_prices"][1]))


def surplus_at(pair, pa, pb):
    """Cross equity minus maintenance of a pair at (pa, pb), from marginlib.region."""
    acc = cc.PAIRS[pair]
    return equity_minus_maintenance(acc["side"], prices_a=pa, prices_b=pb, sizes=acc["sizes"],
                                    entry_prices=acc["entry_prices"], wallet=acc["wallet"],
                                    maintenance_margin_rate=M)


@pytest.mark.parametrize("pair, pa, pb", [("two longs", 2.5, 0.5), ("two longs", 2.0, 0.45),
                                          ("hedged pair", 2.2, 0.44),
                                          ("hedged pair", 2.2, 0.5)])
def test_region_point_intercepts_and_state(pair, pa, pb):
    p = plots.liquidation_region(static=True, price_a=pa, price_b=pb, pair=pair)
    a = p.artists
    assert a["point"].get_xdata()[0] == pa and a["point"].get_ydata()[0] == pb
    assert a["intercept_a"].get_xdata()[0] == pytest.approx(cross_liq_a_by_g1(pair, pa, pb))
    assert a["intercept_a"].get_ydata()[0] == pb
    surplus = surplus_at(pair, pa, pb)
    assert p.liquidated == (surplus < 0)          # strictly below maintenance
    assert "LIQUIDATED" in a["label"].get_text() if surplus < 0 else \
        "safe" in a["label"].get_text()
    # the intercept is on the boundary line
    on_line = surplus_at(pair, a["intercept_a"].get_xdata()[0], pb)
    assert on_line == pytest.approx(0, abs=1e-9)


@given(x=st.floats(0.02, 0.98), y=st.floats(0.02, 0.98),
       pair=st.sampled_from(sorted(cc.PAIRS)))
@settings(max_examples=60)
def test_region_shading_is_the_liquidated_half_plane(x, y, pair):
    p = _region_cache(pair)
    pa, pb = x * p.xmax, y * p.ymax
    surplus = surplus_at(pair, pa, pb)
    scale = cc.PAIRS[pair]["wallet"]
    if abs(surplus) < 0.02 * scale:      # too close to the line for a 401-point polygon
        return
    inside = p.artists["region"].get_paths()[0].contains_point((pa, pb))
    assert inside == (surplus < 0)


_REGIONS = {}


def _region_cache(pair):
    if pair not in _REGIONS:
        _REGIONS[pair] = plots.liquidation_region(static=True, pair=pair)
    return _REGIONS[pair]


def test_region_isolated_lines_and_opening_quote():
    p = plots.liquidation_region(static=True)
    iso_a = liquidation_price("long", entry_price=AGENT.price, size=AGENT.size,
                              margin=AGENT.margin, maintenance_margin_rate=M)
    assert p.artists["isolated_a"].get_xdata()[0] == pytest.approx(iso_a)
    # two longs: a shared wallet gives A more room than its own pool (B held at entry) ...
    assert p.artists["opening_a"].get_xdata()[0] < iso_a
    # ... but a common fall of x % reaches the boundary before A alone would
    acc = cc.PAIRS["two longs"]
    n_a, n_b = (q * e for q, e in zip(acc["sizes"], acc["entry_prices"]))
    common = (acc["wallet"] - M * (n_a + n_b)) / ((1 - M) * (n_a + n_b))
    alone = 1 - p.opening.liquidation_price_a / AGENT.price
    assert common < alone


def test_region_widget_moves_the_point_and_keeps_artists():
    w = widgets.liquidation_region_widget()
    point = w.plot.artists["point"]
    w.controls["price_a"].value = 2.0
    w.controls["price_b"].value = 0.45
    assert point.get_xdata()[0] == 2.0 and point.get_ydata()[0] == 0.45
    assert w.plot.liquidated and "liquidated" in w.message.value
    w.controls["pair"].value = "hedged pair"
    assert w.plot.artists["point"] is point and not w.plot.liquidated
    hedged = cc.PAIRS["hedged pair"]
    assert math.isclose(w.plot.boundary.slope,
                        cross_liquidation_boundary(("long", "short"), sizes=hedged["sizes"],
                                                   entry_prices=(2.5, 0.5), wallet=200,
                                                   maintenance_margin_rate=M).slope)
