"""Funding maths: invariances (hypothesis), closed form vs replay, shapes and errors."""
import math
import re

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import marginlib as ml

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
    "funding_rate": (ml.funding_rate, dict(
        premium_index=[0.0002, -0.002, 0.01], interest_rate=[0.0001, 0.0, 0.0002],
        clamp_limit=[0.0005, 0.0003, 0.001]), None, None),
    "cap_funding_rate": (ml.cap_funding_rate, dict(rate=[0.05, -0.001, -0.02],
                                                   cap=[0.003, 0.04, 0.01]), None, None),
    "dydx_funding_cap": (ml.dydx_funding_cap, dict(initial_margin_fraction=[0.06, 0.1, 0.2],
                                                   maintenance_margin_fraction=[0.03, 0.05, 0.012]),
                         None, None),
    "dydx_funding_rate": (ml.dydx_funding_rate, dict(premium=[0.0008, -0.001, 0.0],
                                                     interest_rate=[0.0, 0.0000125, 0.0]),
                          None, None),
    "drift_funding_rate": (ml.drift_funding_rate, dict(mark_twap=[100.1, 99.0, 2.5],
                                                       oracle_twap=[100.0, 100.0, 2.4]),
                           None, None),
    "gmx_funding_rates": (ml.gmx_funding_rates, dict(
        open_interest_long=[150_000.0, 10.0, 5e6], open_interest_short=[50_000.0, 30.0, 4e6],
        funding_factor=[2e-5, 2e-8, 1e-6]),
        ["long_rate", "short_rate", "larger_side_rate", "smaller_side_rate"], None),
    "convert_funding_rate": (ml.convert_funding_rate, dict(
        rate=[0.0001, -0.0003, 1e-5], from_hours=[8.0, 1.0, 1 / 3600],
        to_hours=[1.0, 8.0, 24.0]), None, None),
    "annualize_funding_rate": (lambda **k: ml.annualize_funding_rate(**k, compounded=True),
                               dict(rate=[0.0000125, -0.0001, 0.001],
                                    interval_hours=[1.0, 8.0, 4.0]), None, None),
    "break_even_move": (ml.break_even_move, dict(
        side=SIDES, entry_price=[2.5, 50_000.0, 100.0], size=[400.0, 0.1, 3.0],
        open_fee_rate=[0.0005, 0.0002, 0.0], close_fee_rate=[0.0005, 0.0, 0.001],
        funding_rate=[0.0001, -0.0002, 0.0003], intervals=[90.0, 21.0, 3.0],
        gas_cost=[0.5, 0.0, 1.0]),
        ["exit_price", "price_move", "open_fee", "close_fee", "funding_cost", "gas_cost",
         "total_cost"], None),
    "carry_return": (ml.carry_return, dict(
        side=SIDES, funding_rate=[0.0001, -0.0002, 0.0003], intervals=[90.0, 21.0, 3.0],
        leverage=[3.0, 1.0, 10.0]), None, None),
}


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_scalar_float_and_arrays_elementwise(name, assert_elementwise):
    func, columns, fields, column = ELEMENTWISE[name]
    assert_elementwise(func, columns, fields=fields, column=column)


def test_intervals_to_liquidation_scalar_int_and_arrays():
    args = dict(entry_price=[2.5, 100.0, 20_000.0], size=[400.0, 2.0, 1.0],
                margin=[100.0, 40.0, 400.0], funding_rate=[0.001, -0.002, 0.01])
    scalars = [ml.intervals_to_funding_liquidation(s, *(args[k][i] for k in args))
               for i, s in enumerate(SIDES)]
    assert all(type(n) is int for n in scalars)
    assert scalars == [100, 100, 2]  # 1 a payment on 100; 0.2 on 40; 200 on 400
    arr = ml.intervals_to_funding_liquidation(np.array(SIDES), *(np.array(args[k]) for k in args))
    assert arr.dtype == np.int64
    np.testing.assert_array_equal(arr, scalars)


