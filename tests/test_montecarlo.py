"""Monte Carlo of isolated vs cross margin: reference loop, engine replay, summaries, formula."""
import json
import math
from pathlib import Path

import numpy as np
import pytest

import marginlib.sim.montecarlo as mc
from marginlib.account import Account
from marginlib.liquidation import liquidation_price
from marginlib.sim.montecarlo import portfolio, simulate_margin_modes
from marginlib.sim.paths import Shock, price_model, price_paths
from marginlib.sim.probability import first_passage_probability
from marginlib.sim.risk import LOSE_EVERYTHING_FRACTION, loss_summary
from reference.montecarlo_loop import reference_simulate

DATA = Path(__file__).parent / "data"

CONFIGS = {
    "mixed-sides-fees": (
        dict(initial_prices=[2.0, 0.5, 1.25], volatility=[0.8, 1.2, 1.0], correlation=0.5,
             drift=0.1),
        dict(side=["long", "short", "long"], leverage=[10, 5, 20], maintenance_margin_rate=0.01,
             liquidation_fee_rate=0.01, capital=3_000)),
    "tails-jumps-shocks-free-cash": (
        dict(initial_prices=[2.0, 0.5, 1.25], volatility=[0.8, 1.2, 1.0], correlation=0.5,
             tail_dof=4.0, jump_intensity=50.0, jump_mean=-0.05, jump_volatility=0.1,
             shocks=[Shock(token=1, time_step=6, return_=-0.40),
                     Shock(token=0, time_step=50, return_=0.30)]),
        dict(side=["long", "short", "long"], leverage=[10, 5, 20], margin=[500, 1_000, 2_000],
             capital=5_000, liquidation_fee_rate=0.02)),
    "matrix-hedged-pair": (
        dict(initial_prices=[1.0, 4.0, 0.25],
             correlation=[[1.0, 0.9, -0.3], [0.9, 1.0, -0.2], [-0.3, -0.2, 1.0]],
             volatility=[1.0, 1.2, 0.7], tail_dof=3.0),
        dict(side=["long", "short", "short"], leverage=[30, 25, 20],
             maintenance_margin_rate=0.02, liquidation_fee_rate=0.05)),
    "eight-tokens": (
        dict(initial_prices=[2.0, 0.5, 1.25, 8.0, 0.1, 3.0, 40.0, 0.75], volatility=1.1,
             correlation=0.3),
        dict(side=["long", "short"] * 4, leverage=[8, 12, 15, 10, 9, 14, 11, 13],
             liquidation_fee_rate=0.01, capital=8_000)),
    "one-token": (
        dict(initial_prices=100.0, volatility=1.5, drift=-0.5),
        dict(side="long", leverage=15, margin=400, capital=1_000, liquidation_fee_rate=0.01)),
}


def build(name):
    model_kwargs, book_kwargs = CONFIGS[name]
    return portfolio(**book_kwargs), price_model(**model_kwargs)


def assert_same_outcomes(a, b, rtol=1e-10):
    np.testing.assert_array_equal(a.isolated_liquidation_step, b.isolated_liquidation_step)
    np.testing.assert_array_equal(a.cross_liquidation_step, b.cross_liquidation_step)
    scale = a.capital
    for field in ("isolated_final_equity", "cross_final_equity", "isolated_bad_debt",
                  "cross_bad_debt"):
        np.testing.assert_allclose(getattr(a, field), getattr(b, field), rtol=rtol,
                                   atol=rtol * scale, err_msg=field)
    np.testing.assert_allclose(a.final_prices, b.final_prices, rtol=rtol)


# ------------------------------------------------------- vectorised == slow references ---

@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_vectorised_equals_python_loop_reference(name):
    book, model = build(name)
    fast = simulate_margin_modes(book, model=model, n_steps=150, n_paths=200, rng=17)
    slow = reference_simulate(book, model=model, n_steps=150, n_paths=200, rng=17)
    assert fast.isolated_liquidated.any() and fast.cross_liquidated.any()
    assert not fast.isolated_liquidated.all()
    assert_same_outcomes(fast, slow)


