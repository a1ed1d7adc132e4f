"""Final per-agent table and network exports: GraphML and GEXF (Gephi, networkx, igraph).

GEXF files also carry, per agent, the months it was listed (``listed_in_month``, a dynamic
attribute: Gephi's timeline plays the listings month by month).

Ids follow :mod:`trustcascade.model.ids`: the ``id`` column and ``agent_id`` attribute are the
Mesa ``unique_id`` (citizens and companies never share one); the ``label`` column is the node id
in the graph files (a graph file's own node ids when the friendships came from one).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from trustcascade.model.scoring import GRADES
from trustcascade.model.state import Cause

GRAPH_SUFFIXES = (".graphml", ".gexf")
LAYERS = ("friends", "family", "work", "business")
NODE_ATTRIBUTES = ("agent_id", "type", "score", "grade", "listed", "primary_cause", "times_listed",
                   "ever_violated")


def agents_table(model) -> pd.DataFrame:
    """One row per citizen and company: id, label, type, score, grade, listed, cause, times listed,
    ever violated, age group (``child`` | ``adult``; empty for a company), employer (company id,
    -1 if none); then the graph file's node attributes (``node_<name>``), if any."""
    c, co = model.world.citizens, model.world.companies
    labels = np.array([""] + [cause.label for cause in sorted(Cause, key=int)[1:]], dtype=object)
    citizens = pd.DataFrame({
        "id": np.arange(c.n), "label": model.citizen_ids, "type": "citizen", "score": c.score,
        "grade": np.array(GRADES)[model.grade_of(c.score)], "listed": c.listed,
        "primary_cause": labels[c.cause], "times_listed": c.times_listed,
        "ever_violated": c.ever_violated,
        "age_group": np.where(model.world.ties.parent >= 0, "child", "adult"),
        "employer": np.where(model.world.ties.employer >= 0, c.n + model.world.ties.employer, -1),  # company id
    })
    companies = pd.DataFrame({
        "id": c.n + np.arange(co.n), "label": model.company_ids, "type": "company", "score": co.score,
        "grade": np.array(GRADES)[model.grade_of(co.score)], "listed": co.listed,
        "primary_cause": "", "times_listed": (co.listed_since >= 0).astype(np.int32),
        "ever_violated": co.deducted > 0, "age_group": "", "employer": -1,
    })
    table = pd.concat([citizens, companies], ignore_index=True)
    for name, values in input_attributes(model).items():
        table[f"node_{name}"] = pd.Series(values + [None] * co.n, dtype=object)
    return table


def input_attributes(model) -> dict:
    """The graph file's node attributes, each made one type (str if the nodes disagree)."""
    network = getattr(model, "network", None)
    if network is None:
        return {}
    typed = {}
    for name, values in network.attributes.items():
        kinds = {type(v) for v in values if v is not None}
        typed[name] = values if len(kinds) <= 1 else [None if v is None else str(v) for v in values]
    return typed


def network_graph(model):
    """The final society as a networkx graph: typed node attributes (no missing values), and one
    edge per tied pair carrying every layer it belongs to (``layer`` = ``"family+friends"``, and a
    true/false attribute per layer)."""
    import networkx as nx

    table = agents_table(model)
    graph = nx.Graph()
    rows = table.rename(columns={"id": "agent_id"})[["label", *NODE_ATTRIBUTES]].itertuples(index=False)
    casts = (int, str, float, str, bool, str, int, bool)
    for label, *values in rows:
        graph.add_node(label, **{k: cast(v) for k, cast, v in zip(NODE_ATTRIBUTES, casts, values)})
    citizen_labels, company_labels = model.citizen_ids, model.company_ids
    for name, values in input_attributes(model).items():
        key = name if name not in NODE_ATTRIBUTES and name not in ("label", "id") else f"node_{name}"
        for label, value in zip(citizen_labels, values):
            if value is not None:
                graph.nodes[label][key] = value
    layers: dict[tuple[str, str], set] = {}
    for layer, u, v in _ties(model):
        ends = (citizen_labels[u], citizen_labels[v]) if layer != "work" else (citizen_labels[u], company_labels[v])
        if layer == "business":
            ends = (company_labels[u], company_labels[v])
        layers.setdefault(ends if ends[0] <= ends[1] else ends[::-1], set()).add(layer)
    for (a, b), belongs in layers.items():
        graph.add_edge(a, b, layer="+".join(sorted(belongs)), **{name: name in belongs for name in LAYERS})
    return graph


def _ties(model):
    """(layer, i, j) for every tie once: friends and family between citizens, work citizen->company,
    business between companies."""
    ties = model.world.ties
    for layer in ("friends", "family"):
        matrix = getattr(ties, layer).tocoo()
        keep = (matrix.row < matrix.col) & (matrix.data > 0)
        for i, j in zip(matrix.row[keep].tolist(), matrix.col[keep].tolist()):
            yield layer, i, j
    employed = np.flatnonzero(ties.employer >= 0)
    for i, k in zip(employed.tolist(), ties.employer[employed].tolist()):
        yield "work", i, k
    business = ties.business.tocoo()
    keep = (business.row < business.col) & (business.data > 0)
    for i, j in zip(business.row[keep].tolist(), business.col[keep].tolist()):
        yield "business", i, j


def listing_spells(model, population: str) -> list[list] | None:
    """Per agent, the months it was listed, as GEXF intervals ``(True, first, last)`` (inclusive),
    from the dossiers' listing and delisting events; None when dossiers are not kept."""
    from trustcascade.model.dossier import Event

    world = model.world
    dossiers = world.citizen_dossiers if population == "citizens" else world.company_dossiers
    if not dossiers.enabled:
        return None
    people = getattr(world, population)
    listed_kind = int(Event.LISTED if population == "citizens" else Event.COMPANY_LISTED)
    events = dossiers.columns()
    wanted = np.isin(events["kind"], (listed_kind, int(Event.DELISTED)))
    order = np.lexsort((events["step"][wanted], events["agent"][wanted]))
    spells: list[list] = [[] for _ in range(people.n)]
    opened: dict[int, int] = {}
    for agent, step, kind in zip(*(events[k][wanted][order].tolist() for k in ("agent", "step", "kind"))):
        if kind == listed_kind:
            opened.setdefault(agent, step)
            continue
        start = opened.pop(agent, 0)  # delisted without a listing event: listed at the start
        if step > start:
            spells[agent].append((True, start, step - 1))
    for agent in np.flatnonzero(people.listed).tolist():
        start = opened.get(agent, int(people.listed_since[agent]))
        spells[agent].append((True, start, world.step))
    return spells


def graph_writer(model, target: Path):
    """A function writing the final network to a path, as GraphML or GEXF by ``target``'s suffix."""
    import networkx as nx

    graph = network_graph(model)
    if target.suffix.lower() == ".gexf":  # with the months each agent was listed, for Gephi's timeline
        labels = {"citizens": model.citizen_ids, "companies": model.company_ids}
        for population, names in labels.items():
            for label, spell in zip(names, listing_spells(model, population) or []):
                if spell:
                    graph.nodes[label]["listed_in_month"] = spell
        return lambda path: nx.write_gexf(graph, path)
    return lambda path: nx.write_graphml(graph, path)
