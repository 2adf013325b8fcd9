"""P(liquidation): the vectorised erfc kernel, the closed form, its Monte Carlo check, σ.

Expectations are derived independently: ``math.erfc`` for the kernel; the reflection-principle
formula written out with ``math.erfc`` one element at a time; seeded Monte Carlo paths (the
path engine of marginlib.sim.paths) within their binomial standard error; simulated GBM series
of known volatility for the estimator.
"""
import math

import numpy as np
import pytest

from marginlib.liquidation import liquidation_price
from marginlib.sim import probability as prob
from marginlib.sim.probability import (first_passage_probability, liquidation_probability,
                                       simulated_liquidation_probability)
from marginlib.sim.volatility import estimate_volatility, volatility_by_interval

YEAR_H = 8760.0


def phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def by_hand(side, price, barrier, sigma, years, mu=0.0):
    """Shreve §7.3 written out for one position, with math.erfc."""
    s = 1.0 if side == "long" else -1.0
    if barrier == 0 and s > 0:
        return 0.0
    b = s * math.log(barrier / price)
    if b >= 0:
        return 1.0
    nu = s * (mu - 0.5 * sigma ** 2)
    sd = sigma * math.sqrt(years)
    return (phi((b - nu * years) / sd)
            + math.exp(2 * nu * b / sigma ** 2) * phi((b + nu * years) / sd))


# ----------------------------------------------------------------------------- kernel ---

def test_vectorised_erfc_matches_math_erfc_to_1e_12_over_a_wide_range():
    x = np.concatenate([np.linspace(-6.0, 26.5, 40_001), -np.logspace(-300, 0.78, 500),
                        np.logspace(-300, 1.42, 2_000), [0.0, -0.0, 0.46875, 4.0, -0.46875]])
    want = np.array([math.erfc(t) for t in x])
    got = prob._erfc(x)
    normal = want > 1e-300  # beyond, erfc is subnormal: few digits left to compare
    assert np.max(np.abs(got[normal] - want[normal]) / want[normal]) < 1e-12
    assert np.all(got[~normal] <= 1e-300)


def test_the_fitted_intervals_hold_the_accuracy_the_module_states():
    # |z| <= 0.46875 (degree-6 polynomial, 3.7e-14) and (0.46875, 4] (6/6 rational, 2e-14),
    # both halves: the half-scaled coefficients the grid kernel uses are the same fits
    z = np.concatenate([np.linspace(-0.46875, 4.0, 40_001),
                        [0.46875, np.nextafter(0.46875, 1.0)]])
    want = np.array([math.erfc(t) for t in z])
    assert np.max(np.abs(prob._erfc(z) / want - 1)) < 5e-14
    low = np.abs(z) <= 0.46875
    half = prob._erfc_low(z[low], np.empty(low.sum()), half=True)
    assert np.max(np.abs(half / (0.5 * want[low]) - 1)) < 5e-14
    y = z[z > 0.46875]
    with np.errstate(all="ignore"):
        scaled = prob._erfcx_mid_big(y, half=True) * np.exp(-y * y)
    assert np.max(np.abs(scaled / (0.5 * want[z > 0.46875]) - 1)) < 5e-14


def test_scratch_starts_on_a_cache_line():
    for size in (1, 7, 40_000, 16 * prob._POOLED_CELLS + 1):   # pooled, reused, too big to pool
        assert prob._scratch(size).ctypes.data % 64 == 0 and prob._scratch(size).size >= size


def test_a_grid_keeps_no_temporary_bigger_than_its_result_alive_with_it():
    # glibc hands back freed memory above its trim threshold (twice the largest block freed),
    # and the next call page-faults it in again: the kernel's own arrays live in per-thread
    # scratch, and the result is allocated after the tail's boolean-indexed copies are freed.
    import tracemalloc
    lev = np.linspace(1.5, 40.0, 200)[:, None]
    years = np.geomspace(1 / YEAR_H, 1.0, 200)[None, :]
    liq = liquidation_price("long", entry_price=2.5, size=lev, margin=2.5,
                            maintenance_margin_rate=0.02)
    grid = lambda: liquidation_probability("long", price=2.5, liquidation_price=liq,  # noqa
                                           volatility=0.9, horizon_years=years)
    grid()   # the scratch, once
    tracemalloc.start()
    try:
        result = grid()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.nbytes <= peak < 1.3 * result.nbytes


