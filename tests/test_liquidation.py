"""Unit tests of marginlib/liquidation.py.

Expected values are derived by hand from the definitions (equity = margin + PnL; liquidation
where equity equals maintenance), not copied from the implementation. Venue worked examples
are in test_golden.py; error paths in test_validation.py; general invariants in
test_properties.py.
"""
import numpy as np
import pytest

import marginlib as ml
from marginlib import liquidation

SIDES = ["long", "short", "long"]

ELEMENTWISE = {
    "bankruptcy_price": (ml.bankruptcy_price, dict(
        side=SIDES, entry_price=[100.0, 50_000.0, 2.5], size=[1.0, 0.5, 400.0],
        margin=[10.0, 1_000.0, 150.0]), None, None),
    "liquidation_price_mark": (ml.liquidation_price, dict(
        side=SIDES, entry_price=[100.0, 50_000.0, 2.5], size=[1.0, 0.5, 400.0],
        margin=[10.0, 1_000.0, 150.0], maintenance_margin_rate=[0.005, 0.01, 0.05],
        maintenance_amount=[0.0, 5.0, 1.0]), None, None),
    "liquidation_price_cross_fee": (
        lambda **k: ml.liquidation_price(**k, taker_fee_rate=0.0005, convention="entry"),
        dict(side=SIDES, entry_price=[100.0, 50_000.0, 2.5], size=[1.0, 0.5, 400.0],
             margin=[30.0, 4_000.0, 300.0], maintenance_margin_rate=[0.005, 0.01, 0.05],
             other_maintenance=[4.0, 100.0, 10.0], other_unrealized_pnl=[-3.0, 50.0, 0.0]),
        None, None),
    "maintenance_margin": (ml.maintenance_margin, dict(
        size=[1.0, 0.5, 400.0], price=[100.0, 50_000.0, 2.5],
        maintenance_margin_rate=[0.005, 0.01, 0.05], maintenance_amount=[0.0, 5.0, 100.0]),
        None, None),
    "liquidation_outcome": (ml.liquidation_outcome, dict(
        side=SIDES, entry_price=[100.0, 50_000.0, 2.5], size=[1.0, 0.5, 400.0],
        margin=[10.0, 1_000.0, 150.0], exit_price=[91.0, 52_500.0, 2.0],
        liquidation_fee_rate=[0.002, 0.015, 0.0]),
        ["exit_price", "equity", "liquidation_fee", "returned", "bad_debt"], None),
    "adjust_margin": (ml.adjust_margin, dict(
        side=SIDES, entry_price=[100.0, 50_000.0, 2.5], size=[1.0, 0.5, 400.0],
        margin=[10.0, 1_000.0, 150.0], amount=[5.0, 100.0, 20.0],
        maintenance_margin_rate=[0.005, 0.01, 0.05]),
        ["margin", "liquidation_price", "bankruptcy_price", "effective_leverage", "entry_price"],
        "amount"),
}


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_scalar_float_and_arrays_elementwise(name, assert_elementwise):
    func, columns, fields, column = ELEMENTWISE[name]
    assert_elementwise(func, columns, fields=fields, column=column)


# ----------------------------------------------------------------------- bankruptcy price
@pytest.mark.parametrize("lev", [1.5, 2, 5, 10, 50, 125])
def test_bankruptcy_price_is_entry_times_one_minus_inverse_leverage(lev):
    e, q = 50_000.0, 0.3
    margin = q * e / lev
    assert ml.bankruptcy_price("long", entry_price=e, size=q, margin=margin) == pytest.approx(e * (1 - 1 / lev), rel=1e-14)
    assert ml.bankruptcy_price("short", entry_price=e, size=q, margin=margin) == pytest.approx(e * (1 + 1 / lev), rel=1e-14)


def test_long_clipped_at_zero_when_margin_covers_notional():
    # margin 150 on a 100 notional (0.67×): equity never reaches maintenance at a price > 0
    assert ml.bankruptcy_price("long", entry_price=100, size=1, margin=150) == 0.0
    assert ml.liquidation_price("long", entry_price=100, size=1, margin=150) == 0.0
    assert ml.liquidation_price("long", entry_price=100, size=1, margin=150, maintenance_margin_rate=0.01) == 0.0
    assert ml.liquidation_price("long", entry_price=100, size=1, margin=150, maintenance_margin_rate=0.01, convention="entry") == 0.0
    # exactly 1×: bankruptcy at 0
    assert ml.bankruptcy_price("long", entry_price=100, size=1, margin=100) == 0.0
    # a short is never clipped: it is liquidated on the way up
    assert ml.bankruptcy_price("short", entry_price=100, size=1, margin=150) == pytest.approx(250.0)
    arr = ml.liquidation_price("long", entry_price=100, size=1, margin=np.array([50.0, 150.0]))
    np.testing.assert_array_equal(arr, [50.0, 0.0])


