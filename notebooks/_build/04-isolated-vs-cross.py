"""Build notebooks/04-isolated-vs-cross.ipynb (outputs stripped).

Run: python notebooks/_build/04-isolated-vs-cross.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _nb  # noqa: E402

NAME = "04-isolated-vs-cross"
_CELLS = _nb.Collector()
md, code, solution, CELLS = _CELLS.md, _CELLS.code, _CELLS.solution, _CELLS.cells


# =============================================================================== intro ===

code(r"""
%matplotlib widget
import math

import numpy as np
import matplotlib.pyplot as plt
from IPython.display import HTML, Image, display

import marginlib as ml
from marginlib import plots, widgets
from marginlib.plots import contagion as lab
from marginlib.widgets.exercises import check, check_all
""")

md(r"""
# 04 · Isolated vs cross margin: the contagion lab

*Does isolated margin really contain a crash? When does sharing collateral save you, and when
does it take everything?*

**Learning objectives.** After this notebook you can

1. state the two liquidation rules (one pool per position vs one wallet for all) and compute
   each mode's liquidation price by hand;
2. replay the article's "one token crashes 40 %" on three positions in both modes, and read
   what is lost, what is returned and what is written off as **bad debt**;
3. explain why a cross account can survive a crash that liquidates an isolated pool, why it
   then loses *more*, and when the same crash takes the whole cross account;
4. run a Monte Carlo of both modes **on the same correlated price paths** and compare
   P(at least one liquidation), P(lose everything), mean and tail losses as correlation,
   leverage and horizon change;
5. read the **liquidation region** of a two-token cross account and explain why a cross
   liquidation price "assumes the other prices don't move";
6. say when cross margin wins (hedged pairs) and when it loses (correlated longs), and audit
   the article's claims with numbers.

Everything below is computed with `marginlib` (`ml`); every number in the text comes from a
code cell with an `assert`. The figures come from `marginlib.plots.contagion` (`lab`), whose
constants hold the assumptions of this notebook.
""")

md(r"""
## Why this matters

The article makes four claims about holding several DeFAI positions at once:

> "If you hold three DeFAI positions simultaneously, each operates independently—one token
> crashing 40% only liquidates that specific margin pool."

> "Cross margin pools all account collateral, meaning profits from one trade offset losses in
> another. Cross margin offers better capital efficiency but increases total account
> liquidation risk if multiple positions move adversely."

> "Over-leveraging multiple isolated positions simultaneously can still produce aggregate
> losses exceeding your total capital if correlated DeFAI tokens move against you."

> "… cross margin works better for delta-neutral hedging across correlated AI tokens."

Each is partly right. To see *how* right, we hold **the same three positions** in both modes,
crash one token, then simulate thousands of correlated price paths and run both modes on
exactly the same paths.

## 1 · The portfolio (assumptions)

Three generic AI-narrative tokens. The numbers are **assumptions**, chosen to look like small
DeFAI perpetual markets, not market data. The maintenance rate and the liquidation penalty are
the dYdX v4 *small-cap* preset already used in notebook 02; AGENT is the course's running
example (100 USDC at 10× on a token priced 2.50).
""")

code(r"""
m = lab.MAINTENANCE_MARGIN_RATE      # maintenance margin rate of every position
f = lab.LIQUIDATION_FEE_RATE         # liquidation penalty, share of the notional
venue = ml.get_venue(lab.VENUE_KEY)
assert (m, f) == (venue.tiers.rates[0], venue.liquidation_fee_rate) == (0.05, 0.015)

AGENT, NEURAL, ORACLE = lab.HOLDINGS
rows = "".join(
    f"<tr><td><b>{h.name}</b></td><td>{h.side}</td><td>{h.price:.2f}</td><td>{h.leverage:g}×</td>"
    f"<td>{h.margin:g}</td><td>{h.size:,.0f}</td><td>{h.notional:,.0f}</td>"
    f"<td>{100 * h.volatility:.0f} %</td></tr>" for h in lab.HOLDINGS)
display(HTML(
    "<table><tr><th>token</th><th>side</th><th>entry (USDC)</th><th>leverage</th>"
    "<th>margin (USDC)</th><th>size q = M·L/E</th><th>notional</th><th>volatility (yearly)</th>"
    f"</tr>{rows}</table>"
    f"<p>Every position: maintenance rate m = {100 * m:g} %, liquidation penalty "
    f"{100 * f:g} % of the notional ({venue.name}). Deposits: <b>all-in</b> "
    f"{lab.CAPITAL['all-in']:,.0f} USDC (exactly the three margins) or <b>spare</b> "
    f"{lab.CAPITAL['spare']:,.0f} USDC. No trading fees, no funding.</p>"))

assert [h.size for h in lab.HOLDINGS] == [400, 1_000, 400]
assert [h.notional for h in lab.HOLDINGS] == [1_000, 500, 500]
assert lab.CAPITAL == {"all-in": 300, "spare": 1_000}
""")

md(r"""
### Two ways to hold the same positions: the rules, by hand

Notation as in notebook 02: side $s = +1$ (long), size $q$, entry $E$, mark $P$, maintenance
rate $m$.

* **Isolated.** Position $i$ has its own margin $M_i$, moved out of the wallet when it opens. It
  is liquidated when its equity reaches its maintenance margin,
  $M_i + s\,q_i(P_i - E_i) \le q_i P_i m$. Solving for a long:
  $$P^{\text{iso}} = \frac{q E - M}{q\,(1 - m)}.$$
  Nothing else in the account is touched; the position can lose at most $M_i$.
