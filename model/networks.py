"""Seeded numpy builders of classic random graphs as scipy CSR adjacency matrices.

One public function per algorithm, as in :mod:`networkx.generators`, but vectorised (a
million nodes of mean degree 10 take about a second), drawing only from the given
``rng``. Undirected results are symmetric ``csr_matrix`` with ``int8`` ones, sorted
indices, no self-loops or duplicates.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["edges_to_csr", "watts_strogatz", "barabasi_albert", "erdos_renyi",
           "stochastic_block"]


# ------------------------------------------------------------------ helpers
# Edges are handled as int64 keys row * n_cols + col (undirected: lo * n + hi, lo < hi).
# np.unique is avoided: in numpy >= 2.3 it hashes and is ~10x slower than a sort here.

def _unique(keys):
    keys = np.sort(keys)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))[:keys.size]]


def _keys_to_csr(keys, n_rows, n_cols):
    """CSR with a 1 at each distinct key."""
    rows, cols = np.divmod(_unique(keys), max(n_cols, 1))
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return sp.csr_matrix((np.ones(cols.size, dtype=np.int8), cols, indptr), shape=(n_rows, n_cols))


def _symmetric(keys, n):
    """Symmetric CSR from undirected keys lo * n + hi."""
    upper = _keys_to_csr(keys, n, n)
    out = (upper + upper.T).tocsr()  # the two halves are disjoint: entries stay 1
    out.sort_indices()
    return out


def _pair_keys(u, v, n):
    return np.minimum(u, v) * n + np.maximum(u, v)


def _isin_sorted(keys, sorted_keys):
    if sorted_keys.size == 0:
        return np.zeros(keys.shape, dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    return sorted_keys[pos] == keys


def _first_of_each(keys, ok):
    """Mask of the entries where ``ok`` holds and no earlier such entry has the same key."""
    idx = np.flatnonzero(ok)
    order = np.argsort(keys[idx], kind="stable")
    ordered = keys[idx][order]
    out = np.zeros(keys.shape, dtype=bool)
    out[idx[order[np.concatenate(([True], ordered[1:] != ordered[:-1]))[:idx.size]]]] = True
    return out


def _sample_distinct(count, draw, rng, rate=1.0):
    """Exactly ``count`` distinct keys, a uniform random subset of those ``draw`` can yield.

    ``draw(size)`` returns ``size`` independent uniform keys (-1 for a rejected draw);
    rounds of draws are deduplicated and topped up; surplus new keys are dropped at
    random, which keeps the subset uniform. ``rate`` guesses the share of useful draws.
    """
    have = np.empty(0, dtype=np.int64)
    while have.size < count:
        need = count - have.size
        size = int(need / max(rate, 1e-3) * 1.02) + 16
        keys = _unique(draw(size))
        keys = keys[(keys >= 0) & ~_isin_sorted(keys, have)]
        rate = keys.size / size
        if keys.size > need:
            keys = np.delete(keys, rng.choice(keys.size, keys.size - need, replace=False))
        have = np.sort(np.concatenate((have, keys)))
    return have


def _count(x, name, low=0):
    if int(x) != x or x < low:
        raise ValueError(f"{name} must be a whole number >= {low}; got {x!r}")
    return int(x)


def edges_to_csr(rows, cols, n, m=None):
    """Adjacency matrix from arrays of edge ends ``rows[i]``, ``cols[i]``.

    Parameters
    ----------
    rows, cols : array_like of int
    n, m : int
        Rows; columns of an ``n x m`` bipartite matrix. If ``m`` is None the graph is
        undirected: the result is symmetric and self-loops are dropped.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``int8`` entries equal to 1, duplicates dropped, sorted indices.

    Examples
    --------
    >>> edges_to_csr([0, 1, 1, 2], [1, 0, 1, 0], 3).toarray().tolist()
    [[0, 1, 1], [1, 0, 0], [1, 0, 0]]
    """
    rows = np.asarray(rows, dtype=np.int64).ravel()
    cols = np.asarray(cols, dtype=np.int64).ravel()
    n, n_cols = int(n), int(n if m is None else m)
    if rows.shape != cols.shape:
        raise ValueError(f"rows and cols differ in length ({rows.size} != {cols.size})")
    if rows.size and (min(rows.min(), cols.min()) < 0 or rows.max() >= n or cols.max() >= n_cols):
        raise ValueError(f"edge end out of range for a {n} x {n_cols} matrix")
    if m is not None:
        return _keys_to_csr(rows * n_cols + cols, n, n_cols)
    loop = rows == cols
    return _symmetric(_pair_keys(rows[~loop], cols[~loop], n), n)


# ------------------------------------------------------------------ builders

def watts_strogatz(n, k, p, rng):
    """Watts-Strogatz small-world graph: a ring lattice with rewired edges.

    Each node is tied to its ``k`` nearest neighbours; then the far end of each edge
    moves, with probability ``p``, to a uniform node, redrawn while that would make a
    self-loop, a lattice edge or a repeat. Like :func:`networkx.watts_strogatz_graph`
    this keeps ``n k / 2`` edges; in dense graphs an edge may keep its lattice end.

    Parameters
    ----------
    n, k : int
        Nodes; lattice degree ``k < n`` (an odd ``k`` is lowered to ``k - 1``).
    p : float
        Rewiring probability.
    rng : numpy.random.Generator

    Returns
    -------
    scipy.sparse.csr_matrix

    Examples
    --------
    >>> watts_strogatz(100, 4, 0.1, np.random.default_rng(1)).nnz // 2
    200

    References
    ----------
    .. [1] Watts, D. J. & Strogatz, S. H. (1998). Collective dynamics of 'small-world'
       networks. Nature 393:440-442.
    """
    n, k = _count(n, "n"), _count(k, "k")
    k -= k % 2
    if k and k >= n or not 0.0 <= p <= 1.0:
        raise ValueError(f"need k < n and p in [0, 1]; got n={n}, k={k}, p={p!r}")
    half = k // 2
    owner = np.tile(np.arange(n, dtype=np.int64), half)
    far = (owner + np.repeat(np.arange(1, half + 1), n)) % n
    todo = np.flatnonzero(rng.random(owner.size) < p)
    taken = np.empty(0, dtype=np.int64)  # sorted keys of the rewired edges placed so far
    idle = 0
    while todo.size and idle < 10:
        u = owner[todo]
        w = rng.integers(0, n - 1, size=todo.size)
        w += w >= u
        d = (w - u) % n
        keys = _pair_keys(u, w, n)
        ok = _first_of_each(keys, (np.minimum(d, n - d) > half) & ~_isin_sorted(keys, taken))
        far[todo[ok]] = w[ok]
        taken = np.sort(np.concatenate((taken, keys[ok])))
        todo = todo[~ok]
        idle = 0 if ok.any() else idle + 1
    return edges_to_csr(owner, far, n)


def barabasi_albert(n, m, rng):
    """Barabasi-Albert preferential-attachment graph.

    As in :func:`networkx.barabasi_albert_graph`: a star on ``m + 1`` nodes, then each
    new node ties to ``m`` distinct earlier nodes drawn in proportion to degree from
    a "repeated nodes" array (each node once per edge end), filled chunk by chunk.

    Parameters
    ----------
    n, m : int
        Nodes; edges per new node, ``1 <= m < n`` (mean degree about ``2 m``).
    rng : numpy.random.Generator

    Returns
    -------
    scipy.sparse.csr_matrix
        ``m (n - m)`` edges.

    Examples
    --------
    >>> barabasi_albert(100, 2, np.random.default_rng(1)).nnz // 2
    196

    References
    ----------
    .. [1] Barabasi, A.-L. & Albert, R. (1999). Emergence of scaling in random
       networks. Science 286:509-512.
    """
    n, m = _count(n, "n"), _count(m, "m")
    if not 1 <= m < n:
        raise ValueError(f"m must satisfy 1 <= m < n; got m={m}, n={n}")
    new, w = n - m - 1, 2 * m  # nodes added after the star; slots per added node
    rep = np.empty(w * (1 + new), dtype=np.int64)  # per added node: m targets, then m x itself
    rep[:m], rep[m:w] = 0, np.arange(1, m + 1)
    rep[w:].reshape(new, w)[:, m:] = np.arange(m + 1, n)[:, None]
    draws = rng.integers(0, w * (1 + np.arange(new))[:, None], size=(new, m))
    a = 0
    while a < new:
        b = min(new, a + max(64, a // 50))
        d, start = draws[a:b], w * (1 + a)
        known = (d < start) | (d % w >= m)
        vals = np.where(known, rep[d], -1)
        ordered = np.sort(vals, axis=1)
        bad = ~known.all(axis=1) | (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        ok = np.flatnonzero(~bad)
        rep[(start + w * ok)[:, None] + np.arange(m)] = vals[ok]
        for r in np.flatnonzero(bad).tolist():
            pos = start + w * r
            t = list(dict.fromkeys(rep[d[r]].tolist()))
            while len(t) < m:  # keep drawing until m distinct targets
                x = int(rep[rng.integers(pos)])
                if x not in t:
                    t.append(x)
            rep[pos:pos + m] = t
        a = b
    rows = np.concatenate((np.zeros(m, dtype=np.int64), np.repeat(np.arange(m + 1, n), m)))
    cols = np.concatenate((np.arange(1, m + 1), rep[w:].reshape(new, w)[:, :m].ravel()))
    return edges_to_csr(rows, cols, n)


def erdos_renyi(n, mean_degree, rng):
    """Erdos-Renyi-Gilbert random graph G(n, p) with ``p = mean_degree / (n - 1)``.

    The edge count is drawn from Binomial(n (n - 1) / 2, p), then that many distinct
    pairs are sampled uniformly (draw, deduplicate, top up).

    Parameters
    ----------
    n : int
    mean_degree : float
        Expected degree, in [0, n - 1].
    rng : numpy.random.Generator

    Returns
    -------
    scipy.sparse.csr_matrix

    Examples
    --------
    >>> 7.5 < erdos_renyi(1000, 8.0, np.random.default_rng(1)).nnz / 1000 < 8.5
    True

    References
    ----------
    .. [1] Erdos, P. & Renyi, A. (1959). On random graphs I. Publ. Math. Debrecen 6:290-297.
    .. [2] Gilbert, E. N. (1959). Random graphs. Ann. Math. Statist. 30:1141-1144.
    """
    n = _count(n, "n")
    if not 0 <= mean_degree <= max(n - 1, 0):
        raise ValueError(f"mean_degree must be in [0, n - 1]; got {mean_degree!r} with n={n}")
    pairs = n * (n - 1) // 2
    count = int(rng.binomial(pairs, mean_degree / (n - 1))) if pairs else 0

    def draw(size):
        u, v = rng.integers(0, n, size=size), rng.integers(0, n - 1, size=size)
        return _pair_keys(u, v + (v >= u), n)

    if count <= pairs // 2:
        return _symmetric(_sample_distinct(count, draw, rng, 1 - count / max(pairs, 1)), n)
    # dense graph: draw the missing pairs instead (sampling present ones would stall near p = 1)
    missing = _sample_distinct(pairs - count, draw, rng, count / pairs)
    rows, cols = np.triu_indices(n, 1)
    every = rows.astype(np.int64) * n + cols  # row-major, so sorted
    return _symmetric(every[~_isin_sorted(every, missing)], n)


def stochastic_block(n, n_blocks, mean_degree, mixing, rng):
    """Stochastic block model with equal-density communities (planted partition).

    Nodes fall into ``n_blocks`` runs of consecutive indices, sizes differing by at
    most one. Within pairs are tied with probability ``p_in``, between pairs with
    ``p_out``, so that a share ``mixing`` (ignored with one block) of the expected
    ``n * mean_degree / 2`` edges lie between communities.

    Parameters
    ----------
    n, n_blocks : int
        Nodes; communities, ``1 <= n_blocks <= n``.
    mean_degree, mixing : float
    rng : numpy.random.Generator

    Returns
    -------
    adjacency : scipy.sparse.csr_matrix
    blocks : numpy.ndarray of int64
        Community of each node.

    Examples
    --------
    >>> a, blocks = stochastic_block(1000, 4, 10.0, 0.2, np.random.default_rng(1))
    >>> blocks[[0, 250, 999]].tolist()
    [0, 1, 3]

    References
    ----------
    .. [1] Holland, P. W., Laskey, K. B. & Leinhardt, S. (1983). Stochastic
       blockmodels: first steps. Social Networks 5:109-137.
    """
    n, n_blocks = _count(n, "n"), _count(n_blocks, "n_blocks", 1)
    if n_blocks > max(n, 1) or not 0.0 <= mixing <= 1.0 or mean_degree < 0:
        raise ValueError(f"need n_blocks <= n, mean_degree >= 0, mixing in [0, 1]; got "
                         f"n={n}, n_blocks={n_blocks}, mean_degree={mean_degree!r}, mixing={mixing!r}")
    sizes = np.full(n_blocks, n // n_blocks, dtype=np.int64)
    sizes[:n % n_blocks] += 1
    start = np.cumsum(sizes) - sizes
    blocks = np.repeat(np.arange(n_blocks, dtype=np.int64), sizes)
    within = int((sizes * (sizes - 1) // 2).sum())
    between = n * (n - 1) // 2 - within
    share = mixing if between else 0.0
    counts = []
    for kind, pairs, ties in (("within", within, n * mean_degree / 2 * (1 - share)),
                              ("between", between, n * mean_degree / 2 * share)):
        prob = ties / pairs if pairs else float(ties > 0)
        if prob > 1:
            raise ValueError(f"stochastic_block: {kind}-community tie probability {prob:.3g} > 1 "
                             f"(n={n}, n_blocks={n_blocks}, mean_degree={mean_degree}, mixing={mixing})")
        counts.append(int(rng.binomial(pairs, prob)) if pairs else 0)
    weight = sizes * (sizes - 1) / max(2 * within, 1)  # a block by its number of pairs

    def draw_within(size):
        b = rng.choice(n_blocks, size=size, p=weight)
        u, v = rng.integers(0, sizes[b]), rng.integers(0, sizes[b] - 1)
        return _pair_keys(start[b] + u, start[b] + v + (v >= u), n)

    def draw_between(size):
        u, v = rng.integers(0, n, size=size), rng.integers(0, n, size=size)
        return np.where(blocks[u] != blocks[v], _pair_keys(u, v, n), -1)

    keys = (_sample_distinct(counts[0], draw_within, rng, 1 - counts[0] / max(within, 1)),
            _sample_distinct(counts[1], draw_between, rng, 2 * between / max(n * n, 1)))
    return _symmetric(np.concatenate(keys), n), blocks
