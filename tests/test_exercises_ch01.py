"""Notebook 01's exercise checkers (marginlib.course.exercises.ch01).

The solutions are recomputed here by the closed forms (not by calling the module's code): the
long's liquidation price under the mark convention is ``E(1 − 1/L)/(1 − m)``, its bankruptcy
price ``E(1 − 1/L)``, so a fall to ``0.7 E`` is survived up to ``L = 1/(0.3 + 0.7 m)``
(liquidation) or ``L = 1/0.3`` (bankruptcy).
"""
import math
import subprocess
import sys

import pytest

from marginlib.course.exercises import ch01

E, M, L, m = 2.50, 100.0, 10.0, 0.05


def _floor2(x):
    return math.floor(100 * x + 1e-9) / 100


# ------------------------------------------------------------------ the solutions ---

def test_exercise_1_expected_is_the_closed_form():
    m1 = 0.005
    assert ch01.EX1_MAINTENANCE_MARGIN_RATE == m1
    assert ch01.exercise_1.expected == pytest.approx(E * (1 - 1 / L) / (1 - m1), rel=1e-12)
    assert round(ch01.exercise_1.expected, 4) == 2.2613


def test_exercise_2_expected_and_thresholds_are_the_closed_forms():
    assert ch01.CRASH_PRICE == pytest.approx(0.7 * E)
    bk_limit, liq_limit = 1 / 0.3, 1 / (0.3 + 0.7 * m)
    assert ch01.exercise_2a.threshold.value == pytest.approx(bk_limit, rel=1e-9)
    assert ch01.exercise_2b.threshold.value == pytest.approx(liq_limit, rel=1e-9)
    assert ch01.exercise_2a.expected == _floor2(bk_limit) == 3.33
    assert ch01.exercise_2b.expected == _floor2(liq_limit) == 2.98


@pytest.mark.parametrize("question, answer", [
    (ch01.exercise_1, 2.2613), (ch01.exercise_2a, 3.33), (ch01.exercise_2b, 2.98),
    (ch01.exercise_2a, 1 / 0.3), (ch01.exercise_2b, 2.985),
])
def test_the_right_answer_passes(question, answer):
    result = question.check(answer)
    assert result.ok and result.reason == "right" and "✓" in result.message


@pytest.mark.parametrize("question", [ch01.exercise_1, ch01.exercise_2a, ch01.exercise_2b])
def test_unanswered_is_not_an_error(question):
    result = question.check(...)
    assert not result.ok and not result.answered and result.reason == "unanswered"


# --------------------------------------------------------------- the mistakes ---

def test_exercise_1_each_misconception_has_its_own_hint():
    cases = {
        E * (1 - 1 / L) / (1 - m): "rate not changed",                  # 2.3684, not re-run
        E * (1 - 1 / L): "bankruptcy instead of liquidation",            # 2.25
        E - (M - E * (M * L / E) * 0.005) / (M * L / E): "entry convention",   # 2.2625
    }
    hints = set()
    for value, reason in cases.items():
        result = ch01.exercise_1.check(round(value, 4))
        assert not result.ok and result.reason == reason, (value, result.message)
        hints.add(result.hint)
    assert len(hints) == len(cases)
    assert {mc.name for mc in ch01.exercise_1.misconceptions} == set(cases.values())


def test_exercise_1_unit_slip_and_rounding():
    assert ch01.exercise_1.check(226.13).reason == "factor 100"
    assert ch01.exercise_1.check(2.26).reason == "rounding"


@pytest.mark.parametrize("answer", [3.34, 3.4, 4.0])
def test_exercise_2a_refuses_a_bankrupt_leverage(answer):
    result = ch01.exercise_2a.check(answer)
    assert not result.ok and result.reason == "wrong side"
    assert "bankruptcy price" in result.hint


@pytest.mark.parametrize("answer", [2.99, 3.0, 3.2])
def test_exercise_2b_refuses_a_liquidated_leverage(answer):
    """2.99× rounds near the answer but is liquidated by the fall: the Threshold refuses it."""
    liq = E * (1 - 1 / answer) / (1 - m)
    assert liq > 0.7 * E                                         # it really is liquidated
    result = ch01.exercise_2b.check(answer)
    assert not result.ok and result.reason == "wrong side"
    assert result.hint == ch01.exercise_2b.threshold.hint
    assert "liquidation price" in result.hint


@pytest.mark.parametrize("answer", [3.30, 3.33, 3.34])
def test_exercise_2b_bankruptcy_leverage_gets_its_hint(answer):
    """Part (a)'s answer, 1/0.3 = 3.33× floored (or 3.34×, 3.30×), is liquidated in (b): the
    listed misconception wins over the Threshold's generic "wrong side"."""
    assert E * (1 - 1 / answer) / (1 - m) > 0.7 * E              # it really is liquidated
    result = ch01.exercise_2b.check(answer)
    assert not result.ok and result.reason == "bankruptcy instead of liquidation"
    assert result.hint != ch01.exercise_2b.threshold.hint and "part (a)" in result.hint


def test_exercise_2b_lists_the_bankruptcy_leverage():
    values = {mc.name: mc.value for mc in ch01.exercise_2b.misconceptions}
    assert values["bankruptcy instead of liquidation"] == _floor2(1 / 0.3) == 3.33


def test_exercise_2_hints_differ_by_part():
    a, b = ch01.exercise_2a.check(3.34), ch01.exercise_2b.check(3.34)
    assert a.hint != b.hint


def test_exercise_2a_liquidation_answer_gets_its_hint():
    result = ch01.exercise_2a.check(2.98)
    assert result.reason == "liquidation instead of bankruptcy" and "part (b)" in result.hint


def test_exercise_2b_entry_convention_gets_its_hint():
    # entry convention: E(1 − 1/L + m) <= 0.7 E  <=>  L <= 1/(0.3 + m)
    value = _floor2(1 / (0.3 + m))
    assert value == 2.85
    result = ch01.exercise_2b.check(value)
    assert result.reason == "entry convention"
    assert result.hint != ch01.exercise_2b.threshold.hint


def test_exercise_2_rounding_below_the_answer():
    assert ch01.exercise_2a.check(3.3).reason == "rounding"
    assert ch01.exercise_2b.check(2.97).reason == "rounding"


def test_messages_never_show_the_answer():
    for question, wrong in [(ch01.exercise_1, 2.3684), (ch01.exercise_1, 9.0),
                            (ch01.exercise_2a, 3.34), (ch01.exercise_2a, 1.0),
                            (ch01.exercise_2b, 2.99), (ch01.exercise_2b, 1.0)]:
        text = question.check(wrong).message
        expected = question.expected
        for shown in (f"{expected:.4f}", f"{expected:.2f}"):
            assert shown not in text.replace(f"{wrong:g}", ""), (shown, text)


def test_the_module_is_pure_maths():
    code = ("import sys; import marginlib.course.exercises.ch01; "
            "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]
