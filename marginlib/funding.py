"""Funding: rates, caps, schedules, payments, and what funding does to an isolated position.

Sign convention on every venue studied (``VENUES.md`` §0): a positive rate means longs pay
shorts, a negative rate means shorts pay longs. The payment per interval is
``size × reference price × rate`` (mark price on Binance and Bybit, oracle/index price on
Hyperliquid and dYdX).

What is here, in the order a learner meets it:

* **Setting the rate**: the clamp formula :func:`funding_rate` (Binance, Bybit, Hyperliquid),
  the venue variants :func:`hyperliquid_funding_rate`, :func:`dydx_funding_rate`,
  :func:`drift_funding_rate`, :func:`gmx_funding_rates` (per second, larger side pays), and
  the caps :func:`cap_funding_rate`, :func:`hyperliquid_funding_cap`, :func:`dydx_funding_cap`,
  :func:`binance_funding_cap`, :data:`FUNDING_CAPS`.
* **Time units**: :func:`convert_funding_rate` (8 h ↔ 1 h ↔ per second) and
  :func:`annualize_funding_rate` (simple or compounded).
* **Rate paths** (time on axis 0, scenarios on axis 1): :func:`constant_rate_path`,
  :func:`step_rate_path`, :func:`spike_rate_path`, :func:`mean_reverting_rate_path`, and the
  dispatcher :func:`funding_rate_path` (``kind`` = ``"constant" | "step" | "spike" |
  "mean_reverting"``) that the widgets use. Separate functions keep each one's parameters
  explicit; the dispatcher only forwards keywords.
* **Payments over time**: :func:`funding_payment`, :func:`cumulative_funding`.
* **An isolated position under funding**: :func:`isolated_funding_drift` (step-by-step replay:
  margin, liquidation price, effective leverage, the interval funding liquidates it) and its
  closed form for a constant rate :func:`intervals_to_funding_liquidation`.
* **Costs of a trade**: :func:`break_even_move` (fees + funding + gas) and
  :func:`carry_return` (the receiving side's return).
"""
from __future__ import annotations

import types
from dataclasses import dataclass

import numpy as np

from . import _validation as v
from .liquidation import _check_convention, _raw_liquidation_price, liquidation_price

__all__ = [
    "funding_payment",
    # rates and caps
    "funding_rate",
    "hyperliquid_funding_rate",
    "dydx_funding_rate",
    "drift_funding_rate",
    "GmxFundingRates",
    "gmx_funding_rates",
    "cap_funding_rate",
    "hyperliquid_funding_cap",
    "dydx_funding_cap",
    "binance_funding_cap",
    "FundingCap",
    "FUNDING_CAPS",
    # time units
    "convert_funding_rate",
    "annualize_funding_rate",
    "SECONDS_PER_HOUR",
    # rate paths
    "constant_rate_path",
    "step_rate_path",
    "spike_rate_path",
    "mean_reverting_rate_path",
    "funding_rate_path",
    "RATE_PATH_KINDS",
    # payments and positions
    "CumulativeFunding",
    "cumulative_funding",
    "FundingDrift",
    "isolated_funding_drift",
    "intervals_to_funding_liquidation",
    "BreakEven",
    "break_even_move",
    "carry_return",
]

#: Hours in a 365-day year (the venues' APR convention; same value as ``ml.HOURS_PER_YEAR``
#: exported by :mod:`marginlib.paths`).
HOURS_PER_YEAR = 8760.0
#: Seconds per hour (GMX quotes funding per second).
SECONDS_PER_HOUR = 3600.0

#: Binance/Hyperliquid interest component: 0.01 % per 8-hour interval.
DEFAULT_INTEREST_RATE = 0.0001
#: Clamp of ``I − P̄`` in the CEX formula: ±0.05 %.
DEFAULT_CLAMP_LIMIT = 0.0005
#: Hyperliquid: funding capped at 4 % per hour.
HYPERLIQUID_FUNDING_CAP_PER_HOUR = 0.04
#: dYdX v4: the 8-hour funding cap is this multiple of ``IMF − MMF`` (600 %).
DYDX_FUNDING_CAP_MULTIPLIER = 6.0
#: Drift v2: the interest-like offset ``oracle_twap / 5000`` per day (7.3 %/yr for shorts).
DRIFT_OFFSET_DIVISOR = 5000.0


