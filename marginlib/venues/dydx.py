"""dYdX v4: impact notional, open-interest-scaled initial margin, hourly funding and its cap.

dYdX names a market's initial and maintenance margin fractions IMF and MMF; here they are
``initial_margin_rate`` and ``maintenance_margin_rate`` like everywhere in marginlib. Max
leverage is ``1/IMF``; liquidation is the generic rule (maintenance at the oracle price,
liquidated when equity is strictly below maintenance).

References
----------
.. [1] dYdX v4 documentation (``concepts/trading/margin.mdx``, ``funding.mdx``,
   ``governance.mdx``, commit 3e475b7), https://github.com/dydxprotocol/v4-documentation
"""
from __future__ import annotations

import types
from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from ..funding import FundingCap
from ..funding import funding_payment  # noqa: F401 - used by the doctest
from ..settlement import settle
from ._base import Venue, flat_tiers, fraction

__all__ = [
    "impact_notional",
    "effective_initial_margin_rate",
    "funding_cap",
    "funding_rate",
    "IMPACT_NOTIONAL_NUMERATOR",
    "FUNDING_CAP_MULTIPLIER",
    "FUNDING_CAPS",
    "PRESETS",
    "MAX_LIQUIDATION_SPREAD_MULTIPLIER", "MAX_LIQUIDATION_PENALTY", "worst_liquidation_price", "LiquidationOutcome", "liquidation_outcome",
]

#: Impact notional = 500 USDC / initial margin fraction.
IMPACT_NOTIONAL_NUMERATOR = 500.0
#: The 8-hour funding cap is this multiple of ``IMF − MMF`` (600 %).
FUNDING_CAP_MULTIPLIER = 6.0

_SOURCE = ("dYdX v4 docs governance.mdx, liquidity tiers (commit 3e475b7), "
           "https://github.com/dydxprotocol/v4-documentation")

#: The isolated-market funding cap as a record (per 8 h, paid hourly at 1/8).
FUNDING_CAPS = types.MappingProxyType({
    "dydx_isolated": FundingCap(
        "dydx_isolated", "dYdX v4 Isolated (IMF 5 %, MMF 3 %)", 0.12, 8.0,
        "dYdX v4 docs funding.mdx, governance.mdx (commit 3e475b7), "
        "https://github.com/dydxprotocol/v4-documentation", "2025",
        "600 % × (IMF − MMF); paid hourly at 1/8"),
})


def impact_notional(initial_margin_rate):
    """dYdX v4 impact notional used to sample the funding premium: ``500 USDC / IMF``.

    Parameters
    ----------
    initial_margin_rate : float or array_like
        The market's initial margin fraction (dYdX calls it IMF), in (0, 1] (0.10 for
        Small-Cap).

    Returns
    -------
    float or ndarray
        Impact notional in USDC.

    Notes
    -----
    ``funding.mdx`` states the rule ``500 USDC / IMF``. The governance liquidity-tier table
    follows it for Large-Cap (25,000), Small-Cap (5,000) and Long-Tail (2,500) but lists other
    configured values for some tiers (e.g. Mid-Cap 5,000 at IMF 0.05, Safety 2,500 at IMF 1):
    prefer a tier's configured impact notional when you have it.

    References
    ----------
    .. [1] dYdX v4 docs, ``concepts/trading/funding.mdx`` and ``governance.mdx``
       (commit 3e475b7), https://github.com/dydxprotocol/v4-documentation

    Examples
    --------
    >>> impact_notional(0.10)
    5000.0
    >>> impact_notional(0.02)
    25000.0
    """
    imf = fraction("initial_margin_rate", initial_margin_rate)
    with np.errstate(all="ignore"):
        out = IMPACT_NOTIONAL_NUMERATOR / imf
    return v.result(out, initial_margin_rate=imf)


