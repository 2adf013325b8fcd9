"""The boundary contract, property-tested on every public function of the core modules.

Every public function of ``position``, ``liquidation`` and ``tiers`` (and the methods of
``MarginTiers``) is fed, one argument at a time and by keyword: bools, numpy complex numbers,
NaN/inf inside arrays, ``None``, strings, lists of strings, dicts, integers beyond the float
range, magnitudes at the float limits (``1e308``, ``5e-324``), mismatched shapes and empty
arrays. The contract: either a ``ValueError`` whose message names the user's argument, or a
finite (and, where an exact reference exists, correct) result — never inf/NaN, never
``OverflowError``/``AttributeError``/``KeyError``/``IndexError``/``TypeError``. A call with
the numbers given positionally is a ``TypeError``. ``MarginTiers`` refuses bad fields when
built and through ``dataclasses.replace``.

The tests are generic: a function's arguments are looked up by NAME in ``VALID`` (one valid
value each, mutually consistent) and ``KIND`` (what a valid value looks like). To cover another
module, add it to ``MODULES`` and give any new parameter names a ``VALID`` value and a ``KIND``.
"""
import dataclasses
import inspect
import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from marginlib import costs, funding, funding_drift, liquidation, position, tiers, venues
from marginlib.data import loaders
from marginlib.venues import binance, bybit, drift, dydx, gmx, hyperliquid, okx, phemex

MODULES = [position, liquidation, tiers, funding, funding_drift, costs, venues, binance, bybit,
           okx, hyperliquid, dydx, gmx, drift, phemex]

#: Public functions tested by their own tests below, not by the generic ones: whole counts
#: (``n_hours``, an ``interval_hours`` that must divide a day) and time paths.
SEPARATE = {"funding.hourly_funding_schedule", "funding.cumulative_funding",
            "funding_drift.isolated_funding_drift", "costs.net_pnl_path",
            # a price path and switches: its bad input is tested in tests/test_venue_liquidity.py
            "hyperliquid.simulate_liquidation"}

#: Functions of one trade or one symbol: they refuse arrays (a ValueError naming the argument)
#: instead of working element-wise, so the shape and empty-array tests do not apply.
SCALAR_ONLY = {"venues.compare_venues", "binance.funding_cap", "gmx.check_minimums"}

#: The one documented positional argument (besides ``side``) of a function, if any.
POSITIONAL_FIRST = {"funding.funding_rate_from_premium": "premium_index",
                    "funding.cap_funding_rate": "funding_rate",
                    "funding.convert_funding_rate": "funding_rate",
                    "funding.annualize_funding_rate": "funding_rate",
                    "venues.get_venue": "key", "venues.venue_liquidation_price": "venue",
                    "binance.funding_cap": "symbol",
                    "hyperliquid.maintenance_margin_rate": "max_leverage",
                    "hyperliquid.backstop_threshold": "maintenance_margin",
                    "hyperliquid.funding_rate": "premium_index",
                    "dydx.impact_notional": "initial_margin_rate", "dydx.funding_rate": "premium"}

T = tiers.margin_tiers(floors=[0, 50_000], rates=[0.004, 0.005], max_leverages=[125, 100])

