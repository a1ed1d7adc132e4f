"""A small classroom in the default suite: five sessions (one a real chromium page) on one server,
each with its own 500-citizen society, pressing Step every second for 6 s; one changes its
society half-way. The full class of 30 for 60 s is ``benchmarks/classroom_load.py``."""

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
from prerequisites import missing_prerequisite

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from classroom_load import classroom, parse_arguments, verdict  # noqa: E402

from trustcascade.visualization import assets  # noqa: E402
from trustcascade.visualization.browser import Server  # noqa: E402


def test_five_sessions_step_in_isolation_within_two_seconds(tmp_path):
    if assets.missing(assets.default_folder()):
        missing_prerequisite("browser assets missing: run ./dev setup")
    browsers = 1 if shutil.which("chromium") else 0
    args = parse_arguments(["--sessions", "5", "--browsers", str(browsers), "--seconds", "6", "--interval", "1"])
    server = Server.app(tmp_path / "server.log").wait()
    try:
        result = asyncio.run(classroom(server.url, server.process.pid, args))
        log = server.log_text()
    finally:
        server.stop()
    assert verdict(result, log) == []
    assert result["presses"] == 5 * 6 - 1 and result["memory_mb"]["peak"] > 0
