"""The society reduces to Watts (2002) and Granovetter (1978); `trustcascade validate`."""

import json
import math
import re
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import brentq

from trustcascade.model.validation import cases, granovetter, watts


def trustcascade(*args):
    return subprocess.run([sys.executable, "-m", "trustcascade.cli.main", *args], capture_output=True,
                          text=True, timeout=600)


def stars(degrees, listed_leaves):
    """Disjoint stars: centre i has ``degrees[i]`` leaves, the first ``listed_leaves[i]`` listed."""
    rows, cols, listed, start = [], [], [], 0
    centres = []
    for k, hit in zip(degrees, listed_leaves):
        centres.append(start)
        leaves = np.arange(start + 1, start + 1 + k)
        rows += [np.full(k, start), leaves]
        cols += [leaves, np.full(k, start)]
        listed.append(leaves[:hit])
        start += k + 1
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    friends = sp.csr_matrix((np.ones(rows.size, np.int8), (rows, cols)), shape=(start, start))
    return friends, np.array(centres), np.concatenate(listed)


@pytest.mark.parametrize("phi", [0.05, 0.1, 0.18, 0.2, 0.25, 1 / 3, 0.5, 0.7, 1.0])
def test_watts_rule_lists_at_exactly_ceil_phi_k_listed_friends(phi):
    """Watts: on at least a fraction phi of k neighbours, i.e. ceil(phi k) of them, read exactly
    (0.18 x 50 = 9 listed friends of 50 is enough, though 0.18 * 50 > 9 in floating point)."""
    from trustcascade.model.model import TrustCascade

    needed = {k: math.ceil(Fraction(phi).limit_denominator(10**6) * k) for k in range(1, 61)}
    stars_ = [(k, hit) for k, need in needed.items() for hit in (need - 1, need) if hit >= 0]
    friends, centres, listed = stars(*zip(*stars_))
    model = TrustCascade(rng=1, preset="watts2002", agents=False, n_citizens=friends.shape[0],
                         mean_degree=0.0, listing_threshold=1000.0 * (1.0 - phi), initial_listed=0)
    model.world.replace_friendships(friends)
    model.world.citizens.listed[listed] = True
    model.step()
    assert model.world.citizens.listed[centres].tolist() == [hit >= needed[k] for k, hit in stars_]


@pytest.mark.parametrize("phi, listed", [(0.1, False), (0.0, True)])
def test_nodes_without_friends_list_only_when_phi_is_zero(phi, listed):
    from trustcascade.model.model import TrustCascade

    model = TrustCascade(rng=1, preset="watts2002", agents=False, n_citizens=50, mean_degree=0.0,
                         listing_threshold=1000.0 * (1.0 - phi), initial_listed=1)
    model.step()
    assert model.world.citizens.listed.all() == listed


def reference_riot(thresholds):
    """Granovetter's equilibrium by the textbook iteration: m <- #{i : T_i <= m}."""
    joined = -1
    count = int((thresholds <= 0).sum())
    while count != joined:
        joined, count = count, int((thresholds <= count).sum())
    return joined


def test_granovetter_uniform_and_one_change_exactly():
    changed = np.arange(100)
    changed[1] = 2
    assert granovetter.equilibrium(np.arange(100)) == 100
    assert granovetter.equilibrium(changed) == 1


@pytest.mark.parametrize("n", [38, 39, 42, 100, 257])
def test_granovetter_matches_reference_iteration(n):
    """n = 38, 39, 42 failed while the listed share of contacts was float32."""
    rng = np.random.default_rng(n)
    assert granovetter.equilibrium(np.arange(n)) == n
    for mean, sd in ((n / 4, n / 10), (n / 5, n / 4), (2.0, 3.0)):
        thresholds = granovetter.normal_thresholds(n, mean, sd, seed=int(rng.integers(1000)))
        assert granovetter.equilibrium(thresholds) == reference_riot(thresholds)


