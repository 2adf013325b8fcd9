"""Liquidation cascades: forced selling moves the price, which liquidates more positions.

A population of accounts holds positions on two tokens, A and B (index 0 and 1): isolated
accounts hold one position; cross accounts may hold one position on each token against one
wallet, so a loss on A eats the margin that backs B. An initial shock moves A by ``shock``
and B by ``correlation × shock``. Then, round after round until a fixed point:

1. every account not yet liquidated is tested at the marks with the strict rule of
   :mod:`marginlib.settlement` (``equity < maintenance``): the accounts holding both tokens
   in one vectorised pass over the survivors only; the one-position accounts (the test is
   monotone in one price) by binary search in their liquidation prices, sorted once per
   population and maintenance rate;
2. the newly liquidated accounts are closed: per token their orders are netted (liquidated
   longs sell, liquidated shorts buy) and the net walks a linear depth curve
   (:func:`marginlib.liquidity.depth_fill`), every liquidation of that token in that round
   filling at the sweep's average price;
3. equity at the fill prices is split into fee, refund and bad debt by the settlement kernel
   (:func:`marginlib.settlement._settle`), and the mark moves to where the sweep left the
   book.

It stops when a round liquidates nobody (liquidations are irreversible, so it always stops,
after at most one round per account). :func:`cascade` with ``feedback=False`` is the
no-feedback baseline (liquidations at the shocked marks, filled at the mark, no impact);
:meth:`Population.isolated` gives the same positions and margins with every cross account
split into isolated ones, for the comparison the BIS claim needs.

Model assumptions
-----------------
* **The book does not refill during the cascade**: the depth curve set at the shocked mark
  (``depth`` quote within ±``within``, linear, bids down to price 0, asks without end) is
  walked cumulatively: after a net ``Q`` base sold in total the mark is
  ``P_s·(1 − Q/ρ)`` with ``ρ = depth/(within·P_s)``. A net sale beyond the whole bid side
  fills at price 0 (``unfilled`` is recorded).
* Only liquidation flow moves the price after the shock (no other traders, no arbitrage
  with other venues, no funding, no fees but the liquidation fee).
* Entry prices are the pre-shock prices in :func:`cascade_population` (positions just
  opened), so every account is healthy before the shock; :func:`cascade` refuses a
  population with an account already below maintenance.

References
----------
.. [1] CoinShares, "Billions in liquidations: what happened?" (the 10–11 October 2025
   cascade: about $19bn liquidated; portfolio-margin / cross-collateral tightening and
   market makers withdrawing),
   https://coinshares.com/ch/insights/knowledge/billions-in-liquidations-what-happened
.. [2] dYdX v4 docs, Liquidations (liquidations are protocol-generated orders matched
   against the book within a maximum spread from the oracle; the insurance fund covers
   negative equity),
   https://github.com/dydxprotocol/v4-documentation/blob/3e475b73231a5de7e5a8a55c54047d94578060e5/docs/pages/concepts/trading/liquidations.mdx

Examples
--------
>>> pop = cascade_population(10_000, rng=1)
>>> out = cascade(pop, price=1.0, shock=-0.05, depth=50_000.0,
...               maintenance_margin_rate=0.03)
>>> out.rounds > 1, out.amplification > 1.0
(True, True)
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np

from .. import _validation as v
from ..liquidity import _linear_fill
from ..settlement import _liquidated, _settle

__all__ = [
    "Population",
    "cascade_population",
    "CascadeResult",
    "cascade",
    "compare_margin_modes",
]

N_TOKENS = 2


# plain Python floats the checks of marginlib._validation would accept (a slider's values):
# the fast path of _one/_pair; anything else goes through the check itself (and its message)
_ACCEPTS = {
    v.finite: lambda x: -_BIG < x < _BIG,
    v.positive: lambda x: _TINY <= x < _BIG,
    v.unit_rate: lambda x: 0.0 <= x < 1.0,
    v.fee_rate: lambda x: 0.0 <= x <= 1.0,
}
_BIG, _TINY = float(np.finfo(float).max), float(np.finfo(float).tiny)


def _quick(value, check):
    return type(value) is float and check in _ACCEPTS and _ACCEPTS[check](value)


def _pair(name, value, check=v.as_float_array):
    """A per-token argument: one number for both tokens or a sequence of two (``check``ed)."""
    if _quick(value, check):
        return np.array([value, value])
    arr = check(name, value)
    if arr.ndim == 0:
        arr = np.full(N_TOKENS, float(arr))
    if arr.shape != (N_TOKENS,):
        raise ValueError(f"{name} must be one number or one per token (2 values), got shape "
                         f"{arr.shape}")
    return arr


def _one(name, value, check):
    """One number, ``check``ed (``v.finite``, ``v.positive``...), as a Python float."""
    if _quick(value, check):
        return value
    arr = check(name, value)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be one number, got {v._short(value)}")
    return float(arr)


def _table(name, value, shape=None):
    arr = v.finite(name, value)
    if arr.ndim != 2 or arr.shape[1] != N_TOKENS:
        raise ValueError(f"{name} must be an array of shape (accounts, 2), got shape "
                         f"{arr.shape}")
    if shape is not None and arr.shape != shape:
        raise ValueError(f"{name} (shape {arr.shape}) must have the shape of sign "
                         f"(shape {shape})")
    return arr


@dataclass(frozen=True, eq=False)
class Population:
    """Accounts and their positions on tokens A (column 0) and B (column 1).

    Attributes
    ----------
    sign : array_like, shape (accounts, 2)
        +1 long, −1 short, 0 no position on that token.
    size : array_like, shape (accounts, 2)
        Base units, > 0 where ``sign`` is not 0 and 0 where it is.
    entry_price : array_like, shape (accounts, 2)
        > 0 (any positive value where there is no position).
    margin : array_like, shape (accounts, 2)
        The margin each position brought, >= 0 (0 where there is no position); a cross
        account's wallet is the row sum.
    cross : array_like of bool, shape (accounts,)
        Cross accounts may hold both tokens; an isolated account holds exactly one position.

    Every account holds at least one position. Arrays are stored read-only: copies, except
    that an array already read-only and owning its data (another population's table, as
    :meth:`isolated` and derived populations pass them) is shared, not copied.
    """

    sign: object
    size: object
    entry_price: object
    margin: object
    cross: object

    def __post_init__(self):
        sign = _table("sign", self.sign)
        shape = sign.shape
        if not np.all(np.isin(sign, (-1.0, 0.0, 1.0))):
            raise ValueError("sign must hold only +1 (long), -1 (short) or 0 (no position)")
        size = _table("size", self.size, shape)
        entry = _table("entry_price", self.entry_price, shape)
        margin = _table("margin", self.margin, shape)
        held = sign != 0
        if np.any(size < 0) or np.any(held != (size > 0)):
            raise ValueError("size must be > 0 where sign is ±1 and 0 where sign is 0")
        if np.any(entry <= 0):
            raise ValueError("entry_price must be > 0")
        if np.any(margin < 0) or np.any(margin[~held] != 0):
            raise ValueError("margin must be >= 0, and 0 where there is no position")
        cross = np.asarray(self.cross)
        if cross.dtype != bool or cross.shape != shape[:1]:
            raise ValueError(f"cross must be a boolean array of shape {shape[:1]}, got "
                             f"{v._short(self.cross)}")
        n_held = held.sum(axis=1)
        if np.any(n_held == 0):
            raise ValueError("every account must hold at least one position (a row of sign "
                             "is all 0)")
        if np.any(~cross & (n_held != 1)):
            raise ValueError("an isolated account (cross False) must hold exactly one position")
        with np.errstate(over="ignore"):
            notional = np.sum(size * entry)
        if not np.isfinite(notional) or not np.isfinite(np.sum(margin)):
            raise ValueError("size × entry_price and margin must stay within the float range")
        for name, arr in (("sign", sign), ("size", size), ("entry_price", entry),
                          ("margin", margin), ("cross", cross)):
            if not _frozen(arr, getattr(self, name)):
                arr = np.array(arr, copy=True)
                arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    @property
    def n_accounts(self):
        return int(self.sign.shape[0])

    @property
    def n_positions(self):
        return int(np.count_nonzero(self.sign))

    @property
    def collateral(self):
        """Each account's collateral (the wallet of a cross account), shape (accounts,)."""
        return self.margin.sum(axis=1)

    def isolated(self):
        """The same positions and margins, every position in its own isolated account.

        A cross account holding A and B becomes two isolated accounts, each with the margin
        its position brought (:attr:`margin`): same capital, same leverage, no sharing.
        The split of the latest population asked is kept (populations are immutable), so the
        run plan that :func:`cascade` caches on it (sorted liquidation thresholds) is reused
        too: a slider that re-runs :func:`compare_margin_modes` on one population sorts
        nothing again. Only one split is kept (about 10 MB for 100,000 positions), however
        many populations are alive.
        """
        ref, kept = _LATEST_SPLIT
        if ref is not None and ref() is self:
            return kept
        held = self.sign != 0
        rows, cols = np.nonzero(held)
        n = rows.size

        def spread(table, fill=0.0):
            out = np.full((n, N_TOKENS), fill)
            out[np.arange(n), cols] = table[rows, cols]
            out.setflags(write=False)  # handed over to the new population without a copy
            return out

        entry = spread(self.entry_price, 1.0)
        cross = np.zeros(n, dtype=bool)
        cross.setflags(write=False)
        split = Population(sign=spread(self.sign), size=spread(self.size), entry_price=entry,
                           margin=spread(self.margin), cross=cross)
        _LATEST_SPLIT[:] = [weakref.ref(self), split]
        return split


