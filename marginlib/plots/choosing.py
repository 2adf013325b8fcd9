"""Plot for notebook 07 (choosing leverage): it draws :mod:`marginlib.sim.probability`.

* :func:`liquidation_heatmap` -- P(liquidation within the horizon) of a long opened now, over
  leverage (rows) × horizon (columns, 1 hour to 90 days, log scale), for a volatility and a
  drift: one :func:`~marginlib.sim.probability.liquidation_probability` call on the whole grid,
  the leverage axis through :func:`marginlib.liquidation.liquidation_price` (maintenance
  included). A line marks the largest leverage whose probability stays under a target at each
  horizon (:func:`marginlib.choosing.max_leverage_for_probability`); a band marks the article's
  "conservative" 5–7×.

>>> p = liquidation_heatmap(static=True)
>>> p.grid.shape == (LEVERAGE.size, HORIZON_DAYS.size)
True
"""
from __future__ import annotations

import numpy as np

from marginlib.choosing import max_leverage_for_probability
from marginlib.liquidation import liquidation_price
from marginlib.sim.probability import liquidation_probability

from ._base import COLORS, LivePlot

__all__ = ["MAINTENANCE_MARGIN_RATE", "LEVERAGE", "HORIZON_DAYS", "ARTICLE_BAND",
           "LiquidationHeatmapPlot", "liquidation_heatmap", "probability_at"]

#: The course's DeFAI setting: maintenance 5 % (so at most 20×).
MAINTENANCE_MARGIN_RATE = 0.05
#: Leverage axis (rows) and horizon axis in days (columns, log-spaced from 1 hour to 90 days).
LEVERAGE = np.linspace(1.0, 19.0, 181)
HORIZON_DAYS = np.geomspace(1 / 24, 90.0, 160)
#: The article's "conservative" leverage range.
ARTICLE_BAND = (5.0, 7.0)


def _edges(centres, log=False):
    x = np.log(centres) if log else centres
    mid = 0.5 * (x[1:] + x[:-1])
    edges = np.concatenate([[2 * x[0] - mid[0]], mid, [2 * x[-1] - mid[-1]]])
    return np.exp(edges) if log else edges


def probability_at(leverage, days, *, volatility, drift=0.0,
                   maintenance_margin_rate=MAINTENANCE_MARGIN_RATE):
    """P(a long opened now at ``leverage`` is liquidated within ``days``); arrays broadcast."""
    liq = liquidation_price("long", entry_price=1.0, size=leverage, margin=1.0,
                            maintenance_margin_rate=maintenance_margin_rate)
    return liquidation_probability("long", price=1.0, liquidation_price=liq,
                                   volatility=volatility, horizon_years=np.asarray(days) / 365,
                                   drift=drift)


class LiquidationHeatmapPlot(LivePlot):
    """P(liquidation) over leverage × horizon, with the target's largest leverage.

    Artists: ``"mesh"`` (the QuadMesh; its array is the grid, rows = :data:`LEVERAGE`,
    columns = :data:`HORIZON_DAYS`), ``"safe"`` (the line: largest leverage with
    P <= target at each horizon), ``"title"``. After :meth:`update`: ``grid`` (the
    probabilities), ``safe_leverage`` (the line's values), ``week_leverage`` (the largest
    leverage meeting the target over 7 days) and ``article`` (P at 5× and 7×, rows, over 7
    and 30 days, columns).
    """

    figsize = (7.4, 4.2)

    def draw(self, volatility=0.9, drift=0.0, target=0.05):
        ax = self.ax
        liq = liquidation_price("long", entry_price=1.0, size=LEVERAGE[:, None], margin=1.0,
                                maintenance_margin_rate=MAINTENANCE_MARGIN_RATE)
        self._liq = liq
        mesh = ax.pcolormesh(_edges(HORIZON_DAYS, log=True), _edges(LEVERAGE),
                             np.zeros((LEVERAGE.size, HORIZON_DAYS.size)), cmap="magma_r",
                             vmin=0.0, vmax=1.0, shading="flat")
        self.artists["mesh"] = mesh
        ax.set_xscale("log")
        ax.set_xlim(HORIZON_DAYS[0], HORIZON_DAYS[-1])
        ax.set_ylim(LEVERAGE[0], LEVERAGE[-1])
        ax.set_xticks([1 / 24, 1, 7, 30, 90], ["1 h", "1 d", "7 d", "30 d", "90 d"])
        ax.set_xlabel("horizon")
        ax.set_ylabel("leverage of a long opened now (×)")
        ax.axhspan(*ARTICLE_BAND, facecolor="none", edgecolor="#2ca02c", hatch="//", lw=0.8,
                   label='the article\'s "conservative" 5–7×')
        (self.artists["safe"],) = ax.plot(HORIZON_DAYS, np.ones_like(HORIZON_DAYS),
                                          color=COLORS["long"], lw=2.2,
                                          label="largest leverage with P ≤ target")
        ax.legend(fontsize=7, loc="upper right", framealpha=0.9)
        self.fig.colorbar(mesh, ax=ax, label="P(liquidation within the horizon)")
        self.artists["title"] = ax.set_title("", fontsize=9)
        self.update(volatility, drift, target)

    def update(self, volatility=0.9, drift=0.0, target=0.05):
        grid = liquidation_probability("long", price=1.0, liquidation_price=self._liq,
                                       volatility=float(volatility),
                                       horizon_years=HORIZON_DAYS[None, :] / 365,
                                       drift=float(drift))
        safe = max_leverage_for_probability("long", target_probability=float(target),
                                            volatility=float(volatility),
                                            horizon_years=HORIZON_DAYS / 365, drift=float(drift),
                                            maintenance_margin_rate=MAINTENANCE_MARGIN_RATE)
        self.artists["mesh"].set_array(grid)
        self.artists["safe"].set_ydata(safe)
        self.artists["title"].set_text(
            f"σ = {100 * volatility:.0f} %/yr, drift {100 * drift:+.0f} %/yr, maintenance "
            f"{100 * MAINTENANCE_MARGIN_RATE:g} %; line: P ≤ {100 * target:g} %")
        self.grid, self.safe_leverage = grid, safe
        self.week_leverage = max_leverage_for_probability(
            "long", target_probability=float(target), volatility=float(volatility),
            horizon_years=7 / 365, drift=float(drift),
            maintenance_margin_rate=MAINTENANCE_MARGIN_RATE)
        self.article = probability_at(np.array(ARTICLE_BAND)[:, None], [7.0, 30.0],
                                      volatility=float(volatility), drift=float(drift))


def liquidation_heatmap(ax=None, *, static=False, volatility=0.9, drift=0.0, target=0.05):
    """The live heatmap of P(liquidation); see :class:`LiquidationHeatmapPlot`.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    static : bool, optional
        Draw on an Agg figure outside pyplot (tests, PNG).
    volatility : float
        Annualised ``σ`` (> 0).
    drift : float
        Annualised drift ``μ``.
    target : float
        Target probability of the line, in (0, 1).

    Returns
    -------
    LiquidationHeatmapPlot
    """
    return LiquidationHeatmapPlot(ax, static=static, volatility=volatility, drift=drift,
                                  target=target)
