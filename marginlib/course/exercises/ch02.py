"""Exercises of notebook 02 (the liquidation price): questions computed with marginlib.

* :data:`exercise_1` -- the liquidation price of a short (mark convention), in USDC.
* :data:`exercise_2a`, :data:`exercise_2b` -- change the model of the article's long: maintenance
  counted at entry (``convention="entry"``), then a taker fee in the requirement (mark
  convention), each a liquidation price in USDC.

Every expected value and every misconception value is computed here with ``marginlib``; the
checkers never show them.
"""
from __future__ import annotations

from marginlib.course import defaults as _d
from marginlib.course.checks import (Misconception, Question,
                                     bankruptcy_instead_of_liquidation, entry_convention,
                                     mark_convention, missing_fee, sides_swapped)
from marginlib.liquidation import bankruptcy_price, liquidation_price
from marginlib.position import position_size

__all__ = ["exercise_1", "exercise_2a", "exercise_2b", "EXERCISE_1", "EXERCISE_2"]

# ------------------------------------------------------------------------------ exercise 1 ---
#: The trade of exercise 1: a short, 120 USDC at 8× on a token at 1.20, maintenance 5 % (mark).
EXERCISE_1 = dict(side="short", entry_price=1.20, margin=120.0, leverage=8.0,
                  maintenance_margin_rate=0.05)


def _ex1(side="short", maintenance_margin_rate=EXERCISE_1["maintenance_margin_rate"],
         convention="mark"):
    e = EXERCISE_1
    size = position_size(margin=e["margin"], leverage=e["leverage"], entry_price=e["entry_price"])
    return liquidation_price(side, entry_price=e["entry_price"], size=size, margin=e["margin"],
                             maintenance_margin_rate=maintenance_margin_rate,
                             convention=convention)


def _ex1_bankruptcy():
    e = EXERCISE_1
    size = position_size(margin=e["margin"], leverage=e["leverage"], entry_price=e["entry_price"])
    return bankruptcy_price("short", entry_price=e["entry_price"], size=size, margin=e["margin"])


# m = 5 typed for 5 %: the short's formula E(1 + 1/L)/(1 + m) with m = 5
_EX1_PERCENT = _ex1_bankruptcy() / (1.0 + 100 * EXERCISE_1["maintenance_margin_rate"])

exercise_1 = Question(
    "Exercise 1: liquidation price of the short", _ex1(), units="USDC", decimals=4,
    misconceptions=[
        entry_convention(_ex1(convention="entry")),
        sides_swapped(_ex1(side="long")),
        bankruptcy_instead_of_liquidation(_ex1_bankruptcy()),
        Misconception(_EX1_PERCENT, "That uses m = 5 for a 5 % rate: in the formula a rate is "
                      "a fraction (5 % is 0.05).", "percent vs fraction"),
    ],
    hint="a short loses when the price rises: solve margin − q·(P − E) = q·P·m for P.")

# ------------------------------------------------------------------------------ exercise 2 ---
#: The article's long (100 USDC at 10× on 2.50, maintenance 5 %) and the taker fee of 2b.
EXERCISE_2 = dict(side=_d.SIDE, entry_price=_d.ENTRY_PRICE, margin=_d.MARGIN,
                  size=_d.SIZE, maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
                  taker_fee_rate=0.0005)


def _ex2(convention="mark", taker_fee_rate=0.0):
    e = EXERCISE_2
    return liquidation_price(e["side"], entry_price=e["entry_price"], size=e["size"],
                             margin=e["margin"],
                             maintenance_margin_rate=e["maintenance_margin_rate"],
                             taker_fee_rate=taker_fee_rate, convention=convention)


_FEE = EXERCISE_2["taker_fee_rate"]

exercise_2a = Question(
    "Exercise 2a: liquidation price with maintenance counted at entry", _ex2("entry"),
    units="USDC", decimals=4,
    misconceptions=[
        mark_convention(_ex2("mark"), "That is the mark-convention price you started from: "
                        "set convention=\"entry\" in the call and run the cell again."),
        sides_swapped(liquidation_price("short", entry_price=EXERCISE_2["entry_price"],
                                        size=EXERCISE_2["size"], margin=EXERCISE_2["margin"],
                                        maintenance_margin_rate=0.05, convention="entry")),
    ],
    hint="with maintenance q·E·m fixed at opening, margin + q·(P − E) = q·E·m is linear in P.")

exercise_2b = Question(
    "Exercise 2b: liquidation price with a 0.05 % taker fee in the requirement",
    _ex2("mark", _FEE), units="USDC", decimals=4,
    misconceptions=[
        missing_fee(_ex2("mark")),
        entry_convention(_ex2("entry", _FEE), "That still counts maintenance at entry: put "
                         "convention back to \"mark\" (or remove it) for part (b)."),
        Misconception(_ex2("mark", 100 * _FEE), "That fee is 100 times too large: 0.05 % is "
                      "taker_fee_rate=0.0005 (5 bp), not 0.05.", "percent vs fraction"),
    ],
    hint="the fee to close counts like extra maintenance: use m + fee in place of m.")