# ----------------------------------------------------------------------- liquidation price
def test_zero_maintenance_is_the_article_formula():
    lev = np.array([2, 5, 10, 20, 50, 100])
    e = 2_000.0
    margin = e / lev
    np.testing.assert_allclose(ml.liquidation_price("long", entry_price=e, size=1, margin=margin), e * (1 - 1 / lev), rtol=1e-14)
    np.testing.assert_allclose(ml.liquidation_price("short", entry_price=e, size=1, margin=margin), e * (1 + 1 / lev), rtol=1e-14)
    np.testing.assert_allclose(ml.liquidation_price("long", entry_price=e, size=1, margin=margin, convention="entry"),
                               ml.bankruptcy_price("long", entry_price=e, size=1, margin=margin), rtol=1e-14)


def test_mark_convention_long_and_short_closed_forms():
    # VENUES §0: long (E − (M + c)/q)/(1 − m), short (E + (M + c)/q)/(1 + m)
    e, q, m, c, margin = 3_000.0, 2.0, 0.01, 7.0, 600.0
    long_ = ml.liquidation_price("long", entry_price=e, size=q, margin=margin, maintenance_margin_rate=m, maintenance_amount=c)
    short = ml.liquidation_price("short", entry_price=e, size=q, margin=margin, maintenance_margin_rate=m, maintenance_amount=c)
    assert long_ == pytest.approx((e - (margin + c) / q) / (1 - m), rel=1e-14)
    assert short == pytest.approx((e + (margin + c) / q) / (1 + m), rel=1e-14)


def test_entry_convention_is_linear():
    # E·(1 − s/L + s·m) with c = 0 (Bybit classic); the amount c moves it by c/q toward entry...
    e, lev, m = 20_000.0, 25, 0.005
    assert ml.liquidation_price("long", entry_price=e, size=1, margin=e / lev, maintenance_margin_rate=m, convention="entry") == pytest.approx(
        e * (1 - 1 / lev + m), rel=1e-14)
    assert ml.liquidation_price("short", entry_price=e, size=1, margin=e / lev, maintenance_margin_rate=m, convention="entry") == pytest.approx(
        e * (1 + 1 / lev - m), rel=1e-14)
    # ... away from entry: MM = q·E·m − c is smaller, so the buffer is larger
    with_c = ml.liquidation_price("long", entry_price=e, size=1, margin=e / lev, maintenance_margin_rate=m, maintenance_amount=20.0, convention="entry")
    assert with_c == pytest.approx(e * (1 - 1 / lev + m) - 20.0, rel=1e-14)


def test_mark_and_entry_conventions_differ_by_a_few_dollars():
    # Y1 vs Y6b: 19,700 (MM at entry) vs 19,698.49 (MM at the liquidation price)
    entry = ml.liquidation_price("long", entry_price=20_000, size=1, margin=400, maintenance_margin_rate=0.005, convention="entry")
    mark = ml.liquidation_price("long", entry_price=20_000, size=1, margin=400, maintenance_margin_rate=0.005)
    assert entry - mark == pytest.approx(19_700 - 19_600 / 0.995, rel=1e-9)
    assert 0 < entry - mark < 2


def test_taker_fee_adds_to_the_maintenance_rate():
    args = dict(entry_price=60_000, size=1, margin=6_000)
    assert ml.liquidation_price("short", **args, maintenance_margin_rate=0.004,
                                taker_fee_rate=0.0005) == pytest.approx(
        ml.liquidation_price("short", **args, maintenance_margin_rate=0.0045), rel=1e-15)
    assert ml.liquidation_price("short", **args, maintenance_margin_rate=0.004,
                                taker_fee_rate=0.0005, convention="entry") == pytest.approx(
        ml.liquidation_price("short", **args, maintenance_margin_rate=0.0045,
                             convention="entry"), rel=1e-15)


