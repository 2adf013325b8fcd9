"""Closed-form first-passage (barrier-hit) probability of a geometric Brownian motion.

The chance that a price following GBM touches a barrier before a horizon is the chance that an
isolated position with that liquidation price is liquidated (fees and funding aside). Marks
are discrete (every hour, every minute...), so the continuous formula overstates it; Broadie,
Glasserman & Kou's shift of the barrier corrects for that.
"""
from __future__ import annotations

import math

import numpy as np

from .. import _validation as v
from ..units import HOURS_PER_YEAR

__all__ = ["BGK_BETA", "first_passage_probability"]

#: Broadie–Glasserman–Kou constant ``β = −ζ(1/2)/√(2π) ≈ 0.5826``: a barrier monitored every
#: ``Δt`` behaves like a continuous one moved ``exp(±β·σ·√Δt)`` away from the price.
BGK_BETA = 0.5825971579390106

_erfc = np.frompyfunc(math.erfc, 1, 1)


def _log_normal_cdf(x):
    """``ln Φ(x)`` elementwise (``-inf`` where Φ underflows)."""
    tail = np.asarray(_erfc(-np.asarray(x, dtype=float) / math.sqrt(2.0)), dtype=float)
    with np.errstate(divide="ignore"):
        return np.log(0.5 * tail)


def first_passage_probability(*, initial_price, barrier, volatility, horizon_hours, drift=0.0,
                              monitoring_hours=None):
    """Probability that a GBM price touches ``barrier`` at least once before the horizon.

    Parameters
    ----------
    initial_price : float or array_like
        Price now, > 0.
    barrier : float or array_like
        Price level, >= 0. Below the initial price: the chance of falling to it (a long's
        liquidation price); above: of rising to it (a short's). 0 is never reached.
    volatility : float or array_like
        Annualised volatility ``σ`` of log returns, > 0 (0.8 = 80 %; 8,760 hours a year).
    horizon_hours : float or array_like
        Horizon ``T`` in hours, > 0.
    drift : float or array_like, optional
        Annualised expected return ``μ``; the log drift is ``ν = μ − σ²/2``.
    monitoring_hours : float or array_like, optional
        Time between marks ``Δt`` in hours (> 0). ``None``: continuous monitoring. Otherwise
        the barrier is shifted away from the price by ``exp(β·σ·√Δt)``, ``β ≈ 0.5826``
        (Broadie–Glasserman–Kou), approximating a barrier checked only at the marks.

    Returns
    -------
    float or ndarray
        Probability in [0, 1]; 1 where the barrier is already reached (the initial price is at
        or beyond it).

    Notes
    -----
    With ``b = ln(B/S₀)``, ``ν = μ − σ²/2`` and time in years, the reflection principle gives
    for a lower barrier (``b < 0``)

        ``P = Φ((b − νT)/(σ√T)) + exp(2νb/σ²)·Φ((b + νT)/(σ√T))``

    and for an upper barrier (``b > 0``) the mirror image
    ``Φ((−b + νT)/(σ√T)) + exp(2νb/σ²)·Φ((−b − νT)/(σ√T))``. Discrete monitoring: ``B`` is
    replaced by ``B·exp(∓β σ √Δt)`` (lower/upper barrier) before applying the formula.

    References
    ----------
    .. [1] M. Broadie, P. Glasserman, S. Kou, "A continuity correction for discrete barrier
       options", *Mathematical Finance* 7(4):325–348, 1997.
    .. [2] S. Shreve, *Stochastic Calculus for Finance II*, Springer 2004, §7.3 (maximum of
       Brownian motion with drift).

    Examples
    --------
    σ = 150 %/yr, 7 days, a barrier 10 % below: 0.644 continuous, 0.635 with 5-minute marks
    (a 5-minute Monte Carlo gives 0.634).

    >>> round(first_passage_probability(initial_price=100, barrier=90, volatility=1.5,
    ...                                 horizon_hours=7 * 24), 3)
    0.644
    >>> round(first_passage_probability(initial_price=100, barrier=90, volatility=1.5,
    ...                                 horizon_hours=7 * 24, monitoring_hours=5 / 60), 3)
    0.635

    An isolated 10× long (maintenance 0.5 %) marked hourly for a day at 80 % volatility:

    >>> from marginlib.liquidation import liquidation_price
    >>> barrier = liquidation_price("long", entry_price=100, size=1, margin=10,
    ...                             maintenance_margin_rate=0.005)
    >>> round(first_passage_probability(initial_price=100, barrier=barrier, volatility=0.8,
    ...                                 horizon_hours=24, monitoring_hours=1), 3)
    0.013
    """
    s0 = v.positive("initial_price", initial_price)
    barrier = v.nonnegative("barrier", barrier)
    sigma = v.positive("volatility", volatility)
    horizon = v.positive("horizon_hours", horizon_hours) / HOURS_PER_YEAR
    mu = v.finite("drift", drift)
    s0, barrier, sigma, horizon, mu = v.broadcast(
        initial_price=s0, barrier=barrier, volatility=sigma, horizon_hours=horizon, drift=mu,
        **({} if monitoring_hours is None else
           {"monitoring_hours": v.positive("monitoring_hours", monitoring_hours)}))[:5]
    named = dict(initial_price=s0, barrier=barrier, volatility=sigma,
                 horizon_hours=horizon * HOURS_PER_YEAR, drift=mu)
    if monitoring_hours is not None:
        named["monitoring_hours"] = monitoring_hours
    below = barrier < s0
    reached = barrier == s0
    with np.errstate(all="ignore"):  # overflow is refused below, naming the arguments
        if monitoring_hours is not None:
            dt = v.positive("monitoring_hours", monitoring_hours) / HOURS_PER_YEAR
            shift = np.exp(BGK_BETA * sigma * np.sqrt(dt))
            v.result(shift, **named)
            barrier = np.where(below, barrier / shift, barrier * shift)
        nu = mu - 0.5 * sigma ** 2
        sd = sigma * np.sqrt(horizon)
        ratio = 2 * (nu / sigma) / sigma  # 2ν/σ², without squaring σ first
        v.result(np.stack([nu * horizon, ratio]), **named)
        b = np.log(barrier / s0)  # -inf for a zero barrier
        direction = np.where(below, 1.0, -1.0)  # mirror an upper barrier onto a lower one
        bd, nud = direction * b, direction * nu
        first = np.exp(_log_normal_cdf((bd - nud * horizon) / sd))
        second = np.exp(ratio * b + _log_normal_cdf((bd + nud * horizon) / sd))
        prob = np.where(np.isneginf(bd) | reached, 0.0, first + second)
    prob = np.asarray(v.result(prob, **named))  # NaN/inf only from magnitudes at the limits
    prob = np.where(reached, 1.0, np.clip(prob, 0.0, 1.0))
    return v.scalar_or_array(prob)
