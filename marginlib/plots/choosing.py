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

from . import style as _style
from ._base import LivePlot

__all__ = ["MAINTENANCE_MARGIN_RATE", "LEVERAGE", "HORIZON_DAYS", "ARTICLE_BAND",
           "LiquidationHeatmapPlot", "liquidation_heatmap", "probability_at"]

#: The course's DeFAI setting: maintenance 5 % (so at most 20×).
MAINTENANCE_MARGIN_RATE = 0.05
#: Leverage axis (rows) and horizon axis in days (columns, log-spaced from 1 hour to 90 days).
LEVERAGE = np.linspace(1.0, 19.0, 181)
HORIZON_DAYS = np.geomspace(1 / 24, 90.0, 160)
#: The article's "conservative" leverage range.
ARTICLE_BAND = (5.0, 7.0)


def _extent():
    """imshow extent: log10(days) on x (the horizons are log-spaced), leverage on y."""
    x = np.log10(HORIZON_DAYS)
    dx, dy = x[1] - x[0], LEVERAGE[1] - LEVERAGE[0]
    return (x[0] - dx / 2, x[-1] + dx / 2, LEVERAGE[0] - dy / 2, LEVERAGE[-1] + dy / 2)


#: Colour map: cividis (readable with every colour-vision deficiency), reversed so that a
#: likely liquidation is dark.
CMAP = "cividis_r"


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

    Artists: ``"image"`` (an ``imshow`` of the grid: rows = :data:`LEVERAGE`, columns =
    :data:`HORIZON_DAYS`, x in ``log10(days)``), ``"safe"`` (the line: largest leverage with
    P <= target at each horizon, x in ``log10(days)``), ``"title"``. After :meth:`update`: ``grid`` (the
    probabilities), ``safe_leverage`` (the line's values), ``week_leverage`` (the largest
    leverage meeting the target over 7 days) and ``article`` (P at 5× and 7×, rows, over 7
    and 30 days, columns).
    """

    figsize = (7.4, 4.4)

    def draw(self, volatility=0.9, drift=0.0, target=0.05):
        ax = self.ax
        liq = liquidation_price("long", entry_price=1.0, size=LEVERAGE[:, None], margin=1.0,
                                maintenance_margin_rate=MAINTENANCE_MARGIN_RATE)
        self._liq = liq
        image = ax.imshow(np.zeros((LEVERAGE.size, HORIZON_DAYS.size)), origin="lower",
                          extent=_extent(), aspect="auto", cmap=CMAP, vmin=0.0, vmax=1.0,
                          interpolation="nearest", interpolation_stage="data", zorder=0.6)
        # "data": the same pixels as "rgba" for nearest sampling, in less than half the time
        # (5 vs 12 ms a frame); zorder 0.6, above the axes' ticks (0.5, set_axisbelow): no grid
        # and outward ticks, so the same picture, but a live update no longer repaints the
        # tick labels with the image (widgets._base.FastRedraw repaints from the lowest
        # changed artist up)
        self.artists["image"] = image
        ticks = {"1 h": 1 / 24, "1 d": 1.0, "7 d": 7.0, "30 d": 30.0, "90 d": 90.0}
        ax.set_xticks(np.log10(list(ticks.values())), list(ticks))
        ax.set_xlabel("horizon (log scale)")
        ax.set_ylabel("leverage of a long (×)")
        ax.axhspan(*ARTICLE_BAND, facecolor="none", edgecolor=_style.NEUTRALS["dark grey"],
                   hatch="//", lw=1.0, label='the article\'s "conservative" 5–7×')
        (self.artists["safe"],) = ax.plot(np.log10(HORIZON_DAYS), np.ones_like(HORIZON_DAYS),
                                          lw=2.4, label="largest leverage with P ≤ target",
                                          **_style.line("liquidation"))
        ax.legend(loc="upper right")
        # a colour bar drawn as an image (a colorbar's mesh would hold non-palette colours)
        cax = ax.inset_axes([1.03, 0.0, 0.035, 1.0])
        cax.imshow(np.linspace(0.0, 1.0, 256)[:, None], origin="lower", aspect="auto",
                   cmap=CMAP, extent=(0.0, 1.0, 0.0, 1.0))
        cax.set_xticks([])
        cax.yaxis.tick_right()
        cax.yaxis.set_label_position("right")
        cax.set_ylabel("P(liquidation within the horizon)")
        self.artists["title"] = ax.set_title("", fontsize=_style.FONT["note"] + 1)
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
        self.artists["image"].set_data(grid)
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
