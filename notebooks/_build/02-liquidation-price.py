"""Build notebooks/02-liquidation-price.ipynb (outputs stripped).

Run: python notebooks/_build/02-liquidation-price.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _nb  # noqa: E402

NAME = "02-liquidation-price"
_CELLS = _nb.Collector()
md, code, solution, CELLS = _CELLS.md, _CELLS.code, _CELLS.solution, _CELLS.cells


code(r"""
%matplotlib widget
import numpy as np
import matplotlib.pyplot as plt
from IPython.display import HTML, Image, display

import marginlib as ml
from marginlib import plots, widgets
from marginlib.widgets.exercises import check
""")

md(r"""
# 02 · The liquidation price

*Where exactly is a position closed, and why is it closer than the article's formula says?*

**Learning objectives.** After this notebook you can

1. derive the article's formula $E\,(1 - 1/L)$ from "equity = margin + PnL = 0" and say what it
   really is (the **bankruptcy** price);
2. derive the liquidation price with a **maintenance margin** and explain why it sits between
   the bankruptcy price and the entry, and why venues disagree by a few dollars (maintenance
   evaluated at the mark price or at entry);
3. explain why a short has less room than a long at the same leverage;
4. use a venue's **tier table**, and spot a tier switch at the liquidation price;
5. account for **fees**: the taker fee in the requirement, the liquidation fee, what is returned
   to your wallet, and the **bad debt** of a gap;
6. predict what **adding margin** does (and why removing it can be refused);
7. compare one trade across **venue presets**, and audit the article's claims with numbers.

Everything below is computed with `marginlib` (`ml`); every number in the text comes from a code
cell with an `assert`.
""")

md(r"""
## Why this matters

The article hands the reader one formula, *Liquidation Price = Entry Price × (1 − 1/Leverage)*,
and two rules of thumb: a position is liquidated "when losses consume 80 % of isolated margin",
and "15–20 % price movement before liquidation … corresponds to roughly 5–7× leverage". A trader
who sizes positions with these numbers is liquidated **earlier** than planned. We derive the
formula, then add what it leaves out, one piece at a time, and finally audit each claim.

Throughout, the running example is the article's: **100 USDC of margin at 10×** on a DeFAI token
priced **2.50**.

## 1 · The article's formula, derived by hand

Open a long of size $q$ (tokens) at entry price $E$ with margin $M$ and leverage $L$, so that
$q = M L / E$ (the notional $qE$ is $M \times L$). At a price $P$ the position's **equity** is the
margin plus the unrealised PnL:

$$\text{Eq}(P) = M + q\,(P - E).$$

The margin is gone when $\text{Eq}(P) = 0$:

$$M + q(P - E) = 0 \iff P = E - \frac{M}{q} = E - \frac{E}{L} = E\left(1 - \frac1L\right).$$

For a short the PnL has the other sign, $\text{Eq}(P) = M - q(P - E)$, and the same algebra gives
$E(1 + 1/L)$. In one line, with $s = +1$ for a long and $-1$ for a short: $P_{bk} = E(1 - s/L)$.
""")

code(r"""
entry, margin, leverage = 2.50, 100.0, 10          # the article: 100 USDC at 10x
size = ml.position_size(margin, leverage, entry)   # tokens
long_by_hand = entry * (1 - 1 / leverage)
short_by_hand = entry * (1 + 1 / leverage)
print(f"size = {size:g} tokens, notional = {size * entry:,.0f} USDC")
print(f"long : equity reaches 0 at {long_by_hand:.4f}")
print(f"short: equity reaches 0 at {short_by_hand:.4f}")

assert size == 400
assert np.isclose(long_by_hand, ml.bankruptcy_price("long", entry, size, margin))
assert np.isclose(short_by_hand, ml.bankruptcy_price("short", entry, size, margin))
# with zero maintenance margin the liquidation price IS this price
assert np.isclose(long_by_hand, ml.liquidation_price("long", entry, size, margin,
                                                     maintenance_margin_rate=0.0))
assert np.isclose(short_by_hand, ml.liquidation_price("short", entry, size, margin,
                                                      maintenance_margin_rate=0.0))
assert np.isclose(long_by_hand, 2.25) and np.isclose(short_by_hand, 2.75)
""")

md(r"""
The long's equity is zero at **2.25** and the short's at **2.75**: a 10 % move either way, i.e.
$1/L$. The price where equity reaches zero is the **bankruptcy price**. No venue waits that
long: at the bankruptcy price there is nothing left to pay for closing the position in a moving
market. They liquidate *earlier*, when equity falls to the **maintenance margin**.

## 2 · Maintenance margin moves the liquidation price toward entry

Venues require the equity to stay above a **maintenance margin**, a fraction $m$ (the
maintenance-margin rate, MMR) of the position's notional. The position is liquidated when

$$\text{Eq}(P) = \text{MM}(P).$$

**Maintenance at the mark price** (Binance, Hyperliquid, dYdX v4, Drift, Bybit UTA): the notional
is evaluated at the price where it happens, $\text{MM}(P) = q P m$. For a long,

