"""Determinism: the same seed gives the same data however the runs are executed.

Covered here: two repeats, shuffled run order (in one process and on a 2-process pool), and
``trustcascade run`` in separate processes with different ``PYTHONHASHSEED`` values. Covered
elsewhere on the same tiny experiment: 1 vs 2 workers (``test_experiments_runner.py``), the local
pool vs a Dask LocalCluster on 127.0.0.1 (``test_experiments_dask.py``), a Dask worker killed
mid-sweep (``test_reliability_faults.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import Executor

import pandas as pd
import pytest
from experiment_helpers import in_process, write_experiment
from test_experiments_runner import data

from trustcascade.experiments import load, read_experiment
from trustcascade.experiments.executors import local_pool
from trustcascade.experiments.runner import plan
from trustcascade.experiments.runner import sweep as run_sweep


class Recording(Executor):
    """Passes tasks on to ``inner`` and notes the order runs were handed out in."""

    def __init__(self, inner: Executor):
        self.inner, self.order = inner, []

    def submit(self, function, *args, **kwargs):
        self.order.append(args[1].run_id)  # perform(factory, task)
        return self.inner.submit(function, *args, **kwargs)


@pytest.fixture(scope="module")
def experiment(tmp_path_factory):
    folder = tmp_path_factory.mktemp("determinism")
    return read_experiment(write_experiment(folder, {"replicates = 2": "replicates = 3"}))


def test_two_repeats_give_identical_data(experiment, tmp_path):
    for repeat in ("first", "second"):
        with in_process() as executor:
            assert run_sweep(experiment, tmp_path / repeat, executor, progress=False).complete
    pd.testing.assert_frame_equal(data(tmp_path / "first"), data(tmp_path / "second"))


def test_shuffled_run_order_gives_identical_data(experiment, tmp_path):
    planned = [task.run_id for task in plan(experiment)]
    with in_process() as executor:
        in_order = Recording(executor)
        run_sweep(experiment, tmp_path / "planned", in_order, progress=False)
        shuffled = Recording(executor)
        run_sweep(experiment, tmp_path / "shuffled", shuffled, progress=False, shuffle=7)
    assert in_order.order == planned
    assert sorted(shuffled.order) == sorted(planned) and shuffled.order != planned
    expected = data(tmp_path / "planned")
    pd.testing.assert_frame_equal(data(tmp_path / "shuffled"), expected)
    with local_pool(2) as (pool, _, _):  # shuffled and run two at a time, finishing in any order
        pooled = Recording(pool)
        run_sweep(experiment, tmp_path / "pool", pooled, window=4, progress=False, shuffle=8)
    assert pooled.order not in (planned, shuffled.order)
    pd.testing.assert_frame_equal(data(tmp_path / "pool"), expected)


def test_same_seed_same_run_files_across_processes_and_hash_seeds(tmp_path):
    """``PYTHONHASHSEED`` changes set and dict-of-str iteration order in each process: no output
    may depend on it (no global random, no hash order)."""
    outputs = []
    for hash_seed in ("0", "4242", "random"):
        folder = tmp_path / f"hash-{hash_seed}"
        folder.mkdir()
        command = [sys.executable, "-m", "trustcascade.cli.main", "run", "--seed", "11", "--steps", "60",
                   "--set", "n_citizens=2000", "--set", "avoidance_probability=0.5",
                   "--at", "40:listing_duration=1", "--out", str(folder / "steps.csv"),
                   "--agents-out", str(folder / "agents.csv"), "--graph-out", str(folder / "ties.graphml"),
                   "--quiet"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300,
                                env={**os.environ, "PYTHONHASHSEED": hash_seed})
        assert result.returncode == 0, result.stderr
        meta = json.loads((folder / "steps.csv.meta.json").read_text())
        for varying in ("created", "git_commit"):  # the clock, and a tree others may be editing
            meta.pop(varying)
        outputs.append({"meta": meta, **{name: (folder / name).read_bytes()
                                         for name in ("steps.csv", "agents.csv", "ties.graphml")}})
    assert outputs[0]["steps.csv"].count(b"\n") == 61
    assert outputs[0] == outputs[1] == outputs[2]