def test_a_grid_bigger_than_the_scratch_goes_a_block_of_rows_at_a_time(monkeypatch):
    liq = np.linspace(0.5, 2.49, 37)[:, None]
    years = np.geomspace(1 / YEAR_H, 1.0, 53)[None, :]
    kw = dict(price=2.5, liquidation_price=liq, volatility=0.9, horizon_years=years, drift=0.7)
    whole = liquidation_probability("long", **kw)
    blocks = []
    real = prob._touch_block
    monkeypatch.setattr(prob, "_POOLED_CELLS", 5 * 53)     # five rows a block
    monkeypatch.setattr(prob, "_touch_block",
                        lambda *args: blocks.append(args[4]) or real(*args))
    assert np.array_equal(liquidation_probability("long", **kw), whole)
    assert blocks == [(5, 53)] * 7 + [(2, 53)]
    # one row bigger than a block: the row is evaluated whole, in scratch of its own
    monkeypatch.setattr(prob, "_POOLED_CELLS", 50)
    blocks.clear()
    assert np.array_equal(liquidation_probability("long", **kw), whole) and len(blocks) == 1


def test_log_normal_cdf_in_the_far_tail_and_near_one():
    x = np.concatenate([np.linspace(-37.0, 8.0, 9_001), [-0.3, 0.0, 0.3]])
    want = np.array([math.log(phi(t)) if t <= 0 else math.log1p(-phi(-t)) for t in x])
    got = prob._log_normal_cdf(x)
    assert np.max(np.abs(got - want) / np.abs(want)) < 1e-12
    # beyond the float range of Φ: the asymptotic series (Abramowitz & Stegun 26.2.12)
    # Φ(x) = φ(x)/|x|·(1 − 1/x² + 3/x⁴ − 15/x⁶ + ...)
    for t in (-40.0, -1e3, -1e5):
        series = 1 - 1 / t ** 2 + 3 / t ** 4 - 15 / t ** 6
        assert prob._log_normal_cdf(np.array([t]))[0] == pytest.approx(
            -t * t / 2 - math.log(-t * math.sqrt(2 * math.pi)) + math.log(series), rel=1e-13)
    assert isinstance(float(prob._log_normal_cdf(0.3)), float)


# ------------------------------------------------------------------------ closed form ---

@pytest.mark.parametrize("side, barrier", [("long", 90.0), ("long", 60.0), ("short", 115.0),
                                           ("short", 180.0)])
@pytest.mark.parametrize("mu", [-0.5, 0.0, 0.8])
def test_closed_form_by_hand(side, barrier, mu):
    for sigma, years in [(0.9, 1 / 365), (1.5, 7 / 365), (0.4, 0.5)]:
        got = liquidation_probability(side, price=100.0, liquidation_price=barrier,
                                      volatility=sigma, horizon_years=years, drift=mu)
        assert got == pytest.approx(by_hand(side, 100.0, barrier, sigma, years, mu),
                                    rel=1e-11, abs=1e-300)


def test_the_same_as_first_passage_in_hours_and_bgk_is_a_barrier_shift():
    kw = dict(volatility=0.8, drift=0.1)
    for barrier, side in [(90.0, "long"), (112.0, "short")]:
        a = liquidation_probability(side, price=100.0, liquidation_price=barrier,
                                    horizon_years=24 / YEAR_H, monitoring_hours=1.0, **kw)
        b = first_passage_probability(initial_price=100.0, barrier=barrier, horizon_hours=24,
                                      monitoring_hours=1.0, **kw)
        assert a == pytest.approx(b, rel=1e-12)
        shift = math.exp(prob.BGK_BETA * 0.8 * math.sqrt(1 / YEAR_H))
        moved = barrier / shift if side == "long" else barrier * shift
        assert a == pytest.approx(by_hand(side, 100.0, moved, 0.8, 24 / YEAR_H, 0.1), rel=1e-11)


