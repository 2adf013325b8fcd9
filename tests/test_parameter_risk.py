"""Parameter risk: the liquidation price moves when the rules change, the price does not.

Expected prices are recomputed by hand from G1, ``(M' + c − s·q·E) / (q·(m − s))``, and, for a
new tier table, by :func:`marginlib.tiers.tiered_liquidation_price` (an independent fixed-point
implementation) where it is defined. The "margin to add" answers are checked by adding that
margin and recomputing.
"""
import dataclasses
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import marginlib as ml
from marginlib import parameter_risk as pr
from marginlib.tiers import margin_tiers, tiered_liquidation_price


def g1(s, e, q, collateral, m, c=0.0):
    return (collateral + c - s * q * e) / (q * (m - s))


POS = dict(entry_price=2_000.0, size=10.0, margin=2_000.0, mark_price=1_950.0)


# ---- each kind of change, by hand -----------------------------------------------------------

@pytest.mark.parametrize("side, s", [("long", 1), ("short", -1)])
def test_maintenance_increase_by_hand(side, s):
    r = pr.liquidation_shift(side, **POS, maintenance_margin_rate=0.01,
                             change=pr.MaintenanceIncrease(maintenance_margin_rate=0.03,
                                                           maintenance_amount=5.0))
    assert r.liquidation_price_before == pytest.approx(g1(s, 2_000, 10, 2_000, 0.01))
    assert r.liquidation_price_after == pytest.approx(g1(s, 2_000, 10, 2_000, 0.03, 5.0))
    assert r.shift == pytest.approx(r.liquidation_price_after - r.liquidation_price_before)
    assert s * r.shift > 0  # towards the mark: a long's price rises, a short's falls
    pnl = s * 10 * (1_950 - 2_000)
    assert r.equity_before == r.equity_after == pytest.approx(2_000 + pnl)
    assert r.maintenance_before == pytest.approx(10 * 1_950 * 0.01)
    assert r.maintenance_after == pytest.approx(10 * 1_950 * 0.03 - 5.0)


def test_leverage_cut_uses_half_the_initial_margin_at_max_leverage():
    """Hyperliquid: m = 1/(2·L_max); ETH 50× → 25× takes m from 1 % to 2 %."""
    cut = pr.LeverageCut(max_leverage=25)
    assert cut.maintenance_margin_rate == pytest.approx(0.02)
    r = pr.liquidation_shift("long", **POS, maintenance_margin_rate=0.01, change=cut)
    assert r.liquidation_price_after == pytest.approx(g1(1, 2_000, 10, 2_000, 0.02))
    # 20,000 notional on 2,000 of margin (10×, equity 1,500 at the mark: 13×) is under 25×
    assert r.above_max_leverage is False
    r = pr.liquidation_shift("long", **POS, change=pr.LeverageCut(max_leverage=10))
    assert r.above_max_leverage is True  # 19,500 > 10 × 1,500


def test_collateral_haircut_in_cross_by_hand():
    """USDe at 0.65: half the wallet in USDe loses 35 % of that half; other terms unchanged."""
    cut = pr.CollateralHaircut(haircut=0.35, collateral_share=0.5)
    r = pr.liquidation_shift("short", **POS, maintenance_margin_rate=0.01, change=cut,
                             other_maintenance=100.0, other_unrealized_pnl=-50.0)
    before = 2_000 - 100 - 50
    after = 2_000 * (1 - 0.5 * 0.35) - 100 - 50
    assert r.liquidation_price_before == pytest.approx(g1(-1, 2_000, 10, before, 0.01))
    assert r.liquidation_price_after == pytest.approx(g1(-1, 2_000, 10, after, 0.01))
    assert r.liquidation_price_before == pytest.approx(ml.liquidation_price(
        "short", entry_price=2_000, size=10, margin=2_000, maintenance_margin_rate=0.01,
        other_maintenance=100, other_unrealized_pnl=-50))
    assert r.equity_before - r.equity_after == pytest.approx(2_000 * 0.5 * 0.35)
    assert r.maintenance_after == r.maintenance_before == pytest.approx(10 * 1_950 * 0.01 + 100)


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("margin", [3_000.0, 5_000.0, 12_000.0])
def test_new_tier_table_matches_tiered_liquidation_price(side, margin):
    table = pr.EVENTS[0].change.tiers  # Binance CYBERUSDT from 2023-08-31
    pos = dict(entry_price=10.0, size=4_000.0, margin=margin)  # 40,000 USDT: the 5 % tier
    r = pr.liquidation_shift(side, **pos, mark_price=10.0, maintenance_margin_rate=0.01,
                             change=pr.TierTableChange(table))
    want = tiered_liquidation_price(side, **pos, tiers=table).price
    assert r.liquidation_price_after == pytest.approx(want, rel=1e-12)
    assert r.maintenance_after == pytest.approx(table.maintenance_margin(40_000.0))


