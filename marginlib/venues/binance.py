"""Binance USDⓈ-M futures: the funding cap, and the BTCUSDT bracket preset.

Binance uses the generic liquidation price (maintenance at the mark, tiered brackets) and the
clamp funding formula :func:`marginlib.funding.funding_rate_from_premium`; what is specific to
it is the per-symbol funding cap and the bracket table.

References
----------
.. [1] Binance, "How to Calculate Liquidation Price of USDⓈ-M Contracts",
   https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
.. [2] Binance, "Introduction to USDⓈ-M Futures Funding Rate",
   https://www.binance.com/en/support/articles/360033525031
.. [3] Binance, "Leverage and Margin of USDⓈ-M Futures",
   https://www.binance.com/en/support/faq/360033162192
"""
from __future__ import annotations

import types

import numpy as np

from .. import _validation as v
from ..funding import FundingCap
from ..tiers import margin_tiers
from ._base import Venue

__all__ = ["funding_cap", "FUNDING_CAPS", "PRESETS"]

_CAP_SOURCE = ("Binance funding-rate cap announcement (Oct 2023); "
               "https://www.binance.com/en/support/articles/360033525031")

#: Binance caps quoted in the course's sources (per funding interval). The cap is a
#: per-symbol parameter published in each contract's specification: these are examples.
FUNDING_CAPS = types.MappingProxyType({
    "binance_btcusdt": FundingCap(
        "binance_btcusdt", "Binance BTCUSDT", 0.003, 8.0, _CAP_SOURCE, "2023-10"),
    "binance_le25x": FundingCap(
        "binance_le25x", "Binance (max lev ≤ 25×)", 0.03, 8.0, _CAP_SOURCE, "2023-10",
        "capped contracts switch to hourly settlement since May 2025"),
})


def funding_cap(symbol=None, *, max_leverage=None):
    """A Binance USDⓈ-M per-symbol funding cap quoted in the sources (per interval).

    Binance sets the cap per symbol (its contract specification page). Two published values
    are known to the course: **BTCUSDT ±0.3 %**, and **±3 %** for contracts whose maximum
    leverage is <= 25× (Oct 2023 announcement). For any other symbol, read the cap from the
    contract specification and pass it to :func:`marginlib.funding.cap_funding_rate`.

    Parameters
    ----------
    symbol : str, optional
        ``"BTCUSDT"``.
    max_leverage : float, optional
        The contract's maximum leverage; <= 25 gives the 3 % cap.

    Returns
    -------
    float
        The cap per funding interval (8 h by default; capped contracts may switch to 1 h
        settlement, keeping the per-interval cap).

    Raises
    ------
    ValueError
        If neither argument identifies a documented cap.

    References
    ----------
    .. [1] Binance, "Introduction to USDⓈ-M Futures Funding Rate" (caps per symbol; the
       Oct 2023 cap announcement and the May 2025 rule that a capped contract settles
       hourly), https://www.binance.com/en/support/articles/360033525031

    Examples
    --------
    >>> funding_cap("BTCUSDT")
    0.003
    >>> funding_cap(max_leverage=20)
    0.03
    """
    if symbol is not None:
        if not isinstance(symbol, str) or symbol.upper() != "BTCUSDT":
            raise ValueError(
                f"symbol {symbol!r} has no documented cap here (only 'BTCUSDT'); read the "
                "cap from Binance's contract specification and use cap_funding_rate")
        return FUNDING_CAPS["binance_btcusdt"].cap
    if max_leverage is not None:
        lev = v.leverage_value("max_leverage", max_leverage)
        if np.ndim(lev) != 0:
            raise ValueError("max_leverage must be a single number here (one symbol's cap), "
                             f"got an array of shape {np.shape(lev)}")
        lev = float(lev)
        if lev <= 25:
            return FUNDING_CAPS["binance_le25x"].cap
        raise ValueError(
            f"max_leverage {lev:g} > 25: the cap is symbol-specific; read it from Binance's "
            "contract specification and use cap_funding_rate")
    raise ValueError("funding_cap needs symbol='BTCUSDT' or max_leverage <= 25")


_SOURCE = ("Binance liquidation-price FAQ "
           "https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93; BTCUSDT "
           "brackets from a 2021 third-party mirror of GET /fapi/v1/leverageBracket")

#: Venue presets of this module (also in :data:`marginlib.venues.VENUES`).
PRESETS = (
    Venue(
        key="binance_btcusdt", name="Binance (BTCUSDT brackets, 2021)", max_leverage=125,
        tiers=margin_tiers(
            floors=[0, 50e3, 250e3, 1e6, 5e6, 20e6, 50e6, 100e6, 200e6, 300e6],
            rates=[0.004, 0.005, 0.01, 0.025, 0.05, 0.10, 0.125, 0.15, 0.25, 0.50],
            max_leverages=[125, 100, 50, 20, 10, 5, 4, 3, 2, 1],
            name="BTCUSDT 2021", source=_SOURCE, as_of="2021"),
        taker_fee_rate=0.0005, source=_SOURCE, as_of="2021",
        notes="historic brackets (current ones differ); taker fee is the base rate; the "
              "liquidation clearance fee is per symbol and not modelled"),
)
