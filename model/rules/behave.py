"""behave: who violates, in which domain, this month."""

from __future__ import annotations

import numpy as np

from ..world import FINANCIAL, POLITICAL, World, row_entries


def expected_penalty(world: World) -> np.ndarray:
    """Per-domain expected loss from one violation, as a share of the margin above listing.

    A violation is recorded with probability coverage x visibility and then costs its
    domain weight; the margin is how many points one can lose before being listed.
    """
    p = world.params
    coverage = p["surveillance_coverage"] * world.domain_vector("visibility")
    margin = max(p["initial_score"] - p["listing_threshold"], 1.0)
    return coverage * world.domain_vector("weight") / margin


def friends_violating(world: World, cells: np.ndarray) -> np.ndarray:
    """Per citizen and domain, how many friends committed the violations ``cells``.

    Gathers the friends of the (few) violators instead of multiplying the whole (n, 6)
    array by the tie matrix: the tie layer is symmetric, so both count the same.
    """
    friends, n_domains = world.ties.friends, world.citizens.propensity.shape[1]
    positions, source = row_entries(friends, cells // n_domains)
    target = friends.indices[positions].astype(np.int64) * n_domains + cells[source] % n_domains
    counts = np.bincount(target, weights=friends.data[positions], minlength=friends.shape[0] * n_domains)
    return counts.reshape(friends.shape[0], n_domains)


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

    A domain whose weight is 0 is off. Draws: one uniform per citizen and domain, every
    step, so other rules' switches never shift this rule's stream. The uniform also
    decides detection in ``observe`` (u / p is uniform given a violation), so a violation
    and its recording share one draw and stay paired across policies.
    """
    p, c, co = world.params, world.citizens, world.companies
    deterrence = np.exp(-p["deterrence"] * expected_penalty(world)).astype(np.float32)
    active = world.domain_vector("weight") > 0
    prob = c.propensity * deterrence
    if p["strain"] > 0:
        prob[:, FINANCIAL] *= 1.0 + p["strain"] * c.income_loss.astype(np.float32)
    prob[:, POLITICAL] *= 1.0 - c.chill.astype(np.float32)
    if p["conformity"] > 0:
        degree = np.maximum(world.friend_degree, 1.0)[:, None]
        seen = (friends_violating(world, c.violation_cells) / degree).astype(np.float32)
        prob = (1.0 - p["conformity"]) * prob + p["conformity"] * seen
    prob[:, ~active] = 0.0
    draw = rng.random(prob.shape, dtype=np.float32)
    cells = np.flatnonzero(draw < prob)
    c.violation_cells = cells
    c.detectability = draw.ravel()[cells] / prob.ravel()[cells]
    c.ever_violated[cells // prob.shape[1]] = True

    company_prob = co.propensity * deterrence
    company_prob[:, ~active] = 0.0
    co.violated = rng.random(company_prob.shape, dtype=np.float32) < company_prob
