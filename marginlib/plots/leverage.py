"""Leverage plots (notebooks 00 and 01): notional bars, equity vs price, return on margin.

Each class is a :class:`~marginlib.plots._base.LivePlot`: ``draw`` creates every artist once,
``update`` computes the new numbers with :mod:`marginlib` *first* (so a ``ValueError`` leaves
the figure as it was) and then only changes artist data. Axis limits are fixed at creation
(no relim/autoscale, no layout on update), so an update costs no more than a redraw.

>>> from marginlib.plots import EquityPlot
>>> p = EquityPlot(static=True)              # 100 USDC, 10x long at 2.50, maintenance 5 %
>>> round(p.summary["liquidation_price"], 4)
2.3684
>>> _ = p.set(leverage=15)
>>> round(float(p.artists["liquidation"].get_xdata()[0]), 4)
2.4561
"""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, PercentFormatter

from marginlib._validation import positive
from marginlib.course import defaults as _d
from marginlib.liquidation import (bankruptcy_price, leverage_limit, liquidation_price,
                                   maintenance_margin)
from marginlib.position import notional as _notional
from marginlib.position import position_size, return_on_margin, unrealized_pnl

from ._base import COLORS, LivePlot
from .style import series

__all__ = ["NotionalPlot", "EquityPlot", "ReturnOnMarginPlot", "opening_limit_message"]


def _real_nonnegative(x):
    return (isinstance(x, (int, float, np.integer, np.floating))
            and not isinstance(x, (bool, np.bool_)) and x >= 0)


def _leverage_limit(*, maintenance_margin_rate, taker_fee_rate=0.0):
    """``1/(m + fee)`` from :func:`leverage_limit`; ``inf`` when it is beyond any float.

    With no maintenance margin and no fee (or a rate so small that ``1/(m + fee)`` overflows)
    there is no opening limit to draw; anything else, bad input included, goes to the maths.
    """
    m, fee = maintenance_margin_rate, taker_fee_rate
    if _real_nonnegative(m) and _real_nonnegative(fee) and \
            float(m) + float(fee) < 1.0 / np.finfo(float).max:
        return float("inf")
    return float(leverage_limit(maintenance_margin_rate=m, taker_fee_rate=fee))


def opening_limit_message(leverage, maintenance_margin_rate, *, rate_is_a_control=True):
    """Plain words when ``maintenance rate >= 1/leverage``: the sliders' names and the numbers.

    The margin is fixed in these figures, so the way back is the leverage or, where it is a
    control, the maintenance rate (never "add margin").

    >>> print(opening_limit_message(25, 0.05))   # doctest: +NORMALIZE_WHITESPACE
    At leverage 25× the margin is 4.00 % of the position, not more than the maintenance rate
    5.00 %: the position would be liquidated immediately. To get back, set leverage below
    20.00× or maintenance rate below 4.00 %.
    >>> print(opening_limit_message(25, 0.05, rate_is_a_control=False))
    ... # doctest: +NORMALIZE_WHITESPACE
    At leverage 25× the margin is 4.00 % of the position, not more than the maintenance rate
    5.00 %: the position would be liquidated immediately. To get back, set leverage below
    20.00× (the maintenance rate is fixed in this figure).
    """
    limit = _leverage_limit(maintenance_margin_rate=maintenance_margin_rate)
    way_back = (f" or maintenance rate below {100 / leverage:.2f} %." if rate_is_a_control
                else " (the maintenance rate is fixed in this figure).")
    return (f"At leverage {leverage:g}× the margin is {100 / leverage:.2f} % of the position, "
            f"not more than the maintenance rate {100 * maintenance_margin_rate:.2f} %: the "
            f"position would be liquidated immediately. To get back, set leverage below "
            f"{limit:.2f}×{way_back}")


