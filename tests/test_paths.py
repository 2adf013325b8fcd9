"""Price paths: determinism, streaming == full cube, correlation, fat tails, jumps, shocks."""
import math

import numpy as np
import pytest

import marginlib.sim.paths as paths_module
from marginlib.sim.paths import Shock, iter_price_paths, price_model, price_paths
from marginlib.units import HOURS_PER_YEAR

RICH = dict(initial_prices=[2.0, 0.5, 1.2], volatility=[0.8, 1.2, 1.0], drift=[0.1, -0.2, 0.0],
            correlation=0.4, tail_dof=4.0, jump_intensity=[30.0, 0.0, 10.0],
            jump_mean=-0.05, jump_volatility=0.08,
            shocks=[Shock(token=1, time_step=6, return_=-0.40),
                    Shock(token=0, time_step=20, return_=0.25),
                    Shock(token=1, time_step=6, return_=0.1)])


def log_returns(prices):
    return np.diff(np.log(prices), axis=0)


# ---------------------------------------------------------------- determinism, layout ---

def test_shape_and_time_axis():
    model = price_model([1.0, 2.0, 3.0], volatility=0.5)
    out = price_paths(model, n_steps=10, n_paths=7, rng=1)
    assert out.shape == (11, 7, 3)
    np.testing.assert_array_equal(out[0], np.tile([1.0, 2.0, 3.0], (7, 1)))
    assert np.all(out > 0)


def test_same_seed_same_paths_and_none_is_seed_zero():
    model = price_model(**RICH)
    a = price_paths(model, n_steps=30, n_paths=50, rng=11)
    b = price_paths(model, n_steps=30, n_paths=50, rng=np.random.Generator(np.random.SFC64(11)))
    np.testing.assert_array_equal(a, b)  # an int seeds SFC64 (documented)
    c = price_paths(model, n_steps=30, n_paths=50, rng=np.random.default_rng(11))
    assert not np.array_equal(a, c)  # a Generator is used as given
    np.testing.assert_array_equal(price_paths(model, n_steps=30, n_paths=50),
                                  price_paths(model, n_steps=30, n_paths=50, rng=0))


def test_different_seed_different_paths():
    model = price_model(**RICH)
    a, b = price_paths(model, n_steps=30, n_paths=50, rng=1), price_paths(model, n_steps=30,
                                                                          n_paths=50, rng=2)
    assert not np.any(a[1:] == b[1:])


@pytest.mark.parametrize("kwargs", [
    dict(initial_prices=[1.0, 2.0], volatility=0.9, correlation=0.3),
    RICH,
    dict(initial_prices=[1.0, 2.0, 3.0], volatility=[0.5, 1.0, 1.5],
         correlation=[[1.0, -0.5, 0.2], [-0.5, 1.0, 0.1], [0.2, 0.1, 1.0]], tail_dof=3.0),
    dict(initial_prices=5.0, volatility=1.0, jump_intensity=100.0, jump_mean=0.02,
         jump_volatility=0.1),
])
def test_streaming_equals_full_cube_bit_for_bit(kwargs):
    model = price_model(**kwargs)
    full = price_paths(model, n_steps=40, n_paths=300, rng=5)
    streamed = list(iter_price_paths(model, n_steps=40, n_paths=300, rng=5))
    assert len(streamed) == 41 and streamed[0].shape == (300, model.n_tokens)
    np.testing.assert_array_equal(np.stack(streamed), full)


def test_values_do_not_depend_on_chunk_or_block_sizes(monkeypatch):
    model = price_model(**RICH)
    reference = price_paths(model, n_steps=25, n_paths=200, rng=3)
    monkeypatch.setattr(paths_module, "_BLOCK_VALUES", 200 * 3 * 4)  # 4 steps per block
    monkeypatch.setattr(paths_module, "_CHUNK_VALUES", 7 * model.n_factors)  # 7 paths a chunk
    np.testing.assert_array_equal(price_paths(model, n_steps=25, n_paths=200, rng=3), reference)


def test_streamed_arrays_are_fresh():
    model = price_model([1.0, 1.0], volatility=1.0)
    it = iter_price_paths(model, n_steps=5, n_paths=4, rng=0)
    first, second = next(it), next(it)
    kept = second.copy()
    for _ in it:
        pass
    np.testing.assert_array_equal(second, kept)
    assert not np.shares_memory(first, second)


