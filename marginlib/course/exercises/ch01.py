"""Exercise checkers of notebook 01 (leverage).

Every expected answer, threshold and misconception value is computed here with ``marginlib``
(never typed in), at the article's setting: a token at 2.50 USDC, 100 USDC of isolated margin,
maintenance 5 %. Pure maths: importing this module loads neither matplotlib nor ipywidgets.

* :data:`exercise_1` -- change the maintenance rate of the 10× long from 5 % to 0.5 %: the new
  liquidation price (USDC, 4 decimals). Known mistakes: not re-running (the 5 % price), the
  bankruptcy price, maintenance counted on the entry value.
* :data:`exercise_2a` / :data:`exercise_2b` -- the largest leverage (×, 2 decimals) at which a
  long survives a 30 % fall: (a) not bankrupt with no maintenance margin, (b) not liquidated at
  maintenance 5 %. A :class:`~marginlib.course.checks.Threshold` refuses any leverage at
  which the fall does cross the bankruptcy (a) or liquidation (b) price, even one that rounds
  to the right answer. In (b), part (a)'s answer (or just above it) gets the bankruptcy hint.

>>> exercise_1(...).reason
'unanswered'
>>> exercise_2b(2.99).reason, exercise_2a(3.34).reason
('wrong side', 'wrong side')
>>> exercise_2b(3.34).reason
'bankruptcy instead of liquidation'
"""
from __future__ import annotations

import math

from marginlib.course import defaults as _d
from marginlib.course.checks import (Misconception, Question, Threshold,
                                     bankruptcy_instead_of_liquidation, entry_convention)
from marginlib.liquidation import bankruptcy_price, leverage_limit, liquidation_price
from marginlib.position import position_size

__all__ = ["exercise_1", "exercise_2a", "exercise_2b", "CRASH_MOVE", "CRASH_PRICE",
           "EX1_MAINTENANCE_MARGIN_RATE", "boundary_leverage"]

ENTRY, MARGIN, LEVERAGE = _d.ENTRY_PRICE, _d.MARGIN, _d.LEVERAGE
MMR = _d.MAINTENANCE_MARGIN_RATE                 # the article's setting: 5 %
SIZE = position_size(margin=MARGIN, leverage=LEVERAGE, entry_price=ENTRY)

#: The article's "30 % move in minutes", against a long.
CRASH_MOVE = -0.30
#: Where a 30 % fall from 2.50 ends (USDC).
CRASH_PRICE = ENTRY * (1 + CRASH_MOVE)
#: Exercise 1's new maintenance rate (a fraction: 0.005 = 0.5 %).
EX1_MAINTENANCE_MARGIN_RATE = 0.005
#: The leverage slider's step: answers are asked to 2 decimals (×).
STEP = _d.LEVERAGE_STEP


# ------------------------------------------------------------------------- exercise 1 ---

def _long_liquidation(leverage, rate, convention="mark"):
    size = position_size(margin=MARGIN, leverage=leverage, entry_price=ENTRY)
    return liquidation_price("long", entry_price=ENTRY, size=size, margin=MARGIN,
                             maintenance_margin_rate=rate, convention=convention)


_ex1_expected = _long_liquidation(LEVERAGE, EX1_MAINTENANCE_MARGIN_RATE)

exercise_1 = Question(
    "Exercise 1: liquidation price at maintenance 0.5 %",
    expected=_ex1_expected,
    units="price",
    decimals=4,
    misconceptions=[
        Misconception(
            _long_liquidation(LEVERAGE, MMR),
            "That is the liquidation price at the article's 5 %: set maintenance_margin_rate "
            "= 0.005 in the cell above, run it again and read the new price.",
            "rate not changed"),
        bankruptcy_instead_of_liquidation(
            bankruptcy_price("long", entry_price=ENTRY, size=SIZE, margin=MARGIN),
            "That is the bankruptcy price (equity zero), which does not depend on the "
            "maintenance rate. The liquidation price is where equity falls to the "
            "maintenance margin: a little before bankruptcy."),
        entry_convention(
            _long_liquidation(LEVERAGE, EX1_MAINTENANCE_MARGIN_RATE, convention="entry"),
            "That counts the maintenance margin on the position's value at entry (q·E·m). "
            "In this model it is counted at the price reached, q·P·m, which is smaller "
            "after a fall: solve margin + PnL(P) = q·P·m for P, or run the cell."),
    ],
    hint="Run the cell with maintenance_margin_rate = 0.005 and read the liquidation price.",
)


