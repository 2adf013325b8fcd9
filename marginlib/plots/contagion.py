"""Plots for notebook 04 (isolated vs cross margin): they draw :mod:`marginlib.course.contagion`.

* :func:`crash_bars` -- three DeFAI-style positions, one token crashes: each position's
  equity, the free wallet and the account total before → after, in isolated or cross mode
  (:func:`marginlib.course.contagion.crash_outcome`); liquidated positions marked.
* :func:`loss_distributions` -- histograms of the loss (share of capital) of both margin modes
  on the *same* simulated paths (:func:`marginlib.sim.montecarlo.simulate_margin_modes`), with
  P(at least one liquidation) and P(lose everything) written on the figure.
* :func:`liquidation_region` -- the (price A, price B) plane of a two-token cross account:
  the boundary where equity = maintenance (:func:`marginlib.region.cross_liquidation_boundary`),
  the liquidated side shaded, each token's single-position liquidation price (the intercept
  through the current prices), the isolated liquidation lines, and the current prices as a
  point coloured safe / liquidated.
* :func:`correlation_sweep` -- P(at least one liquidation) and P(lose everything) against the
  correlation, both modes, for correlated longs and for a hedged (long/short) pair.

The scenarios (holdings, books, pairs, the crash replay) live in
:mod:`marginlib.course.contagion`, which needs no matplotlib.

>>> p = crash_bars(static=True, crash=0.40, mode="cross")
>>> p.outcome.liquidated
(True, True, True)
"""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import PercentFormatter

from marginlib.account import MARGIN_MODES
from marginlib.course.contagion import (BOOKS, CRASH_MARK_STEP, HOLDINGS, LOSS_EDGES,
                                        MAINTENANCE_MARGIN_RATE, SWEEP_CORRELATIONS,
                                        contagion_book, crash_outcome, defai_model,
                                        loss_counts, pair_account)
from marginlib.liquidation import liquidation_price
from marginlib.region import cross_liquidation_boundary
from marginlib.settlement import cross_liquidated
from marginlib.sim.montecarlo import simulate_margin_modes, sweep_correlation

from ._base import COLORS, LivePlot, set_limits
from .style import FONT
from .style import line as line_style

__all__ = [
    "CrashBarsPlot",
    "crash_bars",
    "LossDistributionPlot",
    "loss_distributions",
    "LiquidationRegionPlot",
    "liquidation_region",
    "CorrelationSweepPlot",
    "correlation_sweep",
]

_REGION_GRID = 401
_KEPT_SIMULATIONS = 32  # LossDistributionPlot: the last simulations kept (< 10 MB at 2,000 paths)


# ------------------------------------------------------------------------- crash bars ---

