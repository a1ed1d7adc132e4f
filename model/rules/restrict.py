"""Restrictions as denied access: who tries to use a restricted service, and is refused (``sanction``).

A listing is not one thing: under the memoranda (``world.memoranda``) a list denies specific
services -- flights, high-speed trains, star hotels, loans, public jobs, a fee-paying school
place for one's child, public tenders and subsidies for a firm. ``sanction_scope=joint``
applies every memorandum, ``local`` only the listing agency's own measures (in the scored
city: the services of the domains one offended in). Restrictions on high consumption reach
a listed firm's legal representative and managers in person (SPC 2015, article 3).
"""

from __future__ import annotations

import numpy as np

from ..dossier import Event
from ..institutions import CITIZEN_SERVICES, PERSONAL, ListKind, Service
from ..tieslots import row_entries
from ..world import World, members


def restricted_citizens(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The citizens restricted in anything (sorted), which services each is denied
    (bool, one column per Service), and the list behind each denial (ListKind, -1: none).
    Kept for the rest of the step (``sanction`` reads it twice)."""
    if world.step_log.restricted is None:
        world.step_log.restricted = _restricted_now(world)
    return world.step_log.restricted


def _restricted_now(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = [_own_restrictions(world), _restrictions_through_firms(world)]
    if rows[1][0].size == 0:  # nobody restricted through a firm: the listed, sorted, as they are
        return rows[0][0], rows[0][1] >= 0, rows[0][1]
    people = np.concatenate([who for who, _ in rows])
    reasons = np.concatenate([why for _, why in rows])
    unique, inverse = np.unique(people, return_inverse=True)
    merged = np.full((unique.size, len(Service)), -1, np.int8)
    np.maximum.at(merged, inverse, reasons)
    return unique, merged >= 0, merged


def _own_restrictions(world: World) -> tuple[np.ndarray, np.ndarray]:
    """(people, reasons) for the listed citizens' own listings."""
    citizens, applies = world.citizens, world.memoranda.applies(world.params["sanction_scope"])
    listed = np.flatnonzero(citizens.listed)
    if world.blacklists:
        return listed, _reasons(citizens.lists.on[listed], applies)
    # the scored city has one list; local scope restricts the services of the offending domains
    allowed = world.memoranda.joint[ListKind.SCORE] if world.params["sanction_scope"] == "local" \
        else applies[ListKind.SCORE]
    restricted = np.broadcast_to(allowed, (listed.size, len(Service)))
    if world.params["sanction_scope"] == "local":
        restricted = citizens.offence_domains[listed][:, [service.domain for service in Service]] & allowed
    return listed, np.where(restricted, np.int8(ListKind.SCORE), np.int8(-1))


def _restrictions_through_firms(world: World) -> tuple[np.ndarray, np.ndarray]:
    """(people, reasons): a listed firm's representative and managers, for personal services."""
    companies, params = world.companies, world.params
    firms = np.flatnonzero(companies.listed)
    if firms.size == 0 or (not world.blacklists and params["sanction_scope"] != "joint"):
        return np.zeros(0, np.int64), np.zeros((0, len(Service)), np.int8)
    if world.blacklists:
        on = companies.lists.on[firms]
    else:
        on = np.zeros((firms.size, len(ListKind)), bool)
        on[:, ListKind.SCORE] = True
    reasons = _reasons(on, world.memoranda.applies(params["sanction_scope"]) & _PERSONAL)
    positions, managing = row_entries(world.managers_of, firms)
    people = np.concatenate([world.ties.representative[firms], world.managers_of.indices[positions]])
    firm_of = np.concatenate([np.arange(firms.size), managing])
    return people, reasons[firm_of]


_PERSONAL = np.isin(np.arange(len(Service)), PERSONAL)
"""The services restricted in person (``PERSONAL``) as a mask over Service."""


def _reasons(on: np.ndarray, applies: np.ndarray) -> np.ndarray:
    """For each row and service, the first list (ListKind) that restricts it, -1 if none.

    Looked up by the row's lists as bits (ListKind k = bit k) in a table of every
    combination: comparing each listed person with each list and service cost 50 us a call.
    """
    codes = np.packbits(on, axis=1, bitorder="little").reshape(-1)  # <= 8 lists: one byte a row
    return _reason_table(applies)[codes]


_REASON_TABLES: dict[bytes, np.ndarray] = {}


def _reason_table(applies: np.ndarray) -> np.ndarray:
    """:func:`_reasons` of all 2^len(ListKind) combinations of lists, for this (list x service) table."""
    key = applies.tobytes()
    if key not in _REASON_TABLES:
        kinds = np.arange(len(ListKind))
        combinations = (np.arange(1 << len(ListKind))[:, None] >> kinds & 1).astype(bool)
        hits = combinations[:, :, None] & applies[None, :, :]  # combinations x lists x services
        _REASON_TABLES[key] = np.where(hits.any(axis=1), hits.argmax(axis=1), -1).astype(np.int8)
    return _REASON_TABLES[key]


def refuse_services(world: World, rng: np.random.Generator) -> None:
    """Each month every restricted adult tries each service with its ``try_rate_<service>``,
    each child of a parent barred from school places tries for one, and every restricted firm
    tries for a tender; a try under a restriction is refused, counted and written to the
    dossier (with the list and memorandum behind it). Draws are made for the restricted only."""
    params, citizens, companies = world.params, world.citizens, world.companies
    people, denied_to, reasons = restricted_citizens(world)
    rates = np.array([params[f"try_rate_{service.label}"] for service in CITIZEN_SERVICES])
    tries = rng.random((people.size, len(CITIZEN_SERVICES))) < rates
    refused = tries & denied_to[:, list(CITIZEN_SERVICES)]
    citizens.lists.denials[:] = 0
    citizens.lists.denials[people] = refused.sum(axis=1)
    denied = {service: int(refused[:, k].sum()) for k, service in enumerate(CITIZEN_SERVICES)}
    who, column = np.nonzero(refused)
    services = np.array(CITIZEN_SERVICES)[column]
    world.citizen_dossiers.add(world.step, people[who], Event.DENIED, reasons[who, services], 0.0, services)
    denied[Service.SCHOOL] = _refuse_school_places(world, rng, people, denied_to, reasons)
    denied[Service.TENDER] = _refuse_tenders(world, rng)
    world.step_log.denied = denied


def _refuse_school_places(world: World, rng, people, denied_to, reasons) -> int:
    """Children of parents barred from fee-paying schools try for a place; count refusals."""
    parents = people[denied_to[:, Service.SCHOOL]]
    children = members(world.children_of, parents)
    refused = children[rng.random(children.size) < world.params["try_rate_school"]]
    parent = world.ties.parent[refused]
    np.add.at(world.citizens.lists.denials, parent, 1.0)  # the parent feels it too
    why = reasons[np.searchsorted(people, parent), Service.SCHOOL]
    world.citizen_dossiers.add(world.step, refused, Event.DENIED, why, 0.0, int(Service.SCHOOL))
    return int(refused.size)


def _refuse_tenders(world: World, rng) -> int:
    """Restricted firms try for public tenders and subsidies; count refusals."""
    companies = world.companies
    applies = world.memoranda.applies(world.params["sanction_scope"])
    firms = np.flatnonzero(companies.listed)
    if world.blacklists:
        why = _reasons(companies.lists.on[firms], applies)[:, Service.TENDER]
    else:
        why = np.full(firms.size, ListKind.SCORE if applies[ListKind.SCORE, Service.TENDER] else -1, np.int8)
    firms, why = firms[why >= 0], why[why >= 0]
    tried = rng.random(firms.size) < world.params["try_rate_tender"]
    companies.lists.denials[:] = 0
    companies.lists.denials[firms[tried]] = 1.0
    world.company_dossiers.add(world.step, firms[tried], Event.DENIED, why[tried], 0.0, int(Service.TENDER))
    return int(tried.sum())