* **Cross.** One wallet $W$ backs every position. The **account** is liquidated when
  $W + \sum_j s_j q_j (P_j - E_j) \le \sum_j q_j P_j m$, and then **every** position is
  closed. Holding the other prices at entry, AGENT's cross liquidation price is
  $$P^{\text{cross}} = \frac{q E + m \sum_{j \ne A} q_j E_j - W}{q\,(1 - m)}.$$
""")

code(r"""
def iso_by_hand(h):
    return (h.size * h.price - h.margin) / (h.size * (1 - m))

def agent_cross_by_hand(wallet):
    others = sum(h.notional for h in (NEURAL, ORACLE))
    return (AGENT.size * AGENT.price + m * others - wallet) / (AGENT.size * (1 - m))

for h in lab.HOLDINGS:
    assert math.isclose(iso_by_hand(h), ml.liquidation_price(h.side, h.price, h.size, h.margin, m))

cross_liq = {}
for scenario, wallet in lab.CAPITAL.items():
    lp = agent_cross_by_hand(wallet)
    # the library's G1 with the other positions' maintenance ...
    others_mm = m * (NEURAL.notional + ORACLE.notional)
    assert math.isclose(lp, ml.liquidation_price("long", AGENT.price, AGENT.size, wallet, m,
                                                 other_maintenance=others_mm))
    # ... and the account engine agree
    acct = ml.Account(wallet, maintenance_margin_rate=m)
    for h in lab.HOLDINGS:
        acct.open(h.name, h.side, margin=h.margin, leverage=h.leverage, price=h.price, mode="cross")
    assert math.isclose(lp, acct.liquidation_price("AGENT"))
    cross_liq[scenario] = lp

iso_liq = iso_by_hand(AGENT)
room = {"isolated": 1 - iso_liq / AGENT.price,
        **{f"cross, {k}": 1 - v / AGENT.price for k, v in cross_liq.items()}}
for k, r in room.items():
    print(f"AGENT liquidation, {k:15s}: fall of {100 * r:5.2f} %")
assert round(iso_liq, 4) == 2.3684 and round(cross_liq["all-in"], 4) == 1.9737
assert round(100 * room["isolated"], 2) == 5.26 and round(100 * room["cross, all-in"], 2) == 21.05
assert round(100 * room["cross, spare"], 1) == 94.7
""")

md(r"""
On its own pool of 100 USDC, AGENT at 10× is liquidated after a **5.26 %** fall. In an
all-in cross account the same position can fall **21.05 %**: the margin of NEURAL and ORACLE
stands behind it. With 700 USDC of spare collateral it can fall **94.7 %**. That is the
"capital efficiency" of cross margin — and also the reason the *whole* account is at stake.

## 2 · Crash one token by 40 %

The engine (`ml.Account`) opens the three positions, then marks AGENT down to 60 % of its
price. A venue marks continuously, so we move the mark in steps of 0.5 % of the price
(`lab.crash_marks`): the liquidation happens at the first mark at or below the liquidation
price. Later we switch to a **gap** (one mark at −40 %), the "30 % in minutes" of the article.

### Isolated: one pool

By hand: the first mark at or below $P^{\text{iso}} = 2.3684$ is 2.3625. There the pool's
equity is $100 + 400\,(2.3625 - 2.50) = 45$, the penalty $1.5\,\% \times 400 \times 2.3625
= 14.175$, and $45 - 14.175 = 30.825$ USDC go back to the wallet.
""")

code(r"""
marks = lab.crash_marks(AGENT.price, 0.40)
exit_price = marks[marks <= iso_liq][0]
by_hand = ml.liquidation_outcome("long", AGENT.price, AGENT.size, AGENT.margin,
                                 exit_price=exit_price, liquidation_fee_rate=f)
assert math.isclose(exit_price, 2.3625)
assert math.isclose(by_hand.equity, 45) and math.isclose(by_hand.liquidation_fee, 14.175)
assert math.isclose(by_hand.returned, 30.825)

iso = lab.crash_outcome(0.40, "isolated", "all-in")        # the engine's replay
print("liquidated:", dict(zip(iso.labels, iso.liquidated)))
print("bars before:", {k: round(float(x), 2) for k, x in zip(iso.labels, iso.before)})
print("bars after: ", {k: round(float(x), 2) for k, x in zip(iso.labels, iso.after)})
assert iso.liquidated == (True, False, False)               # one pool, and only one
assert math.isclose(iso.exit_prices[0], exit_price)
assert math.isclose(iso.after[3], by_hand.returned)          # the rest is back in the wallet
assert np.allclose(iso.after[1:3], iso.before[1:3])          # NEURAL and ORACLE untouched
assert math.isclose(iso.lost, 100 - 30.825) and iso.bad_debt == 0
""")

md(r"""
The article's first claim holds for isolated margin: the 40 % crash liquidates AGENT's pool
and nothing else. The account loses 69.175 USDC of its 300; NEURAL and ORACLE carry on.

**With a gap** the story changes in one detail. The only mark is 1.50, far below the
liquidation price: the pool's equity is $100 - 400 \times 1.00 = -300$. You lose exactly your
100 USDC of margin, nothing is returned, and the 300 USDC beyond it is **bad debt**, absorbed by
the venue's insurance fund (or, on some venues, by auto-deleveraging the winners).
""")

code(r"""
gap = lab.crash_outcome(0.40, "isolated", "all-in", gap=True)
assert gap.liquidated == (True, False, False)
assert math.isclose(gap.lost, AGENT.margin)                           # exactly the pool
assert math.isclose(gap.bad_debt, AGENT.size * (AGENT.price - 1.50) - AGENT.margin)  # 300
print(f"gap: lost {gap.lost:.2f} USDC, bad debt {gap.bad_debt:.2f} USDC (the venue's)")
""")

md(r"""
### Cross: the same crash on one wallet

