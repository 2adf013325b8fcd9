"""Exercise checkers that teach: the expected answer, its units, and the known mistakes.

Pure Python and numpy (no matplotlib, no ipywidgets): a notebook, a test or a script can check
answers. A checker never raises at the learner and never shows the expected value.

A :class:`Question` holds what one exercise expects:

* ``expected`` -- the right answer (compute it with ``marginlib``, never type it in);
* ``units`` -- one of :data:`UNITS` (``"USDC"``, ``"%"``, ``"bp"``, ``"fraction"``, ``"×"``,
  ``"count"``, ...), stated in the question and used in every message;
* a tolerance -- ``decimals`` (the answer is asked to that many decimals) or ``tolerance``
  (absolute, in the question's units) or ``rel`` (relative);
* ``misconceptions`` -- :class:`Misconception` records: the value a known mistake produces
  (mark vs entry convention, a missing fee, long/short swapped, ...) and a targeted hint;
* ``threshold`` -- a :class:`Threshold` the answer must not cross (the wrong side of a
  liquidation threshold is wrong even when it rounds to the expected value; when a listed
  misconception explains such an answer, its targeted hint is shown instead of the
  threshold's).

``question.check(answer)`` (or ``question(answer)``) returns a :class:`CheckResult`: truthy only
when right, with a plain ``message``, a ``reason`` code and an HTML repr for notebooks. Besides
the listed misconceptions, it recognises by itself:

* unit slips: a fraction where percent is asked (×100), percent where a fraction is asked,
  basis points (×10,000 of a fraction, ×100 of a percent) -- with a hint on the units instead
  of "9899 % too high";
* counts: with ``units="count"`` a fractional answer (633.5 payments) is refused with a hint;
* the sign: ``−expected`` gets "check the sign";
* rounding: an answer close to the expected value gets "check your rounding" -- only when no
  misconception or unit slip explains it better.

Example (notebook 02: distance to liquidation of a 10× long, maintenance 5 %, in %):

>>> q = Question("Exercise 1: distance to liquidation", expected=100 * (0.1 - 0.05) / 0.95,
...              units="%", decimals=2,
...              misconceptions=[entry_convention(100 * (0.1 - 0.05)),
...                              sides_swapped(100 * (0.1 - 0.05) / 1.05)])
>>> q.instructions
'Answer in percent (%), to 2 decimals.'
>>> q(5.26)
✓ Exercise 1: distance to liquidation: 5.26 % is right.
>>> print(q(5.0))       # doctest: +NORMALIZE_WHITESPACE
✗ Exercise 1: distance to liquidation: 5 % is not right yet. Hint: That is the entry
convention: maintenance counted at the entry price. This venue evaluates maintenance at the
liquidation price (mark convention): solve margin + PnL(P) = q·P·m at P.
>>> q(5.0).reason
'entry convention'
>>> q(0.0526).reason                  # a fraction where percent is asked
'percent vs fraction'
>>> q(5.3).reason                     # near, and no known mistake explains it
'rounding'
>>> q(...)
… Exercise 1: distance to liquidation: not answered yet (replace ... with your answer).

The older one-call form :func:`check` (``check(name, answer, expected, ...)``) builds a
:class:`Question` on the fly; :func:`check_all` combines several results.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "UNITS",
    "Misconception",
    "Threshold",
    "Question",
    "CheckResult",
    "check",
    "check_all",
    "entry_convention",
    "mark_convention",
    "missing_fee",
    "sides_swapped",
    "bankruptcy_instead_of_liquidation",
]

#: Units a question may state (``None``: a plain number, a word or True/False).
#: ``"fraction"`` is a rate written as a fraction (0.05 for 5 %).
UNITS = ("USDC", "%", "bp", "fraction", "×", "count", "tokens", "days", "hours", "price")

_UNIT_WORDS = {"%": "percent (%)", "bp": "basis points (bp; 1 bp = 0.01 %)",
               "fraction": "a fraction (0.05 for 5 %)", "×": "times (×)",
               "count": "a whole number", "price": "USDC per token"}


def _unit_suffix(units):
    if units in (None, "fraction", "count", "price"):
        return "" if units != "price" else " USDC"
    if units == "×":
        return "×"
    return f" {units}"


# ----------------------------------------------------------------------------- records ---

@dataclass(frozen=True)
class Misconception:
    """A known mistake: the answer it produces and the hint that addresses it.

    Attributes
    ----------
    value : float
        The answer the mistake gives, in the question's units (compute it with
        ``marginlib``, e.g. the entry-convention liquidation price).
    hint : str
        What to reconsider (shown in place of a generic "not right yet"; never the answer).
    name : str
        Short label, reported as :attr:`CheckResult.reason` (e.g. ``"missing fee"``).
    """

    value: float
    hint: str
    name: str = "misconception"

    def __post_init__(self):
        object.__setattr__(self, "value", _finite_number("Misconception value", self.value))
        if not isinstance(self.hint, str) or not self.hint.strip():
            raise ValueError(f"Misconception hint must be a non-empty string, got {self.hint!r}")
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"Misconception name must be a non-empty string, got {self.name!r}")


@dataclass(frozen=True)
class Threshold:
    """A limit the answer must stay on one side of (e.g. a liquidation threshold).

    Attributes
    ----------
    value : float
        The limit (e.g. the leverage at which a 30 % fall exactly reaches the liquidation
        price), in the question's units.
    keep : {"below", "above"}
        Which side a right answer is on.
    hint : str
        Shown when the answer is on the wrong side (even if it rounds to the expected value),
        unless a listed misconception of the question explains the answer (its hint is the
        more specific one).
    inclusive : bool
        Whether the limit itself is allowed (default True: equity exactly at maintenance is
        not liquidated).
    """

    value: float
    keep: str
    hint: str
    inclusive: bool = True

    def __post_init__(self):
        object.__setattr__(self, "value", _finite_number("Threshold value", self.value))
        if self.keep not in ("below", "above"):
            raise ValueError(f"Threshold keep must be 'below' or 'above', got {self.keep!r}")
        if not isinstance(self.hint, str) or not self.hint.strip():
            raise ValueError(f"Threshold hint must be a non-empty string, got {self.hint!r}")

    def allows(self, x):
        """Whether ``x`` is on the allowed side."""
        if self.keep == "below":
            return x <= self.value if self.inclusive else x < self.value
        return x >= self.value if self.inclusive else x > self.value


def _finite_number(what, value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{what} must be a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return value


# ------------------------------------------------------------------------------ result ---

@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer: truthy when right, displays as its message.

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
    reason : str
        ``"right"``, ``"unanswered"``, ``"type"`` (not a number/word), ``"not whole"``,
        ``"wrong side"`` (of the threshold), ``"off by one"`` (a count), a misconception's
        name, ``"percent vs fraction"``, ``"basis points"``, ``"factor 100"``, ``"sign"``,
        ``"rounding"``, ``"checker"`` (a misconfigured :func:`check`) or ``"wrong"``.
    hint : str or None
        The targeted hint shown after a wrong answer.
    """

    name: str
    ok: bool
    answered: bool
    message: str
    reason: str = "wrong"
    hint: str | None = None

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return self.message

    def __str__(self):
        return self.message

    def _repr_html_(self):
        color = "#1a7f37" if self.ok else ("#b00020" if self.answered else "#7f7f7f")
        return f'<span style="color:{color}">{html.escape(self.message)}</span>'


