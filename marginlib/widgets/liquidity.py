"""Widgets for notebook 05 (thin liquidity).

* :func:`fill_widget` -- order-size and depth sliders over
  :func:`marginlib.plots.liquidity.fill_vs_depth` (the fill price of a market order).
* :func:`book_liquidation_widget` -- thin-book depth and gap sliders over
  :func:`marginlib.plots.liquidity.liquidation_in_books` (the article's long liquidated into a
  deep and a thin book; the loss beyond the margin is bad debt).
"""
from __future__ import annotations

import html

import ipywidgets as _w

from ..course import defaults as _d
from ..plots.liquidity import DEPTH_GRID, fill_vs_depth, liquidation_in_books
from ._base import _STYLE, _WIDTH, LiveFigure, slider

__all__ = ["fill_widget", "book_liquidation_widget"]


def _steps(lo_exp, hi_exp, lowest=0.0):
    """The 1-2-5 series from 10**lo_exp to 10**hi_exp (USDC amounts a learner can read)."""
    series = [float(m * 10 ** e) for e in range(lo_exp, hi_exp) for m in (1, 2, 5)]
    return [x for x in series if x >= lowest] + [float(10 ** hi_exp)]


def _amount_slider(description, value, lo_exp, hi_exp, lowest=0.0):
    """A ``SelectionSlider`` over the 1-2-5 amounts; ``value`` must be one of them."""
    options = _steps(lo_exp, hi_exp, lowest)
    if float(value) not in options:
        raise ValueError(f"{description} must be one of {options[0]:,.0f}, "
                         f"{options[1]:,.0f}, {options[2]:,.0f}, ... {options[-1]:,.0f} "
                         f"(a 1-2-5 series), got {value!r}")
    return _w.SelectionSlider(options=[(f"{x:,.0f}", x) for x in options], value=float(value),
                              description=description, style=_STYLE,
                              layout=_w.Layout(width=_WIDTH))


def _fill_caption(plot, params):
    if plot.out_of_range:
        return '<span style="color:#b00020">⚠ ' + html.escape(plot.message) + "</span>"
    s, b = plot.fill, plot.buy_fill
    return (f"A market sell of <b>{params['order_usd']:,.0f} USDC</b> fills on average at "
            f"<b>{float(s.average_price):.4f}</b> ({100 * float(s.slippage):.3f} % below the "
            f"mid) and leaves the price at {float(s.last_price):.4f}; a buy fills at "
            f"{float(b.average_price):.4f}.")


def fill_widget(order_usd=_d.NOTIONAL, depth=50_000.0, mid_price=_d.ENTRY_PRICE):
    """Live figure: average fill price of a market order against its size, for one depth.

    Controls (``.controls``): ``"order_usd"`` (order size, USDC at the mid, $100 to $1M)
    and ``"depth"`` (USDC within ±2 %, $1,000 to $10M), both selection sliders over the 1-2-5
    series. An order larger than the book is
    still drawn: the curves follow the depth, the marker disappears, and the message names
    both sliders with the numbers that bring the order back inside the book.

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.plot`` is a :class:`marginlib.plots.liquidity.FillDepthPlot`.
    """
    plot = fill_vs_depth(order_usd=order_usd, depth=depth, mid_price=mid_price)
    controls = {
        "order_usd": _amount_slider("order size (USDC)", order_usd, 2, 6),
        "depth": _amount_slider("depth ±2 % (USDC)", depth, 3, 7),
    }
    return LiveFigure(plot, controls, fixed={"mid_price": mid_price}, caption=_fill_caption,
                      title="Fill price of a market order against the book's depth")


def _book_caption(plot, params):
    t, d = plot.thin, plot.deep
    text = (f"Mark when closed {plot.mark:.4f} ({100 * params['gap']:.1f} % below the "
            f"liquidation price {plot.liquidation_price:.4f}). Deep book: fill "
            f"{d.fill.average_price:.4f}, {d.returned:.2f} USDC back to the trader. Thin book: "
            f"fill <b>{t.fill.average_price:.4f}</b>, ")
    if t.bad_debt > 0:
        return text + (f"the margin is gone and <b>{t.bad_debt:.2f} USDC</b> of loss beyond it "
                       "is bad debt the insurance fund pays.")
    return text + f"{t.returned:.2f} USDC back to the trader, no bad debt."


def book_liquidation_widget(depth=100.0, gap=0.005):
    """Live figure: the article's long liquidated into a deep and a thin book.

    Controls (``.controls``): ``"depth"`` (the thin book, USDC within ±2 %, $50 to $1M, 1-2-5 series)
    and ``"gap"`` (how far below the liquidation price the mark is when the engine closes, 0
    to 10 %). The deep book holds $1M within ±2 %.

    Returns
    -------
    marginlib.widgets.LiveFigure
        ``.plot`` is a :class:`marginlib.plots.liquidity.BookLiquidationPlot`.
    """
    plot = liquidation_in_books(depth=depth, gap=gap)
    controls = {
        "depth": _amount_slider("thin depth ±2 % (USDC)", depth, 1, 6,
                                lowest=DEPTH_GRID[0]),
        "gap": slider("gap below liq. price", gap, 0.0, 0.10, 0.001, fmt=".1%",
                      continuous_update=False),
    }
    return LiveFigure(plot, controls, caption=_book_caption,
                      title="The same liquidation in a deep and a thin book")