class CrashBarsPlot(LivePlot):
    """Before → after bars of the crash lab; see :func:`crash_bars`.

    Artists: ``"before"`` and ``"after"`` (bar containers, one bar per label of
    :class:`CrashOutcome`), ``"flags"`` (one text per position: "liquidated" or empty),
    ``"capital"`` (horizontal line at the deposit), ``"title"``.
    After :meth:`update`: ``outcome`` (the :class:`CrashOutcome`).
    """

    figsize = (7.6, 4.0)
    max_crash = 0.9

    def draw(self, crash=0.40, mode="isolated", scenario="all-in", gap=False, token=0,
             holdings=HOLDINGS):
        ax = self.ax
        holdings = tuple(holdings)
        n = len(holdings)
        x = np.arange(n + 2, dtype=float)
        ticks = [f"{h.name}\n{h.leverage:g}× {h.side}" for h in holdings] + \
            ["free\nwallet", "account\ntotal"]
        self.artists["before"] = ax.bar(x - 0.2, np.zeros(n + 2), 0.38, color=COLORS["fill"],
                                        edgecolor=COLORS["entry"], hatch="//", label="before")
        self.artists["after"] = ax.bar(x + 0.2, np.zeros(n + 2), 0.38, color=COLORS[mode],
                                       label="after the crash")
        self.artists["flags"] = [ax.text(x[i] + 0.2, 0.0, "", ha="center", va="bottom",
                                         color=COLORS["liquidation"], fontsize=FONT["note"],
                                         fontweight="bold") for i in range(n)]
        self.artists["capital"] = ax.axhline(0.0, color=COLORS["entry"], ls="--", lw=1,
                                             label="deposit")
        ax.axhline(0.0, color="black", lw=0.8)
        ax.axvline(n - 0.5, color=COLORS["reference"], ls=":", lw=0.8)
        ax.set_xticks(x, ticks, fontsize=FONT["note"])
        ax.set_ylabel("USDC")
        ax.grid(axis="y", alpha=0.3)
        self.artists["title"] = ax.set_title("")
        self._ylim_key = None
        self.legend = ax.legend(loc="upper left", fontsize=FONT["note"])
        self.update(crash, mode, scenario, gap, token, holdings)

    def _ylim(self, scenario, gap, token, holdings):
        """Fixed y range per scenario: the extremes over every crash size and both modes."""
        key = (scenario, gap, token, holdings)
        if key != self._ylim_key:
            values = [crash_outcome(c, m, scenario, gap=gap, token=token, holdings=holdings)
                      for m in MARGIN_MODES
                      for c in np.linspace(0.0, self.max_crash, 10)]
            lo = min(0.0, min(float(o.after.min()) for o in values))
            hi = max(float(o.before.max()) for o in values)
            pad = 0.08 * (hi - lo)
            self.ax.set_ylim(lo - pad, hi + 2 * pad)
            self._ylim_key = key

    def update(self, crash=0.40, mode="isolated", scenario="all-in", gap=False, token=0,
               holdings=HOLDINGS):
        holdings = tuple(holdings)
        out = crash_outcome(crash, mode, scenario, gap=gap, token=token, holdings=holdings)
        self._ylim(scenario, gap, token, holdings)
        a = self.artists
        for bar, h in zip(a["before"], out.before):
            bar.set_height(h)
        for bar, h in zip(a["after"], out.after):
            bar.set_height(h)
            bar.set_color(COLORS[mode])
        if hasattr(self, "legend") and getattr(self, "_legend_mode", None) != mode:
            self._legend_mode = mode  # recolour only on a change (the legend then stays drawn)
            for handle, text in zip(self.legend.legend_handles, self.legend.get_texts()):
                if text.get_text() == "after the crash":
                    handle.set_color(COLORS[mode])
        for i, text in enumerate(a["flags"]):
            text.set_text("✕ liquidated" if out.liquidated[i] else "")
            text.set_y(max(out.after[i], 0.0))
        a["capital"].set_ydata([out.capital, out.capital])
        how = "one gap" if gap else f"marked every {100 * CRASH_MARK_STEP:g} %"
        a["title"].set_text(f"{mode.capitalize()} margin, deposit {out.capital:,.0f} USDC: "
                            f"{holdings[token].name} −{100 * crash:.0f} % ({how})")
        self.outcome = out


def crash_bars(ax=None, *, static=False, crash=0.40, mode="isolated", scenario="all-in",
               gap=False, token=0, holdings=HOLDINGS):
    """Bars of each position's equity, the free wallet and the account, before → after a crash.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    static : bool
        Agg figure for a PNG.
    crash, mode, scenario, gap, token, holdings
        As :func:`crash_outcome` (default: AGENT −40 %, isolated, the all-in deposit).

    Returns
    -------
    CrashBarsPlot
    """
    return CrashBarsPlot(ax, static=static, crash=crash, mode=mode, scenario=scenario, gap=gap,
                         token=token, holdings=holdings)


# ------------------------------------------------------------------------ Monte Carlo ---


def _summary_text(name, s):
    return (f"{name}: P(≥1 liquidation) {100 * s.p_any_liquidation:.1f} %, "
            f"P(lose all) {100 * s.p_lose_everything:.1f} %\n"
            f"    mean loss {100 * s.expected_loss:.1f} %, "
            f"worst-1 % mean (CVaR 99) {100 * s.cvar_99:.0f} %")


