"""behave: who violates, in which domain, this month."""

from __future__ import annotations

import numpy as np

from ..beliefs import Beliefs, announced, deterrence_factor, deterrence_scale
from ..domains import Domain
from ..forced import force_violations
from ..state import NO_CELLS
from ..world import World

NO_MOVE = (NO_CELLS, np.zeros(0, np.float32))


def announced_deterrence(world: World) -> np.ndarray:
    """Per domain, the factor on the probability to violate when everyone believes what is
    announced (``rule_learn`` off: the fixed-belief baseline); 0 in a domain switched off."""
    detection, cost = announced(world.params, world.domain_vector)
    factor = deterrence_factor(detection, deterrence_scale(world.params, world.domain_vector), cost)
    factor[world.domain_vector("weight") <= 0] = 0.0
    return factor


def learned_deterrence(world: World, beliefs: Beliefs, cells: np.ndarray | None = None) -> np.ndarray:
    """Per row and domain, the factor on the probability to violate under the row's own
    beliefs (``trustcascade.model.beliefs``); 0 in a domain switched off. Per flat cell of
    ``cells``, or as a (rows, 6) array when ``cells`` is None."""
    active = world.domain_vector("weight") > 0
    return learned_factor(world, beliefs, cells) * (active if cells is None else active[cells % len(Domain)])


def learned_factor(world: World, beliefs: Beliefs, cells: np.ndarray | None = None) -> np.ndarray:
    """:func:`learned_deterrence` before switched-off domains are zeroed: per flat cell
    (``row * 6 + domain``) of ``cells``, or as a (rows, 6) array when ``cells`` is None
    (the two agree bit for bit)."""
    scale = deterrence_scale(world.params, world.domain_vector)
    if cells is None:
        return deterrence_factor(beliefs.detection(), scale, beliefs.listing_cost()[:, None])
    rows, domain = np.divmod(cells, len(Domain))
    return deterrence_factor(beliefs.detection(cells), scale[domain], beliefs.listing_cost(rows))


def _keep_learned_bound(world: World, odds, pull: float) -> None:
    """Keep ``propensity x (1 - pull)`` of adults (0 in switched-off domains) as the bound
    ``behave`` draws against when beliefs are learned: deterrence only lowers a probability
    (its factor is at most 1), so this bounds it from above, and it changes only with
    ``conformity`` and the switches, not with what people learn each month. The exact
    probability is computed for the few cells whose uniform falls below the bound."""
    key = ("learned bound", pull) + tuple(world.domain_vector("weight") > 0)
    if not odds.holds(key):
        keep = (world.domain_vector("weight") > 0) * np.float32(1.0 - pull)
        source = (world.citizens.propensity[world.adults] * keep).ravel()
        odds.replace(source.copy(), key, source=source)  # the copy is moved in place; the source is not


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
    ties = world.adult_friends_of_violations()  # children are not pulled
    share = 1.0 / np.maximum(world.friend_degree[ties.contact], 1.0)
    cells, pull = ties.cell, (weight * share).astype(np.float32)
    inactive = world.domain_vector("weight") <= 0
    if inactive.any():  # a domain just switched off
        active = ~inactive[cells % len(Domain)]
        cells, pull = cells[active], pull[active]
    return cells, pull


def behave(world: World, rng: np.random.Generator) -> None:
    """Each adult and company may violate in each active domain.

    The monthly probability starts from the person's propensity (heterogeneous, Beta
    distributed) and is shaped by four forces, in this order: deterrence, strain, chill
    and conformity (blended with the friends who violated last month, weight
    ``conformity``). Deterrence is the chance that the gain exceeds the expected cost as
    the person perceives it -- recording probability x share of a listing x cost of a
    listed month, each learned from experience (``rules.learn``) or, with learning off,
    as announced. Children do not violate: no loans, cars, contracts or court cases of
    their own, and no friends pull them into any.

    Draws: one uniform per adult and domain, every step, so other rules' switches never
    shift this rule's stream. The uniform also decides detection in ``observe`` (u / p is
    uniform given a violation), so a violation and its recording share one draw and stay
    paired across policies.
    """
    params, citizens, companies = world.params, world.citizens, world.companies
    pull = params["conformity"]
    odds = world.adult_probability
    learned = params["rule_learn"]
    if learned:
        _keep_learned_bound(world, odds, pull)
    else:
        deterred = announced_deterrence(world)  # the same for everyone
        odds.baseline(citizens.propensity, deterred * (1.0 - pull), rows=world.adults)
    with odds.moved(scale=[strain(world), chilling(world)], add=[conformity(world, pull)]) as probability:
        if learned:  # ``probability`` bounds it: deterrence is computed for the candidates only
            def exactly(cells):
                base = odds.source[cells] * learned_factor(world, citizens.beliefs, cells)
                return odds.moved_values(cells, base)
            hits, detectability = odds.draw_thinned(probability, rng, exactly)
        else:
            def exactly(cells):
                return probability[cells]
            hits, detectability = odds.draw(probability, rng)
        hits, detectability = force_violations(world, hits, detectability, odds.uniforms, exactly)
    who = world.adults[hits // len(Domain)]
    citizens.violation_cells = who * len(Domain) + hits % len(Domain)
    citizens.detectability = detectability
    citizens.ever_violated[who] = True

    draws = rng.random(companies.propensity.shape, dtype=np.float32)
    if learned:  # each company its own deterrence, computed where the draw is below the propensity
        companies.violated = _thinned_company_violations(world, draws)
    else:
        companies.violated = draws < companies.propensity * deterred.astype(np.float32)


def _thinned_company_violations(world: World, draws: np.ndarray) -> np.ndarray:
    """``draws < propensity x learned_deterrence``, with deterrence (at most 1) computed only
    for the cells whose draw falls below the propensity."""
    companies = world.companies
    cells = np.flatnonzero(draws < companies.propensity)
    factor = learned_deterrence(world, companies.beliefs, cells)
    violated = np.zeros(draws.shape, bool)
    violated.ravel()[cells[draws.ravel()[cells] < companies.propensity.ravel()[cells] * factor]] = True
    return violated