def _count(name, value, minimum=1):
    """An integer count >= ``minimum`` (intervals, paths)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def _int_or_array(arr):
    """0-d -> Python int, else an int64 ndarray."""
    arr = np.asarray(arr, dtype=np.int64)
    if arr.ndim == 0:
        return int(arr)
    return arr


# ---------------------------------------------------------------------------------------------
# One payment
# ---------------------------------------------------------------------------------------------


def funding_payment(side, size, price, rate):
    """Signed funding cash flow *to* the holder for one interval.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size : float or array_like
        Position size in base units, > 0.
    price : float or array_like
        Reference price of the interval (mark or oracle), > 0.
    rate : float or array_like
        Funding rate for the interval as a fraction (0.0001 = 0.01 %), any sign.

    Returns
    -------
    float or ndarray
        ``−s · q · P · r``: negative when the holder pays (a long when ``rate > 0``).

    References
    ----------
    .. [1] Binance, "Introduction to USDⓈ-M Futures Funding Rate",
       https://www.binance.com/en/support/articles/360033525031
    .. [2] Hyperliquid docs, Funding,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding

    Examples
    --------
    2 BTC long at an oracle of 60,000 with 0.01 % for the hour pays 12 USDC (case D8).

    >>> funding_payment("long", size=2, price=60_000, rate=0.0001)
    -12.0
    >>> funding_payment("short", size=2, price=60_000, rate=0.0001)
    12.0
    """
    s = v.side_sign(side)
    size = v.positive("size", size)
    price = v.positive("price", price)
    rate = v.finite("rate", rate)
    return v.scalar_or_array(-s * size * price * rate + 0.0)  # + 0.0: no "-0.0"


# ---------------------------------------------------------------------------------------------
# Setting the rate
# ---------------------------------------------------------------------------------------------


def funding_rate(premium_index, interest_rate=0.0001, clamp_limit=0.0005):
    """Funding rate of one interval from the average premium index (the CEX clamp formula).

    Parameters
    ----------
    premium_index : float or array_like
        ``P̄``, the interval's average premium index as a fraction (perp vs index price), any
        sign.
    interest_rate : float or array_like, optional
        ``I``, the interest component per interval (0.0001 = 0.01 % per 8 h on Binance and
        Hyperliquid), any sign.
    clamp_limit : float or array_like, optional
        Half-width of the clamp on ``I − P̄``, >= 0 (0.0005 = ±0.05 %).

    Returns
    -------
    float or ndarray
        ``r`` per interval, same unit as the inputs. A venue cap (:func:`cap_funding_rate`) is
        applied afterwards where the venue has one.

    Notes
    -----
    ``r = P̄ + clamp(I − P̄, −clamp_limit, +clamp_limit)``. Whenever
    ``|P̄ − I| <= clamp_limit`` the rate is exactly ``I``: a quiet market pays the interest
    rate, longs to shorts.

    References
    ----------
    .. [1] Binance, "Introduction to USDⓈ-M Futures Funding Rate",
       https://www.binance.com/en/support/articles/360033525031
    .. [2] Hyperliquid docs, Funding,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding

    Examples
    --------
    Case X3: premiums 0.02 %, 0.1 %, 0.005 %, −0.03 %, −0.2 %, 1 % with ``I = 0.01 %``.

    >>> funding_rate([0.0002, 0.001, 0.00005, -0.0003, -0.002, 0.01])
    array([ 0.0001,  0.0005,  0.0001,  0.0001, -0.0015,  0.0095])
    >>> funding_rate(0.0)
    0.0001
    """
    premium = v.finite("premium_index", premium_index)
    interest = v.finite("interest_rate", interest_rate)
    limit = v.nonnegative("clamp_limit", clamp_limit)
    rate = premium + np.clip(interest - premium, -limit, limit)
    return v.scalar_or_array(rate + 0.0)


def cap_funding_rate(rate, cap, floor=None):
    """Clip a funding rate to a venue's cap: ``clip(rate, −cap, +cap)``.

    Parameters
    ----------
    rate : float or array_like
        Funding rate per interval, any sign.
    cap : float or array_like
        Largest rate allowed per interval, >= 0, in the same interval as ``rate``
        (e.g. :func:`hyperliquid_funding_cap` per hour, :func:`dydx_funding_cap` per 8 h).
    floor : float or array_like, optional
        Most negative rate allowed; defaults to ``−cap`` (a symmetric cap). Must be <= 0.

    Returns
    -------
    float or ndarray

    Notes
    -----
    Convert the cap to the rate's interval first (:func:`convert_funding_rate`): a
    4 %/h cap is 32 % per 8 h.

    References
    ----------
    .. [1] Hyperliquid docs, Funding (cap 4 %/h).
    .. [2] dYdX v4 docs, ``funding.mdx`` (commit 3e475b7): 8-hour cap ``600 % × (IMF − MMF)``.
    .. [3] Binance, funding-rate cap announcement (Oct 2023): ±3 % for contracts with max
       leverage <= 25×, BTCUSDT ±0.3 %.

    Examples
    --------
    >>> cap_funding_rate([0.05, -0.001, -0.02], cap=0.003)
    array([ 0.003, -0.001, -0.003])
    """
    rate = v.finite("rate", rate)
    cap = v.nonnegative("cap", cap)
    if floor is None:
        lower = -cap
    else:
        lower = v.finite("floor", floor)
        if np.any(lower > 0):
            raise ValueError(f"floor must be <= 0, got {float(np.max(lower)):g}")
    return v.scalar_or_array(np.minimum(np.maximum(rate, lower), cap) + 0.0)


def hyperliquid_funding_cap():
    """Hyperliquid's funding cap: 4 % per hour (a fraction per 1-hour interval).

    Returns
    -------
    float
        ``0.04``.

    References
    ----------
    .. [1] Hyperliquid docs, Funding,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding (read through
       community copies; ``VENUES.md`` §4.1).

    Examples
    --------
    >>> hyperliquid_funding_cap()
    0.04
    >>> convert_funding_rate(hyperliquid_funding_cap(), from_hours=1, to_hours=8)
    0.32
    """
    return HYPERLIQUID_FUNDING_CAP_PER_HOUR


def dydx_funding_cap(initial_margin_fraction, maintenance_margin_fraction):
    """dYdX v4's 8-hour funding cap: ``600 % × (IMF − MMF)``.

    Parameters
    ----------
    initial_margin_fraction : float or array_like
        The market's IMF in (0, 1].
    maintenance_margin_fraction : float or array_like
        The market's MMF in [0, IMF).

    Returns
    -------
    float or ndarray
        Cap per 8 hours as a fraction; divide by 8 for the hourly cap.

    References
    ----------
    .. [1] dYdX v4 docs, ``docs/pages/concepts/trading/funding.mdx`` (commit 3e475b7).

    Examples
    --------
    Case D5: IMF 5 %, MMF 3 % → 12 % per 8 h.

    >>> round(dydx_funding_cap(0.05, 0.03), 12)
    0.12
    """
    imf = v.positive("initial_margin_fraction", initial_margin_fraction)
    mmf = v.nonnegative("maintenance_margin_fraction", maintenance_margin_fraction)
    if np.any(imf > 1):
        raise ValueError(f"initial_margin_fraction must be <= 1, got {float(np.max(imf)):g}")
    if np.any(mmf >= imf):
        raise ValueError("maintenance_margin_fraction must be < initial_margin_fraction")
    return v.scalar_or_array(DYDX_FUNDING_CAP_MULTIPLIER * (imf - mmf))


#: Binance caps quoted in the course's sources (per funding interval). The cap is a
#: per-symbol parameter published in each contract's specification: these are examples.
BINANCE_FUNDING_CAPS = types.MappingProxyType({
    "BTCUSDT": 0.003,
    "max_leverage<=25": 0.03,
})


def binance_funding_cap(symbol=None, max_leverage=None):
    """A Binance USDⓈ-M per-symbol funding cap quoted in the sources (per interval).

    Binance sets the cap per symbol (its contract specification page). Two published values
    are known to the course: **BTCUSDT ±0.3 %**, and **±3 %** for contracts whose maximum
    leverage is <= 25× (Oct 2023 announcement). For any other symbol, read the cap from the
    contract specification and pass it to :func:`cap_funding_rate` yourself.

    Parameters
    ----------
    symbol : str, optional
        ``"BTCUSDT"``.
    max_leverage : float, optional
        The contract's maximum leverage; <= 25 gives the 3 % cap.

    Returns
    -------
    float
        The cap per funding interval (8 h by default; capped contracts may switch to 1 h
        settlement, keeping the per-interval cap).

    Raises
    ------
    ValueError
        If neither argument identifies a documented cap.

    References
    ----------
    .. [1] Binance announcement on funding-rate caps (Oct 2023) and the May 2025 rule that a
       capped contract settles hourly (``RESEARCH.md``, Binance feed).

    Examples
    --------
    >>> binance_funding_cap("BTCUSDT")
    0.003
    >>> binance_funding_cap(max_leverage=20)
    0.03
    """
    if symbol is not None:
        if not isinstance(symbol, str) or symbol.upper() not in BINANCE_FUNDING_CAPS:
            raise ValueError(
                f"symbol {symbol!r} has no documented cap here (only 'BTCUSDT'); read the "
                "cap from Binance's contract specification and use cap_funding_rate"
            )
        return BINANCE_FUNDING_CAPS[symbol.upper()]
    if max_leverage is not None:
        lev = float(v.leverage_value("max_leverage", max_leverage))
        if lev <= 25:
            return BINANCE_FUNDING_CAPS["max_leverage<=25"]
        raise ValueError(
            f"max_leverage {lev:g} > 25: the cap is symbol-specific; read it from Binance's "
            "contract specification and use cap_funding_rate"
        )
    raise ValueError("binance_funding_cap needs symbol='BTCUSDT' or max_leverage <= 25")


def hyperliquid_funding_rate(premium_index, interest_rate=0.0001, clamp_limit=0.0005):
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
        Rate per hour, ``clip(funding_rate(P̄, I, clamp)/8, ±4 %)``.

    References
    ----------
    .. [1] Hyperliquid docs, Funding (hourly, ``F/8``, cap 4 %/h), ``VENUES.md`` §4.1.

    Examples
    --------
    Case H7: zero premium pays the baseline 0.00125 % per hour.

    >>> hyperliquid_funding_rate(0.0)
    1.25e-05
    """
    eight_hour = np.asarray(funding_rate(premium_index, interest_rate, clamp_limit))
    hourly = eight_hour / 8.0
    return cap_funding_rate(hourly, HYPERLIQUID_FUNDING_CAP_PER_HOUR)


