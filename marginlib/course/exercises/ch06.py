"""Exercise checkers of notebook 06 (liquidation cascades).

The exercises' population: :func:`marginlib.sim.cascade.cascade_population` with 20,000
positions, seed 6, entries at 2.50, half of the positions in cross accounts, leverage capped at
18×; maintenance 5 %; A falls 15 % into a book of 50,000 USDC within ±2 %. Every expected value
and every misconception value is computed here with marginlib; none is typed in.

* :data:`exercise_1` -- the amplification (×) of the cascade with shared margin, B's initial
  move half of A's (correlation 0.5).
* :data:`exercise_2` -- the learner sets the correlation to 0 (B is not in the initial shock):
  B's final move with shared margin, as a fraction.
"""
from __future__ import annotations

from marginlib.course.checks import Misconception, Question
from marginlib.sim.cascade import cascade, cascade_population

__all__ = ["exercise_1", "exercise_2", "POPULATION", "SETTING"]

#: The arguments of :func:`~marginlib.sim.cascade.cascade_population` the exercises use.
POPULATION = dict(n_positions=20_000, rng=6, price=2.50, cross_share=0.5, max_leverage=18.0)
#: The arguments of :func:`~marginlib.sim.cascade.cascade` of exercise 1.
SETTING = dict(price=2.50, shock=-0.15, depth=50_000.0, maintenance_margin_rate=0.05,
               correlation=0.5)

_SETTING_0 = dict(SETTING, correlation=0.0)  # exercise 2
# every cascade the checkers need, run at import; the populations (and the run plans cached
# on them) are then freed: only the small results stay in the learner's kernel
_POP = cascade_population(**POPULATION)
_SHARED = cascade(_POP, **SETTING)
_NO_FEEDBACK = cascade(_POP, feedback=False, **SETTING)
_SHARED_0 = cascade(_POP, **_SETTING_0)
_POP = _POP.isolated()
_ISOLATED = cascade(_POP, **SETTING)
_ISOLATED_0 = cascade(_POP, **_SETTING_0)
del _POP

# ----------------------------------------------------------------------------- exercise 1 ---
exercise_1 = Question(
    "Exercise 1: amplification of a 15 % shock into a 50,000 USDC book (shared margin)",
    expected=_SHARED.amplification, units="×", decimals=3,
    misconceptions=[
        Misconception(
            _ISOLATED.amplification,
            "That is the isolated split (population.isolated()). The question asks for the "
            "population as drawn, where cross accounts share one wallet.",
            "isolated split"),
        Misconception(
            _NO_FEEDBACK.amplification,
            "That is the cascade without feedback (feedback=False): liquidations that do not "
            "move the price. With feedback each round's sale walks the book down.",
            "no feedback"),
        Misconception(
            -float(_SHARED.final_move[0]),
            "That is A's final fall as a fraction. The amplification divides it by the initial "
            "shock (0.15): final move ÷ shock.", "final move instead of ratio"),
        Misconception(
            1.0 / _SHARED.amplification,
            "That is shock ÷ final move, the inverse: the amplification is final move ÷ shock "
            "(above 1 when the cascade adds to the shock).", "ratio inverted"),
    ],
    hint="Build the population with cascade_population(**ch06.POPULATION), run "
         "cascade(pop, **ch06.SETTING) and read .amplification (or final_move[0] / shock).")

# ----------------------------------------------------------------------------- exercise 2 ---
exercise_2 = Question(
    "Exercise 2: B's final move when only A is shocked (shared margin)",
    expected=float(_SHARED_0.final_move[1]), units="fraction", decimals=4,
    misconceptions=[
        Misconception(
            float(_ISOLATED_0.final_move[1]),
            "That is what B does in the isolated split (it does not move): nothing sells B "
            "there. The question asks for the population as drawn, with cross accounts.",
            "isolated split"),
        Misconception(
            float(_SHARED.final_move[1]),
            "That is B's move with correlation 0.5 (exercise 1's setting). Set "
            "correlation=0.0 and run the cascade again.", "correlation not changed"),
        Misconception(
            -float(_SHARED_0.final_move[1]),
            "The sign: B's mark ends below 2.50, so its move is negative.", "sign"),
        Misconception(
            float(_SHARED_0.final_move[0]),
            "That is A's final move. The question asks for B's (final_move[1]).",
            "A instead of B"),
    ],
    hint="Run cascade(pop, **dict(ch06.SETTING, correlation=0.0)) and read final_move[1]: "
         "B's final mark ÷ 2.50 − 1.")