#: One valid value per parameter name: together, a 10× long of 1 unit at 100 (margin 10).
VALID = {
    "side": "long", "entry_price": 100.0, "mark_price": 101.0, "exit_price": 95.0,
    "price": 100.0, "size": 1.0, "margin": 10.0, "leverage": 5.0, "max_leverage": 20.0,
    "maintenance_margin_rate": 0.01, "maintenance_amount": 0.01, "other_maintenance": 0.5,
    "other_unrealized_pnl": 0.5, "taker_fee_rate": 0.0005, "open_fee_rate": 0.0005,
    "close_fee_rate": 0.0005, "liquidation_fee_rate": 0.002, "initial_margin_rate": 0.05,
    "amount": 2.0, "notional": 60_000.0, "tiers": T, "convention": "mark",
    "floors": [0.0, 50_000.0], "rates": [0.004, 0.005], "max_leverages": [125.0, 100.0],
    "name": "", "source": "", "as_of": "",
    # funding, funding drift, costs
    "funding_rate": 0.0001, "premium_index": 0.0002, "premium": 0.0002,
    "interest_rate": 0.0001, "clamp_limit": 0.0005, "cap": 0.003, "floor": -0.003,
    "from_hours": 8.0, "to_hours": 1.0, "interval_hours": 8.0, "compounded": False,
    "intervals": 90.0, "gas_cost": 0.5,
    # venues
    "key": "dydx_v4_large_cap", "venue": "gmx_v2", "venues": None, "symbol": None,
    "extra_margin": 3.0, "mm_deduction": 0.0, "maintenance_margin": 1_000.0,
    "open_interest_notional": 35e6, "lower_cap": 20e6, "upper_cap": 50e6,
    "open_interest_long": 2e6, "open_interest_short": 1e6, "funding_factor": 2e-8,
    "funding_exponent": 1.0, "base_asset_weight": 0.8, "imf_factor": 0.003,
    "mark_twap": 101.0, "oracle_twap": 100.0, "max_spread_fraction": 0.1,
    # GMX price impact and minimums, dYdX liquidation at a fill (issue 9)
    "pool_long_usd": 5e4, "pool_short_usd": 5e4, "delta_long_usd": 1e4, "delta_short_usd": 0.0,
    "positive_impact_factor": 1e-9, "negative_impact_factor": 2e-9, "impact_exponent": 2.0,
    "size_delta_usd": 1e4, "max_positive_impact_factor": 0.004,
    "max_negative_impact_factor": 0.005, "price_impact_usd": -5.0, "size_in_usd": 1e4,
    "size_in_tokens": 99.0, "collateral": 1e3, "size_usd": 5e3, "min_collateral_usd": 1.0,
    "min_collateral_factor": 0.01, "min_position_size_usd": 0.0, "oracle_price": 99.0,
    "fill_price": 99.0,
}

#: What a valid value of each parameter looks like.
KIND = {
    "side": "side", "entry_price": "positive", "mark_price": "positive",
    "exit_price": "positive", "price": "positive", "size": "positive", "margin": "positive",
    "leverage": "leverage", "max_leverage": "leverage", "maintenance_margin_rate": "rate",
    "maintenance_amount": "nonnegative", "other_maintenance": "nonnegative",
    "other_unrealized_pnl": "real", "taker_fee_rate": "fee", "open_fee_rate": "fee",
    "close_fee_rate": "fee", "liquidation_fee_rate": "fee", "initial_margin_rate": "rate",
    "amount": "real", "notional": "nonnegative", "tiers": "tiers", "convention": "choice",
    "floors": "table", "rates": "table", "max_leverages": "table",
    "name": "text", "source": "text", "as_of": "text",
    "funding_rate": "real", "premium_index": "real", "premium": "real", "interest_rate": "real",
    "clamp_limit": "nonnegative", "cap": "nonnegative", "floor": "real",
    "from_hours": "positive", "to_hours": "positive", "interval_hours": "positive",
    "compounded": "flag", "intervals": "nonnegative", "gas_cost": "nonnegative",
    "key": "venue", "venue": "venue", "venues": "venues", "symbol": "text",
    "extra_margin": "nonnegative", "mm_deduction": "nonnegative",
    "maintenance_margin": "nonnegative", "open_interest_notional": "nonnegative",
    "lower_cap": "nonnegative", "upper_cap": "nonnegative", "open_interest_long": "positive",
    "open_interest_short": "positive", "funding_factor": "positive",
    "funding_exponent": "positive", "base_asset_weight": "rate", "imf_factor": "nonnegative",
    "mark_twap": "positive", "oracle_twap": "positive", "max_spread_fraction": "nonnegative",
    "pool_long_usd": "nonnegative", "pool_short_usd": "nonnegative", "delta_long_usd": "real",
    "delta_short_usd": "real", "positive_impact_factor": "nonnegative",
    "negative_impact_factor": "nonnegative", "impact_exponent": "positive",
    "size_delta_usd": "real", "max_positive_impact_factor": "fee",
    "max_negative_impact_factor": "fee", "price_impact_usd": "real", "size_in_usd": "positive",
    "size_in_tokens": "positive", "collateral": "positive", "size_usd": "positive",
    "min_collateral_usd": "nonnegative", "min_collateral_factor": "rate",
    "min_position_size_usd": "nonnegative", "oracle_price": "positive", "fill_price": "positive",
}

