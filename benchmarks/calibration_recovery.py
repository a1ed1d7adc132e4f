"""Recovery of two known parameters by `trustcascade calibrate` (larger than the test suite's).

Targets are simulated at known values of ``surveillance_coverage`` and ``forgiveness_rate`` (one
run, its own seed), then calibrated from uniform priors; the script prints, per parameter, the
true value, the posterior median and 90% interval, whether the truth lies inside it and how much
narrower the interval is than the prior's 90% interval, plus the runs made and the wall time.
docs/calibration.md ("Calibrating with trustcascade calibrate") quotes its output.

    .venv/bin/python benchmarks/calibration_recovery.py [--n 2000] [--steps 30] [--particles 60]
                                                        [--populations 4] [--workers K] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pandas as pd

from trustcascade.cli.main import main as trustcascade
from trustcascade.experiments.factory import build_society

TRUTH = {"surveillance_coverage": 0.55, "forgiveness_rate": 0.04}
PRIORS = {"surveillance_coverage": (0.1, 0.9), "forgiveness_rate": (0.0, 0.2)}
FIXED = {"base_rate_traffic": 0.2}
TARGET_STEPS = (5, 10, 15, 20, 25, 30)


def calibration_text(args) -> str:
    params = {"n_citizens": args.n, "n_companies": args.n // 50, **FIXED, **TRUTH}
    table = build_society(20_261_202, params, {}).run(args.steps).set_index("step")
    steps = [s for s in TARGET_STEPS if s <= args.steps]
    targets = "\n".join(f"{column} = {{ steps = {steps}, values = "
                        f"{[round(float(table.at[s, column]), 6) for s in steps]} }}"
                        for column in ("mean_score", "score_gini"))
    priors = "\n".join(f"{name} = {{ min = {low}, max = {high} }}" for name, (low, high) in PRIORS.items())
    fixed = "\n".join(f"{name} = {value}" for name, value in
                      {"n_citizens": args.n, "n_companies": args.n // 50, **FIXED}.items())
    return (f'[calibration]\nname = "recovery"\nsteps = {args.steps}\nseed = 1\n\n[fixed]\n{fixed}\n\n'
            f"[priors]\n{priors}\n\n[targets]\n{targets}\n\n[method]\npopulations = {args.populations}\n"
            f"particles = {args.particles}\nreplicates = 1\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--particles", type=int, default=60)
    parser.add_argument("--populations", type=int, default=4)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", default=None, help="results folder (default: a temporary one)")
    args = parser.parse_args()
    out = Path(args.out or tempfile.mkdtemp(prefix="recovery-")) / "posterior"
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / "recovery.toml"
    path.write_text(calibration_text(args), encoding="utf-8")
    started = time.perf_counter()
    flags = ["--workers", str(args.workers)] if args.workers else []
    assert trustcascade(["calibrate", str(path), "--out", str(out), "--quiet", *flags]) == 0
    seconds = time.perf_counter() - started
    summary = pd.read_csv(out / "summary.csv").set_index("parameter")
    runs = sum(p["runs"] for p in json.loads((out / "metadata.json").read_text())["populations_table"])
    print(f"recovery at {args.n} citizens, {args.steps} steps, {args.particles} particles x "
          f"{args.populations} populations: {runs} runs (+ calibration sample), {seconds:.0f} s")
    print("| parameter | truth | posterior median | 90% interval | inside | interval / prior 90% |")
    print("|---|---|---|---|---|---|")
    for name, truth in TRUTH.items():
        row, (low, high) = summary.loc[name], PRIORS[name]
        inside = row["q05"] <= truth <= row["q95"]
        ratio = (row["q95"] - row["q05"]) / (0.9 * (high - low))
        print(f"| {name} | {truth} | {row['median']:.4f} | {row['q05']:.4f} - {row['q95']:.4f} | "
              f"{'yes' if inside else 'NO'} | {ratio:.2f} |")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
