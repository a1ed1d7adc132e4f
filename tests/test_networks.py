"""Tests of trustcascade.model.networks against networkx's generators.

Tolerances are about 4-5 standard errors of the statistic compared (derived in the
comments), so the fixed seeds are not what makes the tests pass.
"""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from trustcascade.model import layers
from trustcascade.model import networks as nw
from trustcascade.model.graphfile import GraphFileError, load_graph


def rng(seed=0):
    return np.random.default_rng(seed)


def assert_simple(a, n):
    """Symmetric n x n int8 0/1 matrix, no self-loops, no duplicate entries."""
    assert isinstance(a, sp.csr_matrix)
    assert a.shape == (n, n) and a.dtype == np.int8
    assert (a.data == 1).all()
    assert a.diagonal().sum() == 0
    assert (a != a.T).nnz == 0
    row = np.repeat(np.arange(n), np.diff(a.indptr))
    same_row = row[1:] == row[:-1]
    assert (np.diff(a.indices)[same_row] > 0).all()  # sorted, hence no duplicates


def degrees(a):
    return np.diff(a.indptr) if sp.issparse(a) else np.array([d for _, d in a.degree()])


# ---------------------------------------------------------------- edges_to_csr

def test_edges_to_csr_symmetric_drops_loops_and_duplicates():
    a = nw.edges_to_csr([0, 1, 2, 2, 3, 3], [1, 0, 2, 3, 2, 2], 5)
    assert_simple(a, 5)
    assert a.toarray().tolist() == [[0, 1, 0, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 1, 0],
                                    [0, 0, 1, 0, 0], [0, 0, 0, 0, 0]]


def test_edges_to_csr_bipartite_and_empty():
    b = nw.edges_to_csr([0, 0, 2, 2], [1, 1, 0, 2], 3, 4)
    assert b.shape == (3, 4) and b.dtype == np.int8 and b.has_sorted_indices
    assert b.toarray().tolist() == [[0, 1, 0, 0], [0, 0, 0, 0], [1, 0, 1, 0]]
    assert nw.edges_to_csr([], [], 4, 0).shape == (4, 0)
    assert_simple(nw.edges_to_csr([], [], 3), 3)
    with pytest.raises(ValueError):
        nw.edges_to_csr([0], [5], 3)


# ---------------------------------------------------------------- determinism

