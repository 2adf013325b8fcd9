"""The **synthetic** DeFAI-token sample: a seeded generator, its price bridge, and a CSV writer.

Not market data: :func:`synthetic_defai_sample` simulates an AI-narrative token whose price
ends above where it started (:func:`bridge_price_path`) with hourly, Hyperliquid-style funding
that runs hot after a rally. :func:`write_sample_csv` writes any :class:`MarketSample` as two
ccxt-format CSV files (the shipped ``marginlib/data/*.csv`` were written by it), which
:mod:`marginlib.data.loaders` reads back.
"""
from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .. import _validation as v
from ..funding import _points, cap_funding_rate
from ..sim.rates import mean_reverting_rate_path
from ..units import HOURS_PER_YEAR
from .loaders import DEFAI_SAMPLE_FILES, _parse_time
from .records import _HOUR_MS, FundingRateHistory, MarketSample, PriceHistory, _frozen

__all__ = ["synthetic_defai_sample", "bridge_price_path", "write_sample_csv"]

_SYNTHETIC_BANNER = ("SYNTHETIC DATA - a seeded simulation of an AI-narrative token for teaching; "
                     "NOT market data")


def _write(path, lines):
    try:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"directory: cannot write {path} ({exc})") from None


def bridge_price_path(*, start_price, end_price, n_steps, volatility, step_hours=1.0,
                      n_paths=None, rng=None):
    """A seeded log-normal (geometric Brownian) bridge: random on the way, pinned at both ends.

    Parameters
    ----------
    start_price, end_price : float
        Prices at step 0 and at step ``n_steps``, > 0.
    n_steps : int
        >= 1.
    volatility : float
        Annualised volatility of log returns, >= 0 (8,760 hours a year).
    step_hours : float, optional
        > 0.
    n_paths : int, optional
        Number of paths on axis 1; ``None`` for one 1-D path.
    rng : None, int or numpy.random.Generator
        ``None`` uses seed 0.

    Returns
    -------
    ndarray
        Shape ``(n_steps + 1,)`` or ``(n_steps + 1, n_paths)``; row 0 is ``start_price`` and
        the last row is ``end_price`` exactly.

    Notes
    -----
    ``ln P_t = ln P_0 + (t/n)·ln(P_n/P_0) + B_t`` with ``B_t = W_t − (t/n)·W_n`` and ``W`` a
    random walk of steps ``σ·√Δt·ε``. Used to show a path that **ends above entry** (the
    trade was right) but can still lose after funding and fees, or be liquidated on the way.

    Examples
    --------
    >>> path = bridge_price_path(start_price=2.5, end_price=2.6, n_steps=240, volatility=0.8,
    ...                          rng=3)
    >>> path.shape, float(path[0]), round(float(path[-1]), 12)
    ((241,), 2.5, 2.6)
    """
    return _bridge(start_price, end_price, n_steps, volatility, step_hours, n_paths, rng,
                   names=("start_price", "end_price", "n_steps", "volatility", "step_hours"))


def _bridge(start_price, end_price, n_steps, volatility, step_hours, n_paths, rng, *, names):
    """:func:`bridge_price_path` with the caller's argument names in the error messages."""
    p0 = v.single_number(names[0], start_price, v.positive)
    p1 = v.single_number(names[1], end_price, v.positive)
    n = v.count(names[2], n_steps)
    sigma = v.single_number(names[3], volatility, v.nonnegative)
    dt = v.single_number(names[4], step_hours, v.positive) / HOURS_PER_YEAR
    paths = None if n_paths is None else v.count("n_paths", n_paths)
    _points(names[2], n, 1 if paths is None else paths)
    gen = v.check_random_state(rng)
    shape = (n,) if paths is None else (n, paths)
    steps = sigma * math.sqrt(dt) * gen.standard_normal(shape)
    walk = np.concatenate([np.zeros((1,) + shape[1:]), np.cumsum(steps, axis=0)], axis=0)
    frac = (np.arange(n + 1) / n).reshape((n + 1,) + (1,) * (len(shape) - 1))
    log_path = math.log(p0) + frac * math.log(p1 / p0) + walk - frac * walk[-1]
    with np.errstate(over="ignore"):
        out = np.exp(log_path)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{names[3]} is too large for {names[2]} steps of {names[4]} hours: "
                         "the price path overflows")
    out[0], out[-1] = p0, p1
    return out


