"""Faults: SIGKILL at random moments, a Dask worker killed mid-sweep, a full or read-only disk.

Each fault must leave the data equal to an uninterrupted run's (no run lost or duplicated), or
stop with one clear line and no corrupt file. Real processes, real signals, a real tmpfs (when
run as root; else RLIMIT_FSIZE makes writes fail), a real Dask LocalCluster on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from experiment_helpers import in_process, write_experiment
from test_experiments_runner import data

from trustcascade.experiments import load, read_experiment, sweep
from trustcascade.experiments.runner import plan
from trustcascade.experiments.runner import sweep as run_sweep

SWEEP = [sys.executable, "-m", "trustcascade.cli.main", "sweep"]
RUN = [sys.executable, "-m", "trustcascade.cli.main", "run"]
# 128 runs of 3,000 citizens x 40 steps: about 12 s of work on 2 workers (a run takes about 0.2 s).
LONG = {"replicates = 2": "replicates = 32", "steps = 12": "steps = 40", "n_citizens = 300": "n_citizens = 3000",
        '"8" =': '"15" ='}


def uninterrupted(experiment, out: Path) -> pd.DataFrame:
    with in_process() as executor:
        summary = run_sweep(experiment, out, executor, progress=False)
    assert summary.complete
    return data(out)


def runs_on_disk(out: Path) -> int:
    return len(list((out / "runs").glob("p*.parquet"))) if (out / "runs").is_dir() else 0


def assert_whole(out: Path, killed: bool = False) -> None:
    """Every run file reads back, metadata.json parses, and no temporary file is left (unless the
    sweep was killed: then its temporary ``.*.part`` files remain until it resumes)."""
    assert killed or not [p for p in out.rglob("*") if p.name.endswith(".part")]
    for run in (out / "runs").glob("*.parquet"):
        pq.read_table(run)
    json.loads((out / "metadata.json").read_text())


@contextlib.contextmanager
def small_disk(folder: Path, size: str, read_only: bool = False):
    """A tmpfs of ``size`` mounted at ``folder`` (root only); yields None if mounting is not allowed."""
    folder.mkdir()
    options = f"size={size}" + (",ro" if read_only else "")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                             capture_output=True).returncode == 0
    try:
        yield folder if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def file_size_limit(limit: int):
    """preexec_fn for a child whose writes past ``limit`` bytes fail with EFBIG (no mount needed;
    Python ignores SIGXFSZ, so the write raises OSError)."""
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_full_disk_stops_the_sweep_with_one_line_and_resume_completes_it(tmp_path):
    path = write_experiment(tmp_path)
    expected = uninterrupted(read_experiment(path), tmp_path / "reference")
    with small_disk(tmp_path / "disk", "96k") as disk:
        if disk is None:  # not root: each file may hold 8 KB at most, so the first run file fails
            out, limit = tmp_path / "limited", file_size_limit(8192)
        else:
            out, limit = disk / "out", None
        failed = subprocess.run([*SWEEP, str(path), "--out", str(out), "--workers", "1", "--quiet"],
                                capture_output=True, text=True, timeout=120, preexec_fn=limit)
        assert failed.returncode == 1, failed.stderr
        assert "Traceback" not in failed.stderr and failed.stderr.count("\n") == 1, failed.stderr
        assert failed.stderr.startswith(f"trustcascade sweep: error: cannot write to {out}: ")
        assert ("No space left on device" if disk else "File too large") in failed.stderr
        assert_whole(out)
        assert runs_on_disk(out) < 8
        if disk is not None:  # more room, same command: the sweep resumes to the full data
            subprocess.run(["mount", "-o", "remount,size=16m", str(disk)], check=True)
            resumed = subprocess.run([*SWEEP, str(path), "--out", str(out), "--workers", "1", "--quiet"],
                                     capture_output=True, text=True, timeout=120)
            assert resumed.returncode == 0, resumed.stderr
            pd.testing.assert_frame_equal(data(out), expected)


def test_full_disk_refuses_a_run_table_in_one_line_and_leaves_no_file(tmp_path):
    with small_disk(tmp_path / "disk", "16k") as disk:
        target = (disk or tmp_path) / "table.parquet"
        result = subprocess.run([*RUN, "--steps", "40", "--seed", "3", "--set", "n_citizens=300", "--out",
                                 str(target), "--quiet"], capture_output=True, text=True, timeout=120,
                                preexec_fn=None if disk else file_size_limit(4096))
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "--out: cannot write: " in result.stderr, result.stderr
        assert not list(target.parent.iterdir())  # no table, no temporary file


def test_read_only_output_is_refused_before_anything_runs(tmp_path):
    path = write_experiment(tmp_path)
    with small_disk(tmp_path / "disk", "1m", read_only=True) as disk:
        if disk is None:
            pytest.skip("mounting a read-only tmpfs needs root (and root ignores file permissions)")
        for command, flag in (([*SWEEP, str(path), "--out", str(disk / "out")], "--out"),
                              ([*RUN, "--steps", "2", "--out", str(disk / "t.csv")], "--out")):
            result = subprocess.run(command, capture_output=True, text=True, timeout=120)
            assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
            assert flag in result.stderr and "not writable" in result.stderr
        assert not list(disk.iterdir())


def test_a_dask_worker_killed_mid_sweep_changes_nothing(tmp_path):
    distributed = pytest.importorskip("distributed")
    path = write_experiment(tmp_path, {"replicates = 2": "replicates = 6", "n_citizens = 300": "n_citizens = 500"})
    experiment = read_experiment(path)
    out = tmp_path / "dask"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        outcome = {}

        def run():
            outcome["summary"] = run_sweep(experiment, out, client.get_executor(pure=False), window=4,
                                           progress=False)

        sweeping = threading.Thread(target=run)
        sweeping.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and runs_on_disk(out) < 3:
            time.sleep(0.02)
        victim = sorted(client.run(os.getpid).values())[0]
        os.kill(victim, signal.SIGKILL)
        finished_at_kill = runs_on_disk(out)
        sweeping.join(timeout=300)
        assert not sweeping.is_alive()
        assert victim not in client.run(os.getpid).values()  # the nanny started a new worker
    assert finished_at_kill < len(plan(experiment)), "the kill came after the sweep had finished"
    summary = outcome["summary"]
    assert summary.complete and summary.failed == 0
    pd.testing.assert_frame_equal(data(out), uninterrupted(experiment, tmp_path / "reference"))


@pytest.mark.slow  # about a minute: ./dev test -m slow (one SIGKILL + resume is in the default suite)
def test_five_sigkills_at_random_moments_then_resume_give_the_uninterrupted_data(tmp_path):
    path = write_experiment(tmp_path, LONG)
    experiment = read_experiment(path)
    out = tmp_path / "killed"
    command = [*SWEEP, str(path), "--out", str(out), "--workers", "2", "--quiet"]
    # Each kill lands a random time (0-1 s, seeded) after the restarted sweep wrote its first new run,
    # so process start-up (a few seconds, varying with load) cannot push the kills past the end.
    moments = np.random.default_rng(20261129).uniform(0.0, 1.0, size=5)
    finished = []
    for moment in moments:
        before = runs_on_disk(out)
        sweep_process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while runs_on_disk(out) == before and time.monotonic() < deadline and sweep_process.poll() is None:
            time.sleep(0.005)
        time.sleep(moment)
        os.killpg(sweep_process.pid, signal.SIGKILL)  # the sweep and its worker processes
        sweep_process.wait()
        finished.append(runs_on_disk(out))
        if (out / "metadata.json").exists():
            assert_whole(out, killed=True)
    total = len(plan(experiment))
    assert all(a < b for a, b in zip([0, *finished], finished)) and finished[-1] < total, finished
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert_whole(out)
    frame = data(out)
    assert not frame.duplicated(["run_id", "step"]).any()
    assert sorted(frame.run_id.unique()) == sorted(task.run_id for task in plan(experiment))
    sweep(experiment, tmp_path / "reference", workers=2, progress=False)
    pd.testing.assert_frame_equal(frame, data(tmp_path / "reference"))
    sessions = load(out).attrs["metadata"]["sessions"]
    assert sessions[-1]["status"] == "complete" and sessions[-1]["skipped"] == finished[-1]
    print(f"\nSIGKILL {np.round(moments, 2).tolist()} s after each restart's first new run: runs on disk "
          f"after each kill {finished} of {total}")
