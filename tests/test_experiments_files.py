"""Experiment files and designs: what is accepted, what is refused (one line, exit 2, nothing written)."""

from __future__ import annotations

import numpy as np
import pytest
from experiment_helpers import TINY, write_experiment

from trustcascade.cli.main import main
from trustcascade.experiments.files import read_experiment
from trustcascade.experiments.runner import plan, run_seed
from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import ParameterError

EXPERIMENT_BLOCK = TINY[TINY.index("[experiment]"):TINY.index("[fixed]")]
OUTPUT_BLOCK = TINY[TINY.index("[output]"):]

def cli(*argv) -> int:
    """The exit code of ``trustcascade ARGV`` (argparse refusals exit via SystemExit)."""
    try:
        return main(list(argv))
    except SystemExit as stop:
        return stop.code


BAD_FILES = {
    "unknown fixed parameter": ({"n_companies = 5": "n_companys = 5"}, "fixed.n_companys"),
    "unknown factor": ({"sanction_scope = [": "sanction_scop = ["}, "factors.sanction_scop"),
    "fixed value out of range": ({"n_citizens = 300": "n_citizens = 1"}, "fixed.n_citizens"),
    "range bound out of range": ({"min = 100.0": "min = -5.0"}, "factors.association_weight.min"),
    "categorical value not allowed": ({'"local"]': '"global"]'}, "factors.sanction_scope"),
    "unknown design": ({'design = "grid"': 'design = "halton"'}, "experiment.design"),
    "missing [experiment]": ({EXPERIMENT_BLOCK: ""}, "experiment"),
    "missing [output]": ({OUTPUT_BLOCK: ""}, "output"),
    "bad TOML": ({"seed = 5": "seed = = 5"}, "not valid TOML"),
    "key outside a section": ({"[experiment]\n": "stray = 1\n[experiment]\n"}, "stray"),
    "unknown section": ({"[fixed]": "[fixd]"}, "fixd"),
    "unknown experiment key": ({"seed = 5": "seed = 5\nreplicats = 3"}, "experiment.replicats"),
    "steps zero": ({"steps = 12": "steps = 0"}, "experiment.steps"),
    "replicates not whole": ({"replicates = 2": "replicates = 2.5"}, "experiment.replicates"),
    "range on a categorical": ({'["joint", "local"]': "{ min = 0, max = 1, points = 2 }"},
                               "factors.sanction_scope"),
    "grid range without points": ({", points = 2 }": " }"}, "factors.association_weight.points"),
    "min not below max": ({"max = 300.0": "max = 100.0"}, "factors.association_weight"),
    "structural change in schedule": ({"{ listing_duration = 1 }": "{ n_citizens = 10 }"},
                                      "schedule.8.n_citizens"),
    "schedule beyond the last step": ({'"8" =': '"80" ='}, "schedule.80"),
    "unknown metric": ({'"new_listings"]': '"new_listing"]'}, "output.metrics"),
    "every zero": ({"every = 5": "every = 0"}, "output.every"),
    "sobol samples not a power of 2": ({'design = "grid"': 'design = "sobol"\nsamples = 10'},
                                       "experiment.samples"),
    "lhs without samples": ({'design = "grid"': 'design = "lhs"'}, "experiment.samples"),
    "factor also fixed": ({"n_companies = 5": "n_companies = 5\nsanction_scope = \"joint\""},
                          "factors.sanction_scope"),
    "design point breaks a constraint": ({"n_companies = 5\n": "", "[factors]": "[factors]\nn_companies = [5, 400]"},
                                         "factors.n_companies"),
    "unknown preset": ({"seed = 5": 'seed = 5\npreset = "utopia"'}, "experiment.preset"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_is_refused_in_one_line_naming_the_field(case, tmp_path, capsys):
    subs, field = BAD_FILES[case]
    path = write_experiment(tmp_path, subs)
    out = tmp_path / "results"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and field in message, message
    assert "Traceback" not in message
    assert not out.exists()


def test_missing_file_is_refused(tmp_path, capsys):
    assert main(["sweep", str(tmp_path / "nowhere.toml"), "--out", str(tmp_path / "r")]) == 2
    assert "nowhere.toml" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("flags, field", [
    (["--workers", "0"], "--workers"),
    (["--resume"], "--resume"),
    (["--scheduler", "localhost:8786"], "--scheduler"),
    (["--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"], "--workers"),
])
def test_bad_flags_are_refused(flags, field, tmp_path, capsys):
    path = write_experiment(tmp_path)
    out = tmp_path / "results"
    assert cli("sweep", str(path), "--out", str(out), *flags) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and field in message, message
    assert not out.exists()


def test_out_folder_that_is_not_a_sweep_is_refused(tmp_path, capsys):
    path = write_experiment(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "thesis.tex").write_text("precious")
    assert main(["sweep", str(path), "--out", str(tmp_path / "notes"), "--workers", "1"]) == 2
    assert "thesis.tex" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == ["thesis.tex"]
    assert main(["sweep", str(path), "--out", str(tmp_path / "no" / "such"), "--workers", "1"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_grid_is_the_full_factorial_in_file_order(tmp_path):
    experiment = read_experiment(write_experiment(tmp_path))
    assert experiment.points == [
        {"sanction_scope": "joint", "association_weight": 100.0},
        {"sanction_scope": "joint", "association_weight": 300.0},
        {"sanction_scope": "local", "association_weight": 100.0},
        {"sanction_scope": "local", "association_weight": 300.0},
    ]
    assert experiment.schedule == {8: {"listing_duration": 1}}
    assert experiment.every == 5 and experiment.base == {"n_citizens": 300, "n_companies": 5}


def test_whole_number_grid_rounds_and_refuses_repeats(tmp_path):
    path = write_experiment(tmp_path, {"[factors]": "[factors]\nlisting_duration = { min = 0, max = 24, points = 3 }"})
    assert read_experiment(path).design.factors[0].grid() == [0, 12, 24]
    path = write_experiment(tmp_path, {"[factors]": "[factors]\nlisting_duration = { min = 1, max = 3, points = 5 }"})
    with pytest.raises(ParameterError, match="points <= 3"):
        read_experiment(path)


SAMPLED = {"[fixed]": "samples = SAMPLES\n[fixed]",
           "[factors]": "[factors]\nlisting_duration = { min = 1, max = 4 }",
           ", points = 2 }": " }"}


def sampled(tmp_path, design: str, samples: int, extra: str = ""):
    subs = {**{k: v.replace("SAMPLES", str(samples)) for k, v in SAMPLED.items()},
            'design = "grid"': f'design = "{design}"{extra}'}
    return read_experiment(write_experiment(tmp_path, subs))


def test_latin_hypercube_puts_one_point_in_each_stratum(tmp_path):
    n = 20
    experiment = sampled(tmp_path, "lhs", n)
    assert len(experiment.points) == n
    weights = np.array([p["association_weight"] for p in experiment.points])
    # LHS (McKay et al. 1979): each of the n equal strata of [100, 300] holds exactly one point.
    strata = np.floor((weights - 100.0) / (200.0 / n)).astype(int)
    assert sorted(strata) == list(range(n))
    # Categorical: the unit interval's 20 strata split 10/10 between the two scopes, exactly.
    scopes = [p["sanction_scope"] for p in experiment.points]
    assert scopes.count("joint") == scopes.count("local") == n // 2
    # Whole numbers 1..4 are sampled on [1, 5): 5 strata each, so each value exactly 5 times.
    durations = [p["listing_duration"] for p in experiment.points]
    assert sorted(set(durations)) == [1, 2, 3, 4] and all(durations.count(v) == 5 for v in (1, 2, 3, 4))
    for point in experiment.points:
        SCHEMA.resolve(point)


def test_sobol_and_morris_sizes_follow_salib(tmp_path):
    d = 3
    assert len(sampled(tmp_path, "sobol", 8).points) == 8 * (d + 2)
    assert len(sampled(tmp_path, "sobol", 8, "\nsecond_order = true").points) == 8 * (2 * d + 2)
    morris = sampled(tmp_path, "morris", 4, "\nlevels = 4")
    assert len(morris.points) == 4 * (d + 1)
    assert morris.design.problem["names"] == ["listing_duration", "sanction_scope", "association_weight"]
    # Morris moves one factor per step along a trajectory: consecutive points differ in exactly one.
    for trajectory in range(4):
        rows = morris.design.sample[trajectory * (d + 1):(trajectory + 1) * (d + 1)]
        assert all((np.abs(np.diff(rows, axis=0)) > 0).sum(axis=1) == 1)


def test_same_file_same_design_and_seeds(tmp_path):
    for design, samples in (("sobol", 8), ("morris", 4)):
        assert sampled(tmp_path, design, samples).points == sampled(tmp_path, design, samples).points
    one, two = sampled(tmp_path, "lhs", 10), sampled(tmp_path, "lhs", 10)
    assert one.points == two.points and one.fingerprint == two.fingerprint
    assert [t.seed for t in plan(one)] == [t.seed for t in plan(two)]
    other = read_experiment(write_experiment(
        tmp_path, {**{k: v.replace("SAMPLES", "10") for k, v in SAMPLED.items()},
                   'design = "grid"': 'design = "lhs"', "seed = 5": "seed = 6"}))
    assert other.points != one.points and other.fingerprint != one.fingerprint


def test_run_seeds_depend_only_on_point_and_replicate(tmp_path):
    # Default: common random numbers, replicate r of every point shares one seed (paired comparisons).
    experiment = read_experiment(write_experiment(tmp_path, {"replicates = 2": "replicates = 50"}))
    tasks = plan(experiment)
    assert len(tasks) == 200 and len({t.run_id for t in tasks}) == 200
    assert len({t.seed for t in tasks}) == 50
    assert all(t.seed == run_seed(5, 0, t.replicate) for t in tasks)
    # common_seeds = false: every run its own stream.
    independent = read_experiment(write_experiment(
        tmp_path, {"replicates = 2": "replicates = 50", "seed = 5": "seed = 5\ncommon_seeds = false"}))
    tasks = plan(independent)
    assert len({t.seed for t in tasks}) == 200
    assert all(t.seed == run_seed(5, t.point_id, t.replicate, common=False) for t in tasks)
    assert all(0 <= t.seed < 2**63 for t in tasks)
    assert independent.fingerprint != experiment.fingerprint