class _Combined(CheckResult):
    """A multi-line :class:`CheckResult` (one line per part in JupyterLab too)."""

    def _repr_html_(self):
        return "<br>".join(CheckResult(self.name, line.startswith("✓"),
                                       not line.startswith("…"), line)._repr_html_()
                           for line in self.message.splitlines())


# ---------------------------------------------------------------------------- question ---

def _fmt(value, units=None):
    """Short display of an answer, with its units: numbers with up to 6 significant digits."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return f"{float(value):.6g}{_unit_suffix(units)}"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, threshold=8)
    return repr(value)


def _as_number(value):
    """``float(value)`` for real numbers (and 0-d/1-element arrays), else None."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        return None
    if isinstance(value, (complex, np.complexfloating)):
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(arr.reshape(())) if arr.size == 1 and arr.ndim <= 1 else None


@dataclass(frozen=True)
class Question:
    """One exercise's expected answer, units, tolerance and known misconceptions.

    Parameters
    ----------
    name : str
        Shown in every message, e.g. ``"Exercise 2: funding payments"``.
    expected : float, array_like, str or bool
        The right answer (compute it with ``marginlib``; it is never shown).
    units : str, optional
        One of :data:`UNITS` for numbers. ``"count"`` requires a whole answer (and a whole
        ``expected``).
    decimals : int, optional
        The question asks for this many decimals: the tolerance is half a unit of the last
        decimal (``decimals=2`` accepts 5.26 for 5.2632).
    tolerance : float, optional
        Absolute tolerance in the question's units (instead of ``decimals``).
    rel : float
        Relative tolerance (default 1e-6), used with ``tolerance``/``decimals`` as
        ``max(absolute, rel·|expected|)``.
    misconceptions : sequence of Misconception
        Known mistakes, each with the value it gives and a hint. Each value must differ from
        ``expected`` by more than the tolerance (else its hint could never show).
    threshold : Threshold, optional
        A limit a right answer must not cross; ``expected`` must be on its allowed side.
    hint : str, optional
        General hint after a wrong answer that nothing more specific explains.
    count_hint : str, optional
        For ``units="count"``: what the whole number counts (shown with a fractional answer).

    Raises
    ------
    ValueError
        Unknown units, a non-finite expected value, a fractional expected count, a negative
        tolerance, a misconception indistinguishable from the right answer, or an expected
        value on the wrong side of the threshold.
    """

    name: str
    expected: object
    units: str | None = None
    decimals: int | None = None
    tolerance: float | None = None
    rel: float = 1e-6
    misconceptions: tuple = field(default_factory=tuple)
    threshold: Threshold | None = None
    hint: str | None = None
    count_hint: str | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        if self.units is not None and self.units not in UNITS:
            raise ValueError(f"units must be one of {UNITS} or None, got {self.units!r}")
        if self.decimals is not None and (isinstance(self.decimals, bool)
                                          or not isinstance(self.decimals, (int, np.integer))
                                          or not 0 <= self.decimals <= 12):
            raise ValueError(f"decimals must be a whole number in [0, 12], got "
                             f"{self.decimals!r}")
        if self.decimals is not None and self.tolerance is not None:
            raise ValueError("give either decimals or tolerance, not both")
        if self.tolerance is not None:
            tol = _finite_number("tolerance", self.tolerance)
            if tol < 0:
                raise ValueError(f"tolerance must be >= 0, got {tol!r}")
        rel = _finite_number("rel", self.rel)
        if not 0 <= rel < 1:
            raise ValueError(f"rel must be in [0, 1), got {rel!r}")
        object.__setattr__(self, "misconceptions", tuple(self.misconceptions))
        for m in self.misconceptions:
            if not isinstance(m, Misconception):
                raise ValueError(f"misconceptions must be Misconception records, got {m!r}")
        if self.threshold is not None and not isinstance(self.threshold, Threshold):
            raise ValueError(f"threshold must be a Threshold, got {self.threshold!r}")
        if self._is_number():
            exp = _finite_number("expected", float(np.asarray(self.expected, dtype=float)))
            if self.units == "count" and not float(exp).is_integer():
                raise ValueError(f"expected must be a whole number when units='count', got "
                                 f"{exp!r}")
            for m in self.misconceptions:
                if abs(m.value - exp) <= self._tol(exp):
                    raise ValueError(f"misconception {m.name!r} gives {m.value!r}, within the "
                                     f"tolerance of the expected answer: its hint would never "
                                     f"show")
            if self.threshold is not None and not self.threshold.allows(exp):
                raise ValueError(f"expected {exp!r} is on the wrong side of the threshold "
                                 f"({self.threshold.keep} {self.threshold.value!r})")
        elif self.misconceptions or self.threshold is not None or self.units is not None:
            raise ValueError("units, misconceptions and threshold apply to a numeric expected "
                             f"answer, got {self.expected!r}")

    # ------------------------------------------------------------------ helpers ---
    def _is_number(self):
        return (not isinstance(self.expected, (bool, np.bool_, str, bytes))
                and np.ndim(self.expected) == 0)

    def _tol(self, value):
        absolute = 0.0
        if self.decimals is not None:
            absolute = 0.5 * 10.0 ** (-self.decimals) * (1 + 1e-9)
        elif self.tolerance is not None:
            absolute = float(self.tolerance)
        return max(absolute, self.rel * abs(value), 1e-12)

    def _near(self, value):
        """Window in which an answer counts as a rounding slip of ``value``."""
        return max(10 * self._tol(value), 0.005 * abs(value))

    @property
    def instructions(self):
        """How to answer: the units and the precision, e.g. ``'Answer in percent (%), …'``."""
        if not self._is_number():
            return "Answer with a word or True/False." if isinstance(
                self.expected, (str, bool, np.bool_)) else "Answer with a list of numbers."
        words = _UNIT_WORDS.get(self.units, self.units or "a number")
        text = f"Answer in {words}" if self.units not in (None, "count") else \
            ("Answer with a whole number" if self.units == "count" else "Answer with a number")
        if self.decimals is not None and self.units != "count":
            text += f", to {self.decimals} decimal{'s' if self.decimals != 1 else ''}"
        return text + "."

    def __call__(self, answer):
        return self.check(answer)

    # -------------------------------------------------------------------- check ---
    def check(self, answer):
        """The verdict on ``answer`` (never raises, never shows the expected value).

        Returns
        -------
        CheckResult
        """
        name = self.name
        if answer is ... or answer is None:
            return CheckResult(name, False, False, f"… {name}: not answered yet (replace ... "
                               "with your answer).", "unanswered")
        try:
            if self._is_number():
                return self._check_number(answer)
            ok, why = _compare_other(answer, self.expected, self.rel)
        except Exception as exc:  # noqa: BLE001 - a checker never raises at the learner
            ok, why = False, f" (could not compare: {type(exc).__name__}: {exc})"
        if ok:
            return CheckResult(name, True, True, f"✓ {name}: {_fmt(answer)} is right.", "right")
        tail = f" Hint: {self.hint}" if self.hint else ""
        if why.startswith("expected"):
            return CheckResult(name, False, True, f"✗ {name}: {why}.{tail}", "type", self.hint)
        return CheckResult(name, False, True,
                           f"✗ {name}: {_fmt(answer)} is not right yet{why}.{tail}", "wrong",
                           self.hint)

    def _wrong(self, shown, reason, hint):
        tail = f" Hint: {hint}" if hint else ""
        return CheckResult(self.name, False, True,
                           f"✗ {self.name}: {shown} is not right yet.{tail}", reason, hint)

    def _check_number(self, answer):
        name, units = self.name, self.units
        value = _as_number(answer)
        if value is None or not math.isfinite(value):
            what = "a whole number" if units == "count" else \
                f"a number in {_UNIT_WORDS.get(units, units)}" if units else "a number"
            return CheckResult(name, False, True, f"✗ {name}: expected {what}, got "
                               f"{answer!r}.", "type", self.hint)
        exp = float(np.asarray(self.expected, dtype=float))
        shown = _fmt(value, units)
        if units == "count" and not float(value).is_integer():
            hint = (f"a count is a whole number: {self.count_hint}" if self.count_hint else
                    "a count is a whole number: decide which whole number the question asks "
                    "for (the last complete one, or the first one that reaches the limit) "
                    "instead of rounding a fraction.")
            return self._wrong(shown, "not whole", hint)
        if self.threshold is not None and not self.threshold.allows(value):
            # A listed misconception that explains the answer says more than "wrong side".
            best = self._closest(value, exp, [(m.value, m.name, m.hint)
                                              for m in self.misconceptions])
            if best is not None:
                return self._wrong(shown, *best)
            return self._wrong(shown, "wrong side", self.threshold.hint)
        if abs(value - exp) <= self._tol(exp):
            return CheckResult(name, True, True, f"✓ {name}: {shown} is right.", "right")
        # Known mistakes and unit slips: the closest explanation wins.
        best = self._closest(value, exp, self._explanations(exp))
        if best is not None:
            return self._wrong(shown, *best)
        if units == "count" and abs(value - exp) == 1:
            return self._wrong(shown, "off by one", (
                "off by one: check whether your count includes the one that reaches the limit "
                "(and whether counting starts at 0 or 1)."))
        if units != "count" and abs(value - exp) <= self._near(exp):
            how = (f" (the question asks for {self.decimals} decimal"
                   f"{'s' if self.decimals != 1 else ''})" if self.decimals is not None else "")
            return self._wrong(shown, "rounding", f"close: check your rounding{how}.")
        if exp != 0 and value != 0 and value == -exp:
            return self._wrong(shown, "sign", "check the sign.")
        hint = self.hint
        if exp != 0 and (value > 0) == (exp > 0) and 0.5 < value / exp < 2:
            direction = "too high" if abs(value) > abs(exp) else "too low"
            tail = f" Hint: {hint}" if hint else ""
            return CheckResult(name, False, True, f"✗ {name}: {shown} is not right yet "
                               f"({100 * abs(value / exp - 1):.0f} % {direction}).{tail}",
                               "wrong", hint)
        return self._wrong(shown, "wrong", hint)

    def _closest(self, value, exp, candidates):
        """(reason, hint) of the candidate that explains ``value`` best, or None.

        A candidate explains ``value`` when it is within its window (half a percent of the
        candidate, or ten tolerances) and nearer to ``value`` than ``expected`` is.
        """
        best = None
        for cand, reason, hint in candidates:
            dist = abs(value - cand)
            window = max(0.005 * abs(cand), 10 * self._tol(exp) * min(1.0, abs(cand / exp))) \
                if exp != 0 else 10 * self._tol(exp)
            if dist <= window and dist < abs(value - exp):
                score = dist / max(abs(cand), 1e-300)
                if best is None or score < best[0]:
                    best = (score, reason, hint)
        return None if best is None else best[1:]

    def _explanations(self, exp):
        """(value, reason, hint) for each listed misconception and each generic unit slip."""
        out = [(m.value, m.name, m.hint) for m in self.misconceptions]
        if exp != 0:
            out.append((-exp, "sign", "check the sign (which way does the price move against "
                                      "this side?)."))
            out += _unit_slips(exp, self.units)
        return out