$$M + q(P - E) = q P m \iff P(1 - m) = E - \frac{M}{q}
\iff P_{liq} = \frac{E(1 - 1/L)}{1 - m},$$

and for a short $M - q(P - E) = qPm \iff P_{liq} = \dfrac{E(1 + 1/L)}{1 + m}$. Both are the
generic formula that `ml.liquidation_price` implements (called G1 in its docstring; $c$ is a
maintenance amount that tiers use, §4):

$$P_{liq} = \frac{M + c - s\,q\,E}{q\,m - s\,q}.$$

Because $1/(1-m) > 1$, a long's liquidation price is **above** its bankruptcy price (closer to
entry); a short's is below it. The gap between the two is the buffer the venue keeps to close the
position and pay fees.

Check it on worked case X2 of the test suite's golden cases (`tests/data/golden_cases.json`):
1 BTC at 50,000, 10×, $m$ = 0.5 %.
""")

code(r"""
E, L, m = 50_000.0, 10, 0.005
q = 1.0
M = q * E / L
x2_long = E * (1 - 1 / L) / (1 - m)
x2_short = E * (1 + 1 / L) / (1 + m)
print(f"long : bankruptcy {ml.bankruptcy_price('long', E, q, M):,.2f}  liquidation {x2_long:,.2f}")
print(f"short: bankruptcy {ml.bankruptcy_price('short', E, q, M):,.2f}  liquidation {x2_short:,.2f}")

assert np.isclose(x2_long, ml.liquidation_price("long", E, q, M, maintenance_margin_rate=m))
assert np.isclose(x2_short, ml.liquidation_price("short", E, q, M, maintenance_margin_rate=m))
assert round(x2_long, 2) == 45_226.13 and round(x2_short, 2) == 54_726.37   # case X2
# strictly between bankruptcy and entry
assert ml.bankruptcy_price("long", E, q, M) < x2_long < E
assert E < x2_short < ml.bankruptcy_price("short", E, q, M)
""")

md(r"""
### The other convention: maintenance frozen at entry

**Bybit's classic accounts and GMX v2** evaluate the maintenance margin on the *entry* notional,
$\text{MM} = q E m$. Then the condition is linear in $P$:

$$M + s\,q(P - E) = qEm \iff P_{liq} = E - s\,\frac{M - qEm}{q} = E\left(1 - \frac{s}{L} + s\,m\right).$$

The two conventions differ by a few dollars. Bybit's own help page gives the classic example
(case Y1): 1 BTC long at 20,000 with 50×, MMR 0.5 %.
""")

code(r"""
entry_conv_long = E * (1 - 1 / L + m)          # case X2b: 45,250
entry_conv_short = E * (1 + 1 / L - m)         # 54,750
assert np.isclose(entry_conv_long,
                  ml.liquidation_price("long", E, q, M, m, convention="entry"))
assert np.isclose(entry_conv_short,
                  ml.liquidation_price("short", E, q, M, m, convention="entry"))
assert np.isclose(entry_conv_long, 45_250) and np.isclose(entry_conv_short, 54_750)

# Bybit classic, case Y1: 1 BTC @ 20,000, 50x, MMR 0.5 %  -> published 19,700
y1_entry = ml.liquidation_price("long", 20_000, 1, 20_000 / 50, 0.005, convention="entry")
y1_mark = ml.liquidation_price("long", 20_000, 1, 20_000 / 50, 0.005, convention="mark")
print(f"X2 at 10x: mark {x2_long:,.2f} vs entry {entry_conv_long:,.2f}")
print(f"Y1 at 50x: Bybit classic (entry) {y1_entry:,.2f} vs mark convention {y1_mark:,.2f}")
assert y1_entry == 19_700 and round(y1_mark, 2) == 19_698.49
""")

md(r"""
For the long, the entry convention liquidates slightly *earlier* (45,250 vs 45,226.13): the
notional shrinks as the price falls, so maintenance at the mark price is a little smaller than at
entry. Which convention a venue uses is in its documentation, not in the article.

## 3 · Long vs short: the short has less room

Distance from entry to liquidation, as a fraction of the entry price, from the two formulas of §2:

$$d_{long} = 1 - \frac{1 - 1/L}{1 - m} = \frac{1/L - m}{1 - m}, \qquad
d_{short} = \frac{1 + 1/L}{1 + m} - 1 = \frac{1/L - m}{1 + m}.$$

Same numerator, larger denominator: **for the same $m > 0$ the short is liquidated after a
smaller move**, by the factor $(1-m)/(1+m)$. Intuition: as the price rises against a short, its
notional (and so its maintenance margin) grows; as the price falls against a long, its
maintenance margin shrinks. Without maintenance both distances are $1/L$.
""")

code(r"""
m5 = 0.05                                         # a 5 % MMR (dYdX small-cap, Hyperliquid 10x tier)
assert ml.VENUES["dydx_v4_small_cap"].tiers.rates[0] == m5 == ml.VENUES["hyperliquid_10x"].tiers.rates[0]
d_long = (1 / leverage - m5) / (1 - m5)
d_short = (1 / leverage - m5) / (1 + m5)
liq_long = ml.liquidation_price("long", entry, size, margin, m5)
liq_short = ml.liquidation_price("short", entry, size, margin, m5)
print(f"10x, m = 5 %: long liquidated after {100 * d_long:.2f} % (at {liq_long:.4f}), "
      f"short after {100 * d_short:.2f} % (at {liq_short:.4f})")