def test_final_prices_are_those_of_price_paths_bit_for_bit():
    book, model = build("tails-jumps-shocks-free-cash")
    sim = simulate_margin_modes(book, model=model, n_steps=60, n_paths=300, rng=4)
    np.testing.assert_array_equal(sim.final_prices, price_paths(model, n_steps=60, n_paths=300,
                                                                rng=4)[-1])


def test_window_size_does_not_change_results(monkeypatch):
    book, model = build("mixed-sides-fees")
    wide = simulate_margin_modes(book, model=model, n_steps=100, n_paths=300, rng=2)
    monkeypatch.setattr(mc, "_WINDOW_VALUES", 300 * 3 * 3)  # 3 steps per window
    narrow = simulate_margin_modes(book, model=model, n_steps=100, n_paths=300, rng=2)
    assert_same_outcomes(wide, narrow, rtol=0)


@pytest.mark.parametrize("name", ["mixed-sides-fees", "tails-jumps-shocks-free-cash"])
def test_wider_screens_change_nothing(monkeypatch, name):
    """The screens only choose what to test exactly: loosening them must not change results
    (this also exercises the fall-back when the first step past a screen is no hit)."""
    book, model = build(name)
    default = simulate_margin_modes(book, model=model, n_steps=150, n_paths=300, rng=12)
    monkeypatch.setattr(mc, "_LOG_SCREEN", 0.05)
    monkeypatch.setattr(mc, "_CROSS_SCREEN", 0.02)
    assert_same_outcomes(simulate_margin_modes(book, model=model, n_steps=150, n_paths=300,
                                               rng=12), default, rtol=0)


def _replay(book, model, prices, mode):
    """Run every path through marginlib.Account; return liquidation steps and final equity."""
    n_steps, n_paths, k = prices.shape[0] - 1, prices.shape[1], prices.shape[2]
    names = [f"token{i}" for i in range(k)]
    fee = float(book.liquidation_fee_rate[0])
    steps = np.full((n_paths, k), -1)
    equity = np.zeros(n_paths)
    for p in range(n_paths):
        acct = Account(book.capital, liquidation_fee_rate=fee)
        for i, name in enumerate(names):
            acct.open(name, book.side[i], margin=float(book.margin[i]),
                      leverage=float(book.leverage[i]), price=float(prices[0, p, i]), mode=mode,
                      maintenance_margin_rate=float(book.maintenance_margin_rate[i]))
        for t in range(1, n_steps + 1):
            events = acct.mark({names[i]: float(prices[t, p, i]) for i in range(k)}, time=t)
            for event in events:
                if event.kind == "liquidation":
                    steps[p, names.index(event.position)] = t
        equity[p] = acct.equity()
        assert abs(acct.conservation_error()) < 1e-9 * book.capital
    return steps, equity


@pytest.mark.parametrize("name", ["mixed-sides-fees", "tails-jumps-shocks-free-cash",
                                  "matrix-hedged-pair", "eight-tokens"])
def test_account_engine_replay_gives_identical_liquidations(name):
    book, model = build(name)
    book = book.replace(liquidation_fee_rate=0.01,  # the engine has one rate per account
                        margin=0.999 * np.asarray(book.margin))
    n_steps, n_paths = 120, 40
    sim = simulate_margin_modes(book, model=model, n_steps=n_steps, n_paths=n_paths, rng=29)
    prices = price_paths(model, n_steps=n_steps, n_paths=n_paths, rng=29)

    iso_steps, iso_equity = _replay(book, model, prices, "isolated")
    np.testing.assert_array_equal(iso_steps, sim.isolated_liquidation_step)
    np.testing.assert_allclose(iso_equity, sim.isolated_final_equity, rtol=1e-10,
                               atol=1e-9 * book.capital)

    cross_steps, cross_equity = _replay(book, model, prices, "cross")
    # the engine liquidates every cross position at once: one step per path
    assert np.all((cross_steps == cross_steps[:, :1]))
    np.testing.assert_array_equal(cross_steps[:, 0], sim.cross_liquidation_step)
    np.testing.assert_allclose(cross_equity, sim.cross_final_equity, rtol=1e-10,
                               atol=1e-9 * book.capital)
    assert (iso_steps >= 0).any() and (cross_steps >= 0).any()


