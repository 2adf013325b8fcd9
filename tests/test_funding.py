"""Funding maths: invariances (hypothesis), closed form vs replay, shapes and errors."""
import math
import re

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import marginlib as ml
from marginlib import costs, funding, funding_drift, venues
from marginlib.data import loaders, synthetic
from marginlib.sim import rates as sim_rates
from marginlib.venues import binance, drift, dydx, gmx, hyperliquid

sides = st.sampled_from(["long", "short"])
prices = st.floats(0.01, 1e5, allow_nan=False, allow_infinity=False)
sizes = st.floats(0.01, 1e4, allow_nan=False, allow_infinity=False)
rates = st.floats(-0.01, 0.01, allow_nan=False, allow_infinity=False)
leverages = st.floats(1.5, 50, allow_nan=False, allow_infinity=False)
mmrs = st.floats(0.0, 0.02, allow_nan=False, allow_infinity=False)
conventions = st.sampled_from(["mark", "entry"])


def rate_paths(min_size=1, max_size=40, elements=rates):
    return st.lists(elements, min_size=min_size, max_size=max_size).map(np.array)


SIDES = ["long", "short", "long"]

# scalar in -> float out; 1-D and broadcast 2-D give the scalar results elementwise
ELEMENTWISE = {
    "funding_rate": (funding.funding_rate_from_premium, dict(
        premium_index=[0.0002, -0.002, 0.01], interest_rate=[0.0001, 0.0, 0.0002],
        clamp_limit=[0.0005, 0.0003, 0.001]), None, None),
    "cap_funding_rate": (funding.cap_funding_rate, dict(funding_rate=[0.05, -0.001, -0.02],
                                                   cap=[0.003, 0.04, 0.01]), None, None),
    "dydx_funding_cap": (dydx.funding_cap, dict(initial_margin_rate=[0.06, 0.1, 0.2],
                                                   maintenance_margin_rate=[0.03, 0.05, 0.012]),
                         None, None),
    "dydx_funding_rate": (dydx.funding_rate, dict(premium=[0.0008, -0.001, 0.0],
                                                     interest_rate=[0.0, 0.0000125, 0.0]),
                          None, None),
    "drift_funding_rate": (drift.funding_rate, dict(mark_twap=[100.1, 99.0, 2.5],
                                                       oracle_twap=[100.0, 100.0, 2.4]),
                           None, None),
    "gmx_funding_rates": (gmx.funding_rates, dict(
        open_interest_long=[150_000.0, 10.0, 5e6], open_interest_short=[50_000.0, 30.0, 4e6],
        funding_factor=[2e-5, 2e-8, 1e-6]),
        ["long_rate", "short_rate", "larger_side_rate", "smaller_side_rate"], None),
    "convert_funding_rate": (funding.convert_funding_rate, dict(
        funding_rate=[0.0001, -0.0003, 1e-5], from_hours=[8.0, 1.0, 1 / 3600],
        to_hours=[1.0, 8.0, 24.0]), None, None),
    "annualize_funding_rate": (lambda **k: funding.annualize_funding_rate(**k, compounded=True),
                               dict(funding_rate=[0.0000125, -0.0001, 0.001],
                                    interval_hours=[1.0, 8.0, 4.0]), None, None),
    "break_even_move": (costs.break_even_move, dict(
        side=SIDES, entry_price=[2.5, 50_000.0, 100.0], size=[400.0, 0.1, 3.0],
        open_fee_rate=[0.0005, 0.0002, 0.0], close_fee_rate=[0.0005, 0.0, 0.001],
        funding_rate=[0.0001, -0.0002, 0.0003], intervals=[90.0, 21.0, 3.0],
        gas_cost=[0.5, 0.0, 1.0]),
        ["exit_price", "price_move", "open_fee", "close_fee", "funding_cost", "gas_cost",
         "total_cost"], None),
    "carry_return": (costs.carry_return, dict(
        side=SIDES, funding_rate=[0.0001, -0.0002, 0.0003], intervals=[90.0, 21.0, 3.0],
        leverage=[3.0, 1.0, 10.0]), None, None),
    "days_to_consume_margin": (funding.days_to_consume_margin, dict(
        funding_rate=[0.0005, 0.0001, 0.01], leverage=[10.0, 1.0, 50.0],
        interval_hours=[8.0, 1.0, 4.0]), None, None),
}


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_scalar_float_and_arrays_elementwise(name, assert_elementwise):
    func, columns, fields, column = ELEMENTWISE[name]
    assert_elementwise(func, columns, fields=fields, column=column)


def test_intervals_to_liquidation_scalar_int_and_arrays():
    args = dict(entry_price=[2.5, 100.0, 20_000.0], size=[400.0, 2.0, 1.0],
                margin=[100.0, 40.0, 400.0], funding_rate=[0.001, -0.002, 0.01])
    scalars = [funding_drift.intervals_to_funding_liquidation(
        s, **{k: args[k][i] for k in args}) for i, s in enumerate(SIDES)]
    assert all(type(n) is int for n in scalars)
    # 1 a payment on 100; 0.4 on 40; 200 on 400: margin lands exactly on 0 (= maintenance,
    # not liquidated: strictly below is the rule), the next payment liquidates
    assert scalars == [101, 101, 3]
    arr = funding_drift.intervals_to_funding_liquidation(
        np.array(SIDES), **{k: np.array(args[k]) for k in args})
    assert arr.dtype == np.int64
    np.testing.assert_array_equal(arr, scalars)


