"""The Mesa model: agents are views of the arrays; same seed, same data."""

import numpy as np
import pandas as pd
import pytest

from trustcascade.model.metrics import COLUMNS
from trustcascade.model.params import RULES


def test_agents_read_and_write_the_arrays(make_model):
    model = make_model(agents=True)
    citizens = model.world.citizens
    person = model.agents_by_type[__import__("trustcascade.agents", fromlist=["Citizen"]).Citizen][7]
    assert person.index == 7
    citizens.score[7] = 123.5
    assert person.score == 123.5  # reading the view reads the array
    person.score = 456.0
    assert citizens.score[7] == 456.0  # writing the view writes the array
    person.listed = True
    assert citizens.listed[7]
    assert len(model.agents) == citizens.n + model.world.companies.n


def test_agentset_methods_and_datacollector_work_on_views(make_model):
    from trustcascade.agents import Citizen

    model = make_model(agents=True)
    model.run(5)
    people = model.agents_by_type[Citizen]
    assert people.agg("score", np.mean) == pytest.approx(model.world.citizens.score.mean())
    assert len(people.select(lambda a: a.listed)) == int(model.world.citizens.listed.sum())
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 5
    assert frame["listed_share"].tolist() == model.table()["listed_share"].tolist()


def test_table_has_the_contract_columns(make_model):
    table = make_model().run(4)
    assert list(table.columns) == list(COLUMNS)
    assert table["step"].tolist() == [1, 2, 3, 4]
    for share in ("listed_share", "company_listed_share", "collateral_share", "largest_component_share"):
        assert table[share].between(0, 1).all()
    causes = table[[c for c in table.columns if c.startswith("new_listings_")]].sum(axis=1)
    assert (causes == table["new_listings"]).all()


def test_same_seed_same_table_different_seed_different(make_model):
    first = make_model(seed=11).run(30)
    second = make_model(seed=11).run(30)
    pd.testing.assert_frame_equal(first, second)
    other = make_model(seed=12).run(30)
    assert not first.equals(other)


def test_with_every_rule_off_nobody_is_ever_listed(make_model):
    model = make_model(**{f"rule_{name}": False for name in RULES})
    table = model.run(20)
    assert table["listed_share"].max() == 0
    assert table["violation_rate"].max() == 0
    assert (model.world.citizens.score == model.params["initial_score"]).all()


def test_network_metrics_match_networkx(make_model):
    import networkx as nx

    from trustcascade.model import metrics

    model = make_model(n_citizens=1500, avoidance_probability=0.5)
    model.run(30)
    world = model.world
    friends = world.ties.friends.copy()
    friends.eliminate_zeros()
    graph = nx.from_scipy_sparse_array(friends)
    nx.set_node_attributes(graph, dict(enumerate(world.citizens.score.tolist())), "score")
    assert metrics.score_assortativity(world) == pytest.approx(
        nx.numeric_assortativity_coefficient(graph, "score"), abs=1e-9)
    both = nx.compose(graph, nx.from_scipy_sparse_array(world.ties.family))
    largest = max(len(part) for part in nx.connected_components(both)) / world.citizens.n
    assert metrics.largest_component_share(world) == pytest.approx(largest)
    degree = np.asarray(friends.sum(axis=1)).ravel()
    assert np.array_equal(world.friend_degree, degree)  # kept in place through cuts and new ties
