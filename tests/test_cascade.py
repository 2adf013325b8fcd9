"""The liquidation cascade (marginlib.sim.cascade): hand cases, properties, bad input.

Hand cases carry their arithmetic (the depth curve's base per unit of price is
``κ = depth/(within·P_s²)`` at the shocked mark ``P_s``; a net sale ``n`` moves the mark by
``n/κ`` and fills at the middle of that walk). Properties run under the derandomized ``ci``
hypothesis profile of ``tests/conftest.py``.
"""
import dataclasses

import numpy as np
import pytest
from hypothesis import given, strategies as st

from marginlib.settlement import cross_liquidated, is_liquidated
from marginlib.sim.cascade import (
    Population, cascade, cascade_population, compare_margin_modes)

M = 0.05


def three_longs():
    """Isolated longs on A at 1 (m = 5 %): liquidated below 900/950, 850/950, 400/475."""
    return Population(sign=[[1, 0], [1, 0], [1, 0]],
                      size=[[1_000.0, 0], [1_000.0, 0], [500.0, 0]],
                      entry_price=np.ones((3, 2)),
                      margin=[[100.0, 0], [150.0, 0], [100.0, 0]],
                      cross=[False, False, False])


def test_three_rounds_by_hand():
    shock, depth, within = -0.06, 300.0, 0.02
    out = cascade(three_longs(), price=1.0, shock=shock, depth=depth,
                  maintenance_margin_rate=M, correlation=0.0)
    ps = 1.0 + shock
    kappa = depth / (within * ps * ps)
    # round 1 at 0.94 < 900/950: the first long sells 1,000
    p1 = ps - 1_000 / kappa
    # round 2 at p1 ≈ 0.8811 < 850/950 = 0.8947: the second sells 1,000
    p2 = p1 - 1_000 / kappa
    # round 3 at p2 ≈ 0.8222 < 400/475 = 0.8421: the third sells 500
    p3 = p2 - 500 / kappa
    assert p1 < 850 / 950 and p2 < 400 / 475
    assert out.rounds == 3 and out.converged
    assert out.liquidated_round.tolist() == [1, 2, 3]
    np.testing.assert_allclose(out.price[:, 0], [ps, p1, p2, p3], rtol=1e-12)
    np.testing.assert_allclose(out.price[:, 1], 1.0)  # B never moves
    fills = [(ps + p1) / 2, (p1 + p2) / 2, (p2 + p3) / 2]
    np.testing.assert_allclose(out.fill_price[:, 0], fills, rtol=1e-12)
    equity = [100 + 1_000 * (fills[0] - 1), 150 + 1_000 * (fills[1] - 1),
              100 + 500 * (fills[2] - 1)]
    assert min(equity) > 0  # each filled before its bankruptcy price: no bad debt
    np.testing.assert_allclose(out.returned, equity, rtol=1e-9)
    np.testing.assert_allclose(out.bad_debt, 0.0)
    np.testing.assert_allclose(out.liquidated_notional, [1_000 * ps, 1_000 * p1, 500 * p2])
    np.testing.assert_allclose(out.net_sold[:, 0], [1_000, 1_000, 500])
    assert out.amplification == pytest.approx((p3 - 1) / shock)
    # the no-feedback baseline liquidates only the first, at the mark
    base = cascade(three_longs(), price=1.0, shock=shock, depth=depth,
                   maintenance_margin_rate=M, correlation=0.0, feedback=False)
    assert base.rounds == 1 and base.liquidated_round.tolist() == [1, 0, 0]
    assert base.fill_price[0, 0] == ps and base.amplification == pytest.approx(1.0)
    assert base.returned[0] == pytest.approx(100 + 1_000 * (ps - 1))


def test_a_thin_book_turns_the_cascade_into_bad_debt():
    # depth 30: κ = 30/(0.02·0.94²) ≈ 1,698 base per unit of price; selling 1,000 walks
    # 0.589 down: the fill (0.94 + 0.351)/2 ≈ 0.645 is far below the bankruptcy price 0.9
    out = cascade(three_longs(), price=1.0, shock=-0.06, depth=30.0,
                  maintenance_margin_rate=M, correlation=0.0)
    ps = 0.94
    kappa = 30.0 / (0.02 * ps * ps)
    fill1 = ps - 1_000 / kappa / 2
    assert out.bad_debt[0] == pytest.approx(-(100 + 1_000 * (fill1 - 1)))
    # the mark falls to 0.351, below both other liquidation prices: they go together
    assert out.price[1, 0] == pytest.approx(ps - 1_000 / kappa)
    assert out.total_bad_debt > 0 and out.liquidated_round.tolist() == [1, 2, 2]