# every numeric argument: NaN and inf are refused, naming the argument
BASE = {
    "funding_rate": (funding.funding_rate_from_premium, dict(premium_index=0.001, interest_rate=0.0001,
                                           clamp_limit=0.0005)),
    "cap_funding_rate": (funding.cap_funding_rate, dict(funding_rate=0.01, cap=0.003,
                                                       floor=-0.002)),
    "dydx_funding_cap": (dydx.funding_cap, dict(initial_margin_rate=0.05,
                                                   maintenance_margin_rate=0.03)),
    "dydx_funding_rate": (dydx.funding_rate, dict(premium=0.001, interest_rate=0.0,
                                                     initial_margin_rate=0.05,
                                                     maintenance_margin_rate=0.03)),
    "hyperliquid_funding_rate": (hyperliquid.funding_rate, dict(
        premium_index=0.001, interest_rate=0.0001, clamp_limit=0.0005)),
    "drift_funding_rate": (drift.funding_rate, dict(mark_twap=100.1, oracle_twap=100,
                                                       max_spread_fraction=0.01)),
    "gmx_funding_rates": (gmx.funding_rates, dict(open_interest_long=10, open_interest_short=5,
                                                     funding_factor=1e-8, funding_exponent=1)),
    "convert_funding_rate": (funding.convert_funding_rate, dict(funding_rate=0.0001, from_hours=8,
                                                           to_hours=1)),
    "annualize_funding_rate": (funding.annualize_funding_rate, dict(funding_rate=0.0001,
                                                                 interval_hours=8)),
    "constant_rate_path": (sim_rates.constant_rate_path, dict(funding_rate=0.0001, n_intervals=3)),
    "step_rate_path": (sim_rates.step_rate_path, dict(rate_before=0.0, rate_after=0.001, n_intervals=3,
                                               step_at=1)),
    "spike_rate_path": (sim_rates.spike_rate_path, dict(base_rate=0.0, spike_rate=0.01, n_intervals=3,
                                                 spike_at=1)),
    "mean_reverting_rate_path": (sim_rates.mean_reverting_rate_path, dict(
        n_intervals=3, mean_rate=0.0001, volatility=0.0001, reversion=0.1, start_rate=0.0,
        cap=0.01)),
    "cumulative_funding": (funding.cumulative_funding, dict(side="long", size=1, price_path=100,
                                                       rate_path=[0.001])),
    "isolated_funding_drift": (funding_drift.isolated_funding_drift, dict(
        side="long", entry_price=100, size=1, margin=10, rate_path=[0.001], price_path=[100.0],
        maintenance_margin_rate=0.01, maintenance_amount=0.1, taker_fee_rate=0.0005)),
    "intervals_to_funding_liquidation": (funding_drift.intervals_to_funding_liquidation, dict(
        side="long", entry_price=100, size=1, margin=10, funding_rate=0.001, mark_price=100,
        maintenance_margin_rate=0.01, maintenance_amount=0.1, taker_fee_rate=0.0005)),
    "break_even_move": (costs.break_even_move, dict(
        side="long", entry_price=100, size=1, open_fee_rate=0.0005, close_fee_rate=0.0005,
        funding_rate=0.0001, intervals=3, gas_cost=0.1)),
    "carry_return": (costs.carry_return, dict(side="short", funding_rate=0.0001, intervals=3,
                                           leverage=2, open_fee_rate=0.0005,
                                           close_fee_rate=0.0005)),
    "days_to_consume_margin": (funding.days_to_consume_margin, dict(
        funding_rate=0.0005, leverage=10, interval_hours=8)),
    "net_pnl_path": (costs.net_pnl_path, dict(
        side="long", size=1, entry_price=100, price_path=[101.0, 99.0],
        rate_path=[0.001, 0.001], open_fee_rate=0.0005, close_fee_rate=0.0005)),
    "bridge_price_path": (synthetic.bridge_price_path, dict(start_price=1, end_price=2, n_steps=3,
                                                     volatility=0.5, step_hours=1)),
}
NOT_FLOATS = {"n_intervals", "step_at", "spike_at", "n_steps"}
CORRUPTED = [(name, arg, bad) for name, (_, kwargs) in BASE.items() for arg, val in kwargs.items()
             if arg not in NOT_FLOATS and not isinstance(val, str)
             for bad in (float("nan"), float("inf"))]


@pytest.mark.parametrize("name", list(BASE))
def test_base_calls_are_valid(name):
    func, kwargs = BASE[name]
    func(**kwargs)


@pytest.mark.parametrize("name, arg, bad", CORRUPTED)
def test_nan_and_inf_are_refused_naming_the_argument(name, arg, bad):
    func, kwargs = BASE[name]
    value = [bad] if isinstance(kwargs[arg], list) else bad
    with pytest.raises(ValueError, match=re.escape(arg)):
        func(**{**kwargs, arg: value})


# --------------------------------------------------------------------------- funding_rate
@given(premium=st.floats(-0.05, 0.05), interest=st.floats(-0.001, 0.001),
       clamp=st.floats(0, 0.002))
