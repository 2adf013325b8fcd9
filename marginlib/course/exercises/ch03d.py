"""Exercises of notebook 03d (deep dive: funding formulas and data): computed with marginlib.

* :data:`exercise_1` -- change the model: cap every hourly rate of the shipped synthetic
  DeFAI sample at 0.01 % per hour (``cap_funding_rate``) and replay the funding a 3× long pays
  over the 30 days, in USDC to the cent.

Every expected value and every misconception value is computed here with ``marginlib``; the
checkers never show them.
"""
from __future__ import annotations

from marginlib.course.checks import Misconception, Question
from marginlib.data.loaders import load_defai_sample
from marginlib.funding import cap_funding_rate, cumulative_funding
from marginlib.position import position_size

__all__ = ["exercise_1", "EXERCISE_1"]

#: The trade of exercise 1: the sample's 3× long (100 USDC at 2.50, the sample's first price),
#: each hourly rate capped at ±0.01 % per hour.
EXERCISE_1 = dict(side="long", entry_price=2.50, margin=100.0, leverage=3.0, cap=0.0001,
                  cap_interval_hours=1.0)


def _paid(cap=None, floor=None):
    e = EXERCISE_1
    sample = load_defai_sample()
    rates = sample.funding.rates
    if cap is not None:
        rates = cap_funding_rate(rates, cap=cap, floor=floor)
    size = position_size(margin=e["margin"], leverage=e["leverage"], entry_price=e["entry_price"])
    return -float(cumulative_funding(e["side"], size=size, price_path=sample.reference_prices,
                                     rate_path=rates).total)


_CAP = EXERCISE_1["cap"]

exercise_1 = Question(
    "Exercise 1: funding paid over the sample with the rate capped", _paid(_CAP),
    units="USDC", decimals=2,
    misconceptions=[
        Misconception(_paid(), (
            "That is the funding without the cap: apply cap_funding_rate(rates, cap=0.0001) to "
            "the rates before the replay, and run the cell again."), "cap not applied"),
        Misconception(_paid(_CAP, floor=0.0), (
            "That also sets the negative rates to zero. A cap bounds both sides (the floor is "
            "−cap): hours in which the long received funding still count."), "one-sided cap"),
        Misconception(_paid(_CAP / 8.0), (
            "That converts the cap to 1/8 of its value, as if it were quoted per 8 h. The cap "
            "in the question is 0.01 % per hour, the interval of this data."), "cap converted"),
    ],
    hint="cap each hourly rate at ±0.01 %, then add up size × reference price × rate.")
