"""The practice desk (marginlib.course.desk): driven as a learner drives it, it ends in the
account state worked out by hand, conserves value, refuses bad requests without changing
anything, and no sequence of requests reaches a state where anything but a plain ValueError
is raised.

Expectations are derived here from the rules as stated (size = margin·leverage/price, fee =
taker·size·price, liquidated when equity < size·mark·m at the first 0.5 % step that gets there,
penalty min(1.5 %·notional, equity), funding −s·q·P·r per hour, maintenance 1/(2·max
leverage)) and the gas schedule of marginlib.action_costs; not by reading the engine back.
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from marginlib.action_costs import action_cost, positions_cost, switch_to_cross
from marginlib.course import desk as dk
from marginlib.course.desk import Desk
from marginlib.liquidation import liquidation_price
from marginlib.parameter_risk import LeverageCut, liquidation_shift

GAS = {a: action_cost("arbitrum", a) for a in ("open", "add_margin", "close")}
TAKER, PENALTY = 0.0005, 0.015   # dYdX v4 small-cap (marginlib.venues.dydx)


def state(desk):
    return (desk.account_summary(), desk.blotter(), len(desk.log), desk.markets, desk.time,
            desk.history)


def first_liquidating_step(price0, move, liquidated):
    """The first mark of a stepwise move (steps of 0.5 % of price0) where `liquidated(P)`."""
    n = round(abs(move) / 0.005)
    for k in range(1, n + 1):
        p = price0 * (1 + move * k / n)
        if liquidated(p):
            return k, p
    return None, None


# ------------------------------------------------------------------ the driven session ---

def test_a_driven_session_ends_in_the_hand_computed_account_state():
    desk = Desk(1_000.0)
    assert GAS["open"] > 0 and GAS["add_margin"] > 0   # Arbitrum gas is charged
    a = desk.open("AGENT", "long", mode="isolated", margin=100, leverage=10)
    o = desk.open("ORACLE", "short", mode="isolated", margin=50, leverage=4)
    wallet = 1_000 - (100 + TAKER * 1_000 + GAS["open"]) - (50 + TAKER * 200 + GAS["open"])
    assert desk.account_summary()["wallet"] == pytest.approx(wallet, rel=1e-12)
    desk.add_margin(a, amount=20)
    wallet -= 20 + GAS["add_margin"]
    # AGENT crashes 40 % in 0.5 % steps: 400 tokens from 2.50 with 120 of margin, m = 5 %
    k, p_liq = first_liquidating_step(2.5, -0.40,
                                      lambda p: 120 + 400 * (p - 2.5) < 400 * p * 0.05)
    assert k is not None and p_liq < (1_000 - 120) / (400 * 0.95)
    desk.apply_scenario("crash", market="AGENT")
    equity = 120 + 400 * (p_liq - 2.5)
    wallet += equity - min(PENALTY * 400 * p_liq, equity)
    assert a not in desk.positions and o in desk.positions
    # funding spike on ORACLE: the short (160 tokens at 1.25) receives 0.5 % per hour, 8 hours
    desk.apply_scenario("funding spike", market="ORACLE")
    received = 8 * 0.005 * 160 * 1.25
    margin_o = 50 + received
    # ORACLE rallies 30 %: short liquidated when 50 + r − 160·(P − 1.25) < 160·P·0.05
    k, p_o = first_liquidating_step(1.25, 0.30,
                                    lambda p: margin_o - 160 * (p - 1.25) < 160 * p * 0.05)
    desk.apply_scenario("rally", market="ORACLE")
    if k is None:   # survived: close at the top
        desk.close(o)
        p_o = 1.25 * 1.3
        eq = margin_o - 160 * (p_o - 1.25)
        wallet += eq - TAKER * 160 * p_o - GAS["close"]
    else:
        eq = margin_o - 160 * (p_o - 1.25)
        wallet += eq - min(PENALTY * 160 * p_o, eq)
    s = desk.account_summary()
    assert s["open_positions"] == 0
    assert s["wallet"] == pytest.approx(wallet, rel=1e-12)
    assert s["gas"] == pytest.approx(2 * GAS["open"] + GAS["add_margin"]
                                     + (GAS["close"] if k is None else 0.0), rel=1e-12)
    assert s["funding"] == pytest.approx(received, rel=1e-12)
    assert abs(desk.conservation_error()) < 1e-9
    assert desk.time == pytest.approx(1 + 8 + 1)
    kinds = [e.kind for e in desk.log]
    assert kinds[:4] == ["deposit", "open", "open", "add_margin"]
    assert kinds.count("scenario") == 3 and "liquidation" in kinds and "funding" in kinds


def test_the_quote_is_the_liquidation_price_of_the_formula_and_changes_nothing():
    desk = Desk()
    before = state(desk)
    q = desk.quote("AGENT", "long", mode="isolated", margin=100, leverage=10)
    assert state(desk) == before
    assert q.size == pytest.approx(400) and q.fee == pytest.approx(0.5)
    assert q.liquidation_price == pytest.approx((1_000 - 100) / (400 * 0.95), rel=1e-12)
    assert q.distance == pytest.approx(1 - 0.9 / 0.95, rel=1e-12)   # 5.26 %, not 10 %
    assert q.from_wallet == pytest.approx(100 + 0.5 + GAS["open"])
    # cross with the whole wallet behind it: W − fee − gas, the other positions none
    c = desk.quote("AGENT", "short", mode="cross", margin=100, leverage=10)
    w = 1_000 - 0.5 - GAS["open"]
    assert c.liquidation_price == pytest.approx(
        liquidation_price("short", entry_price=2.5, size=400, margin=w,
                          maintenance_margin_rate=0.05), rel=1e-12)
    assert c.from_wallet == pytest.approx(0.5 + GAS["open"])


def test_add_margin_keeps_the_entry_and_moves_the_liquidation_price_away():
    desk = Desk()
    a = desk.open("AGENT", "long", mode="isolated", margin=100, leverage=10)
    desk.add_margin(a, amount=50)
    row = desk.blotter()[0]
    assert row["entry"] == 2.5 and row["margin"] == 150
    assert row["liquidation_price"] == pytest.approx((1_000 - 150) / (400 * 0.95))


def test_switch_mode_is_a_close_and_a_reopen_with_the_fees_of_action_costs():
    desk = Desk()
    a = desk.open("AGENT", "long", mode="isolated", margin=100, leverage=10)
    desk.apply_scenario("rally", market="AGENT")             # 2.50 → 3.25, in profit
    cost = desk.switch_cost(a)
    wallet0 = desk.account_summary()["wallet"]
    b = desk.switch_mode(a)
    p = desk.blotter()[0]
    assert (p["position"], p["mode"], p["entry"], p["size"]) == (b, "cross", 3.25, 400)
    ref = switch_to_cross("long", entry_price=2.5, size=400, margin=100, price=3.25,
                          taker_fee_rate=TAKER, maintenance_margin_rate=0.05,
                          wallet=wallet0, network="dydx")           # no gas: fees only
    assert cost == pytest.approx(ref.fees + GAS["close"] + GAS["open"], rel=1e-12)
    # the wallet got margin + PnL − both fees − both gas payments
    assert desk.account_summary()["wallet"] == pytest.approx(
        wallet0 + 100 + 400 * 0.75 - cost, rel=1e-12)
    back = desk.switch_mode(b)
    assert desk.blotter()[0]["mode"] == "isolated" and desk.blotter()[0]["margin"] == \
        pytest.approx(400 * 3.25 / 10)
    assert back != b and abs(desk.conservation_error()) < 1e-9


def test_the_venue_cutting_max_leverage_liquidates_the_10x_position_only():
    desk = Desk()
    hi = desk.open("AGENT", "long", mode="isolated", margin=100, leverage=10)
    lo = desk.open("AGENT", "long", mode="isolated", margin=100, leverage=3)
    desk.apply_scenario("leverage cut", market="AGENT")
    m = desk.markets["AGENT"]
    assert m.max_leverage == 4 and m.maintenance_margin_rate == 1 / 8
    # 10×: equity 100 < 1,000 × 12.5 %; 3×: equity 100 >= 300 × 12.5 %
    assert desk.positions == [lo] and hi not in desk.positions
    for lev, gone in ((10, True), (3, False)):   # as marginlib.parameter_risk sees it
        r = liquidation_shift("long", entry_price=2.5, size=100 * lev / 2.5, margin=100,
                              mark_price=2.5, maintenance_margin_rate=0.05,
                              change=LeverageCut(max_leverage=4))
        assert bool(r.liquidatable_after) is gone and not r.liquidatable_before
    liq = [e for e in desk.log if e.kind == "liquidation"][0]
    assert liq.amount == pytest.approx(100 - PENALTY * 1_000)
    with pytest.raises(ValueError, match="at most 4"):
        desk.quote("AGENT", "long", mode="isolated", margin=100, leverage=5)


def test_funding_spike_moves_isolated_margin_and_the_cross_wallet():
    desk = Desk()
    i = desk.open("NEURAL", "long", mode="isolated", margin=100, leverage=5)
    c = desk.open("NEURAL", "short", mode="cross", margin=100, leverage=5)
    w0 = desk.account_summary()["wallet"]
    desk.apply_scenario("funding spike", market="NEURAL")
    pay = 8 * 0.005 * 1_000 * 0.5
    row = {r["position"]: r for r in desk.blotter()}
    assert row[i]["margin"] == pytest.approx(100 - pay)
    assert desk.account_summary()["wallet"] == pytest.approx(w0 + pay)
    assert c in desk.positions and desk.account_summary()["funding"] == pytest.approx(0.0)


def test_one_crash_liquidates_one_isolated_pool_and_leaves_the_rest():
    """The article: with three isolated positions, one token crashing 40 % only liquidates
    that position's margin pool."""
    desk = Desk()
    names = [desk.open(m, "long", mode="isolated", margin=100, leverage=10)
             for m in ("AGENT", "NEURAL", "ORACLE")]
    desk.apply_scenario("crash", market="AGENT")
    assert desk.positions == names[1:]
    assert [r["margin"] for r in desk.blotter()] == [100, 100]


