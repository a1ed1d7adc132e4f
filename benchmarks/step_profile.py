"""Where a step goes: milliseconds per rule and for the metrics, averaged over a run.

Each rule of ``PIPELINE`` and the metrics collection are wrapped with a timer (the
overhead is a few microseconds a call), the default society runs, and the mean time per
step of each part is printed, largest first. Use it to find what to speed up next; use
``step_speed.py`` for the ratios the targets are stated in. For line-level detail, run a
line profiler (``pip install line_profiler``) on the function this names.

    .venv/bin/python benchmarks/step_profile.py [--n 100000] [--steps 50]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

from trustcascade.model import metrics, rules  # noqa: E402
from trustcascade.model.model import TrustCascade  # noqa: E402


def timed(function, name: str, spent: dict):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--preset", default=None, help="a preset, e.g. as-practised")
    args = parser.parse_args()
    model = TrustCascade(rng=1, preset=args.preset, n_citizens=args.n, n_companies=max(1, args.n // 50),
                         agents=False)
    model.run(args.warmup)
    spent: dict[str, float] = {}
    original = rules.PIPELINE
    rules.PIPELINE = tuple(dataclasses.replace(rule, apply=timed(rule.apply, rule.name, spent)) for rule in original)
    model.collector.collect = timed(model.collector.collect, "collect (all metrics)", spent)
    metrics.LargestComponent.share = timed(metrics.LargestComponent.share, "  of which largest_component_share", spent)
    metrics.score_assortativity = timed(metrics.score_assortativity, "  of which score_assortativity", spent)
    try:
        started = time.perf_counter()
        model.run(args.steps)
        total = (time.perf_counter() - started) / args.steps * 1000
    finally:
        rules.PIPELINE = original
    print(f"{args.n} citizens, mean of {args.steps} steps after {args.warmup}: {total:.2f} ms a step")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {name:34s} {seconds / args.steps * 1000:7.3f} ms  {seconds / args.steps * 1000 / total:5.1%}")


if __name__ == "__main__":
    main()