def effective_initial_margin_rate(*, initial_margin_rate, open_interest_notional, lower_cap,
                                  upper_cap):
    """dYdX v4 initial margin fraction scaled up with the market's open interest.

    Parameters
    ----------
    initial_margin_rate : float or array_like
        Base initial margin fraction of the liquidity tier (dYdX calls it IMF), in (0, 1].
    open_interest_notional : float or array_like
        Market open interest × oracle price, USDC, >= 0.
    lower_cap, upper_cap : float or array_like
        The tier's open-interest caps (USDC), ``0 <= lower_cap < upper_cap``; both 0 means no
        open-interest scaling (the base IMF, as on Large-Cap).

    Returns
    -------
    float or ndarray
        ``min(IMF + max(scale·(1 − IMF), 0), 1)`` with
        ``scale = (OI·P − lower_cap)/(upper_cap − lower_cap)``: the base IMF below the lower
        cap, rising linearly to 1 (no new leverage) at the upper cap. The maintenance fraction
        is unchanged.

    References
    ----------
    .. [1] dYdX v4 docs, ``concepts/trading/margin.mdx`` (open-interest-based IMF), commit
       3e475b7, https://github.com/dydxprotocol/v4-documentation

    Examples
    --------
    Small-Cap (IMF 0.10, caps 20M–50M) at 35M open notional: scale 0.5 → 0.55 (case D7).

    >>> round(effective_initial_margin_rate(initial_margin_rate=0.10,
    ...                                     open_interest_notional=35e6, lower_cap=20e6,
    ...                                     upper_cap=50e6), 10)
    0.55

    Caps 0/0: no scaling.

    >>> effective_initial_margin_rate(initial_margin_rate=0.02, open_interest_notional=1e9,
    ...                               lower_cap=0, upper_cap=0)
    0.02
    """
    imf = fraction("initial_margin_rate", initial_margin_rate)
    oi = v.nonnegative("open_interest_notional", open_interest_notional)
    lower = v.nonnegative("lower_cap", lower_cap)
    upper = v.nonnegative("upper_cap", upper_cap)
    v.broadcast(initial_margin_rate=imf, open_interest_notional=oi, lower_cap=lower,
                upper_cap=upper)
    unscaled = (lower == 0) & (upper == 0)
    if np.any((upper <= lower) & ~unscaled):
        raise ValueError("upper_cap must be greater than lower_cap (or both 0: no scaling)")
    with np.errstate(all="ignore"):
        width = np.where(unscaled, 1.0, upper - lower)
        scale = np.where(unscaled, 0.0, (oi - lower) / width)
        # an overflowing scale (a huge open interest over a tiny width) is simply "capped"
        scale = np.where(np.isnan(scale), 0.0, scale)
        out = np.minimum(imf + np.maximum(scale * (1.0 - imf), 0.0), 1.0)
    return v.scalar_or_array(np.broadcast_to(out, np.broadcast(imf, oi, lower, upper).shape))


def funding_cap(*, initial_margin_rate, maintenance_margin_rate):
    """dYdX v4's 8-hour funding cap: ``600 % × (IMF − MMF)``.

    Parameters
    ----------
    initial_margin_rate : float or array_like
        The market's initial margin fraction (dYdX calls it IMF), in (0, 1].
    maintenance_margin_rate : float or array_like
        The market's maintenance margin fraction (dYdX calls it MMF), in [0, IMF]; IMF = MMF
        gives a cap of 0.

    Returns
    -------
    float or ndarray
        Cap per 8 hours as a fraction; divide by 8 for the hourly cap.

    References
    ----------
    .. [1] dYdX v4 docs, ``pages/concepts/trading/funding.mdx`` (commit 3e475b7),
       https://github.com/dydxprotocol/v4-documentation

    Examples
    --------
    Case D5: IMF 5 %, MMF 3 % → 12 % per 8 h.

    >>> round(funding_cap(initial_margin_rate=0.05, maintenance_margin_rate=0.03), 12)
    0.12
    >>> funding_cap(initial_margin_rate=0.05, maintenance_margin_rate=0.05)
    0.0
    """
    imf = fraction("initial_margin_rate", initial_margin_rate)
    mmf = v.nonnegative("maintenance_margin_rate", maintenance_margin_rate)
    v.broadcast(initial_margin_rate=imf, maintenance_margin_rate=mmf)
    if np.any(mmf > imf):
        raise ValueError("maintenance_margin_rate must be <= initial_margin_rate (MMF <= IMF)")
    return v.scalar_or_array(FUNDING_CAP_MULTIPLIER * (imf - mmf) + 0.0)


