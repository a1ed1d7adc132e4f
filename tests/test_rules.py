"""Each rule alone, against a value computed by hand or in closed form.

Statistical checks use fixed seeds; each tolerance is a multiple of the binomial
standard error sqrt(p (1 - p) / N) stated beside it (4 SE: a false alarm about 1 in 16,000).
"""

import numpy as np
import pytest

from trustcascade.model.domains import Domain
from trustcascade.model.params import RULES
from trustcascade.model.state import Cause

LEGAL = Domain.LEGAL


def only(*rules, **params):
    """Parameters with every rule off except ``rules``."""
    return {**{f"rule_{r}": r in rules for r in RULES}, **params}


def one_domain(weight=300.0):
    """Only the legal domain counts; one record (300 points) crosses the 250-point margin."""
    return {f"weight_{d.label}": (weight if d is Domain.LEGAL else 0.0) for d in Domain}


def test_observe_and_list_match_the_binomial_expectation(make_model):
    p, c, n = 0.05, 0.5, 20_000
    model = make_model(seed=5, n_citizens=n, n_companies=0, household_size=1.0, deterrence=0.0,
                       surveillance_coverage=c, base_rate_legal=p, visibility_legal=1.0,
                       **one_domain(), **only("behave", "observe", "deduct", "list"))
    table = model.run(1)
    expected = p * c  # marginal P(violate) x P(recorded): exact whatever the propensity spread
    se = np.sqrt(expected * (1 - expected) / n)  # 0.0011
    assert abs(table["listed_share"].iloc[0] - expected) < 4 * se
    assert table["new_listings_own"].iloc[0] == table["new_listings"].iloc[0]


def test_false_records_match_error_rate_times_coverage(make_model):
    n, rate, c = 20_000, 0.02, 0.5
    model = make_model(seed=6, n_citizens=n, n_companies=0, household_size=1.0, record_error_rate=rate,
                       surveillance_coverage=c, visibility_legal=1.0,
                       **one_domain(), **only("false_records", "deduct", "list"))
    table = model.run(1)
    expected = rate * c
    se = np.sqrt(expected * (1 - expected) / n)
    assert abs(table["listed_share"].iloc[0] - expected) < 4 * se
    assert table["new_listings"].iloc[0] == table["new_listings_false_record"].iloc[0]
    assert table["collateral_share"].iloc[0] == 1.0  # nobody listed ever violated


def test_reward_adds_points_with_its_probability(make_model):
    n, prob, points = 20_000, 0.1, 10.0
    model = make_model(seed=7, n_citizens=n, reward_probability=prob, reward_points=points, **only("reward"))
    model.run(1)
    share = (model.world.citizens.rewarded == points).mean()
    assert abs(share - prob) < 4 * np.sqrt(prob * (1 - prob) / n)
    assert model.world.citizens.score.max() == model.params["initial_score"] + points


def test_forgive_decays_deductions_geometrically(make_model):
    model = make_model(forgiveness_rate=0.1, **only("forgive"))
    model.world.citizens.deducted[:, LEGAL] = 100.0
    model.run(5)
    assert np.allclose(model.world.citizens.score, 1000.0 - 100.0 * 0.9**5)


def test_association_penalty_on_a_complete_graph(make_model):
    n, listed, weight = 50, 10, 400.0
    model = make_model(n_citizens=n, n_companies=0, network="erdos_renyi", mean_degree=n - 1,
                       household_size=1.0, association_layers="friends", association_weight=weight,
                       initial_listed=listed, **only("associate"))
    model.run(1)
    c = model.world.citizens
    assert np.allclose(c.association_penalty[~c.listed], weight * listed / (n - 1))
    assert np.allclose(c.association_penalty[c.listed], weight * (listed - 1) / (n - 1))


def test_percentile_rule_lists_the_bottom_share(make_model):
    model = make_model(n_citizens=1000, listing_rule="percentile", listing_percentile=5.0, household_size=1.0,
                       **only("list"))
    model.world.citizens.deducted[:, LEGAL] = np.arange(1000.0)  # distinct scores
    model.run(1)
    c = model.world.citizens
    assert c.listed.sum() == 50 and c.listed[-50:].all()


