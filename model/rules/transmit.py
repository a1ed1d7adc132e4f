"""transmit: listing passed on along family and friendship ties, tie by tie, with a probability.

The association rule is a threshold: a citizen is listed once the listed share of their contacts
costs enough points (Watts 2002), the same every month, with no chance in it. Lum, Swarup,
Eubank & Hawdon (2014, "The contagious nature of imprisonment", J. R. Soc. Interface 11:
20140409) spread incarceration as a contagion instead: each month every incarcerated person
passes it to each relative or friend with a probability fixed by the relation, and anyone can be
incarcerated at a small background rate. This rule is that process for listings: an unlisted
adult escapes this month with probability ``(1 - b) (1 - p_family)^f (1 - p_friends)^k``, where
``f`` and ``k`` count their listed family members and friends, and is listed otherwise, for
``listing_duration`` months (the sentence). Its primary cause is ``kin`` if a family member
was listed, else ``association`` if a friend was, else ``own`` (the background rate).

With all three probabilities 0 (the default) the rule returns at once and draws nothing.
"""

from __future__ import annotations

import numpy as np

from ..dossier import Event
from ..institutions import ListKind
from ..state import CAUSES, Cause, count_by_cause
from ..world import World
from .listing import _start_listings


def transmit(world: World, rng: np.random.Generator) -> None:
    params, citizens = world.params, world.citizens
    rates = {"family": params["transmission_family"], "friends": params["transmission_friends"]}
    background = params["background_listing_rate"]
    if background == 0 and not any(rates.values()):
        return
    listed = np.flatnonzero(citizens.listed)
    exposures = {name: np.bincount(world.contacts_of(listed, getattr(world.ties, name)).contact,
                                   minlength=citizens.n) if rate > 0 and listed.size else None
                 for name, rate in rates.items()}
    candidates = world.adults[~citizens.listed[world.adults]]  # children are never listed
    escape = np.full(candidates.size, 1.0 - background)
    for name, rate in rates.items():
        if exposures[name] is not None:
            escape *= (1.0 - rate) ** exposures[name][candidates]  # 0.0 ** 0 is 1: no exposure, no risk
    caught = candidates[rng.random(candidates.size) >= escape]
    if caught.size == 0:
        return
    causes = np.full(caught.size, int(Cause.OWN), np.int8)
    for name, cause in (("friends", Cause.ASSOCIATION), ("family", Cause.KIN)):  # family wins
        if exposures[name] is not None:
            causes[exposures[name][caught] > 0] = int(cause)
    _start_listings(world, citizens, caught)
    citizens.times_listed[caught] += 1
    citizens.cause[caught] = causes
    this_step = world.step_log
    this_step.new_listed = np.concatenate([this_step.new_listed, caught])
    caught_by_cause = count_by_cause(causes)
    this_step.new_by_cause = {cause: this_step.new_by_cause.get(cause, 0) + caught_by_cause[cause] for cause in CAUSES}
    world.citizen_dossiers.add(world.step, caught, Event.LISTED, ListKind.SCORE, 0.0, causes)
