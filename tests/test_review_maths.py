"""Independent checks written during the pre-release correctness review of the maths modules.

Each test derives its expected value by hand (arithmetic in the comment) or from another
public function of the library, never from the function under test.
"""
import math

import numpy as np
import pytest

import marginlib as ml
from marginlib import costs, funding, funding_drift, venues
from marginlib.venues import dydx, hyperliquid


# --------------------------------------------------------------- liquidation price vs MM floor

def test_maintenance_amount_above_the_requirement_stops_at_bankruptcy():
    # Long 1 at 100 with margin 10, m = 0, c = 5: maintenance_margin() is max(0·P − 5, 0) = 0,
    # so the position is liquidated when equity 10 + (P − 100) reaches 0, at P = 90 (the
    # bankruptcy price). The unfloored G1 gave (10 + 5 − 100)/(0 − 1) = 85, beyond bankruptcy.
    assert ml.maintenance_margin(size=1, price=85, maintenance_margin_rate=0.0, maintenance_amount=5) == 0.0
    got = ml.liquidation_price("long", entry_price=100, size=1, margin=10, maintenance_margin_rate=0.0, maintenance_amount=5)
    assert got == pytest.approx(90.0, rel=1e-15)
    assert got == ml.bankruptcy_price("long", entry_price=100, size=1, margin=10)
    # Short mirror: bankruptcy 110 (unfloored G1: (10 + 5 + 100)/(0 + 1) = 115).
    assert ml.liquidation_price("short", entry_price=100, size=1, margin=10, maintenance_margin_rate=0.0, maintenance_amount=5) == \
        pytest.approx(110.0, rel=1e-15)
    # Entry convention: MM at entry = 100·0.01 − 5 < 0 → floored 0 → bankruptcy too.
    assert ml.liquidation_price("long", entry_price=100, size=1, margin=10, maintenance_margin_rate=0.01, maintenance_amount=5,
                                convention="entry") == pytest.approx(90.0, rel=1e-15)


def test_maintenance_amount_below_the_requirement_is_plain_g1():
    # c = 0.5 < q·P·m at the G1 price: (10 + 0.5 − 100)/(0.01 − 1) = 90.404..., unchanged.
    got = ml.liquidation_price("long", entry_price=100, size=1, margin=10, maintenance_margin_rate=0.01, maintenance_amount=0.5)
    assert got == pytest.approx((10 + 0.5 - 100) / (0.01 - 1), rel=1e-15)


def test_funding_drift_flags_agree_with_its_displayed_liquidation_price_with_an_amount():
    # isolated_funding_drift floors MM at 0 in its liquidated flags; the price it displays must
    # be the same floored rule: liquidated when the mark is strictly through it (at 90 the
    # equity 0 equals the floored maintenance 0, which is not liquidated).
    d = funding_drift.isolated_funding_drift("long", entry_price=100, size=1, margin=10,
                                             rate_path=np.full(3, 0.0),
                                             price_path=np.array([95, 90, 86.0]),
                                             maintenance_margin_rate=0.0, maintenance_amount=5.0)
    assert np.all(d.liquidation_price == pytest.approx(90.0))
    assert list(d.liquidated) == [False, False, False, True]


def test_negative_cross_collateral_with_a_large_amount_is_refused():
    # margin 1 − other maintenance 3 = −2 of collateral: equity at entry is −2 < 0 = floored MM.
    with pytest.raises(ValueError, match="maintenance margin at entry"):
        ml.liquidation_price("long", entry_price=100, size=1, margin=1, maintenance_margin_rate=0.01, maintenance_amount=10, other_maintenance=3)


# --------------------------------------------------------------- venue presets vs their sources

# (key, floors, maintenance rates, maintenance amounts, max leverages, convention, taker fee in
# the requirement?) written out by hand from each preset's ``source`` (marginlib/venues/<venue>.py):
# Binance BTCUSDT 2021 brackets (3P mirror of GET /fapi/v1/leverageBracket), Bybit BTCUSDT risk
# limits 1–4 (3P, deductions = golden case Y8), Hyperliquid BTC 40x/20x at 150M and the 10x/5x at
# 20M alt tier (PUB, m = 1/(2·maxLev)), dYdX Large-Cap IMF 2 % / MMF 1.2 % and Small-Cap 10 % /
# 5 % (PUB), GMX minCollateralFactor 1 % with 0.06 % close fee, golden case O1 OKX 0.4 % +
# taker 0.05 % (tests/data/golden_cases.json).
PRESETS = [
    ("binance_btcusdt", [0, 50e3, 250e3, 1e6, 5e6, 20e6, 50e6, 100e6, 200e6, 300e6],
     [0.004, 0.005, 0.01, 0.025, 0.05, 0.10, 0.125, 0.15, 0.25, 0.50],
     [0, 50, 1_300, 16_300, 141_300, 1_141_300, 2_391_300, 4_891_300, 24_891_300, 99_891_300],
     [125, 100, 50, 20, 10, 5, 4, 3, 2, 1], "mark", False),
    ("bybit_classic_btcusdt", [0, 2.0e6, 2.6e6, 3.2e6], [0.005, 0.0056, 0.0063, 0.0067],
     [0, 1_200, 3_020, 4_300], [100, 90, 80, 75], "entry", False),
    ("hyperliquid_btc", [0, 150e6], [1 / 80, 1 / 40], [0, 1_875_000], [40, 20], "mark", False),
    ("hyperliquid_10x", [0, 20e6], [1 / 20, 1 / 10], [0, 1_000_000], [10, 5], "mark", False),
    ("dydx_v4_large_cap", [0], [0.012], [0], [50], "mark", False),
    ("dydx_v4_small_cap", [0], [0.05], [0], [10], "mark", False),
    ("gmx_v2", [0], [0.01], [0], [100], "entry", True),
    ("okx_btc_example", [0], [0.004], [0], [100], "mark", True),
]


