"""Execution cost (marginlib.liquidity): order books, depth curves, the AMM, slippage in PnL.

Hand-computed cases carry their arithmetic; dYdX's insurance-fund example (golden D4) is read
from ``tests/data/golden_cases.json`` (transcribed there with its source); the properties run
under the derandomized ``ci`` hypothesis profile of ``tests/conftest.py``.
"""
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, strategies as st

from marginlib.costs import break_even_move
from marginlib.liquidation import liquidation_price
from marginlib.liquidity import (
    OrderBook, amm_fill, break_even_with_slippage, depth_book, depth_fill, fill,
    liquidate_into_book, maintenance_rate_from_depth, realized_pnl_with_slippage)
from marginlib.position import realized_pnl
from marginlib.units import HOURS_PER_YEAR

CASES = {c["id"]: c for c in
         json.loads((Path(__file__).parent / "data" / "golden_cases.json").read_text())["cases"]}


def small_book():
    return OrderBook(bid_prices=[99.0, 98.0], bid_sizes=[1.0, 2.0],
                     ask_prices=[101.0, 102.0], ask_sizes=[1.0, 2.0])


# ------------------------------------------------------------------------ order book ---

def test_fill_walks_the_levels_by_hand():
    book = small_book()
    buy = fill(book, "buy", size=2.0)  # 1 @ 101 + 1 @ 102 = 203
    assert buy.average_price == 101.5 and buy.notional == 203.0
    assert math.isclose(buy.slippage, 101.5 / 100 - 1)
    assert buy.last_price == 102.0 and buy.unfilled_size == 0.0
    sell = fill(book, "sell", size=5.0)  # only 3 rest on the bids: 99 + 2·98 = 295
    assert sell.filled_size == 3.0 and sell.unfilled_size == 2.0
    assert math.isclose(sell.average_price, 295 / 3)
    assert math.isclose(sell.slippage, 1 - 295 / 3 / 100)
    # "long"/"short" are the buy/sell of opening that position
    assert fill(book, "long", size=2.0) == fill(book, "buy", size=2.0)


def test_fill_inside_the_first_level_pays_half_the_spread():
    f = fill(small_book(), "sell", size=0.5)
    assert f.average_price == 99.0 and math.isclose(f.slippage, 0.01)


def test_fill_is_elementwise_in_size():
    book = small_book()
    sizes = [0.5, 1.0, 2.5, 3.0, 4.0]
    out = fill(book, "buy", size=np.array(sizes))
    for k, q in enumerate(sizes):
        one = fill(book, "buy", size=q)
        assert out.average_price[k] == one.average_price
        assert out.unfilled_size[k] == one.unfilled_size


def test_book_properties_and_depth():
    book = OrderBook(bid_prices=[99.0, 97.0], bid_sizes=[1.0, 2.0],
                     ask_prices=[101.0, 103.0], ask_sizes=[1.0, 2.0])
    assert book.mid_price == 100.0 and math.isclose(book.spread, 0.02)
    assert book.depth(0.02) == (99.0, 101.0)  # 97 and 103 are 3 % away
    assert book.depth(0.03) == (99.0 + 2 * 97.0, 101.0 + 2 * 103.0)
    with pytest.raises(ValueError):  # records stay immutable and validated
        book.bid_prices[0] = 1.0


