"""Regenerate every figure in the docs: run each built-in experiment, analyse it, copy its figures.

For each experiment file in ``experiments/`` this runs ``trustcascade sweep`` into
``RESULTS/<name>`` (resumable: a finished sweep is not run again), then ``trustcascade analyze
RESULTS/<name> --figures RESULTS/<name>/figures``, and copies the figures the docs show (PNG and
SVG) and the CSV tables into ``docs/figures/<name>/``. It prints each sweep's wall time and the
numbers docs/sweeps.md quotes.

    .venv/bin/python docs/make_figures.py [--results results] [--workers 2] [--only amnesty ...]
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "docs" / "figures"

# experiment: (metrics to analyse or None for all, figures the docs show)
SHOWN = {
    "joint-vs-local": (None, ["paired_sanction_scope", "vs_association_weight"]),
    "phase-diagram": (None, ["heatmap", "vs_association_weight"]),
    "bottom-five": (None, ["vs_record_error_rate", "paired_listing_rule"]),
    "company-shock": ("listed_share,company_listed_share,collateral_listed_share",
                      ["paired_60-shock_companies", "paired_60-shock_companies_over_time"]),
    "amnesty": ("listed_share,collateral_share,collateral_listed_share",
                ["timeseries", "paired_60-forgiveness_rate_over_time", "paired_60-listing_duration_over_time"]),
    "sensitivity-sobol": (None, ["sensitivity"]),
    "memoranda": ("violation_rate,violation_rate_traffic,perceived_listing_cost,court_listed_share,"
                  "collateral_share,paid_after_listing",
                  ["paired_28-sanction_scope", "timeseries"]),
    "sensitivity-sobol-as-practised": (None, ["sensitivity"]),
}


def make(name: str, results: Path, workers: int | None) -> float:
    """Sweep (or resume) and analyse one experiment; copy its figures; return the sweep's seconds."""
    from trustcascade.cli.main import main
    from trustcascade.experiments import sweep

    metrics, stems = SHOWN[name]
    out = results / name
    started = time.perf_counter()
    summary = sweep(ROOT / "experiments" / f"{name}.toml", out, workers=workers, progress=False)
    seconds = time.perf_counter() - started
    print(f"== {name}: {summary.finished} runs now, {summary.skipped} already done, {summary.failed} failed, "
          f"{seconds:.1f} s", flush=True)
    figures = out / "figures"
    arguments = ["analyze", str(out), "--figures", str(figures)] + (["--metrics", metrics] if metrics else [])
    if main(arguments) != 0:
        raise SystemExit(f"analyze failed for {name}")
    target = FIGURES / name
    target.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        for suffix in (".png", ".svg"):
            shutil.copyfile(figures / f"{stem}{suffix}", target / f"{stem}{suffix}")
    for table in figures.glob("*.csv"):
        shutil.copyfile(table, target / table.name)
    return seconds


def amnesty_recovery(results: Path) -> None:
    """How fast the listed share returns after each amnesty: the first step at which the arm's mean
    is back at the no-amnesty mean of step 60, and the paired difference at steps 61, 72, 120, 180."""
    from trustcascade.experiments.analysis import open_sweep, paired_differences, summary

    sweep = open_sweep(results / "amnesty")
    means = summary(sweep, metrics=["listed_share", "collateral_listed_share"], by_step=True)
    control = means[(means["60:forgiveness_rate"] == 0.05) & (means["60:listing_duration"] == 24)]
    for metric in ("listed_share", "collateral_listed_share"):
        before = float(control[(control.metric == metric) & (control.step == 60)]["mean"].iloc[0])
        for (wipe, duration), arm in means[means.metric == metric].groupby(
                ["60:forgiveness_rate", "60:listing_duration"]):
            after = arm[arm.step > 60].sort_values("step")
            back = after[after["mean"] >= before]
            print(f"amnesty {metric}: forgiveness {wipe:g}, duration {duration}: step 61 mean "
                  f"{after['mean'].iloc[0]:.4f} (no-amnesty step 60: {before:.4f}); back at that level at step "
                  f"{int(back.step.iloc[0]) if len(back) else 'never (by the end)'}")
    differences = paired_differences(sweep, metrics=["listed_share", "collateral_listed_share"], by_step=True)
    for (factor, metric), rows in differences.groupby(["factor", "metric"]):
        rows = rows.set_index(["step", *[f for f in sweep.factors if f != factor]])
        for step in (61, 72, 120, 180):
            for key, row in rows.loc[step].iterrows():
                print(f"  {factor} {metric} step {step} (other = {key}): {row['mean']:+.4f} "
                      f"[{row['ci_low']:+.4f}, {row['ci_high']:+.4f}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=ROOT / "results", help="sweep folders (kept; reruns resume)")
    parser.add_argument("--workers", type=int, default=None, help="local worker processes (default: cores)")
    parser.add_argument("--only", nargs="*", choices=list(SHOWN), default=list(SHOWN))
    args = parser.parse_args()
    args.results.mkdir(parents=True, exist_ok=True)
    seconds = {name: make(name, args.results, args.workers) for name in args.only}
    if "amnesty" in args.only:
        amnesty_recovery(args.results)
    print("sweep wall times: " + ", ".join(f"{name} {s:.0f} s" for name, s in seconds.items()))


if __name__ == "__main__":
    main()
