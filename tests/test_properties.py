"""Hypothesis properties of the liquidation maths (invariances and replay cross-checks).

Strategies: entry prices 1e-3..1e6, sizes 1e-3..1e4, leverage 1..125, maintenance rate
0..0.2 but always below 95 % of the initial margin rate 1/L (so the margin is above
maintenance at entry, as every venue requires to open). Example counts come from the "ci"
profile in conftest.py.

Mirror relation (derived from G1). With ``m' = m + taker`` and ``c`` the maintenance amount,
long ``(1 − m')·P_L = E − (M + c)/q`` and short ``(1 + m')·P_S = E + (M + c)/q``, so

    ``(1 − m')·P_L + (1 + m')·P_S = 2E``

which for ``m' = 0`` is the plain mirror ``P_L + P_S = 2E``; with maintenance frozen at
entry (Bybit classic, GMX) the mirror is plain for any ``m``: ``P_L + P_S = 2E``.
"""
import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import marginlib as ml

prices = st.floats(1e-3, 1e6)
sizes = st.floats(1e-3, 1e4)
leverages = st.floats(1.0, 125.0)
sides = st.sampled_from(["long", "short"])
conventions = st.sampled_from(["mark", "entry"])
fractions = st.floats(0.0, 1.0)


def mmr_for(lev, u, lo=0.0):
    """A maintenance rate in [lo·cap, cap] with cap = min(0.2, 0.95/L): margin stays above MM."""
    cap = min(0.2, 0.95 / lev)
    return cap * (lo + (1 - lo) * u)


@st.composite
def positions(draw, min_mmr_fraction=0.0, min_leverage=1.0):
    e = draw(prices)
    q = draw(sizes)
    lev = draw(st.floats(min_leverage, 125.0))
    m = mmr_for(lev, draw(fractions), min_mmr_fraction)
    return dict(entry_price=e, size=q, margin=q * e / lev, maintenance_margin_rate=m), lev


def sign(side):
    return 1.0 if side == "long" else -1.0


# ----------------------------------------------------------------------- long/short mirror
@given(positions(), conventions)
def test_mirror_without_maintenance(pos, convention):
    p, _ = pos
    kw = dict(entry_price=p["entry_price"], size=p["size"], margin=p["margin"], convention=convention)
    long_ = ml.liquidation_price("long", **kw)
    short = ml.liquidation_price("short", **kw)
    assert long_ == pytest.approx(2 * p["entry_price"] - short, rel=1e-12, abs=1e-12 * p["entry_price"])


@given(positions(), fractions, st.floats(0.0, 0.001), conventions)
def test_mirror_with_maintenance(pos, c_frac, fee, convention):
    p, _ = pos
    e, q, margin, m = p["entry_price"], p["size"], p["margin"], p["maintenance_margin_rate"]
    c = c_frac * q * e * m  # a maintenance amount up to the whole MM at entry
    assume(margin + c < q * e * (1 - 1e-9))  # the long is not clipped at 0
    assume(margin > q * e * (m + fee) - c)  # still above maintenance with the fee
    # MM = q·P·m' − c is floored at 0; the mirror is G1 algebra, which needs MM >= 0 at the
    # long's price (>= its bankruptcy price E − M/q), else that price is the bankruptcy price.
    assume(convention == "entry" or c <= (q * e - margin) * (m + fee))
    kw = dict(entry_price=e, size=q, margin=margin, maintenance_margin_rate=m,
              maintenance_amount=c, taker_fee_rate=fee, convention=convention)
    long_ = ml.liquidation_price("long", **kw)
    short = ml.liquidation_price("short", **kw)
    if convention == "mark":
        lhs = (1 - m - fee) * long_ + (1 + m + fee) * short
    else:
        lhs = long_ + short
    assert lhs == pytest.approx(2 * e, rel=1e-11)


# ----------------------------------------------------------------------- monotonicity
@given(sides, prices, sizes, leverages, leverages, fractions, conventions)
def test_monotone_in_leverage(side, e, q, l1, l2, u, convention):
    lo, hi = sorted((l1, l2))
    m = mmr_for(hi, u)  # valid for both leverages
    p_lo = ml.liquidation_price(side, entry_price=e, size=q, margin=q * e / lo, maintenance_margin_rate=m, convention=convention)
    p_hi = ml.liquidation_price(side, entry_price=e, size=q, margin=q * e / hi, maintenance_margin_rate=m, convention=convention)
    tol = 1e-12 * e
    if side == "long":  # more leverage: the liquidation price rises toward entry
        assert p_lo <= p_hi + tol and p_hi < e
    else:
        assert p_lo >= p_hi - tol and p_hi > e


