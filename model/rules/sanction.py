"""sanction and spill_over: what a listing costs, and whom."""

from __future__ import annotations

import numpy as np

from ..world import COMMERCIAL, FINANCIAL, World


def restricted(world: World) -> np.ndarray:
    """Which domains each citizen is restricted in, shape (n, 6).

    ``sanction_scope=joint``: every domain for every listed citizen ("if trust is broken in
    one place, restrictions are imposed everywhere": State Council, 2016, Guiding Opinions
    on joint incentives for trustworthiness and joint punishment for untrustworthiness).
    ``local``: only the domains of the records that listed them.
    """
    c = world.citizens
    if world.params["sanction_scope"] == "joint":
        return np.repeat(c.listed[:, None], c.offence_domains.shape[1], axis=1)
    return c.listed[:, None] & c.offence_domains


def sanction(world: World) -> None:
    """Credit denial and business exclusion cut the income of the restricted by
    ``sanction_income_loss``; employees of a listed company lose half that (business
    exclusion reaches them). Lost income raises loan default in ``behave`` (strain).
    Travel bans and hotel bans are counted restrictions with no further effect here.
    """
    p, c, ties = world.params, world.citizens, world.ties
    domains = restricted(world)
    cut_off = domains[:, FINANCIAL] | domains[:, COMMERCIAL]
    loss = p["sanction_income_loss"] * cut_off
    if world.companies.n:
        employer = ties.employer
        employer_listed = np.zeros(c.n, bool)
        employed = employer >= 0
        employer_listed[employed] = world.companies.listed[employer[employed]]
        loss = np.maximum(loss, 0.5 * p["sanction_income_loss"] * employer_listed)
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
        if world.companies.n:
            company_penalty[ties.representative[world.companies.listed]] = p["company_penalty"]
            employed = ties.employer >= 0
            managing = np.zeros(c.n, bool)
            managing[employed] = ties.manager[employed] & world.companies.listed[ties.employer[employed]]
            company_penalty[managing] = p["company_penalty"]
        has_parent = ties.parent >= 0
        parent_listed = np.zeros(c.n, bool)
        parent_listed[has_parent] = c.listed[ties.parent[has_parent]]
        kin_penalty[parent_listed] = p["kin_penalty"]
    c.company_penalty = company_penalty
    c.kin_penalty = kin_penalty
