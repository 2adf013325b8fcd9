"""Plots for notebook 02 (the liquidation price): every number drawn comes from ``marginlib``.

* :func:`liquidation_distance` -- distance from entry to the liquidation price against
  leverage, for a maintenance rate, a taker fee and a side, with the article's zero-maintenance
  curve ``1/L`` for comparison and a marker at one chosen leverage.
* :func:`liquidation_path` -- a seeded synthetic price path with the liquidation and
  bankruptcy lines of an isolated position, which move as margin is added
  (:func:`marginlib.adjust_margin`), and the point where the path first touches the
  liquidation line.
* :func:`margin_lost_at_liquidation` -- the share of the margin already lost when each venue
  preset liquidates, against leverage (the article's "80 % of margin" is no venue's rule).
* :func:`synthetic_price_path` -- the path generator (geometric random walk, numpy only).

>>> p = liquidation_distance(static=True, maintenance_margin_rate=0.05, leverage=10)
>>> round(p.marker_distance, 2)   # 100 × (0.1 − 0.05) / 0.95, in %
5.26
"""
from __future__ import annotations

import numpy as np

import marginlib as ml
from marginlib import _validation as v

from ._base import COLORS, LivePlot

__all__ = [
    "synthetic_price_path",
    "max_leverage_for",
    "LiquidationDistancePlot",
    "liquidation_distance",
    "LiquidationPathPlot",
    "liquidation_path",
    "lost_share",
    "MarginLostPlot",
    "margin_lost_at_liquidation",
    "DEFAULT_PATH_SEED",
]

#: Leverages drawn on the x axis of :func:`liquidation_distance` (1× to 50×, step 0.1).
LEVERAGE_GRID = np.round(np.linspace(1.0, 50.0, 491), 10)
#: Seed of the default path of :func:`liquidation_path`: it dips about 11 % below entry
#: (enough to liquidate a 10× long with a 5 % maintenance rate) and then recovers.
DEFAULT_PATH_SEED = 32
_ENTRY = 100.0    # any entry price gives the same distances: work on 100 = per cent
_MARGIN = 100.0


def synthetic_price_path(entry_price=2.5, n_steps=240, volatility=0.012, rng=None):
    """A seeded geometric random walk starting at ``entry_price`` (no drift in expectation).

    Parameters
    ----------
    entry_price : float
        First price of the path, > 0.
    n_steps : int
        Number of steps (hours, say); the path has ``n_steps + 1`` points.
    volatility : float
        Standard deviation of each step's log return, >= 0 (0.012 = 1.2 % per hour).
    rng : None, int or numpy.random.Generator
        Randomness (``None`` is seed 0).

    Returns
    -------
    ndarray
        ``P_t = E·exp(Σ (σ·z_i − σ²/2))`` with ``z_i`` standard normal, so ``E[P_t] = E``.

    Examples
    --------
    >>> path = synthetic_price_path(2.5, n_steps=3, rng=0)
    >>> path.shape, float(path[0])
    ((4,), 2.5)
    """
    entry_price = float(v.positive("entry_price", entry_price))
    if int(n_steps) != n_steps or n_steps < 1:
        raise ValueError(f"n_steps must be a positive integer, got {n_steps!r}")
    sigma = float(v.nonnegative("volatility", volatility))
    z = v.check_random_state(rng).standard_normal(int(n_steps))
    steps = np.concatenate([[0.0], np.cumsum(sigma * z - 0.5 * sigma ** 2)])
    return entry_price * np.exp(steps)


def max_leverage_for(maintenance_margin_rate, taker_fee_rate=0.0):
    """Leverage at and above which the margin ``1/L`` no longer covers ``m + fee`` at entry.

    ``L_max = 1 / (m + fee)`` (``inf`` when both are 0): at or above it
    :func:`marginlib.liquidation_price` refuses the position (liquidated at once).

    >>> max_leverage_for(0.05)
    20.0
    """
    rate = float(v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)) + \
        float(v.unit_rate("taker_fee_rate", taker_fee_rate))
    return np.inf if rate == 0 else 1.0 / rate


def _distance_pct(side, leverage, maintenance_margin_rate, taker_fee_rate):
    """Distance ``|P_liq − E| / E`` in % from :func:`marginlib.liquidation_price`."""
    size = _MARGIN * np.asarray(leverage, float) / _ENTRY
    price = ml.liquidation_price(side, _ENTRY, size, _MARGIN, maintenance_margin_rate,
                                 taker_fee_rate=taker_fee_rate)
    return np.abs(np.asarray(price) - _ENTRY) / _ENTRY * 100.0


