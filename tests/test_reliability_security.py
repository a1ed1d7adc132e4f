"""Security: the app listens on loopback unless told otherwise; no user input is ever evaluated or
unpickled; graph files are size-limited and refused in one line."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import psutil
import pytest
from prerequisites import missing_prerequisite

from trustcascade.cli.main import build_parser, main
from trustcascade.model.graphfile import GraphFileError

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("model", "agents", "cli", "experiments", "visualization")
# Code that runs text as code or rebuilds objects from bytes: none of it may appear in the package.
# (Process pools and Dask pickle the runner's own tasks between our processes; no file, form or
# socket input is ever unpickled.)
FORBIDDEN = re.compile(r"(?<![.\w])(eval|exec|compile)\(|pickle\.loads?\(|marshal\.loads?\(|yaml\.load\(|"
                       r"shelve\.|__import__\(|shell\s*=\s*True|\bnew Function\(|os\.system\(")


def test_no_source_file_evaluates_or_unpickles_anything():
    sources = [p for package in PACKAGES for p in (ROOT / package).rglob("*")
               if p.suffix in (".py", ".js") and "__pycache__" not in p.parts]
    assert len(sources) > 40
    hits = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in sources
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if FORBIDDEN.search(line.split("#")[0] if p.suffix == ".py" else line)]
    assert not hits, hits


def test_the_app_binds_loopback_by_default(tmp_path):
    from trustcascade.visualization import assets
    from trustcascade.visualization.browser import Server, free_port

    assert build_parser().parse_args(["app"]).host == "127.0.0.1"
    if assets.missing(assets.default_folder()):
        missing_prerequisite("browser assets missing: run ./dev setup")
    port = free_port()
    server = Server([sys.executable, "-m", "trustcascade.cli.main", "app", "--port", str(port)], port,
                    tmp_path / "server.log")  # no --host: the default
    try:
        server.wait()
        processes = [psutil.Process(server.process.pid), *psutil.Process(server.process.pid).children(True)]
        listening = [c.laddr for p in processes for c in p.net_connections("inet")
                     if c.status == psutil.CONN_LISTEN]
        assert port in [address.port for address in listening], listening
        assert {address.ip for address in listening} == {"127.0.0.1"}, listening
    finally:
        server.stop()


def test_graph_files_have_a_size_limit_and_are_refused_in_one_line(tmp_path, capsys):
    from trustcascade.model.model import TrustCascade

    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as sparse:  # 201 MiB of holes: no disk used, and it must not be read
        sparse.truncate(201 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(GraphFileError, match=r"too large \(210763776 bytes, limit 209715200\)") as refused:
        TrustCascade(rng=1, agents=False, network="file", graph_file=str(huge))
    assert time.perf_counter() - started < 5 and "\n" not in str(refused.value)
    assert main(["run", "--steps", "1", "--set", "network=file", "--set", f"graph_file={huge}"]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and "too large" in message and "graph_file" in message
