"""Hyperliquid: maintenance from max leverage, backstop liquidation, hourly funding and its cap.

Margin tiers are built with :func:`marginlib.tiers.hyperliquid_tiers` (maintenance is half
the initial margin at the tier's maximum leverage, :func:`maintenance_margin_rate`).

References
----------
.. [1] Hyperliquid docs, Liquidations,
   https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
.. [2] Hyperliquid docs, Margin tiers,
   https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers
.. [3] Hyperliquid docs, Funding,
   https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding
"""
from __future__ import annotations

import types
from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from ..funding import (DEFAULT_CLAMP_LIMIT, DEFAULT_INTEREST_RATE, FundingCap,
                       cap_funding_rate, funding_rate_from_premium)
from ..funding import convert_funding_rate  # noqa: F401 - used by the doctest
from ..settlement import settle
from ..tiers import hyperliquid_tiers
from ._base import Venue

__all__ = [
    "maintenance_margin_rate",
    "backstop_threshold",
    "funding_rate",
    "funding_cap",
    "BACKSTOP_FRACTION",
    "FUNDING_CAP_PER_HOUR",
    "FUNDING_CAPS",
    "PRESETS",
    "PARTIAL_LIQUIDATION_THRESHOLD_USD", "PARTIAL_LIQUIDATION_FRACTION", "LIQUIDATION_COOLDOWN_SECONDS", "LiquidationFill", "LiquidationPath", "simulate_liquidation",
]

#: Backstop liquidation (by the HLP vault) when equity < 2/3 of maintenance.
BACKSTOP_FRACTION = 2.0 / 3.0
#: Funding capped at 4 % per hour.
FUNDING_CAP_PER_HOUR = 0.04

_SOURCE = ("Hyperliquid docs, margin-tiers and liquidations pages, "
           "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers")

#: The funding cap as a record (per 1-hour interval).
FUNDING_CAPS = types.MappingProxyType({
    "hyperliquid": FundingCap(
        "hyperliquid", "Hyperliquid", FUNDING_CAP_PER_HOUR, 1.0,
        "Hyperliquid docs, Funding, "
        "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding", "2025"),
})


def maintenance_margin_rate(max_leverage):
    """Hyperliquid maintenance-margin rate: half the initial margin rate at max leverage.

    Parameters
    ----------
    max_leverage : float or array_like
        The asset's (tier's) maximum leverage, >= 1 — not the leverage you chose.

    Returns
    -------
    float or ndarray
        ``m = 1 / (2·max_leverage)``: 1 % at 50×, 1.25 % at 40×, 2.5 % at 20×, 16.7 % at 3×.

    Notes
    -----
    "Maintenance leverage" is ``2·max_leverage``. A common mistake (case H9) uses half the
    initial margin at the *chosen* leverage instead.

    References
    ----------
    .. [1] Hyperliquid docs, Margin tiers and Liquidations,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers

    Examples
    --------
    >>> maintenance_margin_rate(20)
    0.025
    >>> maintenance_margin_rate([50, 40])
    array([0.01  , 0.0125])
    """
    lev = v.leverage_value("max_leverage", max_leverage)
    return v.scalar_or_array(0.5 / lev)  # = 1/(2·lev), exactly; no overflow near 1.8e308


def backstop_threshold(maintenance_margin):
    """Equity below which Hyperliquid's liquidator vault takes over (backstop liquidation).

    Parameters
    ----------
    maintenance_margin : float or array_like
        Maintenance margin of the account (cross) or position (isolated), quote currency, >= 0.

    Returns
    -------
    float or ndarray
        ``(2/3)·MM``: if equity falls below it before the book absorbs the liquidation orders,
        the position and its margin go to the HLP vault and the maintenance margin is not
        returned.

    References
    ----------
    .. [1] Hyperliquid docs, Liquidations,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations

    Examples
    --------
    >>> round(backstop_threshold(1_250), 2)
    833.33
    """
    mm = v.nonnegative("maintenance_margin", maintenance_margin)
    return v.scalar_or_array(BACKSTOP_FRACTION * mm)


