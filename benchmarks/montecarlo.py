"""How fast and how lean is the isolated-vs-cross Monte Carlo?

    python benchmarks/montecarlo.py [--paths 100000] [--steps 720] [--repeats 3]

Five tokens, hourly marks, one common factor (ρ = 0.5), Gaussian shocks, a mixed book of
longs and shorts. Three measurements, each against a baseline taken in the same run:

* ``floor_ratio``: time of :func:`marginlib.sim.montecarlo.simulate_margin_modes` ÷ time to
  draw the same normals (``n_steps × n_paths × n_factors``) with the same generator in the
  same cache-sized chunks, the least any simulation on those numbers must spend (best of
  ``--repeats``, interleaved).
  Times are CPU seconds of this (single-threaded) process, so that other jobs on a shared
  machine do not count; wall-clock times and their ratio are printed too.
* ``peak_mb``: peak of the numpy allocations during the simulation (``tracemalloc``), at
  ``n_steps / 4`` and ``n_steps`` steps: the larger is printed; the two should be equal
  (memory flat in the number of steps).
* ``loop_speedup``: CPU time per path-step of the per-path Python loop reference
  (``reference_simulate`` of ``tests/reference/montecarlo_loop.py``, on ``--ref-paths``
  paths) ÷ that of the simulation.
  The reference's results are checked to be identical on that subset.

OpenBLAS threads are set to 1 unless ``OPENBLAS_NUM_THREADS`` is set: the per-step matrix
product is tiny, and threads only fight over the 2 cores of the course machine. Prints only;
asserts nothing.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

import marginlib.sim.paths as paths_module  # noqa: E402
from marginlib.sim.montecarlo import portfolio, simulate_margin_modes  # noqa: E402
from marginlib.sim.paths import price_model  # noqa: E402


def _load_reference():
    """``reference_simulate`` from tests/reference/montecarlo_loop.py (test code, by path)."""
    path = Path(__file__).resolve().parents[1] / "tests" / "reference" / "montecarlo_loop.py"
    spec = importlib.util.spec_from_file_location("montecarlo_loop", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.reference_simulate


reference_simulate = _load_reference()

SEED = 2024
TARGETS = "targets: floor_ratio <= 1.5, peak_mb <= 150 (flat in steps), loop_speedup >= 100"


def setup():
    model = price_model([2.0, 0.5, 1.2, 0.08, 14.0], volatility=[0.9, 1.2, 1.0, 1.5, 0.8],
                        correlation=0.5)
    book = portfolio(["long", "long", "short", "long", "short"], leverage=[5, 10, 5, 3, 8],
                     capital=10_000, maintenance_margin_rate=0.01, liquidation_fee_rate=0.005)
    return model, book


def draw_floor(model, n_steps, n_paths):
    """Draw the normals the simulation draws, as fast as they can be drawn: the same generator,
    the same count, in the same cache-sized chunks of paths (into a buffer that stays in cache;
    drawing a whole step at once into a big array is slower)."""
    rng = paths_module._streams(model, SEED)[0]  # the simulation's own normal generator
    chunk = min(n_paths, max(1, paths_module._CHUNK_VALUES // model.n_factors))
    normals = np.empty((chunk, model.n_factors))
    for _ in range(n_steps):
        for p0 in range(0, n_paths, chunk):
            rng.standard_normal(out=normals[:min(chunk, n_paths - p0)])


def timed(fn, *args, **kwargs):
    """(CPU seconds of this process, wall seconds, result)."""
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn(*args, **kwargs)
    return time.process_time() - cpu, time.perf_counter() - wall, out


def peak_mb(model, book, n_steps, n_paths):
    tracemalloc.start()
    tracemalloc.reset_peak()
    simulate_margin_modes(book, model=model, n_steps=n_steps, n_paths=n_paths, rng=SEED)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2 ** 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=720)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each (best kept)")
    parser.add_argument("--ref-paths", type=int, default=100,
                        help="paths for the Python-loop reference (its time is scaled)")
    args = parser.parse_args()
    model, book = setup()
    n_steps, n_paths = args.steps, args.paths
    print(f"{n_paths:,} paths x {model.n_tokens} tokens x {n_steps} steps "
          f"({model.n_factors} normals per path-step); "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")

    floor, floor_wall, simulation, simulation_wall = (float("inf"),) * 4
    for _ in range(args.repeats):
        cpu, wall, _ = timed(draw_floor, model, n_steps, n_paths)
        floor, floor_wall = min(floor, cpu), min(floor_wall, wall)
        cpu, wall, sim = timed(simulate_margin_modes, book, model=model, n_steps=n_steps,
                               n_paths=n_paths, rng=SEED)
        simulation, simulation_wall = min(simulation, cpu), min(simulation_wall, wall)
    print(f"draw normals only {floor:.2f} s CPU ({floor_wall:.2f} s wall); "
          f"simulate_margin_modes {simulation:.2f} s CPU ({simulation_wall:.2f} s wall); "
          f"best of {args.repeats}; wall ratio {simulation_wall / floor_wall:.2f}")
    iso, cross = sim.isolated, sim.cross
    print(f"P(any liquidation) isolated {iso.p_any_liquidation:.4f} cross "
          f"{cross.p_any_liquidation:.4f}; P(lose everything) isolated "
          f"{iso.p_lose_everything:.4f} cross {cross.p_lose_everything:.4f}")

    short_steps = max(1, n_steps // 4)
    peak_short = peak_mb(model, book, short_steps, n_paths)
    peak_long = peak_mb(model, book, n_steps, n_paths)
    print(f"peak numpy memory: {peak_short:.1f} MB at {short_steps} steps, "
          f"{peak_long:.1f} MB at {n_steps} steps")

    ref_paths = min(args.ref_paths, n_paths)
    t_ref = float("inf")
    for _ in range(args.repeats):
        cpu, _, ref = timed(reference_simulate, book, model=model, n_steps=n_steps,
                            n_paths=ref_paths, rng=SEED)
        t_ref = min(t_ref, cpu)
    small = simulate_margin_modes(book, model=model, n_steps=n_steps, n_paths=ref_paths,
                                  rng=SEED)
    same = (np.array_equal(ref.isolated_liquidation_step, small.isolated_liquidation_step)
            and np.array_equal(ref.cross_liquidation_step, small.cross_liquidation_step)
            and np.allclose(ref.cross_final_equity, small.cross_final_equity, rtol=1e-9))
    per_ref = t_ref / (ref_paths * n_steps)
    per_sim = simulation / (n_paths * n_steps)
    print(f"reference loop {t_ref:.2f} s CPU on {ref_paths} paths (best of {args.repeats}): "
          f"{per_ref * 1e6:.2f} us per "
          f"path-step vs {per_sim * 1e9:.1f} ns vectorised; same results: {same}")
    print(TARGETS)
    peak = max(peak_short, peak_long)
    print(f"montecarlo: floor_ratio={simulation / floor:.2f} peak_mb={peak:.1f} "
          f"loop_speedup={per_ref / per_sim:.0f}")


if __name__ == "__main__":
    main()
