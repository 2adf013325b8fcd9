"""Golden cases: the venues' own worked examples (``tests/data/golden_cases.json``).

Each JSON row is one test id. ``DISPATCH`` maps the row id to the function that computes the
value from the row's ``inputs`` with the public API; the row carries the published value, its
tolerance (0.005 for cent-rounded values, else half a unit of the published last digit), its
status label (PUB / PUB-m / 3P / CALC) and its source. Rows marked ``negative`` are known-wrong
shortcuts that the exact formula must *not* reproduce; rows marked ``skip`` say why.
"""
import json
import math
from pathlib import Path

import pytest

from marginlib import costs, position, venues
from marginlib.liquidation import (bankruptcy_price, liquidation_outcome, liquidation_price,
                                   maintenance_margin)
from marginlib.position import unrealized_pnl
from marginlib.tiers import hyperliquid_tiers, margin_tiers
from marginlib.venues import bybit, drift, dydx, hyperliquid, phemex

DATA = json.loads((Path(__file__).parent / "data" / "golden_cases.json").read_text("utf-8"))
CASES = DATA["cases"]
LABELS = {"PUB", "PUB-m", "3P", "CALC"}


# ---------------------------------------------------------------- how each row is computed
def _margin(inp):
    """The position's margin: given, or the initial margin q·E/L (+ extra − deductions)."""
    if "margin" in inp:
        return inp["margin"]
    im = position.initial_margin(size=inp["size"], price=inp["entry_price"], leverage=inp["leverage"])
    return im + inp.get("extra_margin", 0.0) - inp.get("margin_deducted", 0.0)


def _liquidation_price(inp):
    return liquidation_price(
        inp["side"], entry_price=inp["entry_price"], size=inp["size"], margin=_margin(inp),
        maintenance_margin_rate=inp.get("maintenance_margin_rate", 0.0),
        maintenance_amount=inp.get("maintenance_amount", 0.0),
        other_maintenance=inp.get("other_maintenance", 0.0),
        other_unrealized_pnl=inp.get("other_unrealized_pnl", 0.0),
        taker_fee_rate=inp.get("taker_fee_rate", 0.0), convention=inp.get("convention", "mark"))


def _bankruptcy_price(inp):
    return bankruptcy_price(inp["side"], entry_price=inp["entry_price"], size=inp["size"],
                            margin=_margin(inp))


def _initial_margin(inp):
    return position.initial_margin(size=inp["size"], price=inp["price"], leverage=inp["leverage"])


def _maintenance_margin(inp):
    return maintenance_margin(size=inp["size"], price=inp["price"],
                              maintenance_margin_rate=inp["maintenance_margin_rate"])


def _bracket_amount(inp):
    """Maintenance amount of a bracket from the published recursion, via ``margin_tiers``.

    The row gives the previous bracket's rate and amount; a three-bracket table whose middle
    bracket has exactly that amount (first bracket at rate 0) reproduces the situation.
    """
    prior_floor = inp["prior_amount"] / inp["prior_rate"]
    assert prior_floor < inp["floor"]
    table = margin_tiers(floors=[0.0, prior_floor, inp["floor"]],
                         rates=[0.0, inp["prior_rate"], inp["rate"]])
    assert table.amounts[1] == pytest.approx(inp["prior_amount"], rel=1e-12)
    return table.amount(inp["floor"])


def _bracket_rate(inp):
    return margin_tiers(floors=inp["floors"], rates=inp["rates"]).rate(inp["notional"])


def _tier_deduction(inp):
    return margin_tiers(floors=inp["floors"], rates=inp["rates"]).amounts[inp["tier"]]


def _bybit_uta_lp(inp):
    return bybit.uta_liquidation_price(inp["side"], entry_price=inp["entry_price"],
                                       size=inp["size"], leverage=inp["leverage"],
                                       maintenance_margin_rate=inp["maintenance_margin_rate"],
                                       extra_margin=inp["extra_margin"],
                                       taker_fee_rate=inp["taker_fee_rate"],
                                       mm_deduction=inp["mm_deduction"])


def _fee_to_close(inp):
    return costs.fee_to_close(inp["side"], size=inp["size"], entry_price=inp["entry_price"],
                              leverage=inp["leverage"], taker_fee_rate=inp["taker_fee_rate"])


def _bybit_uta_mm(inp):
    mm = maintenance_margin(size=inp["size"], price=inp["entry_price"],
                            maintenance_margin_rate=inp["maintenance_margin_rate"],
                            maintenance_amount=inp["mm_deduction"])
    return mm + _fee_to_close(inp)


def _phemex_balance(inp):
    return phemex.position_balance(inp["side"], size=inp["size"], entry_price=inp["entry_price"],
                                   leverage=inp["leverage"], taker_fee_rate=inp["taker_fee_rate"])


def _phemex_lp(inp):
    return _liquidation_price(dict(inp, margin=_phemex_balance(inp)))