#: ``[weak reference to a population, its isolated split]``: the latest split made
#: (:meth:`Population.isolated`).
_LATEST_SPLIT = [None, None]


def _frozen(arr, given):
    """Whether ``arr`` (the checked form of ``given``) can be stored as is: the very array
    given, a plain read-only ndarray that owns its C-contiguous data."""
    return (arr is given and type(arr) is np.ndarray and arr.flags.owndata
            and not arr.flags.writeable and arr.flags.c_contiguous)


def cascade_population(n_positions, *, rng=None, price=1.0, cross_share=0.3, long_share=0.6,
                       leverage_median=5.0, leverage_dispersion=0.6, max_leverage=20.0,
                       total_notional=1e6):
    """A seeded random population of positions on two tokens.

    Parameters
    ----------
    n_positions : int
        Number of positions, >= 1.
    rng : None, int or numpy.random.Generator, optional
        Seed (default 0: reproducible).
    price : float or sequence of 2, optional
        Prices of A and B when the positions are opened (all entries), > 0.
    cross_share : float, optional
        Share of positions in cross accounts, in [0, 1]; they are paired into accounts
        holding one position on A and one on B (an odd one out stays isolated).
    long_share : float, optional
        Probability that a position is long, in [0, 1].
    leverage_median, leverage_dispersion : float, optional
        Leverage is log-normal with this median (>= 1) and log standard deviation (>= 0),
        clipped to [1, ``max_leverage``].
    max_leverage : float, optional
        >= 1. Use ``max_leverage < 1/maintenance_margin_rate`` so that every position opens
        above maintenance.
    total_notional : float, optional
        Sum of the positions' notionals at entry, quote, > 0; notionals are log-normal
        (log standard deviation 1) scaled to this sum.

    Returns
    -------
    Population
        Isolated positions pick A or B with equal odds; margins are ``notional/leverage``.

    Examples
    --------
    >>> pop = cascade_population(1_000, rng=7, cross_share=0.5)
    >>> pop.n_positions, int(pop.cross.sum())
    (1000, 250)
    """
    n = v.count("n_positions", n_positions)
    gen = v.check_random_state(rng)
    p = _pair("price", price)
    v.positive("price", p)
    share = float(v.nonnegative("cross_share", cross_share))
    longs = float(v.nonnegative("long_share", long_share))
    for name, x, raw in (("cross_share", share, cross_share), ("long_share", longs, long_share)):
        if x > 1 or np.ndim(raw) != 0:
            raise ValueError(f"{name} must be one fraction in [0, 1], got {v._short(raw)}")
    med = float(v.leverage_value("leverage_median", leverage_median))
    disp = float(v.nonnegative("leverage_dispersion", leverage_dispersion))
    cap = float(v.leverage_value("max_leverage", max_leverage))
    total = float(v.positive("total_notional", total_notional))
    for name, raw in (("leverage_median", leverage_median), ("leverage_dispersion",
                      leverage_dispersion), ("max_leverage", max_leverage),
                      ("total_notional", total_notional)):
        if np.ndim(raw) != 0:
            raise ValueError(f"{name} must be one number, got {v._short(raw)}")

    n_pairs = int(round(share * n)) // 2
    n_iso = n - 2 * n_pairs
    n_acc = n_pairs + n_iso
    lev = np.clip(med * np.exp(disp * gen.standard_normal(n)), 1.0, cap)
    weight = np.exp(gen.standard_normal(n))
    notional = total * weight / weight.sum()
    side = np.where(gen.random(n) < longs, 1.0, -1.0)
    token_iso = (gen.random(n_iso) < 0.5).astype(int)
    # position k -> (account, token): pairs first (A then B), then the isolated ones
    acct = np.concatenate([np.repeat(np.arange(n_pairs), 2), n_pairs + np.arange(n_iso)])
    tok = np.concatenate([np.tile([0, 1], n_pairs), token_iso])
    sign = np.zeros((n_acc, N_TOKENS))
    size = np.zeros((n_acc, N_TOKENS))
    margin = np.zeros((n_acc, N_TOKENS))
    sign[acct, tok] = side
    size[acct, tok] = notional / p[tok]
    margin[acct, tok] = notional / lev
    entry = np.broadcast_to(p, (n_acc, N_TOKENS)).copy()
    cross = np.arange(n_acc) < n_pairs
    for arr in (sign, size, entry, margin, cross):
        arr.setflags(write=False)  # handed over to the population without a copy
    return Population(sign=sign, size=size, entry_price=entry, margin=margin, cross=cross)