class LiquidationDistancePlot(LivePlot):
    """Distance to liquidation (% of entry) against leverage; see :func:`liquidation_distance`.

    Artists: ``"distance"`` (the curve, NaN where the position cannot be opened),
    ``"article"`` (``100/L``, the article's formula), ``"marker"`` and ``"label"`` (the chosen
    leverage), ``"limit"`` (vertical line at ``1/(m + fee)``), ``"legend_text"`` and
    ``"legend_line"`` (the curve's legend entry, kept in step with the controls).
    """

    figsize = (7.0, 4.0)

    def draw(self, side="long", maintenance_margin_rate=0.005, taker_fee_rate=0.0,
             leverage=10.0):
        ax = self.ax
        ax.axhspan(15, 20, color="#2ca02c", alpha=0.12, lw=0,
                   label="the article's \"15–20 % room\"")
        (self.artists["article"],) = ax.plot(
            LEVERAGE_GRID, 100.0 / LEVERAGE_GRID, ls="--", color=COLORS["entry"],
            label="article: E·(1 ∓ 1/L), no maintenance")
        (self.artists["distance"],) = ax.plot(LEVERAGE_GRID, np.full(LEVERAGE_GRID.shape, np.nan),
                                              lw=2, color=COLORS[side])
        self.artists["limit"] = ax.axvline(np.nan, color=COLORS["liquidation"], lw=1, ls=":",
                                           label="max leverage 1/(m + fee)")
        (self.artists["marker"],) = ax.plot([], [], "o", ms=7, color=COLORS["liquidation"])
        self.artists["label"] = ax.annotate("", (0, 0), xytext=(8, 6),
                                            textcoords="offset points", fontsize=9)
        ax.set_xlim(1, 50)
        ax.set_ylim(0, 40)
        ax.set_xlabel("leverage L (×)")
        ax.set_ylabel("distance entry → liquidation (% of entry)")
        ax.set_title("How far can the price move before liquidation?")
        ax.grid(alpha=0.3)
        self.artists["distance"].set_label(self._label(side, maintenance_margin_rate,
                                                       taker_fee_rate))
        legend = ax.legend(loc="upper right", fontsize=8)
        i = [t.get_text() for t in legend.get_texts()].index(
            self.artists["distance"].get_label())
        self.artists["legend_text"] = legend.get_texts()[i]
        self.artists["legend_line"] = legend.legend_handles[i]
        self.update(side, maintenance_margin_rate, taker_fee_rate, leverage)

    @staticmethod
    def _label(side, maintenance_margin_rate, taker_fee_rate):
        return (f"{side}, m = {100 * maintenance_margin_rate:.2f} %, "
                f"fee = {100 * taker_fee_rate:.3f} %")

    def update(self, side="long", maintenance_margin_rate=0.005, taker_fee_rate=0.0,
               leverage=10.0):
        # Compute everything first: on an error nothing changes (the figure keeps its state).
        lev_max = max_leverage_for(maintenance_margin_rate, taker_fee_rate)
        leverage = float(v.leverage_value("leverage", leverage))
        if leverage >= lev_max * (1 - 1e-12):
            rate = maintenance_margin_rate + taker_fee_rate
            raise ValueError(
                f"at {leverage:g}× the initial margin (1/L = {100 / leverage:.2f} % of the "
                f"position) does not exceed maintenance + fee ({100 * rate:.2f} %): the "
                f"position would be liquidated as soon as it opens. Lower the leverage below "
                f"{lev_max:.1f}× or the rates.")
        valid = LEVERAGE_GRID < lev_max * (1 - 1e-9)
        curve = np.full(LEVERAGE_GRID.shape, np.nan)
        curve[valid] = _distance_pct(side, LEVERAGE_GRID[valid], maintenance_margin_rate,
                                     taker_fee_rate)
        here = float(_distance_pct(side, leverage, maintenance_margin_rate, taker_fee_rate))
        a = self.artists
        a["distance"].set_ydata(curve)
        a["distance"].set_color(COLORS[side])
        label = self._label(side, maintenance_margin_rate, taker_fee_rate)
        a["distance"].set_label(label)
        if "legend_text" in a:  # the legend keeps copies: update them in place too
            a["legend_text"].set_text(label)
            a["legend_line"].set_color(COLORS[side])
        a["limit"].set_xdata([lev_max, lev_max] if lev_max <= 50 else [np.nan, np.nan])
        a["marker"].set_data([leverage], [here])
        a["label"].xy = (leverage, min(here, 38.0))
        a["label"].set_text(f"{leverage:g}×: {here:.2f} % (article {100 / leverage:.2f} %)")
        self.marker_distance = here
        self.max_leverage = lev_max


