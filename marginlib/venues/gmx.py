"""GMX v2: per-second funding, price impact, minimum collateral, and the market preset.

GMX evaluates its ``minCollateralFactor`` on ``sizeInUsd`` (the entry notional,
``convention="entry"``) and subtracts the close fee from remaining collateral (the same
algebra as counting the taker fee in the requirement).

There is no order book: the pool is the counterparty at the oracle price, and an order's cost
of size is GMX's *price impact*, set by how much it unbalances the pool (swaps:
:func:`swap_price_impact`) or the open interest (positions: :func:`position_price_impact`).
For positions it moves the entry and exit prices (:func:`increase_position`,
:func:`decrease_position`), not the collateral. :func:`check_minimums` tells whether a small
account can open a position under ``minCollateralUsd`` and ``minCollateralFactor``.

References
----------
.. [1] gmx-io/gmx-synthetics, ``README.md`` "Funding Fees" and "Price Impact",
   ``PositionUtils``, ``contracts/pricing/PricingUtils.sol``, ``config/markets.ts`` (commit
   a5c0c88), https://github.com/gmx-io/gmx-synthetics
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from ..settlement import settle
from ._base import Venue, flat_tiers

__all__ = ["FundingRates", "funding_rates", "PRESETS",
    "MIN_COLLATERAL_USD", "MIN_COLLATERAL_FACTOR", "MAX_NEGATIVE_POSITION_IMPACT_FACTOR", "MAX_POSITIVE_POSITION_IMPACT_FACTOR", "swap_price_impact", "position_price_impact", "PositionIncrease", "increase_position", "PositionDecrease", "decrease_position", "MinimumsCheck", "check_minimums",
]


@dataclass(frozen=True)
class FundingRates:
    """GMX v2 funding per second, as a fraction of each side's open interest.

    Attributes
    ----------
    long_rate, short_rate : float or ndarray
        Fraction of that side's notional paid per second; **negative means received**.
    larger_side_rate : float or ndarray
        What the larger side pays per second (>= 0).
    smaller_side_rate : float or ndarray
        What the smaller side receives per second (>= 0).
    longs_pay : bool or ndarray
        True when longs are the larger side.
    """

    long_rate: object
    short_rate: object
    larger_side_rate: object
    smaller_side_rate: object
    longs_pay: object


def funding_rates(*, open_interest_long, open_interest_short, funding_factor=2e-8,
                  funding_exponent=1.0):
    """GMX v2 funding: the larger side pays the smaller side, per second.

    Parameters
    ----------
    open_interest_long, open_interest_short : float or array_like
        Open interest in USD, both > 0.
    funding_factor : float or array_like, optional
        ``fundingFactor`` per second, > 0 (2e-8 in the base ``config/markets.ts``; the README
        example uses 1/50,000).
    funding_exponent : float or array_like, optional
        ``fundingExponentFactor``, > 0.

    Returns
    -------
    FundingRates

    Notes
    -----
    ``f_large = funding_factor × |OI_L − OI_S|^e / (OI_L + OI_S)``; the smaller side receives
    ``f_small = f_large × OI_large / OI_small``, so the USD amounts match:
    ``f_large·OI_large = f_small·OI_small`` (zero-sum between the two sides).

    References
    ----------
    .. [1] gmx-io/gmx-synthetics ``README.md``, "Funding Fees" (commit a5c0c88),
       https://github.com/gmx-io/gmx-synthetics

    Examples
    --------
    Case G1: factor 1/50,000, OI long 150,000 / short 50,000 → longs pay 0.001 %/s, shorts
    receive 0.003 %/s.

    >>> g = funding_rates(open_interest_long=150_000, open_interest_short=50_000,
    ...                   funding_factor=1 / 50_000)
    >>> round(g.long_rate, 12), round(g.short_rate, 12)
    (1e-05, -3e-05)
    """
    oi_long = v.positive("open_interest_long", open_interest_long)
    oi_short = v.positive("open_interest_short", open_interest_short)
    factor = v.positive("funding_factor", funding_factor)
    exponent = v.positive("funding_exponent", funding_exponent)
    inputs = dict(open_interest_long=oi_long, open_interest_short=oi_short,
                  funding_factor=factor, funding_exponent=exponent)
    shape = np.broadcast_shapes(*(np.shape(x) for x in v.broadcast(**inputs)))
    oi_long, oi_short, factor, exponent = (np.broadcast_to(x, shape) for x in inputs.values())
    with np.errstate(all="ignore"):
        diff = np.abs(oi_long - oi_short)
        total = oi_long + oi_short
        larger = np.maximum(oi_long, oi_short)
        smaller = np.minimum(oi_long, oi_short)
        f_large = factor * diff ** exponent / total
        f_small = f_large * larger / smaller
    f_large = np.asarray(v.result(f_large, **inputs))
    f_small = np.asarray(v.result(f_small, **inputs))
    longs_pay = oi_long > oi_short
    long_rate = np.where(longs_pay, f_large, -f_small)
    short_rate = np.where(longs_pay, -f_small, f_large)
    f = v.scalar_or_array
    pays = bool(longs_pay) if np.ndim(longs_pay) == 0 else longs_pay
    return FundingRates(f(long_rate + 0.0), f(short_rate + 0.0), f(f_large), f(f_small), pays)


#: Venue presets of this module (also in :data:`marginlib.venues.VENUES`).
PRESETS = (
    Venue(
        key="gmx_v2", name="GMX v2", max_leverage=100,
        tiers=flat_tiers(0.01, 100, "minCollateralFactor 1 %",
                         "gmx-synthetics config/markets.ts (a5c0c88)", "2025"),
        convention="entry", taker_fee_rate=0.0006, fee_in_requirement=True,
        liquidation_fee_rate=0.002, funding_interval_hours=1 / 3600,
        source="gmx-synthetics PositionUtils.isPositionLiquidatable, config/markets.ts "
               "(commit a5c0c88), https://github.com/gmx-io/gmx-synthetics", as_of="2025",
        notes="requirement on sizeInUsd (entry notional); close fee 0.06 % (0.04 % if it "
              "improves balance); borrowing fees not modelled; price impact and the $1 "
              "minCollateralUsd floor are separate functions of this module "
              "(position_price_impact, check_minimums), not in this preset's liquidation "
              "price"),
)


# ------------------------------------------------------------------ price impact (issue 9) ---

#: ``minCollateralUsd`` of the base config: a position needs at least $1 of collateral, and is
#: liquidated when its remaining collateral falls below it.
MIN_COLLATERAL_USD = 1.0
#: ``minCollateralFactor`` (= ``minCollateralFactorForLiquidation``) of the base config: 1 %
#: of ``sizeInUsd`` (at most 100× leverage; some markets 0.5 %).
MIN_COLLATERAL_FACTOR = 0.01
#: ``negativeMaxPositionImpactFactor`` / ``positiveMaxPositionImpactFactor`` of the base config:
#: a position's price impact is capped at 0.5 % (negative) / 0.4 % (positive) of the size delta.
MAX_NEGATIVE_POSITION_IMPACT_FACTOR = 0.005
MAX_POSITIVE_POSITION_IMPACT_FACTOR = 0.004

_GMX_URL = "https://github.com/gmx-io/gmx-synthetics"


def _impact(initial_long, initial_short, next_long, next_short, positive_factor,
            negative_factor, exponent):
    """GMX ``PricingUtils``: same-side or crossover rebalance (validated float arrays in)."""
    with np.errstate(all="ignore"):
        d0 = np.abs(initial_long - initial_short)
        d1 = np.abs(next_long - next_short)
        same_side = (initial_long <= initial_short) == (next_long <= next_short)
        improves = d1 < d0
        same_factor = np.where(improves, positive_factor, negative_factor)
        same = np.abs(same_factor * d0 ** exponent - same_factor * d1 ** exponent)
        same = np.where(improves, same, -same)
        cross = positive_factor * d0 ** exponent - negative_factor * d1 ** exponent
        return np.where(same_side, same, cross) + 0.0


def swap_price_impact(*, pool_long_usd, pool_short_usd, delta_long_usd, delta_short_usd=0.0,
                      positive_impact_factor, negative_impact_factor, impact_exponent=2.0):
    """GMX v2 price impact of a swap, deposit or withdrawal on the pool's balance, in USD.

    Parameters
    ----------
    pool_long_usd, pool_short_usd : float or array_like
        USD worth of the pool's long and short tokens before the action, >= 0.
    delta_long_usd, delta_short_usd : float or array_like
        USD worth added to (> 0) or removed from (< 0) each side by the action: a deposit of
        long tokens is ``delta_long_usd > 0``; a swap of long for short tokens is
        ``delta_long_usd = +x, delta_short_usd = −x``. A side cannot go below 0.
    positive_impact_factor, negative_impact_factor : float or array_like
        GMX's ``positiveSwapImpactFactor`` / ``negativeSwapImpactFactor``, >= 0 (the README
        example uses ``0.01 / 50,000`` for both).
    impact_exponent : float or array_like, optional
        ``swapImpactExponentFactor``, > 0 (2 in the README example).

    Returns
    -------
    float or ndarray
        Price impact in USD: **negative is charged** to the user, positive is rebated.

    Notes
    -----
    With ``D = |long − short|`` before (``D₀``) and after (``D₁``) the action and ``e`` the
    exponent:

    * the balance stays on the same side: ``±|f·D₀^e − f·D₁^e|``, positive (factor
      ``f = positive_impact_factor``) if the imbalance shrinks, else negative
      (``f = negative_impact_factor``);
    * the action flips which side is larger ("crossover"):
      ``positive_impact_factor·D₀^e − negative_impact_factor·D₁^e``, so flipping a large
      imbalance into an equal one the other way does not earn a rebate.

    The impact is what *this* action pays or earns, not a price move of the pool; GMX caps a
    positive swap impact by its swap-impact pool (not modelled).

    References
    ----------
    .. [1] gmx-io/gmx-synthetics, ``README.md`` "Price Impact" and
       ``contracts/pricing/PricingUtils.sol`` (``getPriceImpactUsdForSameSideRebalance``,
       ``getPriceImpactUsdForCrossoverRebalance``), https://github.com/gmx-io/gmx-synthetics

    Examples
    --------
    The README example (case G3): factor 0.01/50,000, exponent 2, a balanced 50k/50k pool.
    Depositing $50,000 of long tokens costs $500; withdrawing $25,000 of them afterwards
    earns $375.

    >>> f = 0.01 / 50_000
    >>> round(swap_price_impact(pool_long_usd=50_000, pool_short_usd=50_000,
    ...                         delta_long_usd=50_000, positive_impact_factor=f,
    ...                         negative_impact_factor=f), 9)
    -500.0
    >>> round(swap_price_impact(pool_long_usd=100_000, pool_short_usd=50_000,
    ...                         delta_long_usd=-25_000, positive_impact_factor=f,
    ...                         negative_impact_factor=f), 9)
    375.0
    """
    long0 = v.nonnegative("pool_long_usd", pool_long_usd)
    short0 = v.nonnegative("pool_short_usd", pool_short_usd)
    d_long = v.finite("delta_long_usd", delta_long_usd)
    d_short = v.finite("delta_short_usd", delta_short_usd)
    f_pos = v.nonnegative("positive_impact_factor", positive_impact_factor)
    f_neg = v.nonnegative("negative_impact_factor", negative_impact_factor)
    e = v.positive("impact_exponent", impact_exponent)
    inputs = dict(pool_long_usd=long0, pool_short_usd=short0, delta_long_usd=d_long,
                  delta_short_usd=d_short, positive_impact_factor=f_pos,
                  negative_impact_factor=f_neg, impact_exponent=e)
    long0, short0, d_long, d_short, f_pos, f_neg, e = v.broadcast(**inputs)
    with np.errstate(all="ignore"):
        long1, short1 = long0 + d_long, short0 + d_short
    for name, pool, after in (("delta_long_usd", "pool_long_usd", long1),
                              ("delta_short_usd", "pool_short_usd", short1)):
        bad = after < 0
        if np.any(bad):
            raise ValueError(f"{name} removes more than {pool} holds (the pool side would be "
                             f"{float(after[bad].flat[0]):g} USD): a side cannot go below 0")
    with np.errstate(all="ignore"):
        v.result(long1 + short1, **inputs)
    return v.result(_impact(long0, short0, long1, short1, f_pos, f_neg, e), **inputs)


def position_price_impact(side, *, open_interest_long, open_interest_short, size_delta_usd,
                          positive_impact_factor, negative_impact_factor, impact_exponent=2.0,
                          max_positive_impact_factor=None, max_negative_impact_factor=None):
    """GMX v2 price impact of opening or closing a position, from the open-interest balance.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    open_interest_long, open_interest_short : float or array_like
        Market open interest in USD before the order, >= 0.
    size_delta_usd : float or array_like
        The order's size in USD: > 0 opens or increases, < 0 decreases or closes (at most
        that side's open interest).
    positive_impact_factor, negative_impact_factor : float or array_like
        ``positivePositionImpactFactor`` / ``negativePositionImpactFactor``, >= 0.
    impact_exponent : float or array_like, optional
        ``positionImpactExponentFactor``, > 0.
    max_positive_impact_factor, max_negative_impact_factor : float or array_like, optional
        Caps as fractions of ``|size_delta_usd|`` in [0, 1] (the base config's
        :data:`MAX_POSITIVE_POSITION_IMPACT_FACTOR` 0.4 % and
        :data:`MAX_NEGATIVE_POSITION_IMPACT_FACTOR` 0.5 %); None (default): no cap. GMX
        holds a negative impact beyond the cap as claimable; here it is simply not charged.

    Returns
    -------
    float or ndarray
        Price impact in USD: **negative is a cost** to the trader. GMX does not take it from
        the collateral: it moves the execution price (:func:`increase_position`,
        :func:`decrease_position`).

    Notes
    -----
    The rule of :func:`swap_price_impact` with ``D = |OI_long − OI_short|``: a long adds
    ``size_delta_usd`` to ``OI_long``, a short to ``OI_short``. A trade that widens the
    imbalance pays ``f⁻·(D₁^e − D₀^e)``; one that narrows it earns ``f⁺·(D₀^e − D₁^e)``.

    References
    ----------
    .. [1] gmx-io/gmx-synthetics, ``README.md`` "Price Impact",
       ``contracts/pricing/PositionPricingUtils.sol`` (``getPriceImpactUsd``) and
       ``config/markets.ts`` (max position impact factors),
       https://github.com/gmx-io/gmx-synthetics

    Examples
    --------
    A $50,000 long in a market already 100k long / 50k short (factor 2e-9, exponent 2): the
    imbalance widens from 50k to 100k, a cost of ``2e-9·(100,000² − 50,000²) = $15``. The
    same trade as a short brings the market to 100k/100k: it removes the whole imbalance and
    earns ``2e-9·50,000² = $5``.

    >>> round(position_price_impact("long", open_interest_long=100_000,
    ...                             open_interest_short=50_000, size_delta_usd=50_000,
    ...                             positive_impact_factor=2e-9, negative_impact_factor=2e-9), 9)
    -15.0
    >>> round(position_price_impact("short", open_interest_long=100_000,
    ...                             open_interest_short=50_000, size_delta_usd=50_000,
    ...                             positive_impact_factor=2e-9, negative_impact_factor=2e-9), 9)
    5.0
    """
    s = v.side_sign(side)
    oi_long = v.nonnegative("open_interest_long", open_interest_long)
    oi_short = v.nonnegative("open_interest_short", open_interest_short)
    delta = v.finite("size_delta_usd", size_delta_usd)
    f_pos = v.nonnegative("positive_impact_factor", positive_impact_factor)
    f_neg = v.nonnegative("negative_impact_factor", negative_impact_factor)
    e = v.positive("impact_exponent", impact_exponent)
    caps = {}
    for name, value in (("max_positive_impact_factor", max_positive_impact_factor),
                        ("max_negative_impact_factor", max_negative_impact_factor)):
        caps[name] = np.asarray(np.inf) if value is None else v.fee_rate(name, value)
    inputs = dict(side=s, open_interest_long=oi_long, open_interest_short=oi_short,
                  size_delta_usd=delta, positive_impact_factor=f_pos,
                  negative_impact_factor=f_neg, impact_exponent=e, **caps)
    s, oi_long, oi_short, delta, f_pos, f_neg, e, cap_pos, cap_neg = v.broadcast(**inputs)
    with np.errstate(all="ignore"):
        next_long = np.where(s > 0, oi_long + delta, oi_long)
        next_short = np.where(s < 0, oi_short + delta, oi_short)
    for name, after in (("open_interest_long", next_long), ("open_interest_short", next_short)):
        bad = after < 0
        if np.any(bad):
            raise ValueError(f"size_delta_usd closes more than {name} holds (it would be "
                             f"{float(after[bad].flat[0]):g} USD)")
    named = {k: val for k, val in inputs.items() if not k.startswith("max_")}
    with np.errstate(all="ignore"):
        v.result(next_long + next_short, **named)
    impact = np.asarray(v.result(_impact(oi_long, oi_short, next_long, next_short, f_pos,
                                         f_neg, e), **named))
    with np.errstate(all="ignore"):
        size = np.abs(delta)
        impact = np.minimum(impact, np.where(np.isinf(cap_pos), np.inf, cap_pos * size))
        impact = np.maximum(impact, np.where(np.isinf(cap_neg), -np.inf, -cap_neg * size))
    return v.scalar_or_array(impact + 0.0)


@dataclass(frozen=True)
class PositionIncrease:
    """A GMX v2 position opened (or increased) with price impact.

    Attributes
    ----------
    size_in_usd : float or ndarray
        ``sizeInUsd``: the USD size the trader asked for (the requirement is on it).
    size_in_tokens : float or ndarray
        ``sizeInTokens = (Δ + s·impact)/P``: a negative impact gives a long fewer tokens.
    execution_price : float or ndarray
        Entry price ``sizeInUsd / sizeInTokens``.
    pending_pnl : float or ndarray
        PnL at the oracle price right after opening, ``= price_impact_usd``.
    """

    size_in_usd: object
    size_in_tokens: object
    execution_price: object
    pending_pnl: object


def increase_position(side, *, size_delta_usd, price, price_impact_usd):
    """Open a GMX v2 position: price impact moves the entry price, not the collateral.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size_delta_usd : float or array_like
        Size of the position in USD, > 0.
    price : float or array_like
        Oracle price of the index token, > 0.
    price_impact_usd : float or array_like
        From :func:`position_price_impact` (negative: a cost), with ``|impact| < size``.

    Returns
    -------
    PositionIncrease

    Notes
    -----
    Long: ``tokens = (Δ + impact)/P``; short: ``tokens = (Δ − impact)/P``; the entry price is
    ``Δ/tokens``. The trader's pending PnL at the oracle price, ``s·(tokens·P − Δ)``, equals the
    impact: the pool's impact pool holds the matching tokens, so the pool value is unchanged.

    References
    ----------
    .. [1] gmx-io/gmx-synthetics, ``README.md`` "Price Impact" (the 9.99-token example),
       https://github.com/gmx-io/gmx-synthetics

    Examples
    --------
    Case G4: oracle 5,000, a $50,000 long with a −0.1 % impact (−$50) → 9.99 tokens, entry
    ≈ 5,005, pending PnL −$50.

    >>> p = increase_position("long", size_delta_usd=50_000, price=5_000,
    ...                       price_impact_usd=-50)
    >>> round(p.size_in_tokens, 9), round(p.execution_price, 3), round(p.pending_pnl, 9)
    (9.99, 5005.005, -50.0)
    """
    s = v.side_sign(side)
    size = v.positive("size_delta_usd", size_delta_usd)
    price = v.positive("price", price)
    impact = v.finite("price_impact_usd", price_impact_usd)
    inputs = dict(side=s, size_delta_usd=size, price=price, price_impact_usd=impact)
    s, size, price, impact = v.broadcast(**inputs)
    with np.errstate(all="ignore"):
        bad = np.abs(impact) >= size
    if np.any(bad):
        raise ValueError("price_impact_usd must be smaller in size than size_delta_usd, got "
                         f"{float(impact[bad].flat[0]):g} for {float(size[bad].flat[0]):g}")
    with np.errstate(all="ignore"):
        tokens = (size + s * impact) / price
        entry = size / tokens
        pnl = s * (tokens * price - size)
    f = v.result
    return PositionIncrease(v.scalar_or_array(size + 0.0), f(tokens, **inputs),
                            f(entry, **inputs), f(pnl + 0.0, **inputs))


@dataclass(frozen=True)
class PositionDecrease:
    """A GMX v2 position closed with price impact (fees left out).

    Attributes
    ----------
    pnl : float or ndarray
        PnL at the oracle price, ``s·(tokens·P − sizeInUsd)``.
    price_impact_usd : float or ndarray
        The closing order's impact (negative: a cost).
    execution_price : float or ndarray
        The exit price that realises both, ``P + s·impact/tokens``.
    amount_out : float or ndarray
        What the trader receives: ``collateral + pnl + impact``, floored at 0.
    bad_debt : float or ndarray
        What the pool absorbs when that would be negative, ``max(−(…), 0)``.
    """

    pnl: object
    price_impact_usd: object
    execution_price: object
    amount_out: object
    bad_debt: object


def decrease_position(side, *, size_in_usd, size_in_tokens, collateral, price,
                      price_impact_usd):
    """Close a whole GMX v2 position at the oracle price with a closing price impact.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size_in_usd, size_in_tokens : float or array_like
        The position (:class:`PositionIncrease`), > 0.
    collateral : float or array_like
        Its collateral in USD, > 0.
    price : float or array_like
        Oracle price at the close, > 0.
    price_impact_usd : float or array_like
        The closing order's impact from :func:`position_price_impact` with
        ``size_delta_usd = −size_in_usd`` (negative: a cost), any finite number.

    Returns
    -------
    PositionDecrease

    Notes
    -----
    ``amount_out = max(collateral + s·(tokens·P − sizeInUsd) + impact, 0)``; the split into
    what is returned and what is lost beyond the collateral is the settlement kernel's
    (:func:`marginlib.settlement.settle` with no fee). Position, borrowing and funding fees are
    not included.

    References
    ----------
    .. [1] gmx-io/gmx-synthetics, ``README.md`` "Price Impact" ("the user would receive
       (original position collateral − $150)"), https://github.com/gmx-io/gmx-synthetics

    Examples
    --------
    Case G4, closing at the same oracle price with a −0.2 % impact (−$100): PnL −$50 plus
    −$100 of impact, so the trader gets the collateral less $150.

    >>> d = decrease_position("long", size_in_usd=50_000, size_in_tokens=9.99,
    ...                       collateral=5_000, price=5_000, price_impact_usd=-100)
    >>> round(d.pnl, 9), round(d.amount_out, 9), round(d.execution_price, 2)
    (-50.0, 4850.0, 4989.99)
    """
    s = v.side_sign(side)
    size = v.positive("size_in_usd", size_in_usd)
    tokens = v.positive("size_in_tokens", size_in_tokens)
    collateral = v.positive("collateral", collateral)
    price = v.positive("price", price)
    impact = v.finite("price_impact_usd", price_impact_usd)
    inputs = dict(side=s, size_in_usd=size, size_in_tokens=tokens, collateral=collateral,
                  price=price, price_impact_usd=impact)
    s, size, tokens, collateral, price, impact = v.broadcast(**inputs)
    with np.errstate(all="ignore"):
        pnl = s * (tokens * price - size)
        exit_price = price + s * impact / tokens
        equity = collateral + pnl + impact
    pnl = v.result(pnl + 0.0, **inputs)
    exit_price = np.asarray(v.result(exit_price, **inputs))
    out = settle(equity=v.result(equity, **inputs), notional=0.0)
    return PositionDecrease(pnl, v.scalar_or_array(impact + 0.0),
                            v.scalar_or_array(np.maximum(exit_price, 0.0)), out.returned,
                            out.bad_debt)


@dataclass(frozen=True)
class MinimumsCheck:
    """Whether a GMX v2 position can be opened, and which minimum binds.

    Attributes
    ----------
    allowed : bool
        True when every minimum is met.
    binding : str
        The minimum that decides: ``"min_position_size_usd"``, ``"min_collateral_usd"``,
        ``"min_collateral_factor"`` (the leverage cap), or ``"none"`` when all are met (then
        the one closest to binding is named in ``reason``).
    required_collateral : float
        Smallest collateral (after the opening fee) that meets both collateral minimums,
        ``max(min_collateral_usd, size·min_collateral_factor)``.
    collateral_after_fee : float
        ``collateral − size·taker_fee_rate``.
    max_leverage : float
        Largest leverage the minimums allow at this size: ``size / required_collateral``.
    liquidation_threshold : float
        Remaining collateral below which the position is liquidated (the same two minimums).
    effective_maintenance_rate : float
        ``liquidation_threshold / size``: the $1 floor makes it exceed ``min_collateral_factor``
        for positions under ``min_collateral_usd / min_collateral_factor`` ($100).
    reason : str
        A sentence for the learner.
    """

    allowed: bool
    binding: str
    required_collateral: float
    collateral_after_fee: float
    max_leverage: float
    liquidation_threshold: float
    effective_maintenance_rate: float
    reason: str



def check_minimums(*, collateral, size_usd, taker_fee_rate=0.0006,
                   min_collateral_usd=MIN_COLLATERAL_USD,
                   min_collateral_factor=MIN_COLLATERAL_FACTOR, min_position_size_usd=0.0):
    """Can a (small) account open this GMX v2 position? A record naming the binding minimum.

    Parameters
    ----------
    collateral : float
        Collateral deposited with the order, USD, > 0 (100 for a 100 USDC account).
    size_usd : float
        Position size ``sizeInUsd``, > 0.
    taker_fee_rate : float, optional
        Opening position fee (``positionFeeFactor``: 0.06 % when the order worsens the
        balance, 0.04 % when it improves it), in [0, 1]; taken from the collateral.
    min_collateral_usd : float, optional
        ``minCollateralUsd`` (:data:`MIN_COLLATERAL_USD`, $1 in the base config), >= 0.
    min_collateral_factor : float, optional
        ``minCollateralFactor`` (:data:`MIN_COLLATERAL_FACTOR`, 1 %; 0.5 % on some markets),
        in (0, 1): every GMX market has one, and it caps the leverage at ``1/factor``.
    min_position_size_usd : float, optional
        A minimum position size if the venue or interface sets one, >= 0 (0: none; the
        contracts' base config sets none).

    Returns
    -------
    MinimumsCheck
        A record, not an exception: a refused order is an answer to the question, and the
        record says which minimum refused it and by how much.

    Notes
    -----
    Opening requires ``size >= min_position_size_usd`` and
    ``collateral − fee >= max(min_collateral_usd, size·min_collateral_factor)``. The same two
    collateral minimums are the liquidation test of ``PositionUtils.isPositionLiquidatable``
    (remaining collateral below either), so for a position under
    ``min_collateral_usd / min_collateral_factor`` the $1 floor, not the 1 %, is the
    maintenance requirement. Price impact, borrowing and funding are left out.

    References
    ----------
    .. [1] gmx-io/gmx-synthetics, ``contracts/position/PositionUtils.sol``
       (``isPositionLiquidatable``, ``validatePosition``), ``config/general.ts``
       (``minCollateralUsd``) and ``config/markets.ts`` (``minCollateralFactor``), commit
       a5c0c88, https://github.com/gmx-io/gmx-synthetics

    Examples
    --------
    A 100 USDC account can open $5,000 (50×) but not $20,000 (200×, the 1 % minimum binds):

    >>> check_minimums(collateral=100, size_usd=5_000).allowed
    True
    >>> c = check_minimums(collateral=100, size_usd=20_000)
    >>> c.allowed, c.binding, round(c.required_collateral, 2)
    (False, 'min_collateral_factor', 200.0)

    A $50 position: the $1 floor is a 2 % maintenance requirement, twice the 1 %.

    >>> check_minimums(collateral=10, size_usd=50).effective_maintenance_rate
    0.02
    """
    collateral = v.single_number("collateral", collateral, v.positive)
    size = v.single_number("size_usd", size_usd, v.positive)
    fee_rate = v.single_number("taker_fee_rate", taker_fee_rate, v.fee_rate)
    floor = v.single_number("min_collateral_usd", min_collateral_usd, v.nonnegative)
    factor = v.single_number("min_collateral_factor", min_collateral_factor, v.unit_rate)
    if factor < np.finfo(float).tiny:
        raise ValueError(f"min_collateral_factor must be > 0 (every GMX market has one; 0.01 = "
                         f"1 %, at most 100x), got {min_collateral_factor!r}")
    min_size = v.single_number("min_position_size_usd", min_position_size_usd, v.nonnegative)
    inputs = dict(collateral=collateral, size_usd=size, taker_fee_rate=fee_rate,
                  min_collateral_usd=floor, min_collateral_factor=factor)
    with np.errstate(all="ignore"):
        by_factor = np.float64(size) * factor
        required = max(floor, float(by_factor))
        after_fee = collateral - np.float64(size) * fee_rate
        threshold = required
        eff_rate = np.float64(threshold) / size
        max_lev = np.float64(size) / required
    v.result(np.array([by_factor, after_fee, eff_rate, max_lev]), **inputs)
    after_fee, eff_rate, max_lev = float(after_fee), float(eff_rate), float(max_lev)
    collateral_binds = "min_collateral_usd" if floor >= by_factor else "min_collateral_factor"
    if size < min_size:
        allowed, binding = False, "min_position_size_usd"
        reason = (f"size {size:,.2f} USD is below the minimum position size "
                  f"{min_size:,.2f} USD")
    elif after_fee < required:
        allowed, binding = False, collateral_binds
        short = required - after_fee
        if binding == "min_collateral_usd":
            reason = (f"collateral after the opening fee, {after_fee:,.2f} USD, is below "
                      f"minCollateralUsd {floor:,.2f} USD: add {short:,.2f} USD (a smaller size "
                      f"does not help, this floor does not scale with size)")
        else:
            reason = (f"collateral after the opening fee, {after_fee:,.2f} USD, is below "
                      f"minCollateralFactor {factor:.4g} × size = {required:,.2f} USD (at most "
                      f"{max_lev:,.4g}× leverage): add {short:,.2f} USD or open a smaller size")
    else:
        allowed, binding = True, "none"
        closest = (f"minCollateralUsd {floor:,.2f} USD" if collateral_binds == "min_collateral_usd"
                   else f"minCollateralFactor {factor:.4g} × size = {required:,.2f} USD")
        reason = (f"allowed: {after_fee:,.2f} USD of collateral after the opening fee meets "
                  f"{closest} (the minimum closest to binding); the position is liquidated when "
                  f"its remaining collateral falls below {threshold:,.2f} USD "
                  f"({eff_rate:.4%} of size)")
    return MinimumsCheck(allowed, binding, float(required), after_fee, max_lev,
                         float(threshold), eff_rate, reason)
