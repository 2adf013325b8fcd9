"""The boundary contract on the engine: settlement, region, sim.* and the Account methods.

The sibling of ``tests/test_boundary.py`` (same contract, same wording): every public function
of ``settlement``, ``region``, ``sim.paths``, ``sim.montecarlo``, ``sim.risk`` and
``sim.probability``, and the public methods of :class:`marginlib.account.Account`, called by
keyword with one bad argument — bools (Python and numpy), numpy complex (also with a zero
imaginary part), ``None``, strings, lists of strings, dicts, NaN/±inf (also inside arrays),
magnitudes at the float limits (``1e308``, ``5e-324``), mismatched shapes, empty arrays and
non-whole counts — gives a ``ValueError`` naming the user's argument, or a finite result
(NaN only where the docstring promises it). Never ``OverflowError``/``AttributeError``/
``KeyError``/``IndexError``/``TypeError``/``ZeroDivisionError`` from a keyword call; a
swapped positional call is a ``TypeError``. The records (``Portfolio``, ``PriceModel``,
``Shock``) refuse bad fields when built and through ``dataclasses.replace``.

Each entry of ``CALLS`` is one public callable with a valid keyword call (``BASE``) and the
kind of each argument (``KIND``); the properties below are generic over that table.
"""
import dataclasses
import inspect
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marginlib import region, settlement
from marginlib.account import Account
from marginlib.sim import montecarlo, paths, probability, risk

MODEL = paths.price_model([100.0, 50.0], volatility=0.8, correlation=0.3)
BOOK = montecarlo.portfolio(["long", "short"], leverage=5.0, capital=1_000.0)
PAIR = dict(side=["long", "long"], sizes=[1.0, 1.0], entry_prices=[100.0, 1_000.0], wallet=5.0,
            maintenance_margin_rate=0.004)

#: name -> (callable, valid keyword call, {argument: kind}).
CALLS = {
    "settlement.is_liquidated": (settlement.is_liquidated, dict(equity=5.0, maintenance=4.0),
                                 dict(equity="real", maintenance="nonnegative")),
    "settlement.isolated_liquidated": (
        settlement.isolated_liquidated,
        dict(side="long", size=1.0, entry_price=100.0, margin=10.0,
             maintenance_margin_rate=0.005, price=95.0),
        dict(side="side", size="nonnegative", entry_price="positive", margin="real",
             maintenance_margin_rate="rate", price="positive")),
    "settlement.cross_liquidated": (
        settlement.cross_liquidated,
        dict(side=["long", "long"], size=[1.0, 1.0], entry_price=[100.0, 1_000.0], wallet=5.0,
             maintenance_margin_rate=0.004, price=[99.5, 1_000.0], axis=-1),
        dict(side="side", size="nonnegative", entry_price="positive", wallet="real",
             maintenance_margin_rate="rate", price="positive", axis="axis")),
    "settlement.settle": (settlement.settle,
                          dict(equity=3.0, notional=50.0, liquidation_fee_rate=0.01),
                          dict(equity="real", notional="nonnegative",
                               liquidation_fee_rate="fee")),
    "region.equity_minus_maintenance": (
        region.equity_minus_maintenance, dict(PAIR, prices_a=100.0, prices_b=1_000.0),
        dict(side="side2", prices_a="positive", prices_b="positive", sizes="pair",
             entry_prices="pair", wallet="real", maintenance_margin_rate="rate")),
    "region.cross_liquidation_boundary": (
        region.cross_liquidation_boundary,
        dict(PAIR, price_a=[99.0, 100.0], mark_prices=[100.0, 1_000.0]),
        dict(side="side2", sizes="pair", entry_prices="pair", wallet="real",
             maintenance_margin_rate="rate", price_a="nonnegative", mark_prices="pair")),
    "paths.price_model": (
        paths.price_model,
        dict(initial_prices=100.0, volatility=0.8, drift=0.0, correlation=0.0, n_tokens=2,
             step_hours=1.0, tail_dof=5.0, jump_intensity=1.0, jump_mean=-0.1,
             jump_volatility=0.05, shocks=()),
        dict(initial_prices="positive", volatility="nonnegative", drift="real",
             correlation="rate", n_tokens="count", step_hours="positive", tail_dof="positive",
             jump_intensity="nonnegative", jump_mean="real", jump_volatility="nonnegative",
             shocks="shocks")),
    "paths.Shock": (paths.Shock, dict(token=0, time_step=1, return_=-0.1),
                    dict(token="count0", time_step="count", return_="real")),
    "paths.price_paths": (paths.price_paths, dict(model=MODEL, n_steps=3, n_paths=4, rng=1),
                          dict(model="model", n_steps="count", n_paths="count", rng="rng")),
    "paths.iter_price_paths": (paths.iter_price_paths,
                               dict(model=MODEL, n_steps=3, n_paths=4, rng=1),
                               dict(model="model", n_steps="count", n_paths="count",
                                    rng="rng")),
    "montecarlo.portfolio": (
        montecarlo.portfolio,
        dict(side=["long", "short"], leverage=5.0, capital=1_000.0, margin=[400.0, 400.0],
             maintenance_margin_rate=0.005, liquidation_fee_rate=0.01, n_positions=2),
        dict(side="side", leverage="leverage", capital="positive", margin="positive",
             maintenance_margin_rate="rate", liquidation_fee_rate="fee", n_positions="count")),
    "montecarlo.simulate_margin_modes": (
        montecarlo.simulate_margin_modes,
        dict(portfolio=BOOK, model=MODEL, n_steps=3, n_paths=4, rng=1, progress=None),
        dict(portfolio="portfolio", model="model", n_steps="count", n_paths="count",
             rng="rng", progress="callable")),
    "montecarlo.sweep_correlation": (
        montecarlo.sweep_correlation,
        dict(correlations=[0.0, 0.5], portfolio=BOOK, model=MODEL, n_steps=2, n_paths=3,
             rng=1, progress=None),
        dict(correlations="rate", portfolio="portfolio", model="model", n_steps="count",
             n_paths="count", rng="rng", progress="callable")),
    "montecarlo.sweep_leverage": (
        montecarlo.sweep_leverage,
        dict(leverages=[2.0, 5.0], portfolio=BOOK, model=MODEL, n_steps=2, n_paths=3, rng=1,
             progress=None),
        dict(leverages="leverage", portfolio="portfolio", model="model", n_steps="count",
             n_paths="count", rng="rng", progress="callable")),
    "risk.value_at_risk": (risk.value_at_risk, dict(loss=[0.1, 0.2, 0.3], level=0.9),
                           dict(loss="real", level="rate")),
    "risk.expected_shortfall": (risk.expected_shortfall, dict(loss=[0.1, 0.2, 0.3], level=0.9),
                                dict(loss="real", level="rate")),
    "risk.loss_summary": (
        risk.loss_summary,
        dict(final_equity=[50.0, 100.0], capital=100.0, any_liquidation=[True, False],
             mode="x"),
        dict(final_equity="real", capital="positive", any_liquidation="flags", mode="text")),
    "probability.first_passage_probability": (
        probability.first_passage_probability,
        dict(initial_price=100.0, barrier=90.0, volatility=0.8, horizon_hours=24.0, drift=0.0,
             monitoring_hours=1.0),
        dict(initial_price="positive", barrier="nonnegative", volatility="positive",
             horizon_hours="positive", drift="real", monitoring_hours="positive")),
}

