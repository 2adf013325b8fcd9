"""Closed-form first-passage (barrier-hit) probability of a geometric Brownian motion.

The chance that a price following GBM touches a barrier before a horizon is the chance that an
isolated position with that liquidation price is liquidated (fees and funding aside). Marks
are discrete (every hour, every minute...), so the continuous formula overstates it; Broadie,
Glasserman & Kou's shift of the barrier corrects for that.

* :func:`liquidation_probability` -- P(the price touches the liquidation price within a
  horizon), vectorised over leverage × horizon grids (``side`` first, years);
* :func:`first_passage_probability` -- the same formula in prices and hours;
* :func:`simulated_liquidation_probability` -- a seeded Monte Carlo of the same event on the
  paths of :mod:`marginlib.sim.paths` (Gaussian, Student-t or Merton-jump returns, marks every
  ``step_hours``): where the formula is optimistic.

The normal CDF is evaluated by vectorised numpy rational approximations of ``erfc`` on W. J.
Cody's three intervals (relative error below 1e-13 against :func:`math.erfc`; the
coefficients and their derivation are in ``scripts/fit_erfc.py``), kept in the scaled form
``erfc(z) = r·exp(e)`` so that ``ln Φ`` and ``exp(k)·Φ`` never underflow.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from ..units import HOURS_PER_YEAR

__all__ = ["BGK_BETA", "first_passage_probability", "liquidation_probability",
           "SimulatedProbability", "simulated_liquidation_probability"]

#: Broadie–Glasserman–Kou constant ``β = −ζ(1/2)/√(2π) ≈ 0.5826``: a barrier monitored every
#: ``Δt`` behaves like a continuous one moved ``exp(±β·σ·√Δt)`` away from the price.
BGK_BETA = 0.5825971579390106

# The intervals are W. J. Cody's ("Rational Chebyshev approximations for the error
# function", Mathematics of Computation 23(107):631-637, 1969; CALERF in netlib SPECFUN,
# https://www.netlib.org/specfun/erf), and so is the rational beyond 4. The first two
# intervals use lower-degree fits than CALERF's, derived by scripts/fit_erfc.py (mpmath, 50
# digits) and checked against math.erfc by the tests: each degree is one more pass over every
# element of a grid, and CALERF aims at 18 digits where the module promises 1e-13.
#   |z| <= 0.46875: erf(z)/z, degree 6 in z² (Chebyshev interpolant of Abramowitz & Stegun
#     7.1.5); erfc = 1 − z·p(z²) within 3.7e-14 relative (degree 7 would give 4e-16 and cost
#     4 % more time on a 200 × 200 grid).
#   0.46875 < y <= 4: erfcx(y) = exp(y²)·erfc(y), a 6/6 rational with near-minimax relative
#     error (Loeb–Lawson least squares), within 2e-14 (6/7 would give 1e-15).
#   y > 4: Cody's 5/5 rational in 1/y².
_LOW = (0.00010964495127254547, -0.0008515922120612011, 0.0052234960740422205,
        -0.02686613377721048, 0.11283791536283765, -0.3761263890133668, 1.1283791670954713)
_MID = ((8.956654810852173e-07, 0.5641568906739863, 5.671492678891619, 26.292929935805365,
         69.50612806591998, 105.36511195613276, 79.26621304354707),
        (1.0, 10.051455360776952, 47.1139882531649, 128.1370081397891, 210.0566392786835,
         194.8074467644516, 79.26621372252056))
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
      1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
      6.05183413124413191e-2, 2.33520497626869185e-3)
_BIG = ((_P[5], *_P[:5]), (1.0, *_Q))     # erfcx(y) = (1/√π − w·P(w)/Q(w))/y, w = 1/y²
_RSQRTPI = 0.5641895835477562869480794515607725858440
_THRESH = 0.46875
_SQRT2 = math.sqrt(2.0)


def _halved(coef):
    """The same rational with its numerator halved: ½·value."""
    return (tuple(0.5 * c for c in coef[0]),) + tuple(coef[1:])


# ½·erfc and ½·erfcx, for Φ = erfc/2 without a pass to halve the result
_LOW_HALF, _MID_HALF, _BIG_HALF = (tuple(0.5 * c for c in _LOW), _halved(_MID),
                                   _halved(_BIG))


def _rational(x, coef, num=None, den=None):
    """``num(x)/den(x)`` by Horner (coefficients highest degree first, ``den`` monic and of
    degree >= 1), in place in ``num`` (and ``den``, scratch) if given."""
    (n0, *ns), (_, d1, *ds) = coef
    num = np.multiply(n0, x, out=num)
    num += ns[0]
    for a in ns[1:]:
        num *= x
        num += a
    den = np.add(x, d1, out=den)
    for b in ds:
        den *= x
        den += b
    num /= den
    return num


def _erfc_low(z, out, s=None, half=False):
    """``erfc(z) = 1 − z·p(z²)`` (the first interval, ``|z| <= 0.46875``; any value
    elsewhere) into ``out`` (``½·erfc`` if ``half``); ``s``: optional scratch of ``z``'s
    size."""
    s = np.multiply(z, z, out=s)
    c0, c1, *cs = _LOW_HALF if half else _LOW
    p = np.multiply(s, c0, out=out)
    p += c1
    for c in cs:
        p *= s
        p += c
    p *= z
    return np.subtract(0.5 if half else 1.0, p, out=p)


def _erfcx_mid_big(y, out=None, work=None, half=False):
    """``exp(y²)·erfc(y)`` (``½·`` that if ``half``) for a 1-D array ``y > 0.46875``: the
    middle rational on every element, Cody's tail rational on those beyond 4 (``1/(√π·y)``
    beyond 1e154), into ``out`` if given.

    ``work``: optional flat scratch of at least ``4·y.size + 32`` floats; the only array
    allocated then is the index of the elements beyond 4. Call under
    ``np.errstate(all="ignore")`` (the middle rational overflows far beyond 4, where its
    values are replaced).
    """
    k = y.size
    if out is None:
        out = np.empty(k)
    if work is None:
        work = np.empty(4 * k + 32)
    _rational(y, _MID_HALF if half else _MID, out, work[:k])
    at = np.flatnonzero(y > 4.0)
    nb = at.size
    if nb:
        n = _aligned(nb)   # each scratch array on a 64-byte line (see _scratch)
        inv = np.take(y, at, out=work[n:n + nb], mode="clip")
        np.divide(1.0, inv, out=inv)                    # 1/y (0 beyond the float range)
        w = np.multiply(inv, inv, out=work[2 * n:2 * n + nb])
        r = _rational(w, _BIG_HALF if half else _BIG, work[3 * n:3 * n + nb], work[:nb])
        r *= w
        np.subtract(0.5 * _RSQRTPI if half else _RSQRTPI, r, out=r)
        r *= inv
        out[at] = r
    return out


def _erfc_of_negative(y, half=False):
    """``erfc(−y) = 2 − exp(−y²)·erfcx(y)`` (``½·`` that if ``half``) for a 1-D array
    ``y > 0.46875``. Call under ``np.errstate(all="ignore")``."""
    t = _erfcx_mid_big(y, half=half)
    t *= np.exp(-(y * y))
    return np.subtract(1.0 if half else 2.0, t, out=t)


def _erfc_scaled(z, out):
    """``erfc`` of the 1-D float array ``z`` into ``out``, scaled in the upper tail.

    ``out = exp(z²)·erfc(z)`` where ``z > 0.46875`` (nothing underflows: multiply by
    ``exp(−z²)`` afterwards, or fold that factor into another one), ``out = erfc(z)``
    elsewhere; a NaN stays NaN. Call under ``np.errstate(all="ignore")``.
    """
    _erfc_low(z, out)
    if z.size and z.min() < -_THRESH:
        neg = z < -_THRESH
        out[neg] = _erfc_of_negative(-z[neg])
    tail = z > _THRESH
    if tail.any():
        out[tail] = _erfcx_mid_big(z[tail])
    return out


def _erfc_parts(z):
    """``(r, e)`` with ``erfc(z) = r·exp(e)`` elementwise, ``e <= 0`` and ``r`` in [0, 2].

    ``e = −z²`` for ``z > 0.46875`` (the tail, kept out of the exponential so that nothing
    underflows), else 0.
    """
    z = np.asarray(z, dtype=float)
    r = np.empty(z.shape)
    with np.errstate(all="ignore"):
        _erfc_scaled(np.ascontiguousarray(z).reshape(-1), r.reshape(-1))
        e = np.where(z > _THRESH, -(z * z), 0.0)
    return r, e


def _erfc(x):
    """``erfc(x)`` elementwise (relative error < 1e-13 where it is normal)."""
    r, e = _erfc_parts(x)
    with np.errstate(under="ignore"):
        return r * np.exp(e)


def _log_normal_cdf(x):
    """``ln Φ(x)`` elementwise, finite for every finite ``x`` (``Φ(x) = erfc(−x/√2)/2``)."""
    x = np.asarray(x, dtype=float)
    shape, x = x.shape, x.reshape(-1)
    r, e = _erfc_parts(-x / _SQRT2)
    with np.errstate(divide="ignore"):
        out = np.log(0.5 * r) + e
    up = x > 0  # Φ(x) near 1: ln(1 − Φ(−x)) without cancellation
    if up.any():
        out[up] = np.log1p(-_normal_cdf(-x[up]))
    return out.reshape(shape)


def _normal_cdf(x):
    """``Φ(x)`` elementwise."""
    return 0.5 * _erfc(-np.asarray(x, dtype=float) / _SQRT2)


def first_passage_probability(*, initial_price, barrier, volatility, horizon_hours, drift=0.0,
                              monitoring_hours=None):
    """Probability that a GBM price touches ``barrier`` at least once before the horizon.

    Parameters
    ----------
    initial_price : float or array_like
        Price now, > 0.
    barrier : float or array_like
        Price level, >= 0. Below the initial price: the chance of falling to it (a long's
        liquidation price); above: of rising to it (a short's). 0 is never reached.
    volatility : float or array_like
        Annualised volatility ``σ`` of log returns, > 0 (0.8 = 80 %; 8,760 hours a year).
    horizon_hours : float or array_like
        Horizon ``T`` in hours, > 0.
    drift : float or array_like, optional
        Annualised expected return ``μ``; the log drift is ``ν = μ − σ²/2``.
    monitoring_hours : float or array_like, optional
        Time between marks ``Δt`` in hours (> 0). ``None``: continuous monitoring. Otherwise
        the barrier is shifted away from the price by ``exp(β·σ·√Δt)``, ``β ≈ 0.5826``
        (Broadie–Glasserman–Kou), approximating a barrier checked only at the marks.

    Returns
    -------
    float or ndarray
        Probability in [0, 1]; 1 where the barrier is already reached (the initial price is at
        or beyond it).

    Notes
    -----
    With ``b = ln(B/S₀)``, ``ν = μ − σ²/2`` and time in years, the reflection principle gives
    for a lower barrier (``b < 0``)

        ``P = Φ((b − νT)/(σ√T)) + exp(2νb/σ²)·Φ((b + νT)/(σ√T))``

    and for an upper barrier (``b > 0``) the mirror image
    ``Φ((−b + νT)/(σ√T)) + exp(2νb/σ²)·Φ((−b − νT)/(σ√T))``. Discrete monitoring: ``B`` is
    replaced by ``B·exp(∓β σ √Δt)`` (lower/upper barrier) before applying the formula.

    References
    ----------
    .. [1] M. Broadie, P. Glasserman, S. Kou, "A continuity correction for discrete barrier
       options", *Mathematical Finance* 7(4):325–348, 1997.
    .. [2] S. Shreve, *Stochastic Calculus for Finance II*, Springer 2004, §7.3 (maximum of
       Brownian motion with drift).

    Examples
    --------
    σ = 150 %/yr, 7 days, a barrier 10 % below: 0.644 continuous, 0.635 with 5-minute marks
    (a 5-minute Monte Carlo gives 0.634).

    >>> round(first_passage_probability(initial_price=100, barrier=90, volatility=1.5,
    ...                                 horizon_hours=7 * 24), 3)
    0.644
    >>> round(first_passage_probability(initial_price=100, barrier=90, volatility=1.5,
    ...                                 horizon_hours=7 * 24, monitoring_hours=5 / 60), 3)
    0.635

    An isolated 10× long (maintenance 0.5 %) marked hourly for a day at 80 % volatility:

    >>> from marginlib.liquidation import liquidation_price
    >>> barrier = liquidation_price("long", entry_price=100, size=1, margin=10,
    ...                             maintenance_margin_rate=0.005)
    >>> round(first_passage_probability(initial_price=100, barrier=barrier, volatility=0.8,
    ...                                 horizon_hours=24, monitoring_hours=1), 3)
    0.013
    """
    s0 = v.positive("initial_price", initial_price)
    barrier = v.nonnegative("barrier", barrier)
    sigma = v.positive("volatility", volatility)
    horizon = v.positive("horizon_hours", horizon_hours) / HOURS_PER_YEAR
    mu = v.finite("drift", drift)
    s0, barrier, sigma, horizon, mu = v.broadcast(
        initial_price=s0, barrier=barrier, volatility=sigma, horizon_hours=horizon, drift=mu,
        **({} if monitoring_hours is None else
           {"monitoring_hours": v.positive("monitoring_hours", monitoring_hours)}))[:5]
    named = dict(initial_price=s0, barrier=barrier, volatility=sigma,
                 horizon_hours=horizon * HOURS_PER_YEAR, drift=mu)
    if monitoring_hours is not None:
        named["monitoring_hours"] = monitoring_hours
    below = barrier < s0
    reached = barrier == s0
    with np.errstate(all="ignore"):  # overflow is refused below, naming the arguments
        if monitoring_hours is not None:
            dt = v.positive("monitoring_hours", monitoring_hours) / HOURS_PER_YEAR
            shift = np.exp(BGK_BETA * sigma * np.sqrt(dt))
            v.result(shift, **named)
            barrier = np.where(below, barrier / shift, barrier * shift)
        nu = mu - 0.5 * sigma ** 2
        sd = sigma * np.sqrt(horizon)
        ratio = 2 * (nu / sigma) / sigma  # 2ν/σ², without squaring σ first
        v.result(np.stack([nu * horizon, ratio]), **named)
        b = np.log(barrier / s0)  # -inf for a zero barrier
        direction = np.where(below, 1.0, -1.0)  # mirror an upper barrier onto a lower one
        bd, nud = direction * b, direction * nu
        first = np.exp(_log_normal_cdf((bd - nud * horizon) / sd))
        second = np.exp(ratio * b + _log_normal_cdf((bd + nud * horizon) / sd))
        prob = np.where(np.isneginf(bd) | reached, 0.0, first + second)
    prob = np.asarray(v.result(prob, **named))  # NaN/inf only from magnitudes at the limits
    prob = np.where(reached, 1.0, np.clip(prob, 0.0, 1.0))
    return v.scalar_or_array(prob)


#: Grids up to this many cells evaluate in reusable per-thread scratch (16 floats a cell,
#: 8 MB at most; a fresh 320 kB array costs its page faults on every call, more than the
#: arithmetic on it); bigger ones a block of rows of at most this many cells at a time.
_POOLED_CELLS = 1 << 16
_POOL = threading.local()


def _scratch(size):
    """A flat float array of at least ``size`` elements starting on a 64-byte boundary
    (per-thread and reused when small).

    numpy aligns to 16 bytes; a 64-byte vector read that straddles two cache lines made the
    kernel up to 1.5× slower, depending on where the allocator happened to put the array.
    """
    pool = getattr(_POOL, "buffer", None)
    if pool is not None and pool.size >= size:
        return pool
    raw = np.empty(size + 8)
    start = (-raw.ctypes.data % 64) // 8
    buffer = raw[start:start + size]
    if size <= 16 * _POOLED_CELLS:
        _POOL.buffer = buffer
    return buffer


def _aligned(size):
    """``size`` rounded up to a whole number of 64-byte lines of floats."""
    return -(-size // 8) * 8


def _touch_probability(bd, nud, sigma, horizon):
    """P(a Brownian motion with drift ``nud`` and volatility ``sigma`` started at 0 falls to
    ``bd`` <= 0 before ``horizon``), for validated arrays that broadcast (the kernel); a new
    array of at least one dimension.

    ``P = Φ(A) + exp(kb)·Φ(C)``, ``A = (bd − nud·T)/(σ√T)``, ``C = (bd + nud·T)/(σ√T)``,
    ``kb = 2·nud·bd/σ²`` (Shreve II, §7.3). With ``zA = −A/√2``, ``zC = −C/√2``:
    ``Φ(A) = erfc(zA)/2`` and ``kb = zC² − zA²``, so where ``zC > 0.46875`` (the tail,
    computed as ``exp(zC²)·erfc(zC)``) the second term is that times ``exp(−zA²)/2``:
    nothing overflows, nothing underflows before the last product.

    Grids of up to ``_POOLED_CELLS`` cells are one block (:func:`_touch_block`); bigger ones
    go a block of rows at a time into one result.
    """
    with np.errstate(all="ignore"):
        inv = 1.0 / (sigma * np.sqrt(horizon) * _SQRT2)
        a = (nud * horizon) * inv
        growth = np.exp(2.0 * nud * bd / (sigma * sigma))   # exp(kb), outside C's tail
        shape = np.broadcast(bd, inv, a, growth).shape or (1,)
        m = math.prod(shape)
        if not m:
            return np.empty(shape)
        rows = _POOLED_CELLS // (m // shape[0])
        if m <= _POOLED_CELLS or not rows:
            return _touch_block(bd, inv, a, growth, shape)
        # a bigger grid, a block of rows at a time: the scratch stays at its 8 MB, in cache
        out = np.empty(shape)
        parts = [np.broadcast_to(x, shape) for x in (bd, inv, a, growth)]
        for i in range(0, shape[0], rows):
            _touch_block(*(x[i:i + rows] for x in parts), out[i:i + rows].shape,
                         out[i:i + rows])
        return out


def _touch_block(bd, inv, a, growth, shape, out=None):
    """The kernel of :func:`_touch_probability` on one block of ``shape``: ``zA = a − bd·inv``,
    ``zC = −a − bd·inv``, ``exp(kb) = growth``; into ``out`` (a new array if None).

    The first interval's polynomial runs on every element of both halves, the tail
    rationals once on the tail elements of both.

    Memory: everything happens in per-thread scratch, each array on a 64-byte line; the copies
    that boolean indexing makes of the tail are freed at once, one alive at a time, and the
    result is allocated last. Freed temporaries larger than the result can leave the C heap's
    top above glibc's trim threshold, which returns it to the system, and every call then
    page-faults its memory back in: a version that kept those copies until the result was
    allocated took 100 faults a call, about 30 % of its time on a 200 × 200 grid.
    """
    with np.errstate(all="ignore"):
        m = math.prod(shape)
        n = _aligned(m)
        buf = _scratch(16 * n)

        def pair(at):   # two arrays of `shape`, each on its own 64-byte line
            return buf[at:at + 2 * n].reshape(2, n)[:, :m].reshape((2,) + shape)

        z, r = pair(0), pair(8 * n)                      # [zA, zC]; [Φ(A), exp(kb)·Φ(C)]
        s = buf[2 * n:2 * n + m].reshape(shape)
        pa = np.multiply(bd, inv, out=s)
        np.subtract(a, pa, out=z[0])
        np.subtract(-a, pa, out=z[1])
        for i in (0, 1):
            _erfc_low(z[i], r[i], s, half=True)
        # zA = a − bd·inv >= a and zC >= −a (bd <= 0): no negative tail unless |a| > 0.46875
        if not np.abs(a).max() <= _THRESH:
            neg = z < -_THRESH
            if neg.any():
                r[neg] = _erfc_of_negative(-z[neg], half=True)
            del neg
        r[1] *= growth
        tail = z > _THRESH
        ka = np.count_nonzero(tail[0])
        k = ka + np.count_nonzero(tail[1])
        if k:   # gathered (each gather's copy freed at once) into scratch
            y = buf[10 * n:10 * n + k]
            e = buf[12 * n:12 * n + k]                  # −zA² (zA's own, or its cell's)
            y[...] = z[tail]
            np.multiply(y[:ka], y[:ka], out=e[:ka])
            e[ka:] = z[0][tail[1]]
            np.multiply(e[ka:], e[ka:], out=e[ka:])
            np.negative(e, out=e)
            t = _erfcx_mid_big(y, buf[14 * n:14 * n + k], buf[:8 * n], half=True)
            t *= np.exp(e, out=e)
            r[tail] = t
        del tail
        return np.add(r[0], r[1], out=out)


_SIGN = {"long": 1.0, "short": -1.0}
_BIGGEST = float(np.finfo(float).max)
_TINY = float(np.finfo(float).tiny)


def _plain(x, lo):
    """``x`` as a float64 (array) if it is a plain float, int or float64 array whose elements
    are all in ``[lo, 1.8e308]`` (NaN fails), else None: the good path's only check."""
    t = type(x)
    if t is float or t is int or t is np.float64:
        return np.float64(x) if lo <= x <= _BIGGEST else None
    if t is np.ndarray and x.dtype == np.float64 and x.size and x.min() >= lo \
            and x.max() <= _BIGGEST:
        return x
    return None


def liquidation_probability(side, *, price, liquidation_price, volatility, horizon_years,
                            drift=0.0, monitoring_hours=None):
    """Probability that the price touches the liquidation price within the horizon (GBM).

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
        A long is liquidated when the price falls to its liquidation price, a short when it
        rises to it.
    price : float or array_like
        Price now (the mark), > 0.
    liquidation_price : float or array_like
        The position's liquidation price, >= 0 (e.g. from
        :func:`marginlib.liquidation.liquidation_price`, which includes maintenance margin and
        fees). A long's 0 is never reached (probability 0). At or beyond the price (a long's
        at or above it, a short's at or below it) the probability is 1.
    volatility : float or array_like
        Annualised volatility ``σ`` of log returns, > 0 (0.9 = 90 %; estimate it with
        :func:`marginlib.sim.volatility.estimate_volatility`).
    horizon_years : float or array_like
        Horizon ``T`` in years, > 0 (1 day = 1/365; 8,760 hours a year).
    drift : float or array_like, optional
        Annualised expected return ``μ`` (any sign); the log drift is ``ν = μ − σ²/2``.
    monitoring_hours : float or array_like, optional
        ``None`` (default): the price is watched continuously. Otherwise the time between marks
        ``Δt`` in hours (> 0): the Broadie–Glasserman–Kou correction moves the barrier away
        from the price by ``exp(β·σ·√Δt)``, ``β = BGK_BETA ≈ 0.5826``.

    Returns
    -------
    float or ndarray
        Probability in [0, 1], with the broadcast shape of the inputs: a leverage column
        ``(n, 1)`` of liquidation prices against a row ``(1, m)`` of horizons gives the
        ``(n, m)`` grid in one call.

    Notes
    -----
    Reflection principle for Brownian motion with drift: with ``b = ln(B/S)`` mirrored so that
    the barrier is below (``b <= 0``; a short's ``b`` and ``ν`` change sign),

        ``P = Φ((b − νT)/(σ√T)) + (B/S)^(2ν/σ²) · Φ((b + νT)/(σ√T))``.

    Assumptions: log-normal prices (no fat tails, no jumps: see
    :func:`simulated_liquidation_probability`), a constant volatility, the liquidation price
    fixed over the horizon (no funding drift, no margin added).

    References
    ----------
    .. [1] S. Shreve, *Stochastic Calculus for Finance II: Continuous-Time Models*, Springer
       2004, §7.3.1 (the reflection principle and the maximum of Brownian motion with drift,
       eq. 7.2.9).
    .. [2] M. Broadie, P. Glasserman, S. Kou, "A continuity correction for discrete barrier
       options", *Mathematical Finance* 7(4):325–348, 1997.
    .. [3] W. J. Cody, "Rational Chebyshev approximations for the error function",
       *Mathematics of Computation* 23(107):631–637, 1969 (the intervals of the normal CDF
       used here, and its far tail; ``scripts/fit_erfc.py`` derives the rest).

    Examples
    --------
    A long 10 % above its liquidation price, σ = 150 %/yr, one week (as
    :func:`first_passage_probability`):

    >>> round(liquidation_probability("long", price=100, liquidation_price=90,
    ...                               volatility=1.5, horizon_years=7 / 365), 3)
    0.644

    A grid: 3 leverages (a column) × 2 horizons (a row), maintenance 5 %:

    >>> import numpy as np
    >>> from marginlib.liquidation import liquidation_price
    >>> lev = np.array([[3.0], [5.0], [10.0]])
    >>> liq = liquidation_price("long", entry_price=2.5, size=lev, margin=2.5,
    ...                         maintenance_margin_rate=0.05)
    >>> liquidation_probability("long", price=2.5, liquidation_price=liq, volatility=0.9,
    ...                         horizon_years=np.array([1, 30]) / 365).round(3)
    array([[0.   , 0.202],
           [0.   , 0.549],
           [0.258, 0.856]])
    """
    mh = monitoring_hours
    quick = (type(side) is str and side in _SIGN, _plain(price, _TINY),
             _plain(liquidation_price, 0.0), _plain(volatility, _TINY),
             _plain(horizon_years, _TINY), _plain(drift, -_BIGGEST),
             None if mh is None else _plain(mh, _TINY))
    if quick[0] and all(x is not None for x in quick[1:6]) and (mh is None or
                                                                  quick[6] is not None):
        # the good path: plain numbers, all in range; v.* below only to name a bad argument
        s, (price, barrier, sigma, horizon, mu, mh) = _SIGN[side], quick[1:]
    else:
        s = v.side_sign(side)
        price = v.positive("price", price)
        barrier = v.nonnegative("liquidation_price", liquidation_price)
        sigma = v.positive("volatility", volatility)
        horizon = v.positive("horizon_years", horizon_years)
        mu = v.finite("drift", drift)
        if mh is not None:
            mh = v.positive("monitoring_hours", mh)
    args = (s, price, barrier, sigma, horizon, mu) + (() if mh is None else (mh,))

    def named(side=True):
        keys = ("side", "price", "liquidation_price", "volatility", "horizon_years", "drift",
                "monitoring_hours")
        return {k: x for k, x in zip(keys, args) if side or k != "side"}

    try:  # the cheap check; v.broadcast names the arguments that do not fit
        shape = np.broadcast(*args).shape
    except ValueError:
        v.broadcast(**named())
    with np.errstate(all="ignore"):  # overflow is refused below, naming the arguments
        bd = np.log(barrier / price)  # -inf for a zero barrier
        if not (type(s) is float and s == 1.0):  # a long on the good path: no mirror
            bd = s * bd
        reached = bd >= 0
        if mh is not None:
            bd = bd - BGK_BETA * sigma * np.sqrt(mh / HOURS_PER_YEAR)
        nud = s * (mu - 0.5 * sigma * sigma)
        drifts = (nud * horizon, 2.0 * (nud / sigma) / sigma)
        if not all(np.isfinite(x).all() for x in drifts):
            v.result(np.concatenate([np.ravel(x) for x in drifts]), **named(False))
        never = bd == -np.inf
        special = reached | never
        if special.any():
            bd = np.where(special, -1.0, bd)  # placeholders, replaced below
        prob = _touch_probability(bd, nud, sigma, horizon).reshape(shape)
    # every term is >= 0: the largest is NaN or inf only from magnitudes at the limits
    top = prob.max() if prob.size else 0.0
    if not top <= 1.0:
        if not top < _BIGGEST:
            v.result(prob, **named(False))
        np.minimum(prob, 1.0, out=prob)
    if special.any():
        np.copyto(prob, 1.0, where=np.broadcast_to(reached, shape))
        np.copyto(prob, 0.0, where=np.broadcast_to(never, shape))
    return v.scalar_or_array(prob)


@dataclass(frozen=True)
class SimulatedProbability:
    """A Monte Carlo estimate of P(liquidation within the horizon).

    Attributes
    ----------
    probability : float or ndarray
        Share of paths whose mark touched the liquidation price (one per liquidation price).
    standard_error : float or ndarray
        Its binomial standard error ``√(p(1 − p)/n_paths)``.
    n_paths, n_steps : int
        Paths simulated and marks per path (every ``step_hours``).
    """

    probability: object
    standard_error: object
    n_paths: int
    n_steps: int


def simulated_liquidation_probability(side, *, price, liquidation_price, volatility,
                                      horizon_years, drift=0.0, step_hours=1.0, tail_dof=None,
                                      jump_intensity=0.0, jump_mean=0.0, jump_volatility=0.0,
                                      n_paths=20_000, rng=None):
    """Seeded Monte Carlo of P(the mark touches the liquidation price within the horizon).

    The paths are :func:`marginlib.sim.paths.price_paths`' (one token), marked every
    ``step_hours``: Gaussian log returns reproduce :func:`liquidation_probability` with
    ``monitoring_hours=step_hours``; Student-t returns (``tail_dof``) and Merton jumps show
    where the closed form is optimistic.

    Parameters
    ----------
    side : {"long", "short"}
    price : float
        Price now, > 0.
    liquidation_price : float or 1-D array_like
        One or several liquidation prices (>= 0), all tested on the same paths.
    volatility, horizon_years, drift
        As in :func:`liquidation_probability` (single numbers; ``volatility`` >= 0 here is the
        diffusion's, jumps add their own variance).
    step_hours : float, optional
        Time between marks in hours, > 0; ``horizon_years × 8760 / step_hours`` must be a whole
        number of steps.
    tail_dof : float, optional
        Student-t degrees of freedom ``ν`` > 2 (unit variance: same volatility, fatter tails).
    jump_intensity, jump_mean, jump_volatility : float, optional
        Merton jumps: expected jumps a year (>= 0), mean and standard deviation of a jump's
        log size.
    n_paths : int, optional
        Number of paths, >= 1.
    rng : None, int or numpy.random.Generator, optional
        Seed (``None``: seed 0, reproducible).

    Returns
    -------
    SimulatedProbability

    Notes
    -----
    A long path counts as liquidated if any mark is at or below its liquidation price
    (a short: at or above). Marks are discrete, so Gaussian paths give the discretely
    monitored probability, which BGK's shift approximates.

    References
    ----------
    .. [1] R. C. Merton, "Option pricing when underlying stock returns are discontinuous",
       *Journal of Financial Economics* 3(1–2):125–144, 1976 (the jump model).
    .. [2] P. Glasserman, *Monte Carlo Methods in Financial Engineering*, Springer 2003,
       §3.5 and §6.4 (simulating jump-diffusions; discretely monitored barriers).
    .. [3] M. Broadie, P. Glasserman, S. Kou, *Mathematical Finance* 7(4):325–348, 1997.

    Examples
    --------
    Hourly marks for a week, σ = 150 %/yr, a long 10 % above its liquidation price: the
    simulation agrees with the BGK-corrected formula (0.614) within its sampling error.

    >>> mc = simulated_liquidation_probability("long", price=100, liquidation_price=90,
    ...                                        volatility=1.5, horizon_years=7 / 365,
    ...                                        n_paths=4_000, rng=1)
    >>> mc.n_steps, round(mc.probability, 3), round(mc.standard_error, 4)
    (168, 0.606, 0.0077)
    >>> p = liquidation_probability("long", price=100, liquidation_price=90, volatility=1.5,
    ...                             horizon_years=7 / 365, monitoring_hours=1)
    >>> round(p, 3), abs(mc.probability - p) < 2 * mc.standard_error
    (0.614, True)
    """
    from .paths import iter_price_paths, price_model

    s = float(v.side_sign(side)) if isinstance(side, str) else v.side_sign(side)
    if np.ndim(s) != 0:
        raise ValueError(f"side must be 'long' or 'short' (one side), got {side!r}")
    price = v.single_number("price", price, v.positive)
    barrier = v.nonnegative("liquidation_price", liquidation_price)
    if barrier.ndim > 1:
        raise ValueError("liquidation_price must be a number or a 1-D array, "
                         f"got shape {barrier.shape}")
    sigma = v.single_number("volatility", volatility, v.nonnegative)
    horizon = v.single_number("horizon_years", horizon_years, v.positive)
    step = v.single_number("step_hours", step_hours, v.positive)
    steps = horizon * HOURS_PER_YEAR / step
    n_steps = round(steps)
    if n_steps < 1 or abs(steps - n_steps) > 1e-9 * max(1.0, steps):
        raise ValueError(f"horizon_years × 8760 / step_hours must be a whole number of steps "
                         f">= 1, got {steps:g} (horizon_years={horizon!r}, "
                         f"step_hours={step!r})")
    n_paths = v.count("n_paths", n_paths)
    model = price_model(price, volatility=sigma, drift=drift, step_hours=step,
                        tail_dof=tail_dof, jump_intensity=jump_intensity, jump_mean=jump_mean,
                        jump_volatility=jump_volatility)
    extreme = None
    for prices in iter_price_paths(model, n_steps=n_steps, n_paths=n_paths, rng=rng):
        col = prices[:, 0]
        if extreme is None:
            extreme = col.copy()
        elif s > 0:
            np.minimum(extreme, col, out=extreme)
        else:
            np.maximum(extreme, col, out=extreme)
    flat = barrier.reshape(-1)
    if s > 0:
        hit = (extreme[:, None] <= flat[None, :]).mean(axis=0)
    else:
        hit = (extreme[:, None] >= flat[None, :]).mean(axis=0)
    se = np.sqrt(hit * (1.0 - hit) / n_paths)
    shape = barrier.shape
    return SimulatedProbability(v.scalar_or_array(hit.reshape(shape)),
                                v.scalar_or_array(se.reshape(shape)), n_paths, n_steps)
