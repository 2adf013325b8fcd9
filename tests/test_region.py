"""The two-token cross liquidation region: the boundary line, its intercepts, the grid.

Cross-checked three ways: against :func:`marginlib.liquidation_price` with the other
position's maintenance and UPNL (the intercepts), against the account engine (its cross
equity minus maintenance, and a replay to points on the boundary), and against the
definition (the surplus is zero on the boundary).
"""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import marginlib as ml
from marginlib.region import DEFAULT_GRID_POINTS, equity_minus_maintenance
from marginlib.account import Account

TT = dict(side=["long", "long"], sizes=[1, 1], entry_prices=[100, 1_000], wallet=5,
          maintenance_margin_rate=0.004)


def test_torchtrade_intercept_is_99_40():
    b = ml.cross_liquidation_boundary(**TT)
    assert b.liquidation_price_a == pytest.approx(99.40, abs=0.005)
    assert b.liquidation_price_a == pytest.approx(
        ml.liquidation_price("long", entry_price=100, size=1, margin=5,
                             maintenance_margin_rate=0.004, other_maintenance=4.0), rel=1e-12)
    assert b.margin_surplus == pytest.approx(0.6)
    assert (b.mark_price_a, b.mark_price_b) == (100.0, 1_000.0)
    assert b.price_a.shape == (DEFAULT_GRID_POINTS,) and b.price_a[0] == 0.0
    assert b.price_a[-1] == pytest.approx(200.0)


@st.composite
def two_token_accounts(draw):
    sides = [draw(st.sampled_from(["long", "short"])) for _ in range(2)]
    mmr = [draw(st.sampled_from([0.0, 0.004, 0.01, 0.05])) for _ in range(2)]
    entries = [draw(st.floats(1.0, 1e4)) for _ in range(2)]
    wallet = draw(st.floats(1e3, 1e5))
    leverages = [draw(st.floats(1.0, 15.0)) for _ in range(2)]
    shares = [draw(st.floats(0.05, 0.45)) for _ in range(2)]
    acct = Account(wallet)
    for name, side, m, e, lev, share in zip("AB", sides, mmr, entries, leverages, shares):
        acct.open(name, side, margin=share * wallet, leverage=lev, price=e, mode="cross",
                  maintenance_margin_rate=m)
    marks = [e * draw(st.floats(0.85, 1.15)) for e in entries]
    acct.mark({"A": marks[0], "B": marks[1]})
    assume(len(acct.positions) == 2)
    params = dict(side=sides, sizes=[acct.positions[n].size for n in "AB"],
                  entry_prices=entries, wallet=acct.wallet, maintenance_margin_rate=mmr)
    return acct, params, marks


@given(two_token_accounts())
def test_intercepts_are_the_engine_and_library_cross_liquidation_prices(case):
    acct, params, marks = case
    b = ml.cross_liquidation_boundary(**params, mark_prices=marks)
    assert b.liquidation_price_a == pytest.approx(acct.liquidation_price("A"), rel=1e-12,
                                                  abs=1e-9)
    assert b.liquidation_price_b == pytest.approx(acct.liquidation_price("B"), rel=1e-12,
                                                  abs=1e-9)
    for me, other, liq in (("A", "B", b.liquidation_price_a), ("B", "A", b.liquidation_price_b)):
        p, o = acct.positions[me], acct.positions[other]
        try:
            want = ml.liquidation_price(p.side, entry_price=p.entry_price, size=p.size,
                                        margin=acct.wallet,
                                        maintenance_margin_rate=p.maintenance_margin_rate,
                                        other_maintenance=o.maintenance_margin,
                                        other_unrealized_pnl=o.unrealized_pnl)
        except ValueError:  # outside the library formula's domain
            continue
        assert liq == pytest.approx(want, rel=1e-12, abs=1e-9)
    assert b.margin_surplus == pytest.approx(acct.cross_equity() - acct.cross_maintenance(),
                                             rel=1e-12, abs=1e-9)


@given(two_token_accounts(), st.lists(st.floats(0.2, 3.0), min_size=1, max_size=5),
       st.lists(st.floats(0.2, 3.0), min_size=1, max_size=5))
