"""Venue-specific margin rules that the generic model (G1) does not cover by itself.

Each function is one published rule of one venue (Bybit UTA, Phemex, Hyperliquid, dYdX v4,
Drift v2), restated in the course notation (``VENUES.md`` §0: ``s = +1`` long / ``-1`` short,
``q`` size, ``E`` entry price, ``L`` leverage, ``m`` maintenance-margin rate). Where a rule is
the generic liquidation price with a venue-specific margin (Bybit UTA's fee-to-close gross-up,
Phemex's position balance), the function says so, so the two can be cross-checked.

Venues change parameters often: every rate is an input, the constants below are the published
rule (not a parameter snapshot).
"""
from __future__ import annotations

import numpy as np

from . import _validation as v

__all__ = [
    "HYPERLIQUID_BACKSTOP_FRACTION",
    "DYDX_IMPACT_NOTIONAL_NUMERATOR",
    "DRIFT_SIZE_DISCOUNT_NUMERATOR",
    "initial_margin",
    "fee_to_close",
    "bybit_uta_liquidation_price",
    "phemex_position_balance",
    "hyperliquid_maintenance_rate",
    "hyperliquid_backstop_threshold",
    "dydx_impact_notional",
    "dydx_effective_imf",
    "drift_asset_weight",
]

#: Hyperliquid: backstop liquidation (by the HLP vault) when equity < 2/3 of maintenance.
HYPERLIQUID_BACKSTOP_FRACTION = 2.0 / 3.0
#: dYdX v4: impact notional = 500 USDC / initial margin fraction.
DYDX_IMPACT_NOTIONAL_NUMERATOR = 500.0
#: Drift v2: size-discounted asset weight = 1.1 / (1 + imf_factor·√size).
DRIFT_SIZE_DISCOUNT_NUMERATOR = 1.1


def _fraction(name, value):
    """A fraction in (0, 1] (dYdX's IMF can be 1: the Safety tier)."""
    arr = v.finite(name, value)
    bad = (arr <= 0) | (arr > 1)
    if np.any(bad):
        flat = np.ravel(arr[bad])
        raise ValueError(
            f"{name} must be a fraction in (0, 1] (0.05 = 5 %), got {float(flat[0])!r}")
    return arr


def initial_margin(size, price, leverage, max_leverage=None):
    """Initial margin of a position: ``q·P / L``.

    Parameters
    ----------
    size : float or array_like
        Position size in base units, > 0.
    price : float or array_like
        Price the requirement is evaluated at (entry on Binance/Bybit, mark on Hyperliquid),
        quote per base unit, > 0.
    leverage : float or array_like
        Chosen leverage, >= 1.
    max_leverage : float, optional
        The venue's (or tier's) maximum leverage; a larger ``leverage`` raises ``ValueError``.

    Returns
    -------
    float or ndarray
        Initial margin in quote currency.

    Notes
    -----
    ``IM = q·P / L`` (initial margin rate ``IMR = 1/L``). Bybit classic evaluates it at
    entry, Hyperliquid at the mark (``IM = q·P_mark/L``).

    References
    ----------
    .. [1] Binance, "Leverage and Margin of USDⓈ-M Futures",
       https://www.binance.com/en/support/faq/360033162192
    .. [2] Hyperliquid docs, Margining,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margining

    Examples
    --------
    A $10,000 Hyperliquid position at 10× on a 20× asset needs 1,000 (case H2):

    >>> initial_margin(size=1, price=10_000, leverage=10, max_leverage=20)
    1000.0
    """
    size = v.positive("size", size)
    price = v.positive("price", price)
    leverage = v.leverage_value("leverage", leverage, max_leverage)
    return v.scalar_or_array(size * price / leverage)


