"""sanction and spill_over: what a listing costs, and whom."""

from __future__ import annotations

import numpy as np

from ..world import COMMERCIAL, FINANCIAL, World, members


def restricted(world: World, domain: int) -> np.ndarray:
    """Which citizens are restricted in ``domain`` (one of the six domain columns).

    ``sanction_scope=joint``: every listed citizen, in every domain ("if trust is broken in
    one place, restrictions are imposed everywhere": State Council, 2016, Guiding Opinions
    on joint incentives for trustworthiness and joint punishment for untrustworthiness).
    ``local``: only in the domains of the records that listed them.
    """
    c = world.citizens
    if world.params["sanction_scope"] == "joint":
        return c.listed
    return c.listed & c.offence_domains[:, domain]


def sanction(world: World) -> None:
    """Credit denial and business exclusion cut the income of the restricted by
    ``sanction_income_loss``; employees of a listed company lose half that (business
    exclusion reaches them). Lost income raises loan default in ``behave`` (strain).
    Travel bans and hotel bans are counted restrictions with no further effect here.
    """
    p, c = world.params, world.citizens
    cut_off = restricted(world, FINANCIAL) | restricted(world, COMMERCIAL)
    loss = p["sanction_income_loss"] * cut_off
    staff = members(world.staff_of, np.flatnonzero(world.companies.listed))
    loss[staff] = np.maximum(loss[staff], 0.5 * p["sanction_income_loss"])
    c.income_loss = loss


def spill_over(world: World) -> None:
    """Penalties that cross from one person to another, under joint scope only:
    a listed company's legal representative and managers (``manager_share`` of its
    employees) lose ``company_penalty`` points, and a
    listed parent's child loses ``kin_penalty`` (barred from good schools), for as long as
    the listing lasts. Source: Supreme People's Court (2015) restrictions on high
    consumption: a listed company's legal representative, principal responsible persons and
    directly responsible persons are restricted in person; a
    listed debtor's children may not attend high-fee private schools.
    """
    p, c, ties = world.params, world.citizens, world.ties
    company_penalty = np.zeros(c.n)
    kin_penalty = np.zeros(c.n)
    if p["sanction_scope"] == "joint":
        listed_companies = np.flatnonzero(world.companies.listed)
        company_penalty[ties.representative[listed_companies]] = p["company_penalty"]
        company_penalty[members(world.managers_of, listed_companies)] = p["company_penalty"]
        kin_penalty[members(world.children_of, np.flatnonzero(c.listed))] = p["kin_penalty"]
    c.company_penalty = company_penalty
    c.kin_penalty = kin_penalty