def funding_cap():
    """Hyperliquid's funding cap: 4 % per hour (a fraction per 1-hour interval).

    Returns
    -------
    float
        ``0.04``.

    References
    ----------
    .. [1] Hyperliquid docs, Funding,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding

    Examples
    --------
    >>> funding_cap()
    0.04
    >>> convert_funding_rate(funding_cap(), from_hours=1, to_hours=8)
    0.32
    """
    return FUNDING_CAP_PER_HOUR


def funding_rate(premium_index, *, interest_rate=DEFAULT_INTEREST_RATE,
                 clamp_limit=DEFAULT_CLAMP_LIMIT):
    """Hyperliquid's hourly funding rate: the 8-hour clamp rate paid as ``F/8`` each hour.

    Parameters
    ----------
    premium_index : float or array_like
        The hour's average premium (8-hour convention), any sign.
    interest_rate : float or array_like, optional
        Interest per 8 h (0.01 %).
    clamp_limit : float or array_like, optional
        ±0.05 %.

    Returns
    -------
    float or ndarray
        Rate per hour, ``clip(funding_rate_from_premium(P̄, I, clamp)/8, ±4 %)``.

    References
    ----------
    .. [1] Hyperliquid docs, Funding (hourly, ``F/8``, cap 4 %/h),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding

    Examples
    --------
    Case H7: zero premium pays the baseline 0.00125 % per hour.

    >>> funding_rate(0.0)
    1.25e-05
    """
    eight_hour = np.asarray(funding_rate_from_premium(premium_index, interest_rate=interest_rate,
                                                      clamp_limit=clamp_limit))
    return cap_funding_rate(eight_hour / 8.0, cap=FUNDING_CAP_PER_HOUR)


#: Venue presets of this module (also in :data:`marginlib.venues.VENUES`).
PRESETS = (
    Venue(
        key="hyperliquid_btc", name="Hyperliquid (BTC)", max_leverage=40,
        tiers=hyperliquid_tiers(floors=[0, 150e6], max_leverages=[40, 20], name="BTC 40x / 20x above 150M",
                                source=_SOURCE, as_of="2025"),
        taker_fee_rate=0.00045, funding_interval_hours=1, source=_SOURCE, as_of="2025",
        notes="taker fee is the base tier (assumed); no separate liquidation fee, but "
              "maintenance margin is kept in a backstop liquidation"),
    Venue(
        key="hyperliquid_10x", name="Hyperliquid (10× alt)", max_leverage=10,
        tiers=hyperliquid_tiers(floors=[0, 20e6], max_leverages=[10, 5], name="10x / 5x above 20M",
                                source=_SOURCE, as_of="2025"),
        taker_fee_rate=0.00045, funding_interval_hours=1, source=_SOURCE, as_of="2025",
        notes="the tier of DOGE, SUI, WLD, HYPE, FARTCOIN…; typical of AI-narrative alts"),
)


# ------------------------------------------------------ partial liquidation (issue 9) ---

#: Positions above this notional (USDC, mainnet; 10k on testnet) are liquidated in slices.
PARTIAL_LIQUIDATION_THRESHOLD_USD = 100_000.0
#: Share of the position sent to the book by one partial liquidation order.
PARTIAL_LIQUIDATION_FRACTION = 0.2
#: After a partial liquidation, liquidations within this many seconds take the whole position.
LIQUIDATION_COOLDOWN_SECONDS = 30.0


