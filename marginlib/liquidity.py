"""Execution cost: order books, depth curves, a constant-product AMM, and what slippage does.

A market order does not trade at the mark: it walks the book. This module gives the average
fill price and slippage of a market order of any size, both sides, against

* an :class:`OrderBook` given as price levels (:func:`fill`);
* a **depth curve** such as "$50k within ±2 %" (dYdX's listing criterion): :func:`depth_book`
  builds a levelled book from it and :func:`depth_fill` gives the same fill in closed form;
* a constant-product AMM ``x·y = k`` (:func:`amm_fill`);

and carries the slippage into the trader's numbers: net PnL of a round trip
(:func:`realized_pnl_with_slippage`, on :func:`marginlib.position.realized_pnl`), the
break-even move (:func:`break_even_with_slippage`, on :func:`marginlib.costs.break_even_move`),
the realised loss of a liquidation closed into a book (:func:`liquidate_into_book`, on
:func:`marginlib.liquidation.liquidation_outcome` and so on the settlement kernel of
:mod:`marginlib.settlement`), and the maintenance rate a book's depth calls for
(:func:`maintenance_rate_from_depth`).

Conventions
-----------
* ``side`` of an **order** is ``"buy"`` or ``"sell"``; ``"long"`` means ``"buy"`` and
  ``"short"`` means ``"sell"`` (opening a long buys, opening a short sells). Functions about a
  **position** take the position's ``"long"``/``"short"``.
* Sizes are base units, prices quote per base unit; ``slippage`` is a cost fraction of the
  reference (mid) price, ``>= 0`` for any order into a non-crossed book: buy
  ``avg/mid − 1``, sell ``1 − avg/mid`` (half the spread included).
* **Linear depth** (:func:`depth_book`, :func:`depth_fill`): the base size resting between the
  half-spread ``h`` and a distance ``x`` from the mid is ``ρ·(x − h)`` with
  ``ρ = depth/(within·mid)``: ``depth`` is quote notional *valued at the mid* per ``within``
  of price distance. Selling ``q`` walks the price to ``mid·(1 − h − q/ρ)`` and fills on
  average at ``mid·(1 − h − q/(2ρ))``: selling the whole "$50k within 2 %" moves the price
  2 % and costs 1 % on average.
* **An order larger than the book** fills what exists and reports the rest as
  ``unfilled_size`` (the average price is over the filled part). Functions that need the
  whole order filled (PnL, liquidation) raise ``ValueError`` naming ``size`` instead.

References
----------
.. [1] dYdX v4 docs, governance (liquidity tiers set "according to the depth of the relative
   market's book"),
   https://docs.dydx.community/dydx-unlimited/modules/governance/governance-adjustable-parameters/markets
.. [2] Considered.finance, "Framework for Setting dYdX Margin Risk Parameters" (margin
   parameters as a function of observed order-book depth),
   http://considered.finance/framework-for-setting-dydx-margin-risk-parameters/ ; the
   Chaos Labs / Considered.finance dYdX Risk Parameter Recommendation Portal,
   https://dydx.forum/t/dydx-risk-parameter-recommendation-portal/324
.. [3] H. Adams, N. Zinsmeister, D. Robinson, "Uniswap v2 Core" (2020), constant product
   ``x·y = k`` with a 0.3 % fee on the input, https://uniswap.org/whitepaper.pdf
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _validation as v
from .costs import break_even_move
from .liquidation import liquidation_outcome, liquidation_price
from .position import realized_pnl
from .settlement import _isolated_equity, _liquidated, _maintenance
from .units import HOURS_PER_YEAR

__all__ = [
    "OrderBook",
    "Fill",
    "fill",
    "depth_book",
    "depth_fill",
    "AmmFill",
    "amm_fill",
    "SlippagePnl",
    "realized_pnl_with_slippage",
    "SlippageBreakEven",
    "break_even_with_slippage",
    "BookLiquidation",
    "liquidate_into_book",
    "maintenance_rate_from_depth",
]

_ORDER_SIDES = {"buy": 1.0, "long": 1.0, "sell": -1.0, "short": -1.0}


def _order_sign(side):
    """+1 for "buy"/"long", −1 for "sell"/"short" (one order side, a string)."""
    if not isinstance(side, str) or side not in _ORDER_SIDES:
        shown = repr(side) if len(repr(side)) <= 80 else repr(side)[:77] + "..."
        raise ValueError(f"side must be 'buy' or 'sell' (or 'long'/'short'), got {shown}")
    return _ORDER_SIDES[side]


def _position_sign(side):
    """+1.0 / −1.0 for one position side "long"/"short" (refuses arrays: one trade)."""
    if not isinstance(side, str):
        raise ValueError(f"side must be 'long' or 'short' (one position), got {side!r}")
    return float(v.side_sign(side))


# ------------------------------------------------------------------------- order book ---

def _levels(name, value):
    arr = v.positive(name, value)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers, got shape "
                         f"{arr.shape}")
    return arr


@dataclass(frozen=True, eq=False)
class OrderBook:
    """An order book as price levels, best first (validated when built or replaced).

    Attributes
    ----------
    bid_prices : array_like
        Bid prices, > 0, strictly decreasing (best bid first).
    bid_sizes : array_like
        Base size resting at each bid, > 0, same length as ``bid_prices``.
    ask_prices : array_like
        Ask prices, > 0, strictly increasing (best ask first); the best ask must be above the
        best bid (a crossed or locked book is refused).
    ask_sizes : array_like
        Base size at each ask, > 0.

    The arrays are stored as read-only float arrays. Properties: :attr:`best_bid`,
    :attr:`best_ask`, :attr:`mid_price`, :attr:`spread` (a fraction of the mid), and
    :meth:`depth` (quote notional within a distance of the mid).

    Examples
    --------
    >>> book = OrderBook(bid_prices=[99.0, 98.0], bid_sizes=[1.0, 2.0],
    ...                  ask_prices=[101.0, 102.0], ask_sizes=[1.0, 2.0])
    >>> book.mid_price, book.spread
    (100.0, 0.02)
    """

    bid_prices: object
    bid_sizes: object
    ask_prices: object
    ask_sizes: object

    def __post_init__(self):
        arrays = {}
        for name in ("bid_prices", "bid_sizes", "ask_prices", "ask_sizes"):
            arr = _levels(name, getattr(self, name)).copy()
            arr.setflags(write=False)
            arrays[name] = arr
        for side in ("bid", "ask"):
            p, q = arrays[f"{side}_prices"], arrays[f"{side}_sizes"]
            if p.shape != q.shape:
                raise ValueError(f"{side}_prices (shape {p.shape}) and {side}_sizes (shape "
                                 f"{q.shape}) must have the same length: one size per level")
        if np.any(np.diff(arrays["bid_prices"]) >= 0):
            raise ValueError("bid_prices must be strictly decreasing (best bid first), got "
                             f"{v._short(self.bid_prices)}")
        if np.any(np.diff(arrays["ask_prices"]) <= 0):
            raise ValueError("ask_prices must be strictly increasing (best ask first), got "
                             f"{v._short(self.ask_prices)}")
        if arrays["ask_prices"][0] <= arrays["bid_prices"][0]:
            raise ValueError(f"ask_prices must start above bid_prices (best ask "
                             f"{arrays['ask_prices'][0]!r} <= best bid "
                             f"{arrays['bid_prices'][0]!r}: a crossed book)")
        for side in ("bid", "ask"):
            with np.errstate(over="ignore"):
                quote = np.sum(arrays[f"{side}_prices"] * arrays[f"{side}_sizes"])
            if not np.isfinite(quote):
                raise ValueError(f"{side}_prices × {side}_sizes overflows: the book's quote "
                                 "notional must be within the float range")
        for name, arr in arrays.items():
            object.__setattr__(self, name, arr)

    @property
    def best_bid(self):
        """Highest bid price."""
        return float(self.bid_prices[0])

    @property
    def best_ask(self):
        """Lowest ask price."""
        return float(self.ask_prices[0])

    @property
    def mid_price(self):
        """``(best_bid + best_ask)/2``: the reference price for slippage."""
        return 0.5 * self.best_bid + 0.5 * self.best_ask

    @property
    def spread(self):
        """Quoted spread as a fraction of the mid: ``(ask − bid)/mid``."""
        return (self.best_ask - self.best_bid) / self.mid_price

    def depth(self, within):
        """Quote notional resting within ``within`` (a fraction) of the mid, ``(bids, asks)``.

        >>> book = OrderBook(bid_prices=[99.0, 97.0], bid_sizes=[1.0, 2.0],
        ...                  ask_prices=[101.0, 103.0], ask_sizes=[1.0, 2.0])
        >>> book.depth(0.02)
        (99.0, 101.0)
        """
        w = float(v.positive("within", within))
        if np.ndim(within) != 0:
            raise ValueError(f"within must be one number, got {v._short(within)}")
        mid = self.mid_price
        bids = self.bid_prices >= mid * (1.0 - w)
        asks = self.ask_prices <= mid * (1.0 + w)
        return (float(np.sum(self.bid_prices[bids] * self.bid_sizes[bids])),
                float(np.sum(self.ask_prices[asks] * self.ask_sizes[asks])))


@dataclass(frozen=True)
class Fill:
    """A market order's execution.

    Attributes
    ----------
    average_price : float or ndarray
        Quote paid (buy) or received (sell) ÷ base filled.
    slippage : float or ndarray
        Cost as a fraction of ``reference_price``: buy ``avg/ref − 1``, sell ``1 − avg/ref``.
    filled_size : float or ndarray
        Base filled.
    unfilled_size : float or ndarray
        Base the book could not fill (0 unless the order is larger than the book).
    notional : float or ndarray
        Quote exchanged, ``average_price × filled_size``.
    last_price : float or ndarray
        The worst price touched (the price the order walked the book to).
    reference_price : float
        The mid price slippage is measured from.
    """

    average_price: object
    slippage: object
    filled_size: object
    unfilled_size: object
    notional: object
    last_price: object
    reference_price: float


def fill(book, side, *, size):
    """Average price and slippage of a market order walking an :class:`OrderBook`.

    Parameters
    ----------
    book : OrderBook
    side : {"buy", "sell"} (or "long"/"short")
        A buy takes the asks, a sell hits the bids.
    size : float or array_like
        Base units, > 0 (an array gives one fill per size).

    Returns
    -------
    Fill
        An order larger than the side of the book fills what rests there; the rest is
        ``unfilled_size`` (nothing is invented beyond the last level).

    Notes
    -----
    With levels ``(p_k, q_k)`` best first and ``Q_k = Σ_{j<=k} q_j``, an order of ``q`` that
    ends in level ``k`` pays ``Σ_{j<k} p_j q_j + (q − Q_{k−1})·p_k``; average price = that
    ÷ ``q``. Slippage is measured from the mid, so it includes half the spread.

    Examples
    --------
    Buying 2 from asks 1 @ 101, 2 @ 102: 101 + 102 = 203 → average 101.5, 1.5 % above the
    mid of 100.

    >>> book = OrderBook(bid_prices=[99.0, 98.0], bid_sizes=[1.0, 2.0],
    ...                  ask_prices=[101.0, 102.0], ask_sizes=[1.0, 2.0])
    >>> f = fill(book, "buy", size=2.0)
    >>> f.average_price, round(f.slippage, 10), f.last_price
    (101.5, 0.015, 102.0)
    >>> fill(book, "sell", size=5.0).unfilled_size
    2.0
    """
    if not isinstance(book, OrderBook):
        raise ValueError(f"book must be an OrderBook, got {type(book).__name__}")
    s = _order_sign(side)
    q = v.positive("size", size)
    prices, sizes = ((book.ask_prices, book.ask_sizes) if s > 0
                     else (book.bid_prices, book.bid_sizes))
    return _walk(prices, sizes, q, s, book.mid_price)


def _walk(prices, sizes, q, s, mid):
    cum_q = np.cumsum(sizes)
    cum_quote = np.cumsum(prices * sizes)
    total = cum_q[-1]
    filled = np.minimum(q, total)
    k = np.minimum(np.searchsorted(cum_q, filled, side="left"), prices.size - 1)
    before_q = np.where(k > 0, cum_q[k - 1], 0.0)
    before_quote = np.where(k > 0, cum_quote[k - 1], 0.0)
    with np.errstate(all="ignore"):
        quote = before_quote + (filled - before_q) * prices[k]
        avg = quote / filled
        slip = s * (avg / mid - 1.0)
    f = v.scalar_or_array
    v.result(quote, size=q)
    return Fill(f(avg), f(slip), f(filled),
                f(q - filled), f(quote), f(prices[k]), float(mid))


# ---------------------------------------------------------------------- depth curves ---

def _depth_args(mid_price, depth, within, spread, extent):
    for name, x in (("mid_price", mid_price), ("depth", depth), ("within", within),
                    ("spread", spread), ("extent", extent)):
        if np.ndim(v.as_float_array(name, x)) != 0:
            raise ValueError(f"{name} must be one number, got {v._short(x)}")
    mid = float(v.positive("mid_price", mid_price))
    d = float(v.positive("depth", depth))
    w = float(v.positive("within", within))
    h = float(v.nonnegative("spread", spread)) / 2.0
    e = float(v.positive("extent", extent))
    if w >= 1.0:
        raise ValueError(f"within must be a fraction below 1 (0.02 = ±2 %), got {within!r}")
    if h >= 1.0:
        raise ValueError(f"spread must be below 2 (a half-spread below 100 %), got {spread!r}")
    if not h < e <= 1.0:
        raise ValueError(f"extent must be above the half-spread {h!r} and at most 1 (the bid "
                         f"side reaches price 0 at extent 1), got {extent!r}")
    with np.errstate(all="ignore"):
        rho = d / (w * mid)
    if not (np.isfinite(rho) and rho > 0):
        raise ValueError(f"depth / (within × mid_price) overflows for depth={d!r}, "
                         f"within={w!r}, mid_price={mid!r}")
    return mid, rho, h, e


def depth_book(*, mid_price, depth, within=0.02, spread=0.0, extent=1.0, levels=100):
    """A levelled :class:`OrderBook` with linear depth: ``depth`` quote within ±``within``.

    Parameters
    ----------
    mid_price : float
        > 0.
    depth : float
        Quote notional (valued at the mid) resting per ``within`` of distance from the mid on
        each side, > 0 (dYdX's listing criterion speaks of e.g. "$50k within ±2 %").
    within : float, optional
        The distance that ``depth`` is quoted for, a fraction in (0, 1) (default 0.02).
    spread : float, optional
        Quoted spread as a fraction of the mid, >= 0 (a new listing's wider spread); the book
        starts at the half-spread.
    extent : float, optional
        How far from the mid the book reaches, a fraction in (half-spread, 1]; 1 (default)
        takes the bids down to price 0 (the asks up to twice the mid).
    levels : int, optional
        Price levels per side, >= 1 (default 100).

    Returns
    -------
    OrderBook

    Notes
    -----
    Base density ``ρ = depth/(within·mid)`` per unit of fractional distance, from the
    half-spread ``h`` to ``extent``, cut into ``levels`` equal bins; each bin's size rests at
    the bin's middle price. Since the cost of a uniform bin equals its size at its middle,
    :func:`fill` on this book equals :func:`depth_fill` exactly whenever an order ends on a
    bin boundary, and within half a bin otherwise.

    Examples
    --------
    >>> book = depth_book(mid_price=100.0, depth=50_000.0, within=0.02, extent=0.04, levels=4)
    >>> book.bid_prices.round(6).tolist(), book.bid_sizes.round(6).tolist()
    ([99.5, 98.5, 97.5, 96.5], [250.0, 250.0, 250.0, 250.0])
    """
    mid, rho, h, e = _depth_args(mid_price, depth, within, spread, extent)
    n = v.count("levels", levels)
    edges = h + (e - h) * np.arange(n + 1) / n
    middle = 0.5 * (edges[:-1] + edges[1:])
    sizes = np.full(n, rho * (e - h) / n)
    return OrderBook(bid_prices=mid * (1.0 - middle), bid_sizes=sizes,
                     ask_prices=mid * (1.0 + middle), ask_sizes=sizes)


def depth_fill(side, *, size, mid_price, depth, within=0.02, spread=0.0, extent=1.0):
    """Closed-form fill of a market order against a linear depth curve (vectorised in size).

    Parameters
    ----------
    side : {"buy", "sell"} (or "long"/"short")
    size : float or array_like
        Base units, > 0.
    mid_price, depth, within, spread, extent
        As in :func:`depth_book`.

    Returns
    -------
    Fill
        ``slippage = h + q_f/(2ρ)``, ``last_price = mid·(1 ∓ (h + q_f/ρ))`` with
        ``ρ = depth/(within·mid)``, ``h`` the half-spread and ``q_f`` the filled size (at
        most ``ρ·(extent − h)``; the rest is ``unfilled_size``).

    Examples
    --------
    Selling the whole "$50k within ±2 %" (500 base at a mid of 100) moves the price 2 % and
    fills 1 % below the mid:

    >>> f = depth_fill("sell", size=500.0, mid_price=100.0, depth=50_000.0, within=0.02)
    >>> round(f.average_price, 10), round(f.slippage, 10), round(f.last_price, 10)
    (99.0, 0.01, 98.0)
    """
    s = _order_sign(side)
    q = v.positive("size", size)
    mid, rho, h, e = _depth_args(mid_price, depth, within, spread, extent)
    with np.errstate(all="ignore"):
        avg, slip, filled, quote, last = _linear_fill(s, q, mid, rho, h, e)
    v.result(quote, size=q, mid_price=mid, depth=depth)
    f = v.scalar_or_array
    return Fill(f(avg), f(slip), f(filled), f(q - filled), f(quote), f(last), mid)


def _linear_fill(s, q, mid, rho, h=0.0, e=1.0):
    """THE linear-depth fill (no checks): ``(average, slippage, filled, quote, last_price)``.

    ``s`` = +1 buy / −1 sell, ``q`` base, ``rho`` base per unit of fractional distance from
    ``mid``, half-spread ``h``, book reaching ``e`` from the mid. Used by :func:`depth_fill`
    and the cascade of :mod:`marginlib.sim.cascade`.
    """
    filled = np.minimum(q, rho * (e - h))
    slip = h + filled / (2.0 * rho)
    avg = mid * (1.0 + s * slip)
    return avg, slip, filled, avg * filled, mid * (1.0 + s * (h + filled / rho))


# ------------------------------------------------------------------------------- AMM ---

@dataclass(frozen=True)
class AmmFill:
    """A trade against a constant-product pool.

    Attributes
    ----------
    average_price : float or ndarray
        Quote paid (buy) or received (sell) per base unit, fee included.
    slippage : float or ndarray
        Cost fraction against the pool's spot price before the trade ``y/x``.
    quote_amount : float or ndarray
        Quote paid in (buy) or taken out (sell).
    base_reserve, quote_reserve : float or ndarray
        The pool's reserves after the trade (the fee stays in the pool).
    spot_price : float or ndarray
        ``quote_reserve/base_reserve`` after the trade.
    """

    average_price: object
    slippage: object
    quote_amount: object
    base_reserve: object
    quote_reserve: object
    spot_price: object


def amm_fill(side, *, size, base_reserve, quote_reserve, fee_rate=0.0):
    """Fill price of a trade of ``size`` base against a constant-product pool ``x·y = k``.

    Parameters
    ----------
    side : {"buy", "sell"} (or "long"/"short")
        Buy ``size`` base out of the pool, or sell ``size`` base into it.
    size : float or array_like
        Base units, > 0; a buy must be below ``base_reserve`` (the pool never runs dry: the
        price of the last unit is infinite).
    base_reserve, quote_reserve : float or array_like
        The pool's reserves ``x`` and ``y``, > 0.
    fee_rate : float or array_like, optional
        Fee on the input amount in [0, 1) (Uniswap v2: 0.003).

    Returns
    -------
    AmmFill

    Notes
    -----
    With ``γ = 1 − fee_rate`` (fee taken on the input, Uniswap v2):

    * sell ``Δx``: quote out ``Δy = y·γΔx/(x + γΔx)``; reserves ``(x + Δx, y − Δy)``;
    * buy ``Δx``: quote in ``Δy = y·Δx/(γ·(x − Δx))``; reserves ``(x − Δx, y + Δy)``.

    Without fee ``x·y`` is unchanged; with a fee it grows (the fee stays in the pool).
    Slippage against the spot ``y/x`` is ``Δx/(x − Δx)`` for a fee-free buy and
    ``Δx/(x + Δx)`` for a fee-free sell: a trade of 1 % of the pool costs about 1 %.

    References
    ----------
    .. [1] H. Adams, N. Zinsmeister, D. Robinson, "Uniswap v2 Core" (2020), §3.2.1,
       https://uniswap.org/whitepaper.pdf

    Examples
    --------
    A pool of 1,000 base and 100,000 quote (spot 100); buying 10 base costs
    100,000·10/990 = 1,010.10 quote, 1.01 % above spot:

    >>> f = amm_fill("buy", size=10.0, base_reserve=1_000.0, quote_reserve=100_000.0)
    >>> round(f.quote_amount, 2), round(f.slippage, 6), f.base_reserve
    (1010.1, 0.010101, 990.0)
    """
    s = _order_sign(side)
    q = v.positive("size", size)
    x = v.positive("base_reserve", base_reserve)
    y = v.positive("quote_reserve", quote_reserve)
    fee = v.unit_rate("fee_rate", fee_rate)
    q, x, y, fee = v.broadcast(size=q, base_reserve=x, quote_reserve=y, fee_rate=fee)
    gamma = 1.0 - fee
    inputs = dict(size=q, base_reserve=x, quote_reserve=y, fee_rate=fee)
    with np.errstate(all="ignore"):
        if s > 0:
            if np.any(q >= x):
                bad = q >= x
                raise ValueError(f"size must be below base_reserve for a buy (a constant-"
                                 f"product pool never runs dry), got size="
                                 f"{float(q[bad].flat[0])!r} >= base_reserve="
                                 f"{float(x[bad].flat[0])!r}")
            dy = y * q / (gamma * (x - q))
            new_x, new_y = x - q, y + dy
        else:
            dy = y * gamma * q / (x + gamma * q)
            new_x, new_y = x + q, y - dy
        avg = dy / q
        slip = s * (avg / (y / x) - 1.0)
        spot = new_y / new_x
    for arr in (dy, new_x, new_y, avg, slip, spot):
        v.result(arr, **inputs)
    if np.any(spot <= 0) or np.any(new_y <= 0):
        raise ValueError("size is too large for the pool: the trade takes the quote reserve "
                         "to 0 within float precision")
    f = v.scalar_or_array
    return AmmFill(f(avg), f(slip), f(dy), f(new_x), f(new_y), f(spot))


# ----------------------------------------------------------- slippage in trader maths ---

def _full_fill(book, side, size, name):
    out = fill(book, side, size=size)
    if np.any(np.asarray(out.unfilled_size) > 0):
        have = float(np.sum(book.ask_sizes if _order_sign(side) > 0 else book.bid_sizes))
        raise ValueError(f"size must fit in {name}: the {'asks' if _order_sign(side) > 0 else 'bids'} "
                         f"hold {have!r} base, got size={v._short(size)} (give a deeper book, "
                         "e.g. depth_book with a larger extent)")
    return out


@dataclass(frozen=True)
class SlippagePnl:
    """A round trip's PnL with the fills the books give.

    Attributes
    ----------
    entry_fill, exit_fill : Fill
        The opening and closing market orders.
    pnl : float
        :func:`marginlib.position.realized_pnl` at the fill prices, fees included.
    pnl_at_mid : float
        The same at the two books' mids (no slippage).
    slippage_cost : float
        ``pnl_at_mid − pnl``: what walking the books cost, >= 0 for non-crossed books.
    """

    entry_fill: Fill
    exit_fill: Fill
    pnl: float
    pnl_at_mid: float
    slippage_cost: float


def realized_pnl_with_slippage(side, *, size, entry_book, exit_book, open_fee_rate=0.0,
                               close_fee_rate=0.0):
    """Net PnL of a round trip opened into ``entry_book`` and closed into ``exit_book``.

    Parameters
    ----------
    side : {"long", "short"}
        The position: a long buys into ``entry_book`` and sells into ``exit_book``.
    size : float
        Base units, > 0; both books must hold it (else ``ValueError`` naming ``size``).
    entry_book, exit_book : OrderBook
    open_fee_rate, close_fee_rate : float, optional
        Fees on the traded notional in [0, 1].

    Returns
    -------
    SlippagePnl

    Notes
    -----
    ``pnl = realized_pnl(side, size=q, entry_price=E_fill, exit_price=X_fill, ...)`` with the
    average fill prices of :func:`fill`; ``pnl_at_mid`` uses the mids.

    Examples
    --------
    Long 2 into asks 1 @ 101, 2 @ 102 (fill 101.5), closed into bids 1 @ 109, 2 @ 108 (fill
    108.5) — the mids moved 100 → 110, 20 of PnL at the mids, 14 after slippage:

    >>> a = OrderBook(bid_prices=[99.0, 98.0], bid_sizes=[1.0, 2.0],
    ...               ask_prices=[101.0, 102.0], ask_sizes=[1.0, 2.0])
    >>> b = OrderBook(bid_prices=[109.0, 108.0], bid_sizes=[1.0, 2.0],
    ...               ask_prices=[111.0, 112.0], ask_sizes=[1.0, 2.0])
    >>> r = realized_pnl_with_slippage("long", size=2.0, entry_book=a, exit_book=b)
    >>> r.pnl, r.pnl_at_mid, r.slippage_cost
    (14.0, 20.0, 6.0)
    """
    sign = _position_sign(side)
    if np.ndim(size) != 0:
        raise ValueError(f"size must be one number (one round trip), got {v._short(size)}")
    for name, book in (("entry_book", entry_book), ("exit_book", exit_book)):
        if not isinstance(book, OrderBook):
            raise ValueError(f"{name} must be an OrderBook, got {type(book).__name__}")
    open_side, close_side = ("buy", "sell") if sign > 0 else ("sell", "buy")
    entry = _full_fill(entry_book, open_side, size, "entry_book")
    exit_ = _full_fill(exit_book, close_side, size, "exit_book")
    fees = dict(open_fee_rate=open_fee_rate, close_fee_rate=close_fee_rate)
    pnl = realized_pnl(side, size=size, entry_price=entry.average_price,
                       exit_price=exit_.average_price, **fees)
    at_mid = realized_pnl(side, size=size, entry_price=entry_book.mid_price,
                          exit_price=exit_book.mid_price, **fees)
    return SlippagePnl(entry, exit_, pnl, at_mid, at_mid - pnl)


@dataclass(frozen=True)
class SlippageBreakEven:
    """The mid price an exit needs for a round trip to net zero after slippage and costs.

    Attributes
    ----------
    entry_fill : Fill
        The opening order into the entry book.
    exit_slippage : float
        Slippage of the closing order (the exit book keeps the entry book's shape).
    exit_fill_price : float
        The fill price that nets zero (:func:`marginlib.costs.break_even_move`).
    exit_mid : float
        The mid that gives that fill: ``X/(1 − s_out)`` for a long, ``X/(1 + s_out)`` short.
    price_move : float
        ``exit_mid/entry_mid − 1``: the move the trader needs.
    price_move_without_slippage : float
        The same at mid fills (costs only).
    """

    entry_fill: Fill
    exit_slippage: float
    exit_fill_price: float
    exit_mid: float
    price_move: float
    price_move_without_slippage: float


def break_even_with_slippage(side, *, size, book, open_fee_rate=0.0, close_fee_rate=0.0,
                             funding_rate=0.0, intervals=0, gas_cost=0.0):
    """Break-even move of a round trip opened and closed into books of ``book``'s shape.

    Parameters
    ----------
    side : {"long", "short"}
    size : float
        Base units, > 0; the book must hold it on both sides.
    book : OrderBook
        The book at entry. The exit book is assumed to be the same book moved to the exit
        mid (prices scaled with the mid, base sizes unchanged), so the closing order has the
        same slippage fraction as it would have now.
    open_fee_rate, close_fee_rate, funding_rate, intervals, gas_cost
        As in :func:`marginlib.costs.break_even_move`.

    Returns
    -------
    SlippageBreakEven

    Notes
    -----
    The entry fill ``E_f`` and the needed exit fill ``X`` come from
    :func:`marginlib.costs.break_even_move` with ``entry_price=E_f``; the exit mid is
    ``X/(1 − s_out)`` for a long (``X/(1 + s_out)`` short).

    Examples
    --------
    A long of 2 into asks 1 @ 101, 2 @ 102 (fill 101.5); closing 2 into the bids costs
    1.5 % (bids 1 @ 99, 2 @ 98): the exit mid must reach 101.5/0.985 = 103.05, a 3.05 % move
    with no fees at all.

    >>> book = OrderBook(bid_prices=[99.0, 98.0], bid_sizes=[1.0, 2.0],
    ...                  ask_prices=[101.0, 102.0], ask_sizes=[1.0, 2.0])
    >>> be = break_even_with_slippage("long", size=2.0, book=book)
    >>> round(be.exit_mid, 4), round(be.price_move, 4), be.price_move_without_slippage
    (103.0457, 0.0305, 0.0)
    """
    sign = _position_sign(side)
    if np.ndim(size) != 0:
        raise ValueError(f"size must be one number (one round trip), got {v._short(size)}")
    if not isinstance(book, OrderBook):
        raise ValueError(f"book must be an OrderBook, got {type(book).__name__}")
    open_side, close_side = ("buy", "sell") if sign > 0 else ("sell", "buy")
    entry = _full_fill(book, open_side, size, "book")
    s_out = float(_full_fill(book, close_side, size, "book").slippage)
    costs = dict(open_fee_rate=open_fee_rate, close_fee_rate=close_fee_rate,
                 funding_rate=funding_rate, intervals=intervals, gas_cost=gas_cost)
    be = break_even_move(side, entry_price=entry.average_price, size=size, **costs)
    plain = break_even_move(side, entry_price=book.mid_price, size=size, **costs)
    exit_mid = be.exit_price / (1.0 - sign * s_out)
    if not (math.isfinite(exit_mid) and exit_mid > 0):
        raise ValueError("no break-even exit mid: the closing slippage takes the whole "
                         "fill (a sell of size would walk the bids to 0): give a deeper book")
    return SlippageBreakEven(entry, s_out, float(be.exit_price), float(exit_mid),
                             float(exit_mid / book.mid_price - 1.0), float(plain.price_move))


# ----------------------------------------------------------- liquidation into a book ---

@dataclass(frozen=True)
class BookLiquidation:
    """An isolated position closed by the liquidation engine into a book.

    Attributes
    ----------
    liquidated : bool
        Whether the strict rule (equity < maintenance, :mod:`marginlib.settlement`) triggers
        at the book's mid (the mark). Exactly at the liquidation price it does not.
    mark_price : float
        The book's mid.
    liquidation_price : float
        Where the rule starts to trigger (:func:`marginlib.liquidation.liquidation_price`).
    fill : Fill
        The closing market order.
    equity : float
        ``margin + s·q·(X − E) − q·X·taker`` at the fill price ``X``.
    liquidation_fee, returned, bad_debt : float
        The settlement kernel's split of ``equity`` (:func:`marginlib.settlement.settle`).
    loss_beyond_margin : float
        ``bad_debt``: what the insurance fund pays.
    gap : bool
        The mark is already through the bankruptcy price (equity at the mark < 0): even a
        perfect fill leaves bad debt.
    """

    liquidated: bool
    mark_price: float
    liquidation_price: float
    fill: Fill
    equity: float
    liquidation_fee: float
    returned: float
    bad_debt: float
    loss_beyond_margin: float
    gap: bool


def liquidate_into_book(side, *, entry_price, size, margin, book, maintenance_margin_rate,
                        liquidation_fee_rate=0.0, taker_fee_rate=0.0):
    """Close an isolated position into ``book``: fill price, not liquidation price.

    Parameters
    ----------
    side : {"long", "short"}
        The position; a long is closed by selling into the bids.
    entry_price, size, margin : float
        > 0 (one position).
    book : OrderBook
        The book when the engine closes the position; its mid is the mark. A mid below the
        bankruptcy price (long) is a **gap** through the liquidation price.
    maintenance_margin_rate : float
        ``m`` in [0, 1): gives the liquidation price and the strict test.
    liquidation_fee_rate, taker_fee_rate : float, optional
        In [0, 1]; the fee on notional at the fill price, and the closing taker fee.

    Returns
    -------
    BookLiquidation
        Raises ``ValueError`` naming ``size`` if the book cannot hold the whole closing
        order (a liquidation closes the whole position here; see ``depth_book(extent=...)``).

    Notes
    -----
    The fill comes from :func:`fill`; equity, fee, refund and bad debt from
    :func:`marginlib.liquidation.liquidation_outcome` at ``exit_price = fill price``, which
    settles through the one kernel (``fee = min(f·N, max(Eq, 0))``,
    ``bad_debt = max(−Eq, 0)``).

    References
    ----------
    .. [1] dYdX v4 docs, Liquidations (the insurance fund covers negative equity),
       https://github.com/dydxprotocol/v4-documentation/blob/3e475b73231a5de7e5a8a55c54047d94578060e5/docs/pages/concepts/trading/liquidations.mdx

    Examples
    --------
    dYdX's insurance-fund example: 100 of collateral, long 500 @ 1, MMF 3 %, liquidated
    when the mark is 0.801 but closed at 0.77 (a book with all its bids at 0.77):

    >>> thin = OrderBook(bid_prices=[0.77], bid_sizes=[1_000.0],
    ...                  ask_prices=[0.832], ask_sizes=[1_000.0])
    >>> out = liquidate_into_book("long", entry_price=1.0, size=500.0, margin=100.0,
    ...                           book=thin, maintenance_margin_rate=0.03)
    >>> out.liquidated, round(out.fill.average_price, 2), round(out.bad_debt, 2)
    (True, 0.77, 15.0)
    """
    sign = _position_sign(side)
    for name, x in (("entry_price", entry_price), ("size", size), ("margin", margin),
                    ("maintenance_margin_rate", maintenance_margin_rate)):
        if np.ndim(x) != 0:
            raise ValueError(f"{name} must be one number (one position), got {v._short(x)}")
    if not isinstance(book, OrderBook):
        raise ValueError(f"book must be an OrderBook, got {type(book).__name__}")
    e = float(v.positive("entry_price", entry_price))
    q = float(v.positive("size", size))
    m_ = float(v.positive("margin", margin))
    mmr = float(v.unit_rate("maintenance_margin_rate", maintenance_margin_rate))
    lp = liquidation_price(side, entry_price=e, size=q, margin=m_,
                           maintenance_margin_rate=mmr)
    mark = book.mid_price
    equity_mark = _isolated_equity(margin=m_, signed_size=sign * q, price=mark, entry_price=e)
    hit = bool(_liquidated(equity=equity_mark,
                           maintenance=_maintenance(size=q, price=mark,
                                                    maintenance_margin_rate=mmr)))
    closing = _full_fill(book, "sell" if sign > 0 else "buy", q, "book")
    out = liquidation_outcome(side, entry_price=e, size=q, margin=m_,
                              exit_price=closing.average_price,
                              liquidation_fee_rate=liquidation_fee_rate,
                              taker_fee_rate=taker_fee_rate)
    return BookLiquidation(hit, mark, float(lp), closing, out.equity, out.liquidation_fee,
                           out.returned, out.bad_debt, out.bad_debt, bool(equity_mark < 0))


# --------------------------------------------------------- maintenance from book depth ---

def maintenance_rate_from_depth(*, position_notional, depth, within=0.02, volatility,
                                liquidation_hours, z_score=2.33):
    """Maintenance rate a liquidator needs, from book depth and the time to close.

    Parameters
    ----------
    position_notional : float or array_like
        Notional the liquidator must be able to close (e.g. the largest position, or the
        market's open-interest cap), quote, > 0.
    depth : float or array_like
        Quote notional within ±``within`` of the mid (linear depth, :func:`depth_fill`), > 0.
    within : float or array_like, optional
        Fraction, in (0, 1) (default 0.02).
    volatility : float or array_like
        Annualised volatility of the price, > 0 (1.0 = 100 %/yr).
    liquidation_hours : float or array_like
        Time the liquidator needs to close the position, hours, > 0.
    z_score : float or array_like, optional
        Confidence of the adverse move, > 0 (2.33 ≈ 99 % one-sided, normal).

    Returns
    -------
    float or ndarray
        ``m = N·within/(2·D) + z·σ·√(τ/8760)``. A value >= 1 means no leverage is safe.

    Notes
    -----
    The maintenance margin must cover what closing the position costs, so that the
    liquidation ends with equity >= 0 and no bad debt (the logic of the depth-based
    framework dYdX's risk providers use; this is a two-term simplification of it, not their
    exact formula):

    * **impact**: closing ``N`` into a linear-depth book costs the average slippage
      ``N·within/(2·D)`` (:func:`depth_fill`, no spread);
    * **price risk while closing**: over the ``τ`` hours the liquidator needs the price can
      move ``z·σ·√(τ/8760)`` against the position (Brownian, no drift, no jumps).

    Assumptions: linear depth, the whole position closed in one sweep (a slower liquidator
    pays less impact but more price risk: ``τ`` should grow as depth shrinks), normal moves
    (fat tails make it larger), no liquidation fee. dYdX v4's "Isolated" liquidity tier for
    long-tail markets uses MMF 3 % with IMF 5 % and small open-interest caps.

    References
    ----------
    .. [1] Considered.finance, "Framework for Setting dYdX Margin Risk Parameters",
       http://considered.finance/framework-for-setting-dydx-margin-risk-parameters/
    .. [2] dYdX Risk Parameter Recommendation Portal (Chaos Labs / Considered.finance),
       https://dydx.forum/t/dydx-risk-parameter-recommendation-portal/324
    .. [3] dYdX v4 documentation, ``governance.mdx`` (liquidity tiers; commit 3e475b7),
       https://github.com/dydxprotocol/v4-documentation

    Examples
    --------
    A thin token: $50k within ±2 %, a $50k position, 150 %/yr, an hour to close →
    1 % of impact + 2.33·1.5·√(1/8760) = 3.73 % of price risk ≈ 4.7 %. A deep market:
    $20M within ±2 %, a $1M position, 60 %/yr, five minutes → 0.05 % + 0.43 % ≈ 0.5 %.

    >>> thin = maintenance_rate_from_depth(position_notional=50_000, depth=50_000,
    ...                                    volatility=1.5, liquidation_hours=1.0)
    >>> deep = maintenance_rate_from_depth(position_notional=1e6, depth=20e6,
    ...                                    volatility=0.6, liquidation_hours=5 / 60)
    >>> round(thin, 3), round(deep, 4)
    (0.047, 0.0048)
    """
    n = v.positive("position_notional", position_notional)
    d = v.positive("depth", depth)
    w = v.positive("within", within)
    if np.any(w >= 1):
        raise ValueError(f"within must be a fraction below 1 (0.02 = ±2 %), got "
                         f"{v._describe(w[w >= 1])}")
    sigma = v.positive("volatility", volatility)
    tau = v.positive("liquidation_hours", liquidation_hours)
    z = v.positive("z_score", z_score)
    inputs = dict(position_notional=n, depth=d, within=w, volatility=sigma,
                  liquidation_hours=tau, z_score=z)
    v.broadcast(**inputs)
    with np.errstate(all="ignore"):
        out = n * w / (2.0 * d) + z * sigma * np.sqrt(tau / HOURS_PER_YEAR)
    return v.result(out, **inputs)