@dataclass(frozen=True, eq=False)
class CascadeResult:
    """A cascade, round by round (round ``r`` = row ``r − 1`` of the per-round arrays).

    Attributes
    ----------
    initial_price : ndarray, shape (2,)
        Marks before the shock.
    shocked_price : ndarray, shape (2,)
        Marks right after the initial shock (the marks of round 1).
    price : ndarray, shape (rounds + 1, 2)
        ``price[0]`` is the shocked mark; ``price[r]`` the mark after round ``r``'s sweep.
    fill_price : ndarray, shape (rounds, 2)
        The price every liquidation of that token filled at in that round (the mark where
        nothing traded).
    net_sold : ndarray, shape (rounds, 2)
        Net base sold into the book (negative: bought).
    unfilled : ndarray, shape (rounds, 2)
        Base the book could not take (filled at the book's end: price 0 for a sale).
    liquidated_notional : ndarray, shape (rounds,)
        Σ size × mark of the positions liquidated in the round (quote).
    liquidated_accounts : ndarray of int, shape (rounds,)
    bad_debt, liquidation_fees, returned : ndarray, shape (rounds,)
        The settlement kernel's split of the liquidated accounts' equity at the fills.
    liquidated_round : ndarray of int, shape (accounts,)
        The round each account was liquidated in, 0 if it survived. Built on access (a new
        array each time) from the liquidated accounts' indices, which is all the result keeps:
        a result holds memory for the accounts it liquidated, not for the whole population.
    rounds : int
        Rounds that liquidated someone.
    final_price : ndarray, shape (2,)
        The marks at the fixed point.
    final_move : ndarray, shape (2,)
        ``final_price/initial_price − 1``.
    amplification : float
        ``final_move[0] / shock``: the final move of A over the initial shock (1 = no
        amplification).
    converged : bool
        False only if ``max_rounds`` stopped the cascade before its fixed point.
    """

    initial_price: np.ndarray
    shocked_price: np.ndarray
    price: np.ndarray
    fill_price: np.ndarray
    net_sold: np.ndarray
    unfilled: np.ndarray
    liquidated_notional: np.ndarray
    liquidated_accounts: np.ndarray
    bad_debt: np.ndarray
    liquidation_fees: np.ndarray
    returned: np.ndarray
    rounds: int
    final_price: np.ndarray
    final_move: np.ndarray
    amplification: float
    converged: bool
    # the accounts liquidated, round after round (liquidated_accounts[r - 1] of them in round
    # r), as int32 indices, and the population's size: liquidated_round is built from them
    _liquidated: np.ndarray = field(repr=False)
    _n_accounts: int = field(repr=False)

    @property
    def liquidated_round(self):
        out = np.zeros(self._n_accounts, dtype=np.int64)
        out[self._liquidated] = np.repeat(np.arange(1, self.rounds + 1, dtype=np.int64),
                                          self.liquidated_accounts)
        return out

    @property
    def total_liquidated_notional(self):
        return float(self.liquidated_notional.sum())

    @property
    def total_bad_debt(self):
        return float(self.bad_debt.sum())


