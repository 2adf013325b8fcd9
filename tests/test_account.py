"""The account engine: golden cases, venues' cross formulas, unit tests and properties.

Golden rows live in ``tests/data/cross_golden.json`` (source and status per row). The cross
formulas of Binance, dYdX and Hyperliquid are written out literally below (from their docs as
cited with URLs in marginlib/account.py) and compared with the engine on random accounts; the
engine is also replayed to the formula's liquidation price, where it must sit exactly on
maintenance.
"""
import copy
import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import marginlib as ml
from marginlib.account import EVENT_KINDS, Account
from marginlib.settlement import cross_liquidated

GOLDEN = json.loads((Path(__file__).parent / "data" / "cross_golden.json").read_text("utf-8"))
CASES = {row["id"]: row for row in GOLDEN["cases"]}


def build(row):
    """An account with the row's deposit and positions (opened in order), marked if asked."""
    acct = Account(**row["account"])
    for pos in row["positions"]:
        pos = dict(pos)
        acct.open(pos.pop("name"), pos.pop("side"), **pos)
    if isinstance(row.get("marks"), dict):
        assert acct.mark(row["marks"]) == ()
    return acct


def liquidated(acct, name, price):
    """Names of positions liquidated when ``name`` alone is marked to ``price`` (on a copy)."""
    trial = copy.deepcopy(acct)
    return [e.position for e in trial.mark({name: price}) if e.kind == "liquidation"]


def assert_liquidates_exactly_at(acct, name, rel=1e-9):
    """Marking ``name`` just on the safe side of its liquidation price keeps it; just past, not."""
    p = acct.positions[name]
    liq = acct.liquidation_price(name)
    toward_safety = 1.0 if p.side == "long" else -1.0
    assert liquidated(acct, name, liq * (1 + toward_safety * rel)) == []
    assert name in liquidated(acct, name, liq * (1 - toward_safety * rel))
    # At the price itself equity equals maintenance (to rounding).
    trial = copy.deepcopy(acct)
    trial._positions[name].mark = liq  # look without triggering the check
    if p.mode == "isolated":
        gap = trial.positions[name].equity - trial.positions[name].maintenance_margin
        scale = trial.positions[name].notional
    else:
        gap = trial.cross_equity() - trial.cross_maintenance()
        scale = sum(x.notional for x in trial.positions.values()) + abs(trial.wallet)
    assert abs(gap) <= 1e-9 * scale


# ------------------------------------------------------------------------- golden cases
def test_golden_rows_have_a_source_and_status():
    for row in GOLDEN["cases"]:
        assert row["source"] and row["status"], row["id"]


def test_torchtrade_cross_case_via_the_engine():
    row = CASES["TT-cross"]
    acct = build(row)
    liq = acct.liquidation_price("A")
    assert liq == pytest.approx(row["expected"], abs=row["tolerance"])
    assert abs(liq - row["wrong_estimate"]) > 1.0  # not the estimate that ignores B's maintenance
    assert acct.cross_maintenance() == pytest.approx(0.4 + 4.0)
    assert_liquidates_exactly_at(acct, "A")
    # Cross: the whole account goes, B included, though B's price did not move.
    assert liquidated(acct, "A", 99.39) == ["A", "B"]
    assert liquidated(acct, "A", 99.41) == []


def test_drift_cross_liquidation_price_via_the_engine():
    row = CASES["R2-drift-cross"]
    acct = build(row)
    assert acct.liquidation_price("SOL") == pytest.approx(row["expected"], abs=row["tolerance"])
    free_collateral = acct.cross_equity() - acct.cross_maintenance()
    assert free_collateral == pytest.approx(225.0)
    assert_liquidates_exactly_at(acct, "SOL")


@pytest.mark.parametrize("mode", ["cross", "isolated"])
def test_dydx_insurance_fund_case_via_the_engine(mode):
    row = CASES["D4-dydx-insurance"]
    want = row["expected"]
    acct = build({**row, "positions": [{**row["positions"][0], "mode": mode}]})
    assert acct.positions["X"].size * 1 * 0.03 == pytest.approx(want["maintenance_at_entry"])
    # At 0.801 equity is 0.5, below maintenance: the engine liquidates at that mark.
    at_801 = copy.deepcopy(acct)
    events = at_801.mark({"X": 0.801})
    liq = [e for e in events if e.kind == "liquidation"]
    assert len(liq) == 1
    equity = liq[0].details["equity"] if mode == "isolated" else liq[0].details["cross_equity"]
    assert equity == pytest.approx(want["equity_at_0.801"], abs=row["tolerance"])
    # dYdX's fill at 0.77 (a gap through bankruptcy): the insurance fund pays 15.
    events = acct.mark({"X": 0.77})
    assert acct.totals.realized_pnl == pytest.approx(want["pnl"], abs=row["tolerance"])
    assert acct.totals.bad_debt == pytest.approx(want["bad_debt"], abs=row["tolerance"])
    assert acct.wallet == want["wallet_after"]
    assert acct.equity() == 0.0 and not acct.positions
    assert abs(acct.conservation_error()) < 1e-12


def binance_cross_lp(wb, tmm_others, upnl_others, side, pos, ep, mmr, cum=0.0):
    """Binance FAQ, one-way mode: (WB − TMM₁ + UPNL₁ + cumB − Side·Pos·EP)/(Pos·MMR − Side·Pos)."""
    return (wb - tmm_others + upnl_others + cum - side * pos * ep) / (pos * mmr - side * pos)


def dydx_cross_lp(equity, signed_size, oracle, mmf, mmr_others):
    """dYdX v4 margin.mdx: p' = (e − s·p − MMR_o)/(|s|·MMF − s)."""
    return (equity - signed_size * oracle - mmr_others) / (abs(signed_size) * mmf - signed_size)


