"""Solvers of marginlib.choosing: their outputs meet their targets.

Each answer is checked by putting it back through independent code: the liquidation price of
the answer (marginlib.liquidation.liquidation_price, or G1 written out by hand) and its
probability (the reflection-principle formula written out with math.erfc).
"""
import math

import numpy as np
import pytest

from marginlib.choosing import (compare_adjustments, liquidation_price_for_probability,
                                margin_to_add, max_leverage_for_probability, size_to_cut)
from marginlib.liquidation import liquidation_price
from marginlib.sim.probability import BGK_BETA, liquidation_probability


def phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def p_by_hand(side, price, barrier, sigma, years, mu=0.0, monitoring_hours=None):
    s = 1.0 if side == "long" else -1.0
    if monitoring_hours is not None:
        shift = math.exp(BGK_BETA * sigma * math.sqrt(monitoring_hours / 8760))
        barrier = barrier / shift if s > 0 else barrier * shift
    b = s * math.log(barrier / price)
    nu = s * (mu - 0.5 * sigma ** 2)
    sd = sigma * math.sqrt(years)
    return phi((b - nu * years) / sd) + math.exp(2 * nu * b / sigma ** 2) * phi((b + nu * years) / sd)


CASES = [("long", 0.05, 0.9, 7 / 365, 0.0, None), ("long", 0.01, 1.5, 1 / 365, -0.5, 1.0),
         ("short", 0.10, 0.9, 30 / 365, 0.3, None), ("short", 0.02, 0.6, 7 / 365, 0.0, 0.25),
         ("long", 0.5, 0.9, 30 / 365, 0.0, None)]


@pytest.mark.parametrize("side, target, sigma, years, mu, mon", CASES)
def test_the_safe_liquidation_price_has_the_target_probability(side, target, sigma, years,
                                                               mu, mon):
    b = liquidation_price_for_probability(side, price=2.5, target_probability=target,
                                          volatility=sigma, horizon_years=years, drift=mu,
                                          monitoring_hours=mon)
    p = p_by_hand(side, 2.5, b, sigma, years, mu, mon)
    assert p <= target * (1 + 1e-9) and p == pytest.approx(target, rel=1e-8)
    nearer = 2.5 + (b - 2.5) * (1 - 1e-6)
    assert p_by_hand(side, 2.5, nearer, sigma, years, mu, mon) > target
    assert (b < 2.5) == (side == "long")


@pytest.mark.parametrize("side, target, sigma, years, mu, mon", CASES)
def test_max_leverage_meets_the_target_and_is_the_largest(side, target, sigma, years, mu, mon):
    kw = dict(maintenance_margin_rate=0.05, taker_fee_rate=0.0005)
    lev = max_leverage_for_probability(side, target_probability=target, volatility=sigma,
                                       horizon_years=years, drift=mu, monitoring_hours=mon, **kw)
    for factor, meets in [(1.0, True), (1.0001, False)]:
        liq = liquidation_price(side, entry_price=2.5, size=factor * lev, margin=2.5, **kw)
        p = liquidation_probability(side, price=2.5, liquidation_price=liq, volatility=sigma,
                                    horizon_years=years, drift=mu, monitoring_hours=mon)
        assert (p <= target * (1 + 1e-9)) == meets
    assert lev < 1 / 0.0505


def test_max_leverage_falls_with_horizon_and_volatility_and_respects_the_cap():
    years = np.array([1, 7, 30, 90]) / 365
    lev = max_leverage_for_probability("long", target_probability=0.05, volatility=0.9,
                                       horizon_years=years, maintenance_margin_rate=0.02)
    assert np.all(np.diff(lev) < 0)
    lev = max_leverage_for_probability("long", target_probability=0.05,
                                       volatility=[0.3, 0.6, 0.9, 1.5], horizon_years=7 / 365)
    assert np.all(np.diff(lev) < 0)
    capped = max_leverage_for_probability("long", target_probability=0.05, volatility=0.3,
                                          horizon_years=1 / 365, max_leverage=10)
    assert capped == 10.0
    # the article's 1/L rule with no maintenance: the distance is exactly 1/L
    lev = max_leverage_for_probability("long", target_probability=0.05, volatility=0.9,
                                       horizon_years=7 / 365)
    b = liquidation_price_for_probability("long", price=1.0, target_probability=0.05,
                                          volatility=0.9, horizon_years=7 / 365)
    assert 1 / lev == pytest.approx(1 - b, rel=1e-12)


