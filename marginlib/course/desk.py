"""The practice trading desk of notebook 08: an order ticket on top of the account engine.

:class:`Desk` is a small, deterministic trading venue for practice (no matplotlib, no
ipywidgets; :func:`marginlib.widgets.desk_widget` draws it). It holds

* a few **markets** (the course's AI-narrative tokens of notebook 04 and one new listing that
  trades *isolated only*), each with a mark price, a maximum leverage and the maintenance rate
  that goes with it;
* one :class:`marginlib.account.Account` (the engine: wallet, isolated and cross positions,
  marks, funding, liquidations — the settlement is the engine's, never re-done here);
* the **gas** paid per on-chain action, the **log** of every event (plain sentences) and the
  account's **history** (equity and marks over time, for the live figure).

Every request is checked first and carried out on a copy of the account, which replaces the
account only if every step succeeded: a refused request (``ValueError`` with a plain message)
leaves the desk exactly as it was, so every state the desk can reach is a valid one.

*Conservation.* Gas is paid out of the wallet, so the desk's cash identity is

    ``wallet + Σ isolated margins + fees + liquidation fees + gas
    = deposits + realised PnL + funding + bad debt``

(:meth:`Desk.conservation_error` returns the difference; 0 up to rounding).

The rules the scenarios use (assumptions of the course, named as such):

* **maintenance = half the initial margin at the maximum leverage**, ``m = 1/(2·L_max)``:
  Hyperliquid's rule (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers),
  which also gives dYdX v4's small-cap pair IMF 10 % / MMF 5 %
  (https://github.com/dydxprotocol/v4-documentation, ``docs/pages/concepts/trading/margin.mdx``);
* a venue that **cuts the maximum leverage** raises the maintenance rate of the positions
  already open on that market (the rule above applied to the new maximum,
  :class:`marginlib.parameter_risk.LeverageCut`); positions whose equity is then below the new
  maintenance are liquidated at once;
* trading fee 0.05 % taker and liquidation penalty 1.5 % of the notional: dYdX v4 small-cap
  (:mod:`marginlib.venues.dydx`); trades fill at the mark (no slippage on the desk);
* a **funding spike** of 0.5 % per hour for 8 hours, longs paying shorts: an assumption, far
  inside dYdX v4's cap of 600 % × (IMF − MMF) = 30 % per 8 hours on a small-cap market
  (:data:`marginlib.venues.dydx.FUNDING_CAP_MULTIPLIER`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from marginlib import _validation as v
from marginlib.account import Account
from marginlib.action_costs import NETWORKS, action_cost
from marginlib.parameter_risk import LeverageCut
from marginlib.course.contagion import HOLDINGS
from marginlib.venues import get_venue

__all__ = [
    "Desk",
    "Market",
    "Quote",
    "LogEntry",
    "MARKETS",
    "SCENARIOS",
    "SIDES",
    "MODES",
    "DEFAULT_NETWORK",
    "CRASH",
    "RALLY",
    "FUNDING_SPIKE_RATE",
    "FUNDING_SPIKE_HOURS",
    "LEVERAGE_CUT",
    "MARK_STEP",
    "PRICE_RANGE",
    "DEFAULT_DEPOSIT",
]

_VENUE = get_venue("dydx_v4_small_cap")

SIDES = ("long", "short")
MODES = ("isolated", "cross")


@dataclass(frozen=True)
class Market:
    """A market of the desk, as it stands now.

    Attributes
    ----------
    name : str
        The token (``"AGENT"``).
    price : float
        Mark price, USDC.
    max_leverage : float
        Largest leverage allowed for a new position.
    maintenance_margin_rate : float
        ``m = 1/(2·max_leverage)`` (Hyperliquid's rule; dYdX small-cap 10 % / 5 %).
    taker_fee_rate : float
        Trading fee, fraction of the notional.
    isolated_only : bool
        True for a market that refuses cross positions (a new listing).
    """

    name: str
    price: float
    max_leverage: float
    maintenance_margin_rate: float
    taker_fee_rate: float
    isolated_only: bool


def _market(name, price, max_leverage, isolated_only=False, taker_fee_rate=None):
    """A market whose maintenance rate follows its maximum leverage (``m = 1/(2·L_max)``,
    :class:`marginlib.parameter_risk.LeverageCut`)."""
    rule = LeverageCut(max_leverage=max_leverage)
    return Market(name, float(price), rule.max_leverage, rule.maintenance_margin_rate,
                  float(_VENUE.taker_fee_rate if taker_fee_rate is None else taker_fee_rate),
                  isolated_only)


#: The desk's markets at the start: notebook 04's three tokens (max 10×, maintenance 5 %,
#: dYdX v4 small-cap) and NEWAI, a new listing at 0.10 USDC, max 5×, isolated only (an
#: assumption, shaped like Hyperliquid's isolated-only listings).
MARKETS = tuple(_market(h.name, h.price, _VENUE.max_leverage) for h in HOLDINGS) + (
    _market("NEWAI", 0.10, 5.0, isolated_only=True),)

#: The network whose gas the desk charges by default (:data:`marginlib.action_costs.SCHEDULES`).
DEFAULT_NETWORK = "arbitrum"

#: "Crash a token": its price falls 40 % within the hour (the article: "one token crashing
#: 40 %"), marked in steps of :data:`MARK_STEP` of its price.
CRASH = -0.40
#: "Rally": the token rises 30 % within the hour (the article: "a token 30 % in minutes").
RALLY = 0.30
#: A crash or rally is marked every 0.5 % of the starting price (a venue marks continuously).
MARK_STEP = 0.005
#: "Funding spike": 0.5 % of the notional per hour, longs pay shorts ...
FUNDING_SPIKE_RATE = 0.005
#: ... for 8 hourly payments.
FUNDING_SPIKE_HOURS = 8
#: "The venue cuts max leverage": the market's maximum leverage is multiplied by 0.4
#: (10× → 4×), its maintenance rate becomes ``1/(2·new max)`` (5 % → 12.5 %).
LEVERAGE_CUT = 0.4
#: Prices a crash or rally may reach, USDC (keeps every number on the desk well inside the
#: float range however many times the buttons are pressed).
PRICE_RANGE = (1e-6, 1e6)
#: Scenario names accepted by :meth:`Desk.apply_scenario`.
SCENARIOS = ("crash", "rally", "funding spike", "leverage cut")
#: The desk's opening deposit, USDC.
DEFAULT_DEPOSIT = 1_000.0


@dataclass(frozen=True)
class Quote:
    """What the order ticket shows before you confirm.

    Attributes
    ----------
    market, side, mode : str
    margin, leverage : float
        As entered (cross: ``margin`` is the initial margin the position adds).
    size, notional, entry_price : float
        ``size = margin·leverage/price``, ``notional = size·price``.
    liquidation_price : float
        Estimated liquidation price right after opening (the engine's
        :meth:`marginlib.account.Account.liquidation_price`; for cross, the other cross
        positions held at their marks). 0 when no positive price liquidates it.
    fee, gas : float
        Trading fee ``taker·notional`` and gas, USDC.
    from_wallet : float
        What leaves the wallet: ``margin + fee + gas`` (isolated), ``fee + gas`` (cross).
    maintenance_margin_rate : float
    """

    market: str
    side: str
    mode: str
    margin: float
    leverage: float
    size: float
    notional: float
    entry_price: float
    liquidation_price: float
    fee: float
    gas: float
    from_wallet: float
    maintenance_margin_rate: float

    @property
    def distance(self):
        """Fraction the price can move against the position before liquidation."""
        return abs(self.entry_price - self.liquidation_price) / self.entry_price


@dataclass(frozen=True)
class LogEntry:
    """One line of the desk's log.

    Attributes
    ----------
    time : float
        Hours since the desk opened.
    kind : str
        ``deposit``, ``open``, ``add_margin``, ``close``, ``switch``, ``scenario``,
        ``funding``, ``liquidation`` or ``bad_debt``.
    position : str or None
    amount : float
        Cash into (+) or out of (−) the wallet with this entry, USDC (0 for a scenario).
    text : str
        A plain sentence.
    price : float or None
        The price of a trade or a liquidation (``None`` for other entries).
    """

    time: float
    kind: str
    position: object
    amount: float
    text: str
    price: object = None


def _number(name, value, check=v.positive):
    return v.single_number(name, value, check)


def _choice(name, value, options):
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, "
                         f"got {value!r}")
    return value


def _fmt(x):
    return f"{x:,.2f}"


class Desk:
    """A practice trading desk: markets, one account, gas, scenarios, a log.

    Parameters
    ----------
    deposit : float, optional
        USDC put in the wallet at the start, > 0 (default 1,000).
    network : str, optional
        Whose gas each open, add-margin and close pays: a name of
        :data:`marginlib.action_costs.NETWORKS` (default ``"arbitrum"``; ``"dydx"`` and
        ``"hyperliquid"`` charge none). The desk pays it from the USDC wallet (on-chain it is
        paid in the native token; the schedules are in USD).

    Notes
    -----
    Methods that change the desk either succeed entirely or raise ``ValueError`` with a
    plain message and change nothing. The engine is :class:`marginlib.account.Account`
    (liquidated when equity is strictly below maintenance; isolated positions first, then the
    cross account); the liquidation penalty is dYdX v4's 1.5 %.

    References
    ----------
    .. [1] Hyperliquid docs, Margin tiers (maintenance margin is half the initial margin at
       max leverage), https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers
    .. [2] dYdX v4 docs, Margin (small-cap IMF 10 %, MMF 5 %) and fees,
       https://github.com/dydxprotocol/v4-documentation/blob/3e475b73231a5de7e5a8a55c54047d94578060e5/docs/pages/concepts/trading/margin.mdx

    Examples
    --------
    >>> desk = Desk()
    >>> q = desk.quote("AGENT", "long", mode="isolated", margin=100, leverage=10)
    >>> round(q.size), round(q.liquidation_price, 4), round(q.fee, 2)
    (400, 2.3684, 0.5)
    >>> name = desk.open("AGENT", "long", mode="isolated", margin=100, leverage=10)
    >>> name, round(desk.account_summary()["wallet"], 2)
    ('AGENT #1', 899.47)
    >>> abs(desk.conservation_error()) < 1e-9
    True
    """

    def __init__(self, deposit=DEFAULT_DEPOSIT, *, network=DEFAULT_NETWORK):
        deposit = _number("deposit", deposit)
        self._network = _choice("network", network, NETWORKS)
        self._account = Account(deposit, liquidation_fee_rate=_VENUE.liquidation_fee_rate)
        self._markets = {m.name: m for m in MARKETS}
        self._traded = set()        # tokens the account knows (it can mark them)
        self._deposit_gas = 0.0     # gas of top-ups, paid before the cash reaches the account
        self._count = 0
        self._log = [LogEntry(0.0, "deposit", None, deposit,
                              f"Deposited {_fmt(deposit)} USDC into the wallet.")]
        self._history = []
        self._record()

    # ---- reading ------------------------------------------------------------------------

    @property
    def markets(self):
        """The markets now: a dict name → :class:`Market`."""
        return dict(self._markets)

    @property
    def account(self):
        """A copy of the engine's :class:`~marginlib.account.Account` (changing it changes
        nothing on the desk)."""
        return self._account.copy()

    @property
    def network(self):
        """The network whose gas the desk charges."""
        return self._network

    def gas(self, action):
        """Gas of one ``action`` (``"open"``, ``"add_margin"`` or ``"close"``) now, USDC."""
        return self._gas(_choice("action", action, ("open", "add_margin", "close")))

    @property
    def time(self):
        """Hours since the desk opened."""
        return self._account.time

    @property
    def log(self):
        """Every event so far, oldest first: a list of :class:`LogEntry`."""
        return list(self._log)

    @property
    def history(self):
        """``(time, equity, {market: price})`` after each change, oldest first."""
        return [(t, e, dict(p)) for t, e, p in self._history]

    @property
    def positions(self):
        """Names of the open positions, in opening order."""
        return list(self._account.positions)

    @property
    def gas_paid(self):
        """Gas paid so far, USDC: the engine's withdrawals (the desk withdraws only gas) plus
        the gas of top-ups."""
        return self._account.totals.withdrawals + self._deposit_gas

    def blotter(self):
        """One dict per open position: the blotter's rows.

        Keys: ``position, market, side, mode, size, entry, mark, leverage, margin`` (isolated;
        ``None`` for cross), ``unrealized_pnl, liquidation_price, maintenance_margin_rate``.
        """
        rows = []
        for name, p in self._account.positions.items():
            rows.append(dict(
                position=name, market=p.token, side=p.side, mode=p.mode, size=p.size,
                entry=p.entry_price, mark=p.mark_price, leverage=p.leverage, margin=p.margin,
                unrealized_pnl=p.unrealized_pnl,
                liquidation_price=self._account.liquidation_price(name),
                maintenance_margin_rate=p.maintenance_margin_rate))
        return rows

    def account_summary(self):
        """The account panel: a dict of USDC amounts.

        ``wallet, isolated_margin, unrealized_pnl, equity`` (= wallet + isolated margins +
        UPNL), ``deposits`` (what was sent, top-up gas included), ``fees, liquidation_fees,
        gas, funding, realized_pnl, bad_debt``,
        ``conservation_error`` and ``open_positions`` (a count).
        """
        acct = self._account
        tot = acct.totals
        positions = acct.positions.values()
        margins = sum((p.margin for p in positions if p.mode == "isolated"), 0.0)
        upnl = sum((p.unrealized_pnl for p in positions), 0.0)
        return dict(wallet=acct.wallet, isolated_margin=margins, unrealized_pnl=upnl,
                    equity=acct.equity(), deposits=tot.deposits + self._deposit_gas,
                    fees=tot.fees,
                    liquidation_fees=tot.liquidation_fees, gas=self.gas_paid,
                    funding=tot.funding, realized_pnl=tot.realized_pnl, bad_debt=tot.bad_debt,
                    conservation_error=self.conservation_error(),
                    open_positions=len(acct.positions))

    def conservation_error(self):
        """``wallet + Σ margins + fees + liquidation fees + gas − (deposits + realised PnL +
        funding + bad debt)``: 0 up to rounding (nothing created or lost)."""
        acct = self._account
        tot = acct.totals
        held = acct.wallet + sum(p.margin for p in acct.positions.values()
                                 if p.mode == "isolated")
        paid = tot.fees + tot.liquidation_fees + self.gas_paid
        came = tot.deposits + self._deposit_gas  # what the trader sent, gas included
        return held + paid - (came + tot.realized_pnl + tot.funding + tot.bad_debt)

    # ---- the order ticket ---------------------------------------------------------------

    def _get_market(self, market):
        if not isinstance(market, str) or market not in self._markets:
            raise ValueError(f"market must be one of {', '.join(self._markets)}, "
                             f"got {market!r}")
        return self._markets[market]

    def _check_order(self, market, side, mode, margin, leverage):
        m = self._get_market(market)
        side = _choice("side", side, SIDES)
        mode = _choice("mode", mode, MODES)
        margin = _number("margin", margin)
        leverage = _number("leverage", leverage, v.leverage_value)
        if leverage > m.max_leverage * (1 + 1e-12):
            raise ValueError(f"leverage: {market} allows at most {m.max_leverage:g}×, "
                             f"got {leverage:g}×")
        if mode == "cross" and m.isolated_only:
            raise ValueError(f"mode: {market} is a new listing that trades isolated only; "
                             "choose Isolated")
        size = margin * leverage / m.price
        if not math.isfinite(size) or not math.isfinite(size * m.price * m.taker_fee_rate):
            raise ValueError(f"margin: {margin:g} USDC is too large for this desk")
        return m, side, mode, margin, leverage

    def _gas(self, action):
        return action_cost(self._network, action)

    def _pay_gas(self, acct, action, what):
        gas = self._gas(action)
        if gas <= 0:  # gas-less venues (dYdX v4, Hyperliquid)
            return 0.0
        if acct.withdrawable() < gas:
            raise ValueError(f"{what} refused: the gas ({_fmt(gas)} USDC) cannot be paid, the "
                             f"wallet can spare {_fmt(acct.withdrawable())} USDC; deposit more")
        acct.withdraw(gas)
        return gas

    def _open_on(self, acct, m, side, mode, margin, leverage, name):
        gas = self._pay_gas(acct, "open", "open")
        acct.open(name, side, margin=margin, leverage=leverage, price=m.price, mode=mode,
                  maintenance_margin_rate=m.maintenance_margin_rate,
                  taker_fee_rate=m.taker_fee_rate, token=m.name)
        return gas

    def quote(self, market, side, *, mode, margin, leverage):
        """The ticket's estimate for an order, without placing it.

        Parameters
        ----------
        market : str
            One of :attr:`markets`.
        side : {"long", "short"}
        mode : {"isolated", "cross"}
        margin : float
            USDC, > 0 (cross: the initial margin the position adds to the account).
        leverage : float
            >= 1 and at most the market's maximum leverage.

        Returns
        -------
        Quote

        Raises
        ------
        ValueError
            Bad input, or an order the desk would refuse (not enough in the wallet for
            margin, fee and gas; cross on an isolated-only market).
        """
        m, side, mode, margin, leverage = self._check_order(market, side, mode, margin,
                                                            leverage)
        trial = self._account.copy()
        name = "__quote__"
        gas = self._open_on(trial, m, side, mode, margin, leverage, name)
        p = trial.positions[name]
        fee = p.size * m.price * m.taker_fee_rate
        out = (margin if mode == "isolated" else 0.0) + fee + gas
        return Quote(m.name, side, mode, margin, leverage, p.size, p.size * m.price, m.price,
                     trial.liquidation_price(name), fee, gas, out, m.maintenance_margin_rate)

    # ---- actions ------------------------------------------------------------------------

    def _commit(self, acct, entries, deposit_gas=0.0):
        """Replace the account by ``acct`` and add ``entries`` and the engine's new events."""
        self._account = acct
        self._deposit_gas += deposit_gas
        self._log.extend(entries)
        self._record()

    def _engine_entries(self, acct, first):
        """Log entries for the liquidations and bad debt among ``acct.events[first:]``."""
        out = []
        for e in acct.events[first:]:
            if e.kind == "liquidation":
                d = e.details
                out.append(LogEntry(e.time, "liquidation", e.position, e.amount,
                                    f"LIQUIDATED {e.position} ({d['mode']}) at {e.price:.4g}: "
                                    f"PnL {_fmt(d['pnl'])}, penalty {_fmt(d['fee'])}, "
                                    f"{_fmt(e.amount)} back to the wallet.", e.price))
            elif e.kind == "bad_debt":
                out.append(LogEntry(e.time, "bad_debt", e.position, e.amount,
                                    f"Bad debt {_fmt(e.details['bad_debt'])} USDC covered by "
                                    "the venue's insurance fund."))
        return out

    def _next_name(self, market):
        self._count += 1
        return f"{market} #{self._count}"

    def deposit(self, amount):
        """Top up the account with ``amount`` USDC (> its gas): ``amount − gas`` reaches the
        wallet.

        A top-up is one on-chain action priced like an add-margin
        (:func:`marginlib.action_costs.positions_cost` counts a cross top-up so); its gas is
        paid on the way in. The opening deposit of :class:`Desk` is free (the bridge's one-off
        cost is left out, as in :mod:`marginlib.action_costs`)."""
        amount = _number("amount", amount)
        gas = self._gas("add_margin")
        if amount <= gas:
            raise ValueError(f"amount: a deposit must exceed its gas ({_fmt(gas)} USDC), got "
                             f"{amount:g}")
        acct = self._account.copy()
        acct.deposit(amount - gas)
        self._commit(acct, [LogEntry(acct.time, "deposit", None, amount - gas,
                                     f"Deposited {_fmt(amount)} USDC (gas {_fmt(gas)}).")],
                     deposit_gas=gas)

    def open(self, market, side, *, mode, margin, leverage):
        """Place the order of :meth:`quote`; returns the new position's name (``"AGENT #1"``)."""
        m, side, mode, margin, leverage = self._check_order(market, side, mode, margin,
                                                            leverage)
        acct = self._account.copy()
        first = len(acct.events)
        name = f"{m.name} #{self._count + 1}"
        gas = self._open_on(acct, m, side, mode, margin, leverage, name)
        p = acct.positions[name]
        fee = p.size * m.price * m.taker_fee_rate
        out = (margin if mode == "isolated" else 0.0) + fee + gas
        entry = LogEntry(acct.time, "open", name, -out,
                         f"Opened {name}: {side} {p.size:,.4g} {m.name} at {m.price:.4g}, "
                         f"{mode}, {leverage:g}×, margin {_fmt(margin)}; fee {_fmt(fee)}, "
                         f"gas {_fmt(gas)}; liquidation at "
                         f"{acct.liquidation_price(name):.4g}.", m.price)
        self._count += 1
        self._traded.add(m.name)
        self._commit(acct, [entry] + self._engine_entries(acct, first))
        return name

    def _get_position(self, position):
        if not isinstance(position, str) or position not in self._account.positions:
            raise ValueError(f"position must be an open position, one of "
                             f"{list(self._account.positions) or 'none open'}; got {position!r}")
        return self._account.positions[position]

    def add_margin(self, position, *, amount):
        """Move ``amount`` USDC (> 0) from the wallet into isolated ``position`` (pays gas).

        The entry price stays; the liquidation price moves away from the mark."""
        p = self._get_position(position)
        amount = _number("amount", amount)
        if p.mode != "isolated":
            raise ValueError(f"position: {position} is cross; it already draws on the whole "
                             "wallet (deposit to add collateral)")
        acct = self._account.copy()
        before = acct.liquidation_price(position)
        gas = self._pay_gas(acct, "add_margin", "add margin")
        acct.add_margin(position, amount=amount)
        entry = LogEntry(acct.time, "add_margin", position, -(amount + gas),
                         f"Added {_fmt(amount)} USDC to {position} (gas {_fmt(gas)}): "
                         f"liquidation {before:.4g} → {acct.liquidation_price(position):.4g}, "
                         f"entry still {p.entry_price:.4g}.")
        self._commit(acct, [entry])

    def _close_on(self, acct, position):
        p = acct.positions[position]
        event = acct.close(position, price=p.mark_price)
        gas = self._pay_gas(acct, "close", "close")
        return p, event, gas

    def close(self, position):
        """Close ``position`` at its mark, paying the taker fee and gas."""
        self._get_position(position)
        acct = self._account.copy()
        first = len(acct.events)
        p, e, gas = self._close_on(acct, position)
        entry = LogEntry(acct.time, "close", position, e.amount - gas,
                         f"Closed {position} at {p.mark_price:.4g}: PnL "
                         f"{_fmt(e.details['pnl'])}, fee {_fmt(e.details['fee'])}, gas "
                         f"{_fmt(gas)}.", p.mark_price)
        self._commit(acct, [entry] + self._engine_entries(acct, first))

    def switch_cost(self, position):
        """Fees + gas of :meth:`switch_mode` for ``position`` now (close and reopen), USDC."""
        p = self._get_position(position)
        m = self._markets[p.token]
        return (2 * p.size * p.mark_price * m.taker_fee_rate
                + self._gas("close") + self._gas("open"))

    def switch_mode(self, position):
        """Close ``position`` and reopen the same size, side and leverage in the other mode.

        Venues do not convert a position in place: the switch pays two taker fees and two
        gas payments, and the new position's entry is the current mark (the PnL so far is
        realised). Returns the new position's name.
        """
        p = self._get_position(position)
        m = self._markets[p.token]
        mode = "cross" if p.mode == "isolated" else "isolated"
        if mode == "cross" and m.isolated_only:
            raise ValueError(f"position: {m.name} trades isolated only; it cannot be switched "
                             "to cross")
        if p.leverage > m.max_leverage * (1 + 1e-12):
            raise ValueError(f"position: {position} was opened at {p.leverage:g}×, above "
                             f"{m.name}'s maximum now ({m.max_leverage:g}×); close it instead")
        acct = self._account.copy()
        first = len(acct.events)
        _, closed, gas_close = self._close_on(acct, position)
        margin = p.size * p.mark_price / p.leverage
        name = f"{m.name} #{self._count + 1}"
        try:
            gas_open = self._open_on(acct, m, p.side, mode, margin, p.leverage, name)
        except ValueError as exc:
            raise ValueError(f"switch refused: the reopening fails ({exc})") from None
        fees = closed.details["fee"] + acct.positions[name].size * m.price * m.taker_fee_rate
        cost = fees + gas_close + gas_open
        entry = LogEntry(acct.time, "switch", name, acct.wallet - self._account.wallet,
                         f"Switched {position} to {mode} as {name}: closed and reopened at "
                         f"{p.mark_price:.4g} (PnL {_fmt(closed.details['pnl'])} realised); "
                         f"cost {_fmt(cost)} = fees {_fmt(fees)} + gas "
                         f"{_fmt(gas_close + gas_open)}.")
        self._count += 1
        self._commit(acct, [entry] + self._engine_entries(acct, first))
        return name

    # ---- scenarios ----------------------------------------------------------------------

    def apply_scenario(self, name, *, market="AGENT"):
        """Advance time with one scenario on ``market``; liquidates what must be.

        ``"crash"``: the price falls 40 % within the hour; ``"rally"``: +30 % within the hour
        (both marked every 0.5 % of the starting price); ``"funding spike"``: 8 hourly
        payments of 0.5 % of the notional, longs pay shorts; ``"leverage cut"``: the venue
        multiplies the market's maximum leverage by 0.4 and raises the maintenance rate of
        new and open positions to ``1/(2·new max)`` (1 hour).
        """
        name = _choice("name", name, SCENARIOS)
        m = self._get_market(market)
        acct = self._account.copy()
        first = len(acct.events)
        t0 = acct.time
        known = m.name in self._traded
        entries = []
        if name in ("crash", "rally"):
            move = CRASH if name == "crash" else RALLY
            if not PRICE_RANGE[0] <= m.price * (1 + move) <= PRICE_RANGE[1]:
                raise ValueError(f"{m.name} is at {m.price:.4g} USDC; the desk keeps prices "
                                 f"between {PRICE_RANGE[0]:g} and {PRICE_RANGE[1]:g}, so this "
                                 f"{name} is not available (try the other direction)")
            n = int(round(abs(move) / MARK_STEP))
            for k in range(1, n + 1):
                price = m.price * (1 + move * k / n)
                if known:
                    acct.mark({m.name: price}, time=t0 + k / n)
            new = _market(m.name, m.price * (1 + move), m.max_leverage, m.isolated_only,
                          m.taker_fee_rate)
            text = (f"{'CRASH' if move < 0 else 'RALLY'}: {m.name} {100 * move:+.0f} % within "
                    f"the hour, {m.price:.4g} → {new.price:.4g}.")
            t_end = t0 + 1.0
        elif name == "funding spike":
            new = m
            paid = {}
            for h in range(1, FUNDING_SPIKE_HOURS + 1):
                if known:
                    n_ev = len(acct.events)
                    acct.apply_funding({m.name: FUNDING_SPIKE_RATE}, time=t0 + h)
                    for e in acct.events[n_ev:]:
                        if e.kind == "funding":
                            paid[e.position] = paid.get(e.position, 0.0) + e.details["payment"]
            text = (f"FUNDING SPIKE on {m.name}: {100 * FUNDING_SPIKE_RATE:g} % of the notional "
                    f"per hour for {FUNDING_SPIKE_HOURS} h, longs pay shorts.")
            for pos, amount in paid.items():
                entries.append((pos, amount))
            t_end = t0 + FUNDING_SPIKE_HOURS
        else:  # leverage cut
            new_max = max(1.0, m.max_leverage * LEVERAGE_CUT)
            new = _market(m.name, m.price, new_max, m.isolated_only, m.taker_fee_rate)
            if any(p.token == m.name for p in acct.positions.values()):
                # The venue's rule change applies to open positions too; the engine liquidates
                # what is now below maintenance (at the unchanged marks).
                acct.set_maintenance_rate(
                    m.name, maintenance_margin_rate=new.maintenance_margin_rate, time=t0 + 1.0)
            text = (f"LEVERAGE CUT on {m.name}: max leverage {m.max_leverage:g}× → {new_max:g}×, "
                    f"maintenance {100 * m.maintenance_margin_rate:g} % → "
                    f"{100 * new.maintenance_margin_rate:g} % for new and open positions.")
            t_end = t0 + 1.0
        if acct.time < t_end:
            acct.mark({}, time=t_end)  # the clock moves even with nothing to mark
        log = [LogEntry(t0, "scenario", None, 0.0, text)]
        log += [LogEntry(t_end, "funding", pos, 0.0,
                         f"Funding on {pos}: {'received' if amount >= 0 else 'paid'} "
                         f"{_fmt(abs(amount))} USDC over {FUNDING_SPIKE_HOURS} h.")
                for pos, amount in entries]
        log += self._engine_entries(acct, first)
        self._markets[m.name] = new
        self._commit(acct, log)

    def _record(self):
        self._history.append((self._account.time, self._account.equity(),
                              {k: m.price for k, m in self._markets.items()}))
