"""Figures of a sweep (matplotlib, Agg backend, no pyplot state): PNG and SVG side by side.

- ``vs_<factor>``: each metric against the factor with the most levels, one line per combination
  of the other factors, with 95% t intervals as error bars (grid designs);
- ``heatmap``: mean of each metric over two factors (grid designs with exactly two factors);
- ``paired_<factor>``: the paired difference (second level - first) with its interval, against
  the remaining factor; ``paired_<factor>_over_time`` the same at every recorded step;
- ``timeseries``: each design point's mean over the recorded steps with a 95% band;
- ``sensitivity``: Sobol' S1 and ST, or Morris mu* and sigma, per factor, with intervals;
- ``scatter``: replicate means against each factor (sampled designs).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from .analysis import Sweep, levels, paired_differences, summary

MAX_LINES = 8
MAX_TIMESERIES_POINTS = 12
STYLE = {"svg.hashsalt": "trustcascade", "svg.fonttype": "none", "axes.grid": True, "grid.alpha": 0.3,
         "axes.spines.top": False, "axes.spines.right": False, "font.size": 9}


def draw_all(sweep: Sweep, folder: Path, step: int, metrics: list, tables: dict) -> list[Path]:
    """Every figure that fits the sweep's design, written into ``folder``; returns the files."""
    import matplotlib

    matplotlib.use("Agg")
    written: list[Path] = []
    levels = {f: _levels(sweep, f) for f in sweep.factors}
    grid = sweep.metadata.get("design") == "grid"
    with matplotlib.rc_context(STYLE):
        if grid and sweep.factors:
            x = max(sweep.factors, key=lambda f: (_numeric(levels[f]), len(levels[f])))
            figure = _against(tables["summary"], x, [f for f in sweep.factors if f != x], metrics, levels,
                              f"at step {step}; mean and 95% CI over replicates")
            written += _save(figure, folder, f"vs_{x}")
            if len(sweep.factors) == 2 and all(len(v) >= 3 for v in levels.values()):
                written += _save(_heatmap(tables["summary"], sweep.factors, metrics, levels, step), folder, "heatmap")
        paired = tables.get("paired")
        for factor in ([] if paired is None or paired.empty else paired["factor"].unique()):
            rows = paired[paired["factor"] == factor]
            others = [f for f in sweep.factors if f != factor]
            x = max(others, key=lambda f: (_numeric(levels[f]), len(levels[f]))) if others else None
            contrast = rows["contrast"].iloc[0]
            figure = _against(rows, x, [f for f in others if f != x], metrics, levels,
                              f"paired difference {factor}: {contrast}, at step {step}", zero=True)
            written += _save(figure, folder, f"paired_{factor}")
        if len(sweep.steps) > 2:
            written += _over_time(sweep, folder, step, metrics)
        if tables.get("sensitivity") is not None and not tables["sensitivity"].empty:
            written += _save(_sensitivity(tables["sensitivity"], sweep.metadata["design"], step), folder,
                             "sensitivity")
        if not grid and sweep.factors:
            written += _save(_scatter(tables["summary"], sweep.factors, metrics, levels, step), folder, "scatter")
    return written


def _over_time(sweep: Sweep, folder: Path, step: int, metrics: list) -> list[Path]:
    """Time series of the design points' means and of the paired differences, each drawn when
    it has at most MAX_TIMESERIES_POINTS lines."""
    written = []
    if sweep.frame["point_id"].nunique() <= MAX_TIMESERIES_POINTS:
        over_time = summary(sweep, step, metrics, by_step=True)
        written += _save(_timeseries(sweep, over_time, metrics), folder, "timeseries")
    differences = paired_differences(sweep, step, metrics, by_step=True)
    for factor in differences["factor"].unique() if not differences.empty else []:
        rows = differences[differences["factor"] == factor]
        others = [f for f in sweep.factors if f != factor]
        if len(rows[others].drop_duplicates()) <= MAX_TIMESERIES_POINTS:
            figure = _timeseries(sweep, rows, metrics, zero=True, keys=others,
                                 title=f"paired difference {factor}: {rows['contrast'].iloc[0]}")
            written += _save(figure, folder, f"paired_{factor}_over_time")
    return written


