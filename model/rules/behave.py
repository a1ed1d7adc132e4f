"""behave: who violates, in which domain, this month."""

from __future__ import annotations

import numpy as np

from ..domains import Domain
from ..forced import force_violations
from ..state import NO_CELLS
from ..world import World

NO_MOVE = (NO_CELLS, np.zeros(0, np.float32))


def expected_penalty(world: World) -> np.ndarray:
    """Per-domain expected loss from one violation, as a share of the margin above listing.

    A violation is recorded with probability coverage x visibility and then costs its
    domain weight; the margin is how many points one can lose before being listed. Under
    joint sanctions a listing restricts every domain, so it weighs ``joint_severity``
    times more (Becker 1968: deterrence grows with probability x severity).
    """
    params = world.params
    coverage = params["surveillance_coverage"] * world.domain_vector("visibility")
    margin = max(params["initial_score"] - params["listing_threshold"], 1.0)
    severity = params["joint_severity"] if params["sanction_scope"] == "joint" else 1.0
    return severity * coverage * world.domain_vector("weight") / margin


def deterrence(world: World) -> np.ndarray:
    """Per domain, the factor ``exp(-deterrence x expected penalty)`` on the probability
    to violate (Becker 1968); 0 in a domain switched off (weight 0)."""
    factor = np.exp(-world.params["deterrence"] * expected_penalty(world))
    factor[world.domain_vector("weight") <= 0] = 0.0
    return factor


def strain(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Loan-default cells of adults whose income sanctions cut, and the factor on each:
    ``1 + strain x income_loss`` (Agnew 1992, general strain theory)."""
    citizens, weight = world.citizens, world.params["strain"]
    strained = np.flatnonzero(citizens.income_loss != 0) if weight > 0 else NO_CELLS
    strained = strained[world.adult_rank[strained] >= 0]
    cells = world.adult_rank[strained] * len(Domain) + Domain.FINANCIAL
    return cells, 1.0 + weight * citizens.income_loss[strained].astype(np.float32)


def chilling(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Criticism cells of chilled adults, and the factor on each: ``1 - chill``
    (Penney 2016 measured about -20% in privacy-sensitive reading after surveillance news)."""
    citizens = world.citizens
    chilled = np.flatnonzero(citizens.chill != 0)
    chilled = chilled[world.adult_rank[chilled] >= 0]
    cells = world.adult_rank[chilled] * len(Domain) + Domain.POLITICAL
    return cells, 1.0 - citizens.chill[chilled].astype(np.float32)


def conformity(world: World, weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Adult cells (``adult_rank * 6 + domain``, active domains) that friends' violations
    last month pull on, and the pull of each: ``weight`` x the violating friend's share of
    the adult's ties (Akers' social learning; Centola & Macy 2007).

    Works from the (few) violators outward: friendship is symmetric, so "friends of
    violators" is "violators among friends". A cell may appear once per violating friend.
    """
    if weight <= 0:
        return NO_MOVE
    cells = world.citizens.violation_cells
    cells = cells[world.domain_vector("weight")[cells % len(Domain)] > 0]  # a domain just switched off
    ties = world.friendships_of(cells // len(Domain))
    rank = world.adult_rank[ties.contact]
    adult = rank >= 0  # children are not pulled
    share = ties.weight[adult] / np.maximum(world.friend_degree[ties.contact[adult]], 1.0)
    domain = cells[ties.whose[adult]] % len(Domain)
    return rank[adult] * len(Domain) + domain, (weight * share).astype(np.float32)


def behave(world: World, rng: np.random.Generator) -> None:
    """Each adult and company may violate in each active domain.

    The monthly probability starts from the person's propensity (heterogeneous, Beta
    distributed) and is shaped by four forces, in this order: deterrence, strain, chill
    and conformity (blended with the friends who violated last month, weight
    ``conformity``). Children do not violate: no loans, cars, contracts or court cases of
    their own, and no friends pull them into any.

    Draws: one uniform per adult and domain, every step, so other rules' switches never
    shift this rule's stream. The uniform also decides detection in ``observe`` (u / p is
    uniform given a violation), so a violation and its recording share one draw and stay
    paired across policies.
    """
    params, citizens, companies = world.params, world.citizens, world.companies
    deterred = deterrence(world)
    pull = params["conformity"]
    odds = world.adult_probability
    odds.baseline(citizens.propensity, deterred * (1.0 - pull), rows=world.adults)
    with odds.moved(scale=[strain(world), chilling(world)], add=[conformity(world, pull)]) as probability:
        hits, detectability = odds.draw(probability, rng)
        hits, detectability = force_violations(world, hits, detectability, odds.uniforms, probability)
    who = world.adults[hits // len(Domain)]
    citizens.violation_cells = who * len(Domain) + hits % len(Domain)
    citizens.detectability = detectability
    citizens.ever_violated[who] = True

    company_probability = companies.propensity * deterred.astype(np.float32)
    companies.violated = rng.random(company_probability.shape, dtype=np.float32) < company_probability