def test_clamp_formula_equals_interest_inside_the_band(premium, interest, clamp):
    r = funding.funding_rate_from_premium(premium, interest_rate=interest, clamp_limit=clamp)
    if abs(premium - interest) <= clamp:
        assert r == pytest.approx(interest, abs=1e-15)
    # the rate never strays more than the clamp from the premium
    assert abs(r - premium) <= clamp + 1e-15


@given(p1=st.floats(-0.05, 0.05), p2=st.floats(-0.05, 0.05))
def test_clamp_formula_is_nondecreasing_in_the_premium(p1, p2):
    lo, hi = sorted((p1, p2))
    assert funding.funding_rate_from_premium(lo) <= funding.funding_rate_from_premium(hi) + 1e-15


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_funding_rate_scalar_and_array_shapes(shape):
    premium = np.full(shape, 0.002)
    r = funding.funding_rate_from_premium(premium)
    if shape == ():
        assert isinstance(r, float)
    else:
        assert r.shape == shape
    np.testing.assert_allclose(r, 0.0015)


def test_funding_rate_errors():
    with pytest.raises(ValueError, match="premium_index must be finite"):
        funding.funding_rate_from_premium(float("nan"))
    with pytest.raises(ValueError, match="clamp_limit must be >= 0"):
        funding.funding_rate_from_premium(0.0, clamp_limit=-0.1)
    with pytest.raises(ValueError, match="premium_index must be a number"):
        funding.funding_rate_from_premium("0.01")


# --------------------------------------------------------------------------- caps and units
def test_caps():
    assert hyperliquid.funding_cap() == 0.04
    assert hyperliquid.funding_rate(1.0) == pytest.approx(0.04)  # capped at 4 %/h
    assert hyperliquid.funding_rate(-1.0) == pytest.approx(-0.04)
    assert binance.funding_cap("BTCUSDT") == 0.003
    assert binance.funding_cap(max_leverage=25) == 0.03
    np.testing.assert_allclose(funding.cap_funding_rate([-1, 0.001, 1], cap=0.003, floor=-0.001),
                               [-0.001, 0.001, 0.003])
    # dYdX cap clips the hourly rate at cap/8
    assert dydx.funding_rate(10.0, initial_margin_rate=0.05, maintenance_margin_rate=0.03) == pytest.approx(0.12 / 8)
    for cap in venues.FUNDING_CAPS.values():
        assert cap.cap > 0 and cap.interval_hours > 0 and cap.source
        assert cap.per_hours(cap.interval_hours) == pytest.approx(cap.cap)
    assert venues.FUNDING_CAPS["dydx_isolated"].cap == pytest.approx(dydx.funding_cap(initial_margin_rate=0.05, maintenance_margin_rate=0.03))


def test_cap_errors():
    with pytest.raises(ValueError, match="cap must be >= 0"):
        funding.cap_funding_rate(0.1, cap=-0.01)
    with pytest.raises(ValueError, match="floor must be <= 0"):
        funding.cap_funding_rate(0.1, cap=0.01, floor=0.001)
    with pytest.raises(ValueError, match="no documented cap"):
        binance.funding_cap("ETHUSDT")
    with pytest.raises(ValueError, match="symbol-specific"):
        binance.funding_cap(max_leverage=50)
    with pytest.raises(ValueError, match="needs symbol"):
        binance.funding_cap()
    with pytest.raises(ValueError, match="maintenance_margin_rate must be <"):
        dydx.funding_cap(initial_margin_rate=0.03, maintenance_margin_rate=0.05)
    with pytest.raises(ValueError, match="give both"):
        dydx.funding_rate(0.001, initial_margin_rate=0.05)
    with pytest.raises(ValueError, match="open_interest_short must be > 0"):
        gmx.funding_rates(open_interest_long=100, open_interest_short=0)


@given(rate=rates, a=st.floats(1 / 3600, 24), b=st.floats(1 / 3600, 24))
def test_convert_round_trip_and_same_cost_per_day(rate, a, b):
    there = funding.convert_funding_rate(rate, from_hours=a, to_hours=b)
    assert funding.convert_funding_rate(there, from_hours=b, to_hours=a) == pytest.approx(rate, rel=1e-12, abs=1e-18)
    # the same daily cost on either schedule
    assert there * 24 / b == pytest.approx(rate * 24 / a, rel=1e-12, abs=1e-18)
    assert funding.annualize_funding_rate(there, interval_hours=b) == pytest.approx(
        funding.annualize_funding_rate(rate, interval_hours=a), rel=1e-12, abs=1e-15)


@given(rate=st.floats(1e-7, 0.01), hours=st.sampled_from([1 / 3600, 1, 4, 8]))
def test_compounding_beats_simple_for_positive_rates(rate, hours):
    simple = funding.annualize_funding_rate(rate, interval_hours=hours)
    compounded = funding.annualize_funding_rate(rate, interval_hours=hours, compounded=True)
    assert compounded >= simple * (1 - 1e-12)


def test_annualize_errors():
    with pytest.raises(ValueError, match="interval_hours must be > 0"):
        funding.annualize_funding_rate(0.0001, interval_hours=0)
    with pytest.raises(ValueError, match="rate must be > -1"):
        funding.annualize_funding_rate(-1.0, interval_hours=8, compounded=True)


@given(oi_long=st.floats(1, 1e9), oi_short=st.floats(1, 1e9), factor=st.floats(1e-9, 1e-4),
       exponent=st.floats(0.5, 2))
