"""Notebook 04d's exercise checker: the right answer passes, each known mistake gets its own hint.

The solution is recomputed here from the formula (not by calling the code under test). The
two-longs cross account: AGENT 400 tokens at 2.50 and NEURAL 1,000 at 0.50 (1,500 USDC of
notional), wallet 200 USDC, maintenance 5 %.
"""
import pytest

from marginlib.course.exercises import ch04d
from marginlib.region import equity_minus_maintenance

W, N, M = 200.0, 400 * 2.50 + 1_000 * 0.50, 0.05
# A common fall x: W − N·x = m·N·(1 − x)  ⇒  x = (W − m·N) / (N·(1 − m)).
COMMON = (W - M * N) / (N * (1 - M))
Q1 = ch04d.exercise_1


def test_the_solution_computed_independently_is_expected():
    assert COMMON == pytest.approx(125 / 1425)
    assert Q1.expected == pytest.approx(COMMON, rel=1e-12)
    surplus = equity_minus_maintenance(["long", "long"], prices_a=2.50 * (1 - COMMON),
                                       prices_b=0.50 * (1 - COMMON), sizes=[400, 1_000],
                                       entry_prices=[2.50, 0.50], wallet=W,
                                       maintenance_margin_rate=M)
    assert surplus == pytest.approx(0, abs=1e-9)


def test_the_right_answer_passes_rounded_as_asked():
    assert Q1.check(COMMON).ok and Q1.check(round(COMMON, 4)).ok


def test_the_placeholder_is_not_answered_yet():
    result = Q1.check(...)
    assert not result.ok and not result.answered and result.reason == "unanswered"


def test_each_misconception_gets_its_own_hint():
    seen = set()
    for m in Q1.misconceptions:
        result = Q1.check(round(m.value, 4))
        assert not result.ok and result.reason == m.name and result.hint == m.hint, m.name
        seen.add(result.hint)
    assert len(seen) == len(Q1.misconceptions) >= 3


def test_the_misconception_values_by_hand():
    # A alone, B held at 0.50: W + 400(P − 2.5) = m(400·P + 500)
    a_alone = (400 * 2.50 + M * 500 - W) / (400 * (1 - M))
    # B alone, A held at 2.50: W + 1,000(P − 0.5) = m(1,000·P + 1,000)
    b_alone = (1_000 * 0.50 + M * 1_000 - W) / (1_000 * (1 - M))
    values = {m.name: m.value for m in Q1.misconceptions}
    assert values == pytest.approx({
        "one token alone": 1 - a_alone / 2.50,
        "one token alone (B)": 1 - b_alone / 0.50,
        "bankruptcy instead of liquidation": W / N,
        "entry convention": (W - M * N) / N,
        "isolated instead of cross": 1 - (2.50 - 100 / 400) / (1 - M) / 2.50,
    })
    assert COMMON < min(values["one token alone"], values["one token alone (B)"])


def test_unit_slips_are_recognised():
    assert Q1.check(100 * COMMON).reason == "percent vs fraction"
    assert Q1.check(10_000 * COMMON).reason == "basis points"
