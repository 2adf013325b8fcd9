"""Parameter risk: the venue changes the rules under an open position.

The liquidation price depends on the price *and* on the venue's parameters. A venue can change
those while a position is open — cut the maximum leverage, publish a new tier table, raise the
maintenance rate, or value a collateral lower — and the liquidation price moves although the
price has not. Four kinds of change, each a validated frozen record:

* :class:`LeverageCut` — a lower maximum leverage; on Hyperliquid the maintenance rate is half
  the initial margin at maximum leverage, ``m = 1/(2·L_max)``, so a cut raises ``m`` [1]_;
* :class:`TierTableChange` — a new bracket table (:class:`marginlib.tiers.MarginTiers`);
  Binance's updates "will affect existing positions" [2]_;
* :class:`MaintenanceIncrease` — a new maintenance rate (and amount);
* :class:`CollateralHaircut` — the collateral backing a cross account is valued lower (a
  depeg, or a new haircut) [3]_.

:func:`liquidation_shift` gives the liquidation price before and after, whether the position is
liquidatable at the current mark once the change applies, and the margin that would undo it.
:data:`EVENTS` lists dated events with their sources; where the sources give numbers the event
carries the change as a record, otherwise ``change`` is ``None`` and ``numbers`` says so.

References
----------
.. [1] Hyperliquid docs, "Margining" and "Liquidations" (maintenance margin is half of the
   initial margin at maximum leverage),
   https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
.. [2] Binance Futures announcements, e.g. "Binance Futures Adjusts Leverage and Margin Tiers
   for USDⓈ-M CYBERUSDT Perpetual Contract" (2023-08-31: "existing positions opened prior to
   this update will be affected"),
   https://www.binance.com/en/feed/post/2023-08-31-binance-futures-adjusts-leverage-and-margin-tiers-for-usd-m-cyberusdt-perpetual-contract-1060786
.. [3] Binance, compensation for the USDe, BNSOL and WBETH depeg of 2025-10-10 (Binance
   Square copy), https://www.binance.bh/fr-AF/square/post/30952419865713
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v
from .liquidation import _clip_at_zero, _raw_liquidation_price
from .tiers import MarginTiers, margin_tiers

__all__ = [
    "LeverageCut",
    "TierTableChange",
    "MaintenanceIncrease",
    "CollateralHaircut",
    "CHANGE_TYPES",
    "ParameterImpact",
    "liquidation_shift",
    "ParameterEvent",
    "EVENTS",
]


def _number(record, label, check):
    object.__setattr__(record, label,
                       v.single_number(label, getattr(record, label), check))


def _fraction_closed(name, value):
    """A fraction in [0, 1] (100 % inclusive)."""
    return v.fee_rate(name, value)


@dataclass(frozen=True)
class LeverageCut:
    """The venue lowers the maximum leverage; the maintenance rate follows it.

    Attributes
    ----------
    max_leverage : float
        The new maximum leverage, >= 1.
    maintenance_share : float
        Maintenance margin as a share of the initial margin at maximum leverage, in (0, 1]:
        ``m = maintenance_share / max_leverage``. Hyperliquid uses 0.5 (``m = 1/(2·L_max)``).

    Examples
    --------
    >>> LeverageCut(max_leverage=25).maintenance_margin_rate
    0.02
    >>> LeverageCut(max_leverage=0.5)
    Traceback (most recent call last):
    ...
    ValueError: max_leverage must be >= 1, got 0.5
    """

    max_leverage: float
    maintenance_share: float = 0.5

    def __post_init__(self):
        _number(self, "max_leverage", v.leverage_value)
        _number(self, "maintenance_share", v.positive)
        if self.maintenance_share > 1:
            raise ValueError("maintenance_share must be in (0, 1] (maintenance at most the "
                             f"initial margin), got {self.maintenance_share!r}")

    @property
    def maintenance_margin_rate(self):
        """``maintenance_share / max_leverage``."""
        return self.maintenance_share / self.max_leverage


@dataclass(frozen=True)
class TierTableChange:
    """The venue replaces the bracket table; the position gets the new table's requirement.

    Attributes
    ----------
    tiers : MarginTiers
        The new table (build it with :func:`marginlib.tiers.margin_tiers`).

    Examples
    --------
    >>> TierTableChange(tiers=[0.01])
    Traceback (most recent call last):
    ...
    ValueError: tiers must be a MarginTiers table, got list
    """

    tiers: MarginTiers

    def __post_init__(self):
        if not isinstance(self.tiers, MarginTiers):
            raise ValueError(f"tiers must be a MarginTiers table, got {type(self.tiers).__name__}")


@dataclass(frozen=True)
class MaintenanceIncrease:
    """The venue sets a new maintenance rate ``m`` (and maintenance amount ``c``).

    Attributes
    ----------
    maintenance_margin_rate : float
        New ``m`` in [0, 1).
    maintenance_amount : float
        New ``c`` >= 0 (Binance ``cum``).

    Examples
    --------
    >>> MaintenanceIncrease(maintenance_margin_rate=1.5)
    Traceback (most recent call last):
    ...
    ValueError: maintenance_margin_rate must be a fraction in [0, 1) (0.005 = 0.5 %), got 1.5
    """

    maintenance_margin_rate: float
    maintenance_amount: float = 0.0

    def __post_init__(self):
        _number(self, "maintenance_margin_rate", v.unit_rate)
        _number(self, "maintenance_amount", v.nonnegative)


@dataclass(frozen=True)
class CollateralHaircut:
    """The collateral behind the margin is valued lower (a depeg or a new haircut).

    Attributes
    ----------
    haircut : float
        Fall in the collateral's value, in [0, 1] (USDe at 0.65 USD: 0.35).
    collateral_share : float
        Share of ``margin`` held in that collateral, in [0, 1].

    Notes
    -----
    ``margin`` becomes ``margin·(1 − collateral_share·haircut)``. In cross margin the wallet is
    the collateral of every position, so one depeg moves every liquidation price at once.

    Examples
    --------
    >>> CollateralHaircut(haircut=0.35, collateral_share=0.5).margin_factor
    0.825
    """

    haircut: float
    collateral_share: float = 1.0

    def __post_init__(self):
        _number(self, "haircut", _fraction_closed)
        _number(self, "collateral_share", _fraction_closed)

    @property
    def margin_factor(self):
        """``1 − collateral_share·haircut``: what one unit of margin is worth after."""
        return 1.0 - self.collateral_share * self.haircut


#: The change records :func:`liquidation_shift` accepts.
CHANGE_TYPES = (LeverageCut, TierTableChange, MaintenanceIncrease, CollateralHaircut)


@dataclass(frozen=True)
class ParameterImpact:
    """An open position before and after a parameter change, at the same mark price.

    Attributes
    ----------
    liquidation_price_before, liquidation_price_after : float or ndarray
        Liquidation prices under the old and the new rules (0: a long never liquidated).
    shift : float or ndarray
        ``after − before``: positive moves a long's liquidation price up (closer).
    equity_before, equity_after : float or ndarray
        Collateral (after a haircut, for ``_after``) plus the position's PnL at the mark.
    maintenance_before, maintenance_after : float or ndarray
        The position's maintenance requirement at the mark, old and new rules (plus
        ``other_maintenance`` in cross).
    liquidatable_before, liquidatable_after : bool or ndarray
        Equity strictly below maintenance at the mark.
    margin_to_avoid_liquidation : float or ndarray
        Margin to add after the change so that equity is not below maintenance at the mark:
        ``max(maintenance_after − equity_after, 0)``.
    margin_to_restore : float or ndarray
        Margin to add after the change to bring the liquidation price back to where it was.
    above_max_leverage : bool or ndarray
        Whether ``q·P_mark > L_max·equity_after`` under a new maximum leverage
        (:class:`LeverageCut`, or a new table publishing ``max_leverages``); else False.
    """

    liquidation_price_before: object
    liquidation_price_after: object
    shift: object
    equity_before: object
    equity_after: object
    maintenance_before: object
    maintenance_after: object
    liquidatable_before: object
    liquidatable_after: object
    margin_to_avoid_liquidation: object
    margin_to_restore: object
    above_max_leverage: object


def _rules_after(change, rates, amounts):
    """(rates, amounts) columns of the rule in force after ``change`` (tiers on the last axis)."""
    if isinstance(change, LeverageCut):
        return np.asarray([change.maintenance_margin_rate]), np.asarray([0.0])
    if isinstance(change, MaintenanceIncrease):
        return (np.asarray([change.maintenance_margin_rate]),
                np.asarray([change.maintenance_amount]))
    if isinstance(change, TierTableChange):
        return np.asarray(change.tiers.rates), np.asarray(change.tiers.amounts)
    return rates, amounts  # a haircut leaves the rules alone


def _requirement(notional, rates, amounts):
    """``max_k (N·m_k − c_k)`` floored at 0: the tier table's requirement (convex in N)."""
    return np.maximum(np.max(notional[..., None] * rates - amounts, axis=-1), 0.0)