def _columns(pop):
    """Per-account columns of ``pop``, computed once and cached on it.

    ``sq0``, ``sq1`` and ``c`` are contiguous arrays computed here; ``aq0``, ``aq1`` are views
    of ``pop.size`` (only indexed, never passed over whole, so no copy is kept).
    """
    cols = pop.__dict__.get("_columns")
    if cols is None:
        sq0 = np.multiply(pop.sign[:, 0], pop.size[:, 0])
        sq1 = np.multiply(pop.sign[:, 1], pop.size[:, 1])
        # equity at marks P is  W + Σ s q (P − E) = c + P0·sq0 + P1·sq1
        c = pop.collateral - sq0 * pop.entry_price[:, 0] - sq1 * pop.entry_price[:, 1]
        for arr in (sq0, sq1, c):
            arr.setflags(write=False)
        cols = dict(sq0=sq0, sq1=sq1, aq0=pop.size[:, 0], aq1=pop.size[:, 1], c=c)
        object.__setattr__(pop, "_columns", cols)
    return cols


def _folded(pop, mmr, price):
    """The run plan for maintenance rates ``mmr`` and whether ``pop`` is healthy at ``price``.

    Cached on ``pop`` (the last 8 rates; a slider re-running shocks on one population pays
    this once). ``a_j = s_j q_j − m_j q_j`` folds the maintenance rate into the signed size,
    so that equity − maintenance at marks ``P`` is ``c + P0·a0 + P1·a1``.

    * Accounts holding **both** tokens: their columns, for the vectorised pass.
    * Accounts holding **one** position (isolated, or cross with one token): the test is
      monotone in one price, ``c + P·a < 0`` ⇔ ``P < −c/a`` for a long (``a > 0``) and
      ``P > −c/a`` for a short (``a < 0``); their thresholds are sorted once per (token,
      side), so each round finds the newly liquidated ones by binary search.
    """
    cols = _columns(pop)
    memo = cols.setdefault("memo", {})
    key = (float(mmr[0]), float(mmr[1]))
    if key not in memo:
        if len(memo) >= 8:
            memo.pop(next(iter(memo)))
        a0, a1 = _folded_sizes(pop, mmr)
        both = (pop.sign != 0).all(axis=1)
        two = _compact(np.flatnonzero(both), pop.n_accounts)
        groups = []
        for j, a_j in enumerate((a0, a1)):
            for side in (1.0, -1.0):
                ids = _compact(np.flatnonzero(~both & (pop.sign[:, j] == side)), pop.n_accounts)
                with np.errstate(all="ignore"):
                    threshold = -cols["c"][ids] / a_j[ids]
                sort_key = -threshold if side > 0 else threshold
                order = np.argsort(sort_key, kind="stable")
                groups.append((j, side, ids[order], sort_key[order]))
        # only the subsets are kept (a0, a1 over every account are freed here)
        memo[key] = {"two": (two, cols["c"][two], a0[two], a1[two]), "groups": groups,
                     "healthy": {}}
    plan = memo[key]
    pkey = (float(price[0]), float(price[1]))
    if pkey not in plan["healthy"]:
        state = _State(*plan["two"], _scratch(pop, plan["two"][0].size))
        ok = not _pass(state, price).nonzero()[0].size
        for j, side, _, keys in plan["groups"]:
            ok = ok and not keys.searchsorted(-price[j] if side > 0 else price[j])
        plan["healthy"][pkey] = ok
    return plan, plan["healthy"][pkey]


