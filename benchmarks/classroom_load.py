"""A class of 30 on one ``trustcascade app``: concurrent sessions pressing Step, measured from outside.

Each session is a student's tab with its own 500-citizen society (typed into the page's
``n_citizens`` field), pressing Step once every 2 s for 60 s, the presses of all sessions
staggered evenly. A few sessions are real chromium pages (Playwright, Debian's chromium); the
rest are websocket clients that speak the page's widget protocol (``solara_client.py``), since
30 browsers would swamp 2 cores. Half-way, one session changes its society to 520 citizens.

Checked: no errors (server log, browser console, widget protocol, timeouts); isolation (every
session always shows its own citizen count and exactly its own number of presses — another
session's change or press never shows); p95 Step latency <= 2 s (press to the new step number
on the page); the server's memory (RSS, with its child processes) before, at peak and after.

Usage: ``.venv/bin/python benchmarks/classroom_load.py [--sessions 30] [--browsers 3]
[--seconds 60] [--json FILE]`` (about 1.5 minutes; exit code 1 if a check fails).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from solara_client import PageSession  # noqa: E402

from trustcascade.visualization.browser import CHROMIUM_ARGS, Server  # noqa: E402

CHANGED_SIZE = 520
"""The size the changing session switches to half-way (every other session keeps its own)."""


@dataclass
class Student:
    """One session's record: its presses' latencies and anything that went wrong."""

    index: int
    kind: str
    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    citizens: int = 0
    steps: int = 0


class WebsocketTab:
    """A session driven over the widget protocol."""

    def __init__(self, url: str):
        self.page = PageSession(url)

    async def open(self, citizens: int, timeout: float) -> None:
        await self.page.open(timeout)
        await self.page.click("tc-group-Society")
        await self.page.wait_for(lambda: self.page.find("tc-param-n_citizens"), timeout)
        await self.resize(citizens, timeout)

    async def resize(self, citizens: int, timeout: float) -> None:
        await self.page.type_in("tc-param-n_citizens", str(citizens))
        await self.page.wait_for(lambda: self.shows(citizens, 0), timeout)

    def shows(self, citizens: int, step: int) -> bool:
        return (self.page.text("tc-step") == f"Step {step}"
                and (self.page.text("tc-summary") or "").startswith(f"{citizens} citizens"))

    async def step(self, expected: int, timeout: float) -> None:
        await self.page.click("tc-step-button")
        await self.page.wait_for(lambda: self.page.text("tc-step") == f"Step {expected}", timeout)

    def status(self) -> tuple[str, str]:
        return self.page.text("tc-step") or "", self.page.text("tc-summary") or ""

    def problems(self) -> list[str]:
        return self.page.errors

    async def close(self) -> None:
        await self.page.close()


class BrowserTab:
    """A session in a real chromium page."""

    def __init__(self, browser, url: str):
        self.browser, self.url, self.page, self.errors = browser, url, None, []

    async def open(self, citizens: int, timeout: float) -> None:
        self.page = await self.browser.new_page(viewport={"width": 1500, "height": 1000})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        await self.page.goto(self.url, timeout=timeout * 1000)
        await self.page.wait_for_selector(".tc-step-button", timeout=timeout * 1000)
        await self.page.click(".tc-group-Society")
        await self.resize(citizens, timeout)

    async def resize(self, citizens: int, timeout: float) -> None:
        box = self.page.locator(".tc-param-n_citizens input")
        await box.fill(str(citizens))
        await box.press("Enter")
        await self.page.wait_for_function(
            f"() => document.querySelector('.tc-step')?.textContent === 'Step 0' && "
            f"document.querySelector('.tc-summary')?.textContent.startsWith('{citizens} citizens')",
            timeout=timeout * 1000)

    async def step(self, expected: int, timeout: float) -> None:
        await self.page.click(".tc-step-button")
        await self.page.wait_for_function(
            f"() => document.querySelector('.tc-step')?.textContent === 'Step {expected}'", timeout=timeout * 1000)

    def status(self) -> tuple[str, str]:
        return self._status

    async def read_status(self) -> None:
        self._status = tuple(await self.page.evaluate(
            "['.tc-step', '.tc-summary'].map(s => document.querySelector(s)?.textContent || '')"))

    def problems(self) -> list[str]:
        return self.errors

    async def close(self) -> None:
        await self.page.close()


async def attend(tab, student: Student, args, ready: asyncio.Barrier, start: list, changer: bool) -> None:
    """Open the tab, build the society, then press Step on schedule and check what the tab shows."""
    try:
        await tab.open(args.citizens, args.timeout)
        student.citizens = args.citizens
    except Exception as error:  # noqa: BLE001 (any failure to open is a reported error)
        student.errors.append(f"open: {type(error).__name__}: {error}")
    await ready.wait()
    if student.errors:
        return
    presses = int(args.seconds / args.interval)
    offset = args.interval * student.index / args.sessions
    for press in range(presses):
        await asyncio.sleep(max(0.0, start[0] + offset + press * args.interval - time.perf_counter()))
        began = time.perf_counter()
        try:
            if changer and press == presses // 2:
                await tab.resize(CHANGED_SIZE, args.timeout)
                student.citizens, student.steps = CHANGED_SIZE, 0
                continue
            await tab.step(student.steps + 1, args.timeout)
        except Exception as error:  # noqa: BLE001
            student.errors.append(f"press {press}: {type(error).__name__}: {str(error).splitlines()[0]}")
            return
        student.latencies.append(time.perf_counter() - began)
        student.steps += 1
        if isinstance(tab, BrowserTab):
            await tab.read_status()
        step_text, summary = tab.status()
        if step_text != f"Step {student.steps}" or not summary.startswith(f"{student.citizens} citizens"):
            student.errors.append(f"press {press}: shows {step_text!r}, {summary[:30]!r}; expected step "
                                  f"{student.steps} of {student.citizens} citizens (another session leaked in)")
    student.errors.extend(tab.problems())


def server_memory(pid: int) -> float:
    """RSS of the server and its child processes, in MB."""
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 1e6


async def sample_memory(pid: int, samples: list, stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append(server_memory(pid))
        await asyncio.sleep(1.0)


async def classroom(url: str, server_pid: int, args) -> dict:
    """Run the class against the server at ``url``; the measurements and every problem found."""
    students = [Student(i, "browser" if i < args.browsers else "websocket") for i in range(args.sessions)]
    baseline = server_memory(server_pid)
    samples, stop = [], asyncio.Event()
    sampler = asyncio.create_task(sample_memory(server_pid, samples, stop))
    ready, start = asyncio.Barrier(args.sessions + 1), [0.0]
    playwright = browser = None
    if args.browsers:
        from playwright.async_api import async_playwright

        import shutil

        playwright = await async_playwright().start()
        browser = await playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
    tabs = [BrowserTab(browser, url) if s.kind == "browser" else WebsocketTab(url) for s in students]
    changer = args.browsers  # the first websocket session changes its society half-way
    attending = [asyncio.create_task(attend(tab, s, args, ready, start, s.index == changer))
                 for tab, s in zip(tabs, students)]
    await ready.wait()
    opened = server_memory(server_pid)
    start[0] = time.perf_counter() + 0.5
    await asyncio.gather(*attending)
    for tab in tabs:
        await asyncio.gather(tab.close(), return_exceptions=True)
    if browser is not None:
        await browser.close()
        await playwright.stop()
    stop.set()
    await sampler
    latencies = sorted(x for s in students for x in s.latencies)
    by_kind = {kind: sorted(x for s in students if s.kind == kind for x in s.latencies)
               for kind in ("browser", "websocket")}
    return {
        "sessions": args.sessions, "browsers": args.browsers, "citizens": args.citizens,
        "seconds": args.seconds, "interval": args.interval,
        "presses": len(latencies), "expected_presses": args.sessions * int(args.seconds / args.interval) - (changer < args.sessions),
        "latency_p50": quantile(latencies, 0.5), "latency_p95": quantile(latencies, 0.95),
        "latency_max": max(latencies, default=float("nan")),
        "latency_p95_by_kind": {k: quantile(v, 0.95) for k, v in by_kind.items() if v},
        "memory_mb": {"before": round(baseline, 1), "sessions_open": round(opened, 1),
                      "peak": round(max(samples, default=baseline), 1), "after": round(server_memory(server_pid), 1)},
        "errors": [f"session {s.index} ({s.kind}): {e}" for s in students for e in s.errors],
    }


def quantile(values: list, q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def verdict(result: dict, server_log: str) -> list[str]:
    """The failed checks, as lines."""
    failed = list(result["errors"])
    for line in server_log.splitlines():
        if "Traceback" in line or "ERROR" in line or "Error" in line:
            failed.append(f"server log: {line.strip()[:200]}")
    if result["presses"] != result["expected_presses"]:
        failed.append(f"{result['presses']} presses answered of {result['expected_presses']}")
    if not result["latency_p95"] <= 2.0:
        failed.append(f"p95 Step latency {result['latency_p95']:.2f} s > 2 s")
    return failed


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3, help="of the sessions, how many are chromium pages")
    parser.add_argument("--citizens", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a session's presses")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a press counts as failed")
    parser.add_argument("--json", help="also write the results to this file")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_arguments(argv)
    with tempfile.TemporaryDirectory() as folder:
        server = Server.app(Path(folder) / "server.log").wait()
        try:
            result = asyncio.run(classroom(server.url, server.process.pid, args))
            log = server.log_text()
        finally:
            server.stop()
    failed = verdict(result, log)
    result["failed_checks"] = failed
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print("PASS" if not failed else f"FAIL: {len(failed)} problems", file=sys.stderr)
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
