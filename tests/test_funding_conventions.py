"""Peers' conventions and the boundary of the funding, costs, venue and data modules.

dYdX's open-interest caps 0/0 mean no scaling; its funding cap with IMF = MMF is 0; fee rates
go up to and including 100 %; ``Venue`` refuses bad fields (also through
``dataclasses.replace``); a rate that is rounding noise never liquidates; numeric arguments are
keyword-only, so a swapped positional call is a TypeError, never a wrong number; data helpers
raise ValueError naming the user's argument.
"""
import dataclasses

import numpy as np
import pytest

from marginlib import costs, funding, funding_drift, position, units
from marginlib.data import loaders, records, synthetic
from marginlib.sim import rates as sim_rates
from marginlib.tiers import margin_tiers
from marginlib.venues import Venue, VENUES, dydx, get_venue, venue_liquidation_price


# --------------------------------------------------------------------------- dYdX conventions
def test_dydx_caps_zero_zero_is_no_scaling():
    for oi in (0.0, 1e6, 1e12):
        assert dydx.effective_initial_margin_rate(
            initial_margin_rate=0.02, open_interest_notional=oi, lower_cap=0,
            upper_cap=0) == 0.02
    got = dydx.effective_initial_margin_rate(initial_margin_rate=[0.02, 0.1],
                                             open_interest_notional=35e6,
                                             lower_cap=[0, 20e6], upper_cap=[0, 50e6])
    np.testing.assert_allclose(got, [0.02, 0.55])
    with pytest.raises(ValueError, match="upper_cap must be greater than lower_cap"):
        dydx.effective_initial_margin_rate(initial_margin_rate=0.1, open_interest_notional=1,
                                           lower_cap=5, upper_cap=5)


def test_dydx_funding_cap_is_zero_when_imf_equals_mmf():
    assert dydx.funding_cap(initial_margin_rate=0.05, maintenance_margin_rate=0.05) == 0.0
    assert dydx.funding_rate(0.01, initial_margin_rate=0.05,
                             maintenance_margin_rate=0.05) == 0.0
    with pytest.raises(ValueError, match="maintenance_margin_rate must be <= initial_margin_rate"):
        dydx.funding_cap(initial_margin_rate=0.03, maintenance_margin_rate=0.05)


# --------------------------------------------------------------------------- fees up to 100 %
def test_fee_rates_up_to_and_including_100_percent():
    assert costs.fee_to_close("long", size=1, entry_price=100, leverage=2,
                              taker_fee_rate=1.0) == pytest.approx(50.0)
    venue = dataclasses.replace(get_venue("dydx_v4_small_cap"), liquidation_fee_rate=1.0,
                                taker_fee_rate=1.0)
    assert venue.liquidation_fee_rate == 1.0 and venue.taker_fee_rate == 1.0
    with pytest.raises(ValueError, match="liquidation_fee_rate"):
        dataclasses.replace(venue, liquidation_fee_rate=1.0000001)
    with pytest.raises(ValueError, match="taker_fee_rate"):
        costs.fee_to_close("long", size=1, entry_price=100, leverage=2, taker_fee_rate=1.5)


# --------------------------------------------------------------------------- Venue records
def _venue(**changes):
    fields = dict(key="mine", name="Mine", max_leverage=20, tiers=margin_tiers(floors=[0.0], rates=[0.005]))
    return Venue(**{**fields, **changes})


def test_venue_convention_must_be_exactly_mark_or_entry():
    with pytest.raises(ValueError, match="convention must be 'mark' or 'entry', got 'Mark'"):
        _venue(convention="Mark")
    with pytest.raises(ValueError, match="convention"):
        dataclasses.replace(get_venue("gmx_v2"), convention="ENTRY")
    # the same trade, entry convention: 4545.45 (never silently 'entry' for a typo of 'mark')
    entry = _venue(convention="entry")
    mark = _venue(convention="mark")
    assert venue_liquidation_price(entry, "long", entry_price=5_000, size=1, margin=500) != \
        venue_liquidation_price(mark, "long", entry_price=5_000, size=1, margin=500)


@pytest.mark.parametrize("field, bad", [
    ("key", 3), ("key", ""), ("name", None), ("max_leverage", 0.5), ("max_leverage", True),
    ("max_leverage", float("nan")), ("max_leverage", [10, 20]), ("tiers", [0.005]),
    ("taker_fee_rate", -0.001), ("taker_fee_rate", 1j), ("liquidation_fee_rate", 2.0),
    ("funding_interval_hours", 0.0), ("fee_in_requirement", "yes"), ("source", 1.0)])