# ----------------------------------------------------------- scenario worked by hand ---

def test_forty_percent_crash_isolated_loses_one_pool_cross_loses_all():
    """The article: one token crashing 40 % only liquidates that pool in isolated mode."""
    model = price_model([2.0, 0.5, 1.25], volatility=0.0,
                        shocks=[Shock(token=1, time_step=6, return_=-0.40)])
    book = portfolio(["long"] * 3, leverage=10, capital=3_000)  # 1,000 each, notional 10,000
    sim = simulate_margin_modes(book, model=model, n_steps=24, n_paths=3, rng=0)
    # isolated: token 1 loses 0.4 × 10,000 = 4,000 on a 1,000 margin -> liquidated at hour 6,
    # equity -3,000 is bad debt, nothing returned; the other two keep their 1,000
    np.testing.assert_array_equal(sim.isolated_liquidation_step, [[-1, 6, -1]] * 3)
    np.testing.assert_allclose(sim.isolated_final_equity, 2_000.0)
    np.testing.assert_allclose(sim.isolated_bad_debt, 3_000.0)
    # cross: 3,000 − 4,000 = −1,000 <= maintenance -> everything closed, 1,000 of bad debt
    np.testing.assert_array_equal(sim.cross_liquidation_step, [6, 6, 6])
    np.testing.assert_allclose(sim.cross_final_equity, 0.0)
    np.testing.assert_allclose(sim.cross_bad_debt, 1_000.0)
    assert sim.isolated.p_lose_everything == 0.0 and sim.cross.p_lose_everything == 1.0
    assert sim.isolated.expected_loss == pytest.approx(1 / 3)


def test_small_crash_cross_absorbs_what_isolated_cannot():
    """A 6 % drop at 20x: the isolated pool (5 % margin) dies, the shared wallet survives."""
    model = price_model([1.0, 1.0], volatility=0.0,
                        shocks=[Shock(token=0, time_step=2, return_=-0.06)])
    book = portfolio(["long", "short"], leverage=20, capital=2_000, maintenance_margin_rate=0.005)
    sim = simulate_margin_modes(book, model=model, n_steps=5, n_paths=1)
    np.testing.assert_array_equal(sim.isolated_liquidation_step, [[2, -1]])
    assert sim.cross_liquidation_step[0] == -1
    # cross: 2,000 + 20,000 × (−0.06) = 800 of equity left, above 0.5 % of 38,800
    assert sim.cross_final_equity[0] == pytest.approx(800.0)
    assert sim.isolated_final_equity[0] == pytest.approx(1_000.0)  # the pool lost its 1,000


# ------------------------------------------------------------ guaranteed properties ---

@pytest.fixture(scope="module")
def hedged():
    book, model = build("matrix-hedged-pair")
    return book, simulate_margin_modes(book, model=model, n_steps=240, n_paths=2_000, rng=5)


def test_cross_liquidation_implies_an_isolated_one_no_later(hedged):
    """If W + Σ UPNL <= Σ MM with W >= Σ M, some M_i + UPNL_i <= MM_i at that step."""
    _, sim = hedged
    crossed = sim.cross_liquidated
    assert crossed.any()
    steps = np.where(sim.isolated_liquidated, sim.isolated_liquidation_step, np.iinfo(int).max)
    assert np.all(steps[crossed].min(axis=1) <= sim.cross_liquidation_step[crossed])
    assert sim.cross.p_any_liquidation <= sim.isolated.p_any_liquidation