def test_an_isolated_only_market_refuses_cross():
    desk = Desk()
    assert desk.markets["NEWAI"].isolated_only
    with pytest.raises(ValueError, match="isolated only"):
        desk.open("NEWAI", "long", mode="cross", margin=50, leverage=2)
    n = desk.open("NEWAI", "long", mode="isolated", margin=50, leverage=2)
    with pytest.raises(ValueError, match="isolated only"):
        desk.switch_mode(n)


def test_gas_less_networks_charge_no_gas():
    desk = Desk(network="dydx")
    a = desk.open("AGENT", "long", mode="isolated", margin=100, leverage=10)
    desk.add_margin(a, amount=10)
    desk.close(a)
    assert desk.gas_paid == 0.0
    assert desk.account_summary()["wallet"] == pytest.approx(1_000 - 2 * TAKER * 1_000)


def test_a_close_that_cannot_pay_its_gas_is_refused_until_a_deposit():
    b_desk = Desk(100.0 + 0.5 + GAS["open"])
    b = b_desk.open("AGENT", "long", mode="isolated", margin=100, leverage=10)
    assert b_desk.account_summary()["wallet"] == pytest.approx(0.0, abs=1e-12)
    before = state(b_desk)
    with pytest.raises(ValueError, match="add margin refused"):
        b_desk.add_margin(b, amount=1)
    assert state(b_desk) == before
    b_desk.deposit(10)
    b_desk.close(b)
    assert b_desk.positions == [] and abs(b_desk.conservation_error()) < 1e-9


