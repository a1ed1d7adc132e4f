"""Vectorised society vs the idiomatic per-agent Mesa baseline (benchmarks/per_agent.py).

Speed: the same society and seed, timed side by side in one run; target >= 100x at 10k. Both run
the fixed-belief society (``rule_learn`` off), the only one the per-agent baseline implements.
Agreement (--agreement): over 20 seeds at 1k citizens the two implementations give the
same steady listed share and the same cascade size (listings over the run) within their
95% confidence intervals (Welch's t on the difference of means).

    .venv/bin/python benchmarks/per_agent_speed.py [--sizes 1000 10000] [--agreement]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(__file__))

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

from per_agent import PerAgentSociety  # noqa: E402
from trustcascade.model.model import TrustCascade  # noqa: E402


def time_steps(model, steps: int) -> float:
    model.step()  # warm-up
    started = time.perf_counter()
    for _ in range(steps):
        model.step()
    return (time.perf_counter() - started) / steps * 1000


def speed(sizes, steps: int) -> None:
    print(f"{'citizens':>9} {'per-agent ms':>13} {'vectorised ms':>14} {'speed-up':>9}")
    for n in sizes:
        slow = time_steps(PerAgentSociety(rng=1, n_citizens=n, n_companies=n // 50), steps)
        fast = time_steps(TrustCascade(rng=1, n_citizens=n, n_companies=n // 50, agents=False, rule_learn=False),
                          steps * 10)
        print(f"{n:>9} {slow:>13.1f} {fast:>14.2f} {slow / fast:>8.0f}x"
              + ("  (target >= 100x)" if n == 10_000 else ""), flush=True)


def summary(model_rows, steps: int) -> tuple[float, float]:
    listed = np.array([r["listed_share"] for r in model_rows])
    return listed[steps // 2:].mean(), float(sum(r["new_listings"] for r in model_rows))


def agreement(seeds: int, n: int, steps: int) -> None:
    fast, slow = [], []
    for seed in range(seeds):
        table = TrustCascade(rng=seed, n_citizens=n, n_companies=n // 50, agents=False, rule_learn=False).run(steps)
        fast.append(summary(table.to_dict("records"), steps))
        model = PerAgentSociety(rng=seed, n_citizens=n, n_companies=n // 50)
        for _ in range(steps):
            model.step()
        slow.append(summary(model.rows, steps))
        print(f"seed {seed}: vectorised {fast[-1]}, per-agent {slow[-1]}", flush=True)
    for k, name in enumerate(("steady listed share", "cascade size (listings over the run)")):
        a, b = np.array([x[k] for x in fast]), np.array([x[k] for x in slow])
        test = stats.ttest_ind(a, b, equal_var=False)
        ci = test.confidence_interval(0.95)
        print(f"{name}: vectorised {a.mean():.4g} +/- {stats.sem(a):.2g}, per-agent {b.mean():.4g} +/- "
              f"{stats.sem(b):.2g}; difference 95% CI [{ci.low:.4g}, {ci.high:.4g}] -> "
              f"{'agree' if ci.low <= 0 <= ci.high else 'DIFFER'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--agreement", action="store_true")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--agreement-steps", type=int, default=120)
    args = parser.parse_args()
    speed(args.sizes, args.steps)
    if args.agreement:
        agreement(args.seeds, 1000, args.agreement_steps)


if __name__ == "__main__":
    main()
