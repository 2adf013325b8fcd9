"""Time a liquidation cascade of 100,000 positions to its fixed point.

Prints a few lines and ends with exactly one line::

    cascade: positions=100000 rounds=R ms=T pass_ratio=X

``T`` is the best-of-N time (ms) of :func:`marginlib.sim.cascade.cascade` to its fixed point,
``X`` its ratio to one vectorised pass over the whole population (the liquidation test of
every account at given marks, :func:`marginlib.sim.cascade._pass` on all accounts) measured in
the same run. The cascade itself runs that pass only over the surviving accounts that hold
both tokens; one-position accounts are found by binary search in their sorted liquidation
prices.
Target (issue 9): ``pass_ratio <= 3 × rounds``. Asserts nothing.

The per-population precomputation (contiguous columns, the maintenance rate folded into the
signed sizes, the sorted liquidation prices, the pre-shock health check for a given price and
rate) is cached on the
:class:`~marginlib.sim.cascade.Population`, as a live slider re-running shocks and depths on
one population sees it; the first call's time is printed too.

Run: ``PYTHONPATH=. python benchmarks/cascade.py``.
"""
import time

import numpy as np

from marginlib.sim.cascade import _full_state, _pass, cascade, cascade_population

from _timing import best_of  # noqa: E402  (benchmarks/_timing.py)

N_POSITIONS = 100_000
REPEATS = 41
SETTINGS = dict(price=1.0, shock=-0.04, depth=2e6, maintenance_margin_rate=0.03, within=0.02,
                correlation=0.7)


def main():
    pop = cascade_population(N_POSITIONS, rng=0, cross_share=0.3, total_notional=5e7)
    t0 = time.perf_counter()
    out = cascade(pop, **SETTINGS)
    t_cold = time.perf_counter() - t0
    mmr = np.full(2, SETTINGS["maintenance_margin_rate"])
    state = _full_state(pop, mmr)
    marks = np.asarray(out.shocked_price)
    t_pass = best_of(lambda: _pass(state, marks), 2 * REPEATS)
    t_run = best_of(lambda: cascade(pop, **SETTINGS), REPEATS)
    iso = cascade(pop.isolated(), **SETTINGS)
    print(f"population: {pop.n_positions} positions in {pop.n_accounts} accounts "
          f"({int(pop.cross.sum())} cross)")
    print(f"shock {SETTINGS['shock']:+.1%} on A: final move A {out.final_move[0]:+.2%}, "
          f"B {out.final_move[1]:+.2%}; amplification {out.amplification:.2f}; "
          f"liquidated {out.total_liquidated_notional:,.0f}; bad debt {out.total_bad_debt:,.0f}")
    print(f"isolated split: final move A {iso.final_move[0]:+.2%}, B {iso.final_move[1]:+.2%}; "
          f"amplification {iso.amplification:.2f}; rounds {iso.rounds}")
    print(f"first call on a new population (builds its cached columns): {t_cold * 1e3:.2f} ms")
    print(f"one pass {t_pass * 1e3:.3f} ms; cascade best of {REPEATS}: {t_run * 1e3:.2f} ms; "
          f"target pass_ratio <= 3 x rounds = {3 * out.rounds}")
    print(f"cascade: positions={pop.n_positions} rounds={out.rounds} ms={t_run * 1e3:.2f} "
          f"pass_ratio={t_run / t_pass:.1f}")


if __name__ == "__main__":
    main()
