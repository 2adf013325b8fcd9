"""Derive the ``erfc`` coefficients of :mod:`marginlib.sim.probability` (a maintainer's tool).

The kernel keeps W. J. Cody's three intervals (``|z| <= 0.46875``, ``0.46875 < y <= 4``,
``y > 4``; Math. Comp. 23(107):631-637, 1969) and his rational for the last one, but uses
lower-degree fits on the first two, because every degree costs one more pass over the whole
grid (``benchmarks/probability.py``):

* ``|z| <= 0.46875``: ``erf(z)/z`` as a degree-6 polynomial in ``s = z²`` -- mpmath's Chebyshev
  interpolant (``chebyfit``, near-minimax) of the series ``(2/√π)·Σ (−s)ⁿ/(n!·(2n+1))``
  (Abramowitz & Stegun 7.1.5); no division;
* ``0.46875 < y <= 4``: ``erfcx(y) = exp(y²)·erfc(y)`` as a 6/6 rational (monic denominator)
  with near-minimax *relative* error, from weighted linear least squares on 400 Chebyshev
  points, iterated on the denominator (Loeb) and reweighted toward the largest errors
  (Lawson).

Both are checked here in double precision against mpmath at 50 digits (3.7e-14 and 2e-14
relative), and in the test suite against :func:`math.erfc`. The module promises 1e-13; one
degree more on each (``LOW_DEGREE = 7``, ``MID_DEGREES = (6, 7)``) gives 4e-16 and 1e-15 for
about 6 % more time on ``benchmarks/probability.py``'s grid. Run (mpmath is not a dependency
of the package):

    pip install mpmath && python scripts/fit_erfc.py

and paste the printed tuples into ``marginlib/sim/probability.py``.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 50
THRESH, EDGE = mp.mpf("0.46875"), mp.mpf(4)
LOW_DEGREE, MID_DEGREES, POINTS, ITERATIONS = 6, (6, 6), 400, 12


def erf_over_z(s):
    if s == 0:
        return 2 / mp.sqrt(mp.pi)
    z = mp.sqrt(s)
    return mp.erf(z) / z


def erfcx(y):
    return mp.erfc(y) * mp.exp(y * y)


def fit_low():
    coef = mp.chebyfit(erf_over_z, [0, THRESH ** 2], LOW_DEGREE + 1)  # highest degree first
    return tuple(float(c) for c in coef)


def fit_rational(f, lo, hi, n, m):
    """n/m rational for ``f`` on [lo, hi] with near-minimax relative error: (numerator,
    denominator) as floats, highest degree first, the denominator monic."""
    mid, half = (lo + hi) / 2, (hi - lo) / 2
    us = [mp.cos(mp.pi * (i + mp.mpf(1) / 2) / POINTS) for i in range(POINTS)]
    fs = [f(mid + half * u) for u in us]
    den, weight = [mp.mpf(1)] * POINTS, [mp.mpf(1)] * POINTS
    for it in range(ITERATIONS):
        rows, rhs = [], []
        for u, fu, d, w in zip(us, fs, den, weight):
            k = w / (fu * d)   # relative error, linearised with the last denominator (Loeb)
            rows.append([k * u ** j for j in range(n + 1)] + [-k * fu * u ** j for j in range(m)])
            rhs.append(k * fu * u ** m)   # the denominator is monic in u
        x = mp.qr_solve(mp.matrix(rows), mp.matrix(rhs))[0]
        p = [x[j] for j in range(n + 1)]
        q = [x[n + 1 + j] for j in range(m)] + [mp.mpf(1)]
        den = [mp.polyval(q[::-1], u) for u in us]
        err = [abs(mp.polyval(p[::-1], u) / d - fu) / fu for u, d, fu in zip(us, den, fs)]
        if it >= ITERATIONS // 3:   # Lawson: weight toward the largest errors
            top = max(err)
            weight = [w * mp.sqrt(e / top) + mp.mpf(10) ** -30 for w, e in zip(weight, err)]

    def in_x(c):   # Σ c_j·((x − mid)/half)^j as a polynomial in x, lowest degree first
        out = [mp.mpf(0)] * len(c)
        for j, cj in enumerate(c):
            for i in range(j + 1):
                out[i] += cj * mp.binomial(j, i) * (-mid) ** (j - i) / half ** j
        return out

    p, q = in_x(p), in_x(q)
    lead = q[-1]
    return (tuple(float(c / lead) for c in p[::-1]), tuple(float(c / lead) for c in q[::-1]))


def fit_mid(n=MID_DEGREES[0], m=MID_DEGREES[1]):
    """n/m rational for erfcx on [THRESH, EDGE]."""
    return fit_rational(erfcx, THRESH, EDGE, n, m)


def horner(coef, x):
    out = np.zeros_like(x)
    for c in coef:
        out = out * x + c
    return out


def main():
    low, (num, den) = fit_low(), fit_mid()
    z = np.linspace(-0.46875, 0.46875, 2001)
    got = 1.0 - z * horner(low, z * z)
    want = np.array([float(mp.erfc(mp.mpf(float(t)))) for t in z])
    print(f"_LOW = {low!r}")
    print(f"# erfc on |z| <= 0.46875: max relative error {np.max(abs(got / want - 1)):.2g}")
    y = np.linspace(0.46875, 4.0, 2001)
    got = horner(num, y) / horner(den, y)
    want = np.array([float(erfcx(mp.mpf(float(t)))) for t in y])
    print(f"_MID = ({num!r},\n        {den!r})")
    print(f"# erfcx on (0.46875, 4]: max relative error {np.max(abs(got / want - 1)):.2g}")


if __name__ == "__main__":
    main()
