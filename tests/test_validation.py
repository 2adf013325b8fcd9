"""Every ValueError path of the public API: bad input is refused, naming the argument.

NaN/inf are tried on every numeric argument of every public function; zero/negative on every
argument that must be positive; rates outside [0, 1); unknown sides; leverage below 1 or above
the venue maximum; margins already below maintenance at entry; removals below the initial
requirement; malformed tier tables; and the private helpers' own contracts.
"""
import re

import numpy as np
import pytest

import marginlib as ml
from marginlib import _validation as v
from marginlib import venues
from marginlib.tiers import hyperliquid_tiers
from marginlib.venues import bybit, drift, dydx, hyperliquid, phemex

T = ml.margin_tiers(floors=[0, 50_000], rates=[0.004, 0.005], max_leverages=[125, 100])

# function -> a valid call (keyword arguments); every numeric one is corrupted in turn below
BASE = {
    "notional": (ml.notional, dict(margin=100, leverage=10, max_leverage=20)),
    "position_size": (ml.position_size, dict(margin=100, leverage=10, entry_price=2.5, max_leverage=20)),
    "unrealized_pnl": (ml.unrealized_pnl, dict(side="long", size=400, entry_price=2.5, mark_price=2.0)),
    "return_on_margin": (ml.return_on_margin, dict(side="long", size=400, entry_price=2.5,
                                                   mark_price=2.0, margin=100)),
    "realized_pnl": (ml.realized_pnl, dict(side="long", size=400, entry_price=2.5, exit_price=2.6,
                                           open_fee_rate=0.0005, close_fee_rate=0.0005)),
    "effective_leverage": (ml.effective_leverage, dict(side="long", size=400, entry_price=2.5,
                                                       margin=100, mark_price=2.4)),
    "bankruptcy_price": (ml.bankruptcy_price, dict(side="long", entry_price=100, size=1, margin=10)),
    "maintenance_margin": (ml.maintenance_margin, dict(size=1, price=100, maintenance_margin_rate=0.01,
                                                       maintenance_amount=0.1)),
    "liquidation_price": (ml.liquidation_price, dict(
        side="long", entry_price=100, size=1, margin=10, maintenance_margin_rate=0.01,
        maintenance_amount=0.1, other_maintenance=0.5, other_unrealized_pnl=0.5,
        taker_fee_rate=0.0005)),
    "liquidation_outcome": (ml.liquidation_outcome, dict(
        side="long", entry_price=100, size=1, margin=10, maintenance_margin_rate=0.01,
        maintenance_amount=0.1, liquidation_fee_rate=0.002, taker_fee_rate=0.0005)),
    "liquidation_outcome_exit": (ml.liquidation_outcome, dict(
        side="long", entry_price=100, size=1, margin=10, exit_price=95)),
    "adjust_margin": (ml.adjust_margin, dict(
        side="long", entry_price=100, size=1, margin=10, amount=5, mark_price=101,
        initial_margin_rate=0.05, maintenance_margin_rate=0.01, maintenance_amount=0.1,
        taker_fee_rate=0.0005)),
    "margin_tiers": (ml.margin_tiers, dict(floors=[0, 50_000], rates=[0.004, 0.005],
                                           max_leverages=[125, 100])),
    "hyperliquid_tiers": (hyperliquid_tiers, dict(floors=[0, 150e6], max_leverages=[40, 20])),
    "tiered_liquidation_price": (ml.tiered_liquidation_price, dict(
        side="short", entry_price=100, size=1, margin=10, tiers=T, other_maintenance=0.5,
        other_unrealized_pnl=0.5, taker_fee_rate=0.0005)),
    "venue_liquidation_price": (venues.venue_liquidation_price, dict(
        venue="hyperliquid_btc", side="long", entry_price=100, size=1, margin=10)),
    "compare_venues": (ml.compare_venues, dict(side="long", entry_price=100, margin=10, leverage=5)),
    "initial_margin": (ml.initial_margin, dict(size=1, price=100, leverage=10, max_leverage=20)),
    "fee_to_close": (ml.fee_to_close, dict(side="long", size=1, entry_price=100, leverage=10,
                                           taker_fee_rate=0.0005)),
    "bybit_uta_liquidation_price": (bybit.uta_liquidation_price, dict(
        side="long", entry_price=100, size=1, leverage=10, maintenance_margin_rate=0.005,
        extra_margin=1, taker_fee_rate=0.0005, mm_deduction=0.1, max_leverage=100)),
    "phemex_position_balance": (phemex.position_balance, dict(
        side="long", size=500, entry_price=0.4, leverage=5, taker_fee_rate=0.0006)),
    "hyperliquid_maintenance_rate": (hyperliquid.maintenance_margin_rate, dict(max_leverage=20)),
    "hyperliquid_backstop_threshold": (hyperliquid.backstop_threshold,
                                       dict(maintenance_margin=1_250)),
    "dydx_impact_notional": (dydx.impact_notional, dict(initial_margin_rate=0.1)),
    "dydx_effective_imf": (dydx.effective_initial_margin_rate, dict(
        initial_margin_rate=0.1, open_interest_notional=35e6, lower_cap=20e6, upper_cap=50e6)),
    "drift_asset_weight": (drift.asset_weight, dict(size=2_000, base_asset_weight=0.8,
                                                       imf_factor=0.003)),
}