def test_the_bids_run_out():
    # depth 10: the bid side holds κ·P_s = 10/(0.02·0.94) ≈ 532 base; 1,000 cannot all fill
    out = cascade(three_longs(), price=1.0, shock=-0.06, depth=10.0,
                  maintenance_margin_rate=M, correlation=0.0)
    held = 10.0 / (0.02 * 0.94)
    assert out.unfilled[0, 0] == pytest.approx(1_000 - held)
    assert out.price[1, 0] == 0.0
    assert out.fill_price[0, 0] == pytest.approx(0.94 / 2 * held / 1_000)  # half-way, filled part
    assert out.amplification == pytest.approx(-1 / -0.06)


def cross_pair():
    """A cross account long 1,000 A and 1,000 B (wallet 200) and two isolated B longs."""
    return Population(sign=[[1, 1], [0, 1], [0, 1]],
                      size=[[1_000.0, 1_000.0], [0, 1_000.0], [0, 1_000.0]],
                      entry_price=np.ones((3, 2)),
                      margin=[[100.0, 100.0], [0, 100.0], [0, 100.0]],
                      cross=[True, False, False])


def test_cross_margin_carries_the_shock_to_the_other_token():
    kwargs = dict(price=1.0, shock=-0.15, depth=800.0, maintenance_margin_rate=M,
                  correlation=0.0)
    mixed, iso = compare_margin_modes(cross_pair(), **kwargs)
    # cross: equity 200 − 150 = 50 < 0.05·(850 + 1,000) = 92.5 → the whole account is
    # closed, 1,000 B sold: κ_B = 800/0.02 = 40,000 → B falls 2.5 %, below the isolated
    # B longs' 900/950? no: 0.975 > 0.947, so they survive
    assert mixed.liquidated_round.tolist() == [1, 0, 0]
    assert mixed.final_price[1] == pytest.approx(1 - 1_000 / 40_000)
    # isolated: only the A leg (margin 100, liquidated below 0.947) goes; B does not move
    assert iso.final_price[1] == 1.0
    assert iso.liquidated_round.tolist() == [1, 0, 0, 0]
    # a thinner B book: the cross liquidation's sale takes the isolated B longs with it
    thin, thin_iso = compare_margin_modes(cross_pair(), **{**kwargs, "depth": 300.0})
    assert thin.liquidated_round.tolist() == [1, 2, 2]
    assert thin_iso.final_price[1] == 1.0 and thin_iso.liquidated_round.sum() == 1


def test_isolated_split_keeps_positions_and_margin():
    pop = cascade_population(999, rng=5, cross_share=0.6)
    iso = pop.isolated()
    assert iso.n_positions == pop.n_positions == iso.n_accounts
    assert not iso.cross.any()
    assert iso.margin.sum() == pytest.approx(pop.margin.sum())
    assert np.sort((iso.sign * iso.size).sum(axis=1)).tolist() == \
        np.sort((pop.sign * pop.size)[pop.sign != 0]).tolist()


def test_isolated_split_is_made_once_so_its_run_plan_is_reused(monkeypatch):
    """A slider re-running compare_margin_modes on one population: the isolated split is the
    same object each time, so its sorted thresholds (the run plan) are not sorted again; the
    results are those of a fresh split."""
    pop = cascade_population(2_000, rng=3, cross_share=0.5)
    kwargs = dict(price=1.0, depth=50_000.0, maintenance_margin_rate=M, correlation=0.5)
    first = compare_margin_modes(pop, shock=-0.1, **kwargs)[1]
    assert pop.isolated() is pop.isolated()
    sorts = []
    real = np.argsort
    monkeypatch.setattr(np, "argsort", lambda *a, **k: sorts.append(1) or real(*a, **k))
    again = compare_margin_modes(pop, shock=-0.1, **kwargs)[1]
    other = compare_margin_modes(pop, shock=-0.2, **kwargs)[1]
    assert sorts == []
    monkeypatch.undo()
    fresh = Population(**{f: getattr(pop.isolated(), f)
                          for f in ("sign", "size", "entry_price", "margin", "cross")})
    assert np.array_equal(again.liquidated_round, first.liquidated_round)
    assert np.array_equal(other.liquidated_round,
                          cascade(fresh, price=1.0, shock=-0.2, depth=50_000.0,
                                  maintenance_margin_rate=M, correlation=0.5).liquidated_round)


