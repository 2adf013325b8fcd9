"""Venues: one module per venue with its rules, funding formula, caps and presets.

Parameters change often: treat every rate and tier as an example with a date. Every preset
carries ``source`` and ``as_of``; build your own :class:`Venue` for live values (Binance
``GET /fapi/v1/leverageBracket``, Bybit ``GET /v5/market/risk-limit``, Hyperliquid margin
tables, dYdX ``/perpetuals/liquidity_tiers``).

What each module holds (names without the venue prefix: ``venues.hyperliquid.funding_cap()``):

* :mod:`~marginlib.venues.binance` — ``funding_cap(symbol, max_leverage=)``, BTCUSDT brackets.
* :mod:`~marginlib.venues.bybit` — ``uta_liquidation_price``, the classic BTCUSDT preset.
* :mod:`~marginlib.venues.okx` — the "MMR + taker" preset, a listing funding cap.
* :mod:`~marginlib.venues.hyperliquid` — ``maintenance_margin_rate``,
  ``backstop_threshold``, ``funding_rate``, ``funding_cap``, BTC and 10× presets.
* :mod:`~marginlib.venues.dydx` — ``impact_notional``, ``effective_initial_margin_rate``,
  ``funding_cap``, ``funding_rate``, Large-Cap and Small-Cap presets.
* :mod:`~marginlib.venues.gmx` — ``funding_rates`` (per second), the GMX v2 preset.
* :mod:`~marginlib.venues.drift` — ``asset_weight``, ``funding_rate``.
* :mod:`~marginlib.venues.phemex` — ``position_balance``.

How the venues differ (and how each preset encodes it):

* **Where maintenance is evaluated**: at the liquidation price (Binance, Hyperliquid, dYdX,
  Drift: ``convention="mark"``) or frozen at entry (Bybit classic, GMX v2 whose
  ``minCollateralFactor`` applies to ``sizeInUsd``: ``convention="entry"``).
* **Fee in the requirement**: OKX/Gate/Phemex count the taker fee to close
  (``fee_in_requirement=True``); GMX subtracts the position (close) fee from remaining
  collateral, which is the same algebra.
* **Tiers**: Binance/Bybit/Hyperliquid bracket tables; dYdX uses one MMF per market.
"""
from __future__ import annotations

import types
from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from ..liquidation import liquidation_price
from ..tiers import tiered_liquidation_price
from . import binance, bybit, drift, dydx, gmx, hyperliquid, okx, phemex
from ._base import Venue

__all__ = ["Venue", "VENUES", "get_venue", "venue_liquidation_price", "VenueQuote",
           "compare_venues", "FUNDING_CAPS", "binance", "bybit", "drift", "dydx", "gmx",
           "hyperliquid", "okx", "phemex"]

#: Every preset by key (the order of :func:`compare_venues` tables).
VENUES = {p.key: p for module in (dydx, hyperliquid, gmx, binance, bybit, okx)
          for p in module.PRESETS}

#: Funding caps quoted in the course's sources, from each venue module: examples with a date.
FUNDING_CAPS = types.MappingProxyType({
    **binance.FUNDING_CAPS, **okx.FUNDING_CAPS, **dydx.FUNDING_CAPS,
    **hyperliquid.FUNDING_CAPS})


def get_venue(key):
    """The preset named ``key`` (one of ``VENUES``), or ``ValueError`` listing the choices.

    Parameters
    ----------
    key : str or Venue
        A key of ``VENUES``; a :class:`Venue` is returned unchanged.

    Returns
    -------
    Venue
        The preset, with its ``source`` (venue document and commit) and ``as_of`` date.

    References
    ----------
    Each preset's ``source`` and ``as_of`` fields name the venue document it was copied
    from (see ``VENUES``).

    Examples
    --------
    >>> get_venue("gmx_v2").convention
    'entry'
    """
    if isinstance(key, Venue):
        return key
    if not isinstance(key, str) or key not in VENUES:
        raise ValueError(f"venue must be one of {sorted(VENUES)} (a key, or a Venue record), "
                         f"got {key!r}")
    return VENUES[key]


