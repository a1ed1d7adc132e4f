"""Issue 17, items 7-8: sizes that would not fit in memory and silent mistakes are refused in one
line (exit 2, nothing written) before anything is allocated or run."""

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from experiment_helpers import in_process, write_experiment
from test_reliability_faults import file_size_limit
from trustcascade.cli.main import main
from trustcascade.experiments.files import read_experiment
from trustcascade.experiments.runner import sweep
from trustcascade.model.graphfile import GraphFileError, read_network
from trustcascade.model.memory import society_bytes
from trustcascade.model.model import TrustCascade
from trustcascade.model.schema import ParameterError

RUN = [sys.executable, "-m", "trustcascade.cli.main", "run", "--quiet"]


def refused(capsys, *args) -> str:
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


# ---------------------------------------------------------------- memory (item 7)

def test_a_society_too_large_for_memory_is_refused_saying_how_much_it_needs(tmp_path, capsys):
    out = tmp_path / "t.parquet"
    err = refused(capsys, "run", "--steps", "1", "--set", "n_citizens=5000000", "--set", "mean_degree=10000",
                  "--out", str(out))
    assert "n_citizens=5000000 mean_degree=10000" in err and "TiB of memory" in err and "available" in err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("n, k, m", [(100_000, 10.0, 2000), (20_000, 200.0, 20), (200_000, 4.0, 20_000)])
def test_the_society_estimate_bounds_the_measured_peak(n, k, m):
    tracemalloc.start()
    try:
        model = TrustCascade(rng=1, agents=False, n_citizens=n, mean_degree=k, n_companies=m)
        model.run(3)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    estimate = society_bytes(model.params)
    assert peak <= estimate <= 4 * peak, (peak, estimate)


def test_a_graph_file_too_large_to_read_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("".join(f"person{i} person{i + 1}\n" for i in range(20_000)))
    with pytest.raises(GraphFileError, match=r"reading it needs about .* of memory; 1 MiB is available"):
        read_network(path, available=1 << 20)
    assert read_network(path).n == 20_001  # with the machine's memory it reads


