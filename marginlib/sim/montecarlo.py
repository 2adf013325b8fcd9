"""Monte Carlo of isolated versus cross margin on the same correlated price paths.

A :class:`Portfolio` holds one position per token (side, leverage, isolated margin,
maintenance margin rate, liquidation fee). :func:`simulate_margin_modes` runs it twice on the
same paths of a :class:`marginlib.sim.paths.PriceModel`:

* **isolated**: each position has its own margin (by default the capital split equally); the
  rest of the capital, if any, sits untouched in the wallet;
* **cross**: the same positions (same sizes) share the whole capital as one cross wallet.

At every step (the marks), exactly as :class:`marginlib.account.Account` does, with the same
settlement kernel (:mod:`marginlib.settlement`; liquidated iff equity is *strictly* below
maintenance):

* an isolated position is liquidated when ``M + s·q·(P − E) < q·P·m``; it then pays the fee
  ``min(f·q·P, max(equity, 0))``, returns ``max(equity − fee, 0)`` and records
  ``max(−equity, 0)`` as bad debt; the others carry on;
* the cross account is liquidated when ``W + Σ s·q·(P − E) < Σ q·P·m``; every position is
  closed, the fees are charged from what is left and a negative remainder is bad debt.

The simulation streams over time (memory does not grow with the number of steps) and is
vectorised over paths and tokens. It never computes every price: barriers are tested on the
running log price (one maximum per token over a window of steps), and only the paths that come
within reach are priced exactly, with the engine's own arithmetic, so a replay of the same
paths through :class:`marginlib.account.Account` liquidates on exactly the same steps.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from ..settlement import (_cross_fees, _isolated_equity, _liquidated, _maintenance,
                          _remainder, _settle)
from .paths import _MAX_COUNT, PriceModel, _allocate, _cumulative_blocks, _offsets
from .risk import LossSummary, loss_summary

__all__ = [
    "Portfolio",
    "portfolio",
    "MarginModeSimulation",
    "simulate_margin_modes",
    "MarginModeSweep",
    "sweep_correlation",
    "sweep_leverage",
]

# The window buffer of the simulation holds about this many float64 values (64 MB).
_WINDOW_VALUES = 2 ** 23
_MAX_WINDOW_STEPS = 64
# Safety margins of the cheap screens (log price; cross equity relative to the notional): far
# above rounding, so a path the exact test would liquidate is never screened out.
_LOG_SCREEN = 1e-9
_CROSS_SCREEN = 1e-9


# --------------------------------------------------------------------------- portfolio ---

@dataclass(frozen=True, eq=False)
class Portfolio:
    """One position per token, validated when built (also by :func:`dataclasses.replace`);
    :func:`portfolio` builds it from sides as strings and splits the capital.

    Attributes
    ----------
    sign : ndarray
        +1 long, −1 short, per position (see :attr:`side` for the strings).
    leverage : ndarray
        Leverage at opening, ``1 <= L < 1/m``.
    margin : ndarray
        Isolated margin of each position, quote currency (> 0), summing to at most ``capital``.
    capital : float
        Total capital (> 0): the cross wallet; in isolated mode the margins plus free cash.
    maintenance_margin_rate : ndarray
        ``m``, fractions in [0, 1).
    liquidation_fee_rate : ndarray
        ``f``, fractions in [0, 1] (1 = 100 %).
    """

    sign: np.ndarray
    leverage: np.ndarray
    margin: np.ndarray
    capital: float
    maintenance_margin_rate: np.ndarray
    liquidation_fee_rate: np.ndarray

    def __post_init__(self):
        sign = v.finite("sign", self.sign)
        if np.any((sign != 1.0) & (sign != -1.0)):
            raise ValueError("sign must be +1 (long) or -1 (short) per position, got "
                             f"{sign[(sign != 1.0) & (sign != -1.0)].ravel()[:1]}")
        capital = v.positive("capital", self.capital)
        if capital.ndim:
            raise ValueError(f"capital must be a single number, got shape {capital.shape}")
        capital = float(capital)
        given = {"sign": sign,
                 "leverage": v.leverage_value("leverage", self.leverage),
                 "margin": v.positive("margin", self.margin),
                 "maintenance_margin_rate": v.unit_rate("maintenance_margin_rate",
                                                        self.maintenance_margin_rate),
                 "liquidation_fee_rate": v.fee_rate("liquidation_fee_rate",
                                                   self.liquidation_fee_rate)}
        for name, arr in given.items():
            if arr.ndim != 1 or arr.size == 0:
                raise ValueError(f"{name} must be a non-empty 1-D array (one value per "
                                 f"position), got shape {arr.shape}")
        lengths = {name: arr.shape[0] for name, arr in given.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"per-position fields disagree on the number of positions: "
                             f"{lengths}")
        margin, leverage = given["margin"], given["leverage"]
        with np.errstate(over="ignore"):
            total_margin = float(np.sum(margin))
        if total_margin > capital * (1 + 1e-12):
            raise ValueError(f"margin must sum to at most the capital {capital:g}, "
                             f"got {total_margin:g}")
        too_high = leverage * given["maintenance_margin_rate"] >= 1
        if np.any(too_high):
            raise ValueError(f"leverage must be < 1/maintenance_margin_rate (the position would "
                             f"be liquidated at once), got {float(leverage[too_high][0]):g}")
        with np.errstate(over="ignore"):
            notional = margin * leverage
        if not np.all(np.isfinite(notional)):
            raise ValueError("margin × leverage overflows; give a smaller margin or leverage")
        for name, arr in given.items():
            object.__setattr__(self, name, _ro(arr, arr.shape[0]))
        object.__setattr__(self, "capital", capital)

    @property
    def n_positions(self) -> int:
        return self.sign.shape[0]

    @property
    def side(self) -> tuple:
        """``("long", "short", ...)``."""
        return tuple("long" if s > 0 else "short" for s in self.sign)

    @property
    def free_capital(self) -> float:
        """Capital not committed as isolated margin (>= 0)."""
        return max(self.capital - float(np.sum(self.margin)), 0.0)

    def sizes(self, entry_prices):
        """Size of each position in base units, ``q = M·L/E`` (as :meth:`Account.open`).

        ``entry_prices`` must be > 0 and broadcast against the positions; the sizes are
        finite, > 0 (a size that would overflow raises ``ValueError``).
        """
        entry = v.positive("entry_prices", entry_prices)
        try:
            entry = np.broadcast_to(entry, self.margin.shape)
        except ValueError:
            raise ValueError(f"entry_prices must be one price per position "
                             f"({self.n_positions}), got shape {entry.shape}") from None
        with np.errstate(over="ignore"):
            out = self.margin * self.leverage / entry
        if not np.all(np.isfinite(out)):
            raise ValueError("entry_prices are so small that the sizes overflow")
        return out

    def replace(self, **changes) -> "Portfolio":
        """A copy with some :func:`portfolio` arguments changed (validated again).

        ``margin`` is kept only if given; otherwise the new capital is split equally.

        Examples
        --------
        >>> portfolio(["long", "short"], leverage=5).replace(leverage=20).leverage
        array([20., 20.])
        """
        args = dict(side=list(self.side), leverage=self.leverage, capital=self.capital,
                    maintenance_margin_rate=self.maintenance_margin_rate,
                    liquidation_fee_rate=self.liquidation_fee_rate, margin=None)
        args.update(changes)
        return portfolio(**args)


def _ro(arr, k):
    out = np.array(np.broadcast_to(arr, (k,)), dtype=float)
    out.setflags(write=False)
    return out


def portfolio(side, *, leverage, capital=10_000.0, margin=None, maintenance_margin_rate=0.005,
              liquidation_fee_rate=0.0, n_positions=None):
    """A portfolio of one position per token for :func:`simulate_margin_modes`.

    Parameters
    ----------
    side : {"long", "short"} or sequence of those
        Side of each position (token ``i`` of the price model carries position ``i``).
    leverage : float or array_like
        Leverage of each position, ``1 <= L < 1/maintenance_margin_rate``.
    capital : float, optional
        Total capital, quote currency, > 0: the cross wallet in cross mode.
    margin : float or array_like, optional
        Isolated margin of each position (> 0, summing to at most ``capital``). Default: the
        capital split equally. The same sizes ``q = M·L/E`` are used in both modes.
    maintenance_margin_rate : float or array_like, optional
        ``m`` in [0, 1) (0.005 = 0.5 %).
    liquidation_fee_rate : float or array_like, optional
        ``f`` in [0, 1]: fee on the notional at the liquidation mark.
    n_positions : int, optional
        Number of positions when every argument is a scalar (default 1).

    Returns
    -------
    Portfolio

    Examples
    --------
    Three 10× longs sharing 3,000 of capital:

    >>> book = portfolio(["long"] * 3, leverage=10, capital=3_000)
    >>> book.margin, book.free_capital
    (array([1000., 1000., 1000.]), 0.0)
    >>> book.sizes([2.0, 0.5, 1.0])
    array([ 5000., 20000., 10000.])
    """
    signs = v.side_sign(side)
    if signs.ndim > 1:
        raise ValueError(f"side must be a string or a 1-D sequence of strings, got shape "
                         f"{signs.shape}")
    leverage = v.leverage_value("leverage", leverage)
    m = v.unit_rate("maintenance_margin_rate", maintenance_margin_rate)
    f = v.fee_rate("liquidation_fee_rate", liquidation_fee_rate)
    capital = v.positive("capital", capital)
    if capital.ndim:
        raise ValueError(f"capital must be a single number, got shape {capital.shape}")
    capital = float(capital)
    for name, arr in (("leverage", leverage), ("maintenance_margin_rate", m),
                      ("liquidation_fee_rate", f)):
        if arr.size == 0:
            raise ValueError(f"{name} must hold one value per position, got an empty array")
    given = {"side": signs, "leverage": leverage, "maintenance_margin_rate": m,
             "liquidation_fee_rate": f}
    if margin is not None:
        margin = v.positive("margin", margin)
        if margin.size == 0:
            raise ValueError("margin must hold one value per position, got an empty array")
        given["margin"] = margin
    for name, arr in given.items():
        if arr.ndim > 1:
            raise ValueError(f"{name} must be a number or a 1-D array (one per position), "
                             f"got shape {arr.shape}")
    lengths = {a.shape[0] for a in given.values() if a.ndim == 1}
    if n_positions is not None:
        lengths.add(v.count("n_positions", n_positions, maximum=_MAX_COUNT))
    if len(lengths) > 1:
        named = {name: a.shape[0] for name, a in given.items() if a.ndim == 1}
        if n_positions is not None:
            named["n_positions"] = n_positions
        raise ValueError(f"per-position arguments disagree on the number of positions: "
                         f"{', '.join(f'{n} has {x}' for n, x in named.items())}")
    k = lengths.pop() if lengths else 1
    if k == 0:
        raise ValueError("side must be 'long' or 'short' for at least one position, "
                         "got an empty sequence")
    if margin is None:
        _allocate((4, k), n_positions=k)  # the per-position arrays must fit in memory
        margin = np.full(k, capital / k)
        with np.errstate(over="ignore"):
            notional = margin * np.broadcast_to(leverage, (k,))
        if not np.all(np.isfinite(notional)):
            raise ValueError(f"capital / {k} × leverage overflows (capital={capital:g}); give "
                             "a smaller capital or leverage")
    return Portfolio(sign=_ro(signs, k), leverage=_ro(leverage, k), margin=_ro(margin, k),
                     capital=capital, maintenance_margin_rate=_ro(m, k),
                     liquidation_fee_rate=_ro(f, k))


# ---------------------------------------------------------------------------- results ---

@dataclass(frozen=True, eq=False)
class MarginModeSimulation:
    """Per-path outcomes of :func:`simulate_margin_modes` in both margin modes.

    Attributes
    ----------
    capital : float
        Capital of the account (the same in both modes).
    n_steps : int
    step_hours : float
    isolated_liquidation_step : ndarray of int, shape (n_paths, n_positions)
        Step (row of the price paths) at which each isolated position was liquidated, −1 if
        never.
    isolated_final_equity : ndarray, shape (n_paths,)
        Free cash + what liquidated positions returned + margin and PnL of the others.
    isolated_bad_debt : ndarray, shape (n_paths,)
        Losses beyond the isolated margins (covered by the venue), summed over positions.
    cross_liquidation_step : ndarray of int, shape (n_paths,)
        Step of the cross liquidation (every position closed), −1 if never.
    cross_final_equity, cross_bad_debt : ndarray, shape (n_paths,)
    final_prices : ndarray, shape (n_paths, n_positions)
        Prices at the horizon.
    """

    capital: float
    n_steps: int
    step_hours: float
    isolated_liquidation_step: np.ndarray
    isolated_final_equity: np.ndarray
    isolated_bad_debt: np.ndarray
    cross_liquidation_step: np.ndarray
    cross_final_equity: np.ndarray
    cross_bad_debt: np.ndarray
    final_prices: np.ndarray

    @property
    def n_paths(self) -> int:
        return self.isolated_final_equity.shape[0]

    @property
    def isolated_liquidated(self) -> np.ndarray:
        """Bool (n_paths, n_positions): which isolated positions were liquidated."""
        return self.isolated_liquidation_step >= 0

    @property
    def cross_liquidated(self) -> np.ndarray:
        """Bool (n_paths,): whether the cross account was liquidated."""
        return self.cross_liquidation_step >= 0

    @property
    def isolated_loss(self) -> np.ndarray:
        """Loss as a share of capital per path, isolated mode."""
        return (self.capital - self.isolated_final_equity) / self.capital

    @property
    def cross_loss(self) -> np.ndarray:
        """Loss as a share of capital per path, cross mode."""
        return (self.capital - self.cross_final_equity) / self.capital

    @property
    def isolated(self) -> LossSummary:
        """:class:`LossSummary` of the isolated mode."""
        return loss_summary(self.isolated_final_equity, capital=self.capital,
                            any_liquidation=self.isolated_liquidated.any(axis=1),
                            mode="isolated")

    @property
    def cross(self) -> LossSummary:
        """:class:`LossSummary` of the cross mode."""
        return loss_summary(self.cross_final_equity, capital=self.capital,
                            any_liquidation=self.cross_liquidated, mode="cross")


# ------------------------------------------------------------------------- simulation ---

def _check_progress(progress):
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be None or a callable taking a fraction in [0, 1], "
                         f"got {progress!r}")
    return progress


def _check_inputs(book, model, n_steps, n_paths):
    if not isinstance(book, Portfolio):
        raise ValueError(f"portfolio must be a Portfolio (see marginlib.sim.montecarlo."
                         f"portfolio), got {book!r}")
    if not isinstance(model, PriceModel):
        raise ValueError(f"model must be a PriceModel (see marginlib.sim.paths.price_model), "
                         f"got {model!r}")
    if book.n_positions != model.n_tokens:
        raise ValueError(f"the portfolio has {book.n_positions} positions but the price model "
                         f"{model.n_tokens} tokens: one position per token")
    with np.errstate(over="ignore"):
        sizes = book.margin * book.leverage / model.initial_prices
        notional = sizes * model.initial_prices
    v.result(np.concatenate([sizes, notional, [float(np.sum(notional))]]),
             margin=book.margin, leverage=book.leverage, initial_prices=model.initial_prices)
    n_steps = v.count("n_steps", n_steps, maximum=_MAX_COUNT)
    n_paths = v.count("n_paths", n_paths, maximum=_MAX_COUNT)
    _allocate((n_paths, model.n_tokens), n_paths=n_paths)
    return n_steps, n_paths


def _sequential_sum(terms):
    """``((0 + a0) + a1) + ...`` over the last axis: the order of Python's ``sum``."""
    total = np.zeros(terms.shape[:-1])
    for j in range(terms.shape[-1]):
        total = total + terms[..., j]
    return total


