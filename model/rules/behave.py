"""behave: who violates, in which domain, this month."""

from __future__ import annotations

import numpy as np

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


def add_conformity(world: World, prob: np.ndarray, weight: float) -> None:
    """Blend ``prob`` in place with the share of friends who violated last month, per domain.

    Works from the (few) violators outward: each violation adds ``weight / degree`` to its
    violator's friends, so nothing of size (n, 6) is built beyond ``prob`` itself. The tie
    layer is symmetric, so "friends of violators" is "violators among friends".
    """
    friends, n_domains = world.ties.friends, prob.shape[1]
    cells = world.citizens.violation_cells
    positions, source = row_entries(friends, cells // n_domains)
    friend = friends.indices[positions].astype(np.int64)
    share = friends.data[positions] / np.maximum(world.friend_degree[friend], 1.0)
    prob *= np.float32(1.0 - weight)
    np.add.at(prob.ravel(), friend * n_domains + cells[source] % n_domains, (weight * share).astype(np.float32))


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
        add_conformity(world, prob, p["conformity"])
    prob[:, ~active] = 0.0
    draw = rng.random(prob.shape, dtype=np.float32)
    cells = np.flatnonzero(draw < prob)
    c.violation_cells = cells
    c.detectability = draw.ravel()[cells] / prob.ravel()[cells]
    c.ever_violated[cells // prob.shape[1]] = True

    company_prob = co.propensity * deterrence
    company_prob[:, ~active] = 0.0
    co.violated = rng.random(company_prob.shape, dtype=np.float32) < company_prob
