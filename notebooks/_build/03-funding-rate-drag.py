"""Build notebooks/03-funding-rate-drag.ipynb (outputs stripped).

Run: python notebooks/_build/03-funding-rate-drag.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _nb  # noqa: E402

NAME = "03-funding-rate-drag"
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
# 03 · Funding-rate drag

*You were right about the price. Why did you lose money?*

**Learning objectives.** After this notebook you can

1. compute one **funding payment** by hand and say who pays whom, for positive and negative rates;
2. read a funding rate: the venues' **clamp formula**, the interest **baseline**, the **caps**, and
   the **interval** (8 h, 1 h, per second); convert between them, simple or compounded;
3. follow funding paid out of an **isolated margin**: the margin drains, the **liquidation price
   walks toward the mark**, the effective leverage creeps up, and at some payment **funding alone
   liquidates** the position (closed form, checked against a step-by-step replay);
4. compute the **break-even move** of a trade (fees + funding + gas) and the **carry** of the
   side that receives funding;
5. explain "right direction, still lost" on a price path that ends above entry;
6. answer the article's "What to watch" on funding **with numbers**.

Every number in the text comes from a code cell with an `assert`.
""")

md(r"""
## Why this matters

The article mentions funding twice. Under *Risks and Limitations*: "Funding rate fluctuations in
perpetual contracts can erode profits even when price direction is correct." Under *What to
Watch*: "Monitor funding rates before entering any isolated DeFAI position—positive rates mean
long holders pay shorts, which erodes carry returns." Both are true, and both leave out what a
trader most needs to know: **how much**, **how fast**, and what it does to an **isolated**
position. On an isolated position the funding you pay is taken from the position's own margin,
so every payment moves its liquidation price a little closer to the price, day after day, even
if the price never moves.

The running example is the article's: **100 USDC of margin at 10×** on a DeFAI token priced
**2.50**.

## 1 · One payment, by hand

A perpetual future never expires, so something must keep its price near the spot (index) price.
That something is **funding**: at each funding time (every 8 hours on Binance and Bybit by
default, every hour on Hyperliquid and dYdX) one side pays the other

$$\text{payment} = \text{size} \times \text{reference price} \times \text{rate}.$$

**Sign convention on every venue studied: a positive rate means longs pay shorts; a negative rate
means shorts pay longs.** The reference price is the mark price on Binance and Bybit, the oracle
(index) price on Hyperliquid and dYdX. Funding is peer-to-peer: the venue takes no cut, so what
the longs pay is exactly what the shorts receive.

Our 10× long holds $q = 100 \times 10 / 2.50 = 400$ tokens. At the common baseline rate of
0.01 % per 8 hours:
""")

code(r"""
entry, margin, leverage = 2.50, 100.0, 10
size = ml.position_size(margin, leverage, entry)          # 400 tokens
rate = 0.0001                                             # 0.01 % for the interval
paid_by_hand = size * entry * rate
print(f"{size:g} tokens × {entry} × {100 * rate:.2f} % = {paid_by_hand:.2f} USDC per 8 hours")

long_cash = ml.funding_payment("long", size, entry, rate)   # cash flow TO the holder
short_cash = ml.funding_payment("short", size, entry, rate)
assert size == 400 and np.isclose(paid_by_hand, 0.10)
assert np.isclose(long_cash, -paid_by_hand) and np.isclose(short_cash, +paid_by_hand)
assert long_cash + short_cash == 0                        # peer-to-peer: zero-sum
""")

md(r"""
Ten cents every 8 hours looks like nothing. It is 0.1 % of the margin per payment, 0.3 % a day,
and it never stops while the position is open. Who pays in each case:
""")

code(r"""
rows = []
for r in (+0.0001, -0.0001):
    for side in ("long", "short"):
        cash = ml.funding_payment(side, size, entry, r)
        rows.append(f"<tr><td>{100 * r:+.2f} %</td><td>{side}</td><td>{cash:+.2f}</td>"
                    f"<td>{'pays' if cash < 0 else 'receives'}</td></tr>")
display(HTML("<table><tr><th>rate</th><th>side</th><th>cash flow (USDC)</th><th></th></tr>"
             + "".join(rows) + "</table>"))
assert ml.funding_payment("long", size, entry, +0.0001) < 0 < ml.funding_payment("short", size, entry, +0.0001)
assert ml.funding_payment("short", size, entry, -0.0001) < 0 < ml.funding_payment("long", size, entry, -0.0001)

# dYdX v4 example (golden case D8): premium 0.08 % -> 0.01 % for the hour; 2 BTC long at 60,000 pays 12
d8 = ml.dydx_funding_rate(0.0008)
assert np.isclose(d8, 0.0001) and np.isclose(ml.funding_payment("long", 2, 60_000, d8), -12.0)
""")

