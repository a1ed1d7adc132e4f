"""collect: the per-step measurements, one row per step.

Column meanings are a public contract (README lists them). Network metrics
(largest component, score assortativity) cost several passes over the ties, so
they are recomputed every ``network_metrics_every`` steps and only when ties
changed, and carried forward in between.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .params import DOMAINS
from .state import CAUSES
from .world import World

COLUMNS = (
    ["step", "listed_share", "company_listed_share", "new_listings"]
    + [f"new_listings_{cause.label}" for cause in CAUSES]
    + ["collateral_share", "violation_rate"]
    + [f"violation_rate_{d}" for d in DOMAINS]
    + ["mean_score", "score_gini", "bottom5_never_violated_share", "largest_component_share",
       "score_assortativity", "ties_cut", "mean_degree_listed", "mean_degree_unlisted"]
)


def gini(values: np.ndarray, ordered: np.ndarray | None = None) -> float:
    """Gini coefficient of non-negative values (0 = all equal); ``ordered`` = the values sorted.

    >>> round(gini(np.array([1.0, 1.0, 1.0, 1.0])), 6)
    0.0
    """
    if values.size == 0:
        return 0.0
    ordered = np.sort(values) if ordered is None else ordered
    total = ordered.sum()
    if total <= 0:
        return 0.0
    ranks = np.arange(1, ordered.size + 1)
    return float((2.0 * (ranks * ordered).sum() / (ordered.size * total)) - (ordered.size + 1) / ordered.size)


def largest_component_share(world: World) -> float:
    """Share of citizens in the largest connected component of family + friend ties."""
    ties = (world.ties.friends + world.ties.family).tocsr()
    ties.eliminate_zeros()
    _, labels = connected_components(ties, directed=False)
    return float(np.bincount(labels).max() / labels.size) if labels.size else 0.0


def score_assortativity(world: World) -> float:
    """Pearson correlation of the scores at the two ends of each friendship (Newman 2003,
    "Mixing patterns in networks", PRE 67:026126), from one matrix-vector product:
    with degrees d and scores s over a symmetric tie matrix A, the end-of-tie mean is
    d.s / sum(d) and the cross moment s.(A s) / sum(d).
    """
    friends, score = world.ties.friends, world.citizens.score
    degree = world.friend_degree
    ends = degree.sum()
    if ends < 2:
        return 0.0
    mean = degree @ score / ends
    variance = degree @ (score - mean) ** 2 / ends
    if variance <= 1e-12 * max(1.0, mean * mean):
        return 0.0
    centred = score - mean
    return float(centred @ (friends @ centred) / ends / variance)


class Collector:
    """Measures the world after each step; keeps the rows."""

    def __init__(self, world: World):
        self.world = world
        self.rows: list[dict] = []
        self._network: dict = {}
        self._last_network_step = None
        self._order = np.arange(world.citizens.n)

    def network_metrics(self) -> dict:
        """Components (only when ties changed) and assortativity, every ``network_metrics_every`` steps."""
        world = self.world
        last = self._last_network_step
        if last is not None and world.step - last < world.params["network_metrics_every"]:
            return self._network
        if world.ties.changed or "largest_component_share" not in self._network:
            self._network["largest_component_share"] = largest_component_share(world)
            world.ties.changed = False
        self._network["score_assortativity"] = score_assortativity(world)
        self._last_network_step = world.step
        return self._network

    def collect(self) -> dict:
        """Measure the world now and append the row."""
        world, c, co = self.world, self.world.citizens, self.world.companies
        n = c.n
        listed = c.listed
        n_listed = int(np.count_nonzero(listed))
        active = max(int((world.domain_vector("weight") > 0).sum()), 1)
        per_domain = np.bincount(c.violation_cells % len(DOMAINS), minlength=len(DOMAINS)) / n
        degree = world.friend_degree
        # Scores move little from one step to the next: sorting last step's order again is
        # nearly linear with a stable (merge) sort, unlike a fresh sort.
        order = self._order[np.argsort(c.score[self._order], kind="stable")]
        self._order = order
        ordered = c.score[order]
        k = max(1, int(np.ceil(0.05 * n)))
        bottom = order[:k]
        row = {
            "step": world.step,
            "listed_share": n_listed / n,
            "company_listed_share": float(co.listed.mean()) if co.n else 0.0,
            "new_listings": int(world.log.new_listed.size),
        }
        for cause in CAUSES:
            row[f"new_listings_{cause.label}"] = world.log.new_by_cause[cause]
        row["collateral_share"] = float((listed & ~c.ever_violated).sum() / n_listed) if n_listed else 0.0
        row["violation_rate"] = float(c.violation_cells.size / (n * active))
        for j, domain in enumerate(DOMAINS):
            row[f"violation_rate_{domain}"] = float(per_domain[j])
        row["mean_score"] = float(c.score.mean())
        row["score_gini"] = gini(c.score, ordered)
        row["bottom5_never_violated_share"] = float((~c.ever_violated[bottom]).mean())
        row.update(self.network_metrics())
        row["ties_cut"] = world.log.ties_cut
        row["mean_degree_listed"] = float(degree[listed].mean()) if n_listed else 0.0
        row["mean_degree_unlisted"] = float(degree[~listed].mean()) if n_listed < n else 0.0
        self.rows.append(row)
        return row
