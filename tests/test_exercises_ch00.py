"""Notebook 00's exercise checkers: right answers pass, each known mistake gets its own hint.

The solutions are recomputed here from the formulas (not by calling the code under test).
"""
import pytest

from marginlib.course.exercises import ch00

# Exercise 1: 250 USDC at 4× long, entry 5.00, mark 4.60.
SIZE_1 = 250 * 4 / 5.00                          # tokens
PNL_1 = SIZE_1 * (4.60 - 5.00)                   # USDC
# Exercise 2: 100 USDC long, entry 2.50, maintenance 5 %; leverage 5× instead of 10×.
# Long, mark convention: equity M + q(P − E) = q·P·m  =>  P = (E − M/q) / (1 − m).
Q_2 = 100 * 5 / 2.50                             # 200 tokens
Q_BEFORE = 100 * 10 / 2.50                       # 400 tokens
LIQ_2 = (2.50 - 100 / Q_2) / (1 - 0.05)
LIQ_BEFORE = (2.50 - 100 / Q_BEFORE) / (1 - 0.05)
BANKRUPTCY = 2.50 - 100 / Q_2

QUESTIONS = {
    "exercise_1a": (ch00.exercise_1a, SIZE_1),
    "exercise_1b": (ch00.exercise_1b, PNL_1),
    "exercise_2a": (ch00.exercise_2a, LIQ_2),
}


def test_the_solutions_computed_independently_are_expected():
    assert SIZE_1 == pytest.approx(200)
    assert PNL_1 == pytest.approx(-80)
    for question, value in QUESTIONS.values():
        assert question.expected == pytest.approx(value, rel=1e-12)
    assert round(LIQ_2, 4) == 2.1053 and round(LIQ_BEFORE, 4) == 2.3684
    assert ch00.exercise_2b.expected == "down"
    # the direction asked in 2b: down, away from the entry price
    assert LIQ_2 < LIQ_BEFORE < 2.50


@pytest.mark.parametrize("name", QUESTIONS)
def test_the_right_answer_passes_rounded_as_asked(name):
    question, value = QUESTIONS[name]
    assert question.check(value).ok
    assert question.check(round(value, question.decimals)).ok


@pytest.mark.parametrize("name", [*QUESTIONS, "exercise_2b"])
def test_the_placeholder_is_not_answered_yet(name):
    result = getattr(ch00, name).check(...)
    assert not result.ok and not result.answered and result.reason == "unanswered"


@pytest.mark.parametrize("name", QUESTIONS)
def test_each_misconception_gets_its_own_hint(name):
    question, _ = QUESTIONS[name]
    assert len(question.misconceptions) >= 2
    seen = set()
    for m in question.misconceptions:
        result = question.check(round(m.value, question.decimals))
        assert not result.ok
        assert result.reason == m.name and result.hint == m.hint
        seen.add(result.hint)
    assert len(seen) == len(question.misconceptions), "two misconceptions share a hint"


def test_the_misconception_values_by_hand():
    values = {m.name: m.value for m in ch00.exercise_1a.misconceptions}
    assert values == pytest.approx({"notional for size": 1000, "leverage left out": 50})
    values = {m.name: m.value for m in ch00.exercise_1b.misconceptions}
    assert values == pytest.approx({"notional times price move": 1000 * (4.60 - 5.00),
                                    "leverage counted twice": 4 * PNL_1,
                                    "return on margin instead of PnL": 100 * PNL_1 / 250,
                                    "long/short swapped": -PNL_1})
    values = {m.name: m.value for m in ch00.exercise_2a.misconceptions}
    assert values == pytest.approx({
        "cell not re-run": LIQ_BEFORE,
        "bankruptcy instead of liquidation": BANKRUPTCY,
        "entry convention": 2.50 * (1 - 1 / 5 + 0.05),            # E(1 − 1/L + m)
        "long/short swapped": (2.50 + 100 / Q_2) / (1 + 0.05),
    })


@pytest.mark.parametrize("name", QUESTIONS)
def test_a_factor_100_slip_is_recognised(name):
    question, value = QUESTIONS[name]
    for slip in (100 * value, value / 100):
        result = question.check(slip)
        assert not result.ok and result.reason == "factor 100"


def test_a_rounding_slip_is_not_a_misconception():
    result = ch00.exercise_2a.check(round(LIQ_2, 2))
    assert not result.ok and result.reason == "rounding"


def test_the_direction_is_a_word():
    assert ch00.exercise_2b.check("Down").ok
    wrong = ch00.exercise_2b.check("up")
    assert not wrong.ok and wrong.hint
    assert ch00.exercise_2b.check(2.11).reason == "type"


def test_exercise_2_is_not_another_notebooks_answer():
    """01's exercise 1 changes the maintenance rate of the same trade: a different answer."""
    from marginlib.course.exercises import ch01
    assert round(ch00.exercise_2a.expected, 4) != round(ch01.exercise_1.expected, 4)


def test_the_checkers_never_show_the_answer():
    for question, value in QUESTIONS.values():
        for answer in (value * 1.37, 0.0, "abc"):      # answers that share no digits
            message = question.check(answer).message
            assert f"{abs(value):.2f}" not in message
