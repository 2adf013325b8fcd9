"""Venue liquidity maths of issue 9: GMX price impact and minimums, Hyperliquid partial
liquidation, dYdX liquidation into the book (golden D4).

Golden G3/G4 (GMX price impact) are in ``test_funding_golden_gmx.py``; D4 is read here from
``tests/data/cross_golden.json`` (row ``D4-dydx-insurance``, with its public source). The
properties run under the derandomized hypothesis profile of ``conftest.py``. Every new function
refuses bad input with a ``ValueError`` naming the argument, and a call with its numbers given
positionally is a ``TypeError``.
"""
import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from marginlib import settlement
from marginlib.venues import dydx, gmx, hyperliquid

DATA = Path(__file__).parent / "data"
CROSS = {c["id"]: c for c in json.loads((DATA / "cross_golden.json").read_text("utf-8"))["cases"]}
F = 0.01 / 50_000  # the README's impact factor


# ----------------------------------------------------------------------------- golden D4
def test_d4_dydx_insurance_fund_pays_15():
    row = CROSS["D4-dydx-insurance"]
    acct, (pos,), exp, tol = row["account"], row["positions"], row["expected"], row["tolerance"]
    oracle, fill = row["marks"]
    assert "dydxprotocol/v4-documentation" in row["source"] and row["status"] == "PUB"
    out = dydx.liquidation_outcome(pos["side"], size=pos["size"], entry_price=pos["price"],
                                   margin=acct["deposit"], oracle_price=oracle, fill_price=fill,
                                   maintenance_margin_rate=acct["maintenance_margin_rate"])
    assert out.liquidated is True
    assert out.equity == pytest.approx(exp["equity_at_0.801"], abs=tol)
    assert pos["size"] * pos["price"] * acct["maintenance_margin_rate"] == pytest.approx(
        exp["maintenance_at_entry"], abs=tol)
    assert out.pnl == pytest.approx(exp["pnl"], abs=tol)
    assert out.insurance_fund_pays == pytest.approx(exp["bad_debt"], abs=tol)
    assert out.returned == pytest.approx(exp["wallet_after"], abs=tol)
    assert out.penalty == 0.0  # nothing left to pay a penalty from
    # 0.77 is inside the maximum liquidation spread (1.5 × MMF = 4.5 % below 0.801)
    assert fill >= dydx.worst_liquidation_price("long", oracle_price=oracle,
                                                maintenance_margin_rate=0.03)


def test_dydx_fill_beyond_the_maximum_spread_is_refused():
    with pytest.raises(ValueError, match="fill_price"):
        dydx.liquidation_outcome("long", size=500, entry_price=1, margin=100, oracle_price=0.801,
                                 fill_price=0.76, maintenance_margin_rate=0.03)
    with pytest.raises(ValueError, match="fill_price"):
        dydx.liquidation_outcome("short", size=500, entry_price=1, margin=100, oracle_price=1.2,
                                 fill_price=1.26, maintenance_margin_rate=0.03)


def test_dydx_not_liquidated_at_exactly_maintenance():
    # equity 15 == maintenance 15 at the oracle: strictly below is the rule
    out = dydx.liquidation_outcome("long", size=500, entry_price=1, margin=15, oracle_price=1,
                                   fill_price=1, maintenance_margin_rate=0.03)
    assert out.liquidated is False and out.insurance_fund_pays == 0.0


@given(fill=st.floats(0.765, 0.80), margin=st.floats(1.0, 200.0))
def test_dydx_outcome_is_the_settlement_kernel_split(fill, margin):
    out = dydx.liquidation_outcome("long", size=500, entry_price=1, margin=margin,
                                   oracle_price=0.801, fill_price=fill,
                                   maintenance_margin_rate=0.03)
    if not out.liquidated:
        return
    ref = settlement.settle(equity=margin + out.pnl, notional=500 * fill,
                            liquidation_fee_rate=0.015)
    assert (out.penalty, out.returned, out.insurance_fund_pays) == (
        ref.fee, ref.returned, ref.bad_debt)
    assert out.returned - out.insurance_fund_pays == pytest.approx(
        margin + out.pnl - out.penalty, abs=1e-9)