def dydx_funding_rate(premium, interest_rate=0.0, *, initial_margin_fraction=None,
                      maintenance_margin_fraction=None):
    """dYdX v4 hourly funding rate: ``premium/8 + interest``, optionally capped.

    Parameters
    ----------
    premium : float or array_like
        The hour's average premium (an 8-hour rate), any sign.
    interest_rate : float or array_like, optional
        Interest per hour: 0 for cross markets, 0.0000125 (0.125 bp/h) for isolated markets.
    initial_margin_fraction, maintenance_margin_fraction : float, optional
        When both are given, the 8-hour equivalent ``8 × rate`` is clipped to
        :func:`dydx_funding_cap`.

    Returns
    -------
    float or ndarray
        Rate per hour. A long pays ``rate × size × oracle`` each hour when it is positive.

    References
    ----------
    .. [1] dYdX v4 docs, ``funding.mdx`` (commit 3e475b7); governance vote 220 (isolated
       interest).

    Examples
    --------
    Case D8: premium 0.08 %, cross market → 0.01 %/h; 2 BTC long at 60,000 pays 12 USDC.

    >>> rate = dydx_funding_rate(0.0008)
    >>> round(rate, 12)
    0.0001
    >>> round(funding_payment("long", 2, 60_000, rate), 9)
    -12.0
    """
    premium = v.finite("premium", premium)
    interest = v.finite("interest_rate", interest_rate)
    hourly = premium / 8.0 + interest
    if (initial_margin_fraction is None) != (maintenance_margin_fraction is None):
        raise ValueError("give both initial_margin_fraction and maintenance_margin_fraction, "
                         "or neither")
    if initial_margin_fraction is not None:
        cap = np.asarray(dydx_funding_cap(initial_margin_fraction, maintenance_margin_fraction))
        hourly = np.clip(hourly, -cap / 8.0, cap / 8.0)
    return v.scalar_or_array(hourly + 0.0)


def drift_funding_rate(mark_twap, oracle_twap, max_spread_fraction=None):
    """Drift v2 hourly funding rate as a fraction of the oracle price.

    Parameters
    ----------
    mark_twap, oracle_twap : float or array_like
        Time-weighted mark and oracle prices, > 0.
    max_spread_fraction : float or array_like, optional
        Contract-tier clamp on the (spread + offset) as a fraction of ``oracle_twap``, >= 0.
        ``None``: no clamp.

    Returns
    -------
    float or ndarray
        ``clamp((mark − oracle) + oracle/5000) / 24 / oracle`` per hour; positive: longs pay.

    Notes
    -----
    The spread is a daily rate paid in 24 hourly slices; the ``oracle/5000`` offset is about
    7.3 % a year in favour of shorts. Longs and shorts can receive different rates when the
    AMM would otherwise pay too much: that asymmetry is not modelled.

    References
    ----------
    .. [1] drift-labs/protocol-v2 ``programs/drift/src/controller/funding.rs`` (commit 0ae3e3b).

    Examples
    --------
    Case R3: mark TWAP 100.10, oracle TWAP 100 → 0.005 %/h.

    >>> round(drift_funding_rate(100.10, 100.0), 12)
    5e-05
    """
    mark = v.positive("mark_twap", mark_twap)
    oracle = v.positive("oracle_twap", oracle_twap)
    spread = mark - oracle + oracle / DRIFT_OFFSET_DIVISOR
    if max_spread_fraction is not None:
        limit = v.nonnegative("max_spread_fraction", max_spread_fraction) * oracle
        spread = np.clip(spread, -limit, limit)
    return v.scalar_or_array(spread / 24.0 / oracle + 0.0)


@dataclass(frozen=True)
class GmxFundingRates:
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


