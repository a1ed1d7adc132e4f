"""behave: who violates, in which domain, this month."""

from __future__ import annotations

import numpy as np

from ..forced import force_violations
from ..state import NO_CELLS
from ..world import FINANCIAL, POLITICAL, World, row_entries


def expected_penalty(world: World) -> np.ndarray:
    """Per-domain expected loss from one violation, as a share of the margin above listing.

    A violation is recorded with probability coverage x visibility and then costs its
    domain weight; the margin is how many points one can lose before being listed. Under
    joint sanctions a listing restricts every domain, so it weighs ``joint_severity``
    times more (Becker 1968: deterrence grows with probability x severity).
    """
    p = world.params
    coverage = p["surveillance_coverage"] * world.domain_vector("visibility")
    margin = max(p["initial_score"] - p["listing_threshold"], 1.0)
    severity = p["joint_severity"] if p["sanction_scope"] == "joint" else 1.0
    return severity * coverage * world.domain_vector("weight") / margin


def conformity_cells(world: World, weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Adult cells (``adult_rank * 6 + domain``, active domains) that friends' violations
    last month pull on, and the pull of each: ``weight`` x the violating friend's share of
    the adult's ties.

    Works from the (few) violators outward; the tie layer is symmetric, so "friends of
    violators" is "violators among friends". A cell may appear once per violating friend.
    """
    friends, n_domains = world.ties.friends, world.citizens.propensity.shape[1]
    cells = world.citizens.violation_cells
    cells = cells[world.domain_vector("weight")[cells % n_domains] > 0]  # a domain just switched off
    positions, source = row_entries(friends, cells // n_domains, world.friend_live)
    friend = friends.indices[positions]
    rank = world.adult_rank[friend]
    adult = rank >= 0  # children are not pulled
    friend, rank, positions, source = friend[adult], rank[adult], positions[adult], source[adult]
    share = friends.data[positions] / np.maximum(world.friend_degree[friend], 1.0)
    return rank * n_domains + cells[source] % n_domains, (weight * share).astype(np.float32)


def baseline(world: World, factor: np.ndarray) -> np.ndarray:
    """Flat ``propensity x factor`` of the adults (``factor`` per domain: deterrence x
    (1 - conformity), 0 in switched-off domains): the probability of everyone whom no
    sanction, chill or friend moves. It changes only with the parameters, so it is kept
    between steps (``propensity`` is read-only)."""
    c = world.citizens
    cached = world.cache.get("behave_baseline")
    if cached is None or cached[0] is not c.propensity or cached[1] != tuple(factor):
        product = c.propensity[world.adults] * factor.astype(np.float32)
        cached = c.propensity, tuple(factor), product.ravel()
        world.cache["behave_baseline"] = cached
    return cached[2]


def scratch(world: World, name: str, size: int, dtype) -> np.ndarray:
    """A buffer of ``size`` kept between steps (no fresh pages each step)."""
    buffer = world.cache.get(name)
    if buffer is None or buffer.size != size:
        buffer = world.cache[name] = np.zeros(size, dtype)
    return buffer


def behave(world: World, rng: np.random.Generator) -> None:
    """Each citizen and company may violate in each active domain.

    The monthly probability starts from the person's propensity (heterogeneous, Beta
    distributed) and is shaped by four forces:

    - deterrence: multiplied by ``exp(-deterrence x expected penalty)`` (Becker 1968,
      "Crime and punishment: an economic approach");
    - strain: loan default rises by ``1 + strain x income_loss`` for those whose income
      sanctions cut (Agnew 1992, general strain theory);
    - chilling: political criticism falls by ``chill`` (Penney 2016 measured ~20%);
    - conformity: blended with the share of friends who violated last month,
      weight ``conformity`` (Akers' social learning; Centola & Macy 2007).

    Children (who have a parent) do not violate: no loans, cars, contracts or court cases
    of their own, and no friends pull them into any. A domain whose weight is 0 is off.
    Draws: one uniform per adult and domain, every step, so other rules' switches never
    shift this rule's stream. The uniform also decides detection in ``observe`` (u / p is
    uniform given a violation), so a violation and its recording share one draw and stay
    paired across policies.

    The product propensity x deterrence x (1 - conformity) is kept between steps. Strain,
    chill and friends move a few thousand of its cells for this step only; their values
    are put back afterwards (not recomputed), so nothing of size (n, 6) is copied.
    """
    p, c, co = world.params, world.citizens, world.companies
    n_domains = c.propensity.shape[1]
    conformity = p["conformity"]
    deterrence = np.exp(-p["deterrence"] * expected_penalty(world))
    deterrence[world.domain_vector("weight") <= 0] = 0.0  # a domain switched off
    prob = baseline(world, deterrence * (1.0 - conformity))
    strained = np.flatnonzero(c.income_loss != 0) if p["strain"] > 0 else NO_CELLS
    strained = strained[world.adult_rank[strained] >= 0]
    chilled = np.flatnonzero(c.chill != 0)
    chilled = chilled[world.adult_rank[chilled] >= 0]
    strained_cells = world.adult_rank[strained] * n_domains + FINANCIAL
    chilled_cells = world.adult_rank[chilled] * n_domains + POLITICAL
    strain = 1.0 + p["strain"] * c.income_loss[strained].astype(np.float32)
    quiet = 1.0 - c.chill[chilled].astype(np.float32)
    moved, pull = conformity_cells(world, conformity) if conformity > 0 else (NO_CELLS, np.zeros(0, np.float32))
    touched = np.concatenate([strained_cells, chilled_cells, moved])
    kept = prob[touched]
    try:
        prob[strained_cells] *= strain
        prob[chilled_cells] *= quiet
        np.add.at(prob, moved, pull)
        draw = rng.random(prob.size, dtype=np.float32, out=scratch(world, "behave_draw", prob.size, np.float32))
        hits = np.flatnonzero(np.less(draw, prob, out=scratch(world, "behave_hit", prob.size, bool)))
        detectability = draw[hits] / prob[hits]
        hits, detectability = force_violations(world, hits, detectability, draw, prob)  # seats' choices
    finally:
        prob[touched] = kept  # the baseline again, exactly
    who = world.adults[hits // n_domains]
    c.violation_cells = who * n_domains + hits % n_domains
    c.detectability = detectability
    c.ever_violated[who] = True

    company_prob = co.propensity * deterrence.astype(np.float32)
    co.violated = rng.random(company_prob.shape, dtype=np.float32) < company_prob
