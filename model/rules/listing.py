"""delist and list: who is on the blacklist, since when, and why."""

from __future__ import annotations

import numpy as np

from ..dossier import Event
from ..institutions import ListKind
from ..scoring import SCORING_RULES, clean_score
from ..state import NEVER, Cause, count_by_cause
from ..world import World
from .agencies import delist_from_blacklists, list_on_blacklists


def listing_limit(world: World) -> float | np.ndarray:
    """The score at or below which a citizen is listed this step.

    ``listing_rule=threshold``: ``listing_threshold``, or the per-citizen thresholds set
    from code in ``citizens.threshold`` (Granovetter 1978). ``listing_rule=percentile``:
    the score of the ``listing_percentile``-th percent lowest adult (children are never
    listed), never reaching a clean record's score ("God help the bottom 5 percent").
    """
    params, citizens = world.params, world.citizens
    if params["listing_rule"] == "threshold":
        return params["listing_threshold"] if citizens.threshold is None else citizens.threshold
    return _percentile_score(citizens.score[world.adults], params["listing_percentile"], clean_score(params))


def _percentile_score(score: np.ndarray, percent: float, clean: float) -> float:
    k = int(np.floor(percent / 100.0 * score.size))
    if k <= 0:
        return -np.inf
    kth = float(np.partition(score, k - 1)[k - 1])
    return min(kth, np.nextafter(clean, -np.inf))


