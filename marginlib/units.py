"""Time units shared by the funding maths and the price paths (one definition each).

Venues quote funding per interval (8 h on Binance/Bybit/OKX, 1 h on Hyperliquid and dYdX v4,
per second on GMX v2) and annualise on a 365-day year, so an APR is ``rate × 8760 / hours``.

References
----------
.. [1] Hyperliquid docs, Funding (hourly payments, 365-day APR),
   https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding
.. [2] gmx-io/gmx-synthetics, ``README.md`` "Funding Fees" (rates per second),
   https://github.com/gmx-io/gmx-synthetics

>>> HOURS_PER_YEAR / 8
1095.0
"""
from __future__ import annotations

__all__ = ["HOURS_PER_YEAR", "SECONDS_PER_HOUR"]

#: Hours in a 365-day year (the venues' APR convention).
HOURS_PER_YEAR = 8760.0
#: Seconds per hour (GMX quotes funding per second).
SECONDS_PER_HOUR = 3600.0