# every numeric argument: NaN and inf are refused, naming the argument
BASE = {
    "funding_rate": (ml.funding_rate, dict(premium_index=0.001, interest_rate=0.0001,
                                           clamp_limit=0.0005)),
    "cap_funding_rate": (ml.cap_funding_rate, dict(rate=0.01, cap=0.003, floor=-0.002)),
    "dydx_funding_cap": (ml.dydx_funding_cap, dict(initial_margin_fraction=0.05,
                                                   maintenance_margin_fraction=0.03)),
    "dydx_funding_rate": (ml.dydx_funding_rate, dict(premium=0.001, interest_rate=0.0,
                                                     initial_margin_fraction=0.05,
                                                     maintenance_margin_fraction=0.03)),
    "hyperliquid_funding_rate": (ml.hyperliquid_funding_rate, dict(
        premium_index=0.001, interest_rate=0.0001, clamp_limit=0.0005)),
    "drift_funding_rate": (ml.drift_funding_rate, dict(mark_twap=100.1, oracle_twap=100,
                                                       max_spread_fraction=0.01)),
    "gmx_funding_rates": (ml.gmx_funding_rates, dict(open_interest_long=10, open_interest_short=5,
                                                     funding_factor=1e-8, funding_exponent=1)),
    "convert_funding_rate": (ml.convert_funding_rate, dict(rate=0.0001, from_hours=8,
                                                           to_hours=1)),
    "annualize_funding_rate": (ml.annualize_funding_rate, dict(rate=0.0001, interval_hours=8)),
    "constant_rate_path": (ml.constant_rate_path, dict(rate=0.0001, n_intervals=3)),
    "step_rate_path": (ml.step_rate_path, dict(rate_before=0.0, rate_after=0.001, n_intervals=3,
                                               step_at=1)),
    "spike_rate_path": (ml.spike_rate_path, dict(base_rate=0.0, spike_rate=0.01, n_intervals=3,
                                                 spike_at=1)),
    "mean_reverting_rate_path": (ml.mean_reverting_rate_path, dict(
        n_intervals=3, mean_rate=0.0001, volatility=0.0001, reversion=0.1, start_rate=0.0,
        cap=0.01)),
    "cumulative_funding": (ml.cumulative_funding, dict(side="long", size=1, price_path=100,
                                                       rate_path=[0.001])),
    "isolated_funding_drift": (ml.isolated_funding_drift, dict(
        side="long", entry_price=100, size=1, margin=10, rate_path=[0.001], price_path=[100.0],
        maintenance_margin_rate=0.01, maintenance_amount=0.1, taker_fee_rate=0.0005)),
    "intervals_to_funding_liquidation": (ml.intervals_to_funding_liquidation, dict(
        side="long", entry_price=100, size=1, margin=10, funding_rate=0.001, mark_price=100,
        maintenance_margin_rate=0.01, maintenance_amount=0.1, taker_fee_rate=0.0005)),
    "break_even_move": (ml.break_even_move, dict(
        side="long", entry_price=100, size=1, open_fee_rate=0.0005, close_fee_rate=0.0005,
        funding_rate=0.0001, intervals=3, gas_cost=0.1)),
    "carry_return": (ml.carry_return, dict(side="short", funding_rate=0.0001, intervals=3,
                                           leverage=2, open_fee_rate=0.0005,
                                           close_fee_rate=0.0005)),
    "bridge_price_path": (ml.bridge_price_path, dict(start_price=1, end_price=2, n_steps=3,
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
    r = ml.funding_rate(premium, interest, clamp)
    if abs(premium - interest) <= clamp:
        assert r == pytest.approx(interest, abs=1e-15)
    # the rate never strays more than the clamp from the premium
    assert abs(r - premium) <= clamp + 1e-15


@given(p1=st.floats(-0.05, 0.05), p2=st.floats(-0.05, 0.05))
def test_clamp_formula_is_nondecreasing_in_the_premium(p1, p2):
    lo, hi = sorted((p1, p2))
    assert ml.funding_rate(lo) <= ml.funding_rate(hi) + 1e-15


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_funding_rate_scalar_and_array_shapes(shape):
    premium = np.full(shape, 0.002)
    r = ml.funding_rate(premium)
    if shape == ():
        assert isinstance(r, float)
    else:
        assert r.shape == shape
    np.testing.assert_allclose(r, 0.0015)


def test_funding_rate_errors():
    with pytest.raises(ValueError, match="premium_index must be finite"):
        ml.funding_rate(float("nan"))
    with pytest.raises(ValueError, match="clamp_limit must be >= 0"):
        ml.funding_rate(0.0, clamp_limit=-0.1)
    with pytest.raises(ValueError, match="premium_index must be a number"):
        ml.funding_rate("0.01")


# --------------------------------------------------------------------------- caps and units
def test_caps():
    assert ml.hyperliquid_funding_cap() == 0.04
    assert ml.hyperliquid_funding_rate(1.0) == pytest.approx(0.04)  # capped at 4 %/h
    assert ml.hyperliquid_funding_rate(-1.0) == pytest.approx(-0.04)
    assert ml.binance_funding_cap("BTCUSDT") == 0.003
    assert ml.binance_funding_cap(max_leverage=25) == 0.03
    np.testing.assert_allclose(ml.cap_funding_rate([-1, 0.001, 1], 0.003, floor=-0.001),
                               [-0.001, 0.001, 0.003])
    # dYdX cap clips the hourly rate at cap/8
    assert ml.dydx_funding_rate(10.0, initial_margin_fraction=0.05,
                                maintenance_margin_fraction=0.03) == pytest.approx(0.12 / 8)
    for cap in ml.FUNDING_CAPS.values():
        assert cap.cap > 0 and cap.interval_hours > 0 and cap.source
        assert cap.per_hours(cap.interval_hours) == pytest.approx(cap.cap)
    assert ml.FUNDING_CAPS["dydx_isolated"].cap == pytest.approx(ml.dydx_funding_cap(0.05, 0.03))


def test_cap_errors():
    with pytest.raises(ValueError, match="cap must be >= 0"):
        ml.cap_funding_rate(0.1, -0.01)
    with pytest.raises(ValueError, match="floor must be <= 0"):
        ml.cap_funding_rate(0.1, 0.01, floor=0.001)
    with pytest.raises(ValueError, match="no documented cap"):
        ml.binance_funding_cap("ETHUSDT")
    with pytest.raises(ValueError, match="symbol-specific"):
        ml.binance_funding_cap(max_leverage=50)
    with pytest.raises(ValueError, match="needs symbol"):
        ml.binance_funding_cap()
    with pytest.raises(ValueError, match="maintenance_margin_fraction must be <"):
        ml.dydx_funding_cap(0.03, 0.05)
    with pytest.raises(ValueError, match="give both"):
        ml.dydx_funding_rate(0.001, initial_margin_fraction=0.05)
    with pytest.raises(ValueError, match="open_interest_short must be > 0"):
        ml.gmx_funding_rates(100, 0)


@given(rate=rates, a=st.floats(1 / 3600, 24), b=st.floats(1 / 3600, 24))
def test_convert_round_trip_and_same_cost_per_day(rate, a, b):
    there = ml.convert_funding_rate(rate, a, b)
    assert ml.convert_funding_rate(there, b, a) == pytest.approx(rate, rel=1e-12, abs=1e-18)
    # the same daily cost on either schedule
    assert there * 24 / b == pytest.approx(rate * 24 / a, rel=1e-12, abs=1e-18)
    assert ml.annualize_funding_rate(there, b) == pytest.approx(
        ml.annualize_funding_rate(rate, a), rel=1e-12, abs=1e-15)


@given(rate=st.floats(1e-7, 0.01), hours=st.sampled_from([1 / 3600, 1, 4, 8]))
def test_compounding_beats_simple_for_positive_rates(rate, hours):
    simple = ml.annualize_funding_rate(rate, hours)
    compounded = ml.annualize_funding_rate(rate, hours, compounded=True)
    assert compounded >= simple * (1 - 1e-12)


def test_annualize_errors():
    with pytest.raises(ValueError, match="interval_hours must be > 0"):
        ml.annualize_funding_rate(0.0001, 0)
    with pytest.raises(ValueError, match="rate must be > -1"):
        ml.annualize_funding_rate(-1.0, 8, compounded=True)


@given(oi_long=st.floats(1, 1e9), oi_short=st.floats(1, 1e9), factor=st.floats(1e-9, 1e-4),
       exponent=st.floats(0.5, 2))
def test_gmx_funding_is_zero_sum_in_usd(oi_long, oi_short, factor, exponent):
    g = ml.gmx_funding_rates(oi_long, oi_short, factor, exponent)
    paid = g.long_rate * oi_long + g.short_rate * oi_short
    assert paid == pytest.approx(0.0, abs=1e-9 * max(g.larger_side_rate * max(oi_long, oi_short),
                                                     1e-300))
    assert g.larger_side_rate >= 0 and g.smaller_side_rate >= 0


# --------------------------------------------------------------------------- rate paths
def test_rate_paths_shapes_and_values():
    np.testing.assert_array_equal(ml.constant_rate_path([0.0, 0.001], 3).shape, (3, 2))
    step = ml.step_rate_path(0.0001, [0.001, -0.001], 4, step_at=1)
    assert step.shape == (4, 2)
    np.testing.assert_allclose(step[:, 1], [0.0001, -0.001, -0.001, -0.001])
    spike = ml.spike_rate_path(0.0, 0.01, 6, spike_at=4, spike_length=5)
    np.testing.assert_allclose(spike, [0, 0, 0, 0, 0.01, 0.01])
    np.testing.assert_allclose(ml.funding_rate_path("constant", 2, rate=0.5), [0.5, 0.5])


def test_mean_reverting_path_is_seeded_capped_and_reverts():
    a = ml.mean_reverting_rate_path(500, n_paths=3, rng=7)
    b = ml.mean_reverting_rate_path(500, n_paths=3, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (500, 3)
    np.testing.assert_array_equal(ml.mean_reverting_rate_path(50), ml.mean_reverting_rate_path(50))
    capped = ml.mean_reverting_rate_path(500, volatility=0.01, cap=0.003, rng=1)
    assert np.max(np.abs(capped)) <= 0.003
    # starting far away, the mean of the second half is near the long-run mean
    far = ml.mean_reverting_rate_path(4000, mean_rate=0.0001, start_rate=0.01,
                                      volatility=0.00005, reversion=0.2, rng=3)
    assert far[0] == 0.01
    assert abs(far[2000:].mean() - 0.0001) < 0.00002
    # no noise: exact geometric approach to the mean
    det = ml.mean_reverting_rate_path(4, mean_rate=0.0, volatility=0.0, reversion=0.5,
                                      start_rate=0.008)
    np.testing.assert_allclose(det, [0.008, 0.004, 0.002, 0.001])


def test_rate_path_errors():
    with pytest.raises(ValueError, match="n_intervals must be an integer >= 1"):
        ml.constant_rate_path(0.0001, 0)
    with pytest.raises(ValueError, match="n_intervals must be an integer"):
        ml.constant_rate_path(0.0001, 2.5)
    with pytest.raises(ValueError, match="step_at must be in"):
        ml.step_rate_path(0, 1, 3, step_at=4)
    with pytest.raises(ValueError, match="spike_at must be in"):
        ml.spike_rate_path(0, 1, 3, spike_at=3)
    with pytest.raises(ValueError, match="reversion must be in"):
        ml.mean_reverting_rate_path(3, reversion=0)
    with pytest.raises(ValueError, match="rng must be"):
        ml.mean_reverting_rate_path(3, rng="seed")
    with pytest.raises(ValueError, match="kind must be one of"):
        ml.funding_rate_path("random", 3)
    with pytest.raises(ValueError, match="step rate path"):
        ml.funding_rate_path("step", 3, rate=0.1)


# --------------------------------------------------------------------------- payments
@given(size=sizes, path=rate_paths(), price=prices)
def test_funding_is_zero_sum_between_longs_and_shorts(size, path, price):
    price_path = price * np.linspace(0.9, 1.1, len(path))
    long = ml.cumulative_funding("long", size, price_path, path)
    short = ml.cumulative_funding("short", size, price_path, path)
    np.testing.assert_array_equal(long.payments + short.payments, 0.0)
    # a book of several longs and shorts with equal total size nets to zero too
    book = ml.cumulative_funding(np.array(["long", "long", "short"]),
                                 np.array([size, size, 2 * size]),
                                 price_path[:, None], path[:, None])
    total = book.total.sum()
    assert total == pytest.approx(0.0, abs=1e-9 * max(size * price * 0.011 * len(path), 1.0))


@given(side=sides, size=sizes, a=rate_paths(), b=rate_paths(), price=prices)
def test_payments_add_up_across_intervals(side, size, a, b, price):
    whole = ml.cumulative_funding(side, size, price, np.concatenate([a, b]))
    first = ml.cumulative_funding(side, size, price, a)
    second = ml.cumulative_funding(side, size, price, b)
    scale = size * price * 0.01 * (len(a) + len(b)) + 1e-300
    assert whole.total == pytest.approx(first.total + second.total, abs=1e-12 * scale)
    one_by_one = sum(ml.funding_payment(side, size, price, r) for r in np.concatenate([a, b]))
    assert whole.total == pytest.approx(one_by_one, abs=1e-12 * scale)
    np.testing.assert_allclose(whole.cumulative[len(a) - 1], first.total, atol=1e-12 * scale)


def test_cumulative_funding_errors():
    with pytest.raises(ValueError, match="rate_path must be an array"):
        ml.cumulative_funding("long", 1, 100, 0.0001)
    with pytest.raises(ValueError, match="must broadcast"):
        ml.cumulative_funding("long", 1, [1, 2, 3], [0.1, 0.2])
    with pytest.raises(ValueError, match="side must be 'long' or 'short'"):
        ml.cumulative_funding("buy", 1, 100, [0.1])


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
    n_star = ml.intervals_to_funding_liquidation(side, entry, q, m0, rate, mark, mmr,
                                                 convention=convention)
    assert n_star == math.ceil(x)
    replay = ml.isolated_funding_drift(pos["side"], entry, q, m0,
                                       np.full(n_star + 3, rate), np.full(n_star + 3, mark),
                                       mmr, convention=convention)
    assert replay.liquidation_interval == n_star
    assert not replay.liquidated[:n_star].any()
    assert replay.liquidated[n_star]


@given(side=sides, entry=prices, leverage=leverages, mmr=mmrs, convention=conventions,
       rate=st.floats(0, 0.02))
def test_receiving_side_is_never_liquidated_by_funding(side, entry, leverage, mmr, convention,
                                                       rate):
    pos = _position(side, entry, leverage, mmr, convention)
    s = 1 if side == "long" else -1
    n = ml.intervals_to_funding_liquidation(side, entry, pos["size"], pos["margin"], -s * rate,
                                            None, mmr, convention=convention)
    assert n == -1
    d = ml.isolated_funding_drift(side, entry, pos["size"], pos["margin"],
                                  np.full(30, -s * rate), None, mmr, convention=convention)
    assert d.liquidation_interval == -1
    assert np.all(np.diff(d.margin) >= 0)


@given(entry=prices, leverage=leverages, mmr=mmrs, convention=conventions,
       path=rate_paths(min_size=2, elements=st.floats(1e-6, 0.01)),
       moves=st.lists(st.floats(-0.02, 0.02), min_size=40, max_size=40))
def test_positive_rate_moves_a_long_liquidation_price_toward_the_mark(entry, leverage, mmr,
                                                                      convention, path, moves):
    pos = _position("long", entry, leverage, mmr, convention)
    price_path = entry * (1 + np.array(moves[:len(path)]))
    d = ml.isolated_funding_drift(pos["side"], entry, pos["size"], pos["margin"], path,
                                  price_path, mmr, convention=convention)
    # the long's liquidation price rises with every payment, whatever the price does
    assert np.all(np.diff(d.liquidation_price) > 0)
    # at a constant mark (funding alone) the gap to the mark shrinks every interval
    flat = ml.isolated_funding_drift(pos["side"], entry, pos["size"], pos["margin"], path,
                                     None, mmr, convention=convention)
    gap = flat.mark_price - flat.liquidation_price
    assert np.all(np.diff(gap) < 0)
    assert np.all(np.diff(flat.effective_leverage[flat.equity > 0]) >= 0)


@given(entry=prices, leverage=leverages, mmr=mmrs, convention=conventions,
       path=rate_paths(min_size=2, elements=st.floats(1e-6, 0.01)))
def test_a_paying_short_sees_its_liquidation_price_fall_toward_the_mark(entry, leverage, mmr,
                                                                        convention, path):
    pos = _position("short", entry, leverage, mmr, convention)
    d = ml.isolated_funding_drift("short", entry, pos["size"], pos["margin"], -path, None, mmr,
                                  convention=convention)
    assert np.all(np.diff(d.liquidation_price) < 0)


@given(side=sides, entry=prices, leverage=leverages, mmr=mmrs, convention=conventions,
       path=rate_paths(min_size=1, max_size=20))
def test_replay_liquidation_price_matches_core_formula(side, entry, leverage, mmr, convention,
                                                       path):
    pos = _position(side, entry, leverage, mmr, convention)
    d = ml.isolated_funding_drift(side, entry, pos["size"], pos["margin"], path, None, mmr,
                                  convention=convention)
    ok = d.margin > pos["size"] * entry * mmr * 1.0001
    for k in np.flatnonzero(ok):
        expected = ml.liquidation_price(side, entry, pos["size"], d.margin[k], mmr,
                                        convention=convention)
        assert d.liquidation_price[k] == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert np.isfinite(d.liquidation_price).all()
    assert not np.isnan(d.effective_leverage).any()


def test_drift_runs_past_bankruptcy_without_nan():
    d = ml.isolated_funding_drift("long", 100, 10, 100, np.full(5, 0.05))
    assert d.liquidation_interval == 2  # 100 of margin, 50 a payment, no maintenance
    assert np.isinf(d.effective_leverage[2:]).all()
    assert not np.isnan(d.liquidation_price).any()
    np.testing.assert_allclose(d.margin, [100, 50, 0, -50, -100, -150])


def test_drift_batches_scenarios_on_trailing_axes():
    rates = ml.constant_rate_path([0.001, 0.002, -0.001], 400)  # (400, 3)
    d = ml.isolated_funding_drift("long", 2.5, 400, 100, rates)
    assert d.margin.shape == (401, 3)
    np.testing.assert_array_equal(d.liquidation_interval, [100, 50, -1])
    closed = ml.intervals_to_funding_liquidation("long", 2.5, 400, 100, [0.001, 0.002, -0.001])
    np.testing.assert_array_equal(d.liquidation_interval, closed)
    margins = np.array([50.0, 100.0, 200.0])
    d2 = ml.isolated_funding_drift("long", 2.5, 400, margins, np.full((600, 1), 0.001))
    np.testing.assert_array_equal(d2.liquidation_interval, [50, 100, 200])


def test_drift_errors():
    with pytest.raises(ValueError, match="liquidated immediately"):
        ml.isolated_funding_drift("long", 100, 1, 0.4, [0.001], None, 0.005)
    with pytest.raises(ValueError, match="same number of intervals"):
        ml.isolated_funding_drift("long", 100, 1, 10, [0.001, 0.001], [100.0])
    with pytest.raises(ValueError, match="and of axes"):
        ml.isolated_funding_drift("long", 100, 1, 10, [0.001, 0.001], [[100.0], [100.0]])
    with pytest.raises(ValueError, match="rate_path must be an array"):
        ml.isolated_funding_drift("long", 100, 1, 10, 0.001)
    with pytest.raises(ValueError, match="put time on axis 0"):
        ml.isolated_funding_drift("long", 100, 1, [10.0, 20.0], [0.001, 0.001])
    with pytest.raises(ValueError, match="price_path must be > 0"):
        ml.isolated_funding_drift("long", 100, 1, 10, [0.001], [0.0])
    with pytest.raises(ValueError, match="convention must be"):
        ml.isolated_funding_drift("long", 100, 1, 10, [0.001], convention="last")
    with pytest.raises(ValueError, match="price liquidation"):
        ml.intervals_to_funding_liquidation("long", 100, 1, 10, 0.001, mark_price=85)


# --------------------------------------------------------------------------- break-even, carry
@given(side=sides, entry=prices, size=sizes, f_o=st.floats(0, 0.002), f_c=st.floats(0, 0.002),
       rate=st.floats(-0.001, 0.001), n=st.integers(0, 200), gas=st.floats(0, 5))
def test_break_even_exit_nets_zero(side, entry, size, f_o, f_c, rate, n, gas):
    assume(gas < 0.5 * size * entry)  # a short cannot recover more than its notional
    be = ml.break_even_move(side, entry, size, open_fee_rate=f_o, close_fee_rate=f_c,
                            funding_rate=rate, intervals=n, gas_cost=gas)
    pnl = ml.realized_pnl(side, size, entry, be.exit_price, open_fee_rate=f_o,
                          close_fee_rate=f_c)
    funding = ml.cumulative_funding(side, size, entry, np.full(max(n, 1), rate)).total if n else 0
    net = pnl + funding - gas
    assert net == pytest.approx(0.0, abs=1e-9 * size * entry + 1e-9)
    assert be.total_cost == pytest.approx(be.open_fee + be.close_fee + be.funding_cost + gas)


@pytest.mark.parametrize("leverage", [1, 5, 50])
def test_break_even_does_not_depend_on_leverage_but_carry_does(leverage):
    be = ml.break_even_move("long", 2.5, 400, open_fee_rate=0.0005, close_fee_rate=0.0005,
                            funding_rate=0.0001, intervals=90)
    assert be.price_move == pytest.approx(0.010005, abs=1e-6)
    drag = ml.carry_return("long", 0.0001, 90, leverage)
    assert drag == pytest.approx(-0.009 * leverage)


@given(rate=rates, n=st.integers(0, 1000), lev=leverages)
def test_carry_of_receiver_is_the_payers_drag(rate, n, lev):
    assert ml.carry_return("short", rate, n, lev) == pytest.approx(
        -ml.carry_return("long", rate, n, lev), abs=1e-15)


def test_break_even_and_carry_errors():
    with pytest.raises(ValueError, match="open_fee_rate must be a fraction"):
        ml.break_even_move("long", 1, 1, open_fee_rate=1.5)
    with pytest.raises(ValueError, match="intervals must be >= 0"):
        ml.break_even_move("long", 1, 1, intervals=-1)
    with pytest.raises(ValueError, match="no break-even price"):
        ml.break_even_move("long", 1, 1, funding_rate=-0.01, intervals=200)
    with pytest.raises(ValueError, match="leverage must be >= 1"):
        ml.carry_return("short", 0.0001, 3, leverage=0.5)


# --------------------------------------------------------------------------- funding data
def test_shipped_sample_is_labelled_synthetic_and_small():
    from marginlib import funding_data as fd
    folder = fd._data_dir()
    total = 0
    for name in fd.DEFAI_SAMPLE_FILES.values():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# SYNTHETIC DATA"), name
        assert "# synthetic: true" in text and "NOT market data" in text
        total += path.stat().st_size
    assert total < 200_000
    s = ml.load_defai_sample()
    assert s.synthetic and s.funding.synthetic and s.prices.synthetic
    assert s.metadata["synthetic"] == "true"
    assert "SYNTH" in s.funding.symbol and s.prices.symbol == s.funding.symbol
    assert len(s.funding) == len(s.prices) == 720
    assert s.funding.interval_hours == 1.0 and s.prices.timeframe_hours == 1.0
    np.testing.assert_array_equal(s.reference_prices, s.prices.close)


def test_shipped_sample_is_what_the_generator_makes():
    shipped = ml.load_defai_sample()
    meta = shipped.metadata
    fresh = ml.synthetic_defai_sample(
        seed=int(meta["seed"]), days=int(meta["days"]), start=meta["start"],
        symbol=meta["symbol"], start_price=float(meta["start_price"]),
        end_price=float(meta["end_price"]), volatility=float(meta["volatility"]),
        baseline_rate_per_hour=float(meta["baseline_rate_per_hour"]),
        premium_mean_per_hour=float(meta["premium_mean_per_hour"]),
        premium_volatility_per_hour=float(meta["premium_volatility_per_hour"]),
        premium_reversion=float(meta["premium_reversion"]),
        momentum_beta=float(meta["momentum_beta"]), cap_per_hour=float(meta["cap_per_hour"]))
    np.testing.assert_array_equal(fresh.funding.timestamps, shipped.funding.timestamps)
    np.testing.assert_allclose(fresh.funding.rates, shipped.funding.rates, rtol=0, atol=1e-10)
    for col in ("open", "high", "low", "close"):
        np.testing.assert_allclose(getattr(fresh.prices, col), getattr(shipped.prices, col),
                                   rtol=0, atol=1e-6)
    # the story the notebook tells: the price ends above its start, and funding ran hot
    assert shipped.prices.close[-1] > shipped.prices.open[0]
    assert shipped.funding.rates.mean() > ml.hyperliquid_funding_rate(0.0)
    assert np.all(shipped.prices.high >= np.maximum(shipped.prices.open, shipped.prices.close))


def test_loaders_read_ccxt_json_and_csv(tmp_path):
    import json
    rows = [  # ccxt fetch_funding_rate_history output, unsorted and with a page overlap
        {"info": {}, "symbol": "AI/USDT:USDT", "fundingRate": 0.0003,
         "timestamp": 1735718400000, "datetime": "2025-01-01T08:00:00.000Z"},
        {"info": {}, "symbol": "AI/USDT:USDT", "fundingRate": 0.0001,
         "timestamp": 1735689600000, "datetime": "2025-01-01T00:00:00.000Z"},
        {"info": {}, "symbol": "AI/USDT:USDT", "fundingRate": 0.0003,
         "timestamp": 1735718400000, "datetime": "2025-01-01T08:00:00.000Z"},
    ]
    (tmp_path / "f.json").write_text(json.dumps(rows))
    h = ml.load_funding_history(tmp_path / "f.json")
    np.testing.assert_array_equal(h.timestamps, [1735689600000, 1735718400000])
    np.testing.assert_allclose(h.rates, [0.0001, 0.0003])
    assert h.interval_hours == 8.0 and not h.synthetic
    np.testing.assert_allclose(h.hours, [0, 8])
    (tmp_path / "f.csv").write_text(
        "# exported by me\ndatetime,symbol,fundingRate\n"
        "2025-01-01T00:00:00Z,AI/USDT:USDT,0.0001\n2025-01-01T08:00:00Z,AI/USDT:USDT,0.0003\n"
        "2025-01-01T00:00:00Z,XY/USDT:USDT,0.0009\n")
    c = ml.load_funding_history(tmp_path / "f.csv", symbol="AI/USDT:USDT")
    np.testing.assert_array_equal(c.timestamps, h.timestamps)
    with pytest.raises(ValueError, match="several symbols"):
        ml.load_funding_history(tmp_path / "f.csv")
    candles = [[1735689600000 - 3600000 * k, 2.5, 2.6, 2.4, 2.5 + 0.01 * k, 100.0]
               for k in range(9)]
    (tmp_path / "p.json").write_text(json.dumps(candles))
    p = ml.load_price_history(tmp_path / "p.json", symbol="AI/USDT:USDT")
    assert p.timeframe_hours == 1.0 and len(p) == 9
    # the candle that ended at the funding time (opened one hour before) gives the price
    np.testing.assert_allclose(p.close_at(h.timestamps[:1]), [2.51])
    (tmp_path / "p.csv").write_text("timestamp,open,high,low,close,volume\n"
                                    "1735689600000,2.5,2.6,2.4,2.55,10\n")
    assert ml.load_price_history(tmp_path / "p.csv").close[0] == 2.55
    cf = ml.cumulative_funding("long", 100, p.close_at(h.timestamps[:1]), h.rates[:1])
    assert cf.total == pytest.approx(-100 * 2.51 * 0.0001)


def test_loader_errors(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        ml.load_funding_history(tmp_path / "missing.csv")
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(ValueError, match="expected a .csv or .json"):
        ml.load_funding_history(tmp_path / "x.txt")
    with pytest.raises(ValueError, match="fundingRate"):
        ml.load_funding_history([{"timestamp": 1}])
    with pytest.raises(ValueError, match="fundingRate must be finite"):
        ml.load_funding_history([{"timestamp": 1, "fundingRate": "nan"}])
    with pytest.raises(ValueError, match="cannot read the time"):
        ml.load_funding_history([{"datetime": "yesterday", "fundingRate": 0.1}])
    with pytest.raises(ValueError, match="no funding rows"):
        ml.load_funding_history([])
    with pytest.raises(ValueError, match="low <= open, close <= high"):
        ml.load_price_history([[0, 2.5, 2.4, 2.3, 2.45, 1.0]])
    with pytest.raises(ValueError, match="open must be > 0"):
        ml.load_price_history([[0, 0.0, 2.4, 0.0, 2.0, 1.0]])
    p = ml.load_price_history([[3600000, 1, 1, 1, 1, 1], [7200000, 1, 1, 1, 1, 1]])
    with pytest.raises(ValueError, match="before the first candle"):
        p.close_at([3600000])


def test_bridge_path_is_pinned_and_seeded():
    a = ml.bridge_price_path(2.5, 2.6, 100, 0.8, n_paths=4, rng=5)
    assert a.shape == (101, 4)
    np.testing.assert_array_equal(a[0], 2.5)
    np.testing.assert_allclose(a[-1], 2.6, rtol=1e-15)
    np.testing.assert_array_equal(a, ml.bridge_price_path(2.5, 2.6, 100, 0.8, n_paths=4, rng=5))
    flat = ml.bridge_price_path(1.0, 2.0, 4, 0.0)
    np.testing.assert_allclose(flat, 2.0 ** (np.arange(5) / 4))
    with pytest.raises(ValueError, match="n_steps must be an integer"):
        ml.bridge_price_path(1, 2, 0, 0.5)


def test_import_marginlib_never_imports_ccxt():
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", "import sys, marginlib; print('ccxt' in "
                          "sys.modules)"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- plots, widgets
@pytest.fixture
def plots():
    pytest.importorskip("matplotlib")
    from marginlib import plots as p
    return p


def test_drift_plot_draws_the_replay_and_marks_the_closed_form_day(plots):
    p = plots.funding_drift(static=True, rate_bp=5, leverage=20, days=60)
    x, y = p.artists["equity"].get_data()
    np.testing.assert_allclose(y, p.drift.equity[:len(y)])
    assert p.liquidation_interval == p.closed_form_intervals == 90
    assert p.liquidation_day == 30.0 == x[-1]
    np.testing.assert_allclose(p.artists["day_top"].get_xdata(), [30, 30])
    p.set(rate_bp=2.0)  # 0.4 a payment: 225 payments, outside the 60 days
    assert p.liquidation_day is None and p.closed_form_intervals == 225
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
    p = plots.right_direction(static=True)
    assert p.price_return == pytest.approx(0.03) and p.price_pnl > 0
    assert p.verdict == "LOST" and p.net_pnl < 0
    assert p.net_pnl == pytest.approx(p.price_pnl - p.funding_paid - p.fees)
    p.set(leverage=8)
    lp0 = ml.liquidation_price("long", 2.5, p.size, 100, 0.005)
    assert p.path.min() > lp0            # the price never reaches the day-0 liquidation price
    assert p.verdict == "LIQUIDATED"     # but funding walked it up into a dip
    assert p.path[p.liquidation_hour] <= p.drift.liquidation_price[p.liquidation_hour]


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
    w = widgets.funding_drift_widget()
    before = np.array(w.plot.artists["liquidation"].get_ydata())
    w.controls["rate_bp"].value = 10.0
    after = np.array(w.plot.artists["liquidation"].get_ydata())
    assert w.plot.liquidation_day == 15.0 and len(after) < len(before)
    assert "day 15" in w.message.value
    bad = widgets.funding_drift_widget(leverage=10.0, maintenance_margin_rate=0.05)
    bad.controls["leverage"].value = 25.0
    assert "liquidated immediately" in bad.message.value
    assert bad.plot.params["leverage"] == 10.0  # the figure kept its last valid state
    d = widgets.funding_drag_widget()
    d.controls["rate_bp"].value = 100.0
    assert d.plot.annual_notional == pytest.approx(0.01 * 1095)
    r = widgets.right_direction_widget()
    r.controls["leverage"].value = 8.0
    assert "Liquidated" in r.message.value
