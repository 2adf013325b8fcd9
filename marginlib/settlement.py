"""The settlement kernel: when a position is liquidated, and where its equity goes.

One rule and one split, used by :class:`marginlib.account.Account`, the Monte Carlo of
:mod:`marginlib.sim.montecarlo`, :func:`marginlib.liquidation.liquidation_outcome` and the
reference loop of the tests, so that all of them liquidate on the same marks and settle the
same amounts.

* **Liquidation test**: liquidated iff ``equity < maintenance``, *strictly* below. Equity
  exactly at maintenance is not liquidated (dYdX, Binance, Hyperliquid and Drift all trigger
  on "below"). Isolated: ``equity = M + s·q·(P − E)``, ``maintenance = q·P·m``; cross:
  ``equity = W + Σ s·q·(P − E)``, ``maintenance = Σ q·P·m``.
* **Split** of a liquidated position's (or cross account's) equity ``Eq`` with notional ``N``
  at the liquidation mark and fee rate ``f`` in [0, 1]: ``fee = min(f·N, max(Eq, 0))``,
  ``returned = max(Eq − fee, 0)``, ``bad_debt = max(−Eq, 0)``.

Public functions validate their inputs and take ``side`` as strings; the private ``_``
functions are the numeric fast paths for hot loops (already validated inputs, Python floats
or float arrays, no copies), with the same expressions in the same order of operations.

References
----------
.. [1] dYdX v4 docs, Margin and Liquidations (liquidatable when the total account value is
   below the total maintenance margin requirement),
   https://github.com/dydxprotocol/v4-documentation/blob/3e475b73231a5de7e5a8a55c54047d94578060e5/docs/pages/concepts/trading/liquidations.mdx
.. [2] Binance, Liquidation protocol (liquidated when collateral < maintenance margin), as
   mirrored at https://docs.traderwagon.com/faq/futures-trading-introduction/liquidation-protocol ;
   Binance, "Leverage and Margin of USDⓈ-M Futures",
   https://www.binance.com/en/support/faq/360033162192
.. [3] Hyperliquid docs, Liquidations (liquidation when account equity falls below the
   maintenance margin), https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
.. [4] Drift docs, Liquidations (liquidatable when total collateral is below the maintenance
   margin requirement),
   https://docs.drift.trade/liquidations
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v

__all__ = [
    "is_liquidated",
    "isolated_liquidated",
    "cross_liquidated",
    "LiquidationSettlement",
    "settle",
]


# ------------------------------------------------------------------ numeric fast paths ---

def _liquidated(*, equity, maintenance):
    """THE liquidation test, strictly below maintenance (floats or arrays, no checks)."""
    return equity < maintenance


def _isolated_equity(*, margin, signed_size, price, entry_price):
    """``M + (s·q)·(P − E)``: the isolated equity, in the engine's order of operations."""
    return margin + signed_size * (price - entry_price)


def _maintenance(*, size, price, maintenance_margin_rate):
    """``q·P·m``, in the engine's order of operations."""
    return size * price * maintenance_margin_rate


def _settle(equity, fee_cap):
    """``(fee, returned, bad_debt)`` of a liquidation with ``fee_cap = f·N`` (no checks).

    ``returned = max(Eq − fee, 0)`` and ``bad_debt = max(−(Eq − fee), 0)``, which equals
    ``max(−Eq, 0)`` exactly (the fee is 0 when ``Eq <= 0`` and at most ``Eq`` otherwise).
    Python floats take the builtin path (no numpy overhead in the account engine).
    """
    if isinstance(equity, float) and isinstance(fee_cap, float):
        fee = min(fee_cap, max(equity, 0.0))
        return fee, *_remainder(equity - fee)
    fee = np.minimum(fee_cap, np.maximum(equity, 0.0))
    return (fee, *_remainder(equity - fee))


def _remainder(after_fees):
    """``(returned, bad_debt) = (max(x, 0), max(−x, 0))`` of the equity left after fees."""
    if isinstance(after_fees, float):
        return max(0.0, after_fees), max(0.0, -after_fees)
    return np.maximum(after_fees, 0.0), np.maximum(-after_fees, 0.0)


def _cross_fees(equity, fee_caps):
    """Fees of a cross liquidation charged position by position from what is left.

    ``fee_i = min(f_i·N_i, remaining)`` with ``remaining`` starting at ``max(Eq, 0)``: they
    sum to ``min(Σ f_i·N_i, max(Eq, 0))`` (up to rounding), the fee of :func:`settle` on the
    whole account. ``fee_caps`` is a sequence (one per position) of floats or arrays.
    """
    scalar = isinstance(equity, float)
    remaining = max(equity, 0.0) if scalar else np.maximum(equity, 0.0)
    fees = []
    for cap in fee_caps:
        fee = min(cap, remaining) if scalar else np.minimum(cap, remaining)
        remaining = remaining - fee
        fees.append(fee)
    return fees


