"""Figures of a calibration (matplotlib, Agg, PNG and SVG side by side, as the sweep figures):

- ``marginals``: each parameter's weighted posterior histogram over its prior range, with the
  weighted median and the 90% interval (q05..q95) marked;
- ``pairs``: every pair of parameters, particles as dots sized by weight (two or more parameters);
- ``predictive``: per target column, the posterior-predictive median and 90% band over the steps
  with the observed targets as points.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from .figures import STYLE, _panels, _save


def draw_calibration(calibration, posterior, summary, predictive, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    folder.mkdir(exist_ok=True)
    written: list[Path] = []
    with matplotlib.rc_context(STYLE):
        written += _save(_marginals(calibration, posterior, summary), folder, "marginals")
        numeric = [p.name for p in calibration.priors if not p.categorical or _all_numbers(p.values)]
        if len(numeric) >= 2:
            written += _save(_pairs(posterior, numeric), folder, "pairs")
        written += _save(_predictive(calibration, predictive), folder, "predictive")
    return written


def _all_numbers(values) -> bool:
    return all(isinstance(v, (int, float)) for v in values)


def _marginals(calibration, posterior, summary):
    figure, axes = _panels(len(calibration.priors), f"{calibration.name}: posterior (last population, "
                           f"{len(posterior)} particles)")
    weights = posterior["weight"].to_numpy(float)
    for axis, prior in zip(axes, calibration.priors):
        values = posterior[prior.name]
        if prior.categorical:
            labels = [str(v) for v in prior.values]
            shares = [weights[values == v].sum() for v in prior.values]
            axis.bar(labels, shares, color="C0")
        else:
            axis.hist(values.to_numpy(float), bins=20, range=(prior.low, prior.high), weights=weights,
                      color="C0", alpha=0.7)
            row = summary.set_index("parameter").loc[prior.name]
            axis.axvline(row["median"], color="C3", label="median")
            axis.axvspan(row["q05"], row["q95"], color="C3", alpha=0.12, label="90% interval")
            axis.set_xlim(prior.low, prior.high)
            axis.legend(fontsize=7)
        axis.set_xlabel(prior.name)
        axis.set_ylabel("posterior weight")
    return figure


def _pairs(posterior, names: list[str]):
    pairs = list(itertools.combinations(names, 2))
    figure, axes = _panels(len(pairs), "posterior: pairs of parameters (dot area = weight)")
    size = 400 * posterior["weight"].to_numpy(float) / posterior["weight"].max() + 2
    for axis, (x, y) in zip(axes, pairs):
        axis.scatter(posterior[x].astype(float), posterior[y].astype(float), s=size, alpha=0.5, color="C0")
        axis.set_xlabel(x)
        axis.set_ylabel(y)
    return figure


def _predictive(calibration, predictive):
    columns = list(dict.fromkeys(target.name for target in calibration.targets))
    figure, axes = _panels(len(columns), f"posterior predictive: median and 90% band of "
                           f"{predictive['draw'].nunique()} runs at posterior draws; targets as points")
    by_step = predictive.groupby("step")
    for axis, column in zip(axes, columns):
        steps = np.asarray(sorted(predictive["step"].unique()))
        low, mid, high = (by_step[column].quantile(q).to_numpy() for q in (0.05, 0.5, 0.95))
        axis.fill_between(steps, low, high, color="C0", alpha=0.25, label="90% band")
        axis.plot(steps, mid, color="C0", label="median")
        for target in calibration.targets:
            if target.name == column:
                axis.scatter(target.steps, target.values, color="C3", zorder=3, label="target")
        axis.set_xlabel("step")
        axis.set_ylabel(column)
        axis.legend(fontsize=7)
    return figure