md(r"""
## 2 · Where the rate comes from, and how high it can go

Binance, Bybit, Gate and Hyperliquid set the rate of an interval from the **premium index**
$\bar P$ (how far the perpetual traded above the index, averaged over the interval) and an
**interest rate** $I$ (0.01 % per 8 h):

$$r = \bar P + \operatorname{clamp}(I - \bar P,\ -0.05\,\%,\ +0.05\,\%).$$

Whenever the premium is within 0.05 % of $I$, the clamp returns exactly $I - \bar P$ and **the
rate is $I$**: in a quiet market longs still pay shorts 0.01 % every 8 hours. Only a larger
premium or discount moves the rate, one for one. The six cases of golden case X3:
""")

code(r"""
premiums = np.array([0.0002, 0.001, 0.00005, -0.0003, -0.002, 0.01])
rates_x3 = ml.funding_rate(premiums)              # interest 0.01 %, clamp ±0.05 %
by_hand = premiums + np.clip(0.0001 - premiums, -0.0005, 0.0005)
for p_, r_ in zip(premiums, rates_x3):
    print(f"premium {100 * p_:+.3f} %  ->  rate {100 * r_:+.3f} %")
assert np.allclose(rates_x3, by_hand)
assert np.allclose(rates_x3, [0.0001, 0.0005, 0.0001, 0.0001, -0.0015, 0.0095])   # case X3
""")

md(r"""
**Caps.** Venues bound the rate of an interval. In this course's sources (dated examples: venues
change them): Binance caps BTCUSDT at ±0.3 % and contracts whose maximum leverage is at most 25×
at ±3 % per interval (and since May 2025 a contract whose funding hits the cap settles
**hourly**); OKX listed AI16Z perps with ±1.5 % per 4 h; dYdX v4 caps 8 hours of funding at
$600\,\% \times (\text{IMF} - \text{MMF})$, 12 % for an isolated market (IMF 5 %, MMF 3 %,
golden case D5); Hyperliquid caps at 4 % **per hour**.

**Venue variants**, each a function in `ml` checked against a golden case: Hyperliquid computes
an 8-hour rate and pays $F/8$ every hour (H7); dYdX pays $\text{premium}/8 + \text{interest}$
every hour (D8); Drift pays $((\text{mark} - \text{oracle}) + \text{oracle}/5000)/24$ per hour
(R3); GMX v2 has no order book: the **larger** side pays the smaller side, per second (G1).
""")

code(r"""
caps = {k: c for k, c in ml.FUNDING_CAPS.items()}
for c in caps.values():
    print(f"{c.name:38s} ±{100 * c.cap:g} % per {c.interval_hours:g} h "
          f"= ±{100 * c.per_hours(8):g} % per 8 h   [{c.source}, {c.as_of}]")
assert ml.binance_funding_cap("BTCUSDT") == 0.003 and ml.binance_funding_cap(max_leverage=20) == 0.03
assert np.isclose(ml.dydx_funding_cap(0.05, 0.03), 0.12)                           # case D5
assert ml.hyperliquid_funding_cap() == 0.04 and np.isclose(caps["hyperliquid"].per_hours(8), 0.32)

hl = ml.hyperliquid_funding_rate(0.0)                     # zero premium: the baseline, hourly
assert np.isclose(hl, 0.0000125)                                                  # case H7
assert np.isclose(ml.drift_funding_rate(100.10, 100.0), 0.00005)                  # case R3
g = ml.gmx_funding_rates(150_000, 50_000, funding_factor=1 / 50_000)              # case G1
print(f"GMX: longs (larger side) pay {100 * g.long_rate:.3f} %/s, shorts receive "
      f"{-100 * g.short_rate:.3f} %/s; in USD: {g.long_rate * 150_000:.2f} = {-g.short_rate * 50_000:.2f} per second")
assert np.isclose(g.long_rate, 0.00001) and np.isclose(g.short_rate, -0.00003)
assert np.isclose(g.long_rate * 150_000 + g.short_rate * 50_000, 0)               # zero-sum in USD
""")

md(r"""
## 3 · Units of time: 1 h vs 8 h at the same daily cost

A rate is meaningless without its interval. 0.01 % per 8 h is 0.00125 % per hour: three
payments a day or twenty-four, **the same 0.03 % a day**. Venues convert linearly (Hyperliquid
pays $F/8$ each hour), and so does `ml.convert_funding_rate`.

A year has 8,760 hours, so the baseline costs $0.00125\,\% \times 8760 = 10.95\,\%$ of the
notional a year (**simple**). Hyperliquid publishes "≈ 11.6 %", the **compounded** figure
$(1 + 0.0000125)^{8760} - 1$. Which one do you pay? A position of fixed size at a constant price
pays the same number of dollars every hour: **simple**. Compounding applies only if the position
is resized with its equity (a reinvested carry).
""")

