"""Unit tests of marginlib/position.py: notional, size, PnL, return on margin, leverage.

Expected values are hand arithmetic (shown) or the article's example (100 USDC at 10×).
Error paths live in test_validation.py.
"""
import numpy as np
import pytest

import marginlib as ml

SIDES = ["long", "short", "long"]

ELEMENTWISE = {
    "notional": (ml.notional, dict(margin=[100.0, 250.0, 40.0], leverage=[10.0, 3.0, 1.5])),
    "position_size": (ml.position_size,
                      dict(margin=[100.0, 250.0, 40.0], leverage=[10.0, 3.0, 1.5],
                           entry_price=[2.5, 50_000.0, 0.01])),
    "unrealized_pnl": (ml.unrealized_pnl,
                       dict(side=SIDES, size=[400.0, 0.2, 3.0], entry_price=[2.5, 100.0, 7.0],
                            mark_price=[2.0, 110.0, 7.5])),
    "return_on_margin": (ml.return_on_margin,
                         dict(side=SIDES, size=[400.0, 0.2, 3.0], entry_price=[2.5, 100.0, 7.0],
                              mark_price=[2.0, 110.0, 7.5], margin=[100.0, 2.0, 21.0])),
    "realized_pnl": (ml.realized_pnl,
                     dict(side=SIDES, size=[400.0, 0.2, 3.0], entry_price=[2.5, 100.0, 7.0],
                          exit_price=[2.0, 110.0, 7.5], open_fee_rate=[0.0005, 0.0, 0.001],
                          close_fee_rate=[0.0005, 0.0002, 0.0])),
    "effective_leverage": (ml.effective_leverage,
                           dict(side=SIDES, size=[400.0, 0.2, 3.0], entry_price=[2.5, 100.0, 7.0],
                                margin=[100.0, 2.0, 21.0], mark_price=[2.4, 95.0, 7.5])),
}


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_scalar_float_and_arrays_elementwise(name, assert_elementwise):
    func, columns = ELEMENTWISE[name]
    assert_elementwise(func, columns)


def test_notional_article_example():
    # "Maximum Position = Isolated Margin × Leverage": 100 USDC × 10 = 1,000
    assert ml.notional(margin=100, leverage=10) == 1000.0
    assert ml.notional(margin=100, leverage=10, max_leverage=10) == 1000.0  # at the cap is allowed


def test_position_size_is_notional_over_entry():
    assert ml.position_size(margin=100, leverage=10, entry_price=2.5) == pytest.approx(400.0, rel=1e-15)   # 1,000 / 2.5
    assert ml.position_size(margin=5_000, leverage=10, entry_price=50_000) == pytest.approx(1.0, rel=1e-15)


def test_unrealized_pnl_signs():
    # 400 tokens, price 2.5 → 2.0: a long loses 400 × 0.5 = 200, a short gains it
    assert ml.unrealized_pnl("long", size=400, entry_price=2.5, mark_price=2.0) == pytest.approx(-200.0)
    assert ml.unrealized_pnl("short", size=400, entry_price=2.5, mark_price=2.0) == pytest.approx(200.0)
    assert ml.unrealized_pnl("long", size=400, entry_price=2.5, mark_price=2.5) == 0.0


def test_unrealized_pnl_long_plus_short_is_zero():
    p = np.linspace(0.5, 5.0, 11)
    total = ml.unrealized_pnl("long", size=400, entry_price=2.5, mark_price=p) + ml.unrealized_pnl("short", size=400, entry_price=2.5, mark_price=p)
    np.testing.assert_allclose(total, 0.0, atol=1e-12)


def test_return_on_margin_is_leverage_times_price_return():
    # 10×: a 30 % price drop is −300 % of the margin (the article's "30 % move in minutes")
    size = ml.position_size(margin=100, leverage=10, entry_price=2.5)
    assert ml.return_on_margin("long", size=size, entry_price=2.5, mark_price=2.5 * 0.7, margin=100) == pytest.approx(-3.0)
    moves = np.array([-0.05, -0.01, 0.0, 0.02, 0.1])
    for lev in (1, 5, 20):
        size = ml.position_size(margin=100, leverage=lev, entry_price=2.5)
        got = ml.return_on_margin("short", size=size, entry_price=2.5, mark_price=2.5 * (1 + moves), margin=100)
        np.testing.assert_allclose(got, -lev * moves, atol=1e-12)


def test_realized_pnl_charges_both_fees_on_traded_notional():
    # 400 × (2.6 − 2.5) = 40; fees 400·2.5·0.0005 = 0.5 and 400·2.6·0.0005 = 0.52
    got = ml.realized_pnl("long", size=400, entry_price=2.5, exit_price=2.6, open_fee_rate=0.0005, close_fee_rate=0.0005)
    assert got == pytest.approx(40 - 0.5 - 0.52, abs=1e-12)
    # a short on the same prices loses 40 and pays the same fees
    got = ml.realized_pnl("short", size=400, entry_price=2.5, exit_price=2.6, open_fee_rate=0.0005, close_fee_rate=0.0005)
    assert got == pytest.approx(-40 - 0.5 - 0.52, abs=1e-12)
    # without fees it is the unrealised PnL at the exit price
    assert ml.realized_pnl("long", size=400, entry_price=2.5, exit_price=2.6) == ml.unrealized_pnl("long", size=400, entry_price=2.5, mark_price=2.6)


def test_effective_leverage_at_entry_and_after_moves():
    assert ml.effective_leverage("long", size=400, entry_price=2.5, margin=100) == pytest.approx(10.0)
    assert ml.effective_leverage("long", size=400, entry_price=2.5, margin=200) == pytest.approx(5.0)
    # price falls to 2.4: notional 960, equity 100 − 40 = 60 → 16×
    assert ml.effective_leverage("long", size=400, entry_price=2.5, margin=100, mark_price=2.4) == pytest.approx(16.0)
    # the short gains: equity 140, notional 960 → 6.857×
    assert ml.effective_leverage("short", size=400, entry_price=2.5, margin=100, mark_price=2.4) == pytest.approx(960 / 140)


def test_effective_leverage_refuses_a_bankrupt_position():
    with pytest.raises(ValueError, match="bankrupt"):
        ml.effective_leverage("long", size=400, entry_price=2.5, margin=100, mark_price=2.25)  # equity exactly 0


def test_initial_margin_is_notional_over_leverage(assert_elementwise):
    from marginlib.position import initial_margin
    # Hyperliquid: a 10,000 position at 10× needs 1,000
    assert initial_margin(size=1, price=10_000, leverage=10, max_leverage=20) == 1000.0
    assert_elementwise(initial_margin, dict(size=[1.0, 400.0, 0.2], price=[10_000.0, 2.5, 3.0],
                                            leverage=[10.0, 5.0, 1.0]))


POSITIONAL = {
    # the example: liquidation_price's positional order fed to unrealized_pnl
    "unrealized_pnl": lambda: ml.unrealized_pnl("long", 2.5, 400, 2.0),
    "notional": lambda: ml.notional(100, 10),
    "position_size": lambda: ml.position_size(100, 10, 2.5),
    "return_on_margin": lambda: ml.return_on_margin("long", 400, 2.5, 2.0, 100),
    "realized_pnl": lambda: ml.realized_pnl("long", 400, 2.5, 2.6),
    "effective_leverage": lambda: ml.effective_leverage("long", 400, 2.5, 100),
}


@pytest.mark.parametrize("name", list(POSITIONAL))
def test_numbers_are_keyword_only(name):
    with pytest.raises(TypeError, match="positional"):
        POSITIONAL[name]()
