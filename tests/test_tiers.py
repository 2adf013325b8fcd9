"""Unit tests of marginlib/tiers.py: bracket tables and the tiered liquidation price.

Bracket amounts are checked against published tables (Binance BTCUSDT/ETHUSDT 2021 snapshot,
a third-party mirror of ``GET /fapi/v1/leverageBracket``; the live tables and the rule are at
https://www.binance.com/en/support/faq/360033162192);
liquidation prices against hand-solved G1 with the right bracket.
"""
import numpy as np
import pytest

import marginlib as ml
from marginlib.tiers import hyperliquid_tiers

# Binance BTCUSDT brackets (~2021, 3P mirror of GET /fapi/v1/leverageBracket): floor, MMR, cum
BTC_FLOORS = [0, 50e3, 250e3, 1e6, 5e6, 20e6, 50e6, 100e6, 200e6, 300e6]
BTC_RATES = [0.004, 0.005, 0.01, 0.025, 0.05, 0.10, 0.125, 0.15, 0.25, 0.50]
BTC_CUM = [0, 50, 1_300, 16_300, 141_300, 1_141_300, 2_391_300, 4_891_300, 24_891_300, 99_891_300]
# ETHUSDT, same snapshot
ETH_FLOORS = [0, 10e3, 100e3, 500e3, 1e6, 2e6, 5e6, 10e6, 20e6]
ETH_RATES = [0.005, 0.0065, 0.01, 0.02, 0.05, 0.10, 0.125, 0.15, 0.25]
ETH_CUM = [0, 15, 365, 5_365, 35_365, 135_365, 260_365, 510_365, 2_510_365]

SMALL = ml.margin_tiers(floors=[0, 50_000, 250_000], rates=[0.004, 0.005, 0.01], max_leverages=[125, 100, 50])


@pytest.mark.parametrize("floors, rates, cum", [(BTC_FLOORS, BTC_RATES, BTC_CUM),
                                                (ETH_FLOORS, ETH_RATES, ETH_CUM)],
                         ids=["BTCUSDT", "ETHUSDT"])
def test_amounts_match_published_cum_column(floors, rates, cum):
    t = ml.margin_tiers(floors=floors, rates=rates)
    np.testing.assert_allclose(t.amounts, cum, rtol=0, atol=1e-6)


def test_binance_preset_uses_the_same_table():
    t = ml.get_venue("binance_btcusdt").tiers
    np.testing.assert_allclose(t.amounts, BTC_CUM, atol=1e-6)
    assert t.max_leverage(40_000) == 125 and t.max_leverage(250_000) == 50


@pytest.mark.parametrize("floors, rates", [(BTC_FLOORS, BTC_RATES), (ETH_FLOORS, ETH_RATES)])
def test_maintenance_is_continuous_and_the_max_of_its_pieces(floors, rates):
    t = ml.margin_tiers(floors=floors, rates=rates)
    for floor in floors[1:]:
        assert t.maintenance_margin(floor * (1 - 1e-12)) == pytest.approx(
            t.maintenance_margin(floor), rel=1e-9)
    n = np.geomspace(1, 6e8, 400)
    pieces = np.max(n[:, None] * np.asarray(t.rates) - np.asarray(t.amounts), axis=1)
    np.testing.assert_allclose(t.maintenance_margin(n), pieces, rtol=1e-12)


def test_tier_lookup_methods():
    assert len(SMALL) == 3
    assert SMALL.tier_index(0) == 0
    assert SMALL.tier_index(49_999.99) == 0
    assert SMALL.tier_index(50_000) == 1  # the floor belongs to the bracket it opens
    assert SMALL.tier_index(264_000) == 2
    np.testing.assert_array_equal(SMALL.tier_index([10, 60_000, 1e9]), [0, 1, 2])
    assert SMALL.rate(264_000) == 0.01
    assert SMALL.amount(264_000) == pytest.approx(1_300)
    assert SMALL.max_leverage(100_000) == 100.0
    assert SMALL.maintenance_margin(264_000) == pytest.approx(264_000 * 0.01 - 1_300)
    assert type(SMALL.rate(1.0)) is float and type(SMALL.tier_index(1.0)) is int


def test_table_without_max_leverage():
    t = ml.margin_tiers(floors=[0, 100], rates=[0.01, 0.02])
    assert t.max_leverages is None
    with pytest.raises(ValueError, match="max_leverage"):
        t.max_leverage(50)


