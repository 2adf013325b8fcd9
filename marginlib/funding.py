"""Funding: payments, the generic clamp formula, caps, time units and running totals.

Sign convention on every venue studied: a positive rate means longs pay shorts, a negative
rate means shorts pay longs. The payment per interval is ``size × reference price × rate``
(mark price on Binance and Bybit, oracle/index price on Hyperliquid and dYdX), see
https://www.binance.com/en/support/articles/360033525031 and
https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding.

What is here, in the order a learner meets it:

* **Setting the rate**: the clamp formula :func:`funding_rate_from_premium` (Binance, Bybit,
  Hyperliquid) and :func:`cap_funding_rate`. Each venue's own formula and cap live in its
  module of :mod:`marginlib.venues` (``venues.hyperliquid.funding_rate``,
  ``venues.dydx.funding_cap``...).
* **Time units**: :func:`convert_funding_rate` (8 h ↔ 1 h ↔ per second),
  :func:`annualize_funding_rate` (simple or compounded) and :func:`hourly_funding_schedule`
  (a rate paid every ``interval_hours`` laid out hour by hour).
* **Payments over time**: :func:`funding_payment`, :func:`cumulative_funding`,
  :func:`days_to_consume_margin` (how long a constant rate takes to eat the whole margin).

What funding does to an isolated position is in :mod:`marginlib.funding_drift`, the costs of a
trade in :mod:`marginlib.costs`, synthetic rate paths in :mod:`marginlib.sim.rates`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v
from .units import HOURS_PER_YEAR

__all__ = [
    "funding_payment",
    "funding_rate_from_premium",
    "cap_funding_rate",
    "FundingCap",
    "convert_funding_rate",
    "annualize_funding_rate",
    "hourly_funding_schedule",
    "CumulativeFunding",
    "cumulative_funding",
    "days_to_consume_margin",
    "DEFAULT_INTEREST_RATE",
    "DEFAULT_CLAMP_LIMIT",
]

#: Binance/Hyperliquid interest component: 0.01 % per 8-hour interval.
DEFAULT_INTEREST_RATE = 0.0001
#: Clamp of ``I − P̄`` in the CEX formula: ±0.05 %.
DEFAULT_CLAMP_LIMIT = 0.0005


# ---------------------------------------------------------------------------------------------
# One payment
# ---------------------------------------------------------------------------------------------


def funding_payment(side, *, size, price, funding_rate):
    """Signed funding cash flow *to* the holder for one interval.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size : float or array_like
        Position size in base units, > 0.
    price : float or array_like
        Reference price of the interval (mark or oracle), > 0.
    funding_rate : float or array_like
        Funding rate for the interval as a fraction (0.0001 = 0.01 %), any sign.

    Returns
    -------
    float or ndarray
        ``−s · q · P · r``: negative when the holder pays (a long when ``funding_rate > 0``).

    References
    ----------
    .. [1] Binance, "Introduction to USDⓈ-M Futures Funding Rate",
       https://www.binance.com/en/support/articles/360033525031
    .. [2] Hyperliquid docs, Funding,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding

    Examples
    --------
    2 BTC long at an oracle of 60,000 with 0.01 % for the hour pays 12 USDC (case D8).

    >>> funding_payment("long", size=2, price=60_000, funding_rate=0.0001)
    -12.0
    >>> funding_payment("short", size=2, price=60_000, funding_rate=0.0001)
    12.0
    """
    s = v.side_sign(side)
    size = v.positive("size", size)
    price = v.positive("price", price)
    rate = v.finite("funding_rate", funding_rate)
    v.broadcast(side=s, size=size, price=price, funding_rate=rate)
    with np.errstate(all="ignore"):
        out = -s * size * price * rate + 0.0  # + 0.0: no "-0.0"
    return v.result(out, size=size, price=price, funding_rate=rate)


# ---------------------------------------------------------------------------------------------
# Setting the rate
# ---------------------------------------------------------------------------------------------


def funding_rate_from_premium(premium_index, *, interest_rate=DEFAULT_INTEREST_RATE,
                              clamp_limit=DEFAULT_CLAMP_LIMIT):
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

    >>> funding_rate_from_premium([0.0002, 0.001, 0.00005, -0.0003, -0.002, 0.01])
    array([ 0.0001,  0.0005,  0.0001,  0.0001, -0.0015,  0.0095])
    >>> funding_rate_from_premium(0.0)
    0.0001
    """
    premium = v.finite("premium_index", premium_index)
    interest = v.finite("interest_rate", interest_rate)
    limit = v.nonnegative("clamp_limit", clamp_limit)
    v.broadcast(premium_index=premium, interest_rate=interest, clamp_limit=limit)
    with np.errstate(all="ignore"):
        rate = premium + np.clip(interest - premium, -limit, limit)
    return v.result(rate + 0.0, premium_index=premium, interest_rate=interest,
                    clamp_limit=limit)


