"""Exercise checkers of notebook 07 (choosing leverage).

The setting: a long opened now on the shipped synthetic DeFAI sample
(:func:`marginlib.data.loaders.load_defai_sample`), maintenance 5 % (mark convention), zero
drift, the price watched continuously; ``σ`` estimated from the sample's hourly closes
(:func:`marginlib.sim.volatility.estimate_volatility`). Every expected value and every
misconception value is computed here with marginlib; none is typed in.

* :data:`exercise_1` -- P(the article's 7× long is liquidated within 30 days), a fraction.
* :data:`exercise_2` -- the largest leverage with P(liquidation within 7 days) <= 5 %, in ×.
"""
from __future__ import annotations

import math

from marginlib.choosing import max_leverage_for_probability
from marginlib.course.checks import Misconception, Question
from marginlib.data.loaders import load_defai_sample
from marginlib.liquidation import liquidation_price
from marginlib.sim.probability import liquidation_probability
from marginlib.sim.volatility import estimate_volatility

__all__ = ["exercise_1", "exercise_2", "MAINTENANCE_MARGIN_RATE", "VOLATILITY"]

#: Maintenance margin rate of the exercises (the course's DeFAI setting).
MAINTENANCE_MARGIN_RATE = 0.05
_SAMPLE = load_defai_sample()
#: σ of the shipped sample's hourly closes, annualised (about 0.91).
VOLATILITY = estimate_volatility(_SAMPLE.prices.close, timestamps_ms=_SAMPLE.prices.timestamps)


def _p(leverage, days, *, m=MAINTENANCE_MARGIN_RATE, sigma=VOLATILITY, years=None):
    liq = liquidation_price("long", entry_price=1.0, size=leverage, margin=1.0,
                            maintenance_margin_rate=m)
    return liquidation_probability("long", price=1.0, liquidation_price=liq, volatility=sigma,
                                   horizon_years=days / 365 if years is None else years)


# ----------------------------------------------------------------------------- exercise 1 ---
exercise_1 = Question(
    "Exercise 1: P(a 7× long is liquidated within 30 days)",
    expected=_p(7.0, 30.0), units="fraction", decimals=3,
    misconceptions=[
        Misconception(
            _p(7.0, 30.0, m=0.0),
            "That is the article's distance, 1/7 with no maintenance margin. The position is "
            "liquidated earlier, when equity falls to maintenance: get the liquidation price "
            "from ml.liquidation_price with maintenance_margin_rate=0.05.", "no maintenance"),
        Misconception(
            _p(7.0, 7.0),
            "That is one week. The question asks for 30 days: horizon_years=30/365.",
            "one week"),
        Misconception(
            _p(7.0, 30.0, sigma=VOLATILITY / math.sqrt(24.0)),
            "That volatility annualises hourly returns as if they were daily (× √365). The "
            "sample is hourly: σ = std × √8760 (estimate_volatility with interval_hours=1, or "
            "the timestamps).", "daily scaling"),
    ],
    hint="Liquidation price of a 7× long with maintenance 5 % (ml.liquidation_price), then "
         "ml.liquidation_probability('long', price=..., liquidation_price=..., "
         "volatility=sigma, horizon_years=30/365).")

# ----------------------------------------------------------------------------- exercise 2 ---
_WEEK = dict(target_probability=0.05, volatility=VOLATILITY, horizon_years=7 / 365)

exercise_2 = Question(
    "Exercise 2: the largest leverage with P(liquidation within 7 days) <= 5 %",
    expected=max_leverage_for_probability("long", **_WEEK,
                                          maintenance_margin_rate=MAINTENANCE_MARGIN_RATE),
    units="×", decimals=2,
    misconceptions=[
        Misconception(
            max_leverage_for_probability("long", **_WEEK),
            "That leverage ignores the maintenance margin (1 ÷ the safe distance). With "
            "maintenance 5 % the liquidation price sits closer: pass "
            "maintenance_margin_rate=0.05.", "no maintenance"),
        Misconception(
            max_leverage_for_probability("long", **dict(_WEEK, horizon_years=30 / 365),
                                         maintenance_margin_rate=MAINTENANCE_MARGIN_RATE),
            "That is for 30 days. The question asks for 7 days: horizon_years=7/365.",
            "30 days"),
        Misconception(
            5.0,
            "That is the article's rule (a 20 % move before liquidation, 1/0.20). The question "
            "asks what keeps the probability under 5 % at this volatility.", "article's rule"),
    ],
    hint="ml.max_leverage_for_probability('long', target_probability=0.05, volatility=sigma, "
         "horizon_years=7/365, maintenance_margin_rate=0.05).")
