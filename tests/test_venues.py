"""Unit tests of marginlib/venues/ (presets, comparison, one module per venue's rules).

Preset liquidation prices are checked against the closed form of
:func:`marginlib.liquidation.liquidation_price` with each preset's own rate and convention
written out by hand; venue rules against their published formulas, and (where a rule is G1 in
disguise) against :func:`marginlib.liquidation.liquidation_price`.
"""
import numpy as np
import pytest

import marginlib as ml
from marginlib import costs, position, venues
from marginlib.liquidation import CONVENTIONS
from marginlib.venues import binance, bybit, drift, dydx, gmx, hyperliquid, phemex

SIDES = ["long", "short", "long"]


# ----------------------------------------------------------------------- presets
def test_required_presets_exist_with_source_and_date():
    keys = set(venues.VENUES)
    assert {"dydx_v4_large_cap", "dydx_v4_small_cap", "hyperliquid_btc", "gmx_v2",
            "binance_btcusdt"} <= keys
    for key, venue in venues.VENUES.items():
        assert venue.key == key
        assert venue.source and venue.as_of, key
        assert venue.tiers.source and venue.tiers.as_of, key
        assert venue.convention in CONVENTIONS
        assert venue.max_leverage >= 1
        assert 0 <= venue.taker_fee_rate < 0.01 and 0 <= venue.liquidation_fee_rate < 0.05


def test_get_venue():
    v = venues.get_venue("gmx_v2")
    assert v is venues.VENUES["gmx_v2"]
    assert venues.get_venue(v) is v  # a Venue passes through
    with pytest.raises(ValueError, match="venue must be one of"):
        venues.get_venue("ftx")


@pytest.mark.parametrize("side", ["long", "short"])
def test_mark_venues_are_g1_with_their_rate(side):
    s = 1 if side == "long" else -1
    e, q, margin = 40_000.0, 1.0, 4_000.0  # 10×, notional < 50,000: first tier everywhere
    cases = {"hyperliquid_btc": 1 / 80, "dydx_v4_large_cap": 0.012, "binance_btcusdt": 0.004,
             "okx_btc_example": 0.004 + 0.0005}  # OKX counts the taker fee
    for key, m in cases.items():
        want = (e - s * margin / q) / (1 - s * m)
        assert venues.venue_liquidation_price(key, side, entry_price=e, size=q, margin=margin) == pytest.approx(want, rel=1e-13), key


@pytest.mark.parametrize("side", ["long", "short"])
def test_entry_venues_are_linear(side):
    s = 1 if side == "long" else -1
    e, q, lev = 2_000.0, 3.0, 20
    margin = q * e / lev
    # Bybit classic: E·(1 − s/L + s·m), m = 0.5 %; GMX: m = 1 % plus the 0.06 % close fee
    got = venues.venue_liquidation_price("bybit_classic_btcusdt", side, entry_price=e, size=q,
                                         margin=margin)
    assert got == pytest.approx(e * (1 - s / lev + s * 0.005), rel=1e-13)
    got = venues.venue_liquidation_price("gmx_v2", side, entry_price=e, size=q, margin=margin)
    assert got == pytest.approx(e * (1 - s / lev + s * 0.0106), rel=1e-13)


def test_binance_preset_uses_the_bracket_at_the_liquidation_price():
    r = ml.tiered_liquidation_price("long", entry_price=100.0, size=2_600, margin=26_000, tiers=venues.get_venue("binance_btcusdt").tiers,
                                    )
    assert venues.venue_liquidation_price("binance_btcusdt", "long", entry_price=100.0, size=2_600,
                                          margin=26_000) == r.price
    assert r.switched


def test_venue_leverage_cap_per_bracket():
    # Binance: 300,000 notional is in the 50× bracket; 60× there is refused
    with pytest.raises(ValueError, match="leverage"):
        venues.venue_liquidation_price("binance_btcusdt", "long", entry_price=100.0, size=3_000,
                                       margin=5_000)
    assert venues.venue_liquidation_price("binance_btcusdt", "long", entry_price=100.0, size=3_000,
                                          margin=7_500) > 0