def funding_rate(premium, *, interest_rate=0.0, initial_margin_rate=None,
                 maintenance_margin_rate=None):
    """dYdX v4 hourly funding rate: ``premium/8 + interest``, optionally capped.

    Parameters
    ----------
    premium : float or array_like
        The hour's average premium (an 8-hour rate), any sign.
    interest_rate : float or array_like, optional
        Interest per hour: 0 for cross markets, 0.0000125 (0.125 bp/h) for isolated markets.
    initial_margin_rate, maintenance_margin_rate : float, optional
        The market's IMF and MMF (dYdX's names). When both are given, the 8-hour equivalent
        ``8 × rate`` is clipped to :func:`funding_cap`.

    Returns
    -------
    float or ndarray
        Rate per hour. A long pays ``rate × size × oracle`` each hour when it is positive.

    References
    ----------
    .. [1] dYdX v4 docs, ``funding.mdx`` (commit 3e475b7),
       https://github.com/dydxprotocol/v4-documentation
    .. [2] dYdX governance, isolated-market default funding rate,
       https://dydx.forum/t/drc-update-default-funding-rate-for-isolated-markets/3417

    Examples
    --------
    Case D8: premium 0.08 %, cross market → 0.01 %/h; 2 BTC long at 60,000 pays 12 USDC.

    >>> rate = funding_rate(0.0008)
    >>> round(rate, 12)
    0.0001
    >>> round(funding_payment("long", size=2, price=60_000, funding_rate=rate), 9)
    -12.0
    """
    premium = v.finite("premium", premium)
    interest = v.finite("interest_rate", interest_rate)
    v.broadcast(premium=premium, interest_rate=interest)
    with np.errstate(all="ignore"):
        hourly = v.result(np.asarray(premium / 8.0 + interest), premium=premium,
                          interest_rate=interest)
    if (initial_margin_rate is None) != (maintenance_margin_rate is None):
        raise ValueError("give both initial_margin_rate and maintenance_margin_rate, "
                         "or neither")
    if initial_margin_rate is not None:
        cap = np.asarray(funding_cap(initial_margin_rate=initial_margin_rate,
                                     maintenance_margin_rate=maintenance_margin_rate))
        v.broadcast(premium=premium, interest_rate=interest,
                    initial_margin_rate=np.asarray(initial_margin_rate, dtype=float),
                    maintenance_margin_rate=np.asarray(maintenance_margin_rate, dtype=float))
        hourly = np.clip(hourly, -cap / 8.0, cap / 8.0)
    return v.scalar_or_array(hourly + 0.0)


#: Venue presets of this module (also in :data:`marginlib.venues.VENUES`).
PRESETS = (
    Venue(
        key="dydx_v4_large_cap", name="dYdX v4 (Large-Cap)", max_leverage=50,
        tiers=flat_tiers(0.012, 50, "Large-Cap MMF 1.2 % (IMF 2 %)", _SOURCE, "2025"),
        taker_fee_rate=0.0005, liquidation_fee_rate=0.015, funding_interval_hours=1,
        source=_SOURCE, as_of="2025",
        notes="max leverage = 1/IMF; liquidation penalty is a maximum (1.5 %)"),
    Venue(
        key="dydx_v4_small_cap", name="dYdX v4 (Small-Cap)", max_leverage=10,
        tiers=flat_tiers(0.05, 10, "Small-Cap MMF 5 % (IMF 10 %)", _SOURCE, "2025"),
        taker_fee_rate=0.0005, liquidation_fee_rate=0.015, funding_interval_hours=1,
        source=_SOURCE, as_of="2025",
        notes="IMF rises with open interest above 20M USDC (not modelled here)"),
)


