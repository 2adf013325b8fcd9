"""Records of market history: funding rates, candles, and the two together.

Each record validates its fields when built (also through ``dataclasses.replace``): times
are whole milliseconds, strictly increasing; columns have one finite value per time; prices
are > 0. Arrays are stored read-only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import _validation as v

__all__ = ["FundingRateHistory", "PriceHistory", "MarketSample"]

_HOUR_MS = 3_600_000
#: Largest |timestamp| accepted, in ms (about year 292 million: far beyond any real time).
_MAX_MS = 2 ** 62


def _timestamps(name, value, *, sorted_=True, allow_scalar=False):
    """Whole ms since the epoch as a read-only int64 array (strictly increasing if sorted_)."""
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{name} must be whole milliseconds since the epoch, got {value!r}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be an array of whole milliseconds") from None
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be whole milliseconds (numbers), got dtype {arr.dtype}")
    if arr.ndim == 0 and not allow_scalar:
        raise ValueError(f"{name} must be a 1-D array, got a scalar")
    if arr.ndim > 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    if arr.ndim == 1 and arr.size == 0:
        raise ValueError(f"{name} must hold at least one time, got an empty array")
    as_float = arr.astype(float)
    if not np.all(np.isfinite(as_float)) or np.any(np.abs(as_float) >= _MAX_MS):
        raise ValueError(f"{name} must be finite times in ms within ±2**62")
    if arr.dtype.kind == "f" and np.any(as_float != np.round(as_float)):
        raise ValueError(f"{name} must be whole milliseconds")
    out = arr.astype(np.int64)
    if sorted_ and out.ndim == 1 and np.any(np.diff(out) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return _frozen(out)


def _column(name, value, n, check):
    arr = check(name, value)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"{name} must be 1-D with one value per time ({n}), "
                         f"got shape {arr.shape}")
    return _frozen(arr)


def _common(record, kind, hours_field):
    for name in ("symbol", "source"):
        if not isinstance(getattr(record, name), str):
            raise ValueError(f"{kind}.{name} must be a string, got {getattr(record, name)!r}")
    if not isinstance(record.synthetic, (bool, np.bool_)):
        raise ValueError(f"{kind}.synthetic must be True or False, got {record.synthetic!r}")
    object.__setattr__(record, "synthetic", bool(record.synthetic))
    hours = getattr(record, hours_field)
    if isinstance(hours, (bool, np.bool_)) or not isinstance(hours, (int, float, np.integer,
                                                                      np.floating)):
        raise ValueError(f"{kind}.{hours_field} must be a number, got {hours!r}")
    hours = float(hours)
    if not (math.isnan(hours) or (math.isfinite(hours) and hours > 0)):
        raise ValueError(f"{kind}.{hours_field} must be > 0 (or nan when unknown), got {hours!r}")
    object.__setattr__(record, hours_field, hours)


def _frozen(arr):
    arr = np.array(arr)
    arr.setflags(write=False)
    return arr


def _median_spacing_hours(ts):
    if len(ts) < 2:
        return float("nan")
    return float(np.median(np.diff(ts))) / _HOUR_MS


@dataclass(frozen=True)
class FundingRateHistory:
    """Funding rates of one symbol, sorted by time.

    Attributes
    ----------
    timestamps : ndarray of int64
        Funding times in milliseconds since the Unix epoch (UTC), strictly increasing.
    rates : ndarray of float
        Rate of each funding event as a fraction (ccxt ``fundingRate``; positive: longs pay).
    symbol : str
        ccxt unified symbol (``"BTC/USDT:USDT"``).
    interval_hours : float
        Median spacing of the timestamps (8 on Binance by default, 1 on Hyperliquid/dYdX).
    synthetic : bool
        True for simulated data (the shipped sample).
    source : str
        Where the data came from (file, exchange id, or the generator).
    """

    timestamps: np.ndarray
    rates: np.ndarray
    symbol: str = ""
    interval_hours: float = float("nan")
    synthetic: bool = False
    source: str = ""

    def __post_init__(self):
        ts = _timestamps("FundingRateHistory.timestamps", self.timestamps)
        rates = _column("FundingRateHistory.rates", self.rates, len(ts), v.finite)
        object.__setattr__(self, "timestamps", ts)
        object.__setattr__(self, "rates", rates)
        _common(self, "FundingRateHistory", "interval_hours")

    def __len__(self):
        return len(self.rates)

    @property
    def hours(self):
        """Hours since the first funding time (float array)."""
        return (self.timestamps - self.timestamps[0]) / _HOUR_MS


@dataclass(frozen=True)
class PriceHistory:
    """OHLCV candles of one symbol, sorted by time (ccxt ``fetch_ohlcv`` rows).

    Attributes
    ----------
    timestamps : ndarray of int64
        Candle open times in ms (UTC), strictly increasing.
    open, high, low, close, volume : ndarray of float
    symbol, source : str
    timeframe_hours : float
        Median spacing of the candles.
    synthetic : bool
    """

    timestamps: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    symbol: str = ""
    timeframe_hours: float = float("nan")
    synthetic: bool = False
    source: str = ""

    def __post_init__(self):
        ts = _timestamps("PriceHistory.timestamps", self.timestamps)
        object.__setattr__(self, "timestamps", ts)
        for name in ("open", "high", "low", "close"):
            object.__setattr__(self, name, _column(f"PriceHistory.{name}", getattr(self, name),
                                                   len(ts), v.positive))
        object.__setattr__(self, "volume", _column("PriceHistory.volume", self.volume, len(ts),
                                                   v.nonnegative))
        _common(self, "PriceHistory", "timeframe_hours")

    def __len__(self):
        return len(self.close)

    @property
    def hours(self):
        """Hours since the first candle (float array)."""
        return (self.timestamps - self.timestamps[0]) / _HOUR_MS

    def close_at(self, timestamps):
        """Reference price at each time: the close of the last candle that *ended* by then.

        A candle opening at ``t`` closes at ``t + timeframe``; its close is the price at that
        time. Times before the first candle's close raise ``ValueError``.

        Parameters
        ----------
        timestamps : array_like of int
            Times in ms (e.g. ``funding.timestamps``).

        Returns
        -------
        ndarray
        """
        ts = _timestamps("timestamps", timestamps, sorted_=False, allow_scalar=True)
        ends = self.timestamps + int(round(self.timeframe_hours * _HOUR_MS))
        idx = np.searchsorted(ends, ts, side="right") - 1
        if np.any(self.timeframe_hours != self.timeframe_hours):
            raise ValueError("close_at needs at least two candles (timeframe_hours unknown)")
        if np.any(idx < 0):
            raise ValueError("timestamps before the first candle's close have no price; "
                             "fetch candles from earlier")
        return self.close[idx]


@dataclass(frozen=True)
class MarketSample:
    """Funding history and candles of one symbol, with the reference price at each funding.

    Attributes
    ----------
    funding : FundingRateHistory
    prices : PriceHistory
    reference_prices : ndarray
        ``prices.close_at(funding.timestamps)``: the price each payment is computed on.
    metadata : dict
        Header of the files (for the synthetic sample: ``synthetic``, ``seed``, parameters).
    """

    funding: FundingRateHistory
    prices: PriceHistory
    reference_prices: np.ndarray
    metadata: dict = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.funding, FundingRateHistory):
            raise ValueError(f"MarketSample.funding must be a FundingRateHistory, "
                             f"got {type(self.funding).__name__}")
        if not isinstance(self.prices, PriceHistory):
            raise ValueError(f"MarketSample.prices must be a PriceHistory, "
                             f"got {type(self.prices).__name__}")
        if not isinstance(self.metadata, dict):
            raise ValueError(f"MarketSample.metadata must be a dict, "
                             f"got {type(self.metadata).__name__}")
        object.__setattr__(self, "reference_prices", _column(
            "MarketSample.reference_prices", self.reference_prices, len(self.funding),
            v.positive))

    @property
    def synthetic(self):
        """True if either series is simulated."""
        return bool(self.funding.synthetic or self.prices.synthetic)
