"""The seeded demo price path the liquidation figures share (no matplotlib).

* :func:`demo_price_path` -- the seeded price path of the liquidation-path figure, drawn by
  :func:`marginlib.sim.paths.price_paths` (annualised volatility, hourly steps).
* :data:`DEMO_PATH_SEED` -- a seed whose path dips far enough to liquidate the article's
  10× long at maintenance 5 %, then recovers.

The opening leverage limit ``1/(m + fee)`` is :func:`marginlib.liquidation.leverage_limit` and
the hourly funding schedule the funding figures replay is
:func:`marginlib.funding.hourly_funding_schedule` (one copy each, in the maths).
"""
from __future__ import annotations

from marginlib.sim.paths import price_model, price_paths

from . import defaults as _d

__all__ = ["demo_price_path", "DEMO_PATH_SEED", "DEMO_PATH_VOLATILITY", "DEMO_PATH_HOURS"]

#: Annualised volatility of the demo path (1.2 = 120 % a year, the AGENT token of the
#: contagion lab; about 1.28 % per hour).
DEMO_PATH_VOLATILITY = 1.2
#: Hours on the demo path (10 days of hourly marks).
DEMO_PATH_HOURS = 240
#: Seed of the demo path: it dips about 12 % below entry at hour 60 (enough to liquidate a 10×
#: long at maintenance 5 %, 5.26 % away) and then recovers above entry.
DEMO_PATH_SEED = 65


def demo_price_path(*, entry_price=_d.ENTRY_PRICE, hours=DEMO_PATH_HOURS,
                    volatility=DEMO_PATH_VOLATILITY, rng=DEMO_PATH_SEED):
    """The seeded hourly price path of the liquidation-path figure (no drift on average).

    One path of :func:`marginlib.sim.paths.price_paths` for a one-token
    :func:`marginlib.sim.paths.price_model` with hourly steps.

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
