"""Leverage widgets (notebooks 00 and 01), built on :class:`~marginlib.widgets._base.LiveFigure`.

Each builder returns the widget (display it yourself); its ``controls`` dict holds the
sliders/toggles by parameter name and ``plot.summary`` the numbers behind the picture, so a
notebook can move a control and check the figure against :mod:`marginlib`. (Without the
ipympl backend the figure is shown once as a static image inside IPython.)

>>> from marginlib import widgets
>>> w = widgets.equity_widget()
>>> w.controls["leverage"].value = 15
>>> round(w.plot.summary["liquidation_price"], 4)
2.4561
"""
from __future__ import annotations

import html

import numpy as np

from ..course import defaults as _d
from ..plots.leverage import EquityPlot, NotionalPlot, ReturnOnMarginPlot
from ._base import LiveFigure, slider, toggle

__all__ = ["notional_widget", "equity_widget", "return_on_margin_widget"]

SIDES = ("long", "short")


def _pct(x, digits=1):
    """Signed percentage with a true minus sign: -0.0952 -> '−9.5 %'."""
    return f"{100 * x:+.{digits}f} %".replace("-", "−")


def notional_caption(plot, params):
    """HTML line under the notional demo: margin × leverage = notional."""
    return (f"{params['margin']:,.0f} USDC × {params['leverage']:g} = "
            f"<b>{plot.summary['notional']:,.0f} USDC</b> of position")


def notional_widget(leverage=_d.LEVERAGE, *, margin=_d.MARGIN, max_leverage=_d.MAX_LEVERAGE):
    """The course's first widget: a leverage slider and the position it buys (notebook 00).

    Parameters
    ----------
    leverage : float
        Initial leverage, 1 to ``max_leverage``.
    margin : float
        Margin in USDC (fixed).
    max_leverage : float
        Slider maximum.

    Returns
    -------
    LiveFigure
        ``controls["leverage"]``; ``plot`` is a :class:`marginlib.plots.NotionalPlot`.

    Examples
    --------
    >>> w = notional_widget()
    >>> w.controls["leverage"].value = 25
    >>> w.plot.summary["notional"], w.message.value
    (2500.0, '100 USDC × 25 = <b>2,500 USDC</b> of position')
    """
    plot = NotionalPlot(leverage=leverage, margin=margin, max_leverage=max_leverage)
    controls = {"leverage": slider("leverage (×)", leverage, 1, max_leverage, 1, fmt=".0f")}
    return LiveFigure(plot, controls, fixed={"margin": margin, "max_leverage": max_leverage},
                      caption=notional_caption)


def equity_caption(plot, params):
    """HTML line under the equity figure: size, liquidation and bankruptcy prices (or, when
    the position cannot be opened, the limit in the sliders' words)."""
    if plot.out_of_range:
        return '<span style="color:#b00020">⚠ ' + html.escape(plot.message) + "</span>"
    s = plot.summary
    return (f"<b>{s['side']} {s['leverage']:g}×</b>: position {s['notional']:,.0f} USDC "
            f"= {s['size']:,.1f} tokens at {s['entry_price']:,.2f} · "
            f"<span style='color:#d62728'>liquidation at {s['liquidation_price']:,.4f} "
            f"({_pct(s['liquidation_move'])})</span> · bankruptcy at "
            f"{s['bankruptcy_price']:,.4f} ({_pct(s['bankruptcy_move'])})")