assert np.isclose(d_long, (entry - liq_long) / entry)
assert np.isclose(d_short, (liq_short - entry) / entry)
assert round(100 * d_long, 2) == 5.26 and round(100 * d_short, 2) == 4.76

# the asymmetry holds at every leverage that can be opened, for any m > 0
lev = np.linspace(1.5, 19.5, 50)
q_grid = margin * lev / entry
dl = (entry - ml.liquidation_price("long", entry, q_grid, margin, m5)) / entry
ds = (ml.liquidation_price("short", entry, q_grid, margin, m5) - entry) / entry
assert np.all(ds < dl) and np.allclose(ds / dl, (1 - m5) / (1 + m5))
""")

md(r"""
### The picture: distance to liquidation against leverage

The dashed curve is the article's $1/L$; the solid curve includes a maintenance rate (here 0.5 %,
as in case X2; the red dot marks 10×). The shaded band is the article's "15–20 % room". A static
copy first (for readers without a kernel), then the live figure.
""")

code(r"""
static = plots.liquidation_distance(static=True)   # default: long, m = 0.5 %, no fee, 10x marked
display(Image(static.png()))
assert static.params["maintenance_margin_rate"] == 0.005 and static.params["leverage"] == 10
""")

md(r"""
Move the sliders: raise the **maintenance rate** and watch the curve fall away from the dashed
one and hit zero at $L = 1/m$; switch the **side**; add a **taker fee** (explained in §5: some
venues count the fee to close in the requirement, which acts like a higher $m$). Push the leverage
past $1/(m + \text{fee})$: the margin no longer covers the requirement at entry, the position
could not even be opened, and the widget says so instead of drawing nonsense.
""")

code(r"""
distance_widget = widgets.liquidation_distance_widget()
distance_widget
""")

md(r"""
The next cell moves the widget's sliders from code and checks that the curve it now draws is
`ml.liquidation_price`, point by point (what you see is the library, not a separate drawing).
""")

code(r"""
c = distance_widget.controls
c["maintenance_margin_rate"].value = 0.05
c["side"].value = "short"
c["leverage"].value = 10
line = distance_widget.plot.artists["distance"]
x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
ok = ~np.isnan(y)
expected = (ml.liquidation_price("short", 100.0, x[ok], 100.0, 0.05) - 100.0) / 100.0 * 100
assert np.allclose(y[ok], expected)
assert np.isclose(distance_widget.plot.marker_distance, 100 * d_short)
assert not ok[x >= 20].any()                      # nothing drawn from L = 1/m = 20x up

c["leverage"].value = 25                          # cannot be opened with m = 5 %
display(HTML(distance_widget.message.value))      # what the learner sees under the figure
assert "⚠" in distance_widget.message.value
c["leverage"].value = 10
c["side"].value = "long"
c["maintenance_margin_rate"].value = 0.005
""")

md(r"""
## 4 · Tiers: the rate depends on the size, and the size changes as the price moves

Venues charge a higher MMR on larger positions, through a table of **brackets** (Binance),
**risk limits** (Bybit) or **margin tiers** (Hyperliquid). The whole notional pays the rate of its
bracket, and a **maintenance amount** $c_k$ keeps the requirement continuous at each floor:

$$\text{MM}(N) = N\,m_k - c_k, \qquad c_k = c_{k-1} + \text{floor}_k\,(m_k - m_{k-1}).$$

Here is the Binance-like BTCUSDT table shipped as a preset (a dated snapshot, see its source).
""")

code(r"""
binance = ml.VENUES["binance_btcusdt"]
tiers = binance.tiers
rows = "".join(
    f"<tr><td>{k}</td><td>{lo:,.0f}</td><td>{100 * r:.2f} %</td><td>{c:,.0f}</td><td>{lv:g}×</td></tr>"
    for k, (lo, r, c, lv) in enumerate(zip(tiers.floors, tiers.rates, tiers.amounts,
                                           tiers.max_leverages)))
display(HTML("<table><tr><th>tier</th><th>notional floor (USDT)</th><th>MMR</th>"
             "<th>maintenance amount c</th><th>max leverage</th></tr>" + rows + "</table>"))
print(f"source: {tiers.source} (as of {tiers.as_of})")

