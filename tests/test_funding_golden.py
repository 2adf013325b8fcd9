"""Funding against the venues' worked examples (tests/data/funding_golden.json, with sources)."""
import json
from pathlib import Path

import numpy as np
import pytest

import marginlib as ml
from marginlib import funding, funding_drift
from marginlib.venues import drift, dydx, gmx, hyperliquid

CASES = {c["id"]: c for c in json.loads(
    (Path(__file__).parent / "data" / "funding_golden.json").read_text(encoding="utf-8"))["cases"]}


def test_every_case_has_a_source_and_a_status():
    assert set(CASES) >= {"X3", "H7", "D5", "D8", "Y3", "G1", "R3"}
    for case in CASES.values():
        assert case["source"] and case["status"], case["id"]


def test_x3_clamp_all_six_premiums():
    c = CASES["X3"]
    got = funding.funding_rate_from_premium(**c["inputs"])
    np.testing.assert_allclose(got, c["expected"]["rate"], rtol=0, atol=c["tolerance"])
    # element by element, scalar in -> float out
    for p, r in zip(c["inputs"]["premium_index"], c["expected"]["rate"]):
        value = funding.funding_rate_from_premium(p, interest_rate=c["inputs"]["interest_rate"],
                                                  clamp_limit=c["inputs"]["clamp_limit"])
        assert isinstance(value, float)
        assert value == pytest.approx(r, abs=c["tolerance"])


def test_h7_hyperliquid_baseline_apr():
    c = CASES["H7"]
    exp, tol = c["expected"], c["tolerance"]
    hourly = hyperliquid.funding_rate(c["inputs"]["premium_index"])
    assert hourly == pytest.approx(exp["hourly_rate"], abs=tol["hourly_rate"])
    assert funding.convert_funding_rate(c["inputs"]["rate_per_8h"], from_hours=8, to_hours=1) == pytest.approx(
        exp["hourly_rate"], abs=tol["hourly_rate"])
    simple = funding.annualize_funding_rate(hourly, interval_hours=c["inputs"]["interval_hours"])
    compounded = funding.annualize_funding_rate(hourly,
                                                interval_hours=c["inputs"]["interval_hours"],
                                                compounded=True)
    assert simple == pytest.approx(exp["simple"], abs=tol["simple"])
    assert compounded == pytest.approx(exp["compounded"], abs=tol["compounded"])
    assert compounded == pytest.approx(exp["published_apr"], abs=tol["published_apr"])


def test_d5_dydx_cap():
    c = CASES["D5"]
    i = c["inputs"]  # the table uses dYdX's names IMF/MMF (initial/maintenance_margin_fraction)
    cap = dydx.funding_cap(initial_margin_rate=i["initial_margin_fraction"],
                           maintenance_margin_rate=i["maintenance_margin_fraction"])
    assert cap == pytest.approx(c["expected"]["cap_8h"], abs=c["tolerance"])


def test_d8_dydx_hourly_rate_and_payment():
    c = CASES["D8"]
    i = c["inputs"]
    rate = dydx.funding_rate(i["premium"], interest_rate=i["interest_rate"])
    assert rate == pytest.approx(c["expected"]["hourly_rate"], abs=c["tolerance"])
    pay = funding.funding_payment(i["side"], size=i["size"], price=i["oracle_price"],
                                  funding_rate=rate)
    assert pay == pytest.approx(c["expected"]["payment_to_long"], abs=c["tolerance"])


def test_y3_bybit_funding_moves_liquidation_price():
    c = CASES["Y3"]
    i, exp, tol = c["inputs"], c["expected"], c["tolerance"]
    margin = i["entry_price"] * i["size"] / i["leverage"]
    assert margin == pytest.approx(exp["initial_margin"])
    mm = ml.maintenance_margin(size=i["size"], price=i["entry_price"], maintenance_margin_rate=i["maintenance_margin_rate"])
    assert mm == pytest.approx(exp["maintenance_margin"])
    # one funding interval whose payment is exactly the published 200 USDT
    rate = i["funding_paid"] / (i["size"] * i["entry_price"])
    d = funding_drift.isolated_funding_drift(i["side"], entry_price=i["entry_price"],
                                             size=i["size"], margin=margin, rate_path=[rate],
                                             maintenance_margin_rate=i["maintenance_margin_rate"],
                                             convention=i["convention"])
    assert d.payments[0] == pytest.approx(-i["funding_paid"])
    assert d.liquidation_price[0] == pytest.approx(exp["liquidation_price_before"], abs=tol)
    assert d.liquidation_price[1] == pytest.approx(exp["liquidation_price_after"], abs=tol)
    # the same number from the core liquidation price with the reduced margin
    after = ml.liquidation_price(i["side"], entry_price=i["entry_price"], size=i["size"],
                                 margin=margin - i["funding_paid"], maintenance_margin_rate=i["maintenance_margin_rate"],
                                 convention=i["convention"])
    assert after == pytest.approx(exp["liquidation_price_after"], abs=tol)


def test_g1_gmx_per_second_funding():
    c = CASES["G1"]
    g = gmx.funding_rates(**c["inputs"])
    tol = c["tolerance"]
    assert g.longs_pay is True
    assert g.long_rate == pytest.approx(c["expected"]["long_pays_per_second"], abs=tol)
    assert -g.short_rate == pytest.approx(c["expected"]["short_receives_per_second"], abs=tol)
    assert g.larger_side_rate == pytest.approx(c["expected"]["long_pays_per_second"], abs=tol)
    assert g.smaller_side_rate == pytest.approx(c["expected"]["short_receives_per_second"],
                                                abs=tol)
    # mirrored open interest: shorts pay, longs receive
    m = gmx.funding_rates(open_interest_long=c["inputs"]["open_interest_short"],
                          open_interest_short=c["inputs"]["open_interest_long"],
                          funding_factor=c["inputs"]["funding_factor"])
    assert m.longs_pay is False
    assert m.short_rate == pytest.approx(g.long_rate, abs=tol)
    assert m.long_rate == pytest.approx(g.short_rate, abs=tol)


def test_r3_drift_hourly_rate():
    c = CASES["R3"]
    i = c["inputs"]
    rate = drift.funding_rate(**i)
    assert rate == pytest.approx(c["expected"]["hourly_rate"], abs=c["tolerance"])
    assert rate * i["oracle_twap"] == pytest.approx(c["expected"]["quote_per_base_hour"],
                                                    abs=c["tolerance"])