class _Book:
    """Constants of the portfolio on the model's entry prices (internal)."""

    def __init__(self, book, model):
        self.s = book.sign
        self.q = book.margin * book.leverage / model.initial_prices  # as Account.open
        self.sq = self.s * self.q
        self.entry = model.initial_prices
        self.margin = book.margin
        self.m = book.maintenance_margin_rate
        self.fq = book.liquidation_fee_rate * self.q
        self.wallet = book.capital
        self.free = book.capital - float(np.sum(book.margin))

    # The settlement kernel's numeric fast paths, in the engine's order of operations (see
    # Account._check_liquidations, _liquidate_isolated and _liquidate_cross).
    def isolated_hit(self, price, idx):
        equity = _isolated_equity(margin=self.margin[idx], signed_size=self.sq[idx], price=price,
                                  entry_price=self.entry[idx])
        maintenance = _maintenance(size=self.q[idx], price=price,
                                   maintenance_margin_rate=self.m[idx])
        return _liquidated(equity=equity, maintenance=maintenance)

    def isolated_settle(self, price, idx):
        equity = _isolated_equity(margin=self.margin[idx], signed_size=self.sq[idx], price=price,
                                  entry_price=self.entry[idx])
        _, returned, bad = _settle(equity, fee_cap=self.fq[idx] * price)
        return returned, bad

    def cross_hit(self, price):
        equity = self.wallet + _sequential_sum(self.sq * (price - self.entry))
        maintenance = _maintenance(size=self.q, price=price, maintenance_margin_rate=self.m)
        return _liquidated(equity=equity, maintenance=_sequential_sum(maintenance))

    def cross_settle(self, price):
        pnl = self.sq * (price - self.entry)
        equity = self.wallet + _sequential_sum(pnl)
        fees = _cross_fees(equity, fee_caps=[self.fq[j] * price[..., j]
                                             for j in range(price.shape[-1])])
        wallet = np.full(equity.shape, self.wallet)
        for j, fee in enumerate(fees):
            wallet = wallet + (pnl[..., j] - fee)
        return _remainder(wallet)

    def mark_to_market(self, price):
        """Isolated per-position equity and cross equity at ``price`` (no liquidation)."""
        pnl = self.sq * (price - self.entry)
        return self.margin + pnl, self.wallet + _sequential_sum(pnl)