# ---------------------------------------------------------------- the generator ---

def test_population_is_seeded_and_shaped():
    a = cascade_population(5_000, rng=11, cross_share=0.4, max_leverage=15.0,
                           total_notional=2e6, price=(2.0, 0.5))
    b = cascade_population(5_000, rng=np.random.default_rng(11), cross_share=0.4,
                           max_leverage=15.0, total_notional=2e6, price=(2.0, 0.5))
    c = cascade_population(5_000, rng=12, cross_share=0.4, max_leverage=15.0,
                           total_notional=2e6, price=(2.0, 0.5))
    assert np.array_equal(a.size, b.size) and not np.array_equal(a.size, c.size)
    assert a.n_positions == 5_000 and int(a.cross.sum()) == 1_000
    held = a.sign != 0
    notional = (a.size * a.entry_price)[held]
    assert notional.sum() == pytest.approx(2e6)
    leverage = notional / a.margin[held]
    assert leverage.min() >= 1 - 1e-12 and leverage.max() <= 15 + 1e-9
    assert np.all(a.entry_price == [2.0, 0.5])
    assert set(np.unique(a.sign[held])) <= {-1.0, 1.0}
    assert a.sign[a.cross].all()  # cross accounts hold both tokens


# -------------------------------------------------------------------- properties ---

populations = st.builds(
    lambda n, seed, cross, longs, med: cascade_population(
        n, rng=seed, cross_share=cross, long_share=longs, leverage_median=med,
        max_leverage=15.0, total_notional=1e6),
    n=st.integers(1, 400), seed=st.integers(0, 2**32 - 1), cross=st.floats(0.0, 1.0),
    longs=st.floats(0.0, 1.0), med=st.floats(1.0, 15.0))
shocks = st.floats(-0.5, 0.5).filter(lambda s: abs(s) > 1e-3)


def _equity(pop, fill):
    return pop.margin.sum(axis=1) + np.sum(pop.sign * pop.size * (fill - pop.entry_price),
                                           axis=1)


@given(pop=populations, shock=shocks, depth=st.floats(1e3, 1e8), corr=st.floats(-1.0, 1.0))
def test_feedback_never_liquidates_less(pop, shock, depth, corr):
    kw = dict(price=1.0, shock=shock, depth=depth, maintenance_margin_rate=0.05,
              correlation=corr)
    fb, base = cascade(pop, **kw), cascade(pop, feedback=False, **kw)
    assert fb.total_liquidated_notional >= base.total_liquidated_notional * (1 - 1e-12)
    assert np.all(fb.liquidated_round[base.liquidated_round > 0] > 0)
    assert base.rounds <= 1


@given(pop=populations, shock=shocks, depth=st.floats(1e3, 1e8), corr=st.floats(-1.0, 1.0),
       fee=st.floats(0.0, 1.0))
def test_value_is_conserved_and_the_end_is_a_fixed_point(pop, shock, depth, corr, fee):
    out = cascade(pop, price=1.0, shock=shock, depth=depth, maintenance_margin_rate=0.05,
                  correlation=corr, liquidation_fee_rate=fee)
    assert out.converged
    assert out.liquidated_accounts.sum() == np.count_nonzero(out.liquidated_round)
    for r in range(1, out.rounds + 1):
        who = out.liquidated_round == r
        assert who.sum() == out.liquidated_accounts[r - 1]
        # collateral + PnL at the round's fills = fee + returned − bad debt
        eq = _equity(pop, out.fill_price[r - 1])[who]
        split = out.liquidation_fees[r - 1] + out.returned[r - 1] - out.bad_debt[r - 1]
        assert split == pytest.approx(eq.sum(), rel=1e-9, abs=1e-6)
        assert out.bad_debt[r - 1] == pytest.approx(np.maximum(-eq, 0).sum(), rel=1e-9,
                                                    abs=1e-9)
        # each was strictly below maintenance at the round's marks (the settlement rule)
        marks = out.price[r - 1]
        maint = np.sum(pop.size * marks * 0.05, axis=1)
        excess = _equity(pop, marks) - maint
        assert np.all(excess[who] < 1e-9 * (1 + maint[who]))
        # the sweep moved the mark by the net sale over κ (the book does not refill)
        kappa = depth / (0.02 * out.shocked_price ** 2)
        want = np.where(out.unfilled[r - 1] > 0, out.price[r],
                        marks - out.net_sold[r - 1] / kappa)
        np.testing.assert_allclose(out.price[r], want, rtol=1e-9, atol=1e-12)
    # fixed point: every survivor is at or above maintenance at the final marks
    alive = out.liquidated_round == 0
    if alive.any():
        maint = np.sum(pop.size * out.final_price * 0.05, axis=1)
        excess = _equity(pop, out.final_price) - maint
        assert np.all(excess[alive] >= -1e-9 * (1 + maint[alive]))


