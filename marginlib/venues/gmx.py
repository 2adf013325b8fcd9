"""GMX v2: per-second funding (the larger side pays the smaller), and the market preset.

GMX evaluates its ``minCollateralFactor`` on ``sizeInUsd`` (the entry notional,
``convention="entry"``) and subtracts the close fee from remaining collateral (the same
algebra as counting the taker fee in the requirement).

References
----------
.. [1] gmx-io/gmx-synthetics, ``README.md`` "Funding Fees", ``PositionUtils``,
   ``config/markets.ts`` (commit a5c0c88), https://github.com/gmx-io/gmx-synthetics
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from ._base import Venue, flat_tiers

__all__ = ["FundingRates", "funding_rates", "PRESETS"]


@dataclass(frozen=True)
class FundingRates:
    """GMX v2 funding per second, as a fraction of each side's open interest.

    Attributes
    ----------
    long_rate, short_rate : float or ndarray
        Fraction of that side's notional paid per second; **negative means received**.
    larger_side_rate : float or ndarray
        What the larger side pays per second (>= 0).
    smaller_side_rate : float or ndarray
        What the smaller side receives per second (>= 0).
    longs_pay : bool or ndarray
        True when longs are the larger side.
    """

    long_rate: object
    short_rate: object
    larger_side_rate: object
    smaller_side_rate: object
    longs_pay: object


def funding_rates(*, open_interest_long, open_interest_short, funding_factor=2e-8,
                  funding_exponent=1.0):
    """GMX v2 funding: the larger side pays the smaller side, per second.

    Parameters
    ----------
    open_interest_long, open_interest_short : float or array_like
        Open interest in USD, both > 0.
    funding_factor : float or array_like, optional
        ``fundingFactor`` per second, > 0 (2e-8 in the base ``config/markets.ts``; the README
        example uses 1/50,000).
    funding_exponent : float or array_like, optional
        ``fundingExponentFactor``, > 0.

    Returns
    -------
    FundingRates

    Notes
    -----
    ``f_large = funding_factor × |OI_L − OI_S|^e / (OI_L + OI_S)``; the smaller side receives
    ``f_small = f_large × OI_large / OI_small``, so the USD amounts match:
    ``f_large·OI_large = f_small·OI_small`` (zero-sum between the two sides).

    References
    ----------
    .. [1] gmx-io/gmx-synthetics ``README.md``, "Funding Fees" (commit a5c0c88),
       https://github.com/gmx-io/gmx-synthetics

    Examples
    --------
    Case G1: factor 1/50,000, OI long 150,000 / short 50,000 → longs pay 0.001 %/s, shorts
    receive 0.003 %/s.

    >>> g = funding_rates(open_interest_long=150_000, open_interest_short=50_000,
    ...                   funding_factor=1 / 50_000)
    >>> round(g.long_rate, 12), round(g.short_rate, 12)
    (1e-05, -3e-05)
    """
    oi_long = v.positive("open_interest_long", open_interest_long)
    oi_short = v.positive("open_interest_short", open_interest_short)
    factor = v.positive("funding_factor", funding_factor)
    exponent = v.positive("funding_exponent", funding_exponent)
    inputs = dict(open_interest_long=oi_long, open_interest_short=oi_short,
                  funding_factor=factor, funding_exponent=exponent)
    shape = np.broadcast_shapes(*(np.shape(x) for x in v.broadcast(**inputs)))
    oi_long, oi_short, factor, exponent = (np.broadcast_to(x, shape) for x in inputs.values())
    with np.errstate(all="ignore"):
        diff = np.abs(oi_long - oi_short)
        total = oi_long + oi_short
        larger = np.maximum(oi_long, oi_short)
        smaller = np.minimum(oi_long, oi_short)
        f_large = factor * diff ** exponent / total
        f_small = f_large * larger / smaller
    f_large = np.asarray(v.result(f_large, **inputs))
    f_small = np.asarray(v.result(f_small, **inputs))
    longs_pay = oi_long > oi_short
    long_rate = np.where(longs_pay, f_large, -f_small)
    short_rate = np.where(longs_pay, -f_small, f_large)
    f = v.scalar_or_array
    pays = bool(longs_pay) if np.ndim(longs_pay) == 0 else longs_pay
    return FundingRates(f(long_rate + 0.0), f(short_rate + 0.0), f(f_large), f(f_small), pays)


#: Venue presets of this module (also in :data:`marginlib.venues.VENUES`).
PRESETS = (
    Venue(
        key="gmx_v2", name="GMX v2", max_leverage=100,
        tiers=flat_tiers(0.01, 100, "minCollateralFactor 1 %",
                         "gmx-synthetics config/markets.ts (a5c0c88)", "2025"),
        convention="entry", taker_fee_rate=0.0006, fee_in_requirement=True,
        liquidation_fee_rate=0.002, funding_interval_hours=1 / 3600,
        source="gmx-synthetics PositionUtils.isPositionLiquidatable, config/markets.ts "
               "(commit a5c0c88), https://github.com/gmx-io/gmx-synthetics", as_of="2025",
        notes="requirement on sizeInUsd (entry notional); close fee 0.06 % (0.04 % if it "
              "improves balance); borrowing fees and price impact not modelled"),
)
