"""Costs of a trade (venue-independent): fees to close, the break-even move, carry, net PnL.

* :func:`fee_to_close` — the taker fee to close at the bankruptcy price (Bybit UTA, Phemex
  add it to the requirement).
* :func:`break_even_move` — the price move that covers fees, funding and gas.
* :func:`carry_return` — the receiving side's return from funding alone.
* :func:`net_pnl_path` — what closing at each mark of a price path would leave, after the
  funding paid so far and both fees.

Fee rates are fractions of notional; a venue fee may be anything in [0, 1] (100 % inclusive).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v
from .funding import cumulative_funding
from .position import realized_pnl

__all__ = [
    "fee_to_close",
    "BreakEven",
    "break_even_move",
    "carry_return",
    "NetPnL",
    "net_pnl_path",
]


def _inputs(side, **checked):
    """``side``'s sign and each ``name=(check, value)`` validated, broadcast together.

    Returns the sign and a dict name → validated array (the names the user passed, for the
    error messages of :func:`marginlib._validation.result`).
    """
    s = v.side_sign(side)
    inputs = {name: check(name, value) for name, (check, value) in checked.items()}
    v.broadcast(side=s, **inputs)
    return s, inputs


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
    s, inputs = _inputs(side, size=(v.positive, size), entry_price=(v.positive, entry_price),
                        leverage=(v.leverage_value, leverage),
                        taker_fee_rate=(v.fee_rate, taker_fee_rate))
    q, entry, lev, taker = inputs.values()
    with np.errstate(all="ignore"):
        out = q * entry * (1.0 - s / lev) * taker
    return v.result(out, **inputs)


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
    s, inputs = _inputs(side, entry_price=(v.positive, entry_price), size=(v.positive, size),
                        open_fee_rate=(v.unit_rate, open_fee_rate),
                        close_fee_rate=(v.unit_rate, close_fee_rate),
                        funding_rate=(v.finite, funding_rate),
                        intervals=(v.nonnegative, intervals),
                        gas_cost=(v.nonnegative, gas_cost))
    entry, q, f_o, f_c, rate, n, gas = inputs.values()
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
    s, inputs = _inputs(side, funding_rate=(v.finite, funding_rate),
                        intervals=(v.nonnegative, intervals),
                        leverage=(v.leverage_value, leverage),
                        open_fee_rate=(v.unit_rate, open_fee_rate),
                        close_fee_rate=(v.unit_rate, close_fee_rate))
    rate, n, lev, f_o, f_c = inputs.values()
    with np.errstate(all="ignore"):
        out = lev * (-s * rate * n - f_o - f_c) + 0.0
    return v.result(out, **inputs)


@dataclass(frozen=True)
class NetPnL:
    """A position's result if it were closed at each mark of a path, after funding and fees.

    Every array has ``n_intervals + 1`` rows (time on axis 0, as
    :class:`marginlib.funding_drift.FundingDrift`): row 0 is the position at open (mark =
    entry, no funding yet), row ``k`` is after the ``k``-th funding payment, at that
    interval's mark. Quote currency throughout; no liquidation is applied (see
    :func:`marginlib.funding_drift.isolated_funding_drift` for when the venue would act).

    Attributes
    ----------
    mark_price : ndarray
        Entry price in row 0, then the price path.
    price_pnl : ndarray
        ``s·q·(P_k − E)``: the price move alone.
    funding : ndarray
        Funding received so far (negative = paid), 0 in row 0.
    fees : ndarray
        Opening fee plus the fee to close at ``P_k``: ``q·E·f_o + q·P_k·f_c``.
    open_fee : float or ndarray
        ``q·E·f_o``, paid once at open (what a position closed by the venue has paid in fees
        besides the venue's own closing charges).
    net : ndarray
        ``price_pnl + funding − fees``: the round trip's result if closed at ``P_k``.
    """

    mark_price: object
    price_pnl: object
    funding: object
    fees: object
    open_fee: object
    net: object


def net_pnl_path(side, *, size, entry_price, price_path, rate_path, open_fee_rate=0.0,
                 close_fee_rate=0.0):
    """Net result of a position along a price path: price PnL, funding so far, both fees.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
        Broadcasts against the trailing (scenario) axes of the paths.
    size : float or array_like
        Base units, > 0 (fixed over the period).
    entry_price : float or array_like
        > 0; broadcasts against the trailing axes of the paths.
    price_path : float or array_like
        Mark (= funding reference) price at each funding time, > 0, time on axis 0; a scalar
        means a constant price.
    rate_path : array_like
        Funding rate of each interval (time on axis 0), any sign; positive: longs pay.
    open_fee_rate, close_fee_rate : float or array_like, optional
        Fractions of the traded notional in [0, 1] (0.0005 = 5 bp taker).

    Returns
    -------
    NetPnL

    Notes
    -----
    Closing at the mark ``P_k`` after ``k`` payments:

        ``net_k = s·q·(P_k − E) − q·E·f_o − q·P_k·f_c + Σ_{t<=k} (−s·q·P_t·r_t)``,

    the round trip of :func:`marginlib.position.realized_pnl` plus the running total of
    :func:`marginlib.funding.cumulative_funding` (both called, not re-derived). A trade can be
    right about the direction (``price_pnl > 0``) and still lose (``net < 0``).

    References
    ----------
    .. [1] Binance, "Introduction to USDⓈ-M Futures Funding Rate" (funding = position value ×
       rate, positive: longs pay shorts), https://www.binance.com/en/support/articles/360033525031
    .. [2] Bybit, "Bankruptcy Price (Perpetual and Expiry Contracts)" (fee to close = position
       value × taker fee rate),
       https://www.bybit.com/en/help-center/article/Bankruptcy-Price-Perpetual-and-Expiry-Contracts

    Examples
    --------
    A 400-token long at 2.50 (5 bp taker each way) over two 8-hour intervals at 0.01 %, the
    mark at 2.60 then 2.55: up 20 USDC on the price, 18.78 after funding and fees.

    >>> pnl = net_pnl_path("long", size=400, entry_price=2.5, price_path=[2.6, 2.55],
    ...                    rate_path=[0.0001, 0.0001], open_fee_rate=0.0005,
    ...                    close_fee_rate=0.0005)
    >>> pnl.price_pnl.round(6), pnl.funding.round(6), pnl.fees.round(6)
    (array([ 0., 40., 20.]), array([ 0.   , -0.104, -0.206]), array([1.  , 1.02, 1.01]))
    >>> pnl.net.round(6)
    array([-1.   , 38.876, 18.784])
    """
    flows = cumulative_funding(side, size=size, price_path=price_path, rate_path=rate_path)
    cumulative = np.asarray(flows.cumulative)
    n, tail = cumulative.shape[0], cumulative.shape[1:]
    per_position = {"entry_price": v.positive("entry_price", entry_price),
                    "open_fee_rate": v.fee_rate("open_fee_rate", open_fee_rate),
                    "close_fee_rate": v.fee_rate("close_fee_rate", close_fee_rate)}
    for name, x in per_position.items():  # one value per scenario, never per interval
        try:
            fits = np.broadcast_shapes(x.shape, tail) == tail
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(
                f"{name} (shape {x.shape}) must broadcast against the trailing (scenario) axes "
                f"of price_path and rate_path (time on axis 0, shape {cumulative.shape})")
    entry, f_o, f_c = per_position.values()
    q = v.positive("size", size)
    prices = np.broadcast_to(v.positive("price_path", price_path), cumulative.shape)
    mark = np.concatenate([np.broadcast_to(entry, (1,) + tail),
                           np.broadcast_to(prices, (n,) + tail)], axis=0)
    inputs = dict(size=q, entry_price=entry, price_path=prices)
    with np.errstate(all="ignore"):
        v.result(q * (mark + entry), **inputs)  # the round trip's terms stay in range
    funding = np.concatenate([np.zeros((1,) + tail), cumulative], axis=0)
    price_pnl = realized_pnl(side, size=q, entry_price=entry, exit_price=mark)
    closed = realized_pnl(side, size=q, entry_price=entry, exit_price=mark, open_fee_rate=f_o,
                          close_fee_rate=f_c)
    open_fee = -realized_pnl(side, size=q, entry_price=entry, exit_price=entry,
                             open_fee_rate=f_o) + 0.0
    with np.errstate(all="ignore"):
        fees = price_pnl - closed
        net = closed + funding
    v.result(net, **inputs, rate_path=rate_path)
    return NetPnL(mark_price=mark + 0.0, price_pnl=np.asarray(price_pnl, dtype=float) + 0.0,
                  funding=funding + 0.0, fees=np.asarray(fees, dtype=float) + 0.0,
                  open_fee=v.scalar_or_array(open_fee), net=np.asarray(net, dtype=float) + 0.0)