class LossDistributionPlot(LivePlot):
    """Loss histograms of both modes on the same paths; see :func:`loss_distributions`.

    Artists: ``"isolated"`` and ``"cross"`` (step patches over
    :data:`~marginlib.course.contagion.LOSS_EDGES`, counts of
    paths), ``"isolated_text"``, ``"cross_text"`` (the summary numbers), ``"title"``.
    After :meth:`update`: ``simulation`` (the
    :class:`marginlib.sim.montecarlo.MarginModeSimulation`), ``isolated`` and ``cross``
    (:class:`marginlib.sim.risk.LossSummary`) and ``counts`` (dict mode →
    counts).
    """

    figsize = (7.6, 4.4)

    def draw(self, correlation=0.5, leverage=5.0, horizon_days=7, book="three longs",
             n_paths=2_000, rng=4, progress=None):
        ax = self.ax
        centres = 100 * LOSS_EDGES
        zeros = np.zeros(LOSS_EDGES.size - 1)
        for mode in ("isolated", "cross"):  # colour and line style per mode (plots/style.py)
            self.artists[mode] = ax.stairs(zeros, centres, lw=1.8, fill=False, label=f"{mode}",
                                           **line_style(mode))
        ax.axvline(0.0, color="black", lw=0.6)
        ax.set_xlim(centres[0], centres[-1])
        ax.set_xlabel("loss at the horizon, % of capital (negative: a gain; the first bin holds "
                      "every gain ≥ 200 %)")
        ax.set_ylabel("number of paths")
        ax.grid(alpha=0.3)
        self.artists["isolated_text"] = ax.text(0.01, 0.98, "", transform=ax.transAxes,
                                                va="top", fontsize=FONT["note"],
                                                color=COLORS["isolated"])
        self.artists["cross_text"] = ax.text(0.01, 0.86, "", transform=ax.transAxes, va="top",
                                             fontsize=FONT["note"], color=COLORS["cross"])
        self.artists["title"] = ax.set_title("")
        self._key = None
        self._simulations = {}
        self.update(correlation, leverage, horizon_days, book, n_paths, rng, progress)
        ax.legend(loc="upper right", fontsize=FONT["note"])

    def update(self, correlation=0.5, leverage=5.0, horizon_days=7, book="three longs",
               n_paths=2_000, rng=4, progress=None):
        horizon_days = int(horizon_days)
        key = (float(correlation), float(leverage), horizon_days, book, int(n_paths), rng)
        if key == self._key:
            return
        # A seed gives the same paths every time: keep the last simulations, so a slider moved
        # back to a value it had is shown at once (a Generator's state moves on: not kept).
        seeded = isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)
        sim = self._simulations.pop(key, None) if seeded else None
        if sim is None:
            sim = simulate_margin_modes(contagion_book(book, leverage),
                                        model=defai_model(book, correlation),
                                        n_steps=24 * horizon_days, n_paths=int(n_paths),
                                        rng=rng, progress=progress)
        if seeded:
            self._simulations[key] = sim
            while len(self._simulations) > _KEPT_SIMULATIONS:
                self._simulations.pop(next(iter(self._simulations)))
        iso, cross = sim.isolated, sim.cross
        counts = {"isolated": loss_counts(sim.isolated_loss),
                  "cross": loss_counts(sim.cross_loss)}
        a = self.artists
        for mode in ("isolated", "cross"):
            a[mode].set_data(values=counts[mode])
        a["isolated_text"].set_text(_summary_text("isolated", iso))
        a["cross_text"].set_text(_summary_text("cross", cross))
        top = max(int(c.max()) for c in counts.values())
        # room above the bars for the summary texts; sticky limits (rounded out, kept while
        # the bars fit and fill over half of them), so that most changes keep the axis and the
        # live figure repaints only the histograms (widgets._base.FastRedraw)
        set_limits(self.ax, y=[0, 1.6 * max(top, 1)], sticky=True, y_start=0, shrink=2.0)
        a["title"].set_text(f"{book}, {leverage:g}× each, ρ = {correlation:.2f}, "
                            f"{horizon_days} d of hourly marks, {int(n_paths):,} paths")
        self.simulation, self.isolated, self.cross, self.counts = sim, iso, cross, counts
        self._key = key