BUILDERS = {
    "watts_strogatz": lambda r: nw.watts_strogatz(500, 6, 0.3, r),
    "barabasi_albert": lambda r: nw.barabasi_albert(500, 3, r),
    "erdos_renyi": lambda r: nw.erdos_renyi(500, 6.0, r),
    "stochastic_block": lambda r: nw.stochastic_block(500, 5, 6.0, 0.3, r)[0],
    "bipartite_employment": lambda r: layers.bipartite_employment(500, 10, 0.5, r)[0],
    "households": lambda r: layers.households(500, 3.0, r)[0],
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_same_seed_same_graph_other_seed_other_graph(name):
    build = BUILDERS[name]
    a, b, c = build(rng(7)), build(rng(7)), build(rng(8))
    assert (a != b).nnz == 0
    assert (a != c).nnz > 0


# ---------------------------------------------------------------- Watts-Strogatz

def test_watts_strogatz_without_rewiring_is_the_networkx_ring_lattice():
    a = nw.watts_strogatz(300, 6, 0.0, rng())
    expected = nx.to_scipy_sparse_array(nx.watts_strogatz_graph(300, 6, 0.0, seed=1), nodelist=range(300))
    assert (a != expected).nnz == 0


@pytest.mark.parametrize("p", [0.05, 0.2, 1.0])
def test_watts_strogatz_degrees_match_networkx(p):
    n, k = 4000, 10
    a = nw.watts_strogatz(n, k, p, rng(1))
    assert_simple(a, n)
    ours, theirs = degrees(a), degrees(nx.watts_strogatz_graph(n, k, p, seed=1))
    # Both keep exactly n k / 2 edges (every node keeps its k/2 own lattice edges).
    assert ours.mean() == theirs.mean() == k
    assert ours.min() >= k // 2
    # Degree variance (0.5, 1.8, 5.0 for these p): its relative standard error over
    # seeds is <= 3.1% for each generator (measured over 30 seeds), so <= 4.4% for the
    # difference; 20% is > 4.5 standard errors.
    assert ours.var() == pytest.approx(theirs.var(), rel=0.2)


def test_watts_strogatz_odd_k_and_bad_arguments():
    assert nw.watts_strogatz(50, 5, 0.1, rng()).nnz == 50 * 4
    with pytest.raises(ValueError):
        nw.watts_strogatz(10, 10, 0.1, rng())
    with pytest.raises(ValueError):
        nw.watts_strogatz(10, 4, 1.5, rng())


def test_watts_strogatz_dense_small_graph_terminates():
    a = nw.watts_strogatz(9, 8, 1.0, rng())  # complete graph: nowhere to rewire to
    assert_simple(a, 9)
    assert a.nnz == 9 * 8


# ---------------------------------------------------------------- Barabasi-Albert

def test_barabasi_albert_matches_networkx():
    n, m = 5000, 3
    a = nw.barabasi_albert(n, m, rng(2))
    assert_simple(a, n)
    ours, theirs = degrees(a), degrees(nx.barabasi_albert_graph(n, m, seed=2))
    assert ours.sum() == theirs.sum() == 2 * m * (n - m)  # both: star + m edges per node
    assert ours.min() == m
    # Share of nodes with degree m: theory 2 / (m + 2) = 0.4, binomial standard error
    # sqrt(0.4 * 0.6 / 5000) = 0.007 each, 0.01 for the difference -> tolerance 0.04.
    assert np.mean(ours == m) == pytest.approx(np.mean(theirs == m), abs=0.04)
    assert np.mean(ours == m) == pytest.approx(2 / (m + 2), abs=0.03)
    # Tail share with degree >= 4 m: theory m(m+1)/(4m(4m+1)) ~ 0.077, standard error
    # 0.004 each -> tolerance 0.025.
    assert np.mean(ours >= 4 * m) == pytest.approx(np.mean(theirs >= 4 * m), abs=0.025)
    # The maximum degree (~ m sqrt(n) ~ 200) fluctuates widely: same order of magnitude.
    assert 1 / 3 < ours.max() / theirs.max() < 3


def test_barabasi_albert_small_and_bad_arguments():
    a = nw.barabasi_albert(4, 3, rng())  # just the star
    assert a.nnz == 6 and degrees(a).tolist() == [3, 1, 1, 1]
    for n, m in [(5, 0), (5, 5)]:
        with pytest.raises(ValueError):
            nw.barabasi_albert(n, m, rng())


# ---------------------------------------------------------------- Erdos-Renyi

def test_erdos_renyi_matches_networkx_and_poisson():
    n, k = 4000, 10.0
    a = nw.erdos_renyi(n, k, rng(3))
    assert_simple(a, n)
    ours = degrees(a)
    theirs = degrees(nx.fast_gnp_random_graph(n, k / (n - 1), seed=3))
    # Mean degree = 2 Binomial(N, p) / n: standard error sqrt(2 k / n) = 0.07 each,
    # 0.1 for the difference -> tolerance 0.5.
    assert ours.mean() == pytest.approx(k, abs=0.35)
    assert ours.mean() == pytest.approx(theirs.mean(), abs=0.5)
    # Poisson: variance ~ mean; standard error of the sample variance
    # sqrt((2 var^2 + var) / n) = 0.23 -> tolerance 1.2.
    assert ours.var() == pytest.approx(ours.mean(), abs=1.2)
    assert ours.var() == pytest.approx(theirs.var(), abs=1.6)


def test_erdos_renyi_edge_cases():
    assert nw.erdos_renyi(1, 0.0, rng()).shape == (1, 1)
    assert nw.erdos_renyi(10, 0.0, rng()).nnz == 0
    full = nw.erdos_renyi(30, 29.0, rng())  # p = 1: the complete graph
    assert full.nnz == 30 * 29
    with pytest.raises(ValueError):
        nw.erdos_renyi(10, 10.0, rng())


# ---------------------------------------------------------------- stochastic block

def test_stochastic_block_matches_networkx_and_mixing():
    n, b, k, mix = 4000, 8, 10.0, 0.2
    a, blocks = nw.stochastic_block(n, b, k, mix, rng(4))
    assert_simple(a, n)
    assert blocks.dtype == np.int64 and np.bincount(blocks).tolist() == [n // b] * b
    assert (np.diff(blocks) >= 0).all()
    s = n // b
    within, between = b * s * (s - 1) / 2, n * (n - 1) / 2 - b * s * (s - 1) / 2
    p_in, p_out = n * k / 2 * (1 - mix) / within, n * k / 2 * mix / between
    probs = np.full((b, b), p_out) + np.eye(b) * (p_in - p_out)
    g = nx.stochastic_block_model([s] * b, probs.tolist(), seed=4, sparse=True)
    ours, theirs = degrees(a), degrees(g)
    # Mean degree: standard error sqrt(2 k / n) = 0.07 each -> tolerance 0.5.
    assert ours.mean() == pytest.approx(k, abs=0.35)
    assert ours.mean() == pytest.approx(theirs.mean(), abs=0.5)
    assert ours.var() == pytest.approx(theirs.var(), abs=1.6)
    # Share of ties between communities: n k / 2 = 20000 ties, standard error
    # sqrt(0.2 * 0.8 / 20000) = 0.003 -> tolerance 0.015.
    r, c = a.nonzero()
    assert np.mean(blocks[r] != blocks[c]) == pytest.approx(mix, abs=0.015)
    their_blocks = np.repeat(np.arange(b), s)
    e = np.array(g.edges())
    assert np.mean(their_blocks[e[:, 0]] != their_blocks[e[:, 1]]) == pytest.approx(mix, abs=0.015)


def test_stochastic_block_uneven_blocks_and_extremes():
    a, blocks = nw.stochastic_block(1003, 10, 6.0, 0.0, rng())
    sizes = np.bincount(blocks)
    assert sizes.max() - sizes.min() == 1 and sizes.sum() == 1003
    r, c = a.nonzero()
    assert (blocks[r] == blocks[c]).all()  # mixing 0: only within
    a, blocks = nw.stochastic_block(1000, 10, 6.0, 1.0, rng())
    r, c = a.nonzero()
    assert (blocks[r] != blocks[c]).all()  # mixing 1: only between
    a, blocks = nw.stochastic_block(500, 1, 6.0, 0.5, rng())  # one block: mixing ignored
    assert (blocks == 0).all() and a.nnz > 0
    with pytest.raises(ValueError, match="probability"):
        nw.stochastic_block(100, 50, 10.0, 0.0, rng())  # blocks of 2 cannot hold 10 ties each


# ---------------------------------------------------------------- employment

def test_bipartite_employment():
    n, m, rate = 5000, 50, 0.6
    e, employer = layers.bipartite_employment(n, m, rate, rng(5))
    assert isinstance(e, sp.csr_matrix) and e.shape == (n, m) and e.dtype == np.int8
    assert employer.dtype == np.int64 and employer.min() >= -1 and employer.max() < m
    # Employed share: binomial standard error sqrt(0.24 / 5000) = 0.007 -> tolerance 0.035.
    assert np.mean(employer >= 0) == pytest.approx(rate, abs=0.035)
    per_row = np.diff(e.indptr)
    assert ((per_row == 1) == (employer >= 0)).all() and per_row.max() == 1
    assert (e.indices == employer[employer >= 0]).all()
    # Heavy tail: the largest 10% of companies employ > 20% of the employed (uniform
    # choice would give ~11%; the Pareto weights give >= 26% in 300 seeds).
    sizes = np.sort(np.bincount(employer[employer >= 0], minlength=m))[::-1]
    assert sizes[:m // 10].sum() > 0.2 * sizes.sum()


def test_bipartite_employment_without_companies():
    e, employer = layers.bipartite_employment(100, 0, 0.6, rng())
    assert e.shape == (100, 0) and (employer == -1).all()


# ---------------------------------------------------------------- households

def test_households():
    n, mean = 5000, 3.0
    family, parent = layers.households(n, mean, rng(6))
    assert_simple(family, n)
    n_homes, home = connected_components(family, directed=False)
    assert (np.diff(home) >= 0).all()  # households are runs of consecutive citizens
    size = np.bincount(home)
    assert (degrees(family) == size[home] - 1).all()  # every household is a clique
    # Sizes 1 + Poisson(2): standard error of the mean sqrt(2 / 1667) = 0.035 -> 0.2.
    assert n / n_homes == pytest.approx(mean, abs=0.2)
    child = np.flatnonzero(parent >= 0)
    assert child.size > 0 and parent.dtype == np.int64
    assert (home[parent[child]] == home[child]).all()
    assert (parent[parent[child]] == -1).all()  # a parent is not a child
    first = np.flatnonzero(np.diff(home, prepend=-1))  # first member of each household
    assert set(parent[child].tolist()) <= set(first.tolist())
    assert child.size == np.maximum(size - 2, 0).sum()  # members after the first two


def test_households_of_one():
    family, parent = layers.households(50, 1.0, rng())
    assert family.nnz == 0 and (parent == -1).all()
    with pytest.raises(ValueError):
        layers.households(50, 0.5, rng())


# ---------------------------------------------------------------- load_graph

def small_graph():
    g = nx.Graph()
    g.add_edges_from([("zoe", "al"), ("al", "bo"), ("bo", "zoe"), ("cy", "al"), ("dee", "eve")])
    g.add_node("lonely")
    return g


def test_load_graphml_round_trip(tmp_path):
    g = small_graph()
    path = tmp_path / "friends.graphml"
    nx.write_graphml(g, path)
    a, labels = load_graph(path)
    assert labels == list(g.nodes)
    assert_simple(a, len(labels))
    assert (a != nx.to_scipy_sparse_array(g, nodelist=labels)).nnz == 0


def test_load_graphml_directed_is_symmetrised(tmp_path):
    path = tmp_path / "d.xml"
    nx.write_graphml(nx.DiGraph([(0, 1), (1, 0), (1, 2), (2, 2)]), path)
    a, labels = load_graph(path)
    assert labels == ["0", "1", "2"] and a.nnz == 4
    assert_simple(a, 3)


def test_load_edgelist_round_trip(tmp_path):
    g = small_graph()
    g.remove_node("lonely")  # an edge list cannot hold isolated nodes
    path = tmp_path / "friends.edgelist"
    nx.write_edgelist(g, path, data=False)
    a, labels = load_graph(path)
    first_seen = list(dict.fromkeys(x for edge in g.edges for x in edge))
    assert labels == first_seen
    assert (a != nx.to_scipy_sparse_array(g, nodelist=labels)).nnz == 0


def test_load_csv_with_comments_loops_and_duplicates(tmp_path):
    path = tmp_path / "ties.csv"
    path.write_text("# who knows whom\n7,3\n3, 9  # note\n\n9\t7,1.5\n3,7\n5,5\n")
    a, labels = load_graph(path)
    assert labels == ["7", "3", "9", "5"]
    assert_simple(a, 4)
    assert a.toarray().tolist() == [[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0]]


@pytest.mark.parametrize("name, content, kwargs, reason", [
    ("nowhere.graphml", None, {}, "not found"),
    ("graph.json", '{"nodes": []}', {}, "unknown extension"),
    ("bad.graphml", "<graphml><graph><node id='a'>", {}, "malformed GraphML"),
    ("notgraphml.xml", "<?xml version='1.0'?><html/>", {}, "malformed GraphML"),
    ("bad.txt", "a b\nc\n", {}, "malformed edge list"),
    ("binary.edgelist", b"\xff\xfe\x00a b\n", {}, "malformed edge list"),
    ("empty.graphml", "", {}, "empty"),
    ("comments.txt", "# nothing here\n", {}, "empty graph"),
    ("nonodes.graphml", "<?xml version='1.0'?><graphml xmlns='http://graphml.graphdrawing.org/xmlns'>"
     "<graph edgedefault='undirected'></graph></graphml>", {}, "empty graph"),
    ("big.txt", "a b\n" * 10, {"max_bytes": 10}, "too large"),
])
def test_load_graph_errors(tmp_path, name, content, kwargs, reason):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(GraphFileError) as info:
        load_graph(str(path), **kwargs)
    message = str(info.value)
    assert "\n" not in message and name in message and reason in message
    assert isinstance(info.value, ValueError)


def test_load_graph_directory_is_refused(tmp_path):
    folder = tmp_path / "dir.graphml"
    folder.mkdir()
    with pytest.raises(GraphFileError, match="dir.graphml"):
        load_graph(folder)


def test_erdos_renyi_dense_graphs_are_fast_and_right():
    """Near p = 1 the missing pairs are drawn instead: complete at p = 1, mean degree on target."""
    complete = nw.erdos_renyi(800, 799, np.random.default_rng(3))
    assert complete.nnz == 800 * 799 and (complete != complete.T).nnz == 0
    dense = nw.erdos_renyi(2000, 1500, np.random.default_rng(4))
    pairs = 2000 * 1999 / 2
    p = 1500 / 1999
    se = np.sqrt(pairs * p * (1 - p))  # binomial edge count
    assert abs(dense.nnz / 2 - pairs * p) < 4 * se
    assert dense.diagonal().sum() == 0
