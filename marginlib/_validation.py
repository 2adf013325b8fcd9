"""Input checks shared by every public function (one place, one wording).

Every public function of :mod:`marginlib` validates at its boundary through these helpers, so
bad input raises ``ValueError`` naming the user's argument and what is allowed, never NaN, inf
or a silently wrong number.

The rules
---------
* **Reals only.** A numeric argument is a real number or an array of them: Python/numpy ints
  and floats (and ``Fraction``/``Decimal`` objects). Refused, naming the argument: ``True`` /
  ``False`` and boolean arrays (even inside a list), complex numbers (Python or numpy, even with
  a zero imaginary part), strings, ``None``, dicts, object arrays holding anything that is not a
  real number, integers too large for a float, NaN and ±inf (the message shows the first bad
  value).
* **Positive quantities** (:func:`positive`) must be at least 2.2e-308, the smallest normal
  float (a subnormal such as ``5e-324`` has too few digits for the arithmetic to be right).
* **Counts** (:func:`count`): a whole number ``>= minimum``; ``3.0`` is accepted as 3, ``True``,
  ``2.5``, negatives and NaN are refused.
* **Shapes** (:func:`broadcast`): arguments broadcast together as numpy does; when they cannot,
  the ``ValueError`` names both arguments and their shapes.
* **Results** (:func:`result`): a result that would be inf or NaN for finite inputs (magnitudes
  near the float limits such as ``1e308``, or dividing by ``5e-324``) raises ``ValueError``
  naming the user's arguments instead of being returned.
* **Empty arrays**: an element-wise argument may be empty; the result is then empty, with the
  broadcast shape (as numpy does: nothing to compute, nothing to refuse). An argument that is a
  *table* needing entries (tier floors and rates) refuses an empty sequence, naming itself.
* ``side`` is ``"long"``/``"short"`` or an array of those (:func:`side_sign`).
"""
from __future__ import annotations

import decimal
import numbers

import numpy as np

__all__ = [
    "as_float_array",
    "finite",
    "positive",
    "nonnegative",
    "unit_rate",
    "fee_rate",
    "leverage_value",
    "count",
    "broadcast",
    "result",
    "side_sign",
    "scalar_or_array",
    "single_number",
    "check_random_state",
]

_EXPECTED = "a number or an array of numbers"


def _refuse(name, value, why=""):
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    raise ValueError(f"{name} must be {_EXPECTED}{why}, got {shown}")