# ------------------------------------------------------------------------ statistics ---

@pytest.mark.parametrize("rho", [0.0, 0.3, 0.8])
def test_one_factor_correlation_of_log_returns(rho):
    model = price_model([1.0, 1.0, 1.0], volatility=[0.6, 1.0, 1.4], correlation=rho)
    r = log_returns(price_paths(model, n_steps=100, n_paths=2_000, rng=9)).reshape(-1, 3)
    corr = np.corrcoef(r.T)
    # 200,000 samples: standard error of a correlation <= 1/sqrt(n) ~ 0.0022
    np.testing.assert_allclose(corr[np.triu_indices(3, 1)], rho, atol=0.01)


def test_matrix_correlation_including_negative_and_singular():
    target = np.array([[1.0, -0.6, 0.3], [-0.6, 1.0, 0.2], [0.3, 0.2, 1.0]])
    model = price_model([1.0, 1.0, 1.0], volatility=1.0, correlation=target)
    r = log_returns(price_paths(model, n_steps=100, n_paths=2_000, rng=4)).reshape(-1, 3)
    np.testing.assert_allclose(np.corrcoef(r.T), target, atol=0.01)
    singular = price_model([1.0, 1.0], volatility=1.0, correlation=[[1.0, 1.0], [1.0, 1.0]])
    r = log_returns(price_paths(singular, n_steps=20, n_paths=100, rng=4))
    np.testing.assert_allclose(r[..., 0], r[..., 1], rtol=1e-12)


def test_volatility_and_drift():
    sigma, mu, hours = 0.9, 0.5, 4.0
    model = price_model(100.0, volatility=sigma, drift=mu, step_hours=hours)
    prices = price_paths(model, n_steps=60, n_paths=20_000, rng=12)
    r = log_returns(prices)
    dt = hours / HOURS_PER_YEAR
    # sd of a sample sd with n = 1.2e6 normals: sigma_step / sqrt(2n) ~ 0.06 %
    assert r.std() == pytest.approx(sigma * math.sqrt(dt), rel=0.005)
    mean_se = sigma * math.sqrt(dt / r.size)
    assert r.mean() == pytest.approx((mu - sigma ** 2 / 2) * dt, abs=4 * mean_se)
    # E[P_T] = P_0 e^{mu T}: the drift is the expected arithmetic return
    horizon = 60 * dt
    growth = prices[-1] / 100.0
    se = growth.std() / math.sqrt(growth.size)
    assert abs(growth.mean() - math.exp(mu * horizon)) < 4 * se


def test_student_t_tails_are_fatter_and_keep_the_variance():
    base = dict(initial_prices=[1.0, 1.0], volatility=1.0, correlation=0.5)
    gauss = log_returns(price_paths(price_model(**base), n_steps=50, n_paths=8_000, rng=1)).ravel()
    fat = log_returns(price_paths(price_model(**base, tail_dof=5.0), n_steps=50, n_paths=8_000,
                                  rng=1)).ravel()

    def excess_kurtosis(x):
        x = x - x.mean()
        return float(np.mean(x ** 4) / np.mean(x ** 2) ** 2 - 3)

    assert abs(excess_kurtosis(gauss)) < 0.1          # normal: 0
    assert excess_kurtosis(fat) > 2.0                   # Student-t, nu = 5: 6 in theory
    assert fat.std() == pytest.approx(gauss.std(), rel=0.03)  # scaled to unit variance


def test_fat_tails_scale_the_same_normals_on_all_tokens():
    """Multivariate t: one mixing draw per path and step, the normals unchanged."""
    base = dict(initial_prices=[1.0, 3.0], volatility=[1.0, 2.0], correlation=0.5)
    model_g = price_model(**base)
    model_t = price_model(**base, tail_dof=4.0)
    r_g = log_returns(price_paths(model_g, n_steps=10, n_paths=100,
                                  rng=8)) - model_g.log_drift_per_step
    r_t = log_returns(price_paths(model_t, n_steps=10, n_paths=100,
                                  rng=8)) - model_t.log_drift_per_step
    ratio = r_t / r_g
    np.testing.assert_allclose(ratio[..., 0], ratio[..., 1], rtol=1e-6)
    assert ratio.std() > 0.1


