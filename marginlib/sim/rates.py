"""Synthetic funding-rate paths for scenarios (time on axis 0, scenarios on axis 1).

:func:`constant_rate_path`, :func:`step_rate_path`, :func:`spike_rate_path`,
:func:`mean_reverting_rate_path` (a seeded AR(1), the discretised Ornstein–Uhlenbeck process),
and the dispatcher :func:`funding_rate_path` (``kind`` = ``"constant" | "step" | "spike" |
"mean_reverting"``) that the widgets use. Separate functions keep each one's parameters
explicit; the dispatcher only forwards keywords. Feed a path to
:func:`marginlib.funding.cumulative_funding` or
:func:`marginlib.funding_drift.isolated_funding_drift`.
"""
from __future__ import annotations

import numpy as np

from .. import _validation as v
from ..funding import _points

__all__ = [
    "constant_rate_path",
    "step_rate_path",
    "spike_rate_path",
    "mean_reverting_rate_path",
    "funding_rate_path",
    "RATE_PATH_KINDS",
]

#: Kinds accepted by :func:`funding_rate_path`.
RATE_PATH_KINDS = ("constant", "step", "spike", "mean_reverting")


def constant_rate_path(*, funding_rate, n_intervals):
    """The same rate every interval.

    Parameters
    ----------
    funding_rate : float or array_like
        Rate per interval; an array gives one path per element (on axis 1, 2...).
    n_intervals : int
        Number of intervals, >= 1.

    Returns
    -------
    ndarray
        Shape ``(n_intervals, *shape(funding_rate))``.

    Examples
    --------
    >>> constant_rate_path(funding_rate=0.0001, n_intervals=3)
    array([0.0001, 0.0001, 0.0001])
    """
    rate = v.finite("funding_rate", funding_rate)
    n = _points("n_intervals", v.count("n_intervals", n_intervals), max(rate.size, 1))
    return np.broadcast_to(rate, (n,) + rate.shape).copy()


def step_rate_path(*, rate_before, rate_after, n_intervals, step_at):
    """``rate_before`` for intervals ``0 .. step_at−1``, then ``rate_after``.

    Parameters
    ----------
    rate_before, rate_after : float or array_like
        Rates per interval.
    n_intervals : int
        >= 1.
    step_at : int
        First interval at the new rate, in ``[0, n_intervals]``.

    Returns
    -------
    ndarray
        Shape ``(n_intervals, *batch)``.

    Examples
    --------
    >>> step_rate_path(rate_before=0.0001, rate_after=0.0005, n_intervals=4, step_at=2)
    array([0.0001, 0.0001, 0.0005, 0.0005])
    """
    before = v.finite("rate_before", rate_before)
    after = v.finite("rate_after", rate_after)
    n = _points("n_intervals", v.count("n_intervals", n_intervals))
    k = v.count("step_at", step_at, minimum=0)
    if k > n:
        raise ValueError(f"step_at must be in [0, n_intervals={n}], got {k}")
    t = np.arange(n).reshape((n,) + (1,) * np.broadcast(before, after).ndim)
    return np.where(t < k, before, after) + 0.0


def spike_rate_path(*, base_rate, spike_rate, n_intervals, spike_at, spike_length=1):
    """``base_rate`` everywhere except ``spike_length`` intervals from ``spike_at``.

    Parameters
    ----------
    base_rate, spike_rate : float or array_like
        Rates per interval.
    n_intervals : int
        >= 1.
    spike_at : int
        First spiking interval, in ``[0, n_intervals)``.
    spike_length : int, optional
        >= 1; truncated at the end of the path.

    Returns
    -------
    ndarray
        Shape ``(n_intervals, *batch)``.

    Examples
    --------
    >>> spike_rate_path(base_rate=0.0001, spike_rate=0.003, n_intervals=5, spike_at=1,
    ...                 spike_length=2)
    array([0.0001, 0.003 , 0.003 , 0.0001, 0.0001])
    """
    base = v.finite("base_rate", base_rate)
    spike = v.finite("spike_rate", spike_rate)
    n = _points("n_intervals", v.count("n_intervals", n_intervals))
    k = v.count("spike_at", spike_at, minimum=0)
    length = v.count("spike_length", spike_length)
    if k >= n:
        raise ValueError(f"spike_at must be in [0, n_intervals={n}), got {k}")
    t = np.arange(n).reshape((n,) + (1,) * np.broadcast(base, spike).ndim)
    return np.where((t >= k) & (t < k + length), spike, base) + 0.0


