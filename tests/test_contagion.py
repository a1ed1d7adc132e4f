"""The transmit rule (listing passed tie by tie) and the Lum et al. (2014) reduction."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from trustcascade.model.model import TrustCascade
from trustcascade.model.state import Cause

ONLY_TRANSMIT = {"preset": "lum2014", "agents": False, "initial_listed_share": 0.0,
                 "background_listing_rate": 0.0, "transmission_friends": 0.0, "transmission_family": 0.0}


def society(**params) -> TrustCascade:
    return TrustCascade(rng=3, **{**ONLY_TRANSMIT, "n_citizens": 2000, **params})


def list_by_hand(model, who) -> None:
    citizens = model.world.citizens
    citizens.listed[who] = True
    citizens.listed_since[who] = 0
    citizens.listed_until[who] = 100


def friends_and_family(model, who):
    world = model.world
    friends = set(world.contacts_of(np.array([who]), world.ties.friends).contact.tolist())
    family = set(world.contacts_of(np.array([who]), world.ties.family).contact.tolist())
    adults = set(world.adults.tolist())
    return (friends - family) & adults, family & adults


def test_certain_transmission_lists_every_adult_friend_and_family_member_with_their_cause():
    model = society(transmission_friends=1.0, transmission_family=1.0)
    source = int(model.world.adults[np.argmax(model.world.family_degree[model.world.adults])])
    list_by_hand(model, source)
    friends, family = friends_and_family(model, source)
    assert friends and family
    model.step()
    citizens = model.world.citizens
    newly = set(model.world.step_log.new_listed.tolist())
    assert newly == friends | family  # nobody else: no ties to them
    assert all(citizens.cause[i] == int(Cause.KIN) for i in family)
    assert all(citizens.cause[i] == int(Cause.ASSOCIATION) for i in friends - family)
    row = model.table().iloc[-1]
    assert row["new_listings"] == len(newly) and row["new_listings_kin"] == len(family)
    assert (citizens.listed_until[list(newly)] == 1 + model.params["listing_duration"]).all()


def test_transmission_probability_per_tie_is_as_set():
    """Each exposed friend is listed with probability p: the count is binomial(exposed, p)."""
    p = 0.3
    model = society(transmission_friends=p, n_citizens=20_000)
    sources = model.world.adults[::50]
    list_by_hand(model, sources)
    world = model.world
    exposure = np.bincount(world.contacts_of(sources, world.ties.friends).contact, minlength=world.citizens.n)
    exposed = world.adults[(exposure[world.adults] > 0) & ~world.citizens.listed[world.adults]]
    escape = (1 - p) ** exposure[exposed]
    model.step()
    caught = np.isin(exposed, model.world.step_log.new_listed)
    expected, spread = (1 - escape).sum(), math.sqrt((escape * (1 - escape)).sum())
    assert abs(caught.sum() - expected) <= 3 * spread, (caught.sum(), expected, spread)
    assert np.isin(model.world.step_log.new_listed, exposed).all()


def test_background_rate_lists_adults_only_with_cause_own():
    model = society(background_listing_rate=1.0)
    model.step()
    citizens = model.world.citizens
    assert citizens.listed[model.world.adults].all()
    assert not citizens.listed[np.setdiff1d(np.arange(citizens.n), model.world.adults)].any()
    assert (citizens.cause[model.world.adults] == int(Cause.OWN)).all()


def test_at_zero_probability_the_rule_changes_nothing_in_the_default_society():
    on = TrustCascade(rng=5, agents=False, n_citizens=1500).run(15)
    off = TrustCascade(rng=5, agents=False, n_citizens=1500, rule_transmit=False).run(15)
    assert on.equals(off)


def test_lum_tipping_check_fails_without_contagion(monkeypatch):
    """The check (in `validate --quick`, which must pass) can fail: with transmission off the share
    only follows the background rate."""
    from trustcascade.model.validation import cases, lum

    def no_contagion(duration, n, seed):
        model = TrustCascade(rng=seed, preset="lum2014", agents=False, n_citizens=n,
                             listing_duration=duration, transmission_friends=0.0, transmission_family=0.0)
        return float(model.run(lum.STEPS)["listed_share"].iloc[lum.BURN_IN:].mean())

    monkeypatch.setattr(lum, "listed_share", no_contagion)
    assert not any(row.passed for row in cases.lum_cases(cases.QUICK, seed=1))


def trustcascade(*args):
    return subprocess.run([sys.executable, "-m", "trustcascade.cli.main", *args], capture_output=True,
                          text=True, timeout=300)


def test_validate_lum_json():
    done = trustcascade("validate", "lum", "--durations", "12,14,17", "--n", "1500", "--seeds", "2", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["durations"] == [12, 14, 17] and np.array(result["shares"]).shape == (3, 2)
    assert result["mean_share"][2] > result["mean_share"][0]


@pytest.mark.parametrize("durations", ["12,15", "14,x,17", "0,14,17", ""])
def test_validate_lum_refuses_bad_durations_in_one_line(durations):
    done = trustcascade("validate", "lum", "--durations", durations)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "--durations" in done.stderr and "Traceback" not in done.stderr