NUMERIC = {"positive", "nonnegative", "real", "rate", "fee", "leverage"}


def _public():
    out = {}
    for mod in MODULES:
        for name in mod.__all__:
            obj = getattr(mod, name)
            key = f"{mod.__name__.rsplit('.', 1)[-1]}.{name}"
            if inspect.isfunction(obj) and key not in SEPARATE:
                out[key] = obj
    for meth in ("tier_index", "rate", "amount", "max_leverage", "maintenance_margin"):
        out[f"MarginTiers.{meth}"] = getattr(T, meth)
    return out


PUBLIC = _public()


def _params(func):
    return list(inspect.signature(func).parameters)


CALLS = [(f, p) for f in PUBLIC for p in _params(PUBLIC[f])]
NUMERIC_CALLS = [(f, p) for f, p in CALLS if KIND.get(p) in NUMERIC]
ELEMENTWISE_CALLS = [(f, p) for f, p in CALLS
                     if KIND.get(p) in NUMERIC | {"side"} and f not in SCALAR_ONLY]


def _base(fname):
    return {p: VALID[p] for p in _params(PUBLIC[fname])}


def _fields(result):
    if dataclasses.is_dataclass(result):
        return {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    return {"value": result}


def _assert_finite(fname, result):
    for key, val in _fields(result).items():
        arr = np.asarray(val)
        if arr.dtype.kind in "fc":
            assert np.all(np.isfinite(arr)), f"{fname}: {key} is not finite: {val!r}"


def _names(message, *names):
    return all(re.search(rf"(?<![A-Za-z_]){re.escape(n)}(?![A-Za-z_])", message) for n in names)


def _call(fname, **kw):
    return PUBLIC[fname](**{**_base(fname), **kw})


def _contract(fname, kw, *, must_name=None):
    """Call by keyword: a ValueError naming ``must_name`` (or any argument), or finite output."""
    try:
        out = _call(fname, **kw)
    except ValueError as err:
        names = must_name or _params(PUBLIC[fname])
        if must_name:
            assert _names(str(err), *must_name), f"{fname}({kw!r}): {err} does not name {must_name}"
        else:
            assert any(_names(str(err), n) for n in names), f"{fname}: {err} names no argument"
        return None
    _assert_finite(fname, out)
    return out


def test_every_parameter_has_a_kind_and_every_base_call_is_valid():
    missing = sorted({p for f, p in CALLS if p not in KIND or p not in VALID})
    assert not missing, f"add these parameter names to VALID and KIND: {missing}"
    assert len(PUBLIC) >= 20
    for fname in PUBLIC:
        _assert_finite(fname, _call(fname))


# ----------------------------------------------------------------------- bad values
BAD_ANY = [True, False, np.bool_(True), np.array([True, False]), None, "1", "", b"1",
           ["a", "b"], {"a": 1}, object(), [None], {1.0}]
BAD_NUMBER = [1 + 0j, np.complex128(2.0), np.complex64(1.0), np.array([1 + 0j, 2]), [1.0, True],
              [1.0, 2j], 10 ** 400, -10 ** 400, float("nan"), float("inf"), -np.inf,
              np.array([1.0, np.nan]), [[1.0], [2.0, 3.0]], np.datetime64("2025-01-01")]
BAD_SIDE = ["Long", "buy", 1, 1.0, ["long", None], np.array([1.0]), {"long"}]
BAD_TIERS = [[(0, 0.01)], 1.0, {"floors": [0.0]}, (0.0, 0.01)]
BAD_CHOICE = ["Mark", "ENTRY", 1, ["mark"]]


def _bad_for(kind):
    if kind == "side":
        return st.sampled_from(BAD_ANY[4:] + BAD_SIDE)
    if kind == "tiers":
        return st.sampled_from(BAD_ANY + BAD_TIERS)
    if kind == "choice":
        return st.sampled_from(BAD_ANY + BAD_CHOICE)
    if kind == "text":
        return st.sampled_from([None, 1, 1.5, ["a"], True])
    if kind == "venue":
        return st.sampled_from(BAD_ANY + ["Binance", "dydx", "GMX_V2", 1, ["gmx_v2"]])
    if kind == "venues":
        return st.sampled_from([True, "1", 1, 1.5, ["nope"], [None], {"a": 1}, object(), [1.0]])
    if kind == "flag":
        return st.sampled_from([None, "yes", "", 2, 1.5, [True], np.array([True, False]), object()])
    return st.one_of(st.sampled_from(BAD_ANY + BAD_NUMBER), _poisoned_array(kind))


def _poisoned_array(kind):
    """A valid-looking array with one NaN/inf/bool/complex hidden inside."""
    good = 0.5 if kind in {"rate", "fee"} else 2.0
    return st.tuples(st.integers(1, 4), st.integers(0, 3),
                     st.sampled_from([np.nan, np.inf, -np.inf, True, 1j])).map(
        lambda t: [good] * min(t[1], t[0]) + [t[2]] + [good] * (t[0] - min(t[1], t[0])))


@pytest.mark.parametrize("fname, param", CALLS, ids=[f"{f}-{p}" for f, p in CALLS])
@given(data=st.data())
def test_bad_value_is_a_value_error_naming_the_argument(fname, param, data):
    if KIND[param] == "text":
        pytest.skip("free text labels (and symbols) are checked by the record tests")
    default = inspect.signature(PUBLIC[fname]).parameters[param].default
    bad = data.draw(_bad_for(KIND[param]).filter(lambda x: not (x is None and default is None)),
                    label=param)
    with pytest.raises(ValueError) as err:
        _call(fname, **{param: bad})
    assert _names(str(err.value), param), f"{fname}({param}={bad!r}): {err.value}"


# ----------------------------------------------------------------------- float limits
EXTREME = {
    "positive": [1e308, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 1e-300, 1e300],
    "nonnegative": [0.0, 1e308, 5e-324, 1e-300, 1.7976931348623157e308],
    "real": [1e308, -1e308, 5e-324, -5e-324, -1.7976931348623157e308, 0.0],
    "rate": [5e-324, 1e-300, 0.0, 0.9999999999999999],
    "fee": [5e-324, 1e-300, 0.0, 1.0, 0.9999999999999999],
    "leverage": [1.0, 1.0000000000000002, 1e308, 1.7976931348623157e308],
}


@st.composite
def _extreme_call(draw, fname):
    params = [p for p in _params(PUBLIC[fname]) if KIND[p] in NUMERIC]
    chosen = draw(st.lists(st.sampled_from(params), min_size=1, max_size=len(params),
                           unique=True))
    kw = {}
    for p in chosen:
        x = draw(st.sampled_from(EXTREME[KIND[p]]))
        kw[p] = draw(st.sampled_from([x, [x, VALID[p]], np.array([VALID[p], x])]))
    return kw


EXTREME_FUNCS = [f for f in PUBLIC if any(KIND[p] in NUMERIC for p in _params(PUBLIC[f]))]


@pytest.mark.parametrize("fname", EXTREME_FUNCS)
@given(data=st.data())
def test_float_limits_give_a_value_error_or_a_finite_result(fname, data):
    kw = data.draw(_extreme_call(fname), label="arguments")
    out = _contract(fname, kw)
    if out is not None and fname in EXACT:
        _check_exact(fname, kw, out)


# Exact references (rational arithmetic) for the closed forms.
def _q(x):
    return Fraction(float(x))


def _s(side):
    return 1 if side == "long" else -1


EXACT = {
    "position.notional": lambda a: _q(a["margin"]) * _q(a["leverage"]),
    "position.position_size": lambda a: _q(a["margin"]) * _q(a["leverage"]) / _q(a["entry_price"]),
    "position.initial_margin": lambda a: _q(a["size"]) * _q(a["price"]) / _q(a["leverage"]),
    "position.unrealized_pnl": lambda a: _s(a["side"]) * _q(a["size"]) * (
        _q(a["mark_price"]) - _q(a["entry_price"])),
    "position.return_on_margin": lambda a: _s(a["side"]) * _q(a["size"]) * (
        _q(a["mark_price"]) - _q(a["entry_price"])) / _q(a["margin"]),
    "position.realized_pnl": lambda a: _s(a["side"]) * _q(a["size"]) * (
        _q(a["exit_price"]) - _q(a["entry_price"])) - _q(a["size"]) * (
        _q(a["entry_price"]) * _q(a["open_fee_rate"]) + _q(a["exit_price"]) * _q(a["close_fee_rate"])),
    "position.effective_leverage": lambda a: _q(a["size"]) * _q(a["mark_price"]) / (
        _q(a["margin"]) + _s(a["side"]) * _q(a["size"]) * (_q(a["mark_price"]) - _q(a["entry_price"]))),
    "liquidation.bankruptcy_price": lambda a: max(
        _q(a["entry_price"]) - _s(a["side"]) * _q(a["margin"]) / _q(a["size"]), Fraction(0)),
    "liquidation.maintenance_margin": lambda a: max(
        _q(a["size"]) * _q(a["price"]) * _q(a["maintenance_margin_rate"])
        - _q(a["maintenance_amount"]), Fraction(0)),
    "liquidation.leverage_limit": lambda a: 1 / (_q(a["maintenance_margin_rate"])
                                                 + _q(a["taker_fee_rate"])),
}


#: Absolute rounding allowance where terms cancel: 1e-12 × the magnitude of the terms
#: (a sum of terms near 1e308 that cancels to -100 is right to within 1e308 × eps).
SCALE = {
    "position.unrealized_pnl": lambda a: _q(a["size"]) * (_q(a["mark_price"]) + _q(a["entry_price"])),
    "position.return_on_margin": lambda a: _q(a["size"]) * (
        _q(a["mark_price"]) + _q(a["entry_price"])) / _q(a["margin"]),
    "position.realized_pnl": lambda a: _q(a["size"]) * (_q(a["exit_price"]) + _q(a["entry_price"])) * 2,
    "position.effective_leverage": lambda a: abs(EXACT["position.effective_leverage"](a)) * (
        _q(a["margin"]) + _q(a["size"]) * (_q(a["mark_price"]) + _q(a["entry_price"]))) / abs(
        _q(a["margin"]) + _s(a["side"]) * _q(a["size"]) * (_q(a["mark_price"]) - _q(a["entry_price"]))),
    "liquidation.bankruptcy_price": lambda a: _q(a["entry_price"]) + _q(a["margin"]) / _q(a["size"]),
    "liquidation.maintenance_margin": lambda a: _q(a["size"]) * _q(a["price"]) + _q(a["maintenance_amount"]),
}


def _check_exact(fname, kw, out):
    """Compare element by element with the rational reference (relative 1e-9, plus 1e-12 × the
    magnitude of cancelling terms; deep underflow, where the correctly rounded value is below
    1e-290, only needs to be tiny too)."""
    args = {**_base(fname), **kw}
    arrays = {k: np.asarray(v) for k, v in args.items() if KIND[k] in NUMERIC}
    shape = np.shape(out)
    for idx in np.ndindex(*shape):
        one = {k: (np.broadcast_to(a, shape)[idx] if a.ndim else a) for k, a in arrays.items()}
        one["side"] = args.get("side", "long")
        want = float(EXACT[fname](one))
        got = float(np.asarray(out)[idx])
        scale = SCALE[fname](one) / 10 ** 12 if fname in SCALE else Fraction(0)
        allowance = float(scale) if scale < Fraction(10) ** 300 else float("inf")
        if abs(want) < 1e-290:
            assert abs(got) < max(1e-280, allowance), f"{fname}{one}: {got} vs exact {want}"
        else:
            assert got == pytest.approx(want, rel=1e-9, abs=allowance), f"{fname}{one}: {got} vs {want}"


@pytest.mark.parametrize("side", ["long", "short"])
@given(e=st.sampled_from(EXTREME["positive"] + [100.0]), q=st.sampled_from(EXTREME["positive"] + [1.0]),
       margin=st.sampled_from(EXTREME["positive"] + [10.0]))
@example(e=100.0, q=5e-324, margin=10.0)
@example(e=1e308, q=1e308, margin=1e308)
def test_liquidation_price_at_float_limits_stays_on_its_side_of_entry(side, e, q, margin):
    out = _contract("liquidation.liquidation_price",
                    dict(side=side, entry_price=e, size=q, margin=margin, other_maintenance=0.0,
                         other_unrealized_pnl=0.0, maintenance_amount=0.0))
    if out is not None:
        assert (0 <= out <= e * (1 + 1e-12)) if side == "long" else out >= e * (1 - 1e-12)


# ----------------------------------------------------------------------- shapes
PAIRS = [(f, a, b) for f in PUBLIC if f not in SCALAR_ONLY for i, a in enumerate(_params(PUBLIC[f]))
         for b in _params(PUBLIC[f])[i + 1:]
         if KIND[a] in NUMERIC | {"side"} and KIND[b] in NUMERIC | {"side"}]


def _array_of(param, n):
    return [VALID[param]] * n


@pytest.mark.parametrize("fname, a, b", PAIRS, ids=[f"{f}-{a}-{b}" for f, a, b in PAIRS])
@given(n=st.integers(2, 4), m=st.integers(2, 4))
def test_mismatched_shapes_name_both_arguments(fname, a, b, n, m):
    if n == m:
        return  # same shape: nothing to refuse
    with pytest.raises(ValueError) as err:
        _call(fname, **{a: _array_of(a, n), b: _array_of(b, m)})
    assert _names(str(err.value), a, b), f"{fname}: {err.value}"


TABLE_CALLS = [(f, p) for f, p in CALLS if KIND[p] == "table"]


@pytest.mark.parametrize("fname, param", TABLE_CALLS, ids=[f"{f}-{p}" for f, p in TABLE_CALLS])
@given(n=st.integers(1, 4))
def test_table_columns_of_different_lengths_are_named(fname, param, n):
    if n == len(VALID[param]):
        return
    values = sorted({0.0, *[1_000.0 * (k + 1) for k in range(n - 1)]}) if param == "floors" else \
        [VALID[param][0]] * n
    with pytest.raises(ValueError) as err:
        _call(fname, **{param: values})
    assert _names(str(err.value), param) and _names(str(err.value), "floors")


# ----------------------------------------------------------------------- empty arrays
@pytest.mark.parametrize("fname, param", ELEMENTWISE_CALLS,
                         ids=[f"{f}-{p}" for f, p in ELEMENTWISE_CALLS])
@given(empty=st.sampled_from([[], np.array([]), np.empty((0, 3)), ()]))
def test_empty_array_in_gives_empty_out(fname, param, empty):
    """The rule (``marginlib._validation``): element-wise arguments may be empty; so is the result."""
    out = _call(fname, **{param: empty})
    for key, val in _fields(out).items():
        if key in {"name", "source", "as_of"}:
            continue
        assert np.size(val) == 0, f"{fname}({param}=empty): {key} = {val!r}"
        assert np.shape(val) == np.shape(np.asarray(empty, dtype=float)), f"{fname}: {key}"


@pytest.mark.parametrize("fname", [f for f in PUBLIC if f not in SCALAR_ONLY and
                                   any(KIND[p] in NUMERIC for p in _params(PUBLIC[f]))])
def test_every_elementwise_argument_empty_at_once(fname):
    kw = {p: np.array([]) for p in _params(PUBLIC[fname]) if KIND[p] in NUMERIC}
    if "side" in _params(PUBLIC[fname]):
        kw["side"] = np.array([], dtype=str)
    if any(KIND[p] == "table" for p in _params(PUBLIC[fname])):
        pytest.skip("tables need entries (see test_empty_table_is_refused)")
    for key, val in _fields(_call(fname, **kw)).items():
        assert np.size(val) == 0, f"{fname}: {key} = {val!r}"


@pytest.mark.parametrize("fname, param", TABLE_CALLS, ids=[f"{f}-{p}" for f, p in TABLE_CALLS])
def test_empty_table_is_refused(fname, param):
    with pytest.raises(ValueError, match=rf"{param} must be a non-empty"):
        _call(fname, **{param: []})


# ----------------------------------------------------------------------- argument order
KEYWORD_ONLY = [f for f in PUBLIC if not f.startswith("MarginTiers.")]


@pytest.mark.parametrize("fname", KEYWORD_ONLY)
def test_positional_numbers_are_a_type_error(fname):
    func = PUBLIC[fname]
    sig = inspect.signature(func)
    first = POSITIONAL_FIRST.get(fname)
    allowed = {"side"} | ({first} if first else set())
    positional = [VALID[p] for p, par in sig.parameters.items()
                  if par.default is inspect.Parameter.empty or p == first]
    lead = len([p for p in list(sig.parameters)[:2] if p in allowed])
    swapped = positional[:lead] + positional[lead:][::-1]
    if len(swapped) <= lead:
        swapped = swapped + [VALID.get("size", 1.0)]  # one number too many, positionally
    with pytest.raises(TypeError):
        func(*swapped)
    for p, par in sig.parameters.items():
        assert par.kind is inspect.Parameter.KEYWORD_ONLY or p in allowed, f"{fname}: {p}"


# ----------------------------------------------------------------------- records
FIELDS = ["floors", "rates", "amounts", "max_leverages", "name", "source", "as_of"]
GOOD = dict(floors=(0.0, 50_000.0), rates=(0.004, 0.005), amounts=(0.0, 50.0),
            max_leverages=(125.0, 100.0), name="", source="", as_of="")


def _bad_field(field):
    if field in {"name", "source", "as_of"}:
        return st.sampled_from([None, 1, 1.5, ["a"], True])
    optional = field == "max_leverages"  # None: the table publishes no maximum leverage
    if field == "max_leverages":
        extra = [(125.0, 0.5), (100.0, 125.0), (125.0,)]
    elif field == "amounts":
        extra = [(0.0, -1.0), (0.0, 49.0), (1.0, 51.0), (0.0,)]
    elif field == "rates":
        extra = [(0.004, -0.005), (0.004, 1.0), (0.005, 0.004), (0.004,)]
    else:
        extra = [(10.0, 50_000.0), (0.0, 0.0), (0.0, -1.0), ()]
    scalars = [True, None, "x", 1 + 0j, np.nan, 1.0, {"a": 1}, object()]
    if optional:
        scalars.remove(None)
    return st.one_of(st.sampled_from(extra + scalars),
                     st.sampled_from(scalars[:5] + [np.inf, np.complex128(1)]).map(
                         lambda x: (0.0, x)))


@pytest.mark.parametrize("field", FIELDS)
@given(data=st.data())
def test_margin_tiers_with_a_bad_field_is_refused_built_or_replaced(field, data):
    bad = data.draw(_bad_field(field), label=field)
    with pytest.raises(ValueError) as built:
        tiers.MarginTiers(**{**GOOD, field: bad})
    assert _names(str(built.value), field), str(built.value)
    with pytest.raises(ValueError) as replaced:
        dataclasses.replace(tiers.MarginTiers(**GOOD), **{field: bad})
    assert _names(str(replaced.value), field), str(replaced.value)


# ----------------------------------------------------------------------- the helpers
@given(x=st.one_of(st.integers(1, 10 ** 6), st.integers(1, 10 ** 6).map(float),
                   st.integers(1, 10 ** 6).map(np.int64)))
def test_count_accepts_whole_numbers(x):
    from marginlib import _validation as v
    assert v.count("n_paths", x) == int(x) and type(v.count("n_paths", x)) is int


@given(bad=st.one_of(st.sampled_from([True, False, np.bool_(True), 2.5, -1, 0, np.nan, np.inf,
                                      "3", None, [3], np.array([3]), 1 + 0j, 3.0000001]),
                     st.floats(allow_nan=True).filter(lambda f: not float(f).is_integer()
                                                      or f < 1)))
def test_count_refuses_everything_else_naming_it(bad):
    from marginlib import _validation as v
    with pytest.raises(ValueError, match="n_paths must be a whole number >= 1"):
        v.count("n_paths", bad)


# ----------------------------------------------------------------------- paths, counts, loaders
#: The functions of SEPARATE and the data loaders: (call, {argument: bad values}). Each bad value
#: is a ValueError naming the argument, never another exception.
PATH_CALLS = {
    "funding.hourly_funding_schedule": (
        lambda **kw: funding.hourly_funding_schedule(**{**dict(
            funding_rate=0.0001, n_hours=24, interval_hours=8), **kw}),
        {"n_hours": [0, 2.5, True, None, "24", 10 ** 20, np.nan],
         "interval_hours": [0, 2.5, True, None, np.inf],
         "funding_rate": [np.nan, True, 1j, None, "x"]}),
    "funding.cumulative_funding": (
        lambda **kw: funding.cumulative_funding("long", **{**dict(
            size=1.0, price_path=[100.0, 101.0], rate_path=[0.001, 0.002]), **kw}),
        {"rate_path": [[np.nan], True, [1j], None, [[1.0], [1.0, 2.0]], "x", [1e308, 1e308]],
         "price_path": [[0.0, 1.0], [np.inf], None, [1.0, 2.0, 3.0]],
         "size": [0.0, True, 1e308, [1.0, 2.0, 3.0]]}),
    "funding_drift.isolated_funding_drift": (
        lambda **kw: funding_drift.isolated_funding_drift("long", **{**dict(
            entry_price=100.0, size=1.0, margin=10.0, rate_path=[0.001, 0.002]), **kw}),
        {"rate_path": [[np.nan], True, [1j], None, [[1.0], [1.0, 2.0]], [1e308, 1e308]],
         "price_path": [[0.0, 1.0], [np.inf, 1.0], [1.0, 2.0, 3.0]],
         "margin": [0.0, True, np.nan], "size": [1e308, -1.0]}),
    "costs.net_pnl_path": (
        lambda **kw: costs.net_pnl_path("long", **{**dict(
            size=1.0, entry_price=100.0, price_path=[100.0, 101.0], rate_path=[0.001, 0.002],
            open_fee_rate=0.0005, close_fee_rate=0.0005), **kw}),
        {"rate_path": [[np.nan], True, [1j], None, [[1.0], [1.0, 2.0]], "x", [1e308, 1e308]],
         "price_path": [[0.0, 1.0], [np.inf, 1.0], None, [1.0, 2.0, 3.0], 5e-324],
         "size": [0.0, True, 1e308, [1.0, 2.0, 3.0]],
         "entry_price": [0.0, np.nan, True, [1.0, 2.0], 5e-324, 1e308],
         "open_fee_rate": [1.5, -0.1, True, [0.1, 0.2, 0.3], np.nan],
         "close_fee_rate": [1.5, np.inf, None, [[0.1], [0.2]]]}),
    "data.load_funding_history": (
        lambda **kw: loaders.load_funding_history(**{**dict(source=[]), **kw}),
        {"source": [None, 1, 1.5, True, {"a": 1}, [1, 2], [{}], "no_such_file.csv", object(),
                    [{"timestamp": "x"}], [[1, 2, 3]], b"x", np.array([1.0])]}),
    "data.load_price_history": (
        lambda **kw: loaders.load_price_history(**{**dict(source=[]), **kw}),
        {"source": [None, 1, 1.5, True, {"a": 1}, [1, 2], [{}], "no_such_file.csv", object(),
                    [[1, 2, 3]], b"x", np.array([1.0])]}),
    "data.load_defai_sample": (
        loaders.load_defai_sample,
        {"directory": [1, True, [1], "no_such_folder", object()]}),
}
PATH_CASES = [(f, p, i) for f, (_, bad) in PATH_CALLS.items() for p, vals in bad.items()
              for i in range(len(vals))]


@pytest.mark.parametrize("fname, param, i", PATH_CASES, ids=[f"{f}-{p}-{i}" for f, p, i in PATH_CASES])
def test_paths_counts_and_loaders_refuse_bad_values_naming_the_argument(fname, param, i):
    call, bad = PATH_CALLS[fname]
    with pytest.raises(ValueError) as err:
        call(**{param: bad[param][i]})
    assert _names(str(err.value), param), f"{fname}: {err.value}"
