"""Who can work, represent a firm and be listed; how one tie counts; how long a listing lasts.

Each test here failed before 0.2 (children were employed, represented firms and were
listed through their parents' points; the percentile rule relisted everyone monthly).
"""

import numpy as np
import pytest

from trustcascade.model.model import TrustCascade
from trustcascade.model.state import Cause


@pytest.fixture(scope="module")
def society():
    model = TrustCascade(rng=1, agents=False, n_citizens=5000, n_companies=100, association_weight=1500.0)
    model.run(60)
    return model


def test_only_adults_work_or_represent_a_firm(society):
    ties, adult = society.world.ties, society.world.ties.parent < 0
    assert (~adult).sum() > 1000  # the society has children to get wrong
    assert (ties.employer[~adult] == -1).all()
    assert adult[ties.representative].all()
    assert not ties.manager[~adult].any()


def test_children_are_never_listed_even_when_their_parents_are(society):
    citizens, ties = society.world.citizens, society.world.ties
    children = np.flatnonzero(ties.parent >= 0)
    assert citizens.times_listed[ties.parent[children]].sum() > 0  # some parents were listed
    assert citizens.times_listed[children].sum() == 0


def test_a_family_tie_counts_once_and_its_cause_says_kin(make_model):
    """A child's listed parent weighs once, through the family layer, as kin; friends as association."""
    model = make_model(n_citizens=400, association_weight=600.0, **{f"rule_{r}": r in ("associate",)
                                                                  for r in ("behave", "observe",
                                                                            "false_records", "deduct",
                                                                            "reward", "forgive", "delist",
                                                                            "list", "sanction", "spill_over",
                                                                            "avoid", "befriend", "chill")})
    world, citizens = model.world, model.world.citizens
    child = int(np.flatnonzero(world.ties.parent >= 0)[0])
    parent = int(world.ties.parent[child])
    citizens.listed[parent] = True
    model.step()
    family = world.family_degree[child]
    degree = family + world.friend_degree[child]
    friend_listed = citizens.listed[world.friendships_of(np.array([child])).contact].sum()
    assert citizens.kin_penalty[child] == pytest.approx(600.0 / degree)  # one family member listed
    assert citizens.association_penalty[child] == pytest.approx(600.0 * friend_listed / degree)


def test_family_driven_listings_carry_the_kin_cause(society):
    table = society.table()
    assert table["new_listings_kin"].sum() + table["new_listings_association"].sum() > 0
    cause = society.world.citizens.cause
    citizens = society.world.citizens
    kin = np.flatnonzero((cause == int(Cause.KIN)) & citizens.listed)
    assert kin.size > 0
    for person in kin[:50]:  # each names a listed family member at the step it was listed, even when
        events = society.world.citizen_dossiers.of(int(person))  # that member's listing ended that step
        since = citizens.listed_since[person]
        assert any(e["kind"] == "via_family" and e["step"] == since for e in events), (person, events[-8:])


def test_percentile_listings_last_their_duration():
    """Bottom 1% listed for 24 months: nobody is delisted and relisted month after month."""
    model = TrustCascade(rng=1, agents=False, n_citizens=2000, listing_rule="percentile",
                         listing_percentile=1.0)
    table = model.run(40)
    citizens = model.world.citizens
    assert citizens.times_listed.max() <= 2
    assert table["listed_share"].iloc[-1] >= 0.005
