"""Analysis of a sweep folder: replicate means with confidence intervals, paired differences, and
Sobol'/Morris sensitivity indices.

    from trustcascade.experiments.analysis import open_sweep, summary, paired_differences, sensitivity
    sweep = open_sweep("results/joint-vs-local")
    summary(sweep)                 # mean and 95% CI per design point and metric, at the final step
    paired_differences(sweep)      # second level - first level of each two-level factor, same seeds
    sensitivity(sweep)             # Sobol' S1/ST or Morris mu*/sigma when the design is sobol/morris

Confidence intervals are Student t intervals over the replicates of a design point (mean +/-
t(0.975, n-1) s / sqrt(n)). With common seeds (the default), replicate r of every design point
shares one seed, so two points differ only by their parameters: the difference of each replicate
pair has a smaller variance than either point (common random numbers; Law, *Simulation Modeling
and Analysis*, 5th ed., section 11.2), and its t interval is the paired comparison. Sensitivity
indices come from SALib (Herman & Usher 2017): Sobol' first-order and total indices with
bootstrap intervals (Saltelli et al. 2010), Morris mu* and sigma (Campolongo et al. 2007).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trustcascade.model.schema import ParameterError

CONFIDENCE = 0.95
DERIVED = {"collateral_listed_share": ("listed_share", "collateral_share")}  # name: (factors of the product)
SENSITIVITY_SEED = 20170101  # SALib's bootstrap; fixed so the intervals are the same on every call


@dataclass
class Sweep:
    """A sweep folder's finished runs (``frame``), its metadata, factors and metrics."""

    path: Path
    frame: "pandas.DataFrame"  # noqa: F821
    metadata: dict
    factors: list
    metrics: list
    design: "pandas.DataFrame"  # noqa: F821

    @property
    def steps(self) -> list[int]:
        return sorted(int(s) for s in self.frame["step"].unique())

    @property
    def final_step(self) -> int:
        return int(self.metadata.get("steps") or self.steps[-1])

    def label(self, point: dict) -> str:
        """``"sanction_scope=joint, association_weight=250"``: a design point, for tables and legends."""
        return ", ".join(f"{name}={_short(point[name])}" for name in self.factors)


def open_sweep(out) -> Sweep:
    """The finished runs in folder ``out``; a missing folder, one that holds no sweep, or a sweep
    with no finished run is refused with one line (:class:`ParameterError`)."""
    import pandas as pd

    from .storage import load, read_metadata

    path = Path(out)
    if not path.is_dir():
        raise ParameterError("DIR", f"DIR '{out}' does not exist or is not a folder")
    try:
        metadata = read_metadata(path)
    except (OSError, ValueError):
        raise ParameterError("DIR", f"DIR '{out}': metadata.json is unreadable") from None
    if metadata is None or not (path / "runs").is_dir():
        raise ParameterError("DIR", f"DIR '{out}' is not a sweep folder (no metadata.json and runs/); "
                             "make one with `trustcascade sweep FILE --out DIR`")
    frame = load(path)
    if frame.empty:
        raise ParameterError("DIR", f"DIR '{out}' holds no finished run yet; run or resume the sweep first")
    metrics = [m for m in metadata.get("metrics", []) if m in frame.columns]
    for name, (left, right) in DERIVED.items():
        if left in metrics and right in metrics:
            frame[name] = frame[left] * frame[right]
            metrics.append(name)
    design_file = path / "design.parquet"
    design = pd.read_parquet(design_file) if design_file.is_file() else None
    factors = [f for f in metadata.get("factors", []) if f in frame.columns]
    return Sweep(path, frame, metadata, factors, metrics, design)


def choose(sweep: Sweep, step: int | None = None, metrics: list | None = None) -> tuple[int, list]:
    """The step (default: the final one) and metrics to analyse, refused by name if not recorded."""
    if step is None:
        step = sweep.final_step if sweep.final_step in sweep.steps else sweep.steps[-1]
    elif step not in sweep.steps:
        shown = _ranges(sweep.steps)
        raise ParameterError("--step", f"--step {step} was not recorded in this sweep; recorded steps: {shown}")
    chosen = list(metrics) if metrics else list(sweep.metrics)
    for metric in chosen:
        if metric not in sweep.metrics:
            raise ParameterError("--metrics", f"--metrics: '{metric}' is not in this sweep; choose from "
                                 + ", ".join(sweep.metrics))
    return step, chosen