def test_a_leverage_by_horizon_grid_in_one_call_equals_the_elementwise_values():
    lev = np.linspace(1.5, 40.0, 200)[:, None]
    years = np.geomspace(1 / YEAR_H, 1.0, 200)[None, :]
    liq = liquidation_price("long", entry_price=2.5, size=lev, margin=2.5,
                            maintenance_margin_rate=0.02)
    grid = liquidation_probability("long", price=2.5, liquidation_price=liq, volatility=0.9,
                                   horizon_years=years)
    assert grid.shape == (200, 200)
    for i, j in [(0, 0), (0, 199), (57, 3), (120, 120), (199, 0), (199, 199), (10, 150)]:
        assert grid[i, j] == pytest.approx(by_hand("long", 2.5, float(liq[i, 0]), 0.9,
                                                   float(years[0, j])), rel=1e-11, abs=1e-300)
    # P rises with leverage (down a column) and with the horizon (along a row)
    assert np.all(np.diff(grid, axis=0) >= 0) and np.all(np.diff(grid, axis=1) >= 0)
    assert grid[-1, -1] > 0.99 and grid[0, 0] < 1e-300 + 1e-12


def test_probability_rises_with_volatility_and_falls_with_drift_for_a_long():
    sig = np.linspace(0.05, 3.0, 300)
    p = liquidation_probability("long", price=1.0, liquidation_price=0.85, volatility=sig,
                                horizon_years=7 / 365)
    assert np.all(np.diff(p) > 0)
    mu = np.linspace(-3, 3, 61)
    p = liquidation_probability("long", price=1.0, liquidation_price=0.85, volatility=0.9,
                                horizon_years=30 / 365, drift=mu)
    assert np.all(np.diff(p) < 0)
    p = liquidation_probability("short", price=1.0, liquidation_price=1.15, volatility=0.9,
                                horizon_years=30 / 365, drift=mu)
    assert np.all(np.diff(p) > 0)


def test_limits_reached_never_and_mixed_sides():
    out = liquidation_probability(["long", "long", "long", "short", "short"], price=100.0,
                                  liquidation_price=[0.0, 100.0, 120.0, 100.0, 80.0],
                                  volatility=0.8, horizon_years=0.1)
    assert out.tolist() == [0.0, 1.0, 1.0, 1.0, 1.0]
    assert isinstance(liquidation_probability("long", price=1, liquidation_price=0.9,
                                              volatility=0.5, horizon_years=0.01), float)
    # extreme magnitudes: a probability in [0, 1] or a ValueError naming an argument
    for kw in [dict(volatility=1e150), dict(drift=-1e300), dict(horizon_years=1e300),
               dict(volatility=2.3e-308), dict(price=1e308), dict(drift=1e300)]:
        args = dict(price=100.0, liquidation_price=90.0, volatility=0.8, horizon_years=0.1)
        args.update(kw)
        try:
            p = liquidation_probability("long", **args)
        except ValueError as exc:
            assert any(name in str(exc) for name in args)
        else:
            assert 0.0 <= p <= 1.0


# ------------------------------------------------------------------------ Monte Carlo ---

