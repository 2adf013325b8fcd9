"""Costs of actions: gas per network, isolated vs cross for N positions, switching to cross.

Expectations are derived independently: gas by hand (units × gwei × 1e-9 × ETH price), action
counts from the definition of each mode, and the switch replayed step by step in the account
engine (:class:`marginlib.account.Account`), whose liquidation price is computed by its own code.
"""
import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import marginlib as ml
from marginlib import action_costs as ac
from marginlib.account import Account


# ---- gas ------------------------------------------------------------------------------------

def test_gas_cost_by_hand():
    # 21,000 gas at 30 gwei = 630,000 gwei = 0.00063 ETH; at 2,500 USD: 1.575 USD.
    assert ac.gas_cost(gas_units=21_000, gas_price_gwei=30, native_price=2_500) == \
        pytest.approx(0.00063 * 2_500, rel=1e-12)


def test_gas_schedule_prices_each_action_with_gas_cost():
    s = ac.gas_schedule("x", open_gas=200_000, add_margin_gas=50_000, close_gas=250_000,
                        gas_price_gwei=4, native_price=1_000)
    assert (s.open, s.add_margin, s.close) == pytest.approx((0.8, 0.2, 1.0), rel=1e-12)
    assert s.unit == "USD" and s.network == "x"


def test_presets_are_sourced_dated_and_ordered():
    assert ac.NETWORKS == ("ethereum", "arbitrum", "base", "gmx", "dydx", "hyperliquid")
    for name, s in ac.SCHEDULES.items():
        assert s.network == name
        assert "https://" in s.source and s.as_of and s.note
    for free in ("dydx", "hyperliquid"):  # app-chains: no gas per trade
        assert all(ac.action_cost(free, a) == 0.0 for a in ac.ACTIONS)
    for a in ac.ACTIONS:  # an L2 is cheaper than L1 for the same action
        assert ac.action_cost("ethereum", a) > ac.action_cost("arbitrum", a) > 0
        assert ac.action_cost("ethereum", a) > ac.action_cost("base", a) > 0


def test_gmx_execution_fee_follows_the_contract_formula():
    """(base 500,000 + order gas limit) × gas price, limits from gmx-synthetics general.ts."""
    g = ac.SCHEDULES["gmx"]
    eth = 3_000 * 0.01e-9
    assert g.open == pytest.approx((500_000 + 4_000_000) * eth, rel=1e-12)
    assert g.close == pytest.approx((500_000 + 4_000_000 + 1_000_000) * eth, rel=1e-12)


def test_a_schedule_can_be_changed_and_used():
    mine = dataclasses.replace(ac.SCHEDULES["ethereum"], open=5.0)
    assert ac.action_cost(mine, "open") == 5.0
    assert ac.positions_cost(mine, positions=2, mode="cross", top_ups=0).total == \
        pytest.approx(2 * 5.0 + 2 * mine.close)


# ---- N positions ----------------------------------------------------------------------------

@pytest.mark.parametrize("network", ac.NETWORKS)
@pytest.mark.parametrize("top_ups", [0, 1, 2])
def test_three_positions_isolated_vs_cross(network, top_ups):
    s = ac.SCHEDULES[network]
    iso = ac.positions_cost(network, positions=3, mode="isolated", top_ups=top_ups)
    cross = ac.positions_cost(network, positions=3, mode="cross", top_ups=top_ups)
    assert dict(iso.counts) == {"open": 3, "add_margin": 3 * top_ups, "close": 3}
    assert dict(cross.counts) == {"open": 3, "add_margin": top_ups, "close": 3}
    assert iso.total == pytest.approx(3 * s.open + 3 * top_ups * s.add_margin + 3 * s.close)
    assert cross.total == pytest.approx(3 * s.open + top_ups * s.add_margin + 3 * s.close)
    assert iso.total - cross.total == pytest.approx(2 * top_ups * s.add_margin)
    assert sum(iso.costs.values()) == pytest.approx(iso.total)


# ---- switching isolated -> cross --------------------------------------------------------------