@dataclass(frozen=True)
class LiquidationFill:
    """One liquidation order of :func:`simulate_liquidation`.

    Attributes
    ----------
    step : int
        Index in the price path; ``time`` is ``step × step_seconds``.
    time : float
        Seconds from the start of the path.
    kind : str
        ``"partial"`` (a slice), ``"full"`` (the whole remaining position to the book) or
        ``"backstop"`` (the liquidator vault takes the position and its margin).
    size : float
        Base units closed.
    mark_price, fill_price : float
        The mark that triggered it and the average fill in the book (the mark for a backstop).
    unfilled_size : float
        Part of the order the book could not fill (it stays in the position), >= 0.
    notional : float
        ``size × fill_price``.
    realized_pnl : float
        ``s·size·(fill_price − entry_price)``.
    fee : float
        Liquidation fee charged (for a backstop: the equity the vault keeps).
    size_after, margin_after : float
        The position left (``margin_after`` is its isolated margin, 0 once closed).
    equity_after, maintenance_after : float
        At the same mark, after the order: a partial order may leave ``equity_after <
        maintenance_after``; the next mark then liquidates again (whole, within the cooldown).
    """

    step: int
    time: float
    kind: str
    size: float
    mark_price: float
    fill_price: float
    unfilled_size: float
    notional: float
    realized_pnl: float
    fee: float
    size_after: float
    margin_after: float
    equity_after: float
    maintenance_after: float


@dataclass(frozen=True)
class LiquidationPath:
    """Outcome of :func:`simulate_liquidation` along one price path.

    Attributes
    ----------
    fills : tuple of LiquidationFill
        Every liquidation order, in time order (empty if never liquidated).
    size : float
        Position left at the end of the path (0 once fully liquidated).
    margin : float
        Its isolated margin at the end (0 once closed).
    closed : bool
        True when the position was liquidated entirely.
    returned : float
        Equity handed back to the wallet by the closing order (settlement kernel), 0 while open.
    bad_debt : float
        Loss beyond the margin (the vault / insurance absorbs it), >= 0.
    fees : float
        Sum of the fills' fees.
    equity, maintenance : float
        At the last mark (0, 0 once closed).
    liquidation_pending : bool
        True if the path ends right after a partial order left the position below maintenance
        (the next mark would liquidate again); otherwise ``equity >= maintenance`` or closed.
    """

    fills: tuple
    size: float
    margin: float
    closed: bool
    returned: float
    bad_debt: float
    fees: float
    equity: float
    maintenance: float
    liquidation_pending: bool



