"""Plots and widgets of notebook 05: artists hold the numbers of marginlib.liquidity, update in
place, every control changes the figure, and an order larger than the book is drawn and
explained (never a traceback)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from marginlib import plots, widgets  # noqa: E402
from marginlib.plots.liquidity import DEEP_DEPTH, DEPTH_GRID, ORDER_GRID  # noqa: E402


def linear_fill(side, usd, mid, depth, within=0.02):
    """Independent closed form: average fill of ``usd`` (at the mid) into linear depth."""
    rho = depth / (within * mid)
    q = np.asarray(usd, float) / mid
    sign = 1 if side == "buy" else -1
    return mid * (1 + sign * q / (2 * rho)), q <= rho  # (average, fits in the book)


def test_fill_curves_match_closed_form_and_stop_where_the_book_ends():
    p = plots.fill_vs_depth(static=True, order_usd=1_000, depth=5_000)
    for side in ("buy", "sell"):
        y = np.asarray(p.artists[side].get_ydata(), float)
        by_hand, fits = linear_fill(side, ORDER_GRID, 2.5, 5_000)
        assert np.allclose(y[fits], by_hand[fits])
        assert np.all(np.isnan(y[~fits])) and (~fits).any() and fits.any()
    assert p.fill.average_price == pytest.approx(float(linear_fill("sell", 1_000, 2.5, 5_000)[0]))
    assert list(p.artists["marker"].get_ydata()) == pytest.approx(
        [float(linear_fill(s, 1_000, 2.5, 5_000)[0]) for s in ("sell", "buy")])


def test_fill_is_monotone_in_size_and_a_deeper_book_never_fills_worse():
    p = plots.fill_vs_depth(static=True)
    thin = np.asarray(p.artists["sell"].get_ydata(), float)
    p.set(depth=500_000)
    deep = np.asarray(p.artists["sell"].get_ydata(), float)
    ok = ~np.isnan(thin)
    assert np.all(np.diff(thin[ok]) < 0)
    assert np.all(deep[ok] >= thin[ok])


def test_fill_widget_every_control_changes_the_figure():
    w = widgets.fill_widget()
    assert "1,000 USDC" in w.message.value and "2.4995" in w.message.value
    sell0 = np.asarray(w.plot.artists["sell"].get_ydata(), float).copy()
    x0 = list(w.plot.artists["marker"].get_xdata())
    w.controls["order_usd"].value = 20_000
    assert list(w.plot.artists["marker"].get_xdata()) != x0
    assert "20,000 USDC" in w.message.value
    w.controls["depth"].value = 5_000
    sell1 = np.asarray(w.plot.artists["sell"].get_ydata(), float)
    assert not np.allclose(np.nan_to_num(sell0), np.nan_to_num(sell1))
    assert "5,000 USDC within ±2 %" in w.plot.artists["title"].get_text()


def test_an_order_larger_than_the_book_is_drawn_and_explained():
    w = widgets.fill_widget()
    w.controls["depth"].value = 1_000
    w.controls["order_usd"].value = 1_000_000
    assert w.plot.out_of_range and "⚠" in w.message.value
    text = w.message.value
    assert "order size 1,000,000 USDC" in text and "1,000 USDC within ±2 %" in text
    assert "Lower the order size below 50,000 USDC" in text and "raise the depth above" in text
    assert np.all(np.isnan(w.plot.artists["marker"].get_ydata()))
    # the depth still moves the curves while the order is out of range
    before = np.asarray(w.plot.artists["sell"].get_ydata(), float).copy()
    w.controls["depth"].value = 2_000
    after = np.asarray(w.plot.artists["sell"].get_ydata(), float)
    assert np.nansum(np.abs(np.nan_to_num(after) - np.nan_to_num(before))) > 0
    w.controls["depth"].value = 10_000_000            # back inside the book
    assert not w.plot.out_of_range and "⚠" not in w.message.value


def test_liquidation_defaults_show_bad_debt_in_the_thin_book_only():
    p = plots.liquidation_in_books(static=True)
    assert p.liquidation_price == pytest.approx((400 * 2.5 - 100) / (400 * 0.95))
    assert p.bankruptcy_price == pytest.approx(2.25)
    assert p.deep.bad_debt == 0 and p.thin.bad_debt > 0
    lost = [r.get_height() for r in p.artists["lost"]]
    debt = [r.get_height() for r in p.artists["debt"]]
    assert lost == pytest.approx([100 - p.deep.returned, 100]) and debt[1] == p.thin.bad_debt
    # bad debt by hand: equity at the fill, the fee only from what is left
    fill = p.thin.fill.average_price
    assert p.thin.bad_debt == pytest.approx(-(100 + 400 * (fill - 2.5)))


def test_bad_debt_is_zero_when_the_book_is_deep_and_never_grows_with_depth():
    p = plots.liquidation_in_books(static=True)
    curve = p.curve_bad_debt
    assert curve[DEPTH_GRID >= 1_000].max() == 0
    assert np.all(np.diff(curve) <= 1e-9)
    assert np.all(np.diff(p.curve_fill) >= -1e-12)


def test_a_depth_step_reuses_the_curves_and_they_match_a_fresh_plot(monkeypatch):
    p = plots.liquidation_in_books(static=True, depth=100.0, gap=0.01)
    calls = []
    liquidate = p._liquidate
    monkeypatch.setattr(p, "_liquidate", lambda d, m: calls.append(d) or liquidate(d, m))
    p.update(depth=400.0, gap=0.01)
    assert len(calls) == 2                      # the deep and the thin book only
    p.update(depth=400.0, gap=0.02)
    assert len(calls) == 2 + 2 + DEPTH_GRID.size   # a new mark: the curves again
    p.update(depth=100.0, gap=0.01)              # back: kept
    assert len(calls) == 2 + 2 + DEPTH_GRID.size + 2
    fresh = plots.liquidation_in_books(static=True, depth=100.0, gap=0.01)
    assert np.array_equal(p.curve_fill, fresh.curve_fill)
    assert np.array_equal(p.curve_bad_debt, fresh.curve_bad_debt)
    assert np.array_equal(p.artists["curve"].get_ydata(), fresh.curve_fill)
    with pytest.raises(ValueError):
        p.curve_fill[0] = 0.0                    # shared between steps: read-only


def test_liquidation_widget_every_control_changes_the_figure():
    w = widgets.book_liquidation_widget()
    assert "bad debt the insurance fund pays" in w.message.value
    pts = list(w.plot.artists["points"].get_xdata())
    w.controls["depth"].value = 100_000
    assert list(w.plot.artists["points"].get_xdata()) != pts
    assert w.plot.artists["thin_label"].get_text().startswith("$100,000")
    assert "no bad debt" in w.message.value
    mark = w.plot.artists["mark"].get_ydata()[0]
    curve = np.asarray(w.plot.artists["curve"].get_ydata()).copy()
    w.controls["gap"].value = 0.08                     # through the bankruptcy price
    assert w.plot.artists["mark"].get_ydata()[0] < mark
    assert not np.allclose(curve, w.plot.artists["curve"].get_ydata())
    assert w.plot.deep.bad_debt > 0 and w.plot.artists["debt"][0].get_height() > 0
    w.controls["gap"].value = 0.0                      # at the line: the strict rule still closes
    assert w.plot.thin.liquidated and w.plot.deep.liquidated


def test_bad_gap_is_refused_with_its_name():
    p = plots.liquidation_in_books(static=True)
    with pytest.raises(ValueError, match="gap"):
        p.set(gap=1.5)