def _replay(side, e, q, m, p, t, mmr, wallet, r):
    """The switch done in the account engine: returns (wallet after, cross liquidation price)."""
    acct = Account(wallet + m + 1e-9, maintenance_margin_rate=mmr, taker_fee_rate=t)
    acct.open("iso", side, size=q, margin=m, price=e, taker_fee_rate=0.0)
    s = 1 if side == "long" else -1
    acct.close("iso", price=p * (1 - s * r), taker_fee_rate=t)
    acct.open("cross", side, size=q, leverage=1 / max(mmr, 1e-3) * 0.999 if mmr else 1.0,
              price=p * (1 + s * r), mode="cross")
    return acct.wallet - 1e-9, acct.liquidation_price("cross")


def test_switch_by_hand_long():
    # Long 10 at 100 with 100 margin; price now 104; taker 0.1 %; slippage 0.5 %; wallet 50.
    r = ac.switch_to_cross("long", entry_price=100, size=10, margin=100, price=104,
                           taker_fee_rate=0.001, maintenance_margin_rate=0.02, wallet=50,
                           slippage_rate=0.005, network="ethereum")
    close_p, open_p = 104 * 0.995, 104 * 1.005
    assert (r.close_price, r.reopen_price) == pytest.approx((close_p, open_p))
    assert r.close_fee == pytest.approx(0.001 * 10 * close_p)
    assert r.open_fee == pytest.approx(0.001 * 10 * open_p)
    assert r.slippage == pytest.approx(10 * 104 * 0.005 * 2)
    eth = ac.SCHEDULES["ethereum"]
    assert r.gas == pytest.approx(eth.close + eth.add_margin + eth.open)
    wallet = 50 + 100 + 10 * (close_p - 100) - r.fees
    assert r.wallet_after == pytest.approx(wallet)
    # G1 by hand: (M' − q·E)/(q·(m − 1)) for a long.
    assert r.isolated_liquidation_price == pytest.approx((100 - 1000) / (10 * (0.02 - 1)))
    assert r.cross_liquidation_price == pytest.approx((wallet - 10 * open_p) / (10 * (0.02 - 1)))


def test_close_plus_reopen_is_the_sum_of_its_parts():
    r = ac.switch_to_cross("short", entry_price=50, size=4, margin=40, price=48,
                           taker_fee_rate=0.0005, maintenance_margin_rate=0.01, wallet=10,
                           slippage_rate=0.002, network="gmx")
    gas = sum(ac.action_cost("gmx", a) for a in ("close", "add_margin", "open"))
    assert r.gas == pytest.approx(gas)
    assert r.fees == pytest.approx(r.close_fee + r.open_fee)
    assert r.total == pytest.approx(r.close_fee + r.open_fee + r.slippage + gas)
    # What left the trader's margin money: equity at mid before minus equity at mid after.
    before = 10 + 40 + (-1) * 4 * (48 - 50)
    after = r.wallet_after + (-1) * 4 * (48 - r.reopen_price)
    assert before - after == pytest.approx(r.fees + r.slippage)


@pytest.mark.parametrize("side", ["long", "short"])
def test_switch_matches_the_account_engine(side):
    args = dict(entry_price=100, size=3, margin=40, price=97, taker_fee_rate=0.0006,
                maintenance_margin_rate=0.025, wallet=20, slippage_rate=0.001)
    r = ac.switch_to_cross(side, **args)
    wallet, liq = _replay(side, 100, 3, 40, 97, 0.0006, 0.025, 20, 0.001)
    assert r.wallet_after == pytest.approx(wallet, rel=1e-9)
    assert r.cross_liquidation_price == pytest.approx(liq, rel=1e-9)
    assert r.isolated_liquidation_price == pytest.approx(
        ml.liquidation_price(side, entry_price=100, size=3, margin=40,
                             maintenance_margin_rate=0.025))


@given(side=st.sampled_from(["long", "short"]),
       e=st.floats(10, 1_000), lev=st.floats(1.5, 20), move=st.floats(-0.03, 0.03),
       t=st.floats(0, 0.002), mmr=st.floats(0.005, 0.03), wallet=st.floats(0, 500),
       r=st.floats(0, 0.005))
