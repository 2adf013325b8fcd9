"""Position size, notional, PnL and return on margin for linear (USDT/USDC-margined) perps.

Notation: ``s = +1`` for a long and ``-1`` for a short, ``q`` the size in base units, ``E``
the entry price, ``P`` the mark price, ``M`` the margin (collateral) and ``L`` the leverage
(the notation of Binance's liquidation-price FAQ,
https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93).

``side`` is the only positional argument; every numeric argument is keyword-only, so a call
with the numbers in the wrong order is a ``TypeError``, never a wrong number.
"""
from __future__ import annotations

import numpy as np

from . import _validation as v

__all__ = [
    "notional",
    "position_size",
    "unrealized_pnl",
    "return_on_margin",
    "realized_pnl",
    "effective_leverage",
    "initial_margin",
]


def notional(*, margin, leverage, max_leverage=None):
    """Position value (notional) that a margin supports at a leverage: ``margin × leverage``.

    Parameters
    ----------
    margin : float or array_like
        Collateral committed to the position, in quote currency (USDC/USDT), > 0.
    leverage : float or array_like
        Chosen leverage multiplier, >= 1 (10 means 10×).
    max_leverage : float, optional
        The venue's maximum leverage; a larger ``leverage`` raises ``ValueError``.

    Returns
    -------
    float or ndarray
        Notional in quote currency.

    Notes
    -----
    ``N = M · L``: the article's "Maximum Position = Isolated Margin × Leverage".
    Equivalently the initial margin rate is ``IMR = 1/L`` and ``M = N · IMR``
    (Binance "Leverage and Margin of USDⓈ-M Futures"; Hyperliquid margining docs).

    References
    ----------
    .. [1] Binance, "Leverage and Margin of USDⓈ-M Futures",
       https://www.binance.com/en/support/faq/360033162192

    Examples
    --------
    The article's example: 100 USDC at 10× is a 1,000 USDC position.

    >>> notional(margin=100, leverage=10)
    1000.0
    """
    margin = v.positive("margin", margin)
    leverage = _leverage(leverage, max_leverage, margin=margin)
    with np.errstate(all="ignore"):
        out = margin * leverage
    return v.result(out, margin=margin, leverage=leverage)


def position_size(*, margin, leverage, entry_price, max_leverage=None):
    """Size in base units of a position opened with ``margin`` at ``leverage``.

    Parameters
    ----------
    margin : float or array_like
        Collateral in quote currency, > 0.
    leverage : float or array_like
        Leverage, >= 1.
    entry_price : float or array_like
        Entry price in quote per base unit, > 0.
    max_leverage : float, optional
        The venue's maximum leverage.

    Returns
    -------
    float or ndarray
        ``q = M · L / E`` base units.

    Notes
    -----
    ``q = N / E`` with ``N = M · L`` (:func:`notional`): the size whose initial margin
    ``IM = q·E/L`` is exactly ``M`` (Binance; Hyperliquid margining,
    https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margining).

    References
    ----------
    .. [1] Binance, "Leverage and Margin of USDⓈ-M Futures",
       https://www.binance.com/en/support/faq/360033162192

    Examples
    --------
    100 USDC at 10× on a token priced 2.50 buys 400 tokens.

    >>> position_size(margin=100, leverage=10, entry_price=2.5)
    400.0
    """
    margin = v.positive("margin", margin)
    entry_price = v.positive("entry_price", entry_price)
    leverage = _leverage(leverage, max_leverage, margin=margin, entry_price=entry_price)
    with np.errstate(all="ignore"):
        out = margin * leverage / entry_price
    return v.result(out, margin=margin, leverage=leverage, entry_price=entry_price)


def unrealized_pnl(side, *, size, entry_price, mark_price):
    """Unrealised profit and loss of a linear perpetual position.

    Parameters
    ----------
    side : {"long", "short"} or array_like of those
    size : float or array_like
        Position size in base units, > 0.
    entry_price, mark_price : float or array_like
        Prices in quote per base unit, > 0.

    Returns
    -------
    float or ndarray
        ``UPNL = s · q · (P − E)`` in quote currency.

    References
    ----------
    .. [1] Binance liquidation-price FAQ (UPNL term),
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93

    Examples
    --------
    >>> unrealized_pnl("long", size=400, entry_price=2.5, mark_price=2.0)
    -200.0
    >>> unrealized_pnl("short", size=400, entry_price=2.5, mark_price=2.0)
    200.0
    """
    s, size, entry_price, mark_price = _position(side, size, entry_price, mark_price)
    with np.errstate(all="ignore"):
        out = s * size * (mark_price - entry_price)
    return v.result(out, size=size, entry_price=entry_price, mark_price=mark_price)


