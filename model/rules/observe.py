"""observe and false_records: what the authority writes down."""

from __future__ import annotations

import numpy as np

from ..world import World


def coverage_by_domain(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Recording probability per domain for the unlisted and for the (supervised) listed.

    Base coverage is ``surveillance_coverage x visibility_<domain>``; the listed are under
    supervision (times ``supervision_multiplier``, capped at 1).
    """
    p = world.params
    base = p["surveillance_coverage"] * world.domain_vector("visibility")
    return base, np.minimum(base * p["supervision_multiplier"], 1.0)


def cell_coverage(world: World, cells: np.ndarray) -> np.ndarray:
    """Recording probability of each citizen-domain cell in ``cells``."""
    who, domain = np.divmod(cells, world.citizens.propensity.shape[1])
    base, supervised = coverage_by_domain(world)
    return np.where(world.citizens.listed[who], supervised[domain], base[domain])


def observe(world: World, rng: np.random.Generator) -> None:
    """Record true violations with per-domain coverage; listed citizens are supervised.

    Listed citizens also face random inspections (probability ``inspection_rate`` a
    month) that record every violation they commit that month -- the "extra supervision
    and random inspections" of the State Council's 2016 guiding opinions on joint
    punishment. Companies are observed at base coverage.
    """
    p, c, co = world.params, world.citizens, world.companies
    inspected = np.zeros(c.n, bool)  # who would be inspected if listed: drawn for all, cheaply
    inspected[bernoulli_cells(c.n, p["inspection_rate"], rng)] = True
    inspected &= c.listed
    cells = c.violation_cells
    chance = cell_coverage(world, cells)
    chance[inspected[cells // c.propensity.shape[1]]] = 1.0
    c.record_cells = cells[c.detectability < chance]
    base, _ = coverage_by_domain(world)
    co.recorded = co.violated & (rng.random(co.violated.shape, dtype=np.float32) < base.astype(np.float32))


def bernoulli_cells(size: int, prob: float, rng: np.random.Generator) -> np.ndarray:
    """Indexes in ``range(size)`` each chosen independently with probability ``prob``.

    Geometric skipping (Devroye 1986, *Non-Uniform Random Variate Generation*, ch. 10):
    the gaps between successes are geometric, so the cost is the number of successes,
    not ``size``; how many draws are made depends on ``size`` and ``prob`` only.
    """
    if prob <= 0 or size == 0:
        return np.zeros(0, np.int64)
    if prob >= 1:
        return np.arange(size, dtype=np.int64)
    expected = size * prob
    chunk = int(expected + 6 * np.sqrt(expected) + 16)
    def gaps():  # a gap past ``size`` ends the draw anyway; clipping keeps sums from overflowing
        return np.minimum(rng.geometric(prob, size=chunk), size + 1)

    positions = np.cumsum(gaps()) - 1
    while positions[-1] < size:
        positions = np.concatenate([positions, positions[-1] + np.cumsum(gaps())])
    return positions[positions < size]


def false_records(world: World, rng: np.random.Generator) -> None:
    """Write false records: a citizen who did not violate gets a record anyway.

    Within the authority's reach (the recording probability), each month a clean
    citizen-domain cell is wrongly recorded with probability ``record_error_rate``.
    Calibration: 26% of US consumers had a potentially material credit-report error and
    5.2% a serious one (FTC 2012); a watchlist audit found 38% of records erroneous (DOJ
    IG 2007). Drawn by thinning: candidates at the highest rate, kept in proportion.
    """
    c = world.citizens
    base, supervised = coverage_by_domain(world)
    ceiling = world.params["record_error_rate"] * max(base.max(), supervised.max())
    candidates = bernoulli_cells(c.propensity.size, ceiling, rng)
    keep = rng.random(candidates.size) * ceiling < world.params["record_error_rate"] * cell_coverage(
        world, candidates)
    domain = candidates % c.propensity.shape[1]
    keep &= world.domain_vector("weight")[domain] > 0
    keep &= ~np.isin(candidates, c.violation_cells, assume_unique=True)
    false = candidates[keep]
    c.false_cells = false