def test_listing_lasts_its_duration(make_model):
    model = make_model(listing_duration=3, repair_margin=2000.0, **only("list", "delist"))
    four = model.world.adults[:4]
    model.world.citizens.deducted[four, LEGAL] = 400.0
    listed = [model.run(1) is not None and int(model.world.citizens.listed.sum()) for _ in range(5)]
    assert listed == [4, 4, 4, 4, 4]  # expires after 3 steps, relisted at once: the score is still low
    assert model.world.citizens.times_listed[four].tolist() == [2, 2, 2, 2]
    model.world.citizens.deducted[four] = 0.0
    model.run(3)
    assert model.world.citizens.listed.sum() == 0


def test_early_removal_on_repair(make_model):
    model = make_model(listing_duration=24, repair_margin=50.0, **only("list", "delist"))
    three = model.world.adults[:3]
    model.world.citizens.deducted[three, LEGAL] = 400.0
    model.run(1)
    assert model.world.citizens.listed.sum() == 3
    model.world.citizens.deducted[three, LEGAL] = 0.0  # the debtor performs: score back to 1000
    model.run(1)
    assert model.world.citizens.listed.sum() == 0


@pytest.mark.parametrize("scope", ["joint", "local"])
def test_sanction_scope_restricts_income(make_model, scope):
    model = make_model(sanction_scope=scope, n_companies=0, sanction_income_loss=0.4,
                       **only("list", "sanction"))
    c, adults = model.world.citizens, model.world.adults
    c.deducted[adults[:5], LEGAL] = 400.0  # listed for a court judgment
    c.deducted[adults[5:10], Domain.FINANCIAL] = 400.0  # listed for loan default
    model.run(1)
    assert np.allclose(c.income_loss[adults[5:10]], 0.4)
    assert np.allclose(c.income_loss[adults[:5]], 0.4 if scope == "joint" else 0.0)
    assert np.count_nonzero(c.income_loss) == (10 if scope == "joint" else 5)


@pytest.mark.parametrize("scope", ["joint", "local"])
def test_spill_over_to_representatives_not_to_children(make_model, scope):
    model = make_model(sanction_scope=scope, company_penalty=321.0, **only("list", "spill_over"))
    ties, c, co = model.world.ties, model.world.citizens, model.world.companies
    parents = np.unique(ties.parent[ties.parent >= 0])[:5]
    c.deducted[parents, LEGAL] = 400.0
    co.deducted[0] = 400.0
    model.run(1)
    children = np.isin(ties.parent, parents)
    assert children.any() and c.listed[parents].all()
    assert (c.company_penalty[children] == 0).all() and (c.kin_penalty == 0).all()  # no points, no listing
    assert c.company_penalty[ties.representative[0]] == (321.0 if scope == "joint" else 0.0)


def test_avoidance_with_certainty_cuts_every_friendship_of_the_newly_listed(make_model):
    model = make_model(avoidance_probability=1.0, **only("list", "avoid"))
    friends_before = model.world.ties.friends.copy()
    three = model.world.adults[:3]
    model.world.citizens.deducted[three, LEGAL] = 400.0
    table = model.run(1)
    friends = model.world.ties.friends
    assert (friends.toarray() == friends.toarray().T).all()  # cut on both ends
    degree_before = np.asarray(friends_before.sum(axis=1)).ravel()
    assert np.asarray(friends.sum(axis=1)).ravel()[three].sum() == 0
    shared = friends_before[three][:, three].sum() // 2  # ties among the three count once
    assert table["ties_cut"].iloc[0] == degree_before[three].sum() - shared
    assert table["mean_degree_listed"].iloc[0] == 0.0


