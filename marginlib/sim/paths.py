"""Seeded, correlated log-normal price paths with fat tails, jumps and scripted shocks.

One model, two ways to read it:

* :func:`price_paths` returns the whole cube, shape ``(n_steps + 1, n_paths, n_tokens)``:
  time on axis 0 (row 0 holds the initial prices), paths on axis 1, tokens on axis 2.
* :func:`iter_price_paths` yields the same numbers one time step at a time (each of shape
  ``(n_paths, n_tokens)``), so a simulation never has to hold the cube.

For the same seed both give bit-identical prices, and so does the Monte Carlo of
:mod:`marginlib.sim.montecarlo`, which reads the same stream of random numbers.

The model, per step of ``Δt = step_hours / 8760`` years and token ``i``::

    ln(P[t, i] / P[t-1, i]) = (μ_i − σ_i²/2 − λ_i·κ_i)·Δt + σ_i·√Δt·Z[t, i]·W[t] + J[t, i] + shock

* ``Z[t]`` standard normals correlated by a matrix ``C`` (Cholesky factor), or by one common
  factor ``Z_i = √ρ·F + √(1 − ρ)·e_i`` (every pair has correlation ``ρ``).
* ``W[t] = √((ν − 2)/χ²_ν)``, one draw per step and path shared by all tokens (multivariate
  Student-t, scaled to unit variance): fat tails that also arrive *together*, the crash
  pattern that matters for cross margin. ``W = 1`` without ``tail_dof``. The ``−σ²/2`` term
  is the Gaussian Itô correction: with ``tail_dof`` a step's log return keeps its mean
  ``(μ − σ²/2 − λκ)Δt`` and variance ``σ²Δt``, but ``μ`` is no longer the growth of the
  *mean* price (a Student-t log return has no exponential moment: ``E[P]`` is infinite in
  theory and its sample mean unstable); read ``μ`` through the median / log price instead.
* ``J`` a compound Poisson jump: ``N ~ Poisson(λ_i·Δt)`` jumps with log sizes
  ``N(jump_mean, jump_volatility²)``; ``κ_i = exp(jump_mean + jump_volatility²/2) − 1``
  compensates the drift so that the Gaussian-plus-jump model grows at ``μ_i`` on average.
* ``shock``: scripted moves, :class:`Shock` ``(token, time_step, return_)`` adds
  ``ln(1 + return_)`` at that step, on every path, on top of the random move.

Random numbers come from ``rng``: a ``numpy.random.Generator`` is used as given; an int seed
(or ``None``, seed 0) seeds numpy's SFC64 bit generator, which draws normals about a quarter
faster than the default PCG64 and passes the same statistical test batteries (numpy's "Random
Generator" docs, https://numpy.org/doc/stable/reference/random/bit_generators/sfc64.html).
The normals ``(n_factors`` per path and step, time-major) come straight from it, the Student-t mixing and the jumps from
``rng.spawn(3)`` children, so switching fat tails or jumps on leaves the normals unchanged.
"""
from __future__ import annotations

import math
from dataclasses import InitVar, dataclass, fields

import numpy as np

from .. import _validation as v
from ..units import HOURS_PER_YEAR

__all__ = [
    "Shock",
    "PriceModel",
    "price_model",
    "price_paths",
    "iter_price_paths",
]

# Buffers of the path engine are sized to hold about this many float64 values per block.
_BLOCK_VALUES = 2 ** 21
# Paths are processed in chunks of about this many normals (a few hundred kB: CPU cache).
_CHUNK_VALUES = 2 ** 15


@dataclass(frozen=True, kw_only=True)
class Shock:
    """A scripted move: token ``token`` returns ``return_`` at step ``time_step`` on every path.

    Parameters
    ----------
    token : int
        Index of the token (axis 2 of the paths), >= 0.
    time_step : int
        Step at which the move happens, >= 1: row ``time_step`` of the paths (hour 6 with
        hourly steps is ``time_step=6``). A shock after the last simulated step has no effect.
    return_ : float
        Simple return, > -1 (``-0.40`` is a 40 % crash). Applied as ``ln(1 + return_)`` on top
        of the random move of that step, so prices from that step on are exactly
        ``(1 + return_)`` times those of the same paths without the shock.

    Examples
    --------
    >>> Shock(token=1, time_step=6, return_=-0.40)
    Shock(token=1, time_step=6, return_=-0.4)
    """

    token: int
    time_step: int
    return_: float

    def __post_init__(self):
        object.__setattr__(self, "token", v.count("token", self.token, minimum=0,
                                                  maximum=_MAX_COUNT))
        object.__setattr__(self, "time_step", v.count("time_step", self.time_step, minimum=1,
                                                      maximum=_MAX_COUNT))
        value = v.finite("return_", self.return_)
        if value.ndim != 0 or value <= -1:
            raise ValueError(f"return_ must be a number > -1 (-0.4 = -40 %), "
                             f"got {self.return_!r}")
        object.__setattr__(self, "return_", float(value))


