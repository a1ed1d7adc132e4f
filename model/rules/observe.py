"""observe and false_records: what the authority writes down."""

from __future__ import annotations

import numpy as np

from ..world import World


def coverage(world: World) -> np.ndarray:
    """Probability that each citizen's violation in each domain is recorded, shape (n, 6).

    Base coverage is ``surveillance_coverage x visibility_<domain>``; the listed are under
    supervision (times ``supervision_multiplier``, capped at 1). Inspections are drawn in
    :func:`observe`.
    """
    p, c = world.params, world.citizens
    base = (p["surveillance_coverage"] * world.domain_vector("visibility")).astype(np.float32)
    supervised = np.minimum(base * p["supervision_multiplier"], 1.0).astype(np.float32)
    return np.where(c.listed[:, None], supervised[None, :], base[None, :])


def observe(world: World, rng: np.random.Generator) -> None:
    """Record true violations with per-domain coverage; listed citizens are supervised.

    Listed citizens also face random inspections (probability ``inspection_rate`` a
    month) that record every violation they commit that month -- the "extra supervision
    and random inspections" of the State Council's 2016 guiding opinions on joint
    punishment. Companies are observed at base coverage.
    """
    p, c, co = world.params, world.citizens, world.companies
    chance = coverage(world)
    inspected = c.listed & (rng.random(c.n, dtype=np.float32) < p["inspection_rate"])
    chance[inspected] = 1.0
    c.recorded = c.violated & (rng.random(chance.shape, dtype=np.float32) < chance)
    base = (p["surveillance_coverage"] * world.domain_vector("visibility")).astype(np.float32)
    co.recorded = co.violated & (rng.random(co.violated.shape, dtype=np.float32) < base)


def false_records(world: World, rng: np.random.Generator) -> None:
    """Write false records: a citizen who did not violate gets a record anyway.

    Within the authority's reach (probability :func:`coverage`), each month a clean
    citizen-domain cell is wrongly recorded with probability ``record_error_rate``.
    Calibration: 26% of US consumers had a potentially material credit-report error and
    5.2% a serious one (FTC 2012); a watchlist audit found 38% of records erroneous (DOJ
    IG 2007).
    """
    p, c = world.params, world.citizens
    active = world.domain_vector("weight") > 0
    chance = coverage(world) * p["record_error_rate"]
    false = ~c.violated & (rng.random(chance.shape, dtype=np.float32) < chance)
    false[:, ~active] = False
    c.false_recorded = false
    c.recorded = c.recorded | false
    c.ever_false_record |= false.any(axis=1)
    world.log.false_records = int(false.sum())
