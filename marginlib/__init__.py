"""marginlib: the maths of perpetual-futures margin risk, for the course notebooks.

Pure, vectorised numpy: scalars in give a float out, arrays broadcast. Plotting lives in
``marginlib.plots`` and widgets in ``marginlib.widgets``; neither is imported here, so
``import marginlib`` stays as light as numpy.

The single-position maths (position, liquidation, tiers, funding, venues) is imported at once;
the account engine, price paths, Monte Carlo, probabilities, the liquidation region and the
data loaders are imported on first use (``ml.Account`` imports ``marginlib.account``), which
keeps ``import marginlib`` within 1.3× of ``import numpy`` (``benchmarks/import_time.py``).

>>> import marginlib as ml
>>> ml.liquidation_price("long", entry_price=50_000, size=1, margin=5_000)
45000.0
"""
import importlib

from .costs import *  # noqa: F401,F403
from .funding import *  # noqa: F401,F403
from .funding_drift import *  # noqa: F401,F403
from .liquidation import *  # noqa: F401,F403
from .position import *  # noqa: F401,F403
from .tiers import *  # noqa: F401,F403
from .venues import Venue, VENUES, get_venue, venue_liquidation_price, VenueQuote, compare_venues  # noqa: F401,E501
from . import costs, funding, funding_drift, liquidation, position, tiers, units, venues

__version__ = "0.1.0"

#: Public names of the modules imported on first use (``tests/test_import_light.py`` checks
#: that each list equals the module's ``__all__``).
_LAZY = {
    "account": ["Account", "PositionSnapshot", "Event", "AccountTotals", "MARGIN_MODES",
                "EVENT_KINDS"],
    "settlement": ["is_liquidated", "isolated_liquidated", "cross_liquidated",
                   "LiquidationSettlement", "settle"],
    "data": ["FundingRateHistory", "PriceHistory", "MarketSample",
             "load_funding_history", "load_price_history", "load_defai_sample",
             "synthetic_defai_sample", "bridge_price_path", "write_sample_csv",
             "DEFAI_SAMPLE_FILES"],
    "sim.rates": ["constant_rate_path", "step_rate_path", "spike_rate_path",
                  "mean_reverting_rate_path", "funding_rate_path", "RATE_PATH_KINDS"],
    "sim.montecarlo": ["Portfolio", "portfolio", "MarginModeSimulation",
                       "simulate_margin_modes", "MarginModeSweep", "sweep_correlation",
                       "sweep_leverage"],
    "sim.risk": ["LOSE_EVERYTHING_FRACTION", "LossSummary", "loss_summary", "value_at_risk",
                 "expected_shortfall"],
    "sim.paths": ["Shock", "PriceModel", "price_model", "price_paths", "iter_price_paths"],
    "sim.probability": ["BGK_BETA", "first_passage_probability"],
    "region": ["CrossLiquidationBoundary", "cross_liquidation_boundary",
               "equity_minus_maintenance"],
}
_LAZY_NAMES = {name: module for module, names in _LAZY.items() for name in names}

__all__ = (position.__all__ + liquidation.__all__ + tiers.__all__ + funding.__all__
           + funding_drift.__all__ + costs.__all__
           + ["Venue", "VENUES", "get_venue", "venue_liquidation_price", "VenueQuote",
              "compare_venues"] + list(_LAZY_NAMES))


def __getattr__(name):
    """Import a lazily loaded module (or the module holding a lazily loaded name) on first use."""
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'marginlib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | set(_LAZY_NAMES))
