"""Costs of a trade (venue-independent): fees to close, the break-even move, carry.

* :func:`fee_to_close` — the taker fee to close at the bankruptcy price (Bybit UTA, Phemex
  add it to the requirement).
* :func:`break_even_move` — the price move that covers fees, funding and gas.
* :func:`carry_return` — the receiving side's return from funding alone.

Fee rates are fractions of notional; a venue fee may be anything in [0, 1] (100 % inclusive).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v

__all__ = [
    "fee_to_close",
    "BreakEven",
    "break_even_move",
    "carry_return",
]



def fee_to_close(side, *, size, entry_price, leverage, taker_fee_rate):
    """Taker fee to close a position at its bankruptcy price (Bybit UTA, Phemex).

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size : float or array_like
        Base units, > 0.
    entry_price : float or array_like
        Entry price, > 0.
    leverage : float or array_like
        Leverage, >= 1.
    taker_fee_rate : float or array_like
        Taker fee as a fraction of notional, in [0, 1] (0.00055 = 0.055 %; 100 % allowed).

    Returns
    -------
    float or ndarray
        ``q·E·(1 − s/L)·taker`` in quote currency: the value at the bankruptcy price
        ``E·(1 − s/L)`` times the taker fee.

    Notes
    -----
    Bybit UTA adds this "fee to close" to both the initial and the maintenance margin;
    Phemex adds it to the position balance (``closeFee = bankruptcyValue × takerFee``).

    References
    ----------
    .. [1] Bybit, "UTA Trading Rules" (USDT perpetual, isolated),
       https://www.bybit.com/en/help-center/article/UTA-Trading-Rules
    .. [2] Phemex, "Liquidation price for USDⓈ-M perpetual",
       https://phemex.com/help-center/liq-price-for-USDTM

    Examples
    --------
    Bybit's UTA example, 1 BTC long at 40,000 with 50×, taker 0.055 % (case Y4):

    >>> round(fee_to_close("long", size=1, entry_price=40_000, leverage=50,
    ...                    taker_fee_rate=0.00055), 2)
    21.56
    """
    s = v.side_sign(side)
    size = v.positive("size", size)
    entry_price = v.positive("entry_price", entry_price)
    leverage = v.leverage_value("leverage", leverage)
    taker = v.fee_rate("taker_fee_rate", taker_fee_rate)
    v.broadcast(side=s, size=size, entry_price=entry_price, leverage=leverage,
                taker_fee_rate=taker)
    with np.errstate(all="ignore"):
        out = size * entry_price * (1.0 - s / leverage) * taker
    return v.result(out, size=size, entry_price=entry_price, leverage=leverage,
                    taker_fee_rate=taker)


@dataclass(frozen=True)
class BreakEven:
    """The exit price at which a round trip nets zero after costs.

    Attributes
    ----------
    exit_price : float or ndarray
        Price at which PnL − fees − funding − gas = 0.
    price_move : float or ndarray
        ``exit_price/entry_price − 1``: positive for a long, negative for a short when costs
        are positive (a short needs the price to fall).
    open_fee, close_fee : float or ndarray
        Fees in quote currency (the close fee at ``exit_price``).
    funding_cost : float or ndarray
        Funding paid over the holding period (negative = received).
    gas_cost : float or ndarray
        On-chain costs in quote currency.
    total_cost : float or ndarray
        Sum of the four costs.
    """

    exit_price: object
    price_move: object
    open_fee: object
    close_fee: object
    funding_cost: object
    gas_cost: object
    total_cost: object


def break_even_move(side, *, entry_price, size, open_fee_rate=0.0, close_fee_rate=0.0,
                    funding_rate=0.0, intervals=0, gas_cost=0.0):
    """Price move needed to cover fees, funding over the holding period, and gas.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price : float or array_like
        > 0.
    size : float or array_like
        Base units, > 0.
    open_fee_rate, close_fee_rate : float or array_like, optional
        Fractions of the traded notional in [0, 1) (0.0005 = 5 bp taker).
    funding_rate : float or array_like, optional
        Average funding rate per interval, any sign (positive: longs pay).
    intervals : float or array_like, optional
        Number of funding intervals held, >= 0.
    gas_cost : float or array_like, optional
        On-chain costs (open + close transactions, keeper fees) in quote currency, >= 0.

    Returns
    -------
    BreakEven

    Notes
    -----
    Funding is paid on the entry notional (``F = s·q·E·r·n``; the error from the price
    moving is second order for a small move). Solving
    ``s·q·(X − E) − q·E·f_o − q·X·f_c − F − G = 0`` for the exit price ``X``:

        ``X = (q·E·(s + f_o) + F + G) / (q·(s − f_c))``.

    Leverage does not appear: it changes how much of the margin the costs eat, not the price
    move needed to cover them.

    Examples
    --------
    A 1,000-USDC long (400 tokens at 2.50), 5 bp taker each way, held 30 days of 8-hour
    funding at 0.01 % (90 payments = 0.9 % of notional): about 10 USDC of costs, so the price
    must rise 1.0 % just to break even.

    >>> be = break_even_move("long", entry_price=2.5, size=400, open_fee_rate=0.0005,
    ...                      close_fee_rate=0.0005, funding_rate=0.0001, intervals=90)
    >>> round(be.price_move, 4), round(be.funding_cost, 6), round(be.total_cost, 2)
    (0.01, 9.0, 10.01)

    The short on the same terms *receives* the 9 USDC, so it breaks even even if the price
    rises 0.8 %:

    >>> be = break_even_move("short", entry_price=2.5, size=400, open_fee_rate=0.0005,
    ...                      close_fee_rate=0.0005, funding_rate=0.0001, intervals=90)
    >>> round(be.price_move, 4)
    0.008
    """
    s = v.side_sign(side)
    entry = v.positive("entry_price", entry_price)
    q = v.positive("size", size)
    f_o = v.unit_rate("open_fee_rate", open_fee_rate)
    f_c = v.unit_rate("close_fee_rate", close_fee_rate)
    rate = v.finite("funding_rate", funding_rate)
    n = v.nonnegative("intervals", intervals)
    gas = v.nonnegative("gas_cost", gas_cost)
    inputs = dict(entry_price=entry, size=q, open_fee_rate=f_o, close_fee_rate=f_c,
                  funding_rate=rate, intervals=n, gas_cost=gas)
    v.broadcast(side=s, **inputs)
    with np.errstate(all="ignore"):
        funding = s * q * entry * rate * n
        exit_price = (q * entry * (s + f_o) + funding + gas) / (q * (s - f_c))
    v.result(funding, **inputs)
    v.result(exit_price, **inputs)
    if np.any(exit_price <= 0):
        raise ValueError("no break-even price: the costs exceed what any positive exit "
                         "price can recover (a short cannot gain more than its notional), or the "
                         "funding received exceeds the notional; check gas_cost, funding_rate "
                         "and intervals")
    with np.errstate(all="ignore"):
        open_fee = q * entry * f_o
        close_fee = q * exit_price * f_c
        total = open_fee + close_fee + funding + gas
        move = exit_price / entry - 1.0
    for x in (open_fee, close_fee, total, move):
        v.result(x, **inputs)
    shape = np.shape(total)

    def f(x):
        return v.scalar_or_array(np.broadcast_to(x + 0.0, shape))

    return BreakEven(f(exit_price), f(move), f(open_fee), f(close_fee),
                     f(funding), f(gas), f(total))


def carry_return(side, *, funding_rate, intervals, leverage=1.0, open_fee_rate=0.0,
                 close_fee_rate=0.0):
    """Return on margin from funding alone, price unchanged (the carry of the receiving side).

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    funding_rate : float or array_like
        Average rate per interval (positive: longs pay, shorts receive).
    intervals : float or array_like
        Number of intervals held, >= 0.
    leverage : float or array_like, optional
        Notional ÷ margin, >= 1.
    open_fee_rate, close_fee_rate : float or array_like, optional
        In [0, 1).

    Returns
    -------
    float or ndarray
        ``L·(−s·r·n − f_o − f_c)`` as a fraction of margin over the holding period.

    Notes
    -----
    Price risk is ignored (a delta-hedged carry trade: spot long + perp short). The carry is
    exactly what the paying side loses, times leverage: the receiving side's return is the
    paying side's drag: positive rates, paid by longs to shorts, erode a long's carry.

    References
    ----------
    .. [1] Binance, "Introduction to USDⓈ-M Futures Funding Rate",
       https://www.binance.com/en/support/articles/360033525031

    Examples
    --------
    A 3× short collecting 0.01 % per 8 h for 30 days (90 intervals), 5 bp fees each way:

    >>> round(carry_return("short", funding_rate=0.0001, intervals=90, leverage=3,
    ...                    open_fee_rate=0.0005, close_fee_rate=0.0005), 6)
    0.024
    >>> round(carry_return("long", funding_rate=0.0001, intervals=90, leverage=3), 6)
    -0.027
    """
    s = v.side_sign(side)
    rate = v.finite("funding_rate", funding_rate)
    n = v.nonnegative("intervals", intervals)
    lev = v.leverage_value("leverage", leverage)
    f_o = v.unit_rate("open_fee_rate", open_fee_rate)
    f_c = v.unit_rate("close_fee_rate", close_fee_rate)
    inputs = dict(funding_rate=rate, intervals=n, leverage=lev, open_fee_rate=f_o,
                  close_fee_rate=f_c)
    v.broadcast(side=s, **inputs)
    with np.errstate(all="ignore"):
        out = lev * (-s * rate * n - f_o - f_c) + 0.0
    return v.result(out, **inputs)
