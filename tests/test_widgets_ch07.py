"""Notebook 07's live figure driven as a learner drives it: each control moves the heatmap, the
target line and the caption to the numbers of marginlib (probabilities recomputed here by the
reflection-principle formula written out with math.erfc)."""
import math

import numpy as np
import pytest

from marginlib import widgets
from marginlib.plots import choosing as pch


def by_hand(leverage, days, sigma, mu=0.0):
    phi = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))  # noqa: E731
    b = math.log((1 - 1 / leverage) / (1 - pch.MAINTENANCE_MARGIN_RATE))
    t, nu = days / 365, mu - sigma ** 2 / 2
    sd = sigma * math.sqrt(t)
    return phi((b - nu * t) / sd) + math.exp(2 * nu * b / sigma ** 2) * phi((b + nu * t) / sd)


def grid(w):
    return np.asarray(w.plot.artists["image"].get_array()).reshape(pch.LEVERAGE.size,
                                                                   pch.HORIZON_DAYS.size).copy()


def test_starts_at_the_lesson_and_the_caption_gives_the_article_numbers():
    w = widgets.liquidation_heatmap_widget()
    c = w.controls
    assert (c["volatility"].value, c["drift"].value, c["target"].value) == (0.9, 0.0, 0.05)
    assert all(not x.continuous_update for x in c.values())
    msg = w.message.value
    assert f"<b>{100 * by_hand(5.0, 7.0, 0.9):.1f} %</b>" in msg
    assert f"<b>{100 * by_hand(7.0, 7.0, 0.9):.1f} %</b>" in msg
    assert f"<b>{w.plot.week_leverage:.2f}×</b>" in msg


def test_every_control_moves_the_figure():
    w = widgets.liquidation_heatmap_widget()
    g0, line0 = grid(w), w.plot.artists["safe"].get_ydata().copy()
    w.controls["volatility"].value = 1.5
    g1 = grid(w)
    assert np.all(g1 >= g0) and np.any(g1 > g0)
    assert g1[80, 100] == pytest.approx(by_hand(pch.LEVERAGE[80], pch.HORIZON_DAYS[100], 1.5),
                                        rel=1e-10)
    assert "σ = 150 %" in w.message.value
    w.controls["drift"].value = -1.0
    g2 = grid(w)
    assert np.all(g2 >= g1) and np.any(g2 > g1)
    assert g2[80, 100] == pytest.approx(
        by_hand(pch.LEVERAGE[80], pch.HORIZON_DAYS[100], 1.5, -1.0), rel=1e-10)
    line2 = w.plot.artists["safe"].get_ydata().copy()
    assert np.all(line2 <= line0)
    w.controls["target"].value = 0.2
    line3 = w.plot.artists["safe"].get_ydata()
    assert np.all(line3 > line2) and np.array_equal(grid(w), g2)
    j = 60
    assert by_hand(line3[j], pch.HORIZON_DAYS[j], 1.5, -1.0) == pytest.approx(0.2, rel=1e-7)
    assert "at most 20 %" in w.message.value and "⚠" not in w.message.value


def test_the_extremes_of_every_slider_draw_without_a_message():
    w = widgets.liquidation_heatmap_widget()
    for name in ("volatility", "drift", "target"):
        for value in (w.controls[name].min, w.controls[name].max):
            w.controls[name].value = value
            assert "⚠" not in w.message.value, (name, value, w.message.value)
            assert np.all((grid(w) >= 0) & (grid(w) <= 1))
