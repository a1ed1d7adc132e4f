"""avoid, befriend, chill: how people answer the blacklist."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..dossier import Event
from ..world import World, find_entries, row_entries


def avoid(world: World, rng: np.random.Generator) -> None:
    """Each friend of a newly listed citizen cuts the tie with ``avoidance_probability``.

    Cut ties are marked in place (weight 0 on both ends), not rebuilt. Source: Wei,
    Yildirim, Van den Bulte & Dellarocas (2016), "Credit scoring with social network data",
    Marketing Science 35:234 -- people cut ties to low scorers, fragmenting the network.
    """
    newly = world.log.new_listed
    friends, n = world.ties.friends, world.citizens.n
    if newly.size == 0 or world.params["avoidance_probability"] <= 0:
        return
    positions, source = row_entries(friends, newly)
    listed_person = newly[source]
    cut = (rng.random(positions.size) < world.params["avoidance_probability"]) & (friends.data[positions] > 0)
    positions, listed_person = positions[cut], listed_person[cut]
    friend = friends.indices[positions].astype(np.int64)
    mirror, _ = find_entries(friends, friend, listed_person)
    ends = np.concatenate([positions, mirror])
    owners = np.concatenate([listed_person, friend])
    ends, first = np.unique(ends, return_index=True)  # a tie cut from both ends counts once
    world.friend_degree -= np.bincount(owners[first], weights=friends.data[ends], minlength=n)
    friends.data[ends] = 0
    world.log.ties_cut = int(ends.size // 2)
    world.ties.cut_total += world.log.ties_cut
    world.ties.changed = world.ties.changed or ends.size > 0
    world.citizen_dossiers.add(world.step, listed_person, Event.TIE_CUT, -1, 0.0, friend)


def befriend(world: World, rng: np.random.Generator) -> None:
    """New friendships: each month ``tie_formation_rate`` x n random pairs meet and become
    friends with probability exp(-homophily x |score difference|) -- homophily on standing
    (McPherson, Smith-Lovin & Cook 2001, "Birds of a feather"). A cut tie can be renewed.

    New ties are inserted into the sorted CSR arrays (one copy of each), not added as a
    matrix sum, and degrees are updated in place.
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
    found, at = find_entries(friends, rows, cols)
    renewed = found[(found >= 0)]
    renewed = renewed[friends.data[renewed] == 0]  # a cut tie taken up again
    friends.data[renewed] = 1
    degree = world.friend_degree + np.bincount(rows[np.isin(found, renewed)], minlength=n)
    fresh = found < 0
    at, rows, cols = at[fresh], rows[fresh], cols[fresh]
    indptr = friends.indptr.astype(np.int64)
    indptr[1:] += np.cumsum(np.bincount(rows, minlength=n))
    grown = sp.csr_matrix((np.insert(friends.data, at, 1), np.insert(friends.indices, at, cols), indptr),
                          shape=friends.shape)
    grown.has_sorted_indices = True
    world.set_friends(grown, degree + np.bincount(rows, minlength=n))


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
