"""Venue presets: one trade, several venues' rules, each with its source and date.

Parameters change often (VENUES.md: "treat every rate and tier as an example with a date"),
so every preset carries ``source`` and ``as_of``; build your own :class:`Venue` for live
values (Binance ``GET /fapi/v1/leverageBracket``, Bybit ``GET /v5/market/risk-limit``,
Hyperliquid margin tables, dYdX ``/perpetuals/liquidity_tiers``).

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

from dataclasses import dataclass

import numpy as np

from . import _validation as v
from .liquidation import liquidation_price
from .tiers import MarginTiers, hyperliquid_tiers, margin_tiers, tiered_liquidation_price

__all__ = ["Venue", "VENUES", "get_venue", "venue_liquidation_price", "VenueQuote",
           "compare_venues"]


@dataclass(frozen=True)
class Venue:
    """One venue's margin rules for one market (a preset or your own).

    Attributes
    ----------
    key : str
        Short identifier (``"dydx_v4_small_cap"``).
    name : str
        Human-readable name for tables and legends.
    max_leverage : float
        Largest leverage the venue allows for a small position.
    tiers : MarginTiers
        Maintenance-margin table (a single tier for a flat rate).
    convention : {"mark", "entry"}
        Where maintenance is evaluated (see :func:`marginlib.liquidation_price`).
    taker_fee_rate : float
        Taker fee, fraction of notional.
    fee_in_requirement : bool
        Whether the closing taker fee is part of the liquidation condition.
    liquidation_fee_rate : float
        Liquidation fee/penalty as a fraction of notional (0 where not published).
    funding_interval_hours : float
        Funding settlement interval.
    source : str
        Where the numbers come from.
    as_of : str
        Date of the source snapshot.
    notes : str
        Caveats.
    """

    key: str
    name: str
    max_leverage: float
    tiers: MarginTiers
    convention: str = "mark"
    taker_fee_rate: float = 0.0
    fee_in_requirement: bool = False
    liquidation_fee_rate: float = 0.0
    funding_interval_hours: float = 8.0
    source: str = ""
    as_of: str = ""
    notes: str = ""

    def max_leverage_at(self, notional):
        """Maximum leverage at ``notional``: the tier's, where the table publishes one."""
        if self.tiers.max_leverages:
            return self.tiers.max_leverage(notional)
        return self.max_leverage


def _flat(rate, max_leverage, name, source, as_of):
    return margin_tiers([0.0], [rate], [max_leverage], name=name, source=source, as_of=as_of)


_BINANCE_SRC = ("Binance liquidation-price FAQ b3c689c1f50a44cabb3a84e663b81d93; BTCUSDT "
                "brackets from a 2021 third-party mirror of GET /fapi/v1/leverageBracket")
_DYDX_SRC = "dYdX v4 docs governance.mdx, liquidity tiers (commit 3e475b7)"
_HL_SRC = "Hyperliquid docs, margin-tiers and liquidations pages"

VENUES = {
    p.key: p for p in [
        Venue(
            key="dydx_v4_large_cap", name="dYdX v4 (Large-Cap)", max_leverage=50,
            tiers=_flat(0.012, 50, "Large-Cap MMF 1.2 % (IMF 2 %)", _DYDX_SRC, "2025"),
            taker_fee_rate=0.0005, liquidation_fee_rate=0.015, funding_interval_hours=1,
            source=_DYDX_SRC, as_of="2025",
            notes="max leverage = 1/IMF; liquidation penalty is a maximum (1.5 %)"),
        Venue(
            key="dydx_v4_small_cap", name="dYdX v4 (Small-Cap)", max_leverage=10,
            tiers=_flat(0.05, 10, "Small-Cap MMF 5 % (IMF 10 %)", _DYDX_SRC, "2025"),
            taker_fee_rate=0.0005, liquidation_fee_rate=0.015, funding_interval_hours=1,
            source=_DYDX_SRC, as_of="2025",
            notes="IMF rises with open interest above 20M USDC (not modelled here)"),
        Venue(
            key="hyperliquid_btc", name="Hyperliquid (BTC)", max_leverage=40,
            tiers=hyperliquid_tiers([0, 150e6], [40, 20], name="BTC 40x / 20x above 150M",
                                    source=_HL_SRC, as_of="2025"),
            taker_fee_rate=0.00045, funding_interval_hours=1, source=_HL_SRC, as_of="2025",
            notes="taker fee is the base tier (assumed); no separate liquidation fee, but "
                  "maintenance margin is kept in a backstop liquidation"),
        Venue(
            key="hyperliquid_10x", name="Hyperliquid (10× alt)", max_leverage=10,
            tiers=hyperliquid_tiers([0, 20e6], [10, 5], name="10x / 5x above 20M",
                                    source=_HL_SRC, as_of="2025"),
            taker_fee_rate=0.00045, funding_interval_hours=1, source=_HL_SRC, as_of="2025",
            notes="the tier of DOGE, SUI, WLD, HYPE, FARTCOIN…; typical of AI-narrative alts"),
        Venue(
            key="gmx_v2", name="GMX v2", max_leverage=100,
            tiers=_flat(0.01, 100, "minCollateralFactor 1 %",
                        "gmx-synthetics config/markets.ts (a5c0c88)", "2025"),
            convention="entry", taker_fee_rate=0.0006, fee_in_requirement=True,
            liquidation_fee_rate=0.002, funding_interval_hours=1 / 3600,
            source="gmx-synthetics PositionUtils.isPositionLiquidatable, config/markets.ts "
                   "(commit a5c0c88)", as_of="2025",
            notes="requirement on sizeInUsd (entry notional); close fee 0.06 % (0.04 % if it "
                  "improves balance); borrowing fees and price impact not modelled"),
        Venue(
            key="binance_btcusdt", name="Binance (BTCUSDT brackets, 2021)", max_leverage=125,
            tiers=margin_tiers(
                [0, 50e3, 250e3, 1e6, 5e6, 20e6, 50e6, 100e6, 200e6, 300e6],
                [0.004, 0.005, 0.01, 0.025, 0.05, 0.10, 0.125, 0.15, 0.25, 0.50],
                [125, 100, 50, 20, 10, 5, 4, 3, 2, 1],
                name="BTCUSDT 2021", source=_BINANCE_SRC, as_of="2021"),
            taker_fee_rate=0.0005, source=_BINANCE_SRC, as_of="2021",
            notes="historic brackets (current ones differ); taker fee is the base rate; the "
                  "liquidation clearance fee is per symbol and not modelled"),
        Venue(
            key="bybit_classic_btcusdt", name="Bybit classic (BTCUSDT)", max_leverage=100,
            tiers=margin_tiers([0, 2.0e6, 2.6e6, 3.2e6], [0.005, 0.0056, 0.0063, 0.0067],
                               [100, 90, 80, 75], name="BTCUSDT risk limits 1-4",
                               source="Bybit GET /v5/market/risk-limit (3P snapshot)",
                               as_of="2026-08-05"),
            convention="entry", taker_fee_rate=0.00055,
            source="Bybit help 'Liquidation Price (USDT Contract)' (classic account)",
            as_of="2026-08-05",
            notes="classic accounts evaluate maintenance at entry; closed at the bankruptcy "
                  "price, leftover margin to the insurance fund"),
        Venue(
            key="okx_btc_example", name="OKX (MMR + taker form)", max_leverage=100,
            tiers=_flat(0.004, 100, "assumed tier 1 MMR 0.4 %",
                        "OKX help 6997123251341 (margin ratio)", "2022"),
            taker_fee_rate=0.0005, fee_in_requirement=True,
            source="OKX margin ratio MR = equity / (q·P·(MMR + taker))", as_of="2022",
            notes="tier MMR assumed; OKX reduces large positions by tiers before full "
                  "liquidation"),
    ]
}


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
    if key not in VENUES:
        raise ValueError(f"venue must be one of {sorted(VENUES)}, got {key!r}")
    return VENUES[key]


