"""Widget for notebook 06 (liquidation cascades).

* :func:`cascade_widget` -- shock, depth, share of positions in cross accounts, correlation of
  B's initial move and the way cross traders hold B, over
  :func:`marginlib.plots.cascade.cascade_rounds`. The sliders have
  ``continuous_update=False``: each change runs two cascades on 100,000 positions (a new cross
  share also draws a new population).
"""
from __future__ import annotations

from ..plots.cascade import CROSS_TRADERS, N_POSITIONS, cascade_rounds
from ._base import LiveFigure, slider, toggle

__all__ = ["cascade_widget"]


def _caption(plot, params):
    s, i = plot.shared, plot.isolated
    more = i.total_liquidated_notional - s.total_liquidated_notional
    which = ("the isolated split liquidates <b>more</b>" if more > 0 else
             "the isolated split liquidates <b>less</b>" if more < 0 else "both liquidate the same")
    b = s.final_move[1]
    carried = (f"; with shared margin B ends {100 * b:+.2f} %, the isolated split "
               f"{100 * i.final_move[1]:+.2f} %")
    return (f"Shared margin: {s.total_liquidated_notional:,.0f} USDC liquidated in {s.rounds} "
            f"rounds, A ends {100 * s.final_move[0]:+.2f} % (amplification "
            f"{s.amplification:.3f}×); isolated split: {i.total_liquidated_notional:,.0f} USDC "
            f"in {i.rounds} rounds ({i.amplification:.3f}×): {which}{carried}.")


def cascade_widget(shock=-0.10, depth=100_000.0, cross_share=0.5, correlation=0.5,
                   cross_traders="independent", *, n_positions=N_POSITIONS):
    """Live figure: a liquidation cascade, round by round, shared margin vs isolated split.

    Controls (keys of ``.controls``): ``"shock"`` (A's initial move, −30 % to −1 %),
    ``"depth"`` (USDC within ±2 %, 25,000 to 400,000), ``"cross_share"`` (0–100 %),
    ``"correlation"`` (0–1), ``"cross_traders"`` (independent / same direction / hedged).

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.plot`` is the :class:`marginlib.plots.cascade.CascadeRoundsPlot`.
    """
    plot = cascade_rounds(shock=shock, depth=depth, cross_share=cross_share,
                          correlation=correlation, cross_traders=cross_traders,
                          n_positions=n_positions)
    controls = {
        "shock": slider("shock to A", shock, -0.30, -0.01, 0.01, continuous_update=False,
                        fmt=".0%"),
        "depth": slider("depth ±2 % (USDC)", depth, 25_000.0, 400_000.0, 25_000.0,
                        continuous_update=False, fmt=",.0f"),
        "cross_share": slider("in cross accounts", cross_share, 0.0, 1.0, 0.1,
                              continuous_update=False, fmt=".0%"),
        "correlation": slider("B moves (× A's shock)", correlation, 0.0, 1.0, 0.25,
                              continuous_update=False, fmt=".2f"),
        "cross_traders": toggle("cross traders' B", list(CROSS_TRADERS), cross_traders),
    }
    return LiveFigure(plot, controls, fixed={"n_positions": n_positions}, caption=_caption,
                      title="A liquidation cascade: shared margin vs the same positions isolated")