# ------------------------------------------------------------------------ bad input ---

BAD_NUMBERS = [float("nan"), float("inf"), -1.0, 0.0, True, "100", 1 + 2j, [100, 200], None]


@pytest.mark.parametrize("bad", BAD_NUMBERS, ids=repr)
def test_bad_numbers_are_refused_by_every_method_and_change_nothing(bad):
    desk = Desk()
    a = desk.open("AGENT", "long", mode="isolated", margin=100, leverage=10)
    before = state(desk)
    calls = [
        lambda: desk.quote("AGENT", "long", mode="isolated", margin=bad, leverage=10),
        lambda: desk.quote("AGENT", "long", mode="isolated", margin=100, leverage=bad),
        lambda: desk.open("AGENT", "long", mode="isolated", margin=bad, leverage=10),
        lambda: desk.open("AGENT", "long", mode="cross", margin=100, leverage=bad),
        lambda: desk.add_margin(a, amount=bad),
        lambda: desk.deposit(bad),
    ]
    for call in calls:
        with pytest.raises(ValueError):
            call()
        assert state(desk) == before
    with pytest.raises(ValueError):
        Desk(bad)


@pytest.mark.parametrize("call, match", [
    (lambda d: d.quote("BTC", "long", mode="isolated", margin=100, leverage=2), "market"),
    (lambda d: d.quote(None, "long", mode="isolated", margin=100, leverage=2), "market"),
    (lambda d: d.open("AGENT", "buy", mode="isolated", margin=100, leverage=2), "side"),
    (lambda d: d.open("AGENT", "long", mode="Isolated", margin=100, leverage=2), "mode"),
    (lambda d: d.open("AGENT", "long", mode="isolated", margin=100, leverage=0.5), "leverage"),
    (lambda d: d.open("AGENT", "long", mode="isolated", margin=100, leverage=11), "at most 10"),
    (lambda d: d.open("AGENT", "long", mode="isolated", margin=2_000, leverage=2), "refused"),
    (lambda d: d.open("AGENT", "long", mode="isolated", margin=1e300, leverage=10), "margin"),
    (lambda d: d.add_margin("AGENT #9", amount=10), "position"),
    (lambda d: d.add_margin(["AGENT #1"], amount=10), "position"),
    (lambda d: d.close("nope"), "position"),
    (lambda d: d.close(1), "position"),
    (lambda d: d.switch_mode(None), "position"),
    (lambda d: d.switch_cost("nope"), "position"),
    (lambda d: d.apply_scenario("meteor"), "name"),
    (lambda d: d.apply_scenario("crash", market="BTC"), "market"),
    (lambda d: d.gas("withdraw"), "action"),
], ids=range(17))
def test_bad_requests_get_a_plain_message_and_change_nothing(call, match):
    desk = Desk()
    desk.open("NEURAL", "long", mode="cross", margin=100, leverage=5)
    before = state(desk)
    with pytest.raises(ValueError, match=match):
        call(desk)
    assert state(desk) == before


