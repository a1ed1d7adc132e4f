"""Friendship networks from files or networkx graphs: edge lists, GraphML, GEXF, GML.

Errors are one line naming the file and what was wrong (:class:`GraphFileError`). The input's
node ids are kept (:attr:`Network.labels`) so outputs and dossiers name people as the file did;
node attributes of GraphML/GEXF/GML files are kept too (:attr:`Network.attributes`).
"""

from __future__ import annotations

import csv
import math
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .networks import edges_to_csr

__all__ = ["GraphFileError", "Network", "from_networkx", "load_graph", "read_network"]


class GraphFileError(ValueError):
    """A graph file that cannot be used; the message is one line naming the file."""


XML_SUFFIXES = {".graphml": "GraphML", ".xml": "GraphML", ".gexf": "GEXF", ".gml": "GML"}
EDGELIST_SUFFIXES = (".edgelist", ".txt", ".csv", ".tsv")
SUFFIXES = tuple(XML_SUFFIXES) + EDGELIST_SUFFIXES
MAX_BYTES = 200 * 1024 * 1024
MIN_NODES = 2  # one person has no one to be tied to (and n_citizens >= 2)

# Column names that mark the first row of an edge list as a header (compared lower-case): the
# usual exports of Gephi (Source,Target,Weight), igraph/networkx/pandas and spreadsheets.
HEADER_PAIRS = {("source", "target"), ("from", "to"), ("node1", "node2"), ("src", "dst"),
                ("source_id", "target_id"), ("sender", "receiver"), ("ego", "alter"), ("id1", "id2"),
                ("person1", "person2"), ("head", "tail"), ("u", "v"), ("i", "j")}


@dataclass
class Network:
    """A friendship layer ready for the model.

    ``adjacency`` is symmetric, one entry per tie (weight 1: the model's friendships are
    unweighted; a weight of 0 in the input means no tie). ``labels[i]`` is the input's id of
    citizen ``i``; ``attributes`` maps a node attribute name to one plain value per citizen
    (``None`` where a node lacks it).
    """

    adjacency: sp.csr_matrix | None  # None once handed to a model (its world holds the layer)
    labels: list[str]
    attributes: dict = field(default_factory=dict)
    source: str = ""

    @property
    def n(self) -> int:
        return len(self.labels)


def load_graph(path, max_bytes=MAX_BYTES):
    """Read an undirected graph from a file; returns ``(adjacency, node_labels)``.

    Edge lists (``.edgelist .txt .csv .tsv``) hold two node ids a line, split by a comma, a tab
    or spaces; ids may be quoted (``"Zoe Ann","Mr Hi"``); a first row naming its columns
    (``source,target[,weight]``) is a header; a third numeric column (or one headed ``weight``)
    is the tie's weight, where 0 means no tie; ``#`` starts a comment line. GraphML
    (``.graphml .xml``), GEXF (``.gexf``) and GML (``.gml``) are read with networkx. Nodes are
    numbered in order of first appearance; self-loops and repeats are dropped; directed graphs
    are made undirected.

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
        extension, too large (in bytes, or in the memory reading it would take), malformed,
        fewer than two nodes.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "g.csv"
    >>> _ = path.write_text('source,target\\n"Zoe Ann","Mr Hi"\\n"Mr Hi",cid\\n')
    >>> load_graph(path)[1]
    ['Zoe Ann', 'Mr Hi', 'cid']
    """
    network = read_network(path, max_bytes)
    return network.adjacency, network.labels