def fee_to_close(side, size, entry_price, leverage, taker_fee_rate):
    """Taker fee to close a position at its bankruptcy price (Bybit UTA, Phemex).

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size : float or array_like
        Base units, > 0.
    entry_price : float or array_like
        Entry price, > 0.
    leverage : float or array_like
        Leverage, >= 1.
    taker_fee_rate : float or array_like
        Taker fee as a fraction of notional, in [0, 1) (0.00055 = 0.055 %).

    Returns
    -------
    float or ndarray
        ``q·E·(1 − s/L)·taker`` in quote currency: the value at the bankruptcy price
        ``E·(1 − s/L)`` times the taker fee.

    Notes
    -----
    Bybit UTA adds this "fee to close" to both the initial and the maintenance margin;
    Phemex adds it to the position balance (``closeFee = bankruptcyValue × takerFee``).

    References
    ----------
    .. [1] Bybit, "UTA Trading Rules" (USDT perpetual, isolated),
       https://www.bybit.com/en/help-center/article/UTA-Trading-Rules
    .. [2] Phemex, "Liquidation price for USDⓈ-M perpetual",
       https://phemex.com/help-center/liq-price-for-USDTM

    Examples
    --------
    Bybit's UTA example, 1 BTC long at 40,000 with 50×, taker 0.055 % (case Y4):

    >>> round(fee_to_close("long", 1, 40_000, 50, 0.00055), 2)
    21.56
    """
    s = v.side_sign(side)
    size = v.positive("size", size)
    entry_price = v.positive("entry_price", entry_price)
    leverage = v.leverage_value("leverage", leverage)
    taker = v.unit_rate("taker_fee_rate", taker_fee_rate)
    return v.scalar_or_array(size * entry_price * (1.0 - s / leverage) * taker)


def bybit_uta_liquidation_price(side, entry_price, size, leverage, maintenance_margin_rate, *,
                                extra_margin=0.0, taker_fee_rate=0.0, mm_deduction=0.0,
                                max_leverage=None):
    """Liquidation price of an isolated USDT perpetual on a Bybit Unified Trading Account.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price : float or array_like
        Entry price, > 0.
    size : float or array_like
        Base units, > 0.
    leverage : float or array_like
        Leverage the position was opened with (sets the initial margin ``q·E/L``), >= 1.
    maintenance_margin_rate : float or array_like
        ``m`` of the risk-limit tier, in [0, 1).
    extra_margin : float or array_like, optional
        Margin added manually on top of the initial margin, >= 0.
    taker_fee_rate : float or array_like, optional
        Taker fee in [0, 1); it grosses up the extra margin.
    mm_deduction : float or array_like, optional
        The tier's maintenance-margin deduction, >= 0.
    max_leverage : float, optional
        The tier's maximum leverage.

    Returns
    -------
    float or ndarray
        The liquidation (mark) price; 0 for a long that cannot be liquidated at a positive
        price.

    Raises
    ------
    ValueError
        On invalid input, or if the margin is already at or below maintenance at entry.

    Notes
    -----
    Maintenance is evaluated at the liquidation price and the fee to close cancels between
    initial and maintenance margin; it reappears only through the gross-up of extra margin:

    * long:  ``LP = (E·q − E·q/L − Extra/(1 − taker) − MM_ded) / (q − q·m)``
    * short: ``LP = (E·q + E·q/L + Extra/(1 + taker) + MM_ded) / (q + q·m)``

    This is (G1) of :func:`marginlib.liquidation_price` with margin
    ``q·E/L + Extra/(1 − s·taker)`` and maintenance amount ``MM_ded``.

    References
    ----------
    .. [1] Bybit, "UTA Trading Rules" and "Liquidation Price Calculation under Isolated Mode
       (Unified Trading Account)",
       https://www.bybit.com/en/help-center/article/UTA-Trading-Rules (read through a
       verbatim third-party transcription; its worked example reproduces).

    Examples
    --------
    Bybit's example: 1 BTC long at 40,000, 50×, 3,000 extra margin, MMR 0.5 %, taker
    0.055 % → 36,380.25 (case Y4).

    >>> round(bybit_uta_liquidation_price("long", 40_000, 1, 50, 0.005, extra_margin=3_000,
    ...                                   taker_fee_rate=0.00055), 2)
    36380.25
    """
    s = v.side_sign(side)
    entry_price = v.positive("entry_price", entry_price)
    size = v.positive("size", size)
    leverage = v.leverage_value("leverage", leverage, max_leverage)
    m = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    extra = v.nonnegative("extra_margin", extra_margin)
    taker = v.unit_rate("taker_fee_rate", taker_fee_rate)
    ded = v.nonnegative("mm_deduction", mm_deduction)
    notional_entry = entry_price * size
    margin = notional_entry / leverage + extra / (1.0 - s * taker)
    if np.any(margin <= notional_entry * m - ded):
        raise ValueError(
            "margin: the initial margin size·entry_price/leverage + extra_margin must exceed the "
            "maintenance margin "
            "at entry (the position would be liquidated immediately); lower the leverage or "
            "add extra_margin")
    price = (notional_entry - s * margin - s * ded) / (size - s * size * m)
    # the same line written as Bybit prints it: numerator E·q ∓ E·q/L ∓ Extra' ∓ MM_ded,
    # denominator q ∓ q·m.
    return v.scalar_or_array(np.maximum(price, 0.0))


