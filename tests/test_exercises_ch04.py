"""Notebook 04's exercise checkers: right answers pass, each known mistake gets its own hint.

The solutions are recomputed here from the formulas (not by calling the code under test).
Portfolio (notebook 04, section 1): AGENT 400 tokens long at 2.50 (10×, margin 100), NEURAL
1,000 at 0.50 and ORACLE 400 at 1.25 (5×, margin 100 each); maintenance 5 %, liquidation
penalty 1.5 %; the all-in deposit is 300 USDC.
"""
import pytest

from marginlib.course.contagion import crash_outcome
from marginlib.course.exercises import ch04

Q, E, M = 400.0, 2.50, 0.05
OTHERS = 1_000 * 0.50 + 400 * 1.25                # NEURAL + ORACLE notionals, USDC
W = 300.0


def cross_price(wallet, m=M, others=OTHERS):
    """W + q(P − E) = m·(q·P + others)  ⇒  P = (q·E + m·others − W) / (q·(1 − m))."""
    return (Q * E + m * others - wallet) / (Q * (1 - m))


# Exercise 1: AGENT's fall at which the all-in cross account reaches maintenance.
FALL_1 = 1 - cross_price(W) / E
# Exercise 2: deposit that leaves equity exactly at maintenance at the bottom of a 40 % crash.
BOTTOM = E * 0.60
NEEDED_2 = Q * (E - BOTTOM) + M * (Q * BOTTOM + OTHERS)

QUESTIONS = {"exercise_1": (ch04.exercise_1, FALL_1), "exercise_2": (ch04.exercise_2, NEEDED_2)}


def test_the_solutions_computed_independently_are_expected():
    assert cross_price(W) == pytest.approx(750 / 380)
    assert FALL_1 == pytest.approx(0.210526, abs=1e-6)
    assert NEEDED_2 == pytest.approx(480)
    for question, value in QUESTIONS.values():
        assert question.expected == pytest.approx(value, rel=1e-12)


def test_exercise_2_is_the_smallest_deposit_that_survives_in_the_engine():
    assert not any(crash_outcome(0.40, "cross", NEEDED_2).liquidated)
    assert all(crash_outcome(0.40, "cross", NEEDED_2 - 0.01).liquidated)


def test_exercise_2_threshold_is_the_needed_deposit():
    threshold = ch04.exercise_2.threshold
    assert threshold.keep == "above" and threshold.value == pytest.approx(NEEDED_2, rel=1e-12)


@pytest.mark.parametrize("deposit", [479.996, 479.995])
def test_exercise_2_refuses_a_deposit_that_rounds_right_but_is_liquidated(deposit):
    """479.996 rounds to 480.00, yet the crash liquidates the account in the engine."""
    assert round(deposit, 2) == round(NEEDED_2, 2) or deposit < NEEDED_2
    assert all(crash_outcome(0.40, "cross", deposit).liquidated)
    result = ch04.exercise_2.check(deposit)
    assert not result.ok and result.reason == "wrong side"
    assert result.hint == ch04.exercise_2.threshold.hint and "maintenance" in result.hint


@pytest.mark.parametrize("deposit", [480.0, 480.001, 480.004])
def test_exercise_2_accepts_a_deposit_at_or_just_above_the_threshold(deposit):
    assert not any(crash_outcome(0.40, "cross", deposit).liquidated)
    assert ch04.exercise_2.check(deposit).ok


@pytest.mark.parametrize("answer, reason", [(NEEDED_2 - 0.01, "one cent short"),
                                            (Q * (E - BOTTOM), "loss only")])
def test_exercise_2_listed_mistakes_below_the_threshold_keep_their_hints(answer, reason):
    result = ch04.exercise_2.check(round(answer, 2))
    assert not result.ok and result.reason == reason
    assert result.hint != ch04.exercise_2.threshold.hint


@pytest.mark.parametrize("name", QUESTIONS)
def test_the_right_answer_passes_rounded_as_asked(name):
    question, value = QUESTIONS[name]
    assert question.check(value).ok
    assert question.check(round(value, question.decimals)).ok


def test_the_misconception_values_by_hand():
    values = {m.name: m.value for m in ch04.exercise_1.misconceptions}
    assert values == pytest.approx({
        "others' maintenance left out": 1 - cross_price(W, others=0) / E,
        "bankruptcy instead of liquidation": 1 - (Q * E - W) / Q / E,         # equity = 0
        # maintenance counted at entry: W + q(P − E) = m·(q·E + others)
        "entry convention": 1 - (Q * E + M * (Q * E + OTHERS) - W) / Q / E,
        "isolated instead of cross": 1 - cross_price(100, others=0) / E,
        "first mark": 1 - 1.9625 / E,                        # the lab's marks every 0.5 %
        "price instead of fall": cross_price(W),
    })
    values = {m.name: m.value for m in ch04.exercise_2.misconceptions}
    assert values == pytest.approx({
        "one cent short": NEEDED_2 - 0.01,
        "loss only": Q * (E - BOTTOM),
        "entry convention": Q * (E - BOTTOM) + M * (Q * E + OTHERS),
        "AGENT's maintenance only": Q * (E - BOTTOM) + M * Q * BOTTOM,
        "spare only": NEEDED_2 - W,
        "penalty added": NEEDED_2 + 0.015 * (Q * BOTTOM + OTHERS),
        "factor 100": NEEDED_2 / 100,
    })


def test_unit_slips_are_recognised():
    assert ch04.exercise_1.check(100 * FALL_1).reason == "percent vs fraction"
    assert ch04.exercise_1.check(10_000 * FALL_1).reason == "basis points"
    assert ch04.exercise_2.check(NEEDED_2 / 100).reason == "factor 100"   # listed: below
    assert ch04.exercise_2.check(NEEDED_2 * 100).reason == "factor 100"   # generic: above