# the recursion by hand for tier 2 (Binance FAQ: floor 250,000, 1 % after 0.5 %, prior 50 -> 1,300)
c2 = tiers.amounts[1] + tiers.floors[2] * (tiers.rates[2] - tiers.rates[1])
assert np.isclose(c2, tiers.amounts[2]) and np.isclose(c2, 1_300)
""")

md(r"""
**A tier switch at the liquidation price.** Take a 10× long of 5.2 BTC at 50,000: notional
260,000 USDT, in tier 2 (1 %) at entry. But as the price falls towards liquidation the notional
falls below the 250,000 floor, into tier 1 (0.5 %). Binance's FAQ warns about exactly this: the
liquidation price must use the bracket in force **at the liquidation price**. Compute both by hand
with the long form of G1, $P = (qE - M - c)/(q(1 - m))$.
""")

code(r"""
E_t, q_t = 50_000.0, 5.2
M_t = q_t * E_t / 10
assert np.isclose(q_t * E_t, 260_000) and tiers.floors[2] == 250_000
assert tiers.rates[2] == 0.01 and tiers.rates[1] == 0.005
k_entry = tiers.tier_index(q_t * E_t)
p_entry_tier = (q_t * E_t - M_t - tiers.amounts[k_entry]) / (q_t * (1 - tiers.rates[k_entry]))
p_tier1 = (q_t * E_t - M_t - tiers.amounts[1]) / (q_t * (1 - tiers.rates[1]))
print(f"entry notional {q_t * E_t:,.0f} -> tier {k_entry}; with that tier: {p_entry_tier:,.2f}"
      f" (notional there {q_t * p_entry_tier:,.0f}, which is tier {tiers.tier_index(q_t * p_entry_tier)})")
print(f"with tier 1: {p_tier1:,.2f} (notional {q_t * p_tier1:,.0f}, tier "
      f"{tiers.tier_index(q_t * p_tier1)}: consistent)")

r = ml.tiered_liquidation_price("long", E_t, q_t, M_t, tiers)
print(r)
assert k_entry == 2 and r.entry_tier == 2 and r.tier == 1 and r.switched
assert np.isclose(r.price, p_tier1) and np.isclose(r.entry_tier_price, p_entry_tier)
assert tiers.tier_index(q_t * p_tier1) == 1            # the fixed point: the tier it uses holds there
assert np.isclose(ml.venue_liquidation_price("binance_btcusdt", "long", E_t, q_t, M_t), r.price)
print(f"keeping the entry tier would put the liquidation {r.price - r.entry_tier_price:.2f} USDT too low")
""")

md(r"""
Here the difference is small (the two rates differ by half a point), but on a table with bigger
steps, or for a short whose notional *grows* into a higher tier, it is larger and it is always in
the same direction: the correct liquidation is **closer** to entry. `ml.tiered_liquidation_price`
reports `switched=True` so the switch is never silent.

## 5 · Fees

**(a) The taker fee in the requirement.** OKX, Gate and Phemex keep enough margin to pay the fee
for closing the position at market: the position is liquidated when
$\text{Eq}(P) \le q P\,(m + f_{taker})$ (OKX's margin ratio $\text{equity}/(qP(m + f))$ reaching
100 %). In the formulas above it just replaces $m$ by $m + f$: the liquidation moves a little
closer. The OKX-like preset (MMR 0.4 %, taker 0.05 %) at 50×:
""")

code(r"""
okx = ml.VENUES["okx_btc_example"]
m_o, f_o = okx.tiers.rates[0], okx.taker_fee_rate
assert (m_o, f_o) == (0.004, 0.0005) and okx.fee_in_requirement
E_o, L_o = 100.0, 50
q_o, M_o = 1.0, 100.0 / 50
okx_by_hand = E_o * (1 - 1 / L_o) / (1 - (m_o + f_o))
no_fee = ml.liquidation_price("long", E_o, q_o, M_o, m_o)
print(f"MMR only: {no_fee:.4f}   MMR + taker fee: {okx_by_hand:.4f}")
assert np.isclose(okx_by_hand, ml.liquidation_price("long", E_o, q_o, M_o, m_o, taker_fee_rate=f_o))
assert np.isclose(okx_by_hand, ml.venue_liquidation_price("okx_btc_example", "long", E_o, q_o, M_o))
assert no_fee < okx_by_hand < E_o
""")

md(r"""
**(b) The liquidation fee, and what comes back.** The article says "remaining collateral returns
to your wallet minus a small liquidation fee". On dYdX v4 (small-cap market: $m$ = 5 %, penalty up
to 1.5 % of notional) our 10× long of 400 tokens is liquidated at the price found in §3. At that
price the equity equals the maintenance margin; the fee is taken from it; the rest is returned.
""")

code(r"""
dydx = ml.VENUES["dydx_v4_small_cap"]
fee_rate = dydx.liquidation_fee_rate
assert dydx.tiers.rates[0] == m5 and fee_rate == 0.015
equity_at_liq = margin + size * (liq_long - entry)         # = maintenance margin q·P·m
fee = size * liq_long * fee_rate
returned = equity_at_liq - fee
out = ml.liquidation_outcome("long", entry, size, margin, maintenance_margin_rate=m5,
                             liquidation_fee_rate=fee_rate)
print(f"liquidated at {out.exit_price:.4f}: equity {out.equity:.2f}, fee {out.liquidation_fee:.2f}, "
      f"returned {out.returned:.2f} of the {margin:g} USDC margin")
