#!/usr/bin/env python
"""Download funding-rate history and candles with ccxt into ccxt-format CSV files.

Needs ``pip install ccxt`` and internet. Not part of the ``marginlib`` package: the package
and its tests never touch the network (``tests/test_fetch_ccxt_offline.py`` runs this script
against a fake ccxt module). Read the files back with
``marginlib.data.loaders.load_funding_history`` / ``load_price_history``.

Usage::

    python scripts/fetch_history.py binanceusdm BTC/USDT:USDT --since 2025-01-01 --out data/

References
----------
.. [1] ccxt Manual, ``fetch_funding_rate_history`` and ``fetch_ohlcv``,
   https://docs.ccxt.com/#/README
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from marginlib.data.loaders import _parse_time, load_funding_history, load_price_history
from marginlib.data.records import _HOUR_MS, FundingRateHistory, MarketSample, PriceHistory
from marginlib.data.synthetic import _iso, write_sample_csv


def _time_of_record(record):
    if not isinstance(record, dict) or record.get("timestamp") is None:
        raise ValueError(f"ccxt returned a funding record without a timestamp: {record!r}")
    return _parse_time(record["timestamp"], "ccxt funding record")


def _time_of_candle(row):
    if not isinstance(row, (list, tuple)) or not row:
        raise ValueError(f"ccxt returned a malformed candle: {row!r}")
    return _parse_time(row[0], "ccxt candle")


def fetch_history_ccxt(exchange_id, symbol, *, since=None, until=None, timeframe="1h",
                       page_limit=500, directory=None, max_pages=200):
    """Download funding-rate history and candles with ccxt (needs ``pip install ccxt`` and
    internet). **Not called anywhere in marginlib; its test uses a fake ccxt module.**

    Parameters
    ----------
    exchange_id : str
        A ccxt exchange id: ``"binanceusdm"``, ``"bybit"``, ``"okx"``, ``"hyperliquid"``,
        ``"dydx"``...
    symbol : str
        ccxt unified perpetual symbol, e.g. ``"BTC/USDT:USDT"`` (Binance/Bybit/OKX) or
        ``"BTC/USDC:USDC"`` (Hyperliquid).
    since, until : str or int, optional
        ISO 8601 time or ms since epoch; default the last 30 days up to now.
    timeframe : str, optional
        Candle timeframe for ``fetch_ohlcv`` (``"1h"``).
    page_limit : int, optional
        Rows requested per call; ccxt returns at most the venue's page size.
    directory : str or Path, optional
        If given, also write the two CSV files there
        (:func:`marginlib.data.synthetic.write_sample_csv` format) so you can reload them
        offline with :func:`marginlib.data.loaders.load_funding_history` /
        :func:`marginlib.data.loaders.load_price_history`.
    max_pages : int, optional
        Safety stop for pagination.

    Returns
    -------
    MarketSample
        ``synthetic=False``, ``source`` = the exchange id.

    Notes
    -----
    Uses only ccxt's unified methods ``fetch_funding_rate_history`` and ``fetch_ohlcv``,
    paging forward from ``since``; rate limits are respected (``enableRateLimit``). Venues
    cap how far back they serve history, and funding intervals differ per venue and symbol
    (``interval_hours`` is inferred from the timestamps).

    Examples
    --------
    >>> sample = fetch_history_ccxt("binanceusdm", "BTC/USDT:USDT",
    ...                             since="2025-01-01")  # doctest: +SKIP
    """
    try:
        import ccxt  # noqa: PLC0415 - optional dependency, imported only here
    except ImportError:
        raise ValueError("fetch_history_ccxt needs ccxt: pip install ccxt (and internet); "
                         "or load a file you exported with load_funding_history") from None
    if not isinstance(exchange_id, str) or not hasattr(ccxt, exchange_id):
        raise ValueError(f"unknown ccxt exchange id {exchange_id!r}")
    exchange = getattr(ccxt, exchange_id)({"enableRateLimit": True})
    now = exchange.milliseconds()
    end = now if until is None else _parse_time(until, "until")
    start = end - 30 * 24 * _HOUR_MS if since is None else _parse_time(since, "since")

    def pages(fetch, time_of):
        rows, cursor = [], start
        for _ in range(max_pages):
            batch = fetch(cursor)
            batch = [r for r in batch if time_of(r) < end]
            if not batch:
                break
            rows.extend(batch)
            last = max(time_of(r) for r in batch)
            if last < cursor:
                break
            cursor = last + 1
        return rows

    funding_rows = pages(
        lambda c: exchange.fetch_funding_rate_history(symbol, since=c, limit=page_limit),
        lambda r: _time_of_record(r))
    candle_rows = pages(
        lambda c: exchange.fetch_ohlcv(symbol, timeframe=timeframe, since=c, limit=page_limit),
        lambda r: _time_of_candle(r))
    funding = load_funding_history(
        [{"timestamp": r.get("timestamp"), "symbol": symbol, "fundingRate": r.get("fundingRate")}
         for r in funding_rows], symbol=symbol)
    prices = load_price_history(candle_rows, symbol=symbol)
    funding = FundingRateHistory(funding.timestamps, funding.rates, symbol,
                                 funding.interval_hours, False, exchange_id)
    prices = PriceHistory(prices.timestamps, prices.open, prices.high, prices.low, prices.close,
                          prices.volume, symbol, prices.timeframe_hours, False, exchange_id)
    first_close = prices.timestamps[0] + int(round(prices.timeframe_hours * _HOUR_MS))
    keep = funding.timestamps >= first_close
    if not np.any(keep):
        raise ValueError("no funding time falls inside the candles fetched")
    funding = FundingRateHistory(funding.timestamps[keep], funding.rates[keep],
                                 symbol, funding.interval_hours, False, exchange_id)
    meta = {"synthetic": "false", "source": exchange_id, "symbol": symbol,
            "timeframe": timeframe, "fetched_at": _iso(now)}
    sample = MarketSample(funding, prices, prices.close_at(funding.timestamps), meta)
    if directory is not None:
        write_sample_csv(sample, directory, names={
            "funding": f"{exchange_id}_{symbol.replace('/', '-').replace(':', '_')}_funding.csv",
            "ohlcv": f"{exchange_id}_{symbol.replace('/', '-').replace(':', '_')}_ohlcv.csv"})
    return sample


def main(argv=None):
    """Command line: ``fetch_history.py EXCHANGE SYMBOL [--since T] [--until T] [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exchange_id", help="ccxt exchange id, e.g. binanceusdm, hyperliquid")
    parser.add_argument("symbol", help="ccxt unified symbol, e.g. BTC/USDT:USDT")
    parser.add_argument("--since", help="ISO 8601 time or ms (default: 30 days ago)")
    parser.add_argument("--until", help="ISO 8601 time or ms (default: now)")
    parser.add_argument("--timeframe", default="1h")
    parser.add_argument("--out", default=".", help="folder for the two CSV files")
    args = parser.parse_args(argv)
    sample = fetch_history_ccxt(args.exchange_id, args.symbol, since=args.since,
                                until=args.until, timeframe=args.timeframe, directory=args.out)
    print(f"{len(sample.funding)} funding rates, {len(sample.prices)} candles -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
