"""Exercise checkers of notebook 05d (deep dive: price impact and partial liquidation).

Every expected value and every misconception value is computed here with marginlib; none is
typed in.

* :data:`exercise_1` -- GMX's README position: a $50,000 long at an oracle price of 5,000 with
  collateral 5,000 USD, opened at a price impact of −0.1 % of its size. The closing impact is
  changed in code from −0.2 % to −0.05 %; what does the trader lose on the round trip at an
  unchanged price, in USDC?
"""
from __future__ import annotations

from marginlib.course.checks import Misconception, Question
from marginlib.venues.gmx import decrease_position, increase_position

__all__ = ["exercise_1", "GMX_EXAMPLE"]

#: GMX's README example: oracle price, size, collateral, opening and closing impact fractions.
GMX_EXAMPLE = dict(price=5_000.0, size_delta_usd=50_000.0, collateral=5_000.0,
                   open_impact=-0.001, close_impact=-0.002)


def round_trip_loss(open_impact, close_impact, *, price=GMX_EXAMPLE["price"],
                    size=GMX_EXAMPLE["size_delta_usd"], collateral=GMX_EXAMPLE["collateral"]):
    """USD lost by opening and closing the long at an unchanged price (impacts as fractions)."""
    opened = increase_position("long", size_delta_usd=size, price=price,
                               price_impact_usd=open_impact * size)
    closed = decrease_position("long", size_in_usd=opened.size_in_usd,
                               size_in_tokens=opened.size_in_tokens, collateral=collateral,
                               price=price, price_impact_usd=close_impact * size)
    return float(collateral - closed.amount_out)


_NEW_CLOSE = -0.0005
_SIZE = GMX_EXAMPLE["size_delta_usd"]

exercise_1 = Question(
    "Exercise 1: GMX round trip with a smaller closing impact",
    expected=round_trip_loss(GMX_EXAMPLE["open_impact"], _NEW_CLOSE), units="USDC", decimals=2,
    misconceptions=[
        Misconception(
            round_trip_loss(GMX_EXAMPLE["open_impact"], GMX_EXAMPLE["close_impact"]),
            "That is the README's round trip, with the closing impact still at −0.2 %: change "
            "it to −0.05 % and run the cell again.", "unchanged"),
        Misconception(
            -GMX_EXAMPLE["open_impact"] * _SIZE,
            "That is the opening impact alone (the fewer tokens bought). Closing pays its own "
            "impact too.", "opening only"),
        Misconception(
            -_NEW_CLOSE * _SIZE,
            "That is the closing impact alone. The opening impact already cost the trader: "
            "the long holds fewer tokens than $50,000 / 5,000.", "closing only"),
    ],
    hint="Both impacts are fractions of the $50,000 size: the opening one buys fewer tokens, "
         "the closing one is taken from what comes back.")