POSITION = dict(price=2.4, entry_price=2.5, size=400.0, margin=100.0,
                maintenance_margin_rate=0.05, taker_fee_rate=0.0005)
MODEL = dict(volatility=0.9, horizon_years=7 / 365, drift=0.0)


@pytest.mark.parametrize("side, price", [("long", 2.45), ("short", 2.55), ("long", 2.6)])
@pytest.mark.parametrize("target", [0.02, 0.1, 0.3])
def test_margin_to_add_meets_the_target(side, price, target):
    pos = dict(POSITION, price=price)
    add = margin_to_add(side, target_probability=target, **pos, **MODEL)
    liq = liquidation_price(side, entry_price=2.5, size=400.0, margin=100.0 + add,
                            maintenance_margin_rate=0.05, taker_fee_rate=0.0005)
    p = p_by_hand(side, price, liq, 0.9, 7 / 365)
    assert add > 0 and p == pytest.approx(target, rel=1e-7)
    # by hand from G1: at the new liquidation price equity equals maintenance
    s = 1 if side == "long" else -1
    assert 100 + add + s * 400 * (liq - 2.5) == pytest.approx(400 * liq * 0.0505, rel=1e-9)


@pytest.mark.parametrize("side, price", [("long", 2.45), ("short", 2.55)])
@pytest.mark.parametrize("target", [0.02, 0.1, 0.3])
def test_size_to_cut_meets_the_target(side, price, target):
    pos = dict(POSITION, price=price)
    cut = size_to_cut(side, target_probability=target, **pos, **MODEL)
    s = 1 if side == "long" else -1
    # the closed part's PnL settles into the margin of what is left (same equity)
    margin = 100.0 + s * cut * (price - 2.5)
    liq = liquidation_price(side, entry_price=2.5, size=400.0 - cut, margin=margin,
                            maintenance_margin_rate=0.05, taker_fee_rate=0.0005)
    assert 0 < cut < 400
    assert p_by_hand(side, price, liq, 0.9, 7 / 365) == pytest.approx(target, rel=1e-7)


def test_nothing_to_do_when_already_safe():
    kw = dict(price=2.5, entry_price=2.5, size=40.0, margin=100.0, target_probability=0.05,
              volatility=0.9, horizon_years=1 / 365, maintenance_margin_rate=0.05)
    assert margin_to_add("long", **kw) == 0.0 and size_to_cut("long", **kw) == 0.0


def test_compare_adjustments():
    rows = compare_adjustments("long", target_probability=0.1, liquidation_fee_rate=0.01,
                               **POSITION, **MODEL)
    hold, add, cut, stop = rows
    assert [r.action for r in rows] == ["hold", "add margin", "cut size", "stop order"]
    liq = liquidation_price("long", entry_price=2.5, size=400.0, margin=100.0,
                            maintenance_margin_rate=0.05, taker_fee_rate=0.0005)
    assert hold.exit_price == pytest.approx(liq) and hold.probability == pytest.approx(
        p_by_hand("long", 2.4, liq, 0.9, 7 / 365), rel=1e-10)
    assert add.probability == pytest.approx(0.1, rel=1e-7)
    assert cut.probability == pytest.approx(0.1, rel=1e-7)
    assert stop.liquidation_probability == 0.0 and stop.probability > hold.probability
    for r in rows:
        assert r.expected_loss == pytest.approx(r.probability * r.loss_if_hit)
    # hold by hand: equity now minus what a liquidation at liq returns (fee 1 %, taker)
    equity = 100 + 400 * (2.4 - 2.5)
    back = 100 + 400 * (liq - 2.5) - 400 * liq * 0.0005 - 400 * liq * 0.01
    assert hold.loss_if_hit == pytest.approx(equity - back, rel=1e-9)
    # the stop halfway: the loss from 2.4 to the stop, plus the taker fee
    assert stop.exit_price == pytest.approx((2.4 + liq) / 2)
    assert stop.loss_if_hit == pytest.approx(400 * (2.4 - stop.exit_price)
                                             + 400 * stop.exit_price * 0.0005)
    assert cut.cost_now == pytest.approx(0.0005 * (400 - cut.size) * 2.4)
    assert add.loss_if_hit > cut.loss_if_hit and cut.expected_loss < add.expected_loss


