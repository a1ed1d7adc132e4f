"""Full-step cost against the bare sparse-matrix limit, measured side by side in one run.

For each size: build the default society (every mechanism on, default metrics cadence,
dossiers on), warm up, then time ``steps`` full steps (rules + metrics) and, right after
them on the same friendship graph, one bare CSR matvec (float64 data and vector over the
live ties: the cost of one pass over them). This machine is noisy (a VM whose speed drifts
by 10-20% within a minute), so a size is measured in ``--rounds`` such rounds, each building the
same society afresh and timing its own matvec; the round with the median ratio is printed. Targets: a full step <= 10x
one matvec at 100k, the ratio at 1M within 1.5x of the ratio at 100k, metrics <= 20% of a
step. Also peak RSS.

    .venv/bin/python benchmarks/step_speed.py [--sizes 10000 100000 1000000] [--steps 50] [--rounds 3]
        [--preset as-practised]
"""

from __future__ import annotations

import argparse
import os
import resource
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from trustcascade.model.model import TrustCascade  # noqa: E402


def bare_matvec_ms(model, repeats: int = 50) -> float:
    """One float64 CSR matvec over the live friendships only (free slots and cut ties, the
    stored weight-0 entries, are dropped so they cannot flatter the ratio)."""
    friends = model.world.ties.friends.astype(np.float64)
    friends.eliminate_zeros()
    vector = np.random.default_rng(0).random(friends.shape[0])
    friends @ vector
    started = time.perf_counter()
    for _ in range(repeats):
        friends @ vector
    return (time.perf_counter() - started) / repeats * 1000


def measure_round(n: int, steps: int, warmup: int, preset: str | None = None) -> dict:
    """One society from scratch (same seed every round, so every round does the same work)."""
    started = time.perf_counter()
    model = TrustCascade(rng=1, preset=preset, n_citizens=n, n_companies=max(1, n // 50), agents=False)
    build = time.perf_counter() - started
    model.run(warmup)
    collect_time = 0.0
    original = model.collector.collect

    def timed_collect():
        nonlocal collect_time
        t0 = time.perf_counter()
        row = original()
        collect_time += time.perf_counter() - t0
        return row

    model.collector.collect = timed_collect
    started = time.perf_counter()
    model.run(steps)
    step_ms = (time.perf_counter() - started) / steps * 1000
    matvec = bare_matvec_ms(model)
    return {"n": n, "build_s": build, "step_ms": step_ms, "matvec_ms": matvec, "ratio": step_ms / matvec,
            "metrics_share": collect_time / steps * 1000 / step_ms,
            "listed": float(model.world.citizens.listed.mean()),
            "dossier_mb": model.world.citizen_dossiers.nbytes / 2**20}


def measure(n: int, steps: int, warmup: int, rounds: int, preset: str | None = None) -> dict:
    """The round with the median ratio, and the range over rounds."""
    measured = sorted((measure_round(n, steps, warmup, preset) for _ in range(rounds)), key=lambda r: r["ratio"])
    return {**measured[len(measured) // 2], "ratio_range": (measured[0]["ratio"], measured[-1]["ratio"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of --steps steps; the median is printed")
    parser.add_argument("--preset", default=None, help="a preset, e.g. as-practised (default: the scored city)")
    args = parser.parse_args()
    print(f"preset: {args.preset or 'restrictions-everywhere'}")
    print(f"{'citizens':>10} {'build s':>8} {'step ms':>8} {'matvec ms':>10} {'ratio':>6} {'(rounds)':>12} "
          f"{'metrics':>8} {'listed':>7} {'dossier MB':>10}")
    results = []
    for n in args.sizes:
        r = measure(n, args.steps, args.warmup, args.rounds, args.preset)
        results.append(r)
        low, high = r["ratio_range"]
        print(f"{r['n']:>10} {r['build_s']:>8.2f} {r['step_ms']:>8.1f} {r['matvec_ms']:>10.2f} "
              f"{r['ratio']:>6.1f} {f'{low:.1f}-{high:.1f}':>12} {r['metrics_share']:>7.0%} {r['listed']:>7.2%} "
              f"{r['dossier_mb']:>10.1f}", flush=True)
    by_n = {r["n"]: r for r in results}
    if 100_000 in by_n:
        print(f"target: step at 100k <= 10x matvec: {by_n[100_000]['ratio']:.1f}x "
              f"({'met' if by_n[100_000]['ratio'] <= 10 else 'MISSED'}); metrics <= 20% of a step: "
              f"{by_n[100_000]['metrics_share']:.0%}")
    if 100_000 in by_n and 1_000_000 in by_n:
        growth = by_n[1_000_000]["ratio"] / by_n[100_000]["ratio"]
        print(f"target: ratio at 1M within 1.5x of 100k: {growth:.2f}x ({'met' if growth <= 1.5 else 'MISSED'}); "
              f"1M step <= 1 s: {by_n[1_000_000]['step_ms']:.0f} ms; build <= 30 s: {by_n[1_000_000]['build_s']:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"peak RSS {peak:.2f} GiB")


if __name__ == "__main__":
    main()
