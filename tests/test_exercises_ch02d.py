"""Checker of notebook 02d's exercise, and the alt preset that notebook's venue table uses."""
import pytest

from marginlib.course.exercises import ch02d
from marginlib.venues import compare_venues, get_venue


def _short_liq(E, q, M, m, c):
    return (E + (M + c) / q) / (1 + m)


def test_expected_value_by_hand():
    # short, 4.8 BTC at 50,000, margin 24,000; BTCUSDT 2021 brackets: 0.5 % (c 50) below 250k,
    # 1 % (c 1,300) from 250k. With the entry bracket the notional at the price is above 250k,
    # so the 1 % bracket holds there.
    entry_bracket = _short_liq(50_000, 4.8, 24_000, 0.005, 50)
    assert 4.8 * entry_bracket > 250_000
    right = _short_liq(50_000, 4.8, 24_000, 0.01, 1_300)
    assert 4.8 * right > 250_000
    assert ch02d.exercise_1.expected == pytest.approx(right, rel=1e-12)
    values = {m.name: m.value for m in ch02d.exercise_1.misconceptions}
    assert values["tier at entry"] == pytest.approx(entry_bracket, rel=1e-12)
    assert values["entry convention"] == pytest.approx(50_000 + (24_000 + 50 - 240_000 * 0.005) / 4.8)
    assert values["bankruptcy instead of liquidation"] == pytest.approx(55_000)


def test_right_answer_and_each_misconception():
    q = ch02d.exercise_1
    assert q.check(round(q.expected, 2)).ok
    assert not q.check(...).answered
    hints = set()
    for m in q.misconceptions:
        r = q.check(round(m.value, 2))
        assert not r.ok and r.reason == m.name and r.hint == m.hint
        hints.add(r.hint)
    assert len(hints) == len(q.misconceptions) >= 3
    assert q.check(100 * q.expected).reason == "factor 100"


def test_bybit_adausdt_preset_is_the_documented_snapshot():
    # Bybit ADAUSDT risk limits 1-2 (GET /v5/market/risk-limit, 3P snapshot 2026-08-05):
    # <= 200,000: MMR 0.75 %, 75x; <= 300,000: 1 %, 50x, deduction 500 = 200,000 x 0.25 %.
    v = get_venue("bybit_classic_adausdt")
    assert v.tiers.floors == pytest.approx([0, 200_000])
    assert v.tiers.rates == pytest.approx([0.0075, 0.01])
    assert v.tiers.amounts == pytest.approx([0, 500])
    assert v.tiers.max_leverages == pytest.approx([75, 50])
    assert v.convention == "entry" and not v.fee_in_requirement and v.source and v.as_of
    (row,) = compare_venues("long", entry_price=2.5, margin=100.0, leverage=10,
                            venues=["bybit_classic_adausdt"])
    assert row.liquidation_price == pytest.approx(2.5 * (1 - 0.1 + 0.0075))
