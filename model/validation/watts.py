"""Watts (2002) global cascades, run by the society model with every other rule off.

Watts, D. J. (2002). A simple model of global cascades on random networks. PNAS 99(9):5766.
A node turns on for good once at least a fraction ``phi`` of its ``k`` neighbours are on
(nodes without neighbours never do, unless ``phi <= 0``). The preset ``watts2002`` is that
rule: only ``associate`` and ``list`` run, listing is permanent, ``association_weight`` is
1000 and ``listing_threshold = 1000 - 1000 phi``, so a citizen is listed exactly when the
share of listed friends reaches ``phi``. The final size of a monotone threshold cascade does
not depend on the order of updates, so stepping synchronously until a step lists nobody
gives Watts' final cascade size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

GLOBAL = 0.01
"""A cascade is global when its final size, initially listed excluded, exceeds 1% of nodes."""

INITIAL_SCORE = 1000.0


def trial_seeds(seed: int, trials: int) -> list[int]:
    """One independent seed per trial, spawned from ``seed`` (numpy SeedSequence)."""
    children = np.random.SeedSequence(seed).spawn(trials)
    return [int(child.generate_state(1, np.uint64)[0] >> np.uint64(1)) for child in children]


def settle(model, max_steps: int | None = None) -> int:
    """Step ``model`` until a step lists nobody (the cascade's end); return the steps taken."""
    limit = max_steps if max_steps is not None else model.world.citizens.n + 1
    for steps in range(1, limit + 1):
        model.step()
        if model.world.step_log.new_listed.size == 0:
            return steps
    raise RuntimeError(f"cascade still growing after {limit} steps")


def watts_trial(phi: float, mean_degree: float, n: int = 10_000, seed: int = 0,
                seed_fraction: float | None = None) -> float:
    """Final cascade size (share of all nodes, initially listed included) of one trial:
    a new Erdos-Renyi graph and new initially listed nodes, both drawn from ``seed``."""
    from trustcascade.model.model import TrustCascade

    seeds = {"initial_listed": 1} if seed_fraction is None else \
        {"initial_listed": 0, "initial_listed_share": seed_fraction}
    model = TrustCascade(rng=seed, preset="watts2002", agents=False, n_citizens=n,
                         mean_degree=mean_degree, association_weight=INITIAL_SCORE,
                         listing_threshold=INITIAL_SCORE * (1.0 - phi), **seeds)
    settle(model)
    return float(model.world.citizens.listed.mean())


@dataclass(frozen=True)
class WattsResult:
    """The outcome of ``trials`` Watts trials; sizes are shares of all nodes."""

    phi: float
    mean_degree: float
    n: int
    seed: int
    seed_fraction: float | None
    sizes: np.ndarray

    @property
    def trials(self) -> int:
        return int(self.sizes.size)

    @property
    def initial(self) -> float:
        return self.seed_fraction if self.seed_fraction is not None else 1.0 / self.n

    @property
    def is_global(self) -> np.ndarray:
        return self.sizes - self.initial > GLOBAL

    @property
    def share_global(self) -> float:
        return float(self.is_global.mean())

    @property
    def mean_global_size(self) -> float | None:
        return float(self.sizes[self.is_global].mean()) if self.is_global.any() else None

    def as_dict(self) -> dict:
        return {"share_global": self.share_global, "mean_global_size": self.mean_global_size,
                "global_trials": int(self.is_global.sum()), "trials": self.trials, "phi": self.phi,
                "mean_degree": self.mean_degree, "n": self.n, "seed_fraction": self.seed_fraction,
                "seed": self.seed}


def run_watts(phi: float, mean_degree: float, n: int = 10_000, trials: int = 100, seed: int = 0,
              seed_fraction: float | None = None) -> WattsResult:
    """Run ``trials`` independent Watts trials (trial seeds spawned from ``seed``)."""
    sizes = np.array([watts_trial(phi, mean_degree, n, s, seed_fraction) for s in trial_seeds(seed, trials)])
    return WattsResult(phi, mean_degree, n, seed, seed_fraction, sizes)


def vulnerable_degree(phi: float) -> int:
    """Largest degree k with one active neighbour enough (phi <= 1/k), read exactly: 0.18 is 9/50."""
    if phi <= 0:
        return math.inf
    return int(1 / Fraction(phi).limit_denominator(10**6))


def cascade_excess(mean_degree: float, phi: float) -> float:
    """sum_k k (k-1) rho_k p_k - z for Poisson degrees p_k with mean z, rho_k = 1[k <= 1/phi]
    (k >= 1): positive inside the window of global cascades (Watts 2002, eq. 6)."""
    from scipy.stats import poisson

    z = mean_degree
    k = np.arange(1, min(vulnerable_degree(phi), int(z + 40 * math.sqrt(z + 1) + 40)) + 1)
    return float(np.sum(k * (k - 1) * poisson.pmf(k, z)) - z)


def cascade_window(phi: float, z_max: float = 50.0) -> tuple[float, float] | None:
    """The (lower, upper) mean degrees between which the cascade condition holds, or None."""
    from scipy.optimize import brentq

    grid = np.linspace(0.01, z_max, 2000)
    inside = np.array([cascade_excess(z, phi) > 0 for z in grid])
    if not inside.any():
        return None
    first, last = np.flatnonzero(inside)[[0, -1]]
    lower = brentq(cascade_excess, grid[first - 1], grid[first], args=(phi,)) if first else grid[0]
    upper = brentq(cascade_excess, grid[last], grid[last + 1], args=(phi,)) \
        if last + 1 < grid.size else math.inf
    return float(lower), float(upper)
