"""Exercise checkers of notebook 08 (the practice desk).

Every expected value and every misconception value is computed here with marginlib (the desk
of :mod:`marginlib.course.desk` and the liquidation formula); none is typed in.

* :data:`exercise_1` -- on a fresh desk, a 5× isolated long on NEURAL with 100 USDC of margin,
  then the "crash" scenario on NEURAL: the USDC the liquidation returns to the wallet.
* :data:`exercise_2` -- the leverage (×) at which an isolated long on AGENT (maintenance 5 %)
  is liquidated 15 % below its entry: the article's FAQ target, computed.
"""
from __future__ import annotations

from marginlib.course.checks import Misconception, Question
from marginlib.course.desk import Desk
from marginlib.liquidation import liquidation_price

__all__ = ["exercise_1", "exercise_2", "EXERCISE_1", "TARGET_DISTANCE"]

# ----------------------------------------------------------------------------- exercise 1 ---
#: The order of exercise 1 (keyword arguments of :meth:`Desk.open`, market and side first).
EXERCISE_1 = dict(market="NEURAL", side="long", mode="isolated", margin=100.0, leverage=5.0)


def _run_1():
    desk = Desk()
    name = desk.open(EXERCISE_1["market"], EXERCISE_1["side"], mode=EXERCISE_1["mode"],
                     margin=EXERCISE_1["margin"], leverage=EXERCISE_1["leverage"])
    desk.apply_scenario("crash", market=EXERCISE_1["market"])
    (liq,) = [e for e in desk.log if e.kind == "liquidation" and e.position == name]
    return desk, liq


_DESK_1, _LIQ_1 = _run_1()
_M1 = _DESK_1.markets["NEURAL"].maintenance_margin_rate
_Q1 = EXERCISE_1["margin"] * EXERCISE_1["leverage"] / 0.5          # 1,000 tokens at 0.50
_P_FORMULA = liquidation_price("long", entry_price=0.5, size=_Q1, margin=EXERCISE_1["margin"],
                               maintenance_margin_rate=_M1)
_EQUITY_AT_FORMULA = EXERCISE_1["margin"] + _Q1 * (_P_FORMULA - 0.5)
_EQUITY_AT_FILL = EXERCISE_1["margin"] + _Q1 * (_LIQ_1.price - 0.5)

exercise_1 = Question(
    "Exercise 1: what a crash-liquidated 5× isolated NEURAL long returns to the wallet",
    expected=_LIQ_1.amount, units="USDC", decimals=2,
    misconceptions=[
        Misconception(
            0.0,
            "Isolated margin caps the loss at the margin, but a liquidation does not take all "
            "of it: the position is closed when its equity falls below maintenance, and what is "
            "left after the penalty goes back to the wallet. Read the liquidation line of "
            "desk.log.", "all margin lost"),
        Misconception(
            _EQUITY_AT_FILL,
            "That is the equity when the position is closed. The venue first takes its "
            "liquidation penalty (1.5 % of the notional at that mark); only the rest returns.",
            "penalty forgotten"),
        Misconception(
            _EQUITY_AT_FORMULA - 0.015 * _Q1 * _P_FORMULA,
            "That assumes the position is closed exactly at its liquidation price. The crash is "
            "marked every 0.5 % of the price, so the liquidation happens at the first mark "
            "below it, a little lower: read the price of the liquidation event.",
            "closed at the liquidation price"),
    ],
    hint="Open the order of ch08.EXERCISE_1 on a fresh Desk(), apply_scenario('crash', "
         "market='NEURAL'), and read the liquidation entry of desk.log (its amount is what "
         "came back).")

# ----------------------------------------------------------------------------- exercise 2 ---
#: The liquidation distance the article's FAQ calls conservative (low end of 15-20 %).
TARGET_DISTANCE = 0.15
_M2 = Desk().markets["AGENT"].maintenance_margin_rate
# A long's distance is (1/L − m)/(1 − m); solved for L:
_L2 = 1.0 / (TARGET_DISTANCE * (1.0 - _M2) + _M2)
assert abs(1 - liquidation_price("long", entry_price=2.5, size=_L2 * 100 / 2.5, margin=100.0,
                                 maintenance_margin_rate=_M2) / 2.5 - TARGET_DISTANCE) < 1e-12

exercise_2 = Question(
    "Exercise 2: the leverage that puts an isolated AGENT long's liquidation 15 % below entry",
    expected=_L2, units="×", decimals=2,
    misconceptions=[
        Misconception(
            1.0 / TARGET_DISTANCE,
            "That is the article's formula, liquidation = entry × (1 − 1/leverage), which "
            "ignores the maintenance margin: the venue liquidates while equity is still 5 % "
            "of the notional, so the price can move less than 1/leverage.", "article formula"),
        Misconception(
            1.0 / (TARGET_DISTANCE + _M2),
            "Close: you added the maintenance rate to the distance. Maintenance is 5 % of the "
            "notional at the liquidation price (lower than at entry), so the distance is "
            "(1/L − m)/(1 − m), not 1/L − m.", "maintenance at entry"),
    ],
    hint="A long's liquidation distance is (1/L − m)/(1 − m) with m = 5 %; solve it for L, or "
         "try leverages in desk.quote(...) until quote.distance is 0.15.")
