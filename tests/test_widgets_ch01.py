"""Notebook 01's live figure (equity against the price), driven as the lecture asks the learner.

These probes were cells of the notebook; they live here so the lecture shows only code that
teaches. Each follows a sentence of notebook 01: the default shows the lesson, the "Try" list
does what the prose says, and the exercises' answers can be reached with the controls.
"""
import html
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from marginlib import widgets
from marginlib.liquidation import bankruptcy_price, liquidation_price, maintenance_margin
from marginlib.position import position_size, unrealized_pnl

E, M = 2.50, 100.0


@pytest.fixture
def equity():
    before = plt.get_fignums()
    w = widgets.equity_widget()
    yield w
    for num in set(plt.get_fignums()) - set(before):
        plt.close(num)


def _expected(leverage, side, rate):
    size = position_size(margin=M, leverage=leverage, entry_price=E)
    liq = liquidation_price(side, entry_price=E, size=size, margin=M,
                            maintenance_margin_rate=rate)
    bk = bankruptcy_price(side, entry_price=E, size=size, margin=M)
    return size, liq, bk


def _drawn(w):
    (x,), (y,) = w.plot.artists["liquidation"].get_data()
    return x, y, w.plot.artists["bankruptcy"].get_xdata()[0]


def _set(w, **values):
    for name, value in values.items():
        w.controls[name].value = value


def test_default_is_the_articles_trade_with_ring_and_cross_apart(equity):
    x, y, bk = _drawn(equity)
    size, liq, bk_expected = _expected(10, "long", 0.05)
    assert (equity.controls["leverage"].value, equity.controls["side"].value,
            equity.controls["maintenance_margin_rate"].value) == (10, "long", 0.05)
    assert x == pytest.approx(liq) and round(x, 4) == 2.3684 and bk == pytest.approx(2.25)
    assert y == pytest.approx(maintenance_margin(size=size, price=liq,
                                                 maintenance_margin_rate=0.05))
    # the ring and the cross are far apart on the price axis (a tenth of a USDC and more)
    assert x - bk > 0.1 and "2.3684" in equity.message.value and "2.2500" in equity.message.value


@pytest.mark.parametrize("leverage, side, rate", [
    (15, "long", 0.05), (2, "long", 0.05), (10, "long", 0.0), (10, "long", 0.09),
    (10, "short", 0.05), (20, "short", 0.01),
])
def test_the_try_list_follows_marginlib_in_place(equity, leverage, side, rate):
    line = equity.plot.artists["equity"]
    figures = plt.get_fignums()
    _set(equity, leverage=leverage, side=side, maintenance_margin_rate=rate)
    size, liq, bk = _expected(leverage, side, rate)
    x, _, bk_drawn = _drawn(equity)
    assert x == pytest.approx(liq) and bk_drawn == pytest.approx(bk)
    prices, eq = line.get_data()
    np.testing.assert_allclose(eq, M + unrealized_pnl(side, size=size, entry_price=E,
                                                      mark_price=prices))
    assert "⚠" not in equity.message.value
    assert equity.plot.artists["equity"] is line and plt.get_fignums() == figures


def test_at_zero_maintenance_the_ring_sits_on_the_cross(equity):
    _set(equity, maintenance_margin_rate=0.0)
    x, y, bk = _drawn(equity)
    assert x == pytest.approx(bk) and y == pytest.approx(0.0, abs=1e-9)


def test_the_ring_moves_toward_the_entry_as_the_rate_rises(equity):
    xs = []
    for rate in (0.0, 0.025, 0.05, 0.075, 0.09):
        _set(equity, maintenance_margin_rate=rate)
        xs.append(_drawn(equity)[0])
    assert np.all(np.diff(xs) > 0) and xs[-1] < E


def test_short_mirrors(equity):
    _set(equity, side="short")
    x, _, bk = _drawn(equity)
    assert x > E and bk == pytest.approx(2.75)


def test_25x_cannot_be_opened_and_the_message_uses_the_words_on_screen(equity):
    last = _drawn(equity)
    _set(equity, leverage=25)
    msg = html.unescape(re.sub(r"<[^>]+>", "", equity.message.value))
    assert "liquidated immediately" in msg
    assert "leverage" in msg and "maintenance rate" in msg                 # the slider labels
    assert "20.00×" in msg and "4.00 %" in msg and "5.00 %" in msg          # limit, way back
    for internal in ("other_maintenance", "other_unrealized_pnl", "maintenance_margin_rate",
                     "add margin"):
        assert internal not in msg
    assert np.isnan(_drawn(equity)[0])                  # no liquidation marker at 25x ...
    assert equity.plot.summary["size"] == pytest.approx(25 * 100 / 2.5)   # ... lines follow
    _set(equity, leverage=10)                                               # the way back
    assert "⚠" not in equity.message.value and _drawn(equity)[0] == pytest.approx(last[0])


def test_exercise_1_is_reachable_with_the_rate_slider(equity):
    _set(equity, maintenance_margin_rate=0.005)
    assert equity.controls["maintenance_margin_rate"].value == pytest.approx(0.005)
    _, liq, _ = _expected(10, "long", 0.005)
    assert _drawn(equity)[0] == pytest.approx(liq)


@pytest.mark.parametrize("leverage, survives", [(2.98, True), (2.99, False), (3.29, False),
                                                (3.33, False)])
def test_exercise_2b_is_readable_from_the_caption(equity, leverage, survives):
    """Leverage steps of 0.01 reach the answer; the caption's move tells 2.98× from 2.99×."""
    _set(equity, leverage=leverage)
    assert equity.controls["leverage"].value == pytest.approx(leverage)
    x = _drawn(equity)[0]
    assert (x <= 0.7 * E) is survives
    move = re.search(r"liquidation at [\d.]+ \(([−+]\d+\.\d) %\)", equity.message.value)
    assert move and (float(move.group(1).replace("−", "-")) <= -30.0) is survives


@pytest.mark.parametrize("leverage, survives", [(3.33, True), (3.34, False)])
def test_exercise_2a_is_readable_at_zero_maintenance(equity, leverage, survives):
    _set(equity, maintenance_margin_rate=0.0, leverage=leverage)
    assert (_drawn(equity)[2] <= 0.7 * E) is survives