def _folded_sizes(pop, mmr):
    """``a_j = s_j q_j − m_j q_j`` of every account (:func:`_folded`)."""
    cols = _columns(pop)
    return cols["sq0"] - mmr[0] * cols["aq0"], cols["sq1"] - mmr[1] * cols["aq1"]


def _compact(ids, n):
    """Account indices (below ``n``) as int32 when ``n`` allows: half the memory."""
    return ids.astype(np.int32) if n < 2**31 else ids


def _scratch(pop, n):
    """Two work buffers of at least ``n`` floats, cached on ``pop`` (grown when needed)."""
    cols = _columns(pop)
    if "scratch" not in cols or cols["scratch"][0].size < n:
        cols["scratch"] = (np.empty(n), np.empty(n))
    return cols["scratch"]


def _full_state(pop, mmr):
    """A :class:`_State` over every account (the benchmark's "one pass over the population")."""
    cols = _columns(pop)
    return _State(np.arange(pop.n_accounts), cols["c"], *_folded_sizes(pop, mmr),
                  _scratch(pop, pop.n_accounts))


class _State:
    """The surviving accounts that hold both tokens, as columns (no checks).

    ``excess = c + P0·a0 + P1·a1`` is equity − maintenance (:func:`_folded`). Liquidated
    accounts are masked (their ``c`` set to +inf in a private copy, so they never test
    again) and dropped from the arrays once they are a tenth of them: each round is one
    vectorised pass over (essentially) the survivors only. The scratch buffers are cached on
    the population: two threads must not run cascades on the same :class:`Population` at
    once.
    """

    __slots__ = ("idx", "c", "a0", "a1", "dead", "buf", "tmp", "own")

    def __init__(self, idx, c, a0, a1, scratch):
        self.idx, self.c, self.a0, self.a1 = idx, c, a0, a1
        self.dead = 0
        self.own = False
        self.buf, self.tmp = scratch[0][:idx.size], scratch[1][:idx.size]

    def drop(self, hits):
        """Take the accounts at positions ``hits`` of the current arrays out of the test."""
        if not self.own:
            self.c, self.own = self.c.copy(), True
        self.c[hits] = np.inf
        self.dead += hits.size
        if self.dead * 10 > self.c.size:
            keep = np.isfinite(self.c)
            self.idx, self.c, self.a0, self.a1 = (self.idx[keep], self.c[keep],
                                                  self.a0[keep], self.a1[keep])
            self.dead = 0
            self.buf, self.tmp = self.buf[:self.c.size], self.tmp[:self.c.size]


