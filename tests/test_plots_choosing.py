"""Plot of notebook 07 (choosing leverage): the heatmap holds liquidation_probability's numbers
over the leverage × horizon grid (checked cell by cell against the reflection-principle formula
written out with math.erfc), the target line meets its target, and updates happen in place."""
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from marginlib import plots  # noqa: E402
from marginlib.plots import choosing as pch  # noqa: E402

M = pch.MAINTENANCE_MARGIN_RATE


def by_hand(leverage, days, sigma, mu=0.0):
    """A long opened now at 1: liquidation price (1 − 1/L)/(1 − m), then Shreve §7.3."""
    phi = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))  # noqa: E731
    b = math.log((1 - 1 / leverage) / (1 - M)) if leverage > 1 else -math.inf
    if b == -math.inf:
        return 0.0
    t, nu = days / 365, mu - sigma ** 2 / 2
    sd = sigma * math.sqrt(t)
    return phi((b - nu * t) / sd) + math.exp(2 * nu * b / sigma ** 2) * phi((b + nu * t) / sd)


def test_the_mesh_holds_the_probabilities():
    p = plots.liquidation_heatmap(static=True, volatility=0.9)
    grid = np.asarray(p.artists["image"].get_array()).reshape(pch.LEVERAGE.size,
                                                              pch.HORIZON_DAYS.size)
    for i, j in [(0, 0), (40, 80), (80, 100), (180, 159), (100, 0), (20, 159)]:
        want = by_hand(pch.LEVERAGE[i], pch.HORIZON_DAYS[j], 0.9)
        assert grid[i, j] == pytest.approx(want, rel=1e-10, abs=1e-300)
    assert np.all(np.diff(grid, axis=0) >= 0) and np.all(np.diff(grid, axis=1) >= 0)
    assert p.article[0, 0] == pytest.approx(by_hand(5.0, 7.0, 0.9), rel=1e-10)
    assert p.article[1, 1] == pytest.approx(by_hand(7.0, 30.0, 0.9), rel=1e-10)


def test_the_target_line_meets_the_target():
    p = plots.liquidation_heatmap(static=True, volatility=1.2, drift=-0.5, target=0.1)
    safe = p.artists["safe"].get_ydata()
    for j in (0, 50, 120, 159):
        assert by_hand(safe[j], pch.HORIZON_DAYS[j], 1.2, -0.5) == pytest.approx(0.1, rel=1e-7)
        assert by_hand(safe[j] * 1.001, pch.HORIZON_DAYS[j], 1.2, -0.5) > 0.1
    assert by_hand(p.week_leverage, 7.0, 1.2, -0.5) == pytest.approx(0.1, rel=1e-7)
    assert "σ = 120 %/yr" in p.artists["title"].get_text()


def test_update_in_place():
    p = plots.liquidation_heatmap(static=True)
    before = {k: id(v) for k, v in p.artists.items()}
    n = (len(p.ax.lines), len(p.ax.images), len(p.fig.axes))
    grid0 = p.grid.copy()
    p.set(volatility=1.8)
    assert {k: id(v) for k, v in p.artists.items()} == before
    assert (len(p.ax.lines), len(p.ax.images), len(p.fig.axes)) == n
    assert np.all(p.grid >= grid0) and np.any(p.grid > grid0)
    assert p.artists["image"].get_clim() == (0.0, 1.0)
    assert p.png()[:4] == b"\x89PNG"
