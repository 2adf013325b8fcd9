"""Tiered (bracketed) maintenance margin and the liquidation price that respects it.

Venues charge a higher maintenance-margin rate on larger positions. The whole notional is
charged the rate of its tier, and a per-tier *maintenance amount* (Binance ``cum``, Bybit
``mmDeduction``, Hyperliquid ``maintenance_deduction``) keeps the requirement continuous:

    ``MM(N) = N·m_k − c_k`` for ``floor_k <= N < floor_{k+1}``,
    ``c_0 = 0``, ``c_k = c_{k−1} + floor_k·(m_k − m_{k−1})``.

With rates rising tier by tier, ``MM`` is convex: ``MM(N) = max_k (N·m_k − c_k)``.

A :class:`MarginTiers` validates its fields when built (also through ``dataclasses.replace``).
``side`` is the only positional argument of the functions; everything else is keyword-only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validation as v
from .liquidation import _clip_at_zero, _cross_terms, _effective_collateral, _raw_liquidation_price

__all__ = ["MarginTiers", "margin_tiers", "hyperliquid_tiers", "TieredLiquidationPrice",
           "tiered_liquidation_price"]


@dataclass(frozen=True)
class MarginTiers:
    """A venue's bracket table (build it with :func:`margin_tiers` or :func:`hyperliquid_tiers`).

    Attributes
    ----------
    floors : tuple of float
        Notional floor of each tier in quote currency; the first is 0, strictly increasing.
    rates : tuple of float
        Maintenance-margin rate of each tier, non-decreasing, in [0, 1).
    amounts : tuple of float
        Maintenance amount of each tier; must follow the published recursion
        ``c_0 = 0``, ``c_k = c_{k−1} + floor_k·(m_k − m_{k−1})`` (the requirement is continuous).
    max_leverages : tuple of float or None
        Maximum leverage allowed in each tier (>= 1, non-increasing), if the venue publishes it.
    name, source, as_of : str
        What the table is, where it comes from, and the date of the snapshot.

    Raises
    ------
    ValueError
        When built (directly or with ``dataclasses.replace``) with a field that breaks these
        rules; the message names the field.

    Examples
    --------
    >>> import dataclasses
    >>> t = margin_tiers(floors=[0, 50_000], rates=[0.004, 0.005])
    >>> dataclasses.replace(t, rates=(0.004, -0.005))
    Traceback (most recent call last):
    ...
    ValueError: rates must be a fraction in [0, 1) (0.005 = 0.5 %), got -0.005
    """

    floors: tuple
    rates: tuple
    amounts: tuple
    max_leverages: tuple = None
    name: str = ""
    source: str = ""
    as_of: str = ""
    _floors: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        floors = _table("floors", v.nonnegative("floors", _seq("floors", self.floors)))
        n = floors.size
        if floors[0] != 0:
            raise ValueError(f"floors must start at 0, got {floors[0]:g}")
        if np.any(np.diff(floors) <= 0):
            raise ValueError(f"floors must be strictly increasing, got {tuple(floors.tolist())}")
        rates = _table("rates", v.unit_rate("rates", _seq("rates", self.rates)), n)
        if np.any(np.diff(rates) < 0):
            raise ValueError("rates must be non-decreasing from one tier to the next, got "
                             f"{tuple(rates.tolist())}")
        amounts = _table("amounts", v.nonnegative("amounts", _seq("amounts", self.amounts)), n)
        want = _amounts(floors, rates)
        if not np.allclose(amounts, want, rtol=1e-9, atol=1e-6):
            raise ValueError(
                f"amounts must follow c_k = c_(k-1) + floor_k·(m_k − m_(k-1)) from c_0 = 0 "
                f"(the requirement is continuous): expected {tuple(want.round(10).tolist())}, "
                f"got {tuple(amounts.tolist())}; build the table with margin_tiers")
        levs = self.max_leverages
        if levs is not None:
            lv = _table("max_leverages",
                        v.leverage_value("max_leverages", _seq("max_leverages", levs)), n)
            if np.any(np.diff(lv) > 0):
                raise ValueError("max_leverages must be non-increasing from one tier to the "
                                 f"next, got {tuple(lv.tolist())}")
            levs = tuple(float(x) for x in lv)
        for label in ("name", "source", "as_of"):
            if not isinstance(getattr(self, label), str):
                raise ValueError(f"{label} must be a string, got {getattr(self, label)!r}")
        object.__setattr__(self, "floors", tuple(float(x) for x in floors))
        object.__setattr__(self, "rates", tuple(float(x) for x in rates))
        object.__setattr__(self, "amounts", tuple(float(x) for x in amounts))
        object.__setattr__(self, "max_leverages", levs)
        object.__setattr__(self, "_floors", floors)

    def __len__(self):
        return len(self.floors)

    def tier_index(self, notional):
        """Index of the tier a notional falls in (``floor_k <= N < floor_{k+1}``)."""
        n = v.nonnegative("notional", notional)
        idx = np.searchsorted(self._floors, n, side="right") - 1
        return int(idx) if idx.ndim == 0 else idx

    def rate(self, notional):
        """Maintenance-margin rate in force at ``notional``."""
        return v.scalar_or_array(np.asarray(self.rates)[self.tier_index(notional)])

    def amount(self, notional):
        """Maintenance amount in force at ``notional``."""
        return v.scalar_or_array(np.asarray(self.amounts)[self.tier_index(notional)])

    def max_leverage(self, notional):
        """Maximum leverage at ``notional`` (``ValueError`` if the table has none)."""
        if self.max_leverages is None:
            raise ValueError("max_leverage: this tier table publishes no maximum leverage")
        return v.scalar_or_array(np.asarray(self.max_leverages)[self.tier_index(notional)])

    def maintenance_margin(self, notional):
        """Requirement ``N·m_k − c_k`` at ``notional`` (quote currency).

        Examples
        --------
        Hyperliquid BTC (40× then 20× above 150M): 3,125,000 at 200M notional (case H5 of
        ``tests/data/golden_cases.json``).

        >>> hyperliquid_tiers(floors=[0, 150e6], max_leverages=[40, 20]).maintenance_margin(200e6)
        3125000.0
        """
        n = v.nonnegative("notional", notional)
        k = self.tier_index(n)
        return v.scalar_or_array(n * np.asarray(self.rates)[k] - np.asarray(self.amounts)[k])


def _seq(name, value):
    """A table column: a list/tuple/1-D array of numbers (a bare scalar or a string is refused)."""
    if isinstance(value, (str, bytes, dict, set)) or value is None or _ndim(value) != 1:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers, got {value!r}")
    return value


def _ndim(value):
    try:
        return np.ndim(value)
    except (TypeError, ValueError):  # ragged nesting
        return -1


def _table(name, arr, n=None):
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers")
    if n is not None and arr.size != n:
        raise ValueError(f"{name} must have one entry per floor (floors has {n}), got {arr.size}")
    return arr


def _amounts(floors, rates):
    amounts = np.zeros_like(floors)
    for k in range(1, floors.size):
        amounts[k] = amounts[k - 1] + floors[k] * (rates[k] - rates[k - 1])
    return amounts


def margin_tiers(*, floors, rates, max_leverages=None, name="", source="", as_of=""):
    """Build a tier table from (notional floor, maintenance rate) brackets.

    Parameters
    ----------
    floors : sequence of float
        Notional floor of each bracket (quote currency); must start at 0 and increase.
        Bybit publishes each tier's upper *limit*: the floors are the previous limits.
    rates : sequence of float
        Maintenance-margin rate per bracket, non-decreasing, each in [0, 1).
    max_leverages : sequence of float, optional
        Maximum leverage per bracket (>= 1).
    name, source, as_of : str, optional
        Label, citation and snapshot date, carried with the table.

    Returns
    -------
    MarginTiers
        With ``amounts`` from the recursion ``c_k = c_{k−1} + floor_k·(m_k − m_{k−1})``.

    References
    ----------
    .. [1] Binance, liquidation-price FAQ (maintenance amount),
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    .. [2] Bybit, risk-limit tiers (``GET /v5/market/risk-limit``).
    .. [3] Hyperliquid docs, Margin tiers,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers

    Examples
    --------
    Binance's FAQ: floor 250,000, MMR 1 % after 0.5 % with prior amount 50 → 1,300 (case B5 of
    ``tests/data/golden_cases.json``).

    >>> t = margin_tiers(floors=[0, 50_000, 250_000], rates=[0.004, 0.005, 0.01])
    >>> t.amounts
    (0.0, 50.0, 1300.0)
    >>> t.rate(264_000)
    0.01
    """
    floors = _table("floors", v.nonnegative("floors", _seq("floors", floors)))
    rates = _table("rates", v.unit_rate("rates", _seq("rates", rates)), floors.size)
    if floors[0] != 0:  # the table's rules, checked before the recursion uses them
        raise ValueError(f"floors must start at 0, got {floors[0]:g}")
    if np.any(np.diff(floors) <= 0):
        raise ValueError(f"floors must be strictly increasing, got {tuple(floors.tolist())}")
    if np.any(np.diff(rates) < 0):
        raise ValueError("rates must be non-decreasing from one tier to the next, got "
                         f"{tuple(rates.tolist())}")
    with np.errstate(all="ignore"):
        amounts = _amounts(floors, rates)
    v.result(amounts, floors=floors, rates=rates)
    return MarginTiers(floors, rates, tuple(float(round(x, 10)) for x in amounts),
                       max_leverages, name=name, source=source, as_of=as_of)


def hyperliquid_tiers(*, floors, max_leverages, name="", source="", as_of=""):
    """Hyperliquid-style tiers: maintenance rate = half the initial margin at max leverage.

    Parameters
    ----------
    floors : sequence of float
        Lower notional bound of each tier (first 0).
    max_leverages : sequence of float
        Maximum leverage of each tier (non-increasing).

    Returns
    -------
    MarginTiers
        With ``rates = 1 / (2·max_leverage)`` (1 % at 50×, 2.5 % at 20×, 16.7 % at 3×).

    References
    ----------
    .. [1] Hyperliquid docs, Margin tiers and Liquidations,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers

    Examples
    --------
    >>> t = hyperliquid_tiers(floors=[0, 150e6], max_leverages=[40, 20])
    >>> t.rates, t.amounts
    ((0.0125, 0.025), (0.0, 1875000.0))
    """
    fl = _table("floors", v.nonnegative("floors", _seq("floors", floors)))
    lv = _table("max_leverages", v.leverage_value("max_leverages",
                                                  _seq("max_leverages", max_leverages)), fl.size)
    return margin_tiers(floors=floors, rates=1.0 / (2.0 * lv), max_leverages=lv, name=name,
                        source=source, as_of=as_of)


@dataclass(frozen=True)
class TieredLiquidationPrice:
    """Liquidation price under a tier table, with the tier switch made visible.

    Attributes
    ----------
    price : liquidation price using the tier in force at that price
    tier : index of that tier
    entry_tier : index of the tier at entry notional
    entry_tier_price : the (wrong if ``switched``) price you get keeping the entry tier
    switched : True where the tier at the liquidation price differs from the entry tier
    maintenance_margin_rate, maintenance_amount : the tier's ``m`` and ``c`` used
    """

    price: object
    tier: object
    entry_tier: object
    entry_tier_price: object
    switched: object
    maintenance_margin_rate: object
    maintenance_amount: object


def tiered_liquidation_price(side, *, entry_price, size, margin, tiers, other_maintenance=0.0,
                             other_unrealized_pnl=0.0, taker_fee_rate=0.0):
    """Liquidation price with the tier in force *at the liquidation price* (a fixed point).

    Parameters
    ----------
    side : {"long", "short"} or array_like
    entry_price, size, margin : float or array_like
        As in :func:`marginlib.liquidation.liquidation_price`, all > 0.
    tiers : MarginTiers
        The venue's bracket table.
    other_maintenance, other_unrealized_pnl, taker_fee_rate : optional
        As in :func:`marginlib.liquidation.liquidation_price` (cross margin, fee-in-MMR form).

    Notes
    -----
    As in :func:`marginlib.liquidation.liquidation_price`, the price is the boundary: the
    position is liquidated when equity is strictly below the maintenance margin.


    Returns
    -------
    TieredLiquidationPrice

    Binance's caveat: if the notional at the liquidation price lies in another bracket than
    at entry, redo the calculation with that bracket. Because ``MM`` is the maximum of its
    linear pieces, the candidate of every tier lies on the safe side of the true price, so the
    fixed point is the largest candidate for a long and the smallest for a short (no
    iteration needed).

    References
    ----------
    .. [1] Binance, liquidation-price FAQ,
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93

    Examples
    --------
    A 260,000 USDT long (2,600 at 100, 10×) starts in the 1 % bracket; at its liquidation
    price the notional is below the 250,000 floor, so the 0.5 % bracket applies:

    >>> t = margin_tiers(floors=[0, 50_000, 250_000], rates=[0.004, 0.005, 0.01])
    >>> r = tiered_liquidation_price("long", entry_price=100.0, size=2_600, margin=26_000,
    ...                              tiers=t)
    >>> r.entry_tier, r.tier, bool(r.switched)
    (2, 1, True)
    >>> round(r.price, 2), round(r.entry_tier_price, 2)
    (90.43, 90.41)
    """
    if not isinstance(tiers, MarginTiers):
        raise ValueError(f"tiers must be a MarginTiers table, got {type(tiers).__name__}")
    s = v.side_sign(side)
    entry_price = v.positive("entry_price", entry_price)
    size = v.positive("size", size)
    cross = _cross_terms(margin, other_maintenance, other_unrealized_pnl)
    margin = cross["margin"]
    fee = v.fee_rate("taker_fee_rate", taker_fee_rate)
    s, entry_price, size, *_, fee = v.broadcast(
        side=s, entry_price=entry_price, size=size, **cross, taker_fee_rate=fee)
    collateral = np.broadcast_to(_effective_collateral(**cross), s.shape)
    rates = np.asarray(tiers.rates) + fee[..., None]
    if np.any(rates >= 1):
        raise ValueError("maintenance rate + taker_fee_rate must be < 1 in every tier")
    amounts = np.asarray(tiers.amounts)
    inputs = dict(entry_price=entry_price, size=size, margin=margin)
    with np.errstate(all="ignore"):
        entry_notional = v.result(size * entry_price, **inputs)
        k0 = np.asarray(tiers.tier_index(entry_notional))
        mm_entry = entry_notional * (np.asarray(tiers.rates)[k0] + fee) - amounts[k0]
        v.result(mm_entry, **inputs)
        if np.any(collateral < np.maximum(mm_entry, 0.0)):  # liquidated iff equity < MM
            raise ValueError(
                "margin must be at least the maintenance margin at entry (the position would "
                "be liquidated immediately); add margin or lower the leverage")
        cand = _raw_liquidation_price(s[..., None], entry_price[..., None], size[..., None],
                                      collateral[..., None], rates, amounts, "mark")
        k = np.where(s > 0, np.argmax(cand, axis=-1), np.argmin(cand, axis=-1))
        price = np.take_along_axis(cand, k[..., None], axis=-1)[..., 0]
        naive = np.take_along_axis(cand, k0[..., None], axis=-1)[..., 0]
        v.result(price, **inputs)
        v.result(naive, **inputs)
        price = _clip_at_zero(price, entry_price, size, collateral, amounts.max(),
                              rates.max(axis=-1))
    # Report the tier in force at the liquidation notional: tiers sharing a rate give identical
    # candidates, so the arg-max/arg-min alone can name the wrong one of them.
    k = np.asarray(tiers.tier_index(size * price))
    f = v.scalar_or_array

    def i(x):
        x = np.asarray(x)
        return int(x) if x.ndim == 0 else x

    return TieredLiquidationPrice(
        f(price), i(k), i(k0), f(np.maximum(naive, 0.0)), (k != k0) if k.ndim else bool(k != k0),
        f(np.asarray(tiers.rates)[k]), f(amounts[k]))
