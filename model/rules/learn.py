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
    vicarious experience. What behave reads changes only in the cells marked here.
    """
    citizens, companies = world.citizens, world.companies
    _learn_recording(world, citizens.beliefs)
    _learn_cost(world, citizens.beliefs)
    _learn_company(world, companies.beliefs)
    if world.step % PUBLISHED_EVERY == 0:
        for beliefs in (citizens.beliefs, companies.beliefs):
            _read_published(world, beliefs)


def _adult_contacts(world: World, people: np.ndarray, friendships=None) -> tuple[np.ndarray, np.ndarray]:
    """Friends and family of ``people`` who are adults: for each tie, the index into
    ``people`` and the contact's adult row (``friendships``: those of ``people``, if known)."""
    friendships = world.friendships_of(people) if friendships is None else friendships
    ties = [friendships, world.contacts_of(people, world.ties.family)]
    whose = np.concatenate([t.whose for t in ties])
    rank = world.adult_rank[np.concatenate([t.contact for t in ties])]
    adult = rank >= 0
    return whose[adult], rank[adult]


def _learn_recording(world: World, beliefs: Beliefs) -> None:
    """Beta counts: a violation seen recorded adds to ``recorded``, one seen unrecorded to
    ``unrecorded`` -- 1 for one's own, ``vicarious_weight`` for a contact's."""
    citizens, weight = world.citizens, world.params["vicarious_weight"]
    cells = citizens.violation_cells
    if cells.size == 0:
        return
    who, domain = np.divmod(cells, len(Domain))
    recorded = np.isin(cells, citizens.record_cells, assume_unique=True)
    own = world.adult_rank[who] * len(Domain) + domain
    beliefs.recorded.ravel()[own[recorded]] += 1.0  # one violation per cell: no repeats
    beliefs.unrecorded.ravel()[own[~recorded]] += 1.0
    beliefs.mark(own)
    if weight <= 0:
        return
    whose, contact = _adult_contacts(world, who, world.friendships_of_violators())
    cells_seen = contact * len(Domain) + domain[whose]
    was_recorded = recorded[whose]
    np.add.at(beliefs.recorded.ravel(), cells_seen[was_recorded], np.float32(weight))
    np.add.at(beliefs.unrecorded.ravel(), cells_seen[~was_recorded], np.float32(weight))
    beliefs.mark(cells_seen)


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
    beliefs.cost[rows[own]] += cost[own]
    beliefs.months[rows[own]] += 1.0
    beliefs.mark_rows(rows[own])
    if weight <= 0 or listed.size == 0:
        return
    whose, contact = _adult_contacts(world, listed)
    np.add.at(beliefs.cost, contact, weight * cost[whose])
    np.add.at(beliefs.months, contact, weight)
    beliefs.mark_rows(contact)


def _learn_company(world: World, beliefs: Beliefs) -> None:
    """A company's management learns from its own violations and listed months only."""
    companies = world.companies
    beliefs.recorded += companies.violated & companies.recorded
    beliefs.unrecorded += companies.violated & ~companies.recorded
    listed = np.flatnonzero(companies.listed)
    cost = listing_cost_this_month(world, companies, listed)
    beliefs.year_cost += float(cost.sum())
    beliefs.year_months += listed.size
    beliefs.cost[listed] += cost
    beliefs.months[listed] += 1.0


def _read_published(world: World, beliefs: Beliefs) -> None:
    """The yearly figures: what a listed month cost on average over the year, counted as
    ``public_weight`` listed months by everyone (nothing is published if nobody was listed)."""
    weight = world.params["public_weight"]
    if beliefs.year_months > 0 and weight > 0:
        beliefs.cost += weight * beliefs.year_cost / beliefs.year_months
        beliefs.months += weight
        beliefs.all_stale = True
    beliefs.year_cost = beliefs.year_months = 0.0
