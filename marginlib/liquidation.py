"""Bankruptcy price, liquidation price, margin top-ups and the outcome of a liquidation.

Linear contracts. The generic model (equation G1): an isolated position with collateral ``M``
has equity ``Eq(P) = M + s·q·(P − E)`` and maintenance margin ``MM(P) = q·P·m − c``; it is
liquidated when its equity is *strictly below* the maintenance margin, ``Eq(P) < MM(P)``
(Binance, Hyperliquid, dYdX, Drift: equity exactly at maintenance is not liquidated). The
liquidation price is the boundary ``Eq(P) = MM(P)``:

    ``P_liq = (M + c − s·q·E) / (q·m − s·q)``.

That is Binance's one-symbol formula (with ``WB = M``,
https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93), and the same algebra
as Hyperliquid's
``liq = price − side·margin_available/|size|/(1 − l·side)``, dYdX v4's
``p' = (e − s·p)/(|s|·MMF − s)`` and Drift's SDK ``P_oracle − FC/Δ``.

Where venues differ, both forms are supported:

* ``convention="mark"`` (default): maintenance margin evaluated at the liquidation price
  (Binance, Bybit UTA, Hyperliquid, dYdX, Drift).
* ``convention="entry"``: maintenance margin frozen at the entry notional, which makes the
  liquidation price linear: ``E·(1 − s/L + s·m)`` for ``c = 0`` (Bybit classic help page; also
  GMX v2, whose ``minCollateralFactor`` applies to ``sizeInUsd`` fixed at open).
* ``taker_fee_rate``: the closing fee counted in the requirement, the OKX/Gate/Phemex form
  ``MR = equity / (q·P·(m + taker))``.

``side`` is the only positional argument; every numeric argument is keyword-only.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v
from .settlement import _settle

__all__ = [
    "bankruptcy_price",
    "liquidation_price",
    "maintenance_margin",
    "LiquidationOutcome",
    "liquidation_outcome",
    "MarginAdjustment",
    "adjust_margin",
    "leverage_limit",
    "CONVENTIONS",
]

#: Where the maintenance margin is evaluated: at the liquidation (mark) price or at entry.
CONVENTIONS = ("mark", "entry")


def _check_convention(convention):
    if not isinstance(convention, str) or convention not in CONVENTIONS:
        raise ValueError(f"convention must be 'mark' or 'entry' (lower case), got {convention!r}")


def bankruptcy_price(side, *, entry_price, size, margin):
    """Price at which the position's equity reaches zero.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price : float or array_like
        Entry price, quote per base unit, > 0.
    size : float or array_like
        Size in base units, > 0.
    margin : float or array_like
        Collateral of the position in quote currency, > 0.

    Returns
    -------
    float or ndarray
        ``P_bk = E − s·M/q``; with ``M = q·E/L`` this is ``E·(1 − 1/L)`` for a long and
        ``E·(1 + 1/L)`` for a short. A long whose margin covers the whole notional
        (``M >= q·E``, leverage <= 1) cannot go bankrupt: the result is clipped to 0.

    Notes
    -----
    This is also the liquidation price with zero maintenance margin, the article's
    ``Entry × (1 − 1/Leverage)``.

    References
    ----------
    .. [1] Bybit, "Bankruptcy Price (Perpetual and Expiry Contracts)",
       https://www.bybit.com/en/help-center/article/Bankruptcy-Price-Perpetual-and-Expiry-Contracts

    Examples
    --------
    Bybit's FAQ: 1 BTC long at 10,000 with 50× goes bankrupt at 9,800.

    >>> bankruptcy_price("long", entry_price=10_000, size=1, margin=10_000 / 50)
    9800.0
    >>> bankruptcy_price("short", entry_price=10_000, size=1, margin=200)
    10200.0
    """
    s = v.side_sign(side)
    entry_price = v.positive("entry_price", entry_price)
    size = v.positive("size", size)
    margin = v.positive("margin", margin)
    v.broadcast(side=s, entry_price=entry_price, size=size, margin=margin)
    with np.errstate(all="ignore"):
        out = np.maximum(entry_price - s * margin / size, 0.0)
    return v.result(out, entry_price=entry_price, size=size, margin=margin)


def maintenance_margin(*, size, price, maintenance_margin_rate, maintenance_amount=0.0):
    """Maintenance margin of a position: ``q·P·m − c``.

    Parameters
    ----------
    size : float or array_like
        Base units, > 0.
    price : float or array_like
        Price at which the requirement is evaluated (mark, or entry in the Bybit-classic
        convention), > 0.
    maintenance_margin_rate : float or array_like
        ``m`` in [0, 1).
    maintenance_amount : float or array_like, optional
        ``c`` >= 0, the bracket's deduction (Binance ``cum``, Bybit ``mmDeduction``).

    Returns
    -------
    float or ndarray
        Requirement in quote currency (never below 0).

    References
    ----------
    .. [1] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
       ("Maintenance Margin = Notional Position Value × Maintenance Margin Rate − Maintenance
       Amount"), https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93

    Examples
    --------
    >>> maintenance_margin(size=1, price=20_000, maintenance_margin_rate=0.005)
    100.0
    """
    size = v.positive("size", size)
    price = v.positive("price", price)
    m = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    c = v.nonnegative("maintenance_amount", maintenance_amount)
    v.broadcast(size=size, price=price, maintenance_margin_rate=m, maintenance_amount=c)
    with np.errstate(all="ignore"):
        out = np.maximum(size * price * m - c, 0.0)
    return v.result(out, size=size, price=price, maintenance_margin_rate=m,
                    maintenance_amount=c)


def _cross_terms(margin, other_maintenance, other_unrealized_pnl):
    """The validated margin and cross terms, by argument name."""
    return dict(margin=v.positive("margin", margin),
                other_maintenance=v.nonnegative("other_maintenance", other_maintenance),
                other_unrealized_pnl=v.finite("other_unrealized_pnl", other_unrealized_pnl))


def _effective_collateral(margin, other_maintenance, other_unrealized_pnl):
    """``margin − other_maintenance + other_unrealized_pnl`` of validated, broadcastable arrays."""
    with np.errstate(all="ignore"):
        collateral = margin - other_maintenance + other_unrealized_pnl
    v.result(collateral, margin=margin, other_maintenance=other_maintenance,
             other_unrealized_pnl=other_unrealized_pnl)
    return collateral


def _raw_liquidation_price(s, entry_price, size, collateral, rate, amount, convention):
    """G1 (or its entry-price form), not clipped at 0; all inputs already validated.

    The requirement ``q·P·m − c`` is floored at 0 (:func:`maintenance_margin`): where the
    maintenance amount exceeds it at the G1 price, the position is liquidated when its equity
    reaches 0, so the result never lies beyond the bankruptcy price ``E − s·M/q``.
    """
    # Divided through by q (no q·E product, which overflows long before the price does).
    per_unit = (collateral + amount) / size
    if convention == "mark":
        price = (per_unit - s * entry_price) / (rate - s)
    else:
        price = entry_price + s * (entry_price * rate - per_unit)
    bankrupt = entry_price - s * collateral / size
    return np.where(s > 0, np.maximum(price, bankrupt), np.minimum(price, bankrupt))


def _clip_at_zero(price, entry_price, size, collateral, amount, rate):
    """A long liquidation price at or below zero, or within rounding of it, is 0: never reached.

    ``(M + c − q·E)/(q·(1 − m))`` cancels exactly when the margin covers the notional; in
    floating point it leaves a residue of a few ulps of ``E + (|M| + c)/q`` (scaled by
    ``1/(1 − m)``), which is not a price. Anything below 64 such ulps is reported as 0.
    """
    noise = (64 * np.finfo(float).eps * (entry_price + (np.abs(collateral) + amount) / size)
             / (1 - rate))
    return np.where(price <= noise, 0.0, price)


def liquidation_price(side, *, entry_price, size, margin, maintenance_margin_rate=0.0,
                      maintenance_amount=0.0, other_maintenance=0.0, other_unrealized_pnl=0.0,
                      taker_fee_rate=0.0, convention="mark"):
    """Price at which equity equals the maintenance margin: the liquidation boundary.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price : float or array_like
        Average entry price, > 0.
    size : float or array_like
        Size in base units, > 0.
    margin : float or array_like
        Isolated: the position's margin. Cross: the cross wallet balance (then pass the
        other positions' terms below). Quote currency, > 0.
    maintenance_margin_rate : float or array_like, optional
        ``m`` in [0, 1) (0.005 = 0.5 %). For tiered tables use
        :func:`marginlib.tiers.tiered_liquidation_price`, which picks the tier in force at the
        liquidation price.
    maintenance_amount : float or array_like, optional
        ``c`` >= 0, the bracket's maintenance amount (Binance ``cum``).
    other_maintenance : float or array_like, optional
        Cross only: maintenance margin required by the account's other positions, >= 0.
    other_unrealized_pnl : float or array_like, optional
        Cross only: unrealised PnL of the other positions (any sign).
    taker_fee_rate : float or array_like, optional
        Closing fee counted in the requirement (OKX/Gate/Phemex ``m + taker`` form), in
        [0, 1]; ``maintenance_margin_rate + taker_fee_rate`` must stay below 1.
    convention : {"mark", "entry"}, optional
        Evaluate the maintenance margin at the liquidation price (``"mark"``, Binance,
        Hyperliquid, dYdX, Drift, Bybit UTA) or at entry (``"entry"``, Bybit classic, GMX).

    Returns
    -------
    float or ndarray
        The liquidation price. For a long that cannot be liquidated at any positive price
        (margin above notional) the result is 0.

    Raises
    ------
    ValueError
        On invalid input, or if the collateral is already strictly below the maintenance
        margin at entry (the position would be liquidated immediately).

    Notes
    -----
    **The price is the boundary.** A position is liquidated when its equity is *strictly
    below* its maintenance margin, ``Eq(P) < MM(P)``; at exactly ``P_liq`` equity equals
    maintenance and the position is not (yet) liquidated. This is the rule of Binance
    ("Collateral ... < MM"), Hyperliquid ("account equity drops below the maintenance margin"),
    dYdX v4 ("liquidatable if TAV < Σ MMR") and Drift ("total collateral < maintenance
    requirement") [1]_ [2]_ [3]_ [6]_. A collateral exactly equal to the requirement at entry
    is therefore accepted (``P_liq = E``, see :func:`leverage_limit`).

    With ``M' = margin − other_maintenance + other_unrealized_pnl`` and ``m' = m + taker``:

    * mark convention (G1): ``P = (M' + c − s·q·E) / (q·m' − s·q)``
    * entry convention: ``P = E + s·(q·E·m' − c − M')/q``

    With zero maintenance both reduce to the bankruptcy price ``E·(1 ∓ 1/L)``. The requirement
    is floored at 0 (:func:`maintenance_margin`): if ``c`` exceeds ``q·P·m'`` at the G1 price
    (an amount from a higher bracket than the one in force there), the bankruptcy price
    ``E − s·M'/q`` is returned, never a price beyond it. The cross form
    assumes the other positions' prices do not move (Binance's ``TMM₁``/``UPNL₁`` terms,
    dYdX's ``MMR_o``).

    References
    ----------
    .. [1] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    .. [2] Hyperliquid docs, Liquidations,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
    .. [3] dYdX v4 docs, Margin,
       https://github.com/dydxprotocol/v4-documentation/blob/3e475b73231a5de7e5a8a55c54047d94578060e5/docs/pages/concepts/trading/margin.mdx
    .. [4] Bybit, "Liquidation Price (USDT Contract)" (classic, MM at entry),
       https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
    .. [5] OKX, isolated margin mode (margin ratio with the taker fee),
       https://www.okx.com/help-center/6997123251341 ; Gate,
       https://www.gate.io/help/futures/futures/27724/liquidation-price-bankruptcy-price
    .. [6] Drift docs, Liquidations, https://docs.drift.trade/liquidations

    Examples
    --------
    The article's formula (no maintenance): entry 50,000 at 10× → 45,000.

    >>> liquidation_price("long", entry_price=50_000, size=1, margin=5_000)
    45000.0

    With 0.5 % maintenance margin evaluated at the liquidation price (case X2 of
    ``tests/data/golden_cases.json``):

    >>> round(liquidation_price("long", entry_price=50_000, size=1, margin=5_000,
    ...                         maintenance_margin_rate=0.005), 2)
    45226.13

    Bybit classic (MM at entry), 1 BTC at 20,000 with 50× (case Y1 of
    ``tests/data/golden_cases.json``):

    >>> liquidation_price("long", entry_price=20_000, size=1, margin=400,
    ...                   maintenance_margin_rate=0.005, convention="entry")
    19700.0

    Cross: another position needs 4 of maintenance (TorchTrade case):

    >>> round(liquidation_price("long", entry_price=100, size=1, margin=5,
    ...                         maintenance_margin_rate=0.004, other_maintenance=4), 2)
    99.4
    """
    _check_convention(convention)
    s = v.side_sign(side)
    entry_price = v.positive("entry_price", entry_price)
    size = v.positive("size", size)
    cross = _cross_terms(margin, other_maintenance, other_unrealized_pnl)
    margin = cross["margin"]
    m = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    fee = v.fee_rate("taker_fee_rate", taker_fee_rate)
    c = v.nonnegative("maintenance_amount", maintenance_amount)
    v.broadcast(side=s, entry_price=entry_price, size=size, **cross,
                maintenance_margin_rate=m, maintenance_amount=c, taker_fee_rate=fee)
    collateral = _effective_collateral(**cross)
    rate = m + fee
    if np.any(rate >= 1):
        raise ValueError(
            "maintenance_margin_rate + taker_fee_rate must be < 1, "
            f"got {float(np.max(rate)):g}"
        )
    inputs = dict(entry_price=entry_price, size=size, margin=margin, maintenance_amount=c)
    with np.errstate(all="ignore"):
        # per unit of size (no q·E product to overflow or underflow): MM floored at 0
        at_entry = np.maximum(entry_price * rate - c / size, 0.0)
        if np.any(collateral / size < at_entry):  # liquidated iff equity < MM: equality kept
            raise ValueError(
                "margin must be at least the maintenance margin at entry "
                "(after other_maintenance and other_unrealized_pnl): the position would be "
                "liquidated immediately; add margin or lower the leverage"
            )
        price = _raw_liquidation_price(s, entry_price, size, collateral, rate, c, convention)
        v.result(price, **inputs)
        price = _clip_at_zero(price, entry_price, size, collateral, c, rate)
    return v.result(price, **inputs)


@dataclass(frozen=True)
class LiquidationOutcome:
    """What a liquidation leaves: every field in quote currency except ``exit_price``.

    Attributes
    ----------
    exit_price : float or ndarray
        Price at which the position was closed.
    equity : float or ndarray
        Margin + PnL at ``exit_price`` − closing fee (may be negative: a gap through
        the bankruptcy price).
    liquidation_fee : float or ndarray
        Fee actually charged (never more than the positive equity left).
    returned : float or ndarray
        What goes back to the wallet: ``max(equity − fee, 0)``; never negative.
    bad_debt : float or ndarray
        Loss beyond the margin, ``max(−equity, 0)``, absorbed by the insurance fund /
        auto-deleveraging. Never hidden.
    """

    exit_price: object
    equity: object
    liquidation_fee: object
    returned: object
    bad_debt: object


def liquidation_outcome(side, *, entry_price, size, margin, exit_price=None,
                        maintenance_margin_rate=0.0, maintenance_amount=0.0,
                        liquidation_fee_rate=0.0, taker_fee_rate=0.0, convention="mark"):
    """Fee, refund and bad debt when an isolated position is liquidated.

    Parameters
    ----------
    side : {"long", "short"}
    entry_price, size, margin : float or array_like
        As in :func:`liquidation_price`, all > 0.
    exit_price : float or array_like, optional
        Price the position is actually closed at. Defaults to the liquidation price
        (a perfect fill). Pass a worse price to model slippage or a gap; pass the
        :func:`bankruptcy_price` for venues that close at bankruptcy (Bybit classic: the
        leftover margin then goes to the insurance fund and nothing is returned).
    maintenance_margin_rate, maintenance_amount, taker_fee_rate, convention
        Used only to compute the default ``exit_price``; see :func:`liquidation_price`.
    liquidation_fee_rate : float, optional
        Liquidation (clearance/penalty) fee as a fraction of notional at ``exit_price``,
        in [0, 1], 100 % included (GMX 0.20 %; dYdX penalty up to 1.5 %, and its
        configuration allows up to 100 %, which takes all the equity).

    Returns
    -------
    LiquidationOutcome

    Notes
    -----
    ``equity = M + s·q·(X − E) − q·X·taker``; ``fee = min(q·X·f_liq, max(equity, 0))``;
    ``returned = max(equity − fee, 0)``; ``bad_debt = max(−equity, 0)``.
    The article: "Remaining collateral returns to your wallet minus a small liquidation fee."
    dYdX's insurance-fund example (case D4 of ``tests/data/golden_cases.json``) is a bad-debt
    case.

    References
    ----------
    .. [1] dYdX v4 docs, Liquidations and Contract loss mechanism,
       https://github.com/dydxprotocol/v4-documentation/blob/3e475b73231a5de7e5a8a55c54047d94578060e5/docs/pages/concepts/trading/liquidations.mdx
       and ``contract-loss-mechanism.mdx`` in the same folder.
    .. [2] GMX v2 ``config/markets.ts`` (liquidationFeeFactor 0.20 %),
       https://github.com/gmx-io/gmx-synthetics/blob/a5c0c8835182cbd84e47dca04b971239311d2f1d/config/markets.ts

    Examples
    --------
    dYdX's example: deposit 100, long 500 @ 1, liquidated at 0.77 → insurance pays 15.

    >>> out = liquidation_outcome("long", entry_price=1.0, size=500, margin=100, exit_price=0.77)
    >>> round(out.bad_debt, 2), out.returned
    (15.0, 0.0)
    """
    _check_convention(convention)
    s = v.side_sign(side)
    entry_price = v.positive("entry_price", entry_price)
    size = v.positive("size", size)
    margin = v.positive("margin", margin)
    mmr = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    c = v.nonnegative("maintenance_amount", maintenance_amount)
    fee_rate = v.fee_rate("liquidation_fee_rate", liquidation_fee_rate)
    taker = v.fee_rate("taker_fee_rate", taker_fee_rate)
    given = {} if exit_price is None else {"exit_price": v.positive("exit_price", exit_price)}
    shape = v.broadcast(side=s, entry_price=entry_price, size=size, margin=margin, **given,
                        maintenance_margin_rate=mmr, maintenance_amount=c,
                        liquidation_fee_rate=fee_rate, taker_fee_rate=taker)[0].shape
    if exit_price is None:
        exit_price = liquidation_price(
            side, entry_price=entry_price, size=size, margin=margin,
            maintenance_margin_rate=maintenance_margin_rate,
            maintenance_amount=maintenance_amount, taker_fee_rate=taker_fee_rate,
            convention=convention)
        exit_price = np.maximum(np.asarray(exit_price, float), np.finfo(float).tiny)
    exit_price = v.positive("exit_price", exit_price)
    v.broadcast(side=s, entry_price=entry_price, size=size, margin=margin,
                exit_price=exit_price, liquidation_fee_rate=fee_rate, taker_fee_rate=taker)
    inputs = dict(entry_price=entry_price, size=size, margin=margin, exit_price=exit_price)
    with np.errstate(all="ignore"):
        value = size * exit_price
        equity = margin + s * size * (exit_price - entry_price) - value * taker
        v.result(value, **inputs)
        v.result(equity, **inputs)
    fee, returned, bad_debt = _settle(equity, value * fee_rate)  # the one settlement kernel

    def f(x):
        return v.scalar_or_array(np.broadcast_to(x, shape))

    return LiquidationOutcome(f(exit_price), f(equity), f(fee), f(returned), f(bad_debt))


@dataclass(frozen=True)
class MarginAdjustment:
    """An isolated position after margin is added or removed (entry price unchanged).

    Attributes
    ----------
    margin : new margin (quote currency)
    liquidation_price : new liquidation price
    bankruptcy_price : new bankruptcy price
    effective_leverage : notional at the mark ÷ equity at the mark
    entry_price : unchanged entry price
    """

    margin: object
    liquidation_price: object
    bankruptcy_price: object
    effective_leverage: object
    entry_price: object


def adjust_margin(side, *, entry_price, size, margin, amount, mark_price=None,
                  initial_margin_rate=0.0, maintenance_margin_rate=0.0,
                  maintenance_amount=0.0, taker_fee_rate=0.0, convention="mark"):
    """Add (``amount > 0``) or remove (``amount < 0``) margin on an isolated position.

    Parameters
    ----------
    side : {"long", "short"}
    entry_price, size, margin : float or array_like
        Current position (entry price, base units, margin), all > 0.
    amount : float or array_like
        Margin to add (positive) or remove (negative), quote currency.
    mark_price : float, optional
        Current mark (defaults to ``entry_price``); sets the effective leverage and the
        removal check.
    initial_margin_rate : float, optional
        ``1/L`` of the leverage setting, in [0, 1). A removal must leave
        ``margin + UPNL >= q·P_mark·initial_margin_rate`` (Binance; Hyperliquid also requires
        10 % of position value: pass ``max(1/L, 0.1)``).
    maintenance_margin_rate, maintenance_amount, taker_fee_rate, convention
        As in :func:`liquidation_price`.

    Returns
    -------
    MarginAdjustment

    Raises
    ------
    ValueError
        If the removal would take the margin to zero or below, or below the initial
        requirement.

    Notes
    -----
    The entry price does not change ("does not reset your entry price", the article); the
    new liquidation price is :func:`liquidation_price` with the new margin, so adding margin
    moves it away from the mark by ``amount / (q·(1 ∓ m))``.

    References
    ----------
    .. [1] Hyperliquid docs, Margining (isolated margin can be added or removed; removal
       leaves at least ``max(IM, 10 % of position value)``),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margining
    .. [2] Binance liquidation-price FAQ (the liquidation price with wallet balance ``WB``),
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93

    Examples
    --------
    A 10× long of 400 tokens at 2.50 (margin 100, MMR 5 %); adding 50 moves the liquidation
    price from 2.368… down to 2.236… and the leverage from 10× to 6.67×.

    >>> adj = adjust_margin("long", entry_price=2.5, size=400, margin=100, amount=50,
    ...                     maintenance_margin_rate=0.05)
    >>> round(adj.liquidation_price, 4), round(adj.effective_leverage, 2)
    (2.2368, 6.67)
    """
    _check_convention(convention)
    if mark_price is None:
        mark_price = entry_price
    s = v.side_sign(side)
    size_a = v.positive("size", size)
    entry_a = v.positive("entry_price", entry_price)
    mark_a = v.positive("mark_price", mark_price)
    margin = v.positive("margin", margin)
    amount = v.finite("amount", amount)
    imr = v.unit_rate("initial_margin_rate", initial_margin_rate)
    mmr = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    c = v.nonnegative("maintenance_amount", maintenance_amount)
    taker = v.fee_rate("taker_fee_rate", taker_fee_rate)
    shape = v.broadcast(side=s, entry_price=entry_a, size=size_a, margin=margin, amount=amount,
                        mark_price=mark_a, initial_margin_rate=imr, maintenance_margin_rate=mmr,
                        maintenance_amount=c, taker_fee_rate=taker)[0].shape
    inputs = dict(entry_price=entry_a, size=size_a, margin=margin, amount=amount,
                  mark_price=mark_a)
    with np.errstate(all="ignore"):
        new_margin = margin + amount
        v.result(new_margin, **inputs)
        if np.any(new_margin <= 0):
            raise ValueError(
                f"amount: removing {float(-np.min(amount)):g} would leave no margin "
                f"(margin is {float(np.min(margin)):g})"
            )
        equity = new_margin + s * size_a * (mark_a - entry_a)
        required = size_a * mark_a * imr
        v.result(equity, **inputs)
        v.result(required, **inputs)
        removing = amount < 0
        if np.any(removing & (equity < required)):
            raise ValueError(
                "amount: removal refused, it would leave equity below the initial margin "
                f"requirement ({float(np.max(np.where(removing, required, -np.inf))):g})"
            )
    liq = liquidation_price(side, entry_price=entry_a, size=size_a, margin=new_margin,
                            maintenance_margin_rate=maintenance_margin_rate,
                            maintenance_amount=maintenance_amount,
                            taker_fee_rate=taker_fee_rate, convention=convention)
    bk = bankruptcy_price(side, entry_price=entry_a, size=size_a, margin=new_margin)
    if np.any(equity <= 0):
        raise ValueError("margin: the position is bankrupt at mark_price; leverage is undefined")
    with np.errstate(all="ignore"):
        lev = v.result(size_a * mark_a / equity, **inputs)
    def f(x):
        return v.scalar_or_array(np.broadcast_to(x, shape))

    return MarginAdjustment(f(new_margin), f(liq), f(bk), f(lev), f(entry_a))


def leverage_limit(*, maintenance_margin_rate, taker_fee_rate=0.0):
    """Leverage at which the liquidation price reaches the entry price: ``1 / (m + fee)``.

    Parameters
    ----------
    maintenance_margin_rate : float or array_like
        ``m`` in [0, 1).
    taker_fee_rate : float or array_like, optional
        Closing fee counted in the requirement (the OKX/Gate/Phemex ``m + taker`` form), in
        [0, 1]. ``m + taker_fee_rate`` must lie in (0, 1).

    Returns
    -------
    float or ndarray
        ``L_lim = 1 / (m + fee)``. A position opened with ``M = q·E/L`` has equity ``M`` and
        maintenance margin ``q·E·(m + fee)`` at entry, so at ``L = L_lim`` they are equal and
        :func:`liquidation_price` returns the entry price itself (not yet liquidated: the rule
        is strictly below); above ``L_lim`` the position would be liquidated at once and
        :func:`liquidation_price` raises.

    Raises
    ------
    ValueError
        If ``m + taker_fee_rate`` is 0 (no maintenance margin: no such leverage) or >= 1.

    Notes
    -----
    From the mark-convention liquidation price (G1) with ``M = q·E/L`` and ``c = 0``:
    ``P_liq = E·(1 − s/L)/(1 − s·(m + fee))``, which equals ``E`` exactly when
    ``1/L = m + fee``. Hyperliquid's "maintenance margin is half the initial margin at max
    leverage" puts this limit at twice the venue's maximum leverage.

    References
    ----------
    .. [1] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    .. [2] Hyperliquid docs, Margin tiers (maintenance margin = half the initial margin at
       max leverage), https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers

    Examples
    --------
    5 % maintenance margin: at 20× the liquidation price is the entry price.

    >>> leverage_limit(maintenance_margin_rate=0.05)
    20.0
    >>> round(leverage_limit(maintenance_margin_rate=0.004, taker_fee_rate=0.0006), 6)
    217.391304
    """
    m = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    fee = v.fee_rate("taker_fee_rate", taker_fee_rate)
    v.broadcast(maintenance_margin_rate=m, taker_fee_rate=fee)
    rate = m + fee
    if np.any(rate >= 1):
        raise ValueError("maintenance_margin_rate + taker_fee_rate must be < 1, "
                         f"got {float(np.max(rate)):g}")
    if np.any(rate <= 0):
        raise ValueError("maintenance_margin_rate + taker_fee_rate must be > 0: with no "
                         "maintenance margin no leverage brings the liquidation price to entry")
    with np.errstate(all="ignore"):
        out = 1.0 / rate
    return v.result(out, maintenance_margin_rate=m, taker_fee_rate=fee)