def mean_reverting_rate_path(*, n_intervals, mean_rate=0.0001, volatility=0.0001,
                             reversion=0.1, start_rate=None, n_paths=None, cap=None, rng=None):
    """A seeded mean-reverting (AR(1), discretised Ornstein–Uhlenbeck) funding-rate series.

    Parameters
    ----------
    n_intervals : int
        >= 1.
    mean_rate : float, optional
        Long-run mean rate per interval (0.0001 = the 0.01 % baseline).
    volatility : float, optional
        Standard deviation of each interval's shock, >= 0.
    reversion : float, optional
        Fraction of the gap to the mean closed each interval, in (0, 1]; ``1`` gives
        independent draws around the mean.
    start_rate : float, optional
        Rate of the first interval (default: ``mean_rate``).
    n_paths : int, optional
        Number of scenarios; ``None`` returns one 1-D path.
    cap : float, optional
        Venue cap: every rate is clipped to ``[−cap, cap]`` (after the recursion).
    rng : None, int or numpy.random.Generator
        ``None`` uses seed 0 (deterministic).

    Returns
    -------
    ndarray
        Shape ``(n_intervals,)`` or ``(n_intervals, n_paths)``.

    Notes
    -----
    ``r_0 = start``, ``r_{t+1} = μ + (1 − κ)·(r_t − μ) + σ·ε_{t+1}``, ``ε ~ N(0, 1)``. The
    stationary standard deviation is ``σ / sqrt(1 − (1 − κ)²)``.

    Examples
    --------
    >>> path = mean_reverting_rate_path(n_intervals=1000, rng=1)
    >>> path.shape, bool(abs(path.mean() - 0.0001) < 0.0002)
    ((1000,), True)
    """
    n = _points("n_intervals", v.count("n_intervals", n_intervals))
    mean = float(v.finite("mean_rate", mean_rate))
    sigma = float(v.nonnegative("volatility", volatility))
    kappa = float(v.finite("reversion", reversion))
    if not 0 < kappa <= 1:
        raise ValueError(f"reversion must be in (0, 1], got {kappa:g}")
    start = mean if start_rate is None else float(v.finite("start_rate", start_rate))
    paths = None if n_paths is None else v.count("n_paths", n_paths)
    _points("n_intervals", n, 1 if paths is None else paths)
    gen = v.check_random_state(rng)
    shape = (n,) if paths is None else (n, paths)
    shocks = sigma * gen.standard_normal(shape)
    phi = 1.0 - kappa
    out = np.empty(shape)
    out[0] = start
    for t in range(1, n):
        out[t] = mean + phi * (out[t - 1] - mean) + shocks[t]
    if cap is not None:
        c = float(v.nonnegative("cap", cap))
        np.clip(out, -c, c, out=out)
    return out


def funding_rate_path(kind, *, n_intervals, **params):
    """Build a rate path by name (the widgets' dropdown): forwards to the functions above.

    Parameters
    ----------
    kind : {"constant", "step", "spike", "mean_reverting"}
    n_intervals : int
    **params
        The keyword arguments of :func:`constant_rate_path` (``funding_rate``),
        :func:`step_rate_path` (``rate_before``, ``rate_after``, ``step_at``),
        :func:`spike_rate_path` (``base_rate``, ``spike_rate``, ``spike_at``,
        ``spike_length``) or :func:`mean_reverting_rate_path`.

    Returns
    -------
    ndarray

    Examples
    --------
    >>> funding_rate_path("step", n_intervals=3, rate_before=0.0, rate_after=0.001, step_at=1)
    array([0.   , 0.001, 0.001])
    """
    builders = {
        "constant": constant_rate_path,
        "step": step_rate_path,
        "spike": spike_rate_path,
        "mean_reverting": mean_reverting_rate_path,
    }
    if kind not in builders:
        raise ValueError(f"kind must be one of {RATE_PATH_KINDS}, got {kind!r}")
    try:
        return builders[kind](n_intervals=n_intervals, **params)
    except TypeError as exc:
        raise ValueError(f"{kind} rate path: {exc}") from None