def venue_liquidation_price(venue, side, *, entry_price, size, margin):
    """Liquidation price of an isolated position under one venue's rules.

    Parameters
    ----------
    venue : str or Venue
        A key of ``VENUES`` or a :class:`Venue`.
    side : {"long", "short"}
    entry_price, size, margin : float or array_like
        > 0. Leverage ``q·E/M`` must not exceed the venue's maximum for that notional.

    Returns
    -------
    float or ndarray

    Notes
    -----
    ``convention="mark"`` venues use :func:`marginlib.tiers.tiered_liquidation_price` (the tier in
    force at the liquidation price); ``"entry"`` venues use the tier at entry, as they
    evaluate maintenance on the entry notional.

    References
    ----------
    .. [1] Binance liquidation-price FAQ,
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    .. [2] Hyperliquid docs, Liquidations and Margin tiers,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
    .. [3] gmx-synthetics ``PositionUtils.isPositionLiquidatable`` (commit
       a5c0c8835182cbd84e47dca04b971239311d2f1d).
    .. [4] Each preset's ``source`` and ``as_of`` (dYdX v4 liquidity tiers, Bybit classic
       help page, OKX margin ratio).

    Examples
    --------
    GMX v2: long $50,000 at 5,000 with $5,000 collateral is liquidatable below 4,553 (case G7).

    >>> venue_liquidation_price("gmx_v2", "long", entry_price=5_000, size=10, margin=5_000)
    4553.0
    """
    venue = get_venue(venue)
    entry = v.positive("entry_price", entry_price)
    size_a = v.positive("size", size)
    margin_a = v.positive("margin", margin)
    v.broadcast(side=v.side_sign(side), entry_price=entry, size=size_a, margin=margin_a)
    with np.errstate(all="ignore"):
        n = size_a * entry
    v.result(n, size=size_a, entry_price=entry)
    cap = venue.max_leverage_at(n)
    with np.errstate(all="ignore"):  # an overflow is refused by leverage_value, naming it
        lev = np.maximum(n / margin_a, 1.0)
    v.leverage_value("leverage (size × entry_price / margin)", lev, cap)
    fee = venue.taker_fee_rate if venue.fee_in_requirement else 0.0
    if venue.convention == "mark":
        return tiered_liquidation_price(side, entry_price=entry_price, size=size, margin=margin,
                                        tiers=venue.tiers, taker_fee_rate=fee).price
    return liquidation_price(side, entry_price=entry_price, size=size, margin=margin,
                             maintenance_margin_rate=venue.tiers.rate(n),
                             maintenance_amount=venue.tiers.amount(n), taker_fee_rate=fee,
                             convention="entry")


@dataclass(frozen=True)
class VenueQuote:
    """One row of :func:`compare_venues`.

    ``allowed`` is False (and the prices are None) where the venue refuses the trade, with
    the reason in ``reason`` (leverage above its maximum, or margin already below its
    maintenance requirement at entry); ``distance`` is ``|P_liq − E| / E``;
    ``margin_lost_share`` is ``q·|P_liq − E| / M = L·distance``, the share of the margin the
    price move has already cost when the venue liquidates (None where not allowed).
    """

    key: str
    name: str
    max_leverage: float
    allowed: bool
    liquidation_price: object
    distance: object
    margin_lost_share: object
    convention: str
    source: str
    as_of: str
    reason: str = ""


