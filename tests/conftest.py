"""Shared fixtures: small societies that build in milliseconds."""

import pytest

SMALL = {"n_citizens": 400, "n_companies": 10}


@pytest.fixture
def small():
    return dict(SMALL)


@pytest.fixture
def make_model():
    from trustcascade.model.model import TrustCascade

    def make(seed=1, agents=False, **params):
        return TrustCascade(rng=seed, agents=agents, **{**SMALL, **params})

    return make
