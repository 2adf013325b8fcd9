"""Plots for notebook 05 (thin liquidity): every number drawn comes from :mod:`marginlib.liquidity`.

* :func:`fill_vs_depth` -- the average fill price of a market buy and a market sell against
  the order's size (USDC at the mid), for a linear depth curve "$D within ±2 %"
  (:func:`marginlib.liquidity.depth_fill`), with a marker at one chosen order. An order larger
  than the book is drawn, not refused: the curves stop where the book ends and the plot says
  so (:attr:`FillDepthPlot.message`).
* :func:`liquidation_in_books` -- the article's long (400 tokens at 2.50, 100 USDC, maintenance
  5 %) closed by the liquidation engine into a deep and a thin book
  (:func:`marginlib.liquidity.liquidate_into_book`): the closing fill price against the book's
  depth, and what the trader loses and what the insurance fund pays (bad debt, the loss beyond
  the margin) in each book.

>>> p = fill_vs_depth(static=True)           # $1,000 order into $50k within ±2 %
>>> round(p.fill.slippage, 4)                 # 1,000 × 0.02 / (2 × 50,000)
0.0002
"""
from __future__ import annotations

import numpy as np

from marginlib.course import defaults as _d
from marginlib.liquidity import depth_book, depth_fill, liquidate_into_book
from marginlib.liquidation import bankruptcy_price, liquidation_price

from ._base import COLORS, LivePlot
from .style import FONT

__all__ = ["FillDepthPlot", "fill_vs_depth", "BookLiquidationPlot", "liquidation_in_books",
           "ORDER_GRID", "DEPTH_GRID", "DEEP_DEPTH", "WITHIN"]

#: The depth curves' distance: "$D within ±2 %" (dYdX's listing criterion speaks of ±2 %).
WITHIN = 0.02
#: Order sizes (USDC at the mid) on the x axis of :func:`fill_vs_depth`: $100 to $1M.
ORDER_GRID = np.logspace(2, 6, 161)
#: Book depths (USDC within ±2 %) on the x axis of :func:`liquidation_in_books`: $50 to $1M
#: (a book under $50 within ±2 % cannot absorb the 400 tokens at all).
DEPTH_GRID = np.logspace(np.log10(50.0), 6, 101)
#: The deep book of :func:`liquidation_in_books`: $1M within ±2 %.
DEEP_DEPTH = 1_000_000.0
#: How far the levelled books reach (a fraction of the mid: down to 0) and their levels:
#: 0.05 % bins.
_EXTENT, _LEVELS = 1.0, 2_000


def _usd(x):
    return f"{x:,.0f}"


