"""Agency lists and red lists (blacklists design), and the month's listings and delistings.

Each agency lists on its own findings in its domain: market regulation on commercial
records, transport on traffic records (the travel-ban lists from June 2018), tax on
financial records. A person or firm with ``agency_records`` recent records in the domain
(the ledger of that domain, fading with ``forgiveness_rate``, in units of the domain's
weight) is listed for ``agency_list_term`` months (flight bans: one year; company lists:
about a year). Red lists name the trustworthy: ``red_list_months`` without a record.
"""

from __future__ import annotations

import numpy as np

from ..domains import Domain
from ..institutions import AGENCY_LISTS, ListKind
from ..state import Cause
from ..world import World
from .courts import list_debtors
from .lists import expire_lists, put_on_list


def list_findings(world: World) -> np.ndarray:
    """Put those with enough records in an agency's domain on its list; return the
    citizens on no list before, and set their cause (own, or false_record when the
    false records alone reach the count)."""
    params, citizens, companies = world.params, world.citizens, world.companies
    needed, term = params["agency_records"] - 1e-9, params["agency_list_term"]
    weights = world.domain_vector("weight")
    limit = np.full(len(Domain), np.inf)  # points at which an agency lists, per domain column
    for kind in AGENCY_LISTS:
        if weights[kind.domain] > 0:  # a domain switched off lists nobody
            limit[kind.domain] = needed * weights[kind.domain]
    newly = [np.zeros(0, np.int64)]
    candidates = _candidates(world, limit)
    for kind in AGENCY_LISTS:
        if not np.isfinite(limit[kind.domain]):
            continue
        if candidates is None:
            found = np.flatnonzero(citizens.deducted[:, kind.domain] >= limit[kind.domain])
        else:
            found = candidates[citizens.deducted[candidates, kind.domain] >= limit[kind.domain]]
        found = found[world.adult_rank[found] >= 0]  # a child's false record lists nobody
        true_part = citizens.deducted[found, kind.domain] - citizens.deducted_false[found]
        causes = np.where(true_part >= limit[kind.domain], int(Cause.OWN), int(Cause.FALSE_RECORD)).astype(np.int8)
        first = put_on_list(world, citizens, world.citizen_dossiers, found, kind, term, causes)
        citizens.cause[first] = causes[np.searchsorted(found, first)]
        citizens.offence_domains[found, kind.domain] = True
        newly.append(first)
    if np.isfinite(limit[Domain.COMMERCIAL]):  # firms' records are one ledger: market regulation reads it
        firms = np.flatnonzero(companies.deducted >= limit[Domain.COMMERCIAL])
        put_on_list(world, companies, world.company_dossiers, firms, ListKind.MARKET, term)
    return np.concatenate(newly)


def _candidates(world: World, limit: np.ndarray) -> np.ndarray | None:
    """The citizens who may have reached an agency's count since last month -- a record
    this month, or a listing that just ended (ledgers only grow through records) -- or
    None (look at everyone) in the first month and whenever the limits changed."""
    if world.agency_limits is None or not np.array_equal(world.agency_limits, limit):
        world.agency_limits = limit
        return None
    citizens = world.citizens
    marked = np.zeros(citizens.n, bool)  # sorted and unique by a mask: 4x np.unique's speed
    marked[citizens.record_cells // len(Domain)] = True
    marked[citizens.false_cells // len(Domain)] = True
    for left in world.step_log.left_lists:
        marked[left] = True
    return np.flatnonzero(marked)


def list_on_blacklists(world: World) -> np.ndarray:
    """The month's new listings under the national design: court list, then agency lists."""
    citizens = world.citizens
    debtors = list_debtors(world)
    citizens.cause[debtors] = int(Cause.OWN)
    found = list_findings(world)
    newly = np.union1d(debtors, found)
    citizens.times_listed[newly] += 1
    return newly


def delist_from_blacklists(world: World) -> None:
    """Listings end with their term (a paid court debt ends its listing in ``pay``)."""
    ended = expire_lists(world, world.citizens, world.citizen_dossiers)
    world.citizens.offence_domains[ended] = False
    expire_lists(world, world.companies, world.company_dossiers)


def red_list(world: World) -> None:
    """Adults and firms on no list and without a record for ``red_list_months`` months are
    on the red list (fewer inspections: ``red_list_inspection`` in ``observe``)."""
    months = world.params["red_list_months"]
    if not world.blacklists or months == 0:  # the scored city keeps no red list
        return
    for people, eligible in ((world.citizens, world.is_adult), (world.companies, True)):
        red = np.less_equal(people.lists.last_record, world.step - months, out=people.lists.red)
        red &= eligible
        np.greater(red, people.listed, out=red)  # and not listed, without a negated copy