def cap_funding_rate(funding_rate, *, cap, floor=None):
    """Clip a funding rate to a venue's cap: ``clip(rate, −cap, +cap)``.

    Parameters
    ----------
    funding_rate : float or array_like
        Funding rate per interval, any sign.
    cap : float or array_like
        Largest rate allowed per interval, >= 0, in the same interval as ``funding_rate``
        (e.g. :func:`marginlib.venues.hyperliquid.funding_cap` per hour,
        :func:`marginlib.venues.dydx.funding_cap` per 8 h).
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
    .. [1] Hyperliquid docs, Funding (cap 4 %/h),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding
    .. [2] dYdX v4 docs, ``pages/concepts/trading/funding.mdx`` (commit 3e475b7): 8-hour cap
       ``600 % × (IMF − MMF)``, https://github.com/dydxprotocol/v4-documentation
    .. [3] Binance, "Introduction to USDⓈ-M Futures Funding Rate" (per-symbol caps),
       https://www.binance.com/en/support/articles/360033525031

    Examples
    --------
    >>> cap_funding_rate([0.05, -0.001, -0.02], cap=0.003)
    array([ 0.003, -0.001, -0.003])
    """
    rate = v.finite("funding_rate", funding_rate)
    cap = v.nonnegative("cap", cap)
    if floor is None:
        lower = -cap
    else:
        lower = v.finite("floor", floor)
        if np.any(lower > 0):
            raise ValueError(f"floor must be <= 0, got {float(np.max(lower)):g}")
    v.broadcast(funding_rate=rate, cap=cap, **({} if floor is None else {"floor": lower}))
    return v.scalar_or_array(np.minimum(np.maximum(rate, lower), cap) + 0.0)


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

    def __post_init__(self):
        for name in ("key", "name", "source", "as_of", "notes"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"FundingCap.{name} must be a string, "
                                 f"got {getattr(self, name)!r}")
        for name, check in (("cap", v.nonnegative), ("interval_hours", v.positive)):
            value = check(f"FundingCap.{name}", getattr(self, name))
            if value.ndim != 0:
                raise ValueError(f"FundingCap.{name} must be a single number")
            object.__setattr__(self, name, float(value))

    def per_hours(self, hours):
        """The cap converted (linearly) to another interval, e.g. ``per_hours(8)``."""
        return convert_funding_rate(self.cap, from_hours=self.interval_hours, to_hours=hours)

    def annualized(self):
        """The cap held for a year, simple annualisation (fraction per year)."""
        return annualize_funding_rate(self.cap, interval_hours=self.interval_hours)


# ---------------------------------------------------------------------------------------------
# Time units
# ---------------------------------------------------------------------------------------------


