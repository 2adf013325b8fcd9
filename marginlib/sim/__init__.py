"""Simulation: price paths, the isolated-versus-cross Monte Carlo, risk summaries, first passage.

Modules (each imported on first use, so ``import marginlib.sim`` stays light):

* :mod:`marginlib.sim.paths`: correlated log-normal price paths with fat tails, jumps and
  scripted shocks (:func:`price_model`, :func:`price_paths`, :func:`iter_price_paths`);
* :mod:`marginlib.sim.montecarlo`: :func:`portfolio`, :func:`simulate_margin_modes` and the
  sweeps, on the settlement kernel of :mod:`marginlib.settlement`;
* :mod:`marginlib.sim.risk`: :func:`loss_summary`, :func:`value_at_risk`,
  :func:`expected_shortfall`;
* :mod:`marginlib.sim.probability`: closed-form :func:`first_passage_probability` and
  :func:`liquidation_probability`, and its Monte Carlo check
  :func:`simulated_liquidation_probability`;
* :mod:`marginlib.sim.volatility`: :func:`estimate_volatility` from a price series;
* :mod:`marginlib.sim.cascade`: liquidation cascades of a population of positions selling
  into a depth curve (:func:`cascade`, :func:`compare_margin_modes`).

>>> from marginlib import sim
>>> sim.price_model(100.0, volatility=0.8).n_tokens
1
"""
import importlib

_MODULES = {
    "paths": ["Shock", "PriceModel", "price_model", "price_paths", "iter_price_paths"],
    "montecarlo": ["Portfolio", "portfolio", "MarginModeSimulation", "simulate_margin_modes",
                   "MarginModeSweep", "sweep_correlation", "sweep_leverage"],
    "risk": ["LOSE_EVERYTHING_FRACTION", "LossSummary", "loss_summary", "value_at_risk",
             "expected_shortfall"],
    "probability": ["BGK_BETA", "first_passage_probability", "liquidation_probability",
                    "SimulatedProbability", "simulated_liquidation_probability"],
    "volatility": ["estimate_volatility", "volatility_by_interval"],
    "cascade": ["Population", "cascade_population", "CascadeResult", "cascade",
                "compare_margin_modes"],
}
_NAMES = {name: module for module, names in _MODULES.items() for name in names}

__all__ = list(_NAMES)


def __getattr__(name):
    """Import the module holding ``name`` (or the module ``name``) on first use."""
    if name in _MODULES or name == "rates":
        return importlib.import_module(f".{name}", __name__)
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'marginlib.sim' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_MODULES) | set(_NAMES))