def test_switch_property_against_the_engine(side, e, lev, move, t, mmr, wallet, r):
    q, m = 2.0, 2.0 * e / lev
    p = e * (1 + move)
    res = ac.switch_to_cross(side, entry_price=e, size=q, margin=m, price=p, taker_fee_rate=t,
                             maintenance_margin_rate=mmr, wallet=wallet, slippage_rate=r)
    assert res.total == pytest.approx(res.close_fee + res.open_fee + res.slippage + res.gas)
    w, liq = _replay(side, e, q, m, p, t, mmr, wallet, r)
    assert res.wallet_after == pytest.approx(w, rel=1e-9, abs=1e-9)
    assert res.cross_liquidation_price == pytest.approx(liq, rel=1e-9, abs=1e-9)


def test_switch_with_other_cross_positions_uses_their_terms():
    base = dict(entry_price=100, size=1, margin=20, price=100, taker_fee_rate=0.0, wallet=30,
                maintenance_margin_rate=0.01)
    r = ac.switch_to_cross("long", **base, other_maintenance=5, other_unrealized_pnl=-3)
    assert r.cross_liquidation_price == pytest.approx(
        ml.liquidation_price("long", entry_price=100, size=1, margin=50,
                             maintenance_margin_rate=0.01, other_maintenance=5,
                             other_unrealized_pnl=-3))


def test_switch_is_elementwise(assert_elementwise):
    fields = [f.name for f in dataclasses.fields(ac.SwitchCost)]
    assert_elementwise(
        lambda **k: ac.switch_to_cross("long", **k),
        {"entry_price": [100.0, 90.0, 110.0], "size": [1.0, 2.0, 0.5],
         "margin": [20.0, 30.0, 25.0], "price": [101.0, 99.0, 100.0],
         "taker_fee_rate": [0.0005, 0.001, 0.0], "slippage_rate": [0.0, 0.001, 0.002]},
        fields=fields)


# ---- bad input ------------------------------------------------------------------------------

BAD_NUMBERS = [float("nan"), float("inf"), True, 1j, "1", None, [1, "a"], {"a": 1}]

SWITCH = dict(entry_price=100, size=1, margin=20, price=100, taker_fee_rate=0.0005,
              maintenance_margin_rate=0.01, wallet=0.0, slippage_rate=0.0,
              other_maintenance=0.0, other_unrealized_pnl=0.0)


@pytest.mark.parametrize("bad", BAD_NUMBERS)
@pytest.mark.parametrize("name", list(SWITCH))
def test_switch_refuses_bad_numbers_by_name(name, bad):
    with pytest.raises(ValueError, match=name):
        ac.switch_to_cross("long", **{**SWITCH, name: bad})


@pytest.mark.parametrize("name, value", [
    ("entry_price", -1), ("size", 0), ("margin", 0), ("price", -5), ("taker_fee_rate", 1.5),
    ("maintenance_margin_rate", 1.0), ("wallet", -1), ("slippage_rate", 1.0),
    ("other_maintenance", -1)])
def test_switch_refuses_out_of_range(name, value):
    with pytest.raises(ValueError, match=name):
        ac.switch_to_cross("long", **{**SWITCH, name: value})


def test_switch_refuses_side_network_shapes_and_an_empty_account():
    with pytest.raises(ValueError, match="side"):
        ac.switch_to_cross("Long", **SWITCH)
    with pytest.raises(ValueError, match="network"):
        ac.switch_to_cross("long", **SWITCH, network="solana")
    with pytest.raises(ValueError, match="entry_price.*size|size.*entry_price"):
        ac.switch_to_cross("long", **{**SWITCH, "entry_price": [1, 2, 3], "size": [1, 2]})
    with pytest.raises(ValueError, match="wallet"):  # margin + PnL − fees used up
        ac.switch_to_cross("long", **{**SWITCH, "price": 80.0})
    with pytest.raises(ValueError, match="wallet"):  # others' maintenance eats the collateral
        ac.switch_to_cross("long", **{**SWITCH, "other_maintenance": 19.0})


