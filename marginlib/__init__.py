"""marginlib: the maths of perpetual-futures margin risk, for the course notebooks.

Pure, vectorised numpy: scalars in give a float out, arrays broadcast, bad input raises
``ValueError`` naming the argument. After ``side``, every quantity is a keyword argument::

    >>> import marginlib as ml
    >>> size = ml.position_size(margin=100, leverage=10, entry_price=2.50)
    >>> ml.liquidation_price("long", entry_price=2.50, size=size, margin=100,
    ...                      maintenance_margin_rate=0.05)
    2.368421052631579

The names a learner types are here, at ``ml.``; the rest sits one level down:

* ``ml.venues`` — one module per venue (``ml.venues.dydx``, ``ml.venues.hyperliquid``, ...)
  with its rules, funding formula, caps and presets;
* ``ml.sim`` — price paths, funding-rate paths, the isolated-vs-cross Monte Carlo, risk
  summaries, first-passage probabilities;
* ``ml.data`` — funding and price histories, loaders, the shipped synthetic sample;
* ``ml.liquidity`` — order books, depth curves and AMMs: fill prices, slippage, liquidation
  into a thin book, maintenance derived from depth;
* ``ml.settlement`` — the one liquidation test and fee/refund/bad-debt split that the account
  engine, the Monte Carlo and :func:`liquidation_outcome` share;
* ``ml.course`` — the course's scenarios, defaults and exercise checkers (no plotting);
* ``ml.action_costs`` — gas / execution fee per action by network, isolated vs cross for N
  positions, switching isolated → cross (close + reopen);
* ``ml.parameter_risk`` — the venue changes the rules under an open position (leverage cut,
  tier table, maintenance, collateral haircut) and dated events with sources.

Each concept has one module (``marginlib.position``, ``.liquidation``, ``.tiers``,
``.funding``, ``.funding_drift``, ``.costs``, ``.account``, ``.region``, ``.units``); plots and
widgets live in ``marginlib.plots`` and ``marginlib.widgets`` and are never imported here.
The account engine, simulation, data and course modules load on first use, which keeps
``import marginlib`` within 1.3× of ``import numpy`` (``benchmarks/import_time.py``).
"""
import importlib

from .costs import break_even_move, carry_return, fee_to_close
from .funding import (annualize_funding_rate, cap_funding_rate, convert_funding_rate,
                      cumulative_funding, funding_payment, funding_rate_from_premium)
from .funding_drift import intervals_to_funding_liquidation, isolated_funding_drift
from .liquidation import (adjust_margin, bankruptcy_price, leverage_limit, liquidation_outcome,
                          liquidation_price, maintenance_margin)
from .position import (effective_leverage, initial_margin, notional, position_size,
                       realized_pnl, return_on_margin, unrealized_pnl)
from .tiers import MarginTiers, margin_tiers, tiered_liquidation_price
from .venues import compare_venues, get_venue

__version__ = "0.1.0"

#: Top-level names loaded on first use: name -> the module that defines it.
_LAZY_NAMES = {
    "Account": "account",
    "cross_liquidation_boundary": "region",
    "price_model": "sim.paths",
    "price_paths": "sim.paths",
    "simulate_margin_modes": "sim.montecarlo",
    "first_passage_probability": "sim.probability",
    "liquidation_probability": "sim.probability",
    "estimate_volatility": "sim.volatility",
    "max_leverage_for_probability": "choosing",
    "margin_to_add": "choosing",
    "size_to_cut": "choosing",
    "load_defai_sample": "data.loaders",
}
#: Sub-namespaces (packages and modules) reachable as ``ml.<name>``.
SUBPACKAGES = ("venues", "sim", "data", "settlement", "liquidity", "course", "units",
               "action_costs", "parameter_risk")

__all__ = [
    # position and PnL
    "notional", "position_size", "initial_margin", "unrealized_pnl", "realized_pnl",
    "return_on_margin", "effective_leverage",
    # liquidation
    "bankruptcy_price", "maintenance_margin", "liquidation_price", "leverage_limit",
    "liquidation_outcome", "adjust_margin",
    # tiered maintenance
    "MarginTiers", "margin_tiers", "tiered_liquidation_price",
    # funding
    "funding_payment", "funding_rate_from_premium", "cap_funding_rate", "convert_funding_rate",
    "annualize_funding_rate", "cumulative_funding", "isolated_funding_drift",
    "intervals_to_funding_liquidation",
    # costs
    "fee_to_close", "break_even_move", "carry_return",
    # venues
    "get_venue", "compare_venues",
    # accounts, cross margin, simulation, data (loaded on first use)
    *_LAZY_NAMES,
]


def __getattr__(name):
    """Load a sub-namespace, or the module holding a lazily loaded name, on first use."""
    if name in SUBPACKAGES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'marginlib' has no attribute {name!r}")


def __dir__():
    """What a learner sees after ``ml.``: the public names and the sub-namespaces."""
    return sorted(set(__all__) | set(SUBPACKAGES))
