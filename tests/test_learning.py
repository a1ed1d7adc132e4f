"""Deterrence as an outcome: beliefs learned from experience (rule ``learn``), and what joint
sanctions do to compliance when nothing about their severity is assumed."""

import os

import numpy as np
import pytest

from trustcascade.model.beliefs import deterrence_factor
from trustcascade.model.domains import Domain
from trustcascade.model.model import TrustCascade
from trustcascade.model.params import SCHEMA
from trustcascade.model.rules.learn import PUBLISHED_EVERY, learn
from trustcascade.model.schema import ParameterError


def quiet_world(**overrides):
    """A small society after one month, with this month's events cleared (tests set them)."""
    model = TrustCascade(rng=3, n_citizens=400, n_companies=4, agents=False, **overrides)
    model.step()
    world = model.world
    c = world.citizens
    c.violation_cells = c.record_cells = np.zeros(0, np.int64)
    c.listed[:] = False
    c.lists.denials[:] = 0
    c.income_loss[:] = 0
    world.companies.violated[:] = False
    world.companies.listed[:] = False
    return model, world


def befriended_adult(world):
    """An adult with at least two adult friends and no family (so only friendships carry news)."""
    for person in world.adults:
        ties = world.friendships_of(np.array([person]))
        family = world.contacts_of(np.array([person]), world.ties.family)
        adult_friends = ties.contact[world.adult_rank[ties.contact] >= 0]
        if family.contact.size == 0 and adult_friends.size >= 2 and np.unique(adult_friends).size == adult_friends.size:
            return int(person), adult_friends
    raise AssertionError("no adult with adult friends and no family")


def test_joint_severity_is_gone_and_says_what_replaced_it():
    with pytest.raises(ParameterError, match="joint_severity.*removed.*learned"):
        SCHEMA.resolve({"joint_severity": 2.0})