def test_losses_are_bounded(hedged):
    book, sim = hedged
    for loss in (sim.isolated_loss, sim.cross_loss):
        assert np.all(loss <= 1.0 + 1e-12)  # equity never below 0: bad debt is the venue's
    # isolated: each pool loses at most its margin; the free cash is never at risk
    assert np.all(sim.isolated_final_equity >= book.free_capital - 1e-9)
    assert np.all(sim.isolated_bad_debt >= 0) and np.all(sim.cross_bad_debt >= 0)
    assert np.all(sim.isolated_bad_debt[~sim.isolated_liquidated.any(axis=1)] == 0)


def test_summary_orderings(hedged):
    _, sim = hedged
    for s in (sim.isolated, sim.cross):
        assert 0 <= s.p_lose_everything <= 1 and 0 <= s.p_any_liquidation <= 1
        assert s.var_95 <= s.var_99 <= s.cvar_99 + 1e-15
        assert s.var_95 <= s.cvar_95 <= s.cvar_99 + 1e-15
        assert s.expected_loss <= s.cvar_95
        assert s.n_paths == 2_000


def test_one_position_with_all_capital_is_the_same_in_both_modes():
    model = price_model(50.0, volatility=1.2)
    book = portfolio("long", leverage=12, capital=1_000, liquidation_fee_rate=0.01)
    sim = simulate_margin_modes(book, model=model, n_steps=200, n_paths=1_000, rng=3)
    np.testing.assert_array_equal(sim.isolated_liquidation_step[:, 0], sim.cross_liquidation_step)
    np.testing.assert_allclose(sim.isolated_final_equity, sim.cross_final_equity, rtol=1e-12)
    assert 0 < sim.cross.p_any_liquidation < 1


def test_free_collateral_never_makes_cross_liquidate_earlier():
    model = price_model(50.0, volatility=1.2)
    book = portfolio("short", leverage=12, margin=500, capital=1_000)
    sim = simulate_margin_modes(book, model=model, n_steps=200, n_paths=1_000, rng=3)
    iso = sim.isolated_liquidation_step[:, 0]
    crossed = sim.cross_liquidated
    assert np.all(iso[crossed] >= 1)
    assert np.all(iso[crossed] <= sim.cross_liquidation_step[crossed])
    assert sim.cross.p_any_liquidation < sim.isolated.p_any_liquidation


# ----------------------------------------------------------------- determinism, misc ---

def test_seeded_determinism():
    book, model = build("mixed-sides-fees")
    a = simulate_margin_modes(book, model=model, n_steps=50, n_paths=500, rng=8)
    assert_same_outcomes(a, simulate_margin_modes(book, model=model, n_steps=50, n_paths=500,
                                                  rng=8), rtol=0)
    assert_same_outcomes(simulate_margin_modes(book, model=model, n_steps=50, n_paths=500),
                         simulate_margin_modes(book, model=model, n_steps=50, n_paths=500,
                                               rng=0), rtol=0)
    b = simulate_margin_modes(book, model=model, n_steps=50, n_paths=500, rng=9)
    assert not np.array_equal(a.final_prices, b.final_prices)
    assert not np.array_equal(a.isolated_liquidation_step, b.isolated_liquidation_step)


def test_progress_callback():
    book, model = build("mixed-sides-fees")
    seen = []
    simulate_margin_modes(book, model=model, n_steps=100, n_paths=50, rng=1, progress=seen.append)
    assert seen and seen[-1] == 1.0 and all(0 < x <= 1 for x in seen)
    assert seen == sorted(seen)


