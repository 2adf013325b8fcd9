"""The contagion lab's scenarios (marginlib.course.contagion), without matplotlib: the
holdings and rates, the crash replay through the Account engine (checked against the
liquidation price and outcome by hand), the books, the price model and the loss bins."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marginlib.course import contagion as cc
from marginlib.liquidation import liquidation_outcome, liquidation_price
from marginlib.venues import get_venue

M, F = cc.MAINTENANCE_MARGIN_RATE, cc.LIQUIDATION_FEE_RATE
AGENT = cc.HOLDINGS[0]


def first_mark_below(price, crash, barrier):
    """The first mark strictly below ``barrier`` (a long is liquidated strictly beyond its
    liquidation price: equity below maintenance)."""
    marks = cc.crash_marks(price, crash)
    return float(marks[marks < barrier][0])


# ------------------------------------------------------------------ assumptions ---

def test_rates_come_from_the_small_cap_venue_preset():
    venue = get_venue("dydx_v4_small_cap")
    assert M == venue.tiers.rates[0] == 0.05
    assert F == venue.liquidation_fee_rate == 0.015
    assert cc.CAPITAL["all-in"] == sum(h.margin for h in cc.HOLDINGS) == 300
    assert AGENT.size == pytest.approx(400)  # the course's running example: 100 USDC at 10x


def test_crash_marks():
    marks = cc.crash_marks(2.5, 0.40)
    assert marks.size == 80 and marks[-1] == pytest.approx(1.5)
    assert np.all(np.diff(marks) < 0)
    assert np.allclose(-np.diff(np.r_[2.5, marks]), 2.5 * cc.CRASH_MARK_STEP)
    assert cc.crash_marks(2.5, 0.0).size == 0
    assert cc.crash_marks(2.5, 0.40, gap=True).tolist() == [pytest.approx(1.5)]
    with pytest.raises(ValueError, match="crash must be a fraction"):
        cc.crash_marks(2.5, 1.0)
    with pytest.raises(ValueError, match="price"):
        cc.crash_marks(-1, 0.2)


# ---------------------------------------------------------------------- crash lab ---

def test_isolated_crash_liquidates_one_pool_at_its_liquidation_outcome():
    out = cc.crash_outcome(0.40, "isolated", "all-in")
    assert out.liquidated == (True, False, False)
    liq = liquidation_price("long", entry_price=AGENT.price, size=AGENT.size,
                            margin=AGENT.margin, maintenance_margin_rate=M)
    exit_price = first_mark_below(AGENT.price, 0.40, liq)
    assert out.exit_prices[0] == pytest.approx(exit_price)
    expected = liquidation_outcome("long", entry_price=AGENT.price, size=AGENT.size,
                                   margin=AGENT.margin, exit_price=exit_price,
                                   liquidation_fee_rate=F)
    assert out.after[0] == 0.0
    assert out.after[1:3] == pytest.approx(out.before[1:3])          # the others untouched
    assert out.after[3] == pytest.approx(expected.returned)          # back in the wallet
    assert out.lost == pytest.approx(AGENT.margin - expected.returned)
    assert out.bad_debt == 0


def test_isolated_gap_loses_exactly_the_pool_and_records_bad_debt():
    out = cc.crash_outcome(0.40, "isolated", "spare", gap=True)
    assert out.lost == pytest.approx(AGENT.margin)
    assert out.bad_debt == pytest.approx(AGENT.size * AGENT.price * 0.40 - AGENT.margin)


def test_all_in_cross_crash_takes_the_whole_account_at_the_g1_cross_price():
    out = cc.crash_outcome(0.40, "cross", "all-in")
    assert out.liquidated == (True, True, True)
    others = cc.HOLDINGS[1:]
    liq = liquidation_price("long", entry_price=AGENT.price, size=AGENT.size,
                            margin=cc.CAPITAL["all-in"], maintenance_margin_rate=M,
                            other_maintenance=sum(h.notional * M for h in others))
    # by hand: 300 − 400·(2.5 − P) = 0.05·(400·P + 1000)
    assert liq == pytest.approx((300 - 400 * 2.5 - 50) / (0.05 * 400 - 400))
    exit_price = first_mark_below(AGENT.price, 0.40, liq)
    assert out.exit_prices[0] == pytest.approx(exit_price)
    equity = cc.CAPITAL["all-in"] - AGENT.size * (AGENT.price - exit_price)
    fee = F * (AGENT.size * exit_price + sum(h.notional for h in others))
    assert out.after[:3].tolist() == [0, 0, 0]
    assert out.after[-1] == pytest.approx(equity - fee)


def test_spare_cross_survives_and_carries_the_whole_loss():
    out = cc.crash_outcome(0.40, "cross", "spare")
    assert not any(out.liquidated)
    assert out.after[0] == pytest.approx(AGENT.margin - 0.40 * AGENT.notional)   # −300
    assert out.after[-1] == pytest.approx(cc.CAPITAL["spare"] - 0.40 * AGENT.notional)
    assert out.lost > cc.crash_outcome(0.40, "isolated", "spare").lost


@given(crash=st.floats(0.0, 0.9), mode=st.sampled_from(["isolated", "cross"]),
       scenario=st.sampled_from(["all-in", "spare"]), gap=st.booleans())
@settings(max_examples=40)
def test_crash_bars_add_up_and_isolated_loss_is_capped(crash, mode, scenario, gap):
    out = cc.crash_outcome(crash, mode, scenario, gap=gap)
    assert out.before.sum() - out.before[-1] == pytest.approx(out.before[-1])
    assert out.after[:-1].sum() == pytest.approx(out.after[-1], abs=1e-9)
    assert out.after[-1] >= 0
    if mode == "isolated":
        assert out.lost <= AGENT.margin + 1e-9
        assert out.liquidated[1:] == (False, False)


@given(crash=st.floats(0.0, 0.9), gap=st.booleans())
@settings(max_examples=30)
def test_cross_with_spare_collateral_never_liquidates_before_isolated(crash, gap):
    cross = cc.crash_outcome(crash, "cross", "spare", gap=gap)
    iso = cc.crash_outcome(crash, "isolated", "spare", gap=gap)
    if cross.liquidated[0]:
        assert iso.liquidated[0]


def test_crash_outcome_rejects_bad_input():
    with pytest.raises(ValueError, match="mode must be"):
        cc.crash_outcome(0.4, "portfolio")
    with pytest.raises(ValueError, match="scenario must be"):
        cc.crash_outcome(0.4, "isolated", "everything")
    with pytest.raises(ValueError, match="token must be"):
        cc.crash_outcome(0.4, token=3)



# --------------------------------------------------------------------- Monte Carlo ---

def test_loss_counts_keep_every_path():
    loss = np.array([-5.0, -2.0, -0.1, 0.0, 0.5, 1.0])
    counts = cc.loss_counts(loss)
    assert counts.sum() == loss.size
    assert counts[0] == 2 and counts[-1] == 1


def test_book_and_model():
    book = cc.contagion_book("three longs", 7)
    assert book.capital == 300 and np.all(book.leverage == 7)
    assert book.side == ("long", "long", "long")
    assert cc.contagion_book("hedged pair").side == ("long", "short")
    assert book.sign.tolist() == [1.0, 1.0, 1.0]
    model = cc.defai_model("hedged pair", 0.8)
    assert model.correlation_matrix[0, 1] == pytest.approx(0.8)
    with pytest.raises(ValueError, match="book must be"):
        cc.contagion_book("four longs")


# ------------------------------------------------------------------- pairs and sweep ---

def test_pairs_and_sweep_correlations():
    two = cc.pair_account("two longs")
    assert two["side"] == ("long", "long") and two["wallet"] == 200
    assert two["sizes"][0] == pytest.approx(400)
    hedged = cc.pair_account("hedged pair")
    assert hedged["side"] == ("long", "short")
    assert hedged["sizes"][1] * hedged["entry_prices"][1] == pytest.approx(1000)
    with pytest.raises(ValueError, match="pair must be one of"):
        cc.pair_account("three longs")
    assert list(cc.SWEEP_CORRELATIONS) == sorted(cc.SWEEP_CORRELATIONS)
    assert all(0 <= r < 1 for r in cc.SWEEP_CORRELATIONS)