def test_cross_terms_act_on_the_collateral():
    # M' = wallet − other maintenance + other UPNL: same as an isolated margin of M'
    base = ml.liquidation_price("long", entry_price=100, size=1, margin=5, maintenance_margin_rate=0.004, other_maintenance=4,
                                other_unrealized_pnl=1.5)
    assert base == pytest.approx(ml.liquidation_price("long", entry_price=100, size=1, margin=2.5, maintenance_margin_rate=0.004), rel=1e-15)
    # other positions' profit moves the liquidation price away, their requirement toward entry
    iso = ml.liquidation_price("long", entry_price=100, size=1, margin=5, maintenance_margin_rate=0.004)
    assert ml.liquidation_price("long", entry_price=100, size=1, margin=5, maintenance_margin_rate=0.004, other_unrealized_pnl=2) < iso
    assert ml.liquidation_price("long", entry_price=100, size=1, margin=5, maintenance_margin_rate=0.004, other_maintenance=2) > iso


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("convention", ["mark", "entry"])
def test_replay_equity_equals_maintenance_at_the_price(side, convention):
    e, q, margin, m, c, fee = 1_234.5, 3.0, 400.0, 0.02, 1.5, 0.0006
    p = ml.liquidation_price(side, entry_price=e, size=q, margin=margin, maintenance_margin_rate=m, maintenance_amount=c, taker_fee_rate=fee, convention=convention)
    s = 1 if side == "long" else -1
    equity = margin + s * q * (p - e)
    at = p if convention == "mark" else e
    requirement = q * at * (m + fee) - c
    assert equity == pytest.approx(requirement, rel=1e-12, abs=1e-9)
    # strictly safe a hair before it, liquidatable a hair after it
    safer = p * (1 + s * 1e-6)
    assert margin + s * q * (safer - e) > q * (safer if convention == "mark" else e) * (m + fee) - c


def test_conventions_constant():
    assert liquidation.CONVENTIONS == ("mark", "entry")


# ----------------------------------------------------------------------- maintenance margin
def test_maintenance_margin_formula_and_floor_at_zero():
    assert ml.maintenance_margin(size=2, price=30_000, maintenance_margin_rate=0.01, maintenance_amount=100) == pytest.approx(500.0)  # 600 − 100
    assert ml.maintenance_margin(size=1, price=100, maintenance_margin_rate=0.01, maintenance_amount=5) == 0.0  # 1 − 5 < 0 → 0
    assert ml.maintenance_margin(size=1, price=100, maintenance_margin_rate=0.0) == 0.0


# ----------------------------------------------------------------------- liquidation outcome
def test_outcome_at_the_default_liquidation_price():
    # long 1 @ 100, margin 10, MMR 1 %: P = 90/0.99; equity there = MM = P·0.01
    out = ml.liquidation_outcome("long", entry_price=100, size=1, margin=10, maintenance_margin_rate=0.01,
                                 liquidation_fee_rate=0.002)
    p = 90 / 0.99
    assert out.exit_price == pytest.approx(p, rel=1e-14)
    assert out.equity == pytest.approx(0.01 * p, rel=1e-12)
    assert out.liquidation_fee == pytest.approx(0.002 * p, rel=1e-12)
    assert out.returned == pytest.approx(0.008 * p, rel=1e-12)
    assert out.bad_debt == 0.0


def test_outcome_fee_is_capped_by_what_is_left():
    # exit 90.5: equity 0.5, fee 2 % of 90.5 = 1.81 > 0.5 → fee 0.5, nothing returned
    out = ml.liquidation_outcome("long", entry_price=100, size=1, margin=10, exit_price=90.5, liquidation_fee_rate=0.02)
    assert out.equity == pytest.approx(0.5)
    assert out.liquidation_fee == pytest.approx(0.5)
    assert out.returned == 0.0 and out.bad_debt == 0.0


def test_outcome_gap_through_bankruptcy_records_bad_debt():
    # short 2 @ 100 with 20: bankrupt at 110; closed at 115 → equity −10
    out = ml.liquidation_outcome("short", entry_price=100, size=2, margin=20, exit_price=115, liquidation_fee_rate=0.01)
    assert out.equity == pytest.approx(-10.0)
    assert out.bad_debt == pytest.approx(10.0)
    assert out.returned == 0.0
    assert out.liquidation_fee == 0.0