def _numeric_args():
    for name, (func, kw) in BASE.items():
        for key, val in kw.items():
            if isinstance(val, (int, float)) and not isinstance(val, bool):
                yield pytest.param(name, key, None, id=f"{name}-{key}")
            elif isinstance(val, list):
                yield pytest.param(name, key, 0, id=f"{name}-{key}[0]")


def _call(name, **changes):
    func, kw = BASE[name]
    return func(**{**kw, **changes})


def test_base_calls_are_valid():
    for name in BASE:
        _call(name)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("name, key, index", list(_numeric_args()))
def test_nan_and_inf_are_refused_naming_the_argument(name, key, index, bad):
    value = bad
    if index is not None:  # a sequence argument: corrupt one entry
        value = list(BASE[name][1][key])
        value[index] = bad
    with pytest.raises(ValueError, match=re.escape(key)):
        _call(name, **{key: value})


POSITIVE = [
    ("notional", "margin"), ("position_size", "entry_price"), ("unrealized_pnl", "size"),
    ("unrealized_pnl", "entry_price"), ("unrealized_pnl", "mark_price"),
    ("return_on_margin", "margin"), ("realized_pnl", "exit_price"),
    ("effective_leverage", "margin"), ("effective_leverage", "mark_price"),
    ("bankruptcy_price", "entry_price"), ("bankruptcy_price", "size"), ("bankruptcy_price", "margin"),
    ("maintenance_margin", "size"), ("maintenance_margin", "price"),
    ("liquidation_price", "entry_price"), ("liquidation_price", "size"),
    ("liquidation_price", "margin"), ("liquidation_outcome", "margin"),
    ("liquidation_outcome_exit", "exit_price"), ("adjust_margin", "margin"),
    ("adjust_margin", "size"), ("adjust_margin", "entry_price"), ("adjust_margin", "mark_price"),
    ("tiered_liquidation_price", "entry_price"), ("tiered_liquidation_price", "size"),
    ("tiered_liquidation_price", "margin"), ("venue_liquidation_price", "entry_price"),
    ("venue_liquidation_price", "size"), ("venue_liquidation_price", "margin"),
    ("compare_venues", "entry_price"), ("compare_venues", "margin"),
    ("initial_margin", "size"), ("initial_margin", "price"), ("fee_to_close", "size"),
    ("fee_to_close", "entry_price"), ("bybit_uta_liquidation_price", "entry_price"),
    ("bybit_uta_liquidation_price", "size"), ("phemex_position_balance", "size"),
    ("phemex_position_balance", "entry_price"), ("dydx_impact_notional", "initial_margin_rate"),
    ("dydx_effective_imf", "initial_margin_rate"), ("dydx_effective_imf", "upper_cap"),
    ("drift_asset_weight", "base_asset_weight"),
]