# ------------------------------------------------- liquidation into the book (issue 9) ---

#: A liquidation order fills no further from the oracle price than this multiple of the MMF.
MAX_LIQUIDATION_SPREAD_MULTIPLIER = 1.5
#: The maximum liquidation penalty (to the insurance fund), a fraction of the closed notional.
MAX_LIQUIDATION_PENALTY = 0.015


def worst_liquidation_price(side, *, oracle_price, maintenance_margin_rate):
    """The worst price a dYdX v4 liquidation order may fill at: ``P·(1 − s·1.5·MMF)``.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
        The side of the position being liquidated (a long is sold, a short bought).
    oracle_price : float or array_like
        > 0.
    maintenance_margin_rate : float or array_like
        The market's maintenance margin fraction (dYdX calls it MMF), in [0, 1).

    Returns
    -------
    float or ndarray
        ``P·(1 − 1.5·MMF)`` for a long (floored at 0), ``P·(1 + 1.5·MMF)`` for a short.

    References
    ----------
    .. [1] dYdX v4 docs, ``concepts/trading/liquidations.mdx`` (maximum liquidation order
       spread from the oracle price: 1.5 × MMF), commit 3e475b7,
       https://github.com/dydxprotocol/v4-documentation

    Examples
    --------
    Case D4: oracle 0.801, MMF 3 % → a long is sold no lower than 0.801·0.955.

    >>> round(worst_liquidation_price("long", oracle_price=0.801, maintenance_margin_rate=0.03), 6)
    0.764955
    """
    s = v.side_sign(side)
    price = v.positive("oracle_price", oracle_price)
    mmf = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    s, price, mmf = v.broadcast(side=s, oracle_price=price, maintenance_margin_rate=mmf)
    with np.errstate(all="ignore"):
        out = np.maximum(price * (1.0 - s * MAX_LIQUIDATION_SPREAD_MULTIPLIER * mmf), 0.0)
    return v.result(out, oracle_price=price, maintenance_margin_rate=mmf)


@dataclass(frozen=True)
class LiquidationOutcome:
    """A dYdX v4 isolated position liquidated at a book fill price.

    Attributes
    ----------
    liquidated : bool or ndarray
        Equity at the oracle price strictly below maintenance (otherwise every amount is 0).
    equity, maintenance : float or ndarray
        At the oracle price: ``M + s·q·(P − E)`` and ``q·P·MMF``.
    pnl : float or ndarray
        Realised at the fill, ``s·q·(F − E)``.
    penalty : float or ndarray
        Liquidation penalty to the insurance fund, ``min(f·q·F, max(equity at fill, 0))``.
    returned : float or ndarray
        Left for the trader.
    insurance_fund_pays : float or ndarray
        The loss beyond the margin, ``max(−(M + pnl), 0)``.
    """

    liquidated: object
    equity: object
    maintenance: object
    pnl: object
    penalty: object
    returned: object
    insurance_fund_pays: object


