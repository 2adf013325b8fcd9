"""Stateful property test of the account engine: random sequences of every operation.

A hypothesis ``RuleBasedStateMachine`` deposits, withdraws, opens isolated and cross positions,
adds and removes margin, moves prices (ordinary moves and crashes of up to −95 % or +200 %),
pays funding and closes positions, in any order. After every step:

* value is conserved to 1e-9 of the capital deposited (:meth:`Account.conservation_error`), and
  the log's wallet flows add up to the wallet;
* no open position is at or below maintenance (what must be liquidated was);
* an isolated position never loses more than its margin unless the excess is recorded as bad
  debt, and an isolated liquidation never takes money from the wallet;
* each liquidation happened exactly when the rule says (recomputed independently from the
  positions before the step), and a refused operation changes nothing;
* cross liquidation prices equal :func:`marginlib.liquidation_price` with the other positions'
  maintenance and UPNL.

``test_state_machine_runs_enough_steps`` runs ``EXAMPLES × STEPS`` (up to 3,000) steps and
checks at least 2,000 were taken. For a longer run: ``HYPOTHESIS_PROFILE=thorough``
(1,000 examples).
"""
import math
import os

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition,
                                 rule, run_state_machine_as_test)

import marginlib as ml
from marginlib.account import Account
from marginlib.settlement import settle

EXAMPLES = 1_000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 100
STEPS = 30
MIN_STEPS = 2_000
TOKENS = ("AAA", "BBB", "CCC")
STEP_COUNT = {"steps": 0}

#: Price moves: ordinary ones and crashes/spikes (−40 % is the article's crash).
moves = st.one_of(st.floats(0.8, 1.25), st.sampled_from([0.6, 0.3, 0.05, 1.5, 3.0]))
fractions_below = st.floats(0.01, 0.99)
fractions_above = st.floats(1.01, 3.0)
#: Three times out of four an amount within the limit, else one beyond it (must be refused).
fractions = st.one_of(fractions_below, fractions_below, fractions_below, fractions_above)


def state(acct):
    """Everything an operation may change (events compared by count: they are append-only)."""
    return (acct.wallet, dict(acct.positions), acct.totals, len(acct.events), acct.time)


