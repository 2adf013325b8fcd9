"""Slow, obviously correct reference of the Monte Carlo: a Python loop over paths and steps.

Test-only code (moved out of :mod:`marginlib.sim.montecarlo`): ``tests/test_montecarlo.py``
checks :func:`marginlib.sim.montecarlo.simulate_margin_modes` against it path by path, and
``benchmarks/montecarlo.py`` times it (``loop_speedup``).
"""
import math

import numpy as np

from marginlib.settlement import (_cross_fees, _isolated_equity, _liquidated, _maintenance,
                                  _remainder, _settle)
from marginlib.sim.montecarlo import MarginModeSimulation, _check_inputs
from marginlib.sim.paths import _streams

__all__ = ["reference_simulate"]


def reference_simulate(portfolio, *, model, n_steps, n_paths, rng=None):
    """Slow, obviously correct replay: a Python loop over paths, steps and positions.

    Draws the same random numbers as :func:`marginlib.sim.paths.price_paths` (same generators,
    same order), rebuilds each path with scalar arithmetic and applies the rules of
    :class:`marginlib.account.Account` one mark at a time, through the scalar (Python float)
    fast paths of the settlement kernel :mod:`marginlib.settlement`. For cross-checks on small
    sizes only.
    """
    n_steps, n_paths = _check_inputs(portfolio, model, n_steps, n_paths)
    k, n_factors = model.n_tokens, model.n_factors
    normal_rng, mixing_rng, count_rng, size_rng = _streams(model, rng)
    normals = normal_rng.standard_normal((n_steps, n_paths, n_factors))
    nu = model.tail_dof
    jumps = model.has_jumps
    if nu is not None:
        gamma = mixing_rng.standard_gamma(0.5 * nu, size=(n_steps, n_paths))
    if jumps:
        counts = count_rng.poisson(model.jump_intensity * model.step_years,
                                   size=(n_steps, n_paths, k))
        jump_z = np.zeros(counts.shape)
        jump_z[np.nonzero(counts)] = size_rng.standard_normal(int(np.count_nonzero(counts)))

    dt = model.step_years
    loadings = model.loadings.tolist()
    vol = [float(x) * math.sqrt(dt) for x in model.volatility]
    drift = [float(x) for x in model.log_drift_per_step]
    entry = [float(x) for x in model.initial_prices]
    sign = [float(x) for x in portfolio.sign]
    margin = [float(x) for x in portfolio.margin]
    size = [margin[i] * float(portfolio.leverage[i]) / entry[i] for i in range(k)]
    mmr = [float(x) for x in portfolio.maintenance_margin_rate]
    fee_rate = [float(x) for x in portfolio.liquidation_fee_rate]
    capital = portfolio.capital
    free = capital - sum(margin)

    def offset(t, i):
        total = t * drift[i]
        for shock in model.shocks:
            if shock.token == i and t >= shock.time_step:
                total += math.log1p(shock.return_)
        return total

    iso_step = np.full((n_paths, k), -1, dtype=np.int64)
    iso_final = np.zeros(n_paths)
    iso_bad = np.zeros(n_paths)
    cross_step = np.full(n_paths, -1, dtype=np.int64)
    cross_final = np.zeros(n_paths)
    cross_bad = np.zeros(n_paths)
    final_prices = np.zeros((n_paths, k))
    for p in range(n_paths):
        z_path = normals[:, p, :].tolist()
        g_path = None if nu is None else gamma[:, p].tolist()
        if jumps:
            n_path, jz_path = counts[:, p, :].tolist(), jump_z[:, p, :].tolist()
        x = [0.0] * k
        iso_open = [True] * k
        iso_value = [0.0] * k
        cross_open = True
        cross_value = 0.0
        prices = entry[:]
        for t in range(1, n_steps + 1):
            z = z_path[t - 1]
            scale = 1.0 if nu is None else math.sqrt(0.5 * (nu - 2.0) / g_path[t - 1])
            for i in range(k):
                r = sum(z[f] * loadings[f][i] for f in range(n_factors)) * vol[i] * scale
                if jumps and n_path[t - 1][i]:
                    n = n_path[t - 1][i]
                    r += (n * float(model.jump_mean[i])
                          + math.sqrt(n) * jz_path[t - 1][i] * float(model.jump_volatility[i]))
                x[i] += r
                prices[i] = entry[i] * math.exp(x[i] + offset(t, i))
            # isolated: each position on its own margin
            for i in range(k):
                if not iso_open[i]:
                    continue
                equity = _isolated_equity(margin=margin[i], signed_size=sign[i] * size[i],
                                          price=prices[i], entry_price=entry[i])
                maintenance = _maintenance(size=size[i], price=prices[i],
                                           maintenance_margin_rate=mmr[i])
                if _liquidated(equity=equity, maintenance=maintenance):
                    _, iso_value[i], bad = _settle(equity,
                                                   fee_cap=fee_rate[i] * size[i] * prices[i])
                    iso_bad[p] += bad
                    iso_open[i] = False
                    iso_step[p, i] = t
            # cross: one wallet for all
            if cross_open:
                pnl = [sign[i] * size[i] * (prices[i] - entry[i]) for i in range(k)]
                equity = capital + sum(pnl)
                maintenance = sum(_maintenance(size=size[i], price=prices[i],
                                               maintenance_margin_rate=mmr[i])
                                  for i in range(k))
                if _liquidated(equity=equity, maintenance=maintenance):
                    fees = _cross_fees(equity, fee_caps=[fee_rate[i] * size[i] * prices[i]
                                                         for i in range(k)])
                    wallet = capital
                    for i in range(k):
                        wallet += pnl[i] - fees[i]
                    cross_value, cross_bad[p] = _remainder(wallet)
                    cross_open = False
                    cross_step[p] = t
        pnl = [sign[i] * size[i] * (prices[i] - entry[i]) for i in range(k)]
        iso_final[p] = free + sum(margin[i] + pnl[i] if iso_open[i] else iso_value[i]
                                  for i in range(k))
        cross_final[p] = capital + sum(pnl) if cross_open else cross_value
        final_prices[p] = prices
    return MarginModeSimulation(
        capital=capital, n_steps=n_steps, step_hours=model.step_hours,
        isolated_liquidation_step=iso_step, isolated_final_equity=iso_final,
        isolated_bad_debt=iso_bad, cross_liquidation_step=cross_step,
        cross_final_equity=cross_final, cross_bad_debt=cross_bad, final_prices=final_prices)
