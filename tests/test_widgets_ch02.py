"""Notebook 02's live figures, driven from code (these probes used to sit in the notebook).

The distance figure draws ml.liquidation_price point by point, follows every valid control and
says what is out of range; the path figure's lines move with the added margin, and enough
margin keeps the default path alive.
"""
import numpy as np
import pytest

pytest.importorskip("ipywidgets")
import matplotlib  # noqa: E402

matplotlib.use("Agg")

import marginlib as ml  # noqa: E402
from marginlib import widgets  # noqa: E402


def test_distance_widget_default_shows_the_lesson():
    w = widgets.liquidation_distance_widget()
    assert w.plot.marker_distance == pytest.approx(100 * (0.1 - 0.05) / 0.95)
    assert round(w.plot.marker_distance, 2) == 5.26 and not w.plot.out_of_range


@pytest.mark.parametrize("side", ["long", "short"])
def test_distance_curve_is_the_library(side):
    w = widgets.liquidation_distance_widget()
    c = w.controls
    c["side"].value = side
    c["maintenance_margin_rate"].value = 0.03
    c["taker_fee_rate"].value = 0.0005
    line = w.plot.artists["distance"]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    ok = ~np.isnan(y)
    price = ml.liquidation_price(side, entry_price=100.0, size=x[ok], margin=100.0,
                                 maintenance_margin_rate=0.03, taker_fee_rate=0.0005)
    assert np.allclose(y[ok], np.abs(price - 100.0))
    assert not ok[x >= 1 / 0.0305].any()


def test_distance_out_of_range_follows_the_controls():
    w = widgets.liquidation_distance_widget()
    c = w.controls
    c["side"].value = "short"
    c["leverage"].value = 25                 # above 1/m = 20x
    assert w.plot.out_of_range and "⚠" in w.message.value
    assert "20.00×" in w.message.value
    y = np.asarray(w.plot.artists["distance"].get_ydata())
    assert np.isfinite(y).any()              # the curve still follows side and rate
    c["leverage"].value = 10
    assert not w.plot.out_of_range
    assert w.plot.marker_distance == pytest.approx(100 * (0.1 - 0.05) / 1.05)


def test_path_lines_move_with_added_margin_and_enough_margin_saves_the_path():
    w = widgets.liquidation_path_widget()
    plot, c = w.plot, w.controls
    assert plot.hit_index is not None               # the default path liquidates
    low = plot.path.min()
    for amount in (0.0, 50.0, 100.0):
        c["added_margin"].value = amount
        adj = ml.adjust_margin("long", entry_price=2.5, size=400.0, margin=100.0,
                               amount=amount, maintenance_margin_rate=0.05)
        assert plot.artists["liquidation"].get_ydata()[0] == pytest.approx(adj.liquidation_price)
        assert plot.artists["bankruptcy"].get_ydata()[0] == pytest.approx(adj.bankruptcy_price)
        assert (plot.hit_index is None) == (low >= adj.liquidation_price)
    # the smallest margin that saves the path, by hand: (E − (M + a)/q)/(1 − m) = low
    needed = 400.0 * (2.5 - low * 0.95) - 100.0
    c["added_margin"].value = float(np.ceil(needed / 5) * 5)
    assert plot.hit_index is None
    c["added_margin"].value = float(np.floor(needed / 5) * 5)
    assert plot.hit_index is not None