@pytest.mark.parametrize("kwargs, name", [
    (dict(bid_prices=[98.0, 99.0]), "bid_prices"),        # not best first
    (dict(ask_prices=[102.0, 101.0]), "ask_prices"),
    (dict(ask_prices=[99.0, 102.0]), "ask_prices"),        # crossed
    (dict(bid_sizes=[1.0]), "bid_sizes"),                  # length mismatch
    (dict(ask_sizes=[1.0, -2.0]), "ask_sizes"),
    (dict(bid_prices=[99.0, float("nan")]), "bid_prices"),
    (dict(bid_sizes=[True, 1.0]), "bid_sizes"),
    (dict(ask_prices=[]), "ask_prices"),
    (dict(bid_prices=[1e308, 1e307], bid_sizes=[10.0, 10.0],
          ask_prices=[1.2e308, 1.7e308]), "overflow"),
])
def test_order_book_refuses_bad_levels(kwargs, name):
    base = dict(bid_prices=[99.0, 98.0], bid_sizes=[1.0, 2.0],
                ask_prices=[101.0, 102.0], ask_sizes=[1.0, 2.0])
    base.update(kwargs)
    with pytest.raises(ValueError, match=name):
        OrderBook(**base)


def test_order_book_replace_validates():
    import dataclasses
    with pytest.raises(ValueError, match="ask_prices"):
        dataclasses.replace(small_book(), ask_prices=[90.0, 102.0])


# ---------------------------------------------------------------------- depth curves ---

def test_depth_fill_by_hand():
    # ρ = 50,000/(0.02·100) = 25,000 base per unit of distance: selling 500 reaches 2 %
    f = depth_fill("sell", size=500.0, mid_price=100.0, depth=50_000.0, within=0.02)
    assert math.isclose(f.average_price, 99.0) and math.isclose(f.last_price, 98.0)
    assert math.isclose(f.slippage, 0.01)
    # a 0.4 % spread adds the 0.2 % half-spread to every unit
    g = depth_fill("buy", size=250.0, mid_price=100.0, depth=50_000.0, spread=0.004)
    assert math.isclose(g.slippage, 0.002 + 250 / (2 * 25_000))
    # the bids end at extent 4 %: 1,000 base; the rest is unfilled
    h = depth_fill("sell", size=1_500.0, mid_price=100.0, depth=50_000.0, extent=0.04)
    assert math.isclose(h.filled_size, 1_000.0) and math.isclose(h.unfilled_size, 500.0)
    assert math.isclose(h.last_price, 96.0)


@given(q=st.floats(1e-3, 0.999))
def test_depth_book_matches_the_closed_form(q):
    mid, depth, within, spread, extent, n = 50.0, 20_000.0, 0.02, 0.002, 0.2, 40
    book = depth_book(mid_price=mid, depth=depth, within=within, spread=spread,
                      extent=extent, levels=n)
    rho = depth / (within * mid)
    total = rho * (extent - spread / 2)
    for side in ("buy", "sell"):
        a = fill(book, side, size=q * total)
        b = depth_fill(side, size=q * total, mid_price=mid, depth=depth, within=within,
                       spread=spread, extent=extent)
        # the midpoint rule: exact on bin boundaries, off by at most half a bin's
        # price distance inside one
        bin_width = (extent - spread / 2) / n
        assert abs(a.average_price - b.average_price) <= mid * bin_width / 2 + 1e-9
    k = 7  # an order ending exactly on the 7th boundary
    a = fill(book, "sell", size=k * total / n)
    b = depth_fill("sell", size=k * total / n, mid_price=mid, depth=depth, within=within,
                   spread=spread, extent=extent)
    assert math.isclose(a.average_price, b.average_price, rel_tol=1e-12)


def test_depth_book_holds_the_stated_depth():
    book = depth_book(mid_price=100.0, depth=50_000.0, within=0.02, extent=0.1, levels=50)
    bids, asks = book.depth(0.02 + 1e-12)
    # base 25,000·0.02 = 500 within 2 %, valued at the level prices (0.2 % steps, 10 levels)
    levels = 100.0 * (1 - (np.arange(10) + 0.5) * 0.002)
    assert math.isclose(bids, float(np.sum(levels * 50.0)))
    assert math.isclose(bids + asks, 2 * 50_000.0)  # symmetric about the mid


# ------------------------------------------------------------------------------- AMM ---