def compare_venues(side, *, entry_price, margin, leverage, venues=None):
    """The same isolated trade on several venues: liquidation price and distance to it.

    Parameters
    ----------
    side : {"long", "short"}
    entry_price, margin : float
        > 0.
    leverage : float
        >= 1; venues whose maximum is lower are reported with ``allowed=False``.
    venues : sequence of str or Venue, optional
        Defaults to every preset in ``VENUES``.

    Returns
    -------
    list of VenueQuote

    Notes
    -----
    The size is ``q = margin · leverage / entry_price`` for every venue; each allowed quote is
    :func:`venue_liquidation_price`, its ``distance`` is ``|P_liq − E| / E`` and its
    ``margin_lost_share`` is the price loss at liquidation over the margin,
    ``q·|P_liq − E| / M = L·|P_liq − E| / E``. For a flat rate ``m'`` (maintenance + any fee
    in the requirement) in the mark convention a long loses ``(1 − m'·L)/(1 − m')`` of its
    margin: it depends on the venue's rate *and* on the leverage.

    References
    ----------
    .. [1] Binance liquidation-price FAQ,
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    .. [2] Hyperliquid docs, Liquidations and Margin tiers,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
    .. [3] gmx-synthetics ``PositionUtils.isPositionLiquidatable`` (commit
       a5c0c8835182cbd84e47dca04b971239311d2f1d).
    .. [4] Each preset's ``source`` and ``as_of`` (dYdX v4 liquidity tiers, Bybit classic
       help page, OKX margin ratio).

    Examples
    --------
    >>> rows = compare_venues("long", entry_price=100.0, margin=100.0, leverage=20)
    >>> [(r.key, r.allowed) for r in rows][:2]
    [('dydx_v4_large_cap', True), ('dydx_v4_small_cap', False)]

    dYdX small-cap (maintenance 5 %) liquidates a 10× long after losing (1 − 0.5)/0.95 =
    52.6 % of its margin, not the "80 %" a rule of thumb quotes:

    >>> (row,) = compare_venues("long", entry_price=100.0, margin=100.0, leverage=10,
    ...                         venues=["dydx_v4_small_cap"])
    >>> round(row.margin_lost_share, 4)
    0.5263
    """
    checked = {"entry_price": v.positive("entry_price", entry_price),
               "margin": v.positive("margin", margin),
               "leverage": v.leverage_value("leverage", leverage)}
    for name, value in checked.items():
        if np.ndim(value) != 0:
            raise ValueError(f"{name} must be a single number for compare_venues "
                             f"(one trade), got an array of shape {np.shape(value)}")
    if np.ndim(side) != 0:
        raise ValueError(f"side must be 'long' or 'short' for compare_venues (one trade), "
                         f"got an array of shape {np.shape(side)}")
    v.side_sign(side)
    entry, margin, lev = (float(x) for x in checked.values())
    if venues is not None and (isinstance(venues, (str, Venue)) or not isinstance(
            venues, (list, tuple)) or not all(isinstance(k, (str, Venue)) for k in venues)):
        raise ValueError("venues must be a list of venue keys or Venue records, "
                         f"got {venues!r}")
    with np.errstate(all="ignore"):
        notional = margin * lev
        size = notional / entry
    v.result(notional, margin=margin, leverage=lev)
    v.result(size, margin=margin, leverage=lev, entry_price=entry)
    rows = []
    try:
        chosen = list(VENUES.values()) if venues is None else [get_venue(k) for k in venues]
    except ValueError as exc:
        raise ValueError(f"venues: {exc}") from None
    for venue in chosen:
        cap = venue.max_leverage_at(size * entry)
        price, reason = None, ""
        if lev > cap * (1 + 1e-12):
            reason = f"leverage {lev:g}x is above this venue's maximum {cap:g}x"
        else:
            try:
                price = venue_liquidation_price(venue, side, entry_price=entry, size=size,
                                                margin=margin)
            except ValueError as exc:  # margin below this venue's requirement at entry
                reason = str(exc)
        distance = None if price is None else abs(price - entry) / entry
        rows.append(VenueQuote(
            key=venue.key, name=venue.name, max_leverage=float(cap),
            allowed=price is not None, liquidation_price=price, distance=distance,
            margin_lost_share=None if price is None else distance * lev,
            convention=venue.convention, source=venue.source, as_of=venue.as_of,
            reason=reason))
    return rows