def test_a_change_can_make_an_open_position_liquidatable_at_an_unchanged_price():
    # 20× long: 1,000 margin on 20,000; mark 1,990 → equity 900; MM 1 % = 199 → safe.
    pos = dict(entry_price=2_000.0, size=10.0, margin=1_000.0, mark_price=1_990.0)
    r = pr.liquidation_shift("long", **pos, maintenance_margin_rate=0.01,
                             change=pr.MaintenanceIncrease(maintenance_margin_rate=0.05))
    assert not r.liquidatable_before and r.liquidatable_after
    assert r.liquidation_price_after > 1_990.0  # the boundary is now above the mark
    assert r.margin_to_avoid_liquidation == pytest.approx(10 * 1_990 * 0.05 - 900)


@given(side=st.sampled_from(["long", "short"]), lev=st.floats(2, 40),
       move=st.floats(-0.02, 0.02), m0=st.floats(0.001, 0.02), m1=st.floats(0.001, 0.2),
       h=st.floats(0, 0.9))
def test_margin_answers_undo_the_change(side, lev, move, m0, m1, h):
    e, q = 100.0, 5.0
    pos = dict(entry_price=e, size=q, margin=q * e / lev, mark_price=e * (1 + move))
    for change in (pr.MaintenanceIncrease(maintenance_margin_rate=m1),
                   pr.CollateralHaircut(haircut=h)):
        r = pr.liquidation_shift(side, **pos, maintenance_margin_rate=m0, change=change)
        k = change.margin_factor if isinstance(change, pr.CollateralHaircut) else 1.0
        m_after = m1 if isinstance(change, pr.MaintenanceIncrease) else m0
        s = 1 if side == "long" else -1
        # adding margin_to_restore (new cash, full value) puts the price back where it was
        if r.margin_to_restore > 0:
            restored = g1(s, e, q, pos["margin"] * k + r.margin_to_restore, m_after)
            assert restored == pytest.approx(r.liquidation_price_before, rel=1e-9, abs=1e-9)
        # adding margin_to_avoid_liquidation leaves equity exactly at maintenance: not liquidated
        eq = pos["margin"] * k + r.margin_to_avoid_liquidation + s * q * (pos["mark_price"] - e)
        mm = q * pos["mark_price"] * m_after
        assert eq >= mm * (1 - 1e-12) - 1e-12
        assert r.liquidatable_after == (r.margin_to_avoid_liquidation > 0)


@given(side=st.sampled_from(["long", "short"]), m0=st.floats(0, 0.05),
       dm=st.floats(0, 0.1), h=st.floats(0, 1))
def test_tighter_rules_never_move_the_price_away_from_the_mark(side, m0, dm, h):
    s = 1 if side == "long" else -1
    for change in (pr.MaintenanceIncrease(maintenance_margin_rate=m0 + dm),
                   pr.CollateralHaircut(haircut=h)):
        r = pr.liquidation_shift(side, **POS, maintenance_margin_rate=m0, change=change)
        assert s * r.shift >= -1e-9


def test_liquidation_shift_is_elementwise(assert_elementwise):
    fields = ["liquidation_price_before", "liquidation_price_after", "shift", "equity_after",
              "maintenance_after", "margin_to_restore", "margin_to_avoid_liquidation",
              "liquidatable_after"]
    change = pr.MaintenanceIncrease(maintenance_margin_rate=0.04)
    assert_elementwise(
        lambda **k: pr.liquidation_shift("long", change=change, **k),
        {"entry_price": [100.0, 110.0, 95.0], "size": [1.0, 2.0, 3.0],
         "margin": [20.0, 10.0, 30.0], "mark_price": [100.0, 104.0, 96.0],
         "maintenance_margin_rate": [0.01, 0.02, 0.005]},
        fields=fields, types={"liquidatable_after": bool})


# ---- dated events ---------------------------------------------------------------------------