def _liq_price(s, e, q, collateral, rates, amounts):
    """G1 under a (possibly tiered) rule: the safest candidate over the tiers."""
    cand = _raw_liquidation_price(s[..., None], e[..., None], q[..., None],
                                  collateral[..., None], rates, amounts, "mark")
    price = np.where(s > 0, np.max(cand, axis=-1), np.min(cand, axis=-1))
    return _clip_at_zero(price, e, q, collateral, np.max(amounts, axis=-1),
                         np.max(rates, axis=-1))


def liquidation_shift(side, *, entry_price, size, margin, mark_price, change,
                      maintenance_margin_rate=0.0, maintenance_amount=0.0,
                      other_maintenance=0.0, other_unrealized_pnl=0.0, tiers=None):
    """Liquidation price before and after a change of the venue's rules, at an unchanged price.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price : float or array_like
        Entry price, > 0.
    size : float or array_like
        Size in base units, > 0.
    margin : float or array_like
        Isolated: the position's margin; cross: the cross wallet. Quote currency, > 0.
    mark_price : float or array_like
        Current mark price, > 0 (it does not move; the rules do).
    change : LeverageCut, TierTableChange, MaintenanceIncrease or CollateralHaircut
        What the venue changes (one record).
    maintenance_margin_rate, maintenance_amount : float or array_like, optional
        The rule before the change: ``m`` in [0, 1) and ``c`` >= 0.
    other_maintenance, other_unrealized_pnl : float or array_like, optional
        Cross only: the other positions' maintenance (>= 0) and unrealised PnL, as in
        :func:`marginlib.liquidation.liquidation_price`; unchanged by the change (a haircut
        applies to ``margin`` only).
    tiers : MarginTiers, optional
        The rule before the change as a bracket table, instead of
        ``maintenance_margin_rate``/``maintenance_amount`` (leave those at 0). A
        :class:`CollateralHaircut` keeps it; the other changes replace it.

    Returns
    -------
    ParameterImpact

    Notes
    -----
    With collateral ``M' = margin·k − other_maintenance + other_unrealized_pnl`` (``k`` the
    haircut's ``1 − share·haircut``, else 1), the liquidation price under a rule ``(m, c)`` is
    G1, ``(M' + c − s·q·E) / (q·(m − s))``; under a table it is the safest of the tiers'
    candidates (:func:`marginlib.tiers.tiered_liquidation_price`). A position is liquidated
    when equity is strictly below maintenance. ``margin_to_restore`` solves
    ``M' + s·q·(P_before − E) = MM_after(q·P_before)`` for ``M'``; it is new cash, counted at
    full value. Unlike :func:`marginlib.liquidation.liquidation_price`, a position already
    liquidatable after the change is reported (``liquidatable_after``), not refused: that is
    the point of parameter risk.

    References
    ----------
    .. [1] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    .. [2] Hyperliquid docs, Liquidations (``m = 1/(2·max leverage)``),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations

    Examples
    --------
    Hyperliquid, March 2025: an ETH long at 50× (``m`` = 1 %) when the maximum becomes 25×
    (``m`` = 2 %). 100 ETH at 2,000 with 4,000 of margin, mark still 2,000: the new
    maintenance (4,000) equals the equity, so the liquidation price jumps to the mark, and
    about 1,980 more margin puts it back at 1,979.80.

    >>> r = liquidation_shift("long", entry_price=2_000, size=100, margin=4_000,
    ...                       mark_price=2_000, maintenance_margin_rate=0.01,
    ...                       change=LeverageCut(max_leverage=25))
    >>> round(r.liquidation_price_before, 2), round(r.liquidation_price_after, 2)
    (1979.8, 2000.0)
    >>> r.liquidatable_after, r.above_max_leverage, round(r.margin_to_restore, 2)
    (False, True, 1979.8)
    """
    if not isinstance(change, CHANGE_TYPES):
        raise ValueError("change must be a LeverageCut, TierTableChange, MaintenanceIncrease or "
                         f"CollateralHaircut record, got {type(change).__name__}")
    if tiers is not None and not isinstance(tiers, MarginTiers):
        raise ValueError(f"tiers must be None or a MarginTiers table, got {type(tiers).__name__}")
    s = v.side_sign(side)
    inputs = dict(
        entry_price=v.positive("entry_price", entry_price),
        size=v.positive("size", size),
        margin=v.positive("margin", margin),
        mark_price=v.positive("mark_price", mark_price),
        maintenance_margin_rate=v.unit_rate("maintenance_margin_rate", maintenance_margin_rate),
        maintenance_amount=v.nonnegative("maintenance_amount", maintenance_amount),
        other_maintenance=v.nonnegative("other_maintenance", other_maintenance),
        other_unrealized_pnl=v.finite("other_unrealized_pnl", other_unrealized_pnl),
    )
    s, *arrays = v.broadcast(side=s, **inputs)
    e, q, m_in, p, rate, amount, om, ou = arrays
    factor = change.margin_factor if isinstance(change, CollateralHaircut) else 1.0
    if tiers is None:
        rates_b, amounts_b = rate[..., None], amount[..., None]
    elif np.any(rate != 0) or np.any(amount != 0):
        raise ValueError("give the rule before the change either as tiers or as "
                         "maintenance_margin_rate/maintenance_amount, not both")
    else:
        rates_b, amounts_b = np.asarray(tiers.rates), np.asarray(tiers.amounts)
    rates_a, amounts_a = _rules_after(change, rates_b, amounts_b)
    with np.errstate(all="ignore"):
        coll_b = m_in - om + ou
        coll_a = m_in * factor - om + ou
        pnl = s * q * (p - e)
        eq_b, eq_a = coll_b + pnl + om, coll_a + pnl + om  # the account's equity incl. others
        notional = q * p
        mm_b = _requirement(notional, rates_b, amounts_b) + om
        mm_a = _requirement(notional, rates_a, amounts_a) + om
        before = _liq_price(s, e, q, coll_b, rates_b, amounts_b)
        after = _liq_price(s, e, q, coll_a, rates_a, amounts_a)
        needed = (_requirement(q * before, rates_a, amounts_a)
                  - s * q * (before - e))  # collateral M' with P_liq = before
        restore = np.maximum(needed - coll_a, 0.0)
        avoid = np.maximum(mm_a - eq_a, 0.0)
        if isinstance(change, LeverageCut):
            cap = np.asarray(change.max_leverage)
        elif isinstance(change, TierTableChange) and change.tiers.max_leverages is not None:
            cap = np.asarray(change.tiers.max_leverage(v.result(notional, **inputs)))
        else:
            cap = None
        over = (np.zeros(s.shape, dtype=bool) if cap is None
                else notional > cap * eq_a * (1 + 1e-12))
    values = {}
    for label, value in (("before", before), ("after", after), ("equity_b", eq_b),
                         ("equity_a", eq_a), ("mm_b", mm_b), ("mm_a", mm_a),
                         ("restore", restore), ("avoid", avoid)):
        values[label] = v.result(value, **inputs)
    shift = v.result(np.asarray(after) - np.asarray(before), **inputs)

    def flag(x):
        x = np.asarray(x, dtype=bool)
        return bool(x) if x.ndim == 0 else x

    return ParameterImpact(
        liquidation_price_before=values["before"], liquidation_price_after=values["after"],
        shift=shift, equity_before=values["equity_b"], equity_after=values["equity_a"],
        maintenance_before=values["mm_b"], maintenance_after=values["mm_a"],
        liquidatable_before=flag(eq_b < mm_b), liquidatable_after=flag(eq_a < mm_a),
        margin_to_avoid_liquidation=values["avoid"], margin_to_restore=values["restore"],
        above_max_leverage=flag(over))