def convert_funding_rate(funding_rate, *, from_hours, to_hours):
    """Express a funding rate per a different interval (linear: same cost per unit time).

    Parameters
    ----------
    funding_rate : float or array_like
        Rate per ``from_hours``, any sign.
    from_hours, to_hours : float or array_like
        Interval lengths in hours, > 0. Per second is ``1/3600`` (GMX).

    Returns
    -------
    float or ndarray
        ``funding_rate × to_hours / from_hours``.

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
    rate = v.finite("funding_rate", funding_rate)
    from_hours = v.positive("from_hours", from_hours)
    to_hours = v.positive("to_hours", to_hours)
    v.broadcast(funding_rate=rate, from_hours=from_hours, to_hours=to_hours)
    with np.errstate(all="ignore"):
        out = rate * (to_hours / from_hours) + 0.0
    return v.result(out, funding_rate=rate, from_hours=from_hours, to_hours=to_hours)


def annualize_funding_rate(funding_rate, *, interval_hours, compounded=False):
    """Annual funding as a fraction: simple (APR) or compounded (APY).

    Parameters
    ----------
    funding_rate : float or array_like
        Rate per interval; > −1 when ``compounded``.
    interval_hours : float or array_like
        Interval length in hours, > 0 (1/3600 for per-second rates).
    compounded : bool, optional
        ``False``: ``funding_rate × 8760/interval_hours``. ``True``:
        ``(1 + funding_rate)^(8760/interval_hours) − 1``.

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
    .. [1] Hyperliquid docs, Funding (0.01 % per 8 h paid hourly ≈ 11.6 %/yr),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding

    Examples
    --------
    Case H7: 0.00125 %/h → 10.95 % simple, 11.57 % compounded.

    >>> round(annualize_funding_rate(0.0000125, interval_hours=1), 6)
    0.1095
    >>> round(annualize_funding_rate(0.0000125, interval_hours=1, compounded=True), 4)
    0.1157
    """
    rate = v.finite("funding_rate", funding_rate)
    hours = v.positive("interval_hours", interval_hours)
    if not isinstance(compounded, (bool, np.bool_)):
        raise ValueError(f"compounded must be True or False, got {compounded!r}")
    v.broadcast(funding_rate=rate, interval_hours=hours)
    with np.errstate(all="ignore"):
        periods = HOURS_PER_YEAR / hours
        simple = rate * periods + 0.0
    if not compounded:
        return v.result(simple, funding_rate=rate, interval_hours=hours)
    v.result(periods, interval_hours=hours)
    if np.any(rate <= -1):
        raise ValueError("funding_rate must be > -1 to compound")
    with np.errstate(over="ignore"):
        return v.scalar_or_array(np.expm1(periods * np.log1p(rate)) + 0.0)


def hourly_funding_schedule(*, funding_rate, n_hours, interval_hours):
    """A rate paid every ``interval_hours``, laid out hour by hour (0 in the other hours).

    Parameters
    ----------
    funding_rate : float
        Rate paid at each settlement, per ``interval_hours``, any sign.
    n_hours : int
        Length of the schedule in hours, >= 1.
    interval_hours : int
        Hours between settlements, a whole number >= 1 (8 on Binance, 1 on Hyperliquid).

    Returns
    -------
    ndarray
        Shape ``(n_hours,)``: hour ``t`` (1-based, the end of hour ``t``) pays ``funding_rate``
        when ``t`` is a multiple of ``interval_hours``, else 0. Feed it to
        :func:`marginlib.funding_drift.isolated_funding_drift` as ``rate_path`` to replay a
        position hour by hour under either settlement schedule.

    Notes
    -----
    Paying ``r`` every 8 h or ``r/8`` every hour costs the same per day; only the timing of
    the drain (and so the hour a thin margin is liquidated) differs.

    References
    ----------
    .. [1] Hyperliquid docs, Funding (hourly settlement of ``F/8``),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding

    Examples
    --------
    >>> hourly_funding_schedule(funding_rate=0.0008, n_hours=8, interval_hours=4)
    array([0.    , 0.    , 0.    , 0.0008, 0.    , 0.    , 0.    , 0.0008])
    """
    rate = v.finite("funding_rate", funding_rate)
    if rate.ndim != 0:
        raise ValueError("funding_rate must be a single number for hourly_funding_schedule")
    n = _points("n_hours", v.count("n_hours", n_hours))
    step = v.count("interval_hours", interval_hours)
    return np.where(np.arange(1, n + 1) % step == 0, float(rate), 0.0)


#: Largest number of points a generated path may hold (a guard against ``n = 1e308``).
MAX_PATH_POINTS = 10 ** 8


def _points(name, n, paths=1):
    """Refuse a path of more than :data:`MAX_PATH_POINTS` values, naming the count."""
    if n * paths > MAX_PATH_POINTS:
        raise ValueError(f"{name} is too large: the path would hold {n * paths:,} values "
                         f"(at most {MAX_PATH_POINTS:,})")
    return n


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


def cumulative_funding(side, *, size, price_path, rate_path):
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

    >>> cf = cumulative_funding("long", size=10_000, price_path=2.5,
    ...                     rate_path=[0.0001, 0.0005, -0.0002])
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
    with np.errstate(all="ignore"):
        payments = -s * size * prices * rates + 0.0
        cumulative = np.cumsum(payments, axis=0)
    v.result(payments, size=size, price_path=prices, rate_path=rates)
    v.result(cumulative, size=size, price_path=prices, rate_path=rates)
    return CumulativeFunding(payments, cumulative, v.scalar_or_array(cumulative[-1]))


def days_to_consume_margin(*, funding_rate, leverage, interval_hours=8.0):
    """Days until funding alone has consumed the whole margin, at a constant rate and price.

    Parameters
    ----------
    funding_rate : float or array_like
        Rate the position *pays* per interval, > 0 (0.0005 = 5 bp). A position that receives
        funding (or pays nothing) never runs out, so no finite answer exists: refused.
    leverage : float or array_like
        Notional ÷ margin at open, >= 1.
    interval_hours : float or array_like, optional
        Hours between payments, > 0 (8 on Binance, 1 on Hyperliquid and dYdX).

    Returns
    -------
    float or ndarray
        ``(interval_hours/24) / (L·r)`` days.

    Notes
    -----
    At a constant price each payment is ``q·P·r``, the notional times the rate, and the margin
    is the notional ÷ ``L``: ``1/(L·r)`` payments consume it all, ``interval_hours/24`` days
    apart. The count is continuous (the last payment may be partial). A venue liquidates
    sooner, once the equity falls strictly below maintenance: for that day see
    :func:`marginlib.funding_drift.intervals_to_funding_liquidation`.

    References
    ----------
    .. [1] Binance, "Introduction to USDⓈ-M Futures Funding Rate" (funding = position value ×
       funding rate), https://www.binance.com/en/support/articles/360033525031

    Examples
    --------
    5 bp per 8 h at 10×: each payment is 0.5 % of the margin, so 200 payments, 66.7 days.

    >>> round(days_to_consume_margin(funding_rate=0.0005, leverage=10), 4)
    66.6667
    >>> days_to_consume_margin(funding_rate=0.0001, leverage=[1, 10], interval_hours=1)
    array([416.66666667,  41.66666667])
    """
    rate = v.positive("funding_rate", funding_rate)
    lev = v.leverage_value("leverage", leverage)
    hours = v.positive("interval_hours", interval_hours)
    v.broadcast(funding_rate=rate, leverage=lev, interval_hours=hours)
    with np.errstate(all="ignore"):
        out = hours / 24.0 / (lev * rate)
    return v.result(out, funding_rate=rate, leverage=lev, interval_hours=hours)
