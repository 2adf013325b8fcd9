"""Hyperliquid: maintenance from max leverage, backstop liquidation, hourly funding and its cap.

Margin tiers are built with :func:`marginlib.tiers.hyperliquid_tiers` (maintenance is half
the initial margin at the tier's maximum leverage, :func:`maintenance_margin_rate`).

References
----------
.. [1] Hyperliquid docs, Liquidations,
   https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
.. [2] Hyperliquid docs, Margin tiers,
   https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers
.. [3] Hyperliquid docs, Funding,
   https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding
"""
from __future__ import annotations

import types

import numpy as np

from .. import _validation as v
from ..funding import (DEFAULT_CLAMP_LIMIT, DEFAULT_INTEREST_RATE, FundingCap,
                       cap_funding_rate, funding_rate_from_premium)
from ..funding import convert_funding_rate  # noqa: F401 - used by the doctest
from ..tiers import hyperliquid_tiers
from ._base import Venue

__all__ = [
    "maintenance_margin_rate",
    "backstop_threshold",
    "funding_rate",
    "funding_cap",
    "BACKSTOP_FRACTION",
    "FUNDING_CAP_PER_HOUR",
    "FUNDING_CAPS",
    "PRESETS",
]

#: Backstop liquidation (by the HLP vault) when equity < 2/3 of maintenance.
BACKSTOP_FRACTION = 2.0 / 3.0
#: Funding capped at 4 % per hour.
FUNDING_CAP_PER_HOUR = 0.04

_SOURCE = ("Hyperliquid docs, margin-tiers and liquidations pages, "
           "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers")

#: The funding cap as a record (per 1-hour interval).
FUNDING_CAPS = types.MappingProxyType({
    "hyperliquid": FundingCap(
        "hyperliquid", "Hyperliquid", FUNDING_CAP_PER_HOUR, 1.0,
        "Hyperliquid docs, Funding, "
        "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding", "2025"),
})


def maintenance_margin_rate(max_leverage):
    """Hyperliquid maintenance-margin rate: half the initial margin rate at max leverage.

    Parameters
    ----------
    max_leverage : float or array_like
        The asset's (tier's) maximum leverage, >= 1 — not the leverage you chose.

    Returns
    -------
    float or ndarray
        ``m = 1 / (2·max_leverage)``: 1 % at 50×, 1.25 % at 40×, 2.5 % at 20×, 16.7 % at 3×.

    Notes
    -----
    "Maintenance leverage" is ``2·max_leverage``. A common mistake (case H9) uses half the
    initial margin at the *chosen* leverage instead.

    References
    ----------
    .. [1] Hyperliquid docs, Margin tiers and Liquidations,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers

    Examples
    --------
    >>> maintenance_margin_rate(20)
    0.025
    >>> maintenance_margin_rate([50, 40])
    array([0.01  , 0.0125])
    """
    lev = v.leverage_value("max_leverage", max_leverage)
    return v.scalar_or_array(1.0 / (2.0 * lev))


def backstop_threshold(maintenance_margin):
    """Equity below which Hyperliquid's liquidator vault takes over (backstop liquidation).

    Parameters
    ----------
    maintenance_margin : float or array_like
        Maintenance margin of the account (cross) or position (isolated), quote currency, >= 0.

    Returns
    -------
    float or ndarray
        ``(2/3)·MM``: if equity falls below it before the book absorbs the liquidation orders,
        the position and its margin go to the HLP vault and the maintenance margin is not
        returned.

    References
    ----------
    .. [1] Hyperliquid docs, Liquidations,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations

    Examples
    --------
    >>> round(backstop_threshold(1_250), 2)
    833.33
    """
    mm = v.nonnegative("maintenance_margin", maintenance_margin)
    return v.scalar_or_array(BACKSTOP_FRACTION * mm)


def funding_cap():
    """Hyperliquid's funding cap: 4 % per hour (a fraction per 1-hour interval).

    Returns
    -------
    float
        ``0.04``.

    References
    ----------
    .. [1] Hyperliquid docs, Funding,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding

    Examples
    --------
    >>> funding_cap()
    0.04
    >>> convert_funding_rate(funding_cap(), from_hours=1, to_hours=8)
    0.32
    """
    return FUNDING_CAP_PER_HOUR


def funding_rate(premium_index, *, interest_rate=DEFAULT_INTEREST_RATE,
                 clamp_limit=DEFAULT_CLAMP_LIMIT):
    """Hyperliquid's hourly funding rate: the 8-hour clamp rate paid as ``F/8`` each hour.

    Parameters
    ----------
    premium_index : float or array_like
        The hour's average premium (8-hour convention), any sign.
    interest_rate : float or array_like, optional
        Interest per 8 h (0.01 %).
    clamp_limit : float or array_like, optional
        ±0.05 %.

    Returns
    -------
    float or ndarray
        Rate per hour, ``clip(funding_rate_from_premium(P̄, I, clamp)/8, ±4 %)``.

    References
    ----------
    .. [1] Hyperliquid docs, Funding (hourly, ``F/8``, cap 4 %/h),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding

    Examples
    --------
    Case H7: zero premium pays the baseline 0.00125 % per hour.

    >>> funding_rate(0.0)
    1.25e-05
    """
    eight_hour = np.asarray(funding_rate_from_premium(premium_index, interest_rate=interest_rate,
                                                      clamp_limit=clamp_limit))
    return cap_funding_rate(eight_hour / 8.0, cap=FUNDING_CAP_PER_HOUR)


#: Venue presets of this module (also in :data:`marginlib.venues.VENUES`).
PRESETS = (
    Venue(
        key="hyperliquid_btc", name="Hyperliquid (BTC)", max_leverage=40,
        tiers=hyperliquid_tiers(floors=[0, 150e6], max_leverages=[40, 20], name="BTC 40x / 20x above 150M",
                                source=_SOURCE, as_of="2025"),
        taker_fee_rate=0.00045, funding_interval_hours=1, source=_SOURCE, as_of="2025",
        notes="taker fee is the base tier (assumed); no separate liquidation fee, but "
              "maintenance margin is kept in a backstop liquidation"),
    Venue(
        key="hyperliquid_10x", name="Hyperliquid (10× alt)", max_leverage=10,
        tiers=hyperliquid_tiers(floors=[0, 20e6], max_leverages=[10, 5], name="10x / 5x above 20M",
                                source=_SOURCE, as_of="2025"),
        taker_fee_rate=0.00045, funding_interval_hours=1, source=_SOURCE, as_of="2025",
        notes="the tier of DOGE, SUI, WLD, HYPE, FARTCOIN…; typical of AI-narrative alts"),
)