def test_amm_by_hand():
    # buy 10 of 1,000 base from y = 100,000: Δy = 100,000·10/990
    f = amm_fill("buy", size=10.0, base_reserve=1_000.0, quote_reserve=100_000.0)
    assert math.isclose(f.quote_amount, 100_000 * 10 / 990)
    assert math.isclose(f.slippage, 10 / 990)
    assert f.base_reserve == 990.0 and math.isclose(f.spot_price, f.quote_reserve / 990)
    # sell 10 with Uniswap's 0.3 %: Δy = y·γΔx/(x + γΔx)
    g = amm_fill("sell", size=10.0, base_reserve=1_000.0, quote_reserve=100_000.0,
                 fee_rate=0.003)
    want = 100_000 * 0.997 * 10 / (1_000 + 0.997 * 10)
    assert math.isclose(g.quote_amount, want) and math.isclose(g.average_price, want / 10)


@given(x=st.floats(1.0, 1e6), y=st.floats(1.0, 1e6), frac=st.floats(1e-6, 0.9),
       fee=st.sampled_from([0.0, 0.003, 0.01]), side=st.sampled_from(["buy", "sell"]))
def test_amm_invariant(x, y, frac, fee, side):
    f = amm_fill(side, size=frac * x, base_reserve=x, quote_reserve=y, fee_rate=fee)
    k0, k1 = x * y, f.base_reserve * f.quote_reserve
    if fee == 0.0:
        assert math.isclose(k1, k0, rel_tol=1e-9)
    else:
        assert k1 >= k0 * (1 - 1e-12)  # the fee stays in the pool
    assert f.slippage >= -1e-12  # never a better price than spot
    # the spot moves against the trader
    assert (f.spot_price > y / x) if side == "buy" else (f.spot_price < y / x)


def test_amm_refuses_draining_the_pool():
    with pytest.raises(ValueError, match="size"):
        amm_fill("buy", size=1_000.0, base_reserve=1_000.0, quote_reserve=1.0)


# ------------------------------------------------------------ fill-price properties ---

book_levels = st.lists(st.tuples(st.floats(0.01, 5.0), st.floats(0.01, 100.0)),
                       min_size=1, max_size=12)


def _book(bids, asks, mid=100.0):
    """Levels as (distance step, size): prices step away from the mid."""
    bp = mid - np.cumsum([d for d, _ in bids]) * 0.5
    ap = mid + np.cumsum([d for d, _ in asks]) * 0.5
    return OrderBook(bid_prices=bp, bid_sizes=[q for _, q in bids],
                     ask_prices=ap, ask_sizes=[q for _, q in asks])


@given(bids=book_levels, asks=book_levels, q1=st.floats(0.001, 500.0),
       q2=st.floats(0.001, 500.0), side=st.sampled_from(["buy", "sell"]))
def test_fill_price_monotone_in_order_size(bids, asks, q1, q2, side):
    book = _book(bids, asks)
    small, large = sorted((q1, q2))
    a, b = fill(book, side, size=small), fill(book, side, size=large)
    tol = 1e-9 * book.mid_price
    if side == "buy":
        assert a.average_price <= b.average_price + tol
    else:
        assert a.average_price >= b.average_price - tol
    assert a.slippage <= b.slippage + 1e-9


@given(bids=book_levels, asks=book_levels, q=st.floats(0.001, 500.0),
       more=st.floats(1.0, 10.0), side=st.sampled_from(["buy", "sell"]))
def test_a_deeper_book_never_fills_worse(bids, asks, q, more, side):
    book = _book(bids, asks)
    deeper = OrderBook(bid_prices=book.bid_prices, bid_sizes=book.bid_sizes * more,
                       ask_prices=book.ask_prices, ask_sizes=book.ask_sizes * more)
    a, b = fill(book, side, size=q), fill(deeper, side, size=q)
    assert b.slippage <= a.slippage + 1e-9
    assert b.filled_size >= a.filled_size