Now the same three positions share one wallet. Two deposits:

* **spare** (1,000 USDC): AGENT's cross liquidation price is 94.7 % below entry, so a 40 %
  crash does not liquidate anything. But nothing caps AGENT's loss either: the account carries
  all of it, $400 \times 1.00 = 400$ USDC, where the isolated pool lost 69.175.
* **all-in** (300 USDC): the cross liquidation price 1.9737 is reached on the way down (the
  first mark at or below it is 1.9625, a 21.5 % fall). **Every** position is closed —
  NEURAL and ORACLE too, although their prices never moved — and the penalties are paid on all
  three notionals. With a gap, the account is wiped out and 100 USDC is bad debt.
""")

code(r"""
results = {(sc, g): lab.crash_outcome(0.40, "cross", sc, gap=g)
           for sc in ("spare", "all-in") for g in (False, True)}
for (sc, g), out in results.items():
    print(f"cross, {sc:6s}, {'gap ' if g else 'step'}: liquidated {out.liquidated}, "
          f"left {out.after[-1]:8.2f}, lost {out.lost:7.2f}, bad debt {out.bad_debt:6.2f}")

spare = results[("spare", False)]
assert not any(spare.liquidated)
assert math.isclose(spare.lost, 0.40 * AGENT.notional)            # 400: the whole move
assert spare.lost > iso.lost

allin = results[("all-in", False)]
assert allin.liquidated == (True, True, True)
exit_cross = marks[marks <= cross_liq["all-in"]][0]
assert math.isclose(exit_cross, 1.9625) and math.isclose(allin.exit_prices[0], exit_cross)
assert round(100 * (1 - exit_cross / AGENT.price), 1) == 21.5
equity = 300 - AGENT.size * (AGENT.price - exit_cross)
penalty = f * (AGENT.size * exit_cross + NEURAL.notional + ORACLE.notional)
assert math.isclose(allin.after[-1], equity - penalty)            # what is left: 58.23
assert round(allin.after[-1], 2) == 58.23 and round(allin.lost, 2) == 241.77
assert round(100 * allin.lost / 300, 1) == 80.6

wiped = results[("all-in", True)]
assert wiped.after[-1] == 0 and math.isclose(wiped.bad_debt, 100)
""")

md(r"""
So the same crash, on the same positions, gives four different answers:

| | isolated | cross |
|---|---|---|
| spare collateral | AGENT's pool liquidated, 69.175 lost | nothing liquidated, **400 lost** (position still open) |
| all-in | AGENT's pool liquidated, 69.175 lost | **all three** liquidated, 241.77 lost (80.6 %); with a gap, everything |

Cross margin *survives* a crash when there is free collateral — the other positions' margin
and the spare cash keep AGENT alive — but it survives by spending that collateral. When there
is not enough, one bad move takes the whole account.

Below, the static picture of the all-in case (isolated left, cross right), then the live
version.
""")

code(r"""
fig, axes = plots.static_figure(figsize=(14, 4.2), ncols=2)
left = plots.crash_bars(axes[0], mode="isolated")
right = plots.crash_bars(axes[1], mode="cross")
fig.tight_layout()
display(Image(plots.png_bytes(fig)))
assert left.outcome.liquidated == (True, False, False) and right.outcome.liquidated == (True,) * 3
""")

md(r"""
**The live crash lab.** Move the crash size, switch the margin mode, the deposit and how the
crash arrives. Grey hatched bars are *before*, coloured bars *after*; a position's bar is its
equity (isolated: margin + PnL; cross: its initial margin + PnL, so the bars add up to the
account); "free wallet" is the collateral not assigned to any position.

Things to try: in cross mode with the all-in deposit, find the crash size at which everything
goes (between 21 % and 22 %); switch to the spare deposit and push the crash to 90 %; switch
to "as one gap" and watch the bad debt appear in the message.
""")

code(r"""
crash = widgets.crash_widget()
crash
""")

md(r"""
The check below drives a second, undisplayed copy of the same widget (so the settings you
chose above are left alone): it sets the controls as you would and reads the bars back.
""")

code(r"""
# Move the controls of a copy of the widget and check its figure against the maths.
probe = widgets.crash_widget()
c, art = probe.controls, probe.plot.artists
c["scenario"].value, c["gap"].value, c["mode"].value = "all-in", False, "isolated"
c["crash"].value = 0.40
after = np.array([b.get_height() for b in art["after"]])
before = np.array([b.get_height() for b in art["before"]])
flags = [t.get_text() for t in art["flags"]]
assert flags == ["✕ liquidated", "", ""]                 # exactly one position liquidated ...
assert after[0] == 0 and math.isclose(after[3], by_hand.returned)   # ... at its liquidation outcome
assert np.allclose(after[1:3], before[1:3])

c["mode"].value = "cross"
after = np.array([b.get_height() for b in art["after"]])
assert [t.get_text() for t in art["flags"]] == ["✕ liquidated"] * 3
assert math.isclose(after[-1], allin.after[-1])

c["crash"].value = 0.20                                    # above the cross liquidation price
after = np.array([b.get_height() for b in art["after"]])
assert not any(probe.plot.outcome.liquidated)
assert math.isclose(after[0], AGENT.margin - 0.20 * AGENT.notional)   # −100: eats the others' margin
assert math.isclose(after[-1], 300 - 0.20 * AGENT.notional)
print(probe.message.value)

c["crash"].value = 0.21                                    # marks down to 1.975: still alive
assert not any(probe.plot.outcome.liquidated)
c["crash"].value = 0.22                                    # passes 1.9737: everything goes
assert probe.plot.outcome.liquidated == (True, True, True)
""")

# ========================================================================= correlation ===

md(r"""
## 3 · Correlation: both modes on the same simulated paths

