"""Issue 17, item 4: numpy values are accepted like Python ones and stored as plain Python; a
model pickles, and an unpickled model steps on exactly as the original (a checkpoint)."""

import json
import pickle

import mesa
import numpy as np
import pytest

from trustcascade.model.model import TrustCascade
from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import ParameterError

NUMPY_VALUES = [("rule_associate", np.bool_(False), False), ("n_citizens", np.int64(300), 300),
                ("n_citizens", np.float64(300.0), 300), ("n_companies", np.int32(4), 4),
                ("mean_degree", np.float32(6.0), 6.0), ("surveillance_coverage", np.float64(0.5), 0.5),
                ("listing_rule", np.str_("percentile"), "percentile")]


@pytest.mark.parametrize("name, value, plain", NUMPY_VALUES)
def test_numpy_scalars_are_accepted_and_stored_as_python(name, value, plain):
    checked = SCHEMA[name].check(value)
    assert checked == plain and type(checked) is type(plain)
    model = TrustCascade(rng=1, agents=False, **{"n_citizens": 300, "n_companies": 4, name: value})
    assert type(model.params[name]) is type(plain)
    json.dumps(model.params)  # plain values serialise


def test_numpy_values_in_a_schedule_are_stored_as_python():
    model = TrustCascade(rng=1, agents=False, n_citizens=200, schedule={np.int64(2): {"rule_reward": np.bool_(False)}})
    assert model.schedule_of_changes == {2: {"rule_reward": False}}
    assert type(model.schedule_of_changes[2]["rule_reward"]) is bool


def test_numpy_values_are_still_checked():
    with pytest.raises(ParameterError, match="rule_associate"):
        SCHEMA["rule_associate"].check(np.int64(1))
    with pytest.raises(ParameterError, match="n_citizens"):
        SCHEMA["n_citizens"].check(np.float64(2.5))
    with pytest.raises(ParameterError, match="mean_degree"):
        SCHEMA["mean_degree"].check(np.float64("nan"))


def test_mesa_batch_run_sweeps_a_numpy_bool_array():
    results = mesa.batch_run(TrustCascade, parameters={"rule_associate": np.array([True, False]),
                                                       "n_citizens": 300, "agents": False},
                             rng=[1], max_steps=3, number_processes=1, data_collection_period=-1,
                             display_progress=False)
    assert sorted(row["rule_associate"] for row in results) == [False, True]
    assert all("listed_share" in row for row in results)


def _society_arrays(model) -> dict:
    c, co, ties = model.world.citizens, model.world.companies, model.world.ties
    return {"score": c.score, "listed": c.listed, "times_listed": c.times_listed, "cause": c.cause,
            "company_score": co.score, "friends": ties.friends.toarray()}


def test_a_pickled_model_steps_on_exactly_as_the_original():
    model = TrustCascade(rng=7, preset="restrictions-everywhere", n_citizens=400, n_companies=8,
                         initial_listed=20, listing_threshold=990.0,
                         schedule={6: {"listing_duration": 1}})
    model.run(4)
    checkpoint = pickle.dumps(model)
    original = model.run(8)
    restored = pickle.loads(checkpoint)
    resumed = restored.run(8)
    assert original["new_listings"].sum() > 0  # something happened to compare
    assert original.equals(resumed)
    for name, array in _society_arrays(model).items():
        np.testing.assert_array_equal(array, _society_arrays(restored)[name], err_msg=name)
    assert restored.datacollector.get_model_vars_dataframe().equals(model.datacollector.get_model_vars_dataframe())
    assert [agent.score for agent in restored.agents][:50] == [agent.score for agent in model.agents][:50]