def test_the_memory_limit_can_be_set_and_the_cli_refuses_in_one_line(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("".join(f"{i} {i + 1}\n" for i in range(5000)))
    done = subprocess.run([*RUN, "--steps", "1", "--set", "network=file", "--set", f"graph_file={path}"],
                          capture_output=True, text=True, env={**os.environ, "TRUSTCASCADE_MEMORY": "1000000"})
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "of memory" in done.stderr, done.stderr


@pytest.mark.parametrize("subs, field", [
    ({'association_weight = { min = 100.0, max = 300.0, points = 2 }':
      'association_weight = { min = 100.0, max = 300.0, points = 10000000000 }'}, "points"),
    ({'design = "grid"': 'design = "lhs"\nsamples = 1000000000',
      'association_weight = { min = 100.0, max = 300.0, points = 2 }':
      'association_weight = { min = 100.0, max = 300.0 }'}, "experiment.samples"),
    ({"steps = 12": "steps = 1000000000000", "replicates = 2": "replicates = 1000000000000",
      '"8" = { listing_duration = 1 }': ""}, "experiment.replicates"),
    ({"steps = 12": "steps = 1000000000000", '"8" = { listing_duration = 1 }': ""}, "experiment.steps"),
])
def test_a_sweep_too_large_for_memory_is_refused_before_the_folder_exists(tmp_path, capsys, subs, field):
    path = write_experiment(tmp_path, subs)
    out = tmp_path / "out"
    err = refused(capsys, "sweep", str(path), "--out", str(out))
    assert field in err and "of memory" in err
    assert not out.exists()


# ---------------------------------------------------------------- silent mistakes (item 8)

def test_at_a_step_beyond_steps_is_refused(capsys):
    err = refused(capsys, "run", "--steps", "10", "--at", "20:listing_duration=1")
    assert "step 20 is beyond --steps 10" in err


def test_the_same_file_for_two_outputs_is_refused(tmp_path, capsys):
    os.chdir(tmp_path)
    err = refused(capsys, "run", "--steps", "1", "--out", "t.csv", "--agents-out", str(tmp_path / "t.csv"))
    assert "--agents-out and --out name the same file" in err
    assert not list(tmp_path.iterdir())


def test_an_output_name_over_the_file_system_limit_is_refused(tmp_path, capsys):
    err = refused(capsys, "run", "--steps", "1", "--out", str(tmp_path / ("x" * 300 + ".parquet")))
    assert "--out: file name too long" in err and "allows 255" in err


def test_a_long_name_within_the_limit_is_written():
    # the temporary name is longer than the target's; it is cut to fit
    target = Path(os.environ.get("TMPDIR", "/tmp")) / ("y" * 240 + ".parquet")
    try:
        assert main(["run", "--steps", "1", "--set", "n_citizens=50", "--out", str(target), "--quiet"]) == 0
        assert target.is_file()
    finally:
        target.unlink(missing_ok=True)


def test_a_failed_write_of_one_output_leaves_neither(tmp_path):
    table, agents = tmp_path / "t.parquet", tmp_path / "agents.csv"
    done = subprocess.run([*RUN, "--steps", "3", "--seed", "1", "--set", "n_citizens=2000", "--out", str(table),
                           "--agents-out", str(agents)], capture_output=True, text=True, timeout=120,
                          preexec_fn=file_size_limit(60_000))  # the table fits, the agents do not
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "--agents-out: cannot write" in done.stderr, done.stderr
    assert not list(tmp_path.iterdir())


def test_a_scheduled_factor_named_twice_is_refused(tmp_path, capsys):
    path = write_experiment(tmp_path, {'"8" = { listing_duration = 1 }': "",
                                       "[factors]": '[factors]\n"2:shock_companies" = [0, 1]\n" 2:shock_companies" = [0, 2]'})
    err = refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out"))
    assert "names the same parameter as '2:shock_companies'" in err


def test_a_one_node_graph_is_refused_by_the_cli(tmp_path, capsys):
    path = tmp_path / "one.txt"
    path.write_text("a a\n")
    err = refused(capsys, "run", "--steps", "1", "--set", "network=file", "--set", f"graph_file={path}")
    assert "1 node; a society needs at least 2 people" in err


def test_a_sweep_resumed_after_its_graph_file_changed_is_refused(tmp_path, capsys):
    ring = tmp_path / "ring.txt"
    ring.write_text("".join(f"{i} {(i + 1) % 300}\n" for i in range(300)))
    path = write_experiment(tmp_path, {"n_companies = 5": f'n_companies = 5\nnetwork = "file"\ngraph_file = "{ring}"',
                                       "replicates = 2": "replicates = 1"})
    out = tmp_path / "out"
    with in_process() as executor:
        assert sweep(read_experiment(path), out, executor, progress=False).complete
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["inputs"] == {str(ring): read_experiment(path).input_fingerprints()[str(ring)]}
    ring.write_text("".join(f"{i} {(i + 2) % 300}\n" for i in range(300)))  # another network
    err = refused(capsys, "sweep", str(path), "--out", str(out))
    assert f"'{ring}', which the runs read, changed" in err
    with in_process() as executor, pytest.raises(ParameterError, match="changed since"):
        sweep(read_experiment(path), out, executor, progress=False)


def test_a_calibration_too_large_for_memory_is_refused(capsys):
    err = refused(capsys, "validate", "watts", "--phi", "0.18", "--mean-degree", "10000", "--n", "5000000",
                  "--trials", "1")
    assert "--n 5000000 with --mean-degree 10000 needs about" in err and "of memory" in err


def test_a_run_too_long_for_memory_is_refused_before_it_starts(capsys):
    err = refused(capsys, "run", "--steps", "1000000000000", "--set", "n_citizens=100")
    assert "a run of 1000000000000 steps of n_citizens=100 needs about" in err