def _hl_rate(inp):
    return hyperliquid.maintenance_margin_rate(inp["max_leverage"])


def _hl_initial_margin(inp):
    return position.initial_margin(size=1.0, price=inp["notional"], leverage=inp["leverage"],
                                max_leverage=inp["max_leverage"])


def _hl_maintenance_margin(inp):
    # the chosen leverage is deliberately not used: MM depends on the asset's max leverage only
    return maintenance_margin(
        size=1.0, price=inp["notional"],
        maintenance_margin_rate=hyperliquid.maintenance_margin_rate(inp["max_leverage"]))


def _hl_tiers(inp):
    return hyperliquid_tiers(floors=inp["floors"], max_leverages=inp["max_leverages"])


def _hl_deduction(inp):
    return _hl_tiers(inp).amount(inp["notional"])


def _hl_tier_mm(inp):
    return _hl_tiers(inp).maintenance_margin(inp["notional"])


def _hl_backstop(inp):
    return hyperliquid.backstop_threshold(inp["maintenance_margin"])


def _hl_liquidation_price(inp):
    margin = position.initial_margin(size=inp["size"], price=inp["entry_price"],
                                  leverage=inp["leverage"], max_leverage=inp["max_leverage"])
    rate = hyperliquid.maintenance_margin_rate(inp["max_leverage"])
    return liquidation_price(inp["side"], entry_price=inp["entry_price"], size=inp["size"],
                             margin=margin, maintenance_margin_rate=rate)


def _dydx_mm(inp):
    return maintenance_margin(size=inp["size"], price=inp["price"],
                              maintenance_margin_rate=inp["maintenance_margin_fraction"])


def _pnl(inp):
    return unrealized_pnl(inp["side"], size=inp["size"], entry_price=inp["entry_price"],
                          mark_price=inp["price"])


def _outcome(inp):
    out = liquidation_outcome(inp["side"], entry_price=inp["entry_price"], size=inp["size"],
                              margin=inp["margin"], exit_price=inp["price"])
    return getattr(out, inp["output"])


def _dydx_impact(inp):
    return dydx.impact_notional(inp["initial_margin_fraction"])


def _dydx_imf(inp):
    return dydx.effective_initial_margin_rate(initial_margin_rate=inp["initial_margin_fraction"],
                                              open_interest_notional=inp["open_interest_notional"],
                                              lower_cap=inp["lower_cap"], upper_cap=inp["upper_cap"])


def _venue_lp(inp):
    return venues.venue_liquidation_price(inp["venue"], inp["side"], entry_price=inp["entry_price"],
                                          size=inp["size"], margin=inp["margin"])


def _drift_weight(inp):
    return drift.asset_weight(size=inp["size"], base_asset_weight=inp["base_asset_weight"],
                              imf_factor=inp["imf_factor"])


DISPATCH = {
    **dict.fromkeys(
        ["X2-long", "X2-short", "X2b-long", "X2b-short",
         "B10-long-E10-q1-L5", "B10-long-E10-q1-L3", "B10-long-E8-q1-L5", "B10-long-E10-q0.6-L5",
         "B10-short-E10-q1-L5", "B10-short-E10-q1-L3", "B10-short-E8-q1-L5",
         "B10-short-E10-q0.6-L5",
         "Y1-lp", "Y2-lp", "Y3-lp", "Y6b-lp",
         "Y9-long-L1", "Y9-long-L3", "Y9-long-L5", "Y9-long-L10",
         "Y9-short-L1", "Y9-short-L3", "Y9-short-L5", "Y9-short-L10",
         "O1-long", "O1-short",
         "O2-long-E10-L5", "O2-short-E10-L5", "O2-long-E10-L3", "O2-short-E10-L3",
         "O2-short-E8-L5",
         "G7-long-entry", "G7-short-entry", "R2-lp", "TT-cross", "TT-cross-negative"],
        _liquidation_price),
    "B5-amount": _bracket_amount,
    "B5-rate": _bracket_rate,
    "B6-amount": _bracket_amount,
    "Y1-im": _initial_margin,
    "Y1-mm": _maintenance_margin,
    "Y4-lp": _bybit_uta_lp,
    "Y4-fee-to-close": _fee_to_close,
    "Y4-mm": _bybit_uta_mm,
    "Y5b-bankruptcy": _bankruptcy_price,
    "Y8-tier2": _tier_deduction,
    "Y8-tier3": _tier_deduction,
    "Y8-tier4": _tier_deduction,
    "P1-pos-balance": _phemex_balance,
    "P1-lp": _phemex_lp,
    "H1-max20x": _hl_rate,
    "H1-max50x": _hl_rate,
    "H1-max3x": _hl_rate,
    "H2-im-10x": _hl_initial_margin,
    "H2-im-20x": _hl_initial_margin,
    "H2-mm-10x": _hl_maintenance_margin,
    "H2-mm-20x": _hl_maintenance_margin,
    "H5-deduction": _hl_deduction,
    "H5-mm": _hl_tier_mm,
    "H8-backstop": _hl_backstop,
    "H9-negative": _hl_liquidation_price,
    "D4-mm": _dydx_mm,
    "D4-pnl-0.801": _pnl,
    "D4-equity-0.801": _outcome,
    "D4-pnl-0.77": _pnl,
    "D4-bad-debt": _outcome,
    "D4-returned": _outcome,
    "D6-impact": _dydx_impact,
    "D7-imf-eff": _dydx_imf,
    "G7-long-venue": _venue_lp,
    "G7-short-venue": _venue_lp,
    "R1-weight": _drift_weight,
}