One crash is one scenario. To compare the modes we simulate thousands of price paths and
run **both modes on exactly the same paths** (`ml.simulate_margin_modes`), marking every hour
as a venue would.

The price model (`ml.price_model`, assumptions again):

* log-normal prices with each token's volatility from the table above, no drift;
* **one common factor**: $Z_i = \sqrt{\rho}\,F + \sqrt{1-\rho}\,\varepsilon_i$, so every
  pair of tokens has correlation $\rho$ (AI-narrative tokens tend to move together);
* **fat tails that arrive together**: a Student-t shock with 4 degrees of freedom shared by
  all tokens;
* **jumps**: about one a month per token, of −13.5 % on average, each token on its own —
  the "single algorithmic signal" of the article.

Each position has 100 USDC of margin and the same leverage; the capital is the sum of the
margins (all-in), so isolated and cross risk the same money. Losses are shares of that capital.
""")

code(r"""
model = lab.defai_model("three longs", correlation=0.5)
book = lab.contagion_book("three longs", leverage=5)
print("correlation matrix:\n", model.correlation_matrix.round(2))
print("Student-t dof:", model.tail_dof, "| jumps per year:", model.jump_intensity,
      "| capital:", book.capital, "| margins:", book.margin)
assert np.allclose(model.correlation_matrix[~np.eye(3, dtype=bool)], 0.5)
assert book.capital == 300 and np.all(book.margin == 100)
assert model.tail_dof == 4 and np.all(model.jump_intensity == 12)
mean_jump = math.exp(lab.JUMP_MEAN + lab.JUMP_VOLATILITY ** 2 / 2) - 1
assert round(100 * mean_jump, 1) == -13.5
""")

md(r"""
### A check first: one isolated position is a first-passage problem

Without fat tails and jumps, an isolated long is liquidated when a geometric Brownian motion
first touches its liquidation price: a closed form (reflection principle), corrected for hourly
marks by Broadie–Glasserman–Kou (`ml.first_passage_probability`). The Monte Carlo must agree
within its sampling error.
""")

code(r"""
single = ml.portfolio("long", AGENT.leverage, capital=AGENT.margin, maintenance_margin_rate=m,
                      liquidation_fee_rate=f)
gbm = ml.price_model([AGENT.price], [AGENT.volatility])
n, hours = 20_000, 7 * 24
sim_one = ml.simulate_margin_modes(single, gbm, n_steps=hours, n_paths=n, rng=1)
p_mc = sim_one.isolated.p_any_liquidation
p_formula = ml.first_passage_probability(AGENT.price, iso_liq, AGENT.volatility, hours,
                                         monitoring_hours=1)
stderr = math.sqrt(p_mc * (1 - p_mc) / n)
print(f"P(AGENT liquidated within 7 days): Monte Carlo {p_mc:.4f} ± {stderr:.4f}, "
      f"formula {p_formula:.4f}")
assert abs(p_mc - p_formula) < 3 * stderr + 0.005
""")

md(r"""
So the isolated side of the lab is three barrier problems, one per pool. The cross side is
one barrier on the *sum* of the three PnLs — and the sum is exactly what correlation changes.

### The loss distributions

The static picture at the default settings (ρ = 0.5, 5× each, 7 days, 2,000 paths), then the
live one. The histograms count paths per 5 % bin of loss (the first bin collects every gain
of 200 % or more). The spikes at large losses are liquidations: a liquidation at the mark
leaves the maintenance cushion minus the penalty, so it costs most, not all, of the margin;
the last bin, a loss of 100 %, is "lost everything" (a gap went through the cushion).
""")

code(r"""
static_mc = plots.loss_distributions(static=True)
display(Image(static_mc.png()))
assert {k: static_mc.params[k] for k in ("correlation", "leverage", "horizon_days", "n_paths")} \
    == {"correlation": 0.5, "leverage": 5.0, "horizon_days": 7, "n_paths": 2_000}
""")

md(r"""
**The live correlation lab.** The sliders run a new simulation when you release them
(`continuous_update=False`); the progress bar follows it. The table under the figure gives the
probabilities as numbers. Things to try: ρ from 0 to 0.95 at 10×; the horizon from 1 to 30
days; the "hedged pair" portfolio (long AGENT, short NEURAL) at high ρ.
""")

code(r"""
mc = widgets.loss_distribution_widget()
mc
""")

code(r"""
# Move the sliders of a copy of the widget and check its histograms against an independent
# run of the same simulation.
mc_probe = widgets.loss_distribution_widget()

def set_mc(correlation, leverage, horizon_days, book="three longs"):
    mc = mc_probe
    mc.controls["book"].value = book
    mc.controls["correlation"].value = correlation
    mc.controls["leverage"].value = leverage
    mc.controls["horizon_days"].value = horizon_days
    return mc.plot

p = set_mc(0.9, 10.0, 7)
sim = ml.simulate_margin_modes(lab.contagion_book("three longs", 10.0),
                               lab.defai_model("three longs", 0.9), n_steps=7 * 24,
                               n_paths=2_000, rng=4)
for mode, loss in (("isolated", sim.isolated_loss), ("cross", sim.cross_loss)):
    heights = p.artists[mode].get_data().values
    assert heights.sum() == 2_000                                    # every path counted once
    assert np.array_equal(heights, lab.loss_counts(loss))
assert p.isolated == sim.isolated and p.cross == sim.cross         # same paths, same numbers
assert mc_probe.progress.value == 1.0
assert f"{100 * sim.cross.p_lose_everything:.1f} %" in mc_probe.message.value

