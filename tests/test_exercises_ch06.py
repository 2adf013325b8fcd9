"""Notebook 06's exercise checkers: right answers pass, each known mistake gets its own hint.

The solutions are recomputed here by a plain round-by-round cascade written from the model's
statement (not by calling marginlib.sim.cascade.cascade): every surviving account is tested at
the marks (equity W + Σ s q (P − E) strictly below Σ q P m), the newly liquidated accounts'
net base is sold into a linear book that does not refill, whose mark after a cumulative net
sale Q is P_s (1 − Q/ρ) with ρ = depth/(within · P_s), until a round liquidates nobody.
"""
import numpy as np
import pytest

from marginlib.course.exercises import ch06
from marginlib.sim.cascade import cascade_population

POP = cascade_population(**ch06.POPULATION)


def plain_cascade(pop, *, price, shock, depth, maintenance_margin_rate, correlation,
                  within=0.02):
    """The final marks of A and B, by the model's statement (every account every round)."""
    p0 = np.array([price, price])
    shocked = p0 * (1 + np.array([shock, correlation * shock]))
    rho = depth / (within * shocked)                  # base per unit of fractional move
    signed = pop.sign * pop.size
    wallet = pop.margin.sum(axis=1)
    alive = np.ones(pop.n_accounts, dtype=bool)
    sold = np.zeros(2)                                # cumulative net base sold per token
    mark = shocked.copy()
    while True:
        equity = wallet + (signed * (mark - pop.entry_price)).sum(axis=1)
        maintenance = (pop.size * mark * maintenance_margin_rate).sum(axis=1)
        hit = alive & (equity < maintenance)
        if not hit.any():
            return mark
        alive &= ~hit
        sold += signed[hit].sum(axis=0)
        mark = np.maximum(shocked * (1 - sold / rho), 0.0)


FINAL_1 = plain_cascade(POP, **ch06.SETTING)
AMPLIFICATION_1 = (FINAL_1[0] / 2.50 - 1) / -0.15
FINAL_2 = plain_cascade(POP, **dict(ch06.SETTING, correlation=0.0))
B_MOVE_2 = FINAL_2[1] / 2.50 - 1
FINAL_2_ISO = plain_cascade(POP.isolated(), **dict(ch06.SETTING, correlation=0.0))

QUESTIONS = {"exercise_1": (ch06.exercise_1, AMPLIFICATION_1),
             "exercise_2": (ch06.exercise_2, B_MOVE_2)}


def test_the_solutions_computed_independently_are_expected():
    assert AMPLIFICATION_1 > 1                        # the cascade adds to the shock
    assert B_MOVE_2 < 0 and FINAL_2_ISO[1] == 2.50    # only cross accounts move B
    for question, value in QUESTIONS.values():
        assert question.expected == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("name", QUESTIONS)
def test_the_right_answer_passes_rounded_as_asked(name):
    question, value = QUESTIONS[name]
    assert question.check(value).ok
    assert question.check(round(value, question.decimals)).ok


def test_the_misconception_values_by_hand():
    final_iso = plain_cascade(POP.isolated(), **ch06.SETTING)
    values = {m.name: m.value for m in ch06.exercise_1.misconceptions}
    assert values == pytest.approx({
        "isolated split": (final_iso[0] / 2.50 - 1) / -0.15,
        "no feedback": 1.0,
        "final move instead of ratio": 1 - FINAL_1[0] / 2.50,
        "ratio inverted": 1 / AMPLIFICATION_1,
    }, rel=1e-9)
    values = {m.name: m.value for m in ch06.exercise_2.misconceptions}
    assert values == pytest.approx({
        "isolated split": 0.0,
        "correlation not changed": FINAL_1[1] / 2.50 - 1,
        "sign": -B_MOVE_2,
        "A instead of B": FINAL_2[0] / 2.50 - 1,
    }, rel=1e-9, abs=1e-12)


def test_a_percent_slip_is_recognised():
    result = ch06.exercise_2.check(100 * B_MOVE_2)
    assert not result.ok and "percent" in result.hint.lower()