def test_jumps_add_variance_and_are_drift_compensated():
    lam, mean, vol, sigma = 200.0, -0.03, 0.05, 0.5
    model = price_model(1.0, volatility=sigma, jump_intensity=lam, jump_mean=mean,
                        jump_volatility=vol)
    prices = price_paths(model, n_steps=100, n_paths=10_000, rng=21)
    r = log_returns(prices)
    dt = model.step_years
    expected_var = sigma ** 2 * dt + lam * dt * (mean ** 2 + vol ** 2)
    assert r.var() == pytest.approx(expected_var, rel=0.03)
    growth = prices[-1, :, 0]
    assert abs(growth.mean() - 1.0) < 4 * growth.std() / math.sqrt(growth.size)


# ---------------------------------------------------------------------------- shocks ---

def test_scripted_shock_is_applied_exactly():
    base = dict(initial_prices=[2.0, 0.5, 1.2], volatility=[0.8, 1.2, 1.0], correlation=0.3)
    calm = price_paths(price_model(**base), n_steps=12, n_paths=50, rng=6)
    crash = Shock(token=1, time_step=6, return_=-0.40)
    shocked = price_paths(price_model(**base, shocks=[crash]), n_steps=12, n_paths=50, rng=6)
    np.testing.assert_array_equal(shocked[:6], calm[:6])
    np.testing.assert_array_equal(shocked[:, :, [0, 2]], calm[:, :, [0, 2]])
    np.testing.assert_allclose(shocked[6:, :, 1] / calm[6:, :, 1], 0.6, rtol=1e-13)


def test_shock_without_volatility_moves_the_price_by_the_return():
    model = price_model([10.0, 10.0], volatility=0.0,
                        shocks=[Shock(token=1, time_step=3, return_=-0.4),
                                Shock(token=0, time_step=2, return_=0.5)])
    out = price_paths(model, n_steps=5, n_paths=1)[:, 0, :]
    np.testing.assert_allclose(out[:, 0], [10, 10, 15, 15, 15, 15], rtol=1e-14)
    np.testing.assert_allclose(out[:, 1], [10, 10, 10, 6, 6, 6], rtol=1e-14)


def test_shock_after_the_horizon_has_no_effect():
    base = dict(initial_prices=1.0, volatility=0.5)
    a = price_paths(price_model(**base), n_steps=5, n_paths=10, rng=1)
    b = price_paths(price_model(**base, shocks=[Shock(token=0, time_step=50, return_=-0.5)]),
                    n_steps=5, n_paths=10, rng=1)
    np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------------ the model ---

def test_model_properties_and_replace():
    model = price_model([1.0, 2.0, 3.0], volatility=0.5, correlation=0.25)
    assert (model.n_tokens, model.n_factors) == (3, 4)
    np.testing.assert_allclose(model.correlation_matrix,
                               [[1, .25, .25], [.25, 1, .25], [.25, .25, 1]], atol=1e-15)
    other = model.replace(volatility=[0.1, 0.2, 0.3])
    np.testing.assert_array_equal(other.volatility, [0.1, 0.2, 0.3])
    assert other.correlation == 0.25
    assert price_model(1.0).n_factors == 1
    assert price_model(1.0, n_tokens=4).n_tokens == 4
    with pytest.raises(ValueError):
        model.volatility[0] = 1.0  # read-only


def test_public_names():
    import marginlib
    from marginlib import sim

    for name in ("price_model", "price_paths", "iter_price_paths", "Shock", "PriceModel"):
        assert name in paths_module.__all__
        assert getattr(sim, name) is getattr(paths_module, name)
    # The small top-level namespace keeps only the two names a learner types.
    for name in ("price_model", "price_paths"):
        assert getattr(marginlib, name) is getattr(paths_module, name)
    for name in ("iter_price_paths", "Shock", "PriceModel"):
        assert name not in marginlib.__all__
    assert paths_module.HOURS_PER_YEAR is HOURS_PER_YEAR == 8760.0  # one definition


@pytest.mark.parametrize("field, value, match", [
    ("volatility", -0.5, "volatility must be >= 0"),
    ("initial_prices", np.array([1.0, np.nan]), "initial_prices must be finite"),
    ("step_hours", 0.0, "step_hours must be > 0"),
    ("tail_dof", 1.5, "tail_dof must be > 2"),
    ("correlation", 1.5, "correlation must be in"),
    ("drift", np.inf, "drift must be finite"),
    ("shocks", ("crash",), "shocks must be Shock"),
])
def test_price_model_replace_validates_fields(field, value, match):
    import dataclasses

    model = price_model([1.0, 2.0], volatility=0.5)
    with pytest.raises(ValueError, match=match):
        dataclasses.replace(model, **{field: value})


