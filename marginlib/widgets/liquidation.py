"""Widgets for notebook 02 (the liquidation price), plus a small venue-comparison table.

* :func:`liquidation_distance_widget` -- leverage, maintenance-rate and fee sliders and a side
  toggle over :func:`marginlib.plots.liquidation_distance`.
* :func:`liquidation_path_widget` -- an "added margin" slider and a path-seed slider over
  :func:`marginlib.plots.liquidation_path`.
* :func:`venue_table` -- :func:`marginlib.venues.compare_venues` rows as an HTML table (no pandas).
"""
from __future__ import annotations

import html

from ..course import defaults as _d
from ..course.scenarios import DEMO_PATH_SEED
from ..plots.liquidation import liquidation_distance, liquidation_path
from ._base import LiveFigure, int_slider, slider, toggle

__all__ = ["liquidation_distance_widget", "liquidation_path_widget", "venue_table",
           "venue_table_html"]


def _distance_caption(plot, params):
    if plot.out_of_range:
        return ('<span style="color:#b00020">⚠ ' + html.escape(plot.message) + "</span>")
    lev = params["leverage"]
    return (f"At <b>{lev:g}×</b> a {params['side']} is liquidated after a "
            f"<b>{plot.marker_distance:.2f} %</b> move (the article's formula says "
            f"{100 / lev:.2f} %)."
            + ("" if plot.max_leverage == float("inf") else
               f" From {plot.max_leverage:.2f}× up, the margin would not even cover "
               "maintenance + fee."))


def liquidation_distance_widget(side=_d.SIDE, maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
                                taker_fee_rate=_d.TAKER_FEE_RATE, leverage=_d.LEVERAGE):
    """Live figure: distance to liquidation against leverage, with MMR/fee/side controls.

    Controls (keys of ``.controls``): ``"leverage"`` (1–50×, step 0.01),
    ``"maintenance_margin_rate"`` (0–10 %), ``"taker_fee_rate"`` (0–0.2 %), ``"side"``.
    Defaults: the article's long at 10× with maintenance 5 % (:mod:`marginlib.course.defaults`).
    A leverage whose margin does not cover maintenance + fee is still drawn: the curve follows
    side, rate and fee up to the limit ``1/(m + fee)``, the range beyond is shaded, and the
    message names the sliders and the numbers (which limit, how to get back).

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.plot`` is the :class:`marginlib.plots.liquidation.LiquidationDistancePlot`.
    """
    plot = liquidation_distance(side=side, maintenance_margin_rate=maintenance_margin_rate,
                                taker_fee_rate=taker_fee_rate, leverage=leverage)
    controls = {
        "leverage": slider("leverage (×)", leverage, 1.0, _d.MAX_LEVERAGE, _d.LEVERAGE_STEP,
                           fmt=".2f"),
        "maintenance_margin_rate": slider("maintenance rate m", maintenance_margin_rate, 0.0,
                                          0.10, 0.0005, fmt=".2%"),
        "taker_fee_rate": slider("taker fee", taker_fee_rate, 0.0, 0.002, 0.0001, fmt=".2%"),
        "side": toggle("side", ["long", "short"], side),
    }
    return LiveFigure(plot, controls, caption=_distance_caption,
                      title="Distance to liquidation vs leverage")


def _path_caption(plot, params):
    adj = plot.adjustment
    text = (f"Margin {adj.margin:g} USDC → liquidation price <b>{adj.liquidation_price:.4f}</b>, "
            f"bankruptcy {adj.bankruptcy_price:.4f}, effective leverage "
            f"{adj.effective_leverage:.2f}× (entry still {adj.entry_price:g}). ")
    if plot.hit_index is None:
        return text + "This path <b>never reaches</b> the liquidation price."
    out = plot.outcome
    return text + (f"<b>Liquidated at hour {plot.hit_index}</b>: equity {out.equity:.2f}, "
                   f"liquidation fee {out.liquidation_fee:.2f}, returned {out.returned:.2f} USDC.")


def liquidation_path_widget(added_margin=0.0, rng=DEMO_PATH_SEED, max_added_margin=300.0,
                            **fixed):
    """Live figure: a price path, and the liquidation/bankruptcy lines as margin is added.

    Parameters
    ----------
    added_margin : float
        Initial value of the ``"added_margin"`` slider (0 to ``max_added_margin`` USDC).
    rng : int
        Initial value of the ``"rng"`` slider (0–200), the synthetic path.
    **fixed
        Other parameters of :func:`marginlib.plots.liquidation_path` (side, entry_price,
        margin, leverage, maintenance_margin_rate, liquidation_fee_rate...).

    Returns
    -------
    marginlib.widgets.LiveFigure
    """
    fixed["max_added_margin"] = max_added_margin
    plot = liquidation_path(added_margin=added_margin, rng=rng, **fixed)
    controls = {
        "added_margin": slider("added margin (USDC)", added_margin, 0.0, max_added_margin, 5.0,
                               fmt=".0f"),
        "rng": int_slider("price path (seed)", rng, 0, 200, continuous_update=False),
    }
    return LiveFigure(plot, controls, fixed=fixed, caption=_path_caption,
                      title="Adding margin moves the liquidation line away")


def _cell(x, fmt):
    return "–" if x is None else format(x, fmt)


def venue_table_html(quotes):
    """:func:`marginlib.venues.compare_venues` rows as an HTML ``<table>`` string (no pandas).

    Columns: venue, max leverage, convention, liquidation price, distance (%), and the reason
    where the venue refuses the trade.

    >>> from marginlib.venues import compare_venues
    >>> "<table" in venue_table_html(compare_venues("long", entry_price=100.0, margin=100.0,
    ...                                             leverage=10))
    True
    """
    head = ("<tr><th>venue</th><th>max lev.</th><th>MM evaluated at</th><th>liq. price</th>"
            "<th>distance</th><th>allowed / why not</th><th>source (as of)</th></tr>")
    rows = []
    for q in quotes:
        why = "yes" if q.allowed else f"<b>no</b>: {html.escape(q.reason)}"
        dist = "–" if q.distance is None else f"{100 * q.distance:.2f} %"
        rows.append(
            f"<tr><td>{html.escape(q.name)}</td><td>{q.max_leverage:g}×</td>"
            f"<td>{'liquidation price' if q.convention == 'mark' else 'entry'}</td>"
            f"<td>{_cell(q.liquidation_price, ',.4f')}</td><td>{dist}</td><td>{why}</td>"
            f"<td><small>{html.escape(q.source)} ({html.escape(q.as_of)})</small></td></tr>")
    return "<table>" + head + "".join(rows) + "</table>"


def venue_table(quotes):
    """The same table as :func:`venue_table_html`, as an ``IPython.display.HTML`` to display."""
    from IPython.display import HTML
    return HTML(venue_table_html(quotes))