code(r"""
hourly = ml.convert_funding_rate(0.0001, from_hours=8, to_hours=1)
per_day_8h = 3 * 0.0001
per_day_1h = 24 * hourly
simple = ml.annualize_funding_rate(hourly, interval_hours=1)
compounded = ml.annualize_funding_rate(hourly, interval_hours=1, compounded=True)
print(f"0.01 %/8 h = {100 * hourly:.5f} %/h; per day {100 * per_day_8h:.2f} % either way")
print(f"a year: simple {100 * simple:.2f} %, compounded {100 * compounded:.2f} %")
assert np.isclose(hourly, 0.0000125) and np.isclose(per_day_8h, per_day_1h) and np.isclose(per_day_1h, 0.0003)
assert np.isclose(simple, 0.1095) and round(100 * compounded, 2) == 11.57                 # case H7
assert np.isclose(ml.annualize_funding_rate(0.0001, 8), simple)                  # same on an 8 h clock
# the cost of a year for our 10x long (fixed size, constant price): simple
year_cost = ml.cumulative_funding("long", size, entry, ml.constant_rate_path(hourly, 8760)).total
assert np.isclose(-year_cost, simple * size * entry)
print(f"our 10x long pays {-year_cost:.1f} USDC a year at the baseline: {100 * -year_cost / margin:.1f} % of its margin")
assert np.isclose(-year_cost, 109.5)
""")

md(r"""
At the **baseline** alone our 10× long pays 109.5 USDC a year, more than its whole margin.

Does the schedule matter if the daily cost is the same? Only by hours: on an hourly schedule the
margin drains smoothly instead of in 8-hour steps, so a position that funding will liquidate
goes a few hours **sooner** (never more than 7). Below, a 20× long paying 16 bp a day
(5.33 bp per 8 h or 0.667 bp per hour):
""")

code(r"""
sched = plots.schedule_comparison(static=True)          # 20x long, 16 bp a day, 40 days
display(Image(sched.png()))
h8, h1 = sched.liquidation_hours["8h"], sched.liquidation_hours["1h"]
print(f"liquidated by funding after {h8} h (8 h schedule) vs {h1} h (hourly): {h8 - h1} h sooner")
assert (h8, h1) == (680, 675) and 0 <= h8 - h1 < 8
assert np.isclose(ml.convert_funding_rate(0.0016, 24, 8), 0.0016 / 3)            # 5.33 bp per 8 h
assert np.isclose(ml.convert_funding_rate(0.0016, 24, 1), 0.0016 / 24)           # 0.667 bp per hour
""")

md(r"""
GMX quotes funding **per second**. The README's illustrative 0.001 % per second (case G1) is
3.6 % per hour: such numbers only make sense for a few seconds of a very imbalanced market, and
they show why a per-second rate must always be converted before comparing it with an 8-hour one.
""")

code(r"""
gmx_hour = ml.convert_funding_rate(0.00001, from_hours=1 / 3600, to_hours=1)
assert np.isclose(gmx_hour, 0.036)
print(f"0.001 %/s = {100 * gmx_hour:.1f} % per hour = {100 * ml.convert_funding_rate(0.00001, 1 / 3600, 8):.1f} % per 8 h")
""")

md(r"""
## 4 · Funding paid out of an isolated margin

On an isolated position the venue takes the funding from the position's margin (Bybit's help
page says so in its worked example; Binance warns that funding "could surpass the Maintenance
Margin Ratio"). After $k$ payments of $F = q\,P\,r$ each (constant price $P$):

$$M_k = M - kF.$$

The entry price and the size do not change, so the liquidation price is the usual formula with
the smaller margin. For a long with maintenance at the mark price,

$$P_{liq,k} = \frac{E - M_k/q}{1 - m} = P_{liq,0} + \frac{kF}{q(1 - m)}:$$

**each payment moves the liquidation price up, toward the mark, by $F/(q(1-m))$.** With
maintenance frozen at entry (Bybit classic) it moves by exactly $F/q$. Bybit's own example
(golden case Y3): a 1 BTC long at 20,000 with 50× (margin 400, MMR 0.5 %) has its liquidation
price at 19,700; after 200 USDT of funding it is at 19,900.
""")

code(r"""
y3 = ml.isolated_funding_drift("long", 20_000, 1, 400, rate_path=[200 / 20_000],
                               maintenance_margin_rate=0.005, convention="entry")
print(f"margin {y3.margin[0]:g} -> {y3.margin[1]:g}; liquidation price {y3.liquidation_price[0]:,.0f} -> {y3.liquidation_price[1]:,.0f}")
assert y3.liquidation_price[0] == 19_700 and y3.liquidation_price[1] == 19_900     # case Y3
assert np.isclose(y3.liquidation_price[1] - y3.liquidation_price[0], 200 / 1)      # F/q
""")

md(r"""
**When does funding alone liquidate it?** At a constant price $P$ the equity is
$M + s\,q(P - E) - kF$ and the position is liquidated when that reaches the maintenance margin
$\text{MM}$, so the number of payments is

$$n^* = \left\lceil \frac{M + s\,q(P - E) - \text{MM}}{F} \right\rceil \quad (F > 0),$$

and never if the holder receives. Take a **20× long**, 100 USDC on 2.50 (800 tokens, notional
2,000), MMR 0.5 %, paying **5 bp per 8 h** (0.05 %, a hot but ordinary rate for a hyped token):
$F$ = 2,000 × 0.0005 = 1 USDC, $\text{MM}$ = 10 USDC, so $n^*$ = 90 payments = **30 days**.
Meanwhile the effective leverage (notional ÷ equity) climbs from 20× to about 182× just before the
end.
""")

