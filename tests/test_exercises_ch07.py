"""Notebook 07's exercise checkers: right answers pass, each known mistake gets its own hint.

The solutions are recomputed here without marginlib's probability code: σ from the shipped CSV
read with the csv module (standard deviation of hourly log returns × √8760), the liquidation
price of a long from G1 by hand, ``(1 − 1/L)/(1 − m)`` of the entry, the probability from the
reflection principle written out with math.erfc, and the largest leverage by a plain bisection
on that probability.
"""
import csv
import math
from pathlib import Path

import numpy as np
import pytest

import marginlib
from marginlib.course.exercises import ch07

CSV = Path(marginlib.__file__).parent / "data" / "defai_synthetic_ohlcv.csv"
M = 0.05


def sigma_by_hand():
    with CSV.open() as f:
        rows = [r for r in csv.reader(line for line in f if not line.startswith("#"))][1:]
    close = np.array([float(r[4]) for r in rows])
    return float(np.std(np.diff(np.log(close)), ddof=1) * math.sqrt(8760))


SIGMA = sigma_by_hand()


def p_by_hand(leverage, days, sigma=SIGMA, m=M):
    phi = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))  # noqa: E731
    b = math.log((1 - 1 / leverage) / (1 - m))
    t, nu = days / 365, -sigma ** 2 / 2
    sd = sigma * math.sqrt(t)
    return phi((b - nu * t) / sd) + math.exp(2 * nu * b / sigma ** 2) * phi((b + nu * t) / sd)


def leverage_by_hand(target, days, m=M):
    lo, hi = 1.0 + 1e-12, 1 / m
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if p_by_hand(mid, days, m=m) <= target else (lo, mid)
    return lo


P_1 = p_by_hand(7.0, 30.0)
L_2 = leverage_by_hand(0.05, 7.0)


def test_sigma_of_the_sample_by_hand():
    assert ch07.VOLATILITY == pytest.approx(SIGMA, rel=1e-12)
    assert 0.85 < SIGMA < 0.95   # generated with σ = 90 % (the CSV's header)


def test_the_solutions_computed_independently_are_expected():
    assert ch07.exercise_1.expected == pytest.approx(P_1, rel=1e-10)
    assert ch07.exercise_2.expected == pytest.approx(L_2, rel=1e-9)
    assert 0.5 < P_1 < 0.9 and 3 < L_2 < 5     # 7× is far from 'conservative' here


@pytest.mark.parametrize("question, value", [(ch07.exercise_1, P_1), (ch07.exercise_2, L_2)])
def test_the_right_answer_passes_rounded_as_asked(question, value):
    assert question.check(value).ok
    assert question.check(round(value, question.decimals)).ok


def test_the_misconception_values_by_hand():
    values = {m.name: m.value for m in ch07.exercise_1.misconceptions}
    assert values["no maintenance"] == pytest.approx(p_by_hand(7.0, 30.0, m=0.0), rel=1e-10)
    assert values["one week"] == pytest.approx(p_by_hand(7.0, 7.0), rel=1e-10)
    assert values["daily scaling"] == pytest.approx(
        p_by_hand(7.0, 30.0, sigma=SIGMA / math.sqrt(24)), rel=1e-10)
    values = {m.name: m.value for m in ch07.exercise_2.misconceptions}
    assert values["no maintenance"] == pytest.approx(leverage_by_hand(0.05, 7.0, m=1e-12),
                                                     rel=1e-6)
    assert values["30 days"] == pytest.approx(leverage_by_hand(0.05, 30.0), rel=1e-9)
    assert values["article's rule"] == 5.0