def _leverage(leverage, max_leverage, **others):
    """Validate ``leverage`` (and its cap) after checking every shape, naming the arguments."""
    lev = v.finite("leverage", leverage)
    cap = None if max_leverage is None else v.positive("max_leverage", max_leverage)
    shape = v.broadcast(**others, leverage=lev,
                        **({} if cap is None else {"max_leverage": cap}))[0].shape
    return np.broadcast_to(v.leverage_value("leverage", lev, cap), shape)


def _position(side, size, entry_price, price, price_name="mark_price", **more):
    """Validate side, size, entry price and one more price (plus ``more`` positive arrays)."""
    s = v.side_sign(side)
    size = v.positive("size", size)
    entry_price = v.positive("entry_price", entry_price)
    price = v.positive(price_name, price)
    extra = {k: v.positive(k, x) for k, x in more.items()}
    v.broadcast(side=s, size=size, entry_price=entry_price, **{price_name: price}, **extra)
    return (s, size, entry_price, price, *extra.values())


def return_on_margin(side, *, size, entry_price, mark_price, margin):
    """Unrealised PnL as a fraction of the margin committed (the "ROE" venues display).

    Parameters
    ----------
    side : {"long", "short"}
    size : float or array_like
        Base units, > 0.
    entry_price, mark_price : float or array_like
        > 0.
    margin : float or array_like
        Margin committed, > 0.

    Returns
    -------
    float or ndarray
        ``UPNL / M``; with ``M = q·E/L`` this is ``s · L · (P/E − 1)``: leverage
        multiplies the price return.

    Notes
    -----
    ``ROE = s·q·(P − E) / M``: the "ROE %" venues display for an isolated position is
    unrealised PnL over initial margin (Binance); with ``M = q·E/L`` it is the price
    return times the leverage.

    References
    ----------
    .. [1] Binance, "Leverage and Margin of USDⓈ-M Futures",
       https://www.binance.com/en/support/faq/360033162192

    Examples
    --------
    A 3 % rise at 10× returns 30 % on margin.

    >>> round(return_on_margin("long", size=400, entry_price=2.5, mark_price=2.575, margin=100), 10)
    0.3
    """
    s, size, entry_price, mark_price, margin = _position(side, size, entry_price, mark_price,
                                                         margin=margin)
    with np.errstate(all="ignore"):
        out = s * size * (mark_price - entry_price) / margin
    return v.result(out, size=size, entry_price=entry_price, mark_price=mark_price,
                    margin=margin)


def realized_pnl(side, *, size, entry_price, exit_price, open_fee_rate=0.0, close_fee_rate=0.0):
    """PnL of a round trip after opening and closing (taker/maker) fees.

    Parameters
    ----------
    side : {"long", "short"}
    size : float or array_like
        Base units, > 0.
    entry_price, exit_price : float or array_like
        > 0.
    open_fee_rate, close_fee_rate : float, optional
        Fees as a fraction of the traded notional, in [0, 1] (0.0005 = 5 bp).

    Returns
    -------
    float or ndarray
        ``s·q·(X − E) − q·E·open_fee_rate − q·X·close_fee_rate``.

    Notes
    -----
    Fees are charged on notional at the traded price on every venue studied
    (Binance, Bybit, OKX, Hyperliquid, dYdX; GMX's position fee on ``sizeDeltaUsd``).

    References
    ----------
    .. [1] Bybit, "Bankruptcy Price (Perpetual and Expiry Contracts)": fee to close =
       position value × taker fee rate,
       https://www.bybit.com/en/help-center/article/Bankruptcy-Price-Perpetual-and-Expiry-Contracts
    .. [2] gmx-synthetics ``README.md`` (position fee on ``sizeDeltaUsd``), commit
       a5c0c8835182cbd84e47dca04b971239311d2f1d.

    Examples
    --------
    >>> realized_pnl("long", size=400, entry_price=2.5, exit_price=2.6,
    ...              open_fee_rate=0.0005, close_fee_rate=0.0005)
    38.98
    """
    s, size, entry_price, exit_price = _position(side, size, entry_price, exit_price,
                                                 "exit_price")
    open_fee_rate = v.fee_rate("open_fee_rate", open_fee_rate)
    close_fee_rate = v.fee_rate("close_fee_rate", close_fee_rate)
    v.broadcast(side=s, size=size, entry_price=entry_price, exit_price=exit_price,
                open_fee_rate=open_fee_rate, close_fee_rate=close_fee_rate)
    with np.errstate(all="ignore"):
        out = (s * size * (exit_price - entry_price)
               - size * (entry_price * open_fee_rate + exit_price * close_fee_rate))
    return v.result(out, size=size, entry_price=entry_price, exit_price=exit_price)