# ----------------------------------------------------------------------- GMX price impact
def test_g4_from_open_interest_an_impact_of_minus_0_1_percent():
    """G4's −0.1 % as the open-interest rule produces it: a balanced market, exponent 2."""
    # widening a balanced market by 50k costs f·50,000² = 50 when f = 2e-8
    impact = gmx.position_price_impact("long", open_interest_long=1e6, open_interest_short=1e6,
                                       size_delta_usd=50_000, positive_impact_factor=1e-8,
                                       negative_impact_factor=2e-8)
    assert impact == pytest.approx(-50.0, rel=1e-12)
    opened = gmx.increase_position("long", size_delta_usd=50_000, price=5_000,
                                   price_impact_usd=impact)
    assert opened.size_in_tokens == pytest.approx(9.99, abs=1e-12)


def test_crossover_uses_both_factors():
    # long OI 100k, short 50k; a 100k short flips to 50k the other way:
    # positive factor on the initial 50k, negative factor on the next 50k
    impact = gmx.position_price_impact("short", open_interest_long=100_000,
                                       open_interest_short=50_000, size_delta_usd=100_000,
                                       positive_impact_factor=1e-9, negative_impact_factor=3e-9)
    assert impact == pytest.approx(1e-9 * 50_000 ** 2 - 3e-9 * 50_000 ** 2, rel=1e-12)


def test_position_impact_caps():
    kw = dict(open_interest_long=0, open_interest_short=0, size_delta_usd=1e6,
              positive_impact_factor=1e-9, negative_impact_factor=1e-9)
    assert gmx.position_price_impact("long", **kw) == pytest.approx(-1000.0)
    capped = gmx.position_price_impact(
        "long", max_negative_impact_factor=gmx.MAX_NEGATIVE_POSITION_IMPACT_FACTOR, **kw)
    assert capped == pytest.approx(-1000.0)  # 0.5 % of 1e6 is 5,000: not binding
    tight = gmx.position_price_impact("long", max_negative_impact_factor=0.0001, **kw)
    assert tight == pytest.approx(-100.0)


usd = st.floats(0.0, 1e7, allow_nan=False)
factor = st.floats(0.0, 1e-6)
exponent = st.floats(0.5, 3.0)


@given(long0=usd, short0=usd, x=st.floats(1.0, 1e7), f_pos=factor, extra=factor, e=exponent)
def test_swap_round_trip_never_pays_when_positive_factor_is_smaller(long0, short0, x, f_pos,
                                                                    extra, e):
    f_neg = f_pos + extra
    kw = dict(positive_impact_factor=f_pos, negative_impact_factor=f_neg, impact_exponent=e)
    there = gmx.swap_price_impact(pool_long_usd=long0, pool_short_usd=short0, delta_long_usd=x,
                                  **kw)
    back = gmx.swap_price_impact(pool_long_usd=long0 + x, pool_short_usd=short0,
                                 delta_long_usd=-x, **kw)
    scale = max(f_neg, 1e-300) * (abs(long0 - short0) + x) ** e
    assert there + back <= 1e-9 * scale + 1e-12


@given(oi_long=usd, oi_short=usd, x=st.floats(1.0, 1e7), f_pos=factor, f_neg=factor, e=exponent)
def test_position_impact_sign_and_mirror(oi_long, oi_short, x, f_pos, f_neg, e):
    kw = dict(size_delta_usd=x, positive_impact_factor=f_pos, negative_impact_factor=f_neg,
              impact_exponent=e)
    as_long = gmx.position_price_impact("long", open_interest_long=oi_long,
                                        open_interest_short=oi_short, **kw)
    mirror = gmx.position_price_impact("short", open_interest_long=oi_short,
                                       open_interest_short=oi_long, **kw)
    assert as_long == pytest.approx(mirror, rel=1e-12, abs=1e-300)
    if oi_long >= oi_short:  # a long widens the imbalance: never a rebate
        assert as_long <= 0.0


@given(size=st.floats(1.0, 1e8), price=st.floats(1e-3, 1e6), frac=st.floats(-0.5, 0.5),
       side=st.sampled_from(["long", "short"]))
