"""Exercises of notebook 02d (deep dive: tiers and venues): questions computed with marginlib.

* :data:`exercise_1` -- a short on the Binance-like BTCUSDT brackets whose notional grows into
  the next bracket before it is liquidated: its liquidation price, in USDC.

Every expected value and every misconception value is computed here with ``marginlib``; the
checker never shows them.
"""
from __future__ import annotations

from marginlib.course.checks import (Misconception, Question,
                                     bankruptcy_instead_of_liquidation, entry_convention,
                                     sides_swapped)
from marginlib.liquidation import bankruptcy_price, liquidation_price
from marginlib.tiers import tiered_liquidation_price
from marginlib.venues import get_venue

__all__ = ["exercise_1", "EXERCISE_1"]

#: The trade of exercise 1: a 10× short of 4.8 BTC at 50,000 (notional 240,000 USDT) on the
#: ``binance_btcusdt`` preset.
EXERCISE_1 = dict(venue="binance_btcusdt", side="short", entry_price=50_000.0, size=4.8,
                  margin=24_000.0)

_E = EXERCISE_1
_TIERS = get_venue(_E["venue"]).tiers
_POS = dict(entry_price=_E["entry_price"], size=_E["size"], margin=_E["margin"])
_RIGHT = tiered_liquidation_price("short", tiers=_TIERS, **_POS)
_K = _TIERS.tier_index(_E["size"] * _E["entry_price"])       # the bracket at entry

exercise_1 = Question(
    "Exercise 1: liquidation price of the short on the bracket table", _RIGHT.price,
    units="USDC", decimals=2,
    misconceptions=[
        Misconception(_RIGHT.entry_tier_price, "That uses the bracket of the entry notional. "
                      "At that price the short's notional q·P is larger: check which bracket it "
                      "falls in there, and redo the calculation with that bracket's m and c.",
                      "tier at entry"),
        entry_convention(liquidation_price("short", maintenance_margin_rate=_TIERS.rates[_K],
                                           maintenance_amount=_TIERS.amounts[_K],
                                           convention="entry", **_POS)),
        sides_swapped(tiered_liquidation_price("long", tiers=_TIERS, **_POS).price),
        bankruptcy_instead_of_liquidation(bankruptcy_price("short", **_POS)),
    ],
    hint="short: P = (E + (M + c)/q)/(1 + m), with the m and c of the bracket that holds at P.")
