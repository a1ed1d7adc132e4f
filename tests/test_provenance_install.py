"""Issue 17, item 5: provenance in any install: a wheel records the commit it was built from, each
sweep run's Parquet file carries its seed, parameters, version and commit, and install hints name
the command that works here."""

import json
import subprocess
import sys
import zipfile

import pyarrow.parquet as pq

from experiment_helpers import in_process, write_experiment
from trustcascade.experiments.files import read_experiment
from trustcascade.experiments.runner import sweep
from trustcascade.model.provenance import git_commit, install_hint, source_checkout


def test_a_wheel_records_the_commit_it_was_built_from(tmp_path):
    root = source_checkout()
    assert root is not None
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist"), str(root)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("trustcascade-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")
    assert not (root / "model" / "_build_info.py").exists()  # written into the build, not the source tree
    # run from the unpacked wheel, outside any checkout: the commit comes from _build_info.py
    probe = subprocess.run([sys.executable, "-c", "from trustcascade.model import provenance as p; "
                            "print(p.git_commit()); print(p.install_hint('sweeps'))"],
                           capture_output=True, text=True, cwd=tmp_path, timeout=60,
                           env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"})
    assert probe.returncode == 0, probe.stderr
    commit, hint = probe.stdout.split("\n")[:2]
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    assert commit.removesuffix("-dirty") == head and commit == git_commit()
    assert hint == "pip install 'trustcascade[sweeps]'"


def test_install_hints_name_the_checkout_command_here():
    assert install_hint("sweeps") == "pip install '.[sweeps]'"


def test_each_sweep_run_file_carries_its_own_provenance(tmp_path):
    path = write_experiment(tmp_path, {"replicates = 2": "replicates = 1"})
    out = tmp_path / "out"
    with in_process() as executor:
        assert sweep(read_experiment(path), out, executor, progress=False).complete
    for run in sorted((out / "runs").glob("*.parquet")):
        record = json.loads(pq.read_schema(run).metadata[b"trustcascade"])
        table = pq.read_table(run).to_pandas()
        assert record["seed"] == int(table["seed"].iloc[0]) and record["run_id"] == run.stem
        assert record["params"]["sanction_scope"] == table["sanction_scope"].iloc[0]
        assert record["params"]["n_citizens"] == 300 and record["steps"] == 12
        assert record["git_commit"] == git_commit() and record["trustcascade_version"]
        assert record["schedule"] == {"8": {"listing_duration": 1}}