def hyperliquid_cross_lp(price, side, account_value, maintenance_required, size, mmr):
    """Hyperliquid docs: liq = price − side·margin_available/|size|/(1 − l·side)."""
    margin_available = account_value - maintenance_required
    return price - side * margin_available / abs(size) / (1 - mmr * side)


def others_terms(acct, name):
    """Σ maintenance and Σ UPNL of the *other* cross positions, from the snapshots."""
    others = [p for n, p in acct.positions.items() if n != name and p.mode == "cross"]
    return (sum(p.maintenance_margin for p in others), sum(p.unrealized_pnl for p in others))


def venue_formulas(acct, name):
    p = acct.positions[name]
    tmm, upnl = others_terms(acct, name)
    return {
        "binance": binance_cross_lp(acct.wallet, tmm, upnl, p.sign, p.size, p.entry_price,
                                    p.maintenance_margin_rate),
        "dydx": dydx_cross_lp(acct.cross_equity(), p.sign * p.size, p.mark_price,
                              p.maintenance_margin_rate, tmm),
        "hyperliquid": hyperliquid_cross_lp(p.mark_price, p.sign, acct.cross_equity(),
                                            acct.cross_maintenance(), p.size,
                                            p.maintenance_margin_rate),
    }


def test_three_venues_cross_formulas_via_the_engine():
    row = CASES["CROSS3-formulas"]
    acct = build(row)
    liq = acct.liquidation_price("BTC")
    assert liq == pytest.approx(row["expected"], abs=row["tolerance"])
    for venue, value in venue_formulas(acct, "BTC").items():
        assert value == pytest.approx(row["expected"], abs=row["tolerance"]), venue
    assert_liquidates_exactly_at(acct, "BTC")
    assert_liquidates_exactly_at(acct, "ETH")


def test_isolated_x2_via_the_engine():
    row = CASES["X2-engine"]
    acct = build(row)
    for name, want in zip(row["query"]["liquidation_price"], row["expected"]):
        assert acct.liquidation_price(name) == pytest.approx(want, abs=row["tolerance"])
        assert_liquidates_exactly_at(acct, name)
    # Isolated: liquidating L leaves S alone.
    assert liquidated(acct, "L", 45_000) == ["L"]


# ---------------------------------------------------------------------- random accounts
sides = st.sampled_from(["long", "short"])
rates = st.sampled_from([0.0, 0.004, 0.005, 0.01, 0.03, 0.05])


@st.composite
def cross_accounts(draw, max_positions=4):
    """A funded account with 1–4 cross positions (and maybe isolated ones), marked away."""
    mmr = draw(rates)
    acct = Account(draw(st.floats(1e3, 1e5)), maintenance_margin_rate=mmr,
                   liquidation_fee_rate=draw(st.sampled_from([0.0, 0.002, 0.01])),
                   taker_fee_rate=draw(st.sampled_from([0.0, 0.0005])))
    n = draw(st.integers(1, max_positions))
    for i in range(n):
        mode = "cross" if i == 0 else draw(st.sampled_from(["cross", "isolated"]))
        lev = draw(st.floats(1.0, min(20.0, 0.99 / mmr) if mmr else 20.0))  # below 1/m
        share = draw(st.floats(0.02, 0.2))
        acct.open(f"P{i}", draw(sides), margin=share * acct.wallet, leverage=lev,
                  price=draw(st.floats(0.1, 1e4)), mode=mode)
    moves = {name: p.entry_price * draw(st.floats(0.9, 1.1)) for name, p in
             acct.positions.items()}
    acct.mark(moves)
    return acct


@given(cross_accounts())
def test_cross_liquidation_price_is_the_library_formula_with_other_terms(acct):
    for name, p in acct.positions.items():
        if p.mode == "isolated":
            want = ml.liquidation_price(p.side, entry_price=p.entry_price, size=p.size,
                                        margin=p.margin,
                                        maintenance_margin_rate=p.maintenance_margin_rate)
        else:
            tmm, upnl = others_terms(acct, name)
            try:
                want = ml.liquidation_price(p.side, entry_price=p.entry_price, size=p.size,
                                            margin=acct.wallet,
                                            maintenance_margin_rate=p.maintenance_margin_rate,
                                            other_maintenance=tmm, other_unrealized_pnl=upnl)
            except ValueError:  # outside the library formula's domain (see its Raises)
                continue
            for venue, value in venue_formulas(acct, name).items():
                assert max(value, 0.0) == pytest.approx(want, rel=1e-9, abs=1e-9), venue
        assert acct.liquidation_price(name) == pytest.approx(want, rel=1e-12, abs=1e-12)


@given(cross_accounts())
def test_engine_sits_on_maintenance_exactly_at_the_liquidation_price(acct):
    for name in acct.positions:
        if acct.liquidation_price(name) > 0:
            assert_liquidates_exactly_at(acct, name)


@given(side=sides, mmr=rates, leverage=st.floats(1.5, 20.0), extra=st.floats(0.0, 2.0),
       moves=st.lists(st.tuples(st.floats(0.5, 1.5), st.floats(-0.01, 0.01)),
                      min_size=1, max_size=30),
       fee=st.sampled_from([0.0, 0.0005]), liq_fee=st.sampled_from([0.0, 0.01]))