def test_befriend_adds_symmetric_ties(make_model):
    model = make_model(n_citizens=2000, tie_formation_rate=0.05, homophily=0.0, **only("befriend"))
    before = np.count_nonzero(model.world.ties.friends.data)  # stored entries of weight 0 are free
    model.run(1)
    friends = model.world.ties.friends
    added = (np.count_nonzero(friends.data) - before) // 2
    expected = 2000 * 0.05  # meetings; a few repeat an existing tie
    assert 0.8 * expected - 4 * np.sqrt(expected) < added <= expected + 4 * np.sqrt(expected)
    assert abs(friends - friends.T).nnz == 0 and friends.diagonal().sum() == 0


def test_chill_quiets_the_listed(make_model):
    model = make_model(chilling_effect=0.2, initial_listed=10, **only("chill"))
    model.run(1)
    c = model.world.citizens
    assert np.allclose(c.chill[c.listed], 0.2)
    assert (c.chill[~c.listed] < 0.2 + 1e-9).all()


def test_switching_one_rule_off_leaves_the_other_streams_untouched(make_model):
    on = make_model(seed=9)
    off = make_model(seed=9, rule_reward=False)
    on.run(1)
    off.run(1)
    assert (on.world.citizens.violated == off.world.citizens.violated).all()
    on.run(10)
    off.run(10)
    for rule in ("behave", "observe", "false_records"):  # fixed-shape draws every step
        assert on.world.streams[rule].bit_generator.state == off.world.streams[rule].bit_generator.state
    assert on.world.streams["reward"].bit_generator.state != off.world.streams["reward"].bit_generator.state


@pytest.mark.parametrize("preset", ["restrictions-everywhere", "domain-local", "company-shock"])
def test_primary_causes_add_up_to_new_listings(make_model, preset):
    from trustcascade.model.model import TrustCascade

    table = TrustCascade(rng=3, preset=preset, agents=False, n_citizens=3000).run(80)
    causes = table[[f"new_listings_{c.label}" for c in Cause if c is not Cause.NONE]].sum(axis=1)
    assert (causes == table["new_listings"]).all()
    assert table["new_listings"].sum() > 0


def test_intervention_takes_effect_at_its_step_and_not_before(make_model):
    model = make_model(company_violation_rate=0.0, schedule={6: {"shock_companies": 1}})
    table = model.run(8)
    assert (table["company_listed_share"].iloc[:5] == 0).all()
    assert table.set_index("step").loc[6, "company_listed_share"] > 0
    assert model.params["shock_companies"] == 1


def test_conformity_copies_the_friends_violation_rate(make_model):
    """With conformity 1, one's probability is the share of friends who violated last month
    (for adults: children never violate)."""
    model = make_model(conformity=1.0, strain=0.0, **only("behave"))
    c, traffic = model.world.citizens, Domain.TRAFFIC
    everyone = np.arange(c.n)
    c.violation_cells = everyone * len(Domain) + traffic  # all violated in traffic, nothing else
    model.run(1)
    has_friends = model.world.friend_degree > 0
    adult = model.world.ties.parent < 0
    violated = c.violated
    assert violated[has_friends & adult, traffic].all()  # share 1 -> probability 1
    assert not violated[~adult].any() and (~adult).sum() > 100
    assert not np.delete(violated, traffic, axis=1).any()  # share 0 elsewhere -> probability 0


@pytest.mark.parametrize("size, prob", [(100, 1e-4), (1000, 0.01), (50, 0.3)])
def test_bernoulli_cells_choose_each_cell_with_its_probability(size, prob):
    from trustcascade.model.sampling import bernoulli_cells

    rng = np.random.default_rng(11)
    trials = 20_000
    hits = np.zeros(size)
    for _ in range(trials):
        cells = bernoulli_cells(size, prob, rng)
        assert (np.diff(cells) > 0).all() and (cells < size).all()
        hits[cells] += 1
    total_se = np.sqrt(trials * size * prob * (1 - prob))  # binomial total over every trial and cell
    assert abs(hits.sum() - trials * size * prob) < 4 * total_se
    cell_se = np.sqrt(trials * prob * (1 - prob))
    assert abs(hits[-1] - trials * prob) < 5 * cell_se + 1  # the last cell is not favoured
