"""Plots for notebook 06 (liquidation cascades): they draw :mod:`marginlib.sim.cascade`.

* :func:`cascade_rounds` -- one population of positions on two tokens, one initial shock, run
  to its fixed point twice: as drawn (cross accounts share one wallet) and with every cross
  account split into isolated ones (:func:`marginlib.sim.cascade.compare_margin_modes`).
  Left: the mark of each token after each round, both modes. Right: the liquidated notional
  accumulated round by round, both modes. The title gives each mode's amplification (final
  move of A ÷ shock), rounds and bad debt.

:func:`population` builds the scenario: :func:`marginlib.sim.cascade.cascade_population`
(sides drawn independently), optionally with every cross account's B position turned to the
side of its A position ("same direction") or against it ("hedged"). Populations are cached.

>>> p = cascade_rounds(static=True, n_positions=2_000)
>>> p.shared.rounds >= 1 and p.isolated.rounds >= 1
True
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.ticker import StrMethodFormatter

from marginlib.sim.cascade import Population, cascade_population, compare_margin_modes

from ._base import COLORS, LivePlot, set_limits
from .style import FONT
from .style import line as line_style

__all__ = ["CROSS_TRADERS", "PRICE", "MAINTENANCE_MARGIN_RATE", "WITHIN", "N_POSITIONS",
           "population", "CascadeRoundsPlot", "cascade_rounds"]

#: The article's setting: a token at 2.50 USDC, maintenance 5 %.
PRICE, MAINTENANCE_MARGIN_RATE = 2.50, 0.05
#: Depth is quoted within ±2 % of the shocked mark (dYdX's listing criterion's form).
WITHIN = 0.02
#: Positions in the lecture's population (1,000,000 USDC of notional in all) and its seed.
N_POSITIONS, SEED = 100_000, 0
#: Leverage cap of the population: below 1/maintenance (20×), so every position opens healthy.
MAX_LEVERAGE = 18.0
#: How the B position of a cross account is chosen.
CROSS_TRADERS = ("independent", "same direction", "hedged")


def population(cross_share=0.5, cross_traders="independent", *, n_positions=N_POSITIONS,
               rng=SEED):
    """The lecture's population (cached): ``n_positions`` positions, 60 % long, at 2.50.

    ``cross_traders``: ``"independent"`` (each side drawn on its own, as
    :func:`~marginlib.sim.cascade.cascade_population` does), ``"same direction"`` (a cross
    account's B position takes the side of its A position) or ``"hedged"`` (the opposite side).
    The three kinds share one draw: the other two are the independent population with the B
    sides of its cross accounts turned (and share its sizes, entries and margins in memory).
    """
    if cross_traders not in CROSS_TRADERS:
        raise ValueError(f"cross_traders must be one of {CROSS_TRADERS}, got {cross_traders!r}")
    # one cache key however the arguments are spelled (positional or keyword)
    return _population(cross_share, cross_traders, n_positions, rng)


@lru_cache(maxsize=16)
def _population(cross_share, cross_traders, n_positions, rng):
    if cross_traders == "independent":
        return cascade_population(n_positions, rng=rng, price=PRICE, cross_share=cross_share,
                                  max_leverage=MAX_LEVERAGE)
    pop = _population(cross_share, "independent", n_positions, rng)
    sign = pop.sign.copy()
    both = (sign != 0).all(axis=1)
    sign[both, 1] = sign[both, 0] * (1.0 if cross_traders == "same direction" else -1.0)
    sign.setflags(write=False)  # handed over without a copy
    return Population(sign=sign, size=pop.size, entry_price=pop.entry_price, margin=pop.margin,
                      cross=pop.cross)


class CascadeRoundsPlot(LivePlot):
    """Marks per round and cumulative liquidated notional, shared margin vs isolated split.

    Artists: ``"price_shared_A"``, ``"price_shared_B"``, ``"price_isolated_A"``,
    ``"price_isolated_B"`` (marks after each round, round 0 = the shocked mark, in USDC),
    ``"notional_shared"``, ``"notional_isolated"`` (cumulative liquidated notional, USDC),
    ``"shock"`` (the shocked mark of A), ``"title"``.
    After :meth:`update`: ``shared`` and ``isolated`` (the two
    :class:`~marginlib.sim.cascade.CascadeResult`).
    """

    figsize = (9.0, 4.4)
    ncols = 2

    def draw(self, shock=-0.10, depth=100_000.0, cross_share=0.5, correlation=0.5,
             cross_traders="independent", n_positions=N_POSITIONS):
        left, right = self.ax
        line = dict(marker="o", ms=3, drawstyle="steps-post")
        a = self.artists
        line = dict(ms=4, drawstyle="steps-post")  # cross: circles, isolated: squares
        cross, isolated = line_style("cross", marker=True), line_style("isolated", marker=True)
        (a["price_shared_A"],) = left.plot([], [], label="A, shared",
                                           **{**cross, "ls": "-"}, **line)
        (a["price_isolated_A"],) = left.plot([], [], label="A, isolated split",
                                             **{**isolated, "ls": "-"}, **line)
        (a["price_shared_B"],) = left.plot([], [], label="B, shared",
                                           **{**cross, "ls": ":"}, **line)
        (a["price_isolated_B"],) = left.plot([], [], label="B, isolated split",
                                             **{**isolated, "ls": ":"}, **line)
        a["shock"] = left.axhline(PRICE, color=COLORS["entry"], ls="--", lw=1,
                                  label="A right after the shock")
        left.axhline(PRICE, color="black", lw=0.6, label="before the shock")
        left.set_xlabel("round")
        left.set_ylabel("mark (USDC)")
        left.legend(fontsize=FONT["note"], loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
        left.grid(alpha=0.3)
        (a["notional_shared"],) = right.plot([], [], label="shared margin (as drawn)",
                                             **cross, **line)
        (a["notional_isolated"],) = right.plot([], [], label="isolated split",
                                               **isolated, **line)
        right.set_xlabel("round")
        right.set_ylabel("liquidated notional,\ncumulative (USDC)")
        right.legend(fontsize=FONT["note"], loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1)
        right.grid(alpha=0.3)
        right.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        # The title changes at every update: drawn as a text of the left Axes (placed like a
        # suptitle, in figure coordinates), so that the live figure repaints it with the lines
        # (widgets._base.FastRedraw redraws the whole figure when a figure-level artist
        # changes); an invisible two-line suptitle keeps its room in the layout.
        self.fig.suptitle("A\nA", fontsize=FONT["label"], color="none")
        a["title"] = left.text(0.5, 0.98, "", transform=self.fig.transFigure, ha="center",
                               va="top", fontsize=FONT["label"], in_layout=False)
        self.update(shock, depth, cross_share, correlation, cross_traders, n_positions)

    def update(self, shock=-0.10, depth=100_000.0, cross_share=0.5, correlation=0.5,
               cross_traders="independent", n_positions=N_POSITIONS):
        pop = population(float(cross_share), cross_traders, n_positions=int(n_positions))
        shared, isolated = compare_margin_modes(
            pop, price=PRICE, shock=float(shock), depth=float(depth),
            maintenance_margin_rate=MAINTENANCE_MARGIN_RATE, within=WITHIN,
            correlation=float(correlation))
        a = self.artists
        prices, cums = [], []
        for name, out in (("shared", shared), ("isolated", isolated)):
            rounds = np.arange(out.price.shape[0])
            a[f"price_{name}_A"].set_data(rounds, out.price[:, 0])
            a[f"price_{name}_B"].set_data(rounds, out.price[:, 1])
            cum = np.concatenate([[0.0], np.cumsum(out.liquidated_notional)])
            a[f"notional_{name}"].set_data(rounds, cum)
            prices.append(out.price.ravel())
            cums.append(cum)
        a["shock"].set_ydata([shared.shocked_price[0]] * 2)
        n_rounds = max(shared.rounds, isolated.rounds, 1)
        left, right = self.ax
        # sticky limits (plots._base.set_limits): a small step keeps them, and the live figure
        # repaints only the lines and the title (widgets._base.FastRedraw)
        for ax in (left, right):  # rounds: from just before round 0
            set_limits(ax, x=[0, n_rounds], sticky=True, x_start=-0.5, pad=0.0, shrink=2.0)
        set_limits(left, y=np.concatenate(prices + [[PRICE]]), sticky=True, shrink=2.0)
        set_limits(right, y=np.concatenate(cums), sticky=True, shrink=2.0)
        a["title"].set_text(
            f"A {100 * shock:+.0f} %, B {100 * correlation * shock + 0.0:+.1f} %, depth "
            f"{depth:,.0f} USDC within ±{100 * WITHIN:g} %, {100 * cross_share:.0f} % of positions "
            f"in cross accounts ({cross_traders})\n"
            f"shared: amplification {shared.amplification:.3f}×, {shared.rounds} rounds, bad debt "
            f"{shared.total_bad_debt:,.0f}  |  isolated split: {isolated.amplification:.3f}×, "
            f"{isolated.rounds} rounds, bad debt {isolated.total_bad_debt:,.0f} USDC")
        self.shared, self.isolated = shared, isolated


def cascade_rounds(ax=None, *, static=False, shock=-0.10, depth=100_000.0, cross_share=0.5,
                   correlation=0.5, cross_traders="independent", n_positions=N_POSITIONS):
    """The live cascade, shared margin vs its isolated split; see :class:`CascadeRoundsPlot`.

    Parameters
    ----------
    ax : array of two matplotlib Axes, optional
    static : bool
        Agg figure for a PNG.
    shock : float
        Initial move of A, as a fraction (−0.10 = a 10 % drop).
    depth : float
        Quote notional within ±2 % of the shocked mark, per token, USDC.
    cross_share : float
        Share of positions in cross accounts, in [0, 1].
    correlation : float
        B's initial move is ``correlation × shock``.
    cross_traders : str
        One of :data:`CROSS_TRADERS` (see :func:`population`).
    n_positions : int
        Size of the population.

    Returns
    -------
    CascadeRoundsPlot
    """
    return CascadeRoundsPlot(ax, static=static, shock=shock, depth=depth,
                             cross_share=cross_share, correlation=correlation,
                             cross_traders=cross_traders, n_positions=n_positions)
