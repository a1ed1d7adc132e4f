"""The command line end to end: real processes, real files."""

import json
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest


def trustcascade(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "trustcascade.cli.main", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_run_writes_identical_parquet_twice(tmp_path):
    for name in ("a.parquet", "b.parquet"):
        done = trustcascade("run", "--steps", "50", "--seed", "1", "--out", str(tmp_path / name),
                            "--set", "n_citizens=600")
        assert done.returncode == 0, done.stderr
        assert "listed now" in done.stdout
    first, second = pd.read_parquet(tmp_path / "a.parquet"), pd.read_parquet(tmp_path / "b.parquet")
    assert len(first) == 50
    pd.testing.assert_frame_equal(first, second)
    meta = json.loads(pq.read_schema(tmp_path / "a.parquet").metadata[b"trustcascade"])
    assert meta["seed"] == 1 and meta["params"]["n_citizens"] == 600 and meta["steps"] == 50
    assert {"trustcascade_version", "git_commit", "mesa", "numpy", "python"} <= meta.keys()


def test_run_csv_with_preset_and_metadata_sidecar(tmp_path):
    out = tmp_path / "run.csv"
    done = trustcascade("run", "--preset", "domain-local", "--steps", "5", "--seed", "3", "--out", str(out),
                        "--set", "n_citizens=300", "--set", "n_companies=5")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out)
    assert table["step"].tolist() == [1, 2, 3, 4, 5]
    meta = json.loads((tmp_path / "run.csv.meta.json").read_text())
    assert meta["preset"] == "domain-local" and meta["params"]["sanction_scope"] == "local"


def test_presets_and_params_tables():
    presets = trustcascade("presets")
    assert presets.returncode == 0
    lines = presets.stdout.strip().splitlines()
    assert any(line.startswith("restrictions-everywhere") for line in lines)
    assert any(line.startswith("watts2002") for line in lines)
    table = trustcascade("params").stdout
    assert "surveillance_coverage" in table and "Authority" in table


def _malformed_graph(tmp_path):
    path = tmp_path / "bad.graphml"
    path.write_text("<graphml><graph><node id='1'></graph>")
    return str(path)


BAD_INPUTS = {
    "unknown parameter": (["--set", "n_citizen=5"], "n_citizen"),
    "out of range": (["--set", "surveillance_coverage=1.5"], "surveillance_coverage"),
    "wrong type": (["--set", "n_citizens=lots"], "n_citizens"),
    "not NAME=VALUE": (["--set", "n_citizens"], "--set"),
    "constraint": (["--set", "n_citizens=10", "--set", "n_companies=20"], "n_companies"),
    "unknown preset": (["--preset", "utopia"], "preset"),
    "missing graph file": (["--set", "network=file", "--set", "graph_file=/nonexistent/g.graphml"],
                           "graph_file"),
    "negative steps": (["--steps", "-3"], "--steps"),
    "bad seed": (["--seed", "abc"], "--seed"),
    "bad --at": (["--at", "x:listing_duration=1"], "--at"),
    "structural --at": (["--at", "5:n_citizens=10"], "n_citizens"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_one_line_and_no_file(tmp_path, case):
    args, field = BAD_INPUTS[case]
    out = tmp_path / "out.parquet"
    done = trustcascade("run", "--steps", "3", "--out", str(out), *args)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert field in done.stderr and "Traceback" not in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_malformed_graph_file_exits_2(tmp_path):
    graph = _malformed_graph(tmp_path)
    out = tmp_path / "out.parquet"
    done = trustcascade("run", "--steps", "3", "--out", str(out), "--set", "network=file",
                        "--set", f"graph_file={graph}")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "bad.graphml" in done.stderr
    assert not out.exists()


@pytest.mark.parametrize("out", ["/proc/nope/out.parquet", "/nonexistent-dir/out.parquet", "out.txt"])
def test_unwritable_or_unknown_out_exits_2(tmp_path, out):
    done = trustcascade("run", "--steps", "3", "--out", out, cwd=tmp_path)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "--out" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_read_only_folder_is_refused(tmp_path):
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        done = trustcascade("run", "--steps", "2", "--out", str(locked / "x.csv"))
        if os.geteuid() == 0:  # root writes anywhere; the path is then valid
            assert done.returncode == 0
        else:
            assert done.returncode == 2 and "--out" in done.stderr
    finally:
        locked.chmod(0o700)


def test_graph_file_run_and_exports(tmp_path):
    import networkx as nx

    graph = nx.watts_strogatz_graph(200, 6, 0.1, seed=4)
    nx.write_edgelist(graph, tmp_path / "g.edgelist", data=False)
    agents, network = tmp_path / "agents.parquet", tmp_path / "net.graphml"
    done = trustcascade("run", "--steps", "10", "--seed", "2", "--set", "network=file",
                        "--set", f"graph_file={tmp_path / 'g.edgelist'}", "--set", "n_companies=5",
                        "--agents-out", str(agents), "--graph-out", str(network))
    assert done.returncode == 0, done.stderr
    table = pd.read_parquet(agents)
    assert (table["type"] == "citizen").sum() == 200 and (table["type"] == "company").sum() == 5
    assert {"id", "type", "score", "grade", "listed", "primary_cause", "times_listed",
            "ever_violated"} <= set(table.columns)
    exported = nx.read_graphml(network)
    assert exported.number_of_nodes() == 205
    friends = [e for e in exported.edges(data=True) if e[2]["layer"] == "friends"]
    assert len(friends) <= graph.number_of_edges()
