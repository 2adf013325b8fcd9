"""Notebook 05's exercise checkers: right answers pass, each known mistake gets its own hint.

The solutions are recomputed here from the formulas (not by calling the code under test).
Exercise 1: 400 tokens sold at a mid of 2.50 into 2,000 USDC within ±2 % (linear depth).
Exercise 2: m = N·w/(2D) + z·σ·√(τ/8760) for the thin token with D ten times larger.
"""
import math

import pytest

from marginlib.course.exercises import ch05

Q, P, D1, W = 400.0, 2.50, 2_000.0, 0.02
RHO = D1 / (W * P)                                   # tokens per unit of fractional distance
FILL_1 = P * (1 - Q / (2 * RHO))                     # halfway down the walk
N, D2, SIGMA, TAU, Z = 50_000.0, 500_000.0, 1.5, 1.0, 2.33
RISK = Z * SIGMA * math.sqrt(TAU / 8760)
RATE_2 = N * W / (2 * D2) + RISK
BEFORE_2 = N * W / (2 * N) + RISK

QUESTIONS = {"exercise_1": (ch05.exercise_1, FILL_1), "exercise_2": (ch05.exercise_2, RATE_2)}


def test_the_solutions_computed_independently_are_expected():
    assert FILL_1 == pytest.approx(2.4875)
    assert RATE_2 == pytest.approx(0.0383, abs=5e-5)
    for question, value in QUESTIONS.values():
        assert question.expected == pytest.approx(value, rel=1e-12)


def test_the_thin_token_is_the_notebooks():
    assert ch05.THIN_TOKEN == dict(position_notional=N, depth=N, within=W, volatility=SIGMA,
                                   liquidation_hours=TAU)


@pytest.mark.parametrize("name", QUESTIONS)
def test_the_right_answer_passes_rounded_as_asked(name):
    question, value = QUESTIONS[name]
    assert question.check(value).ok
    assert question.check(round(value, question.decimals)).ok


def test_the_misconception_values_by_hand():
    values = {m.name: m.value for m in ch05.exercise_1.misconceptions}
    assert values == pytest.approx({
        "last price": P * (1 - Q / RHO),
        "buy instead of sell": P * (1 + Q / (2 * RHO)),
        "notional used as tokens": P * (1 - Q * P / (2 * RHO)),
        "slippage instead of price": Q / (2 * RHO),
    })
    values = {m.name: m.value for m in ch05.exercise_2.misconceptions}
    assert values == pytest.approx({
        "whole rate divided by 10": BEFORE_2 / 10,
        "unchanged": BEFORE_2,
        "impact term only": N * W / (2 * D2),
        "price risk only": RISK,
    })


def test_unit_slips_are_recognised():
    assert ch05.exercise_2.check(100 * RATE_2).reason == "percent vs fraction"
    assert not ch05.exercise_1.check(100 * FILL_1).ok