def test_outcome_closed_at_bankruptcy_returns_nothing():
    # Bybit classic: closed at the bankruptcy price, the buffer goes to the insurance fund
    bk = ml.bankruptcy_price("long", entry_price=20_000, size=1, margin=400)
    out = ml.liquidation_outcome("long", entry_price=20_000, size=1, margin=400, exit_price=bk)
    assert out.equity == pytest.approx(0.0, abs=1e-9)
    assert out.returned == pytest.approx(0.0, abs=1e-9) and out.bad_debt == pytest.approx(0.0, abs=1e-9)


def test_outcome_closing_fee_reduces_equity():
    out = ml.liquidation_outcome("long", entry_price=100, size=1, margin=10, exit_price=95, taker_fee_rate=0.001)
    assert out.equity == pytest.approx(10 - 5 - 0.095)


@pytest.mark.parametrize("side", ["long", "short"])
def test_outcome_never_negative_and_accounts_for_everything(side):
    exits = np.linspace(50, 150, 201)
    out = ml.liquidation_outcome(side, entry_price=100, size=1, margin=10, exit_price=exits, liquidation_fee_rate=0.015,
                                 taker_fee_rate=0.0005)
    assert np.all(out.returned >= 0)
    assert np.all(out.bad_debt >= 0)
    assert np.all(out.liquidation_fee >= 0)
    assert np.all((out.bad_debt == 0) | (out.returned == 0))
    np.testing.assert_allclose(out.returned + out.liquidation_fee - out.bad_debt, out.equity,
                               atol=1e-12)
    assert np.any(out.bad_debt > 0) and np.any(out.returned > 0)


def test_outcome_of_a_long_that_cannot_be_liquidated_is_well_defined():
    # 0.5× long: default liquidation price is 0; the outcome at a (tiny) price is a bad-debt-free loss
    out = ml.liquidation_outcome("long", entry_price=100, size=1, margin=200)
    assert out.exit_price > 0
    assert out.bad_debt == 0.0
    assert out.returned == pytest.approx(100.0)


# ----------------------------------------------------------------------- adjust margin
def test_adjust_margin_add_hand_computed():
    # 400 @ 2.5 (notional 1,000), margin 100 → 150, MMR 5 %: P = (2.5 − 150/400)/0.95
    adj = ml.adjust_margin("long", entry_price=2.5, size=400, margin=100, amount=50, maintenance_margin_rate=0.05)
    assert adj.margin == 150.0
    assert adj.liquidation_price == pytest.approx((2.5 - 0.375) / 0.95, rel=1e-14)
    assert adj.bankruptcy_price == pytest.approx(2.5 - 0.375, rel=1e-14)
    assert adj.effective_leverage == pytest.approx(1_000 / 150, rel=1e-14)
    assert adj.entry_price == 2.5
    before = ml.liquidation_price("long", entry_price=2.5, size=400, margin=100, maintenance_margin_rate=0.05)
    # moved away by amount / (q·(1 − m))
    assert before - adj.liquidation_price == pytest.approx(50 / (400 * 0.95), rel=1e-12)


def test_adjust_margin_short_add_moves_up_and_remove_moves_down():
    up = ml.adjust_margin("short", entry_price=100, size=1, margin=10, amount=5, maintenance_margin_rate=0.01)
    down = ml.adjust_margin("short", entry_price=100, size=1, margin=10, amount=-3, maintenance_margin_rate=0.01,
                            initial_margin_rate=0.05)
    base = ml.liquidation_price("short", entry_price=100, size=1, margin=10, maintenance_margin_rate=0.01)
    assert up.liquidation_price > base > down.liquidation_price
    assert up.liquidation_price - base == pytest.approx(5 / 1.01, rel=1e-12)


def test_adjust_margin_removal_is_checked_at_the_mark():
    # long 1 @ 100 with margin 10, IMR 5 %; at mark 120 equity is 30, 6 can be removed at most
    ok = ml.adjust_margin("long", entry_price=100, size=1, margin=10, amount=-8, mark_price=120, initial_margin_rate=0.05)
    assert ok.margin == 2.0
    assert ok.effective_leverage == pytest.approx(120 / 22)
    assert ok.entry_price == 100.0  # entry unchanged
    with pytest.raises(ValueError, match="amount"):
        ml.adjust_margin("long", entry_price=100, size=1, margin=10, amount=-5, mark_price=95, initial_margin_rate=0.05)