code(r"""
q20 = ml.position_size(margin, 20, entry)
F = q20 * entry * 0.0005
MM = q20 * entry * 0.005
n_by_hand = int(np.ceil((margin - MM) / F))
n_closed = ml.intervals_to_funding_liquidation("long", entry, q20, margin, 0.0005, None, 0.005)
replay = ml.isolated_funding_drift("long", entry, q20, margin, ml.constant_rate_path(0.0005, 120),
                                   None, 0.005)
k = replay.liquidation_interval
print(f"F = {F:.2f} USDC, MM = {MM:.2f}: by hand {n_by_hand}, closed form {n_closed}, replay {k} "
      f"payments = day {k * 8 / 24:g}")
print(f"effective leverage {replay.effective_leverage[0]:.1f}x -> {replay.effective_leverage[k - 1]:.1f}x "
      f"after {k - 1} payments")
assert q20 == 800 and np.isclose(F, 1.0) and np.isclose(MM, 10.0)
assert n_by_hand == n_closed == k == 90
step = np.diff(replay.liquidation_price[:k + 1])
assert np.allclose(step, F / (q20 * (1 - 0.005)))                 # F/(q(1 − m)) per payment
assert round(replay.effective_leverage[k - 1], 1) == 181.8
""")

md(r"""
### The picture: equity and liquidation price over days

Top: the equity (the margin after funding; the price is constant) and the maintenance margin.
Bottom: the liquidation price climbing toward the constant mark price. The dashed red line marks
the day funding alone liquidates the position. A static copy first, then the live figure.
""")

code(r"""
static_drift = plots.funding_drift(static=True)        # 20x long, 5 bp per 8 h, 60 days
display(Image(static_drift.png()))
assert static_drift.liquidation_day == 30.0 and static_drift.closed_form_intervals == 90
""")

md(r"""
Move the **rate** (bp per 8-hour interval; negative: the long receives), the **leverage** and the
**days** held. Halve the leverage and the same rate takes more than twice as long; a negative
rate pushes the liquidation price *away*.
""")

code(r"""
drift_widget = widgets.funding_drift_widget()
drift_widget
""")

md(r"""
The next cell moves the sliders from code and checks that the figure draws
`ml.isolated_funding_drift` and marks the day the closed form predicts.
""")

code(r"""
dc = drift_widget.controls
dp = drift_widget.plot
for rate_bp, lev, days in [(10.0, 20.0, 60), (5.0, 10.0, 120), (-3.0, 20.0, 60)]:
    dc["rate_bp"].value, dc["leverage"].value, dc["days"].value = rate_bp, lev, days
    q_ = ml.position_size(margin, lev, entry)
    n_ = ml.intervals_to_funding_liquidation("long", entry, q_, margin, rate_bp * 1e-4, None, 0.005)
    expect = ml.isolated_funding_drift("long", entry, q_, margin,
                                       ml.constant_rate_path(rate_bp * 1e-4, days * 3), None, 0.005)
    x, y = dp.artists["liquidation"].get_data()
    assert np.allclose(y, expect.liquidation_price[:len(y)])
    assert dp.closed_form_intervals == n_
    day = None if not 0 < n_ <= days * 3 else n_ * 8 / 24
    assert dp.liquidation_day == day
    marked = dp.artists["day_top"].get_xdata()[0]
    assert (np.isnan(marked) and day is None) or marked == day
    print(f"{rate_bp:+g} bp, {lev:g}x, {days} days: funding-alone liquidation "
          + ("never" if n_ < 0 else f"after {n_} payments ({n_ * 8 / 24:.1f} days)"))
dc["rate_bp"].value, dc["leverage"].value, dc["days"].value = 5.0, 20.0, 60
""")

md(r"""
## 5 · Annualised drag against the rate, and the caps

How much does a constant rate cost in a year? As a share of the notional,
$r \times 8760/8$ for a rate per 8 h; as a share of the **margin**, that times the leverage. Both
lines are straight on a log–log plot. The grey vertical lines are the venues' caps converted to
a rate per 8 h: they are far above ordinary rates, which means a cap does not protect you from a
rate that drains a leveraged margin within weeks.
""")

code(r"""
static_drag = plots.funding_drag(static=True)          # 5 bp per 8 h marked, 5x
display(Image(static_drag.png()))
annual_5bp = ml.annualize_funding_rate(0.0005, 8)
assert np.isclose(static_drag.annual_notional, annual_5bp) and np.isclose(annual_5bp, 0.5475)
assert np.isclose(static_drag.annual_margin, 5 * annual_5bp)
assert round(static_drag.days_to_wipe_out) == 133
cap_year = {k: ml.annualize_funding_rate(c.cap, c.interval_hours) for k, c in ml.FUNDING_CAPS.items()}
for k_, a_ in cap_year.items():
    print(f"{ml.FUNDING_CAPS[k_].name:38s} held a year at the cap: {100 * a_:,.0f} % of notional")
assert np.isclose(cap_year["binance_btcusdt"], 3.285) and np.isclose(cap_year["hyperliquid"], 350.4)
assert min(cap_year.values()) > 3                     # every cap allows > 300 % a year
""")