def _unit_slips(exp, units):
    """Values a units slip gives for ``exp`` (in ``units``), with a hint on the units."""
    if units == "%":
        return [(exp / 100, "percent vs fraction",
                 "that looks like a fraction: the question asks in percent (multiply by 100: "
                 "0.05 is 5 %)."),
                (exp * 100, "basis points",
                 "that looks like basis points: the question asks in percent (1 % = 100 bp).")]
    if units == "fraction":
        return [(exp * 100, "percent vs fraction",
                 "that looks like a percentage: the question asks for a fraction (divide by "
                 "100: 5 % is 0.05)."),
                (exp * 10_000, "basis points",
                 "that looks like basis points: the question asks for a fraction (divide by "
                 "10,000: 5 bp is 0.0005).")]
    if units == "bp":
        return [(exp / 10_000, "basis points",
                 "that looks like a fraction: the question asks in basis points (multiply by "
                 "10,000: 0.0005 is 5 bp)."),
                (exp / 100, "basis points",
                 "that looks like a percentage: the question asks in basis points (1 % = "
                 "100 bp).")]
    slips = []
    for factor in (100, 0.01):
        slips.append((exp * factor, "factor 100",
                      "off by a factor of 100: a percent/fraction slip somewhere in the "
                      "working (5 % is 0.05)?"))
    return slips