def test_granovetter_thresholds_above_a_thousand_are_exact():
    """For n > 1001 the points per joined person are scaled below 1 (scores stay >= 0): a person
    with threshold 1200 among 1201 joins only once all 1200 others have."""
    thresholds = np.r_[np.zeros(1100), np.full(100, 1100), [1200]]
    assert granovetter.equilibrium(thresholds) == 1201
    thresholds[-1] = 1201  # more others than exist
    assert granovetter.equilibrium(thresholds) == 1200
    thresholds[-2] = 1200  # needs 1200 others, but only the 1100 + 99 who join are there
    assert granovetter.equilibrium(thresholds) == reference_riot(thresholds) == 1199


def test_granovetter_preset_is_a_complete_graph_and_gives_the_same_riot():
    """The preset builds the complete graph itself (Erdos-Renyi at p = 1)."""
    from trustcascade.model.model import TrustCascade

    model = TrustCascade(rng=3, preset="granovetter", agents=False)
    friends = model.world.ties.friends
    assert friends.nnz == 100 * 99 and friends.diagonal().sum() == 0
    assert (friends != friends.T).nnz == 0
    assert (friends != granovetter.complete_graph(100)).nnz == 0
    changed = np.arange(100)
    changed[1] = 2
    model.world.citizens.threshold = 1000.0 - 99.0 * (changed / 99)
    watts.settle(model)
    assert model.world.citizens.listed.sum() == 1


def closed_form_excess(z, k_max):
    """z e^{-z} sum_{j=0}^{K-2} z^j / j! - 1: the Poisson cascade condition, rearranged."""
    return z * math.exp(-z) * sum(z**j / math.factorial(j) for j in range(k_max - 1)) - 1


@pytest.mark.parametrize("phi, k_max", [(0.1, 10), (0.14, 7), (0.18, 5), (0.22, 4), (0.25, 4)])
def test_cascade_window_solves_the_closed_form(phi, k_max):
    low, high = watts.cascade_window(phi)
    assert watts.vulnerable_degree(phi) == k_max
    assert low == pytest.approx(brentq(closed_form_excess, 1.0 + 1e-9, 2.0, args=(k_max,)), abs=1e-9)
    assert high == pytest.approx(brentq(closed_form_excess, 2.0, 30.0, args=(k_max,)), abs=1e-9)


def test_no_cascade_window_above_a_quarter():
    """K = floor(1/phi) <= 3 leaves too few vulnerable nodes (z e^-z (1 + z) < 1 for all z)."""
    assert watts.cascade_window(0.26) is None and watts.cascade_window(0.5) is None
    assert watts.cascade_window(0.18) == pytest.approx((1.0207, 5.7647), abs=1e-4)


def test_trial_seeds_are_reproducible_and_distinct():
    seeds = watts.trial_seeds(7, 200)
    assert seeds == watts.trial_seeds(7, 200) and len(set(seeds)) == 200
    assert seeds[:10] == watts.trial_seeds(7, 10)
    assert seeds != watts.trial_seeds(8, 200)


def test_share_tolerance_follows_binomial_sampling_error():
    # p pooled = 0.5, two samples of 100: 3 sqrt(0.25 x 0.02) = 0.2121
    assert cases.share_tolerance(0.5, 0.5, 100) == pytest.approx(0.2121, abs=1e-4)
    assert cases.share_tolerance(0.0, 0.0, 400) == cases.SHARE_FLOOR


def test_sizes_count_the_initially_listed():
    """No ties: nobody else is ever listed, so the final size is the seed fraction itself."""
    result = watts.run_watts(0.5, 0.0, n=1000, trials=3, seed=1, seed_fraction=0.2)
    assert result.sizes.tolist() == [0.2, 0.2, 0.2]
    assert result.share_global == 0.0 and result.mean_global_size is None