@pytest.mark.parametrize("bad", [0.0, -1.0], ids=["zero", "negative"])
@pytest.mark.parametrize("name, key", POSITIVE, ids=[f"{n}-{k}" for n, k in POSITIVE])
def test_zero_or_negative_refused(name, key, bad):
    with pytest.raises(ValueError, match=re.escape(key)):
        _call(name, **{key: bad})


NONNEGATIVE = [
    ("maintenance_margin", "maintenance_amount"), ("liquidation_price", "maintenance_amount"),
    ("liquidation_price", "other_maintenance"), ("tiered_liquidation_price", "other_maintenance"),
    ("adjust_margin", "maintenance_amount"), ("bybit_uta_liquidation_price", "extra_margin"),
    ("bybit_uta_liquidation_price", "mm_deduction"), ("hyperliquid_backstop_threshold", "maintenance_margin"),
    ("dydx_effective_imf", "open_interest_notional"), ("dydx_effective_imf", "lower_cap"),
    ("drift_asset_weight", "size"), ("drift_asset_weight", "imf_factor"),
]


@pytest.mark.parametrize("name, key", NONNEGATIVE, ids=[f"{n}-{k}" for n, k in NONNEGATIVE])
def test_negative_refused(name, key):
    with pytest.raises(ValueError, match=re.escape(key)):
        _call(name, **{key: -0.01})


RATES = [
    ("realized_pnl", "open_fee_rate"), ("realized_pnl", "close_fee_rate"),
    ("maintenance_margin", "maintenance_margin_rate"), ("liquidation_price", "maintenance_margin_rate"),
    ("liquidation_price", "taker_fee_rate"), ("liquidation_outcome", "maintenance_margin_rate"),
    ("liquidation_outcome", "liquidation_fee_rate"), ("liquidation_outcome", "taker_fee_rate"),
    ("adjust_margin", "initial_margin_rate"), ("adjust_margin", "maintenance_margin_rate"),
    ("adjust_margin", "taker_fee_rate"), ("tiered_liquidation_price", "taker_fee_rate"),
    ("fee_to_close", "taker_fee_rate"), ("bybit_uta_liquidation_price", "maintenance_margin_rate"),
    ("bybit_uta_liquidation_price", "taker_fee_rate"), ("phemex_position_balance", "taker_fee_rate"),
]


#: Fee rates a venue may set to 100 %: accepted in [0, 1] inclusive (dYdX's liquidation fee).
FEES_UP_TO_ONE = [("realized_pnl", "open_fee_rate"), ("realized_pnl", "close_fee_rate"),
                  ("liquidation_outcome", "liquidation_fee_rate"),
                  ("fee_to_close", "taker_fee_rate"), ("phemex_position_balance", "taker_fee_rate")]


@pytest.mark.parametrize("bad", [-0.001, 1.0, 1.5])
@pytest.mark.parametrize("name, key", RATES, ids=[f"{n}-{k}" for n, k in RATES])
def test_rates_outside_unit_interval_refused(name, key, bad):
    if bad == 1.0 and (name, key) in FEES_UP_TO_ONE:
        pytest.skip("a 100 % fee rate is allowed (test_fee_rate_of_100_percent_accepted)")
    with pytest.raises(ValueError, match=re.escape(key)):
        _call(name, **{key: bad})


@pytest.mark.parametrize("name, key", FEES_UP_TO_ONE, ids=[f"{n}-{k}" for n, k in FEES_UP_TO_ONE])
def test_fee_rate_of_100_percent_accepted(name, key):
    out = _call(name, **{key: 1.0})
    assert out is not None


def test_liquidation_fee_of_100_percent_takes_all_the_equity():
    out = ml.liquidation_outcome("long", entry_price=100, size=1, margin=10, exit_price=95,
                                 liquidation_fee_rate=1.0)
    assert out.liquidation_fee == pytest.approx(5.0) and out.returned == 0.0
    assert out.bad_debt == 0.0


def test_taker_fee_of_100_percent_accepted_where_the_sum_stays_below_one():
    # a 100 % taker fee is a valid fee rate; only m + fee >= 1 is refused (no liquidation price)
    assert v.fee_rate("taker_fee_rate", 1.0) == 1.0
    with pytest.raises(ValueError, match="maintenance_margin_rate \\+ taker_fee_rate"):
        ml.liquidation_price("long", entry_price=100, size=1, margin=10, taker_fee_rate=1.0)


