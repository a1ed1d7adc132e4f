"""The per-step metrics that avoid sorting agree with their sorted definitions."""

import numpy as np
import pytest

from trustcascade.model.metrics import GINI_BINS, binned_gini, bottom_share, gini, value_bins


def scores_with_ties(seed: int, n: int = 20_000) -> np.ndarray:
    """Scores shaped like the model's: a mass at exactly 1000, a spread, and a listed tail."""
    rng = np.random.default_rng(seed)
    scores = 1000 + rng.normal(0, 8, n)
    scores[rng.random(n) < 0.2] = 1000.0
    scores[rng.random(n) < 0.01] = rng.uniform(0, 700, 1).round()  # a tied block far below
    return np.clip(scores, 0, 2000)


def gini_bound(values: np.ndarray, exact: float) -> float:
    """(1 + Gini) w / (2 (mean - w / 2)): every value is within w / 2 of its bin's centre."""
    width = (values.max() - values.min()) / (GINI_BINS - 1)
    return (1 + exact) * width / (2 * (values.mean() - width / 2))


@pytest.mark.parametrize("seed", range(5))
def test_binned_gini_is_within_its_stated_bound_of_the_sorted_gini(seed):
    scores = scores_with_ties(seed)
    exact = gini(scores)
    assert abs(binned_gini(value_bins(scores)) - exact) <= gini_bound(scores, exact)


@pytest.mark.parametrize("values", [np.repeat([0.0, 1.0, 5.0, 9.0], [3, 1, 4, 2]), np.array([2.0, 1e6]),
                                    np.random.default_rng(8).pareto(1.5, 5000)])
def test_binned_gini_bound_holds_for_skewed_and_tiny_sets(values):
    exact = gini(values)
    assert abs(binned_gini(value_bins(values)) - exact) <= gini_bound(values, exact)
    assert binned_gini(value_bins(np.full(7, 3.0))) == 0.0


@pytest.mark.parametrize("seed", range(5))
def test_bottom_share_matches_a_sort_with_ties_broken_by_index(seed):
    scores = scores_with_ties(seed).round()  # rounding makes many ties at the 5% edge
    flag = np.random.default_rng(seed + 100).random(scores.size) < 0.5
    k = int(np.ceil(0.05 * scores.size))
    lowest = np.lexsort((np.arange(scores.size), scores))[:k]
    assert bottom_share(scores, value_bins(scores), flag) == flag[lowest].mean()


def test_bottom_share_counts_at_least_one_citizen():
    scores = np.array([5.0, 1.0, 3.0])
    assert bottom_share(scores, value_bins(scores), np.array([False, True, False])) == 1.0


@pytest.mark.parametrize("mean_degree, seed", [(0.6, 1), (1.5, 2), (3.0, 3), (8.0, 4)])
def test_largest_component_share_matches_networkx_on_fragmented_and_connected_layers(mean_degree, seed):
    """Below mean degree 1 there is no majority component (every component is labelled);
    above it one search finds the big one and family ties join the rest (both paths)."""
    import networkx as nx

    from trustcascade.model.components import largest_component_share
    from trustcascade.model.model import TrustCascade

    model = TrustCascade(rng=seed, n_citizens=3000, agents=False, network="erdos_renyi",
                         mean_degree=mean_degree, avoidance_probability=0.5, tie_formation_rate=0.02)
    model.run(5)  # cut ties and free slots are stored as weight-0 self-loops
    world = model.world
    friends = world.ties.friends.copy()
    friends.eliminate_zeros()
    graph = nx.compose(nx.from_scipy_sparse_array(friends), nx.from_scipy_sparse_array(world.ties.family))
    expected = max(len(part) for part in nx.connected_components(graph)) / world.citizens.n
    assert largest_component_share(world) == pytest.approx(expected, abs=1e-12)
    assert 0 < expected < 1 if mean_degree < 8 else True


