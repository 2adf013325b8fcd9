"""Notebook 03's exercise checkers: right answers pass, each known mistake gets its own hint.

The solutions are recomputed here from the formulas (not by calling the code under test).
Liquidation is strictly below maintenance: n* = floor(buffer / F) + 1.
"""
import math

import pytest

from marginlib.course.exercises import ch03

# Exercise 1: 5× short, 400 USDC on 0.80, maintenance 1 %, rate −0.03 % per 8 h (shorts pay).
Q_1 = 400 * 5 / 0.80                              # 2,500 tokens
F_1 = Q_1 * 0.80 * 0.0003                         # 0.60 USDC a payment
MM_1 = Q_1 * 0.80 * 0.01                          # 20 USDC
N_1 = math.floor((400 - MM_1) / F_1) + 1          # first payment strictly below maintenance
N_1_BANKRUPT = math.floor(400 / F_1) + 1          # the whole margin
# Exercise 2: 10× long, 100 USDC on 2.50, maintenance 5 %, 5 bp per interval, interval 1 h.
Q_2 = 100 * 10 / 2.50
F_2 = Q_2 * 2.50 * 0.0005                         # 0.50 USDC
MM_2 = Q_2 * 2.50 * 0.05                          # 50 USDC: 100 payments land exactly on it
N_2 = round((100 - MM_2) / F_2) + 1               # exact tie: one more payment (101)
DAYS_2 = N_2 * 1 / 24
DAYS_2_8H = N_2 * 8 / 24
N_2_CONVERTED = round((100 - MM_2) / (F_2 / 8)) + 1   # 5/8 bp an hour: also a tie (801)


def test_the_solutions_computed_independently_are_expected():
    assert (N_1, N_2, N_2_CONVERTED) == (634, 101, 801)
    assert ch03.exercise_1.expected == N_1
    assert ch03.exercise_2.expected == pytest.approx(DAYS_2, rel=1e-12)


def test_the_right_answer_passes():
    assert ch03.exercise_1.check(N_1).ok
    assert ch03.exercise_1.check(float(N_1)).ok
    assert ch03.exercise_2.check(round(DAYS_2, 2)).ok
    assert ch03.exercise_2.check(DAYS_2).ok


@pytest.mark.parametrize("name", ["exercise_1", "exercise_2"])
def test_the_placeholder_is_not_answered_yet(name):
    result = getattr(ch03, name).check(...)
    assert not result.ok and not result.answered and result.reason == "unanswered"


def test_exercise_1_misconceptions():
    q = ch03.exercise_1
    bankrupt = q.check(N_1_BANKRUPT)
    assert not bankrupt.ok and bankrupt.reason == "bankruptcy instead of liquidation"
    down = q.check(N_1 - 1)
    assert not down.ok and down.reason == "rounded down"
    assert bankrupt.hint != down.hint


def test_exercise_2_misconceptions():
    q = ch03.exercise_2
    reasons = {}
    for value, reason in [(DAYS_2_8H, "interval unchanged"),
                          (N_2_CONVERTED / 24, "rate converted"),
                          ((N_2 - 1) / 24, "exactly at maintenance")]:
        result = q.check(round(value, 2))
        assert not result.ok and result.reason == reason
        reasons[reason] = result.hint
    assert len(set(reasons.values())) == 3, "two misconceptions share a hint"


@pytest.mark.parametrize("name", ["exercise_1", "exercise_2"])
def test_each_listed_misconception_gets_its_own_hint(name):
    question = getattr(ch03, name)
    hints = set()
    for m in question.misconceptions:
        result = question.check(m.value)
        assert not result.ok and result.reason == m.name and result.hint == m.hint
        hints.add(m.hint)
    assert len(hints) == len(question.misconceptions)


def test_a_count_must_be_whole():
    for fraction in (633.5, (400 - MM_1) / F_1):      # 633.5 and 633.33...
        result = ch03.exercise_1.check(fraction)
        assert not result.ok and result.reason == "not whole"


def test_unit_slips_are_recognised():
    hours = ch03.exercise_2.check(N_2 * 1)                 # 101 hours for 4.21 days
    assert not hours.ok and hours.reason == "hours for days"
    assert ch03.exercise_2.check(100 * DAYS_2).reason == "factor 100"
    assert ch03.exercise_2.check(-DAYS_2).reason == "sign"
    assert ch03.exercise_1.check(-N_1).reason == "sign"


def test_the_checkers_never_show_the_answer():
    for q, wrong in ((ch03.exercise_1, 500), (ch03.exercise_2, 9.99)):
        message = q.check(wrong).message
        assert f"{q.expected:.6g}" not in message and f"{q.expected:.2f}" not in message
