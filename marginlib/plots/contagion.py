"""Plots for notebook 04 (isolated vs cross margin): every number drawn comes from ``marginlib``.

* :func:`crash_bars` -- three DeFAI-style positions, one token crashes: each position's
  equity, the free wallet and the account total before → after, in isolated or cross mode,
  replayed mark by mark through :class:`marginlib.Account`; liquidated positions marked.
* :func:`loss_distributions` -- histograms of the loss (share of capital) of both margin modes
  on the *same* simulated paths (:func:`marginlib.simulate_margin_modes`), with
  P(at least one liquidation) and P(lose everything) written on the figure.
* :func:`liquidation_region` -- the (price A, price B) plane of a two-token cross account:
  the boundary where equity = maintenance (:func:`marginlib.cross_liquidation_boundary`),
  the liquidated side shaded, each token's single-position liquidation price (the intercept
  through the current prices), the isolated liquidation lines, and the current prices as a
  point coloured safe / liquidated.
* :func:`correlation_sweep` -- P(at least one liquidation) and P(lose everything) against the
  correlation, both modes, for correlated longs and for a hedged (long/short) pair.

The course's running assumptions live here as named constants (:data:`HOLDINGS`,
:data:`CAPITAL`, the dYdX v4 small-cap rates), so the notebook, the widgets and the tests use
the same numbers.

>>> out = crash_outcome(0.40, "isolated", "all-in")
>>> out.liquidated
(True, False, False)
>>> out = crash_outcome(0.40, "cross", "all-in")
>>> out.liquidated
(True, True, True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import PercentFormatter

import marginlib as ml
from marginlib import _validation as v

from ._base import COLORS, LivePlot

__all__ = [
    "Holding",
    "HOLDINGS",
    "VENUE_KEY",
    "MAINTENANCE_MARGIN_RATE",
    "LIQUIDATION_FEE_RATE",
    "CAPITAL",
    "CRASH_MARK_STEP",
    "CrashOutcome",
    "crash_outcome",
    "crash_marks",
    "CrashBarsPlot",
    "crash_bars",
    "BOOKS",
    "contagion_book",
    "defai_model",
    "LOSS_EDGES",
    "loss_counts",
    "LossDistributionPlot",
    "loss_distributions",
    "PAIRS",
    "LiquidationRegionPlot",
    "liquidation_region",
    "CorrelationSweepPlot",
    "correlation_sweep",
]

# ------------------------------------------------------------------------ assumptions ---


@dataclass(frozen=True)
class Holding:
    """One position of the course's DeFAI-style portfolio (an assumption, not market data).

    Attributes
    ----------
    name : str
        Generic token name.
    side : {"long", "short"}
    price : float
        Entry price, USDC.
    leverage : float
        Leverage at opening.
    margin : float
        Margin committed (isolated) or initial margin ``q·E/L`` (cross), USDC.
    volatility : float
        Annualised volatility of its log returns (1.2 = 120 % a year), used by the
        Monte Carlo.
    """

    name: str
    side: str
    price: float
    leverage: float
    margin: float
    volatility: float

    @property
    def size(self):
        """Tokens held, ``q = M·L/E`` (as :meth:`marginlib.Account.open`)."""
        return self.margin * self.leverage / self.price

    @property
    def notional(self):
        """``q·E`` = ``M·L``, USDC."""
        return self.margin * self.leverage


#: The three positions of the contagion lab: AGENT is the course's running example
#: (100 USDC at 10× on a token priced 2.50, i.e. 400 tokens).
HOLDINGS = (
    Holding("AGENT", "long", 2.50, 10.0, 100.0, 1.2),
    Holding("NEURAL", "long", 0.50, 5.0, 100.0, 1.0),
    Holding("ORACLE", "long", 1.25, 5.0, 100.0, 0.9),
)

#: Venue preset whose rates the lab uses (the same small-cap market as notebook 02).
VENUE_KEY = "dydx_v4_small_cap"
_VENUE = ml.get_venue(VENUE_KEY)
#: Maintenance margin rate of every position (dYdX v4 small-cap MMF, 5 %).
MAINTENANCE_MARGIN_RATE = float(_VENUE.tiers.rates[0])
#: Liquidation fee (penalty) on the notional at the liquidation mark (dYdX v4: up to 1.5 %).
LIQUIDATION_FEE_RATE = float(_VENUE.liquidation_fee_rate)

#: Deposits of the two crash scenarios, USDC: "all-in" puts exactly the three margins in the
#: account; "spare" keeps 700 USDC of free collateral next to them.
CAPITAL = {"all-in": sum(h.margin for h in HOLDINGS), "spare": 1_000.0}

#: A "step by step" crash moves the price by this fraction of its initial value per mark
#: (a venue marks continuously; 0.5 % steps stand for that). A "gap" is a single mark.
CRASH_MARK_STEP = 0.005


def crash_marks(price, crash, gap=False):
    """The marks a crash of ``crash`` (fraction) from ``price`` goes through.

    Step by step: ``price·(1 − crash·k/n)``, ``k = 1..n``, ``n = ⌈crash/0.005⌉`` (steps of
    at most 0.5 % of ``price``); a gap: the single mark ``price·(1 − crash)``. Empty for
    ``crash == 0``.

    >>> crash_marks(2.5, 0.02)
    array([2.4875, 2.475 , 2.4625, 2.45  ])
    >>> crash_marks(2.5, 0.4, gap=True)
    array([1.5])
    """
    price = float(v.positive("price", price))
    crash = float(v.finite("crash", crash))
    if not 0 <= crash < 1:
        raise ValueError(f"crash must be a fraction in [0, 1), got {crash!r}")
    if crash == 0:
        return np.empty(0)
    n = 1 if gap else max(1, math.ceil(round(crash / CRASH_MARK_STEP, 9)))
    return price * (1.0 - crash * np.arange(1, n + 1) / n)


@dataclass(frozen=True)
class CrashOutcome:
    """Before → after of the crash lab, per bar: each position, the free wallet, the total.

    Attributes
    ----------
    labels : tuple of str
        Position names, then ``"free wallet"`` and ``"account"``.
    before, after : ndarray
        Bar values, USDC. A position's bar is its equity: isolated ``margin + PnL``; cross
        ``q·E/L + PnL`` (its initial margin plus its PnL, so the bars add up); 0 once closed.
        The free wallet is the wallet minus the initial margins of the open cross positions;
        the account bar is :meth:`marginlib.Account.equity`.
    liquidated : tuple of bool
        Per position, whether it was liquidated.
    exit_prices : tuple of float
        Mark at which each position was liquidated (NaN if it was not).
    bad_debt : float
        Loss beyond the collateral, absorbed by the venue.
    capital : float
        Deposit.
    mode : str
    crash : float
    gap : bool
    events : tuple of marginlib.Event
        The liquidation (and bad-debt) events of the crash.
    """

    labels: tuple
    before: np.ndarray
    after: np.ndarray
    liquidated: tuple
    exit_prices: tuple
    bad_debt: float
    capital: float
    mode: str
    crash: float
    gap: bool
    events: tuple

    @property
    def lost(self):
        """Capital lost: ``capital − account equity after``."""
        return float(self.capital - self.after[-1])


def _bars(acct, holdings):
    positions = acct.positions
    values, cross_im = [], 0.0
    for h in holdings:
        p = positions.get(h.name)
        if p is None:
            values.append(0.0)
        elif p.mode == "isolated":
            values.append(p.equity)
        else:
            im = p.size * p.entry_price / p.leverage
            cross_im += im
            values.append(im + p.unrealized_pnl)
    values += [acct.wallet - cross_im, acct.equity()]
    return np.array(values, dtype=float)


def _capital(scenario):
    if isinstance(scenario, str):
        if scenario not in CAPITAL:
            raise ValueError(f"scenario must be one of {sorted(CAPITAL)} or a deposit in USDC, "
                             f"got {scenario!r}")
        return CAPITAL[scenario]
    return float(v.positive("scenario (deposit)", scenario))


def crash_outcome(crash=0.40, mode="isolated", scenario="all-in", *, gap=False, token=0,
                  holdings=HOLDINGS, maintenance_margin_rate=MAINTENANCE_MARGIN_RATE,
                  liquidation_fee_rate=LIQUIDATION_FEE_RATE):
    """Open the holdings in one margin mode, crash one token, and read the account.

    Parameters
    ----------
    crash : float
        Size of the fall of token ``token``, a fraction in [0, 1) (0.4 = −40 %).
    mode : {"isolated", "cross"}
    scenario : {"all-in", "spare"} or float
        Deposit: a key of :data:`CAPITAL` or an amount in USDC (must cover the margins).
    gap : bool
        One mark at the crashed price (a gap) instead of marks every 0.5 %.
    token : int
        Index of the crashing holding; the other prices do not move.
    holdings : sequence of Holding
    maintenance_margin_rate, liquidation_fee_rate : float

    Returns
    -------
    CrashOutcome

    Notes
    -----
    A thin script over :class:`marginlib.Account`: ``Account(deposit)``, ``open`` each holding
    (``margin``, ``leverage``, ``price``, ``mode``), then ``mark`` the crashing token through
    :func:`crash_marks`. All the rules (isolated: that position alone when
    ``M + s·q·(P − E) <= q·P·m``; cross: every position when
    ``W + Σ s·q·(P − E) <= Σ q·P·m``) are the engine's.
    """
    if mode not in ml.MARGIN_MODES:
        raise ValueError(f"mode must be 'isolated' or 'cross', got {mode!r}")
    holdings = tuple(holdings)
    if not 0 <= token < len(holdings):
        raise ValueError(f"token must be an index in [0, {len(holdings) - 1}], got {token!r}")
    capital = _capital(scenario)
    acct = ml.Account(capital, maintenance_margin_rate=maintenance_margin_rate,
                      liquidation_fee_rate=liquidation_fee_rate)
    for h in holdings:
        acct.open(h.name, h.side, margin=h.margin, leverage=h.leverage, price=h.price,
                  mode=mode)
    before = _bars(acct, holdings)
    crashing = holdings[token].name
    events = []
    for t, price in enumerate(crash_marks(holdings[token].price, crash, gap), start=1):
        events += acct.mark({crashing: float(price)}, time=float(t))
        if crashing not in acct.positions:
            break
    exit_prices = {e.position: e.price for e in events if e.kind == "liquidation"}
    names = tuple(h.name for h in holdings)
    return CrashOutcome(
        labels=names + ("free wallet", "account"), before=before, after=_bars(acct, holdings),
        liquidated=tuple(n in exit_prices for n in names),
        exit_prices=tuple(float(exit_prices.get(n, np.nan)) for n in names),
        bad_debt=float(acct.totals.bad_debt), capital=capital, mode=mode, crash=float(crash),
        gap=bool(gap), events=tuple(events))


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
        self.artists["before"] = ax.bar(x - 0.2, np.zeros(n + 2), 0.38, color="#cfcfcf",
                                        edgecolor="#888888", hatch="//", label="before")
        self.artists["after"] = ax.bar(x + 0.2, np.zeros(n + 2), 0.38, color=COLORS[mode],
                                       label="after the crash")
        self.artists["flags"] = [ax.text(x[i] + 0.2, 0.0, "", ha="center", va="bottom",
                                         color=COLORS["liquidation"], fontsize=8,
                                         fontweight="bold") for i in range(n)]
        self.artists["capital"] = ax.axhline(0.0, color=COLORS["entry"], ls="--", lw=1,
                                             label="deposit")
        ax.axhline(0.0, color="black", lw=0.8)
        ax.axvline(n - 0.5, color="#bbbbbb", lw=0.8)
        ax.set_xticks(x, ticks, fontsize=8)
        ax.set_ylabel("USDC")
        ax.grid(axis="y", alpha=0.3)
        self.artists["title"] = ax.set_title("")
        self._ylim_key = None
        self.legend = ax.legend(loc="upper left", fontsize=8)
        self.update(crash, mode, scenario, gap, token, holdings)

    def _ylim(self, scenario, gap, token, holdings):
        """Fixed y range per scenario: the extremes over every crash size and both modes."""
        key = (scenario, gap, token, holdings)
        if key != self._ylim_key:
            values = [crash_outcome(c, m, scenario, gap=gap, token=token, holdings=holdings)
                      for m in ml.MARGIN_MODES
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
        if hasattr(self, "legend"):
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

#: The portfolios of the correlation lab: which holdings, on which side.
BOOKS = {
    "three longs": (("AGENT", "long"), ("NEURAL", "long"), ("ORACLE", "long")),
    "hedged pair": (("AGENT", "long"), ("NEURAL", "short")),
}
#: Fat tails of the simulated DeFAI returns (multivariate Student-t degrees of freedom).
TAIL_DOF = 4.0
#: Jumps: about one a month per token, log size N(−0.15, 0.10²) (≈ −14 % on average).
JUMP_INTENSITY = 12.0
JUMP_MEAN = -0.15
JUMP_VOLATILITY = 0.10


def _book_holdings(book):
    if book not in BOOKS:
        raise ValueError(f"book must be one of {sorted(BOOKS)}, got {book!r}")
    by_name = {h.name: h for h in HOLDINGS}
    return [(by_name[name], side) for name, side in BOOKS[book]]


def contagion_book(book="three longs", leverage=5.0):
    """The :class:`marginlib.Portfolio` of a lab book: 100 USDC margin per position, all-in.

    Every position gets the same ``leverage`` and 100 USDC of margin; the capital is the sum of
    the margins (nothing spare), the rates are the dYdX v4 small-cap ones.

    >>> contagion_book("hedged pair", 5).capital
    200.0
    """
    pairs = _book_holdings(book)
    margins = [h.margin for h, _ in pairs]
    return ml.portfolio([side for _, side in pairs], leverage, capital=float(sum(margins)),
                        margin=margins, maintenance_margin_rate=MAINTENANCE_MARGIN_RATE,
                        liquidation_fee_rate=LIQUIDATION_FEE_RATE)


def defai_model(book="three longs", correlation=0.5, *, tail_dof=TAIL_DOF,
                jump_intensity=JUMP_INTENSITY, jump_mean=JUMP_MEAN,
                jump_volatility=JUMP_VOLATILITY):
    """Hourly price model of a book's tokens: one common factor, fat tails and jumps.

    >>> defai_model("three longs", 0.5).n_tokens
    3
    """
    pairs = _book_holdings(book)
    return ml.price_model([h.price for h, _ in pairs], [h.volatility for h, _ in pairs],
                          correlation=correlation, step_hours=1.0, tail_dof=tail_dof,
                          jump_intensity=jump_intensity, jump_mean=jump_mean,
                          jump_volatility=jump_volatility)


#: Bin edges of the loss histograms: loss as a share of capital, −200 % (a gain of twice the
#: capital) to 100 % (everything lost), in 5 % steps. Larger gains are counted in the first bin.
LOSS_EDGES = np.round(np.linspace(-2.0, 1.0, 61), 10)


def loss_counts(loss, edges=LOSS_EDGES):
    """Histogram counts of ``loss`` over fixed ``edges``, out-of-range values in the end bins.

    The counts always sum to ``len(loss)`` (nothing falls off the axis).

    >>> loss_counts([-3.0, 0.0, 0.5, 1.0], edges=[-1.0, 0.0, 1.0])
    array([1, 3])
    """
    edges = np.asarray(edges, dtype=float)
    clipped = np.clip(np.asarray(loss, dtype=float).ravel(), edges[0], edges[-1])
    counts, _ = np.histogram(clipped, bins=edges)
    return counts


def _summary_text(name, s):
    return (f"{name}: P(≥1 liquidation) {100 * s.p_any_liquidation:.1f} %, "
            f"P(lose all) {100 * s.p_lose_everything:.1f} %\n"
            f"    mean loss {100 * s.expected_loss:.1f} %, "
            f"worst-1 % mean (CVaR 99) {100 * s.cvar_99:.0f} %")


class LossDistributionPlot(LivePlot):
    """Loss histograms of both modes on the same paths; see :func:`loss_distributions`.

    Artists: ``"isolated"`` and ``"cross"`` (step patches over :data:`LOSS_EDGES`, counts of
    paths), ``"isolated_text"``, ``"cross_text"`` (the summary numbers), ``"title"``.
    After :meth:`update`: ``simulation`` (the :class:`marginlib.MarginModeSimulation`),
    ``isolated`` and ``cross`` (:class:`marginlib.LossSummary`) and ``counts`` (dict mode →
    counts).
    """

    figsize = (7.6, 4.4)

    def draw(self, correlation=0.5, leverage=5.0, horizon_days=7, book="three longs",
             n_paths=2_000, seed=4, progress=None):
        ax = self.ax
        centres = 100 * LOSS_EDGES
        zeros = np.zeros(LOSS_EDGES.size - 1)
        for mode, ls in (("isolated", "-"), ("cross", "-")):
            self.artists[mode] = ax.stairs(zeros, centres, color=COLORS[mode], lw=1.8, ls=ls,
                                           fill=False, label=f"{mode}")
        ax.axvline(0.0, color="black", lw=0.6)
        ax.set_xlim(centres[0], centres[-1])
        ax.set_xlabel("loss at the horizon, % of capital (negative: a gain; the first bin holds "
                      "every gain ≥ 200 %)")
        ax.set_ylabel("number of paths")
        ax.grid(alpha=0.3)
        self.artists["isolated_text"] = ax.text(0.01, 0.98, "", transform=ax.transAxes,
                                                va="top", fontsize=7.5,
                                                color=COLORS["isolated"])
        self.artists["cross_text"] = ax.text(0.01, 0.86, "", transform=ax.transAxes, va="top",
                                             fontsize=7.5, color=COLORS["cross"])
        self.artists["title"] = ax.set_title("")
        self._key = None
        self.update(correlation, leverage, horizon_days, book, n_paths, seed, progress)
        ax.legend(loc="upper right", fontsize=8)

    def update(self, correlation=0.5, leverage=5.0, horizon_days=7, book="three longs",
               n_paths=2_000, seed=4, progress=None):
        horizon_days = int(horizon_days)
        key = (float(correlation), float(leverage), horizon_days, book, int(n_paths), seed)
        if key == self._key:
            return
        sim = ml.simulate_margin_modes(contagion_book(book, leverage),
                                       defai_model(book, correlation), n_steps=24 * horizon_days,
                                       n_paths=int(n_paths), rng=seed, progress=progress)
        iso, cross = sim.isolated, sim.cross
        counts = {"isolated": loss_counts(sim.isolated_loss),
                  "cross": loss_counts(sim.cross_loss)}
        a = self.artists
        for mode in ("isolated", "cross"):
            a[mode].set_data(values=counts[mode])
        a["isolated_text"].set_text(_summary_text("isolated", iso))
        a["cross_text"].set_text(_summary_text("cross", cross))
        top = max(int(c.max()) for c in counts.values())
        self.ax.set_ylim(0, 1.6 * max(top, 1))
        a["title"].set_text(f"{book}, {leverage:g}× each, ρ = {correlation:.2f}, "
                            f"{horizon_days} d of hourly marks, {int(n_paths):,} paths")
        self.simulation, self.isolated, self.cross, self.counts = sim, iso, cross, counts
        self._key = key


def loss_distributions(ax=None, *, static=False, correlation=0.5, leverage=5.0, horizon_days=7,
                       book="three longs", n_paths=2_000, seed=4, progress=None):
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
        See :data:`BOOKS`.
    n_paths : int
        Simulated paths (the same paths for both modes).
    seed : int
        Seed (same numbers on every run; common random numbers across slider values).
    progress : callable, optional
        Passed to :func:`marginlib.simulate_margin_modes` (``progress(fraction)``).

    Returns
    -------
    LossDistributionPlot
        Its step patches hold the counts of paths per loss bin (:data:`LOSS_EDGES`), so each
        sums to ``n_paths``.
    """
    return LossDistributionPlot(ax, static=static, correlation=correlation, leverage=leverage,
                                horizon_days=horizon_days, book=book, n_paths=n_paths,
                                seed=seed, progress=progress)