#: The one documented positional argument of a function (besides ``side``), if any.
POSITIONAL_FIRST = {"paths.price_model": "initial_prices", "montecarlo.simulate_margin_modes":
                    "portfolio", "montecarlo.sweep_correlation": "correlations",
                    "montecarlo.sweep_leverage": "leverages", "risk.value_at_risk": "loss",
                    "risk.expected_shortfall": "loss", "risk.loss_summary": "final_equity",
                    "paths.price_paths": "model", "paths.iter_price_paths": "model"}

NUMERIC = {"real", "positive", "nonnegative", "rate", "fee", "leverage", "pair"}
#: Element-wise functions (any argument may be an array; the result has the broadcast shape).
ELEMENTWISE = ["settlement.is_liquidated", "settlement.isolated_liquidated", "settlement.settle",
               "probability.first_passage_probability"]


def _run(fname, **kw):
    func, base, _ = CALLS[fname]
    out = func(**{**base, **kw})
    if inspect.isgenerator(out):
        out = list(out)
    return out


def _names(message, *names):
    return all(re.search(rf"(?<![A-Za-z_]){re.escape(n)}(?![A-Za-z_])", message) for n in names)


def _fields(result):
    if dataclasses.is_dataclass(result):
        return {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    if isinstance(result, list):
        return {f"step {i}": x for i, x in enumerate(result)}
    return {"value": result}


#: Result fields documented as NaN somewhere (the region's B price where no positive B price
#: is on the boundary).
MAY_BE_NAN = {("region.cross_liquidation_boundary", "price_b")}


def _assert_finite(fname, result):
    for key, val in _fields(result).items():
        arr = np.asarray(val)
        if arr.dtype.kind in "fc":
            ok = ~np.isinf(arr) if (fname, key) in MAY_BE_NAN else np.isfinite(arr)
            assert np.all(ok), f"{fname}: {key} is not finite: {val!r}"


def _contract(fname, kw):
    """A ValueError naming one of the arguments given, or a finite result."""
    try:
        out = _run(fname, **kw)
    except ValueError as err:
        params = list(inspect.signature(CALLS[fname][0]).parameters)
        assert any(_names(str(err), p) for p in params), f"{fname}({kw!r}): {err}"
        return None
    _assert_finite(fname, out)
    return out


def test_every_base_call_is_valid_and_finite():
    for fname, (func, base, kind) in CALLS.items():
        assert set(inspect.signature(func).parameters) == set(base) == set(kind), fname
        _assert_finite(fname, _run(fname))


# --------------------------------------------------------------------------- bad values
BAD_ANY = [True, False, np.bool_(True), np.bool_(False), np.array([True, False]), None, "1", "",
           ["a", "b"], {"a": 1}, object()]
BAD_NUMBER = [1 + 0j, np.complex128(2.0), np.complex64(1.0), np.complex128(1 + 1j),
              np.array([1 + 0j, 2]), [1.0, True], [1.0, np.bool_(False)], 10 ** 400,
              float("nan"), float("inf"), -np.inf, np.array([1.0, np.nan]), [0.5, np.inf],
              [[1.0], [2.0, 3.0]]]
BAD_COUNT = [2.5, True, False, np.bool_(True), 0.5, -1, np.nan, np.inf, "3", None, [3],
             np.array([3]), 1 + 0j, np.complex128(3), {"n": 3}, 3.0000001, 10 ** 400, 1e308]
BAD_SIDE = ["Long", "buy", 1, 1.0, ["long", None], np.array([1.0]), {"long"}, None, True,
            np.bool_(True), {"a": 1}]
BAD_OBJECT = [None, True, np.bool_(True), "model", 1.0, 1 + 0j, ["a"], {"a": 1}, object()]

#: Per kind: values refused whatever the other (valid) arguments.
BAD = {
    "count": BAD_COUNT, "count0": [x for x in BAD_COUNT if not (np.isscalar(x) and x == -1)]
    + [-1, -0.5], "side": BAD_SIDE, "side2": BAD_SIDE + [["long"] * 3, ["long"]],
    "model": BAD_OBJECT + [BOOK], "portfolio": BAD_OBJECT + [MODEL],
    "rng": [True, np.bool_(False), -1, 1.5, "1", 1 + 0j, [1], {"a": 1}],
    "callable": [True, 1, "print", [print], {"a": 1}],
    "axis": [1, -2, 1.0, True, None, "0", [0]],
    "text": [None, 1, 1.5, ["a"], True, np.nan],
    "flags": [None, "yes", [1.0, 2.0], [np.nan, 1.0], ["a", "b"], {"a": 1}, [1 + 0j, 0j]],
    "shocks": [True, None, 1.0, np.nan, 1 + 0j, "shock", [1.0], [None], {"a": 1}],
}


def _bad_for(kind):
    if kind in BAD:
        return st.sampled_from(BAD[kind])
    extra = {"rate": [-0.1, 1.5], "fee": [-0.1, 1.5], "positive": [0.0, -1.0],
             "nonnegative": [-1.0, -5e-324], "leverage": [0.5, -2.0], "pair": [[1.0, 2.0, 3.0]]}
    return st.sampled_from(BAD_ANY + BAD_NUMBER + extra.get(kind, []))


BAD_CALLS = [(f, p) for f, (_, _, kind) in CALLS.items() for p in kind
             if not (kind[p] == "text" and f != "risk.loss_summary")]


@pytest.mark.parametrize("fname, param", BAD_CALLS, ids=[f"{f}-{p}" for f, p in BAD_CALLS])
@settings(max_examples=25)
@given(data=st.data())
def test_bad_value_is_a_value_error_naming_the_argument(fname, param, data):
    kind = CALLS[fname][2][param]
    default = inspect.signature(CALLS[fname][0]).parameters[param].default
    bad = data.draw(_bad_for(kind).filter(lambda x: not (x is None and default is None)),
                    label=param)
    with pytest.raises(ValueError) as err:
        _run(fname, **{param: bad})
    shown = {"correlations": "correlation"}.get(param, param)  # the swept model field
    assert _names(str(err.value), param) or _names(str(err.value), shown), \
        f"{fname}({param}={bad!r}): {err.value}"


# --------------------------------------------------------------------------- float limits
EXTREME = {
    "positive": [1e308, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 1e-300],
    "nonnegative": [0.0, 1e308, 5e-324, 1.7976931348623157e308],
    "real": [1e308, -1e308, 5e-324, -5e-324, -1.7976931348623157e308, 0.0],
    "rate": [5e-324, 0.0, 0.9999999999999999],
    "fee": [5e-324, 0.0, 1.0],
    "leverage": [1.0, 1.0000000000000002, 1e308, 1.7976931348623157e308],
}


@st.composite
def _extreme_call(draw, fname):
    kind = CALLS[fname][2]
    params = [p for p in kind if kind[p] in NUMERIC]
    chosen = draw(st.lists(st.sampled_from(params), min_size=1, max_size=len(params),
                           unique=True))
    kw = {}
    for p in chosen:
        k = kind[p]
        if k == "pair":
            x = draw(st.sampled_from(EXTREME["positive"]))
            kw[p] = draw(st.sampled_from([[x, 1_000.0], [100.0, x], x]))
            continue
        x = draw(st.sampled_from(EXTREME[k]))
        valid = CALLS[fname][1][p]
        if fname in ELEMENTWISE:
            kw[p] = draw(st.sampled_from([x, [x, valid], np.array([valid, x])]))
        else:
            kw[p] = x
    return kw


EXTREME_FUNCS = [f for f, (_, _, kind) in CALLS.items()
                 if any(k in NUMERIC for k in kind.values())
                 and not f.startswith("montecarlo.sweep")]


@pytest.mark.parametrize("fname", EXTREME_FUNCS)
@settings(max_examples=30)
@given(data=st.data())
def test_float_limits_give_a_value_error_or_a_finite_result(fname, data):
    kw = data.draw(_extreme_call(fname), label="arguments")
    out = _contract(fname, kw)
    if out is not None and fname == "probability.first_passage_probability":
        assert np.all((np.asarray(out) >= 0) & (np.asarray(out) <= 1))


@pytest.mark.parametrize("kw, want", [
    (dict(volatility=1e150), 1.0), (dict(drift=-1e300), 1.0), (dict(horizon_hours=1e308), 1.0),
    (dict(initial_price=1e308), 0.0), (dict(barrier=0.0), 0.0), (dict(barrier=100.0), 1.0),
    (dict(volatility=2.3e-308), 0.0)])
def test_first_passage_at_the_float_limits_is_the_right_limit(kw, want):
    args = dict(initial_price=100.0, barrier=90.0, volatility=0.8, horizon_hours=24.0)
    assert probability.first_passage_probability(**{**args, **kw}) == pytest.approx(want,
                                                                                   abs=1e-12)


def test_extreme_portfolio_and_model_through_the_simulation():
    """Huge capital or prices: the simulation refuses by name or returns finite outcomes."""
    for capital, prices in [(1e308, [1.0, 1.0]), (1e300, [1e300, 5e-300]), (1.0, [1e308, 1e-300])]:
        try:
            book = montecarlo.portfolio(["long", "short"], leverage=5.0, capital=capital)
            model = paths.price_model(prices, volatility=0.8)
            out = montecarlo.simulate_margin_modes(book, model=model, n_steps=3, n_paths=5)
        except ValueError as err:
            assert any(_names(str(err), n) for n in ("capital", "leverage", "margin",
                                                    "initial_prices")), str(err)
            continue
        _assert_finite("simulate_margin_modes", out)


# --------------------------------------------------------------------------- shapes
SHAPE_PAIRS = [(f, a, b) for f in ELEMENTWISE for i, a in enumerate(CALLS[f][2])
               for b in list(CALLS[f][2])[i + 1:]
               if CALLS[f][2][a] in NUMERIC | {"side"} and CALLS[f][2][b] in NUMERIC | {"side"}]
SHAPE_PAIRS += [("region.equity_minus_maintenance", "prices_a", "prices_b"),
                ("settlement.cross_liquidated", "size", "entry_price"),
                ("settlement.cross_liquidated", "side", "price"),
                ("settlement.cross_liquidated", "maintenance_margin_rate", "size")]


#: One position, every argument a scalar (so that only the two arrays given can clash).
ONE_POSITION = dict(side="long", size=1.0, entry_price=100.0, maintenance_margin_rate=0.004,
                    price=99.5)


def _column(fname, param, n):
    if fname == "settlement.cross_liquidated":
        return [ONE_POSITION[param]] * n
    return [CALLS[fname][1][param]] * n


@pytest.mark.parametrize("fname, a, b", SHAPE_PAIRS,
                         ids=[f"{f}-{a}-{b}" for f, a, b in SHAPE_PAIRS])
@settings(max_examples=8)
@given(n=st.integers(2, 4), m=st.integers(2, 4))
def test_mismatched_shapes_name_both_arguments(fname, a, b, n, m):
    if n == m:
        return
    scalars = ONE_POSITION if fname == "settlement.cross_liquidated" else {}
    with pytest.raises(ValueError) as err:
        _run(fname, **{**scalars, a: _column(fname, a, n), b: _column(fname, b, m)})
    assert _names(str(err.value), a, b), f"{fname}: {err.value}"


def test_loss_summary_names_both_arrays_of_different_lengths():
    with pytest.raises(ValueError) as err:
        risk.loss_summary([1.0, 2.0, 3.0], capital=10.0, any_liquidation=[True, False],
                          mode="x")
    assert _names(str(err.value), "final_equity", "any_liquidation")


def test_portfolio_names_the_per_position_arguments_that_disagree():
    with pytest.raises(ValueError) as err:
        montecarlo.portfolio(["long", "short"], leverage=[2.0, 3.0, 4.0])
    assert _names(str(err.value), "side", "leverage")


# --------------------------------------------------------------------------- empty arrays
EMPTY_CALLS = [(f, p) for f in ELEMENTWISE for p, k in CALLS[f][2].items()
               if k in NUMERIC | {"side"}]


@pytest.mark.parametrize("fname, param", EMPTY_CALLS, ids=[f"{f}-{p}" for f, p in EMPTY_CALLS])
@given(empty=st.sampled_from([[], np.array([]), np.empty((0, 3)), ()]))
def test_empty_array_in_gives_empty_out(fname, param, empty):
    out = _run(fname, **{param: empty})
    for key, val in _fields(out).items():
        assert np.shape(val) == np.shape(np.asarray(empty, dtype=float)), f"{fname}: {key}"


@pytest.mark.parametrize("fname, param", [
    ("risk.value_at_risk", "loss"), ("risk.expected_shortfall", "loss"),
    ("risk.loss_summary", "final_equity"), ("montecarlo.portfolio", "side"),
    ("montecarlo.portfolio", "leverage"), ("montecarlo.portfolio", "margin"),
    ("montecarlo.sweep_correlation", "correlations"), ("montecarlo.sweep_leverage", "leverages"),
    ("paths.price_model", "step_hours"), ("paths.price_model", "tail_dof"),
    ("risk.loss_summary", "capital"), ("region.equity_minus_maintenance", "sizes"),
    ("region.cross_liquidation_boundary", "mark_prices")])
def test_empty_where_values_are_needed_is_refused_by_name(fname, param):
    for empty in ([], np.array([])):
        with pytest.raises(ValueError) as err:
            _run(fname, **{param: empty})
        assert _names(str(err.value), param), f"{fname}({param}=[]): {err.value}"


# --------------------------------------------------------------------------- counts
COUNT_CALLS = [(f, p) for f, (_, _, kind) in CALLS.items() for p in kind
               if kind[p] in {"count", "count0"}]


@pytest.mark.parametrize("fname, param", COUNT_CALLS, ids=[f"{f}-{p}" for f, p in COUNT_CALLS])
@pytest.mark.parametrize("bad", [2.5, True, np.bool_(True), 0.5, np.nan, "3", 10 ** 400, 1e308])
def test_non_whole_or_impossible_counts_are_refused_at_the_call(fname, param, bad):
    """Refused when called (a generator too: before the first ``next``), naming the count."""
    func, base, _ = CALLS[fname]
    with pytest.raises(ValueError) as err:
        func(**{**base, param: bad})
    assert _names(str(err.value), param), str(err.value)


def test_whole_floats_are_counts():
    assert paths.price_paths(MODEL, n_steps=3.0, n_paths=np.int64(2)).shape == (4, 2, 2)


def test_price_cube_too_large_for_memory_names_the_counts():
    with pytest.raises(ValueError) as err:
        paths.price_paths(MODEL, n_steps=2 ** 40, n_paths=2 ** 12)
    assert _names(str(err.value), "n_steps", "n_paths")


# --------------------------------------------------------------------------- positional
@pytest.mark.parametrize("fname", list(CALLS))
def test_positional_numbers_are_a_type_error(fname):
    func, base, kind = CALLS[fname]
    sig = inspect.signature(func)
    first = POSITIONAL_FIRST.get(fname)
    allowed = {"side"} | ({first} if first else set())
    for p, par in sig.parameters.items():
        assert par.kind is inspect.Parameter.KEYWORD_ONLY or p in allowed, f"{fname}: {p}"
    lead = [base[p] for p in sig.parameters if p in allowed]
    rest = [base[p] for p in sig.parameters if p not in allowed]
    with pytest.raises(TypeError):
        func(*lead, *rest[::-1])


# --------------------------------------------------------------------------- records
PORTFOLIO_BAD = {
    "sign": [[1.0, 0.5], [1.0, True], ["long", "short"], [1.0, np.nan], None, [1 + 0j, -1]],
    "leverage": [[5.0, 0.5], [5.0, np.inf], [5.0, True], [5.0, 1e308], None, "5", [5.0, 5j]],
    "margin": [[400.0, -1.0], [400.0, 5e-324], [600.0, 600.0], [400.0, np.nan], None,
               [np.bool_(True), 1.0]],
    "capital": [0.0, -1.0, np.nan, np.inf, True, None, "1", [1_000.0, 1_000.0], 1 + 0j],
    "maintenance_margin_rate": [[0.005, 1.0], [0.005, -0.1], [0.5, 0.5], None, [0.1, np.nan]],
    "liquidation_fee_rate": [[0.0, 1.5], [0.0, -0.1], [0.0, np.nan], True, None],
}


@pytest.mark.parametrize("field", list(PORTFOLIO_BAD))
@given(data=st.data())
@settings(max_examples=10)
def test_portfolio_with_a_bad_field_is_refused_built_or_replaced(field, data):
    bad = data.draw(st.sampled_from(PORTFOLIO_BAD[field]), label=field)
    good = {f.name: getattr(BOOK, f.name) for f in dataclasses.fields(BOOK)}
    with pytest.raises(ValueError) as built:
        montecarlo.Portfolio(**{**good, field: bad})
    names = (field, "leverage") if field == "maintenance_margin_rate" else (field,)
    assert any(_names(str(built.value), n) for n in names), str(built.value)
    with pytest.raises(ValueError) as replaced:
        dataclasses.replace(BOOK, **{field: bad})
    assert any(_names(str(replaced.value), n) for n in names), str(replaced.value)


def test_portfolio_sizes_refuse_bad_prices_by_name():
    for bad in ([1.0, 0.0], [1.0, np.nan], 5e-324, [1.0, 2.0, 3.0], True, "1", None, 1 + 0j):
        with pytest.raises(ValueError, match="entry_prices"):
            BOOK.sizes(bad)
    with pytest.raises(ValueError, match="entry_prices"):
        BOOK.sizes(2.2250738585072014e-308)  # the sizes would overflow
    assert np.all(np.isfinite(BOOK.sizes([1e308, 1e-300])))


MODEL_BAD = {
    "initial_prices": [0.0, -1.0, np.nan, True, "1", None, [1.0, 1j], [[1.0]]],
    "volatility": [-0.1, np.inf, True, None, [0.1, np.nan], 1e308],
    "drift": [np.nan, np.inf, True, None, "0"],
    "correlation": [1.5, -0.5, np.nan, True, None, [[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.5]]],
    "step_hours": [0.0, -1.0, np.nan, True, None, [1.0, 2.0], []],
    "tail_dof": [2.0, 1.0, np.nan, True, "5", [5.0, 6.0], []],
    "jump_intensity": [-1.0, np.nan, True, None],
    "jump_mean": [np.nan, np.inf, True, None],
    "jump_volatility": [-0.1, np.nan, True, None],
    "shocks": [None, True, 1.0, [1.0], [None], "x",
               [paths.Shock(token=5, time_step=1, return_=-0.1)]],
}


@pytest.mark.parametrize("field", list(MODEL_BAD))
@given(data=st.data())
@settings(max_examples=10)
def test_price_model_with_a_bad_field_is_refused_built_or_replaced(field, data):
    bad = data.draw(st.sampled_from(MODEL_BAD[field]), label=field)
    with pytest.raises(ValueError) as built:
        paths.price_model(**{**CALLS["paths.price_model"][1], "n_tokens": None, field: bad})
    names = (field, "Shock") if field == "shocks" else (field,)
    assert any(_names(str(built.value), n) for n in names), str(built.value)
    with pytest.raises(ValueError) as replaced:
        dataclasses.replace(MODEL, **{field: bad})
    assert any(_names(str(replaced.value), n) for n in names), str(replaced.value)
    with pytest.raises(ValueError):
        MODEL.replace(**{field: bad})


SHOCK_BAD = {"token": [-1, 1.5, True, None, "0", np.nan, [0]],
             "time_step": [0, 2.5, True, np.bool_(True), None, np.inf, 1 + 0j],
             "return_": [-1.0, -2.0, np.nan, np.inf, True, None, "x", [0.1, 0.2], 1 + 0j]}


@pytest.mark.parametrize("field", list(SHOCK_BAD))
def test_shock_with_a_bad_field_is_refused_built_or_replaced(field):
    good = paths.Shock(token=0, time_step=1, return_=-0.1)
    for bad in SHOCK_BAD[field]:
        with pytest.raises(ValueError, match=re.escape(field)):
            paths.Shock(**{**dataclasses.asdict(good), field: bad})
        with pytest.raises(ValueError, match=re.escape(field)):
            dataclasses.replace(good, **{field: bad})


@pytest.mark.parametrize("kw", [dict(volatility=1e100), dict(drift=1e10, step_hours=1e6),
                                dict(jump_intensity=1e300, jump_mean=-5.0)])
def test_paths_that_would_leave_the_float_range_are_refused(kw):
    """Prices are > 0 and finite, or a ValueError naming the model's parameters."""
    with pytest.raises(ValueError) as err:
        paths.price_paths(paths.price_model(100.0, **kw), n_steps=2, n_paths=2)
    assert any(_names(str(err.value), n) for n in kw), str(err.value)


SETTLEMENT_BAD = [-1.0, np.nan, np.inf, True, None, "1", 1 + 0j, [1.0, -1.0], [1.0, 2.0, 3.0]]


@pytest.mark.parametrize("field", ["fee", "returned", "bad_debt"])
def test_liquidation_settlement_refuses_bad_fields_built_or_replaced(field):
    good = settlement.settle(equity=[3.0, -1.0], notional=50.0, liquidation_fee_rate=0.01)
    for bad in SETTLEMENT_BAD:
        with pytest.raises(ValueError, match=re.escape(field)):
            settlement.LiquidationSettlement(**{**dataclasses.asdict(good), field: bad})
        with pytest.raises(ValueError, match=re.escape(field)):
            dataclasses.replace(good, **{field: bad})


# --------------------------------------------------------------------------- Account
def _account():
    acct = Account(1_000.0, maintenance_margin_rate=0.005)
    acct.open("A", "long", size=1.0, leverage=10.0, price=100.0)
    acct.add_margin("A", amount=20.0)
    acct.open("C", "short", size=1.0, leverage=10.0, price=100.0, mode="cross")
    return acct


#: method label -> (call(account, **kw), valid keywords, {keyword: (kind, name in messages)}).
ACCOUNT = {
    "Account": (lambda a, **kw: Account(**kw),
                dict(deposit=100.0, maintenance_margin_rate=0.005, liquidation_fee_rate=0.01,
                     taker_fee_rate=0.0005),
                dict(deposit="nonnegative", maintenance_margin_rate="rate",
                     liquidation_fee_rate="fee", taker_fee_rate="fee")),
    "deposit": (lambda a, **kw: a.deposit(**kw), dict(amount=5.0, time=1.0),
                dict(amount="positive", time="real")),
    "withdraw": (lambda a, **kw: a.withdraw(**kw), dict(amount=5.0, time=1.0),
                 dict(amount="positive", time="real")),
    "open": (lambda a, **kw: a.open("B", "long", **kw),
             dict(size=1.0, leverage=5.0, price=100.0, maintenance_margin_rate=0.01,
                  taker_fee_rate=0.001, time=1.0),
             dict(size="positive", leverage="leverage", price="positive",
                  maintenance_margin_rate="rate", taker_fee_rate="fee", time="real")),
    "open-margin": (lambda a, **kw: a.open("B", "short", **kw, mode="cross"),
                    dict(margin=10.0, size=0.5, price=100.0),
                    dict(margin="positive", size="positive", price="positive")),
    "close": (lambda a, **kw: a.close("A", **kw), dict(price=101.0, taker_fee_rate=0.001,
                                                       time=1.0),
              dict(price="positive", taker_fee_rate="fee", time="real")),
    "add_margin": (lambda a, **kw: a.add_margin("A", **kw), dict(amount=1.0, time=1.0),
                   dict(amount="positive", time="real")),
    "remove_margin": (lambda a, **kw: a.remove_margin("A", **kw), dict(amount=1.0, time=1.0),
                      dict(amount="positive", time="real")),
    "mark": (lambda a, **kw: a.mark({"A": kw["prices"], "C": 101.0}, time=kw["time"]),
             dict(prices=99.0, time=1.0), dict(prices="positive", time="real")),
    "apply_funding": (lambda a, **kw: a.apply_funding({"A": kw["rates"], "C": 0.0001},
                                                      prices={"C": kw["prices"]},
                                                      time=kw["time"]),
                      dict(rates=0.0001, prices=100.0, time=1.0),
                      dict(rates="real", prices="positive", time="real")),
}
ACCOUNT_CALLS = [(m, p) for m, (_, _, kind) in ACCOUNT.items() for p in kind]


def _account_state(acct):
    values = [acct.wallet, acct.equity(), acct.cross_equity(), acct.cross_maintenance(),
              acct.cross_initial_margin(), acct.withdrawable(), acct.conservation_error()]
    values += [e.amount for e in acct.events]
    for name, p in acct.positions.items():
        values += [p.size, p.entry_price, p.mark_price, p.notional, acct.liquidation_price(name)]
        values += [p.margin] if p.margin is not None else []
    assert np.all(np.isfinite(values)), values
    # rounding at the scale of the running sums (a 1e308 fee makes 30 of margin invisible)
    scale = max([1.0] + [abs(x) for x in dataclasses.astuple(acct.totals)])
    assert abs(acct.conservation_error()) <= 1e-9 * scale


@pytest.mark.parametrize("method, param", ACCOUNT_CALLS, ids=[f"{m}-{p}" for m, p in ACCOUNT_CALLS])
@settings(max_examples=20)
@given(data=st.data())
def test_account_bad_value_is_a_value_error_naming_it_and_changes_nothing(method, param, data):
    call, base, kind = ACCOUNT[method]
    optional = param in {"time", "maintenance_margin_rate", "taker_fee_rate"} and method not in {
        "Account"}  # None: the account's default / clock
    bad = data.draw(_bad_for(kind[param]).filter(lambda x: not (x is None and optional)),
                    label=param)
    acct = _account()
    before = (acct.wallet, acct.events, dict(acct.positions), acct.time)
    with pytest.raises(ValueError) as err:
        call(acct, **{**base, param: bad})
    assert _names(str(err.value), param), f"{method}({param}={bad!r}): {err.value}"
    assert (acct.wallet, acct.events, dict(acct.positions), acct.time) == before


@pytest.mark.parametrize("method", list(ACCOUNT))
@settings(max_examples=30)
@given(data=st.data())
def test_account_float_limits_give_a_value_error_or_a_consistent_account(method, data):
    call, base, kind = ACCOUNT[method]
    params = [p for p in kind if kind[p] in NUMERIC and p != "time"]
    chosen = data.draw(st.lists(st.sampled_from(params), min_size=1, unique=True))
    kw = {p: data.draw(st.sampled_from(EXTREME[kind[p]]), label=p) for p in chosen}
    acct = _account()
    try:
        out = call(acct, **{**base, **kw})
    except ValueError as err:
        names = list(kind) + ["amount", "name"]
        assert any(_names(str(err), n) for n in names), f"{method}({kw}): {err}"
        return
    _account_state(out if method == "Account" else acct)


def test_account_open_refuses_a_size_that_overflows_naming_the_arguments():
    acct = Account(1_000.0)
    for kw in (dict(margin=1e308, leverage=5.0), dict(size=1e308, leverage=5.0),
               dict(size=1e308, margin=10.0)):
        with pytest.raises(ValueError) as err:
            acct.open("B", "long", price=100.0, **kw)
        assert any(_names(str(err.value), n) for n in kw), str(err.value)
    assert acct.positions == {} and acct.wallet == 1_000.0


def test_account_funding_that_overflows_is_refused_before_any_payment():
    acct = _account()
    before = (acct.wallet, acct.positions["A"].margin, len(acct.events))
    with pytest.raises(ValueError, match="rates"):
        acct.apply_funding({"C": 0.0001, "A": 1e308})
    assert (acct.wallet, acct.positions["A"].margin, len(acct.events)) == before


@pytest.mark.parametrize("bad", [None, ["A"], "A", 1.0, True, {"Z": 1.0}, {"A": "1"},
                                 {"A": True}, {"A": [1.0, 2.0]}, {"A": 1 + 0j}, {"A": np.nan}])
def test_account_mark_needs_a_dict_of_known_names_to_numbers(bad):
    acct = _account()
    with pytest.raises(ValueError, match="prices"):
        acct.mark(bad)


@pytest.mark.parametrize("bad_name", [None, 1, "", ["A"], {"A": 1}, True, "Z"])
def test_account_position_names_are_checked(bad_name):
    acct = _account()
    for method in (lambda: acct.close(bad_name, price=100.0),
                   lambda: acct.add_margin(bad_name, amount=1.0),
                   lambda: acct.remove_margin(bad_name, amount=1.0),
                   lambda: acct.liquidation_price(bad_name)):
        with pytest.raises(ValueError):
            method()
    if bad_name != "Z":
        with pytest.raises(ValueError, match="name"):
            acct.open(bad_name, "long", size=1.0, leverage=2.0, price=100.0)


@pytest.mark.parametrize("bad_mode", [None, "Cross", 1, True, ["cross"]])
def test_account_open_refuses_a_bad_mode_by_name(bad_mode):
    with pytest.raises(ValueError, match="mode"):
        _account().open("B", "long", size=1.0, leverage=2.0, price=100.0, mode=bad_mode)


def test_account_positional_numbers_are_a_type_error():
    acct = _account()
    calls = [lambda: acct.add_margin("A", 1.0), lambda: acct.remove_margin("A", 1.0),
             lambda: acct.close("A", 100.0), lambda: acct.open("B", "long", 1.0, 2.0, 100.0),
             lambda: acct.deposit(1.0, 2.0), lambda: acct.withdraw(1.0, 2.0),
             lambda: acct.mark({"A": 100.0}, 1.0),
             lambda: acct.apply_funding({"A": 0.0001}, {"A": 100.0}),
             lambda: Account(100.0, 0.005)]
    for call in calls:
        with pytest.raises(TypeError):
            call()