def synthetic_defai_sample(*, rng=2025, days=30, start="2025-01-06T00:00:00Z",
                           symbol="DEFAI-SYNTH/USDC:USDC", start_price=2.50, end_price=2.60,
                           volatility=0.90, baseline_rate_per_hour=0.0000125,
                           premium_mean_per_hour=0.00005, premium_volatility_per_hour=0.00002,
                           premium_reversion=0.05, momentum_beta=0.0004, cap_per_hour=0.04):
    """Simulate the **synthetic** DeFAI-token sample: hourly candles and hourly funding.

    Not market data. A seeded toy with the features the course needs: an AI-narrative token
    whose price ends above where it started (a Brownian bridge), with hourly funding
    (Hyperliquid-style) that runs hot when the price has been rising, as leveraged longs crowd
    in.

    Parameters
    ----------
    rng : int or numpy.random.Generator
        Random seed (the shipped sample uses 2025, recorded as ``seed`` in its header).
    days : int
        Length in days (hourly steps), a whole number >= 1.
    start : str
        ISO time of the first candle (UTC).
    symbol : str
        A ccxt-style symbol, marked SYNTH.
    start_price, end_price : float
        Close of the first hour's open and of the last candle (> 0).
    volatility : float
        Annualised volatility of the price (0.9 = 90 %).
    baseline_rate_per_hour : float
        The interest floor, 0.01 %/8 h paid hourly.
    premium_mean_per_hour, premium_volatility_per_hour, premium_reversion : float
        AR(1) premium on top of the baseline (see
        :func:`marginlib.sim.rates.mean_reverting_rate_path`).
    momentum_beta : float
        Extra rate per unit of trailing 24-hour log return (crowded longs pay more after a
        rally).
    cap_per_hour : float
        Venue cap (4 %/h as on Hyperliquid).

    Returns
    -------
    MarketSample
        ``synthetic=True``; ``reference_prices`` is the hourly close at each funding time.

    Notes
    -----
    Price: ``close_t`` from :func:`bridge_price_path`; ``open_t = close_{t−1}``; high/low
    widen the open–close range by a half-normal fraction of the hourly volatility; volume is
    log-normal and grows with the absolute return. Funding paid at the end of hour ``t``:
    ``clip(baseline + premium_t + β·ln(close_t/close_{t−24}), ±cap)``.

    Examples
    --------
    >>> s = synthetic_defai_sample(days=2)
    >>> len(s.funding), len(s.prices), s.synthetic
    (48, 48, True)
    """
    n = _points("days", v.count("days", days) * 24)
    if not isinstance(start, str):
        raise ValueError(f"start must be an ISO 8601 time string, got {start!r}")
    if not isinstance(symbol, str):
        raise ValueError(f"symbol must be a string, got {symbol!r}")
    volatility = v.single_number("volatility", volatility, v.nonnegative)
    baseline_rate_per_hour = v.single_number("baseline_rate_per_hour", baseline_rate_per_hour,
                                             v.finite)
    premium_mean_per_hour = v.single_number("premium_mean_per_hour", premium_mean_per_hour,
                                            v.finite)
    premium_volatility_per_hour = v.single_number("premium_volatility_per_hour",
                                                  premium_volatility_per_hour, v.nonnegative)
    premium_reversion = v.single_number("premium_reversion", premium_reversion, v.finite)
    if not 0 < premium_reversion <= 1:
        raise ValueError(f"premium_reversion must be in (0, 1], got {premium_reversion!r}")
    momentum_beta = v.single_number("momentum_beta", momentum_beta, v.finite)
    cap_per_hour = v.single_number("cap_per_hour", cap_per_hour, v.nonnegative)
    t0 = _parse_time(start, "start")
    seed = rng
    gen = v.check_random_state(rng)
    # the path: n+1 points (opens then closes), hourly
    path = _bridge(start_price, end_price, n, volatility, 1.0, None, gen,
                   names=("start_price", "end_price", "days", "volatility", "step_hours"))
    opens, closes = path[:-1], path[1:]
    hourly_sigma = volatility * math.sqrt(1 / 8760)
    wick = np.abs(gen.standard_normal((2, n))) * 0.5 * hourly_sigma
    highs = np.maximum(opens, closes) * (1 + wick[0])
    lows = np.minimum(opens, closes) * (1 - wick[1])
    returns = np.log(closes / opens)
    volume = np.exp(gen.normal(11.0, 0.3, n)) * (1 + 20 * np.abs(returns))
    premium = mean_reverting_rate_path(n_intervals=n, mean_rate=premium_mean_per_hour,
                                       volatility=premium_volatility_per_hour,
                                       reversion=premium_reversion, rng=gen)
    log_close = np.log(path)
    trailing = log_close[1:] - log_close[np.maximum(np.arange(1, n + 1) - 24, 0)]
    with np.errstate(over="ignore", invalid="ignore"):
        raw = baseline_rate_per_hour + premium + momentum_beta * trailing
    if not np.all(np.isfinite(raw)):
        raise ValueError("momentum_beta, premium_mean_per_hour or baseline_rate_per_hour is too "
                         "large: the funding rate overflows")
    rates = cap_funding_rate(raw, cap=cap_per_hour)
    candle_ts = t0 + _HOUR_MS * np.arange(n, dtype=np.int64)
    funding_ts = candle_ts + _HOUR_MS  # paid at the end of each hour, on that hour's close
    meta = {"synthetic": "true", "description": _SYNTHETIC_BANNER,
            "generator": "marginlib.data.synthetic.synthetic_defai_sample",
            "seed": str(seed) if isinstance(seed, (int, np.integer)) else "generator",
            "days": str(days), "start": start, "symbol": symbol,
            "start_price": repr(start_price), "end_price": repr(end_price),
            "volatility": repr(volatility),
            "baseline_rate_per_hour": repr(baseline_rate_per_hour),
            "premium_mean_per_hour": repr(premium_mean_per_hour),
            "premium_volatility_per_hour": repr(premium_volatility_per_hour),
            "premium_reversion": repr(premium_reversion),
            "momentum_beta": repr(momentum_beta), "cap_per_hour": repr(cap_per_hour),
            "source": "synthetic (marginlib generator)"}
    src = "synthetic (marginlib.data.synthetic.synthetic_defai_sample)"
    funding = FundingRateHistory(_frozen(funding_ts), _frozen(np.asarray(rates, float)), symbol,
                                 1.0, True, src)
    prices = PriceHistory(_frozen(candle_ts), _frozen(opens), _frozen(highs), _frozen(lows),
                          _frozen(closes), _frozen(volume), symbol, 1.0, True, src)
    return MarketSample(funding, prices, prices.close_at(funding_ts), meta)