def test_venue_refuses_bad_fields_also_through_replace(field, bad):
    with pytest.raises(ValueError, match=field):
        _venue(**{field: bad})
    with pytest.raises(ValueError, match=field):
        dataclasses.replace(get_venue("binance_btcusdt"), **{field: bad})


def test_every_preset_is_a_valid_venue():
    for key, venue in VENUES.items():
        assert key == venue.key and dataclasses.replace(venue) == venue


def test_funding_cap_record_validates():
    cap = funding.FundingCap("k", "K", 0.01, 8.0)
    assert cap.per_hours(1) == pytest.approx(0.00125)
    for changes in ({"cap": -0.1}, {"interval_hours": 0}, {"key": 1}, {"cap": float("inf")}):
        with pytest.raises(ValueError, match=next(iter(changes))):
            dataclasses.replace(cap, **changes)


# --------------------------------------------------------------------------- rounding noise
def test_a_rate_that_is_rounding_noise_never_liquidates():
    noise = 3 * 0.0001 - 0.0003
    assert noise != 0.0
    for side in ("long", "short"):
        for rate in (noise, -noise, 1e-13):
            assert funding_drift.intervals_to_funding_liquidation(
                side, entry_price=2.5, size=400, margin=100, funding_rate=rate) == -1
    got = funding_drift.intervals_to_funding_liquidation(
        "long", entry_price=2.5, size=400, margin=100, funding_rate=[noise, 0.001])
    np.testing.assert_array_equal(got, [-1, 101])
    assert funding_drift.RATE_NOISE_TOLERANCE == 1e-12


def test_a_drain_longer_than_2_53_intervals_is_a_value_error_not_an_overflow():
    with pytest.raises(ValueError, match="funding_rate is too small against margin"):
        funding_drift.intervals_to_funding_liquidation("long", entry_price=1, size=1,
                                                       margin=1e300, funding_rate=1e-9)


def test_equity_exactly_at_maintenance_is_not_liquidated():
    d = funding_drift.isolated_funding_drift("long", entry_price=100, size=1, margin=10,
                                             rate_path=[0.05, 0.05, 0.05])
    assert d.margin.tolist() == [10.0, 5.0, 0.0, -5.0]
    assert d.liquidated.tolist() == [False, False, False, True]
    assert d.liquidation_interval == 3 == funding_drift.intervals_to_funding_liquidation(
        "long", entry_price=100, size=1, margin=10, funding_rate=0.05)


# --------------------------------------------------------------------------- keyword-only
@pytest.mark.parametrize("call", [
    lambda: funding.funding_payment("long", 2, 60_000, 0.0001),
    lambda: funding.cap_funding_rate(0.05, 0.003),
    lambda: funding.convert_funding_rate(0.0001, 8, 1),
    lambda: funding.annualize_funding_rate(0.0001, 8),
    lambda: funding.funding_rate_from_premium(0.001, 0.0001),
    lambda: funding.cumulative_funding("long", 1, 100, [0.001]),
    lambda: funding_drift.isolated_funding_drift("long", 100, 1, 10, [0.001]),
    lambda: funding_drift.intervals_to_funding_liquidation("long", 100, 1, 10, 0.001),
    lambda: costs.break_even_move("long", 2.5, 400),
    lambda: costs.carry_return("short", 0.0001, 90),
    lambda: position.initial_margin(1, 10_000, 10),
    lambda: costs.fee_to_close("long", 1, 40_000, 50, 0.00055),
    lambda: dydx.funding_cap(0.05, 0.03),
    lambda: venue_liquidation_price("gmx_v2", "long", 5_000, 10, 5_000),
    lambda: sim_rates.constant_rate_path(0.0001, 3),
    lambda: synthetic.bridge_price_path(2.5, 2.6, 10, 0.8),
    lambda: loaders.load_funding_history([], "X/USDT"),
])
def test_a_positional_numeric_argument_is_a_type_error(call):
    with pytest.raises(TypeError):
        call()


# --------------------------------------------------------------------------- units, schedule
def test_one_definition_of_the_time_units():
    assert units.HOURS_PER_YEAR == 8760.0 and units.SECONDS_PER_HOUR == 3600.0
    assert funding.annualize_funding_rate(1.0, interval_hours=1) == units.HOURS_PER_YEAR


