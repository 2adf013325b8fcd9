"""Plots and widgets of notebook 04 (isolated vs cross): the artists hold marginlib's numbers,
checked against closed forms (G1, the cross condition) and the engine, and update in place."""
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import marginlib as ml  # noqa: E402
from marginlib import plots, widgets  # noqa: E402
from marginlib.course import contagion as cc  # noqa: E402
from marginlib.plots import contagion as pc  # noqa: E402

M, F = cc.MAINTENANCE_MARGIN_RATE, cc.LIQUIDATION_FEE_RATE
AGENT = cc.HOLDINGS[0]


def heights(bars):
    return np.array([b.get_height() for b in bars])


def first_mark_at_or_below(price, crash, barrier):
    marks = cc.crash_marks(price, crash)
    return float(marks[marks <= barrier][0])


# ------------------------------------------------------------------ assumptions ---

def test_rates_come_from_the_small_cap_venue_preset():
    venue = ml.get_venue("dydx_v4_small_cap")
    assert M == venue.tiers.rates[0] == 0.05
    assert F == venue.liquidation_fee_rate == 0.015
    assert cc.CAPITAL["all-in"] == sum(h.margin for h in cc.HOLDINGS) == 300
    assert AGENT.size == pytest.approx(400)  # the course's running example: 100 USDC at 10x


def test_crash_marks():
    marks = cc.crash_marks(2.5, 0.40)
    assert marks.size == 80 and marks[-1] == pytest.approx(1.5)
    assert np.all(np.diff(marks) < 0)
    assert np.allclose(-np.diff(np.r_[2.5, marks]), 2.5 * cc.CRASH_MARK_STEP)
    assert cc.crash_marks(2.5, 0.0).size == 0
    assert cc.crash_marks(2.5, 0.40, gap=True).tolist() == [pytest.approx(1.5)]
    with pytest.raises(ValueError, match="crash must be a fraction"):
        cc.crash_marks(2.5, 1.0)
    with pytest.raises(ValueError, match="price"):
        cc.crash_marks(-1, 0.2)


# ---------------------------------------------------------------------- crash lab ---

def test_isolated_crash_liquidates_one_pool_at_its_liquidation_outcome():
    out = cc.crash_outcome(0.40, "isolated", "all-in")
    assert out.liquidated == (True, False, False)
    liq = ml.liquidation_price("long", AGENT.price, AGENT.size, AGENT.margin, M)
    exit_price = first_mark_at_or_below(AGENT.price, 0.40, liq)
    assert out.exit_prices[0] == pytest.approx(exit_price)
    expected = ml.liquidation_outcome("long", AGENT.price, AGENT.size, AGENT.margin,
                                      exit_price=exit_price, liquidation_fee_rate=F)
    assert out.after[0] == 0.0
    assert out.after[1:3] == pytest.approx(out.before[1:3])          # the others untouched
    assert out.after[3] == pytest.approx(expected.returned)          # back in the wallet
    assert out.lost == pytest.approx(AGENT.margin - expected.returned)
    assert out.bad_debt == 0


def test_isolated_gap_loses_exactly_the_pool_and_records_bad_debt():
    out = cc.crash_outcome(0.40, "isolated", "spare", gap=True)
    assert out.lost == pytest.approx(AGENT.margin)
    assert out.bad_debt == pytest.approx(AGENT.size * AGENT.price * 0.40 - AGENT.margin)


def test_all_in_cross_crash_takes_the_whole_account_at_the_g1_cross_price():
    out = cc.crash_outcome(0.40, "cross", "all-in")
    assert out.liquidated == (True, True, True)
    others = cc.HOLDINGS[1:]
    liq = ml.liquidation_price("long", AGENT.price, AGENT.size, cc.CAPITAL["all-in"], M,
                               other_maintenance=sum(h.notional * M for h in others))
    # by hand: 300 − 400·(2.5 − P) = 0.05·(400·P + 1000)
    assert liq == pytest.approx((300 - 400 * 2.5 - 50) / (0.05 * 400 - 400))
    exit_price = first_mark_at_or_below(AGENT.price, 0.40, liq)
    assert out.exit_prices[0] == pytest.approx(exit_price)
    equity = cc.CAPITAL["all-in"] - AGENT.size * (AGENT.price - exit_price)
    fee = F * (AGENT.size * exit_price + sum(h.notional for h in others))
    assert out.after[:3].tolist() == [0, 0, 0]
    assert out.after[-1] == pytest.approx(equity - fee)