@given(q=st.floats(1.0, 1e4), depth=st.floats(1e3, 1e7), k=st.floats(1.0, 100.0))
def test_depth_curve_deeper_never_worse(q, depth, k):
    a = depth_fill("sell", size=q, mid_price=10.0, depth=depth)
    b = depth_fill("sell", size=q, mid_price=10.0, depth=depth * k)
    assert b.average_price >= a.average_price - 1e-12


# ------------------------------------------------------ slippage in the trader's maths ---

def test_pnl_with_slippage_by_hand():
    a = small_book()
    b = OrderBook(bid_prices=[109.0, 108.0], bid_sizes=[1.0, 2.0],
                  ask_prices=[111.0, 112.0], ask_sizes=[1.0, 2.0])
    r = realized_pnl_with_slippage("long", size=2.0, entry_book=a, exit_book=b,
                                   open_fee_rate=0.001, close_fee_rate=0.001)
    # fills 101.5 and (109 + 108)/2 = 108.5; fees on the fills
    want = 2 * (108.5 - 101.5) - 2 * 101.5 * 0.001 - 2 * 108.5 * 0.001
    assert math.isclose(r.pnl, want)
    assert r.pnl == realized_pnl("long", size=2.0, entry_price=101.5, exit_price=108.5,
                                 open_fee_rate=0.001, close_fee_rate=0.001)
    assert math.isclose(r.pnl_at_mid, 2 * 10 - 2 * 100 * 0.001 - 2 * 110 * 0.001)
    short = realized_pnl_with_slippage("short", size=2.0, entry_book=b, exit_book=a)
    assert short.entry_fill.average_price == 108.5 and short.exit_fill.average_price == 101.5
    assert math.isclose(short.pnl, 14.0) and math.isclose(short.slippage_cost, 6.0)


def test_pnl_with_slippage_refuses_an_order_larger_than_the_book():
    with pytest.raises(ValueError, match="size"):
        realized_pnl_with_slippage("long", size=5.0, entry_book=small_book(),
                                   exit_book=small_book())


def test_break_even_with_slippage_reuses_break_even_move():
    book = small_book()
    costs = dict(open_fee_rate=0.0005, close_fee_rate=0.0005, funding_rate=0.0001,
                 intervals=30)
    be = break_even_with_slippage("long", size=2.0, book=book, **costs)
    plain = break_even_move("long", entry_price=101.5, size=2.0, **costs)
    assert math.isclose(be.exit_fill_price, plain.exit_price)
    # closing 2 into the bids fills 98.5: 1.5 % below the mid
    assert math.isclose(be.exit_slippage, 0.015)
    assert math.isclose(be.exit_mid, plain.exit_price / 0.985)
    at_mid = break_even_move("long", entry_price=100.0, size=2.0, **costs)
    assert math.isclose(be.price_move_without_slippage, at_mid.price_move)
    assert be.price_move > be.price_move_without_slippage
    short = break_even_with_slippage("short", size=2.0, book=book)
    # sell 2 at 98.5, buy back 2 at 1.5 % above the exit mid: X/(1 + 0.015) = 98.5
    assert math.isclose(short.exit_mid, 98.5 / 1.015)


# ----------------------------------------------------------- liquidation into a book ---

def test_dydx_insurance_fund_golden_d4_through_a_book():
    row = CASES["D4-bad-debt"]["inputs"]
    want = CASES["D4-bad-debt"]["expected"]
    # the liquidation order fills at 0.77 (dYdX's example): one bid level at 0.77
    book = OrderBook(bid_prices=[row["price"]], bid_sizes=[10 * row["size"]],
                     ask_prices=[0.83], ask_sizes=[10 * row["size"]])
    out = liquidate_into_book(row["side"], entry_price=row["entry_price"], size=row["size"],
                              margin=row["margin"], book=book,
                              maintenance_margin_rate=row["maintenance_margin_fraction"])
    assert out.liquidated and not out.gap  # mark 0.80: equity 0 > ... below 15, above 0
    assert math.isclose(out.fill.average_price, 0.77)
    assert abs(out.bad_debt - want) <= CASES["D4-bad-debt"]["tolerance"]
    assert out.returned == CASES["D4-returned"]["expected"]
    assert math.isclose(out.equity, 100 + 500 * (0.77 - 1.0))


