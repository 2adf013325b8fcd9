"""Plots for notebook 03 (funding-rate drag): every number drawn comes from ``marginlib``.

* :func:`funding_drift` -- an isolated position at a constant price paying a constant funding
  rate: its equity (top) and liquidation price (bottom) over days, and the day funding alone
  liquidates it (:func:`marginlib.funding_drift.isolated_funding_drift`, checked against
  :func:`marginlib.funding_drift.intervals_to_funding_liquidation`).
* :func:`funding_drag` -- annualised funding cost against the rate (log–log), as a share of
  notional and of margin at a leverage, with the venues' caps drawn
  (:data:`marginlib.venues.FUNDING_CAPS`).
* :func:`right_direction` -- "right direction, still lost": a seeded price path that ends
  above entry (:func:`marginlib.data.synthetic.bridge_price_path`) and a leveraged long whose
  equity after funding and fees (:func:`marginlib.costs.net_pnl_path`) ends below its margin
  (or is liquidated on the way).
* :func:`schedule_comparison` -- the same daily cost paid every 8 h or every hour: the
  margin left, step by step (:func:`marginlib.funding.hourly_funding_schedule`).

Defaults are the article's setting (:mod:`marginlib.course.defaults`: 100 USDC at 10× on a
token at 2.50, maintenance 5 %). Liquidation is strictly below maintenance: 100 payments of
0.50 USDC drain the 50 USDC buffer exactly onto maintenance (not liquidated), the 101st
liquidates.

>>> p = funding_drift(static=True)          # 10× long, 5 bp per 8 h, 60 days
>>> round(p.liquidation_day, 2), p.closed_form_intervals
(33.67, 101)
"""
from __future__ import annotations

import numpy as np

from marginlib import _validation as v
from marginlib.costs import net_pnl_path
from marginlib.course import defaults as _d
from marginlib.data.synthetic import bridge_price_path
from marginlib.funding import (annualize_funding_rate, convert_funding_rate,
                               cumulative_funding, days_to_consume_margin,
                               hourly_funding_schedule)
from marginlib.liquidation import leverage_limit, maintenance_margin
from marginlib.funding_drift import intervals_to_funding_liquidation, isolated_funding_drift
from marginlib.liquidation import liquidation_outcome
from marginlib.position import position_size
from marginlib.sim.rates import constant_rate_path
from marginlib.venues import FUNDING_CAPS

from ._base import COLORS, LivePlot, set_limits
from .style import FONT
from .leverage import _check_opening, opening_limit_message

__all__ = [
    "FundingDriftPlot",
    "funding_drift",
    "FundingDragPlot",
    "funding_drag",
    "RightDirectionPlot",
    "right_direction",
    "ScheduleComparisonPlot",
    "schedule_comparison",
    "DEFAULT_CAP_KEYS",
    "RATE_GRID_BP",
    "RIGHT_DIRECTION_SEED",
]

_BP = 1e-4
#: Funding rates (bp per 8 h) on the x axis of :func:`funding_drag`: 0.1 bp to 100 %.
RATE_GRID_BP = np.logspace(-1, 4, 401)
#: Caps drawn by default on :func:`funding_drag` (keys of
#: :data:`marginlib.venues.FUNDING_CAPS`).
DEFAULT_CAP_KEYS = ("binance_btcusdt", "binance_le25x", "okx_ai16z", "dydx_isolated",
                    "hyperliquid")
#: Seed of the default path of :func:`right_direction` (a dip of about 8 % on the way up).
RIGHT_DIRECTION_SEED = 7