def test_increase_position_pending_pnl_is_the_impact(size, price, frac, side):
    p = gmx.increase_position(side, size_delta_usd=size, price=price,
                              price_impact_usd=frac * size)
    assert p.pending_pnl == pytest.approx(frac * size, rel=1e-9, abs=1e-9 * size)
    assert p.size_in_tokens * p.execution_price == pytest.approx(size, rel=1e-12)


@given(collateral=st.floats(1.0, 1e5), move=st.floats(-0.5, 0.5), impact=st.floats(-1e4, 1e3),
       side=st.sampled_from(["long", "short"]))
def test_decrease_position_conserves_value(collateral, move, impact, side):
    d = gmx.decrease_position(side, size_in_usd=50_000, size_in_tokens=10, collateral=collateral,
                              price=5_000 * (1 + move), price_impact_usd=impact)
    assert d.amount_out - d.bad_debt == pytest.approx(collateral + d.pnl + impact, abs=1e-6)
    assert d.amount_out >= 0 and d.bad_debt >= 0 and min(d.amount_out, d.bad_debt) == 0


# -------------------------------------------------------------------------- GMX minimums
def test_minimums_for_a_100_usdc_account():
    ok = gmx.check_minimums(collateral=100, size_usd=5_000)
    assert ok.allowed and ok.binding == "none" and "allowed" in ok.reason
    too_big = gmx.check_minimums(collateral=100, size_usd=20_000)
    assert not too_big.allowed and too_big.binding == "min_collateral_factor"
    assert "minCollateralFactor" in too_big.reason
    assert too_big.max_leverage == pytest.approx(100.0)
    tiny = gmx.check_minimums(collateral=0.5, size_usd=10)
    assert not tiny.allowed and tiny.binding == "min_collateral_usd"
    assert "minCollateralUsd" in tiny.reason
    # a $50 position: the $1 floor is the maintenance requirement (2 % of size, not 1 %)
    small = gmx.check_minimums(collateral=10, size_usd=50)
    assert small.allowed and small.liquidation_threshold == 1.0
    assert small.effective_maintenance_rate == pytest.approx(0.02)
    below = gmx.check_minimums(collateral=100, size_usd=5, min_position_size_usd=10)
    assert not below.allowed and below.binding == "min_position_size_usd"
    # the fee comes out of the collateral first: exactly 100x is refused once a fee is due
    assert gmx.check_minimums(collateral=100, size_usd=10_000, taker_fee_rate=0).allowed
    assert not gmx.check_minimums(collateral=100, size_usd=10_000).allowed


@given(collateral=st.floats(0.01, 1e4), x=st.floats(0.01, 1e7), y=st.floats(0.01, 1e7),
       fee=st.floats(0, 0.01))
def test_minimums_are_monotone_in_size(collateral, x, y, fee):
    small, large = sorted((x, y))
    a = gmx.check_minimums(collateral=collateral, size_usd=small, taker_fee_rate=fee)
    b = gmx.check_minimums(collateral=collateral, size_usd=large, taker_fee_rate=fee)
    if b.allowed:
        assert a.allowed
    assert a.effective_maintenance_rate >= gmx.MIN_COLLATERAL_FACTOR
    assert a.allowed == (a.collateral_after_fee >= a.required_collateral)


# ------------------------------------------------------------- Hyperliquid partial liquidation
@st.composite
def _scenario(draw):
    side = draw(st.sampled_from(["long", "short"]))
    lev = draw(st.floats(2.0, 40.0))
    size = draw(st.floats(10.0, 2_000.0))
    entry = 100.0
    m = draw(st.sampled_from([0.0125, 0.025, 0.05]))
    steps = draw(st.integers(1, 80))
    vol = draw(st.floats(0.0005, 0.03))
    drift = draw(st.floats(0.0, 0.01))
    shocks = np.asarray(draw(st.lists(st.floats(-1.0, 1.0), min_size=steps, max_size=steps)))
    sign = 1.0 if side == "long" else -1.0
    path = entry * np.exp(np.cumsum(-sign * drift + vol * shocks))
    depth = draw(st.sampled_from([None, 1e4, 1e5, 1e6]))
    return dict(side=side, size=size, entry_price=entry, margin=size * entry / lev,
                price_path=path, maintenance_margin_rate=m, depth=depth,
                liquidation_fee_rate=draw(st.sampled_from([0.0, 0.001, 0.01])),
                partial_threshold_usd=draw(st.sampled_from([1e3, 1e4, 1e5])),
                step_seconds=draw(st.sampled_from([1.0, 10.0, 60.0])),
                backstop=draw(st.booleans()))