def test_spare_cross_survives_and_carries_the_whole_loss():
    out = cc.crash_outcome(0.40, "cross", "spare")
    assert not any(out.liquidated)
    assert out.after[0] == pytest.approx(AGENT.margin - 0.40 * AGENT.notional)   # −300
    assert out.after[-1] == pytest.approx(cc.CAPITAL["spare"] - 0.40 * AGENT.notional)
    assert out.lost > cc.crash_outcome(0.40, "isolated", "spare").lost


@given(crash=st.floats(0.0, 0.9), mode=st.sampled_from(["isolated", "cross"]),
       scenario=st.sampled_from(["all-in", "spare"]), gap=st.booleans())
@settings(max_examples=40)
def test_crash_bars_add_up_and_isolated_loss_is_capped(crash, mode, scenario, gap):
    out = cc.crash_outcome(crash, mode, scenario, gap=gap)
    assert out.before.sum() - out.before[-1] == pytest.approx(out.before[-1])
    assert out.after[:-1].sum() == pytest.approx(out.after[-1], abs=1e-9)
    assert out.after[-1] >= 0
    if mode == "isolated":
        assert out.lost <= AGENT.margin + 1e-9
        assert out.liquidated[1:] == (False, False)


@given(crash=st.floats(0.0, 0.9), gap=st.booleans())
@settings(max_examples=30)
def test_cross_with_spare_collateral_never_liquidates_before_isolated(crash, gap):
    cross = cc.crash_outcome(crash, "cross", "spare", gap=gap)
    iso = cc.crash_outcome(crash, "isolated", "spare", gap=gap)
    if cross.liquidated[0]:
        assert iso.liquidated[0]


def test_crash_outcome_rejects_bad_input():
    with pytest.raises(ValueError, match="mode must be"):
        cc.crash_outcome(0.4, "portfolio")
    with pytest.raises(ValueError, match="scenario must be"):
        cc.crash_outcome(0.4, "isolated", "everything")
    with pytest.raises(ValueError, match="token must be"):
        cc.crash_outcome(0.4, token=3)


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

def test_loss_counts_keep_every_path():
    loss = np.array([-5.0, -2.0, -0.1, 0.0, 0.5, 1.0])
    counts = cc.loss_counts(loss)
    assert counts.sum() == loss.size
    assert counts[0] == 2 and counts[-1] == 1


def test_book_and_model():
    book = cc.contagion_book("three longs", 7)
    assert book.capital == 300 and np.all(book.leverage == 7)
    assert book.sides == ("long", "long", "long")
    assert cc.contagion_book("hedged pair").sides == ("long", "short")
    model = cc.defai_model("hedged pair", 0.8)
    assert model.correlation_matrix[0, 1] == pytest.approx(0.8)
    with pytest.raises(ValueError, match="book must be"):
        cc.contagion_book("four longs")


SMALL = dict(n_paths=300, horizon_days=2, seed=11)


def test_loss_histograms_hold_the_simulation_counts():
    p = plots.loss_distributions(static=True, correlation=0.7, leverage=8, **SMALL)
    sim = ml.simulate_margin_modes(cc.contagion_book("three longs", 8),
                                   cc.defai_model("three longs", 0.7), n_steps=48, n_paths=300,
                                   rng=11)
    for mode, loss in (("isolated", sim.isolated_loss), ("cross", sim.cross_loss)):
        values = p.artists[mode].get_data().values
        assert values.sum() == 300
        assert np.array_equal(values, np.histogram(np.clip(loss, -2, 1), cc.LOSS_EDGES)[0])
    assert p.isolated.p_any_liquidation == sim.isolated.p_any_liquidation
    assert f"{100 * sim.cross.p_lose_everything:.1f} %" in p.artists["cross_text"].get_text()


