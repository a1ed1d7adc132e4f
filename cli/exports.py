"""Final per-agent table and GraphML export (for Gephi)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from trustcascade.model.scoring import GRADES
from trustcascade.model.state import Cause

from .output import write_atomically


def agents_table(model) -> pd.DataFrame:
    """One row per citizen and company: id, type, score, grade, listed, cause, times listed, ever
    violated, age group (``child`` | ``adult``; none for a company) and employer (company id, -1 if none)."""
    c, co = model.world.citizens, model.world.companies
    labels = np.array([None] + [cause.label for cause in sorted(Cause, key=int)[1:]], dtype=object)
    citizens = pd.DataFrame({
        "id": np.arange(c.n), "type": "citizen", "score": c.score,
        "grade": np.array(GRADES)[model.grade_of(c.score)], "listed": c.listed,
        "primary_cause": labels[c.cause], "times_listed": c.times_listed,
        "ever_violated": c.ever_violated,
        "age_group": np.where(model.world.ties.parent >= 0, "child", "adult"),
        "employer": model.world.ties.employer,
    })
    companies = pd.DataFrame({
        "id": np.arange(co.n), "type": "company", "score": co.score,
        "grade": np.array(GRADES)[model.grade_of(co.score)], "listed": co.listed,
        "primary_cause": None, "times_listed": (co.listed_since >= 0).astype(np.int32),
        "ever_violated": co.deducted > 0, "age_group": None, "employer": -1,
    })
    return pd.concat([citizens, companies], ignore_index=True)


def write_graphml(model, target: Path) -> None:
    """Citizens and companies as nodes with their attributes; ties with a ``layer`` attribute."""
    import networkx as nx

    table = agents_table(model)
    graph = nx.Graph()
    c = model.world.citizens
    for row in table.itertuples(index=False):
        key = f"{'c' if row.type == 'citizen' else 'k'}{row.id}"
        graph.add_node(key, type=row.type, score=float(row.score), grade=row.grade, listed=bool(row.listed),
                       primary_cause=row.primary_cause or "", times_listed=int(row.times_listed),
                       ever_violated=bool(row.ever_violated))
    ties = model.world.ties
    for layer in ("friends", "family"):
        matrix = getattr(ties, layer).tocoo()
        keep = (matrix.row < matrix.col) & (matrix.data > 0)
        graph.add_edges_from((f"c{i}", f"c{j}", {"layer": layer}) for i, j in
                             zip(matrix.row[keep].tolist(), matrix.col[keep].tolist()))
    employed = np.flatnonzero(ties.employer >= 0)
    graph.add_edges_from((f"c{i}", f"k{k}", {"layer": "work"}) for i, k in
                         zip(employed.tolist(), ties.employer[employed].tolist()))
    business = ties.business.tocoo()
    keep = business.row < business.col
    graph.add_edges_from((f"k{i}", f"k{j}", {"layer": "business"}) for i, j in
                         zip(business.row[keep].tolist(), business.col[keep].tolist()))
    assert c.n == int((table.type == "citizen").sum())
    write_atomically(target, lambda tmp: nx.write_graphml(graph, tmp))
