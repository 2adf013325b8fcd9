"""Exercise checkers of notebook 04d (deep dive: Monte Carlo and the liquidation region).

Every expected value and every misconception value is computed here with marginlib; none is
typed in.

* :data:`exercise_1` -- the common fall, as a fraction, at which the two-longs cross account
  of :data:`marginlib.course.contagion.PAIRS` (AGENT and NEURAL, wallet 200 USDC) reaches its
  maintenance margin (the learner moves ``mark_prices`` of
  :func:`marginlib.region.cross_liquidation_boundary` down the diagonal).
"""
from __future__ import annotations

from marginlib.course.checks import (Misconception, Question, bankruptcy_instead_of_liquidation,
                                     entry_convention)
from marginlib.course.contagion import MAINTENANCE_MARGIN_RATE, PAIRS
from marginlib.liquidation import liquidation_price
from marginlib.region import cross_liquidation_boundary

__all__ = ["exercise_1"]

_M = MAINTENANCE_MARGIN_RATE


# ----------------------------------------------------------------------------- exercise 1 ---
def _common_fall(rate=_M):
    """Fall shared by A and B at which the two-longs account reaches the boundary.

    The boundary is a straight line through A's intercept (``liquidation_price_a`` at
    ``P_B = E_B``) with slope ``dP_B/dP_A``; a common fall moves along ``P_B/E_B = P_A/E_A``.
    """
    pair = PAIRS["two longs"]
    ea, eb = pair["entry_prices"]
    line = cross_liquidation_boundary(pair["side"], sizes=pair["sizes"],
                                      entry_prices=pair["entry_prices"], wallet=pair["wallet"],
                                      maintenance_margin_rate=rate)
    pa = (eb - line.slope * line.liquidation_price_a) / (eb / ea - line.slope)
    return 1.0 - pa / ea, line


_PAIR = PAIRS["two longs"]
_EA, _EB = _PAIR["entry_prices"]
_COMMON, _LINE = _common_fall()
_NOTIONAL = sum(q * e for q, e in zip(_PAIR["sizes"], _PAIR["entry_prices"]))
# Maintenance fixed at the entry notionals: W − N·x = m·N  ⇒  x = (W − m·N)/N.
_ENTRY_CONVENTION = 1.0 - liquidation_price("long", entry_price=1.0, size=_NOTIONAL,
                                            margin=_PAIR["wallet"], maintenance_margin_rate=_M,
                                            convention="entry")
_ISOLATED_A = 1.0 - liquidation_price("long", entry_price=_EA, size=_PAIR["sizes"][0],
                                      margin=_PAIR["margins"][0],
                                      maintenance_margin_rate=_M) / _EA

exercise_1 = Question(
    "Exercise 1: common fall that liquidates the two-longs cross account",
    expected=_COMMON, units="fraction", decimals=4,
    misconceptions=[
        Misconception(
            1.0 - _LINE.liquidation_price_a / _EA,
            "That is AGENT falling alone, NEURAL held at its entry (the cross liquidation price "
            "a venue quotes). Here both prices fall by the same fraction: NEURAL's loss adds "
            "to AGENT's.", "one token alone"),
        Misconception(
            1.0 - _LINE.liquidation_price_b / _EB,
            "That is NEURAL falling alone, AGENT held at its entry. Here both fall together.",
            "one token alone (B)"),
        bankruptcy_instead_of_liquidation(
            _common_fall(rate=0.0)[0],
            "That is where the equity reaches zero. The account is liquidated earlier, when "
            "equity falls below 5 % of the two notionals at their new prices."),
        entry_convention(
            _ENTRY_CONVENTION,
            "That counts the maintenance at the entry notionals. It is 5 % of the notionals "
            "at the current prices, which fall with x: 0.05 × 1,500 × (1 − x)."),
        Misconception(
            _ISOLATED_A,
            "That is AGENT's isolated liquidation (its own 100 USDC). The question is about "
            "the cross account, wallet 200 USDC.", "isolated instead of cross"),
    ],
    hint="Along a common fall x both PnLs are −notional·x: solve "
         "200 − 1,500·x = 0.05 × 1,500 × (1 − x) for x.")