def test_custom_venue():
    flat = ml.margin_tiers(floors=[0], rates=[0.02], max_leverages=[25], name="test", source="me", as_of="today")
    v = venues.Venue(key="custom", name="Custom", max_leverage=25, tiers=flat, convention="entry",
                 taker_fee_rate=0.001, fee_in_requirement=True)
    got = venues.venue_liquidation_price(v, "short", entry_price=10.0, size=100, margin=100)
    assert got == pytest.approx(10 * (1 + 0.1 - 0.021), rel=1e-13)


def test_venue_liquidation_price_elementwise(assert_elementwise):
    for key in ("hyperliquid_btc", "gmx_v2", "binance_btcusdt"):
        assert_elementwise(
            lambda side, entry_price, size, margin: venues.venue_liquidation_price(key, side, entry_price=entry_price, size=size, margin=margin),
            dict(side=SIDES, entry_price=[100.0, 2_000.0, 50_000.0], size=[10.0, 0.5, 0.02],
                 margin=[200.0, 100.0, 250.0]), column="side")


# ----------------------------------------------------------------------- compare_venues
def test_compare_venues_with_leverage_above_some_maximums():
    rows = venues.compare_venues("long", entry_price=100.0, margin=100.0, leverage=20)
    by_key = {r.key: r for r in rows}
    assert list(by_key) == list(venues.VENUES)
    for key in ("dydx_v4_small_cap", "hyperliquid_10x"):  # 10× maximum
        r = by_key[key]
        assert not r.allowed and r.liquidation_price is None and r.distance is None
        assert "maximum" in r.reason and r.max_leverage == 10
    for key in ("dydx_v4_large_cap", "hyperliquid_btc", "gmx_v2", "binance_btcusdt",
                "bybit_classic_btcusdt", "okx_btc_example"):
        r = by_key[key]
        assert r.allowed and r.reason == ""
        want = venues.venue_liquidation_price(key, "long", entry_price=100.0, size=20.0,
                                              margin=100.0)
        assert r.liquidation_price == pytest.approx(want, rel=1e-14)
        assert r.distance == pytest.approx(abs(want - 100) / 100, rel=1e-12)
        assert 0 < r.distance < 1 / 20  # inside the bankruptcy distance
        assert r.source and r.as_of and r.convention in CONVENTIONS


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("leverage", [1.5, 3.0, 10.0, 20.0, 50.0])
def test_margin_lost_share_is_the_price_loss_over_the_margin(side, leverage):
    entry, margin = 80.0, 250.0
    size = margin * leverage / entry
    for r in venues.compare_venues(side, entry_price=entry, margin=margin, leverage=leverage):
        if not r.allowed:
            assert r.margin_lost_share is None
            continue
        loss = -position.unrealized_pnl(side, size=size, entry_price=entry,
                                        mark_price=r.liquidation_price)
        assert r.margin_lost_share == pytest.approx(loss / margin, rel=1e-12)
        assert r.margin_lost_share == pytest.approx(leverage * r.distance, rel=1e-15)
        assert 0 < r.margin_lost_share <= 1  # liquidated before the margin is gone


def test_margin_lost_share_of_a_flat_mark_venue():
    # dYdX small-cap, maintenance 5 %: a long loses (1 − m·L)/(1 − m), a short (1 − m·L)/(1 + m)
    for side, denominator in [("long", 0.95), ("short", 1.05)]:
        for lev in (2.0, 5.0, 10.0):
            (r,) = venues.compare_venues(side, entry_price=100.0, margin=100.0, leverage=lev,
                                         venues=["dydx_v4_small_cap"])
            assert r.margin_lost_share == pytest.approx((1 - 0.05 * lev) / denominator,
                                                        rel=1e-12)


def test_compare_venues_reports_margin_below_requirement():
    # GMX at 100×: 1 % margin does not cover 1 % + 0.06 % close fee → refused with a reason
    rows = venues.compare_venues("short", entry_price=100.0, margin=100.0, leverage=100,
                                 venues=["gmx_v2", "binance_btcusdt"])
    gmx, binance = rows
    assert not gmx.allowed and "maintenance" in gmx.reason
    assert binance.allowed and binance.liquidation_price > 100


def test_compare_venues_accepts_venue_objects():
    rows = venues.compare_venues("long", entry_price=50.0, margin=10.0, leverage=5,
                                 venues=[venues.get_venue("dydx_v4_small_cap")])
    assert len(rows) == 1 and rows[0].allowed
    assert rows[0].liquidation_price == pytest.approx((50 - 10 / 1.0) / 0.95, rel=1e-13)


