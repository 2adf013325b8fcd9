"""A friendly answer checker for the notebooks' exercises (shared by every notebook).

``check(name, answer, expected)`` compares a learner's answer with the expected value and
returns a :class:`CheckResult`: it never raises, it is truthy only when the answer is right,
and it displays as one line (``✓``/``✗``, coloured in JupyterLab). The expected value is not
revealed; a wrong number gets a nudge (how far off, and the ``hint`` if given).

How notebook authors use it
---------------------------
Define one small checker per exercise next to the exercise, with the expected value computed
by ``marginlib`` (never typed in)::

    from marginlib.widgets.exercises import check

    def check_exercise_1(answer):
        expected = ml.liquidation_price("long", 2.5, 400, 100, maintenance_margin_rate=0.01)
        return check("Exercise 1: liquidation price", answer, expected,
                     hint="Equity equals maintenance margin at that price.")

The learner's cell starts with ``answer = ...`` (the placeholder reads as "not answered yet",
so the notebook still runs top to bottom under nbval) and ends with
``check_exercise_1(answer)``. The collapsed solution cell ends with
``assert check_exercise_1(answer)``, which is how the test suite proves the solution right.

An exercise with several parts returns ``check_all(check(...), check(...))``: one result,
right only when every part is, showing one line per part.

Accepted answers: numbers (``rel``/``abs_tol`` tolerance, as :func:`math.isclose`), numpy
arrays and lists (same shape, every element within tolerance), strings (case and surrounding
spaces ignored: ``"Long "`` matches ``"long"``) and booleans (exact).

>>> check("notional", 1000.0000001, 1000)
✓ notional: 1000 is right.
>>> r = check("notional", 1100, 1000)
>>> bool(r), r.message
(False, '✗ notional: 1100 is not right yet (10 % too high).')
>>> check("side", ..., "short")
… side: not answered yet (replace ... with your answer).
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np

__all__ = ["check", "check_all", "CheckResult"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of :func:`check`: truthy when right, displays as its message.

    Attributes
    ----------
    name : str
        What was checked (shown in the message).
    ok : bool
        Whether the answer is right.
    answered : bool
        False when the answer was still the placeholder (``...`` or ``None``).
    message : str
        The one-line verdict, starting with ``✓``, ``✗`` or ``…``.
    """

    name: str
    ok: bool
    answered: bool
    message: str

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return self.message

    def _repr_html_(self):
        color = "#1a7f37" if self.ok else ("#b00020" if self.answered else "#7f7f7f")
        return f'<span style="color:{color}">{html.escape(self.message)}</span>'


def _fmt(value):
    """Short display of an answer: numbers with up to 6 significant digits."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return f"{float(value):.6g}"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, threshold=8)
    return repr(value)


def _as_number(value):
    """``float(value)`` for real numbers (and 0-d/1-element arrays), else None."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(arr.reshape(())) if arr.size == 1 and arr.ndim <= 1 else None


