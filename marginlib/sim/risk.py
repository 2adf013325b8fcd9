"""Loss statistics of simulated outcomes: probabilities of liquidation and ruin, VaR, CVaR.

Losses are shares of the capital, ``(capital − final equity)/capital``: 1 is everything lost,
negative is a gain. :func:`loss_summary` gives every statistic of one margin mode;
:func:`value_at_risk` and :func:`expected_shortfall` are the two tail measures alone.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import _validation as v

__all__ = [
    "LOSE_EVERYTHING_FRACTION",
    "LossSummary",
    "loss_summary",
    "value_at_risk",
    "expected_shortfall",
]

#: "Lose everything": final equity at or below this fraction of the capital (1 %).
LOSE_EVERYTHING_FRACTION = 0.01


@dataclass(frozen=True)
class LossSummary:
    """Loss statistics of one margin mode; fields are arrays along a sweep.

    Losses are shares of the capital, ``(capital − final equity)/capital``: 1 is everything
    lost, negative is a gain.

    Attributes
    ----------
    mode : str
        ``"isolated"`` or ``"cross"``.
    p_any_liquidation : float or ndarray
        Share of paths with at least one liquidation (cross: the account was liquidated).
    p_lose_everything : float or ndarray
        Share of paths ending with at most :data:`LOSE_EVERYTHING_FRACTION` (1 %) of the
        capital.
    expected_loss : float or ndarray
        Mean loss.
    var_95, var_99 : float or ndarray
        Value at risk: the 95 % / 99 % empirical quantile of the loss (smallest loss ``x``
        with at least that share of paths losing ``<= x``).
    cvar_95, cvar_99 : float or ndarray
        Expected shortfall: the mean of the worst 5 % / 1 % of losses
        (``ceil(n·(1 − α))`` paths).
    n_paths : int
    """

    mode: str
    p_any_liquidation: object
    p_lose_everything: object
    expected_loss: object
    var_95: object
    var_99: object
    cvar_95: object
    cvar_99: object
    n_paths: int


def _flags(name, value):
    """A bool array (True/False per path), or ``ValueError`` naming ``name``."""
    if isinstance(value, (str, bytes, dict)) or value is None:
        raise ValueError(f"{name} must be an array of True/False, one per path, got {value!r}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of True/False, one per path") from None
    if arr.dtype.kind == "O":
        if all(isinstance(x, (bool, np.bool_)) for x in arr.flat):
            arr = arr.astype(bool)
    if arr.dtype.kind != "b":
        raise ValueError(f"{name} must be an array of True/False, one per path, got dtype "
                         f"{arr.dtype} ({str(value)[:60]})")
    return arr


def _tail(loss, level):
    """``(VaR, CVaR)`` of a flat array of finite losses at ``level`` (no checks)."""
    n = loss.shape[0]
    var = float(np.quantile(loss, level, method="inverted_cdf"))
    k = max(1, math.ceil(round(n * (1 - level), 9)))
    worst = np.partition(loss, n - k)[n - k:]
    with np.errstate(over="ignore", invalid="ignore"):
        return var, float(np.mean(worst))


def _checked_tail(loss, level):
    """:func:`_tail` of the user's ``loss`` and ``level``, validated; an overflowing mean of
    the worst losses (magnitudes near 1e308) is a ValueError naming them."""
    loss = v.finite("loss", loss).ravel()
    if loss.size == 0:
        raise ValueError("loss must hold at least one number, got an empty array")
    level = v.finite("level", level)
    if level.ndim or not 0 < level < 1:
        raise ValueError(f"level must be a single number in (0, 1) (0.99 = 99 %), got {level!r}")
    var, cvar = _tail(loss, float(level))
    return var, float(v.result(cvar, loss=loss, level=level))


def value_at_risk(loss, *, level):
    """Empirical value at risk: the ``level`` quantile of the losses (inverted CDF).

    Parameters
    ----------
    loss : array_like
        Losses, one per path (any finite numbers; positive is a loss), at least one.
    level : float
        Confidence level in (0, 1), e.g. 0.99.

    Returns
    -------
    float
        The smallest loss ``x`` with at least ``level`` of the paths losing ``<= x``.

    References
    ----------
    .. [1] C. Acerbi, D. Tasche, "On the coherence of expected shortfall", *Journal of Banking
       & Finance* 26(7):1487–1503, 2002, https://arxiv.org/abs/cond-mat/0104295

    Examples
    --------
    >>> value_at_risk([0.1, 0.2, 0.3, 0.4], level=0.75)
    0.3
    """
    return _checked_tail(loss, level)[0]


def expected_shortfall(loss, *, level):
    """Expected shortfall (CVaR): the mean of the worst ``ceil(n·(1 − level))`` losses.

    Parameters
    ----------
    loss : array_like
        Losses, one per path, at least one.
    level : float
        Confidence level in (0, 1).

    Returns
    -------
    float

    References
    ----------
    .. [1] C. Acerbi, D. Tasche, "On the coherence of expected shortfall", *Journal of Banking
       & Finance* 26(7):1487–1503, 2002, https://arxiv.org/abs/cond-mat/0104295

    Examples
    --------
    >>> expected_shortfall([0.1, 0.2, 0.3, 0.4], level=0.5)
    0.35
    """
    return _checked_tail(loss, level)[1]


def loss_summary(final_equity, *, capital, any_liquidation, mode):
    """Summarise one margin mode's outcomes over simulated paths.

    Parameters
    ----------
    final_equity : array_like
        Equity per path at the horizon, quote currency.
    capital : float
        Capital at the start, > 0.
    any_liquidation : array_like of bool
        Per path, whether at least one liquidation happened.
    mode : str
        Label stored in the result.

    Returns
    -------
    LossSummary

    Notes
    -----
    Loss ``ℓ = (C − equity)/C``. ``P(lose everything) = P(equity <= 1 % · C)``.
    ``VaR_α`` is the empirical α-quantile (inverted CDF); ``CVaR_α`` the mean of the
    ``ceil(n(1 − α))`` largest losses (expected shortfall, Acerbi & Tasche 2002).

    References
    ----------
    .. [1] C. Acerbi, D. Tasche, "On the coherence of expected shortfall", *Journal of Banking
       & Finance* 26(7):1487–1503, 2002, https://arxiv.org/abs/cond-mat/0104295

    Examples
    --------
    >>> out = loss_summary([0.0, 50.0, 100.0, 150.0], capital=100.0,
    ...                    any_liquidation=[True, True, False, False], mode="x")
    >>> out.p_any_liquidation, out.p_lose_everything, out.expected_loss, out.cvar_95
    (0.5, 0.25, 0.25, 1.0)
    """
    if not isinstance(mode, str):
        raise ValueError(f"mode must be a string (a label such as 'isolated'), got {mode!r}")
    equity = v.finite("final_equity", final_equity).ravel()
    capital = v.positive("capital", capital)
    if capital.ndim:
        raise ValueError(f"capital must be a single number, got an array of shape "
                         f"{capital.shape}")
    capital = float(capital)
    liquidated = _flags("any_liquidation", any_liquidation).ravel()
    if equity.size == 0 or liquidated.shape != equity.shape:
        raise ValueError(f"final_equity (shape {equity.shape}) and any_liquidation (shape "
                         f"{liquidated.shape}) must be non-empty and of the same length")
    with np.errstate(over="ignore", invalid="ignore"):
        loss = (capital - equity) / capital
    v.result(loss, final_equity=equity, capital=capital)
    (var95, cvar95), (var99, cvar99) = (_tail(loss, level) for level in (0.95, 0.99))
    with np.errstate(over="ignore", invalid="ignore"):
        expected = float(np.mean(loss))
    v.result([expected, cvar95, cvar99], final_equity=equity, capital=capital)  # means near 1e308
    return LossSummary(
        mode=mode, p_any_liquidation=float(np.mean(liquidated)),
        p_lose_everything=float(np.mean(equity <= LOSE_EVERYTHING_FRACTION * capital)),
        expected_loss=expected, var_95=var95, var_99=var99, cvar_95=cvar95,
        cvar_99=cvar99, n_paths=int(equity.size))