def test_cross_with_extra_collateral_never_liquidates_before_isolated(
        side, mmr, leverage, extra, moves, fee, liq_fee):
    """Same position, same path, same funding: cross with more free collateral lasts longer."""
    leverage = min(leverage, 0.99 / mmr) if mmr else leverage
    price, margin = 100.0, 1_000.0
    open_fee = fee * margin * leverage
    iso = Account(margin + open_fee, maintenance_margin_rate=mmr, liquidation_fee_rate=liq_fee,
                  taker_fee_rate=fee)
    crs = Account(margin + open_fee + extra * margin, maintenance_margin_rate=mmr,
                  liquidation_fee_rate=liq_fee, taker_fee_rate=fee)
    iso.open("X", side, margin=margin, leverage=leverage, price=price, mode="isolated")
    crs.open("X", side, margin=margin, leverage=leverage, price=price, mode="cross")
    assert crs.cross_equity() >= iso.positions["X"].equity
    if side == "long":
        assert crs.liquidation_price("X") <= iso.liquidation_price("X") + 1e-9
    else:
        assert crs.liquidation_price("X") >= iso.liquidation_price("X") - 1e-9
    first = {}
    for t, (factor, rate) in enumerate(moves, start=1):
        price *= factor
        for label, acct in (("iso", iso), ("cross", crs)):
            if "X" in acct.positions:
                acct.apply_funding({"X": rate}, time=t)
            if "X" in acct.positions and acct.mark({"X": price}, time=t):
                first.setdefault(label, t)
            elif "X" not in acct.positions:
                first.setdefault(label, t)
    if "cross" in first:
        assert "iso" in first and first["iso"] <= first["cross"]


# ------------------------------------------------------------------------ unit: opening
def test_open_isolated_moves_margin_and_fee_from_the_wallet():
    acct = Account(1_000, taker_fee_rate=0.0005)
    snap = acct.open("A", "long", margin=100, leverage=10, price=2.5)
    assert snap.size == pytest.approx(400.0)  # 100 × 10 / 2.5, the article's example
    assert snap.margin == 100 and snap.mode == "isolated" and snap.token == "A"
    assert acct.wallet == pytest.approx(1_000 - 100 - 0.0005 * 1_000)
    assert acct.totals.fees == pytest.approx(0.5)
    assert acct.equity() == pytest.approx(999.5)


def test_open_cross_moves_only_the_fee():
    acct = Account(1_000, taker_fee_rate=0.0005)
    snap = acct.open("A", "short", margin=100, leverage=10, price=2.5, mode="cross")
    assert snap.margin is None and snap.equity is None
    assert snap.initial_margin == pytest.approx(100.0)
    assert acct.wallet == pytest.approx(999.5)
    assert acct.cross_initial_margin() == pytest.approx(100.0)


@pytest.mark.parametrize("given_, want", [
    (dict(size=400, leverage=10), dict(size=400, margin=100, leverage=10)),
    (dict(size=400, margin=100), dict(size=400, margin=100, leverage=10)),
    (dict(margin=100, leverage=10), dict(size=400, margin=100, leverage=10)),
    (dict(size=400, margin=100, leverage=10), dict(size=400, margin=100, leverage=10)),
])
def test_open_takes_any_two_of_size_margin_leverage(given_, want):
    acct = Account(1_000)
    snap = acct.open("A", "long", price=2.5, **given_)
    assert snap.size == pytest.approx(want["size"])
    assert snap.leverage == pytest.approx(want["leverage"])
    assert snap.margin == pytest.approx(want["margin"])


@pytest.mark.parametrize("kwargs, match", [
    (dict(size=400), "two of size, margin and leverage"),
    (dict(size=400, margin=100, leverage=5), "give only two"),
    (dict(size=1, margin=100), "must not exceed the notional"),
    (dict(margin=100, leverage=0.5), "leverage must be >= 1"),
    (dict(margin=100, leverage=10, maintenance_margin_rate=0.1), r"leverage must be < 1/main"),
    (dict(margin=-1, leverage=10), "margin must be > 0"),
    (dict(margin=100, leverage=10, mode="portfolio"), "mode must be 'isolated' or 'cross'"),
    (dict(margin=100, leverage=10, taker_fee_rate=1.5), "taker_fee_rate must be a fraction"),
    (dict(margin=5_000, leverage=2), "open refused: it needs"),
    (dict(margin=900, leverage=10, mode="cross", size=None), None),
])
def test_open_refusals(kwargs, match):
    acct = Account(1_000)
    kwargs = {k: val for k, val in kwargs.items() if val is not None}
    if match is None:  # a cross position whose initial margin fits
        acct.open("A", "long", price=2.5, **kwargs)
        with pytest.raises(ValueError, match="below the cross initial margin"):
            acct.open("B", "long", margin=200, leverage=10, price=2.5, mode="cross")
        return
    before = (acct.wallet, acct.events, dict(acct.positions))
    with pytest.raises(ValueError, match=match):
        acct.open("A", "long", price=2.5, **kwargs)
    assert (acct.wallet, acct.events, dict(acct.positions)) == before


