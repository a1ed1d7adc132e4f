"""A real ``trustcascade classroom`` server for the tests, and a client that speaks its JSON API."""

from __future__ import annotations

import json
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from trustcascade.visualization.browser import Server, free_port


def start_class(journal: Path, log: Path, port: int | None = None, citizens: int = 1000,
                seed: int = 7) -> tuple[Server, str]:
    """Start a class (or restore the one in ``journal``); the server and the teacher's key."""
    port = port or free_port()
    server = Server([sys.executable, "-m", "trustcascade.cli.main", "classroom", "--port", str(port),
                     "--journal", str(journal), "--citizens", str(citizens), "--seed", str(seed)], port, log)
    server.wait(120)
    deadline = time.monotonic() + 30
    while not (found := re.search(r"teacher: http://\S+/teacher\?key=(\S+)", server.log_text())):
        assert time.monotonic() < deadline, server.log_text()
        time.sleep(0.1)
    return server, found.group(1)


def call(url: str, body: dict | None = None, timeout: float = 10) -> tuple[int, object]:
    """GET (or POST ``body`` as JSON); (status, parsed JSON or raw bytes)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status, raw, kind = answer.status, answer.read(), answer.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers.get("Content-Type", "")
    return status, json.loads(raw) if "json" in kind else raw