def test_rates_table_entries_outside_unit_interval_refused():
    with pytest.raises(ValueError, match="rates"):
        ml.margin_tiers(floors=[0, 10], rates=[0.01, 1.0])
    with pytest.raises(ValueError, match="rates"):
        ml.margin_tiers(floors=[0, 10], rates=[-0.01, 0.01])


SIDED = [n for n, (_, kw) in BASE.items() if "side" in kw]


@pytest.mark.parametrize("bad", ["buy", "Long", "", 1, None, ["long", "sell"], {"long": 1},
                                 True, ["long", None]],
                         ids=["buy", "Long", "empty", "int", "None", "array", "dict", "bool",
                              "array-None"])
@pytest.mark.parametrize("name", SIDED)
def test_unknown_side_refused(name, bad):
    with pytest.raises(ValueError, match="side"):
        _call(name, side=bad)


LEVERAGED = [("notional", "leverage"), ("position_size", "leverage"),
             ("initial_margin", "leverage"), ("fee_to_close", "leverage"),
             ("bybit_uta_liquidation_price", "leverage"), ("phemex_position_balance", "leverage"),
             ("compare_venues", "leverage"), ("hyperliquid_maintenance_rate", "max_leverage"),
             ("hyperliquid_tiers", "max_leverages"), ("margin_tiers", "max_leverages")]


@pytest.mark.parametrize("name, key", LEVERAGED, ids=[f"{n}-{k}" for n, k in LEVERAGED])
def test_leverage_below_one_refused(name, key):
    value = [0.5, 0.5] if key.endswith("s") else 0.5
    with pytest.raises(ValueError, match=re.escape(key) + ".* >= 1"):
        _call(name, **{key: value})


@pytest.mark.parametrize("name", ["notional", "position_size", "initial_margin",
                                  "bybit_uta_liquidation_price"])
def test_leverage_above_max_refused(name):
    with pytest.raises(ValueError, match="leverage must be <= the venue maximum"):
        _call(name, leverage=150)
    _call(name, leverage=_call_max(name))  # exactly at the maximum is fine


def _call_max(name):
    return BASE[name][1]["max_leverage"]


def test_max_leverage_itself_must_be_positive():
    with pytest.raises(ValueError, match="max_leverage"):
        ml.notional(margin=100, leverage=10, max_leverage=0)


@pytest.mark.parametrize("key, lev", [("hyperliquid_btc", 41), ("dydx_v4_small_cap", 11),
                                      ("binance_btcusdt", 126)])
def test_venue_leverage_above_its_maximum(key, lev):
    entry, size = 100.0, 2.0
    with pytest.raises(ValueError, match="leverage"):
        venues.venue_liquidation_price(key, "long", entry_price=entry, size=size, margin=entry * size / lev)


