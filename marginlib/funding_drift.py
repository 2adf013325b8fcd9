"""What funding does to an isolated position: its margin drains (or grows) interval by interval.

* :func:`isolated_funding_drift` replays the position step by step: margin, equity,
  maintenance, the liquidation price the venue would display, effective leverage and the
  interval at which it becomes liquidatable.
* :func:`intervals_to_funding_liquidation` is its closed form for a constant rate and price.

Liquidation rule (as on dYdX, Binance, Hyperliquid and Drift): a position is liquidated when
its equity is **strictly below** its maintenance margin; equity exactly at maintenance is not.

References
----------
.. [1] Bybit, "Liquidation Price (USDT Contract)", Example 3 (funding paid out of the position
   margin moves the liquidation price),
   https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
.. [2] Binance, "Introduction to USDⓈ-M Futures Funding Rate",
   https://www.binance.com/en/support/articles/360033525031
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v
from .funding import _as_path
from .liquidation import _check_convention, _raw_liquidation_price, liquidation_price

__all__ = [
    "FundingDrift",
    "isolated_funding_drift",
    "intervals_to_funding_liquidation",
    "RATE_NOISE_TOLERANCE",
]

#: A per-interval funding payment smaller than this fraction of the notional (1e-12, i.e.
#: 0.0000000001 %) is rounding noise (``3 * 0.0001 - 0.0003`` is 5e-20): it is treated as zero,
#: so :func:`intervals_to_funding_liquidation` reports "never" (−1) instead of an absurd count.
RATE_NOISE_TOLERANCE = 1e-12

#: Largest interval count :func:`intervals_to_funding_liquidation` reports (2**53, the largest
#: integer a float holds exactly); a longer drain raises ValueError.
_MAX_INTERVALS = 2.0 ** 53


def _int_or_array(arr):
    """0-d -> Python int, else an int64 ndarray."""
    arr = np.asarray(arr, dtype=np.int64)
    if arr.ndim == 0:
        return int(arr)
    return arr


def _open_position(side, entry_price, size, margin, maintenance_margin_rate,
                   maintenance_amount, taker_fee_rate, convention):
    """Validate an open isolated position; return ``s, E, q, M, m, fee, c`` as arrays.

    The margin must be above maintenance at entry: :func:`liquidation_price` checks it (and
    every argument), so both public functions refuse bad input with its messages.
    """
    _check_convention(convention)
    liquidation_price(side, entry_price=entry_price, size=size, margin=margin,
                      maintenance_margin_rate=maintenance_margin_rate,
                      maintenance_amount=maintenance_amount, taker_fee_rate=taker_fee_rate,
                      convention=convention)
    return (v.side_sign(side), v.positive("entry_price", entry_price), v.positive("size", size),
            v.positive("margin", margin),
            v.unit_rate("maintenance_margin_rate", maintenance_margin_rate),
            v.unit_rate("taker_fee_rate", taker_fee_rate),
            v.nonnegative("maintenance_amount", maintenance_amount))


@dataclass(frozen=True)
class FundingDrift:
    """An isolated position whose funding is settled against its margin, interval by interval.

    Every array has ``n_intervals + 1`` rows: row 0 is the position at open (mark = entry),
    row ``k`` is after the ``k``-th funding payment, at that interval's mark price. The
    arithmetic continues past a liquidation (as if the venue had not acted), so the lines
    can be drawn through it; use ``liquidation_interval`` / ``liquidated`` to cut them.

    Attributes
    ----------
    margin : ndarray
        Margin after funding, ``M + Σ payments`` (can turn negative past liquidation).
    equity : ndarray
        ``margin + s·q·(mark − E)``.
    mark_price : ndarray
        Entry price in row 0, then the price path.
    maintenance_margin : ndarray
        Requirement at the mark (``convention="mark"``) or at entry (``"entry"``).
    liquidation_price : ndarray
        The liquidation price the venue would display after each payment (never below 0).
    effective_leverage : ndarray
        ``q·mark / equity``; ``inf`` where equity <= 0 (bankrupt), never NaN.
    payments : ndarray
        ``n_intervals`` rows: funding cash flow of each interval (negative = paid).
    cumulative_funding : ndarray
        Running sum of payments, 0 in row 0.
    liquidated : ndarray of bool
        ``equity < maintenance_margin`` in each row (strictly below: equity exactly at
        maintenance is not liquidated).
    liquidation_interval : int or ndarray of int
        First row (number of payments) at which the position is liquidatable; **−1 if it
        never is** within the path. With ``price_path=None`` this is the interval at which
        funding alone liquidates it.
    """

    margin: object
    equity: object
    mark_price: object
    maintenance_margin: object
    liquidation_price: object
    effective_leverage: object
    payments: object
    cumulative_funding: object
    liquidated: object
    liquidation_interval: object


def isolated_funding_drift(side, *, entry_price, size, margin, rate_path, price_path=None,
                           maintenance_margin_rate=0.0, maintenance_amount=0.0,
                           taker_fee_rate=0.0, convention="mark"):
    """Replay an isolated position interval by interval as funding is settled from its margin.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price : float or array_like
        > 0.
    size : float or array_like
        Base units, > 0.
    margin : float or array_like
        Isolated margin at open, > 0; must exceed the maintenance margin at entry.
    rate_path : array_like
        Funding rate of each interval (time on axis 0, scenarios on the trailing axes).
    price_path : array_like, optional
        Mark (= reference) price at each funding time, > 0, same time length as
        ``rate_path``. ``None``: the price stays at entry, so only funding moves the margin.
    maintenance_margin_rate, maintenance_amount, taker_fee_rate, convention
        As in :func:`marginlib.liquidation.liquidation_price`.

    Returns
    -------
    FundingDrift

    Raises
    ------
    ValueError
        On invalid input, if the margin is not above maintenance at entry, or if the
        position parameters have more axes than the paths (put time on axis 0: pass
        ``rate_path[:, None]`` to sweep an array of margins).

    Notes
    -----
    Funding paid is taken from the isolated margin: ``M_k = M + Σ_{t<k} (−s·q·P_t·r_t)``.
    The liquidation price is recomputed from ``M_k`` with the entry price unchanged, so a
    long paying funding sees its liquidation price rise toward the mark by
    ``payment/(q·(1 − m))`` per interval (``payment/q`` with maintenance frozen at entry). The
    position is liquidatable when ``M_k + s·q·(P_k − E) < MM`` (strictly below). The reference
    price for funding and the mark for liquidation are taken to be the same price.

    References
    ----------
    .. [1] Bybit, "Liquidation Price (USDT Contract)", Example 3: funding paid out of the
       position margin moves the liquidation price,
       https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
    .. [2] Binance, funding FAQ: funding "could surpass the Maintenance Margin Ratio" and is
       deducted from collateral, https://www.binance.com/en/support/articles/360033525031

    Examples
    --------
    Case Y3 (Bybit classic, maintenance at entry): 1 BTC long at 20,000 with 50× (margin
    400, MMR 0.5 %) pays 200 USDT of funding: the liquidation price moves 19,700 → 19,900,
    and a second such payment liquidates it.

    >>> d = isolated_funding_drift("long", entry_price=20_000, size=1, margin=400,
    ...                            rate_path=[0.01, 0.01], maintenance_margin_rate=0.005,
    ...                            convention="entry")
    >>> d.margin, d.liquidation_price
    (array([400., 200.,   0.]), array([19700., 19900., 20100.]))
    >>> d.liquidation_interval
    2
    """
    s, entry, q, m0, mmr, fee, c = _open_position(
        side, entry_price, size, margin, maintenance_margin_rate, maintenance_amount,
        taker_fee_rate, convention)
    req_rate = mmr + fee

    rates = _as_path("rate_path", rate_path, v.finite)
    if price_path is None:
        path_shape = rates.shape
    else:
        prices = _as_path("price_path", price_path, v.positive)
        if prices.shape[0] != rates.shape[0] or prices.ndim != rates.ndim:
            raise ValueError(
                "price_path and rate_path must have the same number of intervals (axis 0) "
                f"and of axes, got shapes {prices.shape} and {rates.shape}")
        path_shape = np.broadcast_shapes(rates.shape, prices.shape)
    batch = np.broadcast_shapes(s.shape, entry.shape, q.shape, m0.shape, req_rate.shape,
                                c.shape)
    if len(batch) >= len(path_shape):
        raise ValueError(
            "the position parameters have as many axes as the paths: put time on axis 0, "
            "e.g. pass rate_path[:, None] to sweep an array of margins")
    try:
        full = np.broadcast_shapes(path_shape, batch)
    except ValueError:
        raise ValueError(
            "position parameters must broadcast against the trailing (scenario) axes of the "
            f"paths: got paths {path_shape} and parameters {batch}") from None
    if price_path is None:
        prices = np.broadcast_to(entry, full)
    inputs = dict(entry_price=entry, size=q, margin=m0, rate_path=rates, price_path=prices)
    with np.errstate(all="ignore"):
        payments = np.broadcast_to(-s * q * prices * rates + 0.0, full)
        zeros = np.zeros((1,) + full[1:])
        cum = np.concatenate([zeros, np.cumsum(payments, axis=0)], axis=0)
        margin_k = m0 + cum
        mark = np.concatenate([np.broadcast_to(entry, (1,) + full[1:]),
                               np.broadcast_to(prices, full)], axis=0)
        equity = margin_k + s * q * (mark - entry)
        mm_price = mark if convention == "mark" else np.broadcast_to(entry, mark.shape)
        mm = np.maximum(q * mm_price * req_rate - c, 0.0)
    for x in (payments, margin_k, equity, mm):
        v.result(x, **inputs)
    liquidated = equity < mm
    first = np.argmax(liquidated, axis=0)
    interval = np.where(liquidated.any(axis=0), first, -1)
    liq = np.maximum(_raw_liquidation_price(s, entry, q, margin_k, req_rate, c, convention), 0.0)
    liq = np.broadcast_to(liq, margin_k.shape) + 0.0
    positive_equity = equity > 0
    lev = np.full(equity.shape, np.inf)
    np.divide(q * mark, equity, out=lev, where=positive_equity)
    return FundingDrift(
        margin=margin_k, equity=equity, mark_price=mark + 0.0,
        maintenance_margin=np.broadcast_to(mm, equity.shape) + 0.0,
        liquidation_price=liq, effective_leverage=lev, payments=payments + 0.0,
        cumulative_funding=cum, liquidated=liquidated,
        liquidation_interval=_int_or_array(interval))


def intervals_to_funding_liquidation(side, *, entry_price, size, margin, funding_rate,
                                     mark_price=None, maintenance_margin_rate=0.0,
                                     maintenance_amount=0.0, taker_fee_rate=0.0,
                                     convention="mark"):
    """Number of funding payments at a constant rate and price until funding liquidates.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price, size, margin : float or array_like
        The isolated position, all > 0.
    funding_rate : float or array_like
        Constant rate per interval, any sign.
    mark_price : float or array_like, optional
        Constant mark (= reference) price; defaults to ``entry_price``.
    maintenance_margin_rate, maintenance_amount, taker_fee_rate, convention
        As in :func:`marginlib.liquidation.liquidation_price`.

    Returns
    -------
    int or ndarray of int
        ``n* >= 1``, or **−1 when funding never liquidates**: the holder receives funding,
        the rate is 0, or the payment is rounding noise (``|q·P·r| <= q·P·RATE_NOISE_TOLERANCE``,
        e.g. a rate computed as ``3 * 0.0001 - 0.0003``).

    Raises
    ------
    ValueError
        On invalid input, if the position is already liquidatable at ``mark_price`` before
        any funding (that is a price liquidation, not a funding one), or if the count would
        exceed 2**53 intervals (a rate tiny against the margin).

    Notes
    -----
    At a constant price each payment is the same, ``F = s·q·P·r`` (paid when > 0), and the
    margin drains linearly: after ``n`` payments the equity is ``M + s·q·(P − E) − n·F``. The
    position is liquidatable when that is strictly ``< MM`` (``MM = q·P·(m + taker) − c`` at
    the mark, or at ``E`` with ``convention="entry"``), so

        ``n* = floor((M + s·q·(P − E) − MM) / F) + 1``  for ``F > 0``.

    :func:`isolated_funding_drift` replays the same thing step by step, and the tests check
    that both agree. The one exception is an exact tie, where equity lands exactly on ``MM``
    after ``n* − 1`` payments (the first example below: not liquidated there, by the strict
    rule). The replay's running sum of floating-point payments can land a rounding error below
    ``MM`` and report ``n* − 1``. The closed form gives the exact answer; the replay matches
    what the account engine does.

    Examples
    --------
    A 10× long (margin 100 on 1,000 notional), no maintenance, paying 0.01 % per 8 h pays
    0.10 a payment, so 1,000 payments (333 days) drain it to exactly 0 (= maintenance, not yet
    liquidated) and the 1,001st liquidates it; at 0.1 % per 8 h, 101.

    >>> intervals_to_funding_liquidation("long", entry_price=2.5, size=400, margin=100,
    ...                                  funding_rate=0.0001)
    1001
    >>> intervals_to_funding_liquidation("long", entry_price=2.5, size=400, margin=100,
    ...                                  funding_rate=[0.001, -0.001])
    array([101,  -1])

    Y3's position (MMR 0.5 % at entry, buffer 300) paying 200 a payment: 2 payments.

    >>> intervals_to_funding_liquidation("long", entry_price=20_000, size=1, margin=400,
    ...                                  funding_rate=0.01, maintenance_margin_rate=0.005,
    ...                                  convention="entry")
    2

    A rate that is rounding noise never liquidates:

    >>> intervals_to_funding_liquidation("long", entry_price=2.5, size=400, margin=100,
    ...                                  funding_rate=3 * 0.0001 - 0.0003)
    -1
    """
    s, entry, q, m0, mmr, fee, c = _open_position(
        side, entry_price, size, margin, maintenance_margin_rate, maintenance_amount,
        taker_fee_rate, convention)
    req_rate = mmr + fee
    rate = v.finite("funding_rate", funding_rate)
    price = entry if mark_price is None else v.positive("mark_price", mark_price)
    v.broadcast(side=s, entry_price=entry, size=q, margin=m0, funding_rate=rate,
                **({} if mark_price is None else {"mark_price": price}),
                maintenance_margin_rate=mmr, maintenance_amount=c, taker_fee_rate=fee)
    mm_price = price if convention == "mark" else entry
    inputs = dict(entry_price=entry, size=q, margin=m0, funding_rate=rate,
                  **({} if mark_price is None else {"mark_price": price}))
    with np.errstate(all="ignore"):
        mm = np.maximum(q * mm_price * req_rate - c, 0.0)
        buffer = m0 + s * q * (price - entry) - mm
        paid = s * q * price * rate
        noise = q * price * RATE_NOISE_TOLERANCE
    for x in (mm, buffer, paid, noise):
        v.result(x, **inputs)
    if np.any(buffer < 0):
        raise ValueError(
            "the position is already liquidatable at mark_price before any funding "
            "(equity < maintenance margin): that is a price liquidation")
    drains = paid > noise
    safe = np.where(drains, paid, 1.0)
    with np.errstate(over="ignore"):
        ratio = np.where(drains, buffer / safe, 0.0)
    if np.any(~(ratio < _MAX_INTERVALS)):
        raise ValueError(
            "funding_rate is too small against margin (size × mark_price × funding_rate drains "
            "the buffer in more than 2**53 intervals): treat it as never liquidated")
    n_star = np.where(drains, np.floor(ratio) + 1, -1)
    return _int_or_array(n_star)
