"""Annualised volatility of a price series, at any sampling interval.

:func:`estimate_volatility` turns closes sampled every ``interval_hours`` (or at given
timestamps, evenly spaced or not) into the annualised ``σ`` that
:func:`marginlib.sim.probability.liquidation_probability` takes. :func:`volatility_by_interval`
re-samples one series every 1, 2, 4... hours to show how much the estimate depends on the
sampling (with jumps or mean reversion it does).

The estimator: log returns ``r_i = ln(P_i/P_{i−1})`` over ``Δt_i`` years; the drift per year
``m = Σr/ΣΔt``; ``σ² = Σ (r_i − m·Δt_i)²/Δt_i / (n − 1)``. With even spacing this is the
sample variance of the returns divided by ``Δt`` (the usual ``std(r)·√(8760/Δt_hours)``).
Its standard error is about ``σ/√(2(n − 1))`` for Gaussian returns (more with fat tails).

References
----------
.. [1] J. C. Hull, *Options, Futures, and Other Derivatives*, 10th ed., Pearson 2018,
   §15.4 "Estimating volatility from historical data" (``s/√τ`` from log returns).
.. [2] Y. Aït-Sahalia, P. A. Mykland, "The effects of random and discrete sampling when
   estimating continuous-time diffusions", *Econometrica* 71(2):483–549, 2003 (uneven
   sampling: weight each return by its interval).
"""
from __future__ import annotations

import numpy as np

from .. import _validation as v
from ..units import HOURS_PER_YEAR

__all__ = ["estimate_volatility", "volatility_by_interval"]

_MS_PER_HOUR = 3_600_000.0


def _prices(prices):
    arr = v.positive("prices", prices)
    if arr.ndim != 1:
        raise ValueError(f"prices must be a 1-D series of prices, got shape {arr.shape}")
    if arr.size < 3:
        raise ValueError(f"prices must hold at least 3 prices (2 returns), got {arr.size}")
    return arr


def estimate_volatility(prices, *, interval_hours=None, timestamps_ms=None):
    """Annualised volatility of log returns of ``prices``.

    Parameters
    ----------
    prices : array_like
        Prices (closes) in time order, > 0, at least 3.
    interval_hours : float, optional
        Time between consecutive prices in hours, > 0 (1 for hourly candles, 24 for daily).
    timestamps_ms : array_like, optional
        Instead of ``interval_hours``: the time of each price in milliseconds (ccxt's
        ``timestamp``, :attr:`marginlib.data.records.PriceHistory.timestamps`), strictly
        increasing; uneven spacing is allowed. Give exactly one of the two.

    Returns
    -------
    float
        ``σ`` per year (0.9 = 90 %), on a 365-day year of 8,760 hours.

    Notes
    -----
    ``σ² = Σ (r_i − m·Δt_i)²/Δt_i / (n − 1)`` with ``m = Σr/ΣΔt`` (module docstring).

    References
    ----------
    .. [1] J. C. Hull, *Options, Futures, and Other Derivatives*, 10th ed., §15.4.

    Examples
    --------
    Daily closes alternating ±1 % log moves: ``σ = 0.01·√(365·n/(n−1))``.

    >>> import numpy as np
    >>> p = 100 * np.exp(np.cumsum([0.0] + [0.01, -0.01] * 50))
    >>> round(estimate_volatility(p, interval_hours=24), 4)
    0.192

    The shipped synthetic sample (hourly; generated with σ = 90 %):

    >>> from marginlib.data.loaders import load_defai_sample
    >>> s = load_defai_sample()
    >>> round(estimate_volatility(s.prices.close, timestamps_ms=s.prices.timestamps), 3)
    0.909
    """
    p = _prices(prices)
    if (interval_hours is None) == (timestamps_ms is None):
        raise ValueError("give exactly one of interval_hours (evenly spaced prices) or "
                         "timestamps_ms (the time of each price, in ms)")
    if interval_hours is not None:
        dt = np.array(v.single_number("interval_hours", interval_hours, v.positive)
                      / HOURS_PER_YEAR)
    else:
        t = v.finite("timestamps_ms", timestamps_ms)
        if t.shape != p.shape:
            raise ValueError(f"timestamps_ms must have one time per price: shape {t.shape} "
                             f"for prices of shape {p.shape}")
        dt = np.diff(t) / _MS_PER_HOUR / HOURS_PER_YEAR
        if np.any(dt <= 0):
            raise ValueError("timestamps_ms must be strictly increasing")
    with np.errstate(all="ignore"):
        r = np.diff(np.log(p))
        years = dt.sum() if dt.ndim else dt * r.size
        m = r.sum() / years
        var = np.sum((r - m * dt) ** 2 / dt) / (r.size - 1)
    return v.result(np.sqrt(var), prices=p, interval_hours=interval_hours,
                    timestamps_ms=timestamps_ms)


def volatility_by_interval(prices, *, interval_hours, every=(1, 2, 4, 8, 24)):
    """:func:`estimate_volatility` of the same evenly spaced series sampled every k prices.

    Parameters
    ----------
    prices : array_like
        Evenly spaced prices, > 0.
    interval_hours : float
        Their spacing in hours, > 0.
    every : sequence of int, optional
        Keep every k-th price (``k`` >= 1), each leaving at least 3 prices.

    Returns
    -------
    dict
        ``{k·interval_hours: σ}`` (sampling interval in hours -> annualised volatility).

    Examples
    --------
    >>> from marginlib.data.loaders import load_defai_sample
    >>> out = volatility_by_interval(load_defai_sample().prices.close, interval_hours=1,
    ...                              every=(1, 24))
    >>> sorted(out), round(out[1.0], 3)
    ([1.0, 24.0], 0.909)
    """
    p = _prices(prices)
    step = v.single_number("interval_hours", interval_hours, v.positive)
    if isinstance(every, (str, bytes, dict)) or not hasattr(every, "__iter__"):
        raise ValueError(f"every must be a sequence of whole numbers >= 1, got {every!r}")
    out = {}
    for k in every:
        k = v.count("every", k)
        if (p.size - 1) // k + 1 < 3:
            raise ValueError(f"every={k} leaves fewer than 3 of the {p.size} prices")
        out[k * step] = estimate_volatility(p[::k], interval_hours=k * step)
    return out