def test_events_are_dated_sourced_and_carry_their_numbers():
    dates = [ev.date[:10] for ev in pr.EVENTS]
    assert dates == sorted(dates)
    for ev in pr.EVENTS:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(/\d{4}-\d{2}-\d{2})?", ev.date)
        assert ev.source_url.startswith("https://") and ev.numbers and ev.summary
        assert ev.source_kind in ("primary", "secondary")
        if ev.change is None:
            assert ev.kind in ("other", "tier_table")
    kinds = {ev.kind for ev in pr.EVENTS if ev.change is not None}
    assert {"leverage_cut", "tier_table", "maintenance_increase", "collateral_haircut"} <= kinds
    venues = {(ev.venue, ev.date[:7]) for ev in pr.EVENTS}
    assert {("Hyperliquid", "2025-03"), ("Binance", "2025-10")} <= venues


def test_event_numbers_as_published():
    by_kind = {ev.kind: ev for ev in pr.EVENTS if ev.change is not None}
    assert by_kind["leverage_cut"].change.max_leverage == 25.0  # ETH on Hyperliquid
    assert by_kind["collateral_haircut"].change.haircut == pytest.approx(0.35)  # USDe ~0.65
    assert by_kind["maintenance_increase"].change.maintenance_margin_rate == 0.025  # COMBOUSDT
    t = pr.EVENTS[0].change.tiers  # CYBERUSDT 2023-08-31: 11× and 2.50 % up to 25,000
    assert t.rates[:2] == (0.025, 0.05) and t.max_leverages[0] == 11 and t.floors[1] == 25_000
    t = pr.EVENTS[1].change.tiers  # CYBERUSDT 2023-09-02: 8× and 2.50 % up to 5,000
    assert t.rates[:2] == (0.025, 0.05) and t.max_leverages[0] == 8 and t.floors[1] == 5_000


def test_every_event_with_a_change_moves_a_position():
    for ev in pr.EVENTS:
        if ev.change is None:
            continue
        r = pr.liquidation_shift("long", entry_price=100.0, size=100.0, margin=1_000.0,
                                 mark_price=100.0, maintenance_margin_rate=0.01,
                                 change=ev.change)
        assert r.shift > 0, ev.date


# ---- bad input ------------------------------------------------------------------------------

BAD = [float("nan"), float("inf"), True, 1j, "1", None, [1, "a"], {"a": 1}]
ARGS = dict(entry_price=100.0, size=1.0, margin=10.0, mark_price=100.0,
            maintenance_margin_rate=0.01, maintenance_amount=0.0, other_maintenance=0.0,
            other_unrealized_pnl=0.0)
CHANGE = pr.MaintenanceIncrease(maintenance_margin_rate=0.02)


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("name", list(ARGS))
def test_liquidation_shift_refuses_bad_numbers_by_name(name, bad):
    with pytest.raises(ValueError, match=name):
        pr.liquidation_shift("long", **{**ARGS, name: bad}, change=CHANGE)


@pytest.mark.parametrize("name, value", [
    ("entry_price", 0), ("size", -1), ("margin", 0), ("mark_price", -1),
    ("maintenance_margin_rate", 1.0), ("maintenance_amount", -1), ("other_maintenance", -1)])
def test_liquidation_shift_refuses_out_of_range(name, value):
    with pytest.raises(ValueError, match=name):
        pr.liquidation_shift("long", **{**ARGS, name: value}, change=CHANGE)


def test_liquidation_shift_refuses_side_change_and_shapes():
    with pytest.raises(ValueError, match="side"):
        pr.liquidation_shift("buy", **ARGS, change=CHANGE)
    for bad in (None, 0.02, "leverage_cut", margin_tiers(floors=[0], rates=[0.01])):
        with pytest.raises(ValueError, match="change"):
            pr.liquidation_shift("long", **ARGS, change=bad)
    with pytest.raises(ValueError, match="size.*margin|margin.*size"):
        pr.liquidation_shift("long", **{**ARGS, "size": [1, 2], "margin": [1, 2, 3]},
                             change=CHANGE)


def test_overflow_is_a_value_error():
    with pytest.raises(ValueError, match="overflow"):
        pr.liquidation_shift("long", **{**ARGS, "size": 1e300, "mark_price": 1e300},
                             change=CHANGE)