@pytest.mark.parametrize("call, match", [
    (lambda a: a.open("A", "long", margin=1, leverage=2, price=1), "already open"),
    (lambda a: a.open("B", "buy", margin=1, leverage=2, price=1), "side must be 'long'"),
    (lambda a: a.open("", "long", margin=1, leverage=2, price=1), "name must be a non-empty"),
    (lambda a: a.open("B", "long", margin=1, leverage=2, price=0), "price must be > 0"),
    (lambda a: a.open("B", "long", margin=1, leverage=2, price=[1, 2]), "single number"),
    (lambda a: a.deposit(-5), "amount must be > 0"),
    (lambda a: a.withdraw(float("nan")), "amount must be finite"),
    (lambda a: a.withdraw(10_000), "withdraw refused"),
    (lambda a: a.close("Z", price=1.0), "no open position named 'Z'"),
    (lambda a: a.mark({"Z": 1.0}), "'Z' is neither a position nor a token"),
    (lambda a: a.mark({"A": -1.0}), r"prices\['A'\] must be > 0"),
    (lambda a: a.mark([1.0]), "prices must be a dict"),
    (lambda a: a.apply_funding({"A": float("inf")}), r"rates\['A'\] must be finite"),
    (lambda a: a.add_margin("C", amount=1.0), "'C' is a cross position"),
    (lambda a: a.remove_margin("C", amount=1.0), "'C' is a cross position"),
    (lambda a: a.remove_margin("A", amount=100.0), "would leave no margin"),
    (lambda a: a.remove_margin("A", amount=50.0), "below the initial margin requirement"),
    (lambda a: a.add_margin("A", amount=1e6), "add_margin refused"),
    (lambda a: a.mark({"A": 1.0}, time=-1), "time must not go backwards"),
])
def test_refused_operations_raise_and_change_nothing(call, match):
    acct = Account(1_000, maintenance_margin_rate=0.01)
    acct.open("A", "long", margin=100, leverage=10, price=10, time=1)
    acct.open("C", "short", margin=100, leverage=5, price=10, mode="cross")
    state = (acct.wallet, acct.events, dict(acct.positions), acct.totals, acct.time)
    with pytest.raises(ValueError, match=match):
        call(acct)
    assert (acct.wallet, acct.events, dict(acct.positions), acct.totals, acct.time) == state


def test_account_constructor_validates():
    with pytest.raises(ValueError, match="maintenance_margin_rate must be a fraction"):
        Account(maintenance_margin_rate=1.0)
    with pytest.raises(ValueError, match="deposit must be >= 0"):
        Account(-1)
    assert Account().wallet == 0.0 and Account().events == []


# ------------------------------------------------------------- unit: margin, withdrawals
def test_withdrawable_is_the_exact_limit():
    acct = Account(1_000, maintenance_margin_rate=0.01)
    acct.open("C", "long", margin=400, leverage=5, price=10, mode="cross")
    acct.mark({"C": 9.0})  # UPNL −200, IM at the mark 360
    assert acct.withdrawable() == pytest.approx(1_000 - 200 - 360)
    with pytest.raises(ValueError, match="below the cross initial margin"):
        acct.withdraw(acct.withdrawable() + 1e-6)
    acct.withdraw(acct.withdrawable())
    assert acct.cross_equity() == pytest.approx(acct.cross_initial_margin())
    assert acct.withdrawable() == pytest.approx(0.0, abs=1e-9)


def test_withdraw_cannot_take_unrealised_profit_out_of_the_wallet():
    acct = Account(100)
    acct.open("C", "long", margin=50, leverage=2, price=10, mode="cross")
    acct.mark({"C": 20.0})  # UPNL +100: cross equity 200, but the wallet holds 100
    assert acct.withdrawable() == 100
    with pytest.raises(ValueError, match="which holds 100"):
        acct.withdraw(150)


def test_add_and_remove_margin_match_adjust_margin():
    acct = Account(1_000, maintenance_margin_rate=0.05)
    acct.open("A", "long", margin=100, leverage=10, price=2.5)
    before = acct.liquidation_price("A")
    acct.add_margin("A", amount=50)
    adj = ml.adjust_margin("long", entry_price=2.5, size=400, margin=100, amount=50,
                           maintenance_margin_rate=0.05)
    assert acct.positions["A"].margin == pytest.approx(adj.margin)
    assert acct.liquidation_price("A") == pytest.approx(adj.liquidation_price, rel=1e-12)
    assert acct.liquidation_price("A") < before  # adding margin moves it away
    assert acct.positions["A"].entry_price == 2.5  # "does not reset your entry price"
    acct.mark({"A": 2.6})
    adj = ml.adjust_margin("long", entry_price=2.5, size=400, margin=150, amount=-80,
                           mark_price=2.6, initial_margin_rate=0.1,
                           maintenance_margin_rate=0.05)
    acct.remove_margin("A", amount=80)
    assert acct.positions["A"].margin == pytest.approx(adj.margin)
    assert acct.liquidation_price("A") == pytest.approx(adj.liquidation_price, rel=1e-12)
    assert acct.wallet == pytest.approx(1_000 - 100 - 50 + 80)


@given(margin=st.floats(10, 1_000), leverage=st.floats(1.5, 15), side=sides,
       move=st.floats(0.9, 1.1), amount=st.floats(0.1, 1_000))
def test_remove_margin_refused_exactly_when_adjust_margin_refuses(margin, leverage, side, move,
                                                                 amount):
    acct = Account(10_000, maintenance_margin_rate=0.005)
    acct.open("A", side, margin=margin, leverage=leverage, price=100)
    acct.mark({"A": 100 * move})
    if "A" not in acct.positions:
        return
    p = acct.positions["A"]
    try:
        ml.adjust_margin(side, entry_price=100, size=p.size, margin=p.margin, amount=-amount,
                         mark_price=p.mark_price,
                         initial_margin_rate=1 / leverage)
        library_refuses = False
    except ValueError:
        library_refuses = True
    try:
        acct.remove_margin("A", amount=amount)
        engine_refuses = False
    except ValueError:
        engine_refuses = True
    assert engine_refuses == library_refuses


# ------------------------------------------------------------------------ unit: closing
def test_close_isolated_returns_margin_plus_pnl_minus_fee():
    acct = Account(1_000, taker_fee_rate=0.001)
    acct.open("A", "long", size=10, margin=20, price=10)
    event = acct.close("A", price=11)
    assert event.details["pnl"] == pytest.approx(10.0)
    assert event.details["fee"] == pytest.approx(0.11)
    assert event.amount == pytest.approx(20 + 10 - 0.11)
    assert acct.wallet == pytest.approx(1_000 - 20 - 0.1 + 20 + 10 - 0.11)
    assert acct.totals.realized_pnl == pytest.approx(10.0)
    assert not acct.positions


