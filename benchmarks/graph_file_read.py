"""Reading an edge list: trustcascade's reader against networkx's (what it used before), side by side.

    .venv/bin/python benchmarks/graph_file_read.py [MEBIBYTES]

Writes an edge list of about MEBIBYTES (default 20) of "person<i> person<j>" lines, reads it with
``trustcascade.model.graphfile.read_network`` and with ``networkx.read_edgelist``, each in a fresh
process, and prints seconds and peak resident memory of each, their ratios, and the reader's memory
estimate (``reading_memory``) against its measured peak.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

PROBE = """
import resource, sys, time
from pathlib import Path
start = time.perf_counter()
if sys.argv[2] == "trustcascade":
    from trustcascade.model.graphfile import read_network
    n = read_network(sys.argv[1], max_bytes=1 << 40).n
else:
    import networkx as nx
    n = nx.read_edgelist(sys.argv[1], nodetype=str).number_of_nodes()
seconds = time.perf_counter() - start
print(n, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def main(mebibytes: float = 20.0) -> None:
    from trustcascade.model.graphfile import reading_memory

    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ties.txt"
        people = max(1000, int(mebibytes * 1024 * 1024 / 22 / 5))  # mean degree about 10
        with open(path, "w") as f:
            while f.tell() < mebibytes * 1024 * 1024:
                u, v = rng.integers(0, people, size=(2, 100_000))
                f.write("".join(f"person{a} person{b}\n" for a, b in zip(u.tolist(), v.tolist())))
        size = path.stat().st_size
        print(f"edge list: {size / 2**20:.0f} MiB, about {people} people")
        measured = {}
        for reader in ("trustcascade", "networkx"):
            out = subprocess.run([sys.executable, "-c", PROBE, str(path), reader], capture_output=True,
                                 text=True, check=True).stdout.split()
            measured[reader] = (float(out[1]), int(out[2]))
            print(f"{reader:>12}: {int(out[0])} nodes in {float(out[1]):.1f} s, peak RSS {int(out[2]) / 2**20:.0f} MiB")
        (t_ours, m_ours), (t_nx, m_nx) = measured["trustcascade"], measured["networkx"]
        print(f"time ratio trustcascade/networkx {t_ours / t_nx:.2f}; memory ratio {m_ours / m_nx:.2f}")
        print(f"estimate before reading: {reading_memory(path, 'edge list') / 2**20:.0f} MiB "
              f"({reading_memory(path, 'edge list') / m_ours:.2f}x the measured peak RSS)")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 20.0)