# ---------------------------------------------------------------------------------------------
# Dated events
# ---------------------------------------------------------------------------------------------

_SOURCE_KINDS = ("primary", "secondary")


@dataclass(frozen=True)
class ParameterEvent:
    """A dated change of a venue's rules that reached open positions.

    Attributes
    ----------
    date : str
        ISO date (``"2025-03-12"``), or a range ``"2025-03-12/2025-03-15"``.
    venue : str
    market : str
        The market(s) concerned.
    kind : str
        ``"leverage_cut"``, ``"tier_table"``, ``"maintenance_increase"``,
        ``"collateral_haircut"`` or ``"other"``.
    summary : str
        What happened and what changed, in a sentence or two.
    change : record or None
        The change as a record of :data:`CHANGE_TYPES`, with the numbers the source gives;
        ``None`` when it gives none that fit.
    before : str
        The rule before the change (as the source states it), for the learner to set
        ``maintenance_margin_rate`` etc.; ``""`` when unknown.
    numbers : str
        What the numbers come from and what is missing.
    source_url : str
    source_kind : {"primary", "secondary"}
        Primary: the venue's own page/feed; secondary: a news copy of an announcement.

    Examples
    --------
    >>> ParameterEvent("2025-01-01", "X", "Y", "other", "s", None, "", "", "u", "rumour")
    Traceback (most recent call last):
    ...
    ValueError: source_kind must be 'primary' or 'secondary', got 'rumour'
    """

    date: str
    venue: str
    market: str
    kind: str
    summary: str
    change: object
    before: str
    numbers: str
    source_url: str
    source_kind: str

    def __post_init__(self):
        for label in ("date", "venue", "market", "kind", "summary", "before", "numbers",
                      "source_url", "source_kind"):
            if not isinstance(getattr(self, label), str):
                raise ValueError(f"{label} must be a string, got {getattr(self, label)!r}")
        if self.kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got {self.kind!r}")
        if self.change is not None and not isinstance(self.change, CHANGE_TYPES):
            raise ValueError("change must be None or a LeverageCut, TierTableChange, "
                             "MaintenanceIncrease or CollateralHaircut record, got "
                             f"{type(self.change).__name__}")
        if self.source_kind not in _SOURCE_KINDS:
            raise ValueError(f"source_kind must be 'primary' or 'secondary', got "
                             f"{self.source_kind!r}")


