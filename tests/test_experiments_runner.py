"""Sweeps for real: process pools, SIGKILL and resume, failing runs, tidy output, mesa.batch_run."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from experiment_helpers import in_process, write_experiment

from trustcascade.cli.main import main
from trustcascade.experiments import load, read_experiment, sweep
from trustcascade.experiments.runner import sweep as run_sweep
from trustcascade.model.model import TrustCascade
from trustcascade.model.params import SCHEMA

# 32 runs of 500 citizens x 20 steps: long enough (a few seconds) to be killed in the middle.
KILLABLE = {"replicates = 2": "replicates = 8", "steps = 12": "steps = 20", "n_citizens = 300": "n_citizens = 500",
            '"8" =': '"15" ='}


def data(out) -> pd.DataFrame:
    frame = load(out)
    frame.attrs = {}
    return frame


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tiny sweep run in this process, one run at a time: what every other way must reproduce."""
    folder = tmp_path_factory.mktemp("reference")
    experiment = read_experiment(write_experiment(folder))
    with in_process() as executor:
        summary = run_sweep(experiment, folder / "out", executor, progress=False)
    assert summary.complete and summary.finished == 8
    return experiment, folder / "out"


def test_runs_are_tidy_and_match_a_direct_model_run(reference):
    experiment, out = reference
    frame = load(out)
    # 4 points x 2 replicates, steps 5 and 10 (every = 5) and the final step 12.
    assert len(frame) == 8 * 3 and list(frame.step.unique()) == [5, 10, 12]
    assert list(frame.columns[:4]) == ["run_id", "point_id", "replicate", "seed"]
    assert set(SCHEMA.params) <= set(frame.columns)
    assert list(frame.columns[-4:]) == ["step", "listed_share", "collateral_share", "new_listings"]
    assert frame.attrs["metadata"]["status"] == "complete" and frame.attrs["failed"] == []
    assert frame.attrs["metadata"]["experiment_file"] == (out.parent / "tiny.toml").read_text()
    for key in ("trustcascade_version", "git_commit", "python", "mesa", "numpy", "host", "started", "ended"):
        assert frame.attrs["metadata"][key], key
    # Parameter columns hold the values the run started with (the schedule changes them at step 8).
    assert (frame.listing_duration == 24).all()
    run = frame[frame.run_id == "p00003-r001"]
    assert run.point_id.iloc[0] == 3 and run.sanction_scope.iloc[0] == "local"
    model = TrustCascade(rng=int(run.seed.iloc[0]), params={**experiment.base, **experiment.points[3]},
                         schedule=experiment.schedule, agents=False)
    direct = model.run(12).set_index("step").loc[[5, 10, 12], ["listed_share", "collateral_share", "new_listings"]]
    pd.testing.assert_frame_equal(run.set_index("step")[direct.columns], direct)
    design = pd.read_parquet(out / "design.parquet")
    assert list(design.point_id) == [0, 1, 2, 3] and list(design.sanction_scope) == ["joint", "joint", "local", "local"]


def test_one_and_two_workers_give_identical_data(reference, tmp_path):
    experiment, expected = reference
    for workers in (1, 2):
        summary = sweep(experiment, tmp_path / f"w{workers}", workers=workers, progress=False)
        assert summary.finished == 8 and summary.failed == 0
        pd.testing.assert_frame_equal(data(tmp_path / f"w{workers}"), data(expected))
    metadata = json.loads((tmp_path / "w2" / "metadata.json").read_text())
    assert metadata["sessions"][-1]["executor"] == "local process pool, 2 workers"


def test_rerun_skips_finished_runs_and_ignores_partial_files(reference, tmp_path):
    experiment, expected = reference
    out = tmp_path / "out"
    with in_process() as executor:
        run_sweep(experiment, out, executor, progress=False)
        finished = {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir()}
        # What a crash mid-write leaves: a half-written temporary file, and a run deleted by hand.
        (out / "runs" / ".p00000-r000.123.abcd.part").write_bytes(b"PAR1 half a file")
        (out / "runs" / "p00002-r000.parquet").unlink()
        summary = run_sweep(experiment, out, executor, progress=False)
    assert (summary.skipped, summary.finished) == (7, 1)
    assert not list((out / "runs").glob(".*.part"))
    unchanged = {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir() if p.name != "p00002-r000.parquet"}
    assert unchanged == {k: v for k, v in finished.items() if k != "p00002-r000.parquet"}
    pd.testing.assert_frame_equal(data(out), data(expected))
    assert [s["status"] for s in load(out).attrs["metadata"]["sessions"]] == ["complete", "complete"]