def test_close_isolated_below_bankruptcy_records_bad_debt():
    acct = Account(100, taker_fee_rate=0.001)
    acct.open("A", "long", size=10, margin=20, price=10, taker_fee_rate=0.0)
    event = acct.close("A", price=7.0)  # PnL −30 on margin 20
    assert event.details["fee"] == 0.0 and event.amount == 0.0
    assert event.details["bad_debt"] == pytest.approx(10.0)
    assert acct.wallet == pytest.approx(80.0)  # the wallet never pays for an isolated loss
    assert abs(acct.conservation_error()) < 1e-12


def test_close_cross_settles_pnl_and_fee_in_the_wallet():
    acct = Account(1_000, taker_fee_rate=0.001)
    acct.open("C", "short", size=10, leverage=5, price=10, mode="cross")
    event = acct.close("C", price=9)
    assert event.amount == pytest.approx(10 - 0.09)
    assert acct.wallet == pytest.approx(1_000 - 0.1 + 10 - 0.09)


def test_closing_the_last_cross_position_with_a_negative_wallet_is_bad_debt():
    acct = Account(11)
    acct.open("A", "long", size=1, leverage=10, price=100, mode="cross")
    acct.open("B", "long", size=1, leverage=50, price=10, mode="cross")
    acct.mark({"B": 100.0})  # B's UPNL +90 carries A
    acct.mark({"A": 60.0})  # A's UPNL −40: wallet 11, cross equity 61
    acct.close("A", price=60.0)  # wallet 11 − 40 = −29, still covered by B's profit
    assert acct.wallet == pytest.approx(-29.0) and acct.cross_equity() == pytest.approx(61.0)
    acct.close("B", price=15.0)  # B gives most of it back: wallet −24, no cross position left
    assert acct.wallet == 0.0
    assert acct.totals.bad_debt == pytest.approx(24.0)
    assert acct.events[-1].kind == "bad_debt"
    assert abs(acct.conservation_error()) < 1e-12


# -------------------------------------------------------------------- unit: liquidation
def test_isolated_liquidation_charges_fee_and_returns_the_rest():
    acct = Account(1_000, maintenance_margin_rate=0.005, liquidation_fee_rate=0.002)
    acct.open("A", "long", size=1, margin=10, price=100)
    liq = acct.liquidation_price("A")
    assert liq == pytest.approx(90 / 0.995)
    (event,) = acct.mark({"A": 90.4})
    assert event.kind == "liquidation" and event.position == "A" and event.price == 90.4
    equity = 10 - 9.6
    fee = min(0.002 * 90.4, equity)
    assert event.details["fee"] == pytest.approx(fee)
    assert event.amount == pytest.approx(equity - fee)
    assert acct.wallet == pytest.approx(990 + equity - fee)
    assert acct.totals.liquidation_fees == pytest.approx(fee)


def three_positions(mode):
    """The article's portfolio: three DeFAI-style longs, 100 of margin each at 10×."""
    acct = Account(300, maintenance_margin_rate=0.01, liquidation_fee_rate=0.005)
    for name in ("AAA", "BBB", "CCC"):
        acct.open(name, "long", margin=100, leverage=10, price=1.0, mode=mode)
    return acct


def test_article_three_isolated_positions_one_crash_loses_one_pool():
    """'One token crashing 40 % only liquidates that specific margin pool.'"""
    acct = three_positions("isolated")
    events = acct.mark({"BBB": 0.6})
    assert [e.position for e in events] == ["BBB"]
    assert set(acct.positions) == {"AAA", "CCC"}
    assert acct.wallet == 0.0  # BBB's 100 is gone, nothing else
    assert acct.equity() == pytest.approx(200.0)
    assert acct.totals.bad_debt == pytest.approx(300.0)  # −400 on a margin of 100


def test_article_three_cross_positions_one_crash_takes_the_account():
    """'One bad move can take the whole account': the same crash in cross."""
    acct = three_positions("cross")
    events = acct.mark({"BBB": 0.6})
    assert [e.position for e in events if e.kind == "liquidation"] == ["AAA", "BBB", "CCC"]
    assert not acct.positions and acct.equity() == 0.0
    assert acct.totals.bad_debt == pytest.approx(100.0)


def test_a_smaller_crash_cross_survives_where_isolated_loses_a_pool():
    """Shared collateral absorbs a 15 % drop that liquidates the isolated pool."""
    iso, crs = three_positions("isolated"), three_positions("cross")
    assert [e.position for e in iso.mark({"BBB": 0.85})] == ["BBB"]
    assert crs.mark({"BBB": 0.85}) == ()
    assert crs.equity() == pytest.approx(150.0)  # lost 150, kept three positions
    assert iso.equity() == pytest.approx(200.0)  # lost BBB's whole pool (100)


def test_cross_liquidation_takes_every_cross_position_and_spares_isolated_ones():
    acct = Account(300, maintenance_margin_rate=0.01, liquidation_fee_rate=0.005)
    acct.open("ISO", "long", margin=100, leverage=2, price=1.0)
    acct.open("A", "long", margin=50, leverage=8, price=1.0, mode="cross")
    acct.open("B", "long", margin=50, leverage=8, price=1.0, mode="cross")
    # Wallet 200; A alone falls to 0.5: UPNL −200, cross equity 0 <= maintenance 6.
    events = acct.mark({"A": 0.5})
    assert [e.position for e in events] == ["A", "B"]
    assert set(acct.positions) == {"ISO"}
    assert acct.positions["ISO"].margin == 100
    assert acct.wallet == pytest.approx(0.0, abs=1e-12)
    assert acct.totals.bad_debt == pytest.approx(0.0, abs=1e-9)
    assert abs(acct.conservation_error()) < 1e-12