# ------------------------------------------------------------------ liquidation region ---

#: Two-token cross accounts of the region plot: sides, sizes, entries and wallet.
#: "two longs": AGENT and NEURAL of :data:`HOLDINGS` (wallet = their two margins).
#: "hedged pair": long AGENT, short NEURAL of the same notional (1,000 USDC each, 10×).
PAIRS = {
    "two longs": dict(sides=("long", "long"), sizes=(HOLDINGS[0].size, HOLDINGS[1].size),
                      entry_prices=(HOLDINGS[0].price, HOLDINGS[1].price),
                      wallet=HOLDINGS[0].margin + HOLDINGS[1].margin,
                      margins=(HOLDINGS[0].margin, HOLDINGS[1].margin)),
    "hedged pair": dict(sides=("long", "short"),
                        sizes=(HOLDINGS[0].notional / HOLDINGS[0].price,
                               HOLDINGS[0].notional / HOLDINGS[1].price),
                        entry_prices=(HOLDINGS[0].price, HOLDINGS[1].price),
                        wallet=2 * HOLDINGS[0].margin,
                        margins=(HOLDINGS[0].margin, HOLDINGS[0].margin)),
}
_REGION_GRID = 401


def _pair(pair):
    if pair not in PAIRS:
        raise ValueError(f"pair must be one of {sorted(PAIRS)}, got {pair!r}")
    return PAIRS[pair]


