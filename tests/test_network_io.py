"""Issue 17, items 1-3: networks out (GraphML/GEXF for networkx, igraph, Gephi; every layer of a
tie kept) and in (headers, quoted ids, weights, GraphML/GEXF/GML, networkx graphs), and one id
scheme across Mesa, --agents-out, --graph-out and dossiers."""

import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from trustcascade.cli.exports import agents_table, network_graph
from trustcascade.model.graphfile import GraphFileError, load_graph, read_network
from trustcascade.model.model import TrustCascade
from trustcascade.model.schema import ParameterError


def trustcascade(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "trustcascade.cli.main", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def small_model(**params):
    return TrustCascade(rng=3, n_citizens=300, n_companies=6, **params)


# ---------------------------------------------------------------- network out

def test_graphml_is_read_by_networkx_and_igraph_with_typed_attributes(tmp_path):
    igraph = pytest.importorskip("igraph")
    out = tmp_path / "net.graphml"
    done = trustcascade("run", "--steps", "5", "--seed", "1", "--set", "n_citizens=300", "--set",
                        "initial_listed=5", "--graph-out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    graph = igraph.Graph.Read_GraphML(str(out))  # refused two 'primary_cause' keys before
    assert graph.vcount() == 320
    assert set(graph.vs["primary_cause"]) <= {"", "initial", "record", "association", "company", "kin",
                                              "false_record", "percentile", "decree"}
    assert all(isinstance(x, bool) for x in graph.vs["listed"])
    assert all(isinstance(x, float) for x in graph.vs["score"])
    text = out.read_text()
    assert 'attr.name="score" attr.type="double"' in text and 'attr.name="listed" attr.type="boolean"' in text
    assert "nan" not in text.lower().replace("nanny", "")
    assert nx.read_graphml(out).number_of_nodes() == 320


def test_a_tie_in_two_layers_keeps_both():
    model = small_model()
    ties = model.world.ties
    friends = {tuple(sorted(e)) for e in zip(*ties.friends.nonzero())
               if ties.friends[e[0], e[1]] > 0}
    family = {tuple(sorted(e)) for e in zip(*ties.family.nonzero())}
    both = friends & family
    assert both, "the seed should give some friends who are family"
    graph, ids = network_graph(model), model.citizen_ids
    exported_friends = [(a, b) for a, b, d in graph.edges(data=True) if d["friends"]]
    assert len(exported_friends) == len(friends)  # none overwritten by a family tie
    for i, j in both:
        edge = graph.edges[ids[i], ids[j]]
        assert edge["layer"] == "family+friends" and edge["friends"] and edge["family"]


def test_gexf_is_written_and_read_back(tmp_path):
    out = tmp_path / "net.gexf"
    done = trustcascade("run", "--steps", "3", "--seed", "1", "--set", "n_citizens=200", "--graph-out",
                        str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    graph = nx.read_gexf(out)
    assert graph.number_of_nodes() == 220
    node = graph.nodes["c0"]
    assert isinstance(node["score"], float) and isinstance(node["listed"], bool) and node["agent_id"] == 0
    assert graph.nodes["k0"]["agent_id"] == 200


# ---------------------------------------------------------------- network in

@pytest.mark.parametrize("name, text, labels, ties", [
    ("header.csv", "source,target\na,b\nb,c\n", ["a", "b", "c"], 2),
    ("gephi.csv", "Source,Target,Type,Weight\na,b,Undirected,1\nb,c,Undirected,0\n", ["a", "b"], 1),
    ("quoted.csv", '"Zoe Ann","Mr Hi"\n"Mr Hi","Smith, J"\n', ["Zoe Ann", "Mr Hi", "Smith, J"], 2),
    ("header.tsv", "from\tto\tweight\nZoe Ann\tMr Hi\t2.5\nMr Hi\tcid\t1\n", ["Zoe Ann", "Mr Hi", "cid"], 2),
    ("weights.txt", "a b 1\nb c 0\nc d 2\n", ["a", "b", "c", "d"], 2),
    ("spaces.txt", '"Zoe Ann" "Mr Hi"\n"Mr Hi" cid\n', ["Zoe Ann", "Mr Hi", "cid"], 2),
])
def test_edge_lists_as_people_have_them(tmp_path, name, text, labels, ties):
    path = tmp_path / name
    path.write_text(text)
    adjacency, read = load_graph(path)
    assert read == labels and adjacency.nnz == 2 * ties


def test_a_weight_column_that_is_not_a_number_is_refused(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("source,target,weight\na,b,heavy\n")
    with pytest.raises(GraphFileError, match="line 2: weight 'heavy' is not a number"):
        load_graph(path)


@pytest.mark.parametrize("suffix, write", [
    (".graphml", nx.write_graphml), (".gexf", nx.write_gexf), (".gml", nx.write_gml)])
def test_graphml_gexf_and_gml_keep_ids_and_attributes(tmp_path, suffix, write):
    graph = nx.Graph()
    graph.add_node("Zoe Ann", club="Mr Hi", age=31)
    graph.add_node("Mr Hi", club="Officer", age=40)
    graph.add_edges_from([("Zoe Ann", "Mr Hi"), ("Mr Hi", "cid")])
    path = tmp_path / f"g{suffix}"
    write(graph, path)
    network = read_network(path)
    assert network.labels == ["Zoe Ann", "Mr Hi", "cid"]
    assert network.attributes["club"] == ["Mr Hi", "Officer", None]
    assert network.attributes["age"][:2] == [31, 40]


def test_input_ids_appear_in_agents_out_graph_out_and_dossiers(tmp_path):
    path = tmp_path / "g.csv"
    people = [f"person {i}" for i in range(30)]
    path.write_text("source,target\n" + "".join(f'"{people[i]}","{people[(i + d) % 30]}"\n'
                                                for i in range(30) for d in (1, 2)))
    agents, graph_out = tmp_path / "agents.csv", tmp_path / "net.graphml"
    done = trustcascade("run", "--steps", "12", "--seed", "2", "--set", "network=file", "--set",
                        f"graph_file={path}", "--set", "listing_threshold=990", "--agents-out", str(agents),
                        "--graph-out", str(graph_out), "--quiet")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(agents)
    citizens = table[table["type"] == "citizen"]
    assert citizens["label"].tolist() == people and citizens["id"].tolist() == list(range(30))
    assert set(people) <= set(nx.read_graphml(graph_out).nodes)
    model = TrustCascade(rng=2, network="file", graph_file=Path(path), listing_threshold=990.0)
    model.run(12)
    events = [e for agent in model.agents if hasattr(agent, "friends") for e in agent.dossier if "citizen" in e]
    assert events and all(e["citizen_id"] == people[e["citizen"]] for e in events)


def test_an_explicit_n_citizens_that_disagrees_with_the_graph_is_refused(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("a b\nb c\nc d\nd e\n")
    with pytest.raises(ParameterError, match="n_citizens=10 disagrees with graph_file"):
        TrustCascade(rng=1, network="file", graph_file=str(path), n_citizens=10)
    assert TrustCascade(rng=1, network="file", graph_file=str(path), n_citizens=5).world.citizens.n == 5
    done = trustcascade("run", "--steps", "1", "--set", "network=file", "--set", f"graph_file={path}",
                        "--set", "n_citizens=10")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "disagrees" in done.stderr


def test_a_default_n_companies_adapts_to_a_small_graph_and_an_explicit_one_is_refused(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("".join(f"{i} {(i + 1) % 12}\n" for i in range(12)))
    model = TrustCascade(rng=1, network="file", graph_file=path)
    assert model.world.companies.n == 1 and model.params["n_companies"] == 1
    with pytest.raises(ParameterError, match="n_companies must be <= the 12 people"):
        TrustCascade(rng=1, network="file", graph_file=path, n_companies=20)


def test_the_model_takes_a_networkx_graph_and_a_path():
    graph = nx.karate_club_graph()
    model = TrustCascade(rng=1, graph=graph)
    assert model.world.citizens.n == 34 and model.params["network"] == "file"
    assert model.citizen_ids[:3] == ["0", "1", "2"]
    assert model.world.ties.friends.nnz == 2 * graph.number_of_edges()
    table = agents_table(model)
    assert table["node_club"].iloc[0] == "Mr. Hi"
    model.run(2)


def test_a_one_node_graph_is_refused(tmp_path):
    path = tmp_path / "one.graphml"
    graph = nx.Graph()
    graph.add_node("alone")
    nx.write_graphml(graph, path)
    with pytest.raises(GraphFileError, match="1 node; a society needs at least 2 people"):
        load_graph(path)
    with pytest.raises(GraphFileError, match="1 node"):
        TrustCascade(rng=1, graph=graph)


# ---------------------------------------------------------------- one id scheme

def test_citizen_and_company_ids_never_overlap_and_match_mesa():
    model = small_model()
    table = agents_table(model)
    assert table["id"].is_unique and table["label"].is_unique
    mesa_ids = {agent.unique_id: agent for agent in model.agents}
    for row in table.itertuples():
        agent = mesa_ids[row.id]
        assert agent.label == row.label and type(agent).__name__.lower() == row.type
    graph = network_graph(model)
    assert {graph.nodes[label]["agent_id"] for label in table["label"]} == set(table["id"])


def test_company_labels_step_aside_from_a_graph_that_uses_k_names():
    graph = nx.Graph([("k0", "k1"), ("k1", "a")])
    model = TrustCascade(rng=1, graph=graph, n_companies=2)
    assert model.company_ids == ["company-k0", "company-k1"]
    assert not set(model.company_ids) & set(model.citizen_ids)


def test_gexf_carries_the_months_each_agent_was_listed(tmp_path):
    graph_out, agents = tmp_path / "net.gexf", tmp_path / "agents.csv"
    done = trustcascade("run", "--steps", "30", "--seed", "4", "--set", "n_citizens=300", "--set",
                        "initial_listed=10", "--set", "listing_threshold=985", "--set", "listing_duration=5",
                        "--graph-out", str(graph_out), "--agents-out", str(agents), "--quiet")
    assert done.returncode == 0, done.stderr
    graph, table = nx.read_gexf(graph_out), pd.read_csv(agents).set_index("label")
    assert graph.graph["mode"] == "dynamic"
    listed_ever = table[table["times_listed"] > 0]
    assert 0 < len(listed_ever) < len(table)
    for label, row in table.iterrows():
        spells = graph.nodes[label].get("listed_in_month", [])
        if row["type"] == "citizen":
            assert len(spells) == row["times_listed"], label  # one interval per listing
        assert all(0 <= first <= last <= 30 for _, first, last in spells)
        assert bool(spells and spells[-1][2] == 30) == bool(row["listed"]), label  # listed now