def _check_opening(leverage, maintenance_margin_rate, *, rate_is_a_control=True):
    """ValueError in the words on screen when the position cannot be opened."""
    leverage = float(leverage)
    if leverage >= 1 and leverage >= _leverage_limit(
            maintenance_margin_rate=maintenance_margin_rate) * (1 - 1e-12):
        raise ValueError(opening_limit_message(leverage, float(maintenance_margin_rate),
                                               rate_is_a_control=rate_is_a_control))


_THOUSANDS = FuncFormatter(lambda x, _pos: f"{x:,.0f}")


def _liquidated_span(side, liquidation_price, xlim):
    """(x, width) of the price region beyond the liquidation price, clipped to ``xlim``."""
    lo, hi = xlim
    if side == "long":
        return lo, max(min(liquidation_price, hi) - lo, 0.0)
    start = min(max(liquidation_price, lo), hi)
    return start, hi - start


class NotionalPlot(LivePlot):
    """Two bars: the margin you commit and the position (notional) it controls.

    Parameters (``draw``/``update``)
    --------------------------------
    leverage : float
        Leverage, >= 1 (default 10).
    margin : float
        Margin in USDC, > 0 (default 100).
    max_leverage : float
        Top of the y axis is ``margin × max_leverage`` (fixed at creation; default 50).

    Notes
    -----
    Artists: ``"bars"`` (BarContainer: margin, notional), ``"label"`` (the notional's text).
    ``summary``: ``{"notional": ...}`` from :func:`marginlib.position.notional`.
    """

    figsize = (5.0, 3.2)

    def draw(self, leverage=10.0, margin=_d.MARGIN, max_leverage=50.0):
        notional = _notional(margin=margin, leverage=leverage)
        ax = self.ax
        bars = ax.bar(["margin (yours)", "position (notional)"], [margin, notional],
                      color=[COLORS["maintenance"], COLORS["long"]], width=0.6)
        self.artists["bars"] = bars
        self.artists["label"] = ax.text(1, notional, f"{notional:,.0f} USDC", ha="center",
                                        va="bottom")
        ax.text(0, margin, f"{margin:,.0f} USDC", ha="center", va="bottom")
        ax.set_ylim(0, margin * max_leverage * 1.12)
        ax.set_ylabel("USDC")
        ax.yaxis.set_major_formatter(_THOUSANDS)
        ax.set_title("notional = margin × leverage")
        self._margin = float(margin)
        self.summary = {"notional": notional}

    def update(self, leverage=10.0, margin=_d.MARGIN, max_leverage=50.0):
        if float(margin) != self._margin:
            raise ValueError("margin is fixed once the figure is drawn; build a new plot")
        notional = _notional(margin=margin, leverage=leverage)
        self.artists["bars"].patches[1].set_height(notional)
        label = self.artists["label"]
        label.set_y(notional)
        label.set_text(f"{notional:,.0f} USDC")
        self.summary = {"notional": notional}