def _scan_sequence(name, value):
    """Refuse a bool or complex hidden in a (nested) list/tuple, which numpy would coerce."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, (bool, np.bool_)):
            _refuse(name, item, " (True/False is not a number here)")
        elif isinstance(item, (complex, np.complexfloating)):
            _refuse(name, item, " (a real number: complex numbers are refused)")


def _is_real(item):
    return (isinstance(item, (numbers.Real, decimal.Decimal))
            and not isinstance(item, (bool, np.bool_)))


def as_float_array(name, value):
    """``value`` as a float64 ndarray, or ``ValueError`` naming ``name``.

    Refuses bools, complex numbers, strings, ``None``, mappings, object arrays of non-numbers
    and integers too large for a float. Does not check finiteness (see :func:`finite`).
    """
    if isinstance(value, (str, bytes, dict)) or value is None:
        _refuse(name, value)
    if isinstance(value, (bool, np.bool_)):
        _refuse(name, value, " (True/False is not a number here)")
    if isinstance(value, (complex, np.complexfloating)):
        _refuse(name, value, " (a real number: complex numbers are refused)")
    if isinstance(value, (list, tuple)):
        _scan_sequence(name, value)
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError, OverflowError):  # ragged nesting, odd objects
        _refuse(name, value)
    kind = raw.dtype.kind
    if kind == "b":
        _refuse(name, value, " (True/False is not a number here)")
    if kind == "c":
        _refuse(name, value, " (a real number: complex numbers are refused)")
    if kind == "O":
        for item in raw.flat:
            if not _is_real(item):
                _refuse(name, item if raw.ndim else value)
    elif kind not in "iuf":
        _refuse(name, value)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError, OverflowError):  # e.g. a Python int beyond 1.8e308
        raise ValueError(
            f"{name} must be {_EXPECTED} within the float range (|x| < 1.8e308), got "
            f"{_short(value)}") from None
    if kind in "iuO":  # an integer (or Decimal) beyond the float range became inf
        bad = np.isinf(arr)
        if np.any(bad):
            raise ValueError(f"{name} must be within the float range (|x| < 1.8e308), "
                             f"got {_short(value)}")
    return arr


def _short(value):
    shown = repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."


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


_TINY = np.finfo(float).tiny  # 2.2250738585072014e-308, the smallest normal float


def positive(name, value):
    """``value`` as a float array; every element must be finite and > 0.

    Positive quantities (prices, sizes, margins) below the smallest normal float (2.2e-308)
    are refused too: subnormal numbers carry too few digits for the arithmetic to be right.
    """
    arr = finite(name, value)
    bad = arr <= 0
    if np.any(bad):
        raise ValueError(f"{name} must be > 0, got {_describe(arr[bad])}")
    bad = arr < _TINY
    if np.any(bad):
        raise ValueError(f"{name} must be at least 2.2e-308 (the smallest normal float), "
                         f"got {_describe(arr[bad])}")
    return arr


def nonnegative(name, value):
    """``value`` as a float array; every element must be finite and >= 0."""
    arr = finite(name, value)
    bad = arr < 0
    if np.any(bad):
        raise ValueError(f"{name} must be >= 0, got {_describe(arr[bad])}")
    return arr


def unit_rate(name, value):
    """A rate as a fraction in [0, 1) (maintenance margin rate...)."""
    arr = finite(name, value)
    bad = (arr < 0) | (arr >= 1)
    if np.any(bad):
        raise ValueError(
            f"{name} must be a fraction in [0, 1) (0.005 = 0.5 %), got {_describe(arr[bad])}"
        )
    return arr


def fee_rate(name, value):
    """A fee rate as a fraction in [0, 1], 100 % included (dYdX allows a 100 % liquidation fee)."""
    arr = finite(name, value)
    bad = (arr < 0) | (arr > 1)
    if np.any(bad):
        raise ValueError(
            f"{name} must be a fraction in [0, 1] (0.0005 = 5 bp), got {_describe(arr[bad])}"
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
        lev, cap = broadcast(**{name: arr, "max_leverage": cap})
        with np.errstate(over="ignore"):
            bad = lev > cap * (1 + 1e-12)
        if np.any(bad):
            raise ValueError(
                f"{name} must be <= the venue maximum max_leverage={float(cap[bad].flat[0]):g}, "
                f"got {_describe(lev[bad])}"
            )
    return arr


def count(name, value, minimum=1, maximum=None):
    """A whole number ``>= minimum`` (and ``<= maximum`` if given) as a Python ``int``.

    Accepts ints, numpy integers and floats with no fractional part (``3.0``); refuses bools,
    fractional or non-finite floats, strings, arrays and anything else, naming ``name``.

    >>> count("n_paths", 3.0)
    3
    >>> count("n_paths", True)
    Traceback (most recent call last):
    ...
    ValueError: n_paths must be a whole number >= 1, got True (a bool)
    """
    limits = f">= {minimum}" + ("" if maximum is None else f" and <= {maximum}")
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be a whole number {limits}, got {value!r} (a bool)")
    if isinstance(value, (numbers.Integral, np.integer)):
        n = int(value)
    elif isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        n = int(value)
    else:
        raise ValueError(f"{name} must be a whole number {limits}, got {_short(value)}")
    if n < minimum or (maximum is not None and n > maximum):
        raise ValueError(f"{name} must be a whole number {limits}, got {_short(value)}")
    return n


def broadcast(**arrays):
    """Broadcast validated arrays together; on a mismatch name both arguments and their shapes.

    Returns the broadcast arrays in the order given (read-only views, as ``np.broadcast_arrays``).

    >>> a, b = broadcast(size=np.ones(3), margin=2.0)
    >>> b.shape
    (3,)
    >>> broadcast(size=np.ones(3), margin=np.ones(2))
    Traceback (most recent call last):
    ...
    ValueError: size (shape (3,)) and margin (shape (2,)) cannot be combined element-wise: ...
    """
    names = list(arrays)
    shapes = {k: np.shape(arrays[k]) for k in names}
    try:
        np.broadcast_shapes(*shapes.values())
    except ValueError:
        for j, b in enumerate(names):
            for a in names[:j]:
                try:
                    np.broadcast_shapes(shapes[a], shapes[b])
                except ValueError:
                    raise ValueError(
                        f"{a} (shape {shapes[a]}) and {b} (shape {shapes[b]}) cannot be "
                        "combined element-wise: give them the same shape, or shapes numpy "
                        "can broadcast (a scalar, or a length-1 axis)") from None
        listed = ", ".join(f"{k} (shape {shapes[k]})" for k in names)
        raise ValueError(f"the shapes of {listed} cannot be broadcast together") from None
    return tuple(np.broadcast_arrays(*(np.asarray(arrays[k]) for k in names)))


def result(value, **inputs):
    """Return ``value`` as :func:`scalar_or_array` if every element is finite.

    A NaN or inf result (for inputs that were all finite) comes from magnitudes near the float
    limits; it raises ``ValueError`` naming the user's arguments ``inputs`` (name → value), with
    their values at the first bad element when they can be located.

    >>> size, price = np.array([1.0, 1e308]), 1e10
    >>> with np.errstate(over="ignore"):
    ...     notional = size * price
    >>> result(notional, size=size, price=price)
    Traceback (most recent call last):
    ...
    ValueError: the result would overflow (inf or NaN) for size=1e+308, price=10000000000.0: ...
    """
    with np.errstate(all="ignore"):
        arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr)
    if np.any(bad):
        where = np.argwhere(bad)[0] if arr.ndim else ()
        parts = []
        for k, x in inputs.items():
            x = np.asarray(x)
            try:
                x_at = np.broadcast_to(x, arr.shape)[tuple(where)] if x.ndim else x
                shown = (repr(float(x_at)) if x_at.dtype.kind in "iuf"
                         else repr(x_at.item()))
            except (ValueError, TypeError, IndexError):
                shown = f"an array of shape {x.shape}"
            parts.append(f"{k}={shown}")
        raise ValueError(
            "the result would overflow (inf or NaN) for " + ", ".join(parts)
            + ": these magnitudes are beyond the float range (|x| < 1.8e308, "
            "no division by values near 5e-324)")
    return scalar_or_array(arr)


_SIDES = {"long": 1.0, "short": -1.0}


def side_sign(side):
    """+1.0 for ``"long"``, -1.0 for ``"short"`` (scalar or array of strings; may be empty)."""
    if isinstance(side, str):
        if side not in _SIDES:
            raise ValueError(f"side must be 'long' or 'short', got {side!r}")
        return np.asarray(_SIDES[side])
    if isinstance(side, (dict, set)) or side is None:
        raise ValueError(f"side must be 'long' or 'short', got {_short(side)}")
    try:
        arr = np.asarray(side, dtype=object)
    except (TypeError, ValueError):
        raise ValueError(f"side must be 'long' or 'short', got {_short(side)}") from None
    out = np.empty(arr.shape, dtype=float)
    for idx, item in np.ndenumerate(arr):
        if not isinstance(item, str) or item not in _SIDES:
            raise ValueError(f"side must be 'long' or 'short', got {_short(item)}")
        out[idx] = _SIDES[item]
    return out


def scalar_or_array(arr):
    """Return a Python float for 0-d results, else the ndarray (scalars in -> float out)."""
    arr = np.asarray(arr, dtype=float)
    if arr.ndim == 0:
        return float(arr)
    return arr


def single_number(name, value, check):
    """One number (not an array) passed through ``check(name, value)``, as a Python float.

    ``check`` is one of the element-wise checks (:func:`positive`, :func:`finite`,
    :func:`fee_rate`...); a bool or an array of any shape is refused, naming ``name``.

    >>> single_number("volatility", 0.8, nonnegative)
    0.8
    >>> single_number("volatility", [0.8, 0.9], nonnegative)
    Traceback (most recent call last):
    ...
    ValueError: volatility must be a single number, got an array of shape (2,)
    """
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    arr = check(name, value)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    return float(arr)


def check_random_state(rng=None, *, bit_generator=None):
    """Normalise ``rng`` (None, int seed or Generator) to a ``numpy.random.Generator``.

    ``None`` gives a generator seeded with 0, so results are reproducible by default. An int
    seed (or ``None``) seeds ``bit_generator`` (a ``numpy.random.BitGenerator`` class) when
    given, else numpy's default (PCG64); a Generator is used as it is.
    """
    if rng is None:
        rng = 0
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (numbers.Integral, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        if rng < 0:
            raise ValueError(f"rng must be a non-negative int seed, got {rng}")
        if bit_generator is not None:
            return np.random.Generator(bit_generator(int(rng)))
        return np.random.default_rng(int(rng))
    raise ValueError(f"rng must be None, an int seed or a numpy Generator, got {rng!r}")