def _pass(state, price):
    """THE vectorised pass: which accounts are strictly below maintenance at ``price``.

    The strict rule of :mod:`marginlib.settlement` on ``equity − maintenance``, written
    ``c + P0·a0 + P1·a1`` (the same inequality rearranged; an exact tie may round either
    way).
    """
    excess = np.multiply(state.a0, price[0], out=state.buf)
    excess += state.c
    excess += np.multiply(state.a1, price[1], out=state.tmp)
    return _liquidated(equity=excess, maintenance=0.0)


def _sweep(net, mark, kappa, within):
    """Fill price, new mark and unfilled base of a net sale ``net`` (< 0: a purchase).

    ``kappa`` is the curve's base per unit of price (fixed at the shocked mark: the book does
    not refill); seen from ``mark`` it is ``kappa·mark`` base per unit of fraction.
    """
    if net == 0.0:
        return mark, mark, 0.0
    q = abs(net)
    if mark <= 0.0:  # the bids are gone: a sale fills at 0; a purchase walks up from 0
        return (0.0, 0.0, q) if net > 0 else (q / (2.0 * kappa), q / kappa, 0.0)
    if net < 0:  # the asks go on without end: the price rises by q/kappa
        avg, _, filled, quote, last = _linear_fill(1.0, q, mark, kappa * mark, 0.0, np.inf)
    else:  # the bids reach price 0 (extent 1); beyond that nothing fills
        avg, _, filled, quote, last = _linear_fill(-1.0, q, mark, kappa * mark, 0.0, 1.0)
    unfilled = q - filled
    return (quote + unfilled * last) / q, last, unfilled


