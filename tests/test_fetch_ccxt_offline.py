"""``scripts/fetch_history.py`` against a fake ccxt module: pagination, trimming, files; no network.

The real script needs ccxt and internet and is never called by the course; these tests load it
by path and replace ``ccxt`` in ``sys.modules`` by a stand-in exchange that serves
deterministic pages, so the paging and merging logic is checked offline.
"""
import importlib.util
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from marginlib.data import loaders

_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "fetch_history.py"
_spec = importlib.util.spec_from_file_location("fetch_history", _SCRIPT)
fetch_history = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fetch_history)

HOUR = 3_600_000
T0 = 1_735_689_600_000          # 2025-01-01T00:00:00Z in ms
N_HOURS = 30                    # candles served: T0 .. T0 + 29 h
SYMBOL = "TEST/USDT:USDT"


class FakeExchange:
    """Serves hourly candles and 8-hourly funding rows from T0, ``limit`` per call."""

    def __init__(self, config):
        assert config.get("enableRateLimit") is True
        self.calls = []

    def milliseconds(self):
        return T0 + N_HOURS * HOUR

    def fetch_funding_rate_history(self, symbol, since=None, limit=None):
        self.calls.append(("funding", since, limit))
        rows = [{"timestamp": T0 + k * 8 * HOUR, "symbol": symbol, "fundingRate": 1e-4 * (k + 1)}
                for k in range(N_HOURS // 8 + 1)]
        rows = [r for r in rows if r["timestamp"] >= since]
        return rows[:limit]

    def fetch_ohlcv(self, symbol, timeframe="1h", since=None, limit=None):
        self.calls.append(("ohlcv", since, limit))
        assert timeframe == "1h"
        rows = [[T0 + k * HOUR, 10.0 + k, 10.5 + k, 9.5 + k, 10.25 + k, 100.0]
                for k in range(N_HOURS)]
        rows = [r for r in rows if r[0] >= since]
        return rows[:limit]


@pytest.fixture
def fake_ccxt(monkeypatch):
    module = types.ModuleType("ccxt")
    made = []

    def binanceusdm(config):
        made.append(FakeExchange(config))
        return made[-1]

    module.binanceusdm = binanceusdm
    module.made = made
    monkeypatch.setitem(sys.modules, "ccxt", module)
    return module


def test_pages_merge_and_funding_is_trimmed_to_the_candles(fake_ccxt, tmp_path):
    sample = fetch_history.fetch_history_ccxt("binanceusdm", SYMBOL, since=T0, page_limit=7,
                                   directory=tmp_path)
    exchange = fake_ccxt.made[0]
    # several pages of 7 candles, each starting after the last row seen
    ohlcv_calls = [c for c in exchange.calls if c[0] == "ohlcv"]
    assert len(ohlcv_calls) >= N_HOURS // 7 and ohlcv_calls[0][1] == T0
    assert all(b[1] > a[1] for a, b in zip(ohlcv_calls, ohlcv_calls[1:]))
    # every candle once, in order
    assert sample.prices.timestamps.tolist() == [T0 + k * HOUR for k in range(N_HOURS)]
    np.testing.assert_array_equal(sample.prices.close, 10.25 + np.arange(N_HOURS))
    assert sample.prices.timeframe_hours == 1
    # funding at 0 h is dropped (it falls before the first candle closes); 8, 16, 24 h stay
    assert sample.funding.timestamps.tolist() == [T0 + 8 * HOUR, T0 + 16 * HOUR, T0 + 24 * HOUR]
    np.testing.assert_allclose(sample.funding.rates, [2e-4, 3e-4, 4e-4])
    assert sample.funding.interval_hours == 8
    # labelled real data from that exchange, never synthetic
    assert sample.synthetic is False
    assert set(sample.reference_prices.tolist()) <= set(sample.prices.close.tolist())
    assert sample.funding.synthetic is False and sample.funding.source == "binanceusdm"
    assert sample.metadata["source"] == "binanceusdm" and sample.metadata["synthetic"] == "false"
    # the two files written reload offline to the same numbers
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and all(name.startswith("binanceusdm_TEST-USDT_USDT") for name in files)
    funding_file = next(p for p in tmp_path.iterdir() if p.name.endswith("_funding.csv"))
    again = loaders.load_funding_history(funding_file)
    np.testing.assert_allclose(again.rates, sample.funding.rates)


def test_until_stops_the_paging(fake_ccxt):
    sample = fetch_history.fetch_history_ccxt("binanceusdm", SYMBOL, since=T0, until=T0 + 12 * HOUR,
                                   page_limit=5)
    assert sample.prices.timestamps[-1] == T0 + 11 * HOUR
    assert sample.funding.timestamps.tolist() == [T0 + 8 * HOUR]


def test_errors_without_ccxt_or_with_an_unknown_exchange(monkeypatch, fake_ccxt):
    with pytest.raises(ValueError, match="unknown ccxt exchange id"):
        fetch_history.fetch_history_ccxt("nosuchexchange", SYMBOL)
    monkeypatch.setitem(sys.modules, "ccxt", None)      # "import ccxt" raises ImportError
    with pytest.raises(ValueError, match="needs ccxt"):
        fetch_history.fetch_history_ccxt("binanceusdm", SYMBOL)