def gmx_funding_rates(open_interest_long, open_interest_short, funding_factor=2e-8,
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
    GmxFundingRates

    Notes
    -----
    ``f_large = funding_factor × |OI_L − OI_S|^e / (OI_L + OI_S)``; the smaller side receives
    ``f_small = f_large × OI_large / OI_small``, so the USD amounts match:
    ``f_large·OI_large = f_small·OI_small`` (zero-sum between the two sides).

    References
    ----------
    .. [1] gmx-io/gmx-synthetics ``README.md``, "Funding Fees" (commit a5c0c88).

    Examples
    --------
    Case G1: factor 1/50,000, OI long 150,000 / short 50,000 → longs pay 0.001 %/s, shorts
    receive 0.003 %/s.

    >>> g = gmx_funding_rates(150_000, 50_000, funding_factor=1 / 50_000)
    >>> round(g.long_rate, 12), round(g.short_rate, 12)
    (1e-05, -3e-05)
    """
    oi_long = v.positive("open_interest_long", open_interest_long)
    oi_short = v.positive("open_interest_short", open_interest_short)
    factor = v.positive("funding_factor", funding_factor)
    exponent = v.positive("funding_exponent", funding_exponent)
    diff = np.abs(oi_long - oi_short)
    total = oi_long + oi_short
    larger = np.maximum(oi_long, oi_short)
    smaller = np.minimum(oi_long, oi_short)
    f_large = factor * diff ** exponent / total
    f_small = f_large * larger / smaller
    longs_pay = oi_long > oi_short
    long_rate = np.where(longs_pay, f_large, -f_small)
    short_rate = np.where(longs_pay, -f_small, f_large)
    f = v.scalar_or_array
    pays = bool(longs_pay) if np.ndim(longs_pay) == 0 else longs_pay
    return GmxFundingRates(f(long_rate + 0.0), f(short_rate + 0.0), f(f_large), f(f_small), pays)


@dataclass(frozen=True)
class FundingCap:
    """A venue's funding cap with its interval and source.

    Attributes
    ----------
    key, name : str
    cap : float
        Largest rate per ``interval_hours`` (fraction; the floor is ``−cap``).
    interval_hours : float
        The interval the cap is quoted for.
    source, as_of, notes : str
    """

    key: str
    name: str
    cap: float
    interval_hours: float
    source: str = ""
    as_of: str = ""
    notes: str = ""

    def per_hours(self, hours):
        """The cap converted (linearly) to another interval, e.g. ``per_hours(8)``."""
        return convert_funding_rate(self.cap, self.interval_hours, hours)

    def annualized(self):
        """The cap held for a year, simple annualisation (fraction per year)."""
        return annualize_funding_rate(self.cap, self.interval_hours)


#: Funding caps quoted in the course's sources. Examples with a date: venues change them.
FUNDING_CAPS = types.MappingProxyType({
    "binance_btcusdt": FundingCap(
        "binance_btcusdt", "Binance BTCUSDT", 0.003, 8.0,
        "Binance funding-rate cap announcement (RESEARCH.md)", "2023-10"),
    "binance_le25x": FundingCap(
        "binance_le25x", "Binance (max lev ≤ 25×)", 0.03, 8.0,
        "Binance funding-rate cap announcement (RESEARCH.md)", "2023-10",
        "capped contracts switch to hourly settlement since May 2025"),
    "okx_ai16z": FundingCap(
        "okx_ai16z", "OKX AI16Z (listing)", 0.015, 4.0,
        "mackhal.com (secondary source, RESEARCH.md)", "2024-12", "low-authority source"),
    "dydx_isolated": FundingCap(
        "dydx_isolated", "dYdX v4 Isolated (IMF 5 %, MMF 3 %)", 0.12, 8.0,
        "dYdX v4 docs funding.mdx, governance.mdx (commit 3e475b7)", "2025",
        "600 % × (IMF − MMF); paid hourly at 1/8"),
    "hyperliquid": FundingCap(
        "hyperliquid", "Hyperliquid", HYPERLIQUID_FUNDING_CAP_PER_HOUR, 1.0,
        "Hyperliquid docs, Funding", "2025"),
})


# ---------------------------------------------------------------------------------------------
# Time units
# ---------------------------------------------------------------------------------------------


def convert_funding_rate(rate, from_hours, to_hours):
    """Express a funding rate per a different interval (linear: same cost per unit time).

    Parameters
    ----------
    rate : float or array_like
        Rate per ``from_hours``, any sign.
    from_hours, to_hours : float or array_like
        Interval lengths in hours, > 0. Per second is ``1/3600`` (GMX).

    Returns
    -------
    float or ndarray
        ``rate × to_hours / from_hours``.

    Notes
    -----
    This is how venues themselves convert: Hyperliquid computes an 8-hour rate and pays 1/8
    of it every hour; dYdX pays ``premium/8`` hourly. The daily cost is unchanged.

    Examples
    --------
    0.01 % per 8 h is 0.00125 % per hour; GMX's 0.001 %/s is 3.6 % per hour.

    >>> convert_funding_rate(0.0001, from_hours=8, to_hours=1)
    1.25e-05
    >>> round(convert_funding_rate(0.00001, from_hours=1 / 3600, to_hours=1), 12)
    0.036
    """
    rate = v.finite("rate", rate)
    from_hours = v.positive("from_hours", from_hours)
    to_hours = v.positive("to_hours", to_hours)
    return v.scalar_or_array(rate * (to_hours / from_hours) + 0.0)


def annualize_funding_rate(rate, interval_hours, compounded=False):
    """Annual funding as a fraction: simple (APR) or compounded (APY).

    Parameters
    ----------
    rate : float or array_like
        Rate per interval; > −1 when ``compounded``.
    interval_hours : float or array_like
        Interval length in hours, > 0 (1/3600 for per-second rates).
    compounded : bool, optional
        ``False``: ``rate × 8760/interval_hours``. ``True``:
        ``(1 + rate)^(8760/interval_hours) − 1``.

    Returns
    -------
    float or ndarray
        ``inf`` if the compounded figure overflows (e.g. 1 % per second).

    Notes
    -----
    A fixed-size position at a constant price pays the *simple* amount: each payment is the
    same number of dollars. Compounding applies when the position is resized with its equity
    every interval (a reinvested carry). Hyperliquid publishes its baseline as ≈ 11.6 % APR,
    the compounded figure.

    References
    ----------
    .. [1] Hyperliquid docs, Funding (0.01 % per 8 h paid hourly ≈ 11.6 %/yr).

    Examples
    --------
    Case H7: 0.00125 %/h → 10.95 % simple, 11.57 % compounded.

    >>> round(annualize_funding_rate(0.0000125, interval_hours=1), 6)
    0.1095
    >>> round(annualize_funding_rate(0.0000125, interval_hours=1, compounded=True), 4)
    0.1157
    """
    rate = v.finite("rate", rate)
    hours = v.positive("interval_hours", interval_hours)
    periods = HOURS_PER_YEAR / hours
    if not compounded:
        return v.scalar_or_array(rate * periods + 0.0)
    if np.any(rate <= -1):
        raise ValueError("rate must be > -1 to compound")
    with np.errstate(over="ignore"):
        return v.scalar_or_array(np.expm1(periods * np.log1p(rate)) + 0.0)


# ---------------------------------------------------------------------------------------------
# Rate paths (time on axis 0, scenarios on axis 1)
# ---------------------------------------------------------------------------------------------

#: Kinds accepted by :func:`funding_rate_path`.
RATE_PATH_KINDS = ("constant", "step", "spike", "mean_reverting")


def constant_rate_path(rate, n_intervals):
    """The same rate every interval.

    Parameters
    ----------
    rate : float or array_like
        Rate per interval; an array gives one path per element (on axis 1, 2...).
    n_intervals : int
        Number of intervals, >= 1.

    Returns
    -------
    ndarray
        Shape ``(n_intervals, *shape(rate))``.

    Examples
    --------
    >>> constant_rate_path(0.0001, 3)
    array([0.0001, 0.0001, 0.0001])
    """
    rate = v.finite("rate", rate)
    n = _count("n_intervals", n_intervals)
    return np.broadcast_to(rate, (n,) + rate.shape).copy()


def step_rate_path(rate_before, rate_after, n_intervals, step_at):
    """``rate_before`` for intervals ``0 .. step_at−1``, then ``rate_after``.

    Parameters
    ----------
    rate_before, rate_after : float or array_like
        Rates per interval.
    n_intervals : int
        >= 1.
    step_at : int
        First interval at the new rate, in ``[0, n_intervals]``.

    Returns
    -------
    ndarray
        Shape ``(n_intervals, *batch)``.

    Examples
    --------
    >>> step_rate_path(0.0001, 0.0005, 4, step_at=2)
    array([0.0001, 0.0001, 0.0005, 0.0005])
    """
    before = v.finite("rate_before", rate_before)
    after = v.finite("rate_after", rate_after)
    n = _count("n_intervals", n_intervals)
    k = _count("step_at", step_at, minimum=0)
    if k > n:
        raise ValueError(f"step_at must be in [0, n_intervals={n}], got {k}")
    t = np.arange(n).reshape((n,) + (1,) * np.broadcast(before, after).ndim)
    return np.where(t < k, before, after) + 0.0


def spike_rate_path(base_rate, spike_rate, n_intervals, spike_at, spike_length=1):
    """``base_rate`` everywhere except ``spike_length`` intervals from ``spike_at``.

    Parameters
    ----------
    base_rate, spike_rate : float or array_like
        Rates per interval.
    n_intervals : int
        >= 1.
    spike_at : int
        First spiking interval, in ``[0, n_intervals)``.
    spike_length : int, optional
        >= 1; truncated at the end of the path.

    Returns
    -------
    ndarray
        Shape ``(n_intervals, *batch)``.

    Examples
    --------
    >>> spike_rate_path(0.0001, 0.003, 5, spike_at=1, spike_length=2)
    array([0.0001, 0.003 , 0.003 , 0.0001, 0.0001])
    """
    base = v.finite("base_rate", base_rate)
    spike = v.finite("spike_rate", spike_rate)
    n = _count("n_intervals", n_intervals)
    k = _count("spike_at", spike_at, minimum=0)
    length = _count("spike_length", spike_length)
    if k >= n:
        raise ValueError(f"spike_at must be in [0, n_intervals={n}), got {k}")
    t = np.arange(n).reshape((n,) + (1,) * np.broadcast(base, spike).ndim)
    return np.where((t >= k) & (t < k + length), spike, base) + 0.0


def mean_reverting_rate_path(n_intervals, mean_rate=0.0001, volatility=0.0001, reversion=0.1,
                             start_rate=None, n_paths=None, cap=None, rng=None):
    """A seeded mean-reverting (AR(1), discretised Ornstein–Uhlenbeck) funding-rate series.

    Parameters
    ----------
    n_intervals : int
        >= 1.
    mean_rate : float, optional
        Long-run mean rate per interval (0.0001 = the 0.01 % baseline).
    volatility : float, optional
        Standard deviation of each interval's shock, >= 0.
    reversion : float, optional
        Fraction of the gap to the mean closed each interval, in (0, 1]; ``1`` gives
        independent draws around the mean.
    start_rate : float, optional
        Rate of the first interval (default: ``mean_rate``).
    n_paths : int, optional
        Number of scenarios; ``None`` returns one 1-D path.
    cap : float, optional
        Venue cap: every rate is clipped to ``[−cap, cap]`` (after the recursion).
    rng : None, int or numpy.random.Generator
        ``None`` uses seed 0 (deterministic).

    Returns
    -------
    ndarray
        Shape ``(n_intervals,)`` or ``(n_intervals, n_paths)``.

    Notes
    -----
    ``r_0 = start``, ``r_{t+1} = μ + (1 − κ)·(r_t − μ) + σ·ε_{t+1}``, ``ε ~ N(0, 1)``. The
    stationary standard deviation is ``σ / sqrt(1 − (1 − κ)²)``.

    Examples
    --------
    >>> path = mean_reverting_rate_path(1000, rng=1)
    >>> path.shape, bool(abs(path.mean() - 0.0001) < 0.0002)
    ((1000,), True)
    """
    n = _count("n_intervals", n_intervals)
    mean = float(v.finite("mean_rate", mean_rate))
    sigma = float(v.nonnegative("volatility", volatility))
    kappa = float(v.finite("reversion", reversion))
    if not 0 < kappa <= 1:
        raise ValueError(f"reversion must be in (0, 1], got {kappa:g}")
    start = mean if start_rate is None else float(v.finite("start_rate", start_rate))
    paths = None if n_paths is None else _count("n_paths", n_paths)
    gen = v.check_random_state(rng)
    shape = (n,) if paths is None else (n, paths)
    shocks = sigma * gen.standard_normal(shape)
    phi = 1.0 - kappa
    out = np.empty(shape)
    out[0] = start
    for t in range(1, n):
        out[t] = mean + phi * (out[t - 1] - mean) + shocks[t]
    if cap is not None:
        c = float(v.nonnegative("cap", cap))
        np.clip(out, -c, c, out=out)
    return out


def funding_rate_path(kind, n_intervals, **params):
    """Build a rate path by name (the widgets' dropdown): forwards to the functions above.

    Parameters
    ----------
    kind : {"constant", "step", "spike", "mean_reverting"}
    n_intervals : int
    **params
        The keyword arguments of :func:`constant_rate_path` (``rate``),
        :func:`step_rate_path` (``rate_before``, ``rate_after``, ``step_at``),
        :func:`spike_rate_path` (``base_rate``, ``spike_rate``, ``spike_at``,
        ``spike_length``) or :func:`mean_reverting_rate_path`.

    Returns
    -------
    ndarray

    Examples
    --------
    >>> funding_rate_path("step", 3, rate_before=0.0, rate_after=0.001, step_at=1)
    array([0.   , 0.001, 0.001])
    """
    builders = {
        "constant": constant_rate_path,
        "step": step_rate_path,
        "spike": spike_rate_path,
        "mean_reverting": mean_reverting_rate_path,
    }
    if kind not in builders:
        raise ValueError(f"kind must be one of {RATE_PATH_KINDS}, got {kind!r}")
    try:
        return builders[kind](n_intervals=n_intervals, **params)
    except TypeError as exc:
        raise ValueError(f"{kind} rate path: {exc}") from None


# ---------------------------------------------------------------------------------------------
# Payments over a holding period
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CumulativeFunding:
    """Funding cash flows to the holder over a holding period (time on axis 0).

    Attributes
    ----------
    payments : ndarray
        Cash flow of each interval, ``−s·q·P_t·r_t`` (negative = paid).
    cumulative : ndarray
        Running sum of ``payments`` after each interval.
    total : float or ndarray
        The last row of ``cumulative``.
    """

    payments: object
    cumulative: object
    total: object


def _as_path(name, value, check):
    arr = check(name, value)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an array with time on axis 0 (one value per "
                         "interval), got a scalar")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must have at least one interval, got an empty array")
    return arr


def cumulative_funding(side, size, price_path, rate_path):
    """Funding paid and received interval by interval, on size × the reference price path.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
        Broadcasts against the trailing (scenario) axes of the paths.
    size : float or array_like
        Base units, > 0 (fixed over the period).
    price_path : float or array_like
        Reference price at each funding time, > 0 (mark on Binance/Bybit, oracle on
        Hyperliquid/dYdX); a scalar means a constant price.
    rate_path : array_like
        Rate of each interval (time on axis 0), any sign.

    Returns
    -------
    CumulativeFunding

    Notes
    -----
    ``payment_t = −s·q·P_t·r_t``; ``cumulative_k = Σ_{t<=k} payment_t``. For every long there
    is a short of the same size on an order-book venue: the payments sum to zero.

    Examples
    --------
    A 10,000-token long at 2.50 over three 8-hour intervals at 0.01 %, 0.05 %, −0.02 %:

    >>> cf = cumulative_funding("long", 10_000, 2.5, [0.0001, 0.0005, -0.0002])
    >>> cf.payments
    array([ -2.5, -12.5,   5. ])
    >>> cf.total
    -10.0
    """
    s = v.side_sign(side)
    size = v.positive("size", size)
    rates = _as_path("rate_path", rate_path, v.finite)
    prices = v.positive("price_path", price_path)
    try:
        shape = np.broadcast_shapes(s.shape, size.shape, prices.shape, rates.shape)
    except ValueError:
        raise ValueError(
            f"price_path {prices.shape} and rate_path {rates.shape} (and side/size) must "
            "broadcast, with time on axis 0") from None
    if len(shape) != rates.ndim:
        raise ValueError("side/size have more axes than rate_path: put time on axis 0, "
                         "e.g. pass rate_path[:, None]")
    payments = -s * size * prices * rates + 0.0
    cumulative = np.cumsum(payments, axis=0)
    return CumulativeFunding(payments, cumulative, v.scalar_or_array(cumulative[-1]))


# ---------------------------------------------------------------------------------------------
# An isolated position paying funding out of its margin
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingDrift:
    """An isolated position whose funding is settled against its margin, interval by interval.

    Every array has ``n_intervals + 1`` rows: row 0 is the position at open (mark = entry),
    row ``k`` is after the ``k``-th funding payment, at that interval's mark price. The
    arithmetic continues past a liquidation (as if the venue had not acted), so the lines
    can be drawn through it; use ``liquidation_interval`` / ``liquidated`` to cut them.

    Attributes
    ----------
    margin : ndarray
        Margin after funding, ``M + Σ payments`` (can turn negative past liquidation).
    equity : ndarray
        ``margin + s·q·(mark − E)``.
    mark_price : ndarray
        Entry price in row 0, then the price path.
    maintenance_margin : ndarray
        Requirement at the mark (``convention="mark"``) or at entry (``"entry"``).
    liquidation_price : ndarray
        The liquidation price the venue would display after each payment (never below 0).
    effective_leverage : ndarray
        ``q·mark / equity``; ``inf`` where equity <= 0 (bankrupt), never NaN.
    payments : ndarray
        ``n_intervals`` rows: funding cash flow of each interval (negative = paid).
    cumulative_funding : ndarray
        Running sum of payments, 0 in row 0.
    liquidated : ndarray of bool
        ``equity <= maintenance_margin`` in each row.
    liquidation_interval : int or ndarray of int
        First row (number of payments) at which the position is liquidatable; **−1 if it
        never is** within the path. With ``price_path=None`` this is the interval at which
        funding alone liquidates it.
    """

    margin: object
    equity: object
    mark_price: object
    maintenance_margin: object
    liquidation_price: object
    effective_leverage: object
    payments: object
    cumulative_funding: object
    liquidated: object
    liquidation_interval: object


def isolated_funding_drift(side, entry_price, size, margin, rate_path, price_path=None,
                           maintenance_margin_rate=0.0, maintenance_amount=0.0, *,
                           taker_fee_rate=0.0, convention="mark"):
    """Replay an isolated position interval by interval as funding is settled from its margin.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price : float or array_like
        > 0.
    size : float or array_like
        Base units, > 0.
    margin : float or array_like
        Isolated margin at open, > 0; must exceed the maintenance margin at entry.
    rate_path : array_like
        Funding rate of each interval (time on axis 0, scenarios on the trailing axes).
    price_path : array_like, optional
        Mark (= reference) price at each funding time, > 0, same time length as
        ``rate_path``. ``None``: the price stays at entry, so only funding moves the margin.
    maintenance_margin_rate, maintenance_amount, taker_fee_rate, convention
        As in :func:`marginlib.liquidation_price`.

    Returns
    -------
    FundingDrift

    Raises
    ------
    ValueError
        On invalid input, if the margin is not above maintenance at entry, or if the
        position parameters have more axes than the paths (put time on axis 0: pass
        ``rate_path[:, None]`` to sweep an array of margins).

    Notes
    -----
    Funding paid is taken from the isolated margin: ``M_k = M + Σ_{t<k} (−s·q·P_t·r_t)``.
    The liquidation price is recomputed from ``M_k`` with the entry price unchanged, so a
    long paying funding sees its liquidation price rise toward the mark by
    ``payment/(q·(1 − m))`` per interval (``payment/q`` with maintenance frozen at entry). The
    position is liquidatable when ``M_k + s·q·(P_k − E) <= MM``. The reference price for
    funding and the mark for liquidation are taken to be the same price.

    References
    ----------
    .. [1] Bybit, "Liquidation Price (USDT Contract)", Example 3: funding paid out of the
       position margin moves the liquidation price (mirrors; ``VENUES.md`` §2.1).
    .. [2] Binance, funding FAQ: funding "could surpass the Maintenance Margin Ratio" and is
       deducted from collateral.

    Examples
    --------
    Case Y3 (Bybit classic, maintenance at entry): 1 BTC long at 20,000 with 50× (margin
    400, MMR 0.5 %) pays 200 USDT of funding: the liquidation price moves 19,700 → 19,900,
    and a second such payment liquidates it.

    >>> d = isolated_funding_drift("long", 20_000, 1, 400, [0.01, 0.01], None, 0.005,
    ...                            convention="entry")
    >>> d.margin, d.liquidation_price
    (array([400., 200.,   0.]), array([19700., 19900., 20100.]))
    >>> d.liquidation_interval
    2
    """
    _check_convention(convention)
    # Validates the open position (margin above maintenance at entry) with the same messages.
    liquidation_price(side, entry_price, size, margin, maintenance_margin_rate,
                      maintenance_amount, taker_fee_rate=taker_fee_rate, convention=convention)
    s = v.side_sign(side)
    entry = v.positive("entry_price", entry_price)
    q = v.positive("size", size)
    m0 = v.positive("margin", margin)
    mmr = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    c = v.nonnegative("maintenance_amount", maintenance_amount)
    fee = v.unit_rate("taker_fee_rate", taker_fee_rate)
    req_rate = mmr + fee

    rates = _as_path("rate_path", rate_path, v.finite)
    if price_path is None:
        path_shape = rates.shape
    else:
        prices = _as_path("price_path", price_path, v.positive)
        if prices.shape[0] != rates.shape[0] or prices.ndim != rates.ndim:
            raise ValueError(
                "price_path and rate_path must have the same number of intervals (axis 0) "
                f"and of axes, got shapes {prices.shape} and {rates.shape}")
        path_shape = np.broadcast_shapes(rates.shape, prices.shape)
    batch = np.broadcast_shapes(s.shape, entry.shape, q.shape, m0.shape, req_rate.shape,
                                c.shape)
    if len(batch) >= len(path_shape):
        raise ValueError(
            "the position parameters have as many axes as the paths: put time on axis 0, "
            "e.g. pass rate_path[:, None] to sweep an array of margins")
    try:
        full = np.broadcast_shapes(path_shape, batch)
    except ValueError:
        raise ValueError(
            "position parameters must broadcast against the trailing (scenario) axes of the "
            f"paths: got paths {path_shape} and parameters {batch}") from None
    if price_path is None:
        prices = np.broadcast_to(entry, full)
    payments = np.broadcast_to(-s * q * prices * rates + 0.0, full)
    zeros = np.zeros((1,) + full[1:])
    cum = np.concatenate([zeros, np.cumsum(payments, axis=0)], axis=0)
    margin_k = m0 + cum
    mark = np.concatenate([np.broadcast_to(entry, (1,) + full[1:]),
                           np.broadcast_to(prices, full)], axis=0)
    equity = margin_k + s * q * (mark - entry)
    mm_price = mark if convention == "mark" else np.broadcast_to(entry, mark.shape)
    mm = np.maximum(q * mm_price * req_rate - c, 0.0)
    liquidated = equity <= mm
    first = np.argmax(liquidated, axis=0)
    interval = np.where(liquidated.any(axis=0), first, -1)
    liq = np.maximum(_raw_liquidation_price(s, entry, q, margin_k, req_rate, c, convention), 0.0)
    liq = np.broadcast_to(liq, margin_k.shape) + 0.0
    positive_equity = equity > 0
    lev = np.full(equity.shape, np.inf)
    np.divide(q * mark, equity, out=lev, where=positive_equity)
    return FundingDrift(
        margin=margin_k, equity=equity, mark_price=mark + 0.0,
        maintenance_margin=np.broadcast_to(mm, equity.shape) + 0.0,
        liquidation_price=liq, effective_leverage=lev, payments=payments + 0.0,
        cumulative_funding=cum, liquidated=liquidated,
        liquidation_interval=_int_or_array(interval))


def intervals_to_funding_liquidation(side, entry_price, size, margin, funding_rate,
                                     mark_price=None, maintenance_margin_rate=0.0,
                                     maintenance_amount=0.0, *, taker_fee_rate=0.0,
                                     convention="mark"):
    """Number of funding payments at a constant rate and price until funding liquidates.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price, size, margin : float or array_like
        The isolated position, all > 0.
    funding_rate : float or array_like
        Constant rate per interval, any sign.
    mark_price : float or array_like, optional
        Constant mark (= reference) price; defaults to ``entry_price``.
    maintenance_margin_rate, maintenance_amount, taker_fee_rate, convention
        As in :func:`marginlib.liquidation_price`.

    Returns
    -------
    int or ndarray of int
        ``n* >= 1``, or **−1 when funding never liquidates** (the holder receives funding, or
        the rate is 0).

    Raises
    ------
    ValueError
        On invalid input, or if the position is already liquidatable at ``mark_price``
        before any funding (that is a price liquidation, not a funding one).

    Notes
    -----
    At a constant price each payment is the same, ``F = s·q·P·r`` (paid when > 0), and the
    margin drains linearly: after ``n`` payments the equity is ``M + s·q·(P − E) − n·F``. The
    position is liquidatable when that is ``<= MM`` (``MM = q·P·(m + taker) − c`` at the mark,
    or at ``E`` with ``convention="entry"``), so

        ``n* = ceil((M + s·q·(P − E) − MM) / F)``  for ``F > 0``.

    :func:`isolated_funding_drift` replays the same thing step by step, and the tests check
    that both agree. The one exception is an exact tie, where equity lands exactly on ``MM``
    after ``n*`` payments (the first example below). There the replay's running sum of
    floating-point payments can stay a rounding error above ``MM`` and report ``n* + 1``. The
    closed form gives the exact answer; the replay matches what the account engine does.

    Examples
    --------
    A 10× long (margin 100 on 1,000 notional), no maintenance, paying 0.01 % per 8 h pays
    0.10 a payment, so it takes 1,000 payments (333 days) to drain; at 0.1 % per 8 h, 100.

    >>> intervals_to_funding_liquidation("long", 2.5, 400, 100, 0.0001)
    1000
    >>> intervals_to_funding_liquidation("long", 2.5, 400, 100, [0.001, -0.001])
    array([100,  -1])

    Y3's position (MMR 0.5 % at entry, buffer 300) paying 200 a payment: 2 payments.

    >>> intervals_to_funding_liquidation("long", 20_000, 1, 400, 0.01, None, 0.005,
    ...                                  convention="entry")
    2
    """
    _check_convention(convention)
    liquidation_price(side, entry_price, size, margin, maintenance_margin_rate,
                      maintenance_amount, taker_fee_rate=taker_fee_rate, convention=convention)
    s = v.side_sign(side)
    entry = v.positive("entry_price", entry_price)
    q = v.positive("size", size)
    m0 = v.positive("margin", margin)
    rate = v.finite("funding_rate", funding_rate)
    price = entry if mark_price is None else v.positive("mark_price", mark_price)
    req_rate = (v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
                + v.unit_rate("taker_fee_rate", taker_fee_rate))
    c = v.nonnegative("maintenance_amount", maintenance_amount)
    mm_price = price if convention == "mark" else entry
    mm = np.maximum(q * mm_price * req_rate - c, 0.0)
    buffer = m0 + s * q * (price - entry) - mm
    if np.any(buffer <= 0):
        raise ValueError(
            "the position is already liquidatable at mark_price before any funding "
            "(equity <= maintenance margin): that is a price liquidation")
    paid = s * q * price * rate
    drains = paid > 0
    safe = np.where(drains, paid, 1.0)
    n_star = np.where(drains, np.ceil(buffer / safe), -1)
    return _int_or_array(n_star)


# ---------------------------------------------------------------------------------------------
# Costs of a trade
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakEven:
    """The exit price at which a round trip nets zero after costs.

    Attributes
    ----------
    exit_price : float or ndarray
        Price at which PnL − fees − funding − gas = 0.
    price_move : float or ndarray
        ``exit_price/entry_price − 1``: positive for a long, negative for a short when costs
        are positive (a short needs the price to fall).
    open_fee, close_fee : float or ndarray
        Fees in quote currency (the close fee at ``exit_price``).
    funding_cost : float or ndarray
        Funding paid over the holding period (negative = received).
    gas_cost : float or ndarray
        On-chain costs in quote currency.
    total_cost : float or ndarray
        Sum of the four costs.
    """

    exit_price: object
    price_move: object
    open_fee: object
    close_fee: object
    funding_cost: object
    gas_cost: object
    total_cost: object


def break_even_move(side, entry_price, size, *, open_fee_rate=0.0, close_fee_rate=0.0,
                    funding_rate=0.0, intervals=0, gas_cost=0.0):
    """Price move needed to cover fees, funding over the holding period, and gas.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price : float or array_like
        > 0.
    size : float or array_like
        Base units, > 0.
    open_fee_rate, close_fee_rate : float or array_like, optional
        Fractions of the traded notional in [0, 1) (0.0005 = 5 bp taker).
    funding_rate : float or array_like, optional
        Average funding rate per interval, any sign (positive: longs pay).
    intervals : float or array_like, optional
        Number of funding intervals held, >= 0.
    gas_cost : float or array_like, optional
        On-chain costs (open + close transactions, keeper fees) in quote currency, >= 0.

    Returns
    -------
    BreakEven

    Notes
    -----
    Funding is paid on the entry notional (``F = s·q·E·r·n``; the error from the price
    moving is second order for a small move). Solving
    ``s·q·(X − E) − q·E·f_o − q·X·f_c − F − G = 0`` for the exit price ``X``:

        ``X = (q·E·(s + f_o) + F + G) / (q·(s − f_c))``.

    Leverage does not appear: it changes how much of the margin the costs eat, not the price
    move needed to cover them.

    Examples
    --------
    A 1,000-USDC long (400 tokens at 2.50), 5 bp taker each way, held 30 days of 8-hour
    funding at 0.01 % (90 payments = 0.9 % of notional): about 10 USDC of costs, so the price
    must rise 1.0 % just to break even.

    >>> be = break_even_move("long", 2.5, 400, open_fee_rate=0.0005, close_fee_rate=0.0005,
    ...                      funding_rate=0.0001, intervals=90)
    >>> round(be.price_move, 4), round(be.funding_cost, 6), round(be.total_cost, 2)
    (0.01, 9.0, 10.01)

    The short on the same terms *receives* the 9 USDC, so it breaks even even if the price
    rises 0.8 %:

    >>> be = break_even_move("short", 2.5, 400, open_fee_rate=0.0005, close_fee_rate=0.0005,
    ...                      funding_rate=0.0001, intervals=90)
    >>> round(be.price_move, 4)
    0.008
    """
    s = v.side_sign(side)
    entry = v.positive("entry_price", entry_price)
    q = v.positive("size", size)
    f_o = v.unit_rate("open_fee_rate", open_fee_rate)
    f_c = v.unit_rate("close_fee_rate", close_fee_rate)
    rate = v.finite("funding_rate", funding_rate)
    n = v.nonnegative("intervals", intervals)
    gas = v.nonnegative("gas_cost", gas_cost)
    funding = s * q * entry * rate * n
    exit_price = (q * entry * (s + f_o) + funding + gas) / (q * (s - f_c))
    if np.any(exit_price <= 0):
        raise ValueError("no break-even price: the costs exceed what any positive exit "
                         "price can recover (a short cannot gain more than its notional), or the "
                         "funding received exceeds the notional; check gas_cost, funding_rate "
                         "and intervals")
    open_fee = q * entry * f_o
    close_fee = q * exit_price * f_c
    total = open_fee + close_fee + funding + gas
    shape = np.shape(total)

    def f(x):
        return v.scalar_or_array(np.broadcast_to(x + 0.0, shape))

    return BreakEven(f(exit_price), f(exit_price / entry - 1.0), f(open_fee), f(close_fee),
                     f(funding), f(gas), f(total))


def carry_return(side, funding_rate, intervals, leverage=1.0, *, open_fee_rate=0.0,
                 close_fee_rate=0.0):
    """Return on margin from funding alone, price unchanged (the carry of the receiving side).

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    funding_rate : float or array_like
        Average rate per interval (positive: longs pay, shorts receive).
    intervals : float or array_like
        Number of intervals held, >= 0.
    leverage : float or array_like, optional
        Notional ÷ margin, >= 1.
    open_fee_rate, close_fee_rate : float or array_like, optional
        In [0, 1).

    Returns
    -------
    float or ndarray
        ``L·(−s·r·n − f_o − f_c)`` as a fraction of margin over the holding period.

    Notes
    -----
    Price risk is ignored (a delta-hedged carry trade: spot long + perp short). The carry is
    exactly what the paying side loses, times leverage: the receiving side's return is the
    paying side's drag. "Positive rates mean long holders pay shorts, which erodes carry
    returns" (the article).

    Examples
    --------
    A 3× short collecting 0.01 % per 8 h for 30 days (90 intervals), 5 bp fees each way:

    >>> round(carry_return("short", 0.0001, 90, leverage=3, open_fee_rate=0.0005,
    ...                    close_fee_rate=0.0005), 6)
    0.024
    >>> round(carry_return("long", 0.0001, 90, leverage=3), 6)
    -0.027
    """
    s = v.side_sign(side)
    rate = v.finite("funding_rate", funding_rate)
    n = v.nonnegative("intervals", intervals)
    lev = v.leverage_value("leverage", leverage)
    f_o = v.unit_rate("open_fee_rate", open_fee_rate)
    f_c = v.unit_rate("close_fee_rate", close_fee_rate)
    return v.scalar_or_array(lev * (-s * rate * n - f_o - f_c) + 0.0)
