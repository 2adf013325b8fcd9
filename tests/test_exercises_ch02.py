"""Checkers of notebook 02's exercises: right answers pass, each known mistake gets its own hint.

The expected values are recomputed here from the closed forms of notebook 02 (not by calling
the code the checkers use).
"""
import pytest

from marginlib.course.exercises import ch02

QUESTIONS = [ch02.exercise_1, ch02.exercise_2a, ch02.exercise_2b]


def test_expected_values_by_the_closed_forms():
    # Exercise 1: short, 120 USDC at 8x on 1.20, m = 5 % (mark): E(1 + 1/L)/(1 + m)
    assert ch02.exercise_1.expected == pytest.approx(1.20 * (1 + 1 / 8) / 1.05, rel=1e-12)
    # Exercise 2a: the article's long with maintenance at entry: E(1 − 1/L + m)
    assert ch02.exercise_2a.expected == pytest.approx(2.50 * (1 - 0.1 + 0.05), rel=1e-12)
    # Exercise 2b: mark convention with a 0.05 % taker fee: E(1 − 1/L)/(1 − (m + f))
    assert ch02.exercise_2b.expected == pytest.approx(2.25 / (1 - 0.0505), rel=1e-12)


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.name)
def test_the_right_answer_passes_at_the_asked_precision(q):
    assert q.check(round(q.expected, q.decimals)).ok
    assert q.check(q.expected).ok
    assert not q.check(...).answered and not q.check(...).ok


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.name)
def test_each_misconception_gets_its_own_hint(q):
    assert len(q.misconceptions) >= 2
    seen = set()
    for m in q.misconceptions:
        result = q.check(round(m.value, q.decimals))
        assert not result.ok
        assert result.reason == m.name and result.hint == m.hint
        seen.add((result.reason, result.hint))
    assert len(seen) == len(q.misconceptions)


def test_the_misconceptions_the_issue_names_are_covered():
    names = {m.name for q in QUESTIONS for m in q.misconceptions}
    assert {"entry convention", "mark convention", "missing fee", "long/short swapped",
            "percent vs fraction", "bankruptcy instead of liquidation"} <= names


def test_misconception_values_by_hand():
    by_name = {m.name: m.value for m in ch02.exercise_1.misconceptions}
    assert by_name["entry convention"] == pytest.approx(1.20 * (1 + 1 / 8 - 0.05))
    assert by_name["long/short swapped"] == pytest.approx(1.20 * (1 - 1 / 8) / 0.95)
    assert by_name["bankruptcy instead of liquidation"] == pytest.approx(1.35)
    assert by_name["percent vs fraction"] == pytest.approx(1.35 / 6)
    by_name = {m.name: m.value for m in ch02.exercise_2b.misconceptions}
    assert by_name["missing fee"] == pytest.approx(2.25 / 0.95)
    assert by_name["entry convention"] == pytest.approx(2.50 * (1 - 0.1 + 0.0505))
    assert by_name["percent vs fraction"] == pytest.approx(2.50)     # fee typed as 0.05


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.name)
def test_a_factor_of_100_slip_is_recognised(q):
    result = q.check(100 * q.expected)
    assert not result.ok and result.reason == "factor 100"


def test_a_near_miss_is_a_rounding_hint_and_a_word_is_refused():
    q = ch02.exercise_1
    assert q.check(q.expected + 0.0003).reason == "rounding"
    assert q.check("1.28").reason == "type"


def test_the_checkers_are_pure():
    """The module imports marginlib maths only (no matplotlib, no ipywidgets)."""
    src = open(ch02.__file__, encoding="utf-8").read()
    assert "matplotlib" not in src and "ipywidgets" not in src
