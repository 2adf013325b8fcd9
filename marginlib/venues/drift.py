"""Drift v2: size-discounted collateral weights and the hourly funding rate.

References
----------
.. [1] Drift docs, Liquidations, Margining, Cross-collateral deposits,
   https://docs.drift.trade/liquidations , https://docs.drift.trade/margining ,
   https://docs.drift.trade/getting-started/cross-collateral-deposits
.. [2] drift-labs/protocol-v2 (commit 0ae3e3b), https://github.com/drift-labs/protocol-v2
"""
from __future__ import annotations

import numpy as np

from .. import _validation as v
from ._base import fraction

__all__ = ["asset_weight", "funding_rate", "SIZE_DISCOUNT_NUMERATOR", "OFFSET_DIVISOR"]

#: Size-discounted asset weight = 1.1 / (1 + imf_factor·√size).
SIZE_DISCOUNT_NUMERATOR = 1.1
#: The interest-like funding offset ``oracle_twap / 5000`` per day (7.3 %/yr for shorts).
OFFSET_DIVISOR = 5000.0


def asset_weight(*, size, base_asset_weight, imf_factor):
    """Drift v2 size-discounted asset weight of a collateral deposit.

    Parameters
    ----------
    size : float or array_like
        Deposit size in token units, >= 0.
    base_asset_weight : float or array_like
        The market's (initial or maintenance) asset weight, in (0, 1].
    imf_factor : float or array_like
        The market's IMF factor, >= 0 (0 disables the size discount).

    Returns
    -------
    float or ndarray
        ``w = min(w_base, 1.1 / (1 + imf_factor·√size))``: collateral value counted is
        ``size × price × w``; large deposits are discounted.

    References
    ----------
    .. [1] Drift docs, Cross-collateral deposits,
       https://docs.drift.trade/getting-started/cross-collateral-deposits
    .. [2] drift-labs/protocol-v2, ``sdk/src/user.ts`` (commit 0ae3e3b),
       https://github.com/drift-labs/protocol-v2

    Examples
    --------
    2,000 SOL with base weight 0.80 and IMF factor 0.003: the discount (0.96987) does not
    bind (case R1).

    >>> asset_weight(size=2_000, base_asset_weight=0.80, imf_factor=0.003)
    0.8
    >>> round(asset_weight(size=1e6, base_asset_weight=0.80, imf_factor=0.003), 4)
    0.275
    """
    size = v.nonnegative("size", size)
    w = fraction("base_asset_weight", base_asset_weight)
    imf = v.nonnegative("imf_factor", imf_factor)
    v.broadcast(size=size, base_asset_weight=w, imf_factor=imf)
    with np.errstate(all="ignore"):
        discount = SIZE_DISCOUNT_NUMERATOR / (1.0 + imf * np.sqrt(size))
    return v.scalar_or_array(np.minimum(w, discount))


def funding_rate(*, mark_twap, oracle_twap, max_spread_fraction=None):
    """Drift v2 hourly funding rate as a fraction of the oracle price.

    Parameters
    ----------
    mark_twap, oracle_twap : float or array_like
        Time-weighted mark and oracle prices, > 0.
    max_spread_fraction : float or array_like, optional
        Contract-tier clamp on the (spread + offset) as a fraction of ``oracle_twap``, >= 0.
        ``None``: no clamp.

    Returns
    -------
    float or ndarray
        ``clamp((mark − oracle) + oracle/5000) / 24 / oracle`` per hour; positive: longs pay.

    Notes
    -----
    The spread is a daily rate paid in 24 hourly slices; the ``oracle/5000`` offset is about
    7.3 % a year in favour of shorts. Longs and shorts can receive different rates when the
    AMM would otherwise pay too much: that asymmetry is not modelled.

    References
    ----------
    .. [1] drift-labs/protocol-v2 ``programs/drift/src/controller/funding.rs`` (commit 0ae3e3b),
       https://github.com/drift-labs/protocol-v2

    Examples
    --------
    Case R3: mark TWAP 100.10, oracle TWAP 100 → 0.005 %/h.

    >>> round(funding_rate(mark_twap=100.10, oracle_twap=100.0), 12)
    5e-05
    """
    mark = v.positive("mark_twap", mark_twap)
    oracle = v.positive("oracle_twap", oracle_twap)
    inputs = dict(mark_twap=mark, oracle_twap=oracle)
    if max_spread_fraction is not None:
        inputs["max_spread_fraction"] = v.nonnegative("max_spread_fraction", max_spread_fraction)
    v.broadcast(**inputs)
    with np.errstate(all="ignore"):
        # the spread over the oracle, written as ratios so 1e308-sized prices do not overflow
        spread = mark / oracle - 1.0 + 1.0 / OFFSET_DIVISOR
        if max_spread_fraction is not None:
            limit = inputs["max_spread_fraction"]
            spread = np.clip(spread, -limit, limit)
        out = spread / 24.0 + 0.0
    return v.result(out, **inputs)