#: Largest count (tokens, steps, paths) accepted: step numbers stay exact as floats.
_MAX_COUNT = 2 ** 53


#: Most expected jumps per step (numpy's Poisson sampler refuses much larger means).
_MAX_JUMPS_PER_STEP = 1e12


def _single(name, value, check):
    arr = check(name, value)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    return float(arr)


def _per_token(name, value, check):
    arr = check(name, value)
    if arr.ndim > 1:
        raise ValueError(f"{name} must be a number or a 1-D array (one value per token), "
                         f"got shape {arr.shape}")
    return arr


def _frozen(arr):
    arr = np.array(arr, dtype=float)
    arr.setflags(write=False)
    return arr


def _correlation_loadings(correlation, n_tokens):
    """Loadings ``A`` (n_factors, n_tokens) with ``A.T @ A`` the correlation matrix."""
    if np.ndim(correlation) == 0:
        rho = float(correlation)
        if n_tokens == 1:
            return np.ones((1, 1))
        loadings = np.zeros((n_tokens + 1, n_tokens))
        loadings[0] = math.sqrt(rho)
        loadings[1:] = math.sqrt(1.0 - rho) * np.eye(n_tokens)
        return loadings
    try:
        lower = np.linalg.cholesky(correlation)
    except np.linalg.LinAlgError:  # positive semi-definite (e.g. perfectly correlated pair)
        values, vectors = np.linalg.eigh(correlation)
        lower = vectors * np.sqrt(np.clip(values, 0.0, None))
    return lower.T.copy()


def _check_correlation(correlation):
    """Scalar in [0, 1] (one factor) or a valid correlation matrix."""
    arr = v.finite("correlation", correlation)
    if arr.ndim == 0:
        if not 0.0 <= arr <= 1.0:
            raise ValueError(
                "correlation must be in [0, 1] for the one-common-factor model (pass a "
                f"correlation matrix for negative correlation), got {float(arr)!r}")
        return float(arr)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"correlation must be a number or a square matrix, got shape {arr.shape}")
    if not np.allclose(arr, arr.T, rtol=0, atol=1e-12):
        raise ValueError("correlation must be a symmetric matrix")
    if not np.allclose(np.diag(arr), 1.0, rtol=0, atol=1e-12):
        raise ValueError("correlation must have ones on its diagonal")
    if np.any(np.abs(arr) > 1 + 1e-12):
        raise ValueError("correlation entries must be in [-1, 1]")
    if np.linalg.eigvalsh(arr).min() < -1e-10:
        raise ValueError("correlation must be positive semi-definite (no negative eigenvalue)")
    return arr


@dataclass(frozen=True, eq=False)
class PriceModel:
    """Validated parameters of correlated log-normal paths; build it with :func:`price_model`.

    Per-token fields are float arrays of shape ``(n_tokens,)`` (read-only).
    """

    initial_prices: np.ndarray
    volatility: np.ndarray
    drift: np.ndarray
    correlation: object
    step_hours: float
    tail_dof: float | None
    jump_intensity: np.ndarray
    jump_mean: np.ndarray
    jump_volatility: np.ndarray
    shocks: tuple
    loadings: np.ndarray = None
    _n_tokens: InitVar[int | None] = None

    def __post_init__(self, _n_tokens):
        """Validate every field (also after :func:`dataclasses.replace`); ``loadings`` is
        always recomputed from ``correlation``."""
        names = [f.name for f in fields(self) if f.name != "loadings"]
        for name, value in _model_fields(**{n: getattr(self, n) for n in names},
                                         n_tokens=_n_tokens).items():
            object.__setattr__(self, name, value)

    @property
    def n_tokens(self) -> int:
        """Number of tokens (axis 2 of the paths)."""
        return self.initial_prices.shape[0]

    @property
    def n_factors(self) -> int:
        """Standard normals drawn per path and step (tokens + 1 for the one-factor model)."""
        return self.loadings.shape[0]

    @property
    def correlation_matrix(self) -> np.ndarray:
        """The correlation matrix of the Gaussian shocks, ``loadings.T @ loadings``."""
        return self.loadings.T @ self.loadings

    @property
    def step_years(self) -> float:
        """``Δt`` in years."""
        return self.step_hours / HOURS_PER_YEAR

    @property
    def has_jumps(self) -> bool:
        return bool(np.any(self.jump_intensity > 0))

    @property
    def log_drift_per_step(self) -> np.ndarray:
        """Deterministic log return per step, ``(μ − σ²/2 − λκ)·Δt``, per token."""
        kappa = np.expm1(self.jump_mean + 0.5 * self.jump_volatility ** 2)
        return (self.drift - 0.5 * self.volatility ** 2
                - self.jump_intensity * kappa) * self.step_years

    def replace(self, **changes) -> "PriceModel":
        """A copy with some :func:`price_model` arguments changed (validated again).

        Examples
        --------
        >>> model = price_model(100.0, volatility=0.8, n_tokens=3, correlation=0.2)
        >>> round(float(model.replace(correlation=0.9).correlation_matrix[0, 1]), 12)
        0.9
        """
        args = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "loadings"}
        args.update(changes)
        return price_model(**args)


