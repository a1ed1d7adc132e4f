"""Fit of the `as-practised` preset to the public figures on the court list (docs/calibration.md).

One step = one month from October 2013. Each target is scaled per capita (China's population,
about 1.39 billion in 2017-2019); the model's value is its mean over seeds with a 95% interval
(t distribution over seeds).

    .venv/bin/python benchmarks/as_practised_fit.py [--seeds 8] [--n 20000]
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy import stats

from trustcascade.model.model import TrustCascade

POPULATION = 1.39e9
TARGETS = (  # (what, step, column, cumulative over steps?, published count, source)
    ("court list, people ever listed, end 2017", 51, "court_ever_listed_share", False, 6.73e6,
     "Reuters / Global Times, January 2018"),
    ("court list, entries, September 2018", 60, "court_ever_listed_share", False, 12.11e6,
     "China Daily, 24 October 2018"),
    ("flights refused by September 2018", 60, "denied_flights", True, 14.63e6, "China Daily, 24 October 2018"),
    ("trains refused by September 2018", 60, "denied_trains", True, 5.22e6, "China Daily, 24 October 2018"),
    ("debtors who paid under pressure by September 2018", 60, "paid_after_listing", True, 3.22e6,
     "China Daily, 24 October 2018"),
    ("court list, people, March 2019", 66, "court_ever_listed_share", False, 13.49e6,
     "South China Morning Post citing NDRC, March 2019"),
)


def run(seed: int, n: int):
    return TrustCascade(rng=seed, preset="as-practised", agents=False, n_citizens=n, n_companies=n // 50).run(66)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    tables = [run(seed, args.n) for seed in range(1, args.seeds + 1)]
    print(f"| target (step) | published, per capita | model mean | 95% interval over {args.seeds} seeds |")
    print("|---|---|---|---|")
    for what, step, column, cumulative, count, source in TARGETS:
        values = []
        for table in tables:
            series = table[column].iloc[:step]
            values.append(series.sum() / args.n if cumulative else series.iloc[-1])
        values = np.array(values)
        half = stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
        print(f"| {what} ({step}) | {count / POPULATION:.4%} ({source}) | {values.mean():.4%} | "
              f"{values.mean() - half:.4%} .. {values.mean() + half:.4%} |")


if __name__ == "__main__":
    main()
