"""The society's own tie layers: households (family, parent->child) and employment.

Seeded numpy builders like those in :mod:`trustcascade.model.networks`.
"""

from __future__ import annotations

import numpy as np

from .networks import _count, edges_to_csr

__all__ = ["bipartite_employment", "households", "FIRM_SIZE_EXPONENT"]

FIRM_SIZE_EXPONENT = 1.06
"""Pareto tail exponent of company sizes (Zipf-like; Axtell 2001, Science 293:1818)."""


def bipartite_employment(n_citizens, n_companies, employment_rate, rng, eligible=None):
    """Citizen-company employment ties with heavy-tailed company sizes.

    Each eligible citizen (``eligible``: indexes, e.g. the adults; default everyone) is
    employed with probability ``employment_rate`` by one company,
    picked in proportion to a Pareto weight (exponent :data:`FIRM_SIZE_EXPONENT`):
    a few companies are large and some may have nobody.

    Parameters
    ----------
    n_citizens, n_companies : int
    employment_rate : float
    rng : numpy.random.Generator

    Returns
    -------
    employment : scipy.sparse.csr_matrix
        ``n_citizens x n_companies``.
    employer : numpy.ndarray of int64
        Company of each citizen, -1 if unemployed.

    Examples
    --------
    >>> e, employer = bipartite_employment(1000, 20, 0.6, np.random.default_rng(1))
    >>> e.shape, int(e.sum()) == int((employer >= 0).sum())
    ((1000, 20), True)

    References
    ----------
    .. [1] Axtell, R. L. (2001). Zipf distribution of U.S. firm sizes. Science 293:1818-1820.
    """
    n, n_firms = _count(n_citizens, "n_citizens"), _count(n_companies, "n_companies")
    if not 0.0 <= employment_rate <= 1.0:
        raise ValueError(f"employment_rate must be in [0, 1]; got {employment_rate!r}")
    employer = np.full(n, -1, dtype=np.int64)
    candidates = np.arange(n) if eligible is None else np.asarray(eligible, np.int64)
    employed = candidates[rng.random(candidates.size) < employment_rate] if n_firms else employer[:0]
    if n_firms:
        weight = rng.pareto(FIRM_SIZE_EXPONENT, size=n_firms) + 1.0
        employer[employed] = rng.choice(n_firms, size=employed.size, p=weight / weight.sum())
    return edges_to_csr(employed, employer[employed], n, n_firms), employer


def households(n_citizens, mean_size, rng):
    """Family layer: households of consecutive citizens, all members tied.

    Sizes are ``1 + Poisson(mean_size - 1)``, the last cut to fit. Parent rule: the
    first member is the parent of the third and later members (the second is the
    first's partner), so no parent is a child.

    Parameters
    ----------
    n_citizens : int
    mean_size : float
    rng : numpy.random.Generator

    Returns
    -------
    family : scipy.sparse.csr_matrix
    parent : numpy.ndarray of int64
        Parent of each citizen, -1 if none.

    Examples
    --------
    >>> family, parent = households(10, 3.0, np.random.default_rng(1))
    >>> bool((parent < np.arange(10)).all())
    True
    """
    n = _count(n_citizens, "n_citizens")
    if not mean_size >= 1:
        raise ValueError(f"mean_size must be >= 1; got {mean_size!r}")
    sizes = np.empty(0, dtype=np.int64)
    while sizes.sum() < n:
        sizes = np.concatenate((sizes, 1 + rng.poisson(mean_size - 1, size=int(n / mean_size * 1.05) + 16)))
    ends = np.cumsum(sizes)
    last = int(np.searchsorted(ends, n))  # the household reaching citizen n - 1
    sizes, ends = sizes[:last + 1], ends[:last + 1]
    sizes[last] -= ends[last] - n
    ends[last] = n
    home = np.repeat(np.arange(sizes.size), sizes)
    first = (ends - sizes)[home]
    rank = np.arange(n) - first
    later = sizes[home] - rank - 1  # ties from each member to the members after it
    rows = np.repeat(np.arange(n, dtype=np.int64), later)
    cols = rows + np.arange(rows.size) - np.repeat(np.cumsum(later) - later, later) + 1
    return edges_to_csr(rows, cols, n), np.where(rank >= 2, first, -1).astype(np.int64)


# ------------------------------------------------------------------ files
