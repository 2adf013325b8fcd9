"""Notebook 08's exercise checkers: right answers pass, each known mistake gets its own hint.

The solutions are recomputed here from the rules as stated, not by running the desk: the crash
marks NEURAL every 0.5 % of 0.50 down to −40 %; the 5× long of 1,000 tokens with 100 USDC is
liquidated at the first mark where 100 + 1,000·(P − 0.50) < 1,000·P·5 %; the penalty is 1.5 %
of the notional there. A long's liquidation distance is (1/L − m)/(1 − m), solved for L.
"""
import pytest

from marginlib.course.exercises import ch08


def returned_after_crash():
    q, margin, m = 1_000.0, 100.0, 0.05
    for k in range(1, 81):
        p = 0.5 * (1 - 0.005 * k)
        equity = margin + q * (p - 0.5)
        if equity < q * p * m:
            return equity - min(0.015 * q * p, equity)
    raise AssertionError("never liquidated")


RETURNED = returned_after_crash()
LEVERAGE = 1 / (0.15 * 0.95 + 0.05)
QUESTIONS = {"exercise_1": (ch08.exercise_1, RETURNED), "exercise_2": (ch08.exercise_2, LEVERAGE)}


def test_the_solutions_computed_independently_are_expected():
    assert 0 < RETURNED < 100 and 5 < LEVERAGE < 1 / 0.15
    for question, value in QUESTIONS.values():
        assert question.expected == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("name", QUESTIONS)
def test_the_right_answer_passes_rounded_as_asked(name):
    question, value = QUESTIONS[name]
    assert question.check(value).ok
    assert question.check(round(value, question.decimals)).ok
    assert not question.check(value * 1.1).ok


def test_the_exercise_order_is_the_one_the_notebook_states():
    assert ch08.EXERCISE_1 == dict(market="NEURAL", side="long", mode="isolated",
                                   margin=100.0, leverage=5.0)
    assert ch08.TARGET_DISTANCE == 0.15
