"""Plots for notebook 02 (the liquidation price): every number drawn comes from ``marginlib``.

* :func:`liquidation_distance` -- distance from entry to the liquidation price against
  leverage, for a maintenance rate, a taker fee and a side, with the article's zero-maintenance
  curve ``1/L`` for comparison and a marker at one chosen leverage. A leverage at or above
  ``1/(m + fee)`` is drawn, not refused: the curve stops at that limit, the range beyond it
  is shaded and the chosen leverage is flagged as out of range.
* :func:`liquidation_path` -- a seeded price path (:func:`marginlib.course.scenarios.
  demo_price_path`) with the liquidation and bankruptcy lines of an isolated position, which
  move as margin is added (:func:`marginlib.liquidation.adjust_margin`), and the point where
  the path first touches the liquidation line.
* :func:`margin_lost_at_liquidation` -- the share of the margin already lost when each venue
  preset liquidates, against leverage (it depends on the venue's rate and the leverage).

>>> p = liquidation_distance(static=True)         # 10×, maintenance 5 %
>>> round(p.marker_distance, 2)                    # 100 × (0.1 − 0.05) / 0.95, in %
5.26
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from marginlib import _validation as v
from marginlib.course import defaults as _d
from marginlib.course.scenarios import (DEMO_PATH_HOURS, DEMO_PATH_SEED, DEMO_PATH_VOLATILITY,
                                        demo_price_path)
from marginlib.liquidation import adjust_margin, liquidation_outcome, liquidation_price
from marginlib.position import position_size
from marginlib.settlement import isolated_liquidated
from marginlib.venues import VENUES, compare_venues, get_venue

from ._base import COLORS, LivePlot
from .style import FONT, PALETTE, series
from .leverage import _leverage_limit

__all__ = [
    "LiquidationDistancePlot",
    "liquidation_distance",
    "LiquidationPathPlot",
    "liquidation_path",
    "lost_share",
    "MarginLostPlot",
    "margin_lost_at_liquidation",
    "LEVERAGE_GRID",
]

#: Leverages drawn on the x axis of :func:`liquidation_distance` (1× to 50×, step 0.1).
LEVERAGE_GRID = np.round(np.linspace(1.0, 50.0, 491), 10)
_ENTRY = 100.0    # any entry price gives the same distances: work on 100 = per cent
_MARGIN = 100.0
_TOP = 40.0       # y limit of the distance figure, %


def _distance_pct(side, leverage, maintenance_margin_rate, taker_fee_rate):
    """Distance ``|P_liq − E| / E`` in % from :func:`marginlib.liquidation.liquidation_price`."""
    size = _MARGIN * np.asarray(leverage, float) / _ENTRY
    price = liquidation_price(side, entry_price=_ENTRY, size=size, margin=_MARGIN,
                              maintenance_margin_rate=maintenance_margin_rate,
                              taker_fee_rate=taker_fee_rate)
    return np.abs(np.asarray(price) - _ENTRY) / _ENTRY * 100.0


def _pct(x):
    return f"{100 * x:.2f} %"


def out_of_range_message(leverage, maintenance_margin_rate, taker_fee_rate):
    """Plain words for a leverage at or above ``1/(m + fee)``, naming the sliders on screen.

    >>> print(out_of_range_message(25, 0.05, 0.0))   # doctest: +NORMALIZE_WHITESPACE
    At leverage 25× the margin is 4.00 % of the position, not more than maintenance rate m
    + taker fee = 5.00 %: the position would be liquidated as soon as it opens. The curve
    stops at the limit 1/(m + fee) = 20.00× (shaded beyond). To get back, set leverage
    below 20.00×, or lower maintenance rate m below 4.00 %.
    >>> print(out_of_range_message(20, 0.0495, 0.001))   # doctest: +NORMALIZE_WHITESPACE
    At leverage 20× the margin is 5.00 % of the position, not more than maintenance rate m
    + taker fee = 5.05 %: the position would be liquidated as soon as it opens. The curve
    stops at the limit 1/(m + fee) = 19.80× (shaded beyond). To get back, set leverage
    below 19.80×, or lower maintenance rate m below 4.90 %, or lower the taker fee below
    0.05 %.
    """
    rate = maintenance_margin_rate + taker_fee_rate
    limit = _leverage_limit(maintenance_margin_rate=maintenance_margin_rate,
                            taker_fee_rate=taker_fee_rate)
    room_m = 1.0 / leverage - taker_fee_rate           # m alone, the fee kept
    room_fee = 1.0 / leverage - maintenance_margin_rate  # the fee alone, m kept
    text = (f"At leverage {leverage:g}× the margin is {_pct(1 / leverage)} of the position, "
            f"not more than maintenance rate m + taker fee = {_pct(rate)}: the position would "
            f"be liquidated as soon as it opens. The curve stops at the limit 1/(m + fee) = "
            f"{limit:.2f}× (shaded beyond). To get back, set leverage below {limit:.2f}×")
    if room_m > 0:
        text += f", or lower maintenance rate m below {_pct(room_m)}"
    if taker_fee_rate > 0 and room_fee > 0:
        text += f", or lower the taker fee below {_pct(room_fee)}"
    return text + "."


class LiquidationDistancePlot(LivePlot):
    """Distance to liquidation (% of entry) against leverage; see :func:`liquidation_distance`.

    Artists: ``"distance"`` (the curve for the controls' side, ``m`` and fee, NaN where the
    position cannot be opened), ``"article"`` (``100/L``, the article's formula), ``"marker"``
    and ``"label"`` (the chosen leverage; the label flags it when out of range), ``"limit"``
    (vertical line at ``1/(m + fee)``), ``"beyond"`` (the shaded range that cannot be opened),
    ``"legend_text"`` and ``"legend_line"`` (the curve's legend entry, kept in step with the
    controls).

    After :meth:`update`: ``max_leverage`` (``1/(m + fee)``), ``out_of_range`` (bool),
    ``marker_distance`` (% at the chosen leverage; NaN when out of range) and ``message``
    (:func:`out_of_range_message` when out of range, else ``None``).
    """

    figsize = (7.0, 4.0)

    def draw(self, side=_d.SIDE, maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
             taker_fee_rate=_d.TAKER_FEE_RATE, leverage=_d.LEVERAGE):
        ax = self.ax
        ax.axhspan(15, 20, color=PALETTE["bluish green"], alpha=0.12, lw=0,
                   label="the article's \"15–20 % room\"")
        (self.artists["article"],) = ax.plot(
            LEVERAGE_GRID, 100.0 / LEVERAGE_GRID, ls="--", color=COLORS["entry"],
            label="article: E·(1 ∓ 1/L), no maintenance")
        (self.artists["distance"],) = ax.plot(LEVERAGE_GRID, np.full(LEVERAGE_GRID.shape, np.nan),
                                              lw=2, color=COLORS[side])
        self.artists["limit"] = ax.axvline(np.nan, color=COLORS["liquidation"], lw=1, ls=":",
                                           label="max leverage 1/(m + fee)")
        self.artists["beyond"] = ax.add_patch(Rectangle(
            (50.0, 0.0), 0.0, 1.0, transform=ax.get_xaxis_transform(), facecolor=COLORS["fill"],
            alpha=0.15, hatch="//", edgecolor=COLORS["entry"], lw=0,
            label="cannot be opened (L ≥ 1/(m + fee))"))
        (self.artists["marker"],) = ax.plot([], [], "o", ms=7, color=COLORS["liquidation"])
        self.artists["label"] = ax.annotate("", (0, 0), xytext=(8, 6),
                                            textcoords="offset points", fontsize=FONT["label"])
        ax.set_xlim(1, 50)
        ax.set_ylim(0, _TOP)
        ax.set_xlabel("leverage L (×)")
        ax.set_ylabel("distance entry → liquidation (% of entry)")
        ax.set_title("How far can the price move before liquidation?")
        ax.grid(alpha=0.3)
        self.artists["distance"].set_label(self._label(side, maintenance_margin_rate,
                                                       taker_fee_rate))
        legend = ax.legend(loc="upper right", fontsize=FONT["note"])
        i = [t.get_text() for t in legend.get_texts()].index(
            self.artists["distance"].get_label())
        self.artists["legend_text"] = legend.get_texts()[i]
        self.artists["legend_line"] = legend.legend_handles[i]
        self.update(side, maintenance_margin_rate, taker_fee_rate, leverage)

    @staticmethod
    def _label(side, maintenance_margin_rate, taker_fee_rate):
        return (f"{side}, m = {100 * maintenance_margin_rate:.2f} %, "
                f"fee = {100 * taker_fee_rate:.3f} %")

    def update(self, side=_d.SIDE, maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
               taker_fee_rate=_d.TAKER_FEE_RATE, leverage=_d.LEVERAGE):
        # Compute everything first: on an error nothing changes (the figure keeps its state).
        if side not in ("long", "short"):
            raise ValueError(f"side must be 'long' or 'short', got {side!r}")
        lev_max = _leverage_limit(maintenance_margin_rate=maintenance_margin_rate,
                                  taker_fee_rate=taker_fee_rate)
        leverage = float(v.leverage_value("leverage", leverage))
        m, fee = float(maintenance_margin_rate), float(taker_fee_rate)
        out = leverage >= lev_max * (1 - 1e-12)
        valid = LEVERAGE_GRID < lev_max * (1 - 1e-9)
        curve = np.full(LEVERAGE_GRID.shape, np.nan)
        curve[valid] = _distance_pct(side, LEVERAGE_GRID[valid], m, fee)
        here = np.nan if out else float(_distance_pct(side, leverage, m, fee))
        a = self.artists
        a["distance"].set_ydata(curve)
        a["distance"].set_color(COLORS[side])
        label = self._label(side, m, fee)
        a["distance"].set_label(label)
        if "legend_text" in a:  # the legend keeps copies: update them in place too
            a["legend_text"].set_text(label)  # marks it changed only if the text changed
            if a["legend_line"].get_color() != COLORS[side]:  # set_color always would
                a["legend_line"].set_color(COLORS[side])
        shown = lev_max <= 50
        a["limit"].set_xdata([lev_max, lev_max] if shown else [np.nan, np.nan])
        a["beyond"].set_x(min(lev_max, 50.0))
        a["beyond"].set_width(max(50.0 - lev_max, 0.0))
        if out:
            a["marker"].set_data([], [])
            a["label"].xy = (min(max(lev_max, 1.0), 44.0), 0.5 * _TOP)
            a["label"].set_text(f"{leverage:g}×: out of range\n(limit {lev_max:.2f}×)")
            a["label"].set_color(COLORS["liquidation"])
        else:
            a["marker"].set_data([leverage], [here])
            a["label"].xy = (leverage, min(here, _TOP - 2))
            a["label"].set_text(f"{leverage:g}×: {here:.2f} % (article {100 / leverage:.2f} %)")
            a["label"].set_color("black")
        self.marker_distance = here
        self.max_leverage = lev_max
        self.out_of_range = bool(out)
        self.message = out_of_range_message(leverage, m, fee) if out else None


def liquidation_distance(ax=None, *, static=False, side=_d.SIDE,
                         maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
                         taker_fee_rate=_d.TAKER_FEE_RATE, leverage=_d.LEVERAGE):
    """Distance from entry to the liquidation price against leverage (1× to 50×).

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Draw here; by default a new figure (under ``plt.ioff()``, or an Agg figure with
        ``static=True`` for a PNG).
    side : {"long", "short"}
    maintenance_margin_rate, taker_fee_rate : float
        ``m`` and the closing fee counted in the requirement, fractions in [0, 1)
        (default: the article's 5 % and no fee, :mod:`marginlib.course.defaults`).
    leverage : float
        The leverage marked on the curve (default 10×). At or above ``1/(m + fee)`` it is
        flagged as out of range and the curve stops at the limit.

    Returns
    -------
    LiquidationDistancePlot
        Its ``"distance"`` line holds ``100·|P_liq − E|/E`` from
        :func:`marginlib.liquidation.liquidation_price` (mark convention): long
        ``(1/L − m')/(1 − m')``, short ``(1/L − m')/(1 + m')`` with ``m' = m + fee``; the
        ``"article"`` line ``100/L``.
    """
    return LiquidationDistancePlot(ax, static=static, side=side,
                                   maintenance_margin_rate=maintenance_margin_rate,
                                   taker_fee_rate=taker_fee_rate, leverage=leverage)


class LiquidationPathPlot(LivePlot):
    """A price path with the liquidation and bankruptcy lines; see :func:`liquidation_path`.

    Artists: ``"path"``, ``"entry"``, ``"liquidation"``, ``"bankruptcy"`` (horizontal lines),
    ``"hit"`` (the first mark where equity is strictly below maintenance,
    :func:`marginlib.settlement.isolated_liquidated`; empty if never hit).
    After :meth:`update`: ``adjustment`` (the :class:`marginlib.liquidation.MarginAdjustment`),
    ``hit_index`` (step of liquidation or ``None``) and ``outcome``
    (:class:`marginlib.liquidation.LiquidationOutcome` at the liquidation price, or ``None``).
    """

    figsize = (7.0, 4.0)

    def draw(self, added_margin=0.0, rng=DEMO_PATH_SEED, side=_d.SIDE,
             entry_price=_d.ENTRY_PRICE, margin=_d.MARGIN, leverage=_d.LEVERAGE,
             maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
             liquidation_fee_rate=_d.LIQUIDATION_FEE_RATE, n_steps=DEMO_PATH_HOURS,
             volatility=DEMO_PATH_VOLATILITY, max_added_margin=300.0):
        ax = self.ax
        steps = np.arange(n_steps + 1)
        (self.artists["path"],) = ax.plot(steps, np.full(steps.shape, entry_price),
                                          color=COLORS["price"], lw=1.0, label="price (synthetic)")
        self.artists["entry"] = ax.axhline(entry_price, color=COLORS["entry"], lw=1, ls="--",
                                           label="entry")
        self.artists["liquidation"] = ax.axhline(entry_price, color=COLORS["liquidation"], lw=2,
                                                 label="liquidation price")
        self.artists["bankruptcy"] = ax.axhline(entry_price, color=COLORS["bankruptcy"], lw=1.5,
                                                ls=":", label="bankruptcy price")
        (self.artists["hit"],) = ax.plot([], [], "X", ms=11, color=COLORS["liquidation"],
                                         label="liquidated here")
        ax.set_xlim(0, n_steps)
        ax.set_xlabel("hour")
        ax.set_ylabel("price (USDC)")
        ax.set_title(f"{side.capitalize()} {leverage:g}× at {entry_price:.2f}: margin "
                     f"{margin:g} USDC + the margin you add")
        ax.grid(alpha=0.3)
        self._key = None
        self.update(added_margin, rng, side, entry_price, margin, leverage,
                    maintenance_margin_rate, liquidation_fee_rate, n_steps, volatility,
                    max_added_margin)
        ax.legend(loc="lower left", fontsize=FONT["note"], ncol=2)

    def update(self, added_margin=0.0, rng=DEMO_PATH_SEED, side=_d.SIDE,
               entry_price=_d.ENTRY_PRICE, margin=_d.MARGIN, leverage=_d.LEVERAGE,
               maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
               liquidation_fee_rate=_d.LIQUIDATION_FEE_RATE, n_steps=DEMO_PATH_HOURS,
               volatility=DEMO_PATH_VOLATILITY, max_added_margin=300.0):
        size = position_size(margin=margin, leverage=leverage, entry_price=entry_price)
        adj = adjust_margin(side, entry_price=entry_price, size=size, margin=margin,
                            amount=added_margin, maintenance_margin_rate=maintenance_margin_rate)
        key = (rng, side, entry_price, margin, leverage, maintenance_margin_rate, n_steps,
               volatility, max_added_margin)
        new_path = key != self._key
        path = demo_price_path(entry_price=entry_price, hours=n_steps, volatility=volatility,
                               rng=rng) if new_path else self.path
        # the settlement kernel's test at every mark: equity strictly below maintenance (a
        # mark exactly on the liquidation line is not liquidated)
        beyond = np.flatnonzero(isolated_liquidated(
            side, size=size, entry_price=entry_price, margin=adj.margin,
            maintenance_margin_rate=maintenance_margin_rate, price=path))
        hit = int(beyond[0]) if beyond.size else None
        outcome = None
        if hit is not None:
            outcome = liquidation_outcome(side, entry_price=entry_price, size=size,
                                          margin=adj.margin,
                                          maintenance_margin_rate=maintenance_margin_rate,
                                          liquidation_fee_rate=liquidation_fee_rate)
        a = self.artists
        if new_path:
            a["path"].set_data(np.arange(path.size), path)
            worst = adjust_margin(side, entry_price=entry_price, size=size, margin=margin,
                                  amount=max_added_margin,
                                  maintenance_margin_rate=maintenance_margin_rate)
            lo = min(path.min(), worst.bankruptcy_price, adj.bankruptcy_price)
            hi = max(path.max(), entry_price)
            if side == "short":
                lo = min(path.min(), entry_price)
                hi = max(path.max(), worst.bankruptcy_price, adj.bankruptcy_price)
            pad = 0.05 * (hi - lo)
            self.ax.set_ylim(lo - pad, hi + pad)
        a["liquidation"].set_ydata([adj.liquidation_price] * 2)
        a["bankruptcy"].set_ydata([adj.bankruptcy_price] * 2)
        a["hit"].set_data([] if hit is None else [hit], [] if hit is None else [path[hit]])
        self.path, self._key = path, key
        self.size, self.adjustment, self.hit_index, self.outcome = size, adj, hit, outcome


def liquidation_path(ax=None, *, static=False, added_margin=0.0, rng=DEMO_PATH_SEED,
                     side=_d.SIDE, entry_price=_d.ENTRY_PRICE, margin=_d.MARGIN,
                     leverage=_d.LEVERAGE, maintenance_margin_rate=_d.MAINTENANCE_MARGIN_RATE,
                     liquidation_fee_rate=_d.LIQUIDATION_FEE_RATE, n_steps=DEMO_PATH_HOURS,
                     volatility=DEMO_PATH_VOLATILITY, max_added_margin=300.0):
    """A synthetic price path with the position's liquidation and bankruptcy prices.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    static : bool
        Agg figure for a PNG.
    added_margin : float
        Margin added to the open isolated position (USDC, >= 0): moves both lines away
        from entry (:func:`marginlib.liquidation.adjust_margin`); the entry price does not
        change.
    rng : int
        Seed of :func:`marginlib.course.scenarios.demo_price_path` (default
        :data:`~marginlib.course.scenarios.DEMO_PATH_SEED`: the path liquidates the default
        position, and enough added margin saves it).
    side, entry_price, margin, leverage : the position at opening (default: the article's
        100 USDC at 10×, on a token priced 2.50, i.e. 400 tokens).
    maintenance_margin_rate, liquidation_fee_rate : float
        Venue parameters (default dYdX v4 small-cap: 5 % and a 1.5 % penalty).
    n_steps, volatility : the path: hourly steps (240) and annualised volatility (1.2 =
        120 % a year, about 1.28 % per hour).
    max_added_margin : float
        Largest margin a control may add; fixes the y range so lines move, not the axis.

    Returns
    -------
    LiquidationPathPlot
    """
    return LiquidationPathPlot(ax, static=static, added_margin=added_margin, rng=rng,
                               side=side, entry_price=entry_price, margin=margin,
                               leverage=leverage, maintenance_margin_rate=maintenance_margin_rate,
                               liquidation_fee_rate=liquidation_fee_rate, n_steps=n_steps,
                               volatility=volatility, max_added_margin=max_added_margin)


def lost_share(side, leverage, venue, entry_price=100.0, margin=100.0):
    """Share of the margin lost when ``venue`` liquidates, or NaN (a gap in the line).

    The number is :attr:`marginlib.venues.VenueQuote.margin_lost_share` of
    :func:`marginlib.venues.compare_venues` (``q·|P_liq − E| / M``); NaN where the venue refuses
    the trade (leverage above its maximum, or margin below its requirement at entry).

    >>> round(float(lost_share("long", 10, "dydx_v4_small_cap")), 4)   # (1 − 0.05·10)/0.95
    0.5263
    """
    (row,) = compare_venues(side, entry_price=entry_price, margin=margin, leverage=leverage,
                            venues=[venue])
    return np.nan if not row.allowed else row.margin_lost_share


class MarginLostPlot(LivePlot):
    """Share of margin lost at liquidation against leverage, one line per venue preset.

    Artists: one line per venue key, and ``"article"`` (the 80 % line).
    """

    figsize = (7.0, 4.0)

    def draw(self, side="long", venues=None, leverages=None):
        venues = list(VENUES) if venues is None else list(venues)
        leverages = np.arange(1.0, 51.0) if leverages is None else np.asarray(leverages, float)
        ax = self.ax
        self.artists["article"] = ax.axhline(80, color=COLORS["entry"], ls="--", lw=1.5,
                                             label="article: \"80 % of margin\"")
        for i, key in enumerate(venues):  # colour, line style and marker per venue
            (self.artists[key],) = ax.plot(leverages, np.full(leverages.shape, np.nan), lw=1.8,
                                           ms=5, label=get_venue(key).name, **series(i))
        ax.set_xlim(leverages.min(), leverages.max())
        ax.set_ylim(0, 105)
        ax.set_xlabel("leverage L (×)")
        ax.set_ylabel("margin lost at liquidation (%)")
        ax.set_title(f"When each venue preset liquidates a {side}")
        ax.grid(alpha=0.3)
        self.venues, self.leverages = venues, leverages
        self.update(side)
        ax.legend(fontsize=FONT["note"], loc="lower left", ncol=2)

    def update(self, side="long", venues=None, leverages=None):
        for key in self.venues:
            share = [lost_share(side, lev, key) for lev in self.leverages]
            self.artists[key].set_ydata(100.0 * np.asarray(share, float))


def margin_lost_at_liquidation(ax=None, *, static=False, side="long", venues=None,
                               leverages=None):
    """Share of the margin already lost when each venue liquidates, for leverages 1–50×.

    Each point is ``margin_lost_share`` (``L·|P_liq − E|/E`` = loss ÷ margin) of
    :func:`marginlib.venues.compare_venues` (each venue's tiers, convention and fee rule); gaps
    where a venue refuses the leverage. For a flat rate in the mark convention a long loses
    ``(1 − m'·L)/(1 − m')`` of its margin: it depends on the venue's rate *and* on the
    leverage, so no single "80 %" exists.

    Returns
    -------
    MarginLostPlot
    """
    return MarginLostPlot(ax, static=static, side=side, venues=venues, leverages=leverages)
