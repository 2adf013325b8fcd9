"""Notebook 05d's exercise checker: the right answer passes, each known mistake gets its own hint.

The solution is recomputed here from GMX's README rule (not by calling the code under test): a
long of $S at oracle price P with impact i_open holds (S + i_open·S)/P tokens; closing at the
same P pays i_close·S more, so the collateral comes back less −(i_open + i_close)·S.
"""
import pytest

from marginlib.course.exercises import ch05d

S, P, C = 50_000.0, 5_000.0, 5_000.0
I_OPEN, I_CLOSE_README, I_CLOSE_NEW = -0.001, -0.002, -0.0005


def loss_by_hand(i_open, i_close):
    tokens = (S + i_open * S) / P
    pnl = tokens * P - S                              # at an unchanged price
    return -(pnl + i_close * S)


EXPECTED = loss_by_hand(I_OPEN, I_CLOSE_NEW)


def test_the_solution_computed_independently_is_expected():
    assert loss_by_hand(I_OPEN, I_CLOSE_README) == pytest.approx(150)   # the README's example
    assert EXPECTED == pytest.approx(75)
    assert ch05d.exercise_1.expected == pytest.approx(EXPECTED, rel=1e-12)
    assert ch05d.round_trip_loss(I_OPEN, I_CLOSE_README) == pytest.approx(150)


def test_the_right_answer_passes_and_the_placeholder_is_not_an_error():
    assert ch05d.exercise_1.check(EXPECTED).ok
    assert ch05d.exercise_1.check(round(EXPECTED, 2)).ok
    result = ch05d.exercise_1.check(...)
    assert not result.ok and not result.answered and result.reason == "unanswered"


def test_each_misconception_gets_its_own_hint():
    q = ch05d.exercise_1
    values = {m.name: m.value for m in q.misconceptions}
    assert values == pytest.approx({"unchanged": loss_by_hand(I_OPEN, I_CLOSE_README),
                                    "opening only": -I_OPEN * S, "closing only": -I_CLOSE_NEW * S})
    hints = set()
    for m in q.misconceptions:
        result = q.check(round(m.value, 2))
        assert not result.ok and result.reason == m.name and result.hint == m.hint
        hints.add(result.hint)
    assert len(hints) == len(q.misconceptions)