def liquidation_distance(ax=None, *, static=False, side="long", maintenance_margin_rate=0.005,
                         taker_fee_rate=0.0, leverage=10.0):
    """Distance from entry to the liquidation price against leverage (1× to 50×).

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Draw here; by default a new figure (under ``plt.ioff()``, or an Agg figure with
        ``static=True`` for a PNG).
    side : {"long", "short"}
    maintenance_margin_rate, taker_fee_rate : float
        ``m`` and the closing fee counted in the requirement, fractions in [0, 1).
    leverage : float
        The leverage marked on the curve; must be below ``1/(m + fee)``.

    Returns
    -------
    LiquidationDistancePlot
        Its ``"distance"`` line holds ``100·|P_liq − E|/E`` from
        :func:`marginlib.liquidation_price` (mark convention): long ``(1/L − m')/(1 − m')``,
        short ``(1/L − m')/(1 + m')`` with ``m' = m + fee``; the ``"article"`` line ``100/L``.
    """
    return LiquidationDistancePlot(ax, static=static, side=side,
                                   maintenance_margin_rate=maintenance_margin_rate,
                                   taker_fee_rate=taker_fee_rate, leverage=leverage)


class LiquidationPathPlot(LivePlot):
    """A price path with the liquidation and bankruptcy lines; see :func:`liquidation_path`.

    Artists: ``"path"``, ``"entry"``, ``"liquidation"``, ``"bankruptcy"`` (horizontal lines),
    ``"hit"`` (the first point at or beyond the liquidation price; empty if never hit).
    After :meth:`update`: ``adjustment`` (the :class:`marginlib.MarginAdjustment`),
    ``hit_index`` (step of liquidation or ``None``) and ``outcome``
    (:class:`marginlib.LiquidationOutcome` at the liquidation price, or ``None``).
    """

    figsize = (7.0, 4.0)

    def draw(self, added_margin=0.0, seed=DEFAULT_PATH_SEED, side="long", entry_price=2.5,
             margin=100.0, leverage=10.0, maintenance_margin_rate=0.05,
             liquidation_fee_rate=0.015, n_steps=240, volatility=0.012,
             max_added_margin=300.0):
        ax = self.ax
        steps = np.arange(n_steps + 1)
        (self.artists["path"],) = ax.plot(steps, np.full(steps.shape, entry_price),
                                          color=COLORS["price"], lw=1.2, label="price (synthetic)")
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
        self.update(added_margin, seed, side, entry_price, margin, leverage,
                    maintenance_margin_rate, liquidation_fee_rate, n_steps, volatility,
                    max_added_margin)
        ax.legend(loc="lower left", fontsize=8, ncol=2)

    def update(self, added_margin=0.0, seed=DEFAULT_PATH_SEED, side="long", entry_price=2.5,
               margin=100.0, leverage=10.0, maintenance_margin_rate=0.05,
               liquidation_fee_rate=0.015, n_steps=240, volatility=0.012,
               max_added_margin=300.0):
        size = ml.position_size(margin, leverage, entry_price)
        adj = ml.adjust_margin(side, entry_price, size, margin, added_margin,
                               maintenance_margin_rate=maintenance_margin_rate)
        key = (seed, side, entry_price, margin, leverage, maintenance_margin_rate, n_steps,
               volatility, max_added_margin)
        new_path = key != self._key
        path = synthetic_price_path(entry_price, n_steps, volatility, seed) if new_path \
            else self.path
        s = 1.0 if side == "long" else -1.0
        beyond = np.flatnonzero(s * (path - adj.liquidation_price) <= 0)
        hit = int(beyond[0]) if beyond.size else None
        outcome = None
        if hit is not None:
            outcome = ml.liquidation_outcome(side, entry_price, size, adj.margin,
                                             maintenance_margin_rate=maintenance_margin_rate,
                                             liquidation_fee_rate=liquidation_fee_rate)
        a = self.artists
        if new_path:
            a["path"].set_data(np.arange(path.size), path)
            worst = ml.adjust_margin(side, entry_price, size, margin, max_added_margin,
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


def liquidation_path(ax=None, *, static=False, added_margin=0.0, seed=DEFAULT_PATH_SEED,
                     side="long", entry_price=2.5, margin=100.0, leverage=10.0,
                     maintenance_margin_rate=0.05, liquidation_fee_rate=0.015, n_steps=240,
                     volatility=0.012, max_added_margin=300.0):
    """A synthetic price path with the position's liquidation and bankruptcy prices.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    static : bool
        Agg figure for a PNG.
    added_margin : float
        Margin added to the open isolated position (USDC, >= 0): moves both lines away
        from entry (:func:`marginlib.adjust_margin`); the entry price does not change.
    seed : int
        Seed of :func:`synthetic_price_path`.
    side, entry_price, margin, leverage : the position at opening (default: the article's
        100 USDC at 10×, on a token priced 2.50, i.e. 400 tokens).
    maintenance_margin_rate, liquidation_fee_rate : float
        Venue parameters (default dYdX v4 small-cap: 5 % and a 1.5 % penalty).
    n_steps, volatility : the path (240 hourly steps of 1.2 %).
    max_added_margin : float
        Largest margin a control may add; fixes the y range so lines move, not the axis.

    Returns
    -------
    LiquidationPathPlot
    """
    return LiquidationPathPlot(ax, static=static, added_margin=added_margin, seed=seed,
                               side=side, entry_price=entry_price, margin=margin,
                               leverage=leverage, maintenance_margin_rate=maintenance_margin_rate,
                               liquidation_fee_rate=liquidation_fee_rate, n_steps=n_steps,
                               volatility=volatility, max_added_margin=max_added_margin)


def lost_share(side, leverage, venue, entry_price=100.0, margin=100.0):
    """Share of the margin lost when ``venue`` liquidates (``q·|P_liq − E| / M``), or NaN.

    NaN where the venue refuses the trade (leverage above its maximum, or margin below its
    requirement at entry).

    >>> round(float(lost_share("long", 10, "dydx_v4_small_cap")), 4)   # (1 − 0.05·10)/0.95
    0.5263
    """
    (row,) = ml.compare_venues(side, entry_price, margin, leverage, venues=[venue])
    return np.nan if not row.allowed else row.distance * leverage


class MarginLostPlot(LivePlot):
    """Share of margin lost at liquidation against leverage, one line per venue preset.

    Artists: one line per venue key, and ``"article"`` (the 80 % line).
    """

    figsize = (7.0, 4.0)

    def draw(self, side="long", venues=None, leverages=None):
        venues = list(ml.VENUES) if venues is None else list(venues)
        leverages = np.arange(1.0, 51.0) if leverages is None else np.asarray(leverages, float)
        ax = self.ax
        self.artists["article"] = ax.axhline(80, color=COLORS["entry"], ls="--", lw=1.5,
                                             label="article: \"80 % of margin\"")
        styles = ["-", "--", "-.", ":"]
        for i, key in enumerate(venues):
            (self.artists[key],) = ax.plot(leverages, np.full(leverages.shape, np.nan), lw=1.8,
                                           ls=styles[i % len(styles)],
                                           label=ml.get_venue(key).name)
        ax.set_xlim(leverages.min(), leverages.max())
        ax.set_ylim(0, 105)
        ax.set_xlabel("leverage L (×)")
        ax.set_ylabel("margin lost at liquidation (%)")
        ax.set_title(f"When each venue preset liquidates a {side}")
        ax.grid(alpha=0.3)
        self.venues, self.leverages = venues, leverages
        self.update(side)
        ax.legend(fontsize=7, loc="lower left", ncol=2)

    def update(self, side="long", venues=None, leverages=None):
        for key in self.venues:
            share = [lost_share(side, lev, key) for lev in self.leverages]
            self.artists[key].set_ydata(100.0 * np.asarray(share, float))


def margin_lost_at_liquidation(ax=None, *, static=False, side="long", venues=None,
                               leverages=None):
    """Share of the margin already lost when each venue liquidates, for leverages 1–50×.

    Each point is ``L·|P_liq − E|/E`` (= loss ÷ margin) from :func:`marginlib.compare_venues`
    (each venue's tiers, convention and fee rule); gaps where a venue refuses the leverage.
    For a flat rate in the mark convention a long loses ``(1 − m'·L)/(1 − m')`` of its margin:
    it depends on the venue's rate *and* on the leverage, so no single "80 %" exists.

    Returns
    -------
    MarginLostPlot
    """
    return MarginLostPlot(ax, static=static, side=side, venues=venues, leverages=leverages)