def test_joint_severity_on_the_command_line_is_one_line_and_exit_2(tmp_path):
    import subprocess
    import sys
    out = tmp_path / "a.parquet"
    done = subprocess.run([sys.executable, "-m", "trustcascade.cli.main", "run", "--steps", "2", "--set", "joint_severity=2",
                           "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "joint_severity" in done.stderr
    assert not out.exists()


@pytest.mark.parametrize("was_recorded", [True, False])
def test_a_violation_teaches_the_violator_and_their_friends(was_recorded):
    """Beta counts: own violation +1 (recorded or unrecorded), each friend +vicarious_weight;
    a recorded violation makes the violator more deterred in that domain, an unrecorded one less."""
    model, world = quiet_world(vicarious_weight=0.25)
    beliefs = world.citizens.beliefs
    person, friends = befriended_adult(world)
    cell = person * len(Domain) + Domain.TRAFFIC
    world.citizens.violation_cells = np.array([cell])
    world.citizens.record_cells = np.array([cell]) if was_recorded else np.zeros(0, np.int64)
    before_recorded, before_unrecorded = beliefs.recorded.copy(), beliefs.unrecorded.copy()
    before = beliefs.detection()[world.adult_rank[person], Domain.TRAFFIC]
    learn(world)
    counts = beliefs.recorded if was_recorded else beliefs.unrecorded
    start = before_recorded if was_recorded else before_unrecorded
    own = world.adult_rank[person]
    assert counts[own, Domain.TRAFFIC] - start[own, Domain.TRAFFIC] == pytest.approx(1.0)
    assert np.allclose(counts[world.adult_rank[friends], Domain.TRAFFIC] - start[world.adult_rank[friends], Domain.TRAFFIC], 0.25)
    others = np.ones(beliefs.rows, bool)
    others[world.adult_rank[friends]] = others[own] = False
    assert np.array_equal(counts[others], start[others])  # nobody else heard of it
    after = beliefs.detection()[own, Domain.TRAFFIC]
    assert (after > before) if was_recorded else (after < before)


def test_a_listed_month_teaches_what_a_listing_costs():
    """Gamma counts: a listed person denied two services and a third of their income adds 2.3 to
    their cost and one month; each friend adds vicarious_weight times that."""
    model, world = quiet_world(vicarious_weight=0.5)
    beliefs, c = world.citizens.beliefs, world.citizens
    person, friends = befriended_adult(world)
    c.listed[person] = True
    c.lists.denials[person] = 2
    c.income_loss[person] = 0.3
    cost, months = beliefs.cost.copy(), beliefs.months.copy()
    learn(world)
    own, seen = world.adult_rank[person], world.adult_rank[friends]
    assert beliefs.cost[own] - cost[own] == pytest.approx(2.3)
    assert beliefs.months[own] - months[own] == pytest.approx(1.0)
    assert np.allclose(beliefs.cost[seen] - cost[seen], 0.5 * 2.3)
    assert np.allclose(beliefs.months[seen] - months[seen], 0.5)
    # a costlier listing than announced (0.5 a month) deters more: the friends' factor fell
    scale = np.float32(-4.0 * 0.1)  # -deterrence x listing share
    assert (deterrence_factor(np.float32(0.5), scale, beliefs.listing_cost(seen))
            < deterrence_factor(np.float32(0.5), scale, np.float32(0.5))).all()


def test_the_yearly_figures_reach_everyone_and_nobody_in_between():
    model = TrustCascade(rng=2, n_citizens=2000, agents=False, initial_listed_share=0.05, vicarious_weight=0.0)
    beliefs = model.world.citizens.beliefs
    model.run(PUBLISHED_EVERY - 1)
    never_listed = ~model.world.citizens.listed[model.world.adults] & (model.world.citizens.times_listed[model.world.adults] == 0)
    assert never_listed.sum() > 1000
    assert np.all(beliefs.months[never_listed] == beliefs.months[never_listed][0])  # the prior only
    model.step()
    assert np.allclose(beliefs.months[never_listed] - 10.0, model.world.params["public_weight"])


def test_fixed_beliefs_stay_as_announced():
    model = TrustCascade(rng=2, n_citizens=1000, agents=False, rule_learn=False)
    beliefs = model.world.citizens.beliefs
    recorded, cost = beliefs.recorded.copy(), beliefs.cost.copy()
    table = model.run(30)
    assert np.array_equal(beliefs.recorded, recorded) and np.array_equal(beliefs.cost, cost)
    p = model.world.params
    assert (table.perceived_listing_cost == p["listing_cost_prior"]).all()


# --- joint against local, 20 paired seeds -------------------------------------------------
# Each pair shares a seed (common random numbers: behave's uniforms are drawn whatever the
# scope), so the paired difference's standard error is small. A 95% t-interval over 20 pairs:
# mean +/- 2.093 x sd / sqrt(20). At 3,000 citizens and 80 months one run takes about 0.15 s.
T_19 = 2.093
PRINT = os.environ.get("TRUSTCASCADE_PRINT") == "1"  # print the intervals (and the local means)
REPORTED = ["violation_rate", "violation_rate_legal", "violation_rate_financial", "violation_rate_traffic",
            "perceived_listing_cost", "collateral_share"]


def paired_differences(*columns: str, **overrides) -> dict:
    """Joint minus local: per column, the mean over months 21-80 per seed; the mean difference
    and its 95% CI."""
    columns = list(dict.fromkeys(list(columns) + (REPORTED if PRINT else [])))

    def steady(seed, scope):
        table = TrustCascade(rng=seed, n_citizens=3000, n_companies=60, agents=False, sanction_scope=scope,
                             **overrides).run(80)
        return table[columns].iloc[20:].mean().to_numpy()
    joint, local = (np.array([steady(seed, scope) for seed in range(1, 21)]) for scope in ("joint", "local"))
    diffs = joint - local
    mean, half = diffs.mean(axis=0), T_19 * diffs.std(axis=0, ddof=1) / np.sqrt(len(diffs))
    for k, column in enumerate(columns if PRINT else ()):  # docs/deterrence.md quotes these (pytest -s)
        print(f"\n{overrides or 'defaults'}: {column} joint - local {mean[k]:+.3g} [{mean[k] - half[k]:+.3g}, "
              f"{mean[k] + half[k]:+.3g}] (local {local[:, k].mean():.4g})")
    return {column: (mean[k], mean[k] - half[k], mean[k] + half[k]) for k, column in enumerate(columns)}


def test_without_restrictions_joint_and_local_deter_alike():
    """rule_sanction=false: a listing denies nothing and costs no income under either scope, so
    people learn the same (low) cost of a listing and violate alike: the CI contains 0."""
    mean, low, high = paired_differences("violation_rate", rule_sanction=False)["violation_rate"]
    assert low <= 0.0 <= high, (mean, low, high)


def test_with_restrictions_joint_sanctions_deter_through_what_they_cost():
    """With restrictions on and learning on, joint sanctions deny more (every memorandum), people
    learn that a listing costs more, and they violate less: both CIs exclude 0. With fixed beliefs
    (rule_learn=false) the same restrictions change nobody's violations (the CI contains 0): the
    difference comes from experienced restrictions, not from an assumed severity. Traffic is
    compared because no other channel (strain: loans; chill: criticism) differs by scope there."""
    learned = paired_differences("perceived_listing_cost", "violation_rate_traffic")
    assert learned["perceived_listing_cost"][1] > 0, learned
    assert learned["violation_rate_traffic"][2] < 0, learned
    mean, low, high = paired_differences("violation_rate_traffic", rule_learn=False)["violation_rate_traffic"]
    assert low <= 0.0 <= high, (mean, low, high)