def test_cross_liquidation_gap_records_bad_debt_and_floors_the_wallet():
    acct = Account(100, maintenance_margin_rate=0.01, liquidation_fee_rate=0.01)
    acct.open("A", "long", size=100, leverage=10, price=10, mode="cross")
    events = acct.mark({"A": 8.0})  # UPNL −200 on a wallet of 100
    kinds = [e.kind for e in events]
    assert kinds == ["liquidation", "bad_debt"]
    assert events[0].details["fee"] == 0.0
    assert events[1].amount == pytest.approx(100.0)
    assert acct.wallet == 0.0 and acct.totals.bad_debt == pytest.approx(100.0)


def test_isolated_liquidation_money_counts_for_the_cross_check():
    """Isolated positions are checked first; their leftovers return to the wallet."""
    acct = Account(145, maintenance_margin_rate=0.1)
    acct.open("ISO", "short", size=200, margin=100, price=1.0)  # liquidated from 300/220
    acct.open("C", "long", size=100, leverage=5, price=1.0, mode="cross")
    # ISO at 1.4: equity 20 < 28, returns 20. C at 0.5: wallet 45 + 20, UPNL −50, MM 5.
    events = acct.mark({"ISO": 1.4, "C": 0.5})
    assert [e.position for e in events] == ["ISO"]
    assert acct.wallet == pytest.approx(65.0)
    assert acct.cross_equity() - acct.cross_maintenance() == pytest.approx(10.0)
    # Without the 20 the cross account would have gone (45 − 50 < 5).
    assert cross_liquidated(["long"], size=[100.0], entry_price=[1.0], wallet=45.0,
                            maintenance_margin_rate=0.1, price=[0.5])


# ----------------------------------------------------------------------- unit: funding
def test_funding_isolated_from_margin_cross_from_wallet():
    acct = Account(1_000)
    acct.open("I", "long", size=2, margin=100, price=60)
    acct.open("C", "short", size=2, leverage=10, price=60, mode="cross")
    wallet = acct.wallet
    events = acct.apply_funding({"I": 0.0001, "C": 0.0001}, prices={"I": 50.0})
    assert events == ()
    assert acct.positions["I"].margin == pytest.approx(100 - ml.funding_payment(
        "short", size=2, price=50.0, funding_rate=0.0001))
    assert acct.wallet == pytest.approx(wallet + ml.funding_payment("short", size=2, price=60,
                                                                    funding_rate=0.0001))
    assert acct.positions["I"].mark_price == 60  # the reference price is not a mark
    funding = [e for e in acct.events if e.kind == "funding"]
    assert [e.amount for e in funding] == [0.0, pytest.approx(0.012)]
    assert funding[0].details["payment"] == pytest.approx(-0.01)
    assert acct.totals.funding == pytest.approx(-0.01 + 0.012)


def test_funding_between_a_long_and_a_short_sums_to_zero():
    longs, shorts = Account(1_000), Account(1_000)
    longs.open("X", "long", size=3, leverage=5, price=70, mode="cross")
    shorts.open("X", "short", size=3, leverage=5, price=70, mode="cross")
    for acct in (longs, shorts):
        acct.apply_funding({"X": 0.0003})
        acct.apply_funding({"X": -0.0001})
    assert longs.totals.funding + shorts.totals.funding == pytest.approx(0.0, abs=1e-15)


def test_funding_can_liquidate_an_isolated_position():
    acct = Account(1_000, maintenance_margin_rate=0.01)
    acct.open("I", "long", size=100, margin=10, price=1.0)  # maintenance 1
    events = acct.apply_funding({"I": 0.0905})  # pays 9.05: equity 0.95 <= 1
    assert [e.kind for e in events] == ["liquidation"]
    assert events[0].details["margin"] == pytest.approx(0.95)


# --------------------------------------------------------------------- marks and tokens
def test_a_token_price_marks_every_position_on_that_token():
    acct = Account(1_000)
    acct.open("TOK-iso", "long", margin=100, leverage=2, price=5.0, token="TOK")
    acct.open("TOK-cross", "short", margin=100, leverage=2, price=5.0, token="TOK",
              mode="cross")
    acct.open("OTHER", "long", margin=100, leverage=2, price=1.0)
    acct.mark({"TOK": 5.5}, time=1)
    assert acct.positions["TOK-iso"].mark_price == 5.5
    assert acct.positions["TOK-cross"].mark_price == 5.5
    assert acct.positions["OTHER"].mark_price == 1.0
    acct.mark({"TOK": 6.0, "TOK-iso": 7.0}, time=2)  # a position name wins over its token
    assert acct.positions["TOK-iso"].mark_price == 7.0
    assert acct.positions["TOK-cross"].mark_price == 6.0
    assert acct.time == 2


def test_marks_for_closed_positions_are_ignored():
    acct = Account(1_000)
    acct.open("A", "long", margin=100, leverage=2, price=1.0)
    acct.close("A", price=1.0)
    assert acct.mark({"A": 2.0}) == ()


