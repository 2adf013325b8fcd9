"""Widgets for notebook 03 (funding-rate drag).

* :func:`funding_drift_widget` -- rate (bp per interval), leverage and days sliders over
  :func:`marginlib.plots.funding_drift`: equity and liquidation price over the holding
  period, and the day funding alone liquidates the position.
* :func:`funding_drag_widget` -- a log slider for the rate and a leverage slider over
  :func:`marginlib.plots.funding_drag`: annualised drag with the venues' caps.
* :func:`right_direction_widget` -- leverage, rate, final price move and path seed over
  :func:`marginlib.plots.right_direction`: a long that is right on direction and still loses.
"""
from __future__ import annotations

import html

import ipywidgets as _w

from ..course import defaults as _d
from ..plots import funding as _pf
from ..plots.funding import funding_drag, funding_drift, right_direction
from ._base import _STYLE, _WIDTH, LiveFigure, int_slider, slider

__all__ = ["funding_drift_widget", "funding_drag_widget", "right_direction_widget"]


def _drift_caption(plot, params):
    if plot.out_of_range:
        return '<span style="color:#b00020">⚠ ' + html.escape(plot.message) + "</span>"
    d = plot.drift
    pay = -float(d.payments[0])
    who = "pays" if pay > 0 else "receives"
    text = (f"Each {params.get('interval_hours', 8.0):g}-hour payment: the "
            f"{params.get('side', 'long')} "
            f"<b>{who} {abs(pay):.3f} USDC</b> ({plot.size:g} tokens × "
            f"{float(d.mark_price[0]):g} × {_pf._signed(params['rate_bp'], 1)} bp). ")
    if plot.liquidation_day is not None:
        return text + (f"Funding alone liquidates it on <b>day {plot.liquidation_day:g}</b> "
                       f"(payment {plot.liquidation_interval}; closed form "
                       f"{plot.closed_form_intervals}). Effective leverage "
                       f"{float(d.effective_leverage[0]):.1f}× → "
                       f"{float(d.effective_leverage[plot.liquidation_interval - 1]):.1f}× "
                       "just before.")
    if plot.closed_form_intervals > 0:
        return text + (f"Not within {plot.days[-1]:g} days; funding alone would liquidate it "
                       f"after {plot.closed_form_intervals} payments.")
    return text + "Funding never liquidates it: this side receives (or the rate is 0)."


def funding_drift_widget(rate_bp=5.0, leverage=_d.LEVERAGE, days=60, **fixed):
    """Live figure: equity and liquidation price of an isolated position paying funding.

    Parameters
    ----------
    rate_bp : float
        Initial rate, bp per interval (slider −10 to 50).
    leverage : float
        Initial leverage (slider 1–50×).
    days : int
        Initial holding period (slider 1–365 days).
    **fixed
        Other parameters of :func:`marginlib.plots.funding_drift` (side, interval_hours,
        entry_price, margin, maintenance_margin_rate, convention).

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.controls``: ``"rate_bp"``, ``"leverage"``, ``"days"``; ``.plot`` the
        :class:`marginlib.plots.funding.FundingDriftPlot`.
    """
    plot = funding_drift(rate_bp=rate_bp, leverage=leverage, days=days, **fixed)
    controls = {
        "rate_bp": slider("rate (bp / interval)", rate_bp, -10.0, 50.0, 0.5, fmt=".1f"),
        "leverage": slider("leverage (×)", leverage, 1.0, 50.0, 0.5, fmt=".1f"),
        "days": int_slider("days held", int(days), 1, 365, continuous_update=False),
    }
    return LiveFigure(plot, controls, fixed=fixed, caption=_drift_caption,
                      title="Funding paid out of an isolated margin, at a constant price")


def _drag_caption(plot, params):
    lev = params["leverage"]
    return (f"At <b>{_pf._num(params['rate_bp'])} bp per 8 h</b> a position pays "
            f"<b>{_pf._num(100 * plot.annual_notional)} %</b> of its notional a year "
            f"(<b>{_pf._num(100 * plot.annual_margin)} %</b> of its margin at {lev:g}×): funding "
            f"alone eats the whole margin in <b>{_pf._num(plot.days_to_wipe_out)} days</b>.")


def funding_drag_widget(rate_bp=5.0, leverage=5.0, **fixed):
    """Live figure: annualised funding drag against the rate, with the venues' caps.

    Parameters
    ----------
    rate_bp : float
        Initial rate, bp per 8 h (log slider 0.1 to 10,000).
    leverage : float
        Initial leverage (slider 1–50×).
    **fixed
        ``caps`` (keys of :data:`marginlib.venues.FUNDING_CAPS`).

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.controls``: ``"rate_bp"`` (a ``FloatLogSlider``), ``"leverage"``.
    """
    plot = funding_drag(rate_bp=rate_bp, leverage=leverage, **fixed)
    controls = {
        "rate_bp": _w.FloatLogSlider(value=rate_bp, base=10, min=-1, max=4, step=0.05,
                                     description="rate (bp / 8 h)", readout_format=".3g",
                                     style=_STYLE, layout=_w.Layout(width=_WIDTH)),
        "leverage": slider("leverage (×)", leverage, 1.0, 50.0, 0.5, fmt=".1f"),
    }
    return LiveFigure(plot, controls, fixed=fixed, caption=_drag_caption,
                      title="Annualised funding drag, with venue caps")


def _right_caption(plot, params):
    if plot.liquidation_hour is not None:
        return (f"<b>Liquidated on day {plot.liquidation_hour / 24:.1f}</b> although the price "
                f"ends {_pf._signed(100 * plot.price_return, 1)} %: funding paid "
                f"{plot.funding_paid:.2f} USDC had walked the liquidation price up.")
    s = _pf._signed
    return (f"Price {s(100 * plot.price_return, 1)} % → price PnL {s(plot.price_pnl)}, funding "
            f"{s(-plot.funding_paid)}, fees {s(-plot.fees)}: net <b>{s(plot.net_pnl)} "
            f"USDC ({plot.verdict})</b>.")


def right_direction_widget(leverage=3.0, rate_bp=5.0, end_return_pct=3.0,
                           rng=_pf.RIGHT_DIRECTION_SEED, **fixed):
    """Live figure: a long on a path that ends above entry, after funding and fees.

    Parameters
    ----------
    leverage : float
        Initial leverage (slider 1–20×).
    rate_bp : float
        Funding per 8 h in bp (slider 0–20).
    end_return_pct : float
        Where the path ends, % above entry (slider 0–10).
    rng : int
        Seed of the price path (slider "price path (seed)", 0–100).
    **fixed
        Other parameters of :func:`marginlib.plots.right_direction`.

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.controls``: ``"leverage"``, ``"rate_bp"``, ``"end_return_pct"``, ``"rng"``.
    """
    plot = right_direction(leverage=leverage, rate_bp=rate_bp,
                                  end_return_pct=end_return_pct, rng=rng, **fixed)
    controls = {
        "leverage": slider("leverage (×)", leverage, 1.0, 20.0, 0.5, fmt=".1f"),
        "rate_bp": slider("funding (bp / 8 h)", rate_bp, 0.0, 20.0, 0.5, fmt=".1f"),
        "end_return_pct": slider("price at the end (%)", end_return_pct, 0.0, 10.0, 0.5,
                                 fmt=".1f"),
        "rng": int_slider("price path (seed)", int(rng), 0, 100, continuous_update=False),
    }
    return LiveFigure(plot, controls, fixed=fixed, caption=_right_caption,
                      title="Right direction, still lost")
