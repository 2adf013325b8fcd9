"""The article's setting: the defaults every course figure and widget starts from.

A token priced 2.50 USDC, 100 USDC of isolated margin at 10× (a 1,000 USDC position of 400
tokens), a long, maintenance 5 % (dYdX v4's small-cap maintenance margin fraction; see
https://github.com/dydxprotocol/v4-documentation
(``docs/pages/concepts/trading/margin.mdx``)) and its 1.5 % liquidation penalty. At this
setting the default figures show their lesson: the long's liquidation price (2.3684 USDC)
sits clearly apart from its bankruptcy price (2.25), and the distance to liquidation is
5.26 % against the naive 10 %.

>>> SIZE
400.0
>>> round(100 * (1 / LEVERAGE - MAINTENANCE_MARGIN_RATE) / (1 - MAINTENANCE_MARGIN_RATE), 2)
5.26
"""
from __future__ import annotations

__all__ = [
    "ENTRY_PRICE",
    "MARGIN",
    "LEVERAGE",
    "SIZE",
    "NOTIONAL",
    "SIDE",
    "MAINTENANCE_MARGIN_RATE",
    "TAKER_FEE_RATE",
    "LIQUIDATION_FEE_RATE",
    "MAX_LEVERAGE",
    "LEVERAGE_STEP",
]

#: Entry price of the course's example token, USDC.
ENTRY_PRICE = 2.5
#: Isolated margin, USDC.
MARGIN = 100.0
#: Leverage at opening (×).
LEVERAGE = 10.0
#: Tokens held: ``M·L/E`` = 400.
SIZE = MARGIN * LEVERAGE / ENTRY_PRICE
#: Position value at entry, USDC: ``M·L`` = 1,000.
NOTIONAL = MARGIN * LEVERAGE
#: Side of the running example.
SIDE = "long"
#: Maintenance margin rate (a fraction): 5 %, dYdX v4 small-cap.
MAINTENANCE_MARGIN_RATE = 0.05
#: Taker fee counted in the liquidation requirement (a fraction); the figures start without.
TAKER_FEE_RATE = 0.0
#: Liquidation penalty on the notional at the liquidation mark (dYdX v4: up to 1.5 %).
LIQUIDATION_FEE_RATE = 0.015
#: Top of the leverage sliders (×).
MAX_LEVERAGE = 50.0
#: Leverage slider step (×): fine enough for an exercise that asks for 3.29×.
LEVERAGE_STEP = 0.01
