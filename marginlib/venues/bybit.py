"""Bybit: the Unified Trading Account (UTA) isolated liquidation price, and the classic preset.

Bybit classic accounts evaluate maintenance at entry (``convention="entry"``); UTA isolated
positions add a "fee to close" (:func:`marginlib.costs.fee_to_close`) to both initial and
maintenance margin, which cancels except in the gross-up of extra margin.

References
----------
.. [1] Bybit, "Liquidation Price (USDT Contract)" (classic account),
   https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
.. [2] Bybit, "UTA Trading Rules",
   https://www.bybit.com/en/help-center/article/UTA-Trading-Rules
"""
from __future__ import annotations

import numpy as np

from .. import _validation as v
from ..tiers import margin_tiers
from ._base import Venue

__all__ = ["uta_liquidation_price", "PRESETS"]


def uta_liquidation_price(side, *, entry_price, size, leverage, maintenance_margin_rate,
                          extra_margin=0.0, taker_fee_rate=0.0, mm_deduction=0.0,
                          max_leverage=None):
    """Liquidation price of an isolated USDT perpetual on a Bybit Unified Trading Account.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price : float or array_like
        Entry price, > 0.
    size : float or array_like
        Base units, > 0.
    leverage : float or array_like
        Leverage the position was opened with (sets the initial margin ``q·E/L``), >= 1.
    maintenance_margin_rate : float or array_like
        ``m`` of the risk-limit tier, in [0, 1).
    extra_margin : float or array_like, optional
        Margin added manually on top of the initial margin, >= 0.
    taker_fee_rate : float or array_like, optional
        Taker fee in [0, 1); it grosses up the extra margin.
    mm_deduction : float or array_like, optional
        The tier's maintenance-margin deduction, >= 0.
    max_leverage : float, optional
        The tier's maximum leverage.

    Returns
    -------
    float or ndarray
        The liquidation (mark) price; 0 for a long that cannot be liquidated at a positive
        price.

    Raises
    ------
    ValueError
        On invalid input, or if the margin is already at or below maintenance at entry.

    Notes
    -----
    Maintenance is evaluated at the liquidation price and the fee to close cancels between
    initial and maintenance margin; it reappears only through the gross-up of extra margin:

    * long:  ``LP = (E·q − E·q/L − Extra/(1 − taker) − MM_ded) / (q − q·m)``
    * short: ``LP = (E·q + E·q/L + Extra/(1 + taker) + MM_ded) / (q + q·m)``

    This is (G1) of :func:`marginlib.liquidation.liquidation_price` with margin
    ``q·E/L + Extra/(1 − s·taker)`` and maintenance amount ``MM_ded``.

    References
    ----------
    .. [1] Bybit, "UTA Trading Rules" and "Liquidation Price Calculation under Isolated Mode
       (Unified Trading Account)",
       https://www.bybit.com/en/help-center/article/UTA-Trading-Rules and
       https://www.bybit.com/en/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account
       (read through a verbatim third-party transcription; its worked example reproduces).

    Examples
    --------
    Bybit's example: 1 BTC long at 40,000, 50×, 3,000 extra margin, MMR 0.5 %, taker
    0.055 % → 36,380.25 (case Y4).

    >>> round(uta_liquidation_price("long", entry_price=40_000, size=1, leverage=50,
    ...                             maintenance_margin_rate=0.005, extra_margin=3_000,
    ...                             taker_fee_rate=0.00055), 2)
    36380.25
    """
    s = v.side_sign(side)
    entry_price = v.positive("entry_price", entry_price)
    size = v.positive("size", size)
    leverage = v.leverage_value("leverage", leverage, max_leverage)
    m = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    extra = v.nonnegative("extra_margin", extra_margin)
    taker = v.unit_rate("taker_fee_rate", taker_fee_rate)
    ded = v.nonnegative("mm_deduction", mm_deduction)
    inputs = dict(entry_price=entry_price, size=size, leverage=leverage,
                  maintenance_margin_rate=m, extra_margin=extra, taker_fee_rate=taker,
                  mm_deduction=ded)
    shape = np.shape(v.broadcast(side=s, **inputs, **(
        {} if max_leverage is None else {"max_leverage": np.asarray(max_leverage, dtype=float)}))[0])
    with np.errstate(all="ignore"):
        notional_entry = entry_price * size
        margin = notional_entry / leverage + extra / (1.0 - s * taker)
    v.result(margin, **inputs)
    if np.any(margin <= notional_entry * m - ded):
        raise ValueError(
            "margin: the initial margin size·entry_price/leverage + extra_margin must exceed the "
            "maintenance margin "
            "at entry (the position would be liquidated immediately); lower the leverage or "
            "add extra_margin")
    with np.errstate(all="ignore"):
        # the same line written as Bybit prints it: numerator E·q ∓ E·q/L ∓ Extra' ∓ MM_ded,
        # denominator q ∓ q·m; divided through by q so that q·E cannot overflow.
        price = (entry_price - s * margin / size - s * ded / size) / (1.0 - s * m)
    return v.result(np.broadcast_to(np.maximum(price, 0.0), shape), **inputs)


_SOURCE = ("Bybit help 'Liquidation Price (USDT Contract)' (classic account), "
           "https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract")

#: Venue presets of this module (also in :data:`marginlib.venues.VENUES`).
PRESETS = (
    Venue(
        key="bybit_classic_btcusdt", name="Bybit classic (BTCUSDT)", max_leverage=100,
        tiers=margin_tiers(floors=[0, 2.0e6, 2.6e6, 3.2e6], rates=[0.005, 0.0056, 0.0063, 0.0067],
                           max_leverages=[100, 90, 80, 75], name="BTCUSDT risk limits 1-4",
                           source="Bybit GET /v5/market/risk-limit (3P snapshot)",
                           as_of="2026-08-05"),
        convention="entry", taker_fee_rate=0.00055, source=_SOURCE, as_of="2026-08-05",
        notes="classic accounts evaluate maintenance at entry; closed at the bankruptcy "
              "price, leftover margin to the insurance fund"),
    Venue(
        key="bybit_classic_adausdt", name="Bybit classic (ADAUSDT, an alt)", max_leverage=75,
        tiers=margin_tiers(floors=[0, 200e3], rates=[0.0075, 0.01], max_leverages=[75, 50],
                           name="ADAUSDT risk limits 1-2",
                           source="Bybit GET /v5/market/risk-limit (3P snapshot)",
                           as_of="2026-08-05"),
        convention="entry", taker_fee_rate=0.00055, source=_SOURCE, as_of="2026-08-05",
        notes="the only alt risk-limit table in the course's sources (tier 2 deduction 500); "
              "a small DeFAI listing may carry a higher rate; classic accounts close at the "
              "bankruptcy price"),
)
