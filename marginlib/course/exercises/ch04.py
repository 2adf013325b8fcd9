"""Exercise checkers of notebook 04 (isolated vs cross margin).

The portfolio is the contagion lab's (:data:`marginlib.course.contagion.HOLDINGS`): AGENT
400 tokens long at 2.50 (10×), NEURAL and ORACLE 500 USDC of notional each (5×), maintenance
5 % on every position. Every expected value and every misconception value is computed here
with marginlib; none is typed in.

* :data:`exercise_1` -- the fall of AGENT, as a fraction, at which the all-in cross account
  (300 USDC) is liquidated, NEURAL and ORACLE held at their entry prices.
* :data:`exercise_2` -- the smallest deposit, in USDC, for which the cross account survives a
  40 % step-by-step crash of AGENT. A :class:`~marginlib.course.checks.Threshold` refuses any
  deposit below it, even one that rounds to it; the listed mistakes below it ("one cent
  short", "loss only", ...) still get their own hints.
"""
from __future__ import annotations

from marginlib.course.checks import (Misconception, Question, Threshold,
                                     bankruptcy_instead_of_liquidation, entry_convention)
from marginlib.course.contagion import (CAPITAL, HOLDINGS, LIQUIDATION_FEE_RATE,
                                        MAINTENANCE_MARGIN_RATE)
from marginlib.liquidation import liquidation_price, maintenance_margin
from marginlib.position import unrealized_pnl

__all__ = ["exercise_1", "exercise_2"]

_AGENT, _OTHERS = HOLDINGS[0], HOLDINGS[1:]
_M = MAINTENANCE_MARGIN_RATE
_ALL_IN = CAPITAL["all-in"]
#: Maintenance of the positions that do not move (at their entry prices), USDC.
_OTHERS_MAINTENANCE = sum(maintenance_margin(size=h.size, price=h.price,
                                             maintenance_margin_rate=_M) for h in _OTHERS)


def _fall(price):
    """AGENT's fall from its entry to ``price``, as a fraction."""
    return 1.0 - price / _AGENT.price


def _agent_liquidation_price(margin, *, rate=_M, other_maintenance=_OTHERS_MAINTENANCE,
                             convention="mark"):
    return liquidation_price(_AGENT.side, entry_price=_AGENT.price, size=_AGENT.size,
                             margin=margin, maintenance_margin_rate=rate,
                             other_maintenance=other_maintenance, convention=convention)


# ----------------------------------------------------------------------------- exercise 1 ---
_CROSS_PRICE = _agent_liquidation_price(_ALL_IN)
_FIRST_MARK = _AGENT.price * (1.0 - 0.005 * (int(_fall(_CROSS_PRICE) / 0.005) + 1))

exercise_1 = Question(
    "Exercise 1: AGENT's fall that liquidates the all-in cross account",
    expected=_fall(_CROSS_PRICE), units="fraction", decimals=4,
    misconceptions=[
        Misconception(
            _fall(_agent_liquidation_price(_ALL_IN, other_maintenance=0.0)),
            "NEURAL and ORACLE do not move, but they are still open: in cross, the account "
            "must hold the maintenance margin of every position (q·E·m for each of them) "
            "besides AGENT's.", "others' maintenance left out"),
        bankruptcy_instead_of_liquidation(
            _fall(_agent_liquidation_price(_ALL_IN, rate=0.0, other_maintenance=0.0)),
            "That is where the wallet plus AGENT's loss reaches zero (bankruptcy). The account "
            "is liquidated earlier: when its equity falls below the maintenance margin of all "
            "three positions."),
        entry_convention(
            _fall(_agent_liquidation_price(_ALL_IN, convention="entry"))),
        Misconception(
            _fall(_agent_liquidation_price(_AGENT.margin, other_maintenance=0.0)),
            "That is AGENT's isolated pool (its own 100 USDC). In cross the whole wallet "
            "stands behind AGENT.", "isolated instead of cross"),
        Misconception(
            _fall(_FIRST_MARK),
            "That is the first 0.5 % mark at which the lab's step-by-step crash finds the "
            "account liquidated. The question asks for the fall at which equity equals the "
            "maintenance margin exactly, which lies between two marks.", "first mark"),
        Misconception(
            _CROSS_PRICE,
            "That is AGENT's cross liquidation price in USDC. The question asks for the fall "
            "from entry as a fraction: 1 − P/2.50.", "price instead of fall"),
    ],
    hint="Write the cross condition with NEURAL and ORACLE at entry: wallet + AGENT's PnL at "
         "P = 0.05 × (AGENT's notional at P + the other two notionals); solve for P, then "
         "give 1 − P/2.50.")