def test_a_top_up_pays_the_gas_of_one_add_margin_as_positions_cost_counts_it():
    desk = Desk()
    desk.open("AGENT", "long", mode="cross", margin=100, leverage=5)
    desk.open("NEURAL", "long", mode="cross", margin=100, leverage=5)
    w0 = desk.account_summary()["wallet"]
    desk.deposit(50)                              # one top-up backs both cross positions
    assert desk.account_summary()["wallet"] == pytest.approx(w0 + 50 - GAS["add_margin"])
    assert desk.account_summary()["deposits"] == 1_050
    iso, cross = (positions_cost("arbitrum", positions=2, mode=m, top_ups=1)
                  for m in ("isolated", "cross"))
    assert cross.costs["add_margin"] == pytest.approx(GAS["add_margin"])
    assert iso.costs["add_margin"] == pytest.approx(2 * GAS["add_margin"])
    with pytest.raises(ValueError, match="exceed its gas"):
        desk.deposit(GAS["add_margin"])


def test_cross_positions_refuse_add_margin_and_bad_network():
    desk = Desk()
    c = desk.open("NEURAL", "long", mode="cross", margin=100, leverage=5)
    with pytest.raises(ValueError, match="cross"):
        desk.add_margin(c, amount=10)
    with pytest.raises(ValueError, match="network"):
        Desk(network="solana")