assert np.isclose(equity_at_liq, size * liq_long * m5)
assert np.isclose(out.equity, equity_at_liq) and np.isclose(out.liquidation_fee, fee)
assert np.isclose(out.returned, returned) and out.bad_debt == 0
assert round(out.returned, 2) == 33.16 and round(out.liquidation_fee, 2) == 14.21
""")

md(r"""
So about a third of the margin comes back, and the "small" fee is about 14 % of the margin (1.5 %
of a notional ten times larger). Some venues return nothing at all: Bybit classic closes at the
bankruptcy price and the leftover margin goes to its insurance fund.

**(c) A gap past bankruptcy: bad debt.** Liquidation is an order, not a guarantee. If the price
gaps straight through both lines (thin DeFAI books, "30 % in minutes"), the position is closed
below the bankruptcy price: equity is negative. Isolated margin caps *your* loss at the margin;
the rest is **bad debt**, absorbed by the venue's insurance fund (or, when that is empty,
socialised by auto-deleveraging). Suppose the fill is at 2.10:
""")

code(r"""
gap_price = 2.10
equity_gap = margin + size * (gap_price - entry)            # 100 + 400 × (−0.40)
gap = ml.liquidation_outcome("long", entry, size, margin, exit_price=gap_price,
                             liquidation_fee_rate=fee_rate)
print(f"fill at {gap_price}: equity {gap.equity:.2f}, returned {gap.returned:.2f}, "
      f"fee {gap.liquidation_fee:.2f}, bad debt {gap.bad_debt:.2f}")
assert np.isclose(gap.equity, equity_gap) and np.isclose(gap.bad_debt, -equity_gap)
assert gap.returned == 0 and gap.liquidation_fee == 0 and np.isclose(gap.bad_debt, 60)
""")

md(r"""
## 6 · Adding margin

The article: topping up margin "lower[s] your effective leverage and push[es] the liquidation
price farther away … but does not reset your entry price". Precisely: with $M' = M + a$, the long
formula $P = (E - M'/q)/(1 - m)$ moves down by $a / (q(1-m))$; the size and the entry are unchanged,
so the effective leverage $qE/M'$ falls. Add 50 USDC to our 10× long ($m$ = 5 %):
""")

code(r"""
added = 50.0
adj = ml.adjust_margin("long", entry, size, margin, added, maintenance_margin_rate=m5)
move_by_hand = added / (size * (1 - m5))
print(f"liquidation {liq_long:.4f} -> {adj.liquidation_price:.4f} (moved {move_by_hand:.4f}); "
      f"bankruptcy -> {adj.bankruptcy_price:.4f}")
print(f"effective leverage {leverage}x -> {adj.effective_leverage:.2f}x; entry still {adj.entry_price}")
assert np.isclose(liq_long - adj.liquidation_price, move_by_hand)
assert np.isclose(adj.effective_leverage, size * entry / (margin + added))
assert adj.entry_price == entry and np.isclose(adj.effective_leverage, 20 / 3)
""")

md(r"""
**Removing margin** is the reverse, and venues refuse it when the equity left would fall below
the *initial* margin requirement at the current mark ($q P_{mark} / L$ on Binance). At the entry
price our position has exactly its initial margin, so removing even 10 USDC is refused:
""")

code(r"""
try:
    ml.adjust_margin("long", entry, size, margin, -10.0, initial_margin_rate=1 / leverage,
                     maintenance_margin_rate=m5)
except ValueError as err:
    refused = str(err)
    print("Refused:", refused)
else:
    raise AssertionError("removing margin below the initial requirement should be refused")
assert "initial margin" in refused

# after a rise to 2.60 the unrealised profit (40) counts: removing 30 leaves 110 >= 104
mark = 2.60
ok = ml.adjust_margin("long", entry, size, margin, -30.0, mark_price=mark,
                      initial_margin_rate=1 / leverage, maintenance_margin_rate=m5)
print(f"at mark {mark}: removal of 30 allowed, liquidation now {ok.liquidation_price:.4f}")
equity_left, required = margin - 30 + size * (mark - entry), size * mark / leverage
assert np.isclose(equity_left, 110) and np.isclose(required, 104) and equity_left >= required
assert ok.liquidation_price > liq_long           # less margin: liquidation closer
""")

md(r"""
### The picture: a price path, and the lines you move by adding margin

A synthetic hourly price path (seeded, so everyone sees the same one) for our 10× long on the
dYdX-small-cap-like rules ($m$ = 5 %, 1.5 % penalty). Red: liquidation price; dotted: bankruptcy
price. Without added margin, a dip liquidates the position; the price then recovers and ends
above entry, which is exactly the regret a top-up is meant to avoid.
""")

code(r"""
static_path = plots.liquidation_path(static=True)
display(Image(static_path.png()))
print(f"liquidated at hour {static_path.hit_index}; path low {static_path.path.min():.4f}, "
      f"last price {static_path.path[-1]:.4f}")
assert static_path.hit_index is not None and static_path.path[-1] > entry
assert static_path.params["maintenance_margin_rate"] == m5
assert static_path.params["liquidation_fee_rate"] == fee_rate
""")

md(r"""
Slide **added margin**: both lines move down, the caption shows the new effective leverage and
what would be returned if the position is still liquidated. Try another **price path** (seed).
""")

code(r"""
path_widget = widgets.liquidation_path_widget()
path_widget
""")

code(r"""
pc = path_widget.controls
plot = path_widget.plot
for amount in (0.0, 50.0, 100.0):
    pc["added_margin"].value = amount
    expect = ml.adjust_margin("long", entry, size, margin, amount, maintenance_margin_rate=m5)
    assert np.isclose(plot.artists["liquidation"].get_ydata()[0], expect.liquidation_price)
    assert np.isclose(plot.artists["bankruptcy"].get_ydata()[0], expect.bankruptcy_price)
    hit = plot.hit_index
    print(f"+{amount:>5.0f} USDC: liquidation {expect.liquidation_price:.4f}, "
          + ("never hit" if hit is None else f"hit at hour {hit}"))
    low = plot.path.min()
    assert (hit is None) == (low > expect.liquidation_price)
    assert (hit is None) == (amount == 100.0)     # +50 is not enough on this path, +100 is
pc["added_margin"].value = 0.0
""")

md(r"""
50 USDC more is *not* enough for this path, 100 is: how much exactly is Exercise 3.

## 7 · One trade, every venue preset

The same isolated long, 100 USDC at 10× on a token at 2.50, under each preset's rules (its tier
table, its convention, whether the fee counts). `ml.compare_venues` returns one row per venue;
every preset carries its source and the date of the numbers.
""")

code(r"""
quotes = ml.compare_venues("long", entry, margin, leverage)
display(widgets.venue_table(quotes))
prices = {q.key: q.liquidation_price for q in quotes}
assert all(q.allowed for q in quotes)
assert np.isclose(prices["dydx_v4_small_cap"], liq_long)
assert min(prices.values()) > ml.bankruptcy_price("long", entry, size, margin)   # all above 2.25
spread = max(prices.values()) - min(prices.values())
print(f"the liquidation prices span {spread:.4f} ({100 * spread / entry:.2f} % of entry)")
assert spread / entry > 0.03
""")

md(r"""
At 10× every preset accepts the trade, but the liquidation price depends on the venue by several
per cent of the entry. At higher leverage some venues refuse: a leverage above their maximum, or
a margin that would not even cover their requirement at entry.
""")

code(r"""
for lev_try in (20, 100):
    print(f"--- {lev_try}x ---")
    for q_ in ml.compare_venues("long", entry, margin, lev_try):
        if not q_.allowed:
            print(f"{q_.name}: refused. {q_.reason}")
            assert q_.liquidation_price is None and q_.reason
