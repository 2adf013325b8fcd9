"""Input checks shared by every public function (one place, one wording).

Every public function of :mod:`marginlib` validates at its boundary through
these helpers, so bad input raises ``ValueError`` naming the argument and what
is allowed, never NaN or a silently wrong number.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_float_array",
    "finite",
    "positive",
    "nonnegative",
    "unit_rate",
    "leverage_value",
    "side_sign",
    "scalar_or_array",
    "check_random_state",
]


def as_float_array(name, value):
    """Convert ``value`` to a float ndarray, naming ``name`` if that fails."""
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a number or an array of numbers, got {value!r}"
        ) from None
    return arr


def _describe(arr):
    """Short description of the first offending value for an error message."""
    flat = np.ravel(arr)
    return repr(float(flat[0])) if flat.size else "an empty array"


def finite(name, value):
    """``value`` as a float array; every element must be finite."""
    arr = as_float_array(name, value)
    bad = ~np.isfinite(arr)
    if np.any(bad):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {_describe(arr[bad])}")
    return arr


def positive(name, value):
    """``value`` as a float array; every element must be finite and > 0."""
    arr = finite(name, value)
    bad = arr <= 0
    if np.any(bad):
        raise ValueError(f"{name} must be > 0, got {_describe(arr[bad])}")
    return arr


def nonnegative(name, value):
    """``value`` as a float array; every element must be finite and >= 0."""
    arr = finite(name, value)
    bad = arr < 0
    if np.any(bad):
        raise ValueError(f"{name} must be >= 0, got {_describe(arr[bad])}")
    return arr


def unit_rate(name, value):
    """A rate as a fraction in [0, 1) (maintenance margin rate, fee rate...)."""
    arr = finite(name, value)
    bad = (arr < 0) | (arr >= 1)
    if np.any(bad):
        raise ValueError(
            f"{name} must be a fraction in [0, 1) (0.005 = 0.5 %), got {_describe(arr[bad])}"
        )
    return arr


def leverage_value(name, value, max_leverage=None):
    """Leverage must be finite, >= 1 and, if given, <= ``max_leverage``."""
    arr = finite(name, value)
    bad = arr < 1
    if np.any(bad):
        raise ValueError(f"{name} must be >= 1, got {_describe(arr[bad])}")
    if max_leverage is not None:
        cap = positive("max_leverage", max_leverage)
        bad = arr > cap * (1 + 1e-12)
        if np.any(bad):
            raise ValueError(
                f"{name} must be <= the venue maximum {float(np.max(cap)):g}, "
                f"got {_describe(arr[bad])}"
            )
    return arr


_SIDES = {"long": 1.0, "short": -1.0}


def side_sign(side):
    """+1.0 for ``"long"``, -1.0 for ``"short"`` (scalar or array of strings)."""
    if isinstance(side, str):
        if side not in _SIDES:
            raise ValueError(f"side must be 'long' or 'short', got {side!r}")
        return np.asarray(_SIDES[side])
    arr = np.asarray(side, dtype=object)
    if arr.size == 0:
        raise ValueError("side must be 'long' or 'short', got an empty array")
    out = np.empty(arr.shape, dtype=float)
    for idx, item in np.ndenumerate(arr):
        if not isinstance(item, str) or item not in _SIDES:
            raise ValueError(f"side must be 'long' or 'short', got {item!r}")
        out[idx] = _SIDES[item]
    return out


def scalar_or_array(arr):
    """Return a Python float for 0-d results, else the ndarray (scalars in -> float out)."""
    arr = np.asarray(arr, dtype=float)
    if arr.ndim == 0:
        return float(arr)
    return arr


def check_random_state(rng=None):
    """Normalise ``rng`` (None, int seed or Generator) to a ``numpy.random.Generator``.

    ``None`` gives a generator seeded with 0, so results are reproducible by default.
    """
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng must be a non-negative int seed, got {rng}")
        return np.random.default_rng(int(rng))
    raise ValueError(f"rng must be None, an int seed or a numpy Generator, got {rng!r}")