def _iso(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z")


def write_sample_csv(sample, directory, *, names=None, rate_digits=10, price_digits=6):
    """Write a :class:`MarketSample` as two ccxt-format CSV files with a ``#`` header.

    Parameters
    ----------
    sample : MarketSample
    directory : str or Path
        Existing folder.
    names : dict, optional
        ``{"funding": file name, "ohlcv": file name}``; defaults to
        :data:`DEFAI_SAMPLE_FILES`.
    rate_digits, price_digits : int
        Decimals written (kept small so the shipped files stay small).

    Returns
    -------
    dict
        ``{"funding": Path, "ohlcv": Path}``.

    Notes
    -----
    The columns are those of ccxt's unified ``fetch_funding_rate_history`` and
    ``fetch_ohlcv``, so :func:`load_funding_history` / :func:`load_price_history` read the
    files back (the ``#`` lines carry the metadata, including the synthetic label).

    References
    ----------
    .. [1] ccxt Manual, "Funding Rate History Structure" and "OHLCV Structure",
       https://docs.ccxt.com/#/README

    Examples
    --------
    >>> import tempfile
    >>> from marginlib.data.loaders import load_defai_sample
    >>> sample = load_defai_sample()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_sample_csv(sample, tmp)
    ...     again = load_defai_sample(tmp)
    >>> sorted(paths), len(again.funding.rates) == len(sample.funding.rates)
    (['funding', 'ohlcv'], True)
    """
    if not isinstance(sample, MarketSample):
        raise ValueError(f"sample must be a MarketSample, got {type(sample).__name__}")
    if not isinstance(directory, (str, Path)):
        raise ValueError(f"directory must be a folder path, got {directory!r}")
    names = dict(DEFAI_SAMPLE_FILES) if names is None else names
    if (not isinstance(names, dict) or set(names) != {"funding", "ohlcv"}
            or not all(isinstance(x, str) and x for x in names.values())):
        raise ValueError(f"names must be a dict {{'funding': file name, 'ohlcv': file name}}, "
                         f"got {names!r}")
    rate_digits = v.count("rate_digits", rate_digits, 0)
    price_digits = v.count("price_digits", price_digits, 0)
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"directory does not exist: {directory}")
    header = []
    if sample.synthetic:
        header.append(f"# {_SYNTHETIC_BANNER}")
    header += [f"# {k}: {val}" for k, val in sample.metadata.items()]
    f, p = sample.funding, sample.prices
    lines = header + ["timestamp,datetime,symbol,fundingRate"]
    lines += [f"{t},{_iso(t)},{f.symbol},{r:.{rate_digits}f}"
              for t, r in zip(f.timestamps.tolist(), f.rates.tolist())]
    out = {"funding": directory / names["funding"], "ohlcv": directory / names["ohlcv"]}
    _write(out["funding"], lines)
    lines = header + ["timestamp,open,high,low,close,volume"]
    lines += [f"{t},{o:.{price_digits}f},{h:.{price_digits}f},{lo:.{price_digits}f},"
              f"{c:.{price_digits}f},{vol:.0f}"
              for t, o, h, lo, c, vol in zip(p.timestamps.tolist(), p.open.tolist(),
                                             p.high.tolist(), p.low.tolist(), p.close.tolist(),
                                             p.volume.tolist())]
    _write(out["ohlcv"], lines)
    return out