refused_20 = {q_.key for q_ in ml.compare_venues("long", entry, margin, 20) if not q_.allowed}
assert refused_20 == {k for k, v_ in ml.VENUES.items() if v_.max_leverage < 20}
gmx_100 = ml.compare_venues("long", entry, margin, 100, venues=["gmx_v2"])[0]
assert not gmx_100.allowed and "maintenance" in gmx_100.reason
""")

md(r"""
## 8 · Auditing the article

### Claim 1: "Liquidation Price = Entry Price × (1 − 1/Leverage)"

That is the **bankruptcy** price: it ignores the maintenance margin (and any fee in the
requirement). At 10× with a 5 % MMR:
""")

code(r"""
article = entry * (1 - 1 / leverage)
real_mark = ml.liquidation_price("long", entry, size, margin, m5)
real_entry = ml.liquidation_price("long", entry, size, margin, m5, convention="entry")
room = {name: 100 * (entry - p) / entry for name, p in
        [("article", article), ("mark", real_mark), ("entry", real_entry)]}
print(f"article {article:.4f} ({room['article']:.2f} % room) | mark convention {real_mark:.4f} "
      f"({room['mark']:.2f} %) | entry convention {real_entry:.4f} ({room['entry']:.2f} %)")
assert np.isclose(room["article"], 10) and round(room["mark"], 2) == 5.26 and np.isclose(room["entry"], 5)
assert 1.85 < room["article"] / room["mark"] < 2   # the article promises almost twice the room
""")

md(r"""
The article promises 10 % of room; the position is liquidated after about 5 %. The formula is
right only when $m = 0$, which no venue uses.

### Claim 2: "When losses consume 80 % of isolated margin … a liquidation order triggers"

No venue states its rule that way: venues set a maintenance *rate on the notional*. The share of
the margin lost at liquidation follows from it, for a long in the mark convention:

$$\frac{q\,(E - P_{liq})}{M} = L\,d_{long} = \frac{1 - m L}{1 - m},$$

which depends on both the venue's rate **and** the leverage. At 10× on each preset:
""")

code(r"""
shares = {q_.name: q_.distance * leverage for q_ in ml.compare_venues("long", entry, margin, leverage)}
for name, share in shares.items():
    print(f"{name:34s} {100 * share:5.1f} % of the margin lost at liquidation")