md(r"""
At 5 bp per 8 h a position pays 54.75 % of its notional a year, 274 % of its margin at 5×: all of
it in 133 days. Even Binance's tightest cap (BTCUSDT, 0.3 % per 8 h) allows more than three times
the notional a year. Move the sliders: the rate slider is logarithmic (0.1 bp to 10,000 bp per 8 h).
""")

code(r"""
drag_widget = widgets.funding_drag_widget()
drag_widget
""")

code(r"""
gc = drag_widget.controls
gp = drag_widget.plot
notional_line = np.asarray(gp.artists["notional"].get_ydata())
for lev, rate_bp in [(10.0, 1.0), (2.0, 30.0)]:
    gc["leverage"].value, gc["rate_bp"].value = lev, rate_bp
    assert np.allclose(gp.artists["margin"].get_ydata(), lev * notional_line)
    mx, my = gp.artists["marker"].get_data()
    assert np.isclose(mx[0], rate_bp, rtol=1e-9)
    assert np.isclose(my[0], 100 * lev * ml.annualize_funding_rate(rate_bp * 1e-4, 8))
    print(drag_widget.message.value)
gc["leverage"].value, gc["rate_bp"].value = 5.0, 5.0
""")

md(r"""
## 6 · Right direction, still lost

Now let the price move. The path below is synthetic and seeded (a random walk pinned to end
**3 % above entry**). A **3× long** with 100 USDC pays 5 bp every 8 hours for 30 days, plus a
0.05 % taker fee to open and to close. The grey line is what the position would be worth with the
price move alone; the blue one is after funding and fees.
""")

code(r"""
static_right = plots.right_direction(static=True)      # 3x, 5 bp per 8 h, +3 %, seed 7
display(Image(static_right.png()))
r3 = static_right
print(f"price {100 * r3.price_return:+.1f} %: price PnL {r3.price_pnl:+.2f}, funding -{r3.funding_paid:.2f}, "
      f"fees -{r3.fees:.2f} -> net {r3.net_pnl:+.2f} USDC")
assert np.isclose(r3.price_return, 0.03) and np.isclose(r3.price_pnl, 9.0)
assert r3.verdict == "LOST" and round(r3.funding_paid, 2) == 13.03 and round(r3.net_pnl, 2) == -4.34
""")

md(r"""
Right on direction (+3 %, +9.00 USDC on the price), yet **−4.34 USDC** after 13.03 of funding and
0.30 of fees. Leverage does not rescue it: the price gain and the funding both scale with the
size, so at any leverage the long loses about 1.4 % of the notional here. What leverage *does*
change is the path risk. At **8×** the price never falls to the liquidation price the position
had when it opened, but funding walks the liquidation price up into the dip around day 22:
""")

code(r"""
r8 = plots.right_direction(static=True, leverage=8)
lp_open = ml.liquidation_price("long", entry, r8.size, margin, 0.005)
low = r8.path.min()
hour = r8.liquidation_hour
print(f"liquidation price at open {lp_open:.4f} < lowest price {low:.4f}; "
      f"liquidated anyway on day {hour / 24:.1f}, when funding had moved it to {r8.drift.liquidation_price[hour]:.4f}")
assert low > lp_open and r8.verdict == "LIQUIDATED" and hour == 540
assert r8.path[hour] <= r8.drift.liquidation_price[hour]
net_by_lev = {lev: plots.right_direction(static=True, leverage=lev).net_pnl for lev in (1, 2, 3)}
assert all(v_ < 0 for v_ in net_by_lev.values())
assert 1.4 < -net_by_lev[1] / (margin * 1) * 100 < 1.5       # 1x: notional = margin = 100
assert np.allclose([net_by_lev[l_] / l_ for l_ in (1, 2, 3)], net_by_lev[1])   # loss scales with size
""")

md(r"""
Explore: raise the final **price** move until the long breaks even; raise the **leverage** until the
path liquidates it; try other **paths** (seed).
""")

code(r"""
right_widget = widgets.right_direction_widget()
right_widget
""")

code(r"""
rc = right_widget.controls
rp = right_widget.plot
for lev, end in [(3.0, 6.0), (8.0, 3.0), (3.0, 3.0)]:
    rc["leverage"].value, rc["end_return_pct"].value = lev, end
    px, py = rp.artists["price"].get_data()
    assert np.isclose(py[0], entry) and np.isclose(py[-1], entry * (1 + end / 100))
    ax_, ay_ = rp.artists["after_costs"].get_data()
    end_idx = len(ay_) - 1
    expect_equity = rp.drift.equity[end_idx] - rp.size * entry * 0.0005 - rp.size * py[end_idx] * 0.0005
    assert np.isclose(ay_[-1], expect_equity)
    print(f"{lev:g}x, price {end:+g} %: {rp.verdict}, net {rp.net_pnl:+.2f}")
rc["leverage"].value, rc["end_return_pct"].value = 3.0, 3.0
assert rp.verdict == "LOST"
""")