def phemex_position_balance(side, size, entry_price, leverage, taker_fee_rate):
    """Phemex isolated position balance: ``OpenValue/L + closeFee``.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size : float or array_like
        Base units, > 0.
    entry_price : float or array_like
        Entry price, > 0 (``OpenValue = q·E``).
    leverage : float or array_like
        >= 1.
    taker_fee_rate : float or array_like
        Taker fee in [0, 1) (0.0006 = 0.06 %).

    Returns
    -------
    float or ndarray
        ``posBalance = q·E/L + q·E·(1 − s/L)·taker`` in quote currency.

    Notes
    -----
    Phemex's liquidation price is then the OKX/Gate "MMR + taker" form of
    :func:`marginlib.liquidation_price` with ``margin=posBalance`` and
    ``taker_fee_rate=taker``:
    long ``(OpenValue − posBalance − mmAmount)/(1 − taker − m)/q``.

    References
    ----------
    .. [1] Phemex, "Liquidation price for USDⓈ-M perpetual",
       https://phemex.com/help-center/liq-price-for-USDTM

    Examples
    --------
    Phemex's example: 500 contracts at 0.4 (OpenValue 200), 5×, taker 0.06 % (case P1):

    >>> round(phemex_position_balance("long", 500, 0.4, 5, 0.0006), 3)
    40.096
    """
    entry = v.positive("entry_price", entry_price)
    size_a = v.positive("size", size)
    lev = v.leverage_value("leverage", leverage)
    close_fee = np.asarray(fee_to_close(side, size, entry_price, leverage, taker_fee_rate))
    return v.scalar_or_array(size_a * entry / lev + close_fee)


def hyperliquid_maintenance_rate(max_leverage):
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
    >>> hyperliquid_maintenance_rate(20)
    0.025
    >>> hyperliquid_maintenance_rate([50, 40])
    array([0.01  , 0.0125])
    """
    lev = v.leverage_value("max_leverage", max_leverage)
    return v.scalar_or_array(1.0 / (2.0 * lev))


def hyperliquid_backstop_threshold(maintenance_margin):
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
    >>> round(hyperliquid_backstop_threshold(1_250), 2)
    833.33
    """
    mm = v.nonnegative("maintenance_margin", maintenance_margin)
    return v.scalar_or_array(HYPERLIQUID_BACKSTOP_FRACTION * mm)