hi = {"isolated": p.isolated, "cross": p.cross}
p = set_mc(0.0, 10.0, 7)
lo = {"isolated": p.isolated, "cross": p.cross}
for rho, s in (("0.0", lo), ("0.9", hi)):
    print(f"rho = {rho}: P(>=1 liquidation) isolated {s['isolated'].p_any_liquidation:.3f}, "
          f"cross {s['cross'].p_any_liquidation:.3f} | P(lose everything) isolated "
          f"{s['isolated'].p_lose_everything:.4f}, cross {s['cross'].p_lose_everything:.4f}")
for s in (lo, hi):
    # cross is liquidated less often, but when it is, it is the whole account
    assert s["cross"].p_any_liquidation < s["isolated"].p_any_liquidation
    assert s["cross"].p_lose_everything > s["isolated"].p_lose_everything
# correlation: more cross liquidations, fewer paths with an isolated one (they come together)
assert hi["cross"].p_any_liquidation > lo["cross"].p_any_liquidation
assert hi["isolated"].p_any_liquidation < lo["isolated"].p_any_liquidation
""")

md(r"""
Read the numbers printed above:

* **Isolated** positions are liquidated *more often* (three separate barriers, each close to
  its entry at 10×: 5.26 % away for AGENT). But each liquidation costs one pool, so losing
  everything needs all three pools to go — and even then each returns its leftover cushion.
* **Cross** is liquidated *less often* (the three PnLs partly offset, and every position can
  use all 300 USDC) — but when it goes, all positions go together, so P(lose everything) is
  several times higher.
* **Correlation** makes the offsetting fail: as ρ rises, cross liquidations become more
  frequent, while isolated liquidations cluster on the same paths.

## 4 · The liquidation region of a two-token cross account

Take two of the positions in one cross account: AGENT (A) and NEURAL (B), wallet 200 USDC
(their two margins). The account is liquidated when
$W + s_A q_A (P_A - E_A) + s_B q_B (P_B - E_B) \le m\,(q_A P_A + q_B P_B)$. Both sides are
linear in the prices, so the boundary is a **straight line** in the $(P_A, P_B)$ plane:
$$C + k_A P_A + k_B P_B = 0, \qquad k = q\,(s - m), \qquad C = W - \sum s\,q\,E .$$

A venue's cross liquidation price for A is where this line crosses the horizontal line
$P_B = $ *current* $P_B$: one point of the boundary. It is only valid **if B does not move**.
""")

code(r"""
pair = lab.PAIRS["two longs"]
(qa, qb), (ea, eb), W = pair["sizes"], pair["entry_prices"], pair["wallet"]
k_a, k_b = qa * (1 - m), qb * (1 - m)            # both long: s = +1
C = W - qa * ea - qb * eb

def a_liq_by_hand(pb):
    return -(C + k_b * pb) / k_a

def a_liq_g1(pb):           # the library's G1 with B's maintenance and PnL
    return ml.liquidation_price("long", ea, qa, W, m, other_maintenance=m * qb * pb,
                                other_unrealized_pnl=qb * (pb - eb))

for pb in (eb, 0.9 * eb):
    b = ml.cross_liquidation_boundary(pair["sides"], pair["sizes"], pair["entry_prices"], W, m,
                                      mark_prices=(ea, pb))
    assert math.isclose(a_liq_by_hand(pb), b.liquidation_price_a)
    assert math.isclose(a_liq_by_hand(pb), a_liq_g1(pb))

quoted, after_b_falls = a_liq_by_hand(eb), a_liq_by_hand(0.9 * eb)
common = (W - m * (qa * ea + qb * eb)) / ((1 - m) * (qa * ea + qb * eb))   # both fall by x
print(f"A's cross liquidation price, B at entry: {quoted:.4f} "
      f"({100 * (1 - quoted / ea):.1f} % below entry)")
print(f"... after B falls 10 %:                  {after_b_falls:.4f} "
      f"({100 * (1 - after_b_falls / ea):.1f} % below entry)")
print(f"both falling together liquidate the account at {100 * common:.2f} %")
assert round(quoted, 4) == 2.1711 and round(after_b_falls, 4) == 2.2961
assert round(100 * (1 - quoted / ea), 1) == 13.2 and round(100 * (1 - after_b_falls / ea), 1) == 8.2
assert round(100 * common, 2) == 8.77
assert math.isclose(ml.equity_minus_maintenance(ea * (1 - common), eb * (1 - common),
                                                pair["sides"], pair["sizes"], pair["entry_prices"],
                                                W, m), 0, abs_tol=1e-9)
assert common < 1 - quoted / ea and common < 1 - iso_by_hand(NEURAL) / eb
""")

md(r"""
The quoted cross liquidation price of AGENT, 2.1711, promises a 13.2 % cushion. It assumes
NEURAL stays at 0.50. If NEURAL falls 10 %, AGENT's liquidation price jumps to 2.2961 (8.2 %
below entry); if both
fall *together*, the account goes after only **8.77 %** — less than either token's quoted
room. With correlated tokens, the one number per position on the venue's screen overstates
the distance to liquidation.