def _compare_other(answer, expected, rel):
    """(ok, explanation) for words, booleans and arrays."""
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(answer, (bool, np.bool_)):
            return False, f"expected True or False, got {answer!r}"
        return bool(answer) == bool(expected), ""
    if isinstance(expected, str):
        if not isinstance(answer, str):
            return False, f"expected a word such as {expected!r}, got {answer!r}"
        return answer.strip().lower() == expected.strip().lower(), ""
    exp_arr = np.asarray(expected, dtype=float)
    if isinstance(answer, (str, bytes)):
        return False, f"expected {exp_arr.size} numbers, got {answer!r}"
    try:
        ans_arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return False, f"expected {exp_arr.size} numbers, got {answer!r}"
    if ans_arr.shape != exp_arr.shape:
        return False, (f"expected {exp_arr.size} numbers (shape {exp_arr.shape}), got shape "
                       f"{ans_arr.shape}")
    return bool(np.allclose(ans_arr, exp_arr, rtol=rel, atol=1e-12, equal_nan=False)), ""


# ------------------------------------------------------------------- standard mistakes ---

def entry_convention(value, hint=None):
    """The mistake of evaluating maintenance at the entry price where the venue uses the mark.

    >>> entry_convention(4550.0).name
    'entry convention'
    """
    return Misconception(value, hint or (
        "That is the entry convention: maintenance counted at the entry price. This venue "
        "evaluates maintenance at the liquidation price (mark convention): solve "
        "margin + PnL(P) = q·P·m at P."), "entry convention")


