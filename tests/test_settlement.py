"""The settlement kernel: the strict liquidation test and the fee / refund / bad-debt split,
shared by the Account engine, the Monte Carlo, liquidation_outcome and the reference loop."""
import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import marginlib.settlement as settlement
from marginlib.liquidation import liquidation_outcome
from marginlib.settlement import (LiquidationSettlement, cross_liquidated, is_liquidated,
                                  isolated_liquidated, settle)
from test_account import cross_accounts


# ------------------------------------------------------------- agreement with the engine
@given(cross_accounts())
def test_kernels_agree_with_the_engine(acct):
    snaps = list(acct.positions.values())
    iso = [p for p in snaps if p.mode == "isolated"]
    crs = [p for p in snaps if p.mode == "cross"]
    factors = np.array([0.5, 0.8, 0.95, 1.0, 1.05, 1.3, 2.0])
    for p in iso:
        prices = p.mark_price * factors
        vec = isolated_liquidated(p.side, size=p.size, entry_price=p.entry_price,
                                  margin=p.margin,
                                  maintenance_margin_rate=p.maintenance_margin_rate,
                                  price=prices)
        for price, flag in zip(prices, vec):
            assert flag == ("liquidation" in [e.kind for e in copy.deepcopy(acct).mark(
                {p.name: price}) if e.position == p.name])
    # One price path per row, every cross position on its own token moved by the same factor.
    prices = np.array([[p.mark_price * f for p in crs] for f in factors])
    vec = cross_liquidated([p.side for p in crs], size=[p.size for p in crs],
                           entry_price=[p.entry_price for p in crs], wallet=acct.wallet,
                           maintenance_margin_rate=[p.maintenance_margin_rate for p in crs],
                           price=prices)
    for row, flag in zip(prices, vec):
        trial = copy.deepcopy(acct)
        for p in iso:  # keep isolated positions out of the way (they could return money)
            trial._positions[p.name].margin = 1e12
        events = trial.mark({p.name: price for p, price in zip(crs, row)})
        assert flag == any(e.kind == "liquidation" for e in events)


def test_kernels_shapes_scalars_and_empty_slots():
    kw = dict(entry_price=100.0, maintenance_margin_rate=0.0)
    assert isolated_liquidated("long", size=1.0, margin=10.0, price=89.0, **kw) is True
    assert isolated_liquidated("short", size=1.0, margin=10.0, price=89.0, **kw) is False
    assert isolated_liquidated("long", size=0.0, margin=0.0, price=1.0, **kw) is False
    paths = np.full((5, 3), 100.0)
    paths[2, 1] = 50.0
    sides = ["long", "long", "short"]
    out = isolated_liquidated(sides, size=1.0, entry_price=100.0, margin=20.0,
                              maintenance_margin_rate=0.01, price=paths)
    assert out.shape == (5, 3) and out.sum() == 1 and out[2, 1]
    crs = cross_liquidated(sides, size=[1.0, 1.0, 0.0], entry_price=100.0, wallet=20.0,
                           maintenance_margin_rate=0.01, price=paths)
    assert crs.shape == (5,) and list(crs) == [False, False, True, False, False]
    assert cross_liquidated(["long"], size=[0.0], entry_price=100.0, wallet=-5.0,
                            maintenance_margin_rate=0.0, price=[1.0]) is False
    tokens_first = cross_liquidated(np.array(sides)[:, None],
                                    size=np.array([1.0, 1.0, 0.0])[:, None], entry_price=100.0,
                                    wallet=20.0, maintenance_margin_rate=0.01, price=paths.T,
                                    axis=0)
    np.testing.assert_array_equal(tokens_first, crs)


# ------------------------------------------------------------------ the strict rule
def test_equity_exactly_at_maintenance_is_not_liquidated():
    assert is_liquidated(equity=5.0, maintenance=5.0) is False
    assert is_liquidated(equity=np.nextafter(5.0, 0.0), maintenance=5.0) is True
    np.testing.assert_array_equal(is_liquidated(equity=[0.0, -0.0, -1e-300], maintenance=0.0),
                                  [False, False, True])
    # A long of 16 at 100 with margin 1,000 and m = 25 %: at 50, equity 200 = maintenance 200.
    kw = dict(size=16.0, entry_price=100.0, margin=1_000.0, maintenance_margin_rate=0.25)
    assert isolated_liquidated("long", price=50.0, **kw) is False
    assert isolated_liquidated("long", price=np.nextafter(50.0, 0.0), **kw) is True
    assert cross_liquidated(["long"], size=[16.0], entry_price=[100.0], wallet=1_000.0,
                            maintenance_margin_rate=0.25, price=[[50.0]]).tolist() == [False]