def _flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def simulate_liquidation(side, *, size, entry_price, margin, price_path,
                         maintenance_margin_rate, step_seconds=1.0, depth=None,
                         within=0.02, liquidation_fee_rate=0.0, partial=True,
                         partial_threshold_usd=PARTIAL_LIQUIDATION_THRESHOLD_USD,
                         slice_fraction=PARTIAL_LIQUIDATION_FRACTION,
                         cooldown_seconds=LIQUIDATION_COOLDOWN_SECONDS, backstop=True):
    """Hyperliquid liquidation of one isolated position along a price path: slices or whole.

    Parameters
    ----------
    side : {"long", "short"}
    size, entry_price, margin : float
        The isolated position: base units, entry price and isolated margin, all > 0.
    price_path : array_like
        Mark prices, one per step (1-D, > 0, at least one).
    maintenance_margin_rate : float
        ``m`` in [0, 1) (Hyperliquid: :func:`maintenance_margin_rate` of the max leverage).
    step_seconds : float, optional
        Seconds between marks, > 0 (1 s by default).
    depth : float, optional
        Quote notional resting on the side a liquidation hits within ``within`` of the mark,
        > 0 (the linear depth curve of :func:`marginlib.liquidity.depth_fill`); None
        (default): an infinitely deep book, fills at the mark. The book is refilled before
        the next mark.
    within : float, optional
        That distance as a fraction of the mark, in (0, 1) (0.02: "$50k within ±2 %").
    liquidation_fee_rate : float, optional
        Fee on each fill's notional, in [0, 1] (Hyperliquid charges none beyond the trading fee).
    partial : bool, optional
        Hyperliquid's rule (True) or a whole-position liquidation at every trigger (False).
    partial_threshold_usd : float, optional
        Notional above which a trigger sends a slice (100,000 USDC), >= 0.
    slice_fraction : float, optional
        Share of the position per slice (0.2), in (0, 1].
    cooldown_seconds : float, optional
        After a slice, triggers within this time liquidate the whole position (30 s), >= 0.
    backstop : bool, optional
        Apply the backstop: a trigger with equity already below 2/3 of maintenance goes to the
        liquidator vault, which keeps the margin (True by default).

    Returns
    -------
    LiquidationPath
        Per-order fills and the final state.

    Notes
    -----
    At each mark ``P``: equity ``M + s·q·(P − E)``, maintenance ``q·P·m``; liquidated iff
    equity is *strictly* below maintenance (:func:`marginlib.settlement.is_liquidated`'s
    rule). A trigger sends

    * a slice ``slice_fraction·q`` if ``partial``, ``q·P > partial_threshold_usd`` and no
      slice was sent in the last ``cooldown_seconds``; it starts the cooldown;
    * otherwise the whole position.

    A market order of ``q`` base fills against the linear depth curve
    (:func:`marginlib.liquidity.depth_fill`, mid = the mark) on average at
    ``P·(1 − s·within·q·P/(2·depth))``; what the book cannot hold stays in the position. The
    fill's realized PnL goes to the margin; the fee and, for the order that closes the
    position, what is returned and the bad debt are the settlement kernel's split
    (:func:`marginlib.settlement.settle`) of the equity after the fill. A backstop settles the equity at the mark with a 100 % fee: the vault keeps
    what is left, maintenance margin included, and absorbs any negative equity.

    Property (tested): a slice never leaves the position below maintenance without another
    order at the next mark (or ``liquidation_pending`` at the end of the path).

    The docs' wording: "for liquidatable positions larger than 100k USDC, only 20 % of the
    position will be sent as a market liquidation order to the book. After a block where any
    position of a user is partially liquidated, there is a cooldown period of 30 seconds.
    During this cooldown period, all market liquidation orders for that user will be for the
    entire position." Here one isolated position; a real order may also fill only partly, the
    uniform book here fills it whole.

    References
    ----------
    .. [1] Hyperliquid docs, Liquidations (market orders for the full position; positions
       above 100k USDC liquidated 20 % at a time with a 30 s cooldown; backstop liquidation
       below 2/3 of maintenance), https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
       (the same text in a HIP-3 deployer's copy, https://docs.tings.xyz/core-mechanics/liquidations)

    Examples
    --------
    A 20× long of 100 units at 2,000 (margin 10,000, m = 2.5 %) is liquidated below
    1,948.72. At a mark of 1,948 its notional, 194,800, is above 100k, so the trigger sells
    20 %; into a book of $1M within 2 % the slice fills close to the mark, and the 80 units
    left are above maintenance again.

    >>> kw = dict(size=100, entry_price=2_000, margin=10_000,
    ...           price_path=[1_990, 1_960, 1_948, 1_948], maintenance_margin_rate=0.025,
    ...           depth=1e6)
    >>> path = simulate_liquidation("long", **kw)
    >>> [(f.kind, f.step, round(f.size, 6)) for f in path.fills]
    [('partial', 2, 20.0)]
    >>> path.closed, round(path.size, 6), path.equity >= path.maintenance
    (False, 80.0, True)

    Liquidated whole, the same trigger sells 100 units five times deeper into the book
    (average fill 1,944.21 instead of 1,947.24) and closes the position:

    >>> whole = simulate_liquidation("long", partial=False, **kw)
    >>> [(f.kind, f.step, round(f.fill_price, 2)) for f in whole.fills], round(whole.returned, 2)
    ([('full', 2, 1944.21)], 4420.53)
    """
    s = float(v.side_sign(side)) if isinstance(side, str) else None
    if s is None:
        raise ValueError(f"side must be 'long' or 'short' (one position), got {side!r}")
    q = v.single_number("size", size, v.positive)
    entry = v.single_number("entry_price", entry_price, v.positive)
    margin0 = v.single_number("margin", margin, v.positive)
    path = v.positive("price_path", price_path)
    if path.ndim != 1 or path.size == 0:
        raise ValueError(f"price_path must be a 1-D array of at least one mark price, got "
                         f"shape {path.shape}")
    m = v.single_number("maintenance_margin_rate", maintenance_margin_rate, v.unit_rate)
    dt = v.single_number("step_seconds", step_seconds, v.positive)
    depth = None if depth is None else v.single_number("depth", depth, v.positive)
    within = v.single_number("within", within, v.positive)
    if within >= 1:
        raise ValueError(f"within must be a fraction in (0, 1) (0.02 = ±2 %), got {within!r}")
    fee_rate = v.single_number("liquidation_fee_rate", liquidation_fee_rate, v.fee_rate)
    partial = _flag("partial", partial)
    threshold = v.single_number("partial_threshold_usd", partial_threshold_usd, v.nonnegative)
    fraction = v.single_number("slice_fraction", slice_fraction, v.positive)
    if fraction > 1:
        raise ValueError(f"slice_fraction must be in (0, 1] (0.2 = 20 %), got {fraction!r}")
    cooldown = v.single_number("cooldown_seconds", cooldown_seconds, v.nonnegative)
    backstop = _flag("backstop", backstop)
    # imported here so that ``import marginlib`` does not load the execution-cost module
    from ..liquidity import depth_fill

    inputs = dict(size=q, entry_price=entry, margin=margin0, price_path=path)
    with np.errstate(all="ignore"):
        # fills are within 100 % of the mark (the curve's extent): every amount of the loop
        # is a sum of a few terms no larger than these
        v.result(np.array([8.0 * q * float(path.max()), 4.0 * q * entry, 4.0 * margin0]),
                 **inputs)
    if depth is not None:  # refuse a depth the curve cannot use before the path starts
        for mark in (float(path.min()), float(path.max())):
            depth_fill("sell", size=q, mid_price=mark, depth=depth, within=within)

    fills = []
    held, cash = q, margin0          # position left, isolated margin
    returned = bad_debt = 0.0
    cooldown_until = -np.inf
    closed = False
    for k, mark in enumerate(path.tolist()):
        t = k * dt
        equity = cash + s * held * (mark - entry)
        maintenance = held * mark * m
        if not equity < maintenance:     # THE rule: strictly below
            continue
        notional = held * mark
        if backstop and equity < BACKSTOP_FRACTION * maintenance:
            out = settle(equity=equity, notional=notional, liquidation_fee_rate=1.0)
            fills.append(LiquidationFill(k, t, "backstop", held, mark, mark, 0.0, notional,
                                         s * held * (mark - entry), out.fee, 0.0, 0.0, 0.0, 0.0))
            returned, bad_debt, held, cash, closed = out.returned, out.bad_debt, 0.0, 0.0, True
            break
        if partial and notional > threshold and t >= cooldown_until:
            kind, dq = "partial", fraction * held
            cooldown_until = t + cooldown
        else:
            kind, dq = "full", held
        unfilled = 0.0
        if depth is None:
            fill = mark
        else:  # closing a long sells, closing a short buys
            book = depth_fill("sell" if s > 0 else "buy", size=dq, mid_price=mark,
                              depth=depth, within=within)
            fill, unfilled = book.average_price, book.unfilled_size
            dq = book.filled_size
        realized = s * dq * (fill - entry)
        rest = 0.0 if (kind == "full" and unfilled == 0.0) else held - dq
        after_fill = cash + realized + s * rest * (mark - entry)
        out = settle(equity=after_fill, notional=dq * fill, liquidation_fee_rate=fee_rate)
        cash = cash + realized - out.fee
        held = rest
        if held == 0.0:
            returned, bad_debt, cash, closed = out.returned, out.bad_debt, 0.0, True
        fills.append(LiquidationFill(k, t, kind, dq, mark, fill, unfilled, dq * fill, realized,
                                     out.fee, held, cash, cash + s * held * (mark - entry),
                                     held * mark * m))
        if closed:
            break
    last = float(path[-1])
    equity = cash + s * held * (last - entry) if not closed else 0.0
    maintenance = held * last * m if not closed else 0.0
    pending = (not closed) and held > 0 and equity < maintenance
    fees = float(sum(f.fee for f in fills))
    return LiquidationPath(tuple(fills), float(held), float(cash), closed, float(returned),
                           float(bad_debt), fees, float(equity), float(maintenance), pending)