def read_network(path, max_bytes=MAX_BYTES, available=None) -> Network:
    """Read a graph file into a :class:`Network` (see :func:`load_graph` for the formats).

    ``available`` is the memory (bytes) reading may use; by default what the machine has free.
    """
    from .memory import available_memory, format_bytes

    path = Path(path)

    def fail(reason):
        return GraphFileError(f"graph_file '{path}': " + " ".join(str(reason).split())[:300])

    suffix = path.suffix.lower()
    if not path.exists():
        raise fail("file not found")
    if not path.is_file():
        raise fail("not a regular file")
    if suffix not in SUFFIXES:
        raise fail(f"unknown extension '{path.suffix}' (use {', '.join(SUFFIXES)})")
    size = path.stat().st_size
    if size > max_bytes:
        raise fail(f"too large ({size} bytes, limit {max_bytes})")
    if size == 0:
        raise fail("empty graph (the file is empty)")
    kind = XML_SUFFIXES.get(suffix, "edge list")
    need = reading_memory(path, kind)
    free = available_memory() if available is None else available
    if need > free:
        raise fail(f"reading it needs about {format_bytes(need)} of memory; {format_bytes(free)} is "
                   "available")
    try:
        network = _read_xml(path, kind) if kind != "edge list" else _read_edgelist(path)
    except GraphFileError as error:
        raise fail(f"malformed {kind} ({error})") from None
    except OSError as e:
        raise fail(f"cannot read file ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise fail(f"malformed {kind} (not UTF-8 text)") from None
    except MemoryError:
        raise fail("out of memory while reading it") from None
    except Exception as e:  # noqa: BLE001 (networkx's parsers raise many kinds on malformed input)
        raise fail(f"malformed {kind} ({type(e).__name__}: {e})") from None
    network.source = str(path)
    _check_size(network, fail)
    return network


def from_networkx(graph, source: str = "networkx graph") -> Network:
    """A :class:`Network` from a ``networkx.Graph`` (directed graphs are made undirected); node ids
    become labels (``str``), node attributes are kept."""
    def fail(reason):
        return GraphFileError(f"graph: {reason}")

    if not hasattr(graph, "nodes") or not hasattr(graph, "edges"):
        raise fail(f"expected a networkx graph; got {type(graph).__name__}")
    if None in graph:
        raise fail("a node is None")
    network = _from_nx(graph)
    network.source = source
    _check_size(network, fail)
    return network


def _check_size(network: Network, fail) -> None:
    from .params import SCHEMA

    n, most = network.n, SCHEMA["n_citizens"].max
    if n == 0:
        raise fail("empty graph (no nodes)")
    if n < MIN_NODES:
        raise fail(f"{n} node{'s' if n != 1 else ''}; a society needs at least {MIN_NODES} people")
    if n > most:
        raise fail(f"{n} nodes; n_citizens allows at most {most}")


def reading_memory(path: Path, kind: str) -> int:
    """Bytes reading ``path`` will take at its peak, estimated from its size (and, for edge lists,
    from the length of its first lines): networkx's XML readers keep a dict per node and edge
    (about 60 times the file); the edge-list reader two int64 per tie plus the labels."""
    size = path.stat().st_size
    if kind != "edge list":
        return 60 * size
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    lines = max(1, head.count(b"\n"))
    ties = size * lines // max(1, len(head)) + 1
    # per tie: 2 ends in arrays (16), keys/sort/CSR both directions (~64); per new label a str and a
    # dict slot (~100), assumed for every end in the worst case of the head's share of new ids
    return ties * (80 + 2 * 100) + (64 << 20)


def _read_edgelist(path: Path) -> Network:
    index: dict[str, int] = {}
    rows, cols = array("q"), array("q")
    weight_column, weight_named, header_checked = 2, False, False
    with open(path, encoding="utf-8", newline="") as f:
        for number, fields in _rows(f, path.suffix.lower()):
            if not header_checked:
                header_checked = True
                named = [name.strip().lower() for name in fields]
                if len(named) >= 2 and (named[0], named[1]) in HEADER_PAIRS:
                    weight_column = named.index("weight") if "weight" in named else None
                    weight_named = weight_column is not None
                    continue
            if len(fields) < 2:
                raise GraphFileError(f"line {number} has one column, expected two")
            source, target = fields[0].strip(), fields[1].strip()
            if not source or not target:
                raise GraphFileError(f"line {number}: an empty node id")
            if weight_column is not None and len(fields) > weight_column:
                weight = _weight(fields[weight_column], number, required=weight_named)
                if weight == 0.0:
                    continue
            rows.append(index.setdefault(source, len(index)))
            cols.append(index.setdefault(target, len(index)))
    u = np.frombuffer(rows, dtype=np.int64) if rows else np.zeros(0, np.int64)
    v = np.frombuffer(cols, dtype=np.int64) if cols else np.zeros(0, np.int64)
    keep = u != v
    return Network(edges_to_csr(u[keep], v[keep], len(index)), list(index))


def _rows(lines, suffix: str):
    """(line number, fields) of the data lines: comments and blank lines skipped. Fields are split
    by commas, tabs or spaces (by tabs only in a ``.tsv``); a line with quotes is read as CSV (by its
    commas, else tabs, else spaces), so a quoted id may hold spaces and commas."""
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if '"' not in stripped and suffix != ".tsv":
            if "#" in stripped:
                stripped = stripped.split("#", 1)[0]
            yield number, stripped.replace(",", " ").split()
            continue
        delimiter = "\t" if suffix == ".tsv" else "," if "," in stripped else "\t" if "\t" in stripped else " "
        fields = next(csv.reader([stripped], delimiter=delimiter, skipinitialspace=True, strict=True))
        yield number, [x for x in fields if x.strip() != ""] if delimiter == " " else fields


def _weight(text: str, number: int, required: bool) -> float | None:
    """A tie's weight (>= 0, finite); an unparsable third column without a header is ignored."""
    try:
        weight = float(text)
    except ValueError:
        if required:
            raise GraphFileError(f"line {number}: weight {text.strip()!r} is not a number") from None
        return None
    if not math.isfinite(weight) or weight < 0:
        raise GraphFileError(f"line {number}: weight must be a number >= 0; got {text.strip()!r}")
    return weight


def _read_xml(path: Path, kind: str) -> Network:
    import networkx as nx

    if kind == "GraphML":
        graph = nx.read_graphml(path)
    elif kind == "GEXF":
        graph = nx.read_gexf(path)
    else:
        try:
            graph = nx.read_gml(path, label="label")
        except nx.NetworkXError:  # nodes without (unique) labels: use their ids
            graph = nx.read_gml(path, label="id")
    if None in graph:
        raise GraphFileError(f"malformed {kind} (an edge lacks a source or target)")
    return _from_nx(graph)


def _from_nx(graph) -> Network:
    labels = list(graph.nodes)
    index = {node: i for i, node in enumerate(labels)}
    ends = []
    for u, v, data in graph.edges(data=True):
        weight = data.get("weight", 1.0)
        if isinstance(weight, (int, float)) and not isinstance(weight, bool) and weight == 0:
            continue  # a weight of 0 is no tie, as in an edge list
        if u != v:
            ends.append((index[u], index[v]))
    ends = np.array(ends, dtype=np.int64).reshape(-1, 2)
    return Network(edges_to_csr(ends[:, 0], ends[:, 1], len(labels)), [str(x) for x in labels],
                   _attributes(graph, labels))


def _attributes(graph, labels) -> dict:
    """Node attributes as columns of plain values (None where a node lacks one)."""
    names: dict[str, None] = {}
    for _, data in graph.nodes(data=True):
        names.update(dict.fromkeys(data))
    return {name: [_plain(graph.nodes[node].get(name)) for node in labels] for name in names}


def _plain(value):
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