def test_grid_is_the_engine_cross_margin_surplus(case, fa, fb):
    acct, params, marks = case
    pa = marks[0] * np.asarray(fa)
    pb = marks[1] * np.asarray(fb)
    grid = equity_minus_maintenance(prices_a=pa[None, :], prices_b=pb[:, None], **params)
    assert grid.shape == (len(pb), len(pa))
    for j, y in enumerate(pb):
        for i, x in enumerate(pa):
            trial = acct.copy()
            for name, price in (("A", x), ("B", y)):
                trial._positions[name].mark = price  # look without liquidating
            want = trial.cross_equity() - trial.cross_maintenance()
            assert grid[j, i] == pytest.approx(want, rel=1e-9, abs=1e-9 * acct.wallet)


@given(two_token_accounts(), st.floats(0.3, 2.0))
def test_boundary_is_where_equity_equals_maintenance_and_the_engine_agrees(case, factor):
    acct, params, marks = case
    pa = marks[0] * factor
    b = ml.cross_liquidation_boundary(**params, price_a=[pa], mark_prices=marks)
    pb = b.price_b[0]
    assume(np.isfinite(pb))
    surplus = equity_minus_maintenance(prices_a=pa, prices_b=pb, **params)
    scale = acct.wallet + sum(p.size * m for p, m in zip(acct.positions.values(), (pa, pb)))
    assert abs(surplus) <= 1e-9 * scale
    # Replay: just inside the safe side nothing happens, just past the line all goes.
    step = 1e-7 * pb
    safe, unsafe = (pb + step, pb - step) if b.liquidated_below else (pb - step, pb + step)
    assert acct.copy().mark({"A": pa, "B": safe}) == ()
    events = acct.copy().mark({"A": pa, "B": unsafe})
    assert [e.position for e in events if e.kind == "liquidation"] == ["A", "B"]


@given(two_token_accounts(), st.floats(0.5, 1.5))
def test_a_cross_liquidation_price_assumes_the_other_price_does_not_move(case, factor):
    """When B moves, A's liquidation price slides along the boundary line."""
    acct, params, marks = case
    moved_b = marks[1] * factor
    before = ml.cross_liquidation_boundary(**params, mark_prices=marks)
    after = ml.cross_liquidation_boundary(**params, mark_prices=[marks[0], moved_b])
    assume(after.liquidation_price_a > 0)
    # The new intercept lies on the same line, at the height of the new B price.
    on_line = ml.cross_liquidation_boundary(**params, price_a=[after.liquidation_price_a],
                                            mark_prices=marks)
    assert on_line.price_b[0] == pytest.approx(moved_b, rel=1e-9)
    # It moved by the slope: ΔP_A = ΔP_B / slope.
    if before.liquidation_price_a > 0:
        assert after.liquidation_price_a - before.liquidation_price_a == pytest.approx(
            (moved_b - marks[1]) / before.slope, rel=1e-6, abs=1e-6 * marks[0])
    # And the engine agrees once B really is there.
    trial = acct.copy()
    trial.mark({"B": moved_b})
    if len(trial.positions) == 2:
        assert trial.liquidation_price("A") == pytest.approx(after.liquidation_price_a,
                                                             rel=1e-9, abs=1e-9)


def test_two_longs_a_fall_in_b_raises_a_liquidation_price():
    b = ml.cross_liquidation_boundary(**TT)
    lower_b = ml.cross_liquidation_boundary(**TT, mark_prices=[100, 999.8])
    assert b.slope < 0 and b.liquidated_below
    assert lower_b.liquidation_price_a > b.liquidation_price_a
    # Slope −1 here (k_A = k_B = 0.996): B 0.2 lower lifts A's liquidation price by 0.2.
    assert lower_b.liquidation_price_a == pytest.approx(b.liquidation_price_a + 0.2, abs=1e-9)


def test_hedged_pair_survives_a_common_move_two_longs_do_not():
    """A long/short pair on correlated tokens: cross margin suits delta-neutral hedges."""
    common = dict(sizes=[10, 10], entry_prices=[100, 100], wallet=150,
                  maintenance_margin_rate=0.01)
    hedge = dict(side=["long", "short"], **common)
    longs = dict(side=["long", "long"], **common)
    h = ml.cross_liquidation_boundary(**hedge)
    assert h.slope == pytest.approx(0.99 / 1.01) and not h.liquidated_below
    for crash in (0.6, 0.8):  # both tokens fall together
        assert equity_minus_maintenance(prices_a=100 * crash, prices_b=100 * crash, **hedge) > 0
        assert equity_minus_maintenance(prices_a=100 * crash, prices_b=100 * crash, **longs) < 0


