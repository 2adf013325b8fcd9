"""Build notebooks/00-start-here.ipynb (outputs stripped).

Run: python notebooks/_build/00-start-here.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import code, md, solution, write  # noqa: E402

NAME = "00-start-here"

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
        # 00 · Start here

        **A hands-on course on the risk of leveraged perpetual futures**: leverage, the
        liquidation price, funding-rate drag and isolated-versus-cross contagion, with live
        figures that move as soon as you move a slider.

        **Learning objectives.** After this notebook you can:

        * run a notebook and drive its widgets (sliders, toggles) and read their messages;
        * find your way through the five notebooks, alone or in a workshop;
        * use the course's vocabulary (margin, leverage, notional, entry and mark price,
          maintenance margin, bankruptcy and liquidation price, funding, isolated and cross
          margin) and compute each term with `marginlib`.

        ## What this course is

        It is built around one article, *"How to Use Isolated Margin on DeFAI Tokens Contract
        Trades"* (2026), a typical online guide: 100 USDC of isolated margin at 10× on an AI
        token. The course teaches what the article teaches, with correct numbers, and **audits
        its shortcuts** against the venues' own rules (Binance, Bybit, OKX, Hyperliquid, dYdX v4,
        GMX v2, Drift). The numbers below are computed in the next cell.

        | the article says | what the course finds | where |
        |---|---|---|
        | "100 USDC with 10x leverage creates a 1,000 USDC position" | right: notional = margin × leverage | 01 |
        | "a single algorithmic signal can move a token 30 % in minutes" | at 10× that is a loss of 3 times the margin; past bankruptcy, it leaves bad debt | 01 |
        | "Liquidation Price = Entry Price × (1 – 1/Leverage)" | that is the *bankruptcy* price; with a 5 % maintenance rate a 10× long has about 5.3 % of room, not 10 % | 02 |
        | "when losses consume 80 % of isolated margin … a liquidation order triggers" | no venue's rule: at 10× liquidation comes after losing 95.5 % of the margin (0.5 % maintenance) or 52.6 % (5 %) | 02 |
        | "15–20 % price movement … roughly 5–7x leverage" | 1/7 is 14.3 %, and maintenance margin takes a little more | 02 |
        | "funding rate fluctuations … can erode profits" | at 0.01 % per 8 h the 10× long pays 9 USDC a month: 9 % of its margin | 03 |
        | "one token crashing 40 % only liquidates that specific margin pool" | true for isolated margin; in cross margin the crash can take the whole wallet | 04 |
    """),
    code(r"""
        size = ml.position_size(margin=100, leverage=10, entry_price=2.50)           # 400 tokens
        assert ml.notional(margin=100, leverage=10) == 1_000
        # a 30 % fall at 10×: the loss is 3 times the margin
        assert np.isclose(-ml.unrealized_pnl("long", size, 2.50, 2.50 * 0.70), 3 * 100)
        # the article's formula gives the bankruptcy price; with 5 % maintenance the room shrinks
        assert ml.bankruptcy_price("long", 2.50, size, 100) == 2.50 * (1 - 1 / 10)
        liq_5pct = ml.liquidation_price("long", 2.50, size, 100, maintenance_margin_rate=0.05)
        assert round(100 * (1 - liq_5pct / 2.50), 1) == 5.3
        # the share of the margin lost when liquidation triggers, at 0.5 % and 5 % maintenance
        lost = {}
        for mmr in (0.005, 0.05):
            liq = ml.liquidation_price("long", 2.50, size, 100, maintenance_margin_rate=mmr)
            lost[mmr] = -ml.unrealized_pnl("long", size, 2.50, liq) / 100
        assert round(100 * lost[0.005], 1) == 95.5 and round(100 * lost[0.05], 1) == 52.6
        # "15–20 % ≈ 5–7×": the room before bankruptcy is 1/L
        assert round(100 / 7, 1) == 14.3 and 100 / 5 == 20
        # funding: 0.01 % per 8 h on a 1,000 USDC long, three times a day for 30 days
        month = 3 * 30 * ml.funding_payment("long", size=size, price=2.50, rate=0.0001)
        assert np.isclose(month, -9)
        round(liq_5pct, 4), {m: round(x, 3) for m, x in lost.items()}, round(month, 2)
    """),
    md(r"""
        The maths lives in a small Python package, `marginlib` (imported as `ml`): every formula
        has its source and is tested against the venues' published examples. You can call it
        yourself in any cell, e.g. `ml.liquidation_price("long", entry_price=2.5, size=400,
        margin=100)`.

        ## How to use the notebooks and the widgets

        * Run the cells **in order**, top to bottom: **Shift-Enter** runs one cell, *Run → Run
          All Cells* runs them all. The first cell of each notebook loads everything.
        * A **widget** is a set of sliders above a live figure and a message line below it. Drag
          a slider (or click it and use the arrow keys): the figure updates in place and the
          message shows the numbers behind it.
        * If a combination of settings is impossible (a maintenance margin larger than your
          margin, say), the **message** says so in plain words and the figure keeps its last
          valid state. Nothing breaks; move the slider back.
        * Before each live figure there is a **static picture** of its default state, so a copy
          of the notebook without Python (an HTML handout, GitHub) still shows it.
        * No figure, only text such as `Canvas(...)`? Run the first cell again (it starts the
          live-figure backend, `%matplotlib widget`), then the widget's cell.

        Try it: the widget below shows what 100 USDC buys at each leverage. First its static
        picture (what a copy without Python shows), then the live figure: drag the slider.
    """),
    code(r"""
        static_demo = plots.NotionalPlot(static=True)          # 100 USDC at 10×
        bar_static = static_demo.artists["bars"].patches[1]
        assert bar_static.get_height() == ml.notional(margin=100, leverage=10)
        display(Image(static_demo.png()))
    """),
    code(r"""
        demo = widgets.notional_widget(leverage=10)
        demo
    """),
    md(r"""
        Every widget in the course can also be driven from code: its `controls` are the sliders
        by name, its `plot.artists` what is drawn. The notebooks use that to check the figures
        against `marginlib`, as here: set the slider to 25×, and the bar must be 2,500 USDC.
    """),
    code(r"""
        figures_before = plt.get_fignums()
        bar = demo.plot.artists["bars"].patches[1]

        demo.controls["leverage"].value = 25
        assert bar.get_height() == ml.notional(margin=100, leverage=25) == 2_500
        assert "2,500 USDC" in demo.message.value
        # the same bar, in the same figure: updated in place, nothing re-created
        assert demo.plot.artists["bars"].patches[1] is bar and plt.get_fignums() == figures_before

        demo.controls["leverage"].value = 10       # back to the article's 10×
        assert bar.get_height() == 1_000
        demo.message.value
    """),
    md(r"""
        **Under the hood (optional).** Each widget is a *plot* that draws its figure once and
        then only changes the data of what it drew (no flicker, no redrawing from scratch), plus
        a `LiveFigure` that connects sliders to it. You can build your own in a few lines: here,
        the room before bankruptcy, $1/L$, as the leverage changes.
    """),
    code(r"""
        class Room(plots.LivePlot):
            figsize = (5, 2.8)

            def draw(self, leverage=10):
                levs = np.linspace(1, 50, 200)
                self.ax.plot(levs, 100 / levs, color="0.6")                 # drawn once
                (self.artists["point"],) = self.ax.plot([leverage], [100 / leverage], "o")
                self.ax.set(xlabel="leverage (×)", ylabel="room to bankruptcy (%)", ylim=(0, 105))

            def update(self, leverage=10):                                  # data only
                self.artists["point"].set_data([leverage], [100 / leverage])


        room = widgets.LiveFigure(
            Room(leverage=10), {"leverage": widgets.slider("leverage (×)", 10, 1, 50, 1)},
            caption=lambda plot, p: f"{p['leverage']:g}× → {100 / p['leverage']:.1f} % of room")
        room
    """),
    code(r"""
        room.controls["leverage"].value = 20
        (x,), (y,) = room.plot.artists["point"].get_data()
        size20 = ml.position_size(margin=100, leverage=20, entry_price=2.50)
        assert np.isclose(y, 100 * (1 - ml.bankruptcy_price("long", 2.50, size20, 100) / 2.50))
        assert (x, y) == (20, 5)
        room.controls["leverage"].value = 10
    """),
    md(r"""
        ## Map of the course

        | notebook | one line |
        |---|---|
        | [00 · Start here](00-start-here.ipynb) | this page: how the course works, glossary, workshop path |
        | [01 · Leverage](01-leverage.ipynb) | margin × leverage, return on margin, what a 30 % move in minutes does |
        | [02 · The liquidation price](02-liquidation-price.ipynb) | bankruptcy vs liquidation price, maintenance margin, tiers, fees, adding margin, the venues compared |
        | [03 · Funding-rate drag](03-funding-rate-drag.ipynb) | who pays whom, and how funding walks the liquidation price toward the mark |
        | [04 · Isolated vs cross](04-isolated-vs-cross.ipynb) | contagion: when one crash takes one margin pool, and when it takes the wallet |

        ## Glossary

        Each term comes with a one-line example computed with `marginlib`, on the article's trade:
        **100 USDC at 10× long on a token bought at 2.50 USDC**.

        **Margin** (collateral): the money you commit to a position, here 100 USDC. It is the
        most an isolated position can lose you.

        **Leverage** $L$: position value ÷ margin. 400 tokens at 2.50 on 100 USDC of margin is
        10×.
    """),
    code(r"""
        assert ml.effective_leverage("long", size=400, entry_price=2.50, margin=100) == 10
        ml.effective_leverage("long", size=400, entry_price=2.50, margin=100)
    """),
    md(r"""
        **Notional** (position value): margin × leverage, 1,000 USDC here; divided by the price
        it gives the **size**, 400 tokens.
    """),
    code(r"""
        assert ml.notional(margin=100, leverage=10) == 1_000
        assert ml.position_size(margin=100, leverage=10, entry_price=2.50) == 400
        ml.notional(margin=100, leverage=10), ml.position_size(margin=100, leverage=10, entry_price=2.50)
    """),
    md(r"""
        **Entry price** $E$: the average price you opened at (2.50). **Mark price** $P$: the
        venue's fair price now (from an index of other markets, not the last trade), used for
        PnL and liquidation. At a mark of 2.60 the long's unrealised PnL is +40 USDC.
    """),
    code(r"""
        assert np.isclose(ml.unrealized_pnl("long", size=400, entry_price=2.50, mark_price=2.60), 40)
        round(ml.unrealized_pnl("long", size=400, entry_price=2.50, mark_price=2.60), 6)
    """),
    md(r"""
        **Maintenance margin**: the minimum equity the venue requires to keep the position open,
        a rate $m$ times the position's value. At $m$ = 0.5 % on 1,000 USDC: 5 USDC.
    """),
    code(r"""
        assert ml.maintenance_margin(size=400, price=2.50, maintenance_margin_rate=0.005) == 5
        ml.maintenance_margin(size=400, price=2.50, maintenance_margin_rate=0.005)
    """),
    md(r"""
        **Bankruptcy price**: where equity (margin + PnL) reaches zero: $E(1 - 1/L)$ for a long,
        2.25 here. **Liquidation price**: where equity falls to the maintenance margin and the
        venue closes the position, a little before bankruptcy: 2.2613 at $m$ = 0.5 %.
    """),
    code(r"""
        bk = ml.bankruptcy_price("long", entry_price=2.50, size=400, margin=100)
        liq = ml.liquidation_price("long", entry_price=2.50, size=400, margin=100,
                                   maintenance_margin_rate=0.005)
        assert bk == 2.25 and round(liq, 4) == 2.2613 and bk < liq < 2.50
        bk, liq
    """),
    md(r"""
        **Funding**: a payment between longs and shorts every interval (often 8 h or 1 h) that
        keeps the perpetual's price near the index. With a rate of +0.01 % the long pays
        0.01 % of its position value: 0.10 USDC per interval on 1,000 USDC.
    """),
    code(r"""
        assert np.isclose(ml.funding_payment("long", size=400, price=2.50, rate=0.0001), -0.10)
        ml.funding_payment("long", size=400, price=2.50, rate=0.0001)    # negative: the long pays
    """),
    md(r"""
        **Isolated margin**: each position has its own margin; when it is liquidated, only that
        margin is lost. If the price gaps to 1.75 the long loses its 100 USDC, gets nothing back,
        and the other 200 USDC of loss is **bad debt** for the venue's insurance fund, not yours.
    """),
    code(r"""
        gap = ml.liquidation_outcome("long", entry_price=2.50, size=400, margin=100, exit_price=1.75)
        assert gap.returned == 0 and gap.bad_debt == 200
        gap
    """),
    md(r"""
        **Cross margin**: the whole wallet backs every position. With a 300 USDC wallet in cross
        the same long is liquidated much later (about 1.7588 instead of 2.2613), but the wallet
        itself is what is at stake: at 1.75 all 300 USDC are gone.
    """),
    code(r"""
        liq_cross = ml.liquidation_price("long", entry_price=2.50, size=400, margin=300,
                                         maintenance_margin_rate=0.005)
        wallet_at_175 = 300 + ml.unrealized_pnl("long", size=400, entry_price=2.50, mark_price=1.75)
        assert round(liq_cross, 4) == 1.7588 and liq_cross < liq and wallet_at_175 == 0
        liq_cross, wallet_at_175
    """),
    md(r"""
        ## Exercises

        Replace each `...` with your answer and run the cell; the checker says ✓ or ✗ (it never
        reveals the answer). The solutions are in the collapsed cells: click the "…" to open one.

        ### Exercise 1: the glossary on your own trade

        You put **250 USDC** of margin on a **4×** long of a token priced **5.00 USDC**.
        (a) What is the notional? (b) How many tokens do you hold? (c) At a mark of 4.50, what
        is the unrealised PnL (negative for a loss)?
    """),
    code(r"""
        def check_exercise_1(notional, size, pnl):
            n = ml.notional(margin=250, leverage=4)
            q = ml.position_size(margin=250, leverage=4, entry_price=5.0)
            return check_all(
                check("(a) notional", notional, n, hint="margin × leverage"),
                check("(b) size in tokens", size, q, hint="notional / price"),
                check("(c) unrealised PnL", pnl, ml.unrealized_pnl("long", q, 5.0, 4.5),
                      hint="size × (mark − entry) for a long"),
                name="Exercise 1")


        notional_1 = ...
        size_1 = ...
        pnl_1 = ...
        check_exercise_1(notional_1, size_1, pnl_1)
    """),
    *solution(r"""
        notional_1 = 250 * 4                     # 1,000 USDC
        size_1 = notional_1 / 5.0                # 200 tokens
        pnl_1 = size_1 * (4.50 - 5.00)           # −100 USDC
        assert check_exercise_1(notional_1, size_1, pnl_1)
        check_exercise_1(notional_1, size_1, pnl_1)
    """, title="Solution to exercise 1"),
    md(r"""
        ### Exercise 2: bankruptcy or liquidation first?

        The same trade as a **short**: 250 USDC at 4×, entry 5.00. (a) What is its bankruptcy
        price? (b) With a maintenance margin rate of **1 %**, is the liquidation price above or
        below the bankruptcy price? Answer `"above"` or `"below"`.
    """),
    code(r"""
        def check_exercise_2(bankruptcy, where):
            q = ml.position_size(margin=250, leverage=4, entry_price=5.0)
            bk = ml.bankruptcy_price("short", 5.0, q, 250)
            liq = ml.liquidation_price("short", 5.0, q, 250, maintenance_margin_rate=0.01)
            return check_all(
                check("(a) bankruptcy price", bankruptcy, bk, hint="E × (1 + 1/L) for a short"),
                check("(b) liquidation vs bankruptcy", where, "above" if liq > bk else "below",
                      hint="which comes first as the price rises against the short?"),
                name="Exercise 2")


        bankruptcy_2 = ...
        where_2 = ...
        check_exercise_2(bankruptcy_2, where_2)
    """),
    *solution(r"""
        bankruptcy_2 = 5.0 * (1 + 1 / 4)          # 6.25: equity is zero there
        # the venue closes the short while equity still covers maintenance: before bankruptcy,
        # i.e. at a lower price than 6.25 (between entry and bankruptcy)
        where_2 = "below"
        assert check_exercise_2(bankruptcy_2, where_2)
        check_exercise_2(bankruptcy_2, where_2)
    """, title="Solution to exercise 2"),
    md(r"""
        ## Key takeaways

        * Run cells top to bottom; widgets update their figure in place, and an impossible
          setting shows a message instead of breaking the figure.
        * Notional = margin × leverage; size = notional / price; PnL = size × price move.
        * The **bankruptcy** price is where equity is zero; the **liquidation** price comes
          earlier, where equity meets the maintenance margin.
        * Isolated margin risks one position's margin; cross margin risks the whole wallet.

        ## A workshop path (for instructors)

        About **2 h 30** for a group that knows what a futures contract is. Each notebook runs
        top to bottom without a kernel restart; check the room's machines (or Binder) with the
        README's test command beforehand. For a handout, `jupyter nbconvert --to html --execute`
        keeps a static image of every key figure.
    """),
    code(r"""
        schedule = [   # (minutes, notebook, what to do)
            (10, "00 Start here", "the article's claims (table above); everyone drags the demo slider"),
            (20, "01 Leverage", "sections 1–4 at the board; the equity widget; exercises 1–2 (core) in pairs"),
            (25, "02 Liquidation price", "derive the liquidation price; the venue comparison; exercises 1–2"),
            (15, "break", ""),
            (30, "03 Funding-rate drag", "who pays whom; funding walks the liquidation price; first two exercises"),
            (45, "04 Isolated vs cross", "the contagion lab; the correlation sliders are the discussion piece"),
            (5, "wrap-up", "what the model leaves out (below)"),
        ]
        start = 0
        for minutes, notebook, what in schedule:
            print(f"{start // 60}:{start % 60:02d}  {minutes:3d} min  {notebook:<22} {what}")
            start += minutes
        assert start == 150                      # 2 h 30
    """),
    md(r"""
        Exercise 3 of 01 and the later exercises of each notebook make good homework. Each
        exercise has a checker (✓/✗, it never reveals the answer) and a collapsed solution.

        ## What the model leaves out

        * **Linear contracts only** (USDT/USDC-margined); inverse, coin-margined contracts are
          not modelled.
        * **One price**: mark, index, oracle and last traded price are taken to be equal; real
          venues liquidate on the mark price, which can differ from the price you see.
        * **Fills are perfect** unless you pass a worse exit price: order-book depth, slippage
          and gaps enter only as inputs. Partial liquidation, auto-deleveraging and the
          insurance fund's own dynamics are described, not simulated (bad debt is recorded,
          never hidden).
        * **Venue parameters are snapshots**: maintenance rates, tiers, fees and funding caps
          change often; every preset in `marginlib` carries its source and date. Fetch the live
          tables before trading.
        * Gas, taxes, liquidation-engine timing and oracle latency are left out.
        * Nothing here is trading advice.

        **Next:** [01 · Leverage](01-leverage.ipynb): what 100 USDC at 10× really buys, and what
        a 30 % move in minutes does to it.
    """),
]

if __name__ == "__main__":
    print(write(CELLS, NAME + ".ipynb"))