@given(pop=populations, shock=st.floats(-0.5, -1e-3), depth=st.floats(1e3, 1e8),
       corr=st.floats(0.0, 1.0))
def test_long_only_cascades_amplify(pop, shock, depth, corr):
    longs = dataclasses.replace(pop, sign=np.abs(pop.sign))
    out = cascade(longs, price=1.0, shock=shock, depth=depth, maintenance_margin_rate=0.05,
                  correlation=corr)
    assert out.amplification >= 1.0 - 1e-12
    assert np.all(np.diff(out.price[:, 0]) <= 0)


@given(pop=populations, frac=st.floats(0.0, 0.98), up=st.booleans(),
       corr=st.floats(-1.0, 1.0))
def test_no_bad_debt_when_the_book_is_deep_enough(pop, frac, up, corr):
    # no position is past its bankruptcy price at the shocked marks when |shock| < 1/15
    # (the highest leverage): equity ≥ q·E·(1/L − |shock|) > 0; with a book this deep the
    # sweeps move prices by less than 1e-9, so every fill keeps equity ≥ 0
    shock = (1 if up else -1) * max(frac, 1e-3) / 15.0
    total = float(np.sum(pop.size))
    out = cascade(pop, price=1.0, shock=shock, depth=1e12 * total,
                  maintenance_margin_rate=0.05, correlation=corr)
    assert out.total_bad_debt == 0.0


def reference_cascade(pop, *, price, shock, depth, mmr, within=0.02, correlation=1.0):
    """A plain loop over accounts: the strict rule of the settlement face, the closed form
    of the linear curve walked cumulatively (mark ``P − n/κ``, fill the walk's middle; a sale
    past price 0 fills what the bids hold, ``κ·P`` base at ``P/2`` on average)."""
    n = pop.n_accounts
    p0 = np.array([price, price], dtype=float)
    mark = p0 * (1 + np.array([shock, correlation * shock]))
    kappa = depth / (within * mark ** 2)
    done = np.zeros(n, dtype=int)
    marks = [mark.copy()]
    r = 0
    while True:
        new = []
        for i in range(n):
            if done[i]:
                continue
            equity = pop.margin[i].sum() + sum(pop.sign[i, j] * pop.size[i, j]
                                               * (mark[j] - pop.entry_price[i, j])
                                               for j in range(2))
            maintenance = sum(pop.size[i, j] * mark[j] * mmr for j in range(2))
            if is_liquidated(equity=equity, maintenance=maintenance):
                new.append(i)
        if not new:
            return done, np.array(marks)
        r += 1
        done[new] = r
        net = [sum(pop.sign[i, j] * pop.size[i, j] for i in new) for j in range(2)]
        for j in range(2):
            if net[j] > 0 and mark[j] - net[j] / kappa[j] < 0:
                mark[j] = 0.0
            else:
                mark[j] = mark[j] - net[j] / kappa[j]
        marks.append(mark.copy())


@given(pop=populations, shock=shocks, depth=st.floats(1e3, 1e8), corr=st.floats(-1.0, 1.0))
def test_agrees_with_a_plain_loop(pop, shock, depth, corr):
    out = cascade(pop, price=1.0, shock=shock, depth=depth, maintenance_margin_rate=0.05,
                  correlation=corr)
    rounds, marks = reference_cascade(pop, price=1.0, shock=shock, depth=depth, mmr=0.05,
                                      correlation=corr)
    assert out.liquidated_round.tolist() == rounds.tolist()
    np.testing.assert_allclose(out.price, marks, rtol=1e-9, atol=1e-12)


