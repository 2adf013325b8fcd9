"""Independent checks written during the pre-release correctness review of the maths modules.

Each test derives its expected value by hand (arithmetic in the comment) or from another
public function of the library, never from the function under test.
"""
import math

import numpy as np
import pytest

import marginlib as ml


# --------------------------------------------------------------- liquidation price vs MM floor

def test_maintenance_amount_above_the_requirement_stops_at_bankruptcy():
    # Long 1 at 100 with margin 10, m = 0, c = 5: maintenance_margin() is max(0·P − 5, 0) = 0,
    # so the position is liquidated when equity 10 + (P − 100) reaches 0, at P = 90 (the
    # bankruptcy price). The unfloored G1 gave (10 + 5 − 100)/(0 − 1) = 85, beyond bankruptcy.
    assert ml.maintenance_margin(1, 85, 0.0, 5) == 0.0
    got = ml.liquidation_price("long", 100, 1, 10, 0.0, maintenance_amount=5)
    assert got == pytest.approx(90.0, rel=1e-15)
    assert got == ml.bankruptcy_price("long", 100, 1, 10)
    # Short mirror: bankruptcy 110 (unfloored G1: (10 + 5 + 100)/(0 + 1) = 115).
    assert ml.liquidation_price("short", 100, 1, 10, 0.0, maintenance_amount=5) == \
        pytest.approx(110.0, rel=1e-15)
    # Entry convention: MM at entry = 100·0.01 − 5 < 0 → floored 0 → bankruptcy too.
    assert ml.liquidation_price("long", 100, 1, 10, 0.01, maintenance_amount=5,
                                convention="entry") == pytest.approx(90.0, rel=1e-15)


def test_maintenance_amount_below_the_requirement_is_plain_g1():
    # c = 0.5 < q·P·m at the G1 price: (10 + 0.5 − 100)/(0.01 − 1) = 90.404..., unchanged.
    got = ml.liquidation_price("long", 100, 1, 10, 0.01, maintenance_amount=0.5)
    assert got == pytest.approx((10 + 0.5 - 100) / (0.01 - 1), rel=1e-15)


def test_funding_drift_flags_agree_with_its_displayed_liquidation_price_with_an_amount():
    # isolated_funding_drift floors MM at 0 in its liquidated flags; the price it displays must
    # be the same floored rule (liquidatable exactly when the mark is at/through it).
    d = ml.isolated_funding_drift("long", 100, 1, 10, np.full(3, 0.0), np.array([95, 90, 86.0]),
                                  0.0, 5.0)
    assert np.all(d.liquidation_price == pytest.approx(90.0))
    assert list(d.liquidated) == [False, False, True, True]


def test_negative_cross_collateral_with_a_large_amount_is_refused():
    # margin 1 − other maintenance 3 = −2 of collateral: equity at entry is −2 < 0 = floored MM.
    with pytest.raises(ValueError, match="maintenance margin at entry"):
        ml.liquidation_price("long", 100, 1, 1, 0.01, maintenance_amount=10, other_maintenance=3)
