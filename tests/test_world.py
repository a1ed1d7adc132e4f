"""World helpers that take shortcuts when few are listed must equal the direct computation."""

import numpy as np
import pytest

from trustcascade.model.model import TrustCascade


@pytest.mark.parametrize("listed_share", [0.01, 0.3])  # the gathering path and the matrix-product path
@pytest.mark.parametrize("layers", ["friends", "friends+family"])
def test_listed_share_of_contacts_equals_the_dense_definition(listed_share, layers):
    model = TrustCascade(rng=2, n_citizens=4000, agents=False, association_layers=layers,
                         avoidance_probability=0.5, tie_formation_rate=0.05)
    model.run(10)  # cut ties and free slots (weight 0) are in the layers
    world = model.world
    listed = np.random.default_rng(1).random(world.citizens.n) < listed_share
    count = sum(getattr(world.ties, name).toarray().astype(float) @ listed for name in layers.split("+"))
    degree = sum(getattr(world.ties, name).toarray().sum(axis=1).astype(float) for name in layers.split("+"))
    expected = np.divide(count, degree, out=np.zeros_like(count), where=degree > 0)
    assert np.array_equal(world.listed_share_of_contacts(listed), expected)


def test_adult_relatives_are_the_family_ties_to_adults_in_order():
    """The kept adults-only family layer gives what filtering the family ties gives: for
    each tie to an adult, the index into ``people`` and the adult's rank, in the same order."""
    model = TrustCascade(rng=3, n_citizens=3000, agents=False)
    world = model.world
    people = np.random.default_rng(2).choice(world.citizens.n, 800)  # repeats included
    whose, contact = world.tie_ends(people, world.ties.family)
    rank = world.adult_rank[contact]
    expected_whose, expected_rank = whose[rank >= 0], rank[rank >= 0]
    got_whose, got_rank = world.adult_relatives(people)
    assert expected_rank.size > 500 and (rank < 0).any()  # children among relatives are left out
    assert np.array_equal(got_whose, expected_whose) and np.array_equal(got_rank, expected_rank)


def test_kept_friend_ends_follow_every_change_of_the_friendships():
    """tie_ends keeps its last answers for the friend layer: asked again after a cut or a new
    friendship, it answers for the friendships as they are now (contacts_of reads afresh)."""
    model = TrustCascade(rng=4, n_citizens=2000, agents=False)
    world = model.world
    people = np.flatnonzero(world.friend_degree >= 2)[:50]

    def same_as_afresh():
        whose, contact = world.tie_ends(people, world.ties.friends)
        afresh = world.contacts_of(people, world.ties.friends)
        return np.array_equal(whose, afresh.whose) and np.array_equal(contact, afresh.contact)

    whose, contact = world.tie_ends(people, world.ties.friends)
    assert world.tie_ends(people, world.ties.friends)[1] is contact  # kept
    world.end_friendships(people[:1], contact[whose == 0][:1])
    assert same_as_afresh() and world.tie_ends(people, world.ties.friends)[1].size < contact.size
    stranger = int(np.setdiff1d(np.arange(world.citizens.n), np.r_[contact, people])[0])
    world.start_friendships(people[1:2], np.array([stranger]))
    assert same_as_afresh() and stranger in world.tie_ends(people, world.ties.friends)[1]