def _run(kw, **over):
    kw = {**kw, **over}
    side = kw.pop("side")
    return hyperliquid.simulate_liquidation(side, **kw)


@given(kw=_scenario())
def test_a_slice_never_leaves_the_account_below_maintenance_without_another_order(kw):
    out = _run(kw)
    steps = [f.step for f in out.fills]
    last = len(kw["price_path"]) - 1
    sign = 1.0 if kw["side"] == "long" else -1.0
    for i, fill in enumerate(out.fills):
        if fill.kind == "partial" and fill.equity_after < fill.maintenance_after:
            nxt = out.fills[i + 1] if i + 1 < len(out.fills) else None
            if fill.step == last:
                assert out.liquidation_pending, (fill, steps)
                continue
            # at the next price either another order goes out, or the price has recovered
            # and the rest of the position is no longer below maintenance
            p = kw["price_path"][fill.step + 1]
            equity = fill.margin_after + sign * fill.size_after * (p - kw["entry_price"])
            recovered = equity >= fill.size_after * p * kw["maintenance_margin_rate"]
            assert (nxt is not None and nxt.step == fill.step + 1) or recovered, (fill, steps)
    if not out.closed:
        assert out.liquidation_pending or out.equity >= out.maintenance
        assert out.liquidation_pending == (out.equity < out.maintenance)


@given(kw=_scenario())
def test_fills_happen_only_strictly_below_maintenance_and_value_is_conserved(kw):
    out = _run(kw)
    s = 1.0 if kw["side"] == "long" else -1.0
    held, cash, e = kw["size"], kw["margin"], kw["entry_price"]
    m = kw["maintenance_margin_rate"]
    for fill in out.fills:
        mark = kw["price_path"][fill.step]
        assert cash + s * held * (mark - e) < held * mark * m  # strictly below at the trigger
        if fill.kind == "backstop":
            assert fill.size == held
            cash, held = 0.0, 0.0
            continue
        cash += fill.realized_pnl - fill.fee
        held -= fill.size
        assert held == pytest.approx(fill.size_after, abs=1e-9 * kw["size"])
    if out.closed:
        assert sum(f.size for f in out.fills) == pytest.approx(kw["size"], rel=1e-12)
        total = kw["margin"] + sum(f.realized_pnl - f.fee for f in out.fills)
        assert out.returned - out.bad_debt == pytest.approx(total, abs=1e-6 * kw["margin"] + 1e-9)
        assert out.size == 0.0 and out.margin == 0.0
    else:
        assert out.returned == 0.0 and out.bad_debt == 0.0
    assert out.fees == pytest.approx(sum(f.fee for f in out.fills))
    assert min(out.returned, out.bad_debt) == 0.0


@given(kw=_scenario())
def test_full_liquidation_is_one_order(kw):
    out = _run(kw, partial=False)
    assert all(f.kind in {"full", "backstop"} for f in out.fills)
    # one order, unless the book could not hold it all (the rest waits for the next mark)
    assert all(f.unfilled_size > 0 for f in out.fills[:-1])
    assert out.closed == (bool(out.fills) and out.fills[-1].unfilled_size == 0)


def test_an_order_larger_than_the_book_leaves_the_rest_for_the_next_mark():
    # depth 2,000 within 2 % at ~97: the curve holds 2,000/(0.02·97) ≈ 1,031 base down to 0
    out = hyperliquid.simulate_liquidation("long", size=2_000, entry_price=100, margin=10_000,
                                           price_path=[97.0, 97.0, 97.0], depth=2_000,
                                           maintenance_margin_rate=0.025, partial=False,
                                           backstop=False)
    first = out.fills[0]
    assert first.unfilled_size > 0 and first.size + first.unfilled_size == pytest.approx(2_000)
    assert first.fill_price == pytest.approx(97.0 / 2)   # the whole curve, 50 % on average
    assert out.fills[1].step == 1