def test_the_same_position_in_a_deep_and_a_thin_book():
    # 10× long of 1,000 at 1 (margin 100), m = 3 %: liquidation price 900/970
    pos = dict(entry_price=1.0, size=1_000.0, margin=100.0, maintenance_margin_rate=0.03)
    lp = liquidation_price("long", entry_price=1.0, size=1_000.0, margin=100.0,
                           maintenance_margin_rate=0.03)
    assert math.isclose(lp, 900 / 970)
    mark = lp * (1 - 1e-9)  # just through it: the strict rule triggers
    deep = depth_book(mid_price=mark, depth=1e7, within=0.02)
    thin = depth_book(mid_price=mark, depth=100.0, within=0.02, levels=2_000)
    d = liquidate_into_book("long", book=deep, **pos)
    t = liquidate_into_book("long", book=thin, **pos)
    assert d.liquidated and t.liquidated
    assert d.bad_debt == 0.0 and d.returned > 0  # deep: fills near the mark, keeps ≈ 3 %
    # thin: ρ = 100/(0.02·mark) base per unit of distance; selling 1,000 base costs on
    # average 1,000/(2ρ) = 1,000·0.02·mark/200 of the mark (≈ 9.3 %)
    fill_price = mark * (1 - 1_000.0 * 0.02 * mark / (2 * 100.0))
    half_bin = mark * 0.5 / 2_000 / 2 * 2  # levels of 0.05 %: off by at most half of one
    assert abs(t.fill.average_price - fill_price) <= half_bin
    equity = 100 + 1_000 * (t.fill.average_price - 1.0)
    assert math.isclose(t.equity, equity, rel_tol=1e-12)
    assert equity < 0 and t.bad_debt == pytest.approx(-equity, rel=1e-12)
    assert t.bad_debt > 0  # the loss beyond the margin goes to the insurance fund


def test_exactly_at_the_liquidation_price_is_not_liquidated():
    pos = dict(entry_price=100.0, size=1.0, margin=10.0, maintenance_margin_rate=0.0)
    book = OrderBook(bid_prices=[90.0 - 0.5], bid_sizes=[1.0], ask_prices=[90.5],
                     ask_sizes=[1.0])  # mid exactly 90 = the liquidation price
    assert not liquidate_into_book("long", book=book, **pos).liquidated


def test_a_gap_through_the_liquidation_price():
    # mark 0.85 is below the bankruptcy price 0.9 of a 10× long: bad debt even at the mark
    book = depth_book(mid_price=0.85, depth=1e9, within=0.02, extent=0.01, levels=1_000)
    out = liquidate_into_book("long", entry_price=1.0, size=1_000.0, margin=100.0,
                              book=book, maintenance_margin_rate=0.03)
    assert out.gap and out.liquidated
    assert out.bad_debt == pytest.approx(1_000 * (1.0 - 0.85) - 100, rel=1e-4)


def test_short_liquidation_buys_the_asks():
    book = depth_book(mid_price=1.2, depth=500.0, within=0.02)
    out = liquidate_into_book("short", entry_price=1.0, size=1_000.0, margin=100.0,
                              book=book, maintenance_margin_rate=0.03)
    assert out.fill.average_price > 1.2 and out.bad_debt > 0


# --------------------------------------------------------- maintenance from depth ---