def loss_distributions(ax=None, *, static=False, correlation=0.5, leverage=5.0, horizon_days=7,
                       book="three longs", n_paths=2_000, rng=4, progress=None):
    """Loss distributions of isolated and cross margin on the same simulated paths.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    static : bool
        Agg figure for a PNG.
    correlation : float
        One-factor correlation ``ρ`` in [0, 1] between the tokens.
    leverage : float
        Leverage of every position (1 to 19.9×: below ``1/m``).
    horizon_days : int
        Days of hourly marks.
    book : {"three longs", "hedged pair"}
        See :data:`marginlib.course.contagion.BOOKS`.
    n_paths : int
        Simulated paths (the same paths for both modes).
    rng : int
        Seed (same numbers on every run; common random numbers across slider values).
    progress : callable, optional
        Passed to :func:`marginlib.sim.montecarlo.simulate_margin_modes` (``progress(fraction)``).

    Returns
    -------
    LossDistributionPlot
        Its step patches hold the counts of paths per loss bin
        (:data:`~marginlib.course.contagion.LOSS_EDGES`), so each
        sums to ``n_paths``.
    """
    return LossDistributionPlot(ax, static=static, correlation=correlation, leverage=leverage,
                                horizon_days=horizon_days, book=book, n_paths=n_paths,
                                rng=rng, progress=progress)


# ------------------------------------------------------------------ liquidation region ---


class LiquidationRegionPlot(LivePlot):
    """The (price A, price B) plane of a two-token cross account; see :func:`liquidation_region`.

    Artists: ``"region"`` (the shaded liquidated side), ``"boundary"`` (equity = maintenance),
    ``"isolated_a"`` / ``"isolated_b"`` (each position's isolated liquidation price: vertical
    and horizontal lines), ``"opening_a"`` (A's cross liquidation price quoted at opening, B at
    its entry), ``"point"`` (current prices), ``"intercept_a"`` / ``"intercept_b"`` (each
    token's cross liquidation price holding the other where it is, with dashed guides
    ``"guide_a"`` / ``"guide_b"``), ``"label"``.
    After :meth:`update`: ``boundary`` (:class:`marginlib.region.CrossLiquidationBoundary`) and
    ``liquidated`` (bool).
    """

    figsize = (6.6, 6.2)

    def draw(self, price_a=None, price_b=None, pair="two longs"):
        ax = self.ax
        acc = pair_account(pair)
        ea, eb = acc["entry_prices"]
        self.xmax, self.ymax = 2.0 * ea, 2.0 * eb
        self.grid = np.linspace(0.0, self.xmax, _REGION_GRID)
        zeros = np.zeros_like(self.grid)
        self.artists["region"] = ax.fill_between(self.grid, zeros, zeros,
                                                 color=COLORS["liquidation"], alpha=0.15, lw=0,
                                                 label="cross account liquidated")
        (self.artists["boundary"],) = ax.plot([], [], color=COLORS["liquidation"], lw=2,
                                              label="equity = maintenance (cross)")
        self.artists["isolated_a"] = ax.axvline(np.nan, color=COLORS["isolated"], ls="--",
                                                lw=1.2, label="isolated liquidation prices")
        self.artists["isolated_b"] = ax.axhline(np.nan, color=COLORS["isolated"], ls="--",
                                                lw=1.2)
        (self.artists["opening_a"],) = ax.plot([], [], "*", ms=11, color=COLORS["entry"],
                                               label="A's cross liq. price quoted at opening")
        (self.artists["guide_a"],) = ax.plot([], [], ":", color=COLORS["reference"], lw=1)
        (self.artists["guide_b"],) = ax.plot([], [], ":", color=COLORS["reference"], lw=1)
        (self.artists["intercept_a"],) = ax.plot([], [], "D", ms=6, color=COLORS["cross"],
                                                 mfc="white", mew=1.5,
                                                 label="each token's cross liq. price, "
                                                       "the other held")
        (self.artists["intercept_b"],) = ax.plot([], [], "D", ms=6, color=COLORS["cross"],
                                                 mfc="white", mew=1.5)
        (self.artists["point"],) = ax.plot([], [], "o", ms=10, mec="black", zorder=5,
                                           label="current prices")
        self.artists["label"] = ax.annotate("", (0, 0), xytext=(10, -16),
                                            textcoords="offset points", fontsize=FONT["note"],
                                            fontweight="bold", zorder=6)
        ax.set_xlim(0, self.xmax)
        ax.set_ylim(0, self.ymax)
        ax.grid(alpha=0.3)
        self.artists["title"] = ax.set_title("")
        self._pair = None
        self.update(price_a, price_b, pair)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=FONT["note"],
                  frameon=False)

    def update(self, price_a=None, price_b=None, pair="two longs"):
        acc = pair_account(pair)
        ea, eb = acc["entry_prices"]
        if (2.0 * ea, 2.0 * eb) != (self.xmax, self.ymax):
            raise ValueError("this figure's axes were drawn for entry prices "
                             f"({self.xmax / 2:g}, {self.ymax / 2:g}); make a new figure for "
                             "other tokens")
        pa = ea if price_a is None else float(price_a)
        pb = eb if price_b is None else float(price_b)
        terms = dict(sizes=acc["sizes"], entry_prices=acc["entry_prices"], wallet=acc["wallet"],
                     maintenance_margin_rate=MAINTENANCE_MARGIN_RATE)
        b = cross_liquidation_boundary(acc["side"], **terms, price_a=self.grid,
                                       mark_prices=(pa, pb))
        surplus = b.margin_surplus
        # the settlement kernel's test: equity strictly below maintenance
        liquidated = bool(cross_liquidated(acc["side"], size=acc["sizes"],
                                           entry_price=acc["entry_prices"], wallet=acc["wallet"],
                                           maintenance_margin_rate=MAINTENANCE_MARGIN_RATE,
                                           price=[pa, pb]))
        a = self.artists
        if pair != self._pair:
            line = np.clip(np.nan_to_num(b.price_b, nan=0.0), 0.0, self.ymax)
            if b.liquidated_below:
                a["region"].set_data(self.grid, np.zeros_like(line), line)
            else:
                a["region"].set_data(self.grid, line, np.full_like(line, self.ymax))
            a["boundary"].set_data(self.grid, b.price_b)
            iso = [liquidation_price(side, entry_price=e, size=q, margin=m,
                                     maintenance_margin_rate=MAINTENANCE_MARGIN_RATE)
                   for side, e, q, m in zip(acc["side"], acc["entry_prices"], acc["sizes"],
                                            acc["margins"])]
            a["isolated_a"].set_xdata([iso[0], iso[0]])
            a["isolated_b"].set_ydata([iso[1], iso[1]])
            opening = cross_liquidation_boundary(acc["side"], **terms, price_a=[ea])
            a["opening_a"].set_data([opening.liquidation_price_a], [eb])
            self.isolated_liquidation_prices = tuple(float(x) for x in iso)
            self.opening = opening
            self.ax.set_xlabel(f"price of token A = AGENT ({acc['side'][0]}), USDC")
            self.ax.set_ylabel(f"price of token B = NEURAL ({acc['side'][1]}), USDC")
            self._pair = pair
        la, lb = b.liquidation_price_a, b.liquidation_price_b
        a["intercept_a"].set_data([la], [pb])
        a["intercept_b"].set_data([pa], [lb])
        a["guide_a"].set_data([pa, la], [pb, pb])
        a["guide_b"].set_data([pa, pa], [pb, lb])
        color = COLORS["liquidation"] if liquidated else COLORS["isolated"]
        a["point"].set_data([pa], [pb])
        a["point"].set_color(color)
        a["point"].set_markeredgecolor("black")
        a["label"].xy = (pa, pb)
        a["label"].set_color(color)
        a["label"].set_text("LIQUIDATED" if liquidated else
                            f"safe: equity − maintenance = {surplus:,.1f} USDC")
        a["title"].set_text(f"Cross account, {pair}: wallet {acc['wallet']:,.0f} USDC, "
                            f"m = {100 * MAINTENANCE_MARGIN_RATE:g} %")
        self.boundary, self.liquidated = b, liquidated


