"""judge and pay: the court list of dishonest judgment debtors (blacklists design).

Civil disputes end in judgments; a debtor ordered to pay who does not pay by the deadline
and whom the court finds able to pay is listed ("dishonest judgment debtor"). The listing
lasts until the debt is paid or its term (``listing_duration``, 2 years by default) ends.
Sources: Supreme People's Court, Several Provisions on Publishing the List of Dishonest
Judgment Debtors (2013, revised 2017); before the list, 2008-2012, under 30% of debtors
with property paid voluntarily (SPC figures, as cited in the literature on enforcement).
"""

from __future__ import annotations

import numpy as np

from ..domains import Domain
from ..dossier import Event
from ..institutions import ListKind
from ..sampling import bernoulli_cells
from ..state import Cause
from ..world import World
from .lists import put_on_list, take_off_list
from .sanction import listing_cost_this_month


def judge(world: World, rng: np.random.Generator) -> None:
    """Each month ``judgment_rate`` of adults (``company_judgment_rate`` of firms) are
    ordered to pay a debt, log-normal with median ``debt_median`` and sigma ``debt_spread``
    (no published size distribution exists: the SPC reports totals). ``voluntary_payment``
    of them pay by the deadline; of the rest, ``ability_to_pay`` are found able to pay and
    are listed ``payment_deadline`` months later unless they have paid. One open case each."""
    if not world.blacklists:
        return
    params = world.params
    for people, dossiers, eligible, rate in (
            (world.citizens, world.citizen_dossiers, world.adults, params["judgment_rate"]),
            (world.companies, world.company_dossiers, np.arange(world.companies.n), params["company_judgment_rate"])):
        lists = people.lists
        chosen = eligible[bernoulli_cells(eligible.size, rate, rng)]
        chosen = chosen[(lists.debt_due[chosen] < 0) & ~lists.on[chosen, ListKind.COURT]]
        debt = params["debt_median"] * np.exp(params["debt_spread"] * rng.standard_normal(chosen.size))
        pays = rng.random(chosen.size) < params["voluntary_payment"]
        able = rng.random(chosen.size) < params["ability_to_pay"]
        lists.debt[chosen[~pays]] += debt[~pays]
        lists.debt_due[chosen[~pays & able]] = world.step + params["payment_deadline"]
        dossiers.add(world.step, chosen, Event.JUDGMENT, Domain.LEGAL, -debt)


def list_debtors(world: World) -> np.ndarray:
    """List the debtors whose deadline is today and who have not paid; return the citizens
    on no list before (their cause is their own)."""
    term, newly = world.params["listing_duration"], np.zeros(0, np.int64)
    for people, dossiers in ((world.citizens, world.citizen_dossiers), (world.companies, world.company_dossiers)):
        lists = people.lists
        due = np.flatnonzero(lists.debt_due == world.step)
        lists.debt_due[due] = -1
        first = put_on_list(world, people, dossiers, due, ListKind.COURT, term, int(Cause.OWN))
        lists.ever_on_court[due] = True
        if people is world.citizens:  # not performing a judgment is their own offence
            people.offence_domains[due, Domain.LEGAL] = True
            people.ever_violated[due] = True
            newly = first
    return newly


def pay(world: World, rng: np.random.Generator) -> None:
    """Each month a listed debtor pays with probability
    ``1 - (1 - payment_rate) exp(-payment_pressure x cost)``, where the cost is what the
    listing took from them this month: the services they (and their children, or their
    firm) were denied, and the share of income lost. A debtor who pays leaves the list."""
    if not world.blacklists:
        return
    params, paid_total = world.params, 0
    for people, dossiers in ((world.citizens, world.citizen_dossiers), (world.companies, world.company_dossiers)):
        lists = people.lists
        debtors = np.flatnonzero(lists.on[:, ListKind.COURT])
        if debtors.size == 0:
            continue
        cost = listing_cost_this_month(world, people, debtors)
        chance = 1.0 - (1.0 - params["payment_rate"]) * np.exp(-params["payment_pressure"] * cost)
        paid = debtors[rng.random(debtors.size) < chance]
        dossiers.add(world.step, paid, Event.PAID, ListKind.COURT, lists.debt[paid])
        lists.debt[paid] = 0.0
        take_off_list(world, people, dossiers, paid, ListKind.COURT)
        paid_total += paid.size
    world.step_log.paid_after_listing = paid_total