@given(sides, positions(), fractions, fractions, conventions)
def test_monotone_in_maintenance_rate(side, pos, u1, u2, convention):
    p, lev = pos
    m1, m2 = sorted((mmr_for(lev, u1), mmr_for(lev, u2)))
    kw = dict(entry_price=p["entry_price"], size=p["size"], margin=p["margin"], convention=convention)
    p1 = ml.liquidation_price(side, maintenance_margin_rate=m1, **kw)
    p2 = ml.liquidation_price(side, maintenance_margin_rate=m2, **kw)
    tol = 1e-12 * p["entry_price"]
    if side == "long":  # more maintenance: closer to entry
        assert p1 <= p2 + tol
    else:
        assert p1 >= p2 - tol


# ----------------------------------------------------------------------- ordering
@given(positions(min_mmr_fraction=0.001, min_leverage=1.01), conventions)
def test_bankruptcy_liquidation_entry_ordering(pos, convention):
    p, _ = pos
    args = dict(entry_price=p["entry_price"], size=p["size"], margin=p["margin"])
    m = p["maintenance_margin_rate"]
    e = p["entry_price"]
    long_liq = ml.liquidation_price("long", **args, maintenance_margin_rate=m,
                                    convention=convention)
    short_liq = ml.liquidation_price("short", **args, maintenance_margin_rate=m,
                                     convention=convention)
    assert ml.bankruptcy_price("long", **args) < long_liq < e
    assert e < short_liq < ml.bankruptcy_price("short", **args)


# ----------------------------------------------------------------------- adding margin
@given(sides, positions(), st.floats(1e-3, 10.0), conventions)
def test_adding_margin_moves_liquidation_away_from_entry(side, pos, extra_frac, convention):
    p, _ = pos
    amount = extra_frac * p["margin"]
    before = ml.liquidation_price(side, entry_price=p["entry_price"], size=p["size"], margin=p["margin"],
                                  maintenance_margin_rate=p["maintenance_margin_rate"], convention=convention)
    adj = ml.adjust_margin(side, entry_price=p["entry_price"], size=p["size"], margin=p["margin"], amount=amount,
                           maintenance_margin_rate=p["maintenance_margin_rate"],
                           convention=convention)
    if side == "long":
        assert adj.liquidation_price < before or before == 0.0
        assert adj.bankruptcy_price <= ml.bankruptcy_price(side, entry_price=p["entry_price"], size=p["size"], margin=p["margin"])
    else:
        assert adj.liquidation_price > before
    assert adj.effective_leverage < p["size"] * p["entry_price"] / p["margin"]
    assert adj.entry_price == p["entry_price"]


# ----------------------------------------------------------------------- scalar = array
@given(st.lists(st.tuples(sides, positions(), conventions), min_size=1, max_size=6))
def test_scalar_equals_array(rows):
    cols = {k: np.array([r[1][0][k] for r in rows]) for k in rows[0][1][0]}
    side = np.array([r[0] for r in rows])
    for convention in ("mark", "entry"):
        arr = ml.liquidation_price(side, **cols, convention=convention)
        one = [ml.liquidation_price(r[0], **r[1][0], convention=convention) for r in rows]
        assert isinstance(arr, np.ndarray) and all(isinstance(x, float) for x in one)
        np.testing.assert_allclose(arr, one, rtol=1e-14, atol=0)
    bk = ml.bankruptcy_price(side, entry_price=cols["entry_price"], size=cols["size"], margin=cols["margin"])
    np.testing.assert_allclose(
        bk, [ml.bankruptcy_price(r[0], entry_price=r[1][0]["entry_price"], size=r[1][0]["size"], margin=r[1][0]["margin"])
             for r in rows], rtol=1e-14, atol=0)


# ----------------------------------------------------------------------- replay
@given(sides, positions(), fractions, st.floats(0.0, 0.001), st.floats(0.0, 0.5),
       st.floats(-0.5, 0.5), conventions)
@example(side="long", pos=({"entry_price": 1.0, "size": 1.0, "margin": 1.0,  # MM < 0 there:
                            "maintenance_margin_rate": 0.2}, 1.0),     # liquidated at bankruptcy
         c_frac=1.0, fee=0.0, om_frac=0.5, upnl_frac=0.0, convention="mark")
def test_equity_equals_maintenance_at_the_liquidation_price(side, pos, c_frac, fee, om_frac,
                                                            upnl_frac, convention):
    p, _ = pos
    e, q, margin, m = p["entry_price"], p["size"], p["margin"], p["maintenance_margin_rate"]
    c = c_frac * q * e * m
    other_mm, other_upnl = om_frac * margin, upnl_frac * margin  # cross terms
    collateral = margin - other_mm + other_upnl
    assume(collateral > (q * e * (m + fee) - c) * (1 + 1e-9))
    price = ml.liquidation_price(side, entry_price=e, size=q, margin=margin, maintenance_margin_rate=m, maintenance_amount=c, other_maintenance=other_mm, other_unrealized_pnl=other_upnl,
                                 taker_fee_rate=fee, convention=convention)
    assume(price > 0)  # a long that cannot be liquidated has nothing to replay
    # step-by-step account at that price: wallet + this position's PnL − other requirement
    equity = collateral + sign(side) * q * (price - e)
    at = price if convention == "mark" else e
    requirement = max(q * at * (m + fee) - c, 0.0)  # a requirement is never below 0
    scale = q * max(price, e) + margin
    assert abs(equity - requirement) <= 1e-9 * scale