def price_model(initial_prices=100.0, *, volatility=0.8, drift=0.0, correlation=0.0,
                n_tokens=None, step_hours=1.0, tail_dof=None, jump_intensity=0.0,
                jump_mean=0.0, jump_volatility=0.0, shocks=()):
    """Parameters of correlated log-normal price paths, validated once.

    Parameters
    ----------
    initial_prices : float or array_like
        Prices at time 0 (the entry prices of the Monte Carlo), quote per base unit, > 0.
    volatility : float or array_like
        Annualised volatility of log returns, >= 0 (0.8 = 80 % a year; 8,760 hours a year).
    drift : float or array_like, optional
        Annualised expected return ``μ`` (0.1 = +10 % a year), any sign.
    correlation : float or array_like, optional
        A number ``ρ`` in [0, 1]: one common factor, every pair of tokens correlated ``ρ``
        (draws ``n_tokens + 1`` normals per path and step). Or a symmetric positive
        semi-definite matrix with unit diagonal (draws ``n_tokens`` normals).
    n_tokens : int, optional
        Number of tokens when every other argument is a scalar (default 1); otherwise it
        must agree with the per-token arrays.
    step_hours : float, optional
        Length of a time step in hours, > 0 (1 = hourly marks).
    tail_dof : float, optional
        Degrees of freedom ``ν`` > 2 of multivariate Student-t shocks (scaled to unit
        variance, so volatility keeps its meaning); ``None`` for Gaussian.
    jump_intensity : float or array_like, optional
        Expected number of jumps per year, >= 0.
    jump_mean, jump_volatility : float or array_like, optional
        Mean (any sign; -0.1 ≈ a 10 % drop) and standard deviation (>= 0) of the log size
        of one jump.
    shocks : sequence of Shock, optional
        Scripted moves applied on every path.

    Returns
    -------
    PriceModel

    Notes
    -----
    Log returns per step: ``(μ − σ²/2 − λκ)Δt + σ√Δt·Z·W + J + ln(1 + shock)``, see
    :mod:`marginlib.sim.paths`. For the one-factor model ``Z_i = √ρ·F + √(1 − ρ)·e_i``; for a
    matrix ``C = L Lᵀ``, ``Z = L e`` (an eigen-decomposition when ``C`` is singular).

    References
    ----------
    .. [1] P. Glasserman, *Monte Carlo Methods in Financial Engineering*, Springer 2003,
       §3.2 (correlated GBM by Cholesky) and §3.5 (jump-diffusion, Merton 1976).
    .. [2] Vasicek one-factor model: O. Vasicek, "Limiting loan loss probability
       distribution", KMV 1987.

    Examples
    --------
    >>> model = price_model([2.0, 0.5, 1.2], volatility=[0.9, 1.2, 1.0], correlation=0.6)
    >>> model.n_tokens, model.n_factors
    (3, 4)
    >>> model.correlation_matrix.round(2)
    array([[1. , 0.6, 0.6],
           [0.6, 1. , 0.6],
           [0.6, 0.6, 1. ]])
    """
    return PriceModel(initial_prices=initial_prices, volatility=volatility, drift=drift,
                      correlation=correlation, step_hours=step_hours, tail_dof=tail_dof,
                      jump_intensity=jump_intensity, jump_mean=jump_mean,
                      jump_volatility=jump_volatility, shocks=shocks, _n_tokens=n_tokens)