def venue_liquidation_price(venue, side, entry_price, size, margin):
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
    ``convention="mark"`` venues use :func:`marginlib.tiered_liquidation_price` (the tier in
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

    >>> venue_liquidation_price("gmx_v2", "long", 5_000, 10, 5_000)
    4553.0
    """
    venue = get_venue(venue)
    entry = v.positive("entry_price", entry_price)
    size_a = v.positive("size", size)
    margin_a = v.positive("margin", margin)
    cap = venue.max_leverage_at(size_a * entry)
    v.leverage_value("leverage (size × entry_price / margin)",
                     np.maximum(size_a * entry / margin_a, 1.0), cap)
    fee = venue.taker_fee_rate if venue.fee_in_requirement else 0.0
    if venue.convention == "mark":
        return tiered_liquidation_price(side, entry_price, size, margin, venue.tiers,
                                        taker_fee_rate=fee).price
    n = size_a * entry
    return liquidation_price(side, entry_price, size, margin, venue.tiers.rate(n),
                             venue.tiers.amount(n), taker_fee_rate=fee, convention="entry")


@dataclass(frozen=True)
class VenueQuote:
    """One row of :func:`compare_venues`.

    ``allowed`` is False (and the prices are None) where the venue refuses the trade, with
    the reason in ``reason`` (leverage above its maximum, or margin already below its
    maintenance requirement at entry); ``distance`` is ``|P_liq − E| / E``.
    """

    key: str
    name: str
    max_leverage: float
    allowed: bool
    liquidation_price: object
    distance: object
    convention: str
    source: str
    as_of: str
    reason: str = ""


def compare_venues(side, entry_price, margin, leverage, venues=None):
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
    :func:`venue_liquidation_price` and its ``distance`` is ``|P_liq − E| / E``.

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
    >>> rows = compare_venues("long", 100.0, 100.0, 20)
    >>> [(r.key, r.allowed) for r in rows][:2]
    [('dydx_v4_large_cap', True), ('dydx_v4_small_cap', False)]
    """
    for name, value in (("entry_price", entry_price), ("margin", margin),
                        ("leverage", leverage)):
        if np.ndim(value) != 0:
            raise ValueError(f"{name} must be a single number for compare_venues "
                             f"(one trade), got an array of shape {np.shape(value)}")
    entry = float(v.positive("entry_price", entry_price))
    margin = float(v.positive("margin", margin))
    lev = float(v.leverage_value("leverage", leverage))
    v.side_sign(side)
    size = margin * lev / entry
    rows = []
    for venue in (VENUES.values() if venues is None else [get_venue(k) for k in venues]):
        cap = venue.max_leverage_at(size * entry)
        price, reason = None, ""
        if lev > cap * (1 + 1e-12):
            reason = f"leverage {lev:g}x is above this venue's maximum {cap:g}x"
        else:
            try:
                price = venue_liquidation_price(venue, side, entry, size, margin)
            except ValueError as exc:  # margin below this venue's requirement at entry
                reason = str(exc)
        rows.append(VenueQuote(venue.key, venue.name, float(cap), price is not None, price,
                               None if price is None else abs(price - entry) / entry,
                               venue.convention, venue.source, venue.as_of, reason))
    return rows
