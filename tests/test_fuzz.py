"""Property tests over the parameter schema (Hypothesis).

Any combination the schema accepts (cross-parameter constraints included) runs 20 steps
without an exception and keeps its invariants; any value out of range, of the wrong type
or inconsistent is refused with the parameter's name.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import ParameterError
from trustcascade.model.scoring import SCORING_RULES

# Sizes are capped so that a society builds and steps in milliseconds.
CAPS = {"n_citizens": (2, 3000), "n_companies": (0, 200), "initial_listed": (0, 50),
        "mean_degree": (0.0, 30.0), "n_communities": (1, 50), "business_degree": (0.0, 10.0),
        "household_size": (1.0, 8.0), "network_metrics_every": (1, 20), "shock_companies": (0, 5),
        "listing_duration": (0, 60)}
SKIP = {"graph_file", "network", "memoranda_file"}  # file paths: fuzzed by their own readers


def value_of(param):
    if param.choices is not None:
        return st.sampled_from(param.choices)
    if param.type is bool:
        return st.booleans()
    low, high = CAPS.get(param.name, (param.min, param.max))
    if param.type is int:
        return st.integers(int(low if low is not None else 0), int(high if high is not None else 1000))
    return st.floats(float(low if low is not None else 0.0), float(min(high if high is not None else 1e3, 1e4)),
                     allow_nan=False)


PARAMS = [p for p in SCHEMA if p.name not in SKIP]


@st.composite
def valid_params(draw):
    chosen = draw(st.lists(st.sampled_from(PARAMS), unique_by=lambda p: p.name, max_size=12))
    values = {p.name: draw(value_of(p)) for p in chosen}
    values.setdefault("n_citizens", draw(st.integers(20, 800)))
    values["network"] = draw(st.sampled_from(["watts_strogatz", "barabasi_albert", "erdos_renyi",
                                              "stochastic_block"]))
    return values


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_params(), st.integers(0, 2**31))
def test_any_accepted_combination_runs_and_keeps_its_invariants(values, seed):
    from trustcascade.model.model import TrustCascade

    try:
        params = SCHEMA.resolve(values)
    except ParameterError:
        assume(False)  # the schema refused it: covered by the refusal test below
    try:
        model = TrustCascade(rng=seed, agents=False, params=values)
    except ParameterError:  # refused while building (e.g. too many ties for the communities)
        return
    table = model.run(20)
    assert not table.isna().any().any()
    for share in ("listed_share", "company_listed_share", "collateral_share", "largest_component_share",
                  "bottom5_never_violated_share", "violation_rate"):
        assert table[share].between(0, 1).all(), share
    causes = table[[c for c in table.columns if c.startswith("new_listings_")]].sum(axis=1)
    assert (causes == table["new_listings"]).all()
    low, high = SCORING_RULES[params["scoring_rule"]].bounds
    score = model.world.citizens.score
    assert np.isfinite(score).all() and score.min() >= low and score.max() <= high
    assert (model.world.friend_degree >= 0).all()


def wrong_value(param):
    """Values the parameter must refuse."""
    options = [st.just("not a value")] if param.type is not str else [st.integers()]
    if param.type in (int, float) and param.max is not None:
        options.append(st.floats(param.max + 1, param.max * 10 + 10, allow_nan=False))
    if param.type in (int, float) and param.min is not None:
        options.append(st.floats(-1e6, param.min - 0.5, allow_nan=False))
    if param.type is float:
        options.append(st.sampled_from([math.nan, math.inf]))
    if param.type is int:
        options.append(st.floats(0.1, 0.9))
    if param.choices is not None:
        options.append(st.text(min_size=1).filter(lambda text: text not in param.choices))
    if param.type is bool:
        options.append(st.integers(0, 1))
    return st.one_of(options)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_bad_value_is_refused_naming_the_parameter(data):
    param = data.draw(st.sampled_from(list(SCHEMA)))
    if param.type is str and param.choices is None:
        value = data.draw(st.integers())
    else:
        value = data.draw(wrong_value(param))
    with pytest.raises(ParameterError) as refused:
        SCHEMA.resolve({param.name: value})
    assert param.name in str(refused.value) and "\n" not in str(refused.value)


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 500), st.integers(0, 1000))
def test_inconsistent_sizes_are_refused(n_citizens, n_companies):
    if n_companies <= n_citizens:
        return
    with pytest.raises(ParameterError, match="n_companies"):
        SCHEMA.resolve({"n_citizens": n_citizens, "n_companies": n_companies, "mean_degree": 1.0})