def test_hourly_funding_schedule():
    s = funding.hourly_funding_schedule(funding_rate=0.0008, n_hours=24, interval_hours=8)
    assert s.shape == (24,) and s.sum() == pytest.approx(3 * 0.0008)
    assert np.flatnonzero(s).tolist() == [7, 15, 23]
    np.testing.assert_array_equal(
        funding.hourly_funding_schedule(funding_rate=0.0001, n_hours=3, interval_hours=1),
        [0.0001] * 3)
    for kwargs, name in (({"n_hours": 0}, "n_hours"), ({"interval_hours": 2.5}, "interval_hours"),
                         ({"funding_rate": float("nan")}, "funding_rate"),
                         ({"interval_hours": True}, "interval_hours")):
        with pytest.raises(ValueError, match=name):
            funding.hourly_funding_schedule(**{"funding_rate": 0.001, "n_hours": 8,
                                               "interval_hours": 8, **kwargs})


# --------------------------------------------------------------------------- data boundary
@pytest.mark.parametrize("name, bad", [
    ("premium_volatility_per_hour", -1.0), ("premium_volatility_per_hour", float("nan")),
    ("volatility", -0.5), ("days", 0), ("days", 1.5), ("days", float("inf")), ("days", 1e308),
    ("start_price", 0.0), ("premium_reversion", 0.0), ("cap_per_hour", -0.1),
    ("start", 5), ("symbol", None)])
def test_synthetic_sample_errors_name_the_users_argument(name, bad):
    with pytest.raises(ValueError, match=name):
        synthetic.synthetic_defai_sample(**{"days": 1, name: bad})


@pytest.mark.parametrize("kwargs, name", [
    ({"n_steps": float("inf")}, "n_steps"), ({"n_steps": 1e308}, "n_steps"),
    ({"n_paths": 2.5}, "n_paths"), ({"volatility": 1e308}, "volatility"),
    ({"start_price": True}, "start_price")])
def test_bridge_errors_name_the_argument(kwargs, name):
    base = dict(start_price=1.0, end_price=2.0, n_steps=4, volatility=0.5)
    with pytest.raises(ValueError, match=name):
        synthetic.bridge_price_path(**{**base, **kwargs})


def test_writer_and_loaders_raise_value_errors(tmp_path):
    sample = loaders.load_defai_sample()
    with pytest.raises(ValueError, match="sample"):
        synthetic.write_sample_csv("not a sample", tmp_path)
    with pytest.raises(ValueError, match="names"):
        synthetic.write_sample_csv(sample, tmp_path, names={"funding": "f.csv"})
    with pytest.raises(ValueError, match="rate_digits"):
        synthetic.write_sample_csv(sample, tmp_path, rate_digits=-1)
    with pytest.raises(ValueError, match="directory"):
        loaders.load_defai_sample(tmp_path)
    with pytest.raises(ValueError, match="source"):
        loaders.load_funding_history(42)
    with pytest.raises(ValueError, match="timestamp"):
        loaders.load_funding_history([{"timestamp": 1e308, "fundingRate": 0.1}])
    with pytest.raises(ValueError, match="fundingRate"):
        loaders.load_funding_history([{"timestamp": 1, "fundingRate": True}])
    with pytest.raises(ValueError, match="symbol"):
        loaders.load_funding_history([{"timestamp": 1, "fundingRate": 0.1}], symbol=3)


def test_records_validate_when_built_and_replaced():
    h = records.FundingRateHistory([0, 3_600_000], [0.0001, 0.0002], "X", 1.0)
    assert h.timestamps.dtype == np.int64 and not h.rates.flags.writeable
    for changes, name in (({"rates": [0.1]}, "rates"), ({"rates": [0.1, float("nan")]}, "rates"),
                          ({"timestamps": [5, 1]}, "timestamps"),
                          ({"timestamps": ["a", "b"]}, "timestamps"),
                          ({"interval_hours": -1.0}, "interval_hours"),
                          ({"synthetic": "no"}, "synthetic"), ({"symbol": 1}, "symbol")):
        with pytest.raises(ValueError, match=name):
            dataclasses.replace(h, **changes)
    sample = loaders.load_defai_sample()
    with pytest.raises(ValueError, match="close"):
        dataclasses.replace(sample.prices, close=-sample.prices.close)
    with pytest.raises(ValueError, match="reference_prices"):
        dataclasses.replace(sample, reference_prices=sample.reference_prices[:3])
    with pytest.raises(ValueError, match="funding"):
        dataclasses.replace(sample, funding=None)
