"""behave starts from a kept baseline (propensity x deterrence x (1 - conformity)) or, with
learned beliefs, from a kept upper bound thinned to the exact probability where the uniform
falls below it: either way it must equal the definition of the violation probability, draw
for draw."""

import numpy as np
import pytest

from trustcascade.model.model import TrustCascade
from trustcascade.model.rules.behave import (announced_deterrence, behave, chilling, conformity, learned_deterrence,
                                              learned_factor, strain)
from trustcascade.model.domains import Domain


def deterrence_by_definition(world) -> np.ndarray:
    """exp(-deterrence x perceived recording probability x weight / margin x perceived cost of a
    listed month), per citizen and domain, from each adult's beliefs (or the announced ones)."""
    p, c = world.params, world.citizens
    share = world.domain_vector("weight") / max(p["initial_score"] - p["listing_threshold"], 1.0)
    if not p["rule_learn"]:
        detection = p["surveillance_coverage"] * world.domain_vector("visibility")
        return np.broadcast_to(np.exp(-p["deterrence"] * detection * share * p["listing_cost_prior"]),
                               c.propensity.shape).astype(np.float32)
    b = c.beliefs
    factor = np.ones(c.propensity.shape)
    adults = np.flatnonzero(world.ties.parent < 0)
    detection = b.recorded.astype(np.float64) / b.seen
    factor[adults] = np.exp(-p["deterrence"] * detection * share * (b.cost / b.months)[:, None])
    return factor.astype(np.float32)


def dense_probability(world) -> np.ndarray:
    """The definition: propensity x deterrence, strain on loans, chill on politics, then the
    conformity blend; 0 in switched-off domains."""
    p, c = world.params, world.citizens
    prob = c.propensity * deterrence_by_definition(world)
    prob[:, Domain.FINANCIAL] *= 1.0 + p["strain"] * c.income_loss.astype(np.float32)
    prob[:, Domain.POLITICAL] *= 1.0 - c.chill.astype(np.float32)
    w = p["conformity"]
    prob *= np.float32(1.0 - w)
    violated = c.dense(c.violation_cells).astype(np.float32)
    friends = world.ties.friends.astype(np.float32)
    share = (friends @ violated) / np.maximum(world.friend_degree, 1.0)[:, None]
    prob += np.float32(w) * share.astype(np.float32)
    prob[:, world.domain_vector("weight") <= 0] = 0.0
    prob[world.ties.parent >= 0] = 0.0  # children do not violate, whatever their friends do
    return prob