def test_formula_matches_gaussian_monte_carlo_and_bgk_matches_discrete_marks():
    """Hourly marks for a week: BGK within 3 standard errors of the simulation at every
    barrier; the continuous formula is above it (the marks miss touches between them)."""
    barriers = np.array([92.0, 85.0, 75.0])
    kw = dict(price=100.0, volatility=1.2, horizon_years=7 / 365)
    mc = simulated_liquidation_probability("long", liquidation_price=barriers, n_paths=40_000,
                                           rng=7, step_hours=1.0, **kw)
    bgk = liquidation_probability("long", liquidation_price=barriers, monitoring_hours=1, **kw)
    cont = liquidation_probability("long", liquidation_price=barriers, **kw)
    assert mc.n_steps == 168 and mc.n_paths == 40_000
    assert np.all(np.abs(mc.probability - bgk) < 3 * mc.standard_error)
    assert np.all(cont - mc.probability > 3 * mc.standard_error)
    # a short, with drift, every 15 minutes for a day
    kw = dict(price=2.0, volatility=0.9, horizon_years=1 / 365, drift=0.5)
    mc = simulated_liquidation_probability("short", liquidation_price=[2.05, 2.1], n_paths=40_000,
                                           rng=3, step_hours=0.25, **kw)
    bgk = liquidation_probability("short", liquidation_price=[2.05, 2.1], monitoring_hours=0.25,
                                  **kw)
    assert np.all(np.abs(mc.probability - bgk) < 3 * mc.standard_error)


def test_fat_tails_and_jumps_make_the_formula_optimistic_far_from_the_price():
    """Same total variance per year; a liquidation price 30 % away (a 'conservative' 3×)."""
    sigma, years, lam, jm, jv = 0.9, 7 / 365, 50.0, -0.05, 0.05
    diffusion = math.sqrt(sigma ** 2 - lam * (jm ** 2 + jv ** 2))
    formula = liquidation_probability("long", price=1.0, liquidation_price=0.7,
                                      volatility=sigma, horizon_years=years, monitoring_hours=1)
    common = dict(price=1.0, liquidation_price=0.7, horizon_years=years, n_paths=20_000, rng=1)
    jumps = simulated_liquidation_probability("long", volatility=diffusion, jump_intensity=lam,
                                              jump_mean=jm, jump_volatility=jv, **common)
    fat = simulated_liquidation_probability("long", volatility=sigma, tail_dof=3, **common)
    assert jumps.probability - formula > 3 * jumps.standard_error
    assert jumps.probability > 1.5 * formula
    # Student-t with 3 dof: fewer touches near the price, more far away
    near = simulated_liquidation_probability("long", price=1.0, liquidation_price=0.9,
                                             volatility=sigma, tail_dof=3, horizon_years=years,
                                             n_paths=20_000, rng=1)
    near_formula = liquidation_probability("long", price=1.0, liquidation_price=0.9,
                                           volatility=sigma, horizon_years=years,
                                           monitoring_hours=1)
    assert near_formula - near.probability > 3 * near.standard_error
    assert fat.probability >= formula


def test_monte_carlo_is_seeded():
    kw = dict(price=1.0, liquidation_price=0.9, volatility=0.9, horizon_years=1 / 365,
              n_paths=2_000)
    a = simulated_liquidation_probability("long", **kw)
    b = simulated_liquidation_probability("long", **kw)
    c = simulated_liquidation_probability("long", rng=5, **kw)
    assert a == b and a.probability != c.probability


# ------------------------------------------------------------------------- volatility ---

def gbm_series(sigma, hours, n, seed=0, mu=0.3):
    rng = np.random.default_rng(seed)
    dt = hours / YEAR_H
    r = (mu - sigma ** 2 / 2) * dt + sigma * math.sqrt(dt) * rng.standard_normal(n)
    return 2.5 * np.exp(np.concatenate([[0.0], np.cumsum(r)]))


@pytest.mark.parametrize("hours", [1 / 60, 1.0, 24.0])
def test_volatility_of_a_series_of_known_sigma(hours):
    p = gbm_series(0.9, hours, 20_000)
    est = estimate_volatility(p, interval_hours=hours)
    assert abs(est - 0.9) < 3 * 0.9 / math.sqrt(2 * 20_000)
    r = np.diff(np.log(p))   # the textbook form, by hand
    assert est == pytest.approx(np.std(r, ddof=1) * math.sqrt(YEAR_H / hours), rel=1e-10)


