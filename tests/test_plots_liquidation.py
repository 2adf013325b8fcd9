"""Plots and widgets of notebook 02: artists hold the numbers of marginlib, update in place,
and a leverage out of range is drawn up to the limit and flagged (never a traceback)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from marginlib import plots, widgets  # noqa: E402
from marginlib.course.scenarios import demo_price_path  # noqa: E402
from marginlib.liquidation import adjust_margin, liquidation_outcome  # noqa: E402
from marginlib.position import position_size  # noqa: E402
from marginlib.sim.paths import price_model, price_paths  # noqa: E402
from marginlib.venues import VENUES, compare_venues  # noqa: E402


def distance_by_hand(side, leverage, m, fee=0.0):
    """Independent closed form (mark convention, no fixed amount), in % of entry."""
    r = m + fee
    inv = 1.0 / np.asarray(leverage, float)
    return 100 * (inv - r) / (1 - r) if side == "long" else 100 * (inv - r) / (1 + r)


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("m, fee", [(0.0, 0.0), (0.005, 0.0), (0.05, 0.0005)])
def test_distance_curve_matches_closed_form(side, m, fee):
    p = plots.liquidation_distance(static=True, side=side, maintenance_margin_rate=m,
                                   taker_fee_rate=fee, leverage=5)
    x = np.asarray(p.artists["distance"].get_xdata())
    y = np.asarray(p.artists["distance"].get_ydata())
    ok = ~np.isnan(y)
    assert np.allclose(y[ok], distance_by_hand(side, x[ok], m, fee))
    # NaN exactly where the margin 1/L does not exceed m + fee
    assert np.array_equal(ok, 1 / x > m + fee)
    assert np.allclose(p.artists["article"].get_ydata(), 100 / x)
    assert p.marker_distance == pytest.approx(float(distance_by_hand(side, 5, m, fee)))


def test_distance_update_is_in_place():
    p = plots.liquidation_distance(static=True)
    line = p.artists["distance"]
    n_lines = len(p.ax.lines)
    before = np.array(line.get_ydata(), float)
    p.set(maintenance_margin_rate=0.02, side="short")
    assert p.artists["distance"] is line and len(p.ax.lines) == n_lines
    after = np.array(line.get_ydata(), float)
    assert np.nanmax(np.abs(after - before)) > 0
    assert p.max_leverage == pytest.approx(50.0)
    assert "short" in p.artists["legend_text"].get_text()
    assert "2.00 %" in p.artists["legend_text"].get_text()
    assert p.artists["legend_line"].get_color() == plots.COLORS["short"]
    assert list(p.artists["limit"].get_xdata()) == pytest.approx([50.0, 50.0])


def test_short_distance_is_smaller_than_long():
    long_ = plots.liquidation_distance(static=True, side="long", maintenance_margin_rate=0.01)
    short = plots.liquidation_distance(static=True, side="short", maintenance_margin_rate=0.01)
    yl = np.asarray(long_.artists["distance"].get_ydata())
    ys = np.asarray(short.artists["distance"].get_ydata())
    ok = ~np.isnan(yl) & (yl > 0)
    assert np.all(ys[ok] < yl[ok])


def test_defaults_are_the_articles_setting():
    p = plots.liquidation_distance(static=True)
    assert p.max_leverage == pytest.approx(20.0)                   # 1 / 5 %
    assert p.marker_distance == pytest.approx(100 * (0.1 - 0.05) / 0.95)   # 5.26 %, not 10 %
    assert "long, m = 5.00 %" in p.artists["legend_text"].get_text()
    w = widgets.liquidation_distance_widget()
    assert w.controls["maintenance_margin_rate"].value == pytest.approx(0.05)
    assert w.controls["leverage"].step <= 0.01               # an exercise may ask for 3.29×
    w.controls["leverage"].value = 3.29
    assert w.plot.params["leverage"] == pytest.approx(3.29)


def legend_agrees_with(p, side, m, fee):
    text = p.artists["legend_text"].get_text()
    assert text == f"{side}, m = {100 * m:.2f} %, fee = {100 * fee:.3f} %"
    assert p.artists["legend_line"].get_color() == plots.COLORS[side]
    assert p.artists["distance"].get_color() == plots.COLORS[side]


def test_out_of_range_leverage_is_drawn_and_flagged_not_refused():
    w = widgets.liquidation_distance_widget(maintenance_margin_rate=0.05, leverage=10)
    p = w.plot
    w.controls["leverage"].value = 25  # 1/25 = 4 % < 5 %: cannot be opened
    assert p.out_of_range and np.isnan(p.marker_distance)
    msg = w.message.value
    assert "⚠" in msg and "liquidated as soon as it opens" in msg and "Traceback" not in msg
    # the words on screen and the numbers: which limit, how to get back
    assert "leverage" in msg and "maintenance rate m" in msg and "20.00×" in msg
    assert "4.00 %" in msg and "5.00 %" in msg
    for internal in ("other_maintenance", "other_unrealized_pnl", "maintenance_margin_rate",
                     "taker_fee_rate", "add margin"):
        assert internal not in msg
    assert "out of range" in p.artists["label"].get_text()
    assert len(p.artists["marker"].get_xdata()) == 0
    assert p.artists["beyond"].get_x() == pytest.approx(20.0)
    assert p.artists["beyond"].get_width() == pytest.approx(30.0)
    # the figure keeps following every control that is still valid
    for side, m, fee in [("short", 0.05, 0.0), ("short", 0.045, 0.001), ("long", 0.06, 0.002)]:
        w.controls["side"].value = side
        w.controls["maintenance_margin_rate"].value = m
        w.controls["taker_fee_rate"].value = fee
        assert p.out_of_range
        legend_agrees_with(p, side, m, fee)
        x = np.asarray(p.artists["distance"].get_xdata())
        y = np.asarray(p.artists["distance"].get_ydata(), float)
        ok = ~np.isnan(y)
        assert ok.any() and np.array_equal(ok, 1 / x > m + fee)
        assert np.allclose(y[ok], distance_by_hand(side, x[ok], m, fee))
        assert p.artists["limit"].get_xdata()[0] == pytest.approx(1 / (m + fee))
        assert "taker fee" in w.message.value if fee else True
    # back in range: the marker and the caption return
    w.controls["leverage"].value = 12
    assert not p.out_of_range and "⚠" not in w.message.value
    assert p.marker_distance == pytest.approx(float(distance_by_hand("long", 12, 0.06, 0.002)))
    assert p.artists["beyond"].get_x() == pytest.approx(1 / 0.062)


def test_distance_widget_fee_pushes_out_of_range():
    w = widgets.liquidation_distance_widget(maintenance_margin_rate=0.0495, leverage=20,
                                            taker_fee_rate=0)
    assert "⚠" not in w.message.value
    w.controls["taker_fee_rate"].value = 0.001  # 4.95 % + 0.1 % > 1/20
    assert "⚠" in w.message.value and "20×" in w.message.value
    assert "taker fee" in w.message.value
    # how to get back, with the numbers: each control alone
    assert "19.80×" in w.message.value and "4.90 %" in w.message.value
    assert "taker fee below 0.05 %" in w.message.value
    legend_agrees_with(w.plot, "long", 0.0495, 0.001)


def test_a_limit_beyond_the_axis_is_not_drawn():
    p = plots.liquidation_distance(static=True, maintenance_margin_rate=0.0, leverage=40)
    assert np.isnan(p.artists["limit"].get_xdata()[0]) and not p.out_of_range
    assert p.artists["beyond"].get_width() == 0


def test_path_lines_follow_adjust_margin():
    p = plots.liquidation_path(static=True)
    size = position_size(margin=100, leverage=10, entry_price=2.5)
    for added in (0.0, 50.0, 120.0):
        p.set(added_margin=added)
        adj = adjust_margin("long", entry_price=2.5, size=size, margin=100, amount=added,
                            maintenance_margin_rate=0.05)
        assert p.artists["liquidation"].get_ydata()[0] == pytest.approx(adj.liquidation_price)
        assert p.artists["bankruptcy"].get_ydata()[0] == pytest.approx(adj.bankruptcy_price)
        path = np.asarray(p.artists["path"].get_ydata())
        below = np.flatnonzero(path < adj.liquidation_price)    # strictly beyond the line
        if below.size:
            assert p.hit_index == below[0]
            assert list(p.artists["hit"].get_xdata()) == [below[0]]
        else:
            assert p.hit_index is None and len(p.artists["hit"].get_xdata()) == 0


def test_default_path_is_liquidated_without_added_margin_and_saved_by_enough():
    p = plots.liquidation_path(static=True)
    path = np.asarray(p.artists["path"].get_ydata())
    assert path[0] == 2.5 and path[-1] > 2.5 and -0.13 < path.min() / 2.5 - 1 < -0.09
    assert p.hit_index is not None
    path = np.asarray(p.artists["path"].get_ydata())
    # margin making the liquidation price equal to the path's low: M = q·(E − low·(1 − m))
    need = 400 * (2.5 - path.min() * 0.95) - 100
    p.set(added_margin=need + 1)
    assert p.hit_index is None
    p.set(added_margin=need - 1)
    assert p.hit_index is not None
    assert p.outcome.returned == pytest.approx(
        liquidation_outcome("long", entry_price=2.5, size=400, margin=100 + need - 1,
                            maintenance_margin_rate=0.05, liquidation_fee_rate=0.015).returned)


def test_path_short_side_and_seed_change():
    p = plots.liquidation_path(static=True, side="short", rng=3)
    path = np.asarray(p.artists["path"].get_ydata())
    assert np.array_equal(path, demo_price_path(entry_price=2.5, hours=240, volatility=1.2, rng=3))
    liq = p.adjustment.liquidation_price
    above = np.flatnonzero(path > liq)
    assert p.hit_index == (above[0] if above.size else None)
    p.set(rng=4)
    assert not np.array_equal(np.asarray(p.artists["path"].get_ydata()), path)


def test_path_widget_moves_lines_and_reports_outcome():
    w = widgets.liquidation_path_widget()
    liq = w.plot.artists["liquidation"]
    w.controls["added_margin"].value = 100
    assert liq.get_ydata()[0] == pytest.approx((2.5 - 200 / 400) / 0.95)
    assert "never reaches" in w.message.value
    w.controls["added_margin"].value = 0
    assert "Liquidated at hour" in w.message.value


def test_demo_path_comes_from_paths_with_annualised_volatility():
    a = demo_price_path(hours=10, rng=7)
    assert np.array_equal(a, demo_price_path(hours=10, rng=7))
    assert a[0] == 2.5 and a.shape == (11,)
    model = price_model(initial_prices=2.5, volatility=1.2, step_hours=1.0)
    assert np.array_equal(a, price_paths(model, n_steps=10, n_paths=1, rng=7)[:, 0, 0])
    assert np.all(demo_price_path(hours=5, volatility=0.0) == 2.5)
    with pytest.raises(ValueError, match="n_steps"):
        demo_price_path(hours=0)
    with pytest.raises(ValueError, match="volatility"):
        demo_price_path(hours=10, volatility=-0.1)


def test_margin_lost_matches_compare_venues():
    p = plots.margin_lost_at_liquidation(static=True, leverages=[2, 10, 40])
    for key in VENUES:
        y = np.asarray(p.artists[key].get_ydata(), float)
        for lev, share in zip([2, 10, 40], y):
            (row,) = compare_venues("long", entry_price=100.0, margin=100.0, leverage=lev,
                                    venues=[key])
            if row.allowed:
                assert share == pytest.approx(100 * row.distance * lev)
                assert share == 100 * row.margin_lost_share  # the plot draws the field
                assert plots.liquidation.lost_share("long", lev, key) == row.margin_lost_share
            else:
                assert np.isnan(share) and row.margin_lost_share is None
    # a flat-rate mark venue: (1 − m·L)/(1 − m)
    y = p.artists["dydx_v4_small_cap"].get_ydata()
    assert y[1] == pytest.approx(100 * (1 - 0.05 * 10) / 0.95)


def test_venue_table_lists_every_quote_and_reasons():
    quotes = compare_venues("long", entry_price=100.0, margin=100.0, leverage=20)
    html = widgets.venue_table_html(quotes)
    assert html.count("<tr>") == len(quotes) + 1
    refused = [q for q in quotes if not q.allowed]
    assert refused and all(q.reason.split("'")[0][:20] in html for q in refused)
