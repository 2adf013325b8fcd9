"""marginlib.data: the shipped synthetic sample, the ccxt-format loaders, the generator."""
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import marginlib as ml
from marginlib import costs, funding, funding_drift, venues
from marginlib.data import loaders, synthetic
from marginlib.sim import rates as sim_rates
from marginlib.venues import binance, drift, dydx, gmx, hyperliquid

def test_shipped_sample_is_labelled_synthetic_and_small():
    folder = Path(loaders.__file__).resolve().parent
    total = 0
    for name in loaders.DEFAI_SAMPLE_FILES.values():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# SYNTHETIC DATA"), name
        assert "# synthetic: true" in text and "NOT market data" in text
        total += path.stat().st_size
    assert total < 200_000
    s = loaders.load_defai_sample()
    assert s.synthetic and s.funding.synthetic and s.prices.synthetic
    assert s.metadata["synthetic"] == "true"
    assert "SYNTH" in s.funding.symbol and s.prices.symbol == s.funding.symbol
    assert len(s.funding) == len(s.prices) == 720
    assert s.funding.interval_hours == 1.0 and s.prices.timeframe_hours == 1.0
    np.testing.assert_array_equal(s.reference_prices, s.prices.close)


def test_shipped_sample_is_what_the_generator_makes():
    shipped = loaders.load_defai_sample()
    meta = shipped.metadata
    fresh = synthetic.synthetic_defai_sample(rng=int(meta["seed"]), days=int(meta["days"]),
                                             start=meta["start"], symbol=meta["symbol"],
                                             start_price=float(meta["start_price"]),
                                             end_price=float(meta["end_price"]),
                                             volatility=float(meta["volatility"]),
                                             baseline_rate_per_hour=float(meta["baseline_rate_per_hour"]),
                                             premium_mean_per_hour=float(meta["premium_mean_per_hour"]),
                                             premium_volatility_per_hour=float(meta["premium_volatility_per_hour"]),
                                             premium_reversion=float(meta["premium_reversion"]),
                                             momentum_beta=float(meta["momentum_beta"]),
                                             cap_per_hour=float(meta["cap_per_hour"]))
    np.testing.assert_array_equal(fresh.funding.timestamps, shipped.funding.timestamps)
    np.testing.assert_allclose(fresh.funding.rates, shipped.funding.rates, rtol=0, atol=1e-10)
    for col in ("open", "high", "low", "close"):
        np.testing.assert_allclose(getattr(fresh.prices, col), getattr(shipped.prices, col),
                                   rtol=0, atol=1e-6)
    # the story the notebook tells: the price ends above its start, and funding ran hot
    assert shipped.prices.close[-1] > shipped.prices.open[0]
    assert shipped.funding.rates.mean() > hyperliquid.funding_rate(0.0)
    assert np.all(shipped.prices.high >= np.maximum(shipped.prices.open, shipped.prices.close))