def test_loss_histograms_update_in_place_and_skip_unchanged():
    p = plots.loss_distributions(static=True, **SMALL)
    patch, sim = p.artists["cross"], p.simulation
    p.set(seed=11)                       # nothing changed: no new simulation
    assert p.simulation is sim
    p.set(leverage=10)
    assert p.artists["cross"] is patch and p.simulation is not sim
    assert patch.get_data().values.sum() == SMALL["n_paths"]


def test_loss_widget_reports_progress_and_numbers():
    calls = []
    w = widgets.loss_distribution_widget(n_paths=200, horizon_days=1, seed=3)
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
        sw = ml.sweep_correlation((0.0, 0.9), cc.contagion_book(book, 5.0),
                                  cc.defai_model(book), n_steps=24, n_paths=200, rng=4)
        for mode in ("isolated", "cross"):
            line = p.artists[f"{book}/{mode}/any"]
            assert np.allclose(line.get_ydata(), getattr(sw, mode).p_any_liquidation)
            assert np.allclose(p.artists[f"{book}/{mode}/all"].get_ydata(),
                               getattr(sw, mode).p_lose_everything)


# -------------------------------------------------------------- liquidation region ---

def cross_liq_a_by_g1(pair, pa, pb):
    """A's cross liquidation price holding B at pb: G1 with B's maintenance and PnL."""
    acc = cc.PAIRS[pair]
    s_b = 1 if acc["sides"][1] == "long" else -1
    q_a, q_b = acc["sizes"]
    return ml.liquidation_price(acc["sides"][0], acc["entry_prices"][0], q_a, acc["wallet"], M,
                                other_maintenance=q_b * pb * M,
                                other_unrealized_pnl=s_b * q_b * (pb - acc["entry_prices"][1]))


@pytest.mark.parametrize("pair, pa, pb", [("two longs", 2.5, 0.5), ("two longs", 2.0, 0.45),
                                          ("hedged pair", 2.2, 0.44),
                                          ("hedged pair", 2.2, 0.5)])
def test_region_point_intercepts_and_state(pair, pa, pb):
    p = plots.liquidation_region(static=True, price_a=pa, price_b=pb, pair=pair)
    a = p.artists
    assert a["point"].get_xdata()[0] == pa and a["point"].get_ydata()[0] == pb
    assert a["intercept_a"].get_xdata()[0] == pytest.approx(cross_liq_a_by_g1(pair, pa, pb))
    assert a["intercept_a"].get_ydata()[0] == pb
    acc = cc.PAIRS[pair]
    surplus = ml.equity_minus_maintenance(pa, pb, acc["sides"], acc["sizes"],
                                          acc["entry_prices"], acc["wallet"], M)
    assert p.liquidated == (surplus <= 0)
    assert "LIQUIDATED" in a["label"].get_text() if surplus <= 0 else \
        "safe" in a["label"].get_text()
    # the intercept is on the boundary line
    on_line = ml.equity_minus_maintenance(a["intercept_a"].get_xdata()[0], pb, acc["sides"],
                                          acc["sizes"], acc["entry_prices"], acc["wallet"], M)
    assert on_line == pytest.approx(0, abs=1e-9)


@given(x=st.floats(0.02, 0.98), y=st.floats(0.02, 0.98),
       pair=st.sampled_from(sorted(cc.PAIRS)))
@settings(max_examples=60)
def test_region_shading_is_the_liquidated_half_plane(x, y, pair):
    p = _region_cache(pair)
    pa, pb = x * p.xmax, y * p.ymax
    acc = cc.PAIRS[pair]
    surplus = ml.equity_minus_maintenance(pa, pb, acc["sides"], acc["sizes"],
                                          acc["entry_prices"], acc["wallet"], M)
    scale = acc["wallet"]
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
    iso_a = ml.liquidation_price("long", AGENT.price, AGENT.size, AGENT.margin, M)
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
    assert math.isclose(w.plot.boundary.slope,
                        ml.cross_liquidation_boundary(("long", "short"),
                                                      cc.PAIRS["hedged pair"]["sizes"],
                                                      (2.5, 0.5), 200, M).slope)