def spans_everyone_with_live_ties(world, parents) -> bool:
    """Every citizen's parents lead to the root, and every tree tie is a live friendship or a
    family tie now: then the tree spans the network, so everyone is in one component."""
    from trustcascade.model.components import ROOT, _reaches_root

    child = np.flatnonzero(parents != ROOT)
    up = parents[child]
    friends = world.are_friends(child, up)
    family = np.asarray(world.ties.family[child, up]).ravel() != 0
    return bool(_reaches_root(parents, np.arange(parents.size)).all() and (friends | family).all())


@pytest.mark.parametrize("overrides", [
    {"network": "erdos_renyi", "mean_degree": 2.5},  # sparse: cuts split people off, a search decides
    {"avoidance_probability": 0.6, "initial_listed_share": 0.05},  # many cuts, mostly mended
    {"preset": "as-practised"},
])
def test_the_kept_tree_gives_the_share_a_new_search_gives_every_month(overrides):
    """The share the model reports (from its kept tree when it can) equals a full computation
    after every month of cuts, and a kept tree is a spanning tree of the network as it is now."""
    from trustcascade.model.components import largest_component_share
    from trustcascade.model.model import TrustCascade

    model = TrustCascade(rng=3, n_citizens=3000, agents=False, network_metrics_every=1, **overrides)
    kept, mended, searched = model.collector._largest, 0, 0
    for _ in range(40):
        before = kept.parents
        model.step()
        world = model.world
        assert model.collector.rows[-1]["largest_component_share"] == largest_component_share(world)
        if kept.parents is not None:
            assert spans_everyone_with_live_ties(world, kept.parents)
            mended += before is not None and kept.parents is not before
        searched += before is None or kept.parents is None
    if "mean_degree" in overrides:
        assert searched > 5  # the fallback ran
    else:
        assert mended >= 5  # the mending path ran, not just searches


def test_a_cut_that_splits_someone_off_is_seen():
    """A citizen whose only ties are cut is alone: the kept tree cannot be mended, and a new
    search finds the smaller share."""
    from trustcascade.model.components import LargestComponent, largest_component_share
    from trustcascade.model.model import TrustCascade

    model = TrustCascade(rng=2, n_citizens=400, agents=False)
    world = model.world
    kept = LargestComponent()
    assert kept.share(world) == 1.0 and kept.parents is not None  # one component, tree kept
    alone = int(np.flatnonzero((world.friend_degree >= 1) & (world.family_degree == 0))[0])
    friends = world.friendships_of(np.array([alone])).contact.astype(np.int64)
    world.end_friendships(np.full(friends.size, alone), friends)
    assert kept.share(world) == largest_component_share(world) <= 1 - 1 / world.citizens.n
    assert kept.parents is None


def test_a_cut_subtree_hangs_from_a_tie_further_down():
    """Everyone below the cut tie 0-1 is reachable only through 3-4, a tie of 1's child: the
    subtree is turned to hang from it (1 -> 3 -> 4 -> root), and no search is needed."""
    import scipy.sparse as sp

    from trustcascade.model.components import ROOT, LargestComponent
    from trustcascade.model.model import TrustCascade

    n = 20
    model = TrustCascade(rng=1, n_citizens=n, agents=False)
    world = model.world
    ties = [(0, 1), (1, 2), (1, 3), (3, 4), (4, 0)] + [(0, leaf) for leaf in range(5, n)]
    one, other = np.array(ties).T
    world.ties.family = sp.csr_matrix((n, n), dtype=np.int8)
    world.replace_friendships(sp.csr_matrix((np.ones(2 * len(ties)), (np.r_[one, other], np.r_[other, one])),
                                            shape=(n, n)))
    kept = LargestComponent()
    assert kept.share(world) == 1.0
    assert kept.parents[0] == ROOT and kept.parents[1] == 0 and kept.parents[3] == 1
    world.end_friendships(np.array([0]), np.array([1]))
    assert kept.share(world) == 1.0
    assert kept.parents[1] == 3 and kept.parents[3] == 4 and kept.parents[4] == 0
    assert spans_everyone_with_live_ties(world, kept.parents)