def test_volatility_from_timestamps_even_and_uneven():
    p = gbm_series(0.6, 1.0, 5_000, seed=2)
    t = 1_735_689_600_000 + 3_600_000 * np.arange(p.size)
    assert estimate_volatility(p, timestamps_ms=t) == pytest.approx(
        estimate_volatility(p, interval_hours=1.0), rel=1e-12)
    # uneven: intervals of 1 and 3 hours, each return with its own variance σ²Δt
    rng = np.random.default_rng(4)
    dt_h = rng.choice([1.0, 3.0], 20_000)
    r = 0.6 * np.sqrt(dt_h / YEAR_H) * rng.standard_normal(dt_h.size)
    p = np.exp(np.concatenate([[0.0], np.cumsum(r)]))
    t = np.concatenate([[0.0], np.cumsum(dt_h)]) * 3_600_000
    assert abs(estimate_volatility(p, timestamps_ms=t) - 0.6) < 3 * 0.6 / math.sqrt(40_000)


def test_volatility_by_interval_subsamples():
    p = gbm_series(0.9, 1.0, 30_000, seed=3)
    out = volatility_by_interval(p, interval_hours=1.0, every=(1, 4, 24))
    assert list(out) == [1.0, 4.0, 24.0]
    assert out[4.0] == estimate_volatility(p[::4], interval_hours=4.0)
    assert all(abs(x - 0.9) < 0.1 for x in out.values())


# ------------------------------------------------------------------------- bad input ---

GOOD = dict(price=100.0, liquidation_price=90.0, volatility=0.8, horizon_years=0.1, drift=0.0,
            monitoring_hours=1.0)
BAD = {"price": [0.0, -1.0, float("nan"), True, "1"], "liquidation_price": [-1.0, float("inf")],
       "volatility": [0.0, -0.5, float("nan")], "horizon_years": [0.0, -1.0, None],
       "drift": [float("nan"), 1j], "monitoring_hours": [0.0, -1.0]}


@pytest.mark.parametrize("name", list(BAD))
def test_liquidation_probability_bad_input_names_the_argument(name):
    for value in BAD[name]:
        with pytest.raises(ValueError, match=name):
            liquidation_probability("long", **{**GOOD, name: value})
    with pytest.raises(ValueError, match="side"):
        liquidation_probability("up", **GOOD)
    with pytest.raises(ValueError, match="price"):
        liquidation_probability("long", **{**GOOD, "price": [1.0, 2.0],
                                           "liquidation_price": [1.0, 2.0, 3.0]})


def test_simulation_bad_input_names_the_argument():
    good = dict(price=1.0, liquidation_price=0.9, volatility=0.9, horizon_years=1 / 365,
                n_paths=100)
    for name, value in [("price", [1.0, 2.0]), ("price", 0.0), ("liquidation_price", -1.0),
                        ("liquidation_price", [[0.9]]), ("volatility", -1.0),
                        ("horizon_years", 0.0), ("step_hours", 0.0), ("n_paths", 2.5),
                        ("n_paths", 0), ("tail_dof", 2.0), ("jump_intensity", -1.0),
                        ("drift", float("nan"))]:
        with pytest.raises(ValueError, match=name):
            simulated_liquidation_probability("long", **{**good, name: value})
    with pytest.raises(ValueError, match="step_hours"):   # 24 h is not a whole number of 5 h
        simulated_liquidation_probability("long", **{**good, "step_hours": 5.0})
    with pytest.raises(ValueError, match="side"):
        simulated_liquidation_probability(["long", "short"], **good)


