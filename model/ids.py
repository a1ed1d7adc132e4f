"""One id scheme for every output (docs/ids.md).

* ``agent_id`` (an int) is the Mesa ``unique_id``: citizen ``i`` is ``i`` and company ``j`` is
  ``n_citizens + j``, so citizens and companies never share one. It is the ``id`` column of
  ``--agents-out`` and the ``agent_id`` attribute of ``--graph-out`` nodes.
* ``label`` (a str) names an agent for people: the node id of the graph file the friendship layer
  came from, else ``c<i>``; companies are ``k<j>`` (``company-k<j>`` if a graph file already uses
  such a name). It is the ``label`` column of ``--agents-out``, the node id in ``--graph-out``, and
  the ``citizen_id``/``company_id`` beside the indexes in dossiers.
* Internally the arrays are indexed by position (citizen ``i``, company ``j``).
"""

from __future__ import annotations


def citizen_ids(n: int, labels: list[str] | None = None) -> list[str]:
    """Each citizen's label: the graph file's node ids, else ``c0, c1, ...``."""
    return list(labels) if labels is not None else [f"c{i}" for i in range(n)]


def company_ids(m: int, citizen_labels: list[str] | None = None) -> list[str]:
    """Each company's label, ``k0, k1, ...``, prefixed until no citizen label equals one."""
    prefix = "k"
    taken = set(citizen_labels or ())
    while any(f"{prefix}{j}" in taken for j in range(m)):
        prefix = "company-" + prefix
    return [f"{prefix}{j}" for j in range(m)]


def company_agent_id(n_citizens: int, j: int) -> int:
    """The ``agent_id`` (Mesa ``unique_id``) of company ``j``."""
    return n_citizens + j