def test_maintenance_from_depth_thin_and_deep():
    thin = maintenance_rate_from_depth(position_notional=50_000, depth=50_000,
                                       volatility=1.5, liquidation_hours=1.0)
    deep = maintenance_rate_from_depth(position_notional=1e6, depth=20e6, volatility=0.6,
                                       liquidation_hours=5 / 60)
    # impact N·w/(2D) + price risk z·σ·√(τ/8760), z = 2.33
    assert math.isclose(thin, 0.01 + 2.33 * 1.5 * math.sqrt(1 / HOURS_PER_YEAR))
    assert math.isclose(deep, 1e6 * 0.02 / 4e7 + 2.33 * 0.6 * math.sqrt(5 / 60 / HOURS_PER_YEAR))
    assert 0.04 < thin < 0.06 and 0.004 < deep < 0.006  # ~5 % against ~0.5 %


@given(d1=st.floats(1e3, 1e9), d2=st.floats(1e3, 1e9))
def test_maintenance_falls_with_depth(d1, d2):
    lo, hi = sorted((d1, d2))
    m = [maintenance_rate_from_depth(position_notional=1e5, depth=d, volatility=1.0,
                                     liquidation_hours=1.0) for d in (lo, hi)]
    assert m[1] <= m[0]


# ------------------------------------------------------------------------- bad input ---