def check(name, answer, expected, rel=1e-6, *, abs_tol=1e-12, hint=None):
    """Compare ``answer`` with ``expected``; return a friendly verdict instead of raising.

    Parameters
    ----------
    name : str
        What is being checked, e.g. ``"Exercise 1: notional"``.
    answer : object
        The learner's answer. ``...`` or ``None`` means "not answered yet".
    expected : float, array_like, str or bool
        The right answer (compute it with ``marginlib``; it is never shown).
    rel : float, optional
        Relative tolerance for numbers (default 1e-6).
    abs_tol : float, optional
        Absolute tolerance for numbers (default 1e-12, for answers near zero).
    hint : str, optional
        Shown after a wrong answer.

    Returns
    -------
    CheckResult
        Truthy when right; displays as ``✓ …``, ``✗ …`` or ``… not answered yet``.

    Examples
    --------
    >>> import marginlib as ml
    >>> check("leverage", 20, ml.notional(margin=50, leverage=20) / 50)
    ✓ leverage: 20 is right.
    >>> check("size", [1, 2], [1, 2.5], hint="size = notional / price")
    ✗ size: [1, 2] is not right yet. Hint: size = notional / price
    >>> check("side", "Long", "long")
    ✓ side: 'Long' is right.
    >>> check("price", "abc", 2.25)
    ✗ price: expected a number, got 'abc'.
    """
    tail = f" Hint: {hint}" if hint else ""
    if answer is ... or answer is None:
        return CheckResult(name, False, False,
                           f"… {name}: not answered yet (replace ... with your answer).")
    try:
        ok, why = _compare(answer, expected, rel, abs_tol)
    except Exception as exc:  # noqa: BLE001 - a checker never raises at the learner
        ok, why = False, f" (could not compare: {type(exc).__name__}: {exc})"
    if ok:
        return CheckResult(name, True, True, f"✓ {name}: {_fmt(answer)} is right.")
    if why.startswith("expected"):
        return CheckResult(name, False, True, f"✗ {name}: {why}.{tail}")
    return CheckResult(name, False, True,
                       f"✗ {name}: {_fmt(answer)} is not right yet{why}.{tail}")


def _compare(answer, expected, rel, abs_tol):
    """(ok, explanation) for the supported kinds of answer."""
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(answer, (bool, np.bool_)):
            return False, f"expected True or False, got {answer!r}"
        return bool(answer) == bool(expected), ""
    if isinstance(expected, str):
        if not isinstance(answer, str):
            return False, f"expected a word such as {expected!r}, got {answer!r}"
        return answer.strip().lower() == expected.strip().lower(), ""
    exp_arr = np.asarray(expected, dtype=float)
    if exp_arr.ndim == 0:
        value = _as_number(answer)
        if value is None:
            return False, f"expected a number, got {answer!r}"
        exp = float(exp_arr)
        if math.isnan(value) or math.isinf(value):
            return False, ""
        if math.isclose(value, exp, rel_tol=rel, abs_tol=abs_tol):
            return True, ""
        if exp != 0 and (value > 0) == (exp > 0):
            off = value / exp - 1
            direction = "too high" if abs(value) > abs(exp) else "too low"
            if abs(off) < 0.005:
                return False, " (close: check your rounding)"
            return False, f" ({100 * abs(off):.0f} % {direction})"
        if exp != 0 and value == -exp:
            return False, " (check the sign)"
        return False, ""
    if isinstance(answer, (str, bytes)):
        return False, f"expected {exp_arr.size} numbers, got {answer!r}"
    try:
        ans_arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return False, f"expected {exp_arr.size} numbers, got {answer!r}"
    if ans_arr.shape != exp_arr.shape:
        return False, f"expected {exp_arr.size} numbers (shape {exp_arr.shape}), got shape " \
                      f"{ans_arr.shape}"
    return bool(np.allclose(ans_arr, exp_arr, rtol=rel, atol=abs_tol, equal_nan=False)), ""


def check_all(*results, name="all parts"):
    """Combine several :func:`check` results into one (right only when every part is).

    Parameters
    ----------
    *results : CheckResult
    name : str, optional
        Name of the combined result.

    Returns
    -------
    CheckResult
        Its message has one line per part.

    Examples
    --------
    >>> r = check_all(check("(a) leverage", 8, 8.0), check("(b) size", ..., 800))
    >>> bool(r)
    False
    >>> print(r)
    ✓ (a) leverage: 8 is right.
    … (b) size: not answered yet (replace ... with your answer).
    """
    ok = bool(results) and all(r.ok for r in results)
    answered = any(r.answered for r in results)
    return _Combined(name, ok, answered, "\n".join(r.message for r in results))


class _Combined(CheckResult):
    """A multi-line :class:`CheckResult` (one line per part in JupyterLab too)."""

    def _repr_html_(self):
        return "<br>".join(CheckResult(self.name, line.startswith("✓"),
                                       not line.startswith("…"), line)._repr_html_()
                           for line in self.message.splitlines())
