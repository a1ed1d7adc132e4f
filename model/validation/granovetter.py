"""Granovetter (1978) riot thresholds, run by the society model on a complete graph.

Granovetter, M. (1978). Threshold models of collective behavior. American Journal of
Sociology 83(6):1420-1443. Person i joins once at least ``T_i`` others have joined. In the
preset ``granovetter`` everyone is everyone's friend (Erdos-Renyi with mean degree n - 1,
i.e. p = 1), ``association_weight = n - 1`` makes the penalty equal the *number* of listed
others (for n > 1001 it is scaled down to 1000 points, since scores cannot fall below 0),
and per-person score thresholds ``1000 - T_i`` (set from code in ``citizens.threshold``)
list i exactly when that number reaches ``T_i``.

The complete graph is set from code: it is the graph the Erdos-Renyi builder returns at
p = 1, but that builder samples distinct pairs by rejection and needs seconds at n = 200
(minutes at n = 1000) when every pair is taken.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..schema import ParameterError
from .watts import INITIAL_SCORE, settle

MAX_PEOPLE = 2000
"""The complete graph holds n (n - 1) ties (4 M here), and a riot can take n steps: thresholds
0..1999 run 2000 steps of a 4 M-tie matvec, about half a minute."""


def check_thresholds(thresholds) -> np.ndarray:
    """Whole-number thresholds >= 0 for 2..MAX_PEOPLE people, or a one-line error."""
    values = np.asarray(thresholds, dtype=float)
    if values.ndim != 1 or not 2 <= values.size <= MAX_PEOPLE:
        raise ParameterError("--thresholds", f"--thresholds needs 2 to {MAX_PEOPLE} thresholds, one per "
                             f"person; got {values.size}")
    if not np.all(np.isfinite(values)) or np.any(values < 0) or np.any(values != np.round(values)):
        raise ParameterError("--thresholds", "--thresholds must be whole numbers >= 0")
    return values.astype(np.int64)


def equilibrium(thresholds) -> int:
    """Number of participants once nobody else joins, for integer ``thresholds`` (one per person)."""
    from trustcascade.model.model import TrustCascade

    thresholds = check_thresholds(thresholds)
    n = thresholds.size
    weight = (n - 1) * min(1.0, INITIAL_SCORE / (n - 1))  # scores stay >= 0 for n > 1001
    model = TrustCascade(rng=0, preset="granovetter", agents=False, n_citizens=n, mean_degree=0.0,
                         association_weight=weight, listing_threshold=INITIAL_SCORE)
    model.world.replace_friendships(complete_graph(n))
    # the same arithmetic as the penalty, weight x (joined / (n - 1)), so joined == T lists exactly
    model.world.citizens.threshold = INITIAL_SCORE - weight * (thresholds / (n - 1))
    settle(model)
    return int(model.world.citizens.listed.sum())


def complete_graph(n: int) -> sp.csr_matrix:
    """Everyone tied to everyone else (int8 weights, no self-ties), as the tie layers are stored."""
    everyone = np.ones((n, n), np.int8)
    np.fill_diagonal(everyone, 0)
    return sp.csr_matrix(everyone)


def normal_thresholds(n: int, mean: float, sd: float, seed: int = 0) -> np.ndarray:
    """Thresholds drawn Normal(mean, sd), rounded to the nearest integer, clipped at 0
    (Granovetter's normal distributions of thresholds, Fig. 2)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    return np.clip(np.rint(rng.normal(mean, sd, size=n)), 0, None).astype(np.int64)


def uniform_thresholds(n: int) -> np.ndarray:
    """Granovetter's uniform distribution 0, 1, ..., n - 1: everyone joins, one by one."""
    return np.arange(n)
