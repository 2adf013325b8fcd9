"""The liquidation region of a two-token cross account, in the (price A, price B) plane.

A cross account with wallet ``W`` and two positions (``s = ±1`` for the side, ``q`` size,
``E`` entry, ``m`` maintenance rate) is liquidated when its equity falls strictly below its
maintenance (:mod:`marginlib.settlement`):

    ``W + s_A·q_A·(P_A − E_A) + s_B·q_B·(P_B − E_B) < q_A·P_A·m_A + q_B·P_B·m_B``.

Both sides are linear in the prices, so the boundary is a straight line

    ``C + k_A·P_A + k_B·P_B = 0``,
    with ``k = q·(s − m)`` and ``C = W − s_A·q_A·E_A − s_B·q_B·E_B``,

and the liquidated region is the open half-plane where the left side is < 0 (the line itself,
equity exactly at maintenance, is not liquidated).

**Why a cross liquidation price "assumes the other prices don't move".** The liquidation price
a venue shows for position A (Binance ``WB − TMM₁ + UPNL₁``, dYdX ``MMR_o``,
:func:`marginlib.liquidation.liquidation_price` with ``other_maintenance`` and
``other_unrealized_pnl``) is where this line crosses the horizontal line
``P_B = current P_B``: one point of the boundary, an *intercept*. When B moves, the point slides along the line. With two longs
(``k_A, k_B > 0``) the line slopes down: if B falls, A's liquidation price rises toward the
current price; correlated falls reach the boundary sooner than either intercept suggests.
With a long and a short of equal notional (a hedge) the line slopes up and runs close to the
ray from the origin through the current prices: a common percentage move of both tokens
changes the margin surplus only through the maintenance term (``−m·Σ q·P``), which is why
cross margin suits delta-neutral pairs.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v

__all__ = [
    "CrossLiquidationBoundary",
    "cross_liquidation_boundary",
    "equity_minus_maintenance",
]

#: Number of points of the default price-A grid.
DEFAULT_GRID_POINTS = 201


def _pair(name, value, check):
    arr = check(name, value)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] not in (1, 2)):
        raise ValueError(f"{name} must hold two values (token A, token B), got shape {arr.shape}")
    return np.broadcast_to(arr, (2,)).astype(float)


def _account_terms(side, sizes, entry_prices, wallet, maintenance_margin_rate):
    s = v.side_sign(side)
    if s.shape != (2,):
        raise ValueError(f"side must hold two values (token A, token B), got {side!r}")
    q = _pair("sizes", sizes, v.positive)
    e = _pair("entry_prices", entry_prices, v.positive)
    m = _pair("maintenance_margin_rate", maintenance_margin_rate, v.unit_rate)
    w = v.finite("wallet", wallet)
    if w.ndim != 0:
        raise ValueError(f"wallet must be a single number, got an array of shape {w.shape}")
    return s, q, e, float(w), m


def _surplus(s, q, e, w, m, pa, pb):
    return (w + s[0] * q[0] * (pa - e[0]) + s[1] * q[1] * (pb - e[1])
            - q[0] * pa * m[0] - q[1] * pb * m[1])


@dataclass(frozen=True)
class CrossLiquidationBoundary:
    """The line ``equity = maintenance`` of a two-token cross account, and its intercepts.

    Attributes
    ----------
    price_a : ndarray
        Grid of token A prices.
    price_b : ndarray
        For each ``price_a``, the token B price on the boundary; NaN where that price would be
        <= 0 (no positive B price is on the boundary there).
    liquidation_price_a : float
        A's cross liquidation price holding B at ``mark_price_b`` (the intercept on the line
        ``P_B = mark_price_b``); equals :func:`marginlib.liquidation_price` with the other
        position's maintenance and UPNL. 0 if A cannot be liquidated at a positive price.
    liquidation_price_b : float
        B's, holding A at ``mark_price_a``.
    mark_price_a, mark_price_b : float
        Current prices (the point the intercepts are taken through).
    margin_surplus : float
        Equity minus maintenance at the current prices (< 0: already liquidated).
    slope : float
        ``dP_B/dP_A`` along the boundary, ``−k_A/k_B``: negative for two longs or two shorts,
        positive for a long/short pair.
    liquidated_below : bool
        For a fixed ``P_A``, True when B prices *below* the boundary are liquidated (B is
        long), False when prices above are (B is short).
    """

    price_a: object
    price_b: object
    liquidation_price_a: float
    liquidation_price_b: float
    mark_price_a: float
    mark_price_b: float
    margin_surplus: float
    slope: float
    liquidated_below: bool


def equity_minus_maintenance(side, *, prices_a, prices_b, sizes, entry_prices, wallet,
                             maintenance_margin_rate=0.0):
    """Cross equity minus cross maintenance of a two-token account at prices (A, B).

    Parameters
    ----------
    side : pair of {"long", "short"}
        Sides of the A and B positions.
    prices_a, prices_b : float or array_like
        Prices of token A and token B, > 0, broadcast together. For a contour plot pass a
        grid: ``np.meshgrid(grid_a, grid_b)`` (or ``grid_a[None, :]`` and ``grid_b[:, None]``).
    sizes, entry_prices : pair of float
        Sizes (> 0) and entry prices (> 0) of the A and B positions.
    wallet : float
        Cross wallet balance, quote currency.
    maintenance_margin_rate : float or pair of float, optional
        ``m`` of each position, in [0, 1).

    Returns
    -------
    float or ndarray
        ``W + Σ s·q·(P − E) − Σ q·P·m``; the account is liquidated where it is < 0.

    Notes
    -----
    The same quantity :class:`marginlib.account.Account` compares to zero in its cross check
    (``cross_equity() − cross_maintenance()``).

    Examples
    --------
    The TorchTrade account (wallet 5; longs of 1 at 100 and of 1 at 1,000; MMR 0.4 %): at the
    current prices the margin surplus is 5 − 4.4 = 0.6.

    >>> account = dict(sizes=[1, 1], entry_prices=[100, 1_000], wallet=5,
    ...                maintenance_margin_rate=0.004)
    >>> round(equity_minus_maintenance(["long", "long"], prices_a=100, prices_b=1_000,
    ...                                **account), 10)
    0.6
    >>> grid_a, grid_b = np.meshgrid([90.0, 100.0, 110.0], [900.0, 1_000.0])
    >>> equity_minus_maintenance(["long", "long"], prices_a=grid_a, prices_b=grid_b,
    ...                          **account).shape
    (2, 3)
    """
    s, q, e, w, m = _account_terms(side, sizes, entry_prices, wallet, maintenance_margin_rate)
    pa = v.positive("prices_a", prices_a)
    pb = v.positive("prices_b", prices_b)
    v.broadcast(prices_a=pa, prices_b=pb)  # a mismatch names both arguments
    with np.errstate(all="ignore"):
        surplus = _surplus(s, q, e, w, m, pa, pb)
    return v.result(surplus, prices_a=pa, prices_b=pb, wallet=w, sizes=q, entry_prices=e)


def cross_liquidation_boundary(side, *, sizes, entry_prices, wallet, maintenance_margin_rate=0.0,
                               price_a=None, mark_prices=None):
    """Boundary of the liquidation region of a two-token cross account, with its intercepts.

    Parameters
    ----------
    side : pair of {"long", "short"}
        Sides of the A and B positions.
    sizes, entry_prices : pair of float
        Sizes (base units, > 0) and entry prices (> 0).
    wallet : float
        Cross wallet balance, quote currency.
    maintenance_margin_rate : float or pair of float, optional
        ``m`` of each position, in [0, 1).
    price_a : array_like, optional
        Token A prices (>= 0) at which to evaluate the boundary; defaults to
        ``DEFAULT_GRID_POINTS`` points from 0 to twice ``mark_prices[0]``.
    mark_prices : pair of float, optional
        Current prices of A and B (> 0), the point the single-position liquidation prices are
        taken through; defaults to ``entry_prices``.

    Returns
    -------
    CrossLiquidationBoundary

    Notes
    -----
    Liquidation when ``W + Σ s·q·(P − E) < Σ q·P·m``, i.e. ``C + k_A·P_A + k_B·P_B < 0``
    with ``k = q·(s − m)`` and ``C = W − Σ s·q·E``. The boundary is
    ``P_B = −(C + k_A·P_A)/k_B``; ``k_B`` is never 0 because ``m < 1``. A's intercept
    ``−(C + k_B·P_B,now)/k_A`` is G1 with ``M' = W − q_B·P_B·m_B + s_B·q_B·(P_B − E_B)``: the
    cross liquidation price of A *if B stays where it is*.

    References
    ----------
    .. [1] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
       (``WB − TMM₁ + UPNL₁``),
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    .. [2] dYdX v4 docs, Margin (cross: ``MMR_o``),
       https://github.com/dydxprotocol/v4-documentation/blob/3e475b73231a5de7e5a8a55c54047d94578060e5/docs/pages/concepts/trading/margin.mdx

    Examples
    --------
    The TorchTrade account: A's intercept is 99.40 (B held at 1,000). If B falls by 1, A's
    liquidation price rises: the boundary slopes down.

    >>> b = cross_liquidation_boundary(["long", "long"], sizes=[1, 1], entry_prices=[100, 1_000],
    ...                                wallet=5, maintenance_margin_rate=0.004,
    ...                                price_a=[99.0, 99.4, 100.0])
    >>> round(b.liquidation_price_a, 2), round(b.liquidation_price_b, 2)
    (99.4, 999.4)
    >>> round(b.slope, 4), b.liquidated_below
    (-1.0, True)

    A long/short pair: the boundary slopes up, a common move barely changes the margin.

    >>> h = cross_liquidation_boundary(["long", "short"], sizes=[1, 1], entry_prices=[100, 100],
    ...                                wallet=5, maintenance_margin_rate=0.004)
    >>> round(h.slope, 4), h.liquidated_below
    (0.992, False)
    """
    s, q, e, w, m = _account_terms(side, sizes, entry_prices, wallet, maintenance_margin_rate)
    marks = e if mark_prices is None else _pair("mark_prices", mark_prices, v.positive)
    if price_a is None:
        grid = np.linspace(0.0, 2.0 * marks[0], DEFAULT_GRID_POINTS)
    else:
        grid = v.nonnegative("price_a", price_a)
    named = dict(sizes=q, entry_prices=e, wallet=w)
    with np.errstate(all="ignore"):
        k = q * (s - m)
        c = w - np.sum(s * q * e)
        raw_b = -(c + k[0] * grid) / k[1]
        liq = np.array([-(c + k[1] * marks[1]) / k[0], -(c + k[0] * marks[0]) / k[1]])
        surplus = _surplus(s, q, e, w, m, marks[0], marks[1])
    v.result(raw_b, price_a=grid, **named)  # inf/NaN from magnitudes near the float limits
    v.result(liq, mark_prices=marks, **named)
    v.result(surplus, mark_prices=marks, **named)
    price_b = np.where(raw_b > 0, raw_b, np.nan)
    liq_a, liq_b = max(float(liq[0]), 0.0), max(float(liq[1]), 0.0)
    return CrossLiquidationBoundary(
        price_a=grid, price_b=price_b, liquidation_price_a=float(liq_a),
        liquidation_price_b=float(liq_b), mark_price_a=float(marks[0]),
        mark_price_b=float(marks[1]), margin_surplus=float(surplus),
        slope=float(-k[0] / k[1]), liquidated_below=bool(k[1] > 0))