def test_metadata_is_carried():
    t = ml.margin_tiers(floors=[0], rates=[0.01], name="x", source="doc", as_of="2025")
    assert (t.name, t.source, t.as_of) == ("x", "doc", "2025")


def test_hyperliquid_tiers_rate_is_half_the_max_leverage_margin():
    t = hyperliquid_tiers(floors=[0, 20e6], max_leverages=[10, 5])
    assert t.rates == (0.05, 0.1)
    assert t.amounts == pytest.approx((0.0, 20e6 * 0.05))
    assert t.max_leverages == (10.0, 5.0)
    np.testing.assert_allclose(t.rates, ml.venues.hyperliquid.maintenance_margin_rate(np.array([10, 5])))


def test_method_elementwise(assert_elementwise):
    for method in (SMALL.rate, SMALL.amount, SMALL.maintenance_margin, SMALL.max_leverage):
        assert_elementwise(lambda notional: method(notional),
                           dict(notional=[1_000.0, 60_000.0, 300_000.0]))


# ----------------------------------------------------------------------- tiered liquidation
def test_docstring_example_switches_down_a_bracket():
    # 2,600 @ 100 (260,000: 1 % bracket), margin 26,000. With the 1 % bracket:
    # (100 − 27,300/2,600)/0.99 = 90.404 → notional 235,051 < 250,000: wrong bracket.
    # With the 0.5 % bracket (cum 50): (100 − 26,050/2,600)/0.995 = 90.433 → notional 235,126 ✓
    r = ml.tiered_liquidation_price("long", entry_price=100.0, size=2_600, margin=26_000, tiers=SMALL)
    assert r.price == pytest.approx((100 - 26_050 / 2_600) / 0.995, rel=1e-13)
    assert r.entry_tier_price == pytest.approx((100 - 27_300 / 2_600) / 0.99, rel=1e-13)
    assert (r.tier, r.entry_tier, r.switched) == (1, 2, True)
    assert (r.maintenance_margin_rate, r.maintenance_amount) == (0.005, pytest.approx(50.0))


def test_short_switches_up_a_bracket_and_liquidates_earlier():
    # 2,400 @ 100 (240,000: 0.5 %), margin 24,000. 0.5 % bracket: (100 + 24,050/2,400)/1.005
    # = 109.47 → notional 262,735 ≥ 250,000; 1 % bracket: (100 + 25,300/2,400)/1.01 = 109.45 ✓
    r = ml.tiered_liquidation_price("short", entry_price=100.0, size=2_400, margin=24_000, tiers=SMALL)
    assert r.price == pytest.approx((100 + 25_300 / 2_400) / 1.01, rel=1e-13)
    assert r.entry_tier_price == pytest.approx((100 + 24_050 / 2_400) / 1.005, rel=1e-13)
    assert (r.tier, r.entry_tier, r.switched) == (2, 1, True)
    assert r.price < r.entry_tier_price  # the naive (entry bracket) price is too optimistic


def test_no_switch_equals_plain_liquidation_price():
    r = ml.tiered_liquidation_price("long", entry_price=100.0, size=100, margin=1_000, tiers=SMALL)  # 10,000, stays in tier 0
    assert not r.switched and r.tier == r.entry_tier == 0
    assert r.price == pytest.approx(ml.liquidation_price("long", entry_price=100.0, size=100, margin=1_000, maintenance_margin_rate=0.004), rel=1e-15)


@pytest.mark.parametrize("side", ["long", "short"])
def test_single_tier_table_is_liquidation_price(side):
    t = ml.margin_tiers(floors=[0], rates=[0.0125])
    kw = dict(other_maintenance=3.0, other_unrealized_pnl=-2.0, taker_fee_rate=0.0005)
    r = ml.tiered_liquidation_price(side, entry_price=3_000, size=2, margin=500, tiers=t, **kw)
    assert r.price == pytest.approx(ml.liquidation_price(side, entry_price=3_000, size=2, margin=500, maintenance_margin_rate=0.0125, **kw), rel=1e-14)
    assert (r.tier, r.switched) == (0, False)


@pytest.mark.parametrize("side, size, margin", [("long", 80, 2_000), ("short", 20, 1_000),
                                                 ("short", 45, 900)])