def liquidation_outcome(side, *, size, entry_price, margin, oracle_price, fill_price,
                        maintenance_margin_rate, liquidation_fee_rate=MAX_LIQUIDATION_PENALTY):
    """Liquidate a dYdX v4 isolated position at a fill price: who pays what.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size, entry_price, margin : float or array_like
        The position: base units, entry price and its collateral, all > 0.
    oracle_price : float or array_like
        The oracle price that triggers the liquidation, > 0.
    fill_price : float or array_like
        Where the liquidation order fills in the book, > 0, no worse than
        :func:`worst_liquidation_price` (a thin book fills far from the oracle).
    maintenance_margin_rate : float or array_like
        MMF in [0, 1).
    liquidation_fee_rate : float or array_like, optional
        Penalty rate in [0, 1] (the 1.5 % maximum by default).

    Returns
    -------
    LiquidationOutcome

    Notes
    -----
    Liquidated iff ``M + s·q·(P − E) < q·P·MMF`` at the oracle price (strictly below). The
    equity after the fill, ``M + s·q·(F − E)``, is split by the settlement kernel
    (:func:`marginlib.settlement.settle`): penalty, what is returned, and the bad debt the
    market's insurance fund pays.

    References
    ----------
    .. [1] dYdX v4 docs, ``concepts/trading/liquidations.mdx`` and
       ``contract-loss-mechanism.mdx`` (insurance fund), commit 3e475b7,
       https://github.com/dydxprotocol/v4-documentation

    Examples
    --------
    Case D4: 100 of collateral, long 500 at 1, MMF 3 %. At the oracle 0.801 the equity (0.5)
    is below maintenance; the order fills at 0.77: PnL −115, the insurance fund pays 15.

    >>> out = liquidation_outcome("long", size=500, entry_price=1, margin=100,
    ...                           oracle_price=0.801, fill_price=0.77,
    ...                           maintenance_margin_rate=0.03)
    >>> out.liquidated, round(out.equity, 6), round(out.pnl, 6), round(out.insurance_fund_pays, 6)
    (True, 0.5, -115.0, 15.0)
    """
    s = v.side_sign(side)
    size = v.positive("size", size)
    entry = v.positive("entry_price", entry_price)
    margin = v.positive("margin", margin)
    oracle = v.positive("oracle_price", oracle_price)
    fill = v.positive("fill_price", fill_price)
    mmf = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    rate = v.fee_rate("liquidation_fee_rate", liquidation_fee_rate)
    inputs = dict(side=s, size=size, entry_price=entry, margin=margin, oracle_price=oracle,
                  fill_price=fill, maintenance_margin_rate=mmf, liquidation_fee_rate=rate)
    s, size, entry, margin, oracle, fill, mmf, rate = v.broadcast(**inputs)
    with np.errstate(all="ignore"):
        worst = np.maximum(oracle * (1.0 - s * MAX_LIQUIDATION_SPREAD_MULTIPLIER * mmf), 0.0)
        tol = 1e-12 * oracle
        bad = np.where(s > 0, fill < worst - tol, fill > worst + tol)
    if np.any(bad):
        raise ValueError(
            f"fill_price {float(fill[bad].flat[0]):g} is beyond the maximum liquidation spread "
            f"from oracle_price (1.5 × maintenance_margin_rate: no worse than "
            f"{float(worst[bad].flat[0]):g})")
    named = {k: x for k, x in inputs.items() if k != "side"}
    with np.errstate(all="ignore"):
        equity = margin + s * size * (oracle - entry)
        maintenance = size * oracle * mmf
        pnl = s * size * (fill - entry)
        after = margin + pnl
        notional = size * fill
    equity, maintenance, pnl, after, notional = (
        np.asarray(v.result(x, **named)) for x in (equity, maintenance, pnl, after, notional))
    liquidated = equity < maintenance
    out = settle(equity=after, notional=notional, liquidation_fee_rate=rate)
    zero = np.zeros(np.shape(liquidated))
    f = v.scalar_or_array
    pick = lambda x: f(np.where(liquidated, x, zero) + 0.0)  # noqa: E731
    flag = bool(liquidated) if np.ndim(liquidated) == 0 else liquidated
    return LiquidationOutcome(flag, f(equity + 0.0), f(maintenance + 0.0), pick(pnl),
                              pick(out.fee), pick(out.returned), pick(out.bad_debt))
