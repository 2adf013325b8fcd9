"""Choosing leverage from a probability of liquidation, and adjusting an open position.

Every function here inverts :func:`marginlib.sim.probability.liquidation_probability`
(geometric Brownian motion, the reflection principle, optionally the Broadie–Glasserman–Kou
shift for marks every ``monitoring_hours``):

* :func:`liquidation_price_for_probability` -- the liquidation price whose probability of
  being touched within the horizon is the target (the safe distance);
* :func:`max_leverage_for_probability` -- the largest leverage whose liquidation price
  (maintenance margin and the closing fee included) is at least that far;
* :func:`margin_to_add` and :func:`size_to_cut` -- what an open position needs to meet the
  target;
* :func:`compare_adjustments` -- holding, adding margin, cutting size and a stop order,
  compared on the probability of losing the position and on the expected loss.

``side`` first, every numeric argument keyword-only; the liquidation rule is the package's
(equity strictly below maintenance; maintenance evaluated at the mark, with the closing fee
counted as OKX does: ``m + taker``).

References
----------
.. [1] S. Shreve, *Stochastic Calculus for Finance II*, Springer 2004, §7.3 (first passage of
   Brownian motion with drift).
.. [2] M. Broadie, P. Glasserman, S. Kou, "A continuity correction for discrete barrier
   options", *Mathematical Finance* 7(4):325–348, 1997.
.. [3] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
   https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93 (the liquidation
   price ``(M + c − s·q·E)/(q·m − s·q)`` solved here for ``M`` or ``q``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v
from .liquidation import liquidation_outcome, liquidation_price
from .sim.probability import BGK_BETA, _touch_probability, liquidation_probability
from .units import HOURS_PER_YEAR

__all__ = ["liquidation_price_for_probability", "max_leverage_for_probability",
           "margin_to_add", "size_to_cut", "AdjustmentOutcome", "compare_adjustments"]

#: The root is bracketed by ``_SECTIONS − 1`` interior points a round (4 bits a round instead
#: of bisection's 1): about 14 rounds to a few ulps instead of 56, each one kernel call on a
#: ``_SECTIONS − 1`` times larger array (the kernel's cost is mostly per call at these sizes).
_SECTIONS = 16
_ROUNDS = 60
_FRACTIONS = np.arange(1, _SECTIONS) / _SECTIONS


def _target(name, value):
    p = v.finite(name, value)
    bad = (p <= 0) | (p >= 1)
    if np.any(bad):
        raise ValueError(f"{name} must be a probability strictly between 0 and 1 "
                         f"(0.05 = 5 %), got {float(p[bad].flat[0])!r}")
    return p


def _model(volatility, horizon_years, drift, monitoring_hours):
    sigma = v.positive("volatility", volatility)
    horizon = v.positive("horizon_years", horizon_years)
    mu = v.finite("drift", drift)
    shift = 0.0
    if monitoring_hours is not None:
        dt = v.positive("monitoring_hours", monitoring_hours)
        shift = BGK_BETA * sigma * np.sqrt(dt / HOURS_PER_YEAR)
    return sigma, horizon, mu, shift


def _distance(s, target, sigma, horizon, mu, shift, names):
    """Log distance ``x >= 0`` from the price with P(touch within T) = target.

    Multisection: the bracket ``[lo, hi]`` (``P(lo) > target >= P(hi)``; P falls with the
    distance) is cut at ``_SECTIONS − 1`` interior points evaluated in one kernel call, and
    the new bracket is the first point with ``P <= target`` and the one before it; until
    ``hi − lo <= 4 ulp(hi)``. Bisection's invariant, 4 bits a round instead of 1.
    """
    nud = s * (mu - 0.5 * sigma * sigma)
    shape = np.broadcast_shapes(*(np.shape(a) for a in (s, target, sigma, horizon, mu, shift)))
    last = lambda a: np.asarray(a)[..., None]  # noqa: E731  (aligned with the points' axis)
    with np.errstate(all="ignore"):
        scale = np.abs(nud) * horizon + sigma * np.sqrt(horizon)
        v.result(scale, **names)
        lo = np.zeros(shape)
        hi = np.broadcast_to(40.0 * scale + shift, shape).copy()
        nud_, sigma_, horizon_, target_ = map(last, (nud, sigma, horizon, target))
        for _ in range(_ROUNDS):
            width = hi - lo
            points = last(lo) + last(width) * _FRACTIONS
            p = _touch_probability(-points, nud_, sigma_, horizon_)
            above = p > target_
            # in [lo, points..., hi] the new bracket is the k-th and (k+1)-th entries, with k
            # the index of the first point with P <= target (the number of points if none)
            k = np.where(above[..., -1], above.shape[-1], np.argmin(above, axis=-1))[..., None]
            ends = np.concatenate([last(lo), points, last(hi)], axis=-1)
            lo = np.take_along_axis(ends, k, axis=-1)[..., 0]
            hi = np.take_along_axis(ends, k + 1, axis=-1)[..., 0]
            if np.all(hi - lo <= 4 * np.finfo(float).eps * hi):
                break
    # hi: the smallest effective distance found whose probability is at most the target
    return np.maximum(hi - shift, 0.0)


def liquidation_price_for_probability(side, *, price, target_probability, volatility,
                                      horizon_years, drift=0.0, monitoring_hours=None):
    """The liquidation price touched within the horizon with probability ``target_probability``.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    price : float or array_like
        Price now, > 0.
    target_probability : float or array_like
        Strictly between 0 and 1 (0.05 = 5 %).
    volatility, horizon_years, drift, monitoring_hours
        As in :func:`marginlib.sim.probability.liquidation_probability` (annualised ``σ`` and
        ``μ``, horizon in years, marks every ``monitoring_hours`` or continuous).

    Returns
    -------
    float or ndarray
        ``B = price·exp(∓x)`` (below the price for a long, above for a short), with ``x`` the
        log distance at which the probability equals the target: any liquidation price
        farther away has a smaller probability. Found by multisection on ``x`` (15 points a
        round) to a few ulps.

    References
    ----------
    .. [1] S. Shreve, *Stochastic Calculus for Finance II*, §7.3.
    .. [2] Broadie, Glasserman, Kou, *Mathematical Finance* 7(4), 1997 (``monitoring_hours``).

    Examples
    --------
    σ = 90 %/yr, one week, at most 5 %: a long's liquidation price must be 22.2 % below.

    >>> b = liquidation_price_for_probability("long", price=1.0, target_probability=0.05,
    ...                                       volatility=0.9, horizon_years=7 / 365)
    >>> round(1 - b, 3)
    0.222
    """
    s = v.side_sign(side)
    price = v.positive("price", price)
    target = _target("target_probability", target_probability)
    sigma, horizon, mu, shift = _model(volatility, horizon_years, drift, monitoring_hours)
    names = dict(price=price, target_probability=target, volatility=sigma,
                 horizon_years=horizon, drift=mu)
    v.broadcast(side=s, **names, **({} if monitoring_hours is None else
                                    {"monitoring_hours": v.as_float_array(
                                        "monitoring_hours", monitoring_hours)}))
    x = _distance(s, target, sigma, horizon, mu, shift, names)
    with np.errstate(all="ignore"):
        out = price * np.exp(-s * x)
    return v.result(out, **names)


def max_leverage_for_probability(side, *, target_probability, volatility, horizon_years,
                                 drift=0.0, maintenance_margin_rate=0.0, taker_fee_rate=0.0,
                                 monitoring_hours=None, max_leverage=None):
    """Largest leverage whose P(liquidation within the horizon) is at most the target.

    The position is opened now (entry = price); the leverage axis includes the maintenance
    margin and the closing fee, through the liquidation price
    ``E·(1 − 1/L)/(1 − m')`` (long) or ``E·(1 + 1/L)/(1 + m')`` (short), ``m' = m + taker``.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    target_probability : float or array_like
        Strictly between 0 and 1.
    volatility, horizon_years, drift, monitoring_hours
        As in :func:`marginlib.sim.probability.liquidation_probability`.
    maintenance_margin_rate : float or array_like, optional
        ``m`` in [0, 1).
    taker_fee_rate : float or array_like, optional
        Closing fee counted in the requirement, in [0, 1]; ``m + taker < 1``.
    max_leverage : float or array_like, optional
        The venue's cap (>= 1): the result never exceeds it.

    Returns
    -------
    float or ndarray
        ``L* = 1/(1 − (1 − m')·e^(−x))`` for a long, ``1/((1 + m')·e^x − 1)`` for a short,
        with ``x`` the safe log distance of :func:`liquidation_price_for_probability`; below
        ``1/m'`` (a long opened there is not liquidated at once). A short's ``L*`` can be below
        1 (the margin must then exceed the notional) when the target asks for a distance
        beyond ``ln(2/(1 + m'))``.

    References
    ----------
    .. [1] Shreve, *Stochastic Calculus for Finance II*, §7.3; Binance liquidation price FAQ,
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93

    Examples
    --------
    A week at σ = 90 %, at most a 5 % chance, maintenance 5 %: about 3.8× (a day: 7.4×).

    >>> round(max_leverage_for_probability("long", target_probability=0.05, volatility=0.9,
    ...                                    horizon_years=7 / 365,
    ...                                    maintenance_margin_rate=0.05), 2)
    3.84
    """
    s = v.side_sign(side)
    target = _target("target_probability", target_probability)
    sigma, horizon, mu, shift = _model(volatility, horizon_years, drift, monitoring_hours)
    m = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    fee = v.fee_rate("taker_fee_rate", taker_fee_rate)
    rate = m + fee
    if np.any(rate >= 1):
        raise ValueError("maintenance_margin_rate + taker_fee_rate must be < 1, "
                         f"got {float(np.max(rate)):g}")
    names = dict(target_probability=target, volatility=sigma, horizon_years=horizon, drift=mu,
                 maintenance_margin_rate=m, taker_fee_rate=fee)
    extra = {}
    if monitoring_hours is not None:
        extra["monitoring_hours"] = v.as_float_array("monitoring_hours", monitoring_hours)
    if max_leverage is not None:
        extra["max_leverage"] = v.leverage_value("max_leverage", max_leverage)
    v.broadcast(side=s, **names, **extra)
    x = _distance(s, target, sigma, horizon, mu, shift, names)
    with np.errstate(all="ignore"):
        lev = np.where(s > 0, 1.0 / (1.0 - (1.0 - rate) * np.exp(-x)),
                       1.0 / ((1.0 + rate) * np.exp(x) - 1.0))
    if max_leverage is not None:
        lev = np.minimum(lev, extra["max_leverage"])
    return v.result(lev, **names)


def _position(side, price, entry_price, size, margin, maintenance_margin_rate, taker_fee_rate):
    s = v.side_sign(side)
    p0 = v.positive("price", price)
    e = v.positive("entry_price", entry_price)
    q = v.positive("size", size)
    m_ = v.positive("margin", margin)
    m = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    fee = v.fee_rate("taker_fee_rate", taker_fee_rate)
    rate = m + fee
    if np.any(rate >= 1):
        raise ValueError("maintenance_margin_rate + taker_fee_rate must be < 1, "
                         f"got {float(np.max(rate)):g}")
    names = dict(price=p0, entry_price=e, size=q, margin=m_, maintenance_margin_rate=m,
                 taker_fee_rate=fee)
    v.broadcast(side=s, **names)
    with np.errstate(all="ignore"):
        equity = m_ + s * q * (p0 - e)
        need = q * p0 * rate
    v.result(np.stack(np.broadcast_arrays(equity, need)), **names)
    if np.any(equity < need):
        raise ValueError("the position is already liquidated at price (equity below the "
                         "maintenance margin): margin + PnL at price must be at least "
                         "size × price × (maintenance_margin_rate + taker_fee_rate)")
    return s, p0, q, equity, rate, names


def _position_and_safe_barrier(side, price, entry_price, size, margin, maintenance_margin_rate,
                               taker_fee_rate, target_probability, volatility, horizon_years,
                               drift, monitoring_hours):
    """The validated position (:func:`_position`) and ``B``, the liquidation price whose
    P(liquidation within T) is the target: what :func:`margin_to_add` and :func:`size_to_cut`
    move the position's liquidation price to."""
    s, p0, q, equity, rate, names = _position(side, price, entry_price, size, margin,
                                              maintenance_margin_rate, taker_fee_rate)
    target = _target("target_probability", target_probability)
    sigma, horizon, mu, shift = _model(volatility, horizon_years, drift, monitoring_hours)
    names = dict(names, target_probability=target, volatility=sigma, horizon_years=horizon,
                 drift=mu)
    v.broadcast(side=s, **names)
    x = _distance(s, target, sigma, horizon, mu, shift, names)
    with np.errstate(all="ignore"):
        return s, p0, q, equity, rate, p0 * np.exp(-s * x), names


def margin_to_add(side, *, price, entry_price, size, margin, target_probability, volatility,
                  horizon_years, drift=0.0, maintenance_margin_rate=0.0, taker_fee_rate=0.0,
                  monitoring_hours=None):
    """Margin to add to an isolated position so that P(liquidation within T) <= target.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    price : float or array_like
        Mark now, > 0.
    entry_price, size, margin : float or array_like
        The open position (all > 0); it must not be liquidated at ``price``.
    target_probability, volatility, horizon_years, drift, monitoring_hours
        As in :func:`liquidation_price_for_probability`.
    maintenance_margin_rate, taker_fee_rate : float or array_like, optional
        As in :func:`marginlib.liquidation.liquidation_price`.

    Returns
    -------
    float or ndarray
        ``ΔM = max(q·B·m' − s·q·(B − P) − Eq, 0)`` with ``B`` the safe liquidation price,
        ``Eq = M + s·q·(P − E)`` the equity now and ``m' = m + taker``: with ``margin + ΔM``
        the liquidation price is ``B`` (0 when the position already meets the target).

    References
    ----------
    .. [1] Binance liquidation price FAQ (the equation ``Eq(B) = MM(B)`` solved for ``M``),
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    .. [2] Shreve, *Stochastic Calculus for Finance II*, §7.3.

    Examples
    --------
    A 10× long of 400 tokens at 2.50 (100 USDC of margin), maintenance 5 %, σ = 90 %, one
    week, at most 10 %:

    >>> round(margin_to_add("long", price=2.5, entry_price=2.5, size=400, margin=100,
    ...                     target_probability=0.10, volatility=0.9, horizon_years=7 / 365,
    ...                     maintenance_margin_rate=0.05), 2)
    130.9
    """
    s, p0, q, equity, rate, b, names = _position_and_safe_barrier(
        side, price, entry_price, size, margin, maintenance_margin_rate, taker_fee_rate,
        target_probability, volatility, horizon_years, drift, monitoring_hours)
    with np.errstate(all="ignore"):
        out = np.maximum(q * b * rate - s * q * (b - p0) - equity, 0.0)
    return v.result(out, **names)


def size_to_cut(side, *, price, entry_price, size, margin, target_probability, volatility,
                horizon_years, drift=0.0, maintenance_margin_rate=0.0, taker_fee_rate=0.0,
                monitoring_hours=None):
    """Base units to close now so that the rest has P(liquidation within T) <= target.

    The part closed at ``price`` settles its profit or loss into the position's margin (its
    equity ``Eq = M + s·q·(P − E)`` stays with the remaining size); fees of the cut aside.

    Parameters
    ----------
    side, price, entry_price, size, margin
        As in :func:`margin_to_add`.
    target_probability, volatility, horizon_years, drift
        As in :func:`margin_to_add`.
    maintenance_margin_rate, taker_fee_rate, monitoring_hours
        As in :func:`margin_to_add`.

    Returns
    -------
    float or ndarray
        ``max(q − q', 0)`` with ``q' = Eq/(B·m' − s·(B − P))``, ``B`` the safe liquidation
        price: the remaining ``q'`` has its liquidation price at ``B``.

    References
    ----------
    .. [1] Binance liquidation price FAQ (``Eq(B) = MM(B)`` solved for the size),
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93

    Examples
    --------
    The position of :func:`margin_to_add`: close 227 of its 400 tokens instead.

    >>> round(size_to_cut("long", price=2.5, entry_price=2.5, size=400, margin=100,
    ...                   target_probability=0.10, volatility=0.9, horizon_years=7 / 365,
    ...                   maintenance_margin_rate=0.05), 1)
    226.8
    """
    s, p0, q, equity, rate, b, names = _position_and_safe_barrier(
        side, price, entry_price, size, margin, maintenance_margin_rate, taker_fee_rate,
        target_probability, volatility, horizon_years, drift, monitoring_hours)
    with np.errstate(all="ignore"):
        keep = equity / (b * rate - s * (b - p0))
        out = np.clip(q - keep, 0.0, q)
    return v.result(out, **names)


@dataclass(frozen=True)
class AdjustmentOutcome:
    """One way to handle an open position, in quote currency except where stated.

    Attributes
    ----------
    action : str
        ``"hold"``, ``"add margin"``, ``"cut size"`` or ``"stop order"``.
    size, margin : float
        The position after the action (base units; its isolated margin).
    exit_price : float
        Where the position is closed if the adverse move comes: its liquidation price, or the
        stop's trigger.
    probability : float
        P(the price touches ``exit_price`` within the horizon).
    liquidation_probability : float
        P(liquidation within the horizon): ``probability`` except for the stop order, whose
        stop closes the position first (0 in this model: no gap through the stop).
    loss_if_hit : float
        Equity lost when the exit happens: margin + PnL now minus what comes back (after the
        liquidation fee or the stop's taker fee and slippage), plus ``cost_now``.
    expected_loss : float
        ``probability × loss_if_hit`` (the adverse exit's share of the expected loss).
    cost_now : float
        Fee paid now (the cut's taker fee), also counted in ``loss_if_hit``.
    """

    action: str
    size: float
    margin: float
    exit_price: float
    probability: float
    liquidation_probability: float
    loss_if_hit: float
    expected_loss: float
    cost_now: float


def compare_adjustments(side, *, price, entry_price, size, margin, target_probability,
                        volatility, horizon_years, drift=0.0, maintenance_margin_rate=0.0,
                        taker_fee_rate=0.0, liquidation_fee_rate=0.0, stop_price=None,
                        stop_slippage=0.0, monitoring_hours=None):
    """Hold, add margin, cut size or place a stop: P(liquidation) and expected loss.

    Adding margin and cutting size are sized to meet ``target_probability``
    (:func:`margin_to_add`, :func:`size_to_cut`). The stop order closes the whole position at
    ``stop_price``, between the price and the liquidation price: it is touched more often than
    the liquidation price, but replaces the liquidation by a smaller loss.

    Parameters
    ----------
    side : {"long", "short"}
    price, entry_price, size, margin
        Single numbers, as in :func:`margin_to_add`.
    target_probability, volatility, horizon_years, drift
        Single numbers, as in :func:`margin_to_add`.
    maintenance_margin_rate, monitoring_hours
        Single numbers, as in :func:`margin_to_add`.
    taker_fee_rate : float, optional
        Taker fee in [0, 1]: counted in the maintenance requirement (as in
        :func:`marginlib.liquidation.liquidation_price`) and paid on the cut and on the stop's
        fill.
    liquidation_fee_rate : float, optional
        Liquidation fee as a fraction of the notional at the liquidation price, in [0, 1].
    stop_price : float, optional
        The stop's trigger, strictly between the price and the current liquidation price
        (default: halfway).
    stop_slippage : float, optional
        The stop fills this fraction beyond its trigger, in [0, 1).

    Returns
    -------
    tuple of AdjustmentOutcome
        ``(hold, add margin, cut size, stop order)``.

    Notes
    -----
    Loss if hit: the equity now (``M + s·q·(P − E)``, margin added included) minus what comes
    back at the exit (:func:`marginlib.liquidation.liquidation_outcome` for a liquidation; the
    stop's ``Eq + s·q·(X − P) − q·X·taker`` at its fill ``X``). Adding margin lowers the
    probability but puts more at stake; cutting lowers both; a stop trades a likelier, smaller
    loss for (in this model) no liquidation. The model has no gap: a real stop can fill beyond
    the liquidation price (see notebook 05).

    References
    ----------
    .. [1] Shreve, *Stochastic Calculus for Finance II*, §7.3; Broadie, Glasserman, Kou 1997.
    .. [2] Binance liquidation price FAQ,
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93

    Examples
    --------
    >>> rows = compare_adjustments("long", price=2.5, entry_price=2.5, size=400, margin=100,
    ...                            target_probability=0.10, volatility=0.9,
    ...                            horizon_years=7 / 365, maintenance_margin_rate=0.05)
    >>> [(r.action, round(r.probability, 3), round(r.expected_loss, 1)) for r in rows]
    [('hold', 0.682, 35.9), ('add margin', 0.1, 19.0), ('cut size', 0.1, 8.2), ('stop order', 0.841, 22.1)]
    """
    if not isinstance(side, str):
        raise ValueError(f"side must be 'long' or 'short', got {side!r}")
    one = {name: v.single_number(name, value, check) for name, value, check in (
        ("price", price, v.positive), ("entry_price", entry_price, v.positive),
        ("size", size, v.positive), ("margin", margin, v.positive),
        ("target_probability", target_probability, _target),
        ("volatility", volatility, v.positive), ("horizon_years", horizon_years, v.positive),
        ("drift", drift, v.finite),
        ("maintenance_margin_rate", maintenance_margin_rate, v.unit_rate),
        ("taker_fee_rate", taker_fee_rate, v.fee_rate),
        ("liquidation_fee_rate", liquidation_fee_rate, v.fee_rate),
        ("stop_slippage", stop_slippage, v.unit_rate))}
    if monitoring_hours is not None:
        one["monitoring_hours"] = v.single_number("monitoring_hours", monitoring_hours,
                                                  v.positive)
    s = float(v.side_sign(side))
    p0, e, q, m0 = one["price"], one["entry_price"], one["size"], one["margin"]
    mm, fee = one["maintenance_margin_rate"], one["taker_fee_rate"]
    model = dict(volatility=one["volatility"], horizon_years=one["horizon_years"],
                 drift=one["drift"], monitoring_hours=monitoring_hours)
    common = dict(price=p0, entry_price=e, maintenance_margin_rate=mm, taker_fee_rate=fee)
    target = one["target_probability"]
    add = margin_to_add(side, size=q, margin=m0, target_probability=target, **common, **model)
    cut = size_to_cut(side, size=q, margin=m0, target_probability=target, **common, **model)

    def prob(barrier):
        return liquidation_probability(side, price=p0, liquidation_price=barrier, **model)

    def liquidated(size_, margin_, equity_now, cost):
        liq = liquidation_price(side, entry_price=e, size=size_, margin=margin_,
                                maintenance_margin_rate=mm, taker_fee_rate=fee)
        back = liquidation_outcome(side, entry_price=e, size=size_, margin=margin_,
                                   exit_price=max(liq, 1e-300) if s > 0 else liq,
                                   liquidation_fee_rate=one["liquidation_fee_rate"],
                                   taker_fee_rate=fee).returned
        return liq, equity_now - back + cost

    equity = m0 + s * q * (p0 - e)
    rows = []
    for action, size_, margin_, cost in (("hold", q, m0, 0.0), ("add margin", q, m0 + add, 0.0),
                                         ("cut size", q - cut, None, fee * cut * p0)):
        if margin_ is None:  # the cut's PnL settles into the margin of what is left
            margin_ = m0 + s * cut * (p0 - e)
        eq_now = margin_ + s * size_ * (p0 - e)
        liq, loss = liquidated(size_, margin_, eq_now, cost)
        p = prob(liq)
        rows.append(AdjustmentOutcome(action, float(size_), float(margin_), float(liq), p, p,
                                      float(loss), float(p * loss), float(cost)))
    hold_liq = rows[0].exit_price
    if stop_price is None:
        stop = 0.5 * (p0 + hold_liq)
    else:
        stop = v.single_number("stop_price", stop_price, v.positive)
        if not s * (hold_liq - stop) < 0 < s * (p0 - stop):
            raise ValueError(f"stop_price must lie strictly between price={p0:g} and the "
                             f"liquidation price {hold_liq:g}, got {stop:g}")
    fill = stop * (1.0 - s * one["stop_slippage"])
    loss = equity - (equity + s * q * (fill - p0) - q * fill * fee)
    p = prob(stop)
    rows.append(AdjustmentOutcome("stop order", float(q), float(m0), float(stop), p, 0.0,
                                  float(loss), float(p * loss), 0.0))
    return tuple(rows)
