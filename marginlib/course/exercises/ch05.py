"""Exercise checkers of notebook 05 (thin liquidity).

Every expected value and every misconception value is computed here with marginlib; none is
typed in.

* :data:`exercise_1` -- the average fill price, in USDC, of a market sell of the article's 400
  tokens at a mid of 2.50 into a book with 2,000 USDC within ±2 % (linear depth, no spread).
* :data:`exercise_2` -- the maintenance rate, as a fraction, that
  :func:`marginlib.liquidity.maintenance_rate_from_depth` gives for the notebook's thin token
  once its book is made ten times deeper (50,000 → 500,000 USDC within ±2 %), everything else
  unchanged: a model input changed in code.
"""
from __future__ import annotations

from marginlib.course import defaults as _d
from marginlib.course.checks import Misconception, Question
from marginlib.liquidity import depth_fill, maintenance_rate_from_depth

__all__ = ["exercise_1", "exercise_2", "THIN_TOKEN"]

# ----------------------------------------------------------------------------- exercise 1 ---
_DEPTH_1 = 2_000.0
_WITHIN = 0.02


def _sell(size, side="sell"):
    return depth_fill(side, size=size, mid_price=_d.ENTRY_PRICE, depth=_DEPTH_1, within=_WITHIN)


_F1 = _sell(_d.SIZE)

exercise_1 = Question(
    "Exercise 1: average fill of a 400-token market sell into $2,000 within ±2 %",
    expected=float(_F1.average_price), units="USDC", decimals=4,
    misconceptions=[
        Misconception(
            float(_F1.last_price),
            "That is the last price the sell touches (where it leaves the book). The order fills "
            "all along the way from the mid down to there: on a linear book the average is "
            "halfway, so the slippage is half the price move.", "last price"),
        Misconception(
            float(_sell(_d.SIZE, "buy").average_price),
            "That is a market buy's average fill (it walks the asks up). A long is closed by "
            "selling into the bids, below the mid.", "buy instead of sell"),
        Misconception(
            float(_sell(_d.NOTIONAL).average_price),
            "That sells 1,000 tokens. The position is 400 tokens (1,000 USDC of notional at "
            "2.50).", "notional used as tokens"),
        Misconception(
            float(_F1.slippage),
            "That is the slippage as a fraction of the mid. The question asks for the average "
            "fill price in USDC: 2.50 × (1 − slippage).", "slippage instead of price"),
    ],
    hint="The book holds ρ = 2,000 / (0.02 × 2.50) tokens per unit of fractional distance from "
         "the mid; selling q tokens fills on average q/(2ρ) below the mid.")

# ----------------------------------------------------------------------------- exercise 2 ---
#: The notebook's thin token: a $50k position, $50k within ±2 %, 150 %/yr, an hour to close.
THIN_TOKEN = dict(position_notional=50_000.0, depth=50_000.0, within=_WITHIN, volatility=1.5,
                  liquidation_hours=1.0)
_BEFORE = float(maintenance_rate_from_depth(**THIN_TOKEN))
_DEEPER = dict(THIN_TOKEN, depth=10 * THIN_TOKEN["depth"])
_AFTER = float(maintenance_rate_from_depth(**_DEEPER))
_IMPACT_AFTER = _DEEPER["position_notional"] * _WITHIN / (2 * _DEEPER["depth"])
_IMPACT_BEFORE = THIN_TOKEN["position_notional"] * _WITHIN / (2 * THIN_TOKEN["depth"])

exercise_2 = Question(
    "Exercise 2: the thin token's maintenance rate with a book ten times deeper",
    expected=_AFTER, units="fraction", decimals=4,
    misconceptions=[
        Misconception(
            _BEFORE / 10,
            "Only the impact term scales with 1/depth. The price-risk term (the move while the "
            "liquidator works, z·σ·√(τ/8760)) does not depend on the book at all.",
            "whole rate divided by 10"),
        Misconception(
            _BEFORE,
            "That is the rate before the change: set depth=500_000 in the cell and run it "
            "again.", "unchanged"),
        Misconception(
            _IMPACT_AFTER,
            "That is the impact term alone. The maintenance must also cover the price moving "
            "while the liquidator closes the position.", "impact term only"),
        Misconception(
            _AFTER - _IMPACT_AFTER,
            "That is the price-risk term alone. The deeper book still costs some slippage to "
            "close the position: add the impact term.", "price risk only"),
    ],
    hint="m = N·within/(2·D) + z·σ·√(τ/8760): change D from 50,000 to 500,000 and keep the "
         "rest.")