def _num(x):
    """3 significant digits below 100, thousands separators above (no ``1e+03``)."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _signed(x, digits=2):
    """``+9.00`` / ``−4.34`` (a real minus sign)."""
    return f"{x:+.{digits}f}".replace("-", "−")


def _no_axes(ax, name):
    if ax is not None:
        raise ValueError(f"{name} draws its own two-panel figure: leave ax=None")


def _days(n_intervals, interval_hours):
    return np.arange(n_intervals + 1) * interval_hours / 24.0


def _n_intervals(days, interval_hours):
    n = int(round(float(days) * 24.0 / float(interval_hours)))
    if n < 1:
        raise ValueError(f"days must cover at least one funding interval of {interval_hours:g} h")
    return n


# ---------------------------------------------------------------------------------------------
# (1) equity and liquidation price over days
# ---------------------------------------------------------------------------------------------


class FundingDriftPlot(LivePlot):
    """Equity (top) and liquidation price (bottom) of an isolated position paying funding.

    The price stays at entry: only funding moves the margin. Artists: ``"equity"`` and
    ``"equity_after"`` (faded once liquidated), ``"maintenance"`` (the requirement),
    ``"liquidation"`` and ``"liquidation_after"``, ``"mark"``, ``"day_top"`` and
    ``"day_bottom"`` (vertical lines at the day funding alone liquidates; NaN if never),
    ``"hit"`` (the point on the liquidation line where it meets the mark), ``"label"``.

    After :meth:`update`: ``drift`` (the :class:`marginlib.funding_drift.FundingDrift`), ``days``
    (x values),
    ``liquidation_interval`` (−1 if never), ``liquidation_day`` (``None`` if not within the
    period), ``closed_form_intervals`` (the closed form, −1 if never), ``size``.
    """

    figsize = (7.0, 5.6)
    nrows = 2

    def draw(self, rate_bp=5.0, leverage=_d.LEVERAGE, days=60.0, side=_d.SIDE,
             interval_hours=8.0, entry_price=_d.ENTRY_PRICE, margin=_d.MARGIN,
             maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE, convention="mark"):
        top, bottom = self.ax
        a = self.artists
        (a["equity"],) = top.plot([], [], color=COLORS["equity"], lw=2,
                                  label="equity = margin after funding")
        (a["equity_after"],) = top.plot([], [], color=COLORS["equity"], lw=1.5, alpha=0.3,
                                        ls="--", label="(after liquidation: not reached)")
        (a["maintenance"],) = top.plot([], [], color=COLORS["maintenance"], lw=1.2, ls=":",
                                       label="maintenance margin")
        a["day_top"] = top.axvline(np.nan, color=COLORS["liquidation"], lw=1.2, ls="-.")
        top.set_ylabel("USDC")
        top.grid(alpha=0.3)
        (a["mark"],) = bottom.plot([], [], color=COLORS["price"], lw=1.2, ls=":",
                                   label="mark price (constant)")
        (a["liquidation"],) = bottom.plot([], [], color=COLORS["liquidation"], lw=2,
                                          label="liquidation price")
        (a["liquidation_after"],) = bottom.plot([], [], color=COLORS["liquidation"], lw=1.5,
                                                alpha=0.3, ls="--")
        a["day_bottom"] = bottom.axvline(np.nan, color=COLORS["liquidation"], lw=1.2, ls="-.")
        (a["hit"],) = bottom.plot([], [], "X", ms=11, color=COLORS["liquidation"],
                                  label="funding alone liquidates")
        a["label"] = top.text(0.99, 0.62, "", transform=top.transAxes, ha="right", va="top",
                              fontsize=FONT["note"], bbox=dict(boxstyle="round", fc="white", ec=COLORS["fill"],
                                                      alpha=0.85))
        bottom.set_xlabel("days held")
        bottom.set_ylabel("price (USDC)")
        bottom.grid(alpha=0.3)
        self.update(rate_bp, leverage, days, side, interval_hours, entry_price, margin,
                    maintenance_margin_rate, convention)
        top.legend(loc="upper right", fontsize=FONT["note"])
        bottom.legend(loc="center right", fontsize=FONT["note"])

    def update(self, rate_bp=5.0, leverage=_d.LEVERAGE, days=60.0, side=_d.SIDE,
               interval_hours=8.0, entry_price=_d.ENTRY_PRICE, margin=_d.MARGIN,
               maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE, convention="mark"):
        rate = float(v.finite("rate_bp", rate_bp)) * _BP
        n = _n_intervals(days, interval_hours)
        size = position_size(margin=margin, leverage=leverage, entry_price=entry_price)
        self.out_of_range = float(leverage) >= leverage_limit(
            maintenance_margin_rate=maintenance_margin_rate) * (1 - 1e-12)
        self.message = (opening_limit_message(float(leverage), float(maintenance_margin_rate),
                                              rate_is_a_control=False)
                        if self.out_of_range else None)
        if self.out_of_range:
            self._cannot_open(rate, rate_bp, leverage, n, side, interval_hours, entry_price,
                              margin, size, maintenance_margin_rate)
            return
        drift = isolated_funding_drift(side, entry_price=entry_price, size=size, margin=margin,
                                       rate_path=constant_rate_path(funding_rate=rate,
                                                                    n_intervals=n),
                                       maintenance_margin_rate=maintenance_margin_rate,
                                       convention=convention)
        closed = intervals_to_funding_liquidation(side, entry_price=entry_price, size=size,
                                                  margin=margin, funding_rate=rate,
                                                  maintenance_margin_rate=maintenance_margin_rate,
                                                  convention=convention)
        x = _days(n, interval_hours)
        k = drift.liquidation_interval
        cut = n + 1 if k < 0 else k + 1
        a = self.artists
        a["equity"].set_data(x[:cut], drift.equity[:cut])
        a["equity_after"].set_data(x[cut - 1:], drift.equity[cut - 1:])
        a["maintenance"].set_data(x, drift.maintenance_margin)
        a["liquidation"].set_data(x[:cut], drift.liquidation_price[:cut])
        a["liquidation_after"].set_data(x[cut - 1:], drift.liquidation_price[cut - 1:])
        a["mark"].set_data(x, drift.mark_price)
        day = None if k < 0 else float(x[k])
        vline = [np.nan, np.nan] if day is None else [day, day]
        a["day_top"].set_xdata(vline)
        a["day_bottom"].set_xdata(vline)
        a["hit"].set_data([] if day is None else [day],
                          [] if day is None else [drift.liquidation_price[k]])
        top, bottom = self.ax
        for ax in (top, bottom):  # from day 0; a few more days keep the axis
            set_limits(ax, x=[0.0, x[-1]], sticky=True, x_start=0.0, pad=0.0, shrink=1.5)
        # sticky limits (plots._base.set_limits): a small step keeps them, and the live figure
        # repaints only the lines (widgets._base.FastRedraw)
        set_limits(top, y=[0.0, float(np.max(drift.equity)), float(np.min(drift.equity[:cut])),
                           float(drift.maintenance_margin[0])], sticky=True)
        set_limits(bottom, y=[float(entry_price), float(np.min(drift.liquidation_price)),
                              float(np.max(drift.liquidation_price[:cut]))], sticky=True)
        who = "pays" if (rate > 0) == (side == "long") and rate != 0 else "receives"
        title = (f"{side} {leverage:g}× ({margin:g} USDC at {entry_price:g}), {who} "
                 f"{abs(rate_bp):g} bp every {interval_hours:g} h")
        top.set_title(title, fontsize=FONT["label"])
        if day is None:
            text = (f"not liquidated by funding within {x[-1]:g} days"
                    if closed < 0 or closed > n else "")
            if closed > n:
                text += f" (it would be after {closed * interval_hours / 24:g} days)"
        else:
            text = (f"funding alone liquidates it on day {day:g} (payment {k});\n"
                    f"effective leverage {drift.effective_leverage[k - 1]:.1f}× just before")
        a["label"].set_text(text)
        self.drift, self.days, self.size = drift, x, size
        self.liquidation_interval, self.liquidation_day = k, day
        self.closed_form_intervals = closed

    def _cannot_open(self, rate, rate_bp, leverage, n, side, interval_hours, entry_price,
                     margin, size, maintenance_margin_rate):
        """A leverage at or above 1/m: the position cannot be opened. The figure still follows
        rate, leverage and days: the margin after funding against the maintenance requirement
        (already above it at day 0); no liquidation price exists, so none is drawn."""
        x = _days(n, interval_hours)
        flows = cumulative_funding(side, size=size, price_path=np.full(n + 1, float(entry_price)),
                                   rate_path=np.concatenate([[0.0], np.full(n, rate)]))
        equity = margin + flows.cumulative
        mm = np.full(n + 1, maintenance_margin(size=size, price=entry_price,
                                               maintenance_margin_rate=maintenance_margin_rate))
        a = self.artists
        a["equity"].set_data(x, equity)
        a["maintenance"].set_data(x, mm)
        for name in ("equity_after", "liquidation", "liquidation_after", "hit"):
            a[name].set_data([], [])
        a["mark"].set_data(x, np.full(n + 1, float(entry_price)))
        a["day_top"].set_xdata([np.nan, np.nan])
        a["day_bottom"].set_xdata([np.nan, np.nan])
        top, bottom = self.ax
        for ax in (top, bottom):
            set_limits(ax, x=[0.0, x[-1]], sticky=True, x_start=0.0, pad=0.0, shrink=1.5)
        set_limits(top, y=[0.0, float(np.max(equity)), float(np.min(equity)), float(mm[0])],
                   sticky=True)
        set_limits(bottom, y=[float(entry_price)], sticky=True)
        who = "would pay" if (rate > 0) == (side == "long") and rate != 0 else "would receive"
        top.set_title(f"{side} {leverage:g}× ({margin:g} USDC at {entry_price:g}) cannot be "
                      f"opened; it {who} {abs(rate_bp):g} bp every {interval_hours:g} h",
                      fontsize=FONT["label"])
        a["label"].set_text("margin below maintenance from the start:\n"
                            "no liquidation price to drift")
        self.drift, self.days, self.size = None, x, size
        self.liquidation_interval, self.liquidation_day = -1, None
        self.closed_form_intervals = -1


def funding_drift(ax=None, *, static=False, rate_bp=5.0, leverage=_d.LEVERAGE, days=60.0,
                  side=_d.SIDE, interval_hours=8.0, entry_price=_d.ENTRY_PRICE, margin=_d.MARGIN,
                  maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE, convention="mark"):
    """Equity and liquidation price of an isolated position paying funding, over days.

    Parameters
    ----------
    ax : None
        Two panels: the plot always makes its own figure (``ax`` must be None).
    static : bool
        Agg figure for a PNG.
    rate_bp : float
        Funding rate per interval in basis points (5 = 0.05 %), any sign; positive: longs pay.
    leverage : float
        >= 1; sets the size ``margin × leverage / entry_price``.
    days : float
        Holding period shown.
    side, interval_hours, entry_price, margin, maintenance_margin_rate, convention
        The position and venue (default: the article's long on a token at 2.50, 100 USDC of
        margin, 8-hour funding, 5 % maintenance at the mark).

    Returns
    -------
    FundingDriftPlot
    """
    _no_axes(ax, "funding_drift")
    return FundingDriftPlot(ax, static=static, rate_bp=rate_bp, leverage=leverage, days=days,
                            side=side, interval_hours=interval_hours, entry_price=entry_price,
                            margin=margin, maintenance_margin_rate=maintenance_margin_rate,
                            convention=convention)


# ---------------------------------------------------------------------------------------------
# (2) annualised drag against the rate, with the caps
# ---------------------------------------------------------------------------------------------


class FundingDragPlot(LivePlot):
    """Annualised funding cost against the rate per 8 h (log–log), venue caps drawn.

    Artists: ``"notional"`` (simple annual cost, % of notional), ``"compounded"`` (the
    venues' compounded APR quote, % of notional), ``"margin"`` (% of margin at the leverage),
    ``"wipeout"`` (100 % of margin), ``"baseline"`` (0.01 %/8 h), one ``"cap:<key>"`` vertical
    line per cap, ``"marker"`` (the chosen rate on the margin line), ``"label"``.

    After :meth:`update`: ``annual_notional`` and ``annual_margin`` (fractions at the chosen
    rate), ``days_to_wipe_out`` (days of funding that cost the whole margin,
    :func:`marginlib.funding.days_to_consume_margin`),
    ``cap_rates_bp`` (each cap in bp per 8 h).
    """

    figsize = (7.0, 4.4)

    def draw(self, rate_bp=5.0, leverage=5.0, caps=DEFAULT_CAP_KEYS):
        ax = self.ax
        a = self.artists
        x = RATE_GRID_BP
        simple = np.asarray(annualize_funding_rate(x * _BP, interval_hours=8.0)) * 100
        hourly = np.asarray(convert_funding_rate(x * _BP, from_hours=8.0, to_hours=1.0))
        compounded = np.asarray(annualize_funding_rate(hourly, interval_hours=1.0,
                                                       compounded=True)) * 100
        (a["notional"],) = ax.plot(x, simple, color=COLORS["funding"], lw=2, ls="--",
                                   label="cost per year, % of notional (simple)")
        (a["compounded"],) = ax.plot(x, np.where(compounded < 1e9, compounded, np.nan),
                                     color=COLORS["funding"], lw=1, ls=":",
                                     label="compounded hourly (the venues' APR quote)")
        (a["margin"],) = ax.plot(x, simple, color=COLORS["liquidation"], lw=2,
                                 label="cost per year, % of margin")
        a["wipeout"] = ax.axhline(100, color=COLORS["bankruptcy"], lw=1, ls="--",
                                  label="100 % of margin: all of it")
        a["baseline"] = ax.axvline(1.0, color=COLORS["entry"], lw=1, ls="-.",
                                   label="baseline 0.01 %/8 h")
        self.cap_rates_bp = {}
        ymax = 1e7
        names = {}
        for key in caps:
            cap = FUNDING_CAPS[key]
            bp = round(float(cap.per_hours(8.0)) / _BP, 9)
            self.cap_rates_bp[key] = bp
            a[f"cap:{key}"] = ax.axvline(bp, color=COLORS["reference"], lw=0.8, alpha=0.7)
            names.setdefault(bp, []).append(cap.name.split(" (")[0])
        for bp, labels in names.items():
            ax.text(bp, 0.15, " cap: " + " / ".join(labels), rotation=90, fontsize=FONT["note"],
                    va="bottom", ha="right", color=COLORS["reference"])
        (a["marker"],) = ax.plot([], [], "o", ms=8, color=COLORS["liquidation"])
        a["label"] = ax.annotate("", (1, 1), xytext=(10, -30), textcoords="offset points",
                                 fontsize=FONT["note"], bbox=dict(boxstyle="round", fc="white",
                                                         ec=COLORS["fill"], alpha=0.9))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(0.1, ymax)
        ax.set_xlabel("funding rate, bp per 8 h (1 bp = 0.01 %), log scale")
        ax.set_ylabel("paid in a year, % (log scale)")
        ax.set_title("Funding drag: what a year of a constant rate costs", fontsize=FONT["label"])
        ax.grid(alpha=0.3, which="both", lw=0.4)
        self.update(rate_bp, leverage, caps)
        ax.legend(loc="upper left", fontsize=FONT["note"])

    def update(self, rate_bp=5.0, leverage=5.0, caps=DEFAULT_CAP_KEYS):
        rate_bp = float(v.positive("rate_bp", rate_bp))
        lev = float(v.leverage_value("leverage", leverage))
        x = RATE_GRID_BP
        simple = np.asarray(annualize_funding_rate(x * _BP, interval_hours=8.0)) * 100
        a = self.artists
        a["margin"].set_ydata(simple * lev)
        a["margin"].set_label(f"cost per year, % of margin at {lev:g}×")
        annual = float(annualize_funding_rate(rate_bp * _BP, interval_hours=8.0))
        here = annual * lev * 100
        a["marker"].set_data([rate_bp], [here])
        wipe_days = days_to_consume_margin(funding_rate=rate_bp * _BP, leverage=lev,
                                           interval_hours=8.0)
        a["label"].xy = (rate_bp, here)
        a["label"].set_text(f"{_num(rate_bp)} bp/8 h: {_num(100 * annual)} % of notional a "
                            f"year,\n{_num(here)} % of margin at {lev:g}×; all of it in "
                            f"{_num(wipe_days)} days")
        self.annual_notional, self.annual_margin = annual, annual * lev
        self.days_to_wipe_out = wipe_days


def funding_drag(ax=None, *, static=False, rate_bp=5.0, leverage=5.0, caps=DEFAULT_CAP_KEYS):
    """Annualised funding drag against the rate (bp per 8 h), with venue caps.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    static : bool
    rate_bp : float
        The rate marked on the curve, bp per 8 h, > 0.
    leverage : float
        >= 1: the margin line is ``leverage ×`` the notional line.
    caps : sequence of str
        Keys of :data:`marginlib.venues.FUNDING_CAPS`, each converted to a rate per 8 h
        (:meth:`marginlib.funding.FundingCap.per_hours`).

    Returns
    -------
    FundingDragPlot
        Its ``"notional"`` line is ``annualize_funding_rate(r, 8) × 100``, the ``"margin"``
        line that times the leverage.
    """
    return FundingDragPlot(ax, static=static, rate_bp=rate_bp, leverage=leverage,
                           caps=tuple(caps))


# ---------------------------------------------------------------------------------------------
# (3) right direction, still lost
# ---------------------------------------------------------------------------------------------


class RightDirectionPlot(LivePlot):
    """A path ending above entry (top) and the leveraged long's equity (bottom).

    Hourly marks, funding every ``interval_hours``. Artists (top): ``"price"``, ``"entry"``,
    ``"liquidation"`` (the liquidation price, climbing as funding is paid), ``"hit"``;
    (bottom): ``"price_only"`` (margin + price PnL), ``"after_costs"`` (after funding and both
    fees, the value if closed then), ``"start"`` (the margin put in), ``"label"``.

    After :meth:`update`: ``path`` (hourly prices), ``drift`` (the
    :class:`marginlib.funding_drift.FundingDrift` on the hourly grid), ``price_return``
    (end/entry − 1), ``price_pnl``, ``funding_paid``, ``fees``, ``net_pnl`` (all in USDC, at the
    end of the period or at liquidation), ``liquidation_hour`` (``None`` if never liquidated).
    """

    figsize = (7.0, 5.6)
    nrows = 2

    def draw(self, leverage=3.0, rate_bp=5.0, end_return_pct=3.0, rng=RIGHT_DIRECTION_SEED,
             days=30, interval_hours=8, entry_price=2.5, margin=100.0, volatility=0.5,
             taker_fee_rate=0.0005, maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE):
        top, bottom = self.ax
        a = self.artists
        (a["price"],) = top.plot([], [], color=COLORS["price"], lw=1.0,
                                 label="price (synthetic, seeded)")
        a["entry"] = top.axhline(entry_price, color=COLORS["entry"], lw=1, ls="--",
                                 label="entry")
        (a["liquidation"],) = top.plot([], [], color=COLORS["liquidation"], lw=2.0,
                                       label="liquidation price")
        (a["hit"],) = top.plot([], [], "X", ms=11, color=COLORS["liquidation"],
                               label="liquidated")
        a["liq_note"] = top.text(0.01, 0.03, "", transform=top.transAxes, ha="left",
                                 va="bottom", fontsize=FONT["note"], color=COLORS["liquidation"])
        top.set_ylabel("price (USDC)")
        top.grid(alpha=0.3)
        (a["price_only"],) = bottom.plot([], [], color=COLORS["entry"], lw=1.2, ls="--",
                                         label="margin + price PnL (no funding, no fees)")
        (a["after_costs"],) = bottom.plot([], [], color=COLORS["equity"], lw=2,
                                          label="after funding and fees")
        a["start"] = bottom.axhline(margin, color=COLORS["bankruptcy"], lw=1, ls=":",
                                    label="margin put in")
        a["label"] = bottom.text(0.01, 0.30, "", transform=bottom.transAxes, fontsize=FONT["note"],
                                 va="bottom", bbox=dict(boxstyle="round", fc="white",
                                                        ec=COLORS["fill"], alpha=0.9))
        bottom.set_xlabel("days held")
        bottom.set_ylabel("USDC")
        bottom.grid(alpha=0.3)
        self._key = None
        self.update(leverage, rate_bp, end_return_pct, rng, days, interval_hours, entry_price,
                    margin, volatility, taker_fee_rate, maintenance_margin_rate)
        top.legend(loc="upper left", fontsize=FONT["note"], ncol=2)
        bottom.legend(loc="lower right", fontsize=FONT["note"])

    def update(self, leverage=3.0, rate_bp=5.0, end_return_pct=3.0, rng=RIGHT_DIRECTION_SEED,
               days=30, interval_hours=8, entry_price=2.5, margin=100.0, volatility=0.5,
               taker_fee_rate=0.0005, maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE):
        hours = int(round(days * 24))
        step = int(round(interval_hours))
        if step < 1 or hours < step:
            raise ValueError("interval_hours must be a whole number of hours within the period")
        key = (rng, float(end_return_pct), hours, float(volatility), float(entry_price))
        if key != self._key:
            self.path = bridge_price_path(start_price=entry_price,
                                          end_price=entry_price * (1 + end_return_pct / 100),
                                          n_steps=hours, volatility=volatility, step_hours=1.0,
                                          rng=rng)
            self._key = key
        path = self.path
        size = position_size(margin=margin, leverage=leverage, entry_price=entry_price)
        rate = float(v.finite("rate_bp", rate_bp)) * _BP
        hourly_rates = hourly_funding_schedule(funding_rate=rate, n_hours=hours,
                                               interval_hours=step)
        drift = isolated_funding_drift("long", entry_price=entry_price, size=size,
                                       margin=margin, rate_path=hourly_rates,
                                       price_path=path[1:],
                                       maintenance_margin_rate=maintenance_margin_rate)
        # closing at each mark, after the taker fee on the way in and out, and funding so far
        pnl = net_pnl_path("long", size=size, entry_price=entry_price, price_path=path[1:],
                           rate_path=hourly_rates, open_fee_rate=taker_fee_rate,
                           close_fee_rate=taker_fee_rate)
        x = np.arange(hours + 1) / 24.0
        k = drift.liquidation_interval
        end = hours if k < 0 else k
        price_only = margin + pnl.price_pnl
        after = margin + pnl.net
        a = self.artists
        a["price"].set_data(x, path)
        a["liquidation"].set_data(x[:end + 1], drift.liquidation_price[:end + 1])
        a["hit"].set_data([] if k < 0 else [x[k]], [] if k < 0 else [path[k]])
        a["price_only"].set_data(x, price_only)
        a["after_costs"].set_data(x[:end + 1], after[:end + 1])
        a["start"].set_ydata([margin, margin])
        top, bottom = self.ax
        for ax in (top, bottom):
            ax.set_xlim(0, x[-1])
        liq = drift.liquidation_price[:end + 1]
        lo, hi = float(path.min()), float(path.max())
        if float(liq.max()) >= lo - 0.25 * (hi - lo):
            set_limits(top, y=[lo, hi, float(liq.min())], sticky=True)
            a["liq_note"].set_text("")
        else:  # far below: keep the price readable, say where the line is
            set_limits(top, y=[lo, hi], sticky=True)
            a["liq_note"].set_text(f"liquidation price {liq[0]:.3f} → {liq[-1]:.3f}, "
                                   "below this panel")
        set_limits(bottom, y=[0.0, float(price_only.min()), float(price_only.max()),
                              float(np.min(after[:end + 1])), margin], sticky=True)
        funding_paid = -float(pnl.funding[end])
        price_pnl = float(pnl.price_pnl[end])
        if k < 0:
            fees, net = float(pnl.fees[end]), float(pnl.net[end])
            verdict = "WON" if net > 0 else "LOST"
            text = (f"price {_signed(end_return_pct, 1)} %: price PnL {_signed(price_pnl)}, "
                    f"funding {_signed(-funding_paid)}, fees {_signed(-fees)} → net "
                    f"{_signed(net)} USDC ({verdict})")
        else:
            # the venue closes the position at the mark that liquidated it; what comes back
            # is the margin left after funding and the price move (liquidation_outcome), less
            # the margin put in and the opening fee
            fees = float(pnl.open_fee)
            out = liquidation_outcome("long", entry_price=entry_price, size=size,
                                      margin=max(float(drift.margin[k]), np.finfo(float).tiny),
                                      exit_price=float(path[k]), taker_fee_rate=taker_fee_rate)
            net = float(out.returned) - margin - fees
            self.outcome = out
            verdict = "LIQUIDATED"
            text = (f"liquidated on day {x[k]:.1f} (funding so far {_signed(-funding_paid)}); "
                    f"the price still ends {_signed(end_return_pct, 1)} %")
        a["label"].set_text(text)
        top.set_title(f"Long {leverage:g}× with {margin:g} USDC; funding {rate_bp:g} bp per "
                      f"{step} h; price ends {end_return_pct:+.1f} %", fontsize=FONT["label"])
        self.drift, self.size = drift, size
        self.price_return = float(path[-1] / entry_price - 1)
        self.price_pnl, self.funding_paid, self.fees, self.net_pnl = (price_pnl, funding_paid,
                                                                       fees, net)
        self.verdict = verdict
        self.liquidation_hour = None if k < 0 else int(k)


def right_direction(ax=None, *, static=False, leverage=3.0, rate_bp=5.0, end_return_pct=3.0,
                    rng=RIGHT_DIRECTION_SEED, days=30, interval_hours=8, entry_price=2.5,
                    margin=100.0, volatility=0.5, taker_fee_rate=0.0005,
                    maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE):
    """"Right direction, still lost": a long on a path that ends above entry.

    Parameters
    ----------
    ax : None
        Two panels: the plot always makes its own figure (``ax`` must be None).
    static : bool
    leverage : float
        >= 1.
    rate_bp : float
        Funding per interval in bp (positive: the long pays).
    end_return_pct : float
        Where the path ends, % above entry (a Brownian bridge pinned there).
    rng : int or numpy.random.Generator
        Seed of the path.
    days, interval_hours : int
        Holding period and funding interval (hourly marks).
    entry_price, margin : float
    volatility : float
        Annualised volatility of the path.
    taker_fee_rate : float
        Taker fee to open and to close, fraction of notional.
    maintenance_margin_rate : float

    Returns
    -------
    RightDirectionPlot
    """
    _no_axes(ax, "right_direction")
    return RightDirectionPlot(ax, static=static, leverage=leverage, rate_bp=rate_bp,
                              end_return_pct=end_return_pct, rng=rng, days=days,
                              interval_hours=interval_hours, entry_price=entry_price,
                              margin=margin, volatility=volatility, taker_fee_rate=taker_fee_rate,
                              maintenance_margin_rate=maintenance_margin_rate)


# ---------------------------------------------------------------------------------------------
# 1 h vs 8 h at the same daily cost
# ---------------------------------------------------------------------------------------------


class ScheduleComparisonPlot(LivePlot):
    """Margin left under an 8-hour and an hourly schedule with the same cost per day.

    Left: the whole period; right: a zoom on the liquidation (± 1 day) where the steps show.
    Artists: ``"8h"``, ``"1h"`` (step lines of the margin), ``"zoom_8h"``, ``"zoom_1h"``,
    ``"maintenance"``, ``"zoom_maintenance"``, ``"hit_8h"``, ``"hit_1h"``. After
    :meth:`update`: ``liquidation_hours`` (dict schedule -> hours held at liquidation, or
    ``None``).
    """

    figsize = (7.6, 3.6)
    ncols = 2

    def draw(self, daily_rate_bp=16.0, leverage=_d.LEVERAGE, days=40, entry_price=_d.ENTRY_PRICE,
             margin=_d.MARGIN, maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE):
        full, zoom = self.ax
        a = self.artists
        for ax, prefix in ((full, ""), (zoom, "zoom_")):
            (a[prefix + "8h"],) = ax.step([], [], where="post", color=COLORS["funding"], lw=2,
                                          label="paid every 8 h")
            (a[prefix + "1h"],) = ax.step([], [], where="post", color=COLORS["equity"], lw=1.2, ls="--",
                                          label="paid every hour (1/8 of the rate)")
            (a[prefix + "maintenance"],) = ax.plot([], [], color=COLORS["maintenance"], ls=":",
                                                   label="maintenance margin")
            ax.set_xlabel("days held")
            ax.grid(alpha=0.3)
        (a["hit_8h"],) = zoom.plot([], [], "X", ms=10, color=COLORS["funding"])
        (a["hit_1h"],) = zoom.plot([], [], "P", ms=10, color=COLORS["equity"])
        full.set_ylabel("margin left (USDC)")
        zoom.set_title("zoom on the liquidation", fontsize=FONT["label"])
        self.update(daily_rate_bp, leverage, days, entry_price, margin, maintenance_margin_rate)
        full.legend(loc="upper right", fontsize=FONT["note"])

    def update(self, daily_rate_bp=16.0, leverage=_d.LEVERAGE, days=40,
               entry_price=_d.ENTRY_PRICE, margin=_d.MARGIN,
               maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE):
        _check_opening(leverage, maintenance_margin_rate, rate_is_a_control=False)
        size = position_size(margin=margin, leverage=leverage, entry_price=entry_price)
        hours = int(round(days * 24))
        x = np.arange(hours + 1) / 24.0
        self.liquidation_hours = {}
        a = self.artists
        for name, step in (("8h", 8), ("1h", 1)):
            rate = float(convert_funding_rate(daily_rate_bp * _BP, from_hours=24.0,
                                              to_hours=step))
            hourly = hourly_funding_schedule(funding_rate=rate, n_hours=hours,
                                             interval_hours=step)
            d = isolated_funding_drift("long", entry_price=entry_price, size=size,
                                       margin=margin, rate_path=hourly,
                                       maintenance_margin_rate=maintenance_margin_rate)
            a[name].set_data(x, d.margin)
            a["zoom_" + name].set_data(x, d.margin)
            k = d.liquidation_interval
            self.liquidation_hours[name] = None if k < 0 else int(k)
            a[f"hit_{name}"].set_data([] if k < 0 else [x[k]], [] if k < 0 else [d.margin[k]])
        for prefix in ("", "zoom_"):
            a[prefix + "maintenance"].set_data(x, d.maintenance_margin)
        full, zoom = self.ax
        full.set_xlim(0, x[-1])
        set_limits(full, y=[0.0, margin])
        hits = [h for h in self.liquidation_hours.values() if h is not None]
        centre = (np.mean(hits) if hits else hours) / 24.0
        zoom.set_xlim(centre - 1.0, centre + 1.0)
        mm = float(d.maintenance_margin[0])
        per_day = size * entry_price * daily_rate_bp * _BP
        zoom.set_ylim(mm - 0.6 * per_day, mm + 1.2 * per_day)
        full.set_title(f"Same cost per day ({daily_rate_bp:g} bp), {leverage:g}× long",
                       fontsize=FONT["label"])


def schedule_comparison(ax=None, *, static=False, daily_rate_bp=16.0, leverage=_d.LEVERAGE,
                        days=40, entry_price=_d.ENTRY_PRICE, margin=_d.MARGIN,
                        maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE):
    """The margin of a long paying the same daily cost every 8 h or every hour.

    Parameters
    ----------
    ax : None
        Two panels: the plot always makes its own figure (``ax`` must be None).
    daily_rate_bp : float
        Funding per day in bp (16 = 5.33 bp per 8 h = 0.667 bp per hour).
    leverage, days, entry_price, margin, maintenance_margin_rate
        The position (constant price; default the article's 10× long, maintenance 5 %).

    Returns
    -------
    ScheduleComparisonPlot
    """
    _no_axes(ax, "schedule_comparison")
    return ScheduleComparisonPlot(ax, static=static, daily_rate_bp=daily_rate_bp,
                                  leverage=leverage, days=days, entry_price=entry_price,
                                  margin=margin, maintenance_margin_rate=maintenance_margin_rate)