def test_tier_reported_is_the_one_in_force_with_equal_rates(side, size, margin):
    """Two brackets with the same rate: the one reported is where the notional actually is."""
    t = ml.margin_tiers(floors=[0, 1_000, 5_000], rates=[0.01, 0.01, 0.02], max_leverages=[50, 40, 20])
    r = ml.tiered_liquidation_price(side, entry_price=100.0, size=size, margin=margin, tiers=t)
    assert r.tier == t.tier_index(size * r.price)
    assert r.entry_tier == t.tier_index(size * 100.0)
    assert r.switched == (r.tier != r.entry_tier)


def test_tiered_elementwise(assert_elementwise):
    assert_elementwise(
        lambda side, entry_price, size, margin: ml.tiered_liquidation_price(
            side, entry_price=entry_price, size=size, margin=margin, tiers=SMALL),
        dict(side=["long", "short", "long"], entry_price=[100.0, 100.0, 2_000.0],
             size=[2_600.0, 2_400.0, 10.0], margin=[26_000.0, 24_000.0, 2_000.0]),
        fields=["price", "tier", "entry_tier", "entry_tier_price", "switched",
                "maintenance_margin_rate", "maintenance_amount"],
        types={"tier": int, "entry_tier": int, "switched": bool}, column="side")


def test_tiered_long_clipped_at_zero():
    r = ml.tiered_liquidation_price("long", entry_price=100.0, size=1, margin=150, tiers=SMALL)
    assert r.price == 0.0


# ----------------------------------------------------------------------- records validate
GOOD = dict(floors=(0.0, 50_000.0), rates=(0.004, 0.005), amounts=(0.0, 50.0),
            max_leverages=(125.0, 100.0))


@pytest.mark.parametrize("field, bad, match", [
    ("rates", (0.004, -0.005), "rates must be a fraction in \\[0, 1\\)"),
    ("rates", (0.004, 1.0), "rates"),
    ("rates", (0.005, 0.004), "rates must be non-decreasing"),
    ("rates", (0.004,), "rates must have one entry per floor"),
    ("rates", (0.004, True), "rates"),
    ("rates", (0.004, np.nan), "rates must be finite"),
    ("floors", (10.0, 50_000.0), "floors must start at 0"),
    ("floors", (0.0, 0.0), "floors must be strictly increasing"),
    ("floors", (), "floors must be a non-empty"),
    ("floors", 0.0, "floors must be a non-empty 1-D"),
    ("floors", "0, 1", "floors"),
    ("floors", None, "floors"),
    ("amounts", (0.0, -1.0), "amounts must be >= 0"),
    ("amounts", (0.0, 49.0), "amounts must follow"),
    ("amounts", (1.0, 51.0), "amounts must follow"),
    ("max_leverages", (125.0,), "max_leverages must have one entry per floor"),
    ("max_leverages", (125.0, 0.5), "max_leverages must be >= 1"),
    ("max_leverages", (100.0, 125.0), "max_leverages must be non-increasing"),
    ("name", 3, "name must be a string"),
    ("as_of", None, "as_of must be a string"),
])
def test_margin_tiers_record_validates_when_built_and_replaced(field, bad, match):
    import dataclasses
    with pytest.raises(ValueError, match=match):
        ml.MarginTiers(**{**GOOD, field: bad})
    good = ml.MarginTiers(**GOOD)
    with pytest.raises(ValueError, match=match):
        dataclasses.replace(good, **{field: bad})


def test_margin_tiers_record_normalises_a_valid_replace():
    import dataclasses
    t = dataclasses.replace(ml.MarginTiers(**GOOD), rates=[0.004, 0.006], amounts=[0, 100])
    assert t.rates == (0.004, 0.006) and t.amounts == (0.0, 100.0)
    assert t.maintenance_margin(60_000) == pytest.approx(60_000 * 0.006 - 100)
    assert t == ml.margin_tiers(floors=[0, 50_000], rates=[0.004, 0.006], max_leverages=[125, 100])


def test_tier_functions_are_keyword_only():
    with pytest.raises(TypeError, match="positional"):
        ml.margin_tiers([0, 10], [0.01, 0.02])
    with pytest.raises(TypeError, match="positional"):
        hyperliquid_tiers([0, 10], [20, 10])
    with pytest.raises(TypeError, match="positional"):
        ml.tiered_liquidation_price("long", 100.0, 1, 10, SMALL)
