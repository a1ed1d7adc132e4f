"""What a calibration writes besides pyabc's ``history.db``: the posterior, its summary, the
posterior-predictive runs, figures and ``metadata.json``.

``posterior.csv``   accepted particles of the last population: one column per parameter, ``weight``
``summary.csv``     ``parameter, mean, median, q05, q95``, weighted by the particles' weights
``predictive.csv``  per-step target columns of runs at particles resampled from the posterior
``figures/``        ``marginals``, ``pairs`` (two or more parameters) and ``predictive``, PNG and SVG
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .calibration import SocietySimulator, database
from .runner import derived_seed
from .storage import write_atomically

SUMMARY_COLUMNS = ("parameter", "mean", "median", "q05", "q95")
PREDICTIVE_DRAWS = 40
PREDICTIVE_STREAM = 0x9D1C


def posterior(calibration, out: Path):
    """The last population's particles as parameter values, with their normalised weights."""
    import pandas as pd
    from pyabc import History

    history = History(database(out), _id=1, create=False)
    sampled, weights = history.get_distribution(m=0, t=history.max_t)
    frame = pd.DataFrame([calibration.parameters(row) for row in sampled.to_dict("records")],
                         columns=calibration.parameter_names)
    frame["weight"] = np.asarray(weights, dtype=float) / float(np.sum(weights))
    return frame


def weighted_quantile(values: np.ndarray, weights: np.ndarray, level: float) -> float:
    """The smallest value whose cumulative weight reaches ``level`` (inverse of the weighted CDF)."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, level * cumulative[-1])])


def summary(frame):
    """``parameter, mean, median, q05, q95`` of each parameter, weighted. A list prior with
    values that are not numbers has no mean; its median is the value of the weighted median index."""
    import pandas as pd

    weights = frame["weight"].to_numpy(float)
    rows = []
    for name in frame.columns.drop("weight"):
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            values = column.to_numpy(float)
            rows.append((name, float(np.average(values, weights=weights)), weighted_quantile(values, weights, 0.5),
                         weighted_quantile(values, weights, 0.05), weighted_quantile(values, weights, 0.95)))
        else:
            shares = frame.groupby(name)["weight"].sum()
            rows.append((name, float("nan"), shares.idxmax(), float("nan"), float("nan")))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _predictive_run(calibration, sampled: dict, base: int) -> list:
    return SocietySimulator(calibration).tables(sampled, base)


def predictive(calibration, out: Path, executor):
    """Runs at ``PREDICTIVE_DRAWS`` particles resampled by weight (seeds derived from the file's
    seed): every step of each target column, one row per run and step."""
    import pandas as pd
    from pyabc import History

    history = History(database(out), _id=1, create=False)
    sampled, weights = history.get_distribution(m=0, t=history.max_t)
    weights = np.asarray(weights, float) / float(np.sum(weights))
    rng = np.random.default_rng(np.random.SeedSequence(calibration.seed, spawn_key=(PREDICTIVE_STREAM,)))
    rows = sampled.to_dict("records")
    picks = rng.choice(len(rows), size=PREDICTIVE_DRAWS, p=weights)
    futures = [executor.submit(_predictive_run, calibration, rows[pick],
                               derived_seed(calibration.seed, (PREDICTIVE_STREAM, draw)))
               for draw, pick in enumerate(picks)]
    columns = list(dict.fromkeys(target.name for target in calibration.targets))
    frames = []
    for draw, future in enumerate(futures):
        tables = future.result()
        mean = sum(table[columns].to_numpy(float) for table in tables) / len(tables)
        frame = pd.DataFrame(mean, columns=columns)
        frame.insert(0, "step", tables[0]["step"].to_numpy())
        frame.insert(0, "draw", draw)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def write_csv(frame, target: Path) -> None:
    write_atomically(target, lambda path: frame.to_csv(path, index=False))


def write_json(record: dict, target: Path) -> None:
    text = json.dumps(record, indent=2, default=str) + "\n"
    write_atomically(target, lambda path: path.write_text(text, encoding="utf-8"))


def populations_table(out: Path) -> list[dict]:
    """Per population: t, epsilon, runs made (``samples``) and the acceptance rate."""
    from pyabc import History

    history = History(database(out), _id=1, create=False)
    table = history.get_all_populations()
    return [{"t": int(row.t), "epsilon": float(row.epsilon), "runs": int(row.samples),
             "accepted": int(row.particles), "acceptance": float(row.particles / row.samples)}
            for row in table.itertuples() if row.t >= 0]
