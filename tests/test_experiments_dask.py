"""A real Dask LocalCluster on 127.0.0.1 runs a sweep through the same runner: same data as locally."""

from __future__ import annotations

import pandas as pd
import pytest
from experiment_helpers import in_process, write_experiment

from trustcascade.cli.main import main
from trustcascade.experiments import load, read_experiment
from trustcascade.experiments.runner import sweep as run_sweep

distributed = pytest.importorskip("distributed")


def test_dask_local_cluster_gives_the_same_data_as_the_local_pool(tmp_path):
    path = write_experiment(tmp_path)
    experiment = read_experiment(path)
    with in_process() as executor:
        run_sweep(experiment, tmp_path / "local", executor, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert main(["sweep", str(path), "--out", str(tmp_path / "dask"), "--scheduler",
                     cluster.scheduler_address, "--quiet"]) == 0
    on_dask, local = load(tmp_path / "dask"), load(tmp_path / "local")
    assert on_dask.attrs["metadata"]["sessions"][0]["executor"].startswith("dask cluster at tcp://127.0.0.1:")
    on_dask.attrs, local.attrs = {}, {}
    pd.testing.assert_frame_equal(on_dask, local)