def test_a_different_experiment_is_refused_in_a_used_folder(reference, tmp_path, capsys):
    experiment, _ = reference
    with in_process() as executor:
        run_sweep(experiment, tmp_path / "out", executor, progress=False)
    before = sorted(p.name for p in (tmp_path / "out" / "runs").iterdir())
    other = write_experiment(tmp_path, {"seed = 5": "seed = 6"}, name="other.toml")
    assert main(["sweep", str(other), "--out", str(tmp_path / "out"), "--workers", "1"]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and "different experiment" in message
    assert sorted(p.name for p in (tmp_path / "out" / "runs").iterdir()) == before


def test_sweep_killed_with_sigkill_resumes_to_identical_data(tmp_path):
    path = write_experiment(tmp_path, KILLABLE)
    experiment = read_experiment(path)
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "trustcascade.cli.main", "sweep", str(path), "--out", str(out),
               "--workers", "1", "--quiet"]
    sweep_process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and sweep_process.poll() is None:
            if (out / "runs").is_dir() and len(list((out / "runs").glob("p*.parquet"))) >= 3:
                break
            time.sleep(0.01)
    finally:
        os.killpg(sweep_process.pid, signal.SIGKILL)  # the sweep and its worker processes
        sweep_process.wait()
    survivors = len(list((out / "runs").glob("p*.parquet")))
    assert 3 <= survivors < 32, f"kill came too late to test resume ({survivors} runs finished)"
    assert load(out).attrs["metadata"]["status"] == "running"  # it never got to close its session
    resumed = subprocess.run([*command[:-3], "--workers", "2", "--quiet"], capture_output=True, text=True,
                             timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    with in_process() as executor:
        summary = run_sweep(experiment, tmp_path / "uninterrupted", executor, progress=False)
    assert summary.finished == 32
    pd.testing.assert_frame_equal(data(out), data(tmp_path / "uninterrupted"))
    sessions = load(out).attrs["metadata"]["sessions"]
    assert len(sessions) == 2 and sessions[1]["skipped"] >= survivors and sessions[1]["status"] == "complete"


def test_a_failing_run_is_recorded_and_the_rest_complete(tmp_path, capsys):
    # A real failure at model construction, not a mock: the second graph file does not exist,
    # which the file check cannot know (the path may exist only on the machine that runs it).
    good = tmp_path / "ring.txt"
    good.write_text("".join(f"{i} {(i + 1) % 300}\n{i} {(i + 7) % 300}\n" for i in range(300)))
    path = write_experiment(tmp_path, {
        "n_companies = 5": f'n_companies = 5\nnetwork = "file"',
        '["joint", "local"]': f'["joint"]\ngraph_file = ["{good}", "{tmp_path / "gone.txt"}"]'})
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "2"]) == 1
    report = capsys.readouterr().out
    assert "4 finished now" in report and "4 failed" in report
    failures = {p.stem: json.loads(p.read_text()) for p in (out / "failed").glob("*.json")}
    assert sorted(failures) == ["p00002-r000", "p00002-r001", "p00003-r000", "p00003-r001"]
    record = failures["p00002-r000"]
    assert "GraphFileError" in record["error"] and "file not found" in record["error"]
    assert "Traceback" in record["traceback"] and record["params"]["graph_file"].endswith("gone.txt")
    frame = load(out)
    assert sorted(frame.run_id.unique()) == ["p00000-r000", "p00000-r001", "p00001-r000", "p00001-r001"]
    assert len(frame.attrs["failed"]) == 4 and frame.attrs["metadata"]["status"] == "finished with failures"
    assert (frame.n_citizens == 300).all()


def test_mesa_batch_run_runs_the_model():
    from mesa.batchrunner import batch_run

    start_method = multiprocessing.get_start_method(allow_none=True)
    try:
        rows = batch_run(TrustCascade, parameters={"n_citizens": 300, "n_companies": 5,
                                                   "sanction_scope": ["joint", "local"]},
                         rng=[3, 4], max_steps=6, number_processes=1, data_collection_period=1,
                         display_progress=False)
    finally:  # batch_run forces 'spawn' on the whole process
        multiprocessing.set_start_method(start_method, force=True)
    frame = pd.DataFrame(rows)
    assert len(frame) == 2 * 2 * 6
    run = frame[(frame.rng == 4) & (frame.sanction_scope == "local")].sort_values("Step")
    direct = TrustCascade(rng=4, n_citizens=300, n_companies=5, sanction_scope="local", agents=False).run(6)
    assert list(run.listed_share) == list(direct.listed_share)
    assert list(run.new_listings) == list(direct.new_listings)


def test_a_folder_in_use_by_a_running_sweep_is_refused(tmp_path, capsys):
    from trustcascade.experiments.storage import SweepFolder

    path = write_experiment(tmp_path)
    running = SweepFolder(tmp_path / "out")  # holds the folder's lock, as a running sweep does
    try:
        assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--workers", "1"]) == 2
        assert "in use by another running sweep" in capsys.readouterr().err
    finally:
        running.close()
    assert not list((tmp_path / "out" / "runs").iterdir())