def test_gmx_funding_is_zero_sum_in_usd(oi_long, oi_short, factor, exponent):
    g = gmx.funding_rates(open_interest_long=oi_long, open_interest_short=oi_short,
                          funding_factor=factor, funding_exponent=exponent)
    paid = g.long_rate * oi_long + g.short_rate * oi_short
    assert paid == pytest.approx(0.0, abs=1e-9 * max(g.larger_side_rate * max(oi_long, oi_short),
                                                     1e-300))
    assert g.larger_side_rate >= 0 and g.smaller_side_rate >= 0


# --------------------------------------------------------------------------- rate paths
def test_rate_paths_shapes_and_values():
    np.testing.assert_array_equal(sim_rates.constant_rate_path(funding_rate=[0.0, 0.001],
                                                               n_intervals=3).shape, (3, 2))
    step = sim_rates.step_rate_path(rate_before=0.0001, rate_after=[0.001, -0.001], n_intervals=4,
                                    step_at=1)
    assert step.shape == (4, 2)
    np.testing.assert_allclose(step[:, 1], [0.0001, -0.001, -0.001, -0.001])
    spike = sim_rates.spike_rate_path(base_rate=0.0, spike_rate=0.01, n_intervals=6, spike_at=4,
                                      spike_length=5)
    np.testing.assert_allclose(spike, [0, 0, 0, 0, 0.01, 0.01])
    np.testing.assert_allclose(sim_rates.funding_rate_path("constant", n_intervals=2,
                                                           funding_rate=0.5), [0.5, 0.5])


