"""GMX v2 rows G2-G6 of the reference table (tests/data/funding_golden.json, with sources).

G3 (swap price impact) and G4 (position price impact) are checked with
:mod:`marginlib.venues.gmx`; G5 (the base config's funding and borrowing factors, annualised)
with the public funding API. G2 and G6 need mechanisms marginlib does not model (adaptive
funding, borrowing) and are kept as rows that skip with their reason, so that every row of the
reference table is a test.
"""
import json
from pathlib import Path

import pytest

from marginlib import funding
from marginlib.venues import gmx

CASES = {c["id"]: c for c in json.loads(
    (Path(__file__).parent / "data" / "funding_golden.json").read_text(encoding="utf-8"))["cases"]}
SECOND_HOURS = 1 / 3600


def test_every_gmx_row_of_the_reference_table_is_present_with_a_source():
    assert {"G1", "G2", "G3", "G4", "G5", "G6"} <= set(CASES)
    for key in ("G2", "G3", "G4", "G5", "G6"):
        c = CASES[key]
        assert c["source"].startswith(f"cases.md 8.7 {key}") and c["status"], key
        assert c.get("skip", False) == (key in {"G2", "G6"}), key
        if c.get("skip"):
            assert c["skip_reason"].strip(), key


def test_g5_gmx_base_config_annualised():
    c = CASES["G5"]
    i, exp, tol = c["inputs"], c["expected"], c["tolerance"]
    # ~100 % skew: the larger side pays fundingFactor per second (exponent 1)
    g = gmx.funding_rates(open_interest_long=i["open_interest_long"],
                          open_interest_short=i["open_interest_short"],
                          funding_factor=i["funding_factor"])
    assert g.longs_pay is True
    yearly = funding.annualize_funding_rate(g.larger_side_rate, interval_hours=SECOND_HOURS)
    assert yearly == pytest.approx(exp["funding_per_year_full_skew"],
                                   abs=tol["funding_per_year_full_skew"])
    # the 90 %/yr maximum, per day
    daily = funding.convert_funding_rate(i["max_funding_per_year"], from_hours=365 * 24, to_hours=24)
    assert daily == pytest.approx(exp["max_funding_per_day"], abs=tol["max_funding_per_day"])
    # borrowing factor x reserve factor per second at 100 % use, per year
    borrow = funding.annualize_funding_rate(i["borrowing_factor"] * i["reserve_factor"],
                                            interval_hours=SECOND_HOURS)
    assert borrow == pytest.approx(exp["borrowing_per_year_full_use"],
                                   abs=tol["borrowing_per_year_full_use"])


def test_g3_gmx_swap_price_impact_deposit_then_withdraw():
    c = CASES["G3"]
    i, exp, tol = c["inputs"], c["expected"], c["tolerance"]
    assert i["impact_factor"] == pytest.approx(0.01 / 50_000, rel=1e-15)
    factors = dict(positive_impact_factor=i["impact_factor"],
                   negative_impact_factor=i["impact_factor"], impact_exponent=i["impact_exponent"])
    long0, short0 = i["pool_long_usd"], i["pool_short_usd"]
    deposit = gmx.swap_price_impact(pool_long_usd=long0, pool_short_usd=short0,
                                    delta_long_usd=i["deposit_long_usd"], **factors)
    assert deposit == pytest.approx(exp["deposit_impact_usd"], abs=tol)
    withdraw = gmx.swap_price_impact(pool_long_usd=long0 + i["deposit_long_usd"],
                                     pool_short_usd=short0,
                                     delta_long_usd=-i["withdraw_long_usd"], **factors)
    assert withdraw == pytest.approx(exp["withdraw_impact_usd"], abs=tol)


def test_g4_gmx_position_price_impact_open_then_close():
    c = CASES["G4"]
    i, exp, tol = c["inputs"], c["expected"], c["tolerance"]
    size, price = i["size_delta_usd"], i["price"]
    opened = gmx.increase_position("long", size_delta_usd=size, price=price,
                                   price_impact_usd=i["open_impact_fraction"] * size)
    assert opened.size_in_tokens == pytest.approx(exp["size_tokens"], abs=tol["size_tokens"])
    assert opened.execution_price == pytest.approx(exp["entry_price"], abs=tol["entry_price"])
    assert opened.pending_pnl == pytest.approx(exp["pending_pnl_usd"], abs=tol["pending_pnl_usd"])
    closed = gmx.decrease_position("long", size_in_usd=opened.size_in_usd,
                                   size_in_tokens=opened.size_in_tokens,
                                   collateral=i["collateral_usd"], price=price,
                                   price_impact_usd=i["close_impact_fraction"] * size)
    assert i["collateral_usd"] - closed.amount_out == pytest.approx(
        exp["closing_loss_usd"], abs=tol["closing_loss_usd"])
    assert closed.bad_debt == 0.0
    # the position impact pool: 0.01 tokens after opening, 0.03 after closing (README)
    assert size / price - opened.size_in_tokens == pytest.approx(0.01, abs=1e-12)
    assert (size / price - opened.size_in_tokens) - closed.price_impact_usd / price == \
        pytest.approx(0.03, abs=1e-12)


@pytest.mark.parametrize("key", ["G2", "G6"])
def test_rows_outside_the_model_skip_with_their_reason(key):
    c = CASES[key]
    assert c["skip"] and c["expected"]
    pytest.skip(f"{key}: {c['skip_reason']}")
