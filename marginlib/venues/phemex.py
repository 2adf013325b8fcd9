"""Phemex: the isolated position balance (initial margin plus the fee to close).

Phemex's liquidation price is then the OKX/Gate "MMR + taker" form of
:func:`marginlib.liquidation.liquidation_price`.

References
----------
.. [1] Phemex, "Liquidation price for USDⓈ-M perpetual",
   https://phemex.com/help-center/liq-price-for-USDTM
"""
from __future__ import annotations

import numpy as np

from .. import _validation as v
from ..costs import fee_to_close

__all__ = ["position_balance"]


def position_balance(side, *, size, entry_price, leverage, taker_fee_rate):
    """Phemex isolated position balance: ``OpenValue/L + closeFee``.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size : float or array_like
        Base units, > 0.
    entry_price : float or array_like
        Entry price, > 0 (``OpenValue = q·E``).
    leverage : float or array_like
        >= 1.
    taker_fee_rate : float or array_like
        Taker fee in [0, 1] (0.0006 = 0.06 %).

    Returns
    -------
    float or ndarray
        ``posBalance = q·E/L + q·E·(1 − s/L)·taker`` in quote currency.

    Notes
    -----
    Phemex's liquidation price is then the OKX/Gate "MMR + taker" form of
    :func:`marginlib.liquidation.liquidation_price` with ``margin=posBalance`` and
    ``taker_fee_rate=taker``:
    long ``(OpenValue − posBalance − mmAmount)/(1 − taker − m)/q``.

    References
    ----------
    .. [1] Phemex, "Liquidation price for USDⓈ-M perpetual",
       https://phemex.com/help-center/liq-price-for-USDTM

    Examples
    --------
    Phemex's example: 500 contracts at 0.4 (OpenValue 200), 5×, taker 0.06 % (case P1):

    >>> round(position_balance("long", size=500, entry_price=0.4, leverage=5,
    ...                        taker_fee_rate=0.0006), 3)
    40.096
    """
    entry = v.positive("entry_price", entry_price)
    size_a = v.positive("size", size)
    lev = v.leverage_value("leverage", leverage)
    close_fee = np.asarray(fee_to_close(side, size=size, entry_price=entry_price,
                                        leverage=leverage, taker_fee_rate=taker_fee_rate))
    with np.errstate(all="ignore"):
        out = size_a * entry / lev + close_fee
    return v.result(out, size=size_a, entry_price=entry, leverage=lev)
