"""Friendship networks from files: GraphML or edge lists, read through networkx.

Errors are one line naming the file and what was wrong (:class:`GraphFileError`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np

from .networks import edges_to_csr

__all__ = ["GraphFileError", "load_graph"]


class GraphFileError(ValueError):
    """A graph file that cannot be used; the message is one line naming the file."""


GRAPHML_SUFFIXES = (".graphml", ".xml")
EDGELIST_SUFFIXES = (".edgelist", ".txt", ".csv", ".tsv")


def _read_edgelist(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fields = line.split("#", 1)[0].replace(",", " ").split()
            if len(fields) == 1:
                raise ValueError(f"line {number} has one column, expected two")
            if fields:
                lines.append(f"{fields[0]} {fields[1]}")
    return nx.parse_edgelist(lines, comments=None, delimiter=" ", nodetype=str, data=False)


def load_graph(path, max_bytes=200 * 1024 * 1024):
    """Read an undirected graph from GraphML or an edge list.

    Edge lists (``.edgelist .txt .csv .tsv``) hold two node names a line, split by
    whitespace or a comma (more columns ignored, no header), ``#`` starting a comment.
    Nodes are numbered in order of first appearance; self-loops and repeats dropped.

    Parameters
    ----------
    path : str or os.PathLike
    max_bytes : int
        Larger files are refused.

    Returns
    -------
    adjacency : scipy.sparse.csr_matrix
    node_labels : list of str

    Raises
    ------
    GraphFileError
        One line naming the file and the problem: missing or unreadable, unknown
        extension, too large, malformed, no nodes.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "g.txt"
    >>> _ = path.write_text("# friends\\nann bob\\nbob cid\\n")
    >>> load_graph(path)[1]
    ['ann', 'bob', 'cid']
    """
    path = Path(path)

    def fail(reason):
        return GraphFileError(f"graph_file '{path}': " + " ".join(str(reason).split())[:300])

    suffix = path.suffix.lower()
    if not path.exists():
        raise fail("file not found")
    if not path.is_file():
        raise fail("not a regular file")
    if suffix not in GRAPHML_SUFFIXES + EDGELIST_SUFFIXES:
        raise fail(f"unknown extension '{path.suffix}' (use {', '.join(GRAPHML_SUFFIXES + EDGELIST_SUFFIXES)})")
    size = path.stat().st_size
    if size > max_bytes:
        raise fail(f"too large ({size} bytes, limit {max_bytes})")
    if size == 0:
        raise fail("empty graph (the file is empty)")
    kind = "GraphML" if suffix in GRAPHML_SUFFIXES else "edge list"
    try:
        graph = nx.read_graphml(path) if kind == "GraphML" else _read_edgelist(path)
    except OSError as e:
        raise fail(f"cannot read file ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise fail(f"malformed {kind} (not UTF-8 text)") from None
    except (ET.ParseError, nx.NetworkXException, ValueError, KeyError, TypeError, IndexError) as e:
        raise fail(f"malformed {kind} ({type(e).__name__}: {e})") from None
    if graph.number_of_nodes() == 0:
        raise fail("empty graph (no nodes)")
    if None in graph:
        raise fail(f"malformed {kind} (an edge lacks a source or target)")
    labels = list(graph.nodes)
    index = {node: i for i, node in enumerate(labels)}
    ends = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2)
    return edges_to_csr(ends[:, 0], ends[:, 1], len(labels)), [str(x) for x in labels]