def test_loaders_read_ccxt_json_and_csv(tmp_path):
    import json
    rows = [  # ccxt fetch_funding_rate_history output, unsorted and with a page overlap
        {"info": {}, "symbol": "AI/USDT:USDT", "fundingRate": 0.0003,
         "timestamp": 1735718400000, "datetime": "2025-01-01T08:00:00.000Z"},
        {"info": {}, "symbol": "AI/USDT:USDT", "fundingRate": 0.0001,
         "timestamp": 1735689600000, "datetime": "2025-01-01T00:00:00.000Z"},
        {"info": {}, "symbol": "AI/USDT:USDT", "fundingRate": 0.0003,
         "timestamp": 1735718400000, "datetime": "2025-01-01T08:00:00.000Z"},
    ]
    (tmp_path / "f.json").write_text(json.dumps(rows))
    h = loaders.load_funding_history(tmp_path / "f.json")
    np.testing.assert_array_equal(h.timestamps, [1735689600000, 1735718400000])
    np.testing.assert_allclose(h.rates, [0.0001, 0.0003])
    assert h.interval_hours == 8.0 and not h.synthetic
    np.testing.assert_allclose(h.hours, [0, 8])
    (tmp_path / "f.csv").write_text(
        "# exported by me\ndatetime,symbol,fundingRate\n"
        "2025-01-01T00:00:00Z,AI/USDT:USDT,0.0001\n2025-01-01T08:00:00Z,AI/USDT:USDT,0.0003\n"
        "2025-01-01T00:00:00Z,XY/USDT:USDT,0.0009\n")
    c = loaders.load_funding_history(tmp_path / "f.csv", symbol="AI/USDT:USDT")
    np.testing.assert_array_equal(c.timestamps, h.timestamps)
    with pytest.raises(ValueError, match="several symbols"):
        loaders.load_funding_history(tmp_path / "f.csv")
    candles = [[1735689600000 - 3600000 * k, 2.5, 2.6, 2.4, 2.5 + 0.01 * k, 100.0]
               for k in range(9)]
    (tmp_path / "p.json").write_text(json.dumps(candles))
    p = loaders.load_price_history(tmp_path / "p.json", symbol="AI/USDT:USDT")
    assert p.timeframe_hours == 1.0 and len(p) == 9
    # the candle that ended at the funding time (opened one hour before) gives the price
    np.testing.assert_allclose(p.close_at(h.timestamps[:1]), [2.51])
    (tmp_path / "p.csv").write_text("timestamp,open,high,low,close,volume\n"
                                    "1735689600000,2.5,2.6,2.4,2.55,10\n")
    assert loaders.load_price_history(tmp_path / "p.csv").close[0] == 2.55
    cf = funding.cumulative_funding("long", size=100, price_path=p.close_at(h.timestamps[:1]),
                                    rate_path=h.rates[:1])
    assert cf.total == pytest.approx(-100 * 2.51 * 0.0001)


def test_loader_errors(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        loaders.load_funding_history(tmp_path / "missing.csv")
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(ValueError, match="expected a .csv or .json"):
        loaders.load_funding_history(tmp_path / "x.txt")
    with pytest.raises(ValueError, match="fundingRate"):
        loaders.load_funding_history([{"timestamp": 1}])
    with pytest.raises(ValueError, match="fundingRate must be finite"):
        loaders.load_funding_history([{"timestamp": 1, "fundingRate": "nan"}])
    with pytest.raises(ValueError, match="cannot read the time"):
        loaders.load_funding_history([{"datetime": "yesterday", "fundingRate": 0.1}])
    with pytest.raises(ValueError, match="no funding rows"):
        loaders.load_funding_history([])
    with pytest.raises(ValueError, match="low <= open, close <= high"):
        loaders.load_price_history([[0, 2.5, 2.4, 2.3, 2.45, 1.0]])
    with pytest.raises(ValueError, match="open must be > 0"):
        loaders.load_price_history([[0, 0.0, 2.4, 0.0, 2.0, 1.0]])
    p = loaders.load_price_history([[3600000, 1, 1, 1, 1, 1], [7200000, 1, 1, 1, 1, 1]])
    with pytest.raises(ValueError, match="before the first candle"):
        p.close_at([3600000])


def test_bridge_path_is_pinned_and_seeded():
    a = synthetic.bridge_price_path(start_price=2.5, end_price=2.6, n_steps=100, volatility=0.8,
                                    n_paths=4, rng=5)
    assert a.shape == (101, 4)
    np.testing.assert_array_equal(a[0], 2.5)
    np.testing.assert_allclose(a[-1], 2.6, rtol=1e-15)
    np.testing.assert_array_equal(a, synthetic.bridge_price_path(start_price=2.5, end_price=2.6,
                                                                 n_steps=100, volatility=0.8,
                                                                 n_paths=4, rng=5))
    flat = synthetic.bridge_price_path(start_price=1.0, end_price=2.0, n_steps=4, volatility=0.0)
    np.testing.assert_allclose(flat, 2.0 ** (np.arange(5) / 4))
    with pytest.raises(ValueError, match="n_steps must be a whole number"):
        synthetic.bridge_price_path(start_price=1, end_price=2, n_steps=0, volatility=0.5)


def test_import_marginlib_never_imports_ccxt():
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", "import sys, marginlib; print('ccxt' in "
                          "sys.modules)"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