md(r"""
### Break-even move and carry

How far must the price move just to pay the costs? Solve
$s\,q(X - E) - qEf_o - qXf_c - F_{total} - G = 0$ for the exit price $X$ (`ml.break_even_move`;
funding counted on the entry notional). For the 3× long above: 90 payments of 5 bp is 4.5 % of
the notional, plus 0.1 % of fees, so the price must rise about **4.6 %** before the trade makes a
cent. Leverage does not change that number. The 3× short on the same terms receives the funding:
it still breaks even if the price *rises* 4.4 %.

The other side of the trade is the **carry**: the short *receives* the same funding. Delta-hedged
(long spot, short perp), the price risk cancels and the return on the short's margin is
$L\,(r\,n - f_o - f_c)$: that is what "erodes carry returns" means, seen from the receiving side.
""")

code(r"""
be_long = ml.break_even_move("long", entry, r3.size, open_fee_rate=0.0005, close_fee_rate=0.0005,
                             funding_rate=0.0005, intervals=90)
be_short = ml.break_even_move("short", entry, r3.size, open_fee_rate=0.0005, close_fee_rate=0.0005,
                              funding_rate=0.0005, intervals=90)
be_10x = ml.break_even_move("long", entry, ml.position_size(margin, 10, entry), open_fee_rate=0.0005,
                            close_fee_rate=0.0005, funding_rate=0.0005, intervals=90)
carry = ml.carry_return("short", 0.0005, 90, leverage=3, open_fee_rate=0.0005, close_fee_rate=0.0005)
print(f"long needs {100 * be_long.price_move:+.2f} %, short breaks even up to {100 * be_short.price_move:+.2f} %; "
      f"3x short carry {100 * carry:+.1f} % of margin in 30 days")
assert round(100 * be_long.price_move, 1) == 4.6 and np.isclose(be_10x.price_move, be_long.price_move)
assert round(100 * be_short.price_move, 1) == 4.4
assert np.isclose(carry, 3 * (0.0005 * 90 - 0.001)) and round(100 * carry, 1) == 13.2
# the gas of an on-chain venue is a fixed cost: it matters for small positions
be_gas = ml.break_even_move("long", entry, r3.size, funding_rate=0.0005, intervals=90, gas_cost=0.5)
assert np.isclose(be_gas.price_move - ml.break_even_move("long", entry, r3.size, funding_rate=0.0005,
                                                         intervals=90).price_move, 0.5 / (r3.size * entry))
""")

md(r"""
### The synthetic DeFAI sample (and your own data)

`marginlib` ships a small sample in the format ccxt exports, so the same code runs on real data.
**It is synthetic**: a seeded simulation of an AI-narrative token (its files say so in their
header and the records carry `synthetic=True`), with hourly funding that runs hot after rallies.
Over its 30 days the price rises 4 %, while funding averages about 0.0084 % **per hour**
(74 % a year).
""")

code(r"""
sample = ml.load_defai_sample()
f, p = sample.funding, sample.prices
assert sample.synthetic and sample.metadata["synthetic"] == "true"
print(sample.metadata["description"])
price_move = p.close[-1] / p.open[0] - 1
mean_rate = f.rates.mean()
print(f"{f.symbol}: {len(f)} hourly rates, price {p.open[0]} -> {p.close[-1]} ({100 * price_move:+.1f} %), "
      f"low {p.close.min():.3f}; mean funding {100 * mean_rate:.4f} %/h = "
      f"{100 * ml.annualize_funding_rate(mean_rate, 1):.0f} % a year")
assert np.isclose(price_move, 0.04) and round(100 * mean_rate, 4) == 0.0084
assert round(100 * ml.annualize_funding_rate(mean_rate, 1)) == 74
q3 = ml.position_size(margin, 3, entry)
sample_drift = ml.isolated_funding_drift("long", entry, q3, margin, f.rates, sample.reference_prices, 0.005)
paid = -sample_drift.cumulative_funding[-1]
fees = q3 * (entry + p.close[-1]) * 0.00045                   # Hyperliquid-like taker 0.045 %
net = q3 * (p.close[-1] - entry) - paid - fees
print(f"3x long: price PnL {q3 * (p.close[-1] - entry):+.2f}, funding -{paid:.2f}, fees -{fees:.2f} -> net {net:+.2f} USDC")
assert sample_drift.liquidation_interval == -1 and net < 0 and round(net, 2) == -4.88
""")