def test_loss_summary_definitions():
    equity = np.arange(100.0)  # losses 1.00, 0.99, ..., 0.01 of a capital of 100
    liquidated = equity < 10
    s = loss_summary(equity, capital=100.0, any_liquidation=liquidated, mode="x")
    assert s.p_any_liquidation == 0.10
    assert s.p_lose_everything == 0.02  # equity 0 and 1 are <= 1 % of 100
    assert s.expected_loss == pytest.approx(0.505)
    assert s.var_95 == pytest.approx(0.95) and s.var_99 == pytest.approx(0.99)
    assert s.cvar_95 == pytest.approx(np.mean([1.0, 0.99, 0.98, 0.97, 0.96]))
    assert s.cvar_99 == pytest.approx(1.0)
    assert LOSE_EVERYTHING_FRACTION == 0.01


# -------------------------------------------------------------------------- sweeps ---

def test_sweep_leverage_is_monotone_with_common_random_numbers():
    model = price_model([1.0, 1.0], volatility=1.0, correlation=0.5)
    book = portfolio(["long", "short"], leverage=2)
    out = mc.sweep_leverage([2, 4, 8, 16], portfolio=book, model=model, n_steps=168,
                            n_paths=1_000, rng=3)
    assert out.parameter == "leverage" and out.values.tolist() == [2, 4, 8, 16]
    assert np.all(np.diff(out.isolated.p_any_liquidation) >= 0)
    assert out.isolated.p_any_liquidation[-1] > out.isolated.p_any_liquidation[0]
    single = simulate_margin_modes(book.replace(leverage=8, margin=book.margin), model=model,
                                   n_steps=168,
                                   n_paths=1_000, rng=3)
    assert out.cross.p_any_liquidation[2] == single.cross.p_any_liquidation


def test_sweep_correlation_points_equal_single_runs_and_report_progress():
    model = price_model([1.0, 2.0, 3.0], volatility=1.0)
    book = portfolio(["long"] * 3, leverage=5)
    seen = []
    out = mc.sweep_correlation([0.0, 0.5, 0.95], portfolio=book, model=model, n_steps=100,
                               n_paths=800, rng=4,
                               progress=seen.append)
    single = simulate_margin_modes(book, model=model.replace(correlation=0.5), n_steps=100,
                                   n_paths=800, rng=4)
    assert out.isolated.expected_loss[1] == single.isolated.expected_loss
    assert out.cross.var_99[1] == single.cross.var_99
    assert out.isolated.p_any_liquidation.shape == (3,)
    assert seen[-1] == pytest.approx(1.0) and seen == sorted(seen)


# ------------------------------------------------------------- first passage formula ---

def test_first_passage_golden_cases():
    data = json.loads((DATA / "first_passage_golden.json").read_text())
    for case in data["cases"]:
        got = first_passage_probability(initial_price=1.0, barrier=1.0 - case["distance"],
                                        volatility=case["volatility"],
                                        horizon_hours=case["horizon_hours"],
                                        monitoring_hours=case["monitoring_hours"])
        tol = case.get("tolerance", data["tolerance"])
        assert got == pytest.approx(case["expected"], abs=tol), case["id"]


@pytest.mark.parametrize("side", ["long", "short"])
def test_monte_carlo_liquidation_probability_matches_first_passage_formula(side):
    sigma, leverage, mmr, n_steps, n_paths = 1.0, 10, 0.005, 168, 20_000
    model = price_model(100.0, volatility=sigma, drift=0.2)
    book = portfolio(side, leverage=leverage, capital=1_000, maintenance_margin_rate=mmr)
    sim = simulate_margin_modes(book, model=model, n_steps=n_steps, n_paths=n_paths, rng=77)
    p_mc = sim.isolated.p_any_liquidation
    barrier = liquidation_price(side, entry_price=100.0, size=float(book.sizes([100.0])[0]),
                                margin=1_000.0, maintenance_margin_rate=mmr)
    kwargs = dict(initial_price=100.0, barrier=barrier, volatility=sigma,
                  horizon_hours=n_steps, drift=0.2)
    p_bgk = first_passage_probability(**kwargs, monitoring_hours=1.0)
    p_continuous = first_passage_probability(**kwargs)
    se = math.sqrt(p_bgk * (1 - p_bgk) / n_paths)  # ~0.0035
    assert abs(p_mc - p_bgk) < 4 * se + 0.003     # BGK is accurate to O(Δt), ~0.1 % here
    assert p_continuous > p_mc + 2 * se           # hourly marks miss some touches


