"""Notebook 03d's exercise checker: the right answer passes, each known mistake gets its own hint.

The solution is recomputed here from the formula (sum of size × reference price × capped rate
over the sample), not by calling the code under test.
"""
import numpy as np
import pytest

from marginlib.course.exercises import ch03d
from marginlib.data.loaders import load_defai_sample

SAMPLE = load_defai_sample()
RATES = np.asarray(SAMPLE.funding.rates, dtype=float)
PRICES = np.asarray(SAMPLE.reference_prices, dtype=float)
SIZE = 100 * 3 / 2.50                             # the 3× long: 120 tokens
CAP = 0.0001                                      # ±0.01 % per hour


def paid(rates):
    return float(np.sum(SIZE * PRICES * rates))   # a long pays q·P·r each hour


EXPECTED = paid(np.clip(RATES, -CAP, CAP))
UNCAPPED = paid(RATES)
ONE_SIDED = paid(np.clip(RATES, 0.0, CAP))
CONVERTED = paid(np.clip(RATES, -CAP / 8, CAP / 8))


def test_the_solution_computed_independently_is_expected():
    assert ch03d.exercise_1.expected == pytest.approx(EXPECTED, rel=1e-12)
    assert UNCAPPED > EXPECTED > CONVERTED > 0     # the cap binds on the hot hours


def test_the_right_answer_passes_rounded_as_asked():
    assert ch03d.exercise_1.check(EXPECTED).ok
    assert ch03d.exercise_1.check(round(EXPECTED, 2)).ok


def test_the_placeholder_is_not_answered_yet():
    result = ch03d.exercise_1.check(...)
    assert not result.ok and not result.answered and result.reason == "unanswered"


@pytest.mark.parametrize("value, reason", [(UNCAPPED, "cap not applied"),
                                           (ONE_SIDED, "one-sided cap"),
                                           (CONVERTED, "cap converted")])
def test_each_misconception_gets_its_own_hint(value, reason):
    result = ch03d.exercise_1.check(round(value, 2))
    assert not result.ok and result.reason == reason
    hints = {m.hint for m in ch03d.exercise_1.misconceptions}
    assert len(hints) == len(ch03d.exercise_1.misconceptions) and result.hint in hints


def test_unit_slips_are_recognised():
    assert ch03d.exercise_1.check(-round(EXPECTED, 2)).reason == "sign"
    assert ch03d.exercise_1.check(round(EXPECTED, 2) / 100).reason == "factor 100"


def test_the_checker_never_shows_the_answer():
    message = ch03d.exercise_1.check(1.0).message
    assert f"{EXPECTED:.2f}" not in message