BOOK = small_book()
BAD = [
    (fill, dict(book="book", side="buy", size=1.0), "book"),
    (fill, dict(book=BOOK, side="hold", size=1.0), "side"),
    (fill, dict(book=BOOK, side="buy", size=0.0), "size"),
    (fill, dict(book=BOOK, side="buy", size=True), "size"),
    (fill, dict(book=BOOK, side="buy", size=np.complex128(1.0)), "size"),
    (depth_fill, dict(side="sell", size=1.0, mid_price=-1.0, depth=1.0), "mid_price"),
    (depth_fill, dict(side="sell", size=1.0, mid_price=1.0, depth=float("inf")), "depth"),
    (depth_fill, dict(side="sell", size=1.0, mid_price=1.0, depth=1.0, within=1.0), "within"),
    (depth_fill, dict(side="sell", size=1.0, mid_price=1.0, depth=1.0, spread=-0.1), "spread"),
    (depth_fill, dict(side="sell", size=1.0, mid_price=1.0, depth=1.0, extent=1.5), "extent"),
    (depth_fill, dict(side="sell", size=1.0, mid_price=1e-300, depth=1e300), "depth"),
    (depth_book, dict(mid_price=1.0, depth=1.0, levels=2.5), "levels"),
    (depth_book, dict(mid_price=1.0, depth=1.0, levels=0), "levels"),
    (depth_book, dict(mid_price=[1.0, 2.0], depth=1.0), "mid_price"),
    (amm_fill, dict(side="buy", size=1.0, base_reserve=0.0, quote_reserve=1.0), "base_reserve"),
    (amm_fill, dict(side="buy", size=1.0, base_reserve=10.0, quote_reserve="1"), "quote_reserve"),
    (amm_fill, dict(side="sell", size=1.0, base_reserve=10.0, quote_reserve=1.0, fee_rate=1.0),
     "fee_rate"),
    (amm_fill, dict(side="sell", size=[1.0, 2.0], base_reserve=[1.0, 2.0, 3.0],
                    quote_reserve=1.0), "base_reserve"),
    (realized_pnl_with_slippage, dict(side="up", size=1.0, entry_book=BOOK, exit_book=BOOK),
     "side"),
    (realized_pnl_with_slippage, dict(side="long", size=1.0, entry_book=None, exit_book=BOOK),
     "entry_book"),
    (realized_pnl_with_slippage, dict(side="long", size=[1.0], entry_book=BOOK,
                                      exit_book=BOOK), "size"),
    (realized_pnl_with_slippage, dict(side="long", size=1.0, entry_book=BOOK, exit_book=BOOK,
                                      close_fee_rate=2.0), "close_fee_rate"),
    (break_even_with_slippage, dict(side="long", size=1.0, book=BOOK, gas_cost=-1.0),
     "gas_cost"),
    (break_even_with_slippage, dict(side="long", size=9.0, book=BOOK), "size"),
    (break_even_with_slippage, dict(side="long", size=1.0, book=3), "book"),
    (liquidate_into_book, dict(side="long", entry_price=0.0, size=1.0, margin=1.0, book=BOOK,
                               maintenance_margin_rate=0.01), "entry_price"),
    (liquidate_into_book, dict(side="long", entry_price=1.0, size=1.0, margin=1.0, book=BOOK,
                               maintenance_margin_rate=1.0), "maintenance_margin_rate"),
    (liquidate_into_book, dict(side="long", entry_price=1.0, size=1.0, margin=1.0, book=BOOK,
                               maintenance_margin_rate=0.01, liquidation_fee_rate=-0.1),
     "liquidation_fee_rate"),
    (liquidate_into_book, dict(side="long", entry_price=100.0, size=9.0, margin=10.0,
                               book=BOOK, maintenance_margin_rate=0.01), "size"),
    (liquidate_into_book, dict(side="long", entry_price=100.0, size=1.0, margin=0.5,
                               book=BOOK, maintenance_margin_rate=0.01), "margin"),
    (liquidate_into_book, dict(side=["long"], entry_price=1.0, size=1.0, margin=1.0, book=BOOK,
                               maintenance_margin_rate=0.01), "side"),
    (maintenance_rate_from_depth, dict(position_notional=-1.0, depth=1.0, volatility=1.0,
                                       liquidation_hours=1.0), "position_notional"),
    (maintenance_rate_from_depth, dict(position_notional=1.0, depth=1.0, volatility=float("nan"),
                                       liquidation_hours=1.0), "volatility"),
    (maintenance_rate_from_depth, dict(position_notional=1.0, depth=1.0, volatility=1.0,
                                       liquidation_hours=0.0), "liquidation_hours"),
    (maintenance_rate_from_depth, dict(position_notional=1.0, depth=1.0, volatility=1.0,
                                       liquidation_hours=1.0, z_score=False), "z_score"),
    (maintenance_rate_from_depth, dict(position_notional=1.0, depth=1.0, volatility=1.0,
                                       liquidation_hours=1.0, within=2.0), "within"),
    (maintenance_rate_from_depth, dict(position_notional=[1.0, 2.0], depth=[1.0, 2.0, 3.0],
                                       volatility=1.0, liquidation_hours=1.0), "depth"),
    (maintenance_rate_from_depth, dict(position_notional=1e308, depth=1e-300, volatility=1.0,
                                       liquidation_hours=1.0), "position_notional"),
]


@pytest.mark.parametrize("func, kwargs, name", BAD,
                         ids=[f"{f.__name__}-{n}-{i}" for i, (f, _, n) in enumerate(BAD)])
def test_bad_input_names_the_argument(func, kwargs, name):
    kwargs = dict(kwargs)
    side = kwargs.pop("side", None)
    book = kwargs.pop("book", None) if func is fill else None
    with pytest.raises(ValueError, match=name):
        if func is fill:
            func(book, side, **kwargs)
        elif func in (depth_book, maintenance_rate_from_depth):
            func(**kwargs)
        else:
            func(side, **kwargs)


@pytest.mark.parametrize("call", [
    lambda: fill(BOOK, "buy", 1.0),
    lambda: depth_fill("sell", 1.0, 1.0, 1.0),
    lambda: amm_fill("buy", 1.0, 10.0, 10.0),
    lambda: liquidate_into_book("long", 1.0, 1.0, 1.0, BOOK, 0.01),
    lambda: depth_book(1.0, 1.0),
    lambda: maintenance_rate_from_depth(1.0, 1.0),
])
def test_numbers_are_keyword_only(call):
    with pytest.raises(TypeError):
        call()