def test_adjust_margin_removal_to_exactly_the_requirement_is_allowed():
    adj = ml.adjust_margin("long", entry_price=100, size=1, margin=10, amount=-5, initial_margin_rate=0.05)
    assert adj.margin == 5.0
    assert adj.effective_leverage == pytest.approx(20.0)


def test_adjust_margin_zero_amount_is_identity():
    adj = ml.adjust_margin("long", entry_price=100, size=1, margin=10, amount=0.0, maintenance_margin_rate=0.01)
    assert adj.liquidation_price == ml.liquidation_price("long", entry_price=100, size=1, margin=10, maintenance_margin_rate=0.01)
    assert adj.margin == 10.0


# ----------------------------------------------------------------------- leverage limit
def test_leverage_limit_is_where_the_liquidation_price_reaches_entry():
    assert ml.leverage_limit(maintenance_margin_rate=0.05) == pytest.approx(20.0, rel=1e-15)
    lim = ml.leverage_limit(maintenance_margin_rate=0.004, taker_fee_rate=0.0006)
    assert lim == pytest.approx(1 / 0.0046, rel=1e-15)
    for side in ("long", "short"):
        # at the limit equity equals maintenance at entry: the boundary is the entry price
        p = ml.liquidation_price(side, entry_price=100, size=1, margin=100 / lim,
                                 maintenance_margin_rate=0.004, taker_fee_rate=0.0006)
        assert p == pytest.approx(100.0, rel=1e-12)
        # a little above it, the position would be liquidated at once
        with pytest.raises(ValueError, match="margin"):
            ml.liquidation_price(side, entry_price=100, size=1, margin=100 / (lim * 1.001),
                                 maintenance_margin_rate=0.004, taker_fee_rate=0.0006)


def test_leverage_limit_elementwise_and_refusals(assert_elementwise):
    assert_elementwise(ml.leverage_limit, dict(maintenance_margin_rate=[0.05, 0.004, 0.2],
                                               taker_fee_rate=[0.0, 0.0006, 0.5]))
    with pytest.raises(ValueError, match="maintenance_margin_rate \\+ taker_fee_rate must be > 0"):
        ml.leverage_limit(maintenance_margin_rate=0.0)
    with pytest.raises(ValueError, match="must be < 1"):
        ml.leverage_limit(maintenance_margin_rate=0.5, taker_fee_rate=0.5)
    with pytest.raises(ValueError, match="maintenance_margin_rate"):
        ml.leverage_limit(maintenance_margin_rate=1e-320)  # 1/1e-320 overflows
    with pytest.raises(TypeError):
        ml.leverage_limit(0.05)


@pytest.mark.parametrize("bad", ["Mark", "ENTRY", "", None, ["mark"], 1])
def test_convention_is_strict(bad):
    with pytest.raises(ValueError, match="convention must be 'mark' or 'entry'"):
        ml.liquidation_price("long", entry_price=100, size=1, margin=10, convention=bad)
    with pytest.raises(ValueError, match="convention"):
        ml.adjust_margin("long", entry_price=100, size=1, margin=10, amount=1, convention=bad)


def test_equity_exactly_at_maintenance_is_the_boundary_not_a_liquidation():
    # liquidated iff equity < MM: at P_liq equity == MM (to rounding), one tick safer it is above
    p = ml.liquidation_price("long", entry_price=100, size=2, margin=20, maintenance_margin_rate=0.01)
    eq = 20 + 2 * (p - 100)
    assert eq == pytest.approx(ml.maintenance_margin(size=2, price=p, maintenance_margin_rate=0.01),
                               rel=1e-12)


@pytest.mark.parametrize("call", [
    lambda: ml.liquidation_price("long", 100, 1, 10),
    lambda: ml.bankruptcy_price("long", 100, 1, 10),
    lambda: ml.maintenance_margin(1, 100, 0.01),
    lambda: ml.liquidation_outcome("long", 100, 1, 10),
    lambda: ml.adjust_margin("long", 100, 1, 10, 5),
], ids=["liquidation_price", "bankruptcy_price", "maintenance_margin", "liquidation_outcome",
        "adjust_margin"])
def test_numbers_are_keyword_only(call):
    with pytest.raises(TypeError, match="positional"):
        call()