@given(lev=st.floats(5.0, 40.0), depth=st.sampled_from([2e4, 1e5, 5e5]),
       side=st.sampled_from(["long", "short"]))
def test_slicing_into_a_thin_book_loses_less_than_one_order(lev, depth, side):
    """A flat path just past the liquidation price: slices (the book refills between marks)
    lose less to slippage than one order for the whole position."""
    size, entry, m = 1_000.0, 100.0, 0.02
    margin = size * entry / lev
    s = 1.0 if side == "long" else -1.0
    liq = (margin / size - s * entry) / (m - s)          # equity = maintenance
    assume(liq > 0)
    mark = liq * (1 - s * 0.001)                         # a little past it
    equity = margin + s * size * (mark - entry)
    assume(equity >= hyperliquid.BACKSTOP_FRACTION * size * mark * m)  # a book liquidation
    kw = dict(side=side, size=size, entry_price=entry, margin=margin,
              price_path=[mark] * 12, maintenance_margin_rate=m, depth=depth,
              partial_threshold_usd=0.0)
    sliced, whole = _run(kw), _run(kw, partial=False)
    value = sliced.returned - sliced.bad_debt + (0 if sliced.closed else sliced.equity)
    assert value >= whole.returned - whole.bad_debt - 1e-9


def test_cooldown_then_whole_then_slices_again():
    """Above the threshold: a slice; still below maintenance within 30 s: the whole rest."""
    kw = dict(size=2_000, entry_price=100, margin=10_000, maintenance_margin_rate=0.025,
              depth=2e4, price_path=[97.3, 97.2, 97.1, 97.0])
    # the long is liquidated below (10,000 − 200,000)/(0.025·2,000 − 2,000) = 97.44; its
    # notional there, 194,600, is above 100k: a 20 % slice, which fills so deep in this thin
    # book that the rest is still below maintenance
    out = hyperliquid.simulate_liquidation("long", **kw)
    assert [(f.kind, f.step) for f in out.fills] == [("partial", 0), ("full", 1)]
    assert out.fills[0].equity_after < out.fills[0].maintenance_after
    assert out.fills[1].size == pytest.approx(1_600.0) and out.closed
    # with 60 s between marks the cooldown is over at each trigger: slice after slice
    slow = hyperliquid.simulate_liquidation("long", step_seconds=60, **kw)
    assert [(f.kind, f.step) for f in slow.fills] == [("partial", 0), ("partial", 1),
                                                      ("partial", 2)]
    assert [round(f.size, 9) for f in slow.fills] == [400.0, 320.0, 256.0]
    assert not slow.closed and slow.equity >= slow.maintenance
    # at or below the threshold: one order for the whole position
    small = hyperliquid.simulate_liquidation("long", size=1_000, entry_price=100, margin=5_000,
                                             price_path=[97.0], maintenance_margin_rate=0.025)
    assert [f.kind for f in small.fills] == ["full"]  # notional 97,000 <= 100,000


def test_backstop_keeps_the_margin():
    # a gap from 100 to 90 on a 20× long: equity −500 < 2/3 of maintenance
    out = hyperliquid.simulate_liquidation("long", size=1_000, entry_price=100, margin=5_000,
                                           price_path=[100, 90], maintenance_margin_rate=0.025)
    (fill,) = out.fills
    assert fill.kind == "backstop" and out.returned == 0.0
    assert out.bad_debt == pytest.approx(5_000.0)
    no = hyperliquid.simulate_liquidation("long", size=1_000, entry_price=100, margin=5_000,
                                          price_path=[100, 96], maintenance_margin_rate=0.025)
    assert no.fills[0].kind == "backstop"  # equity 1,000 < 2/3 × 2,400
    assert no.returned == 0.0 and no.fees == pytest.approx(1_000.0)