md(r"""
With your own exchange data (ccxt installed, online, or a file you exported):

```python
# rows = exchange.fetch_funding_rate_history("AIXBT/USDT:USDT"); json.dump(rows, open("f.json", "w"))
funding = ml.load_funding_history("f.json")          # or a CSV: timestamp, fundingRate, symbol
prices = ml.load_price_history("ohlcv.json")         # exchange.fetch_ohlcv(symbol, "1h")
reference = prices.close_at(funding.timestamps)
# or, in one call (needs ccxt and internet; never run by the course's tests):
# sample = ml.fetch_history_ccxt("binanceusdm", "AIXBT/USDT:USDT", since="2025-01-01")
```

## 7 · "What to watch", answered with numbers

*"Monitor funding rates before entering any isolated DeFAI position—positive rates mean long
holders pay shorts, which erodes carry returns."* Monitoring is not enough: convert the rate you
see into days of margin. For our 10× long (100 USDC, 400 tokens at 2.50, MMR 0.5 %):
""")

code(r"""
scenarios = [("baseline 0.01 %/8 h", 0.0001, 8), ("hot 0.05 %/8 h", 0.0005, 8),
             ("very hot 0.3 %/8 h (BTCUSDT cap)", 0.003, 8),
             ("capped 3 %, settled every 8 h", 0.03, 8), ("capped 3 %, settled hourly", 0.03, 1)]
table = {}
for name, r_, h_ in scenarios:
    n_ = ml.intervals_to_funding_liquidation("long", entry, size, margin, r_, None, 0.005)
    table[name] = (n_, n_ * h_, ml.annualize_funding_rate(r_, h_) * leverage)
display(HTML("<table><tr><th>funding</th><th>payments until funding alone liquidates</th>"
             "<th>time</th><th>cost per year, % of margin</th></tr>" + "".join(
                 f"<tr><td>{k_}</td><td>{n_}</td><td>{t_ / 24:,.1f} days ({t_:,} h)</td>"
                 f"<td>{100 * y_:,.0f} %</td></tr>" for k_, (n_, t_, y_) in table.items())
             + "</table>"))
assert table["baseline 0.01 %/8 h"][:2] == (950, 7600)                # 316.7 days
assert table["hot 0.05 %/8 h"][:2] == (190, 1520)                      # 63.3 days
assert table["very hot 0.3 %/8 h (BTCUSDT cap)"][:2] == (32, 256)      # 10.7 days
assert table["capped 3 %, settled every 8 h"][:2] == (4, 32)
assert table["capped 3 %, settled hourly"][:2] == (4, 4)
""")

md(r"""
* At the **baseline** (a quiet market) the 10× long loses 109.5 % of its margin a year and funding
  alone liquidates it after 950 payments, about **317 days**: slow, but it is never zero.
* At **0.05 % per 8 h**, common for a hyped token, **63 days**.
* At **0.3 % per 8 h** (the BTCUSDT cap), **under 11 days**.
* At a **3 % cap** (altcoins with at most 25× leverage) **4 payments**: 32 hours on an 8-hour
  schedule, **4 hours** once the contract switches to hourly settlement.
* The same numbers are the shorts' **carry**: what the long loses, the short earns.

Before entering: convert the displayed rate to its interval, multiply by your leverage, and
compare $n^*$ with how long you intend to hold.

## Exercises

Each exercise has a checker: replace `...` with your number and run the cell. The checkers find
the answer by **replaying** the position interval by interval with `marginlib` (not with the
formula you are asked to use). Solutions are collapsed below each exercise.

**Exercise 1.** A **5× short** with 400 USDC of margin on a token at 0.80, MMR 1 % (at the mark),
in a market where shorts pay: the rate is **−0.03 % per 8 h**. The price stays at 0.80. After how
many 8-hour payments does funding alone liquidate it?
""")

code(r"""
def check_exercise_1(answer):
    q_ = ml.position_size(400, 5, 0.80)
    replay_ = ml.isolated_funding_drift("short", 0.80, q_, 400, ml.constant_rate_path(-0.0003, 2000),
                                        None, 0.01)
    return check("Exercise 1: payments until funding alone liquidates", answer,
                 replay_.liquidation_interval, rel=0, abs_tol=0.5,
                 hint="margin minus maintenance, divided by one payment, rounded up")

answer = ...   # a whole number of payments
check_exercise_1(answer)
""")

solution(r"""
q_ = ml.position_size(400, 5, 0.80)              # 2,500 tokens, notional 2,000
F_ = q_ * 0.80 * 0.0003                          # 0.60 USDC paid by the short each payment
MM_ = q_ * 0.80 * 0.01                           # 20 USDC
answer = int(np.ceil((400 - MM_) / F_))          # (400 − 20)/0.6 = 633.3 -> 634
print(f"{answer} payments = {answer * 8 / 24:.1f} days")
assert check_exercise_1(answer)
assert answer == ml.intervals_to_funding_liquidation("short", 0.80, q_, 400, -0.0003, None, 0.01)
""", title="Solution to exercise 1")