@pytest.mark.parametrize("bad", BAD_NUMBERS + [-1.0])
@pytest.mark.parametrize("name", ["gas_units", "gas_price_gwei", "native_price"])
def test_gas_cost_refuses_bad_input(name, bad):
    args = dict(gas_units=1, gas_price_gwei=1, native_price=1)
    with pytest.raises(ValueError, match=name):
        ac.gas_cost(**{**args, name: bad})


def test_gas_cost_overflow_is_a_value_error():
    with pytest.raises(ValueError, match="gas_units"):
        ac.gas_cost(gas_units=1e300, gas_price_gwei=1e300, native_price=1e300)


@pytest.mark.parametrize("bad", BAD_NUMBERS + [-1.0, [1.0, 2.0]])
@pytest.mark.parametrize("name", ["open_gas", "add_margin_gas", "close_gas", "gas_price_gwei",
                                  "native_price"])
def test_gas_schedule_refuses_bad_input(name, bad):
    args = dict(open_gas=1, add_margin_gas=1, close_gas=1, gas_price_gwei=1, native_price=1)
    with pytest.raises(ValueError, match=name):
        ac.gas_schedule("x", **{**args, name: bad})


@pytest.mark.parametrize("field, bad", [
    ("open", -1.0), ("add_margin", float("nan")), ("close", True), ("close", [1.0]),
    ("network", ""), ("network", 3), ("source", None), ("as_of", 2025), ("unit", b"USD")])
def test_gas_schedule_record_validates_also_through_replace(field, bad):
    with pytest.raises(ValueError, match=field):
        dataclasses.replace(ac.SCHEDULES["base"], **{field: bad})


@pytest.mark.parametrize("network, action, name", [
    ("solana", "open", "network"), (None, "open", "network"), ("dydx", "liquidate", "action"),
    ("dydx", None, "action"), ("dydx", "Open", "action")])
def test_action_cost_refuses_unknown_names(network, action, name):
    with pytest.raises(ValueError, match=name):
        ac.action_cost(network, action)


@pytest.mark.parametrize("kwargs, name", [
    (dict(positions=0, mode="cross"), "positions"),
    (dict(positions=2.5, mode="cross"), "positions"),
    (dict(positions=True, mode="cross"), "positions"),
    (dict(positions=float("nan"), mode="cross"), "positions"),
    (dict(positions=3, mode="both"), "mode"),
    (dict(positions=3, mode=None), "mode"),
    (dict(positions=3, mode="cross", top_ups=-1), "top_ups"),
    (dict(positions=3, mode="cross", top_ups="1"), "top_ups")])
def test_positions_cost_refuses_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        ac.positions_cost("arbitrum", **kwargs)


def test_reachable_from_the_package_and_scalars_give_floats():
    assert ml.action_costs is ac
    assert type(ac.gas_cost(gas_units=1, gas_price_gwei=1, native_price=1)) is float
    assert type(ac.action_cost("base", "close")) is float
    assert math.isfinite(ac.positions_cost("gmx", positions=1, mode="isolated").total)
    assert np.shape(ac.gas_cost(gas_units=[1, 2], gas_price_gwei=1, native_price=1)) == (2,)


JUNK = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
                 st.text(max_size=3), st.complex_numbers(), st.integers(-10**400, 10**400),
                 st.lists(st.floats(allow_nan=True), max_size=3))


@given(name=st.sampled_from(list(SWITCH)), value=JUNK)
def test_switch_junk_gives_a_named_value_error_or_a_finite_answer(name, value):
    try:
        r = ac.switch_to_cross("long", **{**SWITCH, name: value})
    except ValueError as err:
        assert name in str(err) or "overflow" in str(err) or "wallet" in str(err)
    else:
        for f in dataclasses.fields(r):
            assert np.all(np.isfinite(np.asarray(getattr(r, f.name), dtype=float)))