def mark_convention(value, hint=None):
    """The opposite mistake: the mark convention where the venue counts maintenance at entry."""
    return Misconception(value, hint or (
        "That is the mark convention: maintenance evaluated at the liquidation price. This "
        "venue fixes maintenance at opening (q·E·m, the entry convention)."), "mark convention")


def missing_fee(value, hint=None):
    """The mistake of leaving out a fee (taker fee, liquidation fee) the question includes."""
    return Misconception(value, hint or (
        "That leaves out the fee: the question counts the taker fee (a share of the notional) "
        "as well; add it where the money leaves the margin."), "missing fee")


def sides_swapped(value, hint=None):
    """The mistake of answering for the other side (long for short or short for long)."""
    return Misconception(value, hint or (
        "That is the answer for the other side: a long loses when the price falls, a short "
        "when it rises -- redo the sign of the PnL for this side."), "long/short swapped")


def bankruptcy_instead_of_liquidation(value, hint=None):
    """The mistake of solving for equity = 0 (bankruptcy) instead of equity = maintenance."""
    return Misconception(value, hint or (
        "That is where equity reaches zero (the bankruptcy point). The venue liquidates "
        "earlier, when equity falls below the maintenance margin."),
        "bankruptcy instead of liquidation")


# ------------------------------------------------------------------- one-call form ---

