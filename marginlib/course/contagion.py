"""The contagion lab's scenarios (notebook 04), without matplotlib: holdings, books, pairs, crashes.

The course's running assumptions live here as named constants (:data:`HOLDINGS`,
:data:`CAPITAL`, the dYdX v4 small-cap rates), so the notebook, the plots
(:mod:`marginlib.plots.contagion` only draws them), the widgets and the tests use the same
numbers.

* :func:`crash_outcome` -- open the holdings in one margin mode in a
  :class:`marginlib.account.Account`, crash one token mark by mark (:func:`crash_marks`) and
  read each position's equity, the free wallet and the account before → after.
* :data:`BOOKS`, :func:`contagion_book`, :func:`defai_model` -- the portfolios and the price
  model of the Monte Carlo correlation lab; :data:`LOSS_EDGES` and :func:`loss_counts` bin its
  losses; :data:`SWEEP_CORRELATIONS` are the correlations of the sweep.
* :data:`PAIRS` -- the two-token cross accounts of the liquidation-region figure.

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

from marginlib import _validation as v
from marginlib.account import MARGIN_MODES, Account
from marginlib.sim.montecarlo import portfolio
from marginlib.sim.paths import price_model
from marginlib.venues import get_venue

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
    "BOOKS",
    "TAIL_DOF",
    "JUMP_INTENSITY",
    "JUMP_MEAN",
    "JUMP_VOLATILITY",
    "contagion_book",
    "defai_model",
    "LOSS_EDGES",
    "loss_counts",
    "PAIRS",
    "pair_account",
    "SWEEP_CORRELATIONS",
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
        """Tokens held, ``q = M·L/E`` (as :meth:`marginlib.account.Account.open`)."""
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
_VENUE = get_venue(VENUE_KEY)
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
        the account bar is :meth:`marginlib.account.Account.equity`.
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
    events : tuple of marginlib.account.Event
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
    A thin script over :class:`marginlib.account.Account`: ``Account(deposit)``, ``open`` each
    holding
    (``margin``, ``leverage``, ``price``, ``mode``), then ``mark`` the crashing token through
    :func:`crash_marks`. All the rules are the engine's (:mod:`marginlib.settlement`):
    isolated, that position alone when ``M + s·q·(P − E) < q·P·m``; cross, every position
    when ``W + Σ s·q·(P − E) < Σ q·P·m`` (strictly below: equity exactly at maintenance is
    not liquidated).
    """
    if mode not in MARGIN_MODES:
        raise ValueError(f"mode must be 'isolated' or 'cross', got {mode!r}")
    holdings = tuple(holdings)
    if not 0 <= token < len(holdings):
        raise ValueError(f"token must be an index in [0, {len(holdings) - 1}], got {token!r}")
    capital = _capital(scenario)
    acct = Account(capital, maintenance_margin_rate=maintenance_margin_rate,
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
    """The :class:`marginlib.sim.montecarlo.Portfolio` of a lab book: 100 USDC margin each, all-in.

    Every position gets the same ``leverage`` and 100 USDC of margin; the capital is the sum of
    the margins (nothing spare), the rates are the dYdX v4 small-cap ones.

    >>> contagion_book("hedged pair", 5).capital
    200.0
    """
    pairs = _book_holdings(book)
    margins = [h.margin for h, _ in pairs]
    return portfolio([side for _, side in pairs], leverage=leverage, capital=float(sum(margins)),
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
    return price_model(initial_prices=[h.price for h, _ in pairs],
                       volatility=[h.volatility for h, _ in pairs],
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


# ------------------------------------------------------------------ liquidation region ---

#: Two-token cross accounts of the region plot: side (one per token), sizes, entries, wallet
#: and the isolated margins. ``side``, ``sizes``, ``entry_prices`` and ``wallet`` are the
#: account terms of :func:`marginlib.region.cross_liquidation_boundary`.
#: "two longs": AGENT and NEURAL of :data:`HOLDINGS` (wallet = their two margins).
#: "hedged pair": long AGENT, short NEURAL of the same notional (1,000 USDC each, 10×).
PAIRS = {
    "two longs": dict(side=("long", "long"), sizes=(HOLDINGS[0].size, HOLDINGS[1].size),
                      entry_prices=(HOLDINGS[0].price, HOLDINGS[1].price),
                      wallet=HOLDINGS[0].margin + HOLDINGS[1].margin,
                      margins=(HOLDINGS[0].margin, HOLDINGS[1].margin)),
    "hedged pair": dict(side=("long", "short"),
                        sizes=(HOLDINGS[0].notional / HOLDINGS[0].price,
                               HOLDINGS[0].notional / HOLDINGS[1].price),
                        entry_prices=(HOLDINGS[0].price, HOLDINGS[1].price),
                        wallet=2 * HOLDINGS[0].margin,
                        margins=(HOLDINGS[0].margin, HOLDINGS[0].margin)),
}


def pair_account(pair):
    """The account terms of ``pair`` (a key of :data:`PAIRS`), with a clear error otherwise.

    >>> pair_account("hedged pair")["side"]
    ('long', 'short')
    """
    if pair not in PAIRS:
        raise ValueError(f"pair must be one of {sorted(PAIRS)}, got {pair!r}")
    return PAIRS[pair]


# --------------------------------------------------------------------- correlation sweep ---

#: Correlations of the sweep figure (:func:`marginlib.plots.contagion.correlation_sweep`).
SWEEP_CORRELATIONS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95)
