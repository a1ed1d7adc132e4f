"""avoid, befriend, chill: how people answer the blacklist."""

from __future__ import annotations

import numpy as np

from ..dossier import Event
from ..forced import force_ties, forced_of
from ..tieslots import add_ties, cut_ties
from ..world import World, find_entries, row_entries


def avoid(world: World, rng: np.random.Generator) -> None:
    """Each friend of a newly listed citizen cuts the tie with ``avoidance_probability``.

    Cut ties are removed in place (``tieslots.cut_ties``: the row's last live tie fills
    the hole, and the freed entry is a slot for a new tie), not rebuilt. Source: Wei,
    Yildirim, Van den Bulte & Dellarocas (2016), "Credit scoring with social network data",
    Marketing Science 35:234 -- people cut ties to low scorers, fragmenting the network.
    """
    newly = world.log.new_listed
    friends, n = world.ties.friends, world.citizens.n
    if (newly.size == 0 or world.params["avoidance_probability"] <= 0) and forced_of(world) is None:
        return
    positions, source = row_entries(friends, newly, world.friend_live)
    listed_person = newly[source]
    cut = rng.random(positions.size) < world.params["avoidance_probability"]
    positions, listed_person = force_ties(world, positions, listed_person, cut)  # seats decide themselves
    friend = friends.indices[positions].astype(np.int64)
    mirror = find_entries(friends, friend, listed_person, world.friend_live)
    ends = np.concatenate([positions, mirror])
    owners = np.concatenate([listed_person, friend])
    ends, first = np.unique(ends, return_index=True)  # a tie cut from both ends counts once
    cut_ties(friends, world.friend_live, ends, owners[first])  # degrees fall with the live ties
    world.log.ties_cut = int(ends.size // 2)
    world.log.cut_ties = np.unique(np.minimum(listed_person, friend) * n + np.maximum(listed_person, friend))
    world.ties.cut_total += world.log.ties_cut
    world.ties.changed = world.ties.changed or ends.size > 0
    world.citizen_dossiers.add(world.step, listed_person, Event.TIE_CUT, -1, 0.0, friend)


def befriend(world: World, rng: np.random.Generator) -> None:
    """New friendships: each month ``tie_formation_rate`` x n random pairs meet and become
    friends with probability exp(-homophily x |score difference|) -- homophily on standing
    (McPherson, Smith-Lovin & Cook 2001, "Birds of a feather"). Former friends can meet again.

    New ties take the free slots after their rows' live ties (``tieslots.add_ties``), not
    a matrix sum or a copy of every tie; degrees are updated in place.
    """
    p, c = world.params, world.citizens
    meetings = rng.binomial(c.n, p["tie_formation_rate"])
    one, other = rng.integers(0, c.n, size=(2, meetings))
    accept = np.exp(-p["homophily"] * np.abs(c.score[one] - c.score[other]))
    keep = (one != other) & (rng.random(meetings) < accept)
    if not keep.any():
        return
    friends, n = world.ties.friends, c.n
    pairs = np.sort(np.concatenate([one[keep] * n + other[keep], other[keep] * n + one[keep]]))
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # both directions, once each
    rows, cols = np.divmod(pairs, n)
    fresh = find_entries(friends, rows, cols, world.friend_live) < 0  # not friends yet
    grown = add_ties(friends, world.friend_live, rows[fresh], cols[fresh])  # and degrees rise
    world.log.formed_ties = pairs[fresh & (rows < cols)]
    if grown is not friends:
        world.set_friends(grown)
    world.ties.changed = world.ties.changed or bool(fresh.any())


def chill(world: World) -> None:
    """Chilling effect: the listed, and people in proportion to their listed contacts,
    criticise less (political violations fall by up to ``chilling_effect``). Penney (2016),
    "Chilling effects: online surveillance and Wikipedia use", BTLJ 31:117 (about -20%).
    """
    c = world.citizens
    share = world.log.contact_share  # as ``associate`` saw it this step, or computed here
    if share is None:
        share = world.listed_share_of_contacts(c.listed)
    exposure = np.maximum(c.listed, share)
    c.chill = world.params["chilling_effect"] * exposure