@pytest.mark.parametrize("record, field, bad", [
    (pr.LeverageCut(max_leverage=20), "max_leverage", 0.5),
    (pr.LeverageCut(max_leverage=20), "max_leverage", True),
    (pr.LeverageCut(max_leverage=20), "max_leverage", [20, 10]),
    (pr.LeverageCut(max_leverage=20), "maintenance_share", 0.0),
    (pr.LeverageCut(max_leverage=20), "maintenance_share", 1.5),
    (pr.MaintenanceIncrease(maintenance_margin_rate=0.02), "maintenance_margin_rate", -0.1),
    (pr.MaintenanceIncrease(maintenance_margin_rate=0.02), "maintenance_amount", float("nan")),
    (pr.CollateralHaircut(haircut=0.1), "haircut", 1.5),
    (pr.CollateralHaircut(haircut=0.1), "collateral_share", -0.1),
    (pr.CollateralHaircut(haircut=0.1), "haircut", "0.1"),
    (pr.TierTableChange(margin_tiers(floors=[0], rates=[0.01])), "tiers", {"rates": [0.01]}),
])
def test_change_records_validate_also_through_replace(record, field, bad):
    with pytest.raises(ValueError, match=field):
        dataclasses.replace(record, **{field: bad})


@pytest.mark.parametrize("field, bad", [
    ("date", 2025), ("kind", "rumour"), ("change", 0.35), ("source_kind", "blog"),
    ("source_url", None)])
def test_event_record_validates(field, bad):
    with pytest.raises(ValueError, match=field):
        dataclasses.replace(pr.EVENTS[1], **{field: bad})


def test_reachable_from_the_package():
    assert ml.parameter_risk is pr
    r = pr.liquidation_shift("long", **ARGS, change=CHANGE)
    assert type(r.liquidation_price_after) is float and type(r.liquidatable_after) is bool
    assert np.isfinite(r.margin_to_restore)


# ---- a tiered rule before the change ----------------------------------------------------------

@pytest.mark.parametrize("side", ["long", "short"])
def test_tier_table_to_tier_table_binance_cyberusdt(side):
    """2023-08-31 → 2023-09-02: 20,000 USDT moves from the 2.50 % tier to the 5.00 % tier."""
    old, new = pr.EVENTS[0].change.tiers, pr.EVENTS[1].change.tiers
    pos = dict(entry_price=1.0, size=20_000.0, margin=3_000.0)
    r = pr.liquidation_shift(side, **pos, mark_price=1.0, tiers=old, change=pr.EVENTS[1].change)
    assert r.liquidation_price_before == pytest.approx(
        tiered_liquidation_price(side, **pos, tiers=old).price, rel=1e-12)
    assert r.liquidation_price_after == pytest.approx(
        tiered_liquidation_price(side, **pos, tiers=new).price, rel=1e-12)
    assert r.maintenance_before == pytest.approx(20_000 * 0.025)
    assert r.maintenance_after == pytest.approx(20_000 * 0.05 - 5_000 * (0.05 - 0.025))
    s = 1 if side == "long" else -1
    assert s * r.shift > 0


def test_a_haircut_keeps_the_tier_table_and_tiers_exclude_a_flat_rate():
    t = pr.EVENTS[0].change.tiers
    pos = dict(entry_price=1.0, size=20_000.0, margin=3_000.0, mark_price=1.0)
    r = pr.liquidation_shift("long", **pos, tiers=t, change=pr.CollateralHaircut(haircut=0.2))
    assert r.liquidation_price_after == pytest.approx(tiered_liquidation_price(
        "long", entry_price=1.0, size=20_000.0, margin=2_400.0, tiers=t).price)
    with pytest.raises(ValueError, match="tiers"):
        pr.liquidation_shift("long", **pos, tiers=t, maintenance_margin_rate=0.01,
                             change=pr.CollateralHaircut(haircut=0.2))
    with pytest.raises(ValueError, match="tiers"):
        pr.liquidation_shift("long", **pos, tiers=[0.01], change=CHANGE)


JUNK = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
                 st.text(max_size=3), st.complex_numbers(), st.integers(-10**400, 10**400),
                 st.lists(st.floats(allow_nan=True), max_size=3))


@given(name=st.sampled_from(list(ARGS)), value=JUNK)
def test_junk_gives_a_named_value_error_or_a_finite_answer(name, value):
    try:
        r = pr.liquidation_shift("long", **{**ARGS, name: value}, change=CHANGE)
    except ValueError as err:
        assert name in str(err) or "overflow" in str(err)
    else:
        for f in dataclasses.fields(r):
            assert np.all(np.isfinite(np.asarray(getattr(r, f.name), dtype=float)))
