"""`trustcascade analyze`: CIs against a hand computation, paired differences, sensitivity indices
that rank a dominant factor first, valid PNG/SVG figures, one-line refusals; built-in experiments."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ElementTree
from importlib import resources

import numpy as np
import pytest
from experiment_helpers import in_process, write_experiment

from trustcascade.cli.main import main
from trustcascade.experiments import load, read_experiment
from trustcascade.experiments.runner import sweep as run_sweep

pytest.importorskip("SALib")
pytest.importorskip("matplotlib")

GRID = """
[experiment]
name = "grid"
steps = 16
replicates = 3
seed = 9
design = "grid"
[fixed]
n_citizens = 300
n_companies = 5
[factors]
association_weight = [0.0, 600.0, 1200.0]
surveillance_coverage = [0.3, 0.6, 0.9]
[output]
metrics = ["listed_share", "collateral_share", "mean_score"]
every = 4
"""

PAIRED = """
[experiment]
name = "paired"
steps = 16
replicates = 4
seed = 3
design = "grid"
[fixed]
n_citizens = 300
n_companies = 5
[factors]
sanction_scope = ["joint", "local"]
association_weight = [300.0, 900.0]
[output]
metrics = ["listed_share", "mean_score"]
every = "final"
"""

# Sensitivity by construction: every run of a sampled design has the same seed (replicates = 1,
# common seeds), so the output is a deterministic function of the two factors. Coverage sets the
# probability that a violation is recorded over 0.1..1.0, a tenfold range, and each record costs
# 5-100 points, so the mean score at step 24 moves by tens of points across it. reward_points moves
# over 10..10.01: with about 0.02 good deeds a month, 24 months shift a score by ~0.005 points, a
# variance share of order (0.005 / 10)^2 ~ 1e-7. So coverage's total index must be near 1 and the
# reward's near 0, far outside SALib's bootstrap intervals (which are ~0.1 at N = 16).
SENSITIVITY = """
[experiment]
name = "dominant"
steps = 24
replicates = 1
seed = 4
design = "{design}"
samples = {samples}
[fixed]
n_citizens = 300
n_companies = 5
[factors]
surveillance_coverage = {{ min = 0.1, max = 1.0 }}
reward_points = {{ min = 10.0, max = 10.01 }}
[output]
metrics = ["mean_score"]
every = "final"
"""


def swept(folder, text, name):
    path = write_experiment(folder, text=text, name=f"{name}.toml")
    with in_process() as executor:
        run_sweep(read_experiment(path), folder / name, executor, progress=False)
    return folder / name


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    return swept(tmp_path_factory.mktemp("grid"), GRID, "grid")


@pytest.fixture(scope="module")
def paired(tmp_path_factory):
    return swept(tmp_path_factory.mktemp("paired"), PAIRED, "paired")


def rows(path):
    with open(path, newline="") as table:
        return list(csv.DictReader(table))


def test_summary_intervals_match_a_hand_computation(grid, capsys):
    assert main(["analyze", str(grid), "--step", "12"]) == 0
    assert "mean [95% CI] over replicates at step 12" in capsys.readouterr().out
    frame = load(grid)
    t_975_2 = 4.302652729911275  # Student t, 0.975 quantile, 2 degrees of freedom (3 replicates)
    table = rows(grid / "summary.csv")
    assert len(table) == 9 * 4  # 9 points x 4 metrics (collateral_listed_share derived)
    for point_id in (0, 4, 8):
        values = frame[(frame.point_id == point_id) & (frame.step == 12)]["mean_score"].to_numpy()
        mean, sd = values.sum() / 3, np.sqrt(((values - values.sum() / 3) ** 2).sum() / 2)
        row = next(r for r in table if r["point_id"] == str(point_id) and r["metric"] == "mean_score")
        assert int(row["n"]) == 3 and int(row["step"]) == 12
        assert float(row["mean"]) == pytest.approx(mean, rel=1e-5)
        assert float(row["ci_low"]) == pytest.approx(mean - t_975_2 * sd / np.sqrt(3), rel=1e-5, abs=1e-9)
        assert float(row["ci_high"]) == pytest.approx(mean + t_975_2 * sd / np.sqrt(3), rel=1e-5, abs=1e-9)


def test_paired_difference_pairs_replicates_with_the_same_seed(paired, capsys):
    assert main(["analyze", str(paired), "--metrics", "mean_score"]) == 0
    assert "sanction_scope: local - joint" in capsys.readouterr().out
    frame = load(paired)
    final = frame[frame.step == 16]
    joint = final[(final.sanction_scope == "joint") & (final.association_weight == 900.0)].set_index("replicate")
    local = final[(final.sanction_scope == "local") & (final.association_weight == 900.0)].set_index("replicate")
    assert (joint.seed == local.seed).all()
    difference = (local.mean_score - joint.mean_score).to_numpy()
    t_975_3 = 3.182446305284263  # 4 pairs
    half = t_975_3 * difference.std(ddof=1) / 2
    row = next(r for r in rows(paired / "paired.csv")
               if r["factor"] == "sanction_scope" and r["association_weight"] == "900")
    assert row["contrast"] == "local - joint" and int(row["n"]) == 4
    assert float(row["mean"]) == pytest.approx(difference.mean(), rel=1e-5, abs=1e-9)
    assert float(row["ci_high"]) - float(row["ci_low"]) == pytest.approx(2 * half, rel=1e-5, abs=1e-9)


@pytest.mark.parametrize("design, samples", [("sobol", 16), ("morris", 6)])
def test_sensitivity_ranks_the_dominant_factor_first(tmp_path, design, samples, capsys):
    out = swept(tmp_path, SENSITIVITY.format(design=design, samples=samples), design)
    assert main(["analyze", str(out), "--figures", str(tmp_path / "figures")]) == 0
    assert "sensitivity indices at step 24" in capsys.readouterr().out
    table = {r["factor"]: r for r in rows(tmp_path / "figures" / "sensitivity.csv")}
    coverage, reward = table["surveillance_coverage"], table["reward_points"]
    if design == "sobol":
        assert float(coverage["ST"]) > 0.9 and float(coverage["S1"]) > 0.8
        assert abs(float(reward["ST"])) < 0.01 and float(coverage["ST"]) > float(reward["ST"]) + 0.5
    else:
        assert float(coverage["mu_star"]) > 100 * float(reward["mu_star"])
    assert (tmp_path / "figures" / "sensitivity.png").stat().st_size > 0


def test_figures_are_valid_png_and_svg(grid, paired, tmp_path):
    assert main(["analyze", str(grid), "--figures", str(tmp_path / "grid")]) == 0
    assert main(["analyze", str(paired), "--figures", str(tmp_path / "paired")]) == 0
    expected = {"grid": ["vs_association_weight", "heatmap", "timeseries"], "paired": ["paired_sanction_scope"]}
    for folder, stems in expected.items():
        for stem in stems:
            png = (tmp_path / folder / f"{stem}.png").read_bytes()
            assert png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(b"IEND\xaeB`\x82")
            root = ElementTree.parse(tmp_path / folder / f"{stem}.svg").getroot()
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert not list((tmp_path / folder).glob(".*.part"))


@pytest.mark.parametrize("arguments, field", [
    (["--metrics", "no_such_metric"], "--metrics"),
    (["--step", "13"], "--step 13 was not recorded"),
    (["--metrics", ","], "--metrics"),
])
def test_bad_choices_exit_2_with_one_line_and_write_nothing(grid, tmp_path, capsys, arguments, field):
    before = sorted(p.name for p in grid.iterdir())
    assert main(["analyze", str(grid), "--figures", str(tmp_path / "figs"), *arguments]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and field in error
    assert sorted(p.name for p in grid.iterdir()) == before and not (tmp_path / "figs").exists()


def test_bad_folders_exit_2_with_one_line(tmp_path, capsys):
    (tmp_path / "plain").mkdir()
    (tmp_path / "file.txt").write_text("x")
    failing = write_experiment(tmp_path, text=PAIRED, name="failing.toml")
    with in_process() as executor:  # every run raises: a sweep folder with no finished run
        run_sweep(read_experiment(failing), tmp_path / "failed", executor, factory=_raise, progress=False)
    cases = {str(tmp_path / "missing"): "does not exist", str(tmp_path / "plain"): "not a sweep folder",
             str(tmp_path / "failed"): "no finished run"}
    for folder, message in cases.items():
        assert main(["analyze", folder]) == 2
        error = capsys.readouterr().err
        assert error.count("\n") == 1 and message in error
    assert main(["analyze", str(tmp_path / "failed"), "--figures", str(tmp_path / "file.txt")]) == 2
    assert "is a file" in capsys.readouterr().err


def _raise(seed, params, schedule):
    raise RuntimeError("this run fails on purpose")


def test_built_in_experiments_ship_with_the_package_and_read_cleanly():
    from trustcascade.experiments.calibration_file import read_calibration

    shipped = sorted(p.name for p in resources.files("trustcascade.experiments").iterdir() if p.name.endswith(".toml"))
    assert {"joint-vs-local.toml", "phase-diagram.toml", "bottom-five.toml", "company-shock.toml",
            "amnesty.toml", "sensitivity-sobol.toml"} <= set(shipped)
    for name in shipped:
        with resources.as_file(resources.files("trustcascade.experiments") / name) as path:
            if "[calibration]" in path.read_text():  # a calibration file (trustcascade calibrate)
                assert read_calibration(path).name == name.removesuffix(".toml")
                continue
            experiment = read_experiment(path)
        assert len(experiment.points) * experiment.replicates <= 400, name  # minutes on a laptop
    assert "court-list.toml" in shipped and {"memoranda.toml", "sensitivity-sobol-as-practised.toml"} <= set(shipped)
    assert read_experiment("amnesty").name == "amnesty"  # a bare name finds the built-in file
