"""Drive the real page in a real browser: the app server as a subprocess, Debian's chromium
through Playwright. Used by the browser tests and ``benchmarks/app_speed.py``.

Playwright cannot download browsers here, so it launches the system ``chromium`` with the
flags that keep it off the network (``CHROMIUM_ARGS``: without the background-networking flags chromium
floods a closed network with requests for its online services).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
CANVAS = ".tc-network canvas"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


class Server:
    """A server started as ``command`` (a list) on a free port of 127.0.0.1, logging to ``log``."""

    def __init__(self, command: list[str], port: int, log: Path, env: dict | None = None):
        self.port, self.log = port, log
        self.url = f"http://127.0.0.1:{port}/"
        self._log_file = open(log, "w")
        self.process = subprocess.Popen(command, stdout=self._log_file, stderr=subprocess.STDOUT,
                                        env={**os.environ, **(env or {})})

    @classmethod
    def app(cls, log: Path) -> "Server":
        """``trustcascade app`` itself."""
        port = free_port()
        return cls([sys.executable, "-m", "trustcascade.cli.main", "app", "--host", "127.0.0.1",
                    "--port", str(port)], port, log)

    def wait(self, timeout: float = 90.0) -> "Server":
        try:
            wait_until_answering(self.url, self.process, timeout)
        except (RuntimeError, TimeoutError) as problem:
            raise RuntimeError(f"{problem}; server log:\n{self.log_text()[-3000:]}") from None
        return self

    def log_text(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


def launch_chromium(playwright):
    """Debian's chromium, headless and off the network; None if it is not installed."""
    executable = shutil.which("chromium")
    if executable is None:
        return None
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def open_page(browser, url: str, width: int = 1500, height: int = 1000):
    """A new tab on ``url`` that records console errors and requests that left the machine.

    Returns (page, problems): ``problems`` fills as they happen.
    """
    page = browser.new_page(viewport={"width": width, "height": height})
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def check_request(request):
        if not request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            problems.append(f"request off the machine: {request.url}")

    page.on("request", check_request)
    page.goto(url)
    return page, problems


def wait_for_nodes(page, count: int, timeout: float = 60_000) -> None:
    """Wait until the network view has drawn a society of ``count`` citizens."""
    page.wait_for_function(
        f"() => {{ const v = document.querySelector('.tc-network'); return v && v.tcView.count() === {count}"
        f" && document.querySelector('{CANVAS}').dataset.frame !== undefined; }}", timeout=timeout)


def drawn_step(page) -> int:
    """The step of the frame the network view drew last."""
    return int(page.evaluate(f"document.querySelector('{CANVAS}').dataset.step || -1"))


def set_param(page, group: str, name: str, value: str) -> None:
    """Open a parameter group, type ``value`` into the field ``name`` and press Enter."""
    page.click(f".tc-group-{group}")
    field = page.locator(f".tc-param-{name} input")
    field.fill(value)
    field.press("Enter")


def node_colours(page) -> list[str]:
    """The colour drawn at the centre of every node, read back from the canvas pixels."""
    return page.evaluate(f"""() => {{
        const view = document.querySelector('.tc-network').tcView;
        const canvas = document.querySelector('{CANVAS}');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const hex = (v) => v.toString(16).padStart(2, '0');
        const out = [];
        for (let i = 0; i < view.count(); i++) {{
            const [x, y] = view.pixel(i), k = 4 * (y * canvas.width + x);
            out.push('#' + hex(pixels[k]) + hex(pixels[k + 1]) + hex(pixels[k + 2]));
        }}
        return out;
    }}""")