def test_validate_watts_json_is_reproducible():
    args = ("validate", "watts", "--phi", "0.18", "--mean-degree", "3", "--n", "2000", "--trials", "30",
            "--seed", "5", "--json")
    first, second = trustcascade(*args), trustcascade(*args)
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert result == json.loads(second.stdout)
    assert {"share_global", "mean_global_size"} <= result.keys()
    assert 0.6 < result["share_global"] <= 1.0 and 0.9 < result["mean_global_size"] < 0.97


def test_validate_watts_json_null_when_no_global_cascade():
    done = trustcascade("validate", "watts", "--phi", "0.18", "--mean-degree", "0.3", "--n", "500",
                        "--trials", "5", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["mean_global_size"] is None


@pytest.mark.parametrize("args, expected", [
    (["--json"], 100),
    (["--thresholds", "0,1,2,3,4", "--json"], 5),
    (["--thresholds", "0,2,2,3,4", "--json"], 1),
    (["--n", "50", "--threshold-mean", "10", "--threshold-sd", "2", "--seed", "1", "--json"], None),
])
def test_validate_granovetter_json(args, expected):
    done = trustcascade("validate", "granovetter", *args)
    assert done.returncode == 0, done.stderr
    joined = json.loads(done.stdout)["equilibrium"]
    if expected is None:  # normal(10, 2) thresholds of 50 people: nobody has threshold 0
        expected = reference_riot(granovetter.normal_thresholds(50, 10.0, 2.0, seed=1))
    assert joined == expected


@pytest.mark.parametrize("args, field", [
    (["watts", "--phi", "1.5", "--mean-degree", "3"], "--phi"),
    (["watts", "--phi", "0.18"], "--mean-degree"),
    (["watts", "--phi", "0.18", "--mean-degree", "3", "--n", "3"], "--mean-degree"),
    (["watts", "--phi", "0.18", "--mean-degree", "3", "--trials", "0"], "--trials"),
    (["watts", "--phi", "0.18", "--mean-degree", "3", "--seed-fraction", "0"], "--seed-fraction"),
    (["watts", "--phi", "0.18", "--mean-degree", "3", "--seed-fraction", "1e-6"], "--seed-fraction"),
    (["watts", "--phi", "0.18", "--mean-degree", "3", "--seed", "-2"], "--seed"),
    (["granovetter", "--thresholds", "0,1.5,2"], "--thresholds"),
    (["granovetter", "--thresholds", "0,x"], "--thresholds"),
    (["granovetter", "--thresholds", "0,1", "--n", "3"], "--n"),
    (["granovetter", "--threshold-mean", "5"], "--threshold-sd"),
    (["granovetter", "--threshold-mean", "5", "--threshold-sd", "-1"], "--threshold-sd"),
    (["granovetter", "--n", "2001"], "--n"),
    (["sideways"], "sideways"),
])
def test_validate_refuses_bad_flags_in_one_line(args, field):
    done = trustcascade("validate", *args)
    assert done.returncode == 2
    assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1
    assert field in done.stderr and "Traceback" not in done.stderr


def test_validate_quick_table_passes():
    """The cheap table (about a minute): Granovetter, Watts shares at z = 1.05, 3, 6, 6.6 and the mean
    global size (400 trials each), the cascade condition, the simulated window at phi = 0.18, and
    the Lum et al. (2014) tipping between sentences of 14 and 17 months."""
    done = trustcascade("validate", "--quick", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    table = json.loads(done.stdout)
    assert table["passed"] and all(case["passed"] for case in table["cases"])
    names = [case["name"] for case in table["cases"]]
    assert any("Granovetter" in name for name in names) and any("window" in name for name in names)
    assert any(name.startswith("Lum") for name in names)


@pytest.mark.slow
def test_validate_full_table_passes():
    """The full table (a few minutes): run with ./dev test -m slow."""
    done = trustcascade("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAIL" not in done.stdout


# --- docs/ODD.md keeps up with the code -------------------------------------------------------

DOCS = __import__("pathlib").Path(__file__).resolve().parents[1] / "docs"


def odd_sections():
    """ODD.md split into its prose (everything but the generated table) and its submodels."""
    text = (DOCS / "ODD.md").read_text()
    head, rest = text.split("<!-- parameters:start -->", 1)
    prose = head + rest.split("<!-- parameters:end -->", 1)[1]
    submodels = text.split("## 7. Submodels", 1)[1].split("## 8.", 1)[0]
    return text, prose, submodels


def test_odd_names_every_rule_with_its_function_and_switch():
    from trustcascade.model.rules import PIPELINE

    _, _, submodels = odd_sections()
    for rule in PIPELINE:
        section = next((part for part in submodels.split("### 7.")[1:]
                        if part.split("—")[0].strip().split()[-1] == rule.name), None)
        assert section is not None, f"docs/ODD.md has no submodel section for rule '{rule.name}'"
        function = f"{rule.apply.__module__.removeprefix('trustcascade.model.')}.{rule.apply.__name__}"
        assert f"`{function}`" in section, f"ODD section '{rule.name}' must name `{function}`"
        if rule.switchable:
            assert f"rule_{rule.name}" in section, f"ODD section '{rule.name}' must name rule_{rule.name}"


def test_odd_prose_names_every_parameter():
    from trustcascade.model.params import SCHEMA

    _, prose, _ = odd_sections()
    missing = [p.name for p in SCHEMA if not re.search(rf"(?<![\w<]){p.name}(?!\w)", prose)]
    assert not missing, f"docs/ODD.md does not describe: {', '.join(missing)}"


def test_odd_parameter_table_is_current():
    import runpy

    text, _, _ = odd_sections()
    generator = runpy.run_path(str(DOCS / "odd_params.py"))
    assert generator["with_table"](text) == text, \
        "the ODD parameter table is stale: run .venv/bin/python docs/odd_params.py"


def test_researchers_guide_examples_run():
    """Every python block of docs/researchers.md, in order, in a fresh interpreter (the examples
    swap rules.PIPELINE, which must not leak into this process)."""
    text = (DOCS / "researchers.md").read_text()
    code = "\n".join(re.findall(r"```python\n(.*?)```", text, re.S))
    assert "rules.PIPELINE = count_rule" in code
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "count rule" in done.stdout


def test_citation_and_changelog():
    """CITATION.cff: the keys CFF 1.2.0 requires, and the package's version; the changelog keeps an
    Unreleased section (Keep a Changelog). (The file was checked against the CFF 1.2.0 JSON schema.)"""
    import tomllib

    import yaml

    root = DOCS.parent
    citation = yaml.safe_load((root / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    assert {"message", "title", "authors", "version", "license"} <= citation.keys()
    assert all("name" in a or "family-names" in a for a in citation["authors"])
    assert citation["version"] == tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]
    assert "## [Unreleased]" in (root / "CHANGELOG.md").read_text()


BROKEN_WATTS = {
    "phi 0.15 instead of 0.18": lambda phi, z: (0.15, z),
    "mean degree 5% low": lambda phi, z: (phi, 0.95 * z),
}


@pytest.mark.parametrize("broken", BROKEN_WATTS, ids=list(BROKEN_WATTS))
def test_a_broken_watts_model_fails_the_quick_validation(broken, monkeypatch):
    """The quick table's Watts rows are tight enough to catch a model broken on purpose (each of
    these passed the z = 1.05 row, whose tolerance the reference's 100 trials keep wide)."""
    original = watts.watts_trial

    def wrong(phi, mean_degree, n=10_000, seed=0, seed_fraction=None):
        return original(*BROKEN_WATTS[broken](phi, mean_degree), n, seed, seed_fraction)

    monkeypatch.setattr(watts, "watts_trial", wrong)
    rows = []
    for row in cases.watts_cases(cases.QUICK, seed=1):  # stop at the first failure
        rows.append(row)
        if not row.passed:
            break
    assert not rows[-1].passed, rows
    assert rows[0].name.endswith("z=1.05: share global") and rows[0].passed  # the weak row alone passes
