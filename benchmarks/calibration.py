"""Check the default calibration: about 1% of citizens listed in steady state.

Real-world anchor: China's list of dishonest judgment debtors held about 13 M people at the
end of 2018 and 13.49 M in March 2019 (Supreme People's Court and NDRC figures, as reported by
the South China Morning Post), roughly 1% of the population; a listing lasts two years.

    .venv/bin/python benchmarks/calibration.py [--seeds 8] [--n 10000]
"""

import argparse

import numpy as np

from trustcascade.model.model import TrustCascade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    steady, causes = [], []
    for seed in range(1, args.seeds + 1):
        table = TrustCascade(rng=seed, agents=False, n_citizens=args.n, n_companies=args.n // 50).run(args.steps)
        steady.append(table["listed_share"].iloc[args.steps // 2:].mean())
        causes.append(table[[c for c in table.columns if c.startswith("new_listings_")]].sum())
    steady = np.array(steady)
    print(f"steady listed share (steps {args.steps // 2}-{args.steps}, {args.n} citizens, {args.seeds} seeds): "
          f"{steady.mean():.2%} +/- {steady.std(ddof=1) / np.sqrt(steady.size):.2%} (SE); "
          f"per seed {np.round(steady * 100, 2).tolist()} %")
    total = sum(causes)
    print("listings by primary cause:", {k.removeprefix("new_listings_"): int(v) for k, v in total.items()})


if __name__ == "__main__":
    main()
