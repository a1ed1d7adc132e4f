"""The browser app's server side without a browser: layout, frames, tie deltas, input checks."""

import subprocess
import sys

import numpy as np
import pytest

from trustcascade.model.schema import ParameterError
from trustcascade.model.state import Cause
from trustcascade.visualization import assets, layout
from trustcascade.visualization.live import LiveRun, effective_params, live_changeable, tie_keys
from trustcascade.visualization.palette import LISTED, NODE_COLOURS, THROUGH_OTHERS


@pytest.fixture
def run():
    return LiveRun("restrictions-everywhere", {"n_citizens": 2000, "avoidance_probability": 1.0}, seed=3)


def test_hilbert_curve_visits_every_cell_once_in_unit_steps():
    x, y = layout.hilbert_points(np.arange(256), 4)
    assert len(set(zip(x.tolist(), y.tolist()))) == 256
    assert np.all(np.abs(np.diff(x)) + np.abs(np.diff(y)) == 1)  # each step moves to a neighbouring cell


def test_layout_is_cached_deterministic_in_the_unit_square_and_keeps_friends_close(run):
    ties = run.model.world.ties
    positions = layout.positions_for(ties.friends, ties.family)
    assert positions.dtype == np.float32 and positions.shape == (run.n, 2)
    assert positions.min() >= 0.0 and positions.max() <= 1.0
    assert layout.positions_for(ties.friends, ties.family) is positions  # computed once per graph
    assert np.array_equal(layout.compute_positions(ties.friends, ties.family), positions)
    friends = ties.friends.tocoo()
    tie_length = np.median(np.hypot(*(positions[friends.row] - positions[friends.col]).T))
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, run.n, size=(2, 5000))
    random_length = np.median(np.hypot(*(positions[a] - positions[b]).T))
    # a Watts-Strogatz ring with 10% rewiring: most ties are lattice ties, drawn short
    assert tie_length < 0.25 * random_length


def test_frame_carries_grade_and_listing_of_every_citizen(run):
    for _ in range(15):
        run.step()
    frame = run.frame(frame_id=7, graph_id=2)
    header = np.frombuffer(frame[:24], np.uint32)
    assert header.tolist()[:4] == [7, 2, 15, run.n]
    state = np.frombuffer(frame[24:24 + run.n], np.uint8)
    c = run.model.world.citizens
    assert np.array_equal(state & 3, run.model.grade_of(c.score))
    assert np.array_equal((state & LISTED) > 0, c.listed)
    assert np.array_equal((state & THROUGH_OTHERS) > 0, c.listed & (c.cause != Cause.OWN))
    assert c.listed.any() and len(NODE_COLOURS) == 16


def test_tie_deltas_replay_to_the_current_friendships(run):
    """Start from the ties sent once, apply every step's cuts and new ties: get today's ties."""
    shown = set(tie_keys(run.model.world.ties.friends).tolist())
    cuts = formed = 0
    for _ in range(25):
        run.step()
        assert not set(run.cut.tolist()) - shown  # only ties the browser has can be cut
        shown -= set(run.cut.tolist())
        assert not set(run.new.tolist()) & shown
        shown |= set(run.new.tolist())
        cuts, formed = cuts + run.cut.size, formed + run.new.size
        assert shown == set(tie_keys(run.model.world.ties.friends).tolist())
    assert cuts > 0 and formed > 0 and run.ties_cut_total == cuts


def test_series_and_histogram_shapes(run):
    for _ in range(5):
        run.step()
    series = np.frombuffer(run.series(), np.float32)
    rows, columns = int(series[0]), int(series[1])
    assert rows == 5 and series.size == 2 + rows * (columns + 1)
    assert series[2:2 + rows].tolist() == [1, 2, 3, 4, 5]
    histogram = np.frombuffer(run.histogram(), np.float32)
    grades, bins = int(histogram[4]), int(histogram[5])
    assert histogram[6:].sum() == run.n and histogram.size == 6 + grades * bins


def test_live_change_applies_from_the_next_step_and_structure_needs_a_new_society(run):
    run.step()
    run.change("sanction_scope", "local")
    assert run.model.params["sanction_scope"] == "joint"
    run.step()
    assert run.model.params["sanction_scope"] == "local"
    assert live_changeable("sanction_scope") and not live_changeable("n_citizens")
    with pytest.raises(ParameterError):
        run.change("n_citizens", 10)
    with pytest.raises(ParameterError, match="listing_threshold must be <= initial_score"):
        run.change("listing_threshold", 1500.0)


def test_bad_values_are_refused_in_one_line():
    with pytest.raises(ParameterError) as refusal:
        effective_params("restrictions-everywhere", {"surveillance_coverage": 1.5})
    assert "surveillance_coverage" in str(refusal.value) and "[0, 1]" in str(refusal.value)
    assert "\n" not in str(refusal.value)
    with pytest.raises(ParameterError, match="unknown preset"):
        effective_params("no-such-preset", {})


def test_asset_list_reports_what_is_missing(tmp_path):
    assert assets.missing(tmp_path) == list(assets.PACKAGES)
    (tmp_path / assets.PACKAGES[0] / assets.COMPLETE).parent.mkdir(parents=True)
    (tmp_path / assets.PACKAGES[0] / assets.COMPLETE).touch()
    assert assets.missing(tmp_path) == list(assets.PACKAGES[1:])


@pytest.mark.parametrize("port, message", [("http", "--port must be a whole number"),
                                           ("70000", "[0, 65535]")])
def test_app_command_refuses_a_bad_port_in_one_line(port, message):
    done = subprocess.run([sys.executable, "-m", "trustcascade.cli.main", "app", "--port", port],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and message in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_app_command_refuses_a_port_in_use():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "trustcascade.cli.main", "app", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"cannot serve on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_histogram_marks_the_scoring_rules_clean_score():
    """Under the credit rule a clean record scores 650, not the 1000 points of the ledger."""
    credit = LiveRun(None, {"n_citizens": 300, "n_companies": 5, "scoring_rule": "credit",
                            "listing_threshold": 600.0}, seed=1)
    head = np.frombuffer(credit.histogram(), np.float32)[:4]
    assert head[3] == 650.0 and head[2] == 600.0