class EquityPlot(LivePlot):
    """Equity of an isolated position against the mark price, with liquidation and bankruptcy.

    Equity is ``margin + unrealized_pnl``; the maintenance margin ``q·P·m`` is drawn too, so
    the liquidation point is where the two lines meet and the bankruptcy point where equity
    crosses zero. The price region where the position is already liquidated is shaded.

    Parameters (``draw``/``update``)
    --------------------------------
    leverage : float
        Leverage, >= 1 (default 10).
    side : {"long", "short"}
    maintenance_margin_rate : float
        In [0, 1), default 5 %. At or above ``1/leverage`` the position cannot be opened:
        the lines still follow every control, the liquidation marker is left out, the whole
        price axis is shaded, ``out_of_range`` is True and ``message`` says how to get back.
    margin : float
        Isolated margin in USDC (default 100). Fixed once drawn.
    entry_price : float
        Entry price in USDC (default 2.50). Fixed once drawn.

    Notes
    -----
    The price axis spans entry ±60 % and the equity axis ±3 × margin, both fixed, so
    leverages compare by eye (a steeper line is a larger position).

    Artists: ``"equity"``, ``"maintenance"`` (lines over the price grid), ``"liquidation"``
    and ``"bankruptcy"`` (one-point markers), ``"liquidated"`` (the shaded Rectangle).
    ``summary``: size, notional, liquidation_price, bankruptcy_price,
    liquidation_move / bankruptcy_move (fractions of entry, signed),
    equity_at_liquidation.
    """

    #: Half-width of the price axis as a fraction of the entry price.
    price_span = 0.6
    #: Equity axis: ± this many margins.
    equity_span = 3.0
    #: Points on the price grid.
    points = 241

    def _compute(self, leverage, side, maintenance_margin_rate, margin, entry_price):
        # A leverage at or above 1/m cannot be opened: the equity and maintenance lines are
        # still drawn (they show why: equity starts below maintenance), the liquidation marker
        # is left out and the whole price axis is shaded; ``message`` says how to get back.
        leverage, m = float(leverage), float(maintenance_margin_rate)
        out = leverage >= _leverage_limit(maintenance_margin_rate=m) * (1 - 1e-12)
        size = position_size(margin=margin, leverage=leverage, entry_price=entry_price)
        bk = bankruptcy_price(side, entry_price=entry_price, size=size, margin=margin)
        liq = float("nan") if out else liquidation_price(
            side, entry_price=entry_price, size=size, margin=margin, maintenance_margin_rate=m)
        equity = margin + unrealized_pnl(side, size=size, entry_price=entry_price,
                                         mark_price=self._prices)
        mm = maintenance_margin(size=size, price=self._prices, maintenance_margin_rate=m)
        summary = {
            "side": side,
            "leverage": leverage,
            "margin": float(margin),
            "entry_price": float(entry_price),
            "size": size,
            "notional": _notional(margin=margin, leverage=leverage),
            "liquidation_price": liq,
            "bankruptcy_price": bk,
            "liquidation_move": liq / entry_price - 1.0,
            "bankruptcy_move": bk / entry_price - 1.0,
            # equity where the position is liquidated (= maintenance margin there)
            "equity_at_liquidation": float("nan") if out else float(margin + unrealized_pnl(
                side, size=size, entry_price=entry_price, mark_price=max(liq, 1e-300))),
            "openable": not out,
        }
        self.out_of_range = out
        self.message = opening_limit_message(leverage, m) if out else None
        return equity, mm, summary

    def _span(self, side, summary):
        if self.out_of_range:
            lo, hi = self._xlim
            return lo, hi - lo
        return _liquidated_span(side, summary["liquidation_price"], self._xlim)

    def draw(self, leverage=10.0, side="long", maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
             margin=_d.MARGIN, entry_price=_d.ENTRY_PRICE):
        margin = float(positive("margin", margin))
        entry_price = float(positive("entry_price", entry_price))
        self._fixed = (margin, entry_price)
        lo, hi = entry_price * (1 - self.price_span), entry_price * (1 + self.price_span)
        self._prices = np.linspace(lo, hi, self.points)
        self._xlim = (lo, hi)
        equity, mm, summary = self._compute(leverage, side, maintenance_margin_rate, margin,
                                            entry_price)
        ax = self.ax
        ax.axhline(0.0, color=COLORS["bankruptcy"], lw=0.8)
        ax.axvline(entry_price, color=COLORS["entry"], ls=":", lw=1, label="entry price")
        x, width = self._span(side, summary)
        self.artists["liquidated"] = ax.axvspan(x, x + width, color=COLORS["liquidation"],
                                                alpha=0.08, lw=0, label="liquidated here")
        (self.artists["equity"],) = ax.plot(self._prices, equity, color=COLORS["equity"], lw=2,
                                            label="equity = margin + PnL")
        (self.artists["maintenance"],) = ax.plot(self._prices, mm, color=COLORS["maintenance"],
                                                 lw=1.2, ls="--", label="maintenance margin")
        (self.artists["liquidation"],) = ax.plot(
            [summary["liquidation_price"]], [summary["equity_at_liquidation"]], "o",
            color=COLORS["liquidation"], mfc="none", ms=11, mew=2, zorder=4,
            label="liquidation price")
        (self.artists["bankruptcy"],) = ax.plot(
            [summary["bankruptcy_price"]], [0.0], "X", color=COLORS["bankruptcy"], ms=7,
            zorder=3, label="bankruptcy price (equity 0)")
        ax.set_xlim(*self._xlim)
        ax.set_ylim(-self.equity_span * margin, self.equity_span * margin)
        ax.set_xlabel("mark price (USDC)")
        ax.set_ylabel("equity (USDC)")
        top = ax.secondary_xaxis("top", functions=(lambda p: 100 * (p / entry_price - 1),
                                                   lambda r: entry_price * (1 + r / 100)))
        top.set_xlabel("price move from entry (%)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small",
                  frameon=False)
        ax.set_title(f"isolated margin {margin:,.0f} USDC, entry price {entry_price:,.2f}",
                     fontsize="medium")
        self.summary = summary

    def update(self, leverage=10.0, side="long", maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
               margin=_d.MARGIN, entry_price=_d.ENTRY_PRICE):
        if (float(margin), float(entry_price)) != self._fixed:
            raise ValueError("margin and entry_price are fixed once the figure is drawn; "
                             "build a new plot to change them")
        # All maths first: a ValueError here leaves every artist untouched.
        equity, mm, summary = self._compute(leverage, side, maintenance_margin_rate, margin,
                                            entry_price)
        a = self.artists
        a["equity"].set_ydata(equity)
        a["maintenance"].set_ydata(mm)
        a["liquidation"].set_data([summary["liquidation_price"]],
                                  [summary["equity_at_liquidation"]])
        a["bankruptcy"].set_xdata([summary["bankruptcy_price"]])
        x, width = self._span(side, summary)
        a["liquidated"].set_x(x)
        a["liquidated"].set_width(width)
        self.summary = summary