# ----------------------------------------------------------------------- margin vs maintenance
def test_margin_below_maintenance_at_entry_refused():
    # MM at entry = 1 × 100 × 0.5 % = 0.5; liquidated iff equity < MM (strictly below)
    for margin in (0.4999, 0.4):
        with pytest.raises(ValueError, match="margin must be at least the maintenance margin"):
            ml.liquidation_price("long", entry_price=100, size=1, margin=margin, maintenance_margin_rate=0.005)
        with pytest.raises(ValueError, match="margin must be at least the maintenance margin"):
            ml.liquidation_price("short", entry_price=100, size=1, margin=margin, maintenance_margin_rate=0.005, convention="entry")
    # exactly at maintenance: not liquidated, the boundary is the entry price itself
    assert ml.liquidation_price("long", entry_price=100, size=1, margin=0.5,
                                maintenance_margin_rate=0.005) == pytest.approx(100.0, rel=1e-12)
    assert ml.liquidation_price("short", entry_price=100, size=1, margin=0.5,
                                maintenance_margin_rate=0.005,
                                convention="entry") == pytest.approx(100.0, rel=1e-12)
    # the closing fee counts: 0.55 > 0.5 but not > 0.5 + 0.1
    with pytest.raises(ValueError, match="margin"):
        ml.liquidation_price("long", entry_price=100, size=1, margin=0.55, maintenance_margin_rate=0.005, taker_fee_rate=0.001)
    # cross: the other positions' requirement eats the wallet
    with pytest.raises(ValueError, match="margin"):
        ml.liquidation_price("long", entry_price=100, size=1, margin=5, maintenance_margin_rate=0.004, other_maintenance=4.7)
    with pytest.raises(ValueError, match="margin"):
        ml.liquidation_price("long", entry_price=100, size=1, margin=5, maintenance_margin_rate=0.004, other_unrealized_pnl=-5)
    with pytest.raises(ValueError, match="margin"):
        ml.tiered_liquidation_price("long", entry_price=100, size=1, margin=0.39, tiers=T)
    with pytest.raises(ValueError, match="margin"):
        bybit.uta_liquidation_price("long", entry_price=100, size=1, leverage=50, maintenance_margin_rate=0.03)  # 2 % IM < 3 % MM
    with pytest.raises(ValueError, match="margin"):
        ml.liquidation_outcome("long", entry_price=100, size=1, margin=0.4, maintenance_margin_rate=0.005)
    with pytest.raises(ValueError, match="margin"):
        ml.adjust_margin("long", entry_price=100, size=1, margin=1, amount=-0.6, maintenance_margin_rate=0.005)


def test_rate_plus_fee_must_stay_below_one():
    with pytest.raises(ValueError, match=re.escape("maintenance_margin_rate + taker_fee_rate")):
        ml.liquidation_price("short", entry_price=100, size=1, margin=50, maintenance_margin_rate=0.6, taker_fee_rate=0.5)
    with pytest.raises(ValueError, match="taker_fee_rate"):
        ml.tiered_liquidation_price("short", entry_price=100, size=1, margin=50, tiers=ml.margin_tiers(floors=[0], rates=[0.6]),
                                    taker_fee_rate=0.5)


def test_unknown_convention_refused():
    with pytest.raises(ValueError, match="convention"):
        ml.liquidation_price("long", entry_price=100, size=1, margin=10, convention="bybit")
    with pytest.raises(ValueError, match="convention"):
        ml.liquidation_outcome("long", entry_price=100, size=1, margin=10, convention="Mark")


def test_non_numeric_refused():
    with pytest.raises(ValueError, match="margin"):
        ml.liquidation_price("long", entry_price=100, size=1, margin="10")
    with pytest.raises(ValueError, match="entry_price"):
        ml.bankruptcy_price("long", entry_price=[100, "x"], size=1, margin=10)
    with pytest.raises(ValueError, match="size"):
        ml.unrealized_pnl("long", size={"q": 1}, entry_price=100, mark_price=90)


# ----------------------------------------------------------------------- adjust_margin
def test_adjust_margin_removal_refusals():
    with pytest.raises(ValueError, match="amount.*leave no margin"):
        ml.adjust_margin("long", entry_price=100, size=1, margin=10, amount=-10)
    with pytest.raises(ValueError, match="amount.*initial margin"):
        ml.adjust_margin("long", entry_price=100, size=1, margin=10, amount=-5.01, initial_margin_rate=0.05)
    with pytest.raises(ValueError, match="amount"):
        ml.adjust_margin("short", entry_price=100, size=1, margin=10, amount=-1, mark_price=106, initial_margin_rate=0.05)
    with pytest.raises(ValueError, match="amount"):  # arrays: one bad element is enough
        ml.adjust_margin("long", entry_price=100, size=1, margin=10, amount=np.array([1.0, -6.0]), initial_margin_rate=0.05)


def test_adjust_margin_on_a_bankrupt_position_refused():
    with pytest.raises(ValueError, match="bankrupt"):
        ml.adjust_margin("long", entry_price=100, size=1, margin=10, amount=1, mark_price=80)


