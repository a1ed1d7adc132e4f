"""Recovery: targets simulated at a known parameter value; ``trustcascade calibrate`` must put the
value inside the 90% posterior interval, and that interval must be much narrower than the prior's.
(The larger recovery, two parameters at 5000 citizens, is benchmarks/calibration_recovery.py.)"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from experiment_helpers import SMALL_CALIBRATION as SMALL
from experiment_helpers import write_calibration

from trustcascade.cli.main import main
from trustcascade.experiments.factory import build_society

pytest.importorskip("pyabc")


def recovery_file(folder, truth: float) -> str:
    """Targets simulated at surveillance_coverage = ``truth`` (seed 777, not the file's)."""
    params = {"n_citizens": 300, "n_companies": 5, "base_rate_traffic": 0.2, "forgiveness_rate": 0.02,
              "surveillance_coverage": truth}
    table = build_society(777, params, {}).run(20).set_index("step")
    steps = [5, 10, 15, 20]
    values = [round(float(table.at[step, "mean_score"]), 4) for step in steps]
    text = SMALL.replace("steps = 10", "steps = 20").replace(
        "listing_duration = { min = 6, max = 30 }\n", "").replace(
        "mean_score = { steps = [5, 10], values = [998.5, 996.0] }", f"mean_score = {{ steps = {steps}, "
        f"values = {values} }}").replace("populations = 2", "populations = 3").replace(
        "particles = 10", "particles = 30").replace("replicates = 2", "replicates = 1")
    return write_calibration(folder, text=text, name="recovery.toml")


def test_recovers_a_known_coverage_inside_the_90_percent_interval(tmp_path, capsys):
    truth, prior = 0.6, (0.1, 0.9)
    path = recovery_file(tmp_path, truth)
    out = tmp_path / "recovery"
    assert main(["calibrate", str(path), "--out", str(out), "--workers", "2", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    row = pd.read_csv(out / "summary.csv").set_index("parameter").loc["surveillance_coverage"]
    assert list(pd.read_csv(out / "summary.csv").columns) == ["parameter", "mean", "median", "q05", "q95"]
    assert printed[0]["parameter"] == "surveillance_coverage" and printed[0]["q05"] == pytest.approx(row["q05"])
    assert row["q05"] <= truth <= row["q95"], row
    # the data, not the prior, made the interval: it is far narrower than the prior's 90%
    assert row["q95"] - row["q05"] < 0.5 * 0.9 * (prior[1] - prior[0]), row
    posterior = pd.read_csv(out / "posterior.csv")
    assert list(posterior.columns) == ["surveillance_coverage", "weight"] and len(posterior) == 30
    assert posterior["weight"].sum() == pytest.approx(1.0)
    for figure in ("marginals", "predictive"):
        assert (out / "figures" / f"{figure}.png").stat().st_size > 0
        assert (out / "figures" / f"{figure}.svg").stat().st_size > 0
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["seed"] == 4 and metadata["calibration_file"] == path.read_text()
    assert metadata["pyabc"] != "not installed" and metadata["git_commit"]
    assert [p["t"] for p in metadata["populations_table"]] == [0, 1, 2]