# ----------------------------------------------------------------------------- the boundary
CASES = {
    "gmx.swap_price_impact": (gmx.swap_price_impact, None, dict(
        pool_long_usd=5e4, pool_short_usd=5e4, delta_long_usd=1e4, delta_short_usd=0.0,
        positive_impact_factor=F, negative_impact_factor=F, impact_exponent=2.0), dict(
        pool_long_usd="nonneg", pool_short_usd="nonneg", delta_long_usd="real",
        delta_short_usd="real", positive_impact_factor="nonneg",
        negative_impact_factor="nonneg", impact_exponent="pos")),
    "gmx.position_price_impact": (gmx.position_price_impact, "long", dict(
        open_interest_long=1e6, open_interest_short=5e5, size_delta_usd=1e4,
        positive_impact_factor=1e-9, negative_impact_factor=2e-9, impact_exponent=2.0,
        max_positive_impact_factor=0.004, max_negative_impact_factor=0.005), dict(
        open_interest_long="nonneg", open_interest_short="nonneg", size_delta_usd="real",
        positive_impact_factor="nonneg", negative_impact_factor="nonneg", impact_exponent="pos",
        max_positive_impact_factor="fee", max_negative_impact_factor="fee")),
    "gmx.increase_position": (gmx.increase_position, "long", dict(
        size_delta_usd=5e4, price=5e3, price_impact_usd=-50.0), dict(
        size_delta_usd="pos", price="pos", price_impact_usd="real")),
    "gmx.decrease_position": (gmx.decrease_position, "long", dict(
        size_in_usd=5e4, size_in_tokens=9.99, collateral=5e3, price=5e3,
        price_impact_usd=-100.0), dict(
        size_in_usd="pos", size_in_tokens="pos", collateral="pos", price="pos",
        price_impact_usd="real")),
    "gmx.check_minimums": (gmx.check_minimums, None, dict(
        collateral=100.0, size_usd=5e3, taker_fee_rate=0.0006, min_collateral_usd=1.0,
        min_collateral_factor=0.01, min_position_size_usd=0.0), dict(
        collateral="pos1", size_usd="pos1", taker_fee_rate="fee1", min_collateral_usd="nonneg1",
        min_collateral_factor="unit1", min_position_size_usd="nonneg1")),
    "hyperliquid.simulate_liquidation": (hyperliquid.simulate_liquidation, "long", dict(
        size=1_000.0, entry_price=100.0, margin=5_000.0, price_path=[99.0, 97.0, 96.0],
        maintenance_margin_rate=0.025, step_seconds=1.0, depth=1e5,
        within=0.02, liquidation_fee_rate=0.0, partial=True,
        partial_threshold_usd=1e5, slice_fraction=0.2, cooldown_seconds=30.0, backstop=True),
        dict(size="pos1", entry_price="pos1", margin="pos1", price_path="path",
             maintenance_margin_rate="rate1", step_seconds="pos1", depth="pos1",
             within="unit1", liquidation_fee_rate="fee1", partial="flag",
             partial_threshold_usd="nonneg1", slice_fraction="unit1", cooldown_seconds="nonneg1",
             backstop="flag")),
    "dydx.worst_liquidation_price": (dydx.worst_liquidation_price, "long", dict(
        oracle_price=0.801, maintenance_margin_rate=0.03), dict(
        oracle_price="pos", maintenance_margin_rate="rate")),
    "dydx.liquidation_outcome": (dydx.liquidation_outcome, "long", dict(
        size=500.0, entry_price=1.0, margin=100.0, oracle_price=0.801, fill_price=0.77,
        maintenance_margin_rate=0.03, liquidation_fee_rate=0.015), dict(
        size="pos", entry_price="pos", margin="pos", oracle_price="pos", fill_price="pos",
        maintenance_margin_rate="rate", liquidation_fee_rate="fee")),
}

COMMON = [True, False, np.bool_(True), None, "1", b"1", {"a": 1}, object(), 1 + 0j,
          np.complex128(1.0), np.nan, np.inf, -np.inf, 10 ** 400, [1.0, True], [1.0, np.nan],
          np.datetime64("2025-01-01")]
EXTRA = {"nonneg": [-1.0, -5e-324], "pos": [0.0, -1.0, 5e-324], "real": [],
         "fee": [-0.1, 1.5], "rate": [-0.1, 1.0], "unit": [0.0, 1.5],
         "path": [[], [[1.0, 2.0]], [1.0, 0.0], [1.0, -2.0], 5.0],
         "flag": [None, 1, 0, "yes", 1.0, [True]]}
ARRAYS = [[1.0, 2.0], np.ones(3)]


