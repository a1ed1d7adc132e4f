"""``trustcascade calibrate``: files refused in one line; the same posterior with 1 or 2 workers,
after a resume and on a Dask cluster. (Recovery of known parameters: test_calibrate_recovery.py.)"""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
from experiment_helpers import SMALL_CALIBRATION as SMALL
from experiment_helpers import write_calibration

from trustcascade.cli.main import main

pytest.importorskip("pyabc")

BAD_FILES = {
    "missing [priors]": ({"[priors]\n": "[prior]\n"}, "prior"),
    "unknown prior parameter": ({"surveillance_coverage = {": "surveilance_coverage = {"},
                                "priors.surveilance_coverage"),
    "prior bound out of range": ({"max = 0.9": "max = 1.9"}, "priors.surveillance_coverage.max"),
    "prior min above max": ({"min = 0.1, max = 0.9": "min = 0.9, max = 0.1"}, "priors.surveillance_coverage"),
    "prior also fixed": ({"forgiveness_rate = 0.02": "forgiveness_rate = 0.02\nlisting_duration = 3"},
                         "priors.listing_duration"),
    "unknown target column": ({"mean_score = {": "mean_scores = {"}, "targets.mean_scores"),
    "target step beyond the run": ({"steps = [5, 10]": "steps = [5, 11]"}, "targets.mean_score.steps"),
    "target values not one per step": ({"values = [998.5, 996.0]": "values = [998.5]"},
                                       "targets.mean_score.values"),
    "target flag not a boolean": ({"values = [998.5, 996.0] }": "values = [998.5, 996.0], cumulative = 1 }"},
                                  "targets.mean_score.cumulative"),
    "unknown method key": ({"replicates = 2": "replicate = 2"}, "method.replicate"),
    "too few particles": ({"particles = 10": "particles = 3"}, "method.particles"),
    "unknown preset": ({"seed = 4": 'seed = 4\npreset = "utopia"'}, "calibration.preset"),
    "steps missing": ({"steps = 10\n": ""}, "calibration.steps"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_is_refused_in_one_line_naming_the_field(case, tmp_path, capsys):
    subs, field = BAD_FILES[case]
    path = write_calibration(tmp_path, subs)
    out = tmp_path / "posterior"
    assert main(["calibrate", str(path), "--out", str(out), "--workers", "1"]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and field in message and "Traceback" not in message, message
    assert not out.exists()


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """SMALL calibrated on 2 local workers: the posterior the other runs must reproduce."""
    folder = tmp_path_factory.mktemp("two")
    path = write_calibration(folder)
    assert main(["calibrate", str(path), "--out", str(folder / "out"), "--workers", "2", "--quiet"]) == 0
    return path, pd.read_csv(folder / "out" / "posterior.csv")


def test_one_worker_interrupted_then_resumed_gives_the_same_posterior(two_workers, tmp_path, capsys):
    from trustcascade.experiments.calibrate import calibrate
    from trustcascade.experiments.calibration_file import read_calibration
    from trustcascade.experiments.executors import local_pool

    path, expected = two_workers
    out = tmp_path / "resumed"
    first_only = dataclasses.replace(read_calibration(path), populations=1)  # same file, stopped early
    with local_pool(1) as (executor, slots, label):
        calibrate(first_only, out, executor, slots, label, progress=False)
    assert main(["calibrate", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(["calibrate", str(path), "--out", str(out), "--workers", "1", "--resume", "--quiet"]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out / "posterior.csv"), expected)
    assert set(expected.columns) == {"surveillance_coverage", "listing_duration", "weight"}
    assert expected["listing_duration"].between(6, 30).all()
    assert (expected["listing_duration"] == expected["listing_duration"].round()).all()
    assert (out / "figures" / "pairs.png").is_file() and (out / "figures" / "pairs.svg").is_file()
    sessions = json.loads((out / "metadata.json").read_text())["sessions"]
    assert [s["populations_before"] for s in sessions] == [0, 1]

    changed = write_calibration(tmp_path, {"seed = 4": "seed = 5"}, name="small.toml")
    before = (out / "posterior.csv").read_bytes()
    assert main(["calibrate", str(changed), "--out", str(out), "--resume", "--quiet"]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and "--resume" in message and "changed" in message
    assert (out / "posterior.csv").read_bytes() == before


def test_a_dask_cluster_gives_the_same_posterior(two_workers, tmp_path):
    distributed = pytest.importorskip("distributed")
    path, expected = two_workers
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert main(["calibrate", str(path), "--out", str(tmp_path / "dask"), "--scheduler",
                     cluster.scheduler_address, "--quiet"]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "dask" / "posterior.csv"), expected)
    metadata = json.loads((tmp_path / "dask" / "metadata.json").read_text())
    assert metadata["sessions"][0]["executor"].startswith("dask cluster at tcp://127.0.0.1:")


def test_unusable_folders_are_refused_before_anything_runs(tmp_path, capsys):
    path = write_calibration(tmp_path)
    stranger = tmp_path / "thesis"
    stranger.mkdir()
    (stranger / "thesis.tex").write_text("draft")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("notes")
    for flags, field in ((["--out", str(a_file)], "--out"), (["--out", str(stranger)], "thesis.tex"),
                         (["--out", str(tmp_path / "none"), "--resume"], "--resume"),
                         (["--out", str(tmp_path / "x"), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
                          "--workers")):
        assert main(["calibrate", str(path), *flags, "--quiet"]) == 2
        message = capsys.readouterr().err
        assert message.count("\n") == 1 and field in message, message
    assert sorted(p.name for p in stranger.iterdir()) == ["thesis.tex"] and not (tmp_path / "none").exists()


def test_cumulative_per_capita_targets_compare_running_totals_per_citizen(tmp_path):
    """Published figures are national totals to date: ``cumulative`` sums the column over the
    steps so far and ``per_capita`` divides by n_citizens, in what is compared and what is drawn."""
    from trustcascade.experiments.calibration import SocietySimulator, statistics
    from trustcascade.experiments.calibration_file import read_calibration

    text = SMALL.replace('mean_score = { steps = [5, 10], values = [998.5, 996.0] }',
                         'mean_score = { steps = [5, 10], values = [998.5, 996.0] }\n'
                         'ties_cut = { steps = [10], values = [0.01], cumulative = true, per_capita = true }')
    calibration = read_calibration(write_calibration(tmp_path, text=text))
    target = calibration.targets[1]
    assert target.name == "ties_cut (cumulative, per capita)"
    simulator = SocietySimulator(calibration)
    tables = simulator.tables({"surveillance_coverage": 0.5, "listing_duration": 12}, base=3)
    expected = sum(table["ties_cut"].iloc[:10].sum() / 300 for table in tables) / len(tables)
    assert expected > 0  # the test can tell a running total from one month's count
    assert statistics(tables, calibration.targets)["ties_cut@10"] == pytest.approx(expected)