def test_first_passage_vectorised_and_limits():
    out = first_passage_probability(initial_price=100.0, barrier=[80.0, 90.0, 100.0, 110.0, 0.0],
                                    volatility=0.8, horizon_hours=24 * 30)
    assert out.shape == (5,)
    assert out[0] < out[1] and out[2] == 1.0 and out[4] == 0.0 and 0 < out[3] < 1
    assert isinstance(first_passage_probability(initial_price=100, barrier=90, volatility=0.8,
                                                horizon_hours=24), float)
    horizons = np.array([[24.0], [240.0]])
    grid = first_passage_probability(initial_price=100.0, barrier=[90.0, 110.0], volatility=0.8,
                                     horizon_hours=horizons)
    assert grid.shape == (2, 2) and np.all(grid[1] > grid[0])
    # discrete monitoring lowers the probability; finer marks get closer to continuous
    cont = first_passage_probability(initial_price=100, barrier=90, volatility=0.8,
                                     horizon_hours=240)
    hourly = first_passage_probability(initial_price=100, barrier=90, volatility=0.8,
                                       horizon_hours=240, monitoring_hours=1)
    minute = first_passage_probability(initial_price=100, barrier=90, volatility=0.8,
                                       horizon_hours=240, monitoring_hours=1 / 60)
    assert hourly < minute < cont
    # symmetric in log space with zero log drift: μ = σ²/2
    up = first_passage_probability(initial_price=100, barrier=100 * math.e ** 0.1, volatility=0.8,
                                   horizon_hours=240, drift=0.32)
    down = first_passage_probability(initial_price=100, barrier=100 * math.e ** -0.1,
                                     volatility=0.8, horizon_hours=240, drift=0.32)
    assert up == pytest.approx(down, rel=1e-12)


@pytest.mark.parametrize("kwargs, match", [
    (dict(initial_price=0.0), "initial_price must be > 0"),
    (dict(barrier=-1.0), "barrier must be >= 0"),
    (dict(volatility=0.0), "volatility must be > 0"),
    (dict(horizon_hours=-1), "horizon_hours must be > 0"),
    (dict(monitoring_hours=0), "monitoring_hours must be > 0"),
])
def test_first_passage_errors(kwargs, match):
    args = dict(initial_price=100.0, barrier=90.0, volatility=0.8, horizon_hours=24)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        first_passage_probability(**args)


# -------------------------------------------------------------------------- errors ---

@pytest.mark.parametrize("kwargs, match", [
    (dict(side="buy", leverage=5), "side must be 'long' or 'short'"),
    (dict(side="long", leverage=0.5), "leverage must be >= 1"),
    (dict(side="long", leverage=300), "leverage must be < 1/maintenance_margin_rate"),
    (dict(side=["long", "short"], leverage=[2, 3, 4]), "disagree on the number"),
    (dict(side="long", leverage=5, margin=2_000, capital=1_000), "margin must sum to at most"),
    (dict(side="long", leverage=5, capital=[1, 2]), "capital must be a single number"),
    (dict(side="long", leverage=5, liquidation_fee_rate=1.5),
     r"liquidation_fee_rate must be a fraction in \[0, 1\]"),
    (dict(side=[], leverage=5), "side must be"),
])
def test_portfolio_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        portfolio(**kwargs)


