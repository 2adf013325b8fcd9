"""Build notebooks/01-leverage.ipynb (outputs stripped).

Run: python notebooks/_build/01-leverage.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import code, md, solution, write  # noqa: E402

NAME = "01-leverage"

CELLS = [
    code(r"""
        %matplotlib widget
        import numpy as np
        import matplotlib.pyplot as plt
        from IPython.display import Image, display

        import marginlib as ml
        from marginlib import plots, widgets
        from marginlib.widgets.exercises import check, check_all
    """),
    md(r"""
        # 01 · Leverage

        *How much does 100 USDC buy, what does a price move do to it, and what is left after
        the article's "30 % move in minutes"?*

        **Learning objectives.** After this notebook you can

        1. compute the position (**notional**) and the **size** that a margin buys at a leverage;
        2. derive why leverage multiplies the **return on margin**, in both directions;
        3. find the **bankruptcy price**, where the margin is gone, and place the liquidation
           price just before it;
        4. say what a 30 % move does at 5×, 10× and 20×, including the **bad debt** left when a
           price gaps past bankruptcy;
        5. read the equity-versus-price figure, and move its sliders to test your intuition.

        Every number in the text comes from a code cell with an `assert`. We follow the article's
        trade: **100 USDC** of isolated margin at **10×** on a DeFAI token priced **2.50 USDC**.
    """),
    md(r"""
        ## 1. Margin × leverage

        The article: *"Maximum Position = (Isolated Margin) × (Leverage Multiplier). For example,
        allocating 100 USDC with 10x leverage creates a 1,000 USDC position."* That one is right.
        With margin $M$, leverage $L$ and entry price $E$:

        $$N = M \cdot L, \qquad q = \frac{N}{E}, \qquad \frac{M}{N} = \frac{1}{L}.$$

        $N$ is the **notional** (the position's value), $q$ the **size** in tokens, and $1/L$
        the initial margin rate: at 10× you put up 10 % of the position. By hand:
    """),
    code(r"""
        margin, leverage, entry_price = 100.0, 10.0, 2.50
        notional = margin * leverage          # by hand
        size = notional / entry_price

        assert notional == ml.notional(margin=margin, leverage=leverage) == 1_000
        assert size == ml.position_size(margin=margin, leverage=leverage,
                                        entry_price=entry_price) == 400
        assert margin / notional == 1 / leverage == 0.10
        notional, size
    """),
    md(r"""
        So 100 USDC at 10× controls **1,000 USDC** of the token: **400 tokens** at 2.50. You own the
        price exposure of 400 tokens while posting the price of 40.

        ## 2. PnL and return on margin: leverage multiplies both ways

        A long gains when the price rises, a short when it falls. With $s = +1$ for a long and
        $-1$ for a short, at mark price $P$:

        $$\text{PnL} = s\,q\,(P - E).$$

        Divide by the margin $M = qE/L$ to get the **return on margin** (what venues show as
        ROE):

        $$\frac{\text{PnL}}{M} = \frac{s\,q\,(P-E)}{qE/L} = s \cdot L \cdot \left(\frac{P}{E} - 1\right).$$

        The price return is multiplied by $L$. A 3 % rise (2.50 → 2.575) at 10×:
    """),
    code(r"""
        mark_price = entry_price * 1.03
        pnl = size * (mark_price - entry_price)                  # long: s = +1
        rom = leverage * (mark_price / entry_price - 1)

        assert np.isclose(pnl, ml.unrealized_pnl("long", size, entry_price, mark_price))
        assert np.isclose(rom, ml.return_on_margin("long", size, entry_price, mark_price, margin))
        assert np.isclose(pnl, 30) and np.isclose(rom, 0.30)
        # the same move against a short, and the same move against the long
        assert np.isclose(ml.return_on_margin("short", size, entry_price, mark_price, margin), -0.30)
        assert np.isclose(ml.return_on_margin("long", size, entry_price, entry_price * 0.97,
                                              margin), -0.30)
        round(pnl, 6), round(rom, 6)
    """),
    md(r"""
        A 3 % move is **+30 USDC, +30 %** on the margin for the long, and **−30 %** for a short
        (or for the long if the price falls 3 %). Leverage does not change the odds; it changes
        the stakes. The functions take arrays, so the same move at several leverages is one
        call:
    """),
    code(r"""
        leverages = np.array([1, 5, 10, 20])
        sizes = ml.position_size(margin=100, leverage=leverages, entry_price=entry_price)
        roms = ml.return_on_margin("long", sizes, entry_price, entry_price * 1.03, margin=100)

        assert np.allclose(roms, leverages * 0.03)          # s · L · (P/E − 1)
        assert np.allclose(roms, [0.03, 0.15, 0.30, 0.60])
        dict(zip(leverages.tolist(), roms.round(4).tolist()))
    """),
    md(r"""
        ## 3. Where the margin is gone: the bankruptcy price

        Equity is margin plus PnL, $M + s\,q\,(P - E)$. It reaches zero at the **bankruptcy
        price**:

        $$M + s\,q\,(P_{bk} - E) = 0 \iff P_{bk} = E - s\,\frac{M}{q} = E\left(1 - \frac{s}{L}\right).$$

        A 10× long is bankrupt after a **10 %** fall (at 2.25); a 10× short after a 10 % rise
        (at 2.75). In general the room is $1/L$ of the entry price.
    """),
    code(r"""
        bk_long = entry_price * (1 - 1 / leverage)
        bk_short = entry_price * (1 + 1 / leverage)
        assert np.isclose(bk_long, ml.bankruptcy_price("long", entry_price, size, margin)) \
            and np.isclose(bk_long, 2.25)
        assert np.isclose(bk_short, ml.bankruptcy_price("short", entry_price, size, margin)) \
            and np.isclose(bk_short, 2.75)
        bk_long, bk_short
    """),
    md(r"""
        A venue does not wait for zero: it **liquidates** when equity falls to the **maintenance
        margin**, a small fraction $m$ of the position's value, so that something is left to
        close the position and pay the liquidation fee. With $m$ = 0.5 % the 10× long is
        liquidated at about **2.2613**, a **9.5 %** fall, just before bankruptcy. (Notebook 02
        derives that price; here we use `ml.liquidation_price`.)
    """),
    code(r"""
        mmr = 0.005
        liq_long = ml.liquidation_price("long", entry_price, size, margin, maintenance_margin_rate=mmr)
        assert bk_long < liq_long < entry_price                   # between bankruptcy and entry
        assert round(liq_long, 4) == 2.2613
        assert round(100 * (1 - liq_long / entry_price), 1) == 9.5
        # there, equity equals the maintenance margin
        assert np.isclose(margin + ml.unrealized_pnl("long", size, entry_price, liq_long),
                          ml.maintenance_margin(size, liq_long, mmr))
        liq_long
    """),
    md(r"""
        ## 4. "A 30 % move in minutes"

        The article warns that *"a single algorithmic signal can move a token 30 % in minutes"*.
        What does a 30 % fall (2.50 → 1.75) do to a 100 USDC long at 5×, 10× and 20×?
        Without any liquidation the loss would be $q \times 0.75$ and the return on margin
        $-0.30\,L$:
    """),
    code(r"""
        move = -0.30
        crash_price = entry_price * (1 + move)
        levs = np.array([5.0, 10.0, 20.0])
        q = ml.position_size(margin=100, leverage=levs, entry_price=entry_price)
        loss = -ml.unrealized_pnl("long", q, entry_price, crash_price)
        rom = ml.return_on_margin("long", q, entry_price, crash_price, margin=100)
        bk_move = ml.bankruptcy_price("long", entry_price, q, 100) / entry_price - 1

        assert np.isclose(crash_price, 1.75)
        assert np.allclose(loss, [150, 300, 600]) and np.allclose(rom, [-1.5, -3.0, -6.0])
        assert np.allclose(bk_move, -1 / levs) and np.allclose(bk_move, [-0.20, -0.10, -0.05])
        assert np.all(loss > 100)          # every one of them loses more than its margin
        assert round(1 / 0.30, 1) == 3.3   # the only leverages with room for the move: below 3.3
        for L, lo, r, b in zip(levs, loss, rom, bk_move):
            print(f"{L:4.0f}×: loss {lo:5.0f} USDC = {-r:.0%} of the margin; "
                  f"bankrupt after a {-b:.0%} fall")
    """),
    md(r"""
        At **5×** the move is 1.5 times the margin, at **10×** 3 times (**300 USDC** of loss on
        100 of margin), at **20×** 6 times. Bankruptcy comes after a 20 %, 10 % or 5 % fall: the
        30 % move passes it at all three leverages. Only a leverage below $1/0.3 \approx 3.3$ has
        room for it (exercise 2).

        What happens to the money depends on whether the liquidation fills in time:

        * **Orderly**: the position is closed at the liquidation price. Isolated margin caps the
          loss at the margin; what remains (the maintenance margin, minus a liquidation fee; here
          GMX v2's 0.20 % of the position) goes back to the wallet.
        * **Gap**: on a thin DeFAI book the first fill may be far below. Closed at 1.75, the 10×
          long's equity is $100 - 300 = -200$ USDC. The trader loses the 100 of margin and gets
          **nothing back**; the other **200 USDC is bad debt**, paid by the venue's insurance
          fund (or by other traders through auto-deleveraging). The refund is never negative.
    """),
    code(r"""
        q10 = ml.position_size(margin=100, leverage=10, entry_price=entry_price)
        orderly = ml.liquidation_outcome("long", entry_price, q10, 100, maintenance_margin_rate=mmr,
                                         liquidation_fee_rate=0.002)
        gap = ml.liquidation_outcome("long", entry_price, q10, 100, exit_price=crash_price)

        assert np.isclose(orderly.exit_price, liq_long) and orderly.bad_debt == 0
        assert 0 < orderly.returned < ml.maintenance_margin(q10, liq_long, mmr)   # fee taken
        assert round(orderly.returned, 2) == 2.71
        assert gap.equity == -200 and gap.returned == 0 and gap.bad_debt == 200
        orderly, gap
    """),
    md(r"""
        In the orderly case about **2.71 USDC** of the 100 comes back. In the gap, nothing does,
        and 200 USDC is someone else's problem. "Isolated" limits *your* loss to the margin, as
        the article says; it does not make the position safe.

        ## 5. The picture: equity against the price

        Here is the article's trade drawn once (a static image, so it shows in an HTML copy too).
        The blue line is the equity $M + s\,q\,(P-E)$: its slope is the size $q$, so higher
        leverage means a steeper line. It meets the dashed **maintenance margin** line at the
        **liquidation price** (red ring) and crosses zero at the **bankruptcy price** (×). The
        shaded region is where the position no longer exists.
    """),
    code(r"""
        static = plots.EquityPlot(static=True)      # 100 USDC, 10× long, entry 2.50, MMR 0.5 %
        assert np.isclose(static.summary["liquidation_price"], liq_long)
        assert np.isclose(static.summary["bankruptcy_price"], bk_long)
        display(Image(static.png()))
    """),
    md(r"""
        Now the live version. Try:

        * leverage **20×**, then **2×**: the line tilts, the red ring slides toward or away from
          the entry (the dotted line);
        * **short**: the picture mirrors, the liquidation is now above the entry;
        * maintenance rate **5 %** at 10×: the ring moves toward the entry, away from bankruptcy;
        * maintenance rate **6 %** at **20×**: impossible (the initial margin is only 5 %); the
          message under the figure says why and the figure keeps its last valid state.
    """),
    code(r"""
        equity = widgets.equity_widget(leverage=10, side="long", maintenance_margin_rate=0.005)
        equity
    """),
    md(r"""
        The next cell moves the sliders from code and checks that the figure now draws what
        `marginlib` computes (this is also how the test suite checks the widget), then puts the
        widget back to the article's trade.
    """),
    code(r"""
        figures_before = plt.get_fignums()
        line = equity.plot.artists["equity"]

        equity.controls["leverage"].value = 20
        equity.controls["side"].value = "short"
        equity.controls["maintenance_margin_rate"].value = 0.01

        size20 = ml.position_size(margin=100, leverage=20, entry_price=entry_price)
        liq20 = ml.liquidation_price("short", entry_price, size20, 100, maintenance_margin_rate=0.01)
        prices, eq = line.get_data()
        assert np.allclose(eq, 100 + ml.unrealized_pnl("short", size20, entry_price, prices))
        (x,), (y,) = equity.plot.artists["liquidation"].get_data()
        assert np.isclose(x, liq20) and np.isclose(y, ml.maintenance_margin(size20, liq20, 0.01))
        assert np.isclose(equity.plot.artists["bankruptcy"].get_xdata()[0],
                          ml.bankruptcy_price("short", entry_price, size20, 100))

        # an impossible combination: a message, and the figure keeps its last valid state
        equity.controls["maintenance_margin_rate"].value = 0.06
        assert "liquidated immediately" in equity.message.value
        assert np.isclose(equity.plot.artists["liquidation"].get_xdata()[0], liq20)

        # same figure, same line object: updated in place, nothing re-created
        assert equity.plot.artists["equity"] is line and plt.get_fignums() == figures_before

        equity.controls["maintenance_margin_rate"].value = 0.005    # back to the article's trade
        equity.controls["side"].value = "long"
        equity.controls["leverage"].value = 10
        assert np.isclose(equity.plot.artists["liquidation"].get_xdata()[0], liq_long)
        liq20
    """),
    md(r"""
        ## 6. One move, several leverages

        Return on margin is $s \cdot L \cdot$ (price move): straight lines through zero whose
        slope is the leverage. The dashed line at −100 % is bankruptcy (the margin is gone); the
        × marks where each leverage is liquidated (maintenance 0.5 %). Below −100 % a line shows
        what the loss *would* be if nothing closed the position: the gap case above.
    """),
    code(r"""
        static_rom = plots.ReturnOnMarginPlot(static=True)      # move −8 %, long, 1/5/10/20×
        assert np.allclose(static_rom.summary["return_on_margin"], [-0.08, -0.40, -0.80, -1.60])
        display(Image(static_rom.png()))
    """),
    md(r"""
        At a −8 % move the 1× long is down 8 %, the 5× long 40 %, the 10× long 80 %, and the 20×
        long was liquidated long before (its margin would be gone 1.6 times over). Slide the
        move to −30 %, the article's move, and read the table:
    """),
    code(r"""
        rom_widget = widgets.return_on_margin_widget(move=-0.08, side="long")
        rom_widget
    """),
    code(r"""
        rom_widget.controls["move"].value = -0.30
        ys = rom_widget.plot.artists["points"].get_ydata()
        sizes = ml.position_size(margin=1, leverage=np.array([1, 5, 10, 20]), entry_price=1)
        assert np.allclose(ys, ml.return_on_margin("long", sizes, 1, 0.70, margin=1))
        assert np.allclose(ys, [-0.3, -1.5, -3.0, -6.0])
        assert "margin gone" in rom_widget.message.value
        rom_widget.controls["move"].value = -0.08        # back to the default
        ys
    """),
    md(r"""
        ## Exercises

        Replace each `...` with your answer and run the cell; the checker says ✓ or ✗ (it never
        reveals the answer). Solutions are in the collapsed cells below each exercise: click the
        "…" to open one. Exercises 1 and 2 are the workshop's *core* exercises.

        ### Exercise 1 (core): sizing a position

        You have **250 USDC** and want a position worth **2,000 USDC** of the token at 2.50.

        (a) What leverage is that? (b) How many tokens do you hold? (c) What is your return on
        margin, as a fraction, if the token then **rises 4 %**?
    """),
    code(r"""
        def check_exercise_1(leverage, size, rom):
            lev = 2_000 / 250
            q = ml.position_size(margin=250, leverage=lev, entry_price=2.5)
            assert np.isclose(ml.notional(margin=250, leverage=lev), 2_000)
            return check_all(
                check("(a) leverage", leverage, lev, hint="notional / margin"),
                check("(b) size in tokens", size, q, hint="notional / price"),
                check("(c) return on margin", rom,
                      ml.return_on_margin("long", q, 2.5, 2.5 * 1.04, margin=250),
                      hint="leverage × price return, as a fraction (0.5 = 50 %)"),
                name="Exercise 1")


        leverage_1 = ...
        size_1 = ...
        rom_1 = ...
        check_exercise_1(leverage_1, size_1, rom_1)
    """),
    *solution(r"""
        leverage_1 = 2_000 / 250                 # 8×
        size_1 = 2_000 / 2.5                     # 800 tokens
        rom_1 = leverage_1 * 0.04                # 0.32: +32 % on the margin
        assert check_exercise_1(leverage_1, size_1, rom_1)
        check_exercise_1(leverage_1, size_1, rom_1)
    """, title="Solution to exercise 1"),
    md(r"""
        ### Exercise 2 (core): which leverage survives a 30 % fall?

        (a) With **no maintenance margin**, what is the highest leverage at which a long is not
        bankrupt after a 30 % fall? (b) With a maintenance rate of **0.5 %**, what is the highest
        leverage at which it is not even **liquidated**? Use the equity widget above (set the
        maintenance rate and move the leverage until the red ring sits at −30 % on the top axis)
        or `ml.liquidation_price`. Two decimals are enough.
    """),
    code(r"""
        def check_exercise_2(no_maintenance, with_maintenance):
            m = 0.005
            lev_bk = 1 / 0.30                        # E (1 − 1/L) = 0.7 E
            lev_liq = 1 / (0.30 + 0.70 * m)          # E (1 − 1/L) / (1 − m) = 0.7 E
            for lev, rate in ((lev_bk, 0.0), (lev_liq, m)):    # cross-check with marginlib
                q = ml.position_size(margin=100, leverage=lev, entry_price=2.5)
                assert np.isclose(ml.liquidation_price("long", 2.5, q, 100, rate), 0.7 * 2.5)
            return check_all(
                check("(a) no maintenance", no_maintenance, lev_bk, rel=2e-3,
                      hint="bankrupt after a fall of 1/L"),
                check("(b) maintenance 0.5 %", with_maintenance, lev_liq, rel=2e-3,
                      hint="a little lower than (a)"),
                name="Exercise 2")


        no_maintenance_2 = ...
        with_maintenance_2 = ...
        check_exercise_2(no_maintenance_2, with_maintenance_2)
    """),
    *solution(r"""
        # (a) bankrupt after a fall of 1/L: 1/L >= 0.30, so L <= 1/0.3 = 3.33
        no_maintenance_2 = 1 / 0.30
        # (b) long liquidation price E (1 − 1/L) / (1 − m) <= 0.7 E  =>  L <= 1 / (0.3 + 0.7 m)
        with_maintenance_2 = 1 / (0.30 + 0.70 * 0.005)          # 3.29
        assert check_exercise_2(no_maintenance_2, with_maintenance_2)
        check_exercise_2(no_maintenance_2, with_maintenance_2)
    """, title="Solution to exercise 2"),
    md(r"""
        ### Exercise 3: the same crash, against a short

        A **short** of 100 USDC at **20×**, entry 2.50. The token **rises 30 %** (to 3.25).

        (a) What is the short's bankruptcy price? (b) What would its return on margin be at 3.25
        if it were still open (a fraction: −1 is −100 %)? (c) If the first fill is at 3.25, how
        much **bad debt** does the liquidation leave (USDC)?
    """),
    code(r"""
        def check_exercise_3(bankruptcy, rom, bad_debt):
            q = ml.position_size(margin=100, leverage=20, entry_price=2.5)
            return check_all(
                check("(a) bankruptcy price", bankruptcy,
                      ml.bankruptcy_price("short", 2.5, q, 100), rel=1e-4,
                      hint="a short is bankrupt after a rise of 1/L"),
                check("(b) return on margin", rom,
                      ml.return_on_margin("short", q, 2.5, 3.25, margin=100),
                      hint="s · L · move, with s = −1"),
                check("(c) bad debt", bad_debt,
                      ml.liquidation_outcome("short", 2.5, q, 100, exit_price=3.25).bad_debt,
                      hint="the loss beyond the 100 USDC of margin"),
                name="Exercise 3")


        bankruptcy_3 = ...
        rom_3 = ...
        bad_debt_3 = ...
        check_exercise_3(bankruptcy_3, rom_3, bad_debt_3)
    """),
    *solution(r"""
        bankruptcy_3 = 2.5 * (1 + 1 / 20)            # 2.625
        rom_3 = -1 * 20 * 0.30                       # −6: −600 %
        size_3 = 100 * 20 / 2.5                      # 800 tokens
        bad_debt_3 = size_3 * (3.25 - 2.5) - 100     # loss 600 − margin 100 = 500
        assert check_exercise_3(bankruptcy_3, rom_3, bad_debt_3)
        check_exercise_3(bankruptcy_3, rom_3, bad_debt_3)
    """, title="Solution to exercise 3"),
    md(r"""
        ## Key takeaways

        * Notional = margin × leverage: 100 USDC at 10× is a 1,000 USDC position (400 tokens at
          2.50). The article's formula is right.
        * Return on margin = side × leverage × price move: leverage multiplies gains and losses
          alike.
        * The margin is gone after a move of $1/L$ against you (the bankruptcy price
          $E(1 \mp 1/L)$); the venue liquidates a little earlier, at the maintenance margin.
        * A 30 % move is 1.5, 3 and 6 times the margin at 5×, 10× and 20×. Isolated margin caps
          *your* loss at the margin; a gap past bankruptcy leaves bad debt for the insurance
          fund, and you get nothing back.
        * Only leverage below about 3.3× has room for a 30 % move.

        **Next:** [02 · The liquidation price](02-liquidation-price.ipynb): deriving the
        liquidation price with maintenance margin, tiers and fees, and auditing the article's
        formula.
    """),
]

if __name__ == "__main__":
    print(write(CELLS, NAME + ".ipynb"))
