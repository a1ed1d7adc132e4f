"""Tie layers stored for change in place: each CSR row holds its live ties first, then free slots.

Row ``r`` of the friend layer keeps its ``live[r]`` ties at the start of its stored range
and free slots ``(r, r, 0)`` after them: a weight-0 self-loop is no tie to a matrix
product and no edge to a graph search, so scipy sees a valid layer. Rules read only the
live prefix. A new tie is written into the first free slot of its row; a cut tie is
filled by the row's last live tie and becomes a free slot. Neither copies the layer
(``numpy.insert`` into the CSR arrays cost 2 ms a step at 100k). When a row runs out of
slots, the layer is rebuilt once with every row topped up to :data:`SLACK` free slots.
Indices within a row are not sorted.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

SLACK = 6
"""Free slots per row after a rebuild. New ties land on random rows, so a rebuild comes
when one row has drawn SLACK + 1 of them. With the default preset at 100k citizens, 3 slots
gave 2 rebuilds (25 and 9 ms) in steps 11-60, 0.7 ms a step; 6 gave none, for 60% more stored
entries at mean degree 10 than live ties (1.60 M against 1.32 M with 3). Where slots sit
changes no result: they are weight-0 self-loops after each row's live ties."""


def row_entries(matrix: sp.csr_matrix, rows: np.ndarray, live: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``matrix.indices``/``data`` of every entry in ``rows`` (only the first
    ``live[r]`` of row r if ``live`` is given), and for each the index into ``rows`` it
    came from (rows may repeat)."""
    starts = matrix.indptr[rows]
    lengths = (matrix.indptr[rows + 1] - starts) if live is None else live[rows]
    positions = np.arange(lengths.sum()) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return positions, np.repeat(np.arange(rows.size), lengths)


def find_entries(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, live: np.ndarray | None = None
                 ) -> np.ndarray:
    """For each (row, col): its position in ``matrix.indices``/``data`` among the row's
    (live) entries, -1 if absent. Costs the rows' lengths, not nnz."""
    positions, source = row_entries(matrix, rows, live)
    hit = matrix.indices[positions] == cols[source]
    found = np.full(rows.size, -1, np.int64)
    found[source[hit]] = positions[hit]
    return found


def live_first(matrix: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
    """The layer with each row's non-zero entries moved before its zero ones (which become
    free slots), and the number of non-zero entries per row.

    >>> layer = sp.csr_matrix((np.array([0, 1, 1], np.int8), np.array([1, 2, 0]), np.array([0, 2, 3, 3])),
    ...                       shape=(3, 3))
    >>> ordered, live = live_first(layer)
    >>> ordered.indices.tolist(), ordered.data.tolist(), live.tolist()
    ([2, 0, 0], [1, 0, 1], [1, 1, 0])
    """
    n = matrix.shape[0]
    row_of = np.repeat(np.arange(n), np.diff(matrix.indptr))
    dead = matrix.data == 0
    live = np.bincount(row_of, weights=~dead, minlength=n).astype(np.int64)
    if dead.any():
        order = np.lexsort((dead, row_of))
        indices = np.where(dead[order], row_of, matrix.indices[order]).astype(matrix.indices.dtype)
        matrix = sp.csr_matrix((matrix.data[order], indices, matrix.indptr.copy()), shape=matrix.shape)
        matrix.has_sorted_indices = False
    return matrix, live


def add_ties(matrix: sp.csr_matrix, live: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> sp.csr_matrix:
    """Store weight-1 entries ``(rows[k], cols[k])`` (sorted by row, none stored yet) in the
    free slots after each row's live ties, counting them in ``live``; return ``matrix``
    itself, or a rebuilt one if a row ran out of slots.

    >>> ring, live = live_first(sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]], np.int8)))
    >>> grown = add_ties(ring, live, np.array([1, 2]), np.array([2, 1]))
    >>> grown.toarray().tolist(), live.tolist()
    ([[0, 1, 0], [1, 0, 1], [0, 1, 0]], [1, 2, 1])
    """
    if rows.size == 0:
        return matrix
    first = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
    need = np.diff(np.append(first, rows.size))
    if (matrix.indptr[rows[first] + 1] - matrix.indptr[rows[first]] - live[rows[first]] < need).any():
        matrix = top_up(matrix, live, rows)
    rank = np.arange(rows.size) - np.repeat(first, need)  # k-th new tie of its row
    slots = matrix.indptr[rows] + live[rows] + rank
    matrix.indices[slots] = cols
    matrix.data[slots] = 1
    live[rows[first]] += need
    matrix.has_sorted_indices = False
    return matrix


def cut_ties(matrix: sp.csr_matrix, live: np.ndarray, positions: np.ndarray, rows: np.ndarray) -> None:
    """Remove the live entries at ``positions`` (distinct, sorted; ``rows`` their rows) in
    place: each row's last live ties fill the holes and the freed tail becomes slots.

    >>> layer, live = live_first(sp.csr_matrix(np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0],
    ...                                                   [1, 0, 0, 0]], np.int8)))
    >>> cut_ties(layer, live, np.array([0, 3, 4]), np.array([0, 1, 2]))
    >>> layer.toarray().tolist(), live.tolist()
    ([[0, 0, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]], [2, 0, 0, 1])
    """
    if positions.size == 0:
        return
    touched, cuts = np.unique(rows, return_counts=True)
    kept = live[touched] - cuts  # the live prefix each touched row keeps
    source = np.repeat(np.arange(touched.size), cuts)  # the tail each row gives up: [start + kept, start + live)
    tail = np.arange(cuts.sum()) + np.repeat(matrix.indptr[touched] + kept - (np.cumsum(cuts) - cuts), cuts)
    movers = tail[~np.isin(tail, positions, assume_unique=True)]
    holes = positions[positions < (matrix.indptr[rows] + kept[np.searchsorted(touched, rows)])]
    matrix.indices[holes] = matrix.indices[movers]
    matrix.data[holes] = matrix.data[movers]
    matrix.indices[tail] = touched[source]
    matrix.data[tail] = 0
    live[touched] = kept


def top_up(matrix: sp.csr_matrix, live: np.ndarray, rows: np.ndarray) -> sp.csr_matrix:
    """A copy of ``matrix`` in which every row has at least SLACK free slots beyond what
    ``rows`` will take; the added slots, ``(row, row, 0)``, close each row."""
    n = matrix.shape[0]
    lengths = np.diff(matrix.indptr)
    extra = np.maximum(SLACK + np.bincount(rows, minlength=n) - (lengths - live), 0)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(lengths + extra, out=indptr[1:])
    size = int(indptr[-1])
    index_type = np.int32 if max(size, n) < np.iinfo(np.int32).max else np.int64
    within = np.arange(int(extra.sum())) - np.repeat(np.cumsum(extra) - extra, extra)
    slots = np.repeat(indptr[1:] - extra, extra) + within
    is_slot = np.zeros(size, bool)
    is_slot[slots] = True
    kept = ~is_slot
    data = np.zeros(size, matrix.data.dtype)
    data[kept] = matrix.data
    indices = np.empty(size, index_type)
    indices[kept] = matrix.indices
    indices[slots] = np.repeat(np.arange(n, dtype=index_type), extra)
    grown = sp.csr_matrix((data, indices, indptr.astype(index_type)), shape=matrix.shape)
    grown.has_sorted_indices = False
    return grown