class ReturnOnMarginPlot(LivePlot):
    """Return on margin against the price move, one line per leverage, at a chosen move.

    ``return on margin = s · L · move`` for a linear position (before liquidation). Lines
    continue below −100 % (the margin is gone: the bankruptcy line) to show how far a
    liquidation that did not fill in time would overshoot; ``×`` marks where each leverage is
    liquidated (maintenance rate ``maintenance_margin_rate``).

    Parameters (``draw``/``update``)
    --------------------------------
    move : float
        Price move from entry as a fraction (−0.3 = −30 %), within ``±move_span``.
    side : {"long", "short"}
    maintenance_margin_rate : float
        In [0, 1) (default 5 %, :mod:`marginlib.course.defaults`). A leverage at or above
        ``1/m`` cannot be opened: its line is drawn, its liquidation marker is left out (NaN)
        and ``summary["openable"]`` is False for it.
    leverages : tuple of float
        Fixed at creation (default ``(1, 5, 10, 20)``).

    Notes
    -----
    Artists: ``"line_<L>"`` per leverage, ``"points"`` (the values at ``move``),
    ``"liquidations"`` (× markers), ``"move"`` (vertical line at ``move``).
    ``summary``: ``{"move", "side", "leverages", "return_on_margin", "liquidation_move",
    "liquidation_rom", "openable"}`` (arrays aligned with ``leverages``).
    """

    #: Price-move axis: ± this fraction.
    move_span = 0.3
    #: Return-on-margin axis limits (fractions).
    rom_limits = (-3.0, 3.0)
    points = 121

    def _compute(self, move, side, maintenance_margin_rate, leverages):
        if tuple(float(x) for x in leverages) != self._leverages:
            raise ValueError("leverages are fixed once the figure is drawn; build a new plot")
        move = float(move)
        if not -self.move_span <= move <= self.move_span:
            raise ValueError(f"move must be within ±{self.move_span:.0%}, got {move:.2%}")
        lev = np.asarray(self._leverages)
        entry = 1.0
        size = position_size(margin=1.0, leverage=lev, entry_price=entry)
        rom = return_on_margin(side, size=size, entry_price=entry,
                               mark_price=entry * (1 + move), margin=1.0)
        lines = return_on_margin(side, size=size[:, None], entry_price=entry,
                                 mark_price=entry * (1 + self._moves), margin=1.0)
        # a leverage at or above 1/m cannot be opened: no liquidation marker (NaN), flagged
        openable = lev < _leverage_limit(maintenance_margin_rate=maintenance_margin_rate) * \
            (1 - 1e-12)
        liq = np.full(lev.shape, np.nan)
        liq[openable] = liquidation_price(side, entry_price=entry, size=size[openable],
                                          margin=1.0,
                                          maintenance_margin_rate=maintenance_margin_rate)
        liq_move = liq / entry - 1.0
        liq_rom = np.full(lev.shape, np.nan)
        liq_rom[openable] = return_on_margin(side, size=size[openable], entry_price=entry,
                                             mark_price=np.maximum(liq[openable], 1e-12),
                                             margin=1.0)
        summary = {"move": move, "side": side, "leverages": lev,
                   "maintenance_margin_rate": float(maintenance_margin_rate),
                   "return_on_margin": np.atleast_1d(rom), "liquidation_move": liq_move,
                   "liquidation_rom": liq_rom, "openable": openable}
        return lines, summary

    def draw(self, move=-0.08, side="long", maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
             leverages=(1, 5, 10, 20)):
        self._leverages = tuple(float(x) for x in leverages)
        self._moves = np.linspace(-self.move_span, self.move_span, self.points)
        lines, summary = self._compute(move, side, maintenance_margin_rate, leverages)
        ax = self.ax
        ax.axhline(0.0, color=COLORS["entry"], lw=0.8)
        ax.axhline(-1.0, color=COLORS["bankruptcy"], lw=1, ls="--",
                   label="−100 %: margin gone (bankruptcy)")
        for i, (lev, ys) in enumerate(zip(self._leverages, lines)):  # style per leverage
            (self.artists[f"line_{lev:g}"],) = ax.plot(self._moves, ys, lw=1.8, ms=5,
                                                       label=f"{lev:g}×", **series(i))
        self.artists["move"] = ax.axvline(summary["move"], color=COLORS["price"], lw=1, ls=":")
        (self.artists["points"],) = ax.plot(
            np.full(len(lines), summary["move"]), summary["return_on_margin"], "o",
            color=COLORS["price"], ms=6)
        (self.artists["liquidations"],) = ax.plot(
            summary["liquidation_move"], summary["liquidation_rom"], "x",
            color=COLORS["liquidation"], ms=8, mew=2, label="liquidation")
        ax.set_xlim(-self.move_span, self.move_span)
        ax.set_ylim(*self.rom_limits)
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
        ax.set_xlabel("price move from entry")
        ax.set_ylabel("return on margin")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small",
                  frameon=False)
        self.summary = summary

    def update(self, move=-0.08, side="long", maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
               leverages=(1, 5, 10, 20)):
        lines, summary = self._compute(move, side, maintenance_margin_rate, leverages)
        for lev, ys in zip(self._leverages, lines):
            self.artists[f"line_{lev:g}"].set_ydata(ys)
        self.artists["move"].set_xdata([summary["move"], summary["move"]])
        self.artists["points"].set_data(np.full(len(lines), summary["move"]),
                                        summary["return_on_margin"])
        self.artists["liquidations"].set_data(summary["liquidation_move"],
                                              summary["liquidation_rom"])
        self.summary = summary