# ---------------------------------------------------------------- the table itself
def test_every_row_is_well_formed():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate golden ids"
    for c in CASES:
        assert c["status"] in LABELS, c["id"]
        assert c["source"].strip(), c["id"]
        assert c["description"].strip(), c["id"]
        assert isinstance(c["inputs"], dict) and c["inputs"], c["id"]
        assert math.isfinite(c["expected"]), c["id"]
        assert 0 < c["tolerance"] <= 0.005, c["id"]
        if c.get("skip"):
            assert c["skip_reason"].strip(), c["id"]


def test_dispatch_covers_exactly_the_active_rows():
    active = {c["id"] for c in CASES if not c.get("skip")}
    assert set(DISPATCH) == active


def test_the_table_holds_the_cases_of_the_brief():
    """Every liquidation/margin case of the reference table is present (funding rows are not)."""
    wanted = {"X2", "X2b", "B5", "B6", "B10", "Y1", "Y2", "Y3", "Y4", "Y5b", "Y6b", "Y7", "Y8",
              "Y9", "O1", "O2", "P1", "H1", "H2", "H5", "H8", "H9", "D4", "D6", "D7", "G7", "R1",
              "R2", "TorchTrade"}
    present = {c["case"] for c in CASES}
    assert present == wanted
    assert sum(c["case"] == "B10" for c in CASES) == 8
    assert {c["id"] for c in CASES if c.get("negative")} == {"H9-negative", "TT-cross-negative"}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden(case):
    if case.get("skip"):
        assert case["id"] not in DISPATCH
        pytest.skip(f"{case['id']}: {case['skip_reason']}")
    value = DISPATCH[case["id"]](case["inputs"])
    assert isinstance(value, float), f"{case['id']}: scalar inputs must give a float"
    expected, tol = case["expected"], case["tolerance"]
    where = f"{case['id']} ({case['status']}, {case['source']})"
    if case.get("negative"):
        assert abs(value - expected) > tol, f"{where}: the exact formula reproduced the known-wrong {expected}"
    else:
        assert abs(value - expected) <= tol, f"{where}: got {value!r}, published {expected} ± {tol}"


# ---------------------------------------------------------------- what the negative rows mean
def test_h9_blog_number_is_the_chosen_leverage_shortcut():
    """47,500 is E·(1 − 1/L + 0.5/L): MM at entry with mmr = half the *chosen* IMR."""
    blog = liquidation_price("long", entry_price=50_000, size=1, margin=5_000,
                             maintenance_margin_rate=0.5 / 10, convention="entry")
    assert blog == pytest.approx(47_500, abs=0.005)
    exact = _hl_liquidation_price(next(c for c in CASES if c["id"] == "H9-negative")["inputs"])
    assert exact == pytest.approx(45_000 / (1 - 0.0125), abs=1e-6)  # 45,569.62


def test_torchtrade_estimate_is_the_isolated_formula():
    """95.38 is what you get when the other position's maintenance is ignored."""
    assert liquidation_price("long", entry_price=100, size=1, margin=5,
                             maintenance_margin_rate=0.004) == pytest.approx(95.38, abs=0.005)


def test_g7_mirror_long_and_short_are_symmetric_about_entry():
    """With MM frozen at entry the liquidation prices mirror exactly: 4,553 + 5,447 = 2 × 5,000."""
    long_ = venues.venue_liquidation_price("gmx_v2", "long", entry_price=5_000, size=10,
                                           margin=5_000)
    short = venues.venue_liquidation_price("gmx_v2", "short", entry_price=5_000, size=10,
                                           margin=5_000)
    assert long_ + short == pytest.approx(10_000, abs=1e-9)


def test_y4_bybit_uta_is_g1_with_grossed_up_margin():
    inp = next(c for c in CASES if c["id"] == "Y4-lp")["inputs"]
    margin = 40_000 / 50 + 3_000 / (1 - 0.00055)
    assert _bybit_uta_lp(inp) == pytest.approx(
        liquidation_price("long", entry_price=40_000, size=1, margin=margin,
                          maintenance_margin_rate=0.005), rel=1e-13)