def _panels(count: int, title: str, columns: int = 3, width: float = 4.2, height: float = 3.2):
    from matplotlib.figure import Figure

    columns = max(1, min(count, columns))
    rows = math.ceil(count / columns)
    figure = Figure(figsize=(width * columns, height * rows + 0.5), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for unused in axes[count:]:
        unused.set_visible(False)
    figure.suptitle(title, fontsize=10)
    return figure, axes[:count]


def _against(table, x, groups: list, metrics: list, levels: dict, title: str, zero: bool = False):
    """Mean +/- CI of each metric against factor ``x`` (or one bar per group when x is None)."""
    figure, axes = _panels(len(metrics), title)
    combos = table[groups].drop_duplicates().to_dict("records") if groups else [{}]
    for axis, metric in zip(axes, metrics):
        rows = table[table["metric"] == metric]
        for index, combo in enumerate(combos[:MAX_LINES]):
            line = rows
            for name, value in combo.items():
                line = line[line[name] == value]
            if x is None:
                position, ticks = [index], None
            else:
                line = line.sort_values(x, key=lambda s: s.map(levels[x].index))
                position, ticks = _positions(line[x], levels[x])
            error = [line["mean"] - line["ci_low"], line["ci_high"] - line["mean"]]
            axis.errorbar(position, line["mean"], yerr=error, marker="o", markersize=4, capsize=3,
                          label=_legend(combo) or None)
            if ticks is not None:
                axis.set_xticks(range(len(ticks)), ticks)
        if x is None:
            axis.set_xticks(range(len(combos[:MAX_LINES])), [_legend(c) or "all" for c in combos[:MAX_LINES]])
        if zero:
            axis.axhline(0.0, color="black", linewidth=0.8)
        axis.set_title(metric)
        axis.set_xlabel(x or "")
        if len(combos) > 1 and x is not None:
            axis.legend(fontsize=7)
    return figure


def _heatmap(table, factors: list, metrics: list, levels: dict, step: int):
    figure, axes = _panels(len(metrics), f"mean over replicates at step {step}", width=4.6, height=3.6)
    row_factor, column_factor = factors
    for axis, metric in zip(axes, metrics):
        grid = table[table["metric"] == metric].pivot_table(index=row_factor, columns=column_factor,
                                                            values="mean", sort=False)
        grid = grid.reindex(index=levels[row_factor], columns=levels[column_factor])
        image = axis.imshow(grid.to_numpy(float), origin="lower", aspect="auto", cmap="viridis")
        axis.set_xticks(range(grid.shape[1]), [_tick(v) for v in grid.columns], rotation=45)
        axis.set_yticks(range(grid.shape[0]), [_tick(v) for v in grid.index])
        axis.set_xlabel(column_factor)
        axis.set_ylabel(row_factor)
        axis.set_title(metric)
        axis.grid(False)
        figure.colorbar(image, ax=axis, shrink=0.9)
    return figure


def _timeseries(sweep: Sweep, table, metrics: list, zero: bool = False, keys: list | None = None,
                title: str = "mean over replicates with 95% band"):
    """One line per design point (or per combination of ``keys``) over the recorded steps."""
    keys = sweep.factors if keys is None else keys
    figure, axes = _panels(len(metrics), title)
    combos = table[keys].drop_duplicates().to_dict("records") if keys else [{}]
    for axis, metric in zip(axes, metrics):
        rows = table[table["metric"] == metric]
        for combo in combos[:MAX_TIMESERIES_POINTS]:
            line = rows
            for name, value in combo.items():
                line = line[line[name] == value]
            line = line.sort_values("step")
            drawn = axis.plot(line["step"], line["mean"], linewidth=1.2, label=_legend(combo) or None)
            axis.fill_between(line["step"], line["ci_low"], line["ci_high"], alpha=0.2, linewidth=0,
                              color=drawn[0].get_color())
        if zero:
            axis.axhline(0.0, color="black", linewidth=0.8)
        axis.set_title(metric)
        axis.set_xlabel("step (month)")
        if len(combos) > 1:
            axis.legend(fontsize=7)
    return figure


def _sensitivity(table, design: str, step: int):
    metrics = list(dict.fromkeys(table["metric"]))
    kinds = (("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total ST")) if design == "sobol" else \
        (("mu_star", "mu_star_conf", "mu*"), ("sigma", None, "sigma"))
    title = (f"Sobol' indices at step {step} (95% bootstrap intervals)" if design == "sobol"
             else f"Morris elementary effects at step {step} (mu* with 95% interval)")
    figure, axes = _panels(len(metrics), title)
    for axis, metric in zip(axes, metrics):
        rows = table[table["metric"] == metric]
        positions = range(len(rows))
        for offset, (column, conf, label) in zip((-0.2, 0.2), kinds):
            axis.bar([p + offset for p in positions], rows[column], width=0.4, label=label,
                     yerr=rows[conf] if conf else None, capsize=3)
        axis.set_xticks(list(positions), [_wrap(f) for f in rows["factor"]], fontsize=8)
        axis.set_title(metric)
        axis.legend(fontsize=7)
    return figure


def _scatter(table, factors: list, metrics: list, levels: dict, step: int):
    shown_factors, shown_metrics = factors[:6], metrics[:4]
    figure, axes = _panels(len(shown_factors) * len(shown_metrics), f"design point means at step {step}",
                           columns=len(shown_factors), width=3.2, height=2.6)
    for index, axis in enumerate(axes):
        metric, factor = shown_metrics[index // len(shown_factors)], shown_factors[index % len(shown_factors)]
        rows = table[table["metric"] == metric]
        position, ticks = _positions(rows[factor], levels[factor])
        axis.scatter(position, rows["mean"], s=8, alpha=0.7)
        if ticks is not None:
            axis.set_xticks(range(len(ticks)), ticks)
        axis.set_xlabel(factor)
        axis.set_ylabel(metric)
    return figure


def _levels(sweep: Sweep, factor: str) -> list:
    """A factor's values for an axis: ascending numbers, or the file's order for names."""
    values = levels(sweep, factor)
    return sorted(values) if _numeric(values) else values


def _numeric(values: list) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _positions(column, levels: list):
    """x positions: the values themselves for numbers, else the level's index (and tick labels)."""
    if _numeric(levels):
        return column.to_numpy(float), None
    return [levels.index(v) for v in column], [str(v) for v in levels]


def _legend(combo: dict) -> str:
    return ", ".join(f"{name}={_tick(value)}" for name, value in combo.items())


def _tick(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _wrap(name: str) -> str:
    return name.replace("_", "_\n", 1) if len(name) > 14 else name


def _save(figure, folder: Path, name: str) -> list[Path]:
    """Write ``name.png`` and ``name.svg`` (atomically; no creation date, so reruns are identical)."""
    from .storage import write_atomically

    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
    written = []
    for kind, options in (("png", {"dpi": 110, "metadata": {"Software": None}}), ("svg", {"metadata": {"Date": None}})):
        target = folder / f"{stem}.{kind}"
        write_atomically(target, lambda path, kind=kind, options=options: figure.savefig(path, format=kind, **options))
        written.append(target)
    return written
