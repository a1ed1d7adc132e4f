"""observe and false_records: what the authority writes down."""

from __future__ import annotations

import numpy as np

from ..domains import Domain
from ..sampling import bernoulli_cells
from ..world import World


def coverage_by_domain(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Recording probability per domain for the unlisted and for the (supervised) listed.

    Base coverage is ``surveillance_coverage x visibility_<domain>``; the listed are under
    supervision (times ``supervision_multiplier``, capped at 1).
    """
    params = world.params
    base = params["surveillance_coverage"] * world.domain_vector("visibility")
    return base, np.minimum(base * params["supervision_multiplier"], 1.0)


def cell_coverage(world: World, cells: np.ndarray) -> np.ndarray:
    """Recording probability of each citizen-domain cell in ``cells``."""
    who, domain = np.divmod(cells, len(Domain))
    base, supervised = coverage_by_domain(world)
    chance = np.where(world.citizens.listed[who], supervised[domain], base[domain])
    if world.blacklists:  # the red-listed are inspected less
        chance *= np.where(world.citizens.lists.red[who], world.params["red_list_inspection"], 1.0)
    return chance


def observe(world: World, rng: np.random.Generator) -> None:
    """Record true violations with per-domain coverage; listed citizens are supervised.

    Listed citizens also face random inspections (probability ``inspection_rate`` a
    month) that record every violation they commit that month -- the "extra supervision
    and random inspections" of the State Council's 2016 guiding opinions on joint
    punishment. Companies are observed at base coverage. Under the national design the
    red-listed are recorded ``red_list_inspection`` times as often (fewer inspections).
    """
    params, citizens, companies = world.params, world.citizens, world.companies
    inspected = np.zeros(citizens.n, bool)  # who would be inspected if listed: drawn for all, cheaply
    inspected[bernoulli_cells(citizens.n, params["inspection_rate"], rng)] = True
    inspected &= citizens.listed
    cells = citizens.violation_cells
    chance = cell_coverage(world, cells)
    chance[inspected[cells // len(Domain)]] = 1.0
    citizens.record_cells = cells[citizens.detectability < chance]
    base, _ = coverage_by_domain(world)
    firm_chance = base.astype(np.float32)[None, :]
    if world.blacklists:
        firm_chance = firm_chance * np.where(companies.lists.red, np.float32(world.params["red_list_inspection"]),
                                             np.float32(1.0))[:, None]
    companies.recorded = companies.violated & (
        rng.random(companies.violated.shape, dtype=np.float32) < firm_chance)


def false_records(world: World, rng: np.random.Generator) -> None:
    """Write false records: a citizen who did not violate gets a record anyway.

    Within the authority's reach (the recording probability), each month a clean
    citizen-domain cell is wrongly recorded with probability ``record_error_rate``.
    Calibration: 26% of US consumers had a potentially material credit-report error and
    5.2% a serious one (FTC 2012); a watchlist audit found 38% of records erroneous (DOJ
    IG 2007). Drawn by thinning: candidates at the highest rate, kept in proportion.
    """
    citizens, error_rate = world.citizens, world.params["record_error_rate"]
    base, supervised = coverage_by_domain(world)
    ceiling = error_rate * max(base.max(), supervised.max())
    candidates = bernoulli_cells(citizens.propensity.size, ceiling, rng)
    keep = rng.random(candidates.size) * ceiling < error_rate * cell_coverage(world, candidates)
    keep &= world.domain_vector("weight")[candidates % len(Domain)] > 0
    keep &= ~np.isin(candidates, citizens.violation_cells, assume_unique=True)
    citizens.false_cells = candidates[keep]