def _first_isolated_hits(b, y, offsets, levels, paths_i, tokens_i):
    """First step of the window at which each candidate (path, token) is liquidated.

    ``levels[j]`` are the screening levels of ``y`` per step (a hit needs ``y >= level``).
    The exact test (the engine's arithmetic on the price) runs at the first step past the
    level; only if it fails there (within the screen's margin) are all steps tested.
    Returns ``(step in window, index of the candidates hit, price at that step)``.
    """
    s = b.s
    ys = y[:, paths_i, tokens_i]  # (steps, candidates)
    past = ys >= levels[:, tokens_i]
    cols = np.flatnonzero(past.any(axis=0))
    j = past.argmax(axis=0)[cols]
    t = tokens_i[cols]
    price = b.entry[t] * np.exp(-s[t] * ys[j, cols] + offsets[j, t])
    hit = b.isolated_hit(price, t)
    doubt = cols[~hit]
    cols, j, price = cols[hit], j[hit], price[hit]
    if doubt.size:  # the first step past the screen was not a liquidation: test them all
        t = tokens_i[doubt]
        prices = b.entry[t] * np.exp(-s[t] * ys[:, doubt] + offsets[:, t])
        hits = b.isolated_hit(prices, t)
        got = hits.any(axis=0)
        jd = hits.argmax(axis=0)[got]
        cols = np.concatenate([cols, doubt[got]])
        j = np.concatenate([j, jd])
        price = np.concatenate([price, prices[jd, np.flatnonzero(got)]])
    return j, cols, price