# ----------------------------------------------------------------------- venue_rules
VR_ELEMENTWISE = {
    "initial_margin": (position.initial_margin, dict(size=[1.0, 0.5, 400.0], price=[100.0, 50_000.0, 2.5],
                                               leverage=[2.0, 10.0, 50.0])),
    "fee_to_close": (costs.fee_to_close, dict(side=SIDES, size=[1.0, 0.5, 400.0],
                                           entry_price=[100.0, 50_000.0, 2.5],
                                           leverage=[2.0, 10.0, 50.0],
                                           taker_fee_rate=[0.00055, 0.0006, 0.0])),
    "bybit_uta_liquidation_price": (
        lambda side, entry_price, size, leverage, extra_margin: bybit.uta_liquidation_price(side, entry_price=entry_price, size=size, leverage=leverage, maintenance_margin_rate=0.005, extra_margin=extra_margin, taker_fee_rate=0.00055, mm_deduction=1.0),
        dict(side=SIDES, entry_price=[40_000.0, 2_000.0, 100.0], size=[1.0, 3.0, 50.0],
             leverage=[50.0, 10.0, 25.0], extra_margin=[3_000.0, 0.0, 10.0])),
    "phemex_position_balance": (phemex.position_balance,
                                dict(side=SIDES, size=[500.0, 2.0, 1.0],
                                     entry_price=[0.4, 3_000.0, 100.0], leverage=[5.0, 20.0, 1.0],
                                     taker_fee_rate=[0.0006, 0.0006, 0.001])),
    "hyperliquid_maintenance_rate": (hyperliquid.maintenance_margin_rate,
                                     dict(max_leverage=[3.0, 20.0, 50.0])),
    "hyperliquid_backstop_threshold": (hyperliquid.backstop_threshold,
                                       dict(maintenance_margin=[0.0, 1_250.0, 7.5])),
    "dydx_impact_notional": (dydx.impact_notional,
                             dict(initial_margin_rate=[0.02, 0.1, 1.0])),
    "dydx_effective_imf": (dydx.effective_initial_margin_rate,
                           dict(initial_margin_rate=[0.02, 0.1, 0.2],
                                open_interest_notional=[10e6, 35e6, 60e6],
                                lower_cap=[20e6, 20e6, 5e6], upper_cap=[50e6, 50e6, 10e6]),
                           ),
    "drift_asset_weight": (drift.asset_weight,
                           dict(size=[2_000.0, 1e6, 0.0], base_asset_weight=[0.8, 0.9, 1.0],
                                imf_factor=[0.003, 0.003, 0.0])),
}


@pytest.mark.parametrize("name", list(VR_ELEMENTWISE))
def test_venue_rules_elementwise(name, assert_elementwise):
    func, columns = VR_ELEMENTWISE[name]
    assert_elementwise(func, columns)


def test_initial_margin_and_its_cap():
    assert position.initial_margin(size=2, price=30_000, leverage=20) == pytest.approx(3_000.0)
    assert position.initial_margin(size=2, price=30_000, leverage=20, max_leverage=20) == pytest.approx(3_000.0)
    with pytest.raises(ValueError, match="leverage"):
        position.initial_margin(size=2, price=30_000, leverage=25, max_leverage=20)


def test_fee_to_close_is_value_at_bankruptcy_times_taker():
    for side in ("long", "short"):
        bk = ml.bankruptcy_price(side, entry_price=40_000, size=1, margin=800)
        assert costs.fee_to_close(side, size=1, entry_price=40_000, leverage=50,
                                  taker_fee_rate=0.00055) == pytest.approx(bk * 0.00055, rel=1e-14)


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("extra, taker, ded", [(0.0, 0.0, 0.0), (0.0, 0.00055, 0.0),
                                               (3_000.0, 0.00055, 0.0), (500.0, 0.001, 40.0)])
def test_bybit_uta_is_g1_with_grossed_up_extra_margin(side, extra, taker, ded):
    s = 1 if side == "long" else -1
    e, q, lev, m = 40_000.0, 1.5, 50, 0.005
    got = bybit.uta_liquidation_price(side, entry_price=e, size=q, leverage=lev,
                                      maintenance_margin_rate=m, extra_margin=extra,
                                      taker_fee_rate=taker, mm_deduction=ded)
    margin = q * e / lev + extra / (1 - s * taker)
    assert got == pytest.approx(ml.liquidation_price(side, entry_price=e, size=q, margin=margin, maintenance_margin_rate=m, maintenance_amount=ded), rel=1e-13)
    # Bybit's printed form
    printed = (e * q - s * e * q / lev - s * extra / (1 - s * taker) - s * ded) / (q - s * q * m)
    assert got == pytest.approx(printed, rel=1e-13)


