"""Ties formed in free slots and cut in place: the layer stays a valid, symmetric tie set,
and the step log replays every change (the app draws from it)."""

import numpy as np
import scipy.sparse as sp

from trustcascade.model.model import TrustCascade
from trustcascade.model.tieslots import SLACK, add_ties, free_slots, top_up


def live_keys(matrix: sp.csr_matrix) -> np.ndarray:
    coo = matrix.tocoo()
    keep = (coo.data != 0) & (coo.row < coo.col)
    return np.sort(coo.row[keep].astype(np.int64) * matrix.shape[0] + coo.col[keep])


def test_top_up_keeps_every_entry_and_leaves_slack_in_every_row():
    matrix = sp.random(50, 50, density=0.1, format="csr", random_state=1, dtype=np.float64)
    matrix.data[::3] = 0  # some cut ties
    rows = np.array([3, 3, 3, 7])
    grown = top_up(matrix, rows)
    assert np.array_equal(grown.toarray(), matrix.toarray())
    free = np.bincount(np.repeat(np.arange(50), np.diff(grown.indptr)), weights=grown.data == 0, minlength=50)
    wanted = SLACK + np.bincount(rows, minlength=50)
    assert (free >= wanted).all()
    assert free_slots(grown, rows) is not None


def test_add_ties_fills_free_slots_in_place_and_grows_only_when_a_row_runs_out():
    matrix = top_up(sp.csr_matrix((6, 6), dtype=np.int8), np.zeros(0, np.int64))
    same = add_ties(matrix, np.array([0, 0, 4]), np.array([2, 5, 1]))
    assert same is matrix  # two slots in row 0 were enough
    grown = add_ties(matrix, np.array([0, 0, 0]), np.array([1, 3, 4]))
    assert grown is not matrix
    assert np.flatnonzero(grown.toarray()[0]).tolist() == [1, 2, 3, 4, 5]
    assert grown.toarray()[4].tolist() == [0, 1, 0, 0, 0, 0]


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
        keys -= set(world.log.cut_ties.tolist())
        keys |= set(world.log.formed_ties.tolist())
        friends = world.ties.friends
        assert set(live_keys(friends).tolist()) == keys  # the log replays the layer exactly
    dense = friends.toarray()
    assert (dense == dense.T).all() and dense.diagonal().sum() == 0 and dense.max() == 1
    coo = friends.tocoo()
    live = coo.data != 0
    assert np.unique(coo.row[live].astype(np.int64) * 3000 + coo.col[live]).size == live.sum()  # no tie twice
    assert np.array_equal(world.friend_degree, dense.sum(axis=1))
    assert 0 < grew < 40  # slots absorb most steps' new ties; a rebuild is the exception