def _log_level(ratio):
    """``ln(ratio)``, ``-inf`` where the ratio is <= 0 (a level that cannot be reached)."""
    ratio = np.asarray(ratio, dtype=float)
    safe = np.where(ratio > 0, ratio, 1.0)
    return np.where(ratio > 0, np.log(safe), -np.inf)


def _window_steps(n_paths, n_tokens, n_steps):
    return int(min(n_steps, _MAX_WINDOW_STEPS, max(1, _WINDOW_VALUES // (n_paths * n_tokens))))


def simulate_margin_modes(portfolio, *, model, n_steps, n_paths, rng=None, progress=None):
    """Simulate a portfolio in isolated and in cross margin on the same price paths.

    Parameters
    ----------
    portfolio : Portfolio
        From :func:`portfolio`: one position per token of ``model``, opened at its initial
        prices.
    model : PriceModel
        From :func:`marginlib.sim.paths.price_model`.
    n_steps : int
        Marks after the opening, each ``model.step_hours`` apart (720 = 30 days hourly), >= 1.
    n_paths : int
        Number of simulated paths, >= 1.
    rng : None, int or numpy.random.Generator, optional
        Seed or generator (``None``: seed 0). The paths are those of
        ``price_paths(model, n_steps=n_steps, n_paths=n_paths, rng=rng)``
        (:mod:`marginlib.sim.paths`), bit for bit.
    progress : callable, optional
        Called as ``progress(fraction)`` after each window of steps (fraction in (0, 1]), e.g.
        to move a progress bar.

    Returns
    -------
    MarginModeSimulation
        Per-path liquidation steps, final equity and bad debt of both modes; its
        ``isolated`` and ``cross`` properties give the :class:`LossSummary` of each.

    Notes
    -----
    Isolated position ``i`` (margin ``M``, size ``q = M·L/E``) is liquidated at the first
    mark with ``M + s·q·(P − E) < q·P·m``; the cross account (wallet ``W`` = the capital) at
    the first mark with ``W + Σ s·q·(P − E) < Σ q·P·m``. After a liquidation a position
    contributes ``max(equity − fee, 0)`` with ``fee = min(f·q·P, max(equity, 0))`` and its
    negative equity as bad debt, as :class:`marginlib.account.Account`. Final equity is marked to
    market at the last step (no closing fee).

    Memory is ``O(n_paths × n_tokens)`` whatever ``n_steps``: a window of at most 64 steps
    and about 64 MB (16 steps for 100,000 paths × 5 tokens, under 100 MB in all). In each
    window the isolated barriers are screened on the maximum of ``−s·ln(P/E)`` (no
    exponential per step) and the cross account on per-token safe levels, then on a lower
    bound of its equity; only paths within reach are priced and tested exactly.

    References
    ----------
    .. [1] Hyperliquid docs, Liquidations (cross: all positions and the cross margin;
       isolated: that position only),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
    .. [2] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93

    Examples
    --------
    Three correlated 10× longs, 30 days of hourly marks:

    >>> from marginlib.sim.paths import price_model
    >>> model = price_model([2.0, 0.5, 1.2], volatility=1.0, correlation=0.6)
    >>> book = portfolio(["long"] * 3, leverage=10, capital=3_000)
    >>> sim = simulate_margin_modes(book, model=model, n_steps=720, n_paths=2_000, rng=7)
    >>> sim.isolated_liquidation_step.shape, sim.cross_final_equity.shape
    ((2000, 3), (2000,))
    >>> iso, cross = sim.isolated, sim.cross
    >>> 0 < cross.p_any_liquidation < iso.p_any_liquidation < 1
    True
    """
    n_steps, n_paths = _check_inputs(portfolio, model, n_steps, n_paths)
    progress = _check_progress(progress)
    b = _Book(portfolio, model)
    k = model.n_tokens
    s = b.s
    # Isolated barrier in log price: liquidated iff s·ln(P/E) <= s·ell (ell = -inf: never).
    p_liq = (b.sq * b.entry - b.margin) / (b.q * (s - b.m))
    ell = _log_level(p_liq / b.entry)
    # Cross: liquidated iff Σ loss_i >= buffer, with loss_i = coef_i·(1 − P_i/E_i) and the
    # buffer the initial equity minus maintenance. Each token gets a share of the buffer (by
    # risk |coef|·σ) and a "cross-safe" log level where its loss reaches that share: while no
    # token is beyond its level the account is safe.
    coef = b.q * (s - b.m) * b.entry
    buffer = b.wallet - float(np.sum(b.q * b.entry * b.m))
    vol = np.maximum(model.volatility, 1e-3 * max(float(model.volatility.max()), 1e-12))
    share = buffer * np.abs(coef) * vol / float(np.sum(np.abs(coef) * vol))
    ell_cross = _log_level(1.0 - share / coef)
    tolerance = _CROSS_SCREEN * (float(np.sum(np.abs(coef))) + buffer)

    iso_step = np.full((n_paths, k), -1, dtype=np.int64)
    iso_value = np.zeros((n_paths, k))
    iso_bad = np.zeros((n_paths, k))
    iso_live = np.ones((n_paths, k), dtype=bool)
    cross_step = np.full(n_paths, -1, dtype=np.int64)
    cross_value = np.zeros(n_paths)
    cross_bad = np.zeros(n_paths)
    cross_live = np.ones(n_paths, dtype=bool)
    mask = np.empty((n_paths, k), dtype=bool)
    flagged = np.empty(n_paths, dtype=bool)

    window = _window_steps(n_paths, k, n_steps)
    ymax = np.empty((n_paths, k))
    blocks = _cumulative_blocks(model, n_steps, n_paths, rng, window, sign=-s, block_max=ymax)
    last = None
    for first, y in blocks:  # y[j] = −s·(x − offsets) at step first + j; ymax its maximum
        offsets = _offsets(model, np.arange(first, first + y.shape[0]))
        last = y[-1]

        # Isolated: y >= s·(offsets − ell) at a step means the barrier is (nearly) reached.
        levels = s * (offsets - ell) - _LOG_SCREEN
        np.greater_equal(ymax, levels.min(axis=0), out=mask)
        mask &= iso_live  # positions already liquidated are not candidates (no index pass)
        flat = np.flatnonzero(mask)
        if flat.size:
            paths_i, tokens_i = np.divmod(flat, k)
            j, where, price = _first_isolated_hits(b, y, offsets, levels, paths_i, tokens_i)
            pi, ti = paths_i[where], tokens_i[where]
            returned, bad = b.isolated_settle(price, ti)
            iso_live[pi, ti] = False
            iso_step[pi, ti] = first + j
            iso_value[pi, ti] = returned
            iso_bad[pi, ti] = bad

        # Cross: paths with a token beyond its cross-safe level; for those, the worst loss of
        # every token over the window (at its extreme log price) bounds the account's loss.
        levels = s * (offsets - ell_cross) - _LOG_SCREEN
        np.greater_equal(ymax, levels.min(axis=0), out=mask)
        np.copyto(flagged, mask[:, 0])  # any token flagged, column by column (no index pass)
        for token in range(1, k):
            flagged |= mask[:, token]
        flagged &= cross_live
        rows = np.flatnonzero(flagged)
        if rows.size:
            worst_offsets = np.where(s > 0, offsets.min(axis=0), offsets.max(axis=0))
            moves = np.expm1(worst_offsets - s * ymax[rows])  # P/E − 1 at the worst
            loss = moves @ -coef
            spread = np.abs(moves) @ np.abs(coef)
            suspects = rows[loss >= buffer - tolerance - _CROSS_SCREEN * spread]
            if suspects.size:
                price = b.entry * np.exp(-s * y[:, suspects, :] + offsets[:, None, :])
                hit = b.cross_hit(price)
                got = hit.any(axis=0)
                if got.any():
                    j = hit.argmax(axis=0)[got]
                    pi = suspects[got]
                    returned, bad = b.cross_settle(price[j, np.flatnonzero(got)])
                    cross_live[pi] = False
                    cross_step[pi] = first + j
                    cross_value[pi] = returned
                    cross_bad[pi] = bad
        if progress is not None:
            progress((first + y.shape[0] - 1) / n_steps)

    final_offsets = _offsets(model, np.array([n_steps]))[0]
    final_prices = b.entry * np.exp(-s * last + final_offsets)
    iso_equity, cross_equity = b.mark_to_market(final_prices)
    iso_total = np.where(iso_live, iso_equity, iso_value)
    isolated_final = b.free + _sequential_sum(iso_total)
    cross_final = np.where(cross_live, cross_equity, cross_value)
    v.result(np.concatenate([isolated_final, cross_final]), portfolio=portfolio.capital,
             model=model.initial_prices)  # magnitudes near the float limits
    return MarginModeSimulation(
        capital=portfolio.capital, n_steps=n_steps, step_hours=model.step_hours,
        isolated_liquidation_step=iso_step, isolated_final_equity=isolated_final,
        isolated_bad_debt=iso_bad.sum(axis=1), cross_liquidation_step=cross_step,
        cross_final_equity=cross_final, cross_bad_debt=cross_bad, final_prices=final_prices)


# ---------------------------------------------------------------------------- sweeps ---

@dataclass(frozen=True)
class MarginModeSweep:
    """Loss statistics of both modes along one parameter.

    Attributes
    ----------
    parameter : str
        ``"correlation"`` or ``"leverage"``.
    values : ndarray
        The parameter values, one per simulation.
    isolated, cross : LossSummary
        Each field an array over ``values``.
    """

    parameter: str
    values: np.ndarray
    isolated: LossSummary
    cross: LossSummary


def _stack(summaries, mode):
    names = ("p_any_liquidation", "p_lose_everything", "expected_loss", "var_95", "var_99",
             "cvar_95", "cvar_99")
    cols = {n: np.array([getattr(x, n) for x in summaries]) for n in names}
    return LossSummary(mode=mode, n_paths=summaries[0].n_paths, **cols)


def _sweep_seed(rng):
    """One seed for every point of a sweep (common random numbers)."""
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2 ** 63))
    v.check_random_state(rng)  # validates
    return 0 if rng is None else int(rng)


def _sweep(parameter, name, values, vary, portfolio, model, n_steps, n_paths, rng, progress):
    """Both public sweeps: validate, then one simulation per value of ``values`` (argument
    ``name``), ``vary(portfolio, model, value)`` giving that point's book and model."""
    values = _sweep_values(name, values)
    _check_inputs(portfolio, model, n_steps, n_paths)
    progress = _check_progress(progress)
    seed = _sweep_seed(rng)
    iso, cross = [], []
    for i, value in enumerate(values):
        book, point_model = vary(portfolio, model, value)
        inner = None
        if progress is not None:
            def inner(fraction, i=i):
                progress((i + fraction) / len(values))
        sim = simulate_margin_modes(book, model=point_model, n_steps=n_steps, n_paths=n_paths,
                                    rng=seed, progress=inner)
        iso.append(sim.isolated)
        cross.append(sim.cross)
    return MarginModeSweep(parameter, np.asarray(values, dtype=float), _stack(iso, "isolated"),
                           _stack(cross, "cross"))


def _sweep_values(name, values):
    arr = v.finite(name, values)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers")
    return arr


def sweep_correlation(correlations, *, portfolio, model, n_steps, n_paths, rng=None,
                      progress=None):
    """Loss statistics of both modes as the (one-factor) correlation varies.

    Parameters
    ----------
    correlations : sequence of float
        Values of ``ρ`` in [0, 1] (the model's correlation is replaced by each).
    portfolio, model, n_steps, n_paths
        As :func:`simulate_margin_modes`.
    rng : None, int or numpy.random.Generator, optional
        Every point uses the same seed (common random numbers: the same normals mixed with a
        different ``ρ``), so the curves are smooth.
    progress : callable, optional
        ``progress(fraction)`` over the whole sweep.

    Returns
    -------
    MarginModeSweep

    Examples
    --------
    >>> from marginlib.sim.paths import price_model
    >>> model = price_model([1.0, 1.0, 1.0], volatility=1.0)
    >>> book = portfolio(["long"] * 3, leverage=5)
    >>> out = sweep_correlation([0.0, 0.9], portfolio=book, model=model, n_steps=168,
    ...                         n_paths=2_000, rng=1)
    >>> out.cross.p_any_liquidation.shape
    (2,)
    >>> bool(out.cross.p_any_liquidation[1] > out.cross.p_any_liquidation[0])
    True
    """
    return _sweep("correlation", "correlations", correlations, _with_correlation, portfolio,
                  model, n_steps, n_paths, rng, progress)


def sweep_leverage(leverages, *, portfolio, model, n_steps, n_paths, rng=None, progress=None):
    """Loss statistics of both modes as the leverage of every position varies.

    Parameters
    ----------
    leverages : sequence of float
        Leverage applied to every position (margins unchanged, so sizes scale with it).
    portfolio, model, n_steps, n_paths
        As :func:`simulate_margin_modes`.
    rng : None, int or numpy.random.Generator, optional
        Every point uses the same seed (common random numbers).
    progress : callable, optional
        ``progress(fraction)`` over the whole sweep.

    Returns
    -------
    MarginModeSweep

    Examples
    --------
    >>> from marginlib.sim.paths import price_model
    >>> model = price_model([1.0, 1.0], volatility=1.0, correlation=0.5)
    >>> book = portfolio(["long", "long"], leverage=2)
    >>> out = sweep_leverage([2, 5, 20], portfolio=book, model=model, n_steps=168,
    ...                      n_paths=2_000, rng=1)
    >>> bool(np.all(np.diff(out.isolated.p_any_liquidation) > 0))
    True
    """
    return _sweep("leverage", "leverages", leverages, _with_leverage, portfolio, model,
                  n_steps, n_paths, rng, progress)


def _with_correlation(book, model, correlation):
    return book, model.replace(correlation=float(correlation))


def _with_leverage(book, model, leverage):
    return book.replace(leverage=leverage, margin=book.margin), model