def test_mean_reverting_path_is_seeded_capped_and_reverts():
    a = sim_rates.mean_reverting_rate_path(n_intervals=500, n_paths=3, rng=7)
    b = sim_rates.mean_reverting_rate_path(n_intervals=500, n_paths=3, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (500, 3)
    np.testing.assert_array_equal(sim_rates.mean_reverting_rate_path(n_intervals=50), sim_rates.mean_reverting_rate_path(n_intervals=50))
    capped = sim_rates.mean_reverting_rate_path(n_intervals=500, volatility=0.01, cap=0.003, rng=1)
    assert np.max(np.abs(capped)) <= 0.003
    # starting far away, the mean of the second half is near the long-run mean
    far = sim_rates.mean_reverting_rate_path(n_intervals=4000, mean_rate=0.0001, start_rate=0.01,
                                             volatility=0.00005, reversion=0.2, rng=3)
    assert far[0] == 0.01
    assert abs(far[2000:].mean() - 0.0001) < 0.00002
    # no noise: exact geometric approach to the mean
    det = sim_rates.mean_reverting_rate_path(n_intervals=4, mean_rate=0.0, volatility=0.0,
                                             reversion=0.5, start_rate=0.008)
    np.testing.assert_allclose(det, [0.008, 0.004, 0.002, 0.001])


def test_rate_path_errors():
    with pytest.raises(ValueError, match="n_intervals must be a whole number >= 1"):
        sim_rates.constant_rate_path(funding_rate=0.0001, n_intervals=0)
    with pytest.raises(ValueError, match="n_intervals must be a whole number"):
        sim_rates.constant_rate_path(funding_rate=0.0001, n_intervals=2.5)
    with pytest.raises(ValueError, match="step_at must be in"):
        sim_rates.step_rate_path(rate_before=0, rate_after=1, n_intervals=3, step_at=4)
    with pytest.raises(ValueError, match="spike_at must be in"):
        sim_rates.spike_rate_path(base_rate=0, spike_rate=1, n_intervals=3, spike_at=3)
    with pytest.raises(ValueError, match="reversion must be in"):
        sim_rates.mean_reverting_rate_path(n_intervals=3, reversion=0)
    with pytest.raises(ValueError, match="rng must be"):
        sim_rates.mean_reverting_rate_path(n_intervals=3, rng="seed")
    with pytest.raises(ValueError, match="kind must be one of"):
        sim_rates.funding_rate_path("random", n_intervals=3)
    with pytest.raises(ValueError, match="step rate path"):
        sim_rates.funding_rate_path("step", n_intervals=3, funding_rate=0.1)


# --------------------------------------------------------------------------- payments
@given(size=sizes, path=rate_paths(), price=prices)
def test_funding_is_zero_sum_between_longs_and_shorts(size, path, price):
    price_path = price * np.linspace(0.9, 1.1, len(path))
    long = funding.cumulative_funding("long", size=size, price_path=price_path, rate_path=path)
    short = funding.cumulative_funding("short", size=size, price_path=price_path, rate_path=path)
    np.testing.assert_array_equal(long.payments + short.payments, 0.0)
    # a book of several longs and shorts with equal total size nets to zero too
    book = funding.cumulative_funding(np.array(["long", "long", "short"]),
                                      size=np.array([size, size, 2 * size]),
                                      price_path=price_path[:, None], rate_path=path[:, None])
    total = book.total.sum()
    assert total == pytest.approx(0.0, abs=1e-9 * max(size * price * 0.011 * len(path), 1.0))


@given(side=sides, size=sizes, a=rate_paths(), b=rate_paths(), price=prices)
def test_payments_add_up_across_intervals(side, size, a, b, price):
    whole = funding.cumulative_funding(side, size=size, price_path=price,
                                       rate_path=np.concatenate([a, b]))
    first = funding.cumulative_funding(side, size=size, price_path=price, rate_path=a)
    second = funding.cumulative_funding(side, size=size, price_path=price, rate_path=b)
    scale = size * price * 0.01 * (len(a) + len(b)) + 1e-300
    assert whole.total == pytest.approx(first.total + second.total, abs=1e-12 * scale)
    one_by_one = sum(funding.funding_payment(side, size=size, price=price, funding_rate=r) for r in np.concatenate([a, b]))
    assert whole.total == pytest.approx(one_by_one, abs=1e-12 * scale)
    np.testing.assert_allclose(whole.cumulative[len(a) - 1], first.total, atol=1e-12 * scale)


def test_cumulative_funding_errors():
    with pytest.raises(ValueError, match="rate_path must be an array"):
        funding.cumulative_funding("long", size=1, price_path=100, rate_path=0.0001)
    with pytest.raises(ValueError, match="must broadcast"):
        funding.cumulative_funding("long", size=1, price_path=[1, 2, 3], rate_path=[0.1, 0.2])
    with pytest.raises(ValueError, match="side must be 'long' or 'short'"):
        funding.cumulative_funding("buy", size=1, price_path=100, rate_path=[0.1])


# --------------------------------------------------------------------------- isolated drift
def _position(side, entry, leverage, mmr, convention):
    """A valid position: margin from leverage, the open must be above maintenance."""
    size = 1000.0 / entry
    margin = size * entry / leverage
    assume(margin > size * entry * mmr * 1.01)
    return dict(side=side, entry_price=entry, size=size, margin=margin,
                maintenance_margin_rate=mmr, convention=convention)


@given(side=sides, entry=prices, leverage=leverages, mmr=mmrs, convention=conventions,
       rate=st.floats(1e-5, 0.02), move=st.floats(-0.03, 0.03))
def test_constant_rate_time_to_liquidation_equals_the_replay(side, entry, leverage, mmr,
                                                             convention, rate, move):
    pos = _position(side, entry, leverage, mmr, convention)
    mark = entry * (1 + move)
    s = 1 if side == "long" else -1
    rate = s * rate  # the holder pays
    q, m0 = pos["size"], pos["margin"]
    mm = q * (mark if convention == "mark" else entry) * mmr
    buffer = m0 + s * q * (mark - entry) - mm
    assume(buffer > 0)
    x = buffer / (s * q * mark * rate)
    assume(abs(x - round(x)) > 1e-6)  # ties at an exact integer are float noise
    assume(x < 3000)
    n_star = funding_drift.intervals_to_funding_liquidation(side, entry_price=entry, size=q,
                                                            margin=m0, funding_rate=rate,
                                                            mark_price=mark,
                                                            maintenance_margin_rate=mmr,
                                                            convention=convention)
    assert n_star == math.ceil(x)
    replay = funding_drift.isolated_funding_drift(pos["side"], entry_price=entry, size=q, margin=m0,
                                                  rate_path=np.full(n_star + 3, rate),
                                                  price_path=np.full(n_star + 3, mark),
                                                  maintenance_margin_rate=mmr, convention=convention)
    assert replay.liquidation_interval == n_star
    assert not replay.liquidated[:n_star].any()
    assert replay.liquidated[n_star]


@given(side=sides, entry=prices, leverage=leverages, mmr=mmrs, convention=conventions,
       rate=st.floats(0, 0.02))
def test_receiving_side_is_never_liquidated_by_funding(side, entry, leverage, mmr, convention,
                                                       rate):
    pos = _position(side, entry, leverage, mmr, convention)
    s = 1 if side == "long" else -1
    n = funding_drift.intervals_to_funding_liquidation(side, entry_price=entry, size=pos["size"],
                                                       margin=pos["margin"], funding_rate=-s * rate,
                                                       mark_price=None, maintenance_margin_rate=mmr,
                                                       convention=convention)
    assert n == -1
    d = funding_drift.isolated_funding_drift(side, entry_price=entry, size=pos["size"],
                                             margin=pos["margin"], rate_path=np.full(30, -s * rate),
                                             price_path=None, maintenance_margin_rate=mmr,
                                             convention=convention)
    assert d.liquidation_interval == -1
    assert np.all(np.diff(d.margin) >= 0)


@given(entry=prices, leverage=leverages, mmr=mmrs, convention=conventions,
       path=rate_paths(min_size=2, elements=st.floats(1e-6, 0.01)),
       moves=st.lists(st.floats(-0.02, 0.02), min_size=40, max_size=40))
def test_positive_rate_moves_a_long_liquidation_price_toward_the_mark(entry, leverage, mmr,
                                                                      convention, path, moves):
    pos = _position("long", entry, leverage, mmr, convention)
    price_path = entry * (1 + np.array(moves[:len(path)]))
    d = funding_drift.isolated_funding_drift(pos["side"], entry_price=entry, size=pos["size"],
                                             margin=pos["margin"], rate_path=path,
                                             price_path=price_path, maintenance_margin_rate=mmr,
                                             convention=convention)
    # the long's liquidation price rises with every payment, whatever the price does
    assert np.all(np.diff(d.liquidation_price) > 0)
    # at a constant mark (funding alone) the gap to the mark shrinks every interval
    flat = funding_drift.isolated_funding_drift(pos["side"], entry_price=entry, size=pos["size"],
                                                margin=pos["margin"], rate_path=path,
                                                price_path=None, maintenance_margin_rate=mmr,
                                                convention=convention)
    gap = flat.mark_price - flat.liquidation_price
    assert np.all(np.diff(gap) < 0)
    assert np.all(np.diff(flat.effective_leverage[flat.equity > 0]) >= 0)


@given(entry=prices, leverage=leverages, mmr=mmrs, convention=conventions,
       path=rate_paths(min_size=2, elements=st.floats(1e-6, 0.01)))
def test_a_paying_short_sees_its_liquidation_price_fall_toward_the_mark(entry, leverage, mmr,
                                                                        convention, path):
    pos = _position("short", entry, leverage, mmr, convention)
    d = funding_drift.isolated_funding_drift("short", entry_price=entry, size=pos["size"],
                                             margin=pos["margin"], rate_path=-path, price_path=None,
                                             maintenance_margin_rate=mmr, convention=convention)
    assert np.all(np.diff(d.liquidation_price) < 0)


@given(side=sides, entry=prices, leverage=leverages, mmr=mmrs, convention=conventions,
       path=rate_paths(min_size=1, max_size=20))
def test_replay_liquidation_price_matches_core_formula(side, entry, leverage, mmr, convention,
                                                       path):
    pos = _position(side, entry, leverage, mmr, convention)
    d = funding_drift.isolated_funding_drift(side, entry_price=entry, size=pos["size"],
                                             margin=pos["margin"], rate_path=path, price_path=None,
                                             maintenance_margin_rate=mmr, convention=convention)
    ok = d.margin > pos["size"] * entry * mmr * 1.0001
    for k in np.flatnonzero(ok):
        expected = ml.liquidation_price(side, entry_price=entry, size=pos["size"], margin=d.margin[k], maintenance_margin_rate=mmr,
                                        convention=convention)
        assert d.liquidation_price[k] == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert np.isfinite(d.liquidation_price).all()
    assert not np.isnan(d.effective_leverage).any()


def test_drift_runs_past_bankruptcy_without_nan():
    d = funding_drift.isolated_funding_drift("long", entry_price=100, size=10, margin=100,
                                             rate_path=np.full(5, 0.05))
    # 100 of margin, 50 a payment, no maintenance: margin 0 after 2 payments equals the
    # maintenance (not liquidated, strictly below is the rule); the 3rd liquidates
    assert d.liquidation_interval == 3
    assert np.isinf(d.effective_leverage[2:]).all()
    assert not np.isnan(d.liquidation_price).any()
    np.testing.assert_allclose(d.margin, [100, 50, 0, -50, -100, -150])


def test_drift_batches_scenarios_on_trailing_axes():
    rates = sim_rates.constant_rate_path(funding_rate=[0.001, 0.002, -0.001], n_intervals=400)  # (400, 3)
    d = funding_drift.isolated_funding_drift("long", entry_price=2.5, size=400, margin=100,
                                             rate_path=rates)
    assert d.margin.shape == (401, 3)
    np.testing.assert_array_equal(d.liquidation_interval, [101, 51, -1])  # strict rule
    closed = funding_drift.intervals_to_funding_liquidation("long", entry_price=2.5, size=400,
                                                            margin=100,
                                                            funding_rate=[0.001, 0.002, -0.001])
    np.testing.assert_array_equal(d.liquidation_interval, closed)
    margins = np.array([50.0, 100.0, 200.0])
    d2 = funding_drift.isolated_funding_drift("long", entry_price=2.5, size=400, margin=margins,
                                              rate_path=np.full((600, 1), 0.001))
    np.testing.assert_array_equal(d2.liquidation_interval, [51, 101, 201])


def test_drift_errors():
    with pytest.raises(ValueError, match="liquidated immediately"):
        funding_drift.isolated_funding_drift("long", entry_price=100, size=1, margin=0.4,
                                             rate_path=[0.001], price_path=None,
                                             maintenance_margin_rate=0.005)
    with pytest.raises(ValueError, match="same number of intervals"):
        funding_drift.isolated_funding_drift("long", entry_price=100, size=1, margin=10,
                                             rate_path=[0.001, 0.001], price_path=[100.0])
    with pytest.raises(ValueError, match="and of axes"):
        funding_drift.isolated_funding_drift("long", entry_price=100, size=1, margin=10,
                                             rate_path=[0.001, 0.001], price_path=[[100.0], [100.0]])
    with pytest.raises(ValueError, match="rate_path must be an array"):
        funding_drift.isolated_funding_drift("long", entry_price=100, size=1, margin=10,
                                             rate_path=0.001)
    with pytest.raises(ValueError, match="put time on axis 0"):
        funding_drift.isolated_funding_drift("long", entry_price=100, size=1, margin=[10.0, 20.0],
                                             rate_path=[0.001, 0.001])
    with pytest.raises(ValueError, match="price_path must be > 0"):
        funding_drift.isolated_funding_drift("long", entry_price=100, size=1, margin=10,
                                             rate_path=[0.001], price_path=[0.0])
    with pytest.raises(ValueError, match="convention must be"):
        funding_drift.isolated_funding_drift("long", entry_price=100, size=1, margin=10,
                                             rate_path=[0.001], convention="last")
    with pytest.raises(ValueError, match="price liquidation"):
        funding_drift.intervals_to_funding_liquidation("long", entry_price=100, size=1, margin=10,
                                                       funding_rate=0.001, mark_price=85)


# --------------------------------------------------------------------------- break-even, carry
@given(side=sides, entry=prices, size=sizes, f_o=st.floats(0, 0.002), f_c=st.floats(0, 0.002),
       rate=st.floats(-0.001, 0.001), n=st.integers(0, 200), gas=st.floats(0, 5))
def test_break_even_exit_nets_zero(side, entry, size, f_o, f_c, rate, n, gas):
    assume(gas < 0.5 * size * entry)  # a short cannot recover more than its notional
    be = costs.break_even_move(side, entry_price=entry, size=size, open_fee_rate=f_o,
                               close_fee_rate=f_c, funding_rate=rate, intervals=n, gas_cost=gas)
    pnl = ml.realized_pnl(side, size=size, entry_price=entry, exit_price=be.exit_price, open_fee_rate=f_o,
                          close_fee_rate=f_c)
    paid = (funding.cumulative_funding(side, size=size, price_path=entry,
                                       rate_path=np.full(max(n, 1), rate)).total if n else 0)
    net = pnl + paid - gas
    assert net == pytest.approx(0.0, abs=1e-9 * size * entry + 1e-9)
    assert be.total_cost == pytest.approx(be.open_fee + be.close_fee + be.funding_cost + gas)


@pytest.mark.parametrize("leverage", [1, 5, 50])
def test_break_even_does_not_depend_on_leverage_but_carry_does(leverage):
    be = costs.break_even_move("long", entry_price=2.5, size=400, open_fee_rate=0.0005,
                               close_fee_rate=0.0005, funding_rate=0.0001, intervals=90)
    assert be.price_move == pytest.approx(0.010005, abs=1e-6)
    drag = costs.carry_return("long", funding_rate=0.0001, intervals=90, leverage=leverage)
    assert drag == pytest.approx(-0.009 * leverage)


@given(rate=rates, n=st.integers(0, 1000), lev=leverages)
def test_carry_of_receiver_is_the_payers_drag(rate, n, lev):
    assert costs.carry_return("short", funding_rate=rate, intervals=n, leverage=lev) == pytest.approx(
        -costs.carry_return("long", funding_rate=rate, intervals=n, leverage=lev), abs=1e-15)


def test_break_even_and_carry_errors():
    with pytest.raises(ValueError, match="open_fee_rate must be a fraction"):
        costs.break_even_move("long", entry_price=1, size=1, open_fee_rate=1.5)
    with pytest.raises(ValueError, match="intervals must be >= 0"):
        costs.break_even_move("long", entry_price=1, size=1, intervals=-1)
    with pytest.raises(ValueError, match="no break-even price"):
        costs.break_even_move("long", entry_price=1, size=1, funding_rate=-0.01, intervals=200)
    with pytest.raises(ValueError, match="leverage must be >= 1"):
        costs.carry_return("short", funding_rate=0.0001, intervals=3, leverage=0.5)


# --------------------------------------------------------------------------- margin consumed
def test_days_to_consume_margin_by_hand():
    # 5 bp per 8 h at 10×: 0.5 % of the margin a payment, 200 payments, 200 × 8 h = 66.7 days
    assert funding.days_to_consume_margin(funding_rate=0.0005, leverage=10) == \
        pytest.approx(200 * 8 / 24, rel=1e-15)
    # hourly at 0.01 %, 1×: 10,000 payments of one hour
    assert funding.days_to_consume_margin(funding_rate=0.0001, leverage=1, interval_hours=1) == \
        pytest.approx(10_000 / 24, rel=1e-15)


@given(rate=st.floats(1e-5, 0.01), lev=leverages, hours=st.sampled_from([1.0, 4.0, 8.0]))
def test_days_to_consume_margin_is_when_the_payments_add_up_to_the_margin(rate, lev, hours):
    """The replayed payments at a constant price sum to the whole margin after that many days."""
    days = funding.days_to_consume_margin(funding_rate=rate, leverage=lev, interval_hours=hours)
    n = days * 24 / hours                                     # payments, continuous
    margin, entry = 100.0, 2.5
    size = margin * lev / entry
    paid = -funding.cumulative_funding("long", size=size, price_path=entry,
                                       rate_path=[rate]).total  # one payment
    assert n * paid == pytest.approx(margin, rel=1e-12)
    # and it is the annual cost's reciprocal: a year's cost is 365/days margins
    annual = funding.annualize_funding_rate(rate, interval_hours=hours)
    assert days == pytest.approx(365 / (lev * annual), rel=1e-12)


def test_days_to_consume_margin_comes_before_nothing_and_after_liquidation():
    """Funding liquidates a position before it has eaten the whole margin (maintenance > 0)."""
    lev, rate = 10, 0.0005
    size = 100.0 * lev / 2.5
    n_liq = funding_drift.intervals_to_funding_liquidation(
        "long", entry_price=2.5, size=size, margin=100.0, funding_rate=rate,
        maintenance_margin_rate=0.05)
    assert n_liq * 8 / 24 < funding.days_to_consume_margin(funding_rate=rate, leverage=lev)


def test_days_to_consume_margin_refuses_a_rate_that_never_consumes_it():
    for bad in (0.0, -0.0001, [0.0001, -0.0001]):
        with pytest.raises(ValueError, match="funding_rate must be > 0"):
            funding.days_to_consume_margin(funding_rate=bad, leverage=10)
    with pytest.raises(ValueError, match="leverage must be >= 1"):
        funding.days_to_consume_margin(funding_rate=0.0001, leverage=0.5)
    with pytest.raises(ValueError, match="overflow"):
        funding.days_to_consume_margin(funding_rate=1e-300, leverage=1, interval_hours=1e300)
    with pytest.raises(TypeError):
        funding.days_to_consume_margin(0.0001, 10)


# --------------------------------------------------------------------------- net PnL on a path
def test_net_pnl_path_by_hand():
    # 400 tokens long at 2.50, 5 bp each way; marks 2.60 then 2.55, 0.01 % each interval
    pnl = costs.net_pnl_path("long", size=400, entry_price=2.5, price_path=[2.6, 2.55],
                             rate_path=[0.0001, 0.0001], open_fee_rate=0.0005,
                             close_fee_rate=0.0005)
    np.testing.assert_allclose(pnl.mark_price, [2.5, 2.6, 2.55])
    np.testing.assert_allclose(pnl.price_pnl, [0.0, 40.0, 20.0], atol=1e-12)
    np.testing.assert_allclose(pnl.funding, [0.0, -0.104, -0.206], atol=1e-12)
    np.testing.assert_allclose(pnl.fees, [1.0, 1.02, 1.01], atol=1e-12)
    np.testing.assert_allclose(pnl.net, [-1.0, 38.876, 18.784], atol=1e-12)
    assert pnl.open_fee == pytest.approx(0.5) and type(pnl.open_fee) is float


@given(side=sides, entry=prices, size=sizes, path=rate_paths(), f_o=st.floats(0, 0.002),
       f_c=st.floats(0, 0.002), drift=st.floats(-0.5, 0.5))
def test_net_pnl_path_is_the_round_trip_plus_the_funding_so_far(side, entry, size, path, f_o,
                                                                f_c, drift):
    marks = entry * (1 + drift * np.linspace(0, 1, path.size))
    pnl = costs.net_pnl_path(side, size=size, entry_price=entry, price_path=marks,
                             rate_path=path, open_fee_rate=f_o, close_fee_rate=f_c)
    flows = funding.cumulative_funding(side, size=size, price_path=marks, rate_path=path)
    closed = ml.realized_pnl(side, size=size, entry_price=entry,
                             exit_price=np.concatenate([[entry], marks]), open_fee_rate=f_o,
                             close_fee_rate=f_c)
    scale = size * entry * (2 + abs(drift)) * 1e-12
    np.testing.assert_allclose(pnl.net, closed + np.concatenate([[0.0], flows.cumulative]),
                               rtol=1e-12, atol=scale)
    np.testing.assert_allclose(pnl.net, pnl.price_pnl + pnl.funding - pnl.fees, rtol=1e-12,
                               atol=scale)
    assert pnl.fees[0] == pytest.approx(size * entry * (f_o + f_c), rel=1e-9, abs=scale)
    # no fees and no funding: net is the price PnL
    bare = costs.net_pnl_path(side, size=size, entry_price=entry, price_path=marks,
                              rate_path=np.zeros(path.size))
    np.testing.assert_array_equal(bare.net, bare.price_pnl)


def test_net_pnl_path_right_direction_can_still_lose():
    """The price ends 3 % up, yet 30 days of 5 bp per 8 h at 3× and both fees cost more."""
    marks = np.full(90, 2.5 * 1.03)
    pnl = costs.net_pnl_path("long", size=120, entry_price=2.5, price_path=marks,
                             rate_path=np.full(90, 0.0005), open_fee_rate=0.0005,
                             close_fee_rate=0.0005)
    assert pnl.price_pnl[-1] > 0 and pnl.net[-1] < 0


def test_net_pnl_path_batches_scenarios_on_trailing_axes():
    rates = np.array([[0.001], [0.002]])
    marks = np.array([[101.0, 99.0], [102.0, 98.0]])
    both = costs.net_pnl_path(["long", "short"], size=1, entry_price=100, price_path=marks,
                              rate_path=rates, open_fee_rate=0.001, close_fee_rate=0.001)
    assert both.net.shape == (3, 2)
    for j, side in enumerate(["long", "short"]):
        one = costs.net_pnl_path(side, size=1, entry_price=100, price_path=marks[:, j],
                                 rate_path=rates[:, 0], open_fee_rate=0.001,
                                 close_fee_rate=0.001)
        np.testing.assert_allclose(both.net[:, j], one.net, rtol=1e-15)


def test_net_pnl_path_errors():
    base = dict(size=1.0, entry_price=100.0, price_path=[101.0, 102.0], rate_path=[0.0, 0.001])
    for arg, bad, match in [("entry_price", [1.0, 2.0, 3.0], "entry_price .* must broadcast"),
                            ("open_fee_rate", [0.1, 0.2, 0.3], "open_fee_rate .* must broadcast"),
                            ("close_fee_rate", 1.5, "close_fee_rate must be a fraction"),
                            ("price_path", [101.0, 0.0], "price_path must be > 0"),
                            ("rate_path", 0.001, "rate_path must be an array"),
                            ("entry_price", np.nan, "entry_price must be finite"),
                            ("size", 1e308, "overflow")]:
        with pytest.raises(ValueError, match=match):
            costs.net_pnl_path("long", **{**base, arg: bad})
    with pytest.raises(ValueError, match="side must be"):
        costs.net_pnl_path("buy", **base)
