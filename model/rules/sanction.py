"""sanction and spill_over: what a listing costs, and whom."""

from __future__ import annotations

import numpy as np

from ..domains import Domain
from ..institutions import Service
from ..world import World, members
from .restrict import refuse_services, restricted_citizens


def restricted(world: World, domain: int) -> np.ndarray:
    """Which citizens are restricted in ``domain`` (one of the six domain columns).

    ``sanction_scope=joint``: every listed citizen, in every domain ("if trust is broken in
    one place, restrictions are imposed everywhere": State Council, 2016, Guiding Opinions
    on joint incentives for trustworthiness and joint punishment for untrustworthiness).
    ``local``: only in the domains of the records that listed them.
    """
    citizens = world.citizens
    if world.params["sanction_scope"] == "joint":
        return citizens.listed
    return citizens.listed & citizens.offence_domains[:, domain]


def sanction(world: World, rng: np.random.Generator) -> None:
    """A listing's consequences. First restrictions as denied access: the restricted who try
    a service this month are refused (``restrict.refuse_services``: flights, trains, hotels,
    loans, public jobs, school places for their children, tenders for their firms). Then
    credit denial and business exclusion (under the national design: loans and public jobs
    denied) cut the income of the restricted by ``sanction_income_loss``; employees of a
    listed company lose half that (business exclusion reaches them). Lost income raises loan
    default in ``behave`` (strain), and a listed debtor's denials and lost income are what
    presses them to pay (``pay``).
    """
    refuse_services(world, rng)
    income_loss = world.params["sanction_income_loss"]
    loss = np.zeros(world.citizens.n)  # fresh zeros: only the few cut off touch their pages
    loss[_cut_off(world)] = income_loss
    staff = members(world.staff_of, np.flatnonzero(world.companies.listed))
    loss[staff] = np.maximum(loss[staff], 0.5 * income_loss)
    world.citizens.income_loss = loss


def _cut_off(world: World) -> np.ndarray:
    """Who is denied credit or business: under the national design those denied loans or
    public jobs; in the scored city those restricted in the financial or commercial domain."""
    if world.blacklists:
        people, denied_to, _ = restricted_citizens(world)
        return people[denied_to[:, Service.LOAN] | denied_to[:, Service.PUBLIC_JOB]]
    return np.flatnonzero(restricted(world, Domain.FINANCIAL) | restricted(world, Domain.COMMERCIAL))


def listing_cost_this_month(world: World, people, who: np.ndarray) -> np.ndarray:
    """What a listing took from each of ``who`` (citizens or companies) this month: the
    services they (and their children) were denied, plus the share of income lost (0.3 of a
    month's income counts as 0.3 denials). What presses a debtor to pay, and what people learn
    a listing costs."""
    cost = people.lists.denials[who].astype(np.float64)
    if people is world.citizens:
        cost += people.income_loss[who]
    return cost


def spill_over(world: World) -> None:
    """Penalties that cross from a listed company to people, under joint scope only: its
    legal representative and managers (``manager_share`` of its employees) lose
    ``company_penalty`` points for as long as the listing lasts. Source: Supreme People's
    Court (2015) restrictions on high consumption: a listed company's legal
    representative, principal responsible persons and directly responsible persons are
    restricted in person. (A listed parent's children lose no points: they are denied a
    place at a fee-paying school, counted by ``sanction``.)
    """
    params, citizens = world.params, world.citizens
    company_penalty = np.zeros(citizens.n)  # fresh zeros (pages mapped as touched) beat zeroing in place
    if params["sanction_scope"] == "joint":
        listed_companies = np.flatnonzero(world.companies.listed)
        company_penalty[world.ties.representative[listed_companies]] = params["company_penalty"]
        company_penalty[members(world.managers_of, listed_companies)] = params["company_penalty"]
    citizens.company_penalty = company_penalty