def test_bybit_uta_without_extra_margin_ignores_the_fee():
    # the fee to close cancels between IM and MM: Y6b, 19,698.49 for any taker fee
    for taker in (0.0, 0.00055, 0.002):
        got = bybit.uta_liquidation_price("long", entry_price=20_000, size=1, leverage=50,
                                          maintenance_margin_rate=0.005, taker_fee_rate=taker)
        assert got == pytest.approx(19_600 / 0.995, rel=1e-13)


def test_bybit_uta_long_clipped_and_leverage_cap():
    assert bybit.uta_liquidation_price("long", entry_price=100, size=1, leverage=1,
                                       maintenance_margin_rate=0.01, extra_margin=50) == 0.0
    with pytest.raises(ValueError, match="leverage"):
        bybit.uta_liquidation_price("long", entry_price=100, size=1, leverage=120,
                                    maintenance_margin_rate=0.005, max_leverage=100)


def test_phemex_liquidation_price_printed_form():
    # long (OpenValue − posBalance − mmAmount)/(1 − taker − m)/size; short (… + …)/(1 + taker + m)
    for side, s in (("long", 1), ("short", -1)):
        bal = phemex.position_balance(side, size=500, entry_price=0.4, leverage=5,
                                      taker_fee_rate=0.0006)
        assert bal == pytest.approx(200 / 5 + 200 * (1 - s / 5) * 0.0006, rel=1e-14)
        printed = (200 - s * bal) / (1 - s * (0.0006 + 0.01)) / 500
        got = ml.liquidation_price(side, entry_price=0.4, size=500, margin=bal, maintenance_margin_rate=0.01, taker_fee_rate=0.0006)
        assert got == pytest.approx(printed, rel=1e-13)


def test_hyperliquid_rules():
    np.testing.assert_allclose(hyperliquid.maintenance_margin_rate([50, 40, 20, 3]),
                               [0.01, 0.0125, 0.025, 1 / 6])
    assert hyperliquid.backstop_threshold(0) == 0.0
    assert hyperliquid.backstop_threshold(3) == pytest.approx(2.0)
    assert hyperliquid.BACKSTOP_FRACTION == pytest.approx(2 / 3)


def test_dydx_impact_notional_matches_the_tiers_that_follow_the_rule():
    # governance.mdx: Large-Cap 0.02 → 25,000; Small-Cap 0.10 → 5,000; Long-Tail 0.20 → 2,500
    np.testing.assert_allclose(dydx.impact_notional([0.02, 0.10, 0.20]), [25_000, 5_000, 2_500])


def test_dydx_effective_imf_shape():
    oi = np.array([0.0, 20e6, 26e6, 35e6, 50e6, 80e6])
    got = dydx.effective_initial_margin_rate(initial_margin_rate=0.10, open_interest_notional=oi,
                                             lower_cap=20e6, upper_cap=50e6)
    np.testing.assert_allclose(got, [0.10, 0.10, 0.10 + 0.2 * 0.9, 0.55, 1.0, 1.0], rtol=1e-12)
    assert dydx.effective_initial_margin_rate(initial_margin_rate=1.0, open_interest_notional=3e6,
                                              lower_cap=2e6, upper_cap=5e6) == 1.0  # Safety tier


def test_drift_asset_weight_discount():
    assert drift.asset_weight(size=0, base_asset_weight=0.8, imf_factor=0.003) == 0.8
    assert drift.asset_weight(size=1e9, base_asset_weight=0.8, imf_factor=0.0) == 0.8  # no IMF factor, no discount
    sizes = np.geomspace(1, 1e9, 50)
    w = drift.asset_weight(size=sizes, base_asset_weight=0.8, imf_factor=0.003)
    assert np.all(np.diff(w) <= 0) and np.all(w <= 0.8)
    big = drift.asset_weight(size=1e6, base_asset_weight=0.8, imf_factor=0.003)
    assert big == pytest.approx(1.1 / (1 + 0.003 * 1_000), rel=1e-14)