def cascade(population, *, price, shock, depth, maintenance_margin_rate, within=0.02,
            correlation=1.0, liquidation_fee_rate=0.0, feedback=True, max_rounds=100_000):
    """Run a liquidation cascade on ``population`` to its fixed point.

    Parameters
    ----------
    population : Population
    price : float or sequence of 2
        Marks of A and B before the shock, > 0.
    shock : float
        Fractional move of A, non-zero and > −1 (−0.10 = a 10 % drop).
    depth : float or sequence of 2
        Quote notional within ±``within`` of the shocked mark, per token, > 0 (linear depth,
        :func:`marginlib.liquidity.depth_fill`).
    maintenance_margin_rate : float or sequence of 2
        ``m`` per token in [0, 1).
    within : float, optional
        Fraction in (0, 1) that ``depth`` is quoted for (default 0.02).
    correlation : float, optional
        B moves ``correlation × shock`` in the initial shock, in [−1, 1] (default 1).
    liquidation_fee_rate : float, optional
        In [0, 1], on notional at the fill price.
    feedback : bool, optional
        False: the no-feedback baseline (liquidations at the shocked marks fill at the mark
        and do not move it).
    max_rounds : int, optional
        Safety stop, >= 1 (``converged`` says whether it was hit).

    Returns
    -------
    CascadeResult

    Notes
    -----
    Per round ``r`` with marks ``P``: newly liquidated accounts ``L_r`` are the survivors with
    ``W + Σ_j s_j q_j (P_j − E_j) < Σ_j q_j P_j m_j``. Per token the net sale
    ``n_j = Σ_{L_r} s_j q_j`` walks the curve: fill ``F_j``, new mark. Each liquidated
    account's equity ``W + Σ_j s_j q_j (F_j − E_j)`` is settled with fee cap
    ``f·Σ_j q_j F_j``. Conservation: Σ (fee + returned − bad debt) over the liquidated
    accounts equals their collateral plus their PnL at the fills.

    Examples
    --------
    Two isolated 10× longs of 1,000 on A at 1 (m = 5 %: liquidated below 0.9474) and one
    of 500 at 5× (below 0.8421); a 6 % drop liquidates the first two, whose sale of 2,000
    base into $1,000 within ±2 % (ρ = 1,000/(0.02·0.94) = 53,191 base per unit of
    fraction) walks A down 3.76 %, to 0.9047 — above 0.8421, so it stops after one round:

    >>> pop = Population(sign=[[1, 0], [1, 0], [1, 0]], size=[[1e3, 0], [1e3, 0], [5e2, 0]],
    ...                  entry_price=[[1, 1], [1, 1], [1, 1]],
    ...                  margin=[[100, 0], [100, 0], [100, 0]], cross=[False, False, False])
    >>> out = cascade(pop, price=1.0, shock=-0.06, depth=1_000.0, maintenance_margin_rate=0.05,
    ...               correlation=0.0)
    >>> out.rounds, out.liquidated_round.tolist(), round(float(out.final_price[0]), 4)
    (1, [1, 1, 0], 0.9047)
    """
    if not isinstance(population, Population):
        raise ValueError(f"population must be a Population, got {type(population).__name__}")
    p0 = _pair("price", price, v.positive)
    d = _pair("depth", depth, v.positive)
    mmr = _pair("maintenance_margin_rate", maintenance_margin_rate, v.unit_rate)
    s = _one("shock", shock, v.finite)
    w = _one("within", within, v.positive)
    rho_corr = _one("correlation", correlation, v.finite)
    fee_rate = _one("liquidation_fee_rate", liquidation_fee_rate, v.fee_rate)
    if not isinstance(feedback, (bool, np.bool_)):
        raise ValueError(f"feedback must be True or False, got {feedback!r}")
    n_max = v.count("max_rounds", max_rounds)
    if s == 0.0 or s <= -1.0:
        raise ValueError(f"shock must be a non-zero fraction above -1 (-0.10 = a 10 % drop), "
                         f"got {shock!r}")
    if w >= 1.0:
        raise ValueError(f"within must be a fraction below 1 (0.02 = ±2 %), got {within!r}")
    if abs(rho_corr) > 1.0:
        raise ValueError(f"correlation must be in [-1, 1], got {correlation!r}")
    move = np.array([s, rho_corr * s])
    if move[1] <= -1.0:
        raise ValueError(f"correlation × shock must be above -1 (B's price stays > 0), got "
                         f"correlation={correlation!r}, shock={shock!r}")
    plan, healthy = _folded(population, mmr, p0)
    state = _State(*plan["two"], _scratch(population, plan["two"][0].size))
    groups = plan["groups"]
    reached = [0] * len(groups)  # how many of each sorted group are liquidated
    if not healthy:
        raise ValueError("population has accounts already below maintenance at price (before "
                         "the shock): lower their leverage or maintenance_margin_rate")
    shocked = p0 * (1.0 + move)
    with np.errstate(all="ignore"):
        kappa = d / (w * shocked) / shocked  # the curve's base per unit of price
    if not np.all(np.isfinite(kappa) & (kappa > 0)):
        raise ValueError("depth / (within × price²) overflows: these magnitudes are beyond "
                         "the float range")

    mark = shocked.copy()
    prices, fills, nets, unfilled_l = [mark.copy()], [], [], []
    notional_l, count_l, bad_l, fee_l, ret_l = [], [], [], [], []
    who = []  # the accounts liquidated in each round
    cols = _columns(population)
    converged = False
    for r in range(1, n_max + 1):
        hits = _pass(state, mark).nonzero()[0]
        found = [state.idx[hits]] if hits.size else []
        if hits.size:
            state.drop(hits)
        for g, (j, side, ids, keys) in enumerate(groups):
            k = int(keys.searchsorted(-mark[j] if side > 0 else mark[j]))
            if k > reached[g]:
                found.append(ids[reached[g]:k])
                reached[g] = k
        if not found:
            converged = True
            break
        idx = found[0] if len(found) == 1 else np.concatenate(found)
        who.append(idx)
        sq0, sq1, aq0, aq1 = (cols["sq0"][idx], cols["sq1"][idx], cols["aq0"][idx],
                              cols["aq1"][idx])
        net = np.array([sq0.sum(), sq1.sum()])
        fill_p, new_mark, left = mark.copy(), mark.copy(), np.zeros(N_TOKENS)
        if feedback:
            for j in range(N_TOKENS):
                fill_p[j], new_mark[j], left[j] = _sweep(float(net[j]), float(mark[j]),
                                                         float(kappa[j]), w)
        equity = cols["c"][idx] + sq0 * fill_p[0] + sq1 * fill_p[1]  # W + Σ s q (F − E)
        fee, returned, bad = _settle(equity, fee_rate * (aq0 * fill_p[0] + aq1 * fill_p[1]))
        prices.append(new_mark.copy())
        fills.append(fill_p)
        nets.append(net)
        unfilled_l.append(left)
        notional_l.append(float(aq0.sum() * mark[0] + aq1.sum() * mark[1]))
        count_l.append(idx.size)
        bad_l.append(float(bad.sum()))
        fee_l.append(float(fee.sum()))
        ret_l.append(float(returned.sum()))
        mark = new_mark
    rounds = len(fills)
    final = mark.copy()
    final_move = final / p0 - 1.0

    def arr(x, shape=(0,)):
        return np.array(x, dtype=float) if x else np.zeros(shape)

    return CascadeResult(
        initial_price=p0, shocked_price=shocked, price=np.array(prices),
        fill_price=arr(fills, (0, N_TOKENS)), net_sold=arr(nets, (0, N_TOKENS)),
        unfilled=arr(unfilled_l, (0, N_TOKENS)), liquidated_notional=arr(notional_l),
        liquidated_accounts=np.array(count_l, dtype=np.int64), bad_debt=arr(bad_l),
        liquidation_fees=arr(fee_l), returned=arr(ret_l), rounds=rounds, final_price=final,
        final_move=final_move, amplification=float(final_move[0] / s), converged=converged,
        _liquidated=_indices(who, population.n_accounts), _n_accounts=population.n_accounts)