# ----------------------------------------------------------------------- tier tables
@pytest.mark.parametrize("floors, rates, match", [
    ([10, 20], [0.01, 0.02], "floors must start at 0"),
    ([0, 20, 20], [0.01, 0.02, 0.03], "floors must be strictly increasing"),
    ([0, 20, 10], [0.01, 0.02, 0.03], "floors must be strictly increasing"),
    ([], [], "floors"),
    ([[0, 10]], [[0.01, 0.02]], "floors"),
    ([0, -10], [0.01, 0.02], "floors"),
    ([0, 10], [0.01], "rates must have one entry per floor"),
    ([0, 10], [0.02, 0.01], "rates must be non-decreasing"),
])
def test_tier_table_validation(floors, rates, match):
    with pytest.raises(ValueError, match=match):
        ml.margin_tiers(floors=floors, rates=rates)


def test_tier_table_max_leverages_validation():
    with pytest.raises(ValueError, match="max_leverages must have one entry per floor"):
        ml.margin_tiers(floors=[0, 10], rates=[0.01, 0.02], max_leverages=[20])
    with pytest.raises(ValueError, match="max_leverages"):
        hyperliquid_tiers(floors=[0, 10], max_leverages=[20, 0.5])


def test_tier_methods_refuse_negative_notional():
    for method in (T.tier_index, T.rate, T.amount, T.maintenance_margin, T.max_leverage):
        with pytest.raises(ValueError, match="notional"):
            method(-1)


def test_tiered_liquidation_price_needs_a_table():
    with pytest.raises(ValueError, match="tiers must be a MarginTiers"):
        ml.tiered_liquidation_price("long", entry_price=100, size=1, margin=10, tiers=[(0, 0.01)])


def test_dydx_cap_order():
    with pytest.raises(ValueError, match="upper_cap"):
        dydx.effective_initial_margin_rate(initial_margin_rate=0.1, open_interest_notional=35e6, lower_cap=50e6, upper_cap=20e6)
    with pytest.raises(ValueError, match="initial_margin_rate"):
        dydx.impact_notional(1.5)
    with pytest.raises(ValueError, match="base_asset_weight"):
        drift.asset_weight(size=10, base_asset_weight=1.2, imf_factor=0.003)


# ----------------------------------------------------------------------- private helpers
def test_check_random_state():
    a = v.check_random_state(None).random(3)
    b = v.check_random_state(None).random(3)
    np.testing.assert_array_equal(a, b)  # None → seed 0, deterministic
    np.testing.assert_array_equal(v.check_random_state(0).random(3), a)
    g = np.random.default_rng(5)
    assert v.check_random_state(g) is g
    assert isinstance(v.check_random_state(np.int64(3)), np.random.Generator)
    for bad in (-1, 1.5, "0", True):
        with pytest.raises(ValueError, match="rng"):
            v.check_random_state(bad)


def test_helpers_contracts():
    assert v.scalar_or_array(np.float64(2.0)) == 2.0 and type(v.scalar_or_array(np.array(2))) is float
    assert isinstance(v.scalar_or_array([1, 2]), np.ndarray)
    np.testing.assert_array_equal(v.side_sign(np.array(["long", "short"])), [1.0, -1.0])
    assert float(v.side_sign("short")) == -1.0
    with pytest.raises(ValueError, match="x must be a number or an array of numbers"):
        v.as_float_array("x", object())
    with pytest.raises(ValueError, match="x must be > 0, got an empty array|x"):
        v.positive("x", [np.nan])
    assert v.leverage_value("leverage", 20, 20) == 20  # the cap is inclusive


# ----------------------------------------------------------------------- stricter conversion
@pytest.mark.parametrize("bad, why", [
    (True, "True/False"), (np.bool_(False), "True/False"), (np.array([True]), "True/False"),
    ([1.0, True], "True/False"), ([[1.0], [False]], "True/False"),
    (1 + 0j, "complex"), (np.complex128(2.0), "complex"), (np.array([1.0 + 0j]), "complex"),
    ([1.0, 2j], "complex"), (np.array([1, None], dtype=object), "got None"),
    (np.array(["1"], dtype=object), "got '1'"), ([None], "got None"), ({"a": 1}, "got"),
    (10 ** 400, "float range"), (np.array([10 ** 400], dtype=object), "float range"),
    ([[1.0], [1.0, 2.0]], "got"), (np.datetime64("2025-01-01"), "got"), (b"1", "got"),
])
def test_as_float_array_refuses_non_reals_naming_the_argument(bad, why):
    with pytest.raises(ValueError, match=rf"^size must be .*{re.escape(why)}"):
        v.finite("size", bad)


