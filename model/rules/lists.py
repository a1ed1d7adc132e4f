"""Putting people and firms on the national lists and taking them off (blacklists design).

A person is ``listed`` while on any list; ``listed_since`` is when that began and
``listed_until`` the latest end of the listings in force. Each list keeps its own term.
"""

from __future__ import annotations

import numpy as np

from ..dossier import Event
from ..institutions import ListKind
from ..state import NEVER
from ..world import World


def put_on_list(world: World, people, dossiers, who: np.ndarray, kind: ListKind, term: int,
                causes=0) -> np.ndarray:
    """Put ``who`` on list ``kind`` for ``term`` months (0: for good) unless already on it;
    return those who were on no list before (the new listings)."""
    lists = people.lists
    fresh = ~lists.on[who, kind]
    who, causes = who[fresh], (causes[fresh] if np.ndim(causes) else causes)
    lists.on[who, kind] = True
    lists.until[who, kind] = world.step + term if term > 0 else NEVER
    first = ~people.listed[who]
    people.listed[who[first]] = True
    people.listed_since[who[first]] = world.step
    people.listed_until[who] = np.maximum(people.listed_until[who], lists.until[who, kind])
    dossiers.add(world.step, who, Event.LISTED, kind, 0.0, causes)
    return who[first]


def take_off_list(world: World, people, dossiers, who: np.ndarray, kind: ListKind) -> np.ndarray:
    """Take ``who`` off list ``kind``; return those now on no list at all."""
    lists = people.lists
    lists.on[who, kind] = False
    lists.until[who, kind] = -1
    if people is world.citizens:
        world.step_log.left_lists.append(who)
    off = who[~lists.on[who].any(axis=1)]
    people.listed[off] = False
    people.listed_until[off] = -1
    dossiers.add(world.step, who, Event.DELISTED, kind)
    return off


def expire_lists(world: World, people, dossiers) -> np.ndarray:
    """End every listing whose term is over (a court listing of a debtor who still owes is
    extended once by ``court_list_extension`` months instead); return who is now on no list."""
    lists, step = people.lists, world.step
    listed = np.flatnonzero(people.listed)
    if listed.size == 0:
        return listed
    on, until = lists.on[listed], lists.until[listed]  # listed x lists, gathered once
    extension = world.params["court_list_extension"]
    if extension > 0:
        term = world.params["listing_duration"]
        extended = np.flatnonzero(on[:, ListKind.COURT] & (until[:, ListKind.COURT] == step)
                                  & (lists.debt[listed] > 0) & (step - people.listed_since[listed] <= term))
        due = listed[extended]
        lists.until[due, ListKind.COURT] += extension
        until[extended, ListKind.COURT] += extension
        people.listed_until[due] = np.maximum(people.listed_until[due], lists.until[due, ListKind.COURT])
    ended = [listed[:0]]
    over = on & (until <= step)
    for kind in np.flatnonzero(over.any(axis=0)):
        ended.append(take_off_list(world, people, dossiers, listed[over[:, kind]], ListKind(kind)))
    return np.unique(np.concatenate(ended))