def _bool_out(arr):
    return bool(arr) if np.ndim(arr) == 0 else arr


# ---------------------------------------------------------------------- public faces ---

def is_liquidated(*, equity, maintenance):
    """Whether equity is strictly below maintenance (vectorised).

    Parameters
    ----------
    equity : float or array_like
        Isolated ``M + s·q·(P − E)`` or cross ``W + Σ s·q·(P − E)``, any finite number.
    maintenance : float or array_like
        The maintenance requirement, >= 0.

    Returns
    -------
    bool or ndarray of bool
        ``equity < maintenance``; equity exactly at maintenance is **not** liquidated.

    References
    ----------
    .. [1] Hyperliquid docs, Liquidations,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
    .. [2] Drift docs, Liquidations, https://docs.drift.trade/liquidations

    Examples
    --------
    >>> is_liquidated(equity=[4.9, 5.0, 5.1], maintenance=5.0)
    array([ True, False, False])
    """
    equity = v.finite("equity", equity)
    maintenance = v.nonnegative("maintenance", maintenance)
    equity, maintenance = v.broadcast(equity=equity, maintenance=maintenance)
    return _bool_out(_liquidated(equity=equity, maintenance=maintenance))


def _check_position(side, size, entry_price, maintenance_margin_rate, price):
    s = v.side_sign(side)
    return (s, v.nonnegative("size", size), v.positive("entry_price", entry_price),
            v.unit_rate("maintenance_margin_rate", maintenance_margin_rate),
            v.positive("price", price))


def isolated_liquidated(side, *, size, entry_price, margin, maintenance_margin_rate, price):
    """Whether isolated positions are strictly below maintenance at ``price`` (vectorised).

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size : float or array_like
        Base units, >= 0; a size of 0 means "no position" and is never liquidated.
    entry_price : float or array_like
        > 0.
    margin : float or array_like
        The position's margin now (after funding it may be <= 0), any finite number.
    maintenance_margin_rate : float or array_like
        ``m`` in [0, 1).
    price : float or array_like
        Mark price, > 0.

    Returns
    -------
    bool or ndarray of bool
        ``size > 0 and M + s·q·(P − E) < q·P·m``, broadcast over all inputs.

    References
    ----------
    .. [1] Hyperliquid docs, Liquidations (an isolated position is liquidated on its own
       margin and unrealized PnL),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations

    Examples
    --------
    A 10× long of 1 at 100 (margin 10, m = 0.5 %) is liquidated below 90/0.995 = 90.45…;
    at 90.5 its equity (0.5) is above maintenance (0.4525):

    >>> isolated_liquidated("long", size=1.0, entry_price=100.0, margin=10.0,
    ...                     maintenance_margin_rate=0.005, price=[91.0, 90.5, 90.0])
    array([False, False,  True])
    """
    s, size, entry_price, m, price = _check_position(side, size, entry_price,
                                                     maintenance_margin_rate, price)
    margin = v.finite("margin", margin)
    s, size, entry_price, margin, m, price = v.broadcast(
        side=s, size=size, entry_price=entry_price, margin=margin,
        maintenance_margin_rate=m, price=price)  # a mismatch names both arguments
    with np.errstate(over="ignore", invalid="ignore"):  # inf equity still compares right
        equity = _isolated_equity(margin=margin, signed_size=s * size, price=price,
                                  entry_price=entry_price)
        maintenance = _maintenance(size=size, price=price, maintenance_margin_rate=m)
    v.result(equity - maintenance, margin=margin, size=size, entry_price=entry_price,
             price=price)
    return _bool_out((size > 0) & _liquidated(equity=equity, maintenance=maintenance))