# ------------------------------------------------------------------------- exercise 2 ---

def boundary_leverage(maintenance_margin_rate, *, convention="mark", crash_price=CRASH_PRICE):
    """The leverage at which a long's liquidation price is exactly ``crash_price`` (×).

    Found by bisection on :func:`marginlib.liquidation.liquidation_price` (which, with no
    maintenance margin, is the bankruptcy price): a long's liquidation price rises toward the
    entry price as leverage rises, so every leverage below the result survives the fall to
    ``crash_price`` and every leverage above it does not.
    """
    lo = 1.0
    if maintenance_margin_rate > 0:
        hi = float(leverage_limit(maintenance_margin_rate=maintenance_margin_rate))
    else:
        hi = 1e6
    if _long_liquidation(lo, maintenance_margin_rate, convention) > crash_price:
        raise ValueError("even 1× does not survive this fall")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _long_liquidation(mid, maintenance_margin_rate, convention) <= crash_price:
            lo = mid
        else:
            hi = mid
    return lo


def _largest_on_the_slider(boundary):
    """The largest multiple of the slider step not above ``boundary`` (×, 2 decimals)."""
    return round(math.floor(boundary / STEP + 1e-9) * STEP, 2)


_bk_boundary = boundary_leverage(0.0)
_liq_boundary = boundary_leverage(MMR)

exercise_2a = Question(
    "Exercise 2a: largest leverage not bankrupt after a 30 % fall (no maintenance)",
    expected=_largest_on_the_slider(_bk_boundary),
    units="×",
    decimals=2,
    threshold=Threshold(
        _bk_boundary, "below",
        "At that leverage the 30 % fall goes past the bankruptcy price: equity is below zero "
        "and the whole margin is gone. Keep the bankruptcy price at or below 1.75 USDC (and "
        "if you round, round down)."),
    misconceptions=[
        Misconception(
            _largest_on_the_slider(_liq_boundary),
            "That is the answer with the 5 % maintenance margin of part (b). Part (a) has no "
            "maintenance margin: the position ends only when equity reaches zero, at the "
            "bankruptcy price.", "liquidation instead of bankruptcy"),
    ],
    hint="A long is bankrupt after a fall of 1/L of the entry price.",
)

exercise_2b = Question(
    "Exercise 2b: largest leverage not liquidated after a 30 % fall (maintenance 5 %)",
    expected=_largest_on_the_slider(_liq_boundary),
    units="×",
    decimals=2,
    threshold=Threshold(
        _liq_boundary, "below",
        "At that leverage the 30 % fall crosses the liquidation price (the red ring): equity "
        "falls below the maintenance margin and the position is liquidated, even where the "
        "margin is not yet all gone. Keep the liquidation price at or below 1.75 USDC (and "
        "if you round, round down)."),
    misconceptions=[
        bankruptcy_instead_of_liquidation(
            _largest_on_the_slider(_bk_boundary),
            "That is part (a)'s answer: the leverage at which the fall just reaches the "
            "bankruptcy price (equity zero). With maintenance 5 % the venue liquidates "
            "earlier, when equity falls to the maintenance margin, so less leverage survives: "
            "keep the liquidation price (the red ring), not the bankruptcy price, at or "
            "below 1.75 USDC."),
        entry_convention(
            _largest_on_the_slider(boundary_leverage(MMR, convention="entry")),
            "That counts the maintenance margin on the position's value at entry (q·E·m). "
            "In this model it is counted at the price reached, q·P·m, which is smaller after "
            "a fall, so a little more leverage survives."),
    ],
    hint="Move the leverage until the liquidation price in the caption is just at or below "
         "1.75 USDC (−30 %), or sweep ml.liquidation_price over an array of leverages.",
)