assert np.isclose(shares["dYdX v4 (Small-Cap)"], (1 - m5 * leverage) / (1 - m5))
lo, hi = min(shares.values()), max(shares.values())
print(f"range {100 * lo:.1f} % – {100 * hi:.1f} %")
assert lo < 0.55 and hi > 0.95                       # from about half to almost all of it
# the same venue at another leverage gives another share: it is not a fixed rule
share_5x = ml.compare_venues("long", entry, margin, 5, venues=["dydx_v4_small_cap"])[0].distance * 5
assert not np.isclose(share_5x, shares["dYdX v4 (Small-Cap)"])
# the MMR that would make it 80 % at 10x: (1 − mL)/(1 − m) = 0.8  ->  m = 0.2 / (L − 0.8)
m_80 = 0.2 / (leverage - 0.8)
print(f"80 % at 10x would need m = {100 * m_80:.2f} %; at 5x the small-cap dYdX share is {100 * share_5x:.1f} %")
assert np.isclose((1 - m_80 * leverage) / (1 - m_80), 0.8) and round(100 * m_80, 2) == 2.17
""")

code(r"""
display(Image(plots.margin_lost_at_liquidation(static=True).png()))
""")

md(r"""
From about half to almost all of the margin, depending on venue and leverage; 80 % is one point
on these lines, not a rule.

### Claim 3: "15–20 % price movement … corresponds to roughly 5–7× leverage"

Even with the article's own formula the room is $1/L$: $1/5$ = 20 % but $1/7$ is 14.3 %, below
the 15 % target. With maintenance it is worse. Solve $d_{long} = (1/L - m)/(1 - m)$ for $L$:

$$\frac1L = d(1 - m) + m \iff L = \frac{1}{d + m(1 - d)}$$

(for a short, $L = 1/(d + m(1 + d))$; with a fee in the requirement replace $m$ by $m + f$).
""")

code(r"""
def leverage_for_room(d, m, side="long"):
    # largest leverage whose liquidation is d away from entry (mark convention, c = 0)
    return 1 / (d + m * (1 - d)) if side == "long" else 1 / (d + m * (1 + d))

print(f"article's formula: 5x -> {100 / 5:.1f} % room, 7x -> {100 / 7:.1f} % room")
assert np.isclose(1 / 7, 0.142857, atol=1e-6) and 1 / 7 < 0.15
for key in ("hyperliquid_btc", "dydx_v4_small_cap"):
    m_v = ml.VENUES[key].tiers.rates[0]
    levs = [leverage_for_room(d, m_v) for d in (0.15, 0.20)]
    print(f"{ml.VENUES[key].name} (m = {100 * m_v:.2f} %): 15 % room needs L <= {levs[0]:.2f}x, "
          f"20 % room needs L <= {levs[1]:.2f}x")
    for d, L_d in zip((0.15, 0.20), levs):          # check: at that leverage the distance is d
        q_d = margin * L_d / entry
        assert np.isclose((entry - ml.liquidation_price("long", entry, q_d, margin, m_v)) / entry, d)
L15_small = leverage_for_room(0.15, 0.05)
L20_small = leverage_for_room(0.20, 0.05)
assert round(L15_small, 2) == 5.19 and round(L20_small, 2) == 4.17
""")

md(r"""
On a 5 %-MMR market, 15–20 % of room means roughly 4–5×, not 5–7×; at 7× the room there is
only about 10 %.
""")

code(r"""
room_7x = (entry - ml.liquidation_price("long", entry, margin * 7 / entry, margin, 0.05)) / entry
print(f"7x on a 5 % MMR market: {100 * room_7x:.2f} % room")
assert 0.09 < room_7x < 0.11
""")

md(r"""
## Exercises

Each exercise has a checker: replace `...` with your number and run the cell. The checkers find
the right answer by searching with `marginlib` (not with the formula you are asked to derive).
Solutions are collapsed below each exercise (click to expand).

**Exercise 1.** A **short** on Hyperliquid's 10×-alt tier ($m$ = 5 %): 120 USDC of margin at 8×
on a token priced 1.20. Derive its liquidation price by hand (maintenance at the mark price).
""")

code(r"""
def solve(f, target, lo, hi, n=100):
    # bisection: the x in [lo, hi] where the monotone function f reaches target
    f_lo = f(lo) - target
    for _ in range(n):
        mid = 0.5 * (lo + hi)
        if (f(mid) - target > 0) == (f_lo > 0):
            lo, f_lo = mid, f(mid) - target
        else:
            hi = mid
    return 0.5 * (lo + hi)

assert ml.VENUES["hyperliquid_10x"].tiers.rates[0] == 0.05

def check_exercise_1(answer):
    size_1 = ml.position_size(120, 8, 1.20)
    expected = ml.liquidation_price("short", 1.20, size_1, 120, maintenance_margin_rate=0.05)
    return check("Exercise 1: liquidation price of the short", answer, expected, rel=1e-4,
                 hint="a short is liquidated above entry; equity M − q(P − E) = q·P·m")

