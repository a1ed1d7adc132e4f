"""deduct, reward, forgive, associate: the ledger behind each score; and score itself."""

from __future__ import annotations

import numpy as np

from ..domains import Domain
from ..dossier import Event
from ..sampling import bernoulli_cells
from ..scoring import SCORING_RULES
from ..world import World


def deduct(world: World) -> None:
    """Deduct each record's domain weight from the ledger ("if trust is broken in one place
    ..."): true and false records alike, since the authority cannot tell them apart.

    Parameters: ``weight_<domain>``. Source: municipal points schemes (Creemers 2018).
    """
    citizens, companies = world.citizens, world.companies
    weights = world.domain_vector("weight")
    for cells, kind in ((citizens.record_cells, Event.RECORD), (citizens.false_cells, Event.FALSE_RECORD)):
        who, domain = np.divmod(cells, len(Domain))
        citizens.deducted.ravel()[cells] += weights[domain]  # cells are distinct
        if kind is Event.FALSE_RECORD:
            np.add.at(citizens.deducted_false, who, weights[domain])
        world.citizen_dossiers.add(world.step, who, kind, domain, -weights[domain])
    recorded = np.concatenate([citizens.record_cells, citizens.false_cells]) // len(Domain)
    citizens.lists.last_record[recorded] = world.step
    companies.lists.last_record[companies.recorded.any(axis=1)] = world.step
    companies.deducted += (companies.recorded * weights).sum(axis=1)
    who, domain = np.nonzero(companies.recorded)
    world.company_dossiers.add(world.step, who, Event.RECORD, domain, -weights[domain])


def reward(world: World, rng: np.random.Generator) -> None:
    """Good deeds (volunteering, blood donation, a "heroic act") earn ``reward_points`` with
    monthly probability ``reward_probability`` (Rongcheng's scheme: +30 for heroism)."""
    params, citizens = world.params, world.citizens
    lucky = bernoulli_cells(citizens.n, params["reward_probability"], rng)  # costs the lucky few
    citizens.rewarded[lucky] += params["reward_points"]
    world.citizen_dossiers.add(world.step, lucky, Event.REWARD, -1, params["reward_points"])


def forgive(world: World) -> None:
    """Records fade: each month a share ``forgiveness_rate`` of deducted (and rewarded)
    points is forgiven, so a clean record repairs the score ("credit repair"; the
    2019 NDRC guidance on restoring credit)."""
    keep = 1.0 - world.params["forgiveness_rate"]
    citizens = world.citizens
    citizens.deducted *= keep
    citizens.deducted_false *= keep
    citizens.rewarded *= keep
    world.companies.deducted *= keep


def associate(world: World) -> None:
    """Guilt by association: lose ``association_weight`` x the share of one's contacts
    (over ``association_layers``) who are listed; companies the same over business partners.
    The points lost to listed family members are kept apart (``kin_penalty``, cause
    ``kin``) from those lost to listed friends (``association_penalty``): each tie counts
    once, and the listing's cause says which kind it was.

    With every other rule off and permanent listing, a citizen is listed exactly when that
    share reaches phi = (initial_score - listing_threshold) / association_weight: the
    threshold rule of Watts (2002), "A simple model of global cascades on random
    networks", PNAS 99:5766.
    """
    weight, citizens = world.params["association_weight"], world.citizens
    share, via_family = world.listed_share_of_contacts(citizens.listed, family_apart=True)
    world.step_log.contact_share = share
    world.step_log.counted_listed = citizens.listed.copy()  # listings may end before ``list`` explains
    citizens.kin_penalty = np.multiply(via_family, weight, out=via_family)  # a fresh array: in place
    np.multiply(share, weight, out=citizens.association_penalty)  # in place too: see ``ledger``
    citizens.association_penalty -= citizens.kin_penalty
    if world.companies.n:
        world.companies.association_penalty = weight * world.business_share_listed()


def ledger(world: World) -> np.ndarray:
    """Each citizen's points: the start, minus records and penalties, plus rewards.

    Summed in place, in the order written, into the one fresh array the row sum makes (the
    four temporaries cost 0.05 ms a step at 100k). Rules that rewrite a whole citizen array
    each step write into it in place too (nothing keeps last month's penalties, losses or
    chill): a fresh array that outlives its statement gets fresh pages, which cost their
    faults (the score's clip: 0.14 ms).
    """
    citizens, cleared = world.citizens, world.step_log.cleared
    points = citizens.deducted @ np.ones(len(Domain))  # a BLAS row sum, several times np.sum's speed
    np.subtract(world.params["initial_score"], points, out=points)
    points += citizens.rewarded
    for name in ("association_penalty", "company_penalty", "kin_penalty"):
        if name not in cleared:  # a rule switched off zeroed it this step: subtracting 0 changes nothing
            points -= getattr(citizens, name)
    return points


def ledger_of(world: World, who: np.ndarray) -> np.ndarray:
    """The points of the citizens ``who`` (as :func:`ledger`, for a few)."""
    citizens = world.citizens
    return (world.params["initial_score"] - citizens.deducted[who].sum(axis=1) + citizens.rewarded[who]
            - citizens.association_penalty[who] - citizens.company_penalty[who] - citizens.kin_penalty[who])


def score(world: World) -> None:
    """Turn ledgers into scores with the chosen ``scoring_rule`` (always runs)."""
    rule = SCORING_RULES[world.params["scoring_rule"]]
    points = ledger(world)  # a fresh array: scored in place
    world.citizens.score = rule.score(points, out=points)
    companies = world.companies
    companies.score = rule.score(world.params["initial_score"] - companies.deducted
                                 - companies.association_penalty)
