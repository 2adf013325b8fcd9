"""What each action costs on-chain: open, add margin, close, and switching isolated → cross.

A trade costs a **trading fee** (a rate times the notional, :mod:`marginlib.costs`) and, on a
blockchain venue, a **network cost** per action that does not depend on the size:

* **Ethereum L1 / an L2 (Arbitrum, Base)**: the user's transaction pays gas,
  ``cost = gas units × gas price × native-token price`` (:func:`gas_cost`) [1]_ [2]_.
* **GMX v2** (on Arbitrum): an order is created by the user and executed by a keeper; the user
  prepays an *execution fee* in ETH, ``(base gas + gas limit of the order × multiplier) ×
  gas price``, and the unused part is refunded [3]_.
* **dYdX v4** (an app-chain): placing and cancelling orders pays no gas; trading fees only [4]_.
* **Hyperliquid** (HyperCore): no gas for orders; trading fees only [5]_.

A network's costs are one :class:`GasSchedule` (a validated, frozen record with its source and
date). The presets in :data:`SCHEDULES` are **dated examples**: gas prices and the ETH price
move by an order of magnitude within a day, so recompute them (:func:`gas_schedule`) with the
numbers of the day you trade, or ``dataclasses.replace`` a preset.

* :func:`action_cost` — the network cost of one action;
* :func:`positions_cost` — N positions isolated (one margin account each) or in one cross
  account: which actions each needs, and their network cost;
* :func:`switch_to_cross` — moving an isolated position to cross margin is a close and a
  reopen: fees, slippage, gas, and the new liquidation price, computed.

References
----------
.. [1] Ethereum.org, "Gas and fees" (fee = gas units × (base fee + priority fee)),
   https://ethereum.org/en/developers/docs/gas/
.. [2] Arbitrum docs, "Gas and fees",
   https://docs.arbitrum.io/how-arbitrum-works/gas-fees ; Base docs, "Network fees",
   https://docs.base.org/base-chain/network-information/network-fees
.. [3] GMX docs, "Trading" — execution fee / network fee (excess refunded),
   https://docs.gmx.io/docs/trading/v2 ; ``gmx-synthetics`` ``contracts/gas/GasUtils.sol``
   (``adjustGasLimitForEstimate``: base amount + gas limit × multiplier factor) and
   ``config/general.ts`` (the gas limits),
   https://github.com/gmx-io/gmx-synthetics/blob/main/contracts/gas/GasUtils.sol
.. [4] dYdX v4 chain, ``protocol/app/ante.go`` (order placement and cancellation messages
   skip the fee deduction), https://github.com/dydxprotocol/v4-chain/blob/main/protocol/app/ante.go
.. [5] Hyperliquid docs, "Exchange endpoint" (orders and margin updates are signed actions,
   no gas) and "Fees",
   https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/exchange-endpoint
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from . import _validation as v
from .liquidation import _clip_at_zero, _raw_liquidation_price

__all__ = [
    "ACTIONS",
    "MARGIN_MODES",
    "GasSchedule",
    "gas_cost",
    "gas_schedule",
    "SCHEDULES",
    "NETWORKS",
    "action_cost",
    "PositionsCost",
    "positions_cost",
    "SwitchCost",
    "switch_to_cross",
]

#: The actions a :class:`GasSchedule` prices.
ACTIONS = ("open", "add_margin", "close")

#: Margin modes compared by :func:`positions_cost`.
MARGIN_MODES = ("isolated", "cross")

_TEXT_FIELDS = ("network", "unit", "source", "as_of", "note")


@dataclass(frozen=True)
class GasSchedule:
    """The network cost of each action on one network (a dated, sourced example).

    Fields are validated when the record is built, also through ``dataclasses.replace``.

    Attributes
    ----------
    network : str
        Short name (``"arbitrum"``).
    open, add_margin, close : float
        Cost of opening a position, adding margin to it (or depositing into a cross
        account), and closing it, in ``unit``; each >= 0.
    unit : str
        Currency of the costs (``"USD"``).
    source : str
        Where the numbers come from (URLs).
    as_of : str
        Date of the numbers.
    note : str
        How they were computed and what they leave out.

    Examples
    --------
    >>> import dataclasses
    >>> s = GasSchedule("mine", open=1.0, add_margin=0.5, close=1.0)
    >>> dataclasses.replace(s, close=-1.0)
    Traceback (most recent call last):
    ...
    ValueError: close must be >= 0, got -1.0
    """

    network: str
    open: float
    add_margin: float
    close: float
    unit: str = "USD"
    source: str = ""
    as_of: str = ""
    note: str = ""

    def __post_init__(self):
        for label in _TEXT_FIELDS:
            if not isinstance(getattr(self, label), str):
                raise ValueError(f"{label} must be a string, got {getattr(self, label)!r}")
        if not self.network:
            raise ValueError("network must be a non-empty string, got ''")
        for label in ACTIONS:
            object.__setattr__(self, label,
                               v.single_number(label, getattr(self, label), v.nonnegative))

    def cost(self, action):
        """Cost of ``action`` (one of :data:`ACTIONS`) in ``unit``."""
        return getattr(self, _action(action))


def _action(action):
    if not isinstance(action, str) or action not in ACTIONS:
        raise ValueError(f"action must be one of {ACTIONS}, got {action!r}")
    return action


def gas_cost(*, gas_units, gas_price_gwei, native_price):
    """Cost of a transaction: gas units × gas price × price of the native token.

    Parameters
    ----------
    gas_units : float or array_like
        Gas the transaction uses (or, for a keeper-executed order, the gas limit the
        execution fee is computed for), >= 0.
    gas_price_gwei : float or array_like
        Gas price in gwei (1 gwei = 1e-9 ETH), >= 0: base fee + priority fee on Ethereum.
    native_price : float or array_like
        Price of the native token (ETH) in the quote currency, > 0.

    Returns
    -------
    float or ndarray
        ``gas_units · gas_price_gwei · 1e-9 · native_price``, quote currency.

    Notes
    -----
    On an optimistic rollup (Arbitrum, Base) the fee also carries a share of the L1 data cost
    of the batch; fold it into ``gas_price_gwei`` or ``gas_units`` if you have it.

    References
    ----------
    .. [1] Ethereum.org, "Gas and fees", https://ethereum.org/en/developers/docs/gas/

    Examples
    --------
    A 21,000-gas transfer at 20 gwei with ETH at 2,000 USD costs 0.84 USD:

    >>> round(gas_cost(gas_units=21_000, gas_price_gwei=20, native_price=2_000), 6)
    0.84
    """
    units = v.nonnegative("gas_units", gas_units)
    gwei = v.nonnegative("gas_price_gwei", gas_price_gwei)
    price = v.positive("native_price", native_price)
    v.broadcast(gas_units=units, gas_price_gwei=gwei, native_price=price)
    with np.errstate(all="ignore"):
        out = units * gwei * 1e-9 * price
    return v.result(out, gas_units=units, gas_price_gwei=gwei, native_price=price)


def gas_schedule(network, *, open_gas, add_margin_gas, close_gas, gas_price_gwei, native_price,
                 source="", as_of="", note=""):
    """A :class:`GasSchedule` from gas units per action, a gas price and the ETH price.

    Parameters
    ----------
    network : str
        Name of the network.
    open_gas, add_margin_gas, close_gas : float
        Gas units of each action, >= 0.
    gas_price_gwei : float
        Gas price in gwei, >= 0.
    native_price : float
        Native-token price in USD, > 0.
    source, as_of, note : str, optional
        Citation, date and how the numbers were obtained.

    Returns
    -------
    GasSchedule
        In USD, each action priced by :func:`gas_cost`.

    References
    ----------
    .. [1] Ethereum.org, "Gas and fees", https://ethereum.org/en/developers/docs/gas/

    Examples
    --------
    >>> s = gas_schedule("l1", open_gas=300_000, add_margin_gas=100_000, close_gas=300_000,
    ...                  gas_price_gwei=10, native_price=3_000)
    >>> round(s.open, 6), round(s.add_margin, 6)
    (9.0, 3.0)
    """
    costs = {}
    for label, units in (("open", open_gas), ("add_margin", add_margin_gas),
                         ("close", close_gas)):
        costs[label] = gas_cost(gas_units=v.single_number(f"{label}_gas", units, v.nonnegative),
                                gas_price_gwei=v.single_number("gas_price_gwei", gas_price_gwei,
                                                               v.nonnegative),
                                native_price=v.single_number("native_price", native_price,
                                                             v.positive))
    return GasSchedule(network, unit="USD", source=source, as_of=as_of, note=note, **costs)


# ---------------------------------------------------------------------------------------------
# Dated examples (change them: gas prices move within the hour)
# ---------------------------------------------------------------------------------------------

#: ETH price used by the presets (USD), and its date: an assumption, not a quote.
_ETH_USD = 3_000.0
_AS_OF = "2025-12 (example)"

_GAS_DOCS = "https://ethereum.org/en/developers/docs/gas/"

SCHEDULES = MappingProxyType({
    "ethereum": gas_schedule(
        "ethereum", open_gas=300_000, add_margin_gas=80_000, close_gas=300_000,
        gas_price_gwei=2.0, native_price=_ETH_USD, as_of=_AS_OF,
        source=_GAS_DOCS + " ; gas price from an Etherscan gas tracker reading, "
        "https://etherscan.io/gastracker",
        note="Example: a perp order as one contract call (~300k gas, several storage writes "
             "and an oracle read), a margin top-up ~80k gas (an ERC-20 transfer plus a "
             "storage update); 2 gwei and ETH = 3,000 USD are assumptions of the date."),
    "arbitrum": gas_schedule(
        "arbitrum", open_gas=1_000_000, add_margin_gas=300_000, close_gas=1_000_000,
        gas_price_gwei=0.01, native_price=_ETH_USD, as_of=_AS_OF,
        source="https://docs.arbitrum.io/how-arbitrum-works/gas-fees ; "
               "https://arbiscan.io/gastracker",
        note="Example: Arbitrum gas units are larger than L1's for the same call (the L1 "
             "data cost is charged as extra L2 gas); 0.01 gwei and ETH = 3,000 USD assumed."),
    "base": gas_schedule(
        "base", open_gas=400_000, add_margin_gas=120_000, close_gas=400_000,
        gas_price_gwei=0.01, native_price=_ETH_USD, as_of=_AS_OF,
        source="https://docs.base.org/base-chain/network-information/network-fees ; "
               "https://basescan.org/gastracker",
        note="Example: L2 execution gas plus an L1 data fee folded into the gas price; "
             "0.01 gwei and ETH = 3,000 USD assumed."),
    "gmx": gas_schedule(
        "gmx", open_gas=4_500_000, add_margin_gas=4_500_000, close_gas=5_500_000,
        gas_price_gwei=0.01, native_price=_ETH_USD, as_of=_AS_OF,
        source="https://github.com/gmx-io/gmx-synthetics/blob/"
               "ec1c5e4ba6cb20e5f5ff7323ff85fd976bc44580/config/general.ts ; "
               "https://github.com/gmx-io/gmx-synthetics/blob/main/contracts/gas/GasUtils.sol",
        note="Keeper execution fee on Arbitrum, prepaid in ETH, excess refunded: "
             "(estimatedGasFeeBaseAmount 500,000 + order gas limit × multiplier 1) × gas "
             "price, with increaseOrderGasLimit 4,000,000 (an open, and a collateral "
             "deposit, which is an increase order of size 0) and decreaseOrderGasLimit "
             "4,000,000 + singleSwapGasLimit 1,000,000 (a close) from gmx-synthetics "
             "config/general.ts; 0.01 gwei (near the Arbitrum One floor) and ETH = 3,000 USD "
             "assumed; the user's own createOrder transaction is left out."),
    "dydx": GasSchedule(
        "dydx", open=0.0, add_margin=0.0, close=0.0, as_of="2025",
        source="https://github.com/dydxprotocol/v4-chain/blob/main/protocol/app/ante.go",
        note="dYdX v4 app-chain: order placement and cancellation messages go through the "
             "CLOB ante handler, which deducts no fee (free infinite gas); trading fees "
             "only. A transfer of USDC between subaccounts (isolated margin) is an ordinary "
             "transaction with a small fee, set here to 0: change it if you know it."),
    "hyperliquid": GasSchedule(
        "hyperliquid", open=0.0, add_margin=0.0, close=0.0, as_of="2025",
        source="https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/"
               "exchange-endpoint ; "
               "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/fees",
        note="HyperCore: orders and margin updates are signed actions sent to the exchange "
             "endpoint, with no gas (trading fees only); the bridge deposit/withdrawal fee "
             "is a one-off cost not counted here."),
})

#: The networks of :data:`SCHEDULES`, in table order.
NETWORKS = tuple(SCHEDULES)


def _schedule(network):
    if isinstance(network, GasSchedule):
        return network
    if isinstance(network, str) and network in SCHEDULES:
        return SCHEDULES[network]
    raise ValueError(f"network must be one of {NETWORKS} or a GasSchedule, got {network!r}")


def action_cost(network, action):
    """Network cost of one action on one network.

    Parameters
    ----------
    network : str or GasSchedule
        A name of :data:`NETWORKS` (``"ethereum"``, ``"arbitrum"``, ``"base"``, ``"gmx"``,
        ``"dydx"``, ``"hyperliquid"``) or your own :class:`GasSchedule`.
    action : {"open", "add_margin", "close"}

    Returns
    -------
    float
        The cost in the schedule's unit (USD for the presets).

    References
    ----------
    .. [1] See the ``source`` of the schedule (``SCHEDULES[network].source``).

    Examples
    --------
    >>> action_cost("dydx", "open")
    0.0
    >>> action_cost("ethereum", "open") > action_cost("arbitrum", "open")
    True
    """
    return float(_schedule(network).cost(action))


@dataclass(frozen=True)
class PositionsCost:
    """Network cost of running ``positions`` positions in one margin mode.

    Attributes
    ----------
    network : str
    mode : {"isolated", "cross"}
    positions : int
        Number of positions.
    top_ups : int
        Margin top-ups over the life of the positions (per position when isolated, per
        account when cross).
    counts : Mapping[str, int]
        How many times each action of :data:`ACTIONS` is done.
    costs : Mapping[str, float]
        Network cost of each action type (count × unit cost).
    total : float
        Sum of ``costs``.
    """

    network: str
    mode: str
    positions: int
    top_ups: int
    counts: object
    costs: object
    total: float


def positions_cost(network, *, positions, mode, top_ups=1):
    """Network cost of ``positions`` positions, isolated (one each) or in one cross account.

    Parameters
    ----------
    network : str or GasSchedule
        As in :func:`action_cost`.
    positions : int
        Number of positions, >= 1.
    mode : {"isolated", "cross"}
    top_ups : int, optional
        Margin top-ups during the positions' life, >= 0.

    Returns
    -------
    PositionsCost

    Notes
    -----
    Both modes open and close every position (``positions`` opens and closes; trading fees
    are the same and are left out here). They differ in margin management:

    * **isolated**: each position has its own margin, so each top-up is done once per
      position: ``positions × top_ups`` add-margin actions;
    * **cross**: one account's collateral backs every position, so a top-up is one deposit
      into the account: ``top_ups`` add-margin actions.

    References
    ----------
    .. [1] Hyperliquid docs, "Margining" (cross: collateral shared by all cross positions;
       isolated: margin per position),
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margining

    Examples
    --------
    Three positions on Ethereum, one top-up each time margin runs low:

    >>> iso = positions_cost("ethereum", positions=3, mode="isolated", top_ups=1)
    >>> cross = positions_cost("ethereum", positions=3, mode="cross", top_ups=1)
    >>> iso.counts["add_margin"], cross.counts["add_margin"]
    (3, 1)
    >>> round(iso.total - cross.total, 6) == round(2 * action_cost("ethereum", "add_margin"), 6)
    True
    """
    schedule = _schedule(network)
    n = v.count("positions", positions, minimum=1)
    k = v.count("top_ups", top_ups, minimum=0)
    if not isinstance(mode, str) or mode not in MARGIN_MODES:
        raise ValueError(f"mode must be 'isolated' or 'cross', got {mode!r}")
    counts = {"open": n, "add_margin": n * k if mode == "isolated" else k, "close": n}
    costs = {a: c * schedule.cost(a) for a, c in counts.items()}
    total = float(v.result(sum(costs.values()), positions=n, top_ups=k))
    return PositionsCost(schedule.network, mode, n, k, MappingProxyType(counts),
                         MappingProxyType(costs), total)


@dataclass(frozen=True)
class SwitchCost:
    """Moving an isolated position to cross margin by closing it and reopening it.

    All amounts in quote currency (gas in the schedule's unit, USD for the presets).

    Attributes
    ----------
    close_fee, open_fee : float or ndarray
        Taker fees of the close (at the close fill) and of the reopen (at the reopen fill).
    fees : float or ndarray
        ``close_fee + open_fee``.
    slippage : float or ndarray
        ``q·|fill − price|`` summed over the two fills (``2·q·P·slippage_rate``).
    gas : float or ndarray
        Network cost of a close, an add-margin (the deposit into the cross account) and an
        open; paid in the native token, outside the margin account.
    total : float or ndarray
        ``fees + slippage + gas``.
    close_price, reopen_price : float or ndarray
        The two fills: ``P·(1 − s·r)`` and ``P·(1 + s·r)``.
    wallet_after : float or ndarray
        Cross wallet after the switch: ``wallet + M + s·q·(close_price − E) − fees``.
    isolated_liquidation_price : float or ndarray
        Liquidation price before, isolated with margin ``M``.
    cross_liquidation_price : float or ndarray
        Liquidation price after, in the cross account (entry ``reopen_price``).
    """

    close_fee: object
    open_fee: object
    fees: object
    slippage: object
    gas: object
    total: object
    close_price: object
    reopen_price: object
    wallet_after: object
    isolated_liquidation_price: object
    cross_liquidation_price: object


def switch_to_cross(side, *, entry_price, size, margin, price, taker_fee_rate,
                    maintenance_margin_rate=0.0, wallet=0.0, slippage_rate=0.0,
                    other_maintenance=0.0, other_unrealized_pnl=0.0, network="dydx"):
    """Close an isolated position and reopen it in cross margin: every cost, and the new price.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    entry_price : float or array_like
        Entry price of the isolated position, > 0.
    size : float or array_like
        Size in base units, > 0 (the reopened position has the same size).
    margin : float or array_like
        The isolated position's margin ``M``, > 0.
    price : float or array_like
        Mid price at the switch, > 0.
    taker_fee_rate : float or array_like
        Taker fee of both trades, fraction of notional in [0, 1].
    maintenance_margin_rate : float or array_like, optional
        ``m`` in [0, 1), the same before and after.
    wallet : float or array_like, optional
        Cross wallet balance before the switch, >= 0.
    slippage_rate : float or array_like, optional
        Each fill's distance from ``price`` as a fraction of it, in [0, 1) (a half-spread plus
        impact; :func:`marginlib.liquidity.depth_fill` gives it for a depth curve).
    other_maintenance, other_unrealized_pnl : float or array_like, optional
        The cross account's other positions (as in
        :func:`marginlib.liquidation.liquidation_price`).
    network : str or GasSchedule, optional
        Where the switch happens (:data:`NETWORKS`), for the gas. ``total`` adds the gas to
        the fees, so a schedule of your own should be in the quote currency (the presets
        are in USD; a USDC/USDT account treats them as 1:1).

    Returns
    -------
    SwitchCost

    Raises
    ------
    ValueError
        On bad input, or if the cross wallet after the switch is not positive.

    Notes
    -----
    Venues do not move an open position between modes with margin in it (Binance refuses to
    change the margin mode while a position is open); the way across is to close and reopen.
    With ``s = ±1``, ``r`` the slippage rate and ``t`` the taker rate:

    * close at ``P_c = P·(1 − s·r)``: the wallet receives ``M + s·q·(P_c − E) − t·q·P_c``;
    * reopen at ``P_o = P·(1 + s·r)`` paying ``t·q·P_o``;
    * the cross liquidation price is G1 with entry ``P_o`` and collateral
      ``wallet_after − other_maintenance + other_unrealized_pnl``:
      ``(M' − s·q·P_o) / (q·(m − s))``.

    The costs add up: ``total = close_fee + open_fee + slippage + gas``, and the cross equity
    at ``P`` right after the switch is the old ``wallet + M + s·q·(P − E)`` minus
    ``fees + slippage``.

    References
    ----------
    .. [1] Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts" (cross:
       wallet balance less the other positions' maintenance plus their PnL),
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    .. [2] Binance, "How to change margin mode" (the mode cannot change with open positions
       or orders), https://www.binance.com/en/support/faq/360038447311

    Examples
    --------
    A long of 10 at 100 with 100 of margin (10×), moved into an empty cross wallet at 100
    on dYdX (taker 5 bp, no slippage, no gas): 1 of fees, and since the whole 99.0 left
    becomes the cross collateral, the liquidation price barely moves.

    >>> r = switch_to_cross("long", entry_price=100, size=10, margin=100, price=100,
    ...                     taker_fee_rate=0.0005, maintenance_margin_rate=0.01)
    >>> r.fees, r.gas, r.total
    (1.0, 0.0, 1.0)
    >>> round(r.isolated_liquidation_price, 4), round(r.cross_liquidation_price, 4)
    (90.9091, 91.0101)
    """
    schedule = _schedule(network)
    s = v.side_sign(side)
    inputs = dict(
        entry_price=v.positive("entry_price", entry_price),
        size=v.positive("size", size),
        margin=v.positive("margin", margin),
        price=v.positive("price", price),
        taker_fee_rate=v.fee_rate("taker_fee_rate", taker_fee_rate),
        maintenance_margin_rate=v.unit_rate("maintenance_margin_rate",
                                            maintenance_margin_rate),
        wallet=v.nonnegative("wallet", wallet),
        slippage_rate=v.unit_rate("slippage_rate", slippage_rate),
        other_maintenance=v.nonnegative("other_maintenance", other_maintenance),
        other_unrealized_pnl=v.finite("other_unrealized_pnl", other_unrealized_pnl),
    )
    s, e, q, m_iso, p, t, mmr, w, r, om, ou = v.broadcast(side=s, **inputs)
    gas = schedule.close + schedule.add_margin + schedule.open
    with np.errstate(all="ignore"):
        close_price = p * (1.0 - s * r)
        reopen_price = p * (1.0 + s * r)
        close_fee = t * q * close_price
        open_fee = t * q * reopen_price
        slippage = q * np.abs(close_price - p) + q * np.abs(reopen_price - p)
        fees = close_fee + open_fee
        total = fees + slippage + gas
        wallet_after = w + m_iso + s * q * (close_price - e) - fees
        iso = _raw_liquidation_price(s, e, q, m_iso, mmr, 0.0, "mark")
        iso = _clip_at_zero(iso, e, q, m_iso, 0.0, mmr)
        collateral = wallet_after - om + ou
    for value in (close_fee, open_fee, slippage, total, wallet_after, iso, collateral):
        v.result(value, **inputs)
    if np.any(wallet_after <= 0):
        raise ValueError(
            "the cross wallet after the switch must be > 0, got "
            f"{float(np.ravel(wallet_after)[np.argmax(np.ravel(wallet_after) <= 0)]):g}: the "
            "position's margin + PnL − fees (+ wallet) is used up; add to wallet")
    with np.errstate(all="ignore"):
        maint = q * reopen_price * mmr
        if np.any(collateral < maint):
            raise ValueError(
                "the cross account would be liquidated at once: wallet after the switch − "
                "other_maintenance + other_unrealized_pnl is below the reopened position's "
                "maintenance margin; add to wallet")
        cross = _raw_liquidation_price(s, reopen_price, q, collateral, mmr, 0.0, "mark")
        cross = _clip_at_zero(cross, reopen_price, q, collateral, 0.0, mmr)
    f = v.scalar_or_array
    gas_arr = np.broadcast_to(np.asarray(gas, dtype=float), np.shape(total))
    return SwitchCost(
        close_fee=f(close_fee), open_fee=f(open_fee), fees=f(fees), slippage=f(slippage),
        gas=f(gas_arr), total=f(total), close_price=f(close_price),
        reopen_price=f(reopen_price), wallet_after=f(wallet_after),
        isolated_liquidation_price=v.result(iso, **inputs),
        cross_liquidation_price=v.result(cross, **inputs))