def effective_leverage(side, *, size, entry_price, margin, mark_price=None):
    """Leverage actually carried: notional at the mark ÷ equity at the mark.

    Parameters
    ----------
    side : {"long", "short"}
    size : float or array_like
        Base units, > 0.
    entry_price : float or array_like
        > 0.
    margin : float or array_like
        Margin (collateral) of the position, > 0.
    mark_price : float or array_like, optional
        Defaults to ``entry_price``.

    Returns
    -------
    float or ndarray
        ``q·P / (M + s·q·(P − E))``. Raises ``ValueError`` if equity is not positive
        (the position is already bankrupt: leverage is undefined).

    Notes
    -----
    ``L_eff = q·P / (M + s·q·(P − E))``: position value over margin balance (equity), the
    inverse of the margin ratio ``Eq/N``. At entry it is the chosen leverage
    ``L``; a loss (or funding paid out of the margin) raises it.

    References
    ----------
    .. [1] Binance liquidation-price FAQ (margin balance = wallet balance + UPNL),
       https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93

    Examples
    --------
    >>> effective_leverage("long", size=400, entry_price=2.5, margin=100)
    10.0
    >>> effective_leverage("long", size=400, entry_price=2.5, margin=200)
    5.0
    """
    if mark_price is None:
        mark_price = entry_price
    s, size, entry_price, mark_price, margin = _position(side, size, entry_price, mark_price,
                                                         margin=margin)
    with np.errstate(all="ignore"):
        equity = margin + s * size * (mark_price - entry_price)
        v.result(equity, size=size, entry_price=entry_price, mark_price=mark_price, margin=margin)
        if np.any(equity <= 0):
            raise ValueError(
                "margin plus unrealized PnL must be > 0 for leverage to be defined "
                f"(equity {float(np.min(equity)):g}); the position is bankrupt at this mark_price"
            )
        out = size * mark_price / equity
    return v.result(out, size=size, entry_price=entry_price, mark_price=mark_price,
                    margin=margin)


def initial_margin(*, size, price, leverage, max_leverage=None):
    """Initial margin of a position: ``q·P / L``.

    Parameters
    ----------
    size : float or array_like
        Position size in base units, > 0.
    price : float or array_like
        Price the requirement is evaluated at (entry on Binance/Bybit, mark on Hyperliquid),
        quote per base unit, > 0.
    leverage : float or array_like
        Chosen leverage, >= 1.
    max_leverage : float, optional
        The venue's (or tier's) maximum leverage; a larger ``leverage`` raises ``ValueError``.

    Returns
    -------
    float or ndarray
        Initial margin in quote currency.

    Notes
    -----
    ``IM = q·P / L`` (initial margin rate ``IMR = 1/L``). Bybit classic evaluates it at
    entry, Hyperliquid at the mark (``IM = q·P_mark/L``).

    References
    ----------
    .. [1] Binance, "Leverage and Margin of USDⓈ-M Futures",
       https://www.binance.com/en/support/faq/360033162192
    .. [2] Hyperliquid docs, Margining,
       https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margining

    Examples
    --------
    A $10,000 Hyperliquid position at 10× on a 20× asset needs 1,000:

    >>> initial_margin(size=1, price=10_000, leverage=10, max_leverage=20)
    1000.0
    """
    size = v.positive("size", size)
    price = v.positive("price", price)
    leverage = _leverage(leverage, max_leverage, size=size, price=price)
    with np.errstate(all="ignore"):
        out = size * price / leverage
    return v.result(out, size=size, price=price, leverage=leverage)