class AccountMachine(RuleBasedStateMachine):
    @initialize(deposit=st.floats(100, 1e5), mmr=st.sampled_from([0.0, 0.005, 0.01, 0.05]),
                liq_fee=st.sampled_from([0.0, 0.002, 0.01]),
                taker=st.sampled_from([0.0, 0.0005]),
                prices=st.tuples(*[st.floats(0.01, 1e4)] * len(TOKENS)))
    def setup(self, deposit, mmr, liq_fee, taker, prices):
        self.acct = Account(deposit, maintenance_margin_rate=mmr, liquidation_fee_rate=liq_fee,
                            taker_fee_rate=taker)
        self.prices = dict(zip(TOKENS, prices))
        self.count = 0
        self.time = 0.0
        self.seen_tokens = set()
        self.bad_debt = 0.0

    # ---- helpers ------------------------------------------------------------------------
    def names(self, mode=None):
        return [n for n, p in self.acct.positions.items() if mode in (None, p.mode)]

    def pick(self, index, mode=None):
        names = self.names(mode)
        return names[index % len(names)] if names else None

    def attempt(self, expect_ok, call):
        """Run ``call``; a refusal must change nothing; accepted/refused must be as expected
        (``expect_ok`` True/False, or None when it is a tie within rounding).

        Returns ``(accepted, result)``."""
        before = state(self.acct)
        try:
            result = call()
        except ValueError:
            assert state(self.acct) == before, "a refused operation changed the account"
            assert expect_ok is not True, "a valid operation was refused"
            return False, None
        assert expect_ok is not False, "an invalid operation was accepted"
        return True, result

    def verdict(self, amount, limit):
        """Expected acceptance of taking ``amount`` against ``limit``; None within rounding."""
        if abs(amount - limit) <= 1e-9 * self.capital():
            return None
        return 0 < amount < limit

    def tick(self):
        STEP_COUNT["steps"] += 1
        self.time += 1.0
        return self.time

    def check_position_endings(self, events):
        """Isolated loss <= margin unless bad debt; settlement arithmetic; no hidden debt."""
        for e in events:
            d = e.details
            if e.kind in ("liquidation", "close") and d["mode"] == "isolated":
                scale = abs(d["margin"]) + abs(d["pnl"]) + 1.0
                loss = -d["pnl"] + d["fee"]  # what the position cost, fees included
                assert e.amount >= 0.0  # the wallet never pays for an isolated position
                assert loss <= d["margin"] + d["bad_debt"] + 1e-9 * scale
                assert d["bad_debt"] == pytest.approx(max(loss - d["margin"], 0.0),
                                                      abs=1e-9 * scale)
                assert d["bad_debt"] == pytest.approx(max(-d["equity"], 0.0), abs=1e-9 * scale)
                assert e.amount == pytest.approx(max(d["equity"] - d["fee"], 0.0),
                                                 abs=1e-9 * scale)

    def expected_liquidations(self, new_marks=None, payments=None):
        """Which positions the rule liquidates, recomputed from the snapshots before a step."""
        acct = self.acct
        snaps = dict(acct.positions)
        marks = {n: (new_marks or {}).get(n, p.mark_price) for n, p in snaps.items()}
        pays = payments or {}
        wallet = acct.wallet
        doomed = []
        for n, p in snaps.items():
            if p.mode != "isolated":
                continue
            margin = p.margin + pays.get(n, 0.0)
            equity = margin + p.sign * p.size * (marks[n] - p.entry_price)
            if equity < p.size * marks[n] * p.maintenance_margin_rate:  # strictly below
                doomed.append(n)
                wallet += settle(equity=equity, notional=p.size * marks[n],
                                 liquidation_fee_rate=acct.liquidation_fee_rate).returned
        cross = [n for n, p in snaps.items() if p.mode == "cross"]
        wallet += sum(pays.get(n, 0.0) for n in cross)
        equity = wallet + sum(snaps[n].sign * snaps[n].size * (marks[n] - snaps[n].entry_price)
                              for n in cross)
        maintenance = sum(snaps[n].size * marks[n] * snaps[n].maintenance_margin_rate
                          for n in cross)
        if cross and equity < maintenance:
            doomed += cross
        return set(doomed), equity - maintenance if cross else None

    def check_triggers(self, expected, margin_of_cross, events):
        liquidated = {e.position for e in events if e.kind == "liquidation"}
        if margin_of_cross is not None and abs(margin_of_cross) < 1e-9 * self.capital():
            # A tie within rounding: the engine may decide either way for the cross account.
            cross = {n for n in expected | liquidated}
            assert {n for n in liquidated ^ expected} <= cross
            return
        assert liquidated == expected

    def capital(self):
        return max(self.acct.totals.deposits, 1.0)

    # ---- rules --------------------------------------------------------------------------
    @rule(factors=st.tuples(*[moves] * len(TOKENS)), use=st.tuples(*[st.booleans()] * 3))
    def mark(self, factors, use):
        t = self.tick()
        new_prices = {tok: min(max(self.prices[tok] * f, 1e-6), 1e9)
                      for tok, f, u in zip(TOKENS, factors, use) if u}
        if not new_prices:
            return
        self.prices.update(new_prices)
        acct = self.acct
        new_marks = {n: new_prices[p.token] for n, p in acct.positions.items()
                     if p.token in new_prices}
        expected, cross_margin = self.expected_liquidations(new_marks=new_marks)
        wallet = acct.wallet
        had_cross = bool(self.names("cross"))
        known = {k: v for k, v in new_prices.items() if k in self.seen_tokens}
        if not known:
            return
        events = acct.mark(known, time=t)
        self.check_position_endings(events)
        self.check_triggers(expected, cross_margin, events)
        cross_went = any(e.kind == "liquidation" and e.details["mode"] == "cross"
                         for e in events)
        if not cross_went and (had_cross or wallet >= 0):
            # Isolated liquidations only ever add to the wallet: their leftovers.
            returned = math.fsum(e.amount for e in events if e.kind == "liquidation")
            assert acct.wallet == pytest.approx(wallet + returned, abs=1e-9 * self.capital())

    def _open(self, mode, token, side, frac, leverage, fee_rate):
        self.tick()
        acct = self.acct
        mmr = acct.maintenance_margin_rate
        if mmr:
            leverage = min(leverage, 0.99 / mmr)
        rate = acct.taker_fee_rate if fee_rate is None else fee_rate
        if mode == "isolated":  # margin + fee leave the wallet
            limit = acct.withdrawable() / (1 + rate * leverage)
        else:  # only the fee leaves the wallet; cross equity (with UPNL) backs the margin
            headroom = acct.cross_equity() - acct.cross_initial_margin()
            limit = min(headroom / (1 + rate * leverage),
                        acct.wallet / (rate * leverage) if rate else math.inf)
        if limit <= 1e-9:
            return
        name = f"P{self.count}"
        self.count += 1
        margin = frac * limit
        accepted, snap = self.attempt(self.verdict(margin, limit), lambda: acct.open(
            name, side, margin=margin, leverage=leverage, price=self.prices[token], mode=mode,
            taker_fee_rate=fee_rate, token=token, time=self.time))
        if accepted:
            self.seen_tokens.add(token)
            assert snap.size * snap.entry_price == pytest.approx(margin * leverage)

    @rule(token=st.sampled_from(TOKENS), side=st.sampled_from(["long", "short"]),
          frac=fractions, leverage=st.floats(1, 50),
          fee_rate=st.sampled_from([None, 0.0, 0.001]))
    def open_isolated(self, token, side, frac, leverage, fee_rate):
        self._open("isolated", token, side, frac, leverage, fee_rate)

    @rule(token=st.sampled_from(TOKENS), side=st.sampled_from(["long", "short"]),
          frac=fractions, leverage=st.floats(1, 50),
          fee_rate=st.sampled_from([None, 0.0, 0.001]))
    def open_cross(self, token, side, frac, leverage, fee_rate):
        self._open("cross", token, side, frac, leverage, fee_rate)

    @precondition(lambda self: self.names())
    @rule(rate=st.one_of(st.floats(-0.003, 0.003), st.sampled_from([0.05, -0.05])),
          by_token=st.booleans())
    def funding(self, rate, by_token):
        t = self.tick()
        acct = self.acct
        snaps = dict(acct.positions)
        if by_token:
            tokens = {p.token for p in snaps.values()}
            rates = {tok: rate for tok in tokens}
        else:
            rates = {n: rate for n in snaps}
        payments = {n: -p.sign * p.size * p.mark_price * rate + 0.0 for n, p in snaps.items()}
        expected, cross_margin = self.expected_liquidations(payments=payments)
        funding = acct.totals.funding
        events = acct.apply_funding(rates, time=t)
        assert acct.totals.funding == pytest.approx(funding + math.fsum(payments.values()),
                                                    abs=1e-9 * self.capital())
        self.check_position_endings(events)
        self.check_triggers(expected, cross_margin, events)

    @precondition(lambda self: self.names("isolated"))
    @rule(index=st.integers(0, 100), frac=fractions)
    def add_margin(self, index, frac):
        self.tick()
        name = self.pick(index, "isolated")
        limit = self.acct.withdrawable()
        amount = frac * limit if limit > 0 else frac
        margin = self.acct.positions[name].margin
        accepted, _ = self.attempt(self.verdict(amount, limit),
                                   lambda: self.acct.add_margin(name, amount=amount,
                                                                time=self.time))
        if accepted:
            assert self.acct.positions[name].margin == pytest.approx(margin + amount)

    @precondition(lambda self: self.names("isolated"))
    @rule(index=st.integers(0, 100), frac=fractions)
    def remove_margin(self, index, frac):
        self.tick()
        removable = [n for n, p in self.acct.positions.items() if p.mode == "isolated"
                     and min(p.margin, p.equity - p.initial_margin) > 1e-6 * self.capital()]
        name = removable[index % len(removable)] if removable else self.pick(index, "isolated")
        p = self.acct.positions[name]
        limit = min(p.margin, p.equity - p.initial_margin)
        amount = frac * limit if limit > 0 else frac
        wallet = self.acct.wallet
        accepted, _ = self.attempt(self.verdict(amount, limit),
                                   lambda: self.acct.remove_margin(name, amount=amount,
                                                                   time=self.time))
        if accepted:
            assert self.acct.wallet == pytest.approx(wallet + amount)

    @precondition(lambda self: self.names())
    @rule(index=st.integers(0, 100), factor=st.one_of(st.floats(0.9, 1.1), moves),
          fee_rate=st.sampled_from([None, 0.0, 0.001]))
    def close(self, index, factor, fee_rate):
        t = self.tick()
        name = self.pick(index)
        price = self.acct.positions[name].mark_price * factor
        event = self.acct.close(name, price=price, taker_fee_rate=fee_rate, time=t)
        assert name not in self.acct.positions
        self.check_position_endings([event] + [e for e in self.acct.events
                                               if e.kind == "liquidation" and e.time == t])

    @rule(direction=st.sampled_from(["deposit", "withdraw"]), amount=st.floats(1, 1e4),
          frac=fractions)
    def transfer(self, direction, amount, frac):
        """Deposit ``amount``, or withdraw ``frac`` of what is withdrawable (>1: refused)."""
        self.tick()
        wallet = self.acct.wallet
        if direction == "deposit":
            self.acct.deposit(amount, time=self.time)
            assert self.acct.wallet == pytest.approx(wallet + amount)
            return
        limit = self.acct.withdrawable()
        amount = frac * limit if limit > 0 else frac
        accepted, _ = self.attempt(self.verdict(amount, limit),
                                   lambda: self.acct.withdraw(amount, time=self.time))
        if accepted:
            assert self.acct.wallet == pytest.approx(wallet - amount)

    # ---- invariants ---------------------------------------------------------------------
    @invariant()
    def value_is_conserved(self):
        acct = self.acct
        cap = self.capital()
        assert abs(acct.conservation_error()) <= 1e-9 * cap
        assert math.fsum(e.amount for e in acct.events) == pytest.approx(acct.wallet,
                                                                         abs=1e-9 * cap)
        upnl = sum(p.unrealized_pnl for p in acct.positions.values())
        assert acct.equity() == pytest.approx(acct.totals.ledger + upnl, abs=1e-9 * cap)

    @invariant()
    def nothing_open_is_below_maintenance(self):
        acct = self.acct
        for p in acct.positions.values():
            if p.mode == "isolated":
                assert p.equity > p.maintenance_margin
        if self.names("cross"):
            assert acct.cross_equity() > acct.cross_maintenance()
        else:
            assert acct.wallet >= 0.0

    @invariant()
    def totals_are_sane(self):
        t = self.acct.totals
        assert min(t.deposits, t.withdrawals, t.fees, t.liquidation_fees, t.bad_debt) >= 0
        assert t.bad_debt >= self.bad_debt  # recorded, never taken back
        self.bad_debt = t.bad_debt

    @invariant()
    def cross_liquidation_prices_are_the_library_formula(self):
        acct = self.acct
        cross = self.names("cross")
        for name in cross:
            p = acct.positions[name]
            others = [acct.positions[o] for o in cross if o != name]
            try:
                want = ml.liquidation_price(
                    p.side, entry_price=p.entry_price, size=p.size, margin=acct.wallet,
                    maintenance_margin_rate=p.maintenance_margin_rate,
                    other_maintenance=sum(o.maintenance_margin for o in others),
                    other_unrealized_pnl=sum(o.unrealized_pnl for o in others))
            except ValueError:  # outside the library formula's domain (wallet <= 0 ...)
                continue
            assert acct.liquidation_price(name) == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_state_machine_runs_enough_steps():
    STEP_COUNT["steps"] = 0
    run_state_machine_as_test(AccountMachine, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    assert STEP_COUNT["steps"] >= MIN_STEPS, STEP_COUNT
