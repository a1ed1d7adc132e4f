"""Ties formed in free slots and cut in place: the layer stays a valid, symmetric tie set,
and the step log replays every change (the app draws from it)."""

import numpy as np
import scipy.sparse as sp

from trustcascade.model.model import TrustCascade
from trustcascade.model.tieslots import SLACK, add_ties, cut_ties, live_first, top_up


def live_keys(matrix: sp.csr_matrix) -> np.ndarray:
    coo = matrix.tocoo()
    keep = (coo.data != 0) & (coo.row < coo.col)
    return np.sort(coo.row[keep].astype(np.int64) * matrix.shape[0] + coo.col[keep])


def test_top_up_keeps_every_entry_and_leaves_slack_in_every_row():
    matrix, live = live_first(sp.random(50, 50, density=0.1, format="csr", random_state=1, dtype=np.float64))
    rows = np.array([3, 3, 3, 7])
    grown = top_up(matrix, live, rows)
    assert np.array_equal(grown.toarray(), matrix.toarray())
    free = np.diff(grown.indptr) - live
    assert (free >= SLACK + np.bincount(rows, minlength=50)).all()
    assert_live_first(grown, live)


def test_add_ties_fills_free_slots_in_place_and_grows_only_when_a_row_runs_out():
    n = SLACK + 3
    matrix, live = live_first(sp.csr_matrix((n, n), dtype=np.int8))
    matrix = top_up(matrix, live, np.zeros(0, np.int64))
    first = np.arange(1, SLACK)  # SLACK - 1 ties for row 0: its slots suffice
    same = add_ties(matrix, live, np.append(np.zeros(first.size, np.int64), 4), np.append(first, 1))
    assert same is matrix
    grown = add_ties(matrix, live, np.array([0, 0]), np.array([SLACK, SLACK + 1]))  # one too many
    assert grown is not matrix
    assert np.flatnonzero(grown.toarray()[0]).tolist() == list(range(1, SLACK + 2))
    assert grown.toarray()[4].tolist() == [0, 1] + [0] * (n - 2)
    assert live.tolist() == [SLACK + 1, 0, 0, 0, 1] + [0] * (n - 5)
    assert_live_first(grown, live)


def test_cutting_several_ties_of_one_row_keeps_its_live_ties_first():
    dense = (np.random.default_rng(3).random((40, 40)) < 0.3).astype(np.int8)
    matrix, live = live_first(sp.csr_matrix(dense))
    rng = np.random.default_rng(4)
    for _ in range(5):
        stored = np.flatnonzero(matrix.data)
        positions = np.sort(rng.choice(stored, size=25, replace=False))
        rows = np.searchsorted(matrix.indptr, positions, side="right") - 1
        dense[rows, matrix.indices[positions]] = 0
        cut_ties(matrix, live, positions, rows)
        assert np.array_equal(matrix.toarray(), dense)
        assert_live_first(matrix, live)


def assert_live_first(matrix: sp.csr_matrix, live: np.ndarray) -> None:
    """Each row: ``live`` non-zero entries, then only free slots (row, row, 0)."""
    for r in range(matrix.shape[0]):
        start, end = matrix.indptr[r], matrix.indptr[r + 1]
        assert (matrix.data[start:start + live[r]] != 0).all()
        assert (matrix.data[start + live[r]:end] == 0).all()
        assert (matrix.indices[start + live[r]:end] == r).all()


def test_many_steps_of_cuts_and_new_ties_keep_a_valid_layer_that_the_log_replays():
    model = TrustCascade(rng=3, n_citizens=3000, agents=False, tie_formation_rate=0.05,
                         avoidance_probability=0.5, initial_listed_share=0.05, homophily=0.0)
    world = model.world
    keys = set(live_keys(world.ties.friends).tolist())
    grew = 0
    for _ in range(40):
        before = world.ties.friends
        model.step()
        grew += world.ties.friends is not before
        keys -= set(world.step_log.cut_tie_keys.tolist())
        keys |= set(world.step_log.formed_tie_keys.tolist())
        friends = world.ties.friends
        assert set(live_keys(friends).tolist()) == keys  # the log replays the layer exactly
    dense = friends.toarray()
    assert (dense == dense.T).all() and dense.diagonal().sum() == 0 and dense.max() == 1
    coo = friends.tocoo()
    live = coo.data != 0
    assert np.unique(coo.row[live].astype(np.int64) * 3000 + coo.col[live]).size == live.sum()  # no tie twice
    assert np.array_equal(world.friend_degree, dense.sum(axis=1))
    assert_live_first(friends, world.friend_degree)
    assert 0 < grew < 40  # slots absorb most steps' new ties; a rebuild is the exception
