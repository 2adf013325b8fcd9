"""OKX: the "MMR + taker" liquidation form (preset) and a listing funding cap.

OKX counts the taker fee to close in the maintenance requirement, margin ratio
``MR = equity / (q·P·(MMR + taker))``: :func:`marginlib.liquidation.liquidation_price` with
``taker_fee_rate`` gives its liquidation price.

References
----------
.. [1] OKX, isolated margin mode and margin ratio,
   https://www.okx.com/help-center/6997123251341
.. [2] OKX, tiered maintenance margin ratio,
   https://support.okexcn.com/hc/en-us/articles/360040581412
"""
from __future__ import annotations

import types

from ..funding import FundingCap
from ._base import Venue, flat_tiers

__all__ = ["FUNDING_CAPS", "PRESETS"]

#: A funding cap quoted in the course's sources (per 4-hour interval; a secondary source).
FUNDING_CAPS = types.MappingProxyType({
    "okx_ai16z": FundingCap(
        "okx_ai16z", "OKX AI16Z (listing)", 0.015, 4.0,
        "mackhal.com (secondary source)", "2024-12", "low-authority source"),
})

_SOURCE = "OKX help 6997123251341 (margin ratio), https://www.okx.com/help-center/6997123251341"

#: Venue presets of this module (also in :data:`marginlib.venues.VENUES`).
PRESETS = (
    Venue(
        key="okx_btc_example", name="OKX (MMR + taker form)", max_leverage=100,
        tiers=flat_tiers(0.004, 100, "assumed tier 1 MMR 0.4 %", _SOURCE, "2022"),
        taker_fee_rate=0.0005, fee_in_requirement=True,
        source="OKX margin ratio MR = equity / (q·P·(MMR + taker)), "
               "https://www.okx.com/help-center/6997123251341", as_of="2022",
        notes="tier MMR assumed; OKX reduces large positions by tiers before full "
              "liquidation"),
)