# ----------------------------------------------------------------------------- exercise 2 ---
_CRASH = 0.40
_BOTTOM = _AGENT.price * (1.0 - _CRASH)
_LOSS = -float(unrealized_pnl(_AGENT.side, size=_AGENT.size, entry_price=_AGENT.price,
                              mark_price=_BOTTOM))
_AGENT_MAINTENANCE_BOTTOM = maintenance_margin(size=_AGENT.size, price=_BOTTOM,
                                               maintenance_margin_rate=_M)
_NEEDED = _LOSS + _AGENT_MAINTENANCE_BOTTOM + _OTHERS_MAINTENANCE
_AGENT_MAINTENANCE_ENTRY = maintenance_margin(size=_AGENT.size, price=_AGENT.price,
                                              maintenance_margin_rate=_M)
_PENALTY = LIQUIDATION_FEE_RATE * (_AGENT.size * _BOTTOM + sum(h.notional for h in _OTHERS))

exercise_2 = Question(
    "Exercise 2: smallest deposit that survives a 40 % crash in cross",
    expected=_NEEDED, units="USDC", decimals=2,
    threshold=Threshold(
        _NEEDED, "above",
        "With that deposit the account's equity at the bottom of the crash (AGENT at 1.50) "
        "is below the maintenance margin of the three positions, so the whole account is "
        "liquidated, even if the deposit rounds to the right cent. The deposit must leave "
        "equity at or above maintenance (if you round, round up)."),
    misconceptions=[
        Misconception(
            _NEEDED - 0.01,
            "One cent less than that is not enough: at the bottom of the crash the equity ends "
            "below the maintenance margin and the whole account is liquidated. The smallest "
            "deposit that survives leaves the equity exactly at maintenance (a venue liquidates "
            "only strictly below it).", "one cent short"),
        Misconception(
            _LOSS,
            "That covers AGENT's loss, but the venue also wants the maintenance margin of the "
            "three open positions to remain after it.", "loss only"),
        entry_convention(
            _LOSS + _AGENT_MAINTENANCE_ENTRY + _OTHERS_MAINTENANCE,
            "AGENT's maintenance is q·P·m at the current mark: at the bottom of the crash it "
            "is smaller than at entry."),
        Misconception(
            _LOSS + _AGENT_MAINTENANCE_BOTTOM,
            "NEURAL and ORACLE are still open in the same account: their maintenance margin "
            "counts too.", "AGENT's maintenance only"),
        Misconception(
            _NEEDED - _ALL_IN,
            "That looks like the spare collateral on top of the three margins (300 USDC). The "
            "question asks for the whole deposit.", "spare only"),
        Misconception(
            _NEEDED + _PENALTY,
            "The liquidation penalty is paid only when the account is liquidated. To survive, "
            "the equity must stay at or above the maintenance margin; no penalty is due.",
            "penalty added"),
        # Below the Threshold only listed mistakes are recognised: list the unit slip.
        Misconception(
            _NEEDED / 100,
            "Off by a factor of 100: a percent/fraction slip somewhere in the working (5 % is "
            "0.05, a 40 % crash leaves 0.60 of the price).", "factor 100"),
    ],
    hint="At the bottom of the crash (AGENT at 1.50) the account's equity is deposit − "
         "AGENT's loss; it must not fall below 0.05 × the three notionals at their marks.")