class FillDepthPlot(LivePlot):
    """Average fill price of a market order against its size, for one depth curve.

    Parameters (``draw``/``update``)
    ---------------------------------
    order_usd : float
        The chosen order, USDC at the mid (> 0).
    depth : float
        USDC resting within ±2 % of the mid on each side (> 0).
    mid_price : float
        The mid, USDC (default 2.50).

    Attributes
    ----------
    fill : marginlib.liquidity.Fill
        The chosen order's sell (the side a long's liquidation takes).
    buy_fill : marginlib.liquidity.Fill
    out_of_range : bool
        The chosen order is larger than the book (part of it unfilled).
    message : str
    """

    def _curves(self, depth, mid_price):
        size = ORDER_GRID / mid_price
        sell = depth_fill("sell", size=size, mid_price=mid_price, depth=depth, within=WITHIN)
        buy = depth_fill("buy", size=size, mid_price=mid_price, depth=depth, within=WITHIN)
        whole = sell.unfilled_size > 0
        return (np.where(whole, np.nan, sell.average_price),
                np.where(buy.unfilled_size > 0, np.nan, buy.average_price))

    def _point(self, order_usd, depth, mid_price):
        size = order_usd / mid_price
        self.fill = depth_fill("sell", size=size, mid_price=mid_price, depth=depth,
                               within=WITHIN)
        self.buy_fill = depth_fill("buy", size=size, mid_price=mid_price, depth=depth,
                                   within=WITHIN)
        self.out_of_range = bool(self.fill.unfilled_size > 0)
        if self.out_of_range:
            book_usd = float(self.fill.filled_size) * mid_price
            self.message = (f"order size {_usd(order_usd)} USDC is larger than the whole bid "
                            f"side of a book with {_usd(depth)} USDC within ±2 % (it holds "
                            f"{float(self.fill.filled_size):,.0f} tokens, {_usd(book_usd)} USDC "
                            "at the mid): the sell would empty the book. Lower the order size "
                            f"below {_usd(book_usd)} USDC or raise the depth above "
                            f"{_usd(order_usd / book_usd * depth)} USDC.")
        else:
            self.message = ""

    def draw(self, order_usd=_d.NOTIONAL, depth=50_000.0, mid_price=_d.ENTRY_PRICE):
        ax = self.ax
        sell, buy = self._curves(depth, mid_price)
        (self.artists["buy"],) = ax.plot(ORDER_GRID, buy, color=COLORS["short"], ls="-.",
                                         label="market buy: average fill")
        (self.artists["sell"],) = ax.plot(ORDER_GRID, sell, color=COLORS["long"],
                                          label="market sell: average fill")
        self.artists["mid"] = ax.axhline(mid_price, color=COLORS["entry"], ls="--", lw=1,
                                         label=f"mid {mid_price:.2f}")
        self._point(order_usd, depth, mid_price)
        x = min(order_usd, ORDER_GRID[-1])
        (self.artists["marker"],) = ax.plot(
            [x, x], [self.fill.average_price, self.buy_fill.average_price], "o",
            color=COLORS["liquidation"], label="your order")
        self.artists["order"] = ax.axvline(x, color=COLORS["liquidation"], lw=0.8, ls=":",
                                          alpha=0.5)
        ax.set_xscale("log")
        ax.set_xlim(ORDER_GRID[0], ORDER_GRID[-1])
        ax.set_ylim(0.6 * mid_price, 1.4 * mid_price)
        ax.set_xlabel("order size (USDC at the mid, log scale)")
        ax.set_ylabel("average fill price (USDC)")
        self.artists["title"] = ax.set_title("")
        ax.legend(loc="lower left", fontsize=FONT["note"])
        self._title(depth)

    def _title(self, depth):
        self.artists["title"].set_text(f"Book with {_usd(depth)} USDC within ±2 % of the mid")

    def update(self, order_usd=_d.NOTIONAL, depth=50_000.0, mid_price=_d.ENTRY_PRICE):
        sell, buy = self._curves(depth, mid_price)
        self.artists["sell"].set_ydata(sell)
        self.artists["buy"].set_ydata(buy)
        self._point(order_usd, depth, mid_price)
        x = min(order_usd, ORDER_GRID[-1])
        if self.out_of_range:
            ys = [np.nan, np.nan]
        else:
            ys = [self.fill.average_price, self.buy_fill.average_price]
        self.artists["marker"].set_data([x, x], ys)
        self.artists["order"].set_xdata([x, x])
        self._title(depth)


def fill_vs_depth(ax=None, *, static=False, **params):
    """A :class:`FillDepthPlot` (defaults: a 1,000 USDC order, $50k within ±2 %, mid 2.50)."""
    return FillDepthPlot(ax, static=static, **params)