def test_a_cross_account_with_one_position_and_shorts_agree_with_the_loop():
    # cross with one token (tested by binary search), shorts on both tokens, a both-token
    # account long A / short B: an up-shock on A with B falling (correlation −0.5)
    pop = Population(sign=[[1, 0], [-1, 0], [0, -1], [1, -1], [-1, 1]],
                     size=[[800.0, 0], [900.0, 0], [0, 700.0], [500.0, 600.0], [400.0, 300.0]],
                     entry_price=np.ones((5, 2)),
                     margin=[[100.0, 0], [80.0, 0], [0, 90.0], [60.0, 50.0], [40.0, 40.0]],
                     cross=[True, False, False, True, True])
    for shock in (0.08, -0.08, 0.15):
        out = cascade(pop, price=1.0, shock=shock, depth=400.0, maintenance_margin_rate=0.05,
                      correlation=-0.5)
        rounds, marks = reference_cascade(pop, price=1.0, shock=shock, depth=400.0, mmr=0.05,
                                          correlation=-0.5)
        assert out.liquidated_round.tolist() == rounds.tolist()
        np.testing.assert_allclose(out.price, marks, rtol=1e-12)
        assert out.rounds >= 1


def test_hundred_thousand_positions_reach_the_fixed_point():
    pop = cascade_population(100_000, rng=0, total_notional=5e7)
    out = cascade(pop, price=1.0, shock=-0.04, depth=2e6, maintenance_margin_rate=0.03,
                  correlation=0.7)
    assert out.converged and 1 < out.rounds < 100
    assert cross_liquidated is not None  # the strict rule's public face (imported above)


def test_cross_liquidation_agrees_with_the_settlement_face():
    pop = cross_pair()
    out = cascade(pop, price=1.0, shock=-0.15, depth=800.0, maintenance_margin_rate=M,
                  correlation=0.0)
    marks = out.price[0]
    assert cross_liquidated(["long", "long"], size=[1_000.0, 1_000.0], entry_price=1.0,
                            wallet=200.0, maintenance_margin_rate=M, price=marks)
    assert out.liquidated_round[0] == 1


# --------------------------------------------------------------------- bad input ---

POP = three_longs()
GOOD = dict(price=1.0, shock=-0.1, depth=1e4, maintenance_margin_rate=0.05)
BAD_CASCADE = [
    (dict(price=0.0), "price"),
    (dict(price=[1.0, 2.0, 3.0]), "price"),
    (dict(shock=0.0), "shock"),
    (dict(shock=-1.0), "shock"),
    (dict(shock=float("nan")), "shock"),
    (dict(shock=[0.1]), "shock"),
    (dict(depth=-5.0), "depth"),
    (dict(depth=True), "depth"),
    (dict(maintenance_margin_rate=1.0), "maintenance_margin_rate"),
    (dict(within=1.0), "within"),
    (dict(correlation=1.5), "correlation"),
    (dict(shock=2.0, correlation=-1.0), "correlation"),
    (dict(liquidation_fee_rate=1.5), "liquidation_fee_rate"),
    (dict(feedback="yes"), "feedback"),
    (dict(max_rounds=0), "max_rounds"),
    (dict(maintenance_margin_rate=0.2), "population"),  # 10× longs below 20 % at once
    (dict(depth=[1.0, 2.0, 3.0]), "depth"),
]


@pytest.mark.parametrize("kwargs, name", BAD_CASCADE)
def test_cascade_refuses_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        cascade(POP, **{**GOOD, **kwargs})


def test_cascade_refuses_a_non_population():
    with pytest.raises(ValueError, match="population"):
        cascade({"sign": 1}, **GOOD)
    with pytest.raises(TypeError):
        cascade(POP, 1.0, -0.1, 1e4, 0.05)