def test_fast_paths_match_the_public_faces():
    rng = np.random.default_rng(0)
    equity, cap = rng.normal(0, 5, 200), rng.uniform(0, 3, 200)
    fee, returned, bad = settlement._settle(equity, cap)
    out = settle(equity=equity, notional=cap, liquidation_fee_rate=1.0)
    np.testing.assert_array_equal(fee, out.fee)
    np.testing.assert_array_equal(returned, out.returned)
    np.testing.assert_array_equal(bad, out.bad_debt)
    for e, c in zip(equity[:20].tolist(), cap[:20].tolist()):  # the Python-float path
        assert settlement._settle(e, c) == settlement._settle(np.float64(e), np.float64(c))
    assert settlement._liquidated(equity=1.0, maintenance=1.0) is False
    # The fast paths take their numbers by keyword: a swapped call is a TypeError.
    with pytest.raises(TypeError):
        settlement._liquidated(1.0, 1.0)
    with pytest.raises(TypeError):
        settlement._isolated_equity(10.0, 1.0, 90.0, 100.0)
    with pytest.raises(TypeError):
        settlement._maintenance(1.0, 90.0, 0.005)
    assert settlement._isolated_equity(margin=10.0, signed_size=-2.0, price=90.0,
                                       entry_price=100.0) == 30.0
    assert settlement._maintenance(size=2.0, price=90.0, maintenance_margin_rate=0.5) == 90.0


def test_cross_fees_sum_to_the_account_fee():
    fees = settlement._cross_fees(3.0, [1.0, 1.5, 2.0])
    assert fees == [1.0, 1.5, 0.5]
    assert settlement._cross_fees(-2.0, [1.0, 1.0]) == [0.0, 0.0]
    arr = settlement._cross_fees(np.array([3.0, 10.0]), [np.array([1.0, 1.0]),
                                                         np.array([5.0, 5.0])])
    np.testing.assert_array_equal(np.sum(arr, axis=0), [3.0, 6.0])


# ------------------------------------------------------------------------- the split
@pytest.mark.parametrize("call, match", [
    (lambda: isolated_liquidated("buy", size=1.0, entry_price=100.0, margin=10.0,
                                 maintenance_margin_rate=0.0, price=90.0), "side must be"),
    (lambda: isolated_liquidated("long", size=-1.0, entry_price=100.0, margin=10.0,
                                 maintenance_margin_rate=0.0, price=90.0), "size must be >= 0"),
    (lambda: isolated_liquidated("long", size=1.0, entry_price=100.0, margin=np.nan,
                                 maintenance_margin_rate=0.0, price=90.0),
     "margin must be finite"),
    (lambda: cross_liquidated(["long"], size=[1.0], entry_price=[100.0], wallet=5.0,
                              maintenance_margin_rate=1.0, price=[90.0]),
     "maintenance_margin_rate must be a fraction"),
    (lambda: cross_liquidated(["long"], size=[1.0], entry_price=[100.0], wallet=5.0,
                              maintenance_margin_rate=0.0, price=[0.0]), "price must be > 0"),
    (lambda: settle(equity=1.0, notional=-1.0), "notional must be >= 0"),
    (lambda: settle(equity=1.0, notional=1.0, liquidation_fee_rate=1.01),
     r"liquidation_fee_rate must be a fraction in \[0, 1\]"),
    (lambda: is_liquidated(equity=np.nan, maintenance=1.0), "equity must be finite"),
    (lambda: is_liquidated(equity=1.0, maintenance=-1.0), "maintenance must be >= 0"),
])
def test_kernel_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_numeric_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        settle(1.0, 2.0, 0.01)
    with pytest.raises(TypeError):
        is_liquidated(1.0, 2.0)
    with pytest.raises(TypeError):
        isolated_liquidated("long", 1.0, 100.0, 10.0, 0.0, 90.0)


@given(equity=st.floats(-1e4, 1e4), notional=st.floats(0, 1e5),
       rate=st.sampled_from([0.0, 0.002, 0.015, 1.0]))
def test_settlement_identity(equity, notional, rate):
    out = settle(equity=equity, notional=notional, liquidation_fee_rate=rate)
    assert out.fee >= 0 and out.returned >= 0 and out.bad_debt >= 0
    assert out.returned - out.bad_debt == pytest.approx(equity - out.fee, abs=1e-9)
    assert out.fee <= max(equity, 0.0) + 1e-12


def test_full_fee_takes_everything_left():
    out = settle(equity=[3.0, 0.0, -2.0, 500.0], notional=[50.0, 50.0, 50.0, 50.0],
                 liquidation_fee_rate=1.0)
    np.testing.assert_array_equal(out.fee, [3.0, 0.0, 0.0, 50.0])
    np.testing.assert_array_equal(out.returned, [0.0, 0.0, 0.0, 450.0])
    np.testing.assert_array_equal(out.bad_debt, [0.0, 0.0, 2.0, 0.0])
    assert isinstance(settle(equity=1.0, notional=1.0), LiquidationSettlement)


def test_settlement_matches_liquidation_outcome(assert_elementwise):
    columns = dict(equity=[5.0, 0.4, -3.0], notional=[100.0, 90.4, 70.0],
                   liquidation_fee_rate=[0.002, 0.01, 1.0])
    assert_elementwise(settle, columns, fields=["fee", "returned", "bad_debt"])
    for rate in (0.01, 1.0):
        outcome = liquidation_outcome("long", entry_price=100.0, size=1.0, margin=10.0,
                                      exit_price=90.4, liquidation_fee_rate=rate)
        out = settle(equity=10.0 - 9.6, notional=90.4, liquidation_fee_rate=rate)
        assert (out.fee, out.returned, out.bad_debt) == pytest.approx(
            (outcome.liquidation_fee, outcome.returned, outcome.bad_debt))