def test_prices_stay_in_range_however_often_a_button_is_pressed():
    desk = Desk()
    for _ in range(40):
        try:
            desk.apply_scenario("crash", market="NEWAI")
        except ValueError as exc:
            assert "between" in str(exc)
            break
    else:
        pytest.fail("40 crashes of 40 % never reached the price floor")
    assert desk.markets["NEWAI"].price >= dk.PRICE_RANGE[0]


# ------------------------------------------------- no reachable state raises, value kept ---

ACTION = st.one_of(
    st.tuples(st.just("open"), st.sampled_from(list(dk.MARKETS)), st.sampled_from(dk.SIDES),
              st.sampled_from(dk.MODES), st.floats(1, 1_200), st.floats(1, 10)),
    st.tuples(st.just("add_margin"), st.integers(0, 5), st.floats(1, 500)),
    st.tuples(st.just("close"), st.integers(0, 5)),
    st.tuples(st.just("switch"), st.integers(0, 5)),
    st.tuples(st.just("deposit"), st.floats(1, 500)),
    st.tuples(st.just("scenario"), st.sampled_from(dk.SCENARIOS),
              st.sampled_from([m.name for m in dk.MARKETS])),
)


@settings(max_examples=40)
@given(st.lists(ACTION, max_size=25))
def test_any_sequence_of_requests_keeps_a_valid_state_and_conserves_value(actions):
    desk = Desk()
    gas = 0.0
    for action in actions:
        kind, *args = action
        names = desk.positions
        pick = (lambda i: names[i % len(names)] if names else "none")
        before = state(desk)
        try:
            if kind == "open":
                market, side, mode, margin, lev = args
                desk.open(market.name, side, mode=mode, margin=margin, leverage=lev)
                gas += GAS["open"]
            elif kind == "add_margin":
                desk.add_margin(pick(args[0]), amount=args[1])
                gas += GAS["add_margin"]
            elif kind == "close":
                desk.close(pick(args[0]))
                gas += GAS["close"]
            elif kind == "switch":
                desk.switch_mode(pick(args[0]))
                gas += GAS["close"] + GAS["open"]
            elif kind == "deposit":
                desk.deposit(args[0])
                gas += GAS["add_margin"]
            else:
                desk.apply_scenario(args[0], market=args[1])
        except ValueError as exc:
            assert str(exc)                       # a plain message
            assert state(desk) == before          # and nothing changed
        s = desk.account_summary()
        # nothing created or lost: held + paid out == brought in + made
        held = s["wallet"] + s["isolated_margin"]
        paid = s["fees"] + s["liquidation_fees"] + s["gas"]
        came = s["deposits"] + s["realized_pnl"] + s["funding"] + s["bad_debt"]
        assert math.isclose(held + paid, came, rel_tol=1e-9, abs_tol=1e-9)
        assert s["gas"] == pytest.approx(gas, rel=1e-9, abs=1e-12)
        assert s["wallet"] >= -1e-9 or any(r["mode"] == "cross" for r in desk.blotter())
        for row in desk.blotter():                # every reachable state reads back finite
            assert all(np.isfinite(x) for x in (row["liquidation_price"], row["mark"]))
        for m in desk.markets.values():
            for side in dk.SIDES:
                try:
                    desk.quote(m.name, side, mode="isolated", margin=10, leverage=2)
                except ValueError as exc:
                    assert str(exc)
