"""learn: people update what they believe about being recorded and about what a listing
costs, from what they saw this month (the beliefs and their sources: ``model.beliefs``)."""

from __future__ import annotations

import numpy as np

from ..beliefs import Beliefs
from ..domains import Domain
from ..world import World
from .sanction import listing_cost_this_month

PUBLISHED_EVERY = 12
"""Months between the published figures (the courts and the credit platform report yearly)."""


def learn(world: World) -> None:
    """Each adult learns from own violations (recorded or not) and listed months (weight 1),
    from those of friends and family (weight ``vicarious_weight``), and once a year from the
    published figures on what listed months cost (weight ``public_weight`` months); each
    company from its own. Anwar & Loughran (2011) beta-binomial updating; Stafford & Warr (1993)
    vicarious experience.
    """
    citizens, companies = world.citizens, world.companies
    _learn_recording(world, citizens.beliefs)
    _learn_cost(world, citizens.beliefs)
    _learn_company(world, companies.beliefs)
    if world.step % PUBLISHED_EVERY == 0:
        for beliefs in (citizens.beliefs, companies.beliefs):
            _read_published(world, beliefs)


def _adult_contacts(world: World, people: np.ndarray, layer) -> tuple[np.ndarray, np.ndarray]:
    """Contacts of ``people`` in ``layer`` who are adults: for each tie, the index into
    ``people`` and the contact's adult row."""
    whose, contact = world.tie_ends(people, layer)
    rank = world.adult_rank[contact]
    adult = np.flatnonzero(rank >= 0)  # indexes gather faster than a boolean mask filters
    return whose[adult], rank[adult]


def _learn_recording(world: World, beliefs: Beliefs) -> None:
    """Beta counts: a violation adds to ``seen`` and, if it was recorded, to ``recorded`` -- 1
    for one's own, ``vicarious_weight`` for a friend's or family member's."""
    citizens, weight = world.citizens, world.params["vicarious_weight"]
    cells = citizens.violation_cells
    if cells.size == 0:
        return
    who, domain = np.divmod(cells, len(Domain))
    recorded = _among(cells, citizens.record_cells)
    own = world.adult_rank[who] * len(Domain) + domain
    beliefs.seen.ravel()[own] += 1.0  # one violation per cell: no repeats
    beliefs.recorded.ravel()[own] += recorded
    if weight <= 0:
        return
    friends = world.adult_friends_of_violations()
    family, relative = world.adult_relatives(who)
    seen = np.concatenate([friends.cell, relative * len(Domain) + domain[family]])
    beliefs.see_violations(seen, recorded[np.concatenate([friends.whose, family])], weight)


def _among(cells: np.ndarray, sorted_cells: np.ndarray) -> np.ndarray:
    """Whether each of ``cells`` is in ``sorted_cells`` (sorted, as ``observe`` leaves the
    records: a subset of the sorted violations): a search, not ``np.isin``'s sort."""
    at = np.minimum(np.searchsorted(sorted_cells, cells), max(sorted_cells.size - 1, 0))
    return sorted_cells[at] == cells if sorted_cells.size else np.zeros(cells.size, bool)


def _learn_cost(world: World, beliefs: Beliefs) -> None:
    """Gamma counts: each listed month seen adds its cost (services denied and shares of
    income lost) and one month -- weighted 1 for one's own, ``vicarious_weight`` for a contact's."""
    citizens, weight = world.citizens, world.params["vicarious_weight"]
    listed = np.flatnonzero(citizens.listed)
    cost = listing_cost_this_month(world, citizens, listed)
    beliefs.year_cost += float(cost.sum())
    beliefs.year_months += listed.size
    rows = world.adult_rank[listed]
    own = rows >= 0  # only adults are listed; kept safe for states set from code
    seen = [(rows[own], cost[own], 1.0)]
    if weight > 0 and listed.size:
        for whose, contact in (_adult_contacts(world, listed, world.ties.friends), world.adult_relatives(listed)):
            seen.append((contact, cost[whose], weight))
    # one update, own months first, then friends', then family's (the order of separate updates)
    beliefs.see_listed_months(np.concatenate([who for who, _, _ in seen]),
                              np.concatenate([months_cost for _, months_cost, _ in seen]),
                              np.concatenate([np.full(who.size, w) for who, _, w in seen]))


def _learn_company(world: World, beliefs: Beliefs) -> None:
    """A company's management learns from its own violations and listed months only."""
    companies = world.companies
    beliefs.seen += companies.violated
    beliefs.recorded += companies.violated & companies.recorded
    listed = np.flatnonzero(companies.listed)
    cost = listing_cost_this_month(world, companies, listed)
    beliefs.year_cost += float(cost.sum())
    beliefs.year_months += listed.size
    beliefs.see_listed_months(listed, cost, 1.0)


def _read_published(world: World, beliefs: Beliefs) -> None:
    """The yearly figures: what a listed month cost on average over the year, counted as
    ``public_weight`` listed months by everyone (nothing is published if nobody was listed)."""
    beliefs.reread_published(world.params["public_weight"])