@pytest.mark.parametrize("kwargs, name", [
    (dict(n_positions=0), "n_positions"),
    (dict(n_positions=2.5), "n_positions"),
    (dict(rng=-1), "rng"),
    (dict(rng="seed"), "rng"),
    (dict(cross_share=1.5), "cross_share"),
    (dict(long_share=-0.1), "long_share"),
    (dict(leverage_median=0.5), "leverage_median"),
    (dict(leverage_dispersion=-1.0), "leverage_dispersion"),
    (dict(max_leverage=0.5), "max_leverage"),
    (dict(total_notional=0.0), "total_notional"),
    (dict(price=[1.0, -1.0]), "price"),
    (dict(price="1"), "price"),
])
def test_population_generator_refuses_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        cascade_population(**{"n_positions": 10, **kwargs})


def _fields(**changes):
    base = dict(sign=[[1, 0]], size=[[1.0, 0]], entry_price=[[1.0, 1.0]],
                margin=[[0.5, 0]], cross=[False])
    base.update(changes)
    return base


@pytest.mark.parametrize("changes, name", [
    (dict(sign=[[2, 0]]), "sign"),
    (dict(sign=[1, 0]), "sign"),
    (dict(size=[[0.0, 0]]), "size"),
    (dict(size=[[1.0, 1.0]]), "size"),
    (dict(entry_price=[[0.0, 1.0]]), "entry_price"),
    (dict(entry_price=[[1.0, 1.0], [1.0, 1.0]]), "entry_price"),
    (dict(margin=[[-1.0, 0]]), "margin"),
    (dict(margin=[[1.0, 1.0]]), "margin"),
    (dict(cross=[1]), "cross"),
    (dict(sign=[[0, 0]], size=[[0.0, 0]], margin=[[0.0, 0]]), "every account"),
    (dict(sign=[[1, 1]], size=[[1.0, 1.0]], margin=[[0.5, 0.5]]), "isolated"),
    (dict(size=[[float("nan"), 0]]), "size"),
])
def test_population_refuses_bad_fields(changes, name):
    with pytest.raises(ValueError, match=name):
        Population(**_fields(**changes))
    good = Population(**_fields())
    with pytest.raises(ValueError, match=name):
        dataclasses.replace(good, **changes)


def test_result_keeps_only_the_liquidated_accounts_and_rebuilds_their_rounds():
    """Memory (notebook 06 keeps >100 results on 100,000 accounts): a result stores the
    liquidated accounts' indices, 4 bytes each, and liquidated_round is rebuilt from them;
    checked against a per-account slow loop over the round-by-round counts."""
    pop = cascade_population(3_000, rng=4, cross_share=0.5, max_leverage=15.0)
    out = cascade(pop, price=1.0, shock=-0.08, depth=3_000.0, maintenance_margin_rate=0.05)
    assert out.rounds > 1
    assert out._liquidated.nbytes == 4 * int(out.liquidated_accounts.sum())
    rounds = out.liquidated_round
    assert rounds.dtype == np.int64 and rounds.shape == (pop.n_accounts,)
    expected = np.zeros(pop.n_accounts, dtype=np.int64)
    start = 0
    for r, k in enumerate(out.liquidated_accounts, start=1):
        for i in out._liquidated[start:start + k]:
            assert expected[i] == 0  # each account is liquidated once
            expected[i] = r
        start += k
    assert rounds.tolist() == expected.tolist()
    assert [int((rounds == r).sum()) for r in range(1, out.rounds + 1)] == \
        out.liquidated_accounts.tolist()


def test_population_shares_read_only_tables_and_copies_writable_ones():
    pop = cascade_population(50, rng=2, cross_share=0.5)
    same = Population(sign=pop.sign, size=pop.size, entry_price=pop.entry_price,
                      margin=pop.margin, cross=pop.cross)
    assert same.size is pop.size and same.cross is pop.cross  # read-only: shared
    size = np.array(pop.size)  # writable: copied, so changing it later changes nothing
    mine = Population(sign=pop.sign, size=size, entry_price=pop.entry_price,
                      margin=pop.margin, cross=pop.cross)
    size[:] = 7.0
    assert mine.size is not size and np.array_equal(mine.size, pop.size)
    assert not mine.size.flags.writeable
    view = pop.size[:]  # a read-only view (does not own its data): copied
    assert Population(sign=pop.sign, size=view, entry_price=pop.entry_price,
                      margin=pop.margin, cross=pop.cross).size is not view
    iso = pop.isolated()
    assert all(not getattr(iso, f).flags.writeable
               for f in ("sign", "size", "entry_price", "margin", "cross"))