@pytest.mark.parametrize("key, floors, rates, amounts, levs, convention, fee_in", PRESETS)
def test_venue_presets_carry_the_documented_parameters(key, floors, rates, amounts, levs,
                                                       convention, fee_in):
    venue = venues.get_venue(key)
    assert venue.tiers.floors == pytest.approx(floors)
    assert venue.tiers.rates == pytest.approx(rates, rel=1e-12)
    assert venue.tiers.amounts == pytest.approx(amounts, rel=1e-12, abs=1e-9)
    assert venue.tiers.max_leverages == pytest.approx(levs)
    assert venue.max_leverage == levs[0]
    assert venue.convention == convention
    assert venue.fee_in_requirement is fee_in
    assert venue.source and venue.as_of


def test_okx_and_gmx_presets_reproduce_o1_and_g7():
    # O1: (60,000 − 6,000)/(1 − 0.0045) and (60,000 + 6,000)/(1 + 0.0045).
    assert venues.venue_liquidation_price("okx_btc_example", "long", entry_price=60_000, size=1,
                                          margin=6_000) == \
        pytest.approx(54_000 / 0.9955, rel=1e-12)
    assert venues.venue_liquidation_price("okx_btc_example", "short", entry_price=60_000, size=1,
                                          margin=6_000) == \
        pytest.approx(66_000 / 1.0045, rel=1e-12)
    # G7 short mirror: 5,000 − 10·(P − 5,000) − 30 = 500 → P = 5,447.
    assert venues.venue_liquidation_price("gmx_v2", "short", entry_price=5_000, size=10,
                                          margin=5_000) == \
        pytest.approx(5_447.0, rel=1e-12)


# --------------------------------------------------------------- funding units and edge cases

def test_hourly_and_eight_hour_schedules_cost_the_same_per_day():
    # Hyperliquid pays F/8 every hour: 8 hourly payments of the 8-hour baseline rate equal one
    # 8-hour payment; annualised simple = 0.0001·3·365 = 10.95 %.
    hourly = hyperliquid.funding_rate(0.0)
    assert 8 * hourly == pytest.approx(funding.funding_rate_from_premium(0.0), rel=1e-15)
    assert funding.annualize_funding_rate(hourly, interval_hours=1) == pytest.approx(0.0001 * 3 * 365, rel=1e-12)
    assert funding.annualize_funding_rate(0.0001, interval_hours=8) == pytest.approx(0.1095, rel=1e-12)
    # dYdX cap 12 %/8 h → 1.5 %/h on the hourly rate.
    assert dydx.funding_rate(1.0, initial_margin_rate=0.05, maintenance_margin_rate=0.03) == pytest.approx(0.015)


@pytest.mark.parametrize("side, rate", [("long", 0.0), ("short", 0.0), ("long", -0.001),
                                        ("short", 0.001)])
def test_zero_or_received_funding_never_liquidates_and_costs_nothing(side, rate):
    assert funding_drift.intervals_to_funding_liquidation(side, entry_price=100, size=1, margin=1,
                                                          funding_rate=rate) == -1
    d = funding_drift.isolated_funding_drift(side, entry_price=100, size=1, margin=1,
                                             rate_path=np.full(50, rate))
    assert d.liquidation_interval == -1
    assert np.all(np.isfinite(d.effective_leverage))
    # the receiver's carry: L·|r|·n with no fees; zero rate → exactly 0
    assert costs.carry_return(side, funding_rate=rate, intervals=10, leverage=1) == pytest.approx(10 * abs(rate))


def test_break_even_short_with_closing_fee_by_hand():
    # Short 1 at 100, 10 bp each way, no funding: −(X − 100) − 0.1 − 0.001·X = 0 →
    # X = 99.9/1.001.
    be = costs.break_even_move("short", entry_price=100, size=1, open_fee_rate=0.001,
                               close_fee_rate=0.001)
    assert be.exit_price == pytest.approx(99.9 / 1.001, rel=1e-14)
    assert be.total_cost == pytest.approx(0.1 + 0.001 * 99.9 / 1.001, rel=1e-14)


def test_very_small_margin_gives_finite_prices_near_entry():
    for side, sign in (("long", 1), ("short", -1)):
        p = ml.liquidation_price(side, entry_price=100, size=1, margin=1e-9)
        assert math.isfinite(p) and p == pytest.approx(100 - sign * 1e-9, abs=1e-12)


def test_leverage_one_long_without_maintenance_is_never_liquidated_exactly_zero():
    """M = q·E cancels to a ~1e-16 residue in floating point: the price must be exactly 0."""
    for entry in (0.1, 0.7, 1.3, 2.9, 17.3, 3.0):
        size = ml.position_size(margin=10.0, leverage=1.0, entry_price=entry)
        assert ml.liquidation_price("long", entry_price=entry, size=size, margin=10.0) == 0.0
        tiers = ml.margin_tiers(floors=[0.0], rates=[0.0])
        assert ml.tiered_liquidation_price("long", entry_price=entry, size=size, margin=10.0, tiers=tiers).price == 0.0
    acct = ml.Account(1_000.0)
    acct.open("P1", "long", margin=125.0, leverage=1.0, price=0.1, mode="isolated")
    assert acct.liquidation_price("P1") == 0.0