_KINDS = ("leverage_cut", "tier_table", "maintenance_increase", "collateral_haircut", "other")

_CYBER_URL = ("https://www.binance.com/en/feed/post/2023-08-31-binance-futures-adjusts-leverage-"
              "and-margin-tiers-for-usd-m-cyberusdt-perpetual-contract-1060786")

_CYBER_URL_2 = ("https://www.binance.com/en/feed/post/2023-09-02-binance-futures-announces-"
                "changes-to-leverage-margin-tiers-and-maintenance-margins-for-cyberusdt-"
                "perpetual-contract-1076210")

#: Dated events in which a venue changed the rules under open positions (oldest first).
EVENTS = (
    ParameterEvent(
        date="2023-08-31", venue="Binance", market="CYBERUSDT (USDⓈ-M perpetual)",
        kind="tier_table",
        summary="New leverage and margin tiers from 05:00 UTC; 'existing positions opened "
                "prior to this update will be affected'. The 16x tier for positions up to "
                "5,000 USDT was removed; the first tier is now 11x with MMR 2.50 %.",
        change=TierTableChange(margin_tiers(
            floors=[0, 25_000, 200_000, 500_000, 1_000_000, 3_000_000],
            rates=[0.025, 0.05, 0.10, 0.125, 0.25, 0.50],
            max_leverages=[11, 10, 5, 4, 2, 1],
            name="Binance CYBERUSDT from 2023-08-31", source=_CYBER_URL, as_of="2023-08-31")),
        before="16x for positions up to 5,000 USDT (the old MMR is not given in the source)",
        numbers="The new table in full (floors, MMR, max leverage per tier) from Binance's "
                "feed; the 'x-y' leverage ranges kept at their maximum; the old table is "
                "not given.",
        source_url=_CYBER_URL, source_kind="primary"),
    ParameterEvent(
        date="2023-09-02", venue="Binance", market="CYBERUSDT (USDⓈ-M perpetual)",
        kind="tier_table",
        summary="Two days after the previous update, new tiers from 10:30 UTC, again "
                "affecting existing positions: the 2.50 % tier now ends at 5,000 USDT "
                "(7-8x) instead of 25,000 (11x), so a 20,000 USDT position moves from the "
                "2.50 % to the 5.00 % tier at an unchanged price.",
        change=TierTableChange(margin_tiers(
            floors=[0, 5_000, 200_000, 500_000, 1_000_000, 3_000_000],
            rates=[0.025, 0.05, 0.10, 0.125, 0.25, 0.50],
            max_leverages=[8, 6, 5, 4, 2, 1],
            name="Binance CYBERUSDT from 2023-09-02", source=_CYBER_URL_2, as_of="2023-09-02")),
        before="the table of 2023-08-31 (the previous event: pass its change.tiers as tiers=)",
        numbers="Both tables in full from Binance's feed; the 'x-y' leverage ranges kept at "
                "their maximum.",
        source_url=_CYBER_URL_2, source_kind="primary"),
    ParameterEvent(
        date="2025-03-12/2025-03-15", venue="Hyperliquid", market="BTC and ETH perpetuals",
        kind="leverage_cut",
        summary="After a ~50x ETH long withdrew margin and was liquidated (the HLP vault lost "
                "about 4M USD), maximum leverage was cut to 40x for BTC and 25x for ETH; "
                "from 15 March, withdrawing margin from an open position needs 20 % margin "
                "left.",
        change=LeverageCut(max_leverage=25),
        before="ETH at up to 50x, m = 1/(2·50) = 1 % (Hyperliquid's rule m = 1/(2·L_max))",
        numbers="25x (ETH) and 40x (BTC) from news copies of Hyperliquid's post; the "
                "previous ETH maximum is given as 50x by most copies (one says 33x); the "
                "maintenance rate follows from Hyperliquid's documented rule, not from the "
                "announcement.",
        source_url="https://www.ainvest.com/news/hyperliquid-cuts-leverage-limits-4m-loss-"
                   "eth-liquidation-2503",
        source_kind="secondary"),
    ParameterEvent(
        date="2025-03-14", venue="Binance",
        market="AERGOUSDT, COMBOUSDT, LINAUSDT, VIDTUSDT (USDⓈ-M perpetuals)",
        kind="maintenance_increase",
        summary="Leverage and margin tiers updated at 14:30 UTC, affecting existing positions: "
                "maximum leverage cut to 8x in the first tiers; COMBOUSDT's lower-tier "
                "maintenance rate raised from 2.00 % to 2.50 %.",
        change=MaintenanceIncrease(maintenance_margin_rate=0.025),
        before="COMBOUSDT lower tiers: MMR 2.00 %, 9-10x",
        numbers="COMBOUSDT's 2.00 % → 2.50 % and the 8x caps from a Binance Square copy; the "
                "full new tables are not reproduced.",
        source_url="https://bbapi.viigoo.eu.org/en/square/post/03-14-2025-binance-futures-"
                   "updates-leverage-margin-tiers-for-multiple-usd-m-perpetual-contracts-"
                   "21537723185090",
        source_kind="secondary"),
    ParameterEvent(
        date="2025-03-26", venue="Hyperliquid", market="JELLY perpetual",
        kind="other",
        summary="The JELLY squeeze: validators delisted the market and force-settled open "
                "positions; later changes capped the liquidator vault and tied open-interest "
                "caps to market size.",
        change=None, before="",
        numbers="No parameter numbers that fit a liquidation-price change: a forced "
                "settlement closes the position at a set price instead (0.0095 USD per JELLY "
                "per the copy; longs refunded as if settled at 0.037555 per Hyperliquid's "
                "follow-up post).",
        source_url="https://coinfomania.com/jelly-token-delisted-hyperliquid-averts-12m-"
                   "liquidation-crisis",
        source_kind="secondary"),
    ParameterEvent(
        date="2025-09-15", venue="Binance",
        market="HIVEUSDT, POWRUSDT, SIRENUSDT, BNTUSDT, SQDUSDT, SKYAIUSDT, MYXUSDT",
        kind="tier_table",
        summary="Leverage and margin tiers updated, affecting existing positions: the tier "
                "5,000-10,000 USDT at 21-25x was removed and the next tiers shifted down; the "
                "first tier (up to 5,000 USDT) kept MMR 1.50 %.",
        change=None, before="first tier up to 5,000 USDT: 26-50x, MMR 1.50 %",
        numbers="Partial: the first tier's MMR (unchanged, 1.50 %) and the tier shift; the "
                "full tables are not in the copy.",
        source_url="https://cryptorepublique.com/stories/675483664-binance-futures-updated-"
                   "leverage-margin-tiers-for-select-usd-m-contracts",
        source_kind="secondary"),
    ParameterEvent(
        date="2025-10-10", venue="Binance", market="cross/portfolio margin with USDe collateral",
        kind="collateral_haircut",
        summary="From 21:36 to 22:16 UTC USDe (about 0.65 USD), wBETH (−88 % against ETH) and "
                "BNSOL depegged on Binance while used as margin collateral, triggering "
                "liquidations without the positions' prices moving; about 283M USD was "
                "compensated, and from 14 October these collaterals are valued at their "
                "conversion/redemption rate.",
        change=CollateralHaircut(haircut=0.35),
        before="USDe valued at about 1 USD",
        numbers="USDe ~0.65 USD (haircut 0.35) and the 283M USD compensation from a Binance "
                "Square copy and CoinDesk; the share of an account held in USDe is yours to "
                "set (collateral_share).",
        source_url="https://www.binance.bh/fr-AF/square/post/30952419865713",
        source_kind="secondary"),
)
