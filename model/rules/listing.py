"""delist and list: who is on the blacklist, since when, and why."""

from __future__ import annotations

import numpy as np

from ..dossier import Event
from ..scoring import SCORING_RULES, clean_score
from ..state import NEVER, Cause
from ..world import World, row_entries


def threshold(world: World) -> float | np.ndarray:
    """The score at or below which a citizen is listed this step.

    ``listing_rule=threshold``: ``listing_threshold``, or the per-citizen thresholds set
    from code in ``citizens.threshold`` (Granovetter 1978). ``listing_rule=percentile``:
    the score of the ``listing_percentile``-th percent lowest, never reaching a clean
    record's score ("God help the bottom 5 percent").
    """
    p, c = world.params, world.citizens
    if p["listing_rule"] == "threshold":
        return p["listing_threshold"] if c.threshold is None else c.threshold
    return _percentile_score(c.score, p["listing_percentile"], clean_score(world.params))


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
    c = world.citizens
    rule = SCORING_RULES[world.params["scoring_rule"]]
    limit = limit[who] if np.ndim(limit) else limit
    false = c.deducted_false[who]
    running = world.params["initial_score"] - (c.deducted[who].sum(axis=1) - false) + c.rewarded[who]
    cause = np.full(who.size, int(Cause.NONE), np.int8)
    for label, points in ((Cause.OWN, 0.0), (Cause.FALSE_RECORD, false),
                          (Cause.COMPANY, c.company_penalty[who]), (Cause.KIN, c.kin_penalty[who])):
        running = running - points
        crossed = rule.score(running) <= limit + _tolerance(limit)
        cause[crossed & (cause == int(Cause.NONE))] = int(label)
    cause[cause == int(Cause.NONE)] = int(Cause.ASSOCIATION)
    return cause


def list_agents(world: World) -> None:
    """List every citizen and company whose score is at or below the threshold.

    A listing lasts ``listing_duration`` steps (0 = permanent) and records its primary
    cause and its chain in the dossier. Companies are listed by their own score (or by
    decree: the ``shock_companies`` largest). Source: Supreme People's Court provisions on
    the list of dishonest judgment debtors (2013, revised 2017): two years, extendable.
    """
    p, c = world.params, world.citizens
    limit = threshold(world)
    newly = np.flatnonzero(~c.listed & (c.score <= limit + _tolerance(limit)))
    causes = primary_cause(world, newly, limit)
    _explain(world, newly)
    duration = p["listing_duration"]
    c.listed[newly] = True
    c.listed_since[newly] = world.step
    c.listed_until[newly] = world.step + duration if duration > 0 else NEVER
    c.times_listed[newly] += 1
    c.cause[newly] = causes
    c.offence_domains[newly] = c.deducted[newly] > 0
    world.log.new_listed = newly
    world.log.new_by_cause = {cause: int((causes == int(cause)).sum()) for cause in world.log.new_by_cause}
    world.citizen_dossiers.add(world.step, newly, Event.LISTED, -1, 0.0, causes)
    _list_companies(world, limit if np.ndim(limit) == 0 else p["listing_threshold"])


def _explain(world: World, newly: np.ndarray) -> None:
    """Write the chain of contributing causes: listed contacts, company, parent."""
    c, ties, log = world.citizens, world.ties, world.citizen_dossiers
    if not log.enabled or newly.size == 0:
        return
    via_contacts = newly[c.association_penalty[newly] > 0]
    for layer, _degree in world.association_layers() if via_contacts.size else ():
        positions, source = row_entries(layer, via_contacts, world.live(layer))
        contact = layer.indices[positions]
        hit = c.listed[contact]
        log.add(world.step, via_contacts[source[hit]], Event.VIA_CONTACT, -1, 0.0, contact[hit])
    via_company = newly[c.company_penalty[newly] > 0]
    if via_company.size:
        companies = _companies_represented(world, via_company)
        log.add(world.step, via_company, Event.VIA_COMPANY, -1, -c.company_penalty[via_company], companies)
    via_parent = newly[c.kin_penalty[newly] > 0]
    log.add(world.step, via_parent, Event.VIA_PARENT, -1, -c.kin_penalty[via_parent], ties.parent[via_parent])


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
    p, co = world.params, world.companies
    if co.n == 0:
        return
    due = ~co.listed & (co.score <= limit + _tolerance(limit))
    shock = p["shock_companies"]
    if shock > 0:
        size = np.bincount(world.ties.employer[world.ties.employer >= 0], minlength=co.n)
        largest = np.argsort(-size, kind="stable")[:shock]
        decree = np.zeros(co.n, bool)
        decree[largest] = True
        due |= decree & ~co.forced_listing & ~co.listed
        co.forced_listing |= decree
    newly = np.flatnonzero(due)
    duration = p["listing_duration"]
    co.listed[newly] = True
    co.listed_since[newly] = world.step
    co.listed_until[newly] = world.step + duration if duration > 0 else NEVER
    world.company_dossiers.add(world.step, newly, Event.COMPANY_LISTED)


def delist(world: World) -> None:
    """Remove listings that expired, and early those whose score is repaired (at least
    ``repair_margin`` above the threshold: "early removal once the debtor performs").
    Permanent listings (``listing_duration = 0``) never end; a decree is not lifted by repair.
    """
    p, c, co = world.params, world.citizens, world.companies
    if p["listing_duration"] == 0:
        return
    limit = p["listing_threshold"] if p["listing_rule"] == "threshold" else -np.inf
    if c.threshold is not None:
        limit = c.threshold
    ended = _end_listings(world, c, world.citizen_dossiers, limit + p["repair_margin"], None)
    c.offence_domains[ended] = False
    _end_listings(world, co, world.company_dossiers, p["listing_threshold"] + p["repair_margin"],
                  co.forced_listing)


def _end_listings(world: World, people, log, repaired_at, decreed) -> np.ndarray:
    """End the listings that expired or whose score reached ``repaired_at`` (not decrees)."""
    listed = np.flatnonzero(people.listed)
    limit = repaired_at[listed] if np.ndim(repaired_at) else repaired_at
    repaired = people.score[listed] >= limit
    if decreed is not None:
        repaired &= ~decreed[listed]
    done = listed[(people.listed_until[listed] <= world.step) | repaired]
    people.listed[done] = False
    people.listed_until[done] = -1
    log.add(world.step, done, Event.DELISTED)
    return done
