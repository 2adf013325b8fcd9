"""Market data: records, ccxt-format loaders, and the shipped **synthetic** sample.

* :mod:`marginlib.data.records` — :class:`FundingRateHistory`, :class:`PriceHistory`,
  :class:`MarketSample` (validated when built).
* :mod:`marginlib.data.loaders` — :func:`load_funding_history`, :func:`load_price_history`
  (ccxt's unified format, CSV or JSON) and :func:`load_defai_sample` (the shipped sample).
* :mod:`marginlib.data.synthetic` — :func:`synthetic_defai_sample`,
  :func:`bridge_price_path`, :func:`write_sample_csv`.

The CSV files of the sample live next to these modules. Downloading with ccxt is a script,
``scripts/fetch_history.py``, never called by the package or its tests.

Then :meth:`PriceHistory.close_at` gives the reference price at each funding time, which is
what :func:`marginlib.funding.cumulative_funding` and
:func:`marginlib.funding_drift.isolated_funding_drift` need.
"""
from .loaders import (DEFAI_SAMPLE_FILES, load_defai_sample, load_funding_history,
                      load_price_history)
from .records import FundingRateHistory, MarketSample, PriceHistory
from .synthetic import bridge_price_path, synthetic_defai_sample, write_sample_csv

__all__ = ["FundingRateHistory", "PriceHistory", "MarketSample", "load_funding_history",
           "load_price_history", "load_defai_sample", "synthetic_defai_sample",
           "bridge_price_path", "write_sample_csv", "DEFAI_SAMPLE_FILES"]