def _model_fields(initial_prices, volatility, drift, correlation, step_hours, tail_dof,
                  jump_intensity, jump_mean, jump_volatility, shocks, n_tokens=None):
    """Validated, normalised fields of a :class:`PriceModel` (errors name the field)."""
    per_token = {
        "initial_prices": _per_token("initial_prices", initial_prices, v.positive),
        "volatility": _per_token("volatility", volatility, v.nonnegative),
        "drift": _per_token("drift", drift, v.finite),
        "jump_intensity": _per_token("jump_intensity", jump_intensity, v.nonnegative),
        "jump_mean": _per_token("jump_mean", jump_mean, v.finite),
        "jump_volatility": _per_token("jump_volatility", jump_volatility, v.nonnegative),
    }
    correlation = _check_correlation(correlation)
    lengths = {a.shape[0] for a in per_token.values() if a.ndim == 1}
    if np.ndim(correlation) == 2:
        lengths.add(correlation.shape[0])
    if n_tokens is not None:
        lengths.add(v.count("n_tokens", n_tokens, maximum=_MAX_COUNT))
    if len(lengths) > 1:
        raise ValueError(f"per-token arguments disagree on the number of tokens: "
                         f"lengths {sorted(lengths)}")
    k = lengths.pop() if lengths else 1
    per_token = {name: _frozen(np.broadcast_to(arr, (k,))) for name, arr in per_token.items()}

    step_hours = _single("step_hours", step_hours, v.positive)
    with np.errstate(over="ignore"):
        step_scale = per_token["volatility"] * math.sqrt(step_hours / HOURS_PER_YEAR)
        drift_step = (per_token["drift"] - 0.5 * per_token["volatility"] ** 2) * step_hours
    v.result(np.concatenate([step_scale, drift_step]), step_hours=step_hours,
             volatility=per_token["volatility"], drift=per_token["drift"])
    with np.errstate(over="ignore"):
        jumps_per_step = per_token["jump_intensity"] * (step_hours / HOURS_PER_YEAR)
    if np.any(jumps_per_step > _MAX_JUMPS_PER_STEP):
        raise ValueError(f"jump_intensity × step_hours/{HOURS_PER_YEAR:g} (expected jumps per "
                         f"step) must be at most {_MAX_JUMPS_PER_STEP:g}, got "
                         f"{float(np.max(jumps_per_step)):g}: lower jump_intensity or "
                         "step_hours")
    if tail_dof is not None:
        tail_dof = _single("tail_dof", tail_dof, v.finite)
        if tail_dof <= 2:
            raise ValueError(f"tail_dof must be > 2 (finite variance) or None, got {tail_dof!r}")
    if isinstance(shocks, Shock):
        shocks = (shocks,)
    if isinstance(shocks, (str, bytes, dict)) or not hasattr(shocks, "__iter__"):
        raise ValueError(f"shocks must be a sequence of Shock(token, time_step, return_) "
                         f"items, got {shocks!r}")
    shocks = tuple(shocks)
    for shock in shocks:
        if not isinstance(shock, Shock):
            raise ValueError(f"shocks must be Shock(token, time_step, return_) items, "
                             f"got {shock!r}")
        if shock.token >= k:
            raise ValueError(f"Shock token must be < n_tokens = {k}, got {shock.token}")
    if np.ndim(correlation) == 2:
        correlation = _frozen(correlation)
    return dict(correlation=correlation, step_hours=step_hours, tail_dof=tail_dof,
                shocks=shocks, loadings=_frozen(_correlation_loadings(correlation, k)),
                **per_token)


# ----------------------------------------------------------------------------- engine ---

def _offsets(model, steps):
    """Deterministic part of the log price, ``t·drift + Σ ln(1 + shock)``, shape (len, K).

    Used by every reader of the paths, so all of them add exactly the same numbers.
    """
    steps = np.asarray(steps)
    out = steps[:, None].astype(float) * model.log_drift_per_step
    for shock in model.shocks:  # fixed order: the sum is the same for every caller
        out[steps >= shock.time_step, shock.token] += math.log1p(shock.return_)
    return out


def _streams(model, rng):
    """(normals, mixing, jump counts, jump sizes) generators; children only when needed."""
    rng = v.check_random_state(rng, bit_generator=np.random.SFC64)
    if model.tail_dof is None and not model.has_jumps:
        return rng, None, None, None
    mixing, counts, sizes = rng.spawn(3)
    return rng, mixing, counts, sizes