def liquidation_region(ax=None, *, static=False, price_a=None, price_b=None, pair="two longs"):
    """The liquidation region of a two-token cross account, with the current prices.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    static : bool
        Agg figure for a PNG.
    price_a, price_b : float, optional
        Current prices of AGENT and NEURAL (default: their entries), > 0.
    pair : {"two longs", "hedged pair"}
        See :data:`marginlib.course.contagion.PAIRS`.

    Returns
    -------
    LiquidationRegionPlot
        ``"boundary"`` holds :func:`marginlib.region.cross_liquidation_boundary`'s line; the
        intercepts its ``liquidation_price_a`` / ``liquidation_price_b``.
    """
    return LiquidationRegionPlot(ax, static=static, price_a=price_a, price_b=price_b, pair=pair)


# --------------------------------------------------------------------- correlation sweep ---


class CorrelationSweepPlot(LivePlot):
    """P(≥1 liquidation) (top row) and P(lose everything) (bottom row) against ρ.

    One column per book of :data:`marginlib.course.contagion.BOOKS`, one line per margin
    mode. Artists:
    ``"<book>/<mode>/any"`` and ``"<book>/<mode>/all"``. After :meth:`update`: ``sweeps``
    (dict book → :class:`marginlib.sim.montecarlo.MarginModeSweep`).
    """

    figsize = (9.0, 5.6)
    nrows = 2
    ncols = 2

    def __init__(self, ax=None, *, static=False, **params):
        if ax is None:
            super().__init__(None, static=static, **params)
            return
        axes = np.asarray(ax, dtype=object)
        if axes.size != 4:
            raise ValueError(f"ax must hold 2 × 2 Axes (rows: measure; columns: book), "
                             f"got {axes.size}")
        self.fig, self.ax = axes.flat[0].figure, axes.reshape(2, 2)
        self.artists, self.params = {}, dict(params)
        self.draw(**params)

    def draw(self, leverage=5.0, horizon_days=7, n_paths=2_000, rng=4,
             correlations=SWEEP_CORRELATIONS):
        rows = (("any", "P(≥ 1 liquidation)", "-"), ("all", "P(lose everything)", "--"))
        for col, book in enumerate(BOOKS):
            for row, (what, label, style) in enumerate(rows):
                ax = self.ax[row, col]
                for mode in ("isolated", "cross"):
                    (self.artists[f"{book}/{mode}/{what}"],) = ax.plot(
                        correlations, np.zeros(len(correlations)), ms=5, label=mode,
                        **line_style(mode, marker=True, ls=style))
                ax.set_xlim(-0.02, 1.0)
                ax.grid(alpha=0.3)
                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
                if col == 0:
                    ax.set_ylabel(label)
            self.ax[0, col].set_title(book, fontsize=FONT["label"])
            self.ax[0, col].set_ylim(0, 1.0)
            self.ax[1, col].set_xlabel("correlation ρ")
        self.update(leverage, horizon_days, n_paths, rng, correlations)
        self.ax[0, 0].legend(fontsize=FONT["note"], loc="upper right")

    def update(self, leverage=5.0, horizon_days=7, n_paths=2_000, rng=4,
               correlations=SWEEP_CORRELATIONS):
        sweeps = {}
        for book in BOOKS:
            sweeps[book] = sweep_correlation(correlations,
                                             portfolio=contagion_book(book, leverage),
                                             model=defai_model(book),
                                             n_steps=24 * int(horizon_days),
                                             n_paths=int(n_paths), rng=rng)
        top = 0.0
        for book, sw in sweeps.items():
            for mode in ("isolated", "cross"):
                s = getattr(sw, mode)
                self.artists[f"{book}/{mode}/any"].set_data(sw.values, s.p_any_liquidation)
                self.artists[f"{book}/{mode}/all"].set_data(sw.values, s.p_lose_everything)
                top = max(top, float(np.max(s.p_lose_everything)))
        for col in range(2):
            self.ax[1, col].set_ylim(0, max(1.25 * top, 0.01))
        self.fig.suptitle(f"Every position {leverage:g}×, {int(horizon_days)} days of hourly "
                          f"marks, {int(n_paths):,} paths per point", fontsize=FONT["label"])
        self.sweeps = sweeps


def correlation_sweep(ax=None, *, static=False, leverage=5.0, horizon_days=7, n_paths=2_000,
                      rng=4, correlations=SWEEP_CORRELATIONS):
    """When cross wins and when it loses: liquidation odds against the correlation.

    Two panels (:data:`marginlib.course.contagion.BOOKS`): three correlated longs, and a
    hedged pair (long AGENT, short
    NEURAL, same margin and leverage). Each point is one
    :func:`marginlib.sim.montecarlo.sweep_correlation` simulation (common random numbers across ρ).

    Parameters
    ----------
    ax : 2 × 2 array of matplotlib Axes, optional
    static : bool
    leverage, horizon_days, n_paths, rng
        As :func:`loss_distributions`.
    correlations : sequence of float
        Values of ρ in [0, 1].

    Returns
    -------
    CorrelationSweepPlot
    """
    return CorrelationSweepPlot(ax, static=static, leverage=leverage, horizon_days=horizon_days,
                                n_paths=n_paths, rng=rng, correlations=correlations)