The static figure: the two longs (left) and a hedged pair — long AGENT, short NEURAL of the
same notional, 10× each (right). The red side is liquidated; the dashed green lines are the
isolated liquidation prices; the diamonds are each token's cross liquidation price through the
current point.
""")

code(r"""
fig, axes = plots.static_figure(figsize=(13, 6.2), ncols=2)
longs = plots.liquidation_region(axes[0], pair="two longs", price_a=2.0, price_b=0.45)
hedge = plots.liquidation_region(axes[1], pair="hedged pair", price_a=2.0, price_b=0.45)
fig.tight_layout()
display(Image(plots.png_bytes(fig)))
assert longs.boundary.slope < 0 < hedge.boundary.slope
assert longs.liquidated and not hedge.liquidated        # the same prices, opposite fates
# isolated, AGENT would be liquidated at 2.00 in both accounts (its own line is at 2.3684) ...
assert 2.0 < longs.isolated_liquidation_prices[0] == hedge.isolated_liquidation_prices[0]
# ... and with the wallet equal to the two margins, the cross line of the two longs passes
# through the corner where both isolated lines meet (each position exactly at maintenance)
iso_a, iso_b = longs.isolated_liquidation_prices
assert math.isclose(ml.equity_minus_maintenance(iso_a, iso_b, pair["sides"], pair["sizes"],
                                                pair["entry_prices"], W, m), 0, abs_tol=1e-9)
""")

md(r"""
* **Two longs**: the line slopes *down*. Falls of A and B add up: a point moving down-left
  along the diagonal (a correlated crash) crosses the line well before either intercept. The
  line passes through the corner where the two isolated lines meet (there each position sits
  exactly at its maintenance margin). Isolated, the liquidated zone is an "L" — below either
  dashed line, one pool is lost; cross, it is a half-plane — the corner-cutting line trades
  the zones where one token's profit pays for the other's loss (safe in cross) against the
  zone where one token's loss drags the other down (everything liquidated in cross). At the
  point shown, AGENT at 2.00 and NEURAL at 0.45, isolated would lose AGENT's pool only; cross
  loses both.
* **Hedged pair**: the line slopes *up*, close to parallel to the path of a common move. When
  both prices fall together the long loses what the short gains; only the **spread** between
  them moves the account toward the line. That is the delta-neutral case where cross margin
  shines: isolated, each leg would be liquidated on its own move (the dashed lines) — at the
  point shown, the AGENT leg — although the pair as a whole is fine.

