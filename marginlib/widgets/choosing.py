"""Widget for notebook 07 (choosing leverage).

* :func:`liquidation_heatmap_widget` -- volatility, drift and target sliders over
  :func:`marginlib.plots.choosing.liquidation_heatmap`; the caption gives the article's 5× and
  7× a week and a month, and the largest leverage meeting the target over a week.
  ``continuous_update=False``: each change recomputes 29,000 probabilities and the target line.
"""
from __future__ import annotations

from ..plots.choosing import liquidation_heatmap
from ._base import LiveFigure, slider

__all__ = ["liquidation_heatmap_widget"]


def _caption(plot, params):
    p = plot.article
    return (f"σ = {100 * params['volatility']:.0f} %: a 5× long is liquidated within a week with "
            f"probability <b>{100 * p[0, 0]:.1f} %</b> (a month: {100 * p[0, 1]:.1f} %); 7×: "
            f"<b>{100 * p[1, 0]:.1f} %</b> ({100 * p[1, 1]:.1f} %). The largest leverage with "
            f"at most {100 * params['target']:g} % over a week: "
            f"<b>{plot.week_leverage:.2f}×</b>.")


def liquidation_heatmap_widget(volatility=0.9, drift=0.0, target=0.05):
    """Live figure: P(liquidation) over leverage × horizon.

    Controls (keys of ``.controls``): ``"volatility"`` (10 % to 250 % a year), ``"drift"``
    (−200 % to +200 % a year), ``"target"`` (1 % to 50 %).

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.plot`` is the :class:`marginlib.plots.choosing.LiquidationHeatmapPlot`.
    """
    plot = liquidation_heatmap(volatility=volatility, drift=drift, target=target)
    controls = {
        "volatility": slider("volatility σ (/yr)", volatility, 0.10, 2.50, 0.05,
                             continuous_update=False, fmt=".0%"),
        "drift": slider("drift μ (/yr)", drift, -2.0, 2.0, 0.1, continuous_update=False,
                        fmt=".0%"),
        "target": slider("target P(liquidation)", target, 0.01, 0.50, 0.01,
                         continuous_update=False, fmt=".0%"),
    }
    return LiveFigure(plot, controls, caption=_caption,
                      title="P(liquidation) of a long over leverage × horizon")