def test_bad_input_names_the_argument():
    good = dict(target_probability=0.05, volatility=0.9, horizon_years=0.02)
    for name, value in [("target_probability", 0.0), ("target_probability", 1.0),
                        ("target_probability", float("nan")), ("volatility", 0.0),
                        ("horizon_years", -1.0), ("drift", float("inf")),
                        ("monitoring_hours", 0.0), ("maintenance_margin_rate", 1.0),
                        ("taker_fee_rate", -0.1), ("max_leverage", 0.5)]:
        with pytest.raises(ValueError, match=name):
            max_leverage_for_probability("long", **{**good, name: value})
    with pytest.raises(ValueError, match="maintenance_margin_rate"):
        max_leverage_for_probability("long", **good, maintenance_margin_rate=0.6,
                                     taker_fee_rate=0.5)
    for name, value in [("price", 0.0), ("target_probability", 2.0), ("volatility", "x")]:
        with pytest.raises(ValueError, match=name):
            liquidation_price_for_probability("short", **{"price": 1.0, **good, name: value})
    with pytest.raises(ValueError, match="side"):
        liquidation_price_for_probability("flat", price=1.0, **good)
    pos = dict(POSITION, **MODEL, target_probability=0.1)
    for func in (margin_to_add, size_to_cut, compare_adjustments):
        for name, value in [("price", -1.0), ("entry_price", 0.0), ("size", float("nan")),
                            ("margin", 0.0), ("target_probability", -0.1),
                            ("volatility", True), ("horizon_years", 0.0),
                            ("maintenance_margin_rate", -0.01)]:
            with pytest.raises(ValueError, match=name):
                func("long", **{**pos, name: value})
        with pytest.raises(ValueError, match="liquidated"):
            func("long", **{**pos, "price": 2.2})
    with pytest.raises(ValueError, match="stop_price"):
        compare_adjustments("long", **pos, stop_price=2.45)
    with pytest.raises(ValueError, match="stop_price"):
        compare_adjustments("long", **pos, stop_price=2.0)
    with pytest.raises(ValueError, match="size"):
        compare_adjustments("long", **{**pos, "size": [1.0, 2.0]})
    with pytest.raises(ValueError, match="side"):
        compare_adjustments(["long"], **pos)


from hypothesis import given, strategies as st  # noqa: E402


@given(side=st.sampled_from(["long", "short"]), target=st.floats(0.001, 0.9),
       sigma=st.floats(0.05, 3.0), days=st.floats(0.05, 180.0), mu=st.floats(-2.0, 2.0),
       m=st.floats(0.0, 0.2))
def test_max_leverage_meets_the_target_for_random_settings(side, target, sigma, days, mu, m):
    lev = max_leverage_for_probability(side, target_probability=target, volatility=sigma,
                                       horizon_years=days / 365, drift=mu,
                                       maintenance_margin_rate=m)
    assert lev > 0 and (m == 0 or lev <= 1 / m)
    s = 1 if side == "long" else -1
    liq = (1 - s / lev) / (1 - s * m)      # G1 of a position opened at 1, by hand
    if side == "long" and liq <= 0:
        return
    assert p_by_hand(side, 1.0, liq, sigma, days / 365, mu) == pytest.approx(target, rel=1e-6)


@given(value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                       st.text(max_size=3), st.none()),
       name=st.sampled_from(["target_probability", "volatility", "horizon_years", "drift",
                             "maintenance_margin_rate", "taker_fee_rate"]))
def test_bad_values_are_refused_by_name(value, name):
    kw = dict(target_probability=0.05, volatility=0.9, horizon_years=0.02, drift=0.0,
              maintenance_margin_rate=0.01, taker_fee_rate=0.0)
    kw[name] = value
    try:
        out = max_leverage_for_probability("long", **kw)
    except ValueError as exc:
        assert name in str(exc)
    else:   # a value that is valid after all (e.g. a finite float in range)
        assert np.isfinite(out) and out > 0