def test_boundary_is_nan_where_no_positive_price_of_b_is_on_it():
    b = ml.cross_liquidation_boundary(**TT, price_a=[0.0, 50.0, 99.0, 99.4, 100.0, 2_000.0])
    assert np.isfinite(b.price_b[:5]).all()
    # 5 + (P_A − 100) + (P_B − 1,000) = 0.004·(P_A + P_B) has P_B <= 0 once P_A > 1,099.4:
    assert np.isnan(b.price_b[5])  # A at 2,000 carries the account whatever B does
    assert b.price_b[4] == pytest.approx(999.4, abs=0.01)  # the B intercept


def test_long_cannot_be_liquidated_intercept_is_zero():
    b = ml.cross_liquidation_boundary(["long", "long"], sizes=[1, 1], entry_prices=[100, 100],
                                      wallet=1_000, maintenance_margin_rate=0.0)
    assert b.liquidation_price_a == 0.0 and b.liquidation_price_b == 0.0


def test_scalar_in_float_out():
    value = equity_minus_maintenance(prices_a=100, prices_b=1_000, **TT)
    assert type(value) is float
    assert equity_minus_maintenance(prices_a=np.array([99.0, 100.0]), prices_b=1_000,
                                       **TT).shape == (2,)


@pytest.mark.parametrize("kwargs, match", [
    (dict(TT, side=["long"]), "side must hold two values"),
    (dict(TT, side=["long", "buy"]), "side must be 'long' or 'short'"),
    (dict(TT, sizes=[1, -1]), "sizes must be > 0"),
    (dict(TT, sizes=[1, 1, 1]), "sizes must hold two values"),
    (dict(TT, wallet=[5, 6]), "wallet must be a single number"),
    (dict(TT, maintenance_margin_rate=1.2), "maintenance_margin_rate must be a fraction"),
    (dict(TT, price_a=[-1.0]), "price_a must be >= 0"),
    (dict(TT, mark_prices=[100, 0]), "mark_prices must be > 0"),
])
def test_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ml.cross_liquidation_boundary(**kwargs)


def test_grid_errors():
    with pytest.raises(ValueError, match="prices_a must be > 0"):
        equity_minus_maintenance(prices_a=0.0, prices_b=1_000, **TT)
    with pytest.raises(ValueError, match=r"prices_a \(shape \(3,\)\) and prices_b \(shape"):
        equity_minus_maintenance(prices_a=[90.0, 100.0, 110.0], prices_b=[900.0, 1_000.0], **TT)
    with pytest.raises(ValueError, match="overflow"):
        equity_minus_maintenance(prices_a=1e308, prices_b=1e308, **dict(TT, sizes=[1e10, 1e10]))


@given(st.floats(0.2, 5.0), st.floats(1.0, 1e4), st.floats(1.0, 1e4),
       st.sampled_from([0.0, 0.005, 0.02]))
def test_delta_neutral_pair_a_common_move_only_changes_the_maintenance(lam, pa, pb, mmr):
    """Equal notional long/short: scaling both prices by λ moves the surplus by −(λ−1)·m·Σ q·P."""
    notional = 10_000.0
    params = dict(side=["long", "short"], sizes=[notional / pa, notional / pb],
                  entry_prices=[pa, pb], wallet=1_000.0, maintenance_margin_rate=mmr)
    start = equity_minus_maintenance(prices_a=pa, prices_b=pb, **params)
    moved = equity_minus_maintenance(prices_a=lam * pa, prices_b=lam * pb, **params)
    assert moved - start == pytest.approx(-(lam - 1) * mmr * 2 * notional, abs=1e-7)
    b = ml.cross_liquidation_boundary(**params)
    assert b.slope > 0


def test_numeric_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        equity_minus_maintenance(100, 1_000, ["long", "long"], [1, 1], [100, 1_000], 5)
    with pytest.raises(TypeError):
        ml.cross_liquidation_boundary(["long", "long"], [1, 1], [100, 1_000], 5, 0.004)