def test_price_model_replace_keeps_loadings_consistent():
    import dataclasses

    model = price_model([1.0, 2.0], volatility=0.5, correlation=0.2)
    moved = dataclasses.replace(model, correlation=0.9)
    assert moved.correlation_matrix[0, 1] == pytest.approx(0.9)


def test_swapped_positional_calls_raise_type_error():
    model = price_model(1.0)
    with pytest.raises(TypeError):
        price_paths(model, 10, 5)
    with pytest.raises(TypeError):
        iter_price_paths(model, 10, 5)
    with pytest.raises(TypeError):
        price_model(1.0, 0.8)
    with pytest.raises(TypeError):
        Shock(1, 6, -0.4)


@pytest.mark.parametrize("kwargs, match", [
    (dict(initial_prices=-1.0), "initial_prices must be > 0"),
    (dict(volatility=-0.1), "volatility must be >= 0"),
    (dict(volatility=[0.1, 0.2], initial_prices=[1.0, 2.0, 3.0]), "disagree on the number"),
    (dict(correlation=1.5, n_tokens=2), r"correlation must be in \[0, 1\]"),
    (dict(correlation=-0.2, n_tokens=2), "pass a correlation matrix"),
    (dict(correlation=[[1.0, 0.9], [0.8, 1.0]]), "symmetric"),
    (dict(correlation=[[2.0, 0.0], [0.0, 1.0]]), "ones on its diagonal"),
    (dict(correlation=[[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]]), "positive semi-definite"),
    (dict(correlation=[1.0, 0.5]), "square matrix"),
    (dict(step_hours=0), "step_hours must be > 0"),
    (dict(tail_dof=2.0), "tail_dof must be > 2"),
    (dict(jump_intensity=-1.0), "jump_intensity must be >= 0"),
    (dict(shocks=[Shock(token=3, time_step=1, return_=-0.1)], n_tokens=2),
     "Shock token must be < n_tokens"),
    (dict(shocks=["crash"]), "shocks must be Shock"),
    (dict(n_tokens=0), "n_tokens must be a whole number >= 1"),
])
def test_price_model_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        price_model(**kwargs)


@pytest.mark.parametrize("args, match", [
    (dict(token=-1, time_step=1, return_=0.1), "token must be a whole number >= 0"),
    (dict(token=0, time_step=0, return_=0.1), "time_step must be a whole number >= 1"),
    (dict(token=0, time_step=1, return_=-1.0), "return_ must be a number > -1"),
    (dict(token=0, time_step=1.5, return_=0.1), "time_step must be a whole number"),
])
def test_shock_errors(args, match):
    with pytest.raises(ValueError, match=match):
        Shock(**args)


def test_counts_follow_the_whole_number_rule_of_validation_count():
    """``v.count``: 3.0 is the count 3 (stored as an int); True and 2.5 are refused."""
    shock = Shock(token=1.0, time_step=6.0, return_=-0.4)
    assert (shock.token, shock.time_step) == (1, 6)
    assert type(shock.token) is int and type(shock.time_step) is int
    model = price_model(1.0)
    np.testing.assert_array_equal(price_paths(model, n_steps=4.0, n_paths=3.0, rng=1),
                                  price_paths(model, n_steps=4, n_paths=3, rng=1))
    assert price_paths(model, n_steps=4, n_paths=np.int64(3), rng=1).shape[:2] == (5, 3)
    for bad in (True, 2.5, float("nan"), "3"):
        with pytest.raises(ValueError, match="n_paths must be a whole number >= 1"):
            price_paths(model, n_steps=4, n_paths=bad)


@pytest.mark.parametrize("call, match", [
    (lambda m: price_paths(m, n_steps=0, n_paths=10), "n_steps must be a whole number >= 1"),
    (lambda m: price_paths(m, n_steps=10, n_paths=2.5), "n_paths must be a whole number >= 1"),
    (lambda m: price_paths(m, n_steps=10, n_paths=10, rng="seed"), "rng must be None"),
    (lambda m: next(iter_price_paths("model", n_steps=10, n_paths=10)),
     "model must be a PriceModel"),
])
def test_path_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call(price_model(1.0))