**The live region.** The two sliders are the current prices (the point). Watch the diamonds
(each token's cross liquidation price, the other held) slide along the line as you move the
*other* price.
""")

code(r"""
region = widgets.liquidation_region_widget()
region
""")

code(r"""
# Move the point of a copy of the widget with its sliders and check it against the maths.
region_probe = widgets.liquidation_region_widget()
rc, ra = region_probe.controls, region_probe.plot.artists
rc["pair"].value = "two longs"
rc["price_a"].value, rc["price_b"].value = 2.3, 0.46
x, y = ra["point"].get_xdata()[0], ra["point"].get_ydata()[0]
assert (x, y) == (rc["price_a"].value, rc["price_b"].value)        # the point is the sliders
surplus = ml.equity_minus_maintenance(x, y, pair["sides"], pair["sizes"], pair["entry_prices"],
                                      W, m)
assert region_probe.plot.liquidated == (surplus <= 0)
assert ("LIQUIDATED" in ra["label"].get_text()) == (surplus <= 0)
assert math.isclose(ra["intercept_a"].get_xdata()[0], a_liq_g1(y))   # A's price with B held at y

rc["price_b"].value = 0.5                                          # B back at entry
assert math.isclose(ra["intercept_a"].get_xdata()[0], quoted)
assert not region_probe.plot.liquidated

rc["pair"].value = "hedged pair"
rc["price_a"].value, rc["price_b"].value = 2.0, 0.40              # both −20 %: the hedge holds
assert not region_probe.plot.liquidated
print(region_probe.message.value)
""")

# ====================================================================== wins / loses ===

md(r"""
## 5 · When cross wins, and when it loses

The same Monte Carlo as in section 3, swept over the correlation (common random numbers: the
same draws at every ρ), for the three longs and for the hedged pair (long AGENT, short
NEURAL, same margin and leverage). Top row: P(at least one liquidation); bottom row:
P(lose everything). This takes a few seconds.
""")

code(r"""
sweep = plots.correlation_sweep(static=True)       # 5x each, 7 days, 2,000 paths per point
display(Image(sweep.png()))
longs_sw, hedge_sw = sweep.sweeps["three longs"], sweep.sweeps["hedged pair"]
rhos = longs_sw.values
for name, sw in sweep.sweeps.items():
    for mode in ("isolated", "cross"):
        s = getattr(sw, mode)
        print(f"{name:11s} {mode:8s} P(>=1 liq) {np.round(s.p_any_liquidation, 3)} "
              f"P(lose all) {np.round(s.p_lose_everything, 4)}")

# hedged pair: cross is liquidated far less often, and less and less as rho rises
assert np.all(hedge_sw.cross.p_any_liquidation < hedge_sw.isolated.p_any_liquidation)
assert hedge_sw.cross.p_any_liquidation[-1] < hedge_sw.cross.p_any_liquidation[0] / 4
assert hedge_sw.isolated.p_any_liquidation[-1] >= hedge_sw.isolated.p_any_liquidation[0]
# correlated longs: cross liquidations rise with rho, and cross loses everything more often
assert longs_sw.cross.p_any_liquidation[-1] > 2 * longs_sw.cross.p_any_liquidation[0]
assert np.all(longs_sw.cross.p_lose_everything > longs_sw.isolated.p_lose_everything)
""")

md(r"""
* **Cross wins for a hedge.** With the long and the short sharing one wallet, a common move
  cancels; only the spread can liquidate the account, and the higher the correlation the
  smaller the spread. Isolated, each leg is liquidated on its own move whatever the other
  leg does: a large common move of either sign kills one leg, so correlation does not help
  (here it even hurts a little). This is the article's "cross margin works better for
  delta-neutral hedging" — verified.
* **Cross loses for correlated longs.** The offsetting that makes cross attractive disappears
  as ρ rises, and a cross liquidation closes everything: P(lose everything) is higher than
  isolated at every correlation. Isolated margin turns one catastrophic outcome into several
  partial ones.
* Neither is free: the hedged cross account still loses everything on some paths, because a
  jump of one token alone (a per-token "algorithmic signal") is not hedged by the other.
""")

# =========================================================================== exercises ===

md(r"""
## Exercises

Each exercise has a checker: replace `...` with your answer and run the cell. Solutions are in
the collapsed cells below each exercise.

### Exercise 1 · The crash that takes the cross account

In the **all-in cross** account of section 2 (deposit 300 USDC, the three positions as in the
table), what is the smallest AGENT fall, as a fraction (0.25 = 25 %), that liquidates the
account if the mark moves continuously? Use the cross condition by hand (NEURAL and ORACLE do
not move).
""")

code(r"""
def check_exercise_1(answer):
    acct = ml.Account(lab.CAPITAL["all-in"], maintenance_margin_rate=m)
    for h in lab.HOLDINGS:
        acct.open(h.name, h.side, margin=h.margin, leverage=h.leverage, price=h.price, mode="cross")
    expected = 1 - acct.liquidation_price("AGENT") / AGENT.price
    return check("Exercise 1: AGENT fall that liquidates the cross account", answer, expected,
                 rel=1e-3, hint="300 − 400·(2.5 − P) = 0.05·(400·P + 500 + 500); "
                                "the answer is 1 − P/2.5.")

answer = ...
check_exercise_1(answer)
""")

solution(r"""
# 300 − 400·(2.5 − P) = 0.05·(400·P + 1,000)  ⇒  380·P = 1,000 + 50 − 300  ⇒  P = 1.9737
others = NEURAL.notional + ORACLE.notional
P = (AGENT.size * AGENT.price + m * others - 300) / (AGENT.size * (1 - m))
answer = 1 - P / AGENT.price          # 0.2105: a 21.05 % fall
assert check_exercise_1(answer)
check_exercise_1(answer)
""", title="Solution to exercise 1")

md(r"""
### Exercise 2 · How much collateral survives the crash?

Same three positions in **cross** mode, AGENT crashes 40 % (step by step). What is the smallest
deposit, in USDC, for which the account is **not** liquidated? (Equity minus maintenance only
falls as AGENT falls, so check the worst point, −40 %.) Verify your answer with
`lab.crash_outcome(0.40, "cross", deposit)` just above and just below it.
""")

code(r"""
def check_exercise_2(answer):
    # W − 400 × 1.00 = 0.05 × (400 × 1.50 + 500 + 500) at the bottom of the crash
    bottom = AGENT.price * 0.60
    expected = AGENT.size * (AGENT.price - bottom) + m * (AGENT.size * bottom + NEURAL.notional
                                                          + ORACLE.notional)
    return check("Exercise 2: smallest deposit that survives", answer, expected, rel=1e-4,
                 hint="At P = 1.50: equity W − 400 must stay above maintenance 0.05·(600 + 1,000).")

answer = ...
check_exercise_2(answer)
""")

solution(r"""
bottom = AGENT.price * 0.60                                    # 1.50
maintenance = m * (AGENT.size * bottom + NEURAL.notional + ORACLE.notional)   # 80
answer = AGENT.size * (AGENT.price - bottom) + maintenance     # 400 + 80 = 480 USDC
assert check_exercise_2(answer)
assert not any(lab.crash_outcome(0.40, "cross", answer + 0.01).liquidated)
assert all(lab.crash_outcome(0.40, "cross", answer - 0.01).liquidated)
check_exercise_2(answer)
""", title="Solution to exercise 2")

md(r"""
### Exercise 3 · A correlated fall in the liquidation region

In the two-longs cross account of section 4 (wallet 200 USDC, AGENT 400 at 2.50, NEURAL 1,000
at 0.50, m = 5 %):

* (a) both prices fall by the **same fraction** $x$: which $x$ liquidates the account?
* (b) only AGENT falls (NEURAL stays at 0.50): which fall liquidates it?

Give both as fractions. Then, in the live region above, move the point down the diagonal
to see (a).
""")

code(r"""
def check_exercise_3(a, b):
    pair = lab.PAIRS["two longs"]
    n_total = sum(q * e for q, e in zip(pair["sizes"], pair["entry_prices"]))
    expected_a = (pair["wallet"] - m * n_total) / ((1 - m) * n_total)
    boundary = ml.cross_liquidation_boundary(pair["sides"], pair["sizes"], pair["entry_prices"],
                                             pair["wallet"], m)
    expected_b = 1 - boundary.liquidation_price_a / pair["entry_prices"][0]
    return check_all(
        check("(a) common fall", a, expected_a, rel=1e-3,
              hint="200 − 1,500·x = 0.05·1,500·(1 − x)"),
        check("(b) AGENT alone", b, expected_b, rel=1e-3,
              hint="the intercept of the boundary with P_B = 0.50"),
        name="Exercise 3")

a, b = ..., ...
check_exercise_3(a, b)
""")

solution(r"""
n_total = 400 * 2.50 + 1_000 * 0.50                       # 1,500 USDC of notional
a = (200 - m * n_total) / ((1 - m) * n_total)             # 125 / 1,425 = 0.0877
P = (400 * 2.50 + m * 1_000 * 0.50 - 200) / (400 * (1 - m))   # 2.1711
b = 1 - P / 2.50                                          # 0.1316
assert check_exercise_3(a, b)
assert a < b                                              # correlated falls liquidate sooner
check_exercise_3(a, b)
""", title="Solution to exercise 3")

# ============================================================================== audit ===

md(r"""
## The article's claims, audited

Every number in this table is computed in the cell (the isolated "aggregate loss" row runs two
more simulations, at ρ = 0 and ρ = 0.9, 10× each, 7 days).
""")

code(r"""
def simulate(book_name, rho, leverage=10.0, days=7):
    return ml.simulate_margin_modes(lab.contagion_book(book_name, leverage),
                                    lab.defai_model(book_name, rho), n_steps=24 * days,
                                    n_paths=2_000, rng=4)

s0, s9 = simulate("three longs", 0.0), simulate("three longs", 0.9)
all_three = {rho: float(np.mean(s.isolated_liquidated.all(axis=1))) for rho, s in ((0.0, s0), (0.9, s9))}
worst_isolated = max(float(s0.isolated_loss.max()), float(s9.isolated_loss.max()))
venue_debt = float(s9.isolated_bad_debt.sum())
h9 = simulate("hedged pair", 0.9, leverage=5.0)

assert iso.liquidated == (True, False, False) and allin.liquidated == (True, True, True)
assert room["cross, all-in"] > 3 * room["isolated"]
assert s9.cross.p_lose_everything > s9.isolated.p_lose_everything
assert all_three[0.9] > all_three[0.0]
assert worst_isolated <= 1.0 and venue_debt > 0
assert h9.cross.p_any_liquidation < h9.isolated.p_any_liquidation / 4

claims = [
    ("“one token crashing 40 % only liquidates that specific margin pool”",
     "<b>True for isolated</b>, and only for isolated.",
     f"Isolated: AGENT's pool only, {iso.lost:.2f} of 300 USDC lost (a gap: exactly "
     f"{gap.lost:.0f}). Cross, all-in: all three liquidated, {allin.lost:.2f} lost; with a gap "
     f"everything."),
    ("“profits from one trade offset losses in another … better capital efficiency”",
     "<b>True.</b>",
     f"AGENT's room before liquidation: {100 * room['isolated']:.2f} % isolated, "
     f"{100 * room['cross, all-in']:.2f} % cross all-in, {100 * room['cross, spare']:.1f} % with "
     f"700 USDC spare. But the survivor carries the whole loss ({spare.lost:.0f} vs "
     f"{iso.lost:.2f})."),
    ("“increases total account liquidation risk if multiple positions move adversely”",
     "<b>True</b> for losing the account; cross is liquidated <i>less</i> often.",
     f"ρ = 0.9, 10×, 7 days: P(lose everything) {100 * s9.cross.p_lose_everything:.1f} % cross vs "
     f"{100 * s9.isolated.p_lose_everything:.2f} % isolated; P(≥1 liquidation) "
     f"{100 * s9.cross.p_any_liquidation:.1f} % cross vs {100 * s9.isolated.p_any_liquidation:.1f} %."),
    ("“aggregate losses exceeding your total capital … correlated DeFAI tokens”",
     "<b>Half true.</b> Correlation makes pools fail together, but isolated losses cannot "
     "exceed the margins committed.",
     f"P(all three pools liquidated): {100 * all_three[0.0]:.1f} % at ρ = 0, "
     f"{100 * all_three[0.9]:.1f} % at ρ = 0.9. Largest isolated loss on any path: "
     f"{100 * worst_isolated:.1f} % of capital; losses beyond the margins "
     f"({venue_debt:,.0f} USDC summed over paths at ρ = 0.9) are the venue's bad debt."),
    ("“cross margin works better for delta-neutral hedging across correlated AI tokens”",
     "<b>True.</b>",
     f"Hedged pair, ρ = 0.9, 5×: P(≥1 liquidation) {100 * h9.cross.p_any_liquidation:.1f} % "
     f"cross vs {100 * h9.isolated.p_any_liquidation:.1f} % isolated."),
    ("“position-level isolation reduces cascading liquidations” (BIS quarterly review)",
     "<b>Source not found.</b>",
     "The course's research found no such BIS review; BIS Working Paper 1087 (“Crypto carry”) "
     "links leverage to crashes, not to margin modes. Inside one account, the lab above shows "
     "the mechanism: isolation caps each position's loss."),
]
display(HTML("<table><tr><th>the article says</th><th>verdict</th><th>the numbers</th></tr>"
             + "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in claims)
             + "</table>"))
""")

md(r"""
## Key takeaways

* **Isolated margin caps a position's loss at its margin**; beyond it is bad debt for the
  venue, not for you. A 40 % crash of one token costs one pool, exactly as the article says.
* **Cross margin lends every position the whole wallet.** The liquidation price moves far away
  (21 % instead of 5 % for AGENT here) and a crash can be survived — but the survivor pays the
  whole loss, and if the wallet is not deep enough, one move closes **every** position.
* **A cross liquidation price is one point of a line.** It holds the other prices fixed; with
  correlated tokens they do not stay fixed, and the real distance to liquidation is shorter.
* **Correlation decides.** Cross margin's advantage is that losses offset; correlated longs do
  not offset, so cross trades fewer, smaller scares for rarer, total losses. For a hedged pair
  the offset is the whole point, and cross wins clearly.
* **Gaps turn liquidations into bad debt** and make "lose everything" possible in both modes;
  hourly marks, fat tails and jumps are the assumptions that matter most in the Monte Carlo.

**What the lab leaves out:** trading fees and funding (see notebook 03: funding moves the
liquidation price), slippage beyond the mark, tiered margins (notebook 02), partial
liquidations (several venues close large positions in steps), auto-deleveraging, and the
insurance fund's own limits.

## Where next

This is the last notebook of the course. Go back to **[00 · Start here](00-start-here.ipynb)**
for the workshop path, the glossary and the table of the article's claims, or revisit
[02 · Liquidation price](02-liquidation-price.ipynb) to see where each position's own
liquidation price comes from.
""")


if __name__ == "__main__":
    print(_nb.write(CELLS, f"{NAME}.ipynb"))