def test_simulation_errors():
    model = price_model([1.0, 1.0], volatility=1.0)
    book = portfolio(["long", "long"], leverage=5)
    with pytest.raises(ValueError, match="2 positions but the price model 3 tokens"):
        simulate_margin_modes(book, model=price_model(1.0, n_tokens=3), n_steps=10, n_paths=10)
    with pytest.raises(ValueError, match="progress must be None or a callable"):
        simulate_margin_modes(book, model=model, n_steps=10, n_paths=10, progress=0.5)
    with pytest.raises(ValueError, match="portfolio must be a Portfolio"):
        simulate_margin_modes("book", model=model, n_steps=10, n_paths=10)
    with pytest.raises(ValueError, match="n_paths must be a whole number"):
        simulate_margin_modes(book, model=model, n_steps=10, n_paths=0)
    with pytest.raises(ValueError, match="correlations must be a non-empty 1-D"):
        mc.sweep_correlation([], portfolio=book, model=model, n_steps=10, n_paths=10)
    with pytest.raises(ValueError, match="same length"):
        loss_summary([1.0, 2.0], capital=10.0, any_liquidation=[True], mode="x")


@pytest.mark.parametrize("field, value, match", [
    ("sign", np.array([1.0, 0.5]), "sign must be"),
    ("leverage", np.array([2.0, np.nan]), "leverage must be finite"),
    ("leverage", np.array([0.5, 2.0]), "leverage must be >= 1"),
    ("margin", np.array([-1.0, 1.0]), "margin must be > 0"),
    ("margin", np.array([900.0, 900.0]), "margin must sum to at most"),
    ("margin", np.array([1.0, 1.0, 1.0]), "disagree on the number of positions"),
    ("capital", -5.0, "capital must be > 0"),
    ("maintenance_margin_rate", np.array([0.0, 1.0]), "maintenance_margin_rate must be"),
    ("liquidation_fee_rate", np.array([0.0, 2.0]), "liquidation_fee_rate must be"),
])
def test_portfolio_replace_validates_fields(field, value, match):
    import dataclasses

    book = portfolio(["long", "short"], leverage=5, capital=1_000)
    with pytest.raises(ValueError, match=match):
        dataclasses.replace(book, **{field: value})


def test_portfolio_refuses_overflowing_sizes():
    import dataclasses

    book = portfolio(["long", "short"], leverage=5, capital=1_000)
    with pytest.raises(ValueError, match="overflows"):
        dataclasses.replace(book, capital=1e308, margin=np.array([1e307, 1e307]),
                            leverage=np.array([100.0, 100.0]))


@pytest.mark.parametrize("entry, match", [
    ([np.nan, 1.0], "entry_prices must be finite"),
    ([1.0, -1.0], "entry_prices must be > 0"),
    ([5e-324, 1.0], r"entry_prices must be at least 2.2e-308"),  # subnormal: refused
    ([1e-306, 1.0], "overflow"),  # normal, but 500·5/1e-306 is beyond the float range
    ([1.0, 2.0, 3.0], "one price per position"),
])
def test_portfolio_sizes_are_never_nan_inf_or_negative(entry, match):
    book = portfolio(["long", "short"], leverage=5, capital=1_000)
    with pytest.raises(ValueError, match=match):
        book.sizes(entry)
    sizes = book.sizes([1.0, 2.0])
    assert np.all(np.isfinite(sizes)) and np.all(sizes > 0)


def test_portfolio_side_and_sign():
    book = portfolio(["long", "short"], leverage=5)
    assert book.side == ("long", "short")
    np.testing.assert_array_equal(book.sign, [1.0, -1.0])


def test_swapped_positional_calls_raise_type_error():
    model = price_model(1.0)
    book = portfolio("long", leverage=5)
    with pytest.raises(TypeError):
        simulate_margin_modes(book, model, 10, 10)
    with pytest.raises(TypeError):
        portfolio("long", 5)
    with pytest.raises(TypeError):
        loss_summary([1.0], 1.0, [True], "x")
    with pytest.raises(TypeError):
        first_passage_probability(100.0, 90.0, 0.8, 24)