answer = ...   # your liquidation price
check_exercise_1(answer)
""")

solution(r"""
# Short: M − q(P − E) = q·P·m  ->  P = E(1 + 1/L)/(1 + m)
answer = 1.20 * (1 + 1 / 8) / (1 + 0.05)
print(f"liquidation {answer:.6f}, distance {100 * (answer - 1.20) / 1.20:.3f} % "
      f"(the article's formula would say {100 / 8:.1f} %)")
assert check_exercise_1(answer)
""", title="Solution to exercise 1")

md(r"""
**Exercise 2.** You want at least **15 % of room** on a long, on a venue with $m$ = 2.5 % that
also counts a 0.05 % taker fee in the requirement (maintenance at the mark price). What is the
largest leverage you may use? (Hint: §8, claim 3, with $m$ replaced by $m + f$.)
""")

code(r"""
def check_exercise_2(answer):
    def room(lev):   # distance entry -> liquidation, fraction of entry (entry 100, margin 100)
        p = ml.liquidation_price("long", 100.0, lev, 100.0, 0.025, taker_fee_rate=0.0005)
        return (100.0 - p) / 100.0
    expected = solve(room, 0.15, 1.0, 30.0)
    return check("Exercise 2: largest leverage with 15 % room", answer, expected, rel=1e-4,
                 hint="solve (1/L − m')/(1 − m') = d for L")

answer = ...   # your leverage
check_exercise_2(answer)
""")

solution(r"""
# L = 1/(d + m'(1 − d)) with m' = m + fee
m_2 = 0.025 + 0.0005
answer = 1 / (0.15 + m_2 * (1 - 0.15))
print(f"largest leverage: {answer:.4f}x (the article's formula would allow {1 / 0.15:.2f}x)")
assert check_exercise_2(answer)
""", title="Solution to exercise 2")

md(r"""
**Exercise 3.** In the price-path figure (default path), what is the **smallest added margin**
that keeps the 10× long alive over the whole path? Derive it: the liquidation price must stay
below the path's lowest price (read it from `plots.liquidation_path(static=True).path`). Then
check with the slider, just above and just below your answer.
""")

code(r"""
def check_exercise_3(answer):
    low = plots.liquidation_path(static=True).path.min()
    liq = lambda add: ml.adjust_margin("long", entry, size, margin, add,
                                       maintenance_margin_rate=m5).liquidation_price
    expected = solve(liq, low, 0.0, 300.0)
    return check("Exercise 3: smallest added margin (USDC)", answer, expected, rel=1e-4,
                 hint="long: P_liq = (E − M'/q)/(1 − m); set it equal to the low")

answer = ...   # your added margin in USDC
check_exercise_3(answer)
""")

solution(r"""
# P_liq = (E − M'/q)/(1 − m) = low  ->  M' = q·(E − low·(1 − m)), added = M' − M
low = plots.liquidation_path(static=True).path.min()
answer = size * (entry - low * (1 - m5)) - margin
print(f"path low {low:.4f}: add more than {answer:.2f} USDC")
assert check_exercise_3(answer)
pc["added_margin"].value = np.ceil(answer / 5) * 5       # slider steps of 5: just above
assert path_widget.plot.hit_index is None
pc["added_margin"].value = np.floor(answer / 5) * 5      # just below
assert path_widget.plot.hit_index is not None
pc["added_margin"].value = 0.0
""", title="Solution to exercise 3")

md(r"""
## Key takeaways

* $E(1 \mp 1/L)$ is the **bankruptcy** price (equity = 0). Venues liquidate earlier, when
  equity reaches the **maintenance margin**: $P_{liq} = E(1 - 1/L)/(1 - m)$ for a long,
  $E(1 + 1/L)/(1 + m)$ for a short (maintenance at the mark price).
* Venues differ: maintenance at the mark price (Binance, Hyperliquid, dYdX) or at entry (Bybit
  classic, GMX); tier tables, where the tier **at the liquidation price** is the one that counts;
  fees counted in the requirement (OKX, GMX).
* A short has less room than a long at the same leverage and MMR, by the factor $(1-m)/(1+m)$.
* At liquidation you get back the equity minus the liquidation fee, sometimes nothing; a gap past
  the bankruptcy price leaves bad debt for the insurance fund, not a negative refund.
* Adding margin moves the liquidation price away by $a/(q(1 \mp m))$ and lowers effective
  leverage; the entry price stays. Removing it is refused below the initial requirement.
* The article: its formula ignores maintenance margin (10 % promised, about 5 % real at 10× with a
  5 % MMR), "80 % of margin" is no venue's rule, and "15–20 % room ≈ 5–7×" is too generous even
  without maintenance ($1/7$ = 14.3 %).

**Next:** [03 · Funding-rate drag](03-funding-rate-drag.ipynb): how funding paid out of an
isolated margin walks the liquidation price toward the mark, day after day.
""")

if __name__ == "__main__":
    print(_nb.write(CELLS, NAME + ".ipynb"))