md(r"""
**Exercise 2.** On a Hyperliquid-like venue (taker fee 0.045 % each way, funding hourly at the
baseline 0.00125 %), you open a **10× long** of 1,000 USDC notional at 2.50 and hold it **7
days**. By what percentage must the price rise for the trade to break even? (Funding on the entry
notional; no gas.)
""")

code(r"""
def check_exercise_2(answer):
    q_ = 1000 / 2.5
    funding_ = -ml.cumulative_funding("long", q_, 2.5, ml.constant_rate_path(0.0000125, 7 * 24)).total
    net = lambda pct: ml.realized_pnl("long", q_, 2.5, 2.5 * (1 + pct / 100), open_fee_rate=0.00045,
                                      close_fee_rate=0.00045) - funding_
    lo, hi = 0.0, 10.0                          # bisection on the net result
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if net(mid) < 0 else (lo, mid)
    return check("Exercise 2: break-even move (%)", answer, 0.5 * (lo + hi), rel=1e-3,
                 hint="fees 0.09 % plus 168 hourly payments, then solve for the exit price")

answer = ...   # in percent, e.g. 0.5 for +0.5 %
check_exercise_2(answer)
""")

solution(r"""
be = ml.break_even_move("long", 2.5, 1000 / 2.5, open_fee_rate=0.00045, close_fee_rate=0.00045,
                        funding_rate=0.0000125, intervals=7 * 24)
answer = 100 * be.price_move                    # about 0.30 %: 0.09 % fees + 0.21 % funding
print(f"break-even: {answer:+.4f} % (costs {be.total_cost:.2f} USDC on 1,000 notional)")
assert check_exercise_2(answer)
""", title="Solution to exercise 2")

md(r"""
**Exercise 3.** With the drag figure in mind: what constant rate, in **bp per 8 h**, makes a
**10× long** lose its *whole* margin (not just down to maintenance) to funding in exactly **30
days** (90 payments)? Check your answer on the drag widget (its caption gives the days).
""")

code(r"""
def check_exercise_3(answer):
    q_ = 1000 / 2.5                               # any size: 10x means margin = notional / 10
    lo, hi = 0.0, 100.0
    for _ in range(100):                          # smallest rate whose 90 payments use the margin
        mid = 0.5 * (lo + hi)
        paid_ = -ml.cumulative_funding("long", q_, 2.5, ml.constant_rate_path(mid * 1e-4, 90)).total
        lo, hi = (mid, hi) if paid_ < 100 else (lo, mid)
    return check("Exercise 3: rate (bp per 8 h)", answer, 0.5 * (lo + hi), rel=1e-3,
                 hint="90 payments of r × notional = notional / 10")

answer = ...   # bp per 8 h
check_exercise_3(answer)
""")

solution(r"""
answer = 1 / (10 * 90) * 1e4                  # r = 1/(L·n) = 11.1 bp per 8 h (122 % a year)
print(f"{answer:.2f} bp per 8 h = {100 * ml.annualize_funding_rate(answer * 1e-4, 8):.0f} % a year of notional")
assert check_exercise_3(answer)
drag_widget.controls["leverage"].value, drag_widget.controls["rate_bp"].value = 10.0, answer
assert np.isclose(drag_widget.plot.days_to_wipe_out, 30, rtol=0.01)   # the log slider rounds
drag_widget.controls["leverage"].value, drag_widget.controls["rate_bp"].value = 5.0, 5.0
""", title="Solution to exercise 3")

md(r"""
## Key takeaways

* Funding is $q \times P_{ref} \times r$ per interval; $r > 0$: longs pay shorts, $r < 0$: shorts
  pay longs. It is zero-sum between the two sides (peer-to-peer venues take no cut).
* The clamp formula pins the rate at the interest baseline (0.01 % per 8 h) in a quiet market:
  **longs pay even when nothing happens**, 10.95 % of notional a year (11.6 % compounded).
* Always convert a rate to its interval: 0.01 %/8 h = 0.00125 %/h; GMX's 0.001 %/s is 3.6 %/h.
  The same daily cost on a 1-hour schedule liquidates at most 7 hours sooner than on 8 hours.
* On an **isolated** position funding is paid from the margin: the liquidation price moves toward
  the mark by $F/(q(1-m))$ per payment, the effective leverage creeps up, and funding alone
  liquidates after $n^* = \lceil (M - \text{MM})/F \rceil$ payments (20× at 5 bp/8 h: 30 days).
* Caps are far above ordinary rates: they limit spikes, not the slow drain.
* "Right direction, still lost": a +3 % move does not pay for 4.5 % of funding; leverage does not
  change the sign, but it lets funding walk the liquidation price into a dip.
* Break-even move = fees + funding (+ gas) as a share of notional, independent of leverage; the
  receiving side's carry is the paying side's drag.

**Next:** [04 · Isolated vs cross margin](04-isolated-vs-cross.ipynb): when one wallet backs
several positions, who gets liquidated first, and what isolation really protects.
""")

if __name__ == "__main__":
    print(_nb.write(CELLS, NAME + ".ipynb"))
