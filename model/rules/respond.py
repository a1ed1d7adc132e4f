"""avoid, befriend, chill: how people answer the blacklist."""

from __future__ import annotations

import numpy as np

from ..dossier import Event
from ..forced import force_ties, forced_of
from ..world import World


def avoid(world: World, rng: np.random.Generator) -> None:
    """Each friend of a newly listed citizen cuts the tie with ``avoidance_probability``.

    Source: Wei, Yildirim, Van den Bulte & Dellarocas (2016), "Credit scoring with social
    network data", Marketing Science 35:234 -- people cut ties to low scorers, fragmenting
    the network.
    """
    newly, probability = world.step_log.new_listed, world.params["avoidance_probability"]
    if (newly.size == 0 or probability <= 0) and forced_of(world) is None:
        return
    ties = world.friendships_of(newly)
    cut = rng.random(ties.contact.size) < probability
    listed_person, friend = force_ties(world, newly[ties.whose], ties.contact.astype(np.int64), cut)  # seats decide
    world.step_log.cut_tie_keys = world.end_friendships(listed_person, friend)
    world.step_log.ties_cut_count = int(world.step_log.cut_tie_keys.size)
    world.citizen_dossiers.add(world.step, listed_person, Event.TIE_CUT, -1, 0.0, friend)


def befriend(world: World, rng: np.random.Generator) -> None:
    """New friendships: each month ``tie_formation_rate`` x n random pairs meet and become
    friends with probability exp(-homophily x |score difference|) -- homophily on standing
    (McPherson, Smith-Lovin & Cook 2001, "Birds of a feather"). Former friends can meet again.
    """
    params, citizens = world.params, world.citizens
    meetings = rng.binomial(citizens.n, params["tie_formation_rate"])
    one, other = rng.integers(0, citizens.n, size=(2, meetings))
    accept = np.exp(-params["homophily"] * np.abs(citizens.score[one] - citizens.score[other]))
    keep = (one != other) & (rng.random(meetings) < accept)
    if keep.any():
        world.step_log.formed_tie_keys = world.start_friendships(one[keep], other[keep])


def chill(world: World) -> None:
    """Chilling effect: the listed, and people in proportion to their listed contacts,
    criticise less (political violations fall by up to ``chilling_effect``). Penney (2016),
    "Chilling effects: online surveillance and Wikipedia use", BTLJ 31:117 (about -20%).
    """
    citizens, effect = world.citizens, world.params["chilling_effect"]
    share = world.step_log.contact_share  # as ``associate`` saw it this step, or computed here
    few = world.listed_share_where_nonzero(citizens.listed) if share is None else None
    if few is not None:  # only the few contacts of the few listed: no pass over everyone's share
        touched, touched_share, listed = few
        citizens.chill.fill(0.0)
        citizens.chill[touched] = touched_share * effect
    else:
        share = world.listed_share_of_contacts(citizens.listed) if share is None else share
        np.multiply(share, effect, out=citizens.chill)  # in place: see ``score.ledger``
        listed = citizens.listed
    citizens.chill[listed] = effect  # the listed themselves fully (a share is at most 1)