# ----------------------------------------------------------------------- tiers
@st.composite
def tier_tables(draw, notional):
    k = draw(st.integers(1, 5))
    steps = draw(st.lists(st.floats(0.05, 2.0), min_size=k - 1, max_size=k - 1))
    floors = [0.0] + list(np.cumsum(steps) * notional)
    pool = draw(st.lists(st.sampled_from([0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2]),
                         min_size=k, max_size=k))
    return ml.margin_tiers(floors=floors, rates=sorted(pool))  # equal rates allowed


@given(sides, prices, sizes, leverages, st.data())
def test_tiered_price_is_a_fixed_point(side, e, q, lev, data):
    notional = q * e
    tiers = data.draw(tier_tables(notional))
    margin = notional / lev
    fee = data.draw(st.floats(0.0, 0.001))
    assume(margin > (tiers.maintenance_margin(notional) + fee * notional) * (1 + 1e-9))
    r = ml.tiered_liquidation_price(side, entry_price=e, size=q, margin=margin, tiers=tiers, taker_fee_rate=fee)
    assume(r.price > 0)
    n_liq = q * r.price
    # the tier reported is the tier in force at the liquidation notional ...
    assert r.tier == tiers.tier_index(n_liq)
    assert r.maintenance_margin_rate == tiers.rates[r.tier]
    assert r.maintenance_amount == tiers.amounts[r.tier]
    assert r.switched == (r.tier != r.entry_tier)
    # ... its G1 price is the price returned ...
    again = ml.liquidation_price(side, entry_price=e, size=q, margin=margin, maintenance_margin_rate=r.maintenance_margin_rate,
                                 maintenance_amount=r.maintenance_amount, taker_fee_rate=fee)
    assert again == pytest.approx(r.price, rel=1e-9)
    # ... and there equity equals the table's maintenance margin (+ closing fee)
    equity = margin + sign(side) * q * (r.price - e)
    requirement = tiers.maintenance_margin(n_liq) + fee * n_liq
    assert abs(equity - requirement) <= 1e-9 * (n_liq + notional)
    # a hair on the safe side (a step relative to entry: the price may be ~0), not yet liquidatable
    safe = r.price + sign(side) * 1e-6 * e
    assert margin + sign(side) * q * (safe - e) > tiers.maintenance_margin(q * safe) + fee * q * safe


@given(sides, positions(), st.floats(0.0, 0.001), st.floats(0.0, 0.5), st.floats(-0.5, 0.5))
def test_single_tier_table_equals_liquidation_price(side, pos, fee, om_frac, upnl_frac):
    p, _ = pos
    e, q, margin, m = p["entry_price"], p["size"], p["margin"], p["maintenance_margin_rate"]
    other_mm, other_upnl = om_frac * margin, upnl_frac * margin
    assume(margin - other_mm + other_upnl > q * e * (m + fee) * (1 + 1e-9))
    kw = dict(other_maintenance=other_mm, other_unrealized_pnl=other_upnl, taker_fee_rate=fee)
    r = ml.tiered_liquidation_price(side, entry_price=e, size=q, margin=margin, tiers=ml.margin_tiers(floors=[0], rates=[m]), **kw)
    flat = ml.liquidation_price(side, entry_price=e, size=q, margin=margin, maintenance_margin_rate=m, **kw)
    assert r.price == pytest.approx(flat, rel=1e-12, abs=1e-12 * e)
    assert (r.tier, r.entry_tier, r.switched) == (0, 0, False)


@given(st.lists(st.tuples(sides, prices, st.floats(1.0, 4e6), st.floats(1.0, 20.0)),
                min_size=1, max_size=5))
def test_tiered_scalar_equals_array(rows):
    # Binance 2021 brackets; notional below 5M at <= 20x stays above maintenance in every bracket
    tiers = ml.get_venue("binance_btcusdt").tiers
    ok = [(side, e, notional / e, notional / lev) for side, e, notional, lev in rows]
    cols = list(zip(*ok))
    arr = ml.tiered_liquidation_price(np.array(cols[0]), entry_price=np.array(cols[1]), size=np.array(cols[2]),
                                      margin=np.array(cols[3]), tiers=tiers)
    for i, row in enumerate(ok):
        side, e, q, margin = row
        one = ml.tiered_liquidation_price(side, entry_price=e, size=q, margin=margin, tiers=tiers)
        assert isinstance(one.price, float)
        assert arr.price[i] == pytest.approx(one.price, rel=1e-14, abs=0)
        assert arr.tier[i] == one.tier and arr.switched[i] == one.switched