# --------------------------------------------------------- the tie at maintenance ---

def _tie_setup():
    """A 1.6× long, m = 25 %, margin 1,000 at 100 (q = 16); a −50 % shock at step 3 brings the
    mark to exactly 50: equity 1,000 − 16·50 = 200 = maintenance 16·50·0.25, bit for bit."""
    model = price_model(100.0, volatility=0.0, shocks=[Shock(token=0, time_step=3,
                                                             return_=-0.5)])
    book = portfolio("long", leverage=1.6, capital=1_000, maintenance_margin_rate=0.25,
                     liquidation_fee_rate=0.01)
    return book, model


def test_tie_at_exactly_maintenance_is_not_liquidated_engine_kernel_monte_carlo_agree():
    from marginlib.settlement import is_liquidated, isolated_liquidated

    book, model = _tie_setup()
    prices = price_paths(model, n_steps=5, n_paths=2)
    assert prices[3, 0, 0] == 50.0
    q = float(book.sizes([100.0])[0])
    equity, maintenance = 1_000.0 + q * (50.0 - 100.0), q * 50.0 * 0.25
    assert equity == maintenance == 200.0
    # kernel
    assert not is_liquidated(equity=equity, maintenance=maintenance)
    assert not isolated_liquidated("long", size=q, entry_price=100.0, margin=1_000.0,
                                   maintenance_margin_rate=0.25, price=50.0)
    # Monte Carlo and the reference loop, both modes
    for sim in (simulate_margin_modes(book, model=model, n_steps=5, n_paths=2),
                reference_simulate(book, model=model, n_steps=5, n_paths=2)):
        np.testing.assert_array_equal(sim.isolated_liquidation_step, [[-1], [-1]])
        np.testing.assert_array_equal(sim.cross_liquidation_step, [-1, -1])
        np.testing.assert_array_equal(sim.cross_final_equity, [200.0, 200.0])
    # engine, isolated and cross
    for mode in ("isolated", "cross"):
        acct = Account(1_000.0, maintenance_margin_rate=0.25)
        acct.open("A", "long", margin=1_000.0, leverage=1.6, price=100.0, mode=mode)
        assert acct.mark({"A": 50.0}) == ()
        assert [e.kind for e in acct.mark({"A": 49.99})][0] == "liquidation"


def test_tie_one_tick_below_is_liquidated_everywhere():
    book, model = _tie_setup()
    below = model.replace(shocks=[Shock(token=0, time_step=3, return_=-0.5000001)])
    for sim in (simulate_margin_modes(book, model=below, n_steps=5, n_paths=2),
                reference_simulate(book, model=below, n_steps=5, n_paths=2)):
        np.testing.assert_array_equal(sim.isolated_liquidation_step, [[3], [3]])
        np.testing.assert_array_equal(sim.cross_liquidation_step, [3, 3])


def test_full_liquidation_fee_takes_all_equity_and_matches_reference():
    """A 100 % liquidation fee (allowed on dYdX) takes all the equity left: nothing returns."""
    book = portfolio(["long", "short", "long"], leverage=[10, 5, 20], capital=3_000,
                     maintenance_margin_rate=0.01, liquidation_fee_rate=1.0)
    model = price_model([2.0, 0.5, 1.25], volatility=[0.8, 1.2, 1.0], correlation=0.5)
    fast = simulate_margin_modes(book, model=model, n_steps=150, n_paths=200, rng=17)
    slow = reference_simulate(book, model=model, n_steps=150, n_paths=200, rng=17)
    assert fast.isolated_liquidated.any() and fast.cross_liquidated.any()
    assert_same_outcomes(fast, slow)
    np.testing.assert_allclose(fast.cross_final_equity[fast.cross_liquidated], 0.0,
                               atol=1e-12 * book.capital)  # rounding of the sequential sum
