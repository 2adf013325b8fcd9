"""Funding payments between longs and shorts.

Sign convention on every venue studied (``VENUES.md`` §0): a positive rate means longs pay
shorts, a negative rate means shorts pay longs. The payment per interval is
``size × reference price × rate`` (mark price on Binance and Bybit, oracle/index price on
Hyperliquid and dYdX).
"""
from __future__ import annotations

from . import _validation as v

__all__ = ["funding_payment"]


def funding_payment(side, size, price, rate):
    """Signed funding cash flow *to* the holder for one interval.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size : float or array_like
        Position size in base units, > 0.
    price : float or array_like
        Reference price of the interval (mark or oracle), > 0.
    rate : float or array_like
        Funding rate for the interval as a fraction (0.0001 = 0.01 %), any sign.

    Returns
    -------
    float or ndarray
        ``−s · q · P · r``: negative when the holder pays (a long when ``rate > 0``).

    References
    ----------
    .. [1] Binance, "Introduction to USDⓈ-M Futures Funding Rate",
       https://www.binance.com/en/support/articles/360033525031
    .. [2] Hyperliquid docs, Funding,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding

    Examples
    --------
    2 BTC long at an oracle of 60,000 with 0.01 % for the hour pays 12 USDC (case D8).

    >>> funding_payment("long", size=2, price=60_000, rate=0.0001)
    -12.0
    >>> funding_payment("short", size=2, price=60_000, rate=0.0001)
    12.0
    """
    s = v.side_sign(side)
    size = v.positive("size", size)
    price = v.positive("price", price)
    rate = v.finite("rate", rate)
    return v.scalar_or_array(-s * size * price * rate + 0.0)  # + 0.0: no "-0.0"
