"""Plot and widget of notebook 06 (liquidation cascades): the artists hold the cascade's numbers
(marginlib.sim.cascade is tested in test_cascade.py), update in place, and every control of the
widget changes the figure's data."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from marginlib import plots, widgets  # noqa: E402
from marginlib.plots import cascade as pc  # noqa: E402
from marginlib.sim.cascade import cascade  # noqa: E402

N = 5_000  # a small population keeps the tests fast; the notebook uses pc.N_POSITIONS


def run(pop, **kw):
    setting = dict(price=pc.PRICE, shock=-0.10, depth=100_000.0, correlation=0.5,
                   maintenance_margin_rate=pc.MAINTENANCE_MARGIN_RATE, within=pc.WITHIN)
    setting.update(kw)
    return cascade(pop, **setting)


def data(plot):
    return {name: np.column_stack(artist.get_data()).copy()
            for name, artist in plot.artists.items() if name.startswith(("price_", "notional_"))}


def test_the_artists_hold_both_cascades():
    p = plots.cascade_rounds(static=True, n_positions=N)
    pop = pc.population(0.5, "independent", n_positions=N)
    shared, isolated = run(pop), run(pop.isolated())
    for name, out in (("shared", shared), ("isolated", isolated)):
        x, y = p.artists[f"price_{name}_A"].get_data()
        assert list(x) == list(range(out.rounds + 1))
        assert np.allclose(y, out.price[:, 0])
        assert np.allclose(p.artists[f"price_{name}_B"].get_ydata(), out.price[:, 1])
        cum = p.artists[f"notional_{name}"].get_ydata()
        assert cum[0] == 0 and cum[-1] == pytest.approx(out.total_liquidated_notional)
    assert p.shared.amplification == pytest.approx(shared.amplification)
    assert p.artists["shock"].get_ydata()[0] == pytest.approx(pc.PRICE * 0.90)
    assert "amplification" in p.artists["title"].get_text()


def test_update_in_place_keeps_the_artists():
    p = plots.cascade_rounds(static=True, n_positions=N)
    before = {k: id(v) for k, v in p.artists.items()}
    n_lines = [len(ax.lines) for ax in p.ax]
    p.set(shock=-0.20, depth=50_000.0)
    assert {k: id(v) for k, v in p.artists.items()} == before
    assert [len(ax.lines) for ax in p.ax] == n_lines
    assert p.shared.shocked_price[0] == pytest.approx(pc.PRICE * 0.80)


def test_populations_same_direction_and_hedged():
    drawn = pc.population(1.0, "independent", n_positions=N)
    same = pc.population(1.0, "same direction", n_positions=N)
    hedged = pc.population(1.0, "hedged", n_positions=N)
    both = (same.sign != 0).all(axis=1)
    assert both.sum() == N // 2
    assert np.all(same.sign[both, 0] == same.sign[both, 1])
    assert np.all(hedged.sign[both, 0] == -hedged.sign[both, 1])
    for pop in (same, hedged):
        assert np.array_equal(pop.sign[:, 0], drawn.sign[:, 0])
        assert np.array_equal(pop.margin, drawn.margin)
    with pytest.raises(ValueError, match="cross_traders"):
        pc.population(0.5, "sideways", n_positions=N)


def test_population_cache_is_one_draw_however_called():
    """Memory: the notebook calls population(0.5, "independent") positionally, the widget by
    keyword; both get the one cached population, and the other kinds share its tables."""
    drawn = pc.population(0.5, "independent", n_positions=N)
    assert pc.population(cross_share=0.5, cross_traders="independent", n_positions=N) is drawn
    assert pc.population(0.5, n_positions=N, rng=pc.SEED) is drawn
    hedged = pc.population(0.5, "hedged", n_positions=N)
    assert hedged.size is drawn.size and hedged.margin is drawn.margin
    assert hedged.sign is not drawn.sign


def test_without_cross_accounts_both_modes_agree():
    p = plots.cascade_rounds(static=True, n_positions=N, cross_share=0.0)
    assert p.shared.total_liquidated_notional == p.isolated.total_liquidated_notional
    assert np.array_equal(p.shared.final_price, p.isolated.final_price)


def test_only_cross_accounts_carry_the_shock_to_b():
    p = plots.cascade_rounds(static=True, n_positions=N, correlation=0.0, shock=-0.20,
                             depth=25_000.0, cross_share=1.0)
    assert p.isolated.final_move[1] == 0.0 and p.shared.final_move[1] < 0.0


CONTROL_VALUES = {"shock": -0.25, "depth": 25_000.0, "cross_share": 1.0, "correlation": 0.0,
                  "cross_traders": "hedged"}


def test_widget_every_control_changes_the_figure_data():
    w = widgets.cascade_widget(n_positions=N)
    assert set(w.controls) == set(CONTROL_VALUES)
    assert all(c.continuous_update is False for k, c in w.controls.items()
               if k != "cross_traders")
    assert "Shared margin" in w.message.value
    for name, value in CONTROL_VALUES.items():
        before, message = data(w.plot), w.message.value
        w.controls[name].value = value
        after = data(w.plot)
        changed = any(before[k].shape != after[k].shape or not np.allclose(before[k], after[k])
                      for k in before)
        assert changed, f"{name} did not change the figure's data"
        assert w.message.value != message and "⚠" not in w.message.value
        assert w.plot.params[name] == value


def test_widget_caption_follows_the_numbers():
    w = widgets.cascade_widget(n_positions=N)
    s, i = w.plot.shared, w.plot.isolated
    assert f"{s.total_liquidated_notional:,.0f} USDC" in w.message.value
    assert f"{i.amplification:.3f}×" in w.message.value


def test_widget_shows_a_plain_message_on_an_invalid_state_and_keeps_the_figure():
    w = widgets.cascade_widget(n_positions=N)
    before = data(w.plot)
    w.fixed["n_positions"] = 0   # not reachable from the controls: the message path
    assert not w.refresh()
    assert "⚠" in w.message.value and "Traceback" not in w.message.value
    after = data(w.plot)
    assert all(np.array_equal(before[k], after[k]) for k in before)
    w.fixed["n_positions"] = N
    w.controls["shock"].value = -0.05
    assert "⚠" not in w.message.value