def equity_widget(leverage=_d.LEVERAGE, side=_d.SIDE,
                  maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE, *, margin=_d.MARGIN,
                  entry_price=_d.ENTRY_PRICE):
    """Equity against the mark price for a chosen leverage, side and maintenance rate.

    Parameters
    ----------
    leverage : float
        Initial leverage (slider 1–50, step 0.01: fine enough to find 3.29×).
    side : {"long", "short"}
        Initial side (toggle).
    maintenance_margin_rate : float
        Initial maintenance rate (slider 0–10 %, step 0.25 %; default 5 %). A rate at or
        above ``1/leverage`` cannot be opened; the message says so with the sliders' names and
        the numbers (the limit, and how to get back), and the figure keeps following every
        control (equity starting below maintenance, the whole price axis shaded).
    margin, entry_price : float
        Fixed: 100 USDC of isolated margin, entry at 2.50 USDC.

    Returns
    -------
    LiveFigure
        ``controls``: ``"leverage"``, ``"side"``, ``"maintenance_margin_rate"``;
        ``plot`` is a :class:`marginlib.plots.EquityPlot`.

    Examples
    --------
    A maintenance rate of 10 % is impossible at 15× (the initial margin is only 6.67 %):

    >>> w = equity_widget()
    >>> w.controls["leverage"].value = 15
    >>> w.controls["maintenance_margin_rate"].value = 0.10
    >>> print(w.message.value)   # doctest: +NORMALIZE_WHITESPACE
    <span style="color:#b00020">⚠ At leverage 15× the margin is 6.67 % of the position, not
    more than the maintenance rate 10.00 %: the position would be liquidated immediately. To
    get back, set leverage below 10.00× or maintenance rate below 6.67 %.</span>
    >>> w.plot.summary["openable"], w.plot.summary["size"]   # the figure still follows 15x
    (False, 600.0)
    """
    plot = EquityPlot(leverage=leverage, side=side,
                      maintenance_margin_rate=maintenance_margin_rate, margin=margin,
                      entry_price=entry_price)
    controls = {
        "leverage": slider("leverage (×)", leverage, 1, _d.MAX_LEVERAGE, _d.LEVERAGE_STEP,
                           fmt=".2f"),
        "side": toggle("side", list(SIDES), side),
        "maintenance_margin_rate": slider("maintenance rate", maintenance_margin_rate, 0.0,
                                          0.10, 0.0025, fmt=".2%"),
    }
    return LiveFigure(plot, controls, fixed={"margin": margin, "entry_price": entry_price},
                      caption=equity_caption)


def return_on_margin_caption(plot, params):
    """HTML table under the return-on-margin figure: one row per leverage."""
    s = plot.summary
    rows = []
    for lev, rom, liq_move in zip(s["leverages"], s["return_on_margin"],
                                  s["liquidation_move"]):
        move = s["move"]
        # strictly beyond the liquidation move (equity below maintenance) is liquidated
        past_liq = move < liq_move if s["side"] == "long" else move > liq_move
        if np.isnan(liq_move):
            status = (f"cannot be opened at maintenance {100 * s['maintenance_margin_rate']:.2f} "
                      f"% (1/{lev:g} = {100 / lev:.2f} % is not above it)")
        elif rom <= -1:
            status = "margin gone: loss beyond the margin unless liquidated in time"
        elif past_liq:
            status = "liquidated on the way"
        else:
            status = "open"
        rows.append(f"<tr><td>{lev:g}×</td><td>{_pct(rom, 0)}</td>"
                    f"<td>{100 * (1 + rom):,.0f}</td>"
                    f"<td>{'–' if np.isnan(liq_move) else _pct(liq_move)}</td>"
                    f"<td>{html.escape(status)}</td></tr>")
    head = ("<tr><th>leverage</th><th>return on margin</th><th>equity of 100 USDC</th>"
            "<th>liquidated at move</th><th>status</th></tr>")
    return (f"<b>{s['side']}, price move {_pct(s['move'], 0)}</b>"
            f"<table>{head}{''.join(rows)}</table>")


def return_on_margin_widget(move=-0.08, side="long", *, leverages=(1, 5, 10, 20),
                            maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE):
    """Return on margin against the price move for several leverages, with a table.

    Parameters
    ----------
    move : float
        Initial price move (slider −30 % to +30 %, step 1 %).
    side : {"long", "short"}
        Initial side (toggle).
    leverages : tuple of float
        One line per leverage (fixed).
    maintenance_margin_rate : float
        Fixed; places the liquidation markers.

    Returns
    -------
    LiveFigure
        ``controls``: ``"move"``, ``"side"``; ``plot`` is a
        :class:`marginlib.plots.ReturnOnMarginPlot`.

    Examples
    --------
    The article's 30 % move against a long:

    >>> w = return_on_margin_widget()
    >>> w.controls["move"].value = -0.30
    >>> w.plot.summary["return_on_margin"].round(2).tolist()
    [-0.3, -1.5, -3.0, -6.0]
    """
    plot = ReturnOnMarginPlot(move=move, side=side, leverages=leverages,
                              maintenance_margin_rate=maintenance_margin_rate)
    controls = {
        "move": slider("price move", move, -plot.move_span, plot.move_span, 0.01, fmt=".0%"),
        "side": toggle("side", list(SIDES), side),
    }
    return LiveFigure(plot, controls,
                      fixed={"leverages": tuple(leverages),
                             "maintenance_margin_rate": maintenance_margin_rate},
                      caption=return_on_margin_caption)