def _tolerance(limit) -> float | np.ndarray:
    """Rounding slack so that share >= phi lists exactly (Watts' rule in floating point)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(limit), 1e-9 * np.maximum(1.0, np.abs(limit)), 0.0)


def primary_cause(world: World, who: np.ndarray, limit) -> np.ndarray:
    """The first of own, false_record, company, kin, association whose points take the
    ledger across the threshold; the rest of the chain goes to the dossier."""
    citizens = world.citizens
    rule = SCORING_RULES[world.params["scoring_rule"]]
    limit = limit[who] if np.ndim(limit) else limit
    false = citizens.deducted_false[who]
    running = (world.params["initial_score"] - (citizens.deducted[who].sum(axis=1) - false)
               + citizens.rewarded[who])
    cause = np.full(who.size, int(Cause.NONE), np.int8)
    for label, points in ((Cause.OWN, 0.0), (Cause.FALSE_RECORD, false),
                          (Cause.COMPANY, citizens.company_penalty[who]),
                          (Cause.KIN, citizens.kin_penalty[who])):
        running = running - points
        crossed = rule.score(running) <= limit + _tolerance(limit)
        cause[crossed & (cause == int(Cause.NONE))] = int(label)
    cause[cause == int(Cause.NONE)] = int(Cause.ASSOCIATION)
    return cause


def list_agents(world: World) -> None:
    """List every citizen and company whose score is at or below the threshold (under
    ``institutional_design=blacklists``: the court and agency lists, ``agencies``).

    Only adults are listed. A listing lasts ``listing_duration`` steps (0 = permanent)
    and records its primary cause and its chain in the dossier. Companies are listed by their own score (or by
    decree: the ``shock_companies`` largest). Source: Supreme People's Court provisions on
    the list of dishonest judgment debtors (2013, revised 2017): two years, extendable.
    """
    params, citizens = world.params, world.citizens
    if world.blacklists:
        newly = list_on_blacklists(world)
        world.step_log.new_listed = newly
        world.step_log.new_by_cause = count_by_cause(citizens.cause[newly])
        return
    limit = listing_limit(world)
    due = ~citizens.listed & (citizens.score <= limit + _tolerance(limit))
    newly = np.flatnonzero(due)
    newly = newly[world.adult_rank[newly] >= 0]  # children are never listed
    causes = primary_cause(world, newly, limit)
    _explain(world, newly)
    _start_listings(world, citizens, newly)
    citizens.times_listed[newly] += 1
    citizens.cause[newly] = causes
    citizens.offence_domains[newly] = citizens.deducted[newly] > 0
    world.step_log.new_listed = newly
    world.step_log.new_by_cause = count_by_cause(causes)
    world.citizen_dossiers.add(world.step, newly, Event.LISTED, ListKind.SCORE, 0.0, causes)
    _list_companies(world, limit if np.ndim(limit) == 0 else params["listing_threshold"])


def _start_listings(world: World, people, newly: np.ndarray) -> None:
    """Mark ``newly`` listed from this step, for ``listing_duration`` steps (0: for good)."""
    duration = world.params["listing_duration"]
    people.listed[newly] = True
    people.listed_since[newly] = world.step
    people.listed_until[newly] = world.step + duration if duration > 0 else NEVER


def _explain(world: World, newly: np.ndarray) -> None:
    """Write the chain of contributing causes: listed contacts, company, parent."""
    citizens, dossiers = world.citizens, world.citizen_dossiers
    if not dossiers.enabled or newly.size == 0:
        return
    via_contacts = newly[(citizens.association_penalty[newly] > 0) | (citizens.kin_penalty[newly] > 0)]
    names = world.params["association_layers"].split("+")
    counted = world.step_log.counted_listed  # the listings the penalties were computed from
    counted = citizens.listed if counted is None else counted
    for name, (layer, _degree) in zip(names, world.association_layers()) if via_contacts.size else ():
        ties = world.contacts_of(via_contacts, layer)
        listed = counted[ties.contact]
        kind = Event.VIA_FAMILY if name == "family" else Event.VIA_CONTACT
        dossiers.add(world.step, via_contacts[ties.whose[listed]], kind, -1, 0.0, ties.contact[listed])
    via_company = newly[citizens.company_penalty[newly] > 0]
    if via_company.size:
        dossiers.add(world.step, via_company, Event.VIA_COMPANY, -1, -citizens.company_penalty[via_company],
                     _companies_represented(world, via_company))


def _companies_represented(world: World, people: np.ndarray) -> np.ndarray:
    """For each person, one listed company they legally represent."""
    listed_rep = world.ties.representative[world.companies.listed]
    listed_ids = np.flatnonzero(world.companies.listed)
    if listed_ids.size == 0:  # the company was delisted this step; its penalty ends next step
        return np.full(people.size, -1)
    order = np.argsort(listed_rep, kind="stable")
    pos = np.searchsorted(listed_rep[order], people)
    return listed_ids[order[np.minimum(pos, order.size - 1)]]


def _list_companies(world: World, limit: float) -> None:
    companies, shock = world.companies, world.params["shock_companies"]
    if companies.n == 0:
        return
    due = ~companies.listed & (companies.score <= limit + _tolerance(limit))
    if shock > 0:  # by decree: the largest employers
        size = np.bincount(world.ties.employer[world.ties.employer >= 0], minlength=companies.n)
        decree = np.zeros(companies.n, bool)
        decree[np.argsort(-size, kind="stable")[:shock]] = True
        due |= decree & ~companies.forced_listing & ~companies.listed
        companies.forced_listing |= decree
    newly = np.flatnonzero(due)
    _start_listings(world, companies, newly)
    world.company_dossiers.add(world.step, newly, Event.COMPANY_LISTED, ListKind.SCORE)


def delist(world: World) -> None:
    """Remove listings that expired, and early those whose score is repaired (at least
    ``repair_margin`` above the threshold: "early removal once the debtor performs").
    Permanent listings (``listing_duration = 0``) never end; a decree is not lifted by repair.
    """
    params, citizens, companies = world.params, world.citizens, world.companies
    if world.blacklists:
        return delist_from_blacklists(world)
    if params["listing_duration"] == 0:
        return
    limit = listing_limit(world)  # under the percentile rule: the bottom share's score now
    ended = _end_listings(world, citizens, world.citizen_dossiers, limit + params["repair_margin"], None)
    citizens.offence_domains[ended] = False
    _end_listings(world, companies, world.company_dossiers,
                  params["listing_threshold"] + params["repair_margin"], companies.forced_listing)


def _end_listings(world: World, people, dossiers, repaired_at, decreed) -> np.ndarray:
    """End the listings that expired or whose score reached ``repaired_at`` (not decrees)."""
    listed = np.flatnonzero(people.listed)
    limit = repaired_at[listed] if np.ndim(repaired_at) else repaired_at
    repaired = people.score[listed] >= limit
    if decreed is not None:
        repaired &= ~decreed[listed]
    done = listed[(people.listed_until[listed] <= world.step) | repaired]
    people.listed[done] = False
    people.listed_until[done] = -1
    dossiers.add(world.step, done, Event.DELISTED, ListKind.SCORE)
    return done