def check(name, answer, expected, rel=1e-6, *, abs_tol=1e-12, hint=None, units=None,
          decimals=None, misconceptions=(), threshold=None, count_hint=None):
    """Check ``answer`` against ``expected`` in one call (a :class:`Question` built on the fly).

    Parameters
    ----------
    name : str
        What is being checked, e.g. ``"Exercise 1: notional"``.
    answer : object
        The learner's answer. ``...`` or ``None`` means "not answered yet".
    expected : float, array_like, str or bool
        The right answer (compute it with ``marginlib``; it is never shown).
    rel, abs_tol : float
        Relative and absolute tolerance for numbers (defaults 1e-6 and 1e-12).
    hint, units, decimals, misconceptions, threshold, count_hint
        As :class:`Question`.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> check("notional", 1000.0000001, 1000, units="USDC")
    ✓ notional: 1000 USDC is right.
    >>> check("notional", 1100, 1000, units="USDC")
    ✗ notional: 1100 USDC is not right yet (10 % too high).
    >>> check("size", [1, 2], [1, 2.5], hint="size = notional / price")
    ✗ size: [1, 2] is not right yet. Hint: size = notional / price
    >>> check("side", "Long", "long")
    ✓ side: 'Long' is right.
    >>> check("price", "abc", 2.25)
    ✗ price: expected a number, got 'abc'.
    >>> check("payments", 633.5, 633, units="count").reason
    'not whole'
    """
    try:
        question = Question(name, expected, units=units, decimals=decimals,
                            tolerance=abs_tol if decimals is None else None, rel=rel,
                            misconceptions=misconceptions, threshold=threshold, hint=hint,
                            count_hint=count_hint)
    except ValueError as exc:  # the author's mistake: say so, do not raise at the learner
        return CheckResult(str(name), False, answer is not ... and answer is not None,
                           f"✗ {name}: this checker is misconfigured ({exc}).", "checker")
    return question.check(answer)


def check_all(*results, name="all parts"):
    """Combine several results into one (right only when every part is).

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
    reason = "right" if ok else next((r.reason for r in results if not r.ok), "wrong")
    return _Combined(name, ok, answered, "\n".join(r.message for r in results), reason)