def t_interval(count, mean, sd):
    """Half-width of the two-sided t confidence interval of a mean (NaN for fewer than 2 values)."""
    from scipy import stats

    count = np.asarray(count, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = stats.t.ppf(0.5 + CONFIDENCE / 2, count - 1)
        return np.where(count > 1, quantile * np.asarray(sd, float) / np.sqrt(count), np.nan)


def summary(sweep: Sweep, step: int | None = None, metrics: list | None = None, by_step: bool = False):
    """Mean and 95% t interval per design point and metric: one row each (long format).

    Columns: point_id, the factors, metric, step, n, mean, sd, ci_low, ci_high. With
    ``by_step`` every recorded step is summarised (for time series), not just ``step``.
    """
    import pandas as pd

    step, metrics = choose(sweep, step, metrics)
    rows = sweep.frame if by_step else sweep.frame[sweep.frame["step"] == step]
    keys = ["point_id", "step"]
    long = rows.melt(id_vars=keys, value_vars=metrics, var_name="metric")
    grouped = long.groupby(keys + ["metric"], sort=True)["value"]
    table = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    half = t_interval(table["n"], table["mean"], table["sd"])
    table["ci_low"], table["ci_high"] = table["mean"] - half, table["mean"] + half
    points = rows.drop_duplicates("point_id").set_index("point_id")[sweep.factors]
    table = table.join(points, on="point_id")
    table["metric"] = pd.Categorical(table["metric"], categories=metrics, ordered=True)
    table = table.sort_values(["metric", "point_id", "step"]).reset_index(drop=True)
    table["metric"] = table["metric"].astype(str)
    return table[["point_id", *sweep.factors, "metric", "step", "n", "mean", "sd", "ci_low", "ci_high"]]


def paired_factors(sweep: Sweep) -> list[str]:
    """Factors of a grid design with exactly two levels: each gives a paired comparison."""
    if sweep.metadata.get("design") != "grid":
        return []
    return [f for f in sweep.factors if sweep.frame[f].nunique() == 2]


def paired_differences(sweep: Sweep, step: int | None = None, metrics: list | None = None,
                       by_step: bool = False):
    """Second level minus first level of every two-level factor, replicate by replicate.

    The levels are taken in the order of the experiment file. Each difference pairs the two
    design points that differ only in that factor, run with the same seed; the interval is the
    t interval of the mean difference over the pairs, ``p_value`` the paired t test of "no
    difference". Returns an empty table unless the design is a grid run with common seeds.
    """
    import pandas as pd
    from scipy import stats

    step, metrics = choose(sweep, step, metrics)
    factors = paired_factors(sweep) if sweep.metadata.get("common_seeds", True) else []
    rows = sweep.frame if by_step else sweep.frame[sweep.frame["step"] == step]
    tables = []
    for factor in factors:
        first, second = levels(sweep, factor)[:2]
        others = [f for f in sweep.factors if f != factor]
        keys = [*others, "replicate", "step"]
        low = rows[rows[factor] == first].set_index(keys)
        high = rows[rows[factor] == second].set_index(keys)
        joined = low[["seed", *metrics]].merge(high[["seed", *metrics]], left_index=True, right_index=True,
                                               suffixes=("_a", "_b"))
        if not (joined["seed_a"] == joined["seed_b"]).all():
            continue  # not paired: the file gave the points different seeds
        for metric in metrics:
            difference = (joined[f"{metric}_b"] - joined[f"{metric}_a"]).rename("difference").reset_index()
            grouped = difference.groupby([*others, "step"], sort=True)["difference"]
            table = grouped.agg(n="count", mean="mean", sd="std").reset_index()
            half = t_interval(table["n"], table["mean"], table["sd"])
            with np.errstate(invalid="ignore", divide="ignore"):
                t_value = table["mean"] / (table["sd"] / np.sqrt(table["n"]))
                p_value = 2 * stats.t.sf(np.abs(t_value), table["n"] - 1)
            table = table.assign(factor=factor, contrast=f"{_short(second)} - {_short(first)}", metric=metric,
                                 ci_low=table["mean"] - half, ci_high=table["mean"] + half,
                                 p_value=np.where(table["sd"] > 0, p_value, np.nan))
            tables.append(table)
    columns = ["factor", "contrast", *[f for f in sweep.factors], "metric", "step", "n", "mean", "sd",
               "ci_low", "ci_high", "p_value"]
    if not tables:
        return pd.DataFrame(columns=columns)
    return pd.concat(tables, ignore_index=True).reindex(columns=columns)


def sensitivity(sweep: Sweep, step: int | None = None, metrics: list | None = None):
    """Sobol' (S1, ST and their 95% intervals) or Morris (mu*, its interval, sigma) indices per
    metric and factor, from the replicate mean of each design point at ``step``.

    Returns ``(table, notes)``; the table is empty for grid/lhs designs, and a metric is left out
    (with a note) when it is constant over the design. SALib needs every design point: an
    unfinished sweep gives a note instead of indices.
    """
    import pandas as pd

    step, metrics = choose(sweep, step, metrics)
    design = sweep.metadata.get("design")
    problem = sweep.metadata.get("problem")
    if design not in ("sobol", "morris") or not problem:
        return pd.DataFrame(), []
    rows = sweep.frame[sweep.frame["step"] == step]
    means = rows.groupby("point_id")[metrics].mean()
    points = int(sweep.metadata.get("points", len(means)))
    if len(means) < points:
        return pd.DataFrame(), [f"sensitivity indices need every design point; {points - len(means)} of "
                                f"{points} have no finished run at step {step} (resume the sweep)"]
    means = means.reindex(range(points))
    tables, notes = [], []
    for metric in metrics:
        outcome = means[metric].to_numpy(float)
        if np.nanstd(outcome) == 0:
            notes.append(f"{metric}: constant over the design ({outcome[0]:g}); no indices")
            continue
        tables.append(_indices(sweep, design, problem, outcome).assign(metric=metric))
    if not tables:
        return pd.DataFrame(), notes
    table = pd.concat(tables, ignore_index=True)
    return table[["metric", *[c for c in table.columns if c != "metric"]]], notes


def _indices(sweep: Sweep, design: str, problem: dict, outcome: np.ndarray):
    import pandas as pd

    problem = {**problem, "bounds": [list(b) for b in problem["bounds"]]}
    options = sweep.metadata.get("design_options") or {}
    if design == "sobol":
        from SALib.analyze import sobol

        found = sobol.analyze(problem, outcome, calc_second_order=bool(options.get("second_order", False)),
                              conf_level=CONFIDENCE, seed=SENSITIVITY_SEED)
        return pd.DataFrame({"factor": problem["names"], "S1": found["S1"], "S1_conf": found["S1_conf"],
                             "ST": found["ST"], "ST_conf": found["ST_conf"]})
    from SALib.analyze import morris

    sample = sweep.design[[f"sample_{name}" for name in problem["names"]]].to_numpy(float)
    found = morris.analyze(problem, sample, outcome, conf_level=CONFIDENCE,
                           num_levels=int(options.get("levels", 4)), seed=SENSITIVITY_SEED)
    return pd.DataFrame({"factor": problem["names"], "mu_star": found["mu_star"],
                         "mu_star_conf": found["mu_star_conf"], "sigma": found["sigma"], "mu": found["mu"]})


def levels(sweep: Sweep, factor: str) -> list:
    """The values ``factor`` takes, in the order of the experiment file (the design's order)."""
    source = sweep.design if sweep.design is not None and factor in sweep.design else sweep.frame
    return list(dict.fromkeys(source[factor].tolist()))


def _short(value) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    return str(value)


def _ranges(steps: list[int]) -> str:
    if len(steps) <= 6:
        return ", ".join(map(str, steps))
    return f"{', '.join(map(str, steps[:3]))}, ..., {', '.join(map(str, steps[-2:]))}"


def write_tables(folder: Path, tables: dict) -> list[Path]:
    """Write each non-empty DataFrame as ``folder/<name>.csv`` (atomically); return the paths."""
    from .storage import write_atomically

    written = []
    for name, table in tables.items():
        if table is None or table.empty:
            continue
        target = folder / f"{name}.csv"
        write_atomically(target, lambda path, table=table: table.to_csv(path, index=False, float_format="%.6g"))
        written.append(target)
    return written


def describe(sweep: Sweep) -> str:
    """One line: name, design, runs finished of planned, replicates, steps."""
    meta = sweep.metadata
    runs = sweep.frame["run_id"].nunique()
    return (f"{meta.get('name')}: design {meta.get('design')}, {meta.get('points')} points x "
            f"{meta.get('replicates')} replicates; {runs} of {meta.get('runs')} runs finished; "
            f"steps {_ranges(sweep.steps)}; common seeds: {json.dumps(meta.get('common_seeds', True))}")
