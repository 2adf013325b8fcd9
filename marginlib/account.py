"""An account that evolves: a wallet, isolated and cross positions, marks, funding, liquidations.

The one place in :mod:`marginlib` with real state. :class:`Account` keeps

* a **wallet** (the cross wallet: free collateral, shared by every cross position),
* **isolated positions**, each with its own ``margin`` moved out of the wallet when opened,
* **cross positions**, backed by the wallet itself.

Every change of money is an :class:`Event` in :attr:`Account.events`; the running sums are in
:attr:`Account.totals`, and :meth:`Account.conservation_error` checks that nothing was created
or lost on the way (bad debt is recorded, never hidden).

Liquidation rules (``s = ±1``, ``q`` size, ``E`` entry, ``P`` mark, ``m`` maintenance margin
rate, ``M`` margin, ``W`` wallet, ``f`` liquidation fee rate), all from the one settlement
kernel :mod:`marginlib.settlement` (liquidated iff equity is *strictly* below maintenance):

* isolated: the position is liquidated when ``M + s·q·(P − E) < q·P·m``; it is closed at
  the mark, the fee ``min(f·q·P, max(equity, 0))`` is charged, the rest goes back to the
  wallet and a negative equity is recorded as bad debt. Nothing else in the account is touched.
* cross: the account is liquidated when ``W + Σ s·q·(P − E) < Σ q·P·m`` over the cross
  positions; **all** cross positions are closed at their marks, the fees are charged, the rest
  stays in the wallet (which may be consumed entirely) and a negative remainder is bad debt.

After each operation the isolated positions are checked first, then the cross account (a
liquidated isolated position returns its leftover margin to the wallet, which then counts for
the cross check). The same tests and arithmetic, vectorised, are
:func:`marginlib.settlement.isolated_liquidated`, :func:`~marginlib.settlement.cross_liquidated`
and :func:`~marginlib.settlement.settle`; the Monte Carlo calls the same kernel.

The notation and the cross equity ``W + Σ s·q·(P − E)`` (wallet balance plus unrealised PnL
against the total maintenance margin) follow Binance's cross-margin formula [1]_.

References
----------
.. [1] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
   https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
.. [2] Hyperliquid docs, Liquidations (cross: the cross margin and all cross positions;
   isolated: that position and its margin only),
   https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from . import _validation as v
from .liquidation import _clip_at_zero, _raw_liquidation_price
from .settlement import (_cross_fees, _isolated_equity, _liquidated, _maintenance,
                         _remainder, _settle)

__all__ = [
    "Account",
    "PositionSnapshot",
    "Event",
    "AccountTotals",
    "MARGIN_MODES",
    "EVENT_KINDS",
]

#: Margin modes of a position.
MARGIN_MODES = ("isolated", "cross")

#: Kinds of :class:`Event`, in the order an account's life usually produces them.
EVENT_KINDS = ("deposit", "withdraw", "open", "add_margin", "remove_margin", "funding",
               "maintenance_change", "close", "liquidation", "bad_debt")

#: Relative tolerance for "size·price = margin·leverage" when all three are given to ``open``.
_CONSISTENCY_RTOL = 1e-9

#: Rounding allowance when checking the cross initial margin (``margin·leverage/price`` then
#: ``size·price/leverage`` may differ from ``margin`` in the last bit).
_REQUIREMENT_RTOL = 1e-12


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Event:
    """One entry of an account's log.

    Attributes
    ----------
    time : float
        Time of the event (the account clock, set by ``time=`` arguments; units are the
        caller's, e.g. hours).
    kind : str
        One of :data:`EVENT_KINDS`.
    position : str or None
        Name of the position concerned (``None`` for deposits, withdrawals and a cross
        account's bad debt).
    amount : float
        Cash that entered (+) or left (−) the **wallet** with this event, quote currency, so
        ``sum(e.amount for e in account.events) == account.wallet`` (up to rounding):

        ================== ================================================================
        deposit            ``+amount``
        withdraw           ``−amount``
        open               ``−(margin + fee)`` isolated, ``−fee`` cross
        add_margin         ``−amount`` (moved into the position); remove_margin ``+amount``
        funding            the payment for a cross position; ``0`` for an isolated one (its
                           margin moves instead, see ``details["payment"]``)
        maintenance_change ``0`` (:meth:`Account.set_maintenance_rate`: the venue changed the
                           maintenance rate of open positions)
        close              isolated: what returns to the wallet; cross: ``pnl − fee``
        liquidation        isolated: what returns to the wallet; cross: ``pnl − fee``
        bad_debt           ``+`` the loss beyond the cross wallet, covered by the venue
        ================== ================================================================
    price : float or None
        Price the event happened at (trade, mark or funding reference price).
    details : Mapping[str, object]
        Read-only extra numbers (``fee``, ``pnl``, ``bad_debt``, ``margin``, ``size``...).
    """

    time: float
    kind: str
    position: object
    amount: float
    price: object
    details: object


@dataclass(frozen=True)
class AccountTotals:
    """Running sums of an account's cash flows, quote currency.

    Attributes
    ----------
    deposits, withdrawals : float
        Money put in and taken out (both >= 0).
    fees : float
        Trading fees paid on opening and closing (>= 0).
    funding : float
        Net funding *received* (negative when the account paid).
    liquidation_fees : float
        Liquidation fees paid (>= 0).
    bad_debt : float
        Losses beyond the collateral, absorbed by the venue's insurance fund (>= 0).
    realized_pnl : float
        Price PnL ``s·q·(X − E)`` of every closed or liquidated position, before fees.
    """

    deposits: float
    withdrawals: float
    fees: float
    funding: float
    liquidation_fees: float
    bad_debt: float
    realized_pnl: float

    @property
    def ledger(self):
        """What the wallet plus the isolated margins should hold: ``deposits − withdrawals
        + realized_pnl − fees − liquidation_fees + funding + bad_debt``."""
        return (self.deposits - self.withdrawals + self.realized_pnl - self.fees
                - self.liquidation_fees + self.funding + self.bad_debt)


@dataclass(frozen=True)
class PositionSnapshot:
    """Read-only view of an open position at the moment it was taken.

    Attributes
    ----------
    name, token : str
        Unique name in the account; the token it trades (defaults to the name), used to
        mark several positions on one token with one price.
    side : {"long", "short"}
    mode : {"isolated", "cross"}
    size : float
        Base units, > 0.
    entry_price, mark_price : float
        Quote per base unit.
    leverage : float
        Leverage chosen at opening; ``1/leverage`` is the initial margin rate.
    margin : float or None
        Isolated: the position's collateral now (after margin moves and funding). Cross:
        ``None`` (the position draws on the wallet).
    maintenance_margin_rate, taker_fee_rate : float
        ``m`` and the taker fee rate used to open (and by default to close).
    """

    name: str
    token: str
    side: str
    mode: str
    size: float
    entry_price: float
    mark_price: float
    leverage: float
    margin: object
    maintenance_margin_rate: float
    taker_fee_rate: float

    @property
    def sign(self):
        """+1.0 for a long, −1.0 for a short."""
        return 1.0 if self.side == "long" else -1.0

    @property
    def notional(self):
        """``q·P`` at the mark."""
        return self.size * self.mark_price

    @property
    def unrealized_pnl(self):
        """``s·q·(P − E)``."""
        return self.sign * self.size * (self.mark_price - self.entry_price)

    @property
    def maintenance_margin(self):
        """``q·P·m`` at the mark."""
        return self.size * self.mark_price * self.maintenance_margin_rate

    @property
    def initial_margin(self):
        """``q·P/L`` at the mark."""
        return self.size * self.mark_price / self.leverage

    @property
    def equity(self):
        """Isolated: ``margin + UPNL``. Cross: ``None`` (see :meth:`Account.cross_equity`)."""
        if self.margin is None:
            return None
        return self.margin + self.unrealized_pnl


class _Position:
    """Mutable state of one open position (internal)."""

    __slots__ = ("name", "token", "side", "sign", "mode", "size", "entry", "mark", "leverage",
                 "margin", "mmr", "taker_fee_rate")

    def __init__(self, name, token, side, mode, size, entry, leverage, margin, mmr,
                 taker_fee_rate):
        self.name = name
        self.token = token
        self.side = side
        self.sign = 1.0 if side == "long" else -1.0
        self.mode = mode
        self.size = size
        self.entry = entry
        self.mark = entry
        self.leverage = leverage
        self.margin = margin
        self.mmr = mmr
        self.taker_fee_rate = taker_fee_rate

    def upnl(self, price=None):
        price = self.mark if price is None else price
        return self.sign * self.size * (price - self.entry)

    def maintenance(self):
        return _maintenance(size=self.size, price=self.mark, maintenance_margin_rate=self.mmr)

    def initial(self):
        return self.size * self.mark / self.leverage

    def snapshot(self):
        return PositionSnapshot(
            self.name, self.token, self.side, self.mode, self.size, self.entry, self.mark,
            self.leverage, self.margin if self.mode == "isolated" else None, self.mmr,
            self.taker_fee_rate)


# ---------------------------------------------------------------------------------------------
# Scalar validation (the engine works on Python floats)
# ---------------------------------------------------------------------------------------------

def _scalar(check, name, value):
    arr = check(name, value)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    return float(arr)


def _side(side):
    if not isinstance(side, str):
        raise ValueError(f"side must be 'long' or 'short', got {side!r}")
    v.side_sign(side)
    return side


def _name(what, value):
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return value


# ---------------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------------

class Account:
    """A margin account: wallet, isolated and cross positions, marks, funding, liquidations.

    Parameters
    ----------
    deposit : float, optional
        Initial deposit into the wallet, quote currency, >= 0.
    maintenance_margin_rate : float, optional
        Default ``m`` for new positions (each :meth:`open` may override it), in [0, 1).
    liquidation_fee_rate : float, optional
        Liquidation fee as a fraction of the notional at the liquidation mark, in [0, 1]
        (1 = 100 %, allowed on dYdX).
    taker_fee_rate : float, optional
        Default fee rate of :meth:`open` and :meth:`close`, fraction of notional, in [0, 1).

    Notes
    -----
    *Opening.* ``size·price = margin·leverage``: give any two of the three. An isolated
    position moves ``margin`` from the wallet into the position; a cross position moves
    nothing but needs the cross equity (wallet + cross UPNL) to cover the cross initial margin
    ``Σ q·P/L`` afterwards. The opening fee ``taker_fee_rate·q·price`` is paid from the wallet.
    Every transfer out of the wallet (margin, fee, withdrawal) must leave the wallet >= 0 and, when
    cross positions are open, the cross equity >= the cross initial margin; so a cross position
    may be backed by the other cross positions' unrealised profit, but no cash leaves the
    wallet against it. ``leverage`` must be below ``1/m`` (the initial margin must exceed the
    maintenance margin).

    *Wallet.* Closing a losing cross position realises its loss in the wallet, which may then
    be negative while the remaining cross positions' profit covers it (cross equity stays above
    maintenance). When no cross position is left, a negative wallet is floored at 0 and the
    difference recorded as bad debt.

    *Log.* Every movement of money is an :class:`Event`; price updates are not (they move no
    money), but the liquidations they trigger are. The clock ``time`` is whatever unit the
    caller uses and must not go backwards.

    *Liquidation.* After every operation: each isolated position with
    ``M + s·q·(P − E) < q·P·m`` is closed at its mark, pays
    ``min(f·q·P, max(equity, 0))`` and returns the rest to the wallet; then, if
    ``W + Σ_cross s·q·(P − E) < Σ_cross q·P·m``, every cross position is closed at its mark,
    the fees are charged from what is left, and a negative wallet is floored at 0 with the
    difference recorded as bad debt.

    *Conservation.* With ``UPNL`` the open positions' unrealised PnL,

        ``wallet + Σ isolated margins + Σ UPNL
        = deposits − withdrawals + realized_pnl + Σ UPNL − fees − liquidation_fees
        + funding + bad_debt``

    (the UPNL terms cancel: it is a cash identity, :attr:`AccountTotals.ledger`);
    :meth:`conservation_error` returns the difference, 0 up to rounding.

    References
    ----------
    .. [1] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts" (cross:
       ``WB − TMM₁ + UPNL₁``),
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    .. [2] Hyperliquid docs, Liquidations (cross: all positions and the cross margin; isolated:
       that position and its margin only),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
    .. [3] dYdX v4 docs, Margin and Liquidations (insurance fund covers negative equity),
       https://github.com/dydxprotocol/v4-documentation/blob/3e475b73231a5de7e5a8a55c54047d94578060e5/docs/pages/concepts/trading/margin.mdx
       and .../liquidations.mdx in the same folder.

    Examples
    --------
    The TorchTrade cross case: 5 of collateral, a long of 1 at 100 (MMR 0.4 %) and another
    position that needs 4 of maintenance; the long is liquidated at 99.40, not 95.38.

    >>> acct = Account(5.0, maintenance_margin_rate=0.004)
    >>> _ = acct.open("A", "long", size=1, leverage=200, price=100, mode="cross")
    >>> _ = acct.open("B", "long", size=1, leverage=240, price=1_000, mode="cross")
    >>> round(acct.cross_maintenance(), 2), round(acct.liquidation_price("A"), 2)
    (4.4, 99.4)
    >>> acct.mark({"A": 99.41})
    ()
    >>> [e.position for e in acct.mark({"A": 99.39})]
    ['A', 'B']
    >>> acct.positions
    mappingproxy({})
    """

    def __init__(self, deposit=0.0, *, maintenance_margin_rate=0.0, liquidation_fee_rate=0.0,
                 taker_fee_rate=0.0):
        self._default_mmr = _scalar(v.unit_rate, "maintenance_margin_rate",
                                    maintenance_margin_rate)
        self._liquidation_fee_rate = _scalar(v.fee_rate, "liquidation_fee_rate",
                                             liquidation_fee_rate)
        self._default_fee_rate = _scalar(v.fee_rate, "taker_fee_rate", taker_fee_rate)
        deposit = _scalar(v.nonnegative, "deposit", deposit)
        if deposit > 0:
            _scalar(v.positive, "deposit", deposit)  # a subnormal deposit is refused by name
        self._wallet = 0.0
        self._positions = {}
        self._known_keys = set()
        self._events = []
        self._time = 0.0
        self._totals = dict(deposits=0.0, withdrawals=0.0, fees=0.0, funding=0.0,
                            liquidation_fees=0.0, bad_debt=0.0, realized_pnl=0.0)
        if deposit > 0:
            self.deposit(deposit)

    # ---- queries ------------------------------------------------------------------------

    @property
    def wallet(self):
        """Cross wallet balance (free collateral), quote currency.

        May be negative only while cross positions are open and their unrealised profit covers
        it; otherwise a shortfall is floored at 0 and recorded as bad debt."""
        return self._wallet

    @property
    def time(self):
        """The account clock: the latest ``time=`` given to an operation (starts at 0)."""
        return self._time

    @property
    def maintenance_margin_rate(self):
        """Default ``m`` of new positions."""
        return self._default_mmr

    @property
    def liquidation_fee_rate(self):
        """Liquidation fee rate, fraction of notional."""
        return self._liquidation_fee_rate

    @property
    def taker_fee_rate(self):
        """Default trading fee rate of :meth:`open` and :meth:`close`."""
        return self._default_fee_rate

    @property
    def positions(self):
        """Open positions: a read-only mapping name → :class:`PositionSnapshot`."""
        return MappingProxyType({n: p.snapshot() for n, p in self._positions.items()})

    @property
    def events(self):
        """The log: a new list of :class:`Event` (oldest first) on each access."""
        return list(self._events)

    @property
    def totals(self):
        """Running sums, an :class:`AccountTotals`."""
        return AccountTotals(**self._totals)

    def _cross(self):
        return [p for p in self._positions.values() if p.mode == "cross"]

    def _isolated(self):
        return [p for p in self._positions.values() if p.mode == "isolated"]

    def equity(self):
        """Account value: ``wallet + Σ isolated margins + Σ UPNL`` of all open positions."""
        return (self._wallet + sum(p.margin for p in self._isolated())
                + sum(p.upnl() for p in self._positions.values()))

    def cross_equity(self):
        """Cross equity (margin balance): ``wallet + Σ UPNL`` of the cross positions."""
        return self._wallet + sum(p.upnl() for p in self._cross())

    def cross_maintenance(self):
        """Cross maintenance requirement ``Σ q·P·m`` over the cross positions at their marks."""
        return sum(p.maintenance() for p in self._cross())

    def cross_initial_margin(self):
        """Cross initial requirement ``Σ q·P/L`` over the cross positions at their marks."""
        return sum(p.initial() for p in self._cross())

    def withdrawable(self):
        """Most that :meth:`withdraw` (or an isolated margin move) can take out now.

        ``min(wallet, cross_equity − cross_initial_margin)`` when cross positions are open,
        else the wallet; never below 0."""
        avail = self._wallet
        if self._cross():
            avail = min(avail, self.cross_equity() - self.cross_initial_margin())
        return max(avail, 0.0)

    def conservation_error(self):
        """``wallet + Σ isolated margins − totals.ledger``: 0 up to rounding.

        Equivalently ``equity() − (ledger + Σ UPNL)``: every unit of value is accounted
        for by deposits, withdrawals, realised PnL, fees, liquidation fees, funding and bad
        debt."""
        held = self._wallet + sum(p.margin for p in self._isolated())
        return held - self.totals.ledger

    def _position(self, name):
        try:
            return self._positions[name]
        except (KeyError, TypeError):
            raise ValueError(
                f"no open position named {name!r}; open positions: {list(self._positions)}"
            ) from None

    def liquidation_price(self, name):
        """Mark price of ``name`` at which it (isolated) or the cross account is liquidated.

        Parameters
        ----------
        name : str
            An open position.

        Returns
        -------
        float
            G1 with the position's collateral: isolated ``M' = margin``; cross
            ``M' = wallet − Σ_other q·P·m + Σ_other s·q·(P − E)`` over the *other cross*
            positions at their current marks, i.e. exactly
            ``marginlib.liquidation.liquidation_price(side, entry_price=E, size=q,
            margin=wallet, maintenance_margin_rate=m, other_maintenance=...,
            other_unrealized_pnl=...)``
            wherever that function is defined (it refuses ``wallet <= 0`` and collateral
            below the maintenance at entry, states the engine can reach). 0 for a long that
            cannot be liquidated at a positive price.

        Notes
        -----
        ``P = (M' − s·q·E) / (q·m − s·q)``. For a cross position this holds the other
        positions' prices fixed: if they move, the price moves (see
        :func:`marginlib.region.cross_liquidation_boundary`).
        """
        p = self._position(name)
        if p.mode == "isolated":
            collateral = p.margin
        else:
            others = [o for o in self._cross() if o is not p]
            collateral = (self._wallet - sum(o.maintenance() for o in others)
                          + sum(o.upnl() for o in others))
        s, q = p.sign, p.size
        price = _raw_liquidation_price(s, entry_price=p.entry, size=q, collateral=collateral,
                                       rate=p.mmr, amount=0.0, convention="mark")
        return float(_clip_at_zero(price, entry_price=p.entry, size=q, collateral=collateral,
                                   amount=0.0, rate=p.mmr))

    # ---- money in and out ---------------------------------------------------------------

    def _advance(self, time):
        if time is None:
            return self._time
        t = _scalar(v.finite, "time", time)
        if t < self._time:
            raise ValueError(f"time must not go backwards: the account is at {self._time:g}, "
                             f"got {t:g}")
        self._time = t
        return t

    def _log(self, t, kind, position, amount, price, **details):
        event = Event(float(t), kind, position, float(amount),
                      None if price is None else float(price), MappingProxyType(details))
        self._events.append(event)
        return event

    def _check_transfer(self, what, out, cross_initial, arg="amount"):
        """Refuse taking ``out`` from the wallet if it leaves wallet < 0 or cross equity < IM.

        ``arg`` names the user's argument(s) that set ``out`` (for the message)."""
        if out > 0 and out > self._wallet:
            raise ValueError(f"{what} refused: it needs {out:g} from the wallet ({arg}), which "
                             f"holds {self._wallet:g}; deposit more")
        if cross_initial > 0:
            after = self.cross_equity() - out
            if after < cross_initial * (1.0 - _REQUIREMENT_RTOL):
                raise ValueError(
                    f"{what} refused: cross equity would be {after:g} ({arg}), below the "
                    "cross initial "
                    f"margin {cross_initial:g} (Σ size·mark/leverage); deposit more or lower "
                    "the leverage")

    def deposit(self, amount, *, time=None):
        """Put ``amount`` (> 0, quote currency) into the wallet."""
        amount = _scalar(v.positive, "amount", amount)
        t = self._advance(time)
        self._wallet += amount
        self._totals["deposits"] += amount
        self._log(t, "deposit", None, amount, None)

    def withdraw(self, amount, *, time=None):
        """Take ``amount`` (> 0) out of the wallet.

        Refused (``ValueError``) if it would leave the wallet below 0 or the cross equity below
        the cross initial margin; :meth:`withdrawable` is the most that can be taken."""
        amount = _scalar(v.positive, "amount", amount)
        self._check_transfer("withdraw", amount, self.cross_initial_margin(), arg="amount")
        t = self._advance(time)
        self._wallet -= amount
        self._totals["withdrawals"] += amount
        self._log(t, "withdraw", None, -amount, None)

    # ---- positions ----------------------------------------------------------------------

    def open(self, name, side, *, size=None, margin=None, leverage=None, price,
             mode="isolated", maintenance_margin_rate=None, taker_fee_rate=None, token=None,
             time=None):
        """Open a position.

        Parameters
        ----------
        name : str
            Unique among the open positions.
        side : {"long", "short"}
        size, margin, leverage : float, optional
            Any two of: size in base units (> 0), margin in quote currency (> 0), leverage
            (>= 1 and < ``1/m``), linked by ``size·price = margin·leverage``. Isolated:
            ``margin`` moves from the wallet into the position. Cross: ``margin`` is only the
            initial margin ``q·P/L`` the position adds to the cross requirement.
        price : float
            Entry price (also the position's first mark), > 0.
        mode : {"isolated", "cross"}
        maintenance_margin_rate : float, optional
            ``m`` of this position; defaults to the account's.
        taker_fee_rate : float, optional
            Opening fee rate (fraction of ``q·price``, paid from the wallet) and the default
            closing fee rate; defaults to the account's ``taker_fee_rate``.
        token : str, optional
            What it trades, so one price in :meth:`mark` moves every position on that token;
            defaults to ``name``.
        time : float, optional
            Account clock (non-decreasing).

        Returns
        -------
        PositionSnapshot

        Raises
        ------
        ValueError
            Bad input, a duplicate name, or not enough funds (see the class Notes).
        """
        name = _name("name", name)
        if name in self._positions:
            raise ValueError(f"name: a position named {name!r} is already open")
        token = name if token is None else _name("token", token)
        side = _side(side)
        if mode not in MARGIN_MODES:
            raise ValueError(f"mode must be 'isolated' or 'cross', got {mode!r}")
        price = _scalar(v.positive, "price", price)
        mmr = (self._default_mmr if maintenance_margin_rate is None
               else _scalar(v.unit_rate, "maintenance_margin_rate", maintenance_margin_rate))
        fee_rate = (self._default_fee_rate if taker_fee_rate is None
                    else _scalar(v.fee_rate, "taker_fee_rate", taker_fee_rate))
        derived_leverage = leverage is None
        size, margin, leverage = self._resolve_size(size, margin, leverage, price)
        if leverage * mmr >= 1:
            lev = "leverage = size·price/margin" if derived_leverage else "leverage"
            raise ValueError(
                f"{lev} must be < 1/maintenance_margin_rate = {1 / mmr:g} (the initial margin "
                f"must exceed the maintenance margin), got {leverage:g}")
        fee = v.result(fee_rate * size * price, size=size, price=price)
        cross_initial = self.cross_initial_margin()
        if mode == "isolated":
            out = v.result(margin + fee, margin=margin, size=size, price=price)
            what = "margin + fee (set by size, margin, leverage, price, taker_fee_rate)"
        else:
            out = fee
            cross_initial = v.result(cross_initial + size * price / leverage, size=size,
                                     price=price, leverage=leverage)
            what = "the fee and initial margin (set by size, margin, leverage, price)"
        self._check_transfer("open", out, cross_initial, arg=what)
        t = self._advance(time)
        pos = _Position(name, token, side, mode, size, price, leverage,
                        margin if mode == "isolated" else 0.0, mmr, fee_rate)
        self._positions[name] = pos
        self._known_keys.update((name, token))
        self._wallet -= out
        self._totals["fees"] += fee
        self._log(t, "open", name, -out, price, side=side, mode=mode, token=token, size=size,
                  margin=margin, leverage=leverage, fee=fee)
        return pos.snapshot()

    @staticmethod
    def _resolve_size(size, margin, leverage, price):
        given = [k for k, x in (("size", size), ("margin", margin), ("leverage", leverage))
                 if x is not None]
        if len(given) < 2:
            raise ValueError("give two of size, margin and leverage (size·price = "
                             f"margin·leverage), got only {given or 'none'}")
        if size is not None:
            size = _scalar(v.positive, "size", size)
        if margin is not None:
            margin = _scalar(v.positive, "margin", margin)
        if leverage is not None:
            leverage = _scalar(v.leverage_value, "leverage", leverage)
        named = {k: x for k, x in (("size", size), ("margin", margin), ("leverage", leverage),
                                   ("price", price)) if x is not None}
        with np.errstate(over="ignore", invalid="ignore"):  # overflow → ValueError naming them
            if size is None:
                size = float(v.result(margin * leverage / price, **named))
            elif margin is None:
                margin = float(v.result(size * price / leverage, **named))
            elif leverage is None:
                leverage = float(v.result(size * price / margin, **named))
            if len(named) == 4:  # all three given: they must agree
                v.result(np.array([size * price, margin * leverage]), **named)
        if size < 2.2250738585072014e-308 or margin < 2.2250738585072014e-308:
            given_ = ", ".join(f"{k}={x:g}" for k, x in named.items())
            raise ValueError(f"the size and margin from {given_} would be below 2.2e-308 "
                             f"(size={size:g}, margin={margin:g}); give larger values")
        if "leverage" not in named:
            if leverage < 1:
                raise ValueError(f"margin must not exceed the notional size·price = "
                                 f"{size * price:g} (leverage >= 1), got {margin:g}")
        elif len(named) == 4 and not math.isclose(size * price, margin * leverage,
                                                  rel_tol=_CONSISTENCY_RTOL):
            raise ValueError(f"size·price = {size * price:g} but margin·leverage = "
                             f"{margin * leverage:g}: give only two of the three")
        return size, margin, leverage

    def _isolated_position(self, name, what):
        p = self._position(name)
        if p.mode != "isolated":
            raise ValueError(f"{what}: {name!r} is a cross position; its collateral is the "
                             "wallet (use deposit/withdraw)")
        return p

    def add_margin(self, name, *, amount, time=None):
        """Move ``amount`` (> 0) from the wallet into isolated position ``name``.

        The entry price does not change; the liquidation price moves away from the mark."""
        p = self._isolated_position(name, "add_margin")
        amount = _scalar(v.positive, "amount", amount)
        self._check_transfer("add_margin", amount, self.cross_initial_margin())
        t = self._advance(time)
        self._wallet -= amount
        p.margin += amount
        self._log(t, "add_margin", name, -amount, p.mark, margin=p.margin)

    def remove_margin(self, name, *, amount, time=None):
        """Move ``amount`` (> 0) from isolated position ``name`` back to the wallet.

        Refused, as in :func:`marginlib.liquidation.adjust_margin`, if it leaves the margin <= 0
        or the position's equity ``margin + UPNL`` below its initial requirement ``q·P_mark/L``."""
        p = self._isolated_position(name, "remove_margin")
        amount = _scalar(v.positive, "amount", amount)
        new_margin = p.margin - amount
        if new_margin <= 0:
            raise ValueError(f"amount: removing {amount:g} would leave no margin in {name!r} "
                             f"(margin is {p.margin:g})")
        equity = new_margin + p.upnl()
        required = p.initial()
        if equity < required:
            raise ValueError(f"amount: removal refused, it would leave the equity of {name!r} "
                             f"at {equity:g}, below the initial margin requirement {required:g}")
        t = self._advance(time)
        p.margin = new_margin
        self._wallet += amount
        self._log(t, "remove_margin", name, amount, p.mark, margin=p.margin)

    def close(self, name, *, price, taker_fee_rate=None, time=None):
        """Close position ``name`` at ``price`` (> 0), paying ``taker_fee_rate·q·price``.

        Isolated: ``margin + PnL − fee`` goes back to the wallet (the fee never takes more than
        the positive equity; a negative equity is bad debt). Cross: ``PnL − fee`` is settled in
        the wallet. ``taker_fee_rate`` defaults to the rate the position was opened with.

        Returns
        -------
        Event
            The ``close`` event.
        """
        p = self._position(name)
        price = _scalar(v.positive, "price", price)
        rate = (p.taker_fee_rate if taker_fee_rate is None
                else _scalar(v.fee_rate, "taker_fee_rate", taker_fee_rate))
        t = self._advance(time)
        pnl = p.upnl(price)
        value = p.size * price
        del self._positions[name]
        self._totals["realized_pnl"] += pnl
        if p.mode == "isolated":
            equity = p.margin + pnl
            fee, returned, bad = _settle(equity, fee_cap=rate * value)  # the settlement split
            self._wallet += returned
            self._totals["fees"] += fee
            self._totals["bad_debt"] += bad
            event = self._log(t, "close", name, returned, price, mode="isolated", pnl=pnl,
                              fee=fee, margin=p.margin, equity=equity, bad_debt=bad)
        else:
            fee = rate * value
            self._wallet += pnl - fee
            self._totals["fees"] += fee
            event = self._log(t, "close", name, pnl - fee, price, mode="cross", pnl=pnl,
                              fee=fee, bad_debt=0.0)
        self._check_liquidations(t)
        return event

    # ---- venue rule changes -------------------------------------------------------------

    def set_maintenance_rate(self, name, *, maintenance_margin_rate, time=None):
        """Change the maintenance margin rate ``m`` of open positions, then liquidate what must be.

        A venue may change the maintenance of positions that are already open: Binance's
        leverage and margin tier updates say "existing positions opened prior to this update
        will be affected" [1]_. No money moves; a ``maintenance_change`` event (amount 0) is
        logged per position, then the usual check runs at the current marks, with the strict
        rule: a position (isolated) or the cross account is liquidated only if its equity is
        strictly below the new maintenance.

        Parameters
        ----------
        name : str
            An open position, or a token: every open position of that token changes at once
            (as in :meth:`mark`, a position's name wins over a token of the same spelling).
        maintenance_margin_rate : float
            The new ``m``, in [0, 1). It may reach ``1/leverage`` (a leverage cut): the
            position is then below maintenance and liquidated.
        time : float, optional
            Account clock (non-decreasing).

        Returns
        -------
        tuple of Event
            The liquidation (and bad-debt) events the change triggered.

        References
        ----------
        .. [1] Binance Futures, "Binance Futures Adjusts Leverage and Margin Tiers for USDⓈ-M
           CYBERUSDT Perpetual Contract" (2023-08-31),
           https://www.binance.com/en/feed/post/2023-08-31-binance-futures-adjusts-leverage-and-margin-tiers-for-usd-m-cyberusdt-perpetual-contract-1060786

        Examples
        --------
        An isolated long of 1 at 100 with margin 10 (mark 95, equity 5): at ``m = 5 %`` the
        maintenance ``1·95·0.05 = 4.75`` is below the equity; raised to 6 % (5.70) it is not.

        >>> acct = Account(100.0, maintenance_margin_rate=0.05)
        >>> _ = acct.open("A", "long", size=1, margin=10, price=100)
        >>> acct.mark({"A": 95})
        ()
        >>> [e.kind for e in acct.set_maintenance_rate("A", maintenance_margin_rate=0.06)]
        ['liquidation']
        """
        if not isinstance(name, str):
            raise ValueError(f"name must be the name (str) of an open position or its token, "
                             f"got {type(name).__name__}")
        if name in self._positions:
            targets = [self._positions[name]]
        else:
            targets = [p for p in self._positions.values() if p.token == name]
        if not targets:
            raise ValueError(
                f"name must be an open position or the token of one; open positions: "
                f"{list(self._positions)}, tokens: "
                f"{sorted({str(p.token) for p in self._positions.values()})}; got {name!r}")
        rate = _scalar(v.unit_rate, "maintenance_margin_rate", maintenance_margin_rate)
        t = self._advance(time)
        for p in targets:
            previous, p.mmr = p.mmr, rate
            self._log(t, "maintenance_change", p.name, 0.0, p.mark, mode=p.mode,
                      maintenance_margin_rate=rate, previous_rate=previous)
        return self._check_liquidations(t)

    # ---- prices and funding -------------------------------------------------------------

    def _per_position(self, values, what, check):
        """Map a dict keyed by position name or token to {position name: float}."""
        if not hasattr(values, "items"):
            raise ValueError(f"{what} must be a dict of position name or token -> number, "
                             f"got {type(values).__name__}")
        parsed = {}
        for key, value in values.items():
            if key not in self._known_keys:
                raise ValueError(f"{what}: {key!r} is neither a position nor a token of this "
                                 f"account; known: {sorted(map(str, self._known_keys))}")
            parsed[key] = _scalar(check, f"{what}[{key!r}]", value)
        out = {}
        for p in self._positions.values():
            if p.name in parsed:
                out[p.name] = parsed[p.name]
            elif p.token in parsed:
                out[p.name] = parsed[p.token]
        return out

    def mark(self, prices, *, time=None):
        """Move marks to ``prices`` and liquidate what must be.

        Parameters
        ----------
        prices : dict
            Position name or token → mark price (> 0). Positions not mentioned keep their mark;
            names of positions already closed are ignored.
        time : float, optional
            Account clock (non-decreasing).

        Returns
        -------
        tuple of Event
            The liquidation (and bad-debt) events this mark triggered.
        """
        new = self._per_position(prices, "prices", v.positive)
        t = self._advance(time)
        for name, price in new.items():
            self._positions[name].mark = price
        return self._check_liquidations(t)

    def apply_funding(self, rates, *, prices=None, time=None):
        """Settle one funding interval, then liquidate what must be.

        Parameters
        ----------
        rates : dict
            Position name or token → funding rate of the interval (fraction, any sign;
            positive: longs pay shorts).
        prices : dict, optional
            Reference (oracle/mark) price per position or token; defaults to each mark.
            It is not a mark: marks do not change.
        time : float, optional
            Account clock.

        Returns
        -------
        tuple of Event
            The liquidation (and bad-debt) events the payments triggered.

        Notes
        -----
        Payment to the holder ``−s·q·P·r`` (:func:`marginlib.funding.funding_payment`): isolated
        positions receive/pay through their margin, cross positions through the wallet.
        """
        rate_of = self._per_position(rates, "rates", v.finite)
        ref = {} if prices is None else self._per_position(prices, "prices", v.positive)
        payments = []
        for name, rate in rate_of.items():  # all computed (and checked) before any moves
            p = self._positions[name]
            price = ref.get(name, p.mark)
            payment = -p.sign * p.size * price * rate + 0.0
            if not (math.isfinite(payment) and math.isfinite(p.margin + payment)
                    and math.isfinite(self._wallet + payment)):
                raise ValueError(f"rates: the funding payment of {name!r} would overflow "
                                 f"(size {p.size:g} × price {price:g} × rate {rate:g}); these "
                                 "magnitudes are beyond the float range")
            payments.append((p, price, rate, payment))
        t = self._advance(time)
        for p, price, rate, payment in payments:
            name = p.name
            self._totals["funding"] += payment
            if p.mode == "isolated":
                p.margin += payment
                self._log(t, "funding", name, 0.0, price, mode="isolated", rate=rate,
                          payment=payment, margin=p.margin)
            else:
                self._wallet += payment
                self._log(t, "funding", name, payment, price, mode="cross", rate=rate,
                          payment=payment)
        return self._check_liquidations(t)

    # ---- liquidation --------------------------------------------------------------------

    def _check_liquidations(self, t):
        first = len(self._events)
        for p in self._isolated():
            equity = _isolated_equity(margin=p.margin, signed_size=p.sign * p.size,
                                      price=p.mark, entry_price=p.entry)
            if _liquidated(equity=equity, maintenance=p.maintenance()):
                self._liquidate_isolated(p, t)
        cross = self._cross()
        if cross:
            equity = self._wallet + sum([p.sign * p.size * (p.mark - p.entry) for p in cross])
            maintenance = sum([p.maintenance() for p in cross])
            if _liquidated(equity=equity, maintenance=maintenance):
                self._liquidate_cross(cross, equity, maintenance, t)
        elif self._wallet < 0:
            self._settle_bad_debt(t, reason="negative wallet with no cross position")
        return tuple(self._events[first:])

    def _liquidate_isolated(self, p, t):
        price = p.mark
        pnl = p.upnl()
        equity = p.margin + pnl
        fee, returned, bad = _settle(equity, fee_cap=self._liquidation_fee_rate * p.size * price)
        del self._positions[p.name]
        self._wallet += returned
        self._totals["realized_pnl"] += pnl
        self._totals["liquidation_fees"] += fee
        self._totals["bad_debt"] += bad
        self._log(t, "liquidation", p.name, returned, price, mode="isolated", pnl=pnl,
                  fee=fee, margin=p.margin, equity=equity, maintenance=p.maintenance(),
                  bad_debt=bad)

    def _liquidate_cross(self, cross, equity, maintenance, t):
        fees = _cross_fees(equity,
                           fee_caps=[self._liquidation_fee_rate * p.size * p.mark for p in cross])
        for p, fee in zip(cross, fees):
            pnl = p.upnl()
            del self._positions[p.name]
            self._wallet += pnl - fee
            self._totals["realized_pnl"] += pnl
            self._totals["liquidation_fees"] += fee
            self._log(t, "liquidation", p.name, pnl - fee, p.mark, mode="cross", pnl=pnl,
                      fee=fee, cross_equity=equity, cross_maintenance=maintenance)
        if self._wallet < 0:
            self._settle_bad_debt(t, reason="cross liquidation")

    def _settle_bad_debt(self, t, reason):
        self._wallet, bad = _remainder(self._wallet)
        self._totals["bad_debt"] += bad
        self._log(t, "bad_debt", None, bad, None, mode="cross", bad_debt=bad, reason=reason)

    def copy(self):
        """An independent copy (for "what if" scenarios); the immutable events are shared."""
        new = object.__new__(Account)
        new.__dict__.update(self.__dict__)
        new._positions = {}
        for name, p in self._positions.items():
            q = object.__new__(_Position)
            for slot in _Position.__slots__:
                setattr(q, slot, getattr(p, slot))
            new._positions[name] = q
        new._known_keys = set(self._known_keys)
        new._events = list(self._events)
        new._totals = dict(self._totals)
        return new

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()

    def __repr__(self):
        names = ", ".join(f"{n} ({p.mode} {p.side})" for n, p in self._positions.items())
        return (f"Account(wallet={self._wallet:.6g}, equity={self.equity():.6g}, "
                f"positions=[{names}])")
