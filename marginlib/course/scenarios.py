"""Small teaching computations the course figures share (no matplotlib).

* :func:`leverage_limit` -- the leverage at and above which a position is liquidated as it
  opens, ``1/(m + fee)``. **Interim copy**: the maths home is
  ``marginlib.liquidation.leverage_limit`` (being added there); this one goes once it lands.
* :func:`hourly_funding_rates` -- a constant per-interval funding rate laid out on an hourly
  grid (paid every ``interval_hours``, zero in between). **Interim**: the maths home is the
  funding module's hourly schedule (being added there).
* :func:`demo_price_path` -- the seeded price path of the liquidation-path figure, drawn by
  :func:`marginlib.paths.price_paths` (annualised volatility, hourly steps).
* :data:`DEMO_PATH_SEED` -- a seed whose path dips far enough to liquidate the article's
  10× long at maintenance 5 %, then recovers.
"""
from __future__ import annotations

import numpy as np

from marginlib import _validation as v
from marginlib.paths import price_model, price_paths

from . import defaults as _d

__all__ = ["leverage_limit", "hourly_funding_rates", "demo_price_path", "DEMO_PATH_SEED",
           "DEMO_PATH_VOLATILITY", "DEMO_PATH_HOURS"]

#: Annualised volatility of the demo path (1.2 = 120 % a year, the AGENT token of the
#: contagion lab; about 1.28 % per hour).
DEMO_PATH_VOLATILITY = 1.2
#: Hours on the demo path (10 days of hourly marks).
DEMO_PATH_HOURS = 240
#: Seed of the demo path: it dips about 11 % below entry (enough to liquidate a 10× long at
#: maintenance 5 %, 5.26 % away) and then recovers.
DEMO_PATH_SEED = 9


def _count(name, value, minimum=1):
    """``int(value)`` for a whole number >= ``minimum`` (interim: ``_validation.count``)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float,
                                                                       np.floating)):
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    if not np.isfinite(value) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def leverage_limit(*, maintenance_margin_rate, taker_fee_rate=0.0):
    """Leverage at and above which the margin ``1/L`` no longer covers ``m + fee`` at entry.

    ``L_max = 1/(m + fee)`` (``inf`` when both are 0): at or above it
    :func:`marginlib.liquidation.liquidation_price` refuses the position (it would be
    liquidated as it opens).

    >>> leverage_limit(maintenance_margin_rate=0.05)
    20.0
    >>> leverage_limit(maintenance_margin_rate=0.0)
    inf
    """
    rate = float(v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)) + \
        float(v.unit_rate("taker_fee_rate", taker_fee_rate))
    return float("inf") if rate == 0 else 1.0 / rate


def hourly_funding_rates(funding_rate, *, hours, interval_hours):
    """A constant funding rate paid every ``interval_hours``, on an hourly grid.

    Entry ``h − 1`` is the rate paid at the end of hour ``h`` (``h = 1..hours``): the
    per-interval ``funding_rate`` when ``h`` is a multiple of ``interval_hours``, else 0 --
    the ``rate_path`` :func:`marginlib.funding.isolated_funding_drift` takes for hourly marks.

    >>> hourly_funding_rates(0.0005, hours=6, interval_hours=2).tolist()
    [0.0, 0.0005, 0.0, 0.0005, 0.0, 0.0005]
    """
    rate = float(v.finite("funding_rate", funding_rate))
    hours = _count("hours", hours)
    step = _count("interval_hours", interval_hours)
    if step > hours:
        raise ValueError(f"interval_hours ({step}) must fit within hours ({hours}): no "
                         "funding would be paid")
    return np.where(np.arange(1, hours + 1) % step == 0, rate, 0.0)


def demo_price_path(*, entry_price=_d.ENTRY_PRICE, hours=DEMO_PATH_HOURS,
                    volatility=DEMO_PATH_VOLATILITY, rng=DEMO_PATH_SEED):
    """The seeded hourly price path of the liquidation-path figure (no drift on average).

    One path of :func:`marginlib.paths.price_paths` for a one-token
    :func:`marginlib.paths.price_model` with hourly steps.

    Parameters
    ----------
    entry_price : float
        First price, > 0.
    hours : int
        Hourly steps; the path has ``hours + 1`` points.
    volatility : float
        Annualised volatility of the log returns, >= 0 (1.2 = 120 % a year).
    rng : int or numpy.random.Generator
        Seed (default :data:`DEMO_PATH_SEED`).

    Returns
    -------
    ndarray, shape (hours + 1,)

    >>> path = demo_price_path(hours=3)
    >>> path.shape, float(path[0])
    ((4,), 2.5)
    """
    model = price_model(initial_prices=entry_price, volatility=volatility, step_hours=1.0)
    return price_paths(model, n_steps=hours, n_paths=1, rng=rng)[:, 0, 0]