def _indices(parts, n):
    """``parts`` (arrays of account indices below ``n``) as one compact array (int32 if
    ``n`` allows)."""
    out = np.empty(sum(p.size for p in parts), dtype=np.int32 if n < 2**31 else np.int64)
    if parts:
        np.concatenate(parts, out=out, casting="same_kind")
    return out


def compare_margin_modes(population, **kwargs):
    """``(as_given, isolated)``: :func:`cascade` on ``population`` and on its isolated split.

    Parameters
    ----------
    population : Population
    **kwargs
        The keyword arguments of :func:`cascade` (price, shock, depth, ...), used for both.

    Returns
    -------
    tuple of CascadeResult
        The cascade of ``population`` as given, and of :meth:`Population.isolated`: same
        positions, same margins, same shock and book; only the sharing of margin inside cross
        accounts differs (the article's BIS claim: isolation reduces cascades).

    Examples
    --------
    With B not in the shock (correlation 0), only cross accounts can move B:

    >>> pop = cascade_population(2_000, rng=3, cross_share=0.8)
    >>> mixed, iso = compare_margin_modes(pop, price=1.0, shock=-0.05, depth=20_000.0,
    ...                                   maintenance_margin_rate=0.03, correlation=0.0)
    >>> float(iso.final_move[1]) == 0.0 < abs(float(mixed.final_move[1]))
    True
    """
    return cascade(population, **kwargs), cascade(population.isolated(), **kwargs)
