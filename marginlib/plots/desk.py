"""The practice desk's live figure (notebook 08): marks and liquidation prices, and equity.

* :func:`desk_figure` -- left: the chosen market's mark over the desk's time, with the
  liquidation price of every open position on that market (isolated dashed, cross solid);
  right: the account's equity (wallet + isolated margins + unrealised PnL) over time. Every
  number comes from a :class:`marginlib.course.desk.Desk` (``history`` and ``blotter``).

>>> from marginlib.course.desk import Desk
>>> desk = Desk()
>>> p = desk_figure(desk=desk, market="AGENT", static=True)
>>> p.artists["equity"].get_ydata().tolist()
[1000.0]
"""
from __future__ import annotations

import numpy as np

from ._base import COLORS, LivePlot, set_limits
from .style import FONT

__all__ = ["DeskPlot", "desk_figure"]


class DeskPlot(LivePlot):
    """Marks and liquidation prices of one market, and the account's equity, over time.

    Parameters (``draw``/``update``)
    ---------------------------------
    desk : marginlib.course.desk.Desk
    market : str
        The market whose marks are drawn on the left.
    quote : marginlib.course.desk.Quote, optional
        The order ticket's estimate: its liquidation price is drawn dotted (if on ``market``
        and above 0).
    selected : str, optional
        An open position to ring (if on ``market``).
    preview : float, optional
        The selected position's liquidation price after a top-up, drawn as a cross.

    Attributes
    ----------
    artists : dict
        ``"mark"`` (Line2D, time vs price), ``"iso_liq"`` and ``"cross_liq"`` (Line2D: one
        horizontal segment per open position, separated by NaN), ``"quote"`` (the ticket's
        estimate), ``"selected"`` and ``"preview"`` (markers at the last time), ``"equity"``
        (Line2D, time vs equity), ``"title"`` (the left axes' title Text).
    """

    figsize = (9.0, 3.4)
    ncols = 2

    def _extras(self, desk, market, quote, selected, preview, t0, t_end):
        """(x, y) of the ticket's estimate, the selected position and the top-up preview."""
        q = ([t0, t_end], [quote.liquidation_price] * 2) if (
            quote is not None and quote.market == market and quote.liquidation_price > 0) \
            else ([], [])
        rows = [r for r in desk.blotter() if r["position"] == selected and r["market"] == market]
        sel = ([t_end], [rows[0]["liquidation_price"]]) if rows else ([], [])
        pre = ([t_end], [preview]) if rows and preview is not None else ([], [])
        return q, sel, pre

    def _data(self, desk, market):
        hist = desk.history
        t = np.array([h[0] for h in hist], dtype=float)
        if market not in hist[-1][2]:
            raise ValueError(f"market must be one of {', '.join(hist[-1][2])}, got {market!r}")
        price = np.array([h[2][market] for h in hist], dtype=float)
        equity = np.array([h[1] for h in hist], dtype=float)
        t_end = max(float(t[-1]), 1.0)
        segments = {"isolated": ([], []), "cross": ([], [])}
        for row in desk.blotter():
            if row["market"] != market:
                continue
            xs, ys = segments[row["mode"]]
            xs += [float(t[0]), t_end, np.nan]
            ys += [row["liquidation_price"]] * 2 + [np.nan]
        return t, price, equity, t_end, segments

    def draw(self, desk, market="AGENT", quote=None, selected=None, preview=None):
        left, right = self.ax
        t, price, equity, t_end, seg = self._data(desk, market)
        q, sel, pre = self._extras(desk, market, quote, selected, preview, float(t[0]), t_end)
        (self.artists["mark"],) = left.step(t, price, where="post", color=COLORS["price"],
                                            label="mark")
        (self.artists["iso_liq"],) = left.plot(*seg["isolated"], color=COLORS["isolated"],
                                               ls="--", label="liquidation (isolated)")
        (self.artists["cross_liq"],) = left.plot(*seg["cross"], color=COLORS["cross"],
                                                 ls="-", label="liquidation (cross)")
        (self.artists["quote"],) = left.plot(*q, color=COLORS["liquidation"], ls=":",
                                             label="ticket's estimate")
        (self.artists["selected"],) = left.plot(*sel, ls="none", marker="o", ms=11,
                                                mfc="none", color=COLORS["price"],
                                                label="selected position")
        (self.artists["preview"],) = left.plot(*pre, ls="none", marker="X", ms=8,
                                               color=COLORS["bankruptcy"],
                                               label="after the top-up")
        left.set_xlabel("hours")
        left.set_ylabel("USDC")
        self.artists["title"] = left.set_title(f"{market}: mark and liquidation prices")
        left.legend(loc="lower left", fontsize=FONT["legend"])  # >= 9 pt (plots/style.py)
        (self.artists["equity"],) = right.step(t, equity, where="post",
                                               color=COLORS["equity"], label="equity")
        right.set_xlabel("hours")
        right.set_ylabel("USDC")
        right.set_title("account equity")
        self._limits(t_end, price, equity, seg, q[1] + pre[1])

    def _limits(self, t_end, price, equity, seg, more=()):
        left, right = self.ax
        ys = list(price) + [y for s in seg.values() for y in s[1] if np.isfinite(y)]
        ys += list(more)
        # sticky limits (plots._base.set_limits): a new quote or a small move keeps them, and
        # the live figure repaints only the changed lines (widgets._base.FastRedraw)
        set_limits(left, x=[0.0, t_end], y=[0.0] + ys, sticky=True, x_start=0.0, pad=0.0,
                   shrink=2.0)
        set_limits(right, x=[0.0, t_end], y=[0.0] + list(equity), sticky=True, x_start=0.0,
                   pad=0.0, shrink=2.0)

    def update(self, desk, market="AGENT", quote=None, selected=None, preview=None):
        t, price, equity, t_end, seg = self._data(desk, market)
        q, sel, pre = self._extras(desk, market, quote, selected, preview, float(t[0]), t_end)
        self.artists["quote"].set_data(*q)
        self.artists["selected"].set_data(*sel)
        self.artists["preview"].set_data(*pre)
        self.artists["mark"].set_data(t, price)
        self.artists["iso_liq"].set_data(*seg["isolated"])
        self.artists["cross_liq"].set_data(*seg["cross"])
        self.artists["equity"].set_data(t, equity)
        self.artists["title"].set_text(f"{market}: mark and liquidation prices")
        self._limits(t_end, price, equity, seg, q[1] + pre[1])


def desk_figure(desk, market="AGENT", *, quote=None, selected=None, preview=None, ax=None,
                static=False):
    """Draw :class:`DeskPlot` for ``desk`` (``ax``: a pair of axes, or None for a new figure)."""
    return DeskPlot(ax, static=static, desk=desk, market=market, quote=quote,
                    selected=selected, preview=preview)
