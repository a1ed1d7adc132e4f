"""avoid, befriend, chill: how people answer the blacklist."""

from __future__ import annotations

import numpy as np

from ..dossier import Event
from ..world import World


def avoid(world: World, rng: np.random.Generator) -> None:
    """Each friend of a newly listed citizen cuts the tie with ``avoidance_probability``.

    Cut ties are marked in place (weight 0), not rebuilt. Source: Wei, Yildirim, Van den
    Bulte & Dellarocas (2016), "Credit scoring with social network data", Marketing
    Science 35:234 -- people cut ties to low scorers, fragmenting the network.
    """
    newly = world.log.new_listed
    friends = world.ties.friends
    if newly.size == 0 or world.params["avoidance_probability"] <= 0:
        return
    starts, ends = friends.indptr[newly], friends.indptr[newly + 1]
    lengths = ends - starts
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    positions = np.arange(lengths.sum()) + offsets
    listed_person = np.repeat(newly, lengths)
    cut = (rng.random(positions.size) < world.params["avoidance_probability"]) & (friends.data[positions] > 0)
    positions, listed_person = positions[cut], listed_person[cut]
    friend = friends.indices[positions]
    mirror = np.searchsorted(world.friend_keys(), friend.astype(np.int64) * friends.shape[0] + listed_person)
    friends.data[positions] = 0
    friends.data[mirror] = 0
    pairs = np.unique(np.minimum(friend, listed_person).astype(np.int64) * friends.shape[0]
                      + np.maximum(friend, listed_person))
    world.log.ties_cut = int(pairs.size)
    world.ties.cut_total += int(pairs.size)
    world.citizen_dossiers.add(world.step, listed_person, Event.TIE_CUT, -1, 0.0, friend)
    if pairs.size:
        world.ties_changed()


def befriend(world: World, rng: np.random.Generator) -> None:
    """New friendships: each month ``tie_formation_rate`` x n random pairs meet and become
    friends with probability exp(-homophily x |score difference|) -- homophily on standing
    (McPherson, Smith-Lovin & Cook 2001, "Birds of a feather").
    """
    p, c = world.params, world.citizens
    meetings = rng.binomial(c.n, p["tie_formation_rate"])
    if meetings == 0:
        return
    one, other = rng.integers(0, c.n, size=(2, meetings))
    accept = np.exp(-p["homophily"] * np.abs(c.score[one] - c.score[other]))
    keep = (one != other) & (rng.random(meetings) < accept)
    if not keep.any():
        return
    from ..networks import edges_to_csr

    new = edges_to_csr(one[keep], other[keep], c.n)
    friends = (world.ties.friends + new).tocsr()
    np.minimum(friends.data, 1, out=friends.data)
    friends.sort_indices()
    world.ties.friends = friends
    world.ties_changed()


def chill(world: World) -> None:
    """Chilling effect: the listed, and people in proportion to their listed contacts,
    criticise less (political violations fall by up to ``chilling_effect``). Penney (2016),
    "Chilling effects: online surveillance and Wikipedia use", BTLJ 31:117 (about -20%).
    """
    c = world.citizens
    exposure = np.maximum(c.listed.astype(np.float32), world.listed_share_of_contacts(c.listed))
    c.chill = world.params["chilling_effect"] * exposure
