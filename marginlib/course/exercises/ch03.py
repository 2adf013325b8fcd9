"""Exercises of notebook 03 (funding-rate drag): questions computed with marginlib.

* :data:`exercise_1` -- a short that pays funding (the rate is negative): how many 8-hour
  payments until funding alone liquidates it, a whole number of payments.
* :data:`exercise_2` -- change the model: the article's long pays the same 5 bp per interval,
  but the interval is 1 hour instead of 8 (``interval_hours=1``); after how many days does
  funding alone liquidate it, in days to 2 decimals.

Every expected value and every misconception value is computed here with ``marginlib``; the
checkers never show them. Liquidation is strictly below maintenance: equity landing exactly
on maintenance is liquidated one payment later.
"""
from __future__ import annotations

from marginlib.course import defaults as _d
from marginlib.course.checks import Misconception, Question, bankruptcy_instead_of_liquidation
from marginlib.funding_drift import intervals_to_funding_liquidation
from marginlib.position import position_size

__all__ = ["exercise_1", "exercise_2", "EXERCISE_1", "EXERCISE_2"]

# ------------------------------------------------------------------------------ exercise 1 ---
#: The trade of exercise 1: a 5× short, 400 USDC on a token at 0.80, maintenance 1 % (mark),
#: paying −0.03 % per 8 h (negative: shorts pay longs); the price stays at 0.80.
EXERCISE_1 = dict(side="short", entry_price=0.80, margin=400.0, leverage=5.0,
                  maintenance_margin_rate=0.01, funding_rate=-0.0003, interval_hours=8.0)


def _ex1(maintenance_margin_rate=EXERCISE_1["maintenance_margin_rate"]):
    e = EXERCISE_1
    size = position_size(margin=e["margin"], leverage=e["leverage"], entry_price=e["entry_price"])
    return intervals_to_funding_liquidation(e["side"], entry_price=e["entry_price"], size=size,
                                            margin=e["margin"], funding_rate=e["funding_rate"],
                                            maintenance_margin_rate=maintenance_margin_rate)


_EX1 = _ex1()

exercise_1 = Question(
    "Exercise 1: payments until funding alone liquidates the short", _EX1, units="count",
    misconceptions=[
        bankruptcy_instead_of_liquidation(_ex1(maintenance_margin_rate=0.0), (
            "That drains the whole margin (equity 0, the bankruptcy point). The venue "
            "liquidates earlier: when equity falls below the maintenance margin q·P·m.")),
        Misconception(_EX1 - 1, (
            "After that many payments the equity is still above maintenance: the position is "
            "liquidated by the payment that takes it below, so round the fraction up."),
            "rounded down"),
    ],
    count_hint="count the payment that takes the equity below maintenance (round up).",
    hint="one payment is q·P·|r|; the buffer is margin − q·P·m; how many payments use it up?")

# ------------------------------------------------------------------------------ exercise 2 ---
#: The article's long (100 USDC at 10× on 2.50, maintenance 5 %) paying 5 bp per interval.
EXERCISE_2 = dict(side=_d.SIDE, entry_price=_d.ENTRY_PRICE, margin=_d.MARGIN, size=_d.SIZE,
                  maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE, funding_rate=0.0005,
                  interval_hours=1.0)


def _ex2_payments(funding_rate=EXERCISE_2["funding_rate"]):
    e = EXERCISE_2
    return intervals_to_funding_liquidation(e["side"], entry_price=e["entry_price"],
                                            size=e["size"], margin=e["margin"],
                                            funding_rate=funding_rate,
                                            maintenance_margin_rate=e["maintenance_margin_rate"])


def _days(payments, interval_hours):
    return payments * interval_hours / 24.0


_N2 = _ex2_payments()

exercise_2 = Question(
    "Exercise 2: days until funding alone liquidates, paid every hour", _days(_N2, 1.0),
    units="days", decimals=2,
    misconceptions=[
        Misconception(_days(_N2, 8.0), (
            "That is the 8-hour schedule of the figure you started from: set interval_hours=1 "
            "in the call, run the cell again and read the caption."), "interval unchanged"),
        Misconception(_days(_ex2_payments(EXERCISE_2["funding_rate"] / 8.0), 1.0), (
            "That converts the rate to the same cost per day (5/8 bp an hour). The question "
            "keeps 5 bp per interval: with 1-hour intervals it is charged every hour."),
            "rate converted"),
        Misconception(_days(_N2 - 1, 1.0), (
            "After that many payments the equity sits exactly on maintenance: not yet "
            "liquidated (liquidation is strictly below maintenance). One more payment."),
            "exactly at maintenance"),
        Misconception(_N2 * 1.0, (
            "That looks like hours (one payment an hour): the question asks in days (divide "
            "by 24)."), "hours for days"),
    ],
    hint="the payment count does not depend on the interval; the time does.")