def dydx_impact_notional(initial_margin_fraction):
    """dYdX v4 impact notional used to sample the funding premium: ``500 USDC / IMF``.

    Parameters
    ----------
    initial_margin_fraction : float or array_like
        The market's IMF, a fraction in (0, 1] (0.10 for Small-Cap).

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
       (dydxprotocol/v4-documentation, commit 3e475b7).

    Examples
    --------
    >>> dydx_impact_notional(0.10)
    5000.0
    >>> dydx_impact_notional(0.02)
    25000.0
    """
    imf = _fraction("initial_margin_fraction", initial_margin_fraction)
    return v.scalar_or_array(DYDX_IMPACT_NOTIONAL_NUMERATOR / imf)


def dydx_effective_imf(initial_margin_fraction, open_interest_notional, lower_cap, upper_cap):
    """dYdX v4 initial margin fraction scaled up with the market's open interest.

    Parameters
    ----------
    initial_margin_fraction : float or array_like
        Base IMF of the liquidity tier, in (0, 1].
    open_interest_notional : float or array_like
        Market open interest × oracle price, USDC, >= 0.
    lower_cap, upper_cap : float or array_like
        The tier's open-interest caps (USDC), ``0 <= lower_cap < upper_cap``.

    Returns
    -------
    float or ndarray
        ``min(IMF + max(scale·(1 − IMF), 0), 1)`` with
        ``scale = (OI·P − lower_cap)/(upper_cap − lower_cap)``: the base IMF below the lower
        cap, rising linearly to 1 (no new leverage) at the upper cap. The maintenance fraction
        is unchanged.

    References
    ----------
    .. [1] dYdX v4 docs, ``concepts/trading/margin.mdx`` (open-interest-based IMF),
       dydxprotocol/v4-documentation commit 3e475b7.

    Examples
    --------
    Small-Cap (IMF 0.10, caps 20M–50M) at 35M open notional: scale 0.5 → 0.55 (case D7).

    >>> round(dydx_effective_imf(0.10, 35e6, 20e6, 50e6), 10)
    0.55
    """
    imf = _fraction("initial_margin_fraction", initial_margin_fraction)
    oi = v.nonnegative("open_interest_notional", open_interest_notional)
    lower = v.nonnegative("lower_cap", lower_cap)
    upper = v.positive("upper_cap", upper_cap)
    if np.any(upper <= lower):
        raise ValueError("upper_cap must be greater than lower_cap")
    scale = (oi - lower) / (upper - lower)
    return v.scalar_or_array(np.minimum(imf + np.maximum(scale * (1.0 - imf), 0.0), 1.0))


def drift_asset_weight(size, base_asset_weight, imf_factor):
    """Drift v2 size-discounted asset weight of a collateral deposit.

    Parameters
    ----------
    size : float or array_like
        Deposit size in token units, >= 0.
    base_asset_weight : float or array_like
        The market's (initial or maintenance) asset weight, in (0, 1].
    imf_factor : float or array_like
        The market's IMF factor, >= 0 (0 disables the size discount).

    Returns
    -------
    float or ndarray
        ``w = min(w_base, 1.1 / (1 + imf_factor·√size))``: collateral value counted is
        ``size × price × w``; large deposits are discounted.

    References
    ----------
    .. [1] Drift docs, Cross-collateral deposits,
       https://docs.drift.trade/getting-started/cross-collateral-deposits
    .. [2] drift-labs/protocol-v2, ``sdk/src/user.ts`` (commit 0ae3e3b).

    Examples
    --------
    2,000 SOL with base weight 0.80 and IMF factor 0.003: the discount (0.96987) does not
    bind (case R1).

    >>> drift_asset_weight(2_000, 0.80, 0.003)
    0.8
    >>> round(drift_asset_weight(1e6, 0.80, 0.003), 4)
    0.275
    """
    size = v.nonnegative("size", size)
    w = _fraction("base_asset_weight", base_asset_weight)
    imf = v.nonnegative("imf_factor", imf_factor)
    discount = DRIFT_SIZE_DISCOUNT_NUMERATOR / (1.0 + imf * np.sqrt(size))
    return v.scalar_or_array(np.minimum(w, discount))