def test_volatility_bad_input_names_the_argument():
    p = [1.0, 1.1, 1.05, 1.2]
    for kw, name in [(dict(prices=[1.0, -1.0, 2.0], interval_hours=1), "prices"),
                     (dict(prices=[1.0, 2.0], interval_hours=1), "prices"),
                     (dict(prices=[[1.0, 2.0, 3.0]], interval_hours=1), "prices"),
                     (dict(prices=p, interval_hours=0.0), "interval_hours"),
                     (dict(prices=p, interval_hours=[1.0, 2.0]), "interval_hours"),
                     (dict(prices=p), "interval_hours"),
                     (dict(prices=p, interval_hours=1, timestamps_ms=[0, 1, 2, 3]),
                      "interval_hours"),
                     (dict(prices=p, timestamps_ms=[0, 1, 1, 2]), "timestamps_ms"),
                     (dict(prices=p, timestamps_ms=[0, 1, 2]), "timestamps_ms"),
                     (dict(prices=p, timestamps_ms=[0, 1, 2, float("nan")]), "timestamps_ms")]:
        with pytest.raises(ValueError, match=name):
            estimate_volatility(**kw)
    for kw, name in [(dict(every=(0,)), "every"), (dict(every=(2.5,)), "every"),
                     (dict(every=3), "every"), (dict(every=(10,)), "every"),
                     (dict(interval_hours=-1.0), "interval_hours")]:
        with pytest.raises(ValueError, match=name):
            volatility_by_interval(p * 3, **{"interval_hours": 1.0, **kw})


# ------------------------------------------------------------------- any finite input ---

from hypothesis import given, strategies as st  # noqa: E402

NAMES = ("side", "price", "liquidation_price", "volatility", "horizon_years", "drift",
         "monitoring_hours")
REALS = st.floats(allow_nan=False, allow_infinity=False) | st.floats(1e-310, 1e-300) | \
    st.floats(1e300, 1.7e308)


@given(side=st.sampled_from(["long", "short"]), price=REALS, barrier=REALS, sigma=REALS,
       years=REALS, mu=REALS, monitoring=st.none() | REALS)
def test_any_finite_input_gives_a_probability_or_names_an_argument(side, price, barrier, sigma,
                                                                   years, mu, monitoring):
    try:
        p = liquidation_probability(side, price=price, liquidation_price=barrier,
                                    volatility=sigma, horizon_years=years, drift=mu,
                                    monitoring_hours=monitoring)
    except ValueError as exc:
        assert any(name in str(exc) for name in NAMES), str(exc)
    else:
        assert isinstance(p, float) and 0.0 <= p <= 1.0


@given(sigma=st.floats(0.01, 5.0), years=st.floats(1e-4, 2.0), mu=st.floats(-3.0, 3.0),
       barrier=st.floats(0.05, 0.999))
def test_the_kernel_agrees_with_math_erfc_on_random_positions(sigma, years, mu, barrier):
    got = liquidation_probability("long", price=1.0, liquidation_price=barrier,
                                  volatility=sigma, horizon_years=years, drift=mu)
    assert got == pytest.approx(long_in_logs(barrier, sigma, years, mu), rel=1e-10, abs=1e-300)


def long_in_logs(barrier, sigma, years, mu):
    """P for a long at price 1 with math.erfc, the second term in logs (its weight can
    overflow where Φ underflows)."""
    nu, b, sd = mu - sigma ** 2 / 2, math.log(barrier), sigma * math.sqrt(years)
    second = 0.0
    tail = math.erfc(-((b + nu * years) / sd) / math.sqrt(2))
    if tail > 0:
        second = math.exp(2 * nu * b / sigma ** 2 + math.log(0.5 * tail))
    return min(phi((b - nu * years) / sd) + second, 1.0)


@given(barriers=st.lists(st.floats(0.05, 0.999), min_size=1, max_size=5),
       years=st.lists(st.floats(1e-4, 2.0), min_size=1, max_size=5),
       sigma=st.floats(0.01, 5.0), mu=st.floats(-3.0, 3.0))
def test_a_grid_agrees_with_math_erfc_cell_by_cell(barriers, years, sigma, mu):
    # one call mixes every interval of both halves (negative ones with a rising drift)
    grid = liquidation_probability("long", price=1.0,
                                   liquidation_price=np.array(barriers)[:, None],
                                   volatility=sigma, horizon_years=np.array(years)[None, :],
                                   drift=mu)
    for i, barrier in enumerate(barriers):
        for j, t in enumerate(years):
            assert grid[i, j] == pytest.approx(long_in_logs(barrier, sigma, t, mu), rel=1e-10,
                                               abs=1e-300)