def test_as_float_array_accepts_reals():
    from decimal import Decimal
    from fractions import Fraction
    for ok in (3, np.int8(3), 3.0, np.float32(3), Fraction(3), Decimal(3), [1, 2.5],
               np.array([1, 2], dtype=object), np.uint64(3)):
        assert np.all(np.isfinite(v.finite("size", ok)))
    assert v.finite("size", []).shape == (0,)  # empty in, empty out


def test_positive_refuses_subnormals():
    with pytest.raises(ValueError, match="size must be at least 2.2e-308"):
        v.positive("size", 5e-324)
    assert v.positive("size", 2.2250738585072014e-308) > 0


def test_fee_rate_includes_100_percent_and_unit_rate_does_not():
    assert v.fee_rate("liquidation_fee_rate", 1.0) == 1.0
    with pytest.raises(ValueError, match=r"liquidation_fee_rate must be a fraction in \[0, 1\]"):
        v.fee_rate("liquidation_fee_rate", 1.0000001)
    with pytest.raises(ValueError, match=r"maintenance_margin_rate must be a fraction in \[0, 1\)"):
        v.unit_rate("maintenance_margin_rate", 1.0)


def test_broadcast_names_both_arguments_and_shapes():
    with pytest.raises(ValueError, match=r"^size \(shape \(3,\)\) and margin \(shape \(2,\)\)"):
        v.broadcast(side=np.ones(1), size=np.ones(3), margin=np.ones(2))
    a, b = v.broadcast(size=np.ones((2, 1)), margin=np.ones(3))
    assert a.shape == b.shape == (2, 3)


def test_result_guard_names_the_inputs_and_their_values():
    with pytest.raises(ValueError, match=r"overflow.*size=1e\+308, price=10.0"):
        with np.errstate(over="ignore"):
            v.result(np.array([1.0, 1e308]) * 10.0, size=[1.0, 1e308], price=10.0)
    assert v.result(np.array(2.0)) == 2.0 and type(v.result(np.array(2.0))) is float


def test_count():
    assert v.count("n_steps", 3) == 3 and v.count("n_steps", 3.0) == 3
    assert v.count("n_steps", np.int64(0), minimum=0) == 0
    assert v.count("n_steps", 5, maximum=5) == 5
    for bad in (True, 2.5, -1, 0, np.nan, np.inf, "3", None, [3], 1j):
        with pytest.raises(ValueError, match="n_steps must be a whole number >= 1"):
            v.count("n_steps", bad)
    with pytest.raises(ValueError, match="n_steps must be a whole number >= 1 and <= 5"):
        v.count("n_steps", 6, maximum=5)


def test_single_number_is_the_one_scalar_check_of_records_and_generators():
    """v.single_number: one number through the named check, as a float; bools and arrays named."""
    assert v.single_number("volatility", 0.8, v.nonnegative) == 0.8
    assert type(v.single_number("x", np.float32(2), v.positive)) is float
    for bad, match in [(True, "x must be a number, got True"),
                       (np.bool_(False), "x must be a number"),
                       ([1.0, 2.0], r"x must be a single number, got an array of shape \(2,\)"),
                       (np.ones((1, 1)), r"x must be a single number, got an array of shape"),
                       (-1.0, "x must be > 0"), (np.nan, "x must be finite"),
                       ("1", "x must be a number")]:
        with pytest.raises(ValueError, match=match):
            v.single_number("x", bad, v.positive)
    # both former copies now call it: a Venue field and the synthetic generator
    with pytest.raises(ValueError, match=r"Venue.taker_fee_rate must be a single number"):
        venues.Venue(key="k", name="n", max_leverage=10, tiers=venues.get_venue("gmx_v2").tiers,
                     taker_fee_rate=[0.001, 0.002])
    from marginlib.data import synthetic
    with pytest.raises(ValueError, match="volatility must be a number, got True"):
        synthetic.bridge_price_path(start_price=1, end_price=2, n_steps=3, volatility=True)
