"""Exercise checkers of notebook 00 (start here).

* Exercise 1 -- the learner's own trade: 250 USDC of margin at 4× on a long of a token at
  5.00 USDC. (a) the size in tokens; (b) the unrealised PnL at a mark of 4.60, in USDC.
* Exercise 2 -- change a model input in code: the article's long (100 USDC, entry 2.50,
  maintenance 5 %) at 5× instead of 10×. (a) the new liquidation price, in USDC; (b) whether
  it moved up or down.

Every expected value and every misconception value is computed with :mod:`marginlib` below,
never typed in. Pure maths: no matplotlib, no ipywidgets.

>>> exercise_1a.check(...).reason
'unanswered'
>>> exercise_2b.instructions
'Answer with a word or True/False.'
"""
from __future__ import annotations

from ..checks import (Misconception, Question, bankruptcy_instead_of_liquidation,
                      entry_convention, sides_swapped)
from ..defaults import ENTRY_PRICE, LEVERAGE, MAINTENANCE_MARGIN_RATE, MARGIN
from ...liquidation import bankruptcy_price, liquidation_price
from ...position import notional, position_size, return_on_margin, unrealized_pnl

__all__ = ["exercise_1a", "exercise_1b", "exercise_2a", "exercise_2b"]

# ------------------------------------------------------------------ exercise 1 ---
#: Exercise 1's trade: margin (USDC), leverage (×), entry and mark price (USDC).
EX1_MARGIN, EX1_LEVERAGE, EX1_ENTRY, EX1_MARK = 250.0, 4.0, 5.00, 4.60

_size_1 = position_size(margin=EX1_MARGIN, leverage=EX1_LEVERAGE, entry_price=EX1_ENTRY)
_notional_1 = notional(margin=EX1_MARGIN, leverage=EX1_LEVERAGE)
_pnl_1 = unrealized_pnl("long", size=_size_1, entry_price=EX1_ENTRY, mark_price=EX1_MARK)

exercise_1a = Question(
    "Exercise 1a: size", _size_1, units="tokens", decimals=0,
    misconceptions=[
        Misconception(_notional_1, (
            "That is the notional, in USDC (margin × leverage). The size counts tokens: "
            "divide the notional by the entry price."), "notional for size"),
        Misconception(EX1_MARGIN / EX1_ENTRY, (
            "That is what the margin alone buys. Leverage multiplies the margin first: the "
            "position is worth margin × leverage."), "leverage left out"),
    ],
    hint="size (tokens) = margin × leverage ÷ entry price.")

exercise_1b = Question(
    "Exercise 1b: unrealised PnL", _pnl_1, units="USDC", decimals=2,
    misconceptions=[
        Misconception(_notional_1 * (EX1_MARK - EX1_ENTRY), (
            "That multiplies the notional (USDC) by the price change (USDC per token). PnL is "
            "the size in tokens × (mark − entry)."), "notional times price move"),
        Misconception(EX1_LEVERAGE * _pnl_1, (
            "That multiplies by the leverage a second time: the leverage is already in the "
            "size. PnL = size × (mark − entry)."), "leverage counted twice"),
        Misconception(100 * return_on_margin("long", size=_size_1, entry_price=EX1_ENTRY,
                                             mark_price=EX1_MARK, margin=EX1_MARGIN), (
            "That is the return on margin in percent. The question asks for the PnL itself, "
            "in USDC."), "return on margin instead of PnL"),
        sides_swapped(unrealized_pnl("short", size=_size_1, entry_price=EX1_ENTRY,
                                     mark_price=EX1_MARK)),
    ],
    hint="unrealised PnL of a long = size × (mark − entry), negative for a loss.")

# ------------------------------------------------------------------ exercise 2 ---
#: Exercise 2's new input: the leverage (×), against the article's 10×; the margin (100 USDC),
#: the entry (2.50) and the maintenance rate (5 %) stay as they are.
EX2_LEVERAGE = 5.0

_size_before = position_size(margin=MARGIN, leverage=LEVERAGE, entry_price=ENTRY_PRICE)
_size_2 = position_size(margin=MARGIN, leverage=EX2_LEVERAGE, entry_price=ENTRY_PRICE)
_trade_2 = dict(entry_price=ENTRY_PRICE, size=_size_2, margin=MARGIN)
_liq_2 = liquidation_price("long", **_trade_2, maintenance_margin_rate=MAINTENANCE_MARGIN_RATE)
_liq_before = liquidation_price("long", entry_price=ENTRY_PRICE, size=_size_before,
                                margin=MARGIN, maintenance_margin_rate=MAINTENANCE_MARGIN_RATE)

exercise_2a = Question(
    "Exercise 2a: liquidation price at 5×", _liq_2, units="price", decimals=4,
    misconceptions=[
        Misconception(_liq_before, (
            "That is still the liquidation price at 10×: set leverage=5 in your copy of the "
            "cell and run it again (the size, and so the liquidation price, follow from it)."),
            "cell not re-run"),
        bankruptcy_instead_of_liquidation(bankruptcy_price("long", **_trade_2)),
        entry_convention(liquidation_price("long", **_trade_2,
                                           maintenance_margin_rate=MAINTENANCE_MARGIN_RATE,
                                           convention="entry"), (
            "That is the shortcut E·(1 − 1/L + m), which counts maintenance at the entry "
            "price. The course's venues count it at the liquidation price itself (the mark "
            "convention), as ml.liquidation_price does by default.")),
        sides_swapped(liquidation_price("short", **_trade_2,
                                        maintenance_margin_rate=MAINTENANCE_MARGIN_RATE)),
    ],
    hint="copy the cell that computes liq, change leverage to 5, run it.")

exercise_2b = Question(
    "Exercise 2b: which way it moved",
    "down" if _liq_2 < _liq_before else "up",
    hint="compare the liquidation price at 5× with the one at 10× (2.50 is the entry): is it "
         "lower or higher?")