@pytest.mark.parametrize("overrides, switch_off", [
    ({}, None),
    ({"rule_learn": False}, None),  # the fixed-belief baseline: what is announced
    ({"vicarious_weight": 1.0, "belief_strength": 1.0}, None),  # beliefs that move fast
    ({"conformity": 0.6, "strain": 3.0}, "weight_traffic"),  # strong pulls; a domain just switched off
    ({"conformity": 0.0, "strain": 0.0}, None),  # nothing but chill moves
])
def test_behave_equals_the_dense_definition_draw_for_draw(overrides, switch_off):
    model = TrustCascade(rng=7, n_citizens=8000, agents=False, base_rate_political=0.03,
                         base_rate_financial=0.03, **overrides)
    model.run(15)  # last month's violations are in place for conformity
    world, c = model.world, model.world.citizens
    setting = np.random.default_rng(5)  # sanctions and chill on a third of the people each
    c.income_loss = np.where(setting.random(c.n) < 0.3, setting.random(c.n), 0.0)
    c.chill = np.where(setting.random(c.n) < 0.3, 0.5 * setting.random(c.n), 0.0)
    if switch_off:
        world.params[switch_off] = 0.0
    expected_prob = dense_probability(world)
    stream = np.random.default_rng(123)
    adults = np.flatnonzero(world.ties.parent < 0)  # one uniform per adult and domain, in order
    draw = np.ones(expected_prob.shape, np.float32)
    reference = np.random.default_rng(123)
    draw[adults] = reference.random((adults.size, expected_prob.shape[1]), dtype=np.float32)
    companies = world.companies
    company_factor = (learned_deterrence(world, companies.beliefs) if world.params["rule_learn"]
                      else announced_deterrence(world).astype(np.float32))
    behave(world, stream)
    company_draw = reference.random(companies.propensity.shape, dtype=np.float32)  # after the adults'
    assert np.array_equal(companies.violated, company_draw < companies.propensity * company_factor)
    expected = np.flatnonzero(draw < expected_prob)
    who, domain = np.divmod(expected, 6)
    assert np.count_nonzero((domain == Domain.POLITICAL) & (c.chill[who] > 0)) > 20  # the test can see chill
    assert (world.ties.parent[np.unique(c.violation_cells // 6)] < 0).all()
    if world.params["strain"] > 0:
        assert np.count_nonzero((domain == Domain.FINANCIAL) & (c.income_loss[who] > 0)) > 20  # and strain
    assert np.array_equal(c.violation_cells, expected)
    # float32 sums of the pulls (and float32 beliefs) may differ in the last bits from the dense
    # float64 definition; a cell on the edge would show up in the comparison above
    assert np.allclose(c.detectability, draw.ravel()[expected] / expected_prob.ravel()[expected], rtol=1e-5)


def test_propensity_is_read_only_so_the_kept_baseline_cannot_go_stale():
    model = TrustCascade(rng=1, n_citizens=200, agents=False)
    with pytest.raises(ValueError, match="read-only"):
        model.world.citizens.propensity[0, 0] = 1.0


def test_behave_leaves_the_kept_baseline_exactly_as_it_was():
    model = TrustCascade(rng=4, n_citizens=5000, agents=False, initial_listed_share=0.05, conformity=0.5,
                         rule_learn=False)  # with learning, the cells people learned in change
    model.run(5)
    kept = model.world.adult_probability._flat
    before = kept.copy()
    model.run(3)  # strain, chill and friends moved thousands of its cells meanwhile
    assert model.world.adult_probability._flat is kept
    assert np.array_equal(kept, before)


@pytest.mark.parametrize("overrides", [{}, {"initial_listed_share": 0.05, "conformity": 0.5, "strain": 3.0}])
def test_the_learned_bound_is_never_below_the_probability_and_is_kept_exactly(overrides):
    """Thinning is exact only if the kept bound is at least the probability in every cell: the
    deterrence factor is at most 1 whatever people learned, and the moves (strain, chill,
    conformity) are applied to the bound as to the probability, in float32, rounding the same way."""
    model = TrustCascade(rng=4, n_citizens=5000, agents=False, **overrides)
    model.run(30)  # beliefs have moved, two yearly publications included
    world, odds = model.world, model.world.adult_probability
    kept = odds._flat
    before = kept.copy()
    definition = dense_probability(world)[world.ties.parent < 0].ravel()
    every = np.arange(kept.size)
    with odds.moved(scale=[strain(world), chilling(world)], add=[conformity(world, world.params["conformity"])]) as bound:
        exact = odds.moved_values(every, odds.source * learned_factor(world, world.citizens.beliefs, every))
        assert (bound >= exact).all()  # bit for bit, as the draw compares them
        assert np.count_nonzero(bound > exact) > 0.9 * np.count_nonzero(exact)  # deterrence bites
        assert np.count_nonzero(bound != before) > 100  # the moves reached the bound
    assert np.array_equal(kept, before)  # put back exactly
    # float32 in the model's order against the float64 definition: a few roundings apart
    assert np.allclose(exact, definition, rtol=1e-5, atol=1e-30)


@pytest.mark.parametrize("overrides", [{}, {"rule_learn": False}])
def test_companies_violate_as_the_definition_says_draw_for_draw(overrides):
    """Companies' deterrence is computed only where the draw falls below the propensity (the
    bound): the violations are those of ``draw < propensity x deterrence`` for every cell."""
    model = TrustCascade(rng=5, n_citizens=4000, n_companies=400, agents=False, **overrides)
    model.run(15)  # companies have learned from their own records by now
    world, companies = model.world, model.world.companies
    companies.propensity = np.full(companies.propensity.shape, 0.4, np.float32)  # many candidates
    factor = (learned_deterrence(world, companies.beliefs) if world.params["rule_learn"]
              else announced_deterrence(world).astype(np.float32))
    reference = np.random.default_rng(3)
    reference.random(world.adults.size * len(Domain), dtype=np.float32)  # the adults' draws come first
    behave(world, np.random.default_rng(3))
    expected = reference.random(companies.propensity.shape, dtype=np.float32) < companies.propensity * factor
    assert 200 < expected.sum() < 0.4 * expected.size  # deterrence turned many candidates away
    assert np.array_equal(companies.violated, expected)