def _cumulative_blocks(model, n_steps, n_paths, rng, block_steps, sign=None, block_max=None):
    """Yield ``(first_step, block)``: ``block[j] = sign · (log price − offsets)`` at step
    ``first_step + j``, shape ``(b, n_paths, n_tokens)``.

    ``block`` is a view of a buffer reused by the next block: copy what you keep. ``sign``
    (±1 per token) flips columns exactly (IEEE arithmetic is symmetric in sign), which lets
    the Monte Carlo test one-sided barriers with a single maximum.

    Each step is computed in chunks of paths (small enough for the CPU cache). The random
    numbers are drawn in time, path, token order whatever the chunking, so the values do
    not depend on ``block_steps``.

    ``block_max`` (an ``(n_paths, n_tokens)`` array), if given, holds on each yield the
    maximum of the block over its steps, computed chunk by chunk while the values are still
    in the CPU cache (the same numbers as ``block.max(axis=0)``).
    """
    k, n_factors = model.n_tokens, model.n_factors
    sign = np.ones(k) if sign is None else np.asarray(sign, dtype=float)
    step_scale = model.volatility * math.sqrt(model.step_years)
    factor = model.loadings * (step_scale * sign)  # (n_factors, k)
    normal_rng, mixing_rng, count_rng, size_rng = _streams(model, rng)
    rate = model.jump_intensity * model.step_years
    jumps = model.has_jumps
    jump_mean = model.jump_mean * sign
    jump_vol = model.jump_volatility * sign
    nu = model.tail_dof

    chunk = min(n_paths, max(1, _CHUNK_VALUES // n_factors))
    normals = np.empty((chunk, n_factors))
    moves = np.empty((chunk, k))  # this step's log returns of a chunk, kept in cache
    mixing = np.empty(chunk) if nu is not None else None
    block = np.empty((max(1, min(block_steps, n_steps)), n_paths, k))
    previous = np.zeros((n_paths, k))
    step = 0
    while step < n_steps:
        b = min(block.shape[0], n_steps - step)
        for j in range(b):
            row, before = block[j], (previous if j == 0 else block[j - 1])
            for p0 in range(0, n_paths, chunk):
                p1 = min(p0 + chunk, n_paths)
                z, out = normals[:p1 - p0], moves[:p1 - p0]
                normal_rng.standard_normal(out=z)
                np.matmul(z, factor, out=out)
                if nu is not None:
                    w = mixing[:p1 - p0]
                    mixing_rng.standard_gamma(0.5 * nu, out=w)  # χ²_ν / 2
                    np.divide(0.5 * (nu - 2.0), w, out=w)
                    np.sqrt(w, out=w)
                    out *= w[:, None]
                if jumps:
                    counts = count_rng.poisson(rate, size=(p1 - p0, k))
                    where = np.nonzero(counts)
                    if where[0].size:
                        n = counts[where].astype(float)
                        jz = size_rng.standard_normal(n.size)
                        tokens = where[1]
                        out[where] += n * jump_mean[tokens] + np.sqrt(n) * jz * jump_vol[tokens]
                np.add(out, before[p0:p1], out=row[p0:p1])
                if block_max is not None:
                    if j == 0:
                        np.copyto(block_max[p0:p1], row[p0:p1])
                    else:
                        np.maximum(block_max[p0:p1], row[p0:p1], out=block_max[p0:p1])
        yield step + 1, block[:b]
        np.copyto(previous, block[b - 1])
        step += b


def _block_steps(n_paths, n_tokens):
    return max(1, _BLOCK_VALUES // (n_paths * n_tokens))


def _check_sizes(model, n_steps, n_paths):
    if not isinstance(model, PriceModel):
        raise ValueError(f"model must be a PriceModel (see price_model), got {model!r}")
    return (v.count("n_steps", n_steps, maximum=_MAX_COUNT),
            v.count("n_paths", n_paths, maximum=_MAX_COUNT))


def _allocate(shape, **counts):
    """``np.empty(shape)``, or ``ValueError`` naming the counts when it cannot be held."""
    try:
        return np.empty(shape)
    except (MemoryError, ValueError):
        listed = ", ".join(f"{k}={x}" for k, x in counts.items())
        raise ValueError(f"{listed}: {math.prod(shape):.3g} prices do not fit in memory; "
                         "use fewer steps or paths (iter_price_paths streams the steps)") from None


def iter_price_paths(model, *, n_steps, n_paths, rng=None):
    """Stream price paths one time step at a time.

    Parameters
    ----------
    model : PriceModel
        From :func:`price_model`.
    n_steps : int
        Number of steps after time 0, >= 1.
    n_paths : int
        Number of simulated paths, >= 1.
    rng : None, int or numpy.random.Generator, optional
        Seed or generator (``None``: seed 0).

    Yields
    ------
    ndarray
        ``n_steps + 1`` fresh arrays of shape ``(n_paths, n_tokens)``: the initial prices,
        then the prices after each step. Memory stays bounded whatever ``n_steps``.

    Notes
    -----
    ``P[t] = P[0] · exp(X[t] + D[t])`` with ``X`` the running sum of the random log returns
    and ``D`` the deterministic drift plus shocks (see :mod:`marginlib.sim.paths`). Identical
    numbers to :func:`price_paths` for the same ``rng``.

    Examples
    --------
    >>> model = price_model([100.0, 50.0], volatility=0.8, correlation=0.5)
    >>> steps = list(iter_price_paths(model, n_steps=24, n_paths=1_000, rng=1))
    >>> len(steps), steps[0].shape
    (25, (1000, 2))
    >>> bool(np.array_equal(np.stack(steps), price_paths(model, n_steps=24, n_paths=1_000, rng=1)))
    True
    """
    n_steps, n_paths = _check_sizes(model, n_steps, n_paths)  # checked now, not on first next()
    _allocate((n_paths, model.n_tokens), n_paths=n_paths)
    return _iter_price_paths(model, n_steps, n_paths, rng)


def _iter_price_paths(model, n_steps, n_paths, rng):
    initial = model.initial_prices
    yield np.repeat(initial[None, :], n_paths, axis=0)
    blocks = _cumulative_blocks(model, n_steps, n_paths, rng,
                                _block_steps(n_paths, model.n_tokens))
    for first, block in blocks:
        offsets = _offsets(model, np.arange(first, first + block.shape[0]))
        for j in range(block.shape[0]):
            prices = np.add(block[j], offsets[j])
            with np.errstate(over="ignore", under="ignore"):
                np.exp(prices, out=prices)
                prices *= initial
            if not np.all((prices > 0) & (prices < np.inf)):
                raise ValueError(
                    f"the prices left the float range (0 or inf) at step {first + j}: "
                    "volatility, drift, step_hours or the jump_* parameters of the model are "
                    "too large for these initial_prices")
            yield prices


def price_paths(model, *, n_steps, n_paths, rng=None):
    """Simulate correlated log-normal price paths (the whole cube at once).

    Parameters
    ----------
    model : PriceModel
        From :func:`price_model`.
    n_steps : int
        Number of steps after time 0, >= 1 (each ``model.step_hours`` long).
    n_paths : int
        Number of simulated paths, >= 1.
    rng : None, int or numpy.random.Generator, optional
        Seed or generator (``None``: seed 0, deterministic).

    Returns
    -------
    ndarray
        Prices of shape ``(n_steps + 1, n_paths, n_tokens)``: time on axis 0 (row 0 the
        initial prices), paths on axis 1, tokens on axis 2. For long horizons and many paths
        use :func:`iter_price_paths` instead (same numbers, bounded memory).

    Notes
    -----
    ``ln(P[t]/P[t−1]) = (μ − σ²/2 − λκ)Δt + σ√Δt·Z·W + J + ln(1 + shock)``; see
    :func:`price_model` and :mod:`marginlib.sim.paths`.

    References
    ----------
    .. [1] P. Glasserman, *Monte Carlo Methods in Financial Engineering*, Springer 2003, §3.2.

    Examples
    --------
    Token 1 crashes 40 % at hour 6 on every path (zero volatility shows it plainly):

    >>> model = price_model([10.0, 10.0], volatility=0.0, shocks=[Shock(token=1, time_step=6,
    ...                                                            return_=-0.40)])
    >>> paths = price_paths(model, n_steps=8, n_paths=2)
    >>> paths.shape
    (9, 2, 2)
    >>> paths[:, 0, 1]
    array([10., 10., 10., 10., 10., 10.,  6.,  6.,  6.])
    """
    n_steps, n_paths = _check_sizes(model, n_steps, n_paths)
    out = _allocate((n_steps + 1, n_paths, model.n_tokens), n_steps=n_steps, n_paths=n_paths)
    for t, prices in enumerate(iter_price_paths(model, n_steps=n_steps, n_paths=n_paths,
                                                 rng=rng)):
        out[t] = prices
    return out