def _bad_values(kind):
    if kind == "flag":
        return EXTRA["flag"]
    base, scalar_only = kind.rstrip("1"), kind.endswith("1")
    out = COMMON + EXTRA[base]
    if scalar_only:
        out = out + ARRAYS
    if kind == "path":
        out = [x for x in COMMON if not isinstance(x, list)] + [[1.0, np.nan], [1.0, True]] + \
            EXTRA["path"]
    return out


#: Arguments whose documented default is None (None means "not given": no cap, no book).
NONE_ALLOWED = {"max_positive_impact_factor", "max_negative_impact_factor", "depth"}
BAD = [(name, arg, i) for name, (_, _, _, kinds) in CASES.items() for arg, kind in kinds.items()
       for i, x in enumerate(_bad_values(kind)) if not (x is None and arg in NONE_ALLOWED)]


def _call(name, **kw):
    func, side, valid, _ = CASES[name]
    args = (side,) if side is not None else ()
    return func(*args, **{**valid, **kw})


def test_the_valid_calls_work():
    for name in CASES:
        out = _call(name)
        for field in (dataclasses.fields(out) if dataclasses.is_dataclass(out) else []):
            val = getattr(out, field.name)
            if isinstance(val, float):
                assert np.isfinite(val), (name, field.name)


@pytest.mark.parametrize("name, arg, i", BAD, ids=[f"{n}-{a}-{i}" for n, a, i in BAD])
def test_bad_input_is_a_value_error_naming_the_argument(name, arg, i):
    bad = _bad_values(CASES[name][3][arg])[i]
    with pytest.raises(ValueError) as err:
        _call(name, **{arg: bad})
    assert re.search(rf"(?<![A-Za-z_]){arg}(?![A-Za-z_])", str(err.value)), str(err.value)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c[1] is not None])
@pytest.mark.parametrize("side", ["Long", "buy", 1, None, ["long", "x"]])
def test_bad_side_is_a_value_error_naming_side(name, side):
    func, _, valid, _ = CASES[name]
    with pytest.raises(ValueError, match="side"):
        func(side, **valid)


ELEMENTWISE = ["gmx.swap_price_impact", "gmx.position_price_impact", "gmx.increase_position",
               "gmx.decrease_position", "dydx.worst_liquidation_price",
               "dydx.liquidation_outcome"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_mismatched_shapes_name_both_arguments(name):
    valid = CASES[name][2]
    a, b = list(valid)[:2]
    with pytest.raises(ValueError) as err:
        _call(name, **{a: [valid[a]] * 2, b: [valid[b]] * 3})
    assert a in str(err.value) and b in str(err.value)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_arrays_give_the_scalar_results_elementwise(name):
    func, side, valid, _ = CASES[name]
    first = list(valid)[0]
    one = _call(name)
    two = _call(name, **{first: [valid[first], valid[first]]})
    for field in (dataclasses.fields(one) if dataclasses.is_dataclass(one) else [None]):
        a = one if field is None else getattr(one, field.name)
        b = two if field is None else getattr(two, field.name)
        np.testing.assert_allclose(np.asarray(b, dtype=float), [float(a)] * 2, rtol=1e-15)


@pytest.mark.parametrize("name", list(CASES))
def test_swapped_positional_call_is_a_type_error(name):
    func, side, valid, _ = CASES[name]
    numbers = list(valid.values())[::-1]
    with pytest.raises(TypeError):
        func(*(([side] if side is not None else []) + numbers))
    with pytest.raises(TypeError):
        func(*(([side] if side is not None else []) + numbers[:1]))


@pytest.mark.parametrize("extreme", [1e308, 1.7976931348623157e308])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float_limits_give_a_value_error_or_a_finite_result(name, extreme):
    valid = CASES[name][2]
    for arg in valid:
        if CASES[name][3][arg] in {"fee", "rate"}:
            continue
        try:
            out = _call(name, **{arg: extreme})
        except ValueError as err:
            assert any(k in str(err) for k in valid), str(err)
            continue
        vals = [getattr(out, f.name) for f in dataclasses.fields(out)] if \
            dataclasses.is_dataclass(out) else [out]
        for val in vals:
            assert np.all(np.isfinite(np.asarray(val, dtype=float))), (name, arg, out)