class BookLiquidationPlot(LivePlot):
    """The article's long liquidated into a deep and a thin book.

    Parameters (``draw``/``update``)
    ---------------------------------
    depth : float
        The thin book's depth, USDC within ±2 % (> 0).
    gap : float
        How far below the liquidation price the mark is when the engine closes, a fraction
        (0.005 = 0.5 %; in [0, 1)). Both books share the mark.

    Attributes
    ----------
    deep, thin : marginlib.liquidity.BookLiquidation
    mark : float
    curve_fill, curve_bad_debt : ndarray over :data:`DEPTH_GRID`
    """

    nrows, ncols = 1, 2
    figsize = (9.0, 3.8)

    _pos = dict(side=_d.SIDE, entry_price=_d.ENTRY_PRICE, size=_d.SIZE, margin=_d.MARGIN)

    def _liquidate(self, depth, mark):
        book = depth_book(mid_price=mark, depth=depth, within=WITHIN, extent=_EXTENT,
                          levels=_LEVELS)
        return liquidate_into_book(**self._pos, book=book,
                                   maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
                                   liquidation_fee_rate=_d.LIQUIDATION_FEE_RATE)

    def _compute(self, depth, gap):
        if not 0.0 <= gap < 1.0:
            raise ValueError(f"gap must be a fraction in [0, 1), got {gap!r}")
        if not DEPTH_GRID[0] <= depth <= DEPTH_GRID[-1]:
            raise ValueError(f"thin book depth must be between {DEPTH_GRID[0]:,.0f} and "
                             f"{DEPTH_GRID[-1]:,.0f} USDC within ±2 %, got {depth!r}")
        self.liquidation_price = float(liquidation_price(
            **self._pos, maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE))
        self.bankruptcy_price = float(bankruptcy_price(**self._pos))
        # a hair below the line when gap = 0: the strict rule triggers just past it
        self.mark = self.liquidation_price * (1.0 - max(gap, 1e-9))
        self.deep = self._liquidate(DEEP_DEPTH, self.mark)
        self.thin = self._liquidate(depth, self.mark)
        self.curve_fill, self.curve_bad_debt = self._curves(self.mark)

    def _curves(self, mark):
        """Fill price and bad debt over :data:`DEPTH_GRID` at ``mark``: the same for every
        thin-book depth, so a depth step reuses them (the last few marks are kept; each is
        one liquidation per grid depth)."""
        kept = self.__dict__.setdefault("_kept_curves", {})
        if mark not in kept:
            outs = [self._liquidate(d, mark) for d in DEPTH_GRID]
            if len(kept) >= 8:
                kept.pop(next(iter(kept)))
            curves = (np.array([o.fill.average_price for o in outs]),
                      np.array([o.bad_debt for o in outs]))
            for c in curves:
                c.setflags(write=False)  # shared by later steps: nobody may change them
            kept[mark] = curves
        return kept[mark]

    @staticmethod
    def _lost(out):
        return _d.MARGIN - out.returned

    def draw(self, depth=100.0, gap=0.005):
        self._compute(depth, gap)
        ax, bx = self.ax
        (self.artists["curve"],) = ax.plot(DEPTH_GRID, self.curve_fill, color=COLORS["long"],
                                           label="closing fill price")
        self.artists["mark"] = ax.axhline(self.mark, color=COLORS["price"], ls=":", lw=1,
                                          label="mark when closed")
        ax.axhline(self.liquidation_price, color=COLORS["liquidation"], ls="--", lw=1,
                   label=f"liquidation price {self.liquidation_price:.4f}")
        ax.axhline(self.bankruptcy_price, color=COLORS["bankruptcy"], lw=1, ls="-.",
                   label=f"bankruptcy price {self.bankruptcy_price:.2f}")
        ax.axhspan(0.0, self.bankruptcy_price, color=COLORS["liquidation"], alpha=0.08)
        (self.artists["points"],) = ax.plot(
            [depth, DEEP_DEPTH], [self.thin.fill.average_price, self.deep.fill.average_price],
            "o", color=COLORS["liquidation"])
        ax.set_xscale("log")
        ax.set_xlim(DEPTH_GRID[0], DEPTH_GRID[-1])
        ax.set_ylim(1.6, 2.45)
        ax.set_xlabel("book depth (USDC within ±2 %, log scale)")
        ax.set_ylabel("USDC per token")
        ax.legend(loc="lower right", fontsize=FONT["note"])
        ax.set_title("Where the engine's sell fills", fontsize=FONT["label"])
        lost = [self._lost(self.deep), self._lost(self.thin)]
        debt = [self.deep.bad_debt, self.thin.bad_debt]
        labels = [f"deep book\n${_usd(DEEP_DEPTH)}", "thin book"]
        self.artists["lost"] = bx.bar([0, 1], lost, color=COLORS["entry"],
                                      label="trader loses (margin)")
        self.artists["debt"] = bx.bar([0, 1], debt, bottom=lost, color=COLORS["liquidation"],
                                      hatch="//", label="bad debt: insurance fund pays")
        bx.axhline(_d.MARGIN, color=COLORS["bankruptcy"], ls="--", lw=1,
                   label=f"isolated margin {_d.MARGIN:g}")
        bx.set_xticks([0, 1])
        bx.set_xticklabels(labels)
        self.artists["thin_label"] = bx.text(1, 385.0, "", ha="center", va="top", fontsize=FONT["note"])
        bx.set_xlim(-0.6, 1.6)
        bx.set_ylim(0.0, 400.0)
        bx.set_ylabel("USDC")
        bx.legend(loc="upper left", fontsize=FONT["note"])
        bx.set_title("Who pays", fontsize=FONT["label"])
        self._labels(depth)

    def _labels(self, depth):
        self.artists["thin_label"].set_text(f"${_usd(depth)}\nwithin ±2 %")

    def update(self, depth=100.0, gap=0.005):
        self._compute(depth, gap)
        self.artists["curve"].set_ydata(self.curve_fill)
        self.artists["mark"].set_ydata([self.mark, self.mark])
        self.artists["points"].set_data(
            [depth, DEEP_DEPTH], [self.thin.fill.average_price, self.deep.fill.average_price])
        for i, out in enumerate((self.deep, self.thin)):
            lost = self._lost(out)
            self.artists["lost"][i].set_height(lost)
            self.artists["debt"][i].set_y(lost)
            self.artists["debt"][i].set_height(out.bad_debt)
        self._labels(depth)


def liquidation_in_books(ax=None, *, static=False, **params):
    """A :class:`BookLiquidationPlot` (defaults: thin book $100 within ±2 %, gap 0.5 %)."""
    return BookLiquidationPlot(ax, static=static, **params)