def cross_liquidated(side, *, size, entry_price, wallet, maintenance_margin_rate, price,
                     axis=-1):
    """Whether cross accounts are strictly below maintenance (vectorised; positions on ``axis``).

    Parameters
    ----------
    side : array_like of {"long", "short"}
        Per position.
    size, entry_price, maintenance_margin_rate, price : array_like
        Per position, broadcast together with ``side``; the position axis is ``axis``.
        ``size`` 0 means "no position" (e.g. already closed).
    wallet : float or array_like
        Cross wallet, any finite number; broadcasts against the result (the other axes).
    axis : int, optional
        The position axis (default the last: ``(paths, positions)``).

    Returns
    -------
    bool or ndarray of bool
        ``any(size > 0) and W + Σ s·q·(P − E) < Σ q·P·m``, summed over ``axis``.

    References
    ----------
    .. [1] Hyperliquid docs, Liquidations (cross: the cross margin and all cross positions
       together), https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
    .. [2] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93

    Examples
    --------
    The TorchTrade case: wallet 5, a long of 1 at 100 and a second long needing 4.

    >>> cross_liquidated(["long", "long"], size=[1.0, 1.0], entry_price=[100.0, 1_000.0],
    ...                  wallet=5.0, maintenance_margin_rate=0.004,
    ...                  price=[[99.41, 1_000.0], [99.39, 1_000.0]])
    array([False,  True])
    """
    s, size, entry_price, m, price = _check_position(side, size, entry_price,
                                                     maintenance_margin_rate, price)
    wallet = v.finite("wallet", wallet)
    s, size, entry_price, m, price = v.broadcast(
        side=s, size=size, entry_price=entry_price, maintenance_margin_rate=m, price=price)
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)) or \
            not -s.ndim <= axis < s.ndim:
        raise ValueError(f"axis must be an int naming an axis of the positions (ndim "
                         f"{s.ndim}), got {axis!r}")
    with np.errstate(over="ignore", invalid="ignore"):
        upnl = s * size * (price - entry_price)
        maintenance = _maintenance(size=size, price=price, maintenance_margin_rate=m)
    held = np.any(np.broadcast_to(size, upnl.shape) > 0, axis=axis)
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(upnl, axis=axis)
        v.broadcast(wallet=wallet, price=total)  # wallet broadcasts against the other axes
        equity = wallet + total
        needed = np.sum(maintenance, axis=axis)
        surplus = equity - needed
    v.result(surplus, wallet=wallet, size=size, entry_price=entry_price, price=price)
    return _bool_out(held & _liquidated(equity=equity, maintenance=needed))


@dataclass(frozen=True)
class LiquidationSettlement:
    """Where the equity of a liquidated position (or cross account) goes, quote currency.

    Attributes
    ----------
    fee : float or ndarray
        Liquidation fee charged: ``min(f·notional, max(equity, 0))``.
    returned : float or ndarray
        Left for the wallet: ``max(equity − fee, 0)``.
    bad_debt : float or ndarray
        Loss beyond the collateral: ``max(−equity, 0)``.
    """

    fee: object
    returned: object
    bad_debt: object

    def __post_init__(self):
        """Each field finite and >= 0, the three of one shape (also via ``dataclasses.replace``)."""
        names = ("fee", "returned", "bad_debt")
        arrays = {n: v.nonnegative(n, getattr(self, n)) for n in names}
        v.broadcast(**arrays)  # a mismatch names both fields
        for n in names:
            object.__setattr__(self, n, v.scalar_or_array(arrays[n]))


def settle(*, equity, notional, liquidation_fee_rate=0.0):
    """Fee, refund and bad debt of a liquidation at the mark (vectorised).

    Parameters
    ----------
    equity : float or array_like
        Isolated: ``margin + UPNL``; cross: ``wallet + Σ UPNL``. Any finite number.
    notional : float or array_like
        ``q·P`` at the liquidation mark (cross: ``Σ q·P``), >= 0.
    liquidation_fee_rate : float or array_like, optional
        ``f`` in [0, 1] (1 = 100 %: the fee takes whatever equity is left).

    Returns
    -------
    LiquidationSettlement

    Notes
    -----
    ``fee = min(f·N, max(Eq, 0))``, ``returned = max(Eq − fee, 0)``,
    ``bad_debt = max(−Eq, 0)``; ``returned − bad_debt = Eq − fee``. :class:`Account`
    charges a cross account's fees position by position from what is left, which sums to the
    same fee.

    References
    ----------
    .. [1] dYdX v4 docs, Liquidations (the insurance fund covers negative equity),
       https://github.com/dydxprotocol/v4-documentation/blob/3e475b73231a5de7e5a8a55c54047d94578060e5/docs/pages/concepts/trading/liquidations.mdx

    Examples
    --------
    dYdX's example: 100 of collateral, long 500 at 1, closed at 0.77 → the insurance fund
    pays 15.

    >>> out = settle(equity=100 + 500 * (0.77 - 1), notional=500 * 0.77,
    ...              liquidation_fee_rate=0.015)
    >>> round(out.fee, 2), out.returned, round(out.bad_debt, 2)
    (0.0, 0.0, 15.0)

    A 100 % fee takes everything that is left:

    >>> settle(equity=3.0, notional=50.0, liquidation_fee_rate=1.0)
    LiquidationSettlement(fee=3.0, returned=0.0, bad_debt=0.0)
    """
    equity = v.finite("equity", equity)
    notional = v.nonnegative("notional", notional)
    rate = v.fee_rate("liquidation_fee_rate", liquidation_fee_rate)
    equity, notional, rate = v.broadcast(equity=equity, notional=notional,
                                         liquidation_fee_rate=rate)
    fee, returned, bad = _settle(equity, fee_cap=notional * rate)
    f = v.scalar_or_array
    return LiquidationSettlement(f(fee), f(returned), f(bad))