class LiquidationRegionPlot(LivePlot):
    """The (price A, price B) plane of a two-token cross account; see :func:`liquidation_region`.

    Artists: ``"region"`` (the shaded liquidated side), ``"boundary"`` (equity = maintenance),
    ``"isolated_a"`` / ``"isolated_b"`` (each position's isolated liquidation price: vertical
    and horizontal lines), ``"opening_a"`` (A's cross liquidation price quoted at opening, B at
    its entry), ``"point"`` (current prices), ``"intercept_a"`` / ``"intercept_b"`` (each
    token's cross liquidation price holding the other where it is, with dashed guides
    ``"guide_a"`` / ``"guide_b"``), ``"label"``.
    After :meth:`update`: ``boundary`` (:class:`marginlib.CrossLiquidationBoundary`) and
    ``liquidated`` (bool).
    """

    figsize = (6.6, 6.2)

    def draw(self, price_a=None, price_b=None, pair="two longs"):
        ax = self.ax
        acc = _pair(pair)
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
        (self.artists["opening_a"],) = ax.plot([], [], "*", ms=11, color="#7f7f7f",
                                               label="A's cross liq. price quoted at opening")
        (self.artists["guide_a"],) = ax.plot([], [], ":", color="#444444", lw=1)
        (self.artists["guide_b"],) = ax.plot([], [], ":", color="#444444", lw=1)
        (self.artists["intercept_a"],) = ax.plot([], [], "D", ms=6, color=COLORS["cross"],
                                                 mfc="white", mew=1.5,
                                                 label="each token's cross liq. price, "
                                                       "the other held")
        (self.artists["intercept_b"],) = ax.plot([], [], "D", ms=6, color=COLORS["cross"],
                                                 mfc="white", mew=1.5)
        (self.artists["point"],) = ax.plot([], [], "o", ms=10, mec="black", zorder=5,
                                           label="current prices")
        self.artists["label"] = ax.annotate("", (0, 0), xytext=(10, -16),
                                            textcoords="offset points", fontsize=8.5,
                                            fontweight="bold", zorder=6)
        ax.set_xlim(0, self.xmax)
        ax.set_ylim(0, self.ymax)
        ax.grid(alpha=0.3)
        self.artists["title"] = ax.set_title("")
        self._pair = None
        self.update(price_a, price_b, pair)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=7.5,
                  frameon=False)

    def update(self, price_a=None, price_b=None, pair="two longs"):
        acc = _pair(pair)
        ea, eb = acc["entry_prices"]
        if (2.0 * ea, 2.0 * eb) != (self.xmax, self.ymax):
            raise ValueError("this figure's axes were drawn for entry prices "
                             f"({self.xmax / 2:g}, {self.ymax / 2:g}); make a new figure for "
                             "other tokens")
        pa = ea if price_a is None else float(price_a)
        pb = eb if price_b is None else float(price_b)
        terms = dict(sides=acc["sides"], sizes=acc["sizes"], entry_prices=acc["entry_prices"],
                     wallet=acc["wallet"], maintenance_margin_rates=MAINTENANCE_MARGIN_RATE)
        b = ml.cross_liquidation_boundary(**terms, price_a=self.grid, mark_prices=(pa, pb))
        surplus = b.margin_surplus
        liquidated = surplus <= 0
        a = self.artists
        if pair != self._pair:
            line = np.clip(np.nan_to_num(b.price_b, nan=0.0), 0.0, self.ymax)
            if b.liquidated_below:
                a["region"].set_data(self.grid, np.zeros_like(line), line)
            else:
                a["region"].set_data(self.grid, line, np.full_like(line, self.ymax))
            a["boundary"].set_data(self.grid, b.price_b)
            iso = [ml.liquidation_price(side, e, q, m, MAINTENANCE_MARGIN_RATE)
                   for side, e, q, m in zip(acc["sides"], acc["entry_prices"], acc["sizes"],
                                            acc["margins"])]
            a["isolated_a"].set_xdata([iso[0], iso[0]])
            a["isolated_b"].set_ydata([iso[1], iso[1]])
            opening = ml.cross_liquidation_boundary(**terms, price_a=[ea])
            a["opening_a"].set_data([opening.liquidation_price_a], [eb])
            self.isolated_liquidation_prices = tuple(float(x) for x in iso)
            self.opening = opening
            self.ax.set_xlabel(f"price of token A = AGENT ({acc['sides'][0]}), USDC")
            self.ax.set_ylabel(f"price of token B = NEURAL ({acc['sides'][1]}), USDC")
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
        See :data:`PAIRS`.

    Returns
    -------
    LiquidationRegionPlot
        ``"boundary"`` holds :func:`marginlib.cross_liquidation_boundary`'s line; the
        intercepts its ``liquidation_price_a`` / ``liquidation_price_b``.
    """
    return LiquidationRegionPlot(ax, static=static, price_a=price_a, price_b=price_b, pair=pair)


# --------------------------------------------------------------------- correlation sweep ---

#: Correlations of :func:`correlation_sweep`.
SWEEP_CORRELATIONS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95)


class CorrelationSweepPlot(LivePlot):
    """P(≥1 liquidation) (top row) and P(lose everything) (bottom row) against ρ.

    One column per book of :data:`BOOKS`, one line per margin mode. Artists:
    ``"<book>/<mode>/any"`` and ``"<book>/<mode>/all"``. After :meth:`update`: ``sweeps``
    (dict book → :class:`marginlib.MarginModeSweep`).
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

    def draw(self, leverage=5.0, horizon_days=7, n_paths=2_000, seed=4,
             correlations=SWEEP_CORRELATIONS):
        rows = (("any", "P(≥ 1 liquidation)", "o-"), ("all", "P(lose everything)", "s--"))
        for col, book in enumerate(BOOKS):
            for row, (what, label, style) in enumerate(rows):
                ax = self.ax[row, col]
                for mode in ("isolated", "cross"):
                    (self.artists[f"{book}/{mode}/{what}"],) = ax.plot(
                        correlations, np.zeros(len(correlations)), style, color=COLORS[mode],
                        ms=4, label=mode)
                ax.set_xlim(-0.02, 1.0)
                ax.grid(alpha=0.3)
                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
                if col == 0:
                    ax.set_ylabel(label)
            self.ax[0, col].set_title(book, fontsize=10)
            self.ax[0, col].set_ylim(0, 1.0)
            self.ax[1, col].set_xlabel("correlation ρ")
        self.update(leverage, horizon_days, n_paths, seed, correlations)
        self.ax[0, 0].legend(fontsize=8, loc="upper right")

    def update(self, leverage=5.0, horizon_days=7, n_paths=2_000, seed=4,
               correlations=SWEEP_CORRELATIONS):
        sweeps = {}
        for book in BOOKS:
            sweeps[book] = ml.sweep_correlation(correlations, contagion_book(book, leverage),
                                                defai_model(book), n_steps=24 * int(horizon_days),
                                                n_paths=int(n_paths), rng=seed)
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
                          f"marks, {int(n_paths):,} paths per point", fontsize=9)
        self.sweeps = sweeps


def correlation_sweep(ax=None, *, static=False, leverage=5.0, horizon_days=7, n_paths=2_000,
                      seed=4, correlations=SWEEP_CORRELATIONS):
    """When cross wins and when it loses: liquidation odds against the correlation.

    Two panels (:data:`BOOKS`): three correlated longs, and a hedged pair (long AGENT, short
    NEURAL, same margin and leverage). Each point is one
    :func:`marginlib.sweep_correlation` simulation (common random numbers across ρ).

    Parameters
    ----------
    ax : 2 × 2 array of matplotlib Axes, optional
    static : bool
    leverage, horizon_days, n_paths, seed
        As :func:`loss_distributions`.
    correlations : sequence of float
        Values of ρ in [0, 1].

    Returns
    -------
    CorrelationSweepPlot
    """
    return CorrelationSweepPlot(ax, static=static, leverage=leverage, horizon_days=horizon_days,
                                n_paths=n_paths, seed=seed, correlations=correlations)