# ---------------------------------------------------------------- views, log, ledger
def test_positions_are_read_only_snapshots():
    acct = Account(1_000)
    acct.open("A", "long", margin=100, leverage=2, price=1.0)
    snap = acct.positions["A"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.size = 3
    with pytest.raises(TypeError):
        acct.positions["B"] = snap
    acct.mark({"A": 2.0})
    assert snap.mark_price == 1.0 and acct.positions["A"].mark_price == 2.0
    assert acct.positions["A"].unrealized_pnl == pytest.approx(200.0)
    with pytest.raises(TypeError):
        acct.events[0].details["amount"] = 0


def scripted():
    acct = Account(2_000, maintenance_margin_rate=0.01, liquidation_fee_rate=0.005,
                   taker_fee_rate=0.0005)
    acct.open("I1", "long", margin=200, leverage=5, price=10)
    acct.open("I2", "short", margin=100, leverage=8, price=3)
    acct.open("C1", "long", margin=300, leverage=4, price=50, mode="cross")
    acct.open("C2", "short", margin=200, leverage=4, price=20, mode="cross")
    acct.mark({"I1": 11.0, "C1": 48.0}, time=1)
    acct.apply_funding({"I1": 0.001, "C1": 0.001, "C2": 0.001, "I2": -0.002}, time=2)
    acct.add_margin("I1", amount=50, time=3)
    acct.mark({"I2": 3.5}, time=4)  # I2 liquidated, with bad debt
    acct.deposit(100, time=5)
    acct.remove_margin("I1", amount=20, time=5)
    acct.mark({"C1": 5.0, "C2": 60.0}, time=6)  # cross liquidation, with bad debt
    acct.close("I1", price=9.5, time=7)
    acct.withdraw(50, time=8)
    return acct


def test_scripted_life_is_conserved_and_logged():
    acct = scripted()
    kinds = [e.kind for e in acct.events]
    assert kinds.count("liquidation") == 3 and "I2" not in acct.positions
    assert not acct.positions
    assert abs(acct.conservation_error()) < 1e-9
    assert acct.equity() == pytest.approx(acct.totals.ledger)
    # The log is the ledger: its wallet flows add up to the wallet.
    assert math.fsum(e.amount for e in acct.events) == pytest.approx(acct.wallet, abs=1e-9)
    assert all(e.kind in EVENT_KINDS for e in acct.events)
    assert [e.time for e in acct.events] == sorted(e.time for e in acct.events)


def test_totals_can_be_rebuilt_from_the_events():
    acct = scripted()
    ev = acct.events
    d = lambda kind, key: math.fsum(e.details.get(key, 0.0) for e in ev if e.kind == kind)
    t = acct.totals
    assert t.deposits == pytest.approx(math.fsum(e.amount for e in ev if e.kind == "deposit"))
    assert t.withdrawals == pytest.approx(-math.fsum(e.amount for e in ev
                                                     if e.kind == "withdraw"))
    assert t.fees == pytest.approx(d("open", "fee") + d("close", "fee"))
    assert t.liquidation_fees == pytest.approx(d("liquidation", "fee"))
    assert t.funding == pytest.approx(d("funding", "payment"))
    assert t.realized_pnl == pytest.approx(d("close", "pnl") + d("liquidation", "pnl"))
    assert t.bad_debt == pytest.approx(d("close", "bad_debt") + d("liquidation", "bad_debt")
                                       + d("bad_debt", "bad_debt"), abs=1e-12)


def test_conservation_error_sees_a_leak():
    acct = scripted()
    acct._wallet += 1.0  # a unit appearing from nowhere
    assert acct.conservation_error() == pytest.approx(1.0)


def test_repr_names_positions():
    acct = Account(1_000)
    acct.open("A", "long", margin=100, leverage=2, price=1.0, mode="cross")
    assert "A (cross long)" in repr(acct)


def test_full_liquidation_fee_takes_all_equity_left():
    """A 100 % liquidation fee (dYdX allows it): the fee takes what equity is left, no more."""
    acct = Account(1_000, liquidation_fee_rate=1.0, maintenance_margin_rate=0.05)
    acct.open("A", "long", margin=100, leverage=10, price=100.0)  # size 10
    (event,) = acct.mark({"A": 94.0})  # equity 40 < maintenance 47: the fee takes the 40
    assert event.kind == "liquidation" and event.amount == 0.0
    assert event.details["fee"] == pytest.approx(40.0)
    assert acct.totals.liquidation_fees == pytest.approx(40.0)
    assert acct.totals.bad_debt == 0.0
    assert abs(acct.conservation_error()) < 1e-9
    with pytest.raises(ValueError, match=r"liquidation_fee_rate must be a fraction in \[0, 1\]"):
        Account(1_000, liquidation_fee_rate=1.5)


@pytest.mark.parametrize("mode", ["isolated", "cross"])
def test_equity_exactly_at_maintenance_is_not_liquidated(mode):
    """Strictly below maintenance (dYdX, Binance, Hyperliquid, Drift): at the tie, nothing."""
    acct = Account(1_000, maintenance_margin_rate=0.25)
    acct.open("A", "long", margin=1_000, leverage=1.6, price=100.0, mode=mode)  # size 16
    assert acct.mark({"A": 50.0}) == ()  # equity 200 == maintenance 16·50·0.25 = 200
    equity = acct.positions["A"].equity if mode == "isolated" else acct.cross_equity()
    assert equity == acct.positions["A"].maintenance_margin == 200.0
    assert [e.kind for e in acct.mark({"A": 49.99})] == ["liquidation"]


def test_numeric_arguments_of_the_methods_are_keyword_only():
    acct = Account(1_000)
    acct.open("A", "long", margin=100, leverage=2, price=10.0)
    for call in (lambda: acct.close("A", 11.0), lambda: acct.add_margin("A", 5.0),
                 lambda: acct.remove_margin("A", 5.0), lambda: acct.mark({"A": 11.0}, 1.0),
                 lambda: acct.apply_funding({"A": 0.001}, {"A": 10.0})):
        with pytest.raises(TypeError):
            call()
    assert acct.positions["A"].taker_fee_rate == 0.0


# ---- a venue changes the maintenance rate of open positions ----------------------------------

@pytest.mark.parametrize("mode", ["isolated", "cross"])
def test_raised_maintenance_liquidates_strictly_below(mode):
    """After the change the strict rule holds: at the tie nothing, just above it liquidated."""
    acct = Account(1_000, maintenance_margin_rate=0.10)
    acct.open("A", "long", margin=1_000, leverage=1.6, price=100.0, mode=mode)  # size 16
    assert acct.mark({"A": 50.0}) == ()  # equity 1000 − 16·50 = 200 > 16·50·0.10 = 80
    # 16·50·0.25 = 200 == equity: not liquidated.
    assert acct.set_maintenance_rate("A", maintenance_margin_rate=0.25, time=1.0) == ()
    assert acct.positions["A"].maintenance_margin == 200.0
    assert acct.positions["A"].maintenance_margin_rate == 0.25
    events = acct.set_maintenance_rate("A", maintenance_margin_rate=0.2501, time=2.0)
    assert [e.kind for e in events] == ["liquidation"] and not acct.positions
    changes = [e for e in acct.events if e.kind == "maintenance_change"]
    assert [(e.time, e.amount, e.price, e.details["previous_rate"],
             e.details["maintenance_margin_rate"]) for e in changes] == [
        (1.0, 0.0, 50.0, 0.10, 0.25), (2.0, 0.0, 50.0, 0.25, 0.2501)]
    assert abs(acct.conservation_error()) < 1e-9
    assert math.fsum(e.amount for e in acct.events) == pytest.approx(acct.wallet, abs=1e-9)


def test_raised_maintenance_moves_the_liquidation_price_by_hand_formula():
    """Isolated long, q = 10, E = 100, M = 100: P_liq = (M − q·E)/(q·m − q) at the new m."""
    acct = Account(1_000, maintenance_margin_rate=0.01)
    acct.open("A", "long", margin=100, leverage=10, price=100.0)
    assert acct.set_maintenance_rate("A", maintenance_margin_rate=0.05) == ()
    by_hand = (100 - 10 * 100) / (10 * 0.05 - 10)  # 94.7368...
    assert acct.liquidation_price("A") == pytest.approx(by_hand, rel=1e-12)
    assert acct.mark({"A": by_hand * (1 + 1e-9)}) == ()
    assert [e.kind for e in acct.mark({"A": by_hand * (1 - 1e-9)})] == ["liquidation"]


def test_maintenance_change_by_token_changes_every_position_of_that_token_at_once():
    """Two cross longs on one token: both rates change before the cross check runs."""
    acct = Account(100, maintenance_margin_rate=0.01)
    acct.open("A", "long", size=1, leverage=5, price=100.0, mode="cross", token="ETH")
    acct.open("B", "long", size=1, leverage=5, price=100.0, mode="cross", token="ETH")
    acct.open("C", "long", size=1, leverage=5, price=10.0, mode="cross", token="SOL")
    acct.mark({"ETH": 80.0})  # equity 100 − 40 = 60 > Σ q·P·m = (80 + 80 + 10)·0.01
    # m = 0.35 on ETH: maintenance 2·80·0.35 + 10·0.01 = 56.1 < 60, nothing happens.
    assert acct.set_maintenance_rate("ETH", maintenance_margin_rate=0.35) == ()
    rates = {n: p.maintenance_margin_rate for n, p in acct.positions.items()}
    assert rates == {"A": 0.35, "B": 0.35, "C": 0.01}
    assert acct.cross_maintenance() == pytest.approx(2 * 80 * 0.35 + 10 * 0.01)
    # m = 0.375: 60 + 0.1 = 60.1 > 60, the whole cross account goes.
    events = acct.set_maintenance_rate("ETH", maintenance_margin_rate=0.375)
    assert sorted(e.position for e in events if e.kind == "liquidation") == ["A", "B", "C"]
    assert abs(acct.conservation_error()) < 1e-9


@pytest.mark.parametrize("rate", [float("nan"), float("inf"), -0.01, 1.0, 2, True, "0.1",
                                  1j, None, np.array([0.1, 0.2])])
def test_set_maintenance_rate_refuses_a_bad_rate_by_name(rate):
    acct = Account(1_000, maintenance_margin_rate=0.05)
    acct.open("A", "long", margin=100, leverage=2, price=10.0)
    before = list(acct.events)
    with pytest.raises(ValueError, match="maintenance_margin_rate"):
        acct.set_maintenance_rate("A", maintenance_margin_rate=rate)
    assert acct.positions["A"].maintenance_margin_rate == 0.05 and acct.events == before


@pytest.mark.parametrize("name", ["Z", None, 3, ["A"], {"A": 1}])
def test_set_maintenance_rate_refuses_a_bad_name_by_name(name):
    acct = Account(1_000, maintenance_margin_rate=0.05)
    acct.open("A", "long", margin=100, leverage=2, price=10.0)
    with pytest.raises(ValueError, match=r"^name"):
        acct.set_maintenance_rate(name, maintenance_margin_rate=0.1)
    with pytest.raises(ValueError, match="time must not go backwards"):
        acct.mark({}, time=5.0)
        acct.set_maintenance_rate("A", maintenance_margin_rate=0.1, time=1.0)
    with pytest.raises(TypeError):
        acct.set_maintenance_rate("A", 0.1)  # the rate is keyword-only
    assert acct.positions["A"].maintenance_margin_rate == 0.05
